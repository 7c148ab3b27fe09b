"""Settings of the Loket sandbox (``inleg.sandbox``): a local stand-in for Loket.nl.

SQLite under ``var/`` by default; ``DATABASE_URL`` (dj-database-url) selects PostgreSQL. Every value a
deployment must set comes from the environment; the defaults are for a developer's machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()  # Django's generic classes (ModelAdmin[Model], ModelForm[Model]) at run time

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SANDBOX_VAR_DIR", Path.cwd() / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/: SQLite cannot create the folder

SECRET_KEY = os.environ.get("SANDBOX_SECRET_KEY", "dev-only-sandbox-secret-key-change-me-in-any-shared-deployment")
DEBUG = os.environ.get("SANDBOX_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("SANDBOX_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "oauth2_provider",
    "inleg.sandbox.core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "inleg.sandbox.api.expires.ExpiresMiddleware",
    "inleg.sandbox.api.faults.FaultInjectionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "inleg.sandbox.i18n.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "inleg.sandbox.urls"
WSGI_APPLICATION = "inleg.sandbox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sandbox.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL with synchronous=NORMAL: a commit no longer waits for two fsyncs (half of a write request's time), and
    # readers no longer block the writer. Still safe against a crashed process; a power cut may lose the last
    # commits, which a local stand-in for Loket can afford.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.LoketUser"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {"all": _("alle gegevens waarvoor de gebruiker rechten heeft")},
    "DEFAULT_SCOPES": ["all"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3599,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 300,
    # RFC 9700 (OAuth security advice): refresh tokens rotate, and a used one coming back revokes its family.
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # PKCE on every code, with S256 only ("plain" and a challenge without a method are refused).
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    # Deploy checks fail (not warn) should any of these be switched back.
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "ALLOW_URI_WILDCARDS": False,
    "OAUTH2_VALIDATOR_CLASS": "inleg.sandbox.oauth.validators.LoketValidator",
    "REQUEST_APPROVAL_PROMPT": "force",
}

# Fault injection on /v2 (tests and demos): "429=0.1,500=0.05,503=0.05,slow=0.1,slow_s=1.5,seed=7".
SANDBOX_FAULTS = os.environ.get("SANDBOX_FAULTS", "")
# Where the payroll run writes its excasso files (pain.001); they are also kept in the database.
SANDBOX_SEPA_DIR = Path(os.environ.get("SANDBOX_SEPA_DIR", VAR_DIR / "sepa"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
