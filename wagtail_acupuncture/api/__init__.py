"""Headless API: endpoint classes and a helper that registers them on a site's router."""


def register_endpoints(router):
    """Register the package's endpoints on a site's own ``WagtailAPIRouter``."""
    from wagtail.api.v2.views import PagesAPIViewSet
    from wagtail.images.api.v2.views import ImagesAPIViewSet

    router.register_endpoint("pages", PagesAPIViewSet)
    router.register_endpoint("images", ImagesAPIViewSet)
    return router
