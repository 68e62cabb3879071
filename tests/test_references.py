"""The ``references`` block: validation at the field, DOI and PubMed links, the numbered list
(escaped), the API and its schema, and the article's JSON-LD ``citation`` from the one walk.

The references are placeholders (no real study is cited): the package never invents a source.
"""

import extruct
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from jsonschema import ValidationError as JSONSchemaError
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.test.utils.form_data import streamfield

from tests.api_fixtures import API
from tests.factories import make_article
from tests.test_admin import article_post
from wagtail_acupuncture.api.schema import build_openapi, typescript_definitions, validator_for
from wagtail_acupuncture.blocks import ArticleStreamBlock, ReferenceBlock, ReferencesBlock
from wagtail_acupuncture.content import body as body_module
from wagtail_acupuncture.structured_data.jsonld import build_article_graph

pytestmark = pytest.mark.django_db

JOURNAL = {
    "title": "A placeholder trial",
    "authors": "Surname AB, Surname CD, et al.",
    "publisher": "Journal name",
    "year": 2012,
    "url": "",
    "doi": "10.1234/example.5678",
    "pmid": "12345678",
}
BOOK = {
    "title": "A placeholder book",
    "authors": "Surname, First; Other, Second",
    "publisher": "Publisher name",
    "year": None,
    "url": "https://example.com/book",
    "doi": "",
    "pmid": "",
}


def references(*items, heading="References"):
    return {"type": "references", "value": {"heading": heading, "items": list(items)}}


def clean_item(**changes):
    block = ReferenceBlock()
    return block.clean(block.to_python({**JOURNAL, **changes}))


# --------------------------------------------------------------------------- validation


def test_block_contract_and_meta():
    stream = ArticleStreamBlock()
    assert isinstance(stream.child_blocks["references"], ReferencesBlock)
    assert list(stream.child_blocks["references"].child_blocks) == ["heading", "items"]
    assert list(ReferenceBlock().child_blocks) == ["title", "authors", "publisher", "year", "url", "doi", "pmid"]
    for block in (ReferencesBlock(), ReferenceBlock()):
        meta = block.meta
        assert meta.icon and meta.label and meta.group and meta.description and meta.preview_value
        assert meta.template.startswith("wagtail_acupuncture/blocks/")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("10.1234/example.5678", "10.1234/example.5678"),
        ("doi:10.1234/example.5678", "10.1234/example.5678"),
        ("https://doi.org/10.1234/example.5678", "10.1234/example.5678"),
        (" https://dx.doi.org/10.1234/ab(c)d ", "10.1234/ab(c)d"),
        ("", ""),
    ],
)
def test_doi_is_normalised(typed, stored):
    assert clean_item(doi=typed)["doi"] == stored


@pytest.mark.parametrize(("typed", "stored"), [("12345678", "12345678"), ("PMID: 12345678", "12345678"), ("https://pubmed.ncbi.nlm.nih.gov/12345678/", "12345678")])
def test_pmid_is_normalised(typed, stored):
    assert clean_item(pmid=typed)["pmid"] == stored


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doi", "11.1234/x", "Enter a DOI such as 10.1000/182"),
        ("doi", "10.12/x", "Enter a DOI"),
        ("doi", "10.1234/has space", "Enter a DOI"),
        ("pmid", "12a45", "Enter a PubMed id (PMID): digits only"),
        ("pmid", "0123", "digits only"),
        ("url", "javascript:alert(1)", "Enter a full web address starting with https:// or http://."),
        ("url", "ftp://example.com/x", "starting with https://"),
        ("url", "mailto:someone@example.com", "starting with https://"),
        ("title", "", "This field is required."),
    ],
)
def test_bad_values_are_refused_at_their_field(field, value, message):
    with pytest.raises(StructBlockValidationError) as raised:
        clean_item(**{field: value})
    errors = raised.value.block_errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field].messages)


def test_an_empty_list_is_refused():
    block = ReferencesBlock()
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(block.to_python({"heading": "References", "items": []}))
    assert isinstance(raised.value.block_errors["items"], ListBlockValidationError)


