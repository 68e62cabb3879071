"""Headless API: endpoint classes and a helper that registers them on a site's own router.

Mount it in a project's URLconf::

    from wagtail.api.v2.router import WagtailAPIRouter
    from wagtail_acupuncture.api import register_endpoints

    api_router = register_endpoints(WagtailAPIRouter("wagtailapi"))
    urlpatterns = [path("api/v2/", api_router.urls), ...]

Endpoints (classes in :mod:`wagtail_acupuncture.api.endpoints`, importable from here too; sites
can subclass them and register their own):

``pages``
    Wagtail's pages endpoint (listing, ``<id>/``, ``find/?html_path=``) limited to live pages of
    the request's site without any view restriction. Article pages add ``intro``,
    ``hero_image``, ``body``, ``published_date``, ``author``, ``reviewed_by``,
    ``last_reviewed``, ``related_treatments``, ``related_articles``, ``table_of_contents``,
    ``reading_time_minutes``, ``word_count`` and ``structured_data``.
``treatments``
    Published treatments, ``?slug=`` (404 when none), ``find/?slug=``.
``practitioners``
    Practitioners with photo and biography.
``clinic``
    The request's site's ``ClinicSettings`` as one object.
``page_preview``, ``treatment_preview``
    ``?token=<token>``: an editor's draft (headless preview, :mod:`wagtail_acupuncture.preview`)
    in exactly the detail shape of ``pages`` and ``treatments``; classes in :mod:`.preview`.

HTTP caching (:mod:`.caching`): successful public responses carry a strong ``ETag`` and
``Last-Modified`` and answer conditional GETs with 304; nobody is authenticated, so no session
is read (no ``Vary: Cookie``); previews and anything personalised are ``private, no-store``.

Representation (see :mod:`.representation` and the blocks' ``get_api_representation``): rich
text is front-end HTML everywhere; images are ``{id, title, alt, width, height, focal_point,
renditions}`` with the ``IMAGE_RENDITIONS`` of the ``WAGTAIL_ACUPUNCTURE`` setting; everything a
response refers to is fetched in bulk. Settings read here: ``IMAGE_RENDITIONS``,
``API_CACHE_CONTROL``, ``API_VALIDATOR_CACHE``, ``API_LIMIT_MAX``, ``API_OFFSET_MAX``,
``API_RICH_TEXT_IMAGE_RENDITION``, ``RELATED_ARTICLES_LIMIT``, ``HEADLESS_PREVIEW_TOKEN_MAX_AGE``.

``manage.py acupuncture_api_schema [--format openapi|typescript] [--output PATH]`` writes the
OpenAPI 3.1 document and TypeScript types of the endpoints (:mod:`.schema`).
"""

#: Endpoint class names importable from this package (loaded lazily: models import ``fields``).
_ENDPOINT_CLASSES = (
    "ClinicAPIViewSet",
    "PagesAPIViewSet",
    "PractitionersAPIViewSet",
    "TreatmentsAPIViewSet",
)
#: Preview endpoint class names, loaded lazily from :mod:`.preview`.
_PREVIEW_ENDPOINT_CLASSES = ("PagePreviewAPIViewSet", "TreatmentPreviewAPIViewSet")


def register_endpoints(router):
    """Register the package's endpoints on a site's own ``WagtailAPIRouter``.

    Registers ``pages``, ``treatments``, ``practitioners`` and ``clinic``
    (:data:`wagtail_acupuncture.api.endpoints.ENDPOINTS`), then ``page_preview`` and
    ``treatment_preview`` (:data:`wagtail_acupuncture.api.preview.PREVIEW_ENDPOINTS`), and
    returns the router.
    """
    from .endpoints import ENDPOINTS
    from .preview import PREVIEW_ENDPOINTS

    for name, endpoint in {**ENDPOINTS, **PREVIEW_ENDPOINTS}.items():
        router.register_endpoint(name, endpoint)
    return router


def __getattr__(name):
    if name in _ENDPOINT_CLASSES:
        from . import endpoints

        return getattr(endpoints, name)
    if name in _PREVIEW_ENDPOINT_CLASSES:
        from . import preview

        return getattr(preview, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["register_endpoints", *_ENDPOINT_CLASSES, *_PREVIEW_ENDPOINT_CLASSES]
