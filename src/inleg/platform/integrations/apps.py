from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "inleg.platform.integrations"
    label = "integrations"
    default_auto_field = "django.db.models.BigAutoField"
