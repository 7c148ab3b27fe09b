from django.urls import path

from inleg.sandbox.classic import employment_views, fund_views, profile_views, views

urlpatterns = [
    path("", views.administrations, name="classic-administrations"),
    path("<uuid:admin_id>/componenten/", views.components, name="classic-components"),
    path("<uuid:admin_id>/componenten/toevoegen/", views.add_component, name="classic-add-component"),
    path("<uuid:admin_id>/componenten/<int:key>/", views.edit_component, name="classic-component"),
    path("<uuid:admin_id>/fondsen/", fund_views.funds, name="classic-funds"),
    path("<uuid:admin_id>/fondsen/toevoegen/", fund_views.add_fund, name="classic-add-fund"),
    path("<uuid:admin_id>/fondsen/abp/", fund_views.abp, name="classic-fund-abp"),
    path("<uuid:admin_id>/fondsen/<int:number>/", fund_views.edit_fund, name="classic-fund"),
    path("<uuid:admin_id>/fondsen/<int:number>/tabellen/", fund_views.tables, name="classic-fund-tables"),
    path("<uuid:admin_id>/werknemerprofielen/", profile_views.profiles, name="classic-profiles"),
    path("<uuid:admin_id>/werknemerprofielen/toevoegen/", profile_views.add_profile, name="classic-add-profile"),
    path("<uuid:admin_id>/werknemerprofielen/<int:profile_id>/", profile_views.edit_profile, name="classic-profile"),
    path("<uuid:admin_id>/dienstverbanden/", employment_views.employments, name="classic-employments"),
    path(
        "<uuid:admin_id>/dienstverbanden/<uuid:employment_id>/fondsen/",
        employment_views.employment_funds,
        name="classic-employment-funds",
    ),
    path("<uuid:admin_id>/verloning/", views.payroll, name="classic-payroll"),
    path("<uuid:admin_id>/verloning/<uuid:run_id>/", views.run_results, name="classic-run"),
]
