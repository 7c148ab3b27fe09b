"""The app's URLs (/app/, employees) and the employer's pages about it (/employees/app/)."""

from django.urls import path

from inleg.platform.app import employer_views, views

app_urls = (
    [
        path("", views.home, name="home"),
        path("login/", views.login_view, name="login"),
        path("logout/", views.logout_view, name="logout"),
        path("welkom/<str:token>/", views.onboarding, name="onboarding"),
        path("voorwaarden/", views.terms, name="terms"),
        path("uitleg/", views.explanation, name="explanation"),
        path("inleg/<int:employment_id>/", views.net_amount, name="net_amount"),
        path("rekening/<int:employment_id>/", views.account, name="account"),
    ],
    "app",
)

employer_urls = (
    [
        path("", employer_views.overview, name="invitations"),
        path("invite/<int:employee_id>/", employer_views.invite_one, name="invite"),
        path("invite-all/", employer_views.invite_all, name="invite_all"),
        path("outbox/", employer_views.outbox, name="outbox"),
    ],
    "app_admin",
)
