"""Production settings. Refuses to start without ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``.

Environment:
  DJANGO_SECRET_KEY        required, a long random string
  DJANGO_ALLOWED_HOSTS     required, comma separated, e.g. "clinic.example.com,www.example.com"
  DATABASE_URL             e.g. postgres://user:password@db.internal:5432/clinic (default: SQLite)
  WAGTAILADMIN_BASE_URL    e.g. https://clinic.example.com (default: https://<first allowed host>)
  CSRF_TRUSTED_ORIGINS     optional, comma separated origins
  CORS_ALLOWED_ORIGINS     optional, comma separated origins allowed to call the API from a browser
  STATIC_ROOT, MEDIA_ROOT  optional, where collectstatic and uploads write
  REDIS_URL                e.g. redis://cache.internal:6379/0: the cache every web process shares
                           (render cache, API validators, renditions). Without it each process
                           keeps its own cache (system check wagtail_acupuncture.W004).
  TASK_BACKEND             "database" (default: django-tasks-db, run `manage.py db_worker`) or
                           "immediate" (in the web process; system check wagtail_acupuncture.W003)
  FRONTEND_CACHE_PURGE_URL optional, a Varnish/Squid/nginx cache purged with HTTP PURGE
  CLOUDFLARE_API_TOKEN,    optional, purge Cloudflare instead
  CLOUDFLARE_ZONE_ID
  REVALIDATE_WEBHOOK_URL,  optional, a frontend's revalidation endpoint and its shared secret
  REVALIDATE_WEBHOOK_SECRET

See docs/deployment.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"Set the {name} environment variable: production settings refuse to start without it."
        )
    return value


def _list(value):
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = _list(_required("DJANGO_ALLOWED_HOSTS"))
CSRF_TRUSTED_ORIGINS = _list(os.environ.get("CSRF_TRUSTED_ORIGINS", ""))
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or f"https://{ALLOWED_HOSTS[0]}"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# One cache shared by every web process and the task worker: a publish changes the content
# generation once, for all of them. Wagtail keeps renditions in the "renditions" alias.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "clinic",
            "TIMEOUT": 3600,
        },
        "renditions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "clinic-renditions",
            "TIMEOUT": 24 * 3600,
        },
    }

# Background work (Wagtail's own tasks, frontend-cache purges, revalidation webhooks) goes to
# the database queue of django-tasks-db; `manage.py db_worker` runs it.
TASK_BACKEND = os.environ.get("TASK_BACKEND", "database").strip()
if TASK_BACKEND == "database":
    INSTALLED_APPS += ["django_tasks", "django_tasks_db"]  # noqa: F405
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured('TASK_BACKEND is "database" or "immediate".')

# The CDN or cache in front of the site, purged through wagtail.contrib.frontend_cache.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "cache": {
            "BACKEND": "wagtail_acupuncture.delivery.purge_backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        },
    }
elif os.environ.get("CLOUDFLARE_API_TOKEN"):
    WAGTAILFRONTENDCACHE = {
        "cloudflare": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": os.environ["CLOUDFLARE_API_TOKEN"],
            "ZONEID": _required("CLOUDFLARE_ZONE_ID"),
        },
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")  # noqa: F405

if os.environ.get("REVALIDATE_WEBHOOK_URL"):
    WAGTAIL_ACUPUNCTURE = {
        **WAGTAIL_ACUPUNCTURE,  # noqa: F405
        "REVALIDATE_WEBHOOKS": [
            {
                "url": os.environ["REVALIDATE_WEBHOOK_URL"],
                "secret": _required("REVALIDATE_WEBHOOK_SECRET"),
            }
        ],
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "wagtail_acupuncture": {"handlers": ["console"], "level": "INFO"},
        "django_tasks": {"handlers": ["console"], "level": "INFO"},
    },
}

# Never create the demo's admin user (with its published password) on a production site.
ACUPUNCTURE_DEMO_ENABLED = False
