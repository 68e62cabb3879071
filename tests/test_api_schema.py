"""The OpenAPI document and TypeScript types: derived from the blocks, and true of responses."""

import copy
import fcntl
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import models
from jsonschema import ValidationError
from wagtail import blocks
from wagtail.api import APIField
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from tests.api_fixtures import API, build_back_pain_article, make_image
from tests.factories import PractitionerFactory, TreatmentFactory
from tests.test_api_queries import rich_article
from wagtail_acupuncture.api.fields import default_field_for
from wagtail_acupuncture.api.schema import (
    SchemaBuilder,
    build_openapi,
    typescript_definitions,
    validator_for,
)
from wagtail_acupuncture.blocks import ArticleStreamBlock
from clinic.models import HomePage
from wagtail_acupuncture.models import ArticleIndexPage, ArticlePage, Practitioner

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
    # An image chooser delivers the shared Image (or null), no longer its primary key.
    assert props["photo"] == {"anyOf": [{"$ref": "#/components/schemas/Image"}, {"type": "null"}]}
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


def test_typescript_compiles(tmp_path, document, tsc):
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


# ------------------------------------------------------------------------------ TypeScript

#: ``package.json`` and ``package-lock.json`` pinning the compiler; ``npm ci`` installs it here.
TYPESCRIPT_DIR = Path(__file__).parent / "typescript"


