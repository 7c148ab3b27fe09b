"""URLs of the sandbox: OAuth on /authorize and /token, the API under /v2, Loket Classic pages, admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles.views import serve
from django.urls import include, path, re_path

from inleg.sandbox.oauth import views as oauth

urlpatterns = [
    path("authorize", oauth.ConsentView.as_view(), name="authorize"),
    path("authorize/", oauth.ConsentView.as_view()),
    path("token", oauth.LoketTokenView.as_view(), name="token"),
    path("token/", oauth.LoketTokenView.as_view()),
    path("login/", oauth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("v2/", include("inleg.sandbox.api.urls")),
    path("classic/", include("inleg.sandbox.classic.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The sandbox serves its own static files (admin styles); it is a local stand-in, not a public site.
    re_path(r"^static/(?P<path>.*)$", serve, {"insecure": True}),
]
