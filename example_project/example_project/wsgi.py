"""WSGI entry point, e.g. ``gunicorn example_project.wsgi`` (run from example_project/).

Set DJANGO_SETTINGS_MODULE=example_project.settings.production on a server.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_project.settings.dev")

application = get_wsgi_application()
