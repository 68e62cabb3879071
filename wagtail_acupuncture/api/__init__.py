"""Headless API: endpoint classes and a helper that registers them on a site's own router.

Mount it in a project's URLconf::

    from wagtail.api.v2.router import WagtailAPIRouter
    from wagtail_acupuncture.api import register_endpoints

    api_router = register_endpoints(WagtailAPIRouter("wagtailapi"))
    urlpatterns = [path("api/v2/", api_router.urls), ...]

A site replaces an endpoint with its own subclass, or leaves one out, by name::

    api_router = register_endpoints(
        WagtailAPIRouter("wagtailapi"), pages=ClinicPagesAPIViewSet, practitioners=None
    )

Endpoints (classes in :mod:`wagtail_acupuncture.api.endpoints`, importable from here too; sites
can subclass them and register their own):

``pages``
    Wagtail's pages endpoint (listing, ``<id>/``, ``find/?html_path=``) limited to live pages of
    the request's site without any view restriction. Articles of every type (a site's own built
    on ``AbstractArticlePage`` included, with the ``api_fields`` it adds) carry ``intro``,
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

from .endpoints import (
    ENDPOINTS,
    ClinicAPIViewSet,
    PagesAPIViewSet,
    PractitionersAPIViewSet,
    TreatmentsAPIViewSet,
)
from .preview import (
    PREVIEW_ENDPOINTS,
    PagePreviewAPIViewSet,
    PreviewEndpointMixin,
    TreatmentPreviewAPIViewSet,
)

#: Each preview endpoint and the live endpoint whose detail shape (and URLs) it shares.
PREVIEW_OF = {"page_preview": "pages", "treatment_preview": "treatments"}


def register_endpoints(router, **overrides):
    """Register the package's endpoints on a site's own ``WagtailAPIRouter``; return the router.

    Registers ``pages``, ``treatments``, ``practitioners`` and ``clinic``
    (:data:`wagtail_acupuncture.api.endpoints.ENDPOINTS`), then ``page_preview`` and
    ``treatment_preview`` (:data:`wagtail_acupuncture.api.preview.PREVIEW_ENDPOINTS`), in that
    order.

    A keyword argument named after one of them replaces it: an endpoint class (usually a
    subclass of the package's) is registered under that name instead, and ``None`` leaves the
    endpoint out::

        register_endpoints(router, pages=ClinicPagesAPIViewSet, clinic=None)

    A preview endpoint follows its live endpoint (``page_preview`` follows ``pages``,
    ``treatment_preview`` follows ``treatments``), since it delivers a draft in exactly the live
    detail shape and its ``detail_url`` points there: when the live endpoint is replaced, the
    package's preview endpoint is rebuilt on the replacement (unless the preview is given too),
    and when the live endpoint is left out, so is the preview. Giving a preview endpoint without
    its live endpoint raises ``ValueError``; an unknown name raises ``TypeError`` (register a
    site's further endpoints on the router itself).
    """
    defaults = {**ENDPOINTS, **PREVIEW_ENDPOINTS}
    unknown = sorted(set(overrides) - set(defaults))
    if unknown:
        raise TypeError(
            f"register_endpoints() got unknown endpoint names {', '.join(unknown)}; "
            f"expected some of {', '.join(defaults)}"
        )
    endpoints = {**defaults, **overrides}
    for preview_name, live_name in PREVIEW_OF.items():
        live = endpoints[live_name]
        if preview_name in overrides:
            if live is None and overrides[preview_name] is not None:
                raise ValueError(f"the {preview_name} endpoint needs the {live_name} endpoint")
        elif live is None:
            endpoints[preview_name] = None
        elif live_name in overrides:
            endpoints[preview_name] = preview_endpoint_on(
                live, defaults[preview_name], name=preview_name
            )
    for name, endpoint in endpoints.items():
        if endpoint is not None:
            router.register_endpoint(name, endpoint)
    return router


def preview_endpoint_on(live_endpoint, preview_endpoint, *, name):
    """``preview_endpoint`` (a preview endpoint class) rebuilt on a site's ``live_endpoint``.

    The preview keeps its own behaviour (tokens, private caching) and takes the live endpoint's
    fields and representation; ``name`` is the endpoint's name on the router. Returned unchanged
    when it already derives from ``live_endpoint``.
    """
    if issubclass(preview_endpoint, live_endpoint):
        return preview_endpoint
    return type(
        f"{live_endpoint.__name__}Preview",
        (PreviewEndpointMixin, live_endpoint),
        {
            "__module__": live_endpoint.__module__,
            "__doc__": f"``{name}/?token=``: a draft in the detail shape of "
            f"``{live_endpoint.__name__}``.",
            "name": name,
            "preview_model": preview_endpoint.preview_model,
        },
    )


__all__ = [
    "ClinicAPIViewSet",
    "PagePreviewAPIViewSet",
    "PagesAPIViewSet",
    "PractitionersAPIViewSet",
    "TreatmentPreviewAPIViewSet",
    "TreatmentsAPIViewSet",
    "preview_endpoint_on",
    "register_endpoints",
]
