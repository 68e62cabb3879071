"""Headless preview (issue 8): signed expiring tokens, the preview endpoints, the editor's flow.

The URLconf mounts the admin and the API (``@pytest.mark.urls(__name__)``). Token ages are
moved by patching the clock of ``django.core.signing`` only (:func:`signing_clock`).
"""

import io
import json
import re
import time
import types
from contextlib import contextmanager
from unittest import mock
from urllib.parse import parse_qsl, urlsplit
from urllib.request import urlopen

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import include, path, reverse
from django.utils import timezone
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from tests.api_fixtures import API, build_back_pain_article, heading, make_image, paragraph
from tests.factories import TreatmentFactory, make_article
from wagtail_acupuncture.api import register_endpoints
from wagtail_acupuncture.conf import DEFAULTS
from wagtail_acupuncture.models import ArticlePage, HeadlessPreview, Treatment
from wagtail_acupuncture.preview import (
    TOKEN_SALT,
    ExpiredPreviewToken,
    InvalidPreviewToken,
    MissingPreviewToken,
    add_query,
    create_preview,
    make_token,
    read_token,
)

api_router = register_endpoints(WagtailAPIRouter("wagtailapi"))
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v2/", api_router.urls),
    path("", include(wagtail_urls)),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

FRONTEND = "https://frontend.example.com/preview/"
PAGE_PREVIEW = f"{API}/page_preview/"
TREATMENT_PREVIEW = f"{API}/treatment_preview/"


@pytest.fixture
def headless(settings):
    settings.WAGTAIL_ACUPUNCTURE = {"HEADLESS_PREVIEW_URL": FRONTEND}


@contextmanager
def signing_clock(offset):
    """``django.core.signing`` sees the time ``offset`` seconds from now."""
    now = time.time()
    with mock.patch("django.core.signing.time", types.SimpleNamespace(time=lambda: now + offset)):
        yield


def preview_location(obj, mode=""):
    """Where Wagtail's preview of ``obj`` (as an editor sees it) redirects."""
    response = obj.make_preview_request(None, mode)
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def token_of(location):
    return dict(parse_qsl(urlsplit(location).query))["token"]


def preview_token(obj, mode=""):
    return token_of(preview_location(obj, mode))


def get_preview(client, token, endpoint=PAGE_PREVIEW, **params):
    return client.get(endpoint, {"token": token, **params})


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message"}
    assert response.json()["message"]
    assert response["Cache-Control"] == "private, no-store"
    if status == 401:
        assert response["WWW-Authenticate"] == 'PreviewToken realm="preview"'


# ---------------------------------------------------------------------------------- tokens


def test_token_lifetime_defaults_to_ten_minutes():
    assert DEFAULTS["HEADLESS_PREVIEW_TOKEN_MAX_AGE"] == 600
    token = make_token("abc")
    with signing_clock(599):
        assert read_token(token) == "abc"
    with signing_clock(601), pytest.raises(ExpiredPreviewToken):
        read_token(token)


def test_token_lifetime_is_configurable(settings):
    settings.WAGTAIL_ACUPUNCTURE = {"HEADLESS_PREVIEW_TOKEN_MAX_AGE": 60}
    token = make_token("abc")
    with signing_clock(59):
        assert read_token(token) == "abc"
    with signing_clock(61), pytest.raises(ExpiredPreviewToken):
        read_token(token)


def tampered_tokens():
    token = make_token("abc")
    key, timestamp, signature = token.split(":")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    later = signing.b62_encode(signing.b62_decode(timestamp) + 3600)
    return {
        "signature": f"{key}:{timestamp}:{flipped}",
        "key": f"abd:{timestamp}:{signature}",
        "timestamp": f"{key}:{later}:{signature}",
        "other salt": signing.TimestampSigner(salt="other").sign("abc"),
        "other secret": signing.TimestampSigner(key="not-the-secret", salt=TOKEN_SALT).sign("abc"),
        "unsigned": "abc",
        "separators": ":::",
        "too long": "a" * 5000,
        "null": "abc\x00",
    }


@pytest.mark.parametrize("name", list(tampered_tokens()))
def test_tampered_tokens_are_refused(name):
    with pytest.raises(InvalidPreviewToken):
        read_token(tampered_tokens()[name])


def test_missing_token():
    with pytest.raises(MissingPreviewToken):
        read_token("")


# -------------------------------------------------------------------- editor's preview flow


