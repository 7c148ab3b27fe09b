from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "inleg.platform.contributions"
    label = "contributions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Here, not in services.py: the task imports the services, so the imports point one way.
        from inleg.platform.contributions import services, tasks

        services.use_queue(tasks.enqueue)
