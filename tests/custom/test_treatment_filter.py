"""``?treatment=<slug>`` on the pages listing finds a site's own article type too."""

import pytest

from tests.api_fixtures import API
from tests.custom_app.models import CustomArticlePage
from tests.factories import TreatmentFactory, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]


def test_treatment_filter_covers_every_article_type(client, index):
    digestion = TreatmentFactory(slug="digestion")
    make_article(index, slug="package-type", treatments=[digestion])
    make_article(index, slug="custom-type", model=CustomArticlePage, treatments=[digestion])
    make_article(index, slug="custom-untagged", model=CustomArticlePage)
    response = client.get(f"{API}/pages/?treatment=digestion")
    assert response.status_code == 200, response.content[:300]
    assert sorted(item["meta"]["slug"] for item in response.json()["items"]) == [
        "custom-type",
        "package-type",
    ]
    response = client.get(f"{API}/pages/?type=custom_app.CustomArticlePage&treatment=digestion")
    assert [item["meta"]["slug"] for item in response.json()["items"]] == ["custom-type"]
