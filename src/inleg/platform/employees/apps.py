from django.apps import AppConfig


class EmployeesConfig(AppConfig):
    name = "inleg.platform.employees"
    label = "employees"
    default_auto_field = "django.db.models.BigAutoField"