def test_preview_is_wagtails_own_until_a_frontend_is_configured(index):
    page = make_article(index, title="Plain preview")
    response = page.make_preview_request(None, "")
    assert response.status_code == 200
    assert "Plain preview" in response.content.decode()
    treatment = TreatmentFactory(name="Cupping")
    assert treatment.make_preview_request(None, "").status_code == 200
    assert not HeadlessPreview.objects.exists()
    assert page.preview_modes == [("", "Default")]


def test_preview_of_an_article_redirects_to_the_frontend_with_a_token(headless, index):
    page = make_article(index)
    location = preview_location(page)
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == FRONTEND
    params = dict(parse_qsl(parts.query))
    assert set(params) == {"content_type", "token"}
    assert params["content_type"] == "wagtail_acupuncture.articlepage"
    preview = HeadlessPreview.objects.get()
    assert read_token(params["token"]) == preview.key
    assert preview.object_id == str(page.pk)
    lifetime = preview.expires_at - preview.created_at
    assert lifetime.total_seconds() == 600


def test_preview_of_a_treatment_redirects_to_the_frontend(headless):
    treatment = TreatmentFactory(name="Cupping")
    params = dict(parse_qsl(urlsplit(preview_location(treatment)).query))
    assert params["content_type"] == "wagtail_acupuncture.treatment"


def test_frontend_url_forms(settings, index, site):
    page = make_article(index)
    settings.WAGTAIL_ACUPUNCTURE = {"HEADLESS_PREVIEW_URL": "{SITE_ROOT_URL}/preview/"}
    assert preview_location(page).startswith(f"{site.root_url}/preview/?content_type=")
    settings.WAGTAIL_ACUPUNCTURE = {"HEADLESS_PREVIEW_URL": "/frontend-preview/"}
    assert preview_location(page).startswith("/frontend-preview/?content_type=")
    settings.WAGTAIL_ACUPUNCTURE = {
        "HEADLESS_PREVIEW_URL": {
            "other.example.com": "https://other.example.com/",
            "default": "https://default.example.com/p",
        }
    }
    assert preview_location(page).startswith("https://default.example.com/p?content_type=")
    settings.WAGTAIL_ACUPUNCTURE = {
        "HEADLESS_PREVIEW_URL": {site.hostname: "https://mine.example.com/p?site=clinic"}
    }
    location = preview_location(page)
    assert location.startswith("https://mine.example.com/p?site=clinic&content_type=")
    assert add_query("/p?a=1&b=", token="x y") == "/p?a=1&b=&token=x+y"


def test_a_preview_mode_keeps_wagtails_preview_as_the_default(settings, index):
    settings.WAGTAIL_ACUPUNCTURE = {
        "HEADLESS_PREVIEW_URL": FRONTEND,
        "HEADLESS_PREVIEW_MODE": "frontend",
    }
    page = make_article(index, title="Two modes")
    assert page.preview_modes == [("", "Default"), ("frontend", "Frontend")]
    assert page.default_preview_mode == ""
    response = page.make_preview_request(None, "")
    assert response.status_code == 200
    assert "Two modes" in response.content.decode()
    assert preview_location(page, "frontend").startswith(FRONTEND)
    treatment = TreatmentFactory()
    assert [mode for mode, _label in treatment.preview_modes] == ["", "frontend"]
    settings.WAGTAIL_ACUPUNCTURE = {"HEADLESS_PREVIEW_MODE": "frontend"}
    assert page.preview_modes == [("", "Default")]


# -------------------------------------------------------------------------- preview endpoint


def test_preview_json_equals_live_json_for_a_published_page(headless, client, index, clinic):
    page = build_back_pain_article(index)["page"]
    live = client.get(f"{API}/pages/{page.pk}/")
    assert live.status_code == 200
    draft = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
    token = preview_token(draft)
    preview = get_preview(client, token)
    assert preview.status_code == 200
    assert preview.content == live.content
    fields = "title,body,related_treatments,structured_data"
    assert (
        get_preview(client, token, fields=fields).content
        == client.get(f"{API}/pages/{page.pk}/?fields={fields}").content
    )


def test_preview_json_equals_live_json_for_a_published_treatment(headless, client, index):
    page = make_article(index)
    treatment = TreatmentFactory(name="Cupping", page=page, image=make_image("Cups"))
    live = client.get(f"{API}/treatments/{treatment.pk}/")
    token = preview_token(Treatment.objects.get(pk=treatment.pk))
    preview = get_preview(client, token, TREATMENT_PREVIEW)
    assert preview.status_code == 200
    assert preview.content == live.content