def test_admin_keeps_what_was_typed_and_shows_the_error(admin_client, index):
    page = make_article(index)
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    item = {**JOURNAL, "year": "2012", "doi": "not-a-doi"}
    data = article_post(
        title=page.title,
        slug=page.slug,
        intro=page.intro,
        body=[("references", {"heading": "References", "items": streamfield([("item", item)])})],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a DOI such as 10.1000/182" in html
    assert "not-a-doi" in html and "A placeholder trial" in html
    with pytest.raises(ValidationError):
        ReferenceBlock().child_blocks["pmid"].clean("x1")


# --------------------------------------------------------------------------- outputs


@pytest.fixture
def article(index, clinic):
    return make_article(
        index,
        body=[
            {"type": "paragraph", "value": "<p>Acupuncture needles are extremely thin.</p>"},
            references(JOURNAL, BOOK),
        ],
    )


def test_rendered_as_a_numbered_list_with_links(client, article):
    html = client.get(article.url).content.decode()
    start = html.index('<section class="acu-references">')
    section = html[start : html.index("</section>", start)]
    assert '<h2 class="acu-references__heading">References</h2>' in section
    assert section.count('<li class="acu-references__item" id="ref-') == 2
    assert '<ol class="acu-references__list">' in section
    assert '<a class="acu-reference__title" href="https://doi.org/10.1234/example.5678">A placeholder trial</a>' in section
    assert 'DOI: <a href="https://doi.org/10.1234/example.5678">10.1234/example.5678</a>' in section
    assert 'PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/12345678/">12345678</a>' in section
    assert '<a class="acu-reference__title" href="https://example.com/book">A placeholder book</a>' in section


def test_everything_typed_is_escaped(client, index):
    evil = '<img src=x onerror="alert(1)">'
    page = make_article(index, body=[references({**BOOK, "title": evil, "authors": evil, "publisher": evil}, heading=evil)])
    html = client.get(page.url).content.decode()
    assert evil not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    graph = extruct.extract(html, base_url=page.full_url, syntaxes=["json-ld"])["json-ld"][0]
    (posting,) = [node for node in graph["@graph"] if node["@type"] == "BlogPosting"]
    assert posting["citation"][0]["name"] == evil  # escaped in the script, intact when parsed


def api_body(client, page):
    response = client.get(f"{API}/pages/{page.pk}/")
    assert response.status_code == 200
    return response.json()


@pytest.mark.urls("tests.api_fixtures")
def test_api_and_its_schema(client, article):
    data = api_body(client, article)
    (block,) = [block for block in data["body"] if block["type"] == "references"]
    items = block["value"]["items"]
    assert block["value"]["heading"] == "References"
    assert [item["id"] for item in items] == [bound.id for bound in article.body[1].value["items"].bound_blocks]
    assert {key: value for key, value in items[0].items() if key != "id"} == {
        **JOURNAL,
        "doi_url": "https://doi.org/10.1234/example.5678",
        "pubmed_url": "https://pubmed.ncbi.nlm.nih.gov/12345678/",
    }
    assert items[1]["doi_url"] is None and items[1]["pubmed_url"] is None and items[1]["year"] is None
    document = build_openapi()
    validator_for(document, "ArticlePage").validate(data)
    schema = document["components"]["schemas"]
    assert schema["ReferencesBlock"]["properties"]["items"]["items"] == {"$ref": "#/components/schemas/ReferenceBlockItem"}
    item = schema["ReferenceBlockItem"]
    assert item["required"] == ["id", "title", "authors", "publisher", "year", "url", "doi", "pmid", "doi_url", "pubmed_url"]
    validator_for(document, "ReferenceBlockItem").validate(items[0])
    with pytest.raises(JSONSchemaError, match="does not match"):
        validator_for(document, "ReferenceBlockItem").validate({**items[0], "doi": "11.x"})
    typescript = typescript_definitions(document)
    assert "ReferenceBlockItem" in typescript and "pubmed_url: string | null" in typescript


def test_json_ld_citation(client, article):
    graph = extruct.extract(client.get(article.url).content.decode(), base_url=article.full_url, syntaxes=["json-ld"])[
        "json-ld"
    ][0]
    (posting,) = [node for node in graph["@graph"] if node["@type"] == "BlogPosting"]
    assert posting["citation"] == [
        {
            "@type": "ScholarlyArticle",
            "name": "A placeholder trial",
            "author": [{"@type": "Person", "name": "Surname AB"}, {"@type": "Person", "name": "Surname CD"}],
            "isPartOf": {"@type": "Periodical", "name": "Journal name"},
            "datePublished": "2012",
            "url": "https://doi.org/10.1234/example.5678",
            "sameAs": ["https://pubmed.ncbi.nlm.nih.gov/12345678/"],
        },
        {
            "@type": "ScholarlyArticle",
            "name": "A placeholder book",
            "author": [{"@type": "Person", "name": "Surname, First"}, {"@type": "Person", "name": "Other, Second"}],
            "publisher": {"@type": "Organization", "name": "Publisher name"},
            "url": "https://example.com/book",
        },
    ]


@pytest.mark.urls("tests.api_fixtures")
def test_values_written_outside_the_admin_never_make_unsafe_links(client, index, clinic):
    page = make_article(
        index, body=[references({**BOOK, "url": "javascript:alert(1)", "doi": '10.1/"x', "pmid": "1/../x"})]
    )
    html = client.get(page.url).content.decode()
    assert "javascript:" not in html and "pubmed" not in html and "doi.org" not in html
    (item,) = api_body(client, page)["body"][0]["value"]["items"]
    assert (item["url"], item["doi_url"], item["pubmed_url"]) == ("", None, None)
    (posting,) = [node for node in build_article_graph(page)["@graph"] if node["@type"] == "BlogPosting"]
    assert "url" not in posting["citation"][0] and "sameAs" not in posting["citation"][0]


def test_no_citation_without_references(index, clinic):
    page = make_article(index, body=[{"type": "paragraph", "value": "<p>Text.</p>"}])
    (posting,) = [node for node in build_article_graph(page)["@graph"] if node["@type"] == "BlogPosting"]
    assert "citation" not in posting


def test_citations_come_from_the_one_walk(index, clinic, monkeypatch):
    page = make_article(index, body=[references(JOURNAL)])
    page = type(page).objects.get(pk=page.pk)
    walks = []
    original = body_module.BodyScan.scan

    def counted(self, body, *args, **kwargs):
        walks.append(body)
        return original(self, body, *args, **kwargs)

    monkeypatch.setattr(body_module.BodyScan, "scan", counted)
    graph = build_article_graph(page)
    (posting,) = [node for node in graph["@graph"] if node["@type"] == "BlogPosting"]
    assert [node["name"] for node in posting["citation"]] == ["A placeholder trial"]
    assert len(walks) == 1  # word count, FAQ and citations share one walk
    assert [path for path, _text in page.body_scan.fields] == [
        "body[0].references.heading",
        "body[0].references.items[0].title",
        "body[0].references.items[0].authors",
        "body[0].references.items[0].publisher",
        "body[0].references.items[0].doi",
        "body[0].references.items[0].pmid",
    ]
