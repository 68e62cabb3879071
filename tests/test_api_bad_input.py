"""Bad input is a 400 or 404 with a JSON ``{"message": ...}``, never a 500."""

import pytest

from tests.api_fixtures import API
from tests.factories import PractitionerFactory, TreatmentFactory, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]

HUGE = "9" * 30
ARTICLES = "type=wagtail_acupuncture.ArticlePage"

BAD_REQUESTS = [
    # pages: types, fields, filters
    "pages/?type=nope.Nope",
    "pages/?type=wagtail_acupuncture.Treatment",
    "pages/?type=wagtail_acupuncture",
    "pages/?fields=nope",
    "pages/?fields=*,title",
    "pages/?fields=((",
    "pages/?fields=title%00",
    f"pages/?{ARTICLES}&fields=body(type)",
    f"pages/?{ARTICLES}&fields=hero_image(title)",
    f"pages/?{ARTICLES}&fields=author(name)",
    "pages/?fields=parent",
    f"pages/?{ARTICLES}&published_date=2024-13-45",
    f"pages/?{ARTICLES}&published_date=yesterday",
    f"pages/?{ARTICLES}&author=abc",
    f"pages/?{ARTICLES}&hero_image={HUGE}",
    f"pages/?{ARTICLES}&body=x",
    f"pages/?{ARTICLES}&related_treatments=1",
    "pages/?title=a%00b",
    "pages/?id=abc",
    "pages/?unknown=1",
    "pages/?site=localhost",
    # pagination
    "pages/?limit=-1",
    "pages/?limit=abc",
    "pages/?limit=1.5",
    "pages/?limit=101",
    f"pages/?limit={HUGE}",
    "pages/?offset=-5",
    "pages/?offset=abc",
    f"pages/?offset={HUGE}",
    "pages/?offset=100001",
    # ordering and search
    "pages/?order=nope",
    "pages/?order=random&offset=1",
    f"pages/?{ARTICLES}&order=body",
    f"pages/?{ARTICLES}&order=related_treatments",
    "pages/?search=%00",
    "pages/?search=a&search_operator=xor",
    # tree filters
    "pages/?child_of=abc",
    "pages/?child_of=-1",
    f"pages/?child_of={HUGE}",
    "pages/?child_of=987654",
    "pages/?descendant_of=abc",
    "pages/?descendant_of=987654",
    "pages/?ancestor_of=root",
    "pages/?ancestor_of=987654",
    "pages/?translation_of=abc",
    "pages/?child_of=1&descendant_of=1",
    # rich text formats
    "pages/?rich_text_format=db_html",
    "pages/?rich_text_format=markdown",
    "pages/?rich_text_format=<script>",
    # find
    "pages/find/?html_path=/a%00b/",
    "pages/find/?id=abc",
    f"pages/find/?id={HUGE}",
    # snippets
    "treatments/?slug=%00",
    "treatments/?order=summary",
    "treatments/?order=nope",
    "treatments/?name=x",
    "treatments/?search=x",
    "treatments/?fields=nope",
    "treatments/?fields=image(title)",
    "treatments/?limit=-1",
    f"treatments/?offset={HUGE}",
    "treatments/find/?id=abc",
    "practitioners/?fields=nope",
    "practitioners/?order=bio",
    "practitioners/?limit=abc",
    "practitioners/?rich_text_format=db_html",
    "clinic/?fields=name",
    "clinic/?x=1",
]

NOT_FOUND = [
    "pages/987654/",
    f"pages/{HUGE}/",
    "pages/find/",
    "pages/find/?html_path=/nope/",
    "pages/find/?id=987654",
    "pages/?locale=xx",
    "treatments/987654/",
    f"treatments/{HUGE}/",
    "treatments/?slug=nope",
    "treatments/find/?slug=nope",
    "treatments/find/?id=987654",
    "practitioners/987654/",
]


@pytest.fixture
def content(index, clinic):
    make_article(index, title="Article", slug="article")
    TreatmentFactory(slug="acupuncture")
    PractitionerFactory()


def assert_json_error(response, status):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    message = response.json()["message"]
    assert isinstance(message, str) and message


@pytest.mark.parametrize("path", BAD_REQUESTS)
def test_bad_requests_are_400(client, content, path):
    assert_json_error(client.get(f"{API}/{path}"), 400)


@pytest.mark.parametrize("path", NOT_FOUND)
def test_missing_things_are_404(client, content, path):
    assert_json_error(client.get(f"{API}/{path}"), 404)


def test_page_detail_with_bad_fields(client, index, clinic):
    page = make_article(index)
    for query in ("fields=nope", "fields=body(x)", "fields=parent(title)", "rich_text_format=x"):
        assert_json_error(client.get(f"{API}/pages/{page.pk}/?{query}"), 400)


def test_limits_are_inclusive(client, content, settings):
    assert client.get(f"{API}/pages/?limit=100&offset=100000").status_code == 200
    settings.WAGTAIL_ACUPUNCTURE = {"API_LIMIT_MAX": 5, "API_OFFSET_MAX": 10}
    assert client.get(f"{API}/pages/?limit=5&offset=10").status_code == 200
    assert_json_error(client.get(f"{API}/pages/?limit=6"), 400)
    assert_json_error(client.get(f"{API}/pages/?offset=11"), 400)
    data = client.get(f"{API}/pages/").json()
    assert data["meta"]["total_count"] >= len(data["items"])


HOSTILE_SEARCHES = ['back pain"', '"', '"a" "b', "back AND", "(back", "NOT", "*", "a:b", "^"]


@pytest.mark.parametrize("endpoint", ["pages/", f"pages/?{ARTICLES}&"])
def test_search_syntax_the_backend_refuses_is_a_400_never_a_500(client, index, clinic, endpoint):
    from django.db import connection

    make_article(index, title="Acupuncture for back pain")
    separator = "" if endpoint.endswith("&") else "?"
    for query in HOSTILE_SEARCHES:
        response = client.get(f"{API}/{endpoint}{separator}", {"search": query})
        assert response.status_code in (200, 400), (query, response.content[:200])
        assert response["Content-Type"] == "application/json"
        if response.status_code == 400:
            assert "search" in response.json()["message"]
    unbalanced = client.get(f"{API}/{endpoint}{separator}", {"search": 'back pain"'})
    if connection.vendor == "sqlite":  # FTS5 refuses an unbalanced quote
        assert unbalanced.status_code == 400
    # The request after a refused search works normally (the probe ran in a savepoint).
    found = client.get(f"{API}/{endpoint}{separator}", {"search": "back pain"})
    assert found.status_code == 200 and found.json()["meta"]["total_count"] >= 1
