"""Preview endpoints: an editor's draft, in exactly the live API's detail shape.

``GET <api>/page_preview/?token=<token>``
    The page previewed with that token (see :mod:`wagtail_acupuncture.preview`), as
    ``pages/<id>/`` would deliver it once published: the pages endpoint's own serializers,
    fields (``?fields=`` included) and block representation, with the draft's unsaved changes.
``GET <api>/treatment_preview/?token=<token>``
    Likewise for a treatment, in the shape of ``treatments/<id>/``.

An object previewed before its first save has ``"id": null`` and ``"detail_url": null``.
A missing or expired token is a 401, a tampered, unknown or other kind's token a 403, both with
``{"message": ...}``. Every response is ``Cache-Control: private, no-store``.
"""

from django.urls import path
from rest_framework.response import Response
from wagtail.api.v2.utils import BadRequestError
from wagtail.models import Page

from ..models import Treatment
from ..preview import PreviewTokenError, get_preview
from .caching import PRIVATE_CACHE_CONTROL
from .endpoints import PagesAPIViewSet, TreatmentsAPIViewSet

#: ``WWW-Authenticate`` challenge of the 401 answers.
AUTHENTICATE_CHALLENGE = 'PreviewToken realm="preview"'


class PreviewEndpointMixin:
    """Serve the object of a preview token through the detail view of the live endpoint."""

    #: The kind of object previewed here; other tokens are refused.
    preview_model = None
    known_query_parameters = frozenset(
        ["token", "content_type", "fields", "rich_text_format", "format", "_"]
    )
    public_responses = False

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "preview_view"}), name="preview")]

    def preview_view(self, request):
        """The draft of ``?token=``, as the live endpoint's detail view delivers objects."""
        unknown = set(request.GET) - set(self.known_query_parameters)
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised field: "
                + ", ".join(sorted(unknown))
            )
        preview = get_preview(request.GET.get("token", ""), model=self.preview_model)
        obj = preview.as_object()
        unsaved = obj.pk is None
        if unsaved:
            obj.pk = 0  # detail_url needs an id; both are reported as null below
        self.preview_object = obj
        response = self.detail_view(request, obj.pk)
        if unsaved:
            response.data["id"] = None
            response.data["meta"]["detail_url"] = None
        return response

    def get_object(self):
        return self.preview_object

    def handle_exception(self, exc):
        if isinstance(exc, PreviewTokenError):
            response = Response({"message": exc.message}, status=exc.status_code)
            if exc.status_code == 401:
                response["WWW-Authenticate"] = AUTHENTICATE_CHALLENGE
            return response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response


class PagePreviewAPIViewSet(PreviewEndpointMixin, PagesAPIViewSet):
    """``page_preview/?token=``: a page's draft in the shape of ``pages/<id>/``."""

    name = "page_preview"
    preview_model = Page


class TreatmentPreviewAPIViewSet(PreviewEndpointMixin, TreatmentsAPIViewSet):
    """``treatment_preview/?token=``: a treatment's draft in the shape of ``treatments/<id>/``."""

    name = "treatment_preview"
    preview_model = Treatment


#: The preview endpoints, by name; registered after :data:`.endpoints.ENDPOINTS` (the detail
#: URLs in their output point to ``pages/`` and ``treatments/``).
PREVIEW_ENDPOINTS = {
    "page_preview": PagePreviewAPIViewSet,
    "treatment_preview": TreatmentPreviewAPIViewSet,
}
