"""Settings shared by development and production.

The package needs the apps marked below; everything else is a plain Wagtail site.
"""

import os
from pathlib import Path

import dj_database_url

from wagtail_acupuncture.checks import SQLITE_CONCURRENT_OPTIONS

#: ``example_project/`` (the folder holding manage.py).
PROJECT_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "clinic",
    # wagtail-acupuncture and the apps it needs
    "wagtail_acupuncture",
    "wagtail_modeladmin",
    "wagtail.contrib.settings",
    "wagtail.api.v2",
    "rest_framework",
    # CORS headers on the API, for frontends that call it from the browser
    "corsheaders",
    # sitemap.xml
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    # Wagtail
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # before CommonMiddleware, so that its redirects carry the CORS headers too
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# CORS (django-cors-headers): only the API answers cross-origin requests, read-only, without
# cookies, from the origins in CORS_ALLOWED_ORIGINS (comma separated; none by default). A
# frontend that fetches on its server (the Next.js starter in frontend/) needs none of it.
CORS_URLS_REGEX = r"^/api/v2/"
CORS_ALLOWED_ORIGINS = [
    origin.strip() for origin in os.environ.get("CORS_ALLOWED_ORIGINS", "").split(",") if origin.strip()
]
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ("ETag",)

ROOT_URLCONF = "example_project.urls"
WSGI_APPLICATION = "example_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # {{ settings.wagtail_acupuncture.ClinicSettings.phone }} in any template
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite file example_project/db.sqlite3 (created by the first migrate) unless DATABASE_URL is
# set, e.g. DATABASE_URL=postgres://user:password@127.0.0.1:5432/acupuncture
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two editors publishing at once: the second write waits for the first instead of failing
    # with "database is locked"; WAL lets visitors read during a write.
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_CONCURRENT_OPTIONS)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's database search backend uses PostgreSQL full-text search fields (Django >= 6.1
    # checks that this app is installed).
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(PROJECT_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(PROJECT_DIR / "media"))

# Wagtail
WAGTAIL_SITE_NAME = "Example Acupuncture Clinic (demo)"
# Base URL of the admin, used in notification emails and links to the admin.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx"]

# wagtail-acupuncture: one dict, merged over wagtail_acupuncture.conf.DEFAULTS (every key is
# documented there and in the README; unknown keys raise ImproperlyConfigured). Empty: all defaults.
# e.g. WAGTAIL_ACUPUNCTURE = {"WORDS_PER_MINUTE": 230, "ARTICLES_PER_PAGE": 9}
WAGTAIL_ACUPUNCTURE = {
    # The package's pages inside the clinic theme's layout (clinic/templates/clinic/base.html).
    "BASE_TEMPLATE": "clinic/base.html",
}

#: The demo loader (manage.py load_acupuncture_demo) creates an admin user with a published
#: password, so production settings switch it off.
ACUPUNCTURE_DEMO_ENABLED = True
