"""A site's own article type and block: the claims checks read its callouts' text, the claims
report and filter list it, and its body offers the ``references`` block with its citation."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.custom.helpers import callout, make_custom_article
from wagtail_acupuncture.claims import check_page
from wagtail_acupuncture.structured_data.jsonld import build_article_graph

pytestmark = pytest.mark.django_db

CURE = "Acupuncture cures sciatica."


@pytest.fixture
def article(index, clinic):
    return make_custom_article(
        index,
        body=[
            callout("c1", f"<p>Gentle. <b>{CURE}</b></p>"),
            {
                "type": "references",
                "value": {"heading": "References", "items": [{"title": "A placeholder trial", "doi": "10.1234/x.1"}]},
            },
        ],
    )


def test_callout_text_is_checked_with_its_field(article):
    assert [(f.field, f.sentence, f.rule) for f in check_page(article, ["us-ftc"])] == [
        ("body[0].callout.text", CURE, "us-ftc/absolute-claim")
    ]


def test_report_and_index_filter_list_the_custom_type(admin_client, article):
    out = io.StringIO()
    call_command("acupuncture_claims_report", "--format", "json", stdout=out)
    assert [(row["page"], row["field"]) for row in json.loads(out.getvalue())] == [(article.pk, "body[0].callout.text")]
    url = reverse("custom_app_customarticlepage_modeladmin_index")
    assert article.title in admin_client.get(url, {"claims": "flagged"}).content.decode()
    assert article.title not in admin_client.get(url, {"claims": "none"}).content.decode()


def test_references_in_the_custom_body(article):
    (posting,) = [node for node in build_article_graph(article)["@graph"] if node["@type"] == "BlogPosting"]
    assert posting["citation"] == [
        {"@type": "ScholarlyArticle", "name": "A placeholder trial", "url": "https://doi.org/10.1234/x.1"}
    ]
