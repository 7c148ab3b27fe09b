from django.apps import AppConfig


class EmployeesConfig(AppConfig):
    name = "inleg.platform.employees"
    label = "employees"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Here, not in runs.py: the task imports the sync, which imports runs; so the imports point one way.
        from inleg.platform.employees import runs, tasks

        runs.use_queue(tasks.enqueue)
