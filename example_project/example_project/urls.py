"""URLs of the example project: admin, documents, the package's API, sitemap, the demo
frontend's preview page and pages."""

from clinic.views import frontend_preview
from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from wagtail_acupuncture.api import register_endpoints

api_router = WagtailAPIRouter("wagtailapi")
register_endpoints(api_router)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap),
    # The demo's headless frontend: where the "Frontend" preview mode leads (HEADLESS_PREVIEW_URL).
    path("frontend-preview/", frontend_preview, name="frontend_preview"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Uploaded images and documents; static files are served by runserver (staticfiles app).
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving last: it matches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