def test_preview_shows_the_unpublished_draft(headless, client, index):
    old, new = TreatmentFactory(name="Old treatment"), TreatmentFactory(name="New treatment")
    page = make_article(
        index,
        title="Published title",
        intro="Published intro.",
        body=[paragraph("p1", "<p>Published text.</p>")],
        treatments=[old],
    )
    draft = ArticlePage.objects.get(pk=page.pk)
    draft.title = "Draft title"
    draft.intro = "Draft intro."
    draft.body = [
        heading("h1", "Draft heading"),
        paragraph("p1", "<p>Draft text.</p>"),
    ]
    draft.related_treatments = [draft.related_treatments.model(treatment=new)]
    draft.save_revision()

    token = preview_token(Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object())
    data = get_preview(client, token).json()
    assert data["id"] == page.pk
    assert data["title"] == "Draft title"
    assert data["intro"] == "Draft intro."
    assert [block["type"] for block in data["body"]] == ["heading", "paragraph"]
    assert data["body"][0]["value"]["text"] == "Draft heading"
    assert [t["name"] for t in data["related_treatments"]] == ["New treatment"]
    assert data["table_of_contents"][0]["text"] == "Draft heading"
    assert "Draft title" in json.dumps(data["structured_data"])

    live = client.get(f"{API}/pages/{page.pk}/").json()
    assert live["title"] == "Published title"
    assert [t["name"] for t in live["related_treatments"]] == ["Old treatment"]
    assert set(live) == set(data)
    assert set(live["meta"]) == set(data["meta"])


def test_preview_of_a_draft_treatment(headless, client):
    treatment = TreatmentFactory(name="Cupping", live=False)
    treatment.name = "Fire cupping"
    token = preview_token(treatment)
    data = get_preview(client, token, TREATMENT_PREVIEW).json()
    assert data["name"] == "Fire cupping"
    assert data["meta"]["type"] == "wagtail_acupuncture.Treatment"
    assert set(data) == {"id", "meta", "name", "slug", "summary", "url", "image", "booking"}
    assert client.get(f"{API}/treatments/{treatment.pk}/").status_code == 404


def test_preview_of_a_page_not_saved_yet(headless, client, index):
    page = ArticlePage(title="Brand new", slug="brand-new", intro="Fresh.")
    page.depth = index.depth + 1
    page.path = page._get_path(index.path, page.depth, index.numchild + 1)
    page.set_url_path(index)
    data = get_preview(client, preview_token(page)).json()
    assert data["id"] is None
    assert data["meta"]["detail_url"] is None
    assert data["title"] == "Brand new"
    assert data["meta"]["parent"]["id"] == index.pk
    assert data["meta"]["html_url"] == "http://localhost/blog/brand-new/"
    assert HeadlessPreview.objects.get().object_id == ""
    live = client.get(f"{API}/pages/{make_article(index).pk}/").json()
    assert (set(data), set(data["meta"])) == (set(live), set(live["meta"]))


def test_preview_of_a_treatment_not_saved_yet(headless, client):
    treatment = Treatment(name="Moxibustion", slug="moxibustion", url="https://example.com/moxa")
    data = get_preview(client, preview_token(treatment), TREATMENT_PREVIEW).json()
    assert data["id"] is None
    assert data["meta"]["detail_url"] is None
    assert data["url"] == "https://example.com/moxa"


def test_preview_responses_are_private(headless, client, index):
    token = preview_token(make_article(index))
    response = get_preview(client, token)
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")
    assert not response.has_header("Last-Modified")
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


# ------------------------------------------------------------------------ refused tokens


def test_missing_token_is_401(client, db):
    assert_json_error(client.get(PAGE_PREVIEW), 401)
    assert_json_error(client.get(PAGE_PREVIEW, {"token": ""}), 401)
    assert_json_error(client.get(TREATMENT_PREVIEW), 401)


@pytest.mark.parametrize("name", list(tampered_tokens()))
def test_tampered_tokens_are_403(client, db, name):
    assert_json_error(get_preview(client, tampered_tokens()[name]), 403)
    assert_json_error(get_preview(client, tampered_tokens()[name], TREATMENT_PREVIEW), 403)


def test_a_tampered_real_token_is_403(headless, client, index):
    token = preview_token(make_article(index))
    key, timestamp, signature = token.split(":")
    tampered = key[:-1] + ("y" if key.endswith("x") else "x")
    assert_json_error(get_preview(client, f"{tampered}:{timestamp}:{signature}"), 403)
    assert_json_error(get_preview(client, f"{key}:{timestamp}:{signature[:-2]}"), 403)
    assert get_preview(client, token).status_code == 200


