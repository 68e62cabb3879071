"""Headless API: endpoint classes and a helper that registers them on a site's own router.

Mount it in a project's URLconf::

    from wagtail.api.v2.router import WagtailAPIRouter
    from wagtail_acupuncture.api import register_endpoints

    api_router = register_endpoints(WagtailAPIRouter("wagtailapi"))
    urlpatterns = [path("api/v2/", api_router.urls), ...]

The endpoint classes live in :mod:`wagtail_acupuncture.api.endpoints` (importable from here
too); sites can subclass them and register their own. ``manage.py acupuncture_api_schema``
writes the OpenAPI document and TypeScript types of the endpoints.
"""

#: Endpoint class names importable from this package (loaded lazily: models import ``fields``).
_ENDPOINT_CLASSES = (
    "ClinicAPIViewSet",
    "PagesAPIViewSet",
    "PractitionersAPIViewSet",
    "TreatmentsAPIViewSet",
)


def register_endpoints(router):
    """Register the package's endpoints on a site's own ``WagtailAPIRouter``.

    Registers ``pages``, ``treatments``, ``practitioners`` and ``clinic``
    (:data:`wagtail_acupuncture.api.endpoints.ENDPOINTS`) and returns the router.
    """
    from .endpoints import ENDPOINTS

    for name, endpoint in ENDPOINTS.items():
        router.register_endpoint(name, endpoint)
    return router


def __getattr__(name):
    if name in _ENDPOINT_CLASSES:
        from . import endpoints

        return getattr(endpoints, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["register_endpoints", *_ENDPOINT_CLASSES]
