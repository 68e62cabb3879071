"""Package settings: one ``WAGTAIL_ACUPUNCTURE`` dict, merged over :data:`DEFAULTS`.

Read values through :data:`acupuncture_settings`, e.g. ``acupuncture_settings.WORDS_PER_MINUTE``.
The merged dict is cached and rebuilt whenever Django's ``setting_changed`` signal fires for
``WAGTAIL_ACUPUNCTURE`` (as ``override_settings`` does in tests).
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

SETTINGS_KEY = "WAGTAIL_ACUPUNCTURE"

#: Every setting the package reads, with its default.
DEFAULTS = {
    #: Register the wagtail-modeladmin "Articles" editorial index in the admin menu.
    "MODELADMIN_ENABLED": True,
    #: Rendition specs delivered for every image in the API, by name.
    "IMAGE_RENDITIONS": {
        "thumbnail": "fill-480x320|format-webp",
        "medium": "max-960x960|format-webp",
        "large": "max-1600x1600|format-webp",
        "fallback": "max-960x960|format-jpeg",
    },
    #: Rendition specs for the responsive ``srcset`` of images in HTML templates.
    "HTML_IMAGE_WIDTHS": [480, 960, 1600],
    #: Reading speed used for ``reading_time_minutes``.
    "WORDS_PER_MINUTE": 200,
    #: Articles per page on an ArticleIndexPage.
    "ARTICLES_PER_PAGE": 12,
    #: How many related articles an article lists.
    "RELATED_ARTICLES_LIMIT": 3,
    #: Site-wide switch for FAQPage/Question markup in the JSON-LD graph.
    "FAQ_STRUCTURED_DATA": True,
    #: An article whose ``last_reviewed`` is older than this many days gets an editor warning.
    "REVIEW_MAX_AGE_DAYS": 365,
    #: Limits for the editor's SEO checks.
    "SEO_TITLE_MAX_LENGTH": 60,
    "SEO_DESCRIPTION_MAX_LENGTH": 160,
    #: ``Cache-Control`` for anonymous, public API responses.
    "API_CACHE_CONTROL": "public, max-age=60, stale-while-revalidate=300",
    #: Link schemes accepted in editor-entered links.
    "ALLOWED_LINK_SCHEMES": ["http", "https", "tel", "mailto"],
}


class AcupunctureSettings:
    """Attribute access to the merged settings dict."""

    def __init__(self):
        self._cached = None

    @property
    def merged(self):
        if self._cached is None:
            user = getattr(settings, SETTINGS_KEY, {}) or {}
            unknown = set(user) - set(DEFAULTS)
            if unknown:
                from django.core.exceptions import ImproperlyConfigured

                raise ImproperlyConfigured(
                    f"Unknown {SETTINGS_KEY} keys: {', '.join(sorted(unknown))}"
                )
            self._cached = {**DEFAULTS, **user}
        return self._cached

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.merged[name]
        except KeyError:
            raise AttributeError(f"{SETTINGS_KEY} has no setting {name!r}") from None

    def reload(self):
        self._cached = None


acupuncture_settings = AcupunctureSettings()


@receiver(setting_changed)
def _reload_settings(*, setting, **kwargs):
    if setting == SETTINGS_KEY:
        acupuncture_settings.reload()
