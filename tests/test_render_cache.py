"""The render cache: API responses and article pages answered from the cache, never stale.

Each test changes content the way an editor or a site's code does and checks that the very next
response shows it, through the API and the HTML page, and that writes which change nothing a
visitor sees leave the cache alone. The query counts of the cached answers are asserted at two
sizes, as the cold renders' are in ``test_api_queries.py`` and ``test_queries_html.py``.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from benchmarks.subjects import Pool, build_synthetic_article
from tests.api_fixtures import API, make_image, make_private, notice, paragraph
from tests.factories import TreatmentFactory, add_page, make_article
from wagtail_acupuncture.delivery import render_cache
from wagtail_acupuncture.content import moments
from wagtail_acupuncture.models import ArticlePage, ContentChange

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]

SIZES = ("faq", "treatments", "images", "links")


def queries_of(client, url, **extra):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **extra)
    return len(context.captured_queries), response


def detail(page):
    return f"{API}/pages/{page.pk}/"


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()


@pytest.fixture
def article(index, clinic):
    return make_article(index, title="Acupuncture for Back Pain", slug="back-pain")


# --------------------------------------------------------------------------- answers


def test_api_detail_is_answered_from_the_cache_with_identical_headers(client, article):
    first = client.get(detail(article))
    count, second = queries_of(client, detail(article))
    assert count == 1  # the content generation
    assert second.content == first.content
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert second.get(header) == first.get(header), header
    assert client.get(detail(article), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_html_page_is_answered_from_the_cache_with_identical_headers(client, article):
    first = client.get(article.url)
    count, second = queries_of(client, article.url)
    cold = render_cache_off_queries(client, article.url)
    assert count < cold
    assert second.content == first.content
    for header in ("Content-Type", "Vary", "Cache-Control"):
        assert second.get(header) == first.get(header), header


def render_cache_off_queries(client, url):
    with override_settings(WAGTAIL_ACUPUNCTURE={"RENDER_CACHE": False}):
        client.get(url)
        return queries_of(client, url)[0]


def test_cached_answers_take_the_same_queries_at_two_sizes(client, index, clinic, home):
    pool = Pool(home=home)
    small = build_synthetic_article(index, pool, slug="small", **dict.fromkeys(SIZES, 1))
    large = build_synthetic_article(index, pool, slug="large", **dict.fromkeys(SIZES, 8))
    counts = {}
    for label, page in (("small", small), ("large", large)):
        for url in (detail(page), page.url):
            assert client.get(url).status_code == 200
            count, response = queries_of(client, url)
            assert response.status_code == 200
            counts[(label, url.startswith(API))] = count
    assert counts[("small", True)] == counts[("large", True)] == 1
    assert counts[("small", False)] == counts[("large", False)]


def test_a_miss_costs_one_query_more_than_a_render_and_stays_within_12(client, index, clinic, home):
    pool = Pool(home=home)
    pages = [
        build_synthetic_article(index, pool, slug=f"miss-{n}", **dict.fromkeys(SIZES, n))
        for n in (1, 8)
    ]
    listing = f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=*&limit=100"
    for url in [detail(page) for page in pages] + [listing]:
        assert client.get(url).status_code == 200
        cold = render_cache_off_queries(client, url)
        render_cache.record_content_change()  # every key moves: the next request misses
        miss, response = queries_of(client, url)
        assert response.status_code == 200
        assert miss == cold + 1 <= 12, url
        assert queries_of(client, url)[0] == 1


def test_listing_and_snippet_endpoints_are_cached_per_query_string(client, index, clinic):
    make_article(index)
    make_article(index)
    url = f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=*"
    assert len(client.get(url).json()["items"]) == 2
    assert queries_of(client, url)[0] == 1
    assert len(client.get(url + "&limit=1").json()["items"]) == 1
    TreatmentFactory(slug="cupping")
    client.get(f"{API}/treatments/")
    count, response = queries_of(client, f"{API}/treatments/")
    assert count == 1 and "cupping" in response.content.decode()


def test_responses_larger_than_the_limit_are_not_kept(client, article, settings):
    size = len(client.get(detail(article)).content)
    assert len(stored_keys()) == 1
    render_cache._cache().clear()
    settings.WAGTAIL_ACUPUNCTURE = {"RENDER_CACHE_MAX_BYTES": size - 1}
    client.get(detail(article))
    assert queries_of(client, detail(article))[0] > 1
    assert not stored_keys()


def test_switched_off_every_request_renders(client, article, settings):
    settings.WAGTAIL_ACUPUNCTURE = {"RENDER_CACHE": False}
    client.get(detail(article))
    assert queries_of(client, detail(article))[0] > 1
    client.get(article.url)
    assert queries_of(client, article.url)[0] > 1
    assert not stored_keys()


def stored_keys():
    return [key for key in render_cache._cache()._cache if render_cache.KEY_PREFIX in key]


# --------------------------------------------------------------------------- invalidation


def test_publishing_a_new_revision_shows_at_once(client, article):
    assert client.get(detail(article)).json()["title"] == "Acupuncture for Back Pain"
    assert b"Acupuncture for Back Pain" in client.get(article.url).content
    article.title = "Acupuncture for Lower Back Pain"
    publish(article)
    assert client.get(detail(article)).json()["title"] == "Acupuncture for Lower Back Pain"
    assert b"Acupuncture for Lower Back Pain" in client.get(article.url).content


@pytest.fixture
def between_routing_and_rendering():
    """Run ``change(page)`` once, after Wagtail has routed a request to the page and checked
    its view restrictions, right before the page serves it: a change committing in that
    window (the innermost ``on_serve_page`` hook)."""
    from wagtail import hooks

    pending = []

    def wrap(serve):
        def inner(page, request, serve_args, serve_kwargs):
            while pending:
                pending.pop()(page)
            return serve(page, request, serve_args, serve_kwargs)

        return inner

    with hooks.register_temporarily("on_serve_page", wrap, order=1000):
        yield pending.append


def test_a_publish_between_routing_and_rendering_stores_no_stale_page(
    client, article, between_routing_and_rendering
):
    def publish_new_title(routed):
        fresh = ArticlePage.objects.get(pk=routed.pk)
        fresh.title = "Acupuncture for Lower Back Pain"
        publish(fresh)

    assert b"Lower Back Pain" not in client.get(article.url).content
    render_cache.record_content_change()
    between_routing_and_rendering(publish_new_title)
    client.get(article.url)
    count, cached = queries_of(client, article.url)
    assert count < render_cache_off_queries(client, article.url)  # from the cache
    assert b"Acupuncture for Lower Back Pain" in cached.content
    with override_settings(WAGTAIL_ACUPUNCTURE={"RENDER_CACHE": False}):
        assert client.get(article.url).content == cached.content


def test_a_restriction_between_routing_and_rendering_is_never_stored(
    client, article, between_routing_and_rendering
):
    between_routing_and_rendering(make_private)
    client.get(article.url)
    assert not stored_keys()
    password_form = client.get(article.url)
    assert article.intro.encode() not in password_form.content


def test_saving_a_draft_keeps_the_cached_answers(client, article):
    published = client.get(detail(article)).content
    html = client.get(article.url).content
    article.title = "Draft title"
    article.save_revision()
    count, response = queries_of(client, detail(article))
    assert count == 1 and response.content == published
    assert client.get(article.url).content == html
    assert b"Draft title" not in html


def test_unpublishing_a_linked_page_shows_at_once(client, index, clinic, home):
    target = add_page(home, Page(title="Contact", slug="contact"))
    page = make_article(
        index, body=[paragraph("p1", f'<p><a linktype="page" id="{target.pk}">Contact us</a></p>')]
    )
    assert '<a href="/contact/">' in client.get(detail(page)).json()["body"][0]["value"]
    client.get(page.url)
    target.unpublish()
    assert "href" not in client.get(detail(page)).json()["body"][0]["value"]
    html = client.get(page.url).content
    with override_settings(WAGTAIL_ACUPUNCTURE={"RENDER_CACHE": False}):
        assert client.get(page.url).content == html


def test_unpublishing_or_restricting_the_page_is_never_served_from_the_cache(client, article):
    other = make_article(article.get_parent())
    for page in (article, other):
        assert client.get(detail(page)).status_code == 200
        assert client.get(page.url).status_code == 200
    make_private(article)
    assert client.get(detail(article)).status_code == 404
    password_form = client.get(article.url)
    assert password_form.status_code == 200  # Wagtail's password form, not the article
    assert article.intro.encode() not in password_form.content
    other.unpublish()
    assert client.get(detail(other)).status_code == 404
    assert client.get(other.url).status_code == 404
    PageViewRestriction.objects.filter(page=article).delete()
    assert client.get(detail(article)).status_code == 200


def test_treatment_clinic_and_image_changes_show_at_once(client, index, clinic):
    treatment = TreatmentFactory(name="Cupping", slug="cupping")
    hero = make_image("Hero", description="Needles on a back")
    page = make_article(index, treatments=[treatment], hero_image=hero)
    data = client.get(detail(page)).json()
    assert [t["name"] for t in data["related_treatments"]] == ["Cupping"]
    client.get(page.url)

    treatment.name = "Fire cupping"
    treatment.save_revision().publish()
    assert [t["name"] for t in client.get(detail(page)).json()["related_treatments"]] == [
        "Fire cupping"
    ]
    assert b"Fire cupping" in client.get(page.url).content

    clinic.phone = "+1-503-555-0199"
    clinic.save()
    assert "+1-503-555-0199" in client.get(detail(page)).content.decode()

    hero.title = "Acupuncture needles"
    hero.save()
    assert "Acupuncture needles" in client.get(detail(page)).content.decode()


def test_changes_without_signals_need_record_content_change(client, article):
    client.get(detail(article))
    ArticlePage.objects.filter(pk=article.pk).update(title="Renamed by update()")
    assert client.get(detail(article)).json()["title"] == "Acupuncture for Back Pain"
    render_cache.record_content_change()
    assert client.get(detail(article)).json()["title"] == "Renamed by update()"


def test_a_rolled_back_change_moves_nothing(article):
    before = render_cache.content_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Never committed"
        article.save()
        assert render_cache.content_generation() != before
        raise RuntimeError
    assert render_cache.content_generation() == before


def test_the_request_host_is_part_of_the_key(client, article, site, home):
    Site.objects.create(hostname="clinic.example.com", port=80, root_page=home)
    first = client.get(detail(article), HTTP_HOST="localhost")
    second = client.get(detail(article), HTTP_HOST="clinic.example.com")
    assert first.json()["meta"]["detail_url"].startswith("http://localhost/")
    assert second.json()["meta"]["detail_url"].startswith("http://clinic.example.com/")


def test_settings_changes_are_part_of_the_key(client, article, settings):
    first = client.get(article.url).content.decode()
    assert "Acupuncture for Back Pain | Portland Acupuncture Clinic</title>" in first
    settings.WAGTAIL_ACUPUNCTURE = {"SEO_TITLE_SEPARATOR": " - "}
    assert "Acupuncture for Back Pain - Portland" in client.get(article.url).content.decode()


def test_a_notice_disappears_when_it_ends(client, index, clinic, monkeypatch):
    now = timezone.now()
    page = make_article(
        index,
        body=[
            notice(
                "n1",
                "<p>Closed for the holidays</p>",
                starts_at=now - datetime.timedelta(days=1),
                ends_at=now + datetime.timedelta(minutes=5),
            )
        ],
    )
    stored = spy_on_timeouts(monkeypatch)
    assert client.get(detail(page)).json()["body"][0]["value"]["active"] is True
    assert b"Closed for the holidays" in client.get(page.url).content
    assert len(stored) == 2
    assert all(0 < timeout <= 300 for timeout in stored.values()), stored
    assert moments._moments.get() is None  # collecting stops with each render

    later = now + datetime.timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    render_cache._cache().clear()  # as the timeout would
    assert client.get(detail(page)).json()["body"][0]["value"]["active"] is False
    assert b"Closed for the holidays" not in client.get(page.url).content


def test_an_upcoming_notice_expires_the_entry_when_it_starts(client, index, clinic, monkeypatch):
    now = timezone.now()
    page = make_article(
        index,
        body=[
            notice("n1", "<p>Open on Sundays</p>", starts_at=now + datetime.timedelta(minutes=2))
        ],
    )
    stored = spy_on_timeouts(monkeypatch)
    assert b"Open on Sundays" not in client.get(page.url).content
    assert client.get(detail(page)).json()["body"][0]["value"]["active"] is False
    assert len(stored) == 2
    assert all(0 < timeout <= 120 for timeout in stored.values()), stored


def spy_on_timeouts(monkeypatch):
    """``{key: timeout}`` of the render cache entries stored from now on."""
    stored = {}
    cache = render_cache._cache()
    real_set = cache.set

    def spy(key, value, timeout=None, **kwargs):
        if render_cache.KEY_PREFIX in key:
            stored[key] = timeout
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    return stored


# --------------------------------------------------------------------------- what counts


def test_ignored_writes_do_not_move_the_generation(article):
    generation = render_cache.content_generation
    before = generation()
    article.title = "A draft"
    article.save_revision()
    assert generation() == before
    user = get_user_model().objects.create_user("editor", password="x")  # noqa: S106
    assert generation() != before  # a new user is a change like any other
    before = generation()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert generation() == before
    image = make_image("Rendered")
    before = generation()
    image.get_rendition("fill-10x10")
    assert generation() == before


def test_site_models_can_be_ignored(settings):
    from wagtail.models import Locale

    assert not render_cache.is_ignored(Locale)
    settings.WAGTAIL_ACUPUNCTURE = {"RENDER_CACHE_IGNORED_MODELS": ["wagtailcore.Locale"]}
    assert render_cache.is_ignored(Locale)
    assert render_cache.is_ignored(Site) is False


def test_generation_changes_when_an_earlier_id_commits_late(db):
    ContentChange.objects.create(pk=10)
    late = render_cache.content_generation()
    ContentChange.objects.create(pk=5)  # a transaction that took id 5 commits after id 10's
    assert render_cache.content_generation() != late


def test_old_changes_are_pruned(db, monkeypatch):
    monkeypatch.setattr(render_cache, "PRUNE_EVERY", 5)
    monkeypatch.setattr(render_cache, "KEEP_CHANGES", 2)
    seen = set()
    for _ in range(9):
        render_cache.record_content_change()
        seen.add(render_cache.content_generation())
    assert len(seen) == 9
    assert ContentChange.objects.count() <= 6  # pruned at least once in 9 consecutive ids


# --------------------------------------------------------------------------- what is not stored


def test_logged_in_editors_and_previews_are_never_cached(client, article, admin_user):
    from django.test import RequestFactory

    client.force_login(admin_user)
    client.get(article.url)
    count, response = queries_of(client, article.url)
    assert response.status_code == 200 and count > 1
    request = RequestFactory().get(article.url)
    request.user = admin_user
    assert article.serve_preview(request, "").status_code == 200
    assert not stored_keys()
    client.logout()
    client.get(article.url)
    assert len(stored_keys()) == 1


@pytest.mark.parametrize("extra", ["cookie", "csrf"])
def test_responses_that_set_cookies_or_use_csrf_are_not_stored(client, article, monkeypatch, extra):
    from django.middleware.csrf import get_token

    from wagtail_acupuncture.models import pages

    def serve(self, request, *args, **kwargs):
        response = Page.serve(self, request, *args, **kwargs)
        if extra == "cookie":
            response.set_cookie("visited", "1")
        else:
            get_token(request)  # as {% csrf_token %} in a form does
        return response

    monkeypatch.setattr(pages.HeadlessPreviewMixin, "serve", serve, raising=False)
    client.get(article.url)
    count, response = queries_of(client, article.url)
    assert response.status_code == 200
    assert "visited" in response.cookies if extra == "cookie" else "csrftoken" in response.cookies
    assert count > 1
    assert not stored_keys()


def test_visitors_with_a_message_waiting_are_not_served_from_the_cache(client, article):
    client.get(article.url)
    assert len(stored_keys()) == 1
    client.cookies["messages"] = "anything"
    count, response = queries_of(client, article.url)
    assert response.status_code == 200 and count > 1


def test_an_unreachable_cache_costs_only_a_render(client, article, settings):
    settings.CACHES = {
        **settings.CACHES,
        "broken": {"BACKEND": "tests.test_render_cache.BrokenCache"},
    }
    settings.WAGTAIL_ACUPUNCTURE = {"RENDER_CACHE_ALIAS": "broken"}
    assert client.get(detail(article)).status_code == 200
    assert client.get(article.url).status_code == 200


from django.core.cache.backends.base import BaseCache  # noqa: E402


class BrokenCache(BaseCache):
    def __init__(self, *args, **kwargs):
        super().__init__({})

    def get(self, *args, **kwargs):
        raise ConnectionError("cache down")

    def set(self, *args, **kwargs):
        raise ConnectionError("cache down")


# --------------------------------------------------------------------------- flooding


def test_cache_busting_parameters_share_one_entry(client, article, index):
    client.get(article.url)
    keys = set(stored_keys())
    for n in range(5):
        response = client.get(article.url, {"_": n, "utm_source": f"mail-{n}"})
        assert response.status_code == 200
    assert set(stored_keys()) == keys
    # The index's own parameters are part of its key, in any order.
    TreatmentFactory(slug="cupping")
    client.get(index.url, {"treatment": "cupping", "page": "1"})
    with_filter = set(stored_keys()) - keys
    assert len(with_filter) == 1
    client.get(f"{index.url}?page=1&treatment=cupping&_=9")
    assert set(stored_keys()) - keys == with_filter


def test_api_query_strings_in_any_order_share_one_entry(client, article):
    client.get(f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&limit=5")
    keys = set(stored_keys())
    count, response = queries_of(client, f"{API}/pages/?limit=5&type=wagtail_acupuncture.ArticlePage")
    assert response.status_code == 200 and count == 1
    assert set(stored_keys()) == keys


def test_a_host_stops_storing_at_its_budget_and_keeps_answering(client, index, clinic, settings):
    pages = [make_article(index, title=f"Budget {n}", slug=f"budget-{n}") for n in range(4)]
    size = len(client.get(detail(pages[0])).content)
    render_cache._cache().clear()
    settings.WAGTAIL_ACUPUNCTURE = {"RENDER_CACHE_SITE_BUDGET_BYTES": int(size * 2.5)}
    for page in pages:
        assert client.get(detail(page)).json()["title"] == page.title
    assert len(stored_keys()) == 2
    # Another host has its own budget.
    Site.objects.create(hostname="other.example", port=80, root_page=index.get_parent())
    response = client.get(detail(pages[3]), HTTP_HOST="other.example")
    assert response.json()["title"] == pages[3].title
    assert len(stored_keys()) == 3
    for page in pages:  # still answered, rendered
        assert client.get(detail(page)).json()["title"] == page.title
