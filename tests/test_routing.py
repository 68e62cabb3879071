"""Routing below an article index (``content/routing.py``): Wagtail's answers, prepared queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_article, make_index

pytestmark = pytest.mark.django_db


def test_an_article_below_the_index_is_served_and_knows_its_parent(client, index):
    article = make_article(index, title="Back pain", slug="back-pain")
    response = client.get(article.url)
    assert response.status_code == 200
    assert b"Back pain" in response.content
    result = index.route(response.wsgi_request, ["back-pain"])
    assert type(result.page) is type(article) and result.page.pk == article.pk
    with CaptureQueriesContext(connection) as captured:
        assert result.page.get_parent().pk == index.pk
    assert not captured.captured_queries


def test_missing_and_draft_children_are_404(client, index):
    make_article(index, title="Draft", slug="draft", live=False)
    make_article(index, title="Live", slug="live")
    assert client.get("/blog/").status_code == 200
    assert client.get("/blog/no-such-article/").status_code == 404
    assert client.get("/blog/draft/").status_code == 404
    assert client.get("/blog/live/").status_code == 200
    assert client.get("/blog/live/extra/").status_code == 404  # an article has no children


def test_a_slug_is_matched_among_the_index_children_only(client, home, index):
    other = make_index(home, slug="news")
    make_article(other, title="Elsewhere", slug="elsewhere")
    assert client.get("/news/elsewhere/").status_code == 200
    assert client.get("/blog/elsewhere/").status_code == 404
