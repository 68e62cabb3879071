"""The OpenAPI document and TypeScript types: derived from the blocks, and true of responses."""

import copy
import json
import os
import shutil
import subprocess

import pytest
from django.core.management import call_command
from jsonschema import ValidationError
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from tests.api_fixtures import API, build_back_pain_article, make_image
from tests.factories import PractitionerFactory, TreatmentFactory
from tests.test_api_queries import rich_article
from wagtail_acupuncture.api.schema import (
    SchemaBuilder,
    build_openapi,
    typescript_definitions,
    validator_for,
)
from wagtail_acupuncture.blocks import ArticleStreamBlock

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]


@pytest.fixture(scope="module")
def document():
    return build_openapi()


def validate(document, component, data):
    validator_for(document, component).validate(data)


def get_json(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, response.content[:300]
    return response.json()


# ------------------------------------------------------------------------------ derivation


class DemoStruct(blocks.StructBlock):
    title = blocks.CharBlock()
    size = blocks.ChoiceBlock(choices=[("s", "Small"), ("l", "Large")], required=False)
    when = blocks.DateBlock(required=False)
    count = blocks.IntegerBlock()
    photo = ImageChooserBlock(required=False)
    tags = blocks.ListBlock(blocks.CharBlock())


class DemoStream(blocks.StreamBlock):
    demo = DemoStruct()
    flag = blocks.BooleanBlock()


def test_schemas_are_derived_from_block_definitions():
    builder = SchemaBuilder()
    stream = builder.deref(builder.block(DemoStream()))
    assert stream["type"] == "array"
    variants = builder.deref(stream["items"])["oneOf"]
    demo_variant = builder.deref(variants[0])
    assert demo_variant["properties"]["type"] == {"const": "demo"}
    assert demo_variant["required"] == ["type", "value", "id"]
    demo = builder.deref(demo_variant["properties"]["value"])
    assert demo["required"] == ["title", "size", "when", "count", "photo", "tags"]
    assert demo["additionalProperties"] is False
    props = demo["properties"]
    assert props["title"] == {"type": "string"}
    assert props["size"] == {"type": "string", "enum": ["s", "l", ""]}
    assert props["when"]["type"] == ["string", "null"] and props["when"]["format"] == "date"
    assert props["count"] == {"type": "integer"}
    assert props["photo"]["type"] == ["integer", "null"]
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert builder.deref(variants[1])["properties"]["value"] == {"type": "boolean"}


def test_a_new_body_block_appears_in_the_schema():
    class ExtendedStream(ArticleStreamBlock):
        callout = blocks.TextBlock()

    builder = SchemaBuilder()
    builder.shared_components()
    builder.block(ExtendedStream())
    variant = builder.components["ExtendedStreamCallout"]
    assert variant["properties"]["value"] == {"type": "string"}
    assert (
        len(builder.components["ExtendedStreamChild"]["oneOf"])
        == len(ArticleStreamBlock.base_blocks) + 1
    )


def test_document_covers_every_body_block_and_endpoint(document):
    schemas = document["components"]["schemas"]
    for name in ArticleStreamBlock.base_blocks:
        assert any(
            schema.get("properties", {}).get("type") == {"const": name}
            for schema in schemas.values()
        ), name
    assert set(document["paths"]) == {
        "/pages/",
        "/pages/{id}/",
        "/pages/find/",
        "/treatments/",
        "/treatments/{id}/",
        "/treatments/find/",
        "/practitioners/",
        "/practitioners/{id}/",
        "/clinic/",
        "/page_preview/",
        "/treatment_preview/",
    }
    assert document["openapi"].startswith("3.1")
    assert json.loads(json.dumps(document)) == document
    for ref in _refs(document):
        assert ref.split("/")[-1] in schemas, ref
    faq = schemas["FAQBlock"]
    assert schemas["FAQItemBlockItem"]["required"] == ["id", "question", "answer"]
    assert faq["properties"]["items"]["items"] == {"$ref": "#/components/schemas/FAQItemBlockItem"}


def test_caching_headers_and_preview_answers_are_described(document):
    for path, item in document["paths"].items():
        operation = item["get"]
        responses = operation["responses"]
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        if path.endswith("find/"):
            assert "302" in responses
        elif path.endswith("_preview/"):
            assert responses["200"]["headers"]["Cache-Control"]["schema"] == {
                "const": "private, no-store"
            }
            assert {"401", "403"} <= set(responses) and "304" not in responses
            assert responses["401"]["content"]["application/json"]["schema"]["$ref"].endswith(
                "/Error"
            )
            assert not headers
        else:
            assert set(responses["200"]["headers"]) == {"ETag", "Last-Modified", "Cache-Control"}
            assert set(responses["304"]["headers"]) == {"ETag", "Last-Modified", "Cache-Control"}
            assert headers == {"If-None-Match", "If-Modified-Since"}


def test_preview_responses_validate(client, index, clinic, settings, document):
    from tests.test_preview import FRONTEND, TREATMENT_PREVIEW, preview_token

    settings.WAGTAIL_ACUPUNCTURE = {"HEADLESS_PREVIEW_URL": FRONTEND}
    page = build_back_pain_article(index)["page"]
    treatment = TreatmentFactory(image=make_image("T"))
    page_preview = get_json(client, f"{API}/page_preview/?token={preview_token(page)}")
    validate(document, "PageDetail", page_preview)
    validate(document, "ArticlePage", page_preview)
    treatment_preview = get_json(client, f"{TREATMENT_PREVIEW}?token={preview_token(treatment)}")
    validate(document, "TreatmentDetail", treatment_preview)
    validate(document, "Error", get_json(client, f"{API}/page_preview/?token=x", status=403))


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# ------------------------------------------------------------------------------ responses


def test_every_endpoint_validates(client, index, clinic, home, document):
    back_pain = build_back_pain_article(index)["page"]
    rich = rich_article(index, 2, "rich")
    practitioner = PractitionerFactory(photo=make_image("P"))
    treatment = TreatmentFactory(image=make_image("T"))
    cases = [
        (f"{API}/pages/{back_pain.pk}/", "ArticlePage"),
        (f"{API}/pages/{rich.pk}/", "ArticlePage"),
        (f"{API}/pages/{back_pain.pk}/", "PageDetail"),
        (f"{API}/pages/{index.pk}/", "ArticleIndexPage"),
        (f"{API}/pages/{home.pk}/", "PageDetail"),
        (f"{API}/pages/", "PageListing"),
        (f"{API}/pages/?fields=*", "PageListing"),
        (f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=*", "ArticlePageListing"),
        (f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=*", "PageListing"),
        (
            f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=_,title,structured_data",
            "ArticlePageListing",
        ),
        (
            f"{API}/pages/?type=wagtail_acupuncture.ArticleIndexPage&fields=*",
            "ArticleIndexPageListing",
        ),
        (f"{API}/treatments/", "TreatmentListing"),
        (f"{API}/treatments/{treatment.pk}/", "TreatmentDetail"),
        (f"{API}/practitioners/", "PractitionerListing"),
        (f"{API}/practitioners/{practitioner.pk}/", "PractitionerDetail"),
        (f"{API}/clinic/", "Clinic"),
    ]
    for url, component in cases:
        validate(document, component, get_json(client, url))
    for url, status in [
        (f"{API}/pages/?limit=-1", 400),
        (f"{API}/pages/987654/", 404),
        (f"{API}/clinic/?x=1", 400),
    ]:
        validate(document, "Error", get_json(client, url, status=status))


def test_clinic_details_validate(client, clinic, document):
    clinic.logo = make_image("Logo")
    clinic.latitude, clinic.longitude = 45.5, -122.6
    clinic.opening_hours = [("hours", {"days": ["sunday"], "opens": "10:00", "closes": "13:00"})]
    clinic.profile_urls = "https://example.com/clinic"
    clinic.save()
    data = get_json(client, f"{API}/clinic/")
    validate(document, "Clinic", data)
    data["opening_hours"][0]["days"] = ["someday"]
    with pytest.raises(ValidationError):
        validate(document, "Clinic", data)


def test_the_schema_is_precise(client, index, clinic, document):
    page = build_back_pain_article(index)["page"]
    data = get_json(client, f"{API}/pages/{page.pk}/")
    validate(document, "ArticlePage", data)

    def broken(change):
        copied = copy.deepcopy(data)
        change(copied)
        with pytest.raises(ValidationError):
            validate(document, "ArticlePage", copied)

    def block(copied, block_type):
        return next(child for child in copied["body"] if child["type"] == block_type)["value"]

    broken(lambda d: block(d, "heading").pop("anchor"))
    broken(lambda d: block(d, "heading").update(level="h1"))
    broken(lambda d: block(d, "faq")["items"][0].update(extra=1))
    broken(lambda d: block(d, "faq")["items"][0].pop("id"))
    broken(lambda d: block(d, "notice").update(active="yes"))
    broken(lambda d: block(d, "booking_cta").update(link_page=3))
    broken(lambda d: d["body"][0].update(type="unknown"))
    broken(
        lambda d: d["hero_image"]["renditions"].update(huge={"url": "x", "width": 1, "height": 1})
    )
    broken(lambda d: d["related_treatments"][0].update(live=False))
    broken(lambda d: d["table_of_contents"][0].update(level=1))
    broken(lambda d: d.pop("related_articles"))
    broken(lambda d: d["meta"].update(type="wagtail_acupuncture.ArticleIndexPage"))


# ------------------------------------------------------------------------------ command


def test_management_command_writes_openapi_and_typescript(tmp_path, document):
    openapi_path = tmp_path / "schema" / "openapi.json"
    call_command("acupuncture_api_schema", "--output", str(openapi_path))
    assert json.loads(openapi_path.read_text()) == document
    ts_path = tmp_path / "api.d.ts"
    call_command("acupuncture_api_schema", "--format", "typescript", "--output", str(ts_path))
    text = ts_path.read_text()
    assert text == typescript_definitions(document)
    for name in document["components"]["schemas"]:
        assert f"export type {name} = " in text
    assert 'type: "faq";' in text
    assert "anchor: string;" in text
    assert "active: boolean;" in text


def test_typescript_compiles(tmp_path, document):
    tsc = os.environ.get("ACUPUNCTURE_TSC") or shutil.which("tsc")
    if not tsc:
        message = "TypeScript compiler not found (set ACUPUNCTURE_TSC or put tsc on PATH)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    path = tmp_path / "api.d.ts"
    path.write_text(typescript_definitions(document))
    result = subprocess.run(
        [tsc, "--noEmit", "--strict", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_article_with_every_block_validates_with_custom_renditions(client, index, clinic, settings):
    settings.WAGTAIL_ACUPUNCTURE = {
        "IMAGE_RENDITIONS": {"small": "max-100x100", "wide": "fill-200x100|format-webp"}
    }
    document = build_openapi()
    assert set(
        document["components"]["schemas"]["Image"]["properties"]["renditions"]["properties"]
    ) == {"small", "wide"}
    page = rich_article(index, 1, "renditions")
    data = get_json(client, f"{API}/pages/{page.pk}/")
    validate(document, "ArticlePage", data)
    assert set(data["hero_image"]["renditions"]) == {"small", "wide"}
