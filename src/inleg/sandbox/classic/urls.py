from django.urls import path

from inleg.sandbox.classic import views

urlpatterns = [
    path("", views.administrations, name="classic-administrations"),
    path("<uuid:admin_id>/componenten/", views.components, name="classic-components"),
    path("<uuid:admin_id>/componenten/toevoegen/", views.add_component, name="classic-add-component"),
    path("<uuid:admin_id>/componenten/<int:key>/", views.edit_component, name="classic-component"),
    path("<uuid:admin_id>/verloning/", views.payroll, name="classic-payroll"),
]
