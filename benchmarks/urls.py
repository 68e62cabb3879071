"""URLs of the benchmark: the package's API, stock Wagtail's API v2, the floor, pages."""

from django.http import JsonResponse
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from wagtail_acupuncture.api import register_endpoints

#: ``{key: payload}`` served by :func:`floor`; filled by the benchmark before measuring.
FLOOR_PAYLOADS = {}


def floor(request, key):
    """The floor: a plain ``JsonResponse`` of a payload computed beforehand."""
    return JsonResponse(FLOOR_PAYLOADS[key])


api_router = register_endpoints(WagtailAPIRouter("wagtailapi"))
stock_router = WagtailAPIRouter("stockapi")
stock_router.register_endpoint("pages", PagesAPIViewSet)

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("stock-api/v2/", stock_router.urls),
    path("floor/<str:key>/", floor),
    path("", include(wagtail_urls)),
]
