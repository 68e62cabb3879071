"""URLconf of the browser tests: the test project's URLs plus the package's API and media.

The API is mounted at ``/api/v2/`` as the README tells sites to do. Uploaded media are served
from the ``MEDIA_ROOT`` of the moment (the test suite gives each test its own folder), so the
browser loads images as it would on a site.
"""

from django.conf import settings
from django.urls import path, re_path
from django.views.static import serve
from wagtail.api.v2.router import WagtailAPIRouter

from tests.urls import urlpatterns as test_urlpatterns
from wagtail_acupuncture.api import register_endpoints

api_router = register_endpoints(WagtailAPIRouter("wagtailapi"))


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("api/v2/", api_router.urls),
    re_path(r"^media/(?P<path>.*)$", media),
    *test_urlpatterns,
]