def test_expired_token_is_401(headless, client, index):
    token = preview_token(make_article(index))
    with signing_clock(601):
        assert_json_error(get_preview(client, token), 401)


def test_reused_after_expiry_is_401(headless, client, index):
    token = preview_token(make_article(index))
    assert get_preview(client, token).status_code == 200
    with signing_clock(300):
        assert get_preview(client, token).status_code == 200
    with signing_clock(601):
        assert_json_error(get_preview(client, token), 401)
    # the next preview deletes the expired row; its token stays refused
    HeadlessPreview.objects.update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    preview_token(make_article(index))
    assert HeadlessPreview.objects.count() == 1
    with signing_clock(601):
        assert_json_error(get_preview(client, token), 401)


def test_expired_row_is_401_even_with_a_longer_lifetime_setting(headless, client, index):
    token = preview_token(make_article(index))
    HeadlessPreview.objects.update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert_json_error(get_preview(client, token), 401)


def test_cleared_preview_is_403(headless, client, index):
    token = preview_token(make_article(index))
    call_command("acupuncture_clear_previews", "--all", stdout=io.StringIO())
    assert_json_error(get_preview(client, token), 403)


def test_tokens_are_for_their_endpoint(headless, client, index):
    page_token = preview_token(make_article(index))
    treatment_token = preview_token(TreatmentFactory())
    assert_json_error(get_preview(client, page_token, TREATMENT_PREVIEW), 403)
    assert_json_error(get_preview(client, treatment_token, PAGE_PREVIEW), 403)
    assert get_preview(client, page_token).status_code == 200
    assert get_preview(client, treatment_token, TREATMENT_PREVIEW).status_code == 200


def test_bad_parameters_are_400(headless, client, index):
    token = preview_token(make_article(index))
    response = get_preview(client, token, id="1")
    assert response.status_code == 400
    assert "id" in response.json()["message"]
    assert get_preview(client, token, rich_text_format="db_html").status_code == 400
    assert get_preview(client, token, fields="title(x)").status_code == 400
    assert get_preview(client, token, content_type="x.y", format="json").status_code == 200


# ---------------------------------------------------------------------- garbage collection


def test_each_new_preview_deletes_expired_ones(headless, index):
    page = make_article(index)
    preview_token(page)
    preview_token(page)
    HeadlessPreview.objects.filter(pk=HeadlessPreview.objects.order_by("pk").first().pk).update(
        expires_at=timezone.now() - timezone.timedelta(seconds=1)
    )
    preview_token(page)
    assert HeadlessPreview.objects.count() == 2
    assert not HeadlessPreview.objects.expired().exists()


def test_clear_previews_command(headless, index):
    page = make_article(index)
    for _ in range(3):
        create_preview(page)
    HeadlessPreview.objects.filter(
        pk__in=list(HeadlessPreview.objects.order_by("pk").values_list("pk", flat=True)[:2])
    ).update(expires_at=timezone.now())
    out = io.StringIO()
    call_command("acupuncture_clear_previews", stdout=out)
    assert out.getvalue().strip() == "Deleted 2 headless preview(s)."
    assert HeadlessPreview.objects.count() == 1
    call_command("acupuncture_clear_previews", "--all", stdout=out)
    assert not HeadlessPreview.objects.exists()


# ------------------------------------------------------------------------- through the admin


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


def test_admin_preview_of_unsaved_article_changes(headless, editor, index, settings):
    treatment = TreatmentFactory(name="Cupping")
    page = make_article(index, title="Saved title", intro="Saved intro.")
    data = nested_form_data(
        {
            "title": "Unsaved title",
            "slug": page.slug,
            "intro": "Unsaved intro.",
            "body": streamfield(
                [("heading", {"text": "Unsaved heading", "level": "h2", "anchor": ""})]
            ),
            "related_treatments": inline_formset([{"treatment": treatment.pk}]),
            "comments": inline_formset([]),
        }
    )
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    response = editor.post(url, data)
    assert response.json()["is_valid"] is True, response.json()
    response = editor.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(FRONTEND)

    editor.logout()  # the frontend fetches the draft without any session
    preview = get_preview(editor, token_of(response["Location"])).json()
    assert preview["title"] == "Unsaved title"
    assert preview["intro"] == "Unsaved intro."
    assert preview["body"][0]["value"]["text"] == "Unsaved heading"
    assert [t["name"] for t in preview["related_treatments"]] == ["Cupping"]
    assert Page.objects.get(pk=page.pk).title == "Saved title"


