"""Development settings: DEBUG on, a fixed insecure key, local hosts only."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-example-project-development-only"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The Next.js starter's development server (frontend/, `npm run dev`) may call the API from
# the browser.
CORS_ALLOWED_ORIGINS = CORS_ALLOWED_ORIGINS or [  # noqa: F405
    "http://localhost:3000",
    "http://127.0.0.1:3000",
]

# Headless preview demo: Wagtail's preview stays the default; the extra "Frontend" preview mode
# of articles and treatments opens the demo frontend at /frontend-preview/ (clinic.views), which
# renders the draft from the API's page_preview / treatment_preview JSON. A path is resolved
# against the admin's host. See docs/headless-delivery.md.
WAGTAIL_ACUPUNCTURE = {
    **WAGTAIL_ACUPUNCTURE,  # noqa: F405
    "HEADLESS_PREVIEW_URL": "/frontend-preview/",
    "HEADLESS_PREVIEW_MODE": "frontend",
}

# With FRONTEND_URL set (`make demo FRONTEND_URL=http://127.0.0.1:3000`), previews open the
# Next.js starter of frontend/ (`make frontend`) and every publish sends it a signed webhook.
FRONTEND_URL = os.environ.get("FRONTEND_URL", "").rstrip("/")
if FRONTEND_URL:
    WAGTAIL_ACUPUNCTURE = {
        **WAGTAIL_ACUPUNCTURE,
        "HEADLESS_PREVIEW_URL": f"{FRONTEND_URL}/api/preview/",
        "HEADLESS_PREVIEW_MODE": None,
        "REVALIDATE_WEBHOOKS": [
            {
                "url": f"{FRONTEND_URL}/api/revalidate/",
                "secret": os.environ.get("FRONTEND_REVALIDATE_SECRET", "frontend-demo-revalidate-secret"),
            }
        ],
    }
