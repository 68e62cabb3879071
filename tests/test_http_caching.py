"""HTTP caching of the API (issue 8): validators, conditional GETs, public or private responses.

The validator clock (``Last-Modified`` of a changed body) is ``wagtail_acupuncture.api.caching``'s
``time``; :func:`caching_clock` moves it, so dates differ by whole seconds between requests.
"""

import hashlib
import re
import time
import types
from unittest import mock

import pytest
from django.urls import path
from django.utils.http import http_date, parse_http_date
from rest_framework.authentication import SessionAuthentication
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.models import Page

from tests.api_fixtures import API, build_back_pain_article
from tests.api_fixtures import urlpatterns as api_urlpatterns
from tests.factories import PractitionerFactory, TreatmentFactory, make_article
from wagtail_acupuncture.api import ClinicAPIViewSet, register_endpoints
from wagtail_acupuncture.api.caching import VALIDATOR_KEY_PREFIX


class SessionClinicAPIViewSet(ClinicAPIViewSet):
    """A site's subclass that authenticates with the session (so its answer may be personal)."""

    authentication_classes = [SessionAuthentication]


personal_router = WagtailAPIRouter("personalapi")
personal_router.register_endpoint("clinic", SessionClinicAPIViewSet)
urlpatterns = [path("personal/", personal_router.urls), *api_urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

PUBLIC = "public, max-age=60, stale-while-revalidate=300"
ETAG = re.compile(r'^"[0-9a-f]{64}"$')


@pytest.fixture
def caching_clock():
    """Set the validator clock: ``caching_clock(offset)`` is now plus ``offset`` seconds."""
    start = int(time.time())
    clock = types.SimpleNamespace(time=lambda: start)

    def move(offset):
        clock.time = lambda: start + offset

    with mock.patch("wagtail_acupuncture.api.caching.time", clock):
        yield move


@pytest.fixture
def content(index, clinic):
    """An article, a treatment and a practitioner; their API URLs by kind."""
    author = PractitionerFactory(name="Mei Lin")
    treatment = TreatmentFactory(name="Cupping", slug="cupping")
    page = make_article(index, title="Needles", author=author, treatments=[treatment])
    return {
        "page": page,
        "author": author,
        "treatment": treatment,
        "urls": {
            "detail": f"{API}/pages/{page.pk}/",
            "listing": f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=*",
            "treatments": f"{API}/treatments/",
            "treatment": f"{API}/treatments/{treatment.pk}/",
            "treatment slug": f"{API}/treatments/?slug=cupping",
            "practitioners": f"{API}/practitioners/",
            "practitioner": f"{API}/practitioners/{author.pk}/",
            "clinic": f"{API}/clinic/",
        },
    }


def validators(response):
    return {"If-None-Match": response["ETag"], "If-Modified-Since": response["Last-Modified"]}


def assert_public(response):
    assert response["Cache-Control"] == PUBLIC
    assert response["Vary"] == "Accept"
    assert not response.cookies


URL_NAMES = [
    "detail",
    "listing",
    "treatments",
    "treatment",
    "treatment slug",
    "practitioners",
    "practitioner",
    "clinic",
]


@pytest.mark.parametrize("name", URL_NAMES)
def test_strong_etag_and_last_modified_on_every_endpoint(client, content, name):
    response = client.get(content["urls"][name])
    assert response.status_code == 200
    assert ETAG.match(response["ETag"])
    assert response["ETag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert parse_http_date(response["Last-Modified"]) <= time.time() + 1
    assert_public(response)


@pytest.mark.parametrize("name", URL_NAMES)
def test_conditional_gets_answer_304(client, content, name):
    url = content["urls"][name]
    response = client.get(url)
    for headers in (
        {"If-None-Match": response["ETag"]},
        {"If-None-Match": f'"other", {response["ETag"]}'},
        {"If-None-Match": "W/" + response["ETag"]},
        {"If-Modified-Since": response["Last-Modified"]},
        validators(response),
    ):
        not_modified = client.get(url, headers=headers)
        assert not_modified.status_code == 304, headers
        assert not_modified.content == b""
        assert not_modified["ETag"] == response["ETag"]
        assert not_modified["Last-Modified"] == response["Last-Modified"]
        assert_public(not_modified)
    assert client.head(url, headers={"If-None-Match": response["ETag"]}).status_code == 304
    head = client.head(url)
    assert (head.status_code, head["ETag"]) == (200, response["ETag"])


def test_validators_that_do_not_match_get_the_body(client, content, caching_clock):
    url = content["urls"]["detail"]
    response = client.get(url)
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    earlier = http_date(parse_http_date(response["Last-Modified"]) - 1)
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200
    # If-None-Match takes precedence over a matching If-Modified-Since
    headers = {"If-None-Match": '"other"', "If-Modified-Since": response["Last-Modified"]}
    assert client.get(url, headers=headers).status_code == 200


def test_new_etag_and_last_modified_after_an_edit_and_publish(client, content, caching_clock):
    page = content["page"]
    urls = [content["urls"]["detail"], content["urls"]["listing"]]
    before = {url: client.get(url) for url in urls}
    caching_clock(5)
    for url in urls:
        assert client.get(url, headers=validators(before[url])).status_code == 304

    caching_clock(10)
    draft = Page.objects.get(pk=page.pk).specific
    draft.title = "Fine needles"
    draft.save_revision().publish()
    caching_clock(20)
    for url in urls:
        after = client.get(url, headers=validators(before[url]))
        assert after.status_code == 200
        assert "Fine needles" in after.content.decode()
        assert after["ETag"] != before[url]["ETag"]
        assert parse_http_date(after["Last-Modified"]) > parse_http_date(
            before[url]["Last-Modified"]
        )
        # If-Modified-Since alone cannot fetch the outdated copy either
        stale_date = {"If-Modified-Since": before[url]["Last-Modified"]}
        assert client.get(url, headers=stale_date).status_code == 200
        assert client.get(url, headers=validators(after)).status_code == 304


def test_last_modified_is_not_before_the_objects_publication(client, content):
    page = Page.objects.get(pk=content["page"].pk)
    response = client.get(content["urls"]["detail"])
    assert parse_http_date(response["Last-Modified"]) >= int(page.last_published_at.timestamp())


@pytest.mark.parametrize(
    "change",
    ["practitioner", "clinic settings", "treatment unpublished"],
)
def test_changes_without_a_date_of_their_own_move_both_validators(
    client, content, clinic, caching_clock, change
):
    url = content["urls"]["clinic" if change == "clinic settings" else "detail"]
    before = client.get(url)
    caching_clock(30)
    if change == "practitioner":
        content["author"].name = "Mei Lin-Park"
        content["author"].save()
    elif change == "clinic settings":
        clinic.phone = "+1-503-555-0199"
        clinic.save()
    else:
        content["treatment"].unpublish()
    after = client.get(url, headers={"If-Modified-Since": before["Last-Modified"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert parse_http_date(after["Last-Modified"]) == parse_http_date(before["Last-Modified"]) + 30


def test_a_body_back_to_an_earlier_state_gets_a_new_date(client, content, caching_clock):
    url = content["urls"]["detail"]
    first = client.get(url)
    caching_clock(10)
    content["treatment"].unpublish()
    second = client.get(url)
    caching_clock(20)
    content["treatment"].save_revision().publish()
    third = client.get(url, headers={"If-Modified-Since": second["Last-Modified"]})
    assert third.status_code == 200
    assert third["ETag"] == first["ETag"]
    assert parse_http_date(third["Last-Modified"]) > parse_http_date(second["Last-Modified"])


def test_validator_records_live_in_the_configured_cache(client, content, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "validators": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "acupuncture-validators",
        },
    }
    settings.WAGTAIL_ACUPUNCTURE = {"API_VALIDATOR_CACHE": "validators"}
    from django.core.cache import caches

    client.get(content["urls"]["clinic"])
    keys = [key for key in caches["validators"]._cache if VALIDATOR_KEY_PREFIX in key]
    assert len(keys) == 1


def test_an_unavailable_validator_cache_does_not_fail_the_response(client, content):
    url = content["urls"]["detail"]
    with mock.patch("wagtail_acupuncture.api.caching.caches") as caches:
        caches.__getitem__.side_effect = ConnectionError("cache down")
        response = client.get(url)
    assert response.status_code == 200
    assert ETAG.match(response["ETag"])
    assert abs(parse_http_date(response["Last-Modified"]) - time.time()) < 5


# ------------------------------------------------------------------ no session, no cookies


@pytest.mark.parametrize("name", URL_NAMES)
def test_public_responses_do_not_vary_on_cookies_or_set_them(client, content, name, admin_user):
    url = content["urls"][name]
    anonymous = client.get(url)
    assert_public(anonymous)
    client.force_login(admin_user)  # an editor's session cookie: still the same public answer
    logged_in = client.get(url)
    assert_public(logged_in)
    assert logged_in.content == anonymous.content
    assert logged_in["ETag"] == anonymous["ETag"]
    assert "Set-Cookie" not in logged_in.serialize_headers().decode()


def test_error_responses_do_not_vary_on_cookies(client, content):
    for url in (f"{API}/pages/987654/", f"{API}/treatments/?slug=nothing", f"{API}/pages/?x=1"):
        response = client.get(url)
        assert response.status_code in (400, 404)
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies
        assert not response.has_header("ETag")


def test_the_session_is_never_read(client, content, admin_user):
    client.force_login(admin_user)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=AssertionError("the session was read"),
    ):
        for url in content["urls"].values():
            assert client.get(url).status_code == 200


def test_browsable_api_is_private(client, content):
    response = client.get(content["urls"]["detail"], headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")


def test_personalised_responses_are_private(client, clinic, admin_user):
    url = "/personal/clinic/"
    anonymous = client.get(url)  # the session was read to find no user: personal all the same
    assert anonymous["Cache-Control"] == "private, no-store"
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")
    assert not response.has_header("Last-Modified")


def test_cache_control_is_configurable(client, content, settings):
    settings.WAGTAIL_ACUPUNCTURE = {"API_CACHE_CONTROL": "public, max-age=600, s-maxage=3600"}
    response = client.get(content["urls"]["detail"])
    assert response["Cache-Control"] == "public, max-age=600, s-maxage=3600"
    assert response.has_header("ETag")


def test_rich_article_validators(client, index, clinic):
    """The seed article: every block type, related treatments and articles, structured data."""
    page = build_back_pain_article(index)["page"]
    url = f"{API}/pages/{page.pk}/"
    response = client.get(url)
    assert client.get(url, headers=validators(response)).status_code == 304
    find = client.get(f"{API}/pages/find/?html_path=/blog/acupuncture-for-back-pain/")
    assert find.status_code == 302
    assert not find.has_header("ETag")
    router = register_endpoints(WagtailAPIRouter("x"))
    assert all(endpoint.authentication_classes == () for endpoint in router._endpoints.values())
