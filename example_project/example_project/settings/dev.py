"""Development settings: DEBUG on, a fixed insecure key, local hosts only."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-example-project-development-only"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
