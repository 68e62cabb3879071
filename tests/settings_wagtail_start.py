"""The test settings of a site made with ``wagtail start``: its own ``base.html`` (in
``tests/wagtail_start_site/templates/``, as ``wagtail start`` writes it) is the base template of
the package's pages, set as the README's "Inside your site's layout" says."""

from tests.settings import *  # noqa: F403
from tests.settings import BASE_DIR, TEMPLATES

SITE_DIR = BASE_DIR / "wagtail_start_site"

TEMPLATES = [{**TEMPLATES[0], "DIRS": [str(SITE_DIR / "templates")]}]
STATICFILES_DIRS = [str(SITE_DIR / "static")]

WAGTAIL_ACUPUNCTURE = {"BASE_TEMPLATE": "base.html"}
