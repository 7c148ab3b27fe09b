"""WSGI entry point of the Loket sandbox."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inleg.sandbox.settings")
application = get_wsgi_application()
