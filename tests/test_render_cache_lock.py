"""One render per key: requests that miss while another renders the same key wait for its entry.

After a publish every key moves at once, and each reader arriving during the first render would
render the page too. The claim (``render_cache.get_or_claim``) is an ``add`` to the shared
cache; these tests use threads of one process, as gunicorn's threads or several processes on
one Redis would race.
"""

import threading
import time

import pytest
from django.db import connections
from django.test import Client

from tests.api_fixtures import API
from tests.factories import make_article
from wagtail_acupuncture.delivery import render_cache
from wagtail_acupuncture.models import ArticlePage

KEY = render_cache.KEY_PREFIX + "lock-test"


@pytest.fixture(autouse=True)
def empty_cache():
    render_cache._cache().clear()
    yield
    render_cache._cache().clear()


def in_thread(function, *args):
    result = {}

    def run():
        try:
            result["value"] = function(*args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def test_the_first_miss_claims_and_a_second_waits_for_its_entry():
    assert render_cache.get_or_claim(KEY) == (None, True)

    started = time.monotonic()
    thread, result = in_thread(render_cache.get_or_claim, KEY)
    time.sleep(0.2)
    assert thread.is_alive(), "the second request waits while the first renders"
    render_cache._cache().set(KEY, {"content": b"rendered", "content_type": "text/html"})
    render_cache.release(KEY)
    thread.join(5)

    assert result["value"] == ({"content": b"rendered", "content_type": "text/html"}, False)
    assert 0.2 <= time.monotonic() - started < 1.5


def test_a_waiter_renders_itself_when_the_holder_stores_nothing():
    assert render_cache.get_or_claim(KEY) == (None, True)
    thread, result = in_thread(render_cache.get_or_claim, KEY)
    time.sleep(0.1)
    render_cache.release(KEY)  # e.g. a 404, or a response that set a cookie
    thread.join(5)
    assert result["value"] == (None, True)  # it claims the render for itself


def test_the_wait_is_bounded_by_the_setting(settings):
    settings.WAGTAIL_ACUPUNCTURE = {"RENDER_CACHE_LOCK_WAIT": 0.3}
    assert render_cache.get_or_claim(KEY) == (None, True)
    started = time.monotonic()
    assert render_cache.get_or_claim(KEY) == (None, False)
    assert 0.3 <= time.monotonic() - started < 1.0


def test_no_wait_means_no_claim(settings):
    settings.WAGTAIL_ACUPUNCTURE = {"RENDER_CACHE_LOCK_WAIT": 0}
    assert render_cache.get_or_claim(KEY) == (None, False)
    assert render_cache.get_or_claim(KEY) == (None, False)


def test_a_stored_entry_is_answered_without_claiming():
    render_cache._cache().set(KEY, {"content": b"x", "content_type": "text/html"})
    entry, claimed = render_cache.get_or_claim(KEY)
    assert entry["content"] == b"x" and not claimed


@pytest.fixture
def slow_renders(monkeypatch):
    """Counts article renders and makes each take 0.4 s, so that readers overlap."""
    renders = []
    original = ArticlePage.prepare_for_output.__func__

    def prepare_for_output(cls, pages, resolver, wanted):
        renders.append(len(pages))
        time.sleep(0.4)
        return original(cls, pages, resolver, wanted)

    monkeypatch.setattr(ArticlePage, "prepare_for_output", classmethod(prepare_for_output))
    return renders


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.urls("tests.api_fixtures")
@pytest.mark.parametrize("kind", ["api", "html"])
def test_concurrent_readers_after_a_publish_share_one_render(index, clinic, slow_renders, kind):
    article = make_article(index, title="Acupuncture for Back Pain", slug="back-pain")
    url = f"{API}/pages/{article.pk}/" if kind == "api" else article.url
    readers = [in_thread(lambda: Client().get(url)) for _ in range(4)]
    for thread, _result in readers:
        thread.join(10)

    responses = [result["value"] for _thread, result in readers]
    assert [r.status_code for r in responses] == [200] * 4
    assert len({r.content for r in responses}) == 1
    assert len(slow_renders) == 1, "one reader rendered, the others were answered by its entry"

    article.title = "Acupuncture for Back Pain, revised"
    article.save_revision().publish()
    readers = [in_thread(lambda: Client().get(url)) for _ in range(4)]
    for thread, _result in readers:
        thread.join(10)
    responses = [result["value"] for _thread, result in readers]
    assert all(b"revised" in r.content for r in responses), "nothing stale after the publish"
    assert len(slow_renders) == 2
