"""WSGI entry point of the employer platform."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inleg.platform.settings")
application = get_wsgi_application()