def _typescript_unavailable(reason):
    """Fail under CI (the check must run there), else skip with ``reason``."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true, so the TypeScript compile check may not be skipped: {reason}")
    pytest.skip(reason)


def _installed_typescript_is_pinned():
    lock = json.loads((TYPESCRIPT_DIR / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/typescript"]["version"]
    installed = TYPESCRIPT_DIR / "node_modules" / "typescript" / "package.json"
    tsc = TYPESCRIPT_DIR / "node_modules" / ".bin" / "tsc"
    return (
        tsc.exists()
        and installed.exists()
        and json.loads(installed.read_text())["version"] == pinned
    )


@pytest.fixture(scope="session")
def tsc():
    """The TypeScript compiler pinned in ``tests/typescript`` (``npm ci`` there when needed).

    ``ACUPUNCTURE_TSC`` names another compiler instead. Without node and npm the tests that
    need it skip, or fail when ``CI=true``.
    """
    override = os.environ.get("ACUPUNCTURE_TSC")
    if override:
        return override
    npm = shutil.which("npm")
    if not shutil.which("node") or not npm:
        _typescript_unavailable(
            "node and npm are not on PATH: they are needed to install the TypeScript compiler "
            "(npm ci in tests/typescript) and compile the generated API types"
        )
    # Other test runs may share the checkout: one installs at a time, the others wait.
    with open(TYPESCRIPT_DIR / ".install.lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        if not _installed_typescript_is_pinned():
            result = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=TYPESCRIPT_DIR,
                capture_output=True,
                text=True,
                check=False,
                timeout=600,
            )
            if result.returncode != 0 or not _installed_typescript_is_pinned():
                _typescript_unavailable(
                    "npm ci in tests/typescript failed: "
                    + (result.stdout + result.stderr).strip()[-1500:]
                )
    return str(TYPESCRIPT_DIR / "node_modules" / ".bin" / "tsc")


def compile_with_types(tsc, tmp_path, document, source):
    """``tsc --noEmit --strict`` of ``tests/typescript/<source>`` next to the generated types."""
    (tmp_path / "api.d.ts").write_text(typescript_definitions(document))
    shutil.copy(TYPESCRIPT_DIR / source, tmp_path / source)
    return subprocess.run(
        [tsc, "--noEmit", "--strict", source],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def typescript_of(schema):
    """The TypeScript type that ``typescript_definitions`` emits for ``schema``."""
    document = {"info": {"title": "t", "version": "0"}, "components": {"schemas": {"T": schema}}}
    text = typescript_definitions(document)
    return text.split("export type T = ", 1)[1].rsplit(";", 1)[0]


def allows_null(schema):
    """Whether a JSON Schema (of this document's forms) accepts ``null`` itself."""
    types = schema.get("type")
    return (
        (isinstance(types, list) and "null" in types)
        or types == "null"
        or None in schema.get("enum", ())
        or ("const" in schema and schema["const"] is None)
        or any(allows_null(option) for option in schema.get("anyOf", []) + schema.get("oneOf", []))
    )


def _schemas(schema):
    """``schema`` and every schema inside it (properties, items, options)."""
    yield schema
    children = [*schema.get("properties", {}).values(), *schema.get("anyOf", ())]
    children += [*schema.get("oneOf", ()), *([schema["items"]] if "items" in schema else [])]
    for child in children:
        yield from _schemas(child)


def test_nullable_objects_are_null_in_typescript(document):
    text = typescript_definitions(document)
    # Before: the object type twice ("{...} | {...}"), without null.
    geo = r"\n  geo: \{\n    latitude: number;\n    longitude: number;\n  \} \| null;"
    assert re.search(geo, text)
    assert re.search(r"\n  focal_point: \{\n(    \w+: number;\n){4}  \} \| null;", text)
    nullable = [
        schema
        for component in document["components"]["schemas"].values()
        for schema in _schemas(component)
        if allows_null(schema)
    ]
    assert len(nullable) > 20
    for schema in nullable:
        members = typescript_of(schema)
        assert members == "null" or members.endswith(" | null"), (schema, members)
    closed_object = {"type": ["null", "object"], "properties": {}, "additionalProperties": False}
    assert typescript_of(closed_object) == "null | {\n}"


def test_typescript_null_must_be_checked(tmp_path, document, tsc):
    checked = compile_with_types(tsc, tmp_path, document, "null_checked.ts")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    unchecked = compile_with_types(tsc, tmp_path, document, "null_unchecked.ts")
    output = unchecked.stdout + unchecked.stderr
    assert unchecked.returncode != 0, "dereferencing clinic.geo without a null check compiled"
    assert "'clinic.geo' is possibly 'null'" in output, output


# ------------------------------------------------------------------------------ generic blocks

NULL = {"type": "null"}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


class ChoosersStruct(blocks.StructBlock):
    text = blocks.RichTextBlock()
    image = ImageChooserBlock(required=False)
    page = blocks.PageChooserBlock(required=False)
    document = DocumentChooserBlock(required=False)
    treatment = SnippetChooserBlock("wagtail_acupuncture.Treatment", required=False)
    practitioner = SnippetChooserBlock("wagtail_acupuncture.Practitioner", required=False)
    notes = blocks.ListBlock(blocks.RichTextBlock())
    more = blocks.StreamBlock([("text", blocks.RichTextBlock())], required=False)


class OwnSchemaChooserBlock(blocks.PageChooserBlock):
    def get_api_schema(self, builder):
        return {"type": "string", "format": "uri"}


def test_chooser_and_rich_text_blocks_are_delivered_ready_to_render():
    builder = SchemaBuilder()
    builder.shared_components()
    schema = builder.deref(builder.block(ChoosersStruct()))
    props = schema["properties"]
    assert props["text"] == builder.html()
    assert props["image"] == {"anyOf": [ref("Image"), NULL]}
    assert props["page"] == {"anyOf": [ref("PageLink"), NULL]}
    assert props["document"] == {"anyOf": [ref("DocumentLink"), NULL]}
    assert props["treatment"] == {"anyOf": [ref("Treatment"), NULL]}
    assert props["practitioner"] == {"anyOf": [ref("SnippetLink"), NULL]}
    assert props["notes"] == {"type": "array", "items": builder.html()}
    stream_text = builder.deref(builder.deref(props["more"]["items"])["oneOf"][0])
    assert stream_text["properties"]["value"] == builder.html()

    components = builder.components
    assert components["PageLink"]["properties"] == {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "url": {"type": "string"},
        "type": {"type": "string", "description": "`app_label.ModelName` of the page."},
    }
    assert components["PageLink"]["required"] == ["id", "title", "url", "type"]
    assert components["DocumentLink"]["properties"] == {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "url": {"type": "string"},
    }
    assert components["SnippetLink"]["properties"] == {
        "id": {"type": "integer"},
        "type": {"type": "string", "description": "`app_label.ModelName` of the snippet."},
        "title": {"type": "string"},
    }
    for name in ("PageLink", "DocumentLink", "SnippetLink"):
        assert components[name]["additionalProperties"] is False

    document = {"components": {"schemas": components}}
    value = {
        "text": "<p>Hello</p>",
        "image": None,
        "page": {"id": 3, "title": "Back pain", "url": "/back-pain/", "type": "a.ArticlePage"},
        "document": {"id": 1, "title": "Leaflet", "url": "/documents/1/leaflet.pdf"},
        "treatment": None,
        "practitioner": {"id": 2, "type": "wagtail_acupuncture.Practitioner", "title": "Ann"},
        "notes": ["<p>One</p>"],
        "more": [{"type": "text", "value": "<p>Two</p>", "id": "x"}],
    }
    validate(document, "ChoosersStruct", value)
    for name, wrong in [("page", 3), ("document", 1), ("practitioner", 2), ("image", 5)]:
        with pytest.raises(ValidationError):
            validate(document, "ChoosersStruct", {**value, name: wrong})


def test_a_snippet_models_own_api_schema_is_used(monkeypatch):
    def get_api_schema(cls, builder):
        return builder.ref("Practitioner")

    monkeypatch.setattr(Practitioner, "get_api_schema", classmethod(get_api_schema), raising=False)
    builder = SchemaBuilder()
    builder.shared_components()
    block = SnippetChooserBlock("wagtail_acupuncture.Practitioner")
    assert builder.block(block) == {"anyOf": [ref("Practitioner"), NULL]}


def test_a_blocks_own_api_schema_wins_over_the_defaults():
    builder = SchemaBuilder()
    assert builder.block(OwnSchemaChooserBlock()) == {
        "$ref": "#/components/schemas/OwnSchemaChooserBlock"
    }
    assert builder.components["OwnSchemaChooserBlock"] == {"type": "string", "format": "uri"}


# ------------------------------------------------------------------------------ page types


class SiteArticleStreamBlock(ArticleStreamBlock):
    """A site's article body: the package's blocks and a callout."""

    callout = blocks.StructBlock(
        [("text", blocks.RichTextBlock()), ("image", ImageChooserBlock(required=False))]
    )


AUDIENCES = [("patients", "Patients"), ("practitioners", "Practitioners")]


def site_article_model(app_label, name):
    """Stands in for a site's concrete ``AbstractArticlePage`` subclass with fields of its own.

    Only what the schema reads (``_meta``, ``api_fields``): a real model would need an app of
    its own (the test project's custom app has one). Not being a subclass, it carries the
    fields the endpoints give an article type's API fields as their serializers.
    """
    own_fields = {
        "subtitle": models.CharField(max_length=100, blank=True),
        "audience": models.CharField(max_length=20, choices=AUDIENCES, default="patients"),
        "body": StreamField(SiteArticleStreamBlock(), blank=True),
    }

    class Options:
        def get_field(self, field_name):
            if field_name in own_fields:
                return own_fields[field_name]
            return ArticlePage._meta.get_field(field_name)

    Options.app_label = app_label
    Options.abstract = Options.proxy = False
    return type(
        name,
        (),
        {
            "__module__": f"{app_label}.models",
            "_meta": Options(),
            "api_fields": [
                *(
                    APIField(field.name, serializer=default_field_for(ArticlePage, field.name))
                    for field in ArticlePage.api_fields
                ),
                APIField("subtitle"),
                APIField("audience"),
            ],
        },
    )


def test_site_page_types_get_their_own_components(monkeypatch):
    from wagtail_acupuncture.models import registry

    custom = site_article_model("clinic_site", "CustomArticlePage")
    same_name = site_article_model("blog", "ArticlePage")
    monkeypatch.setattr(registry, "article_page_models", lambda: [custom, same_name, ArticlePage])
    document = build_openapi()
    schemas = document["components"]["schemas"]

    # The package's components keep their names and shapes; the site's are named after them.
    assert schemas["ArticlePage"]["properties"]["meta"]["properties"]["type"] == {
        "const": "wagtail_acupuncture.ArticlePage"
    }
    assert schemas["ArticlePage"]["properties"]["body"] == ref("ArticleStreamBlock")
    detail = schemas["CustomArticlePage"]
    assert detail["properties"]["meta"]["properties"]["type"] == {
        "const": "clinic_site.CustomArticlePage"
    }
    assert detail["properties"]["subtitle"] == {"type": "string"}
    assert "subtitle" in detail["required"]
    assert detail["properties"]["audience"] == {
        "type": "string",
        "enum": ["patients", "practitioners"],
    }
    assert schemas["BlogArticlePage"]["properties"]["meta"]["properties"]["type"] == {
        "const": "blog.ArticlePage"
    }
    for name in ("CustomArticlePage", "BlogArticlePage"):
        assert f"{name}Item" in schemas and f"{name}Listing" in schemas

    # Its body has its own blocks, and the package's.
    body = schemas[detail["properties"]["body"]["$ref"].split("/")[-1]]
    variants = [
        schemas[variant["$ref"].split("/")[-1]]["properties"]["type"]["const"]
        for variant in schemas[body["items"]["$ref"].split("/")[-1]]["oneOf"]
    ]
    assert variants == [*ArticleStreamBlock.base_blocks, "callout"]
    callout = schemas["SiteArticleStreamBlockCallout"]["properties"]["value"]
    assert callout["properties"]["text"] == {"type": "string", "contentMediaType": "text/html"}

    # Listed in the pages endpoint's unions, package types first, and named by ``type``.
    assert schemas["PageDetail"]["anyOf"] == [
        ref("ArticlePage"),
        ref("CustomArticlePage"),
        ref("BlogArticlePage"),
        ref("ArticleIndexPage"),
        ref("HomePage"),
        ref("Page"),
    ]
    assert schemas["PageListing"]["properties"]["items"]["items"]["anyOf"] == [
        ref("ArticlePageItem"),
        ref("CustomArticlePageItem"),
        ref("BlogArticlePageItem"),
        ref("ArticleIndexPageItem"),
        ref("HomePageItem"),
        ref("Page"),
    ]
    assert schemas["Page"]["properties"]["meta"]["properties"]["type"]["not"]["enum"] == [
        "wagtail_acupuncture.ArticlePage",
        "clinic_site.CustomArticlePage",
        "blog.ArticlePage",
        "wagtail_acupuncture.ArticleIndexPage",
        "clinic.HomePage",
    ]
    type_param = next(
        p for p in document["paths"]["/pages/"]["get"]["parameters"] if p["name"] == "type"
    )
    for label in ("wagtail_acupuncture.ArticlePage", "clinic_site.CustomArticlePage"):
        assert f"`{label}`" in type_param["description"]

    item = {
        "id": 7,
        "meta": {"type": "clinic_site.CustomArticlePage"},
        "title": "Callouts",
        "subtitle": "With a callout",
        "body": [{"type": "callout", "value": {"text": "<p>Hi</p>", "image": None}, "id": "c"}],
    }
    validate(document, "PageListing", {"meta": {"total_count": 1}, "items": [item]})
    item["body"][0]["value"]["image"] = 3
    with pytest.raises(ValidationError):
        validate(document, "PageListing", {"meta": {"total_count": 1}, "items": [item]})
    for name in schemas:
        assert f"export type {name} = " in typescript_definitions(document)


def test_page_types_come_from_the_registry(document):
    from wagtail_acupuncture.models import registry

    described = [*registry.article_page_models(), *registry.article_index_page_models()]
    assert ArticlePage in described and ArticleIndexPage in described
    # Other page types with API fields of their own follow: the example project's home page.
    described.append(HomePage)
    anyof = document["components"]["schemas"]["PageDetail"]["anyOf"]
    assert len(anyof) == len(described) + 1
    assert ref("HomePage") in anyof
    assert anyof[0] == ref("ArticlePage") and anyof[-1] == ref("Page")
