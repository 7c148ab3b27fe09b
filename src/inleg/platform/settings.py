"""Settings of the employer platform (``inleg.platform``).

SQLite under ``var/`` by default; ``DATABASE_URL`` (dj-database-url) selects PostgreSQL. Every value a
deployment must set comes from the environment (``PLATFORM_*`` and ``LOKET_*``). Without ``PLATFORM_DEBUG=1``
these are production settings: the keys must be set (see ``keys.py``), and HTTPS, HSTS and secure cookies are on
(``python -m django check --deploy`` passes). ``PLATFORM_DEBUG=1`` is a developer's machine, the tests and the
demo: plain HTTP on 127.0.0.1, and the Loket defaults match the sandbox's seeded client.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from inleg.platform import keys

django_stubs_ext.monkeypatch()  # Django's generic classes (ModelAdmin[Model], ModelForm[Model]) at run time

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("PLATFORM_VAR_DIR", Path.cwd() / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/: SQLite cannot create the folder

DEBUG = os.environ.get("PLATFORM_DEBUG", "") == "1"
SECRET_KEY = keys.secret_key(os.environ, DEBUG)
ALLOWED_HOSTS = os.environ.get("PLATFORM_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "axes",  # login throttling (django-axes): its failed attempts live in the database
    "django_tasks_db",
    "inleg.platform.accounts",
    "inleg.platform.integrations",
    "inleg.platform.employees",
    "inleg.platform.contributions",
    "inleg.platform.ledger",
    "inleg.platform.bank",
    "inleg.platform.app",
    "inleg.platform.reconciliation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "inleg.platform.language.SwitchLanguageMiddleware",  # Dutch unless switched: not the browser's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a lockout into AXES_LOCKOUT_CALLABLE's page
]

ROOT_URLCONF = "inleg.platform.urls"
WSGI_APPLICATION = "inleg.platform.wsgi.application"

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
                "inleg.platform.context.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'platform.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a transaction takes the write lock when it starts, so "read, decide, write" (token refresh,
    # claiming a task) is serialised between the web process and the worker.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file too (not shared-cache memory), so that locks behave as between real processes; one per
    # test process, so that two test runs on one machine never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"inleg-platform-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "name")},  # our User has no username, first_name, last_name
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"

# Login throttling (django-axes, in the database: it holds across web processes). LOGIN_MAX_FAILURES wrong
# passwords for one e-mail address from one client address lock that pair for LOGIN_FAILURE_WINDOW_S seconds,
# counted from the last failure; a right password from elsewhere still works, so a stranger cannot lock anyone
# out, and neither can a colleague behind the same office address. Why only the pair: see the README.
LOGIN_MAX_FAILURES = int(os.environ.get("PLATFORM_LOGIN_MAX_FAILURES", "5"))
LOGIN_FAILURE_WINDOW_S = int(os.environ.get("PLATFORM_LOGIN_FAILURE_WINDOW_S", "900"))
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked pair before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_FAILURE_WINDOW_S)
AXES_RESET_ON_SUCCESS = True  # the right password clears the pair's failures
AXES_CLIENT_IP_CALLABLE = "inleg.platform.accounts.client_address.client_address"  # X-Forwarded-For only behind proxies
AXES_LOCKOUT_CALLABLE = "inleg.platform.accounts.views.locked_out"  # the login page, in Dutch, status 429
AXES_DISABLE_ACCESS_LOG = True  # no history of successful logins kept: only what throttling needs
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]  # kept out of logs and post_data

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"

# Own cookie names: cookies are not kept apart by port, and Loket's sandbox runs on the same host (127.0.0.1).
SESSION_COOKIE_NAME = "pensify_session"
CSRF_COOKIE_NAME = "pensify_csrftoken"
LANGUAGE_COOKIE_NAME = "pensify_language"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"  # Lax: the redirect back from Loket's consent page must carry the session
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Production is HTTPS only: redirect, HSTS (a year, subdomains, preload-ready) and cookies never sent over HTTP.
# Behind a reverse proxy that ends TLS, PLATFORM_TRUSTED_PROXIES (below) makes its X-Forwarded-Proto count.
HTTPS_ONLY = not DEBUG
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_HSTS_SECONDS = int(os.environ.get("PLATFORM_HSTS_SECONDS", str(365 * 24 * 3600))) if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS_ONLY
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS_ONLY

# How many reverse proxies stand in front of the platform (0, the default: none). Only with a proxy are its
# headers believed, X-Forwarded-Proto (the request came in over HTTPS) and X-Forwarded-For (the client's address,
# for login throttling): without one, anyone can send them.
TRUSTED_PROXIES = int(os.environ.get("PLATFORM_TRUSTED_PROXIES", "0"))
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"PLATFORM_TRUSTED_PROXIES: a number of proxies, 0 or more (not {TRUSTED_PROXIES})")
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Mail (invitations): printed on the console in development; in production over SMTP, by default to a relay on the
# machine itself. PLATFORM_EMAIL_BACKEND replaces the backend in either.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_CHOSEN = os.environ.get(
    "PLATFORM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND
)
MAILERS: dict[str, dict[str, object]] = {"default": {"BACKEND": EMAIL_BACKEND_CHOSEN}}
if EMAIL_BACKEND_CHOSEN == SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("PLATFORM_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("PLATFORM_EMAIL_PORT", "25")),
        "username": os.environ.get("PLATFORM_EMAIL_USER", ""),
        "password": os.environ.get("PLATFORM_EMAIL_PASSWORD", ""),
        "use_tls": os.environ.get("PLATFORM_EMAIL_TLS", "") == "1",  # STARTTLS (port 587 as a rule)
    }
DEFAULT_FROM_EMAIL = os.environ.get("PLATFORM_FROM_EMAIL", "platform@pensify.example")

# Background tasks: django.tasks with the ORM backend of django-tasks-db; `inleg platform worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# ---- Loket.nl ----------------------------------------------------------------------------------------------
# Production: LOKET_OAUTH_URL=https://oauth.loket.nl LOKET_API_URL=https://api.loket.nl/v2 and the client
# credentials Loket issued. The defaults are the sandbox (`inleg sandbox serve --port 8001`, seeded client).
LOKET_OAUTH_URL = os.environ.get("LOKET_OAUTH_URL", "http://127.0.0.1:8001")
LOKET_API_URL = os.environ.get("LOKET_API_URL", "http://127.0.0.1:8001/v2")
LOKET_CLIENT_ID = os.environ.get("LOKET_CLIENT_ID", "pensify-inleg")
LOKET_CLIENT_SECRET = os.environ.get("LOKET_CLIENT_SECRET", "pensify-sandbox-geheim")
# Empty: built from the request (scheme and host the browser used), e.g. http://127.0.0.1:8000/integrations/...
LOKET_REDIRECT_URI = os.environ.get("LOKET_REDIRECT_URI", "")
# The wage component the seed recognises by name, and the one for employees' own net contribution.
LOKET_COMPONENT_NAME = os.environ.get("LOKET_COMPONENT_NAME", "Pensify Inleg")
LOKET_NET_COMPONENT_NAME = os.environ.get("LOKET_NET_COMPONENT_NAME", "Netto inleg")
LOKET_TIMEOUT_S = float(os.environ.get("LOKET_TIMEOUT_S", "30"))
LOKET_MAX_ATTEMPTS = int(os.environ.get("LOKET_MAX_ATTEMPTS", "6"))

# Tokens at rest: Fernet keys (url-safe base64 of 32 bytes), comma-separated, newest first. The first
# encrypts; all decrypt, so a key is rotated by putting a new one in front and running
# `inleg platform rotate-keys`. Required without PLATFORM_DEBUG=1 (keys.py).
PLATFORM_TOKEN_KEYS = keys.token_keys(os.environ, DEBUG)

# Sync: how often the scheduler starts a sync per active connection, and how often it is a full one
# (which also reconciles employee data that Loket's version numbers do not cover).
SYNC_INTERVAL_S = int(os.environ.get("PLATFORM_SYNC_INTERVAL_S", "3600"))
FULL_SYNC_INTERVAL_S = int(os.environ.get("PLATFORM_FULL_SYNC_INTERVAL_S", str(24 * 3600)))
SYNC_RESUME_DELAY_S = int(os.environ.get("PLATFORM_SYNC_RESUME_DELAY_S", "30"))
SYNC_MAX_RESUMES = int(os.environ.get("PLATFORM_SYNC_MAX_RESUMES", "5"))
SYNC_STALE_AFTER_S = int(os.environ.get("PLATFORM_SYNC_STALE_AFTER_S", "900"))
# Contributions: employments per write task; a write run without progress for this long lost its worker;
# the payroll's excasso line (Loket's results: the component that carries the amount paid on).
CONTRIBUTIONS_CHUNK = int(os.environ.get("PLATFORM_CONTRIBUTIONS_CHUNK", "2500"))
CONTRIBUTIONS_STALE_AFTER_S = int(os.environ.get("PLATFORM_CONTRIBUTIONS_STALE_AFTER_S", "900"))
# How often the worker looks for approved payroll runs whose results are not read yet.
CONTRIBUTIONS_RESULTS_INTERVAL_S = int(os.environ.get("PLATFORM_CONTRIBUTIONS_RESULTS_INTERVAL_S", "900"))
CONTRIBUTIONS_EXCASSO_COMPONENT = int(os.environ.get("PLATFORM_CONTRIBUTIONS_EXCASSO_COMPONENT", "990"))
# Bank working days after the payroll paid before money not received is "te laat" (reconciliation).
RECONCILIATION_OVERDUE_BANK_DAYS = int(os.environ.get("PLATFORM_RECONCILIATION_OVERDUE_BANK_DAYS", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        "inleg.platform": {"handlers": ["console"], "level": "INFO"},
    },
}
