"""A minimal headless frontend for the demo: the page an editor's "Frontend" preview opens.

It does what a real frontend (Next.js, Nuxt, ...) does with the preview link: read ``token`` and
``content_type`` from the query string, fetch the draft from the API's ``page_preview`` (or
``treatment_preview``) endpoint over HTTP, and render the JSON. It renders nothing from the
database itself. Served by the same Django process as the API, it needs a server that handles
two requests at once (``runserver`` does); it is a demonstration, not production code.
"""

import json
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin

#: Preview endpoint of each content type (``content_type`` query parameter); pages otherwise.
PREVIEW_ENDPOINTS = {"wagtail_acupuncture.treatment": "treatment_preview"}
PAGE_PREVIEW_ENDPOINT = "page_preview"

#: Seconds to wait for the API.
API_TIMEOUT = 10


def fetch_json(url):
    """``(status, data)`` of a GET of the JSON at ``url``."""
    request = Request(url, headers={"Accept": "application/json"})  # noqa: S310 - http(s) only
    try:
        with urlopen(request, timeout=API_TIMEOUT) as response:  # noqa: S310
            return response.status, json.load(response)
    except HTTPError as error:
        try:
            return error.code, json.load(error)
        except ValueError:
            return error.code, {"message": error.reason}
    except (URLError, TimeoutError, ValueError) as error:
        return 502, {"message": f"The API could not be reached: {error}"}


def preview_api_url(request, content_type, token):
    """Absolute URL of the preview endpoint for ``content_type``, on the request's host."""
    endpoint = PREVIEW_ENDPOINTS.get(content_type, PAGE_PREVIEW_ENDPOINT)
    path = reverse(f"wagtailapi:{endpoint}:preview")
    return request.build_absolute_uri(path) + "?" + urlencode({"token": token})


@xframe_options_sameorigin  # shown in the admin's preview panel, on the same host here
def frontend_preview(request):
    """Render the draft of ``?token=`` as the frontend would."""
    token = request.GET.get("token", "")
    content_type = request.GET.get("content_type", "")
    status, data = fetch_json(preview_api_url(request, content_type, token))
    context = {
        "ok": status == 200,
        "status": status,
        "data": data,
        "is_treatment": content_type in PREVIEW_ENDPOINTS,
        "raw_json": json.dumps(data, indent=2, ensure_ascii=False),
    }
    response = render(
        request, "clinic/frontend_preview.html", context, status=200 if status == 200 else status
    )
    # The URL holds the token: keep it out of caches, search engines and Referer headers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
