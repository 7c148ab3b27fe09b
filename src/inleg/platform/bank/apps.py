from django.apps import AppConfig


class BankConfig(AppConfig):
    name = "inleg.platform.bank"
    label = "bank"
    default_auto_field = "django.db.models.BigAutoField"
