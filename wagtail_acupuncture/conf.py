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
    #: The template every page template of the package extends: the package's own, or the
    #: site's ``base.html`` (blocks ``title``, ``title_suffix``, ``extra_css``, ``body_class``,
    #: ``content``, ``extra_js``, as ``wagtail start`` makes them).
    "BASE_TEMPLATE": "wagtail_acupuncture/base.html",
    #: Rendition specs delivered for every image in the API, by name.
    "IMAGE_RENDITIONS": {
        "thumbnail": "fill-480x320|format-webp",
        "medium": "max-960x960|format-webp",
        "large": "max-1600x1600|format-webp",
        "fallback": "max-960x960|format-jpeg",
    },
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
    #: Claims rule packs checked in articles: ``"us-ftc"``, ``"uk-cap"``, ``"au-ahpra"`` and
    #: dotted paths to a site's own rules (see :mod:`wagtail_acupuncture.claims.packs`).
    "CLAIMS_RULES": ["us-ftc"],
    #: Refuse to publish an article with claim findings: ``False`` never (findings are warnings),
    #: ``True`` on any finding, or a severity (``"error"``) on findings at least that serious.
    "CLAIMS_BLOCK_PUBLISH": False,
    #: Who ``acupuncture_review_reminders`` e-mails the articles due for review: a list of
    #: addresses; empty: the e-mail addresses of the users in the medical review tasks' groups.
    "REVIEW_REMINDER_RECIPIENTS": [],
    #: Booking providers offered for booking targets (``booking_providers``): dotted paths of
    #: ``BookingProviderBlock`` subclasses; append a site's own scheduler here.
    "BOOKING_PROVIDERS": [
        "wagtail_acupuncture.booking_providers.JaneBlock",
        "wagtail_acupuncture.booking_providers.AcuityBlock",
        "wagtail_acupuncture.booking_providers.ClinikoBlock",
        "wagtail_acupuncture.booking_providers.MindbodyBlock",
        "wagtail_acupuncture.booking_providers.PracticeBetterBlock",
        "wagtail_acupuncture.booking_providers.NoterroBlock",
        "wagtail_acupuncture.booking_providers.LinkBlock",
    ],
    #: Limits for the editor's SEO checks.
    "SEO_TITLE_MAX_LENGTH": 60,
    "SEO_DESCRIPTION_MAX_LENGTH": 160,
    #: Between the page title and the clinic name in ``<title>`` when no SEO title is set.
    "SEO_TITLE_SEPARATOR": " | ",
    #: Hero image renditions listed as the JSON-LD article ``image`` (16:9, 4:3 and 1:1, as
    #: Google's Article documentation recommends).
    "STRUCTURED_DATA_IMAGE_RENDITIONS": [
        "fill-1200x675|format-jpeg",
        "fill-1200x900|format-jpeg",
        "fill-1200x1200|format-jpeg",
    ],
    #: Rendition of a practitioner's photo given as the JSON-LD ``Person`` ``image``.
    "STRUCTURED_DATA_PERSON_IMAGE_RENDITION": "fill-400x400|format-jpeg",
    #: Rendition of the clinic's logo given as the JSON-LD ``MedicalClinic`` ``logo``.
    "STRUCTURED_DATA_LOGO_RENDITION": "max-600x600|format-png",
    #: Hero image rendition for ``og:image`` and ``twitter:image``.
    "SOCIAL_IMAGE_RENDITION": "fill-1200x630|format-jpeg",
    #: schema.org ``medicineSystem`` of related treatments' ``MedicalTherapy`` nodes (acupuncture
    #: is ``TraditionalChinese``); ``None`` leaves the property out.
    "TREATMENT_MEDICINE_SYSTEM": "TraditionalChinese",
    #: ``Cache-Control`` for anonymous, public API responses.
    "API_CACHE_CONTROL": "public, max-age=60, stale-while-revalidate=300",
    #: Django cache alias where the API remembers, per URL, since when its response has been the
    #: same (``Last-Modified``). Use a cache shared by all processes (Redis, Memcached, database).
    "API_VALIDATOR_CACHE": "default",
    #: Keep rendered API responses and article and index pages in a cache, keyed by the content
    #: generation (any content change makes every entry stale at once); see
    #: :mod:`wagtail_acupuncture.delivery.render_cache`.
    "RENDER_CACHE": True,
    #: Django cache alias of the render cache. A per-process cache (``LocMemCache``) is correct
    #: too: the generation is read from the database.
    "RENDER_CACHE_ALIAS": "default",
    #: Seconds a rendered response is kept (stale entries are never served; this bounds memory).
    "RENDER_CACHE_TIMEOUT": 3600,
    #: Larger responses (in bytes) are not kept, which bounds the memory a per-process cache can
    #: take (e.g. ``fields=*`` listings of many articles); ``None`` keeps every size.
    "RENDER_CACHE_MAX_BYTES": 1_000_000,
    #: Bytes of rendered responses one host may keep in the render cache within a
    #: ``RENDER_CACHE_TIMEOUT`` (an hour when that is ``None``): beyond it responses are served
    #: but not kept, so a shared cache is never flooded. ``None``: no budget.
    "RENDER_CACHE_SITE_BUDGET_BYTES": 64 * 1024 * 1024,
    #: Seconds a request that misses the render cache waits for another request (in any
    #: process sharing the cache) already rendering the same key, instead of rendering it
    #: too: after a publish, one render per URL instead of one per concurrent reader.
    #: ``0`` renders at once, as without the lock.
    "RENDER_CACHE_LOCK_WAIT": 2.0,
    #: A site's own models (``"app_label.ModelName"`` or ``"app_label"``) whose saves never change
    #: what visitors see, so they do not invalidate the render cache.
    "RENDER_CACHE_IGNORED_MODELS": [],
    #: Largest ``?limit=`` the API accepts (Wagtail's ``WAGTAILAPI_LIMIT_MAX`` is not used).
    "API_LIMIT_MAX": 100,
    #: Largest ``?offset=`` the API accepts; beyond it the API answers 400.
    "API_OFFSET_MAX": 100_000,
    #: Rendition spec of images embedded in API rich text. ``None`` uses the filter spec of the
    #: image's rich text format (Wagtail's ``fullwidth``, ``left``, ``right``: ``width-800`` or
    #: ``width-500``).
    "API_RICH_TEXT_IMAGE_RENDITION": None,
    #: Link schemes accepted in editor-entered links.
    "ALLOWED_LINK_SCHEMES": ["http", "https", "tel", "mailto"],
    # --- Publish notifications: frontend-cache purging and revalidation webhooks ---------------
    #: Where the site serves its API (``wagtail_acupuncture.api``): a path, joined to the root
    #: URL of each affected site, or an absolute URL. ``None`` leaves API URLs out of purges and
    #: webhooks.
    "API_BASE_PATH": "/api/v2/",
    #: API detail URLs of a changed object, relative to ``API_BASE_PATH``, by kind (``"page"``
    #: for every page type, else the model name). Placeholders: ``{id}``, ``{type}`` (e.g.
    #: ``wagtail_acupuncture.ArticlePage``), ``{parent_id}`` and ``{html_path}`` for pages,
    #: ``{slug}`` for models with a slug.
    "API_DETAIL_PATHS": {
        "page": ["pages/{id}/", "pages/find/?html_path={html_path}"],
        "treatment": [
            "treatments/{id}/",
            "treatments/?slug={slug}",
            "treatments/find/?slug={slug}",
        ],
        "practitioner": ["practitioners/{id}/"],
        "clinicsettings": ["clinic/"],
    },
    #: API listing URLs a changed object appears in, with the same kinds and placeholders.
    "API_LISTING_PATHS": {
        "page": ["pages/", "pages/?type={type}", "pages/?child_of={parent_id}"],
        "treatment": ["treatments/"],
        "practitioner": ["practitioners/"],
    },
    #: Purge the affected URLs through ``wagtail.contrib.frontend_cache`` (when it is installed
    #: and ``WAGTAILFRONTENDCACHE`` is set) on publish, unpublish and delete.
    "FRONTEND_CACHE_PURGE": True,
    #: Frontend revalidation endpoints, each ``{"url": "https://…", "secret": "…"}``. Every
    #: publish, unpublish and delete is sent to each as a signed JSON webhook.
    "REVALIDATE_WEBHOOKS": [],
    #: Seconds to wait for a webhook receiver to answer.
    "WEBHOOK_TIMEOUT": 5,
    #: Further attempts after a failed delivery (so ``1 + WEBHOOK_MAX_RETRIES`` in all).
    "WEBHOOK_MAX_RETRIES": 5,
    #: Seconds before the first retry; doubled for each further one, up to the maximum.
    "WEBHOOK_RETRY_BACKOFF": 30,
    "WEBHOOK_RETRY_BACKOFF_MAX": 3600,
    #: Task backend alias and queue that deliver webhooks (``TASKS`` setting, as Wagtail's own
    #: background tasks).
    "WEBHOOK_TASK_BACKEND": "default",
    "WEBHOOK_TASK_QUEUE": "default",
    #: When that backend runs tasks in-process and at once (the ``ImmediateBackend``, Wagtail's
    #: default), deliver in the process's delivery threads so that publishing never waits for a
    #: receiver. ``False`` delivers inline, in the request (retries included).
    "WEBHOOK_IMMEDIATE_IN_THREAD": True,
    #: Task backend alias and queue of frontend-cache purges
    #: (:mod:`wagtail_acupuncture.delivery.purge`).
    "PURGE_TASK_BACKEND": "default",
    "PURGE_TASK_QUEUE": "default",
    #: As ``WEBHOOK_IMMEDIATE_IN_THREAD``, for purges.
    "PURGE_IMMEDIATE_IN_THREAD": True,
    #: Seconds a purge request may take (``wagtail_acupuncture.delivery.purge_backends``).
    "PURGE_TIMEOUT": 5,
    #: Further attempts of a backend that failed to purge, after ``PURGE_RETRY_BACKOFF`` seconds,
    #: doubled each time up to the maximum.
    "PURGE_MAX_RETRIES": 3,
    "PURGE_RETRY_BACKOFF": 10,
    "PURGE_RETRY_BACKOFF_MAX": 600,
    #: Threads per process that run purges and webhooks on an in-process task backend, and how
    #: many jobs (retries included) may wait for them (:mod:`wagtail_acupuncture.delivery.runner`).
    "IN_PROCESS_DELIVERY_THREADS": 2,
    "IN_PROCESS_DELIVERY_MAX_PENDING": 1000,
    #: Finished deliveries older than this many days are deleted; ``None`` keeps them.
    "WEBHOOK_DELIVERY_RETENTION_DAYS": 30,
    # --- Headless preview ------------------------------------------------------------------------
    #: Frontend URL that an editor's preview of an article or a treatment opens, with
    #: ``?content_type=<app_label.model>&token=<signed token>`` added. A path (same host as the
    #: admin), an absolute URL, ``{SITE_ROOT_URL}`` for the object's site's root URL, or a dict
    #: by site hostname with a ``"default"`` entry (as wagtail-headless-preview's
    #: ``CLIENT_URLS``). ``None`` keeps Wagtail's own preview.
    "HEADLESS_PREVIEW_URL": None,
    #: ``None``: every preview opens the frontend. A mode name (e.g. ``"frontend"``): Wagtail's
    #: preview stays the default and this extra preview mode opens the frontend.
    "HEADLESS_PREVIEW_MODE": None,
    #: Seconds a preview token (and its stored draft) stays valid.
    "HEADLESS_PREVIEW_TOKEN_MAX_AGE": 600,
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
