from django.apps import AppConfig


class EmployeeAppConfig(AppConfig):
    name = "inleg.platform.app"
    label = "employee_app"
    verbose_name = "Werknemersapp"