def test_admin_view_draft_opens_the_frontend(headless, editor, index):
    page = make_article(index)
    response = editor.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(FRONTEND)


def test_admin_preview_of_unsaved_treatment_changes(headless, editor):
    treatment = TreatmentFactory(name="Cupping", slug="cupping")
    url = reverse(
        "wagtailsnippets_wagtail_acupuncture_treatment:preview_on_edit", args=[treatment.pk]
    )
    response = editor.post(
        url,
        {
            "name": "Fire cupping", "slug": "cupping", "summary": "Warm.", "url": "", "page": "",
            "booking_target-count": "0",
        },
    )
    assert response.json()["is_valid"] is True, response.json()
    response = editor.get(url)
    assert response.status_code == 302
    params = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert params["content_type"] == "wagtail_acupuncture.treatment"
    editor.logout()
    preview = get_preview(editor, params["token"], TREATMENT_PREVIEW).json()
    assert (preview["name"], preview["summary"]) == ("Fire cupping", "Warm.")
    assert Treatment.objects.get(pk=treatment.pk).name == "Cupping"


# ------------------------------------------------------------ the example project's frontend


@pytest.fixture
def example_frontend(settings):
    settings.ROOT_URLCONF = "example_project.urls"
    settings.WAGTAIL_ACUPUNCTURE = {
        "HEADLESS_PREVIEW_URL": "/frontend-preview/",
        "HEADLESS_PREVIEW_MODE": "frontend",
    }


@pytest.fixture
def api_through_client(client, monkeypatch):
    """The demo frontend's HTTP fetch, answered by the test client; the URLs it fetched."""
    fetched = []

    def fetch_json(url):
        fetched.append(url)
        response = client.get(url)
        return response.status_code, response.json()

    monkeypatch.setattr("clinic.views.fetch_json", fetch_json)
    return fetched


def test_example_frontend_renders_the_article_preview(
    example_frontend, api_through_client, client, index, clinic
):
    page = build_back_pain_article(index)["page"]
    location = preview_location(page, "frontend")
    assert location.startswith("/frontend-preview/?content_type=wagtail_acupuncture.articlepage&")
    response = client.get(location)
    assert response.status_code == 200
    assert api_through_client == [
        f"http://testserver/api/v2/page_preview/?token={token_of(location).replace(':', '%3A')}"
    ]
    data = client.get(api_through_client[0]).json()
    html = response.content.decode()
    assert f"<h1>{data['title']}</h1>" in html
    assert re.findall(r'data-block-type="([a-z_]+)"', html) == [b["type"] for b in data["body"]]
    for block in data["body"]:
        if block["type"] == "heading":
            assert f'id="{block["value"]["anchor"]}"' in html
        if block["type"] == "faq":
            for item in block["value"]["items"]:
                assert item["answer"] in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # Wagtail's own preview is still the default mode
    default = page.make_preview_request(None, "")
    assert default.status_code == 200
    assert 'class="acu-faq' in default.content.decode()


def test_example_frontend_renders_a_treatment_and_refusals(
    example_frontend, api_through_client, client
):
    treatment = TreatmentFactory(name="Cupping", summary="Warm cups.")
    location = preview_location(treatment, "frontend")
    response = client.get(location)
    assert response.status_code == 200
    assert "/api/v2/treatment_preview/?token=" in api_through_client[0]
    assert "<h1>Cupping</h1>" in response.content.decode()
    with signing_clock(601):
        expired = client.get(location)
    assert expired.status_code == 401
    assert "has expired" in expired.content.decode()
    assert client.get("/frontend-preview/?token=nope").status_code == 403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_example_frontend_fetches_the_api_over_http(example_frontend, live_server):
    """The real fetch: the frontend page asks the API over HTTP, on the same live server."""
    from wagtail.models import Site

    from tests.factories import make_index

    index = make_index(Site.objects.get(is_default_site=True).root_page)
    page = make_article(index, title="Over HTTP", body=[heading("h1", "A heading")])
    location = preview_location(page, "frontend")
    with urlopen(live_server.url + location, timeout=20) as response:  # noqa: S310
        html = response.read().decode()
    assert "<h1>Over HTTP</h1>" in html
    assert 'data-block-type="heading"' in html
