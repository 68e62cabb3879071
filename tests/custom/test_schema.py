"""``manage.py acupuncture_api_schema`` describes the custom article type and its callout block.

Read from the command's output (OpenAPI and TypeScript), as a frontend team would: a component for
``CustomArticlePage`` with the fields it adds, its body with the ``callout`` block, and a detail
response of the API that validates against that component.
"""

import io
import json

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator

from tests.api_fixtures import API
from tests.custom.helpers import CUSTOM_TYPE, callout, make_custom_article, policy_html

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]

REF_PREFIX = "#/components/schemas/"


def run_schema_command(*args):
    out = io.StringIO()
    call_command("acupuncture_api_schema", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def document():
    return json.loads(run_schema_command())


def deref(document, schema):
    """``schema`` with ``$ref`` (and a nullable ``anyOf`` around one) followed."""
    while True:
        if "$ref" in schema:
            schema = document["components"]["schemas"][schema["$ref"].removeprefix(REF_PREFIX)]
        elif "anyOf" in schema:
            options = [s for s in schema["anyOf"] if s.get("type") != "null"]
            if len(options) != 1:
                return schema
            schema = options[0]
        else:
            return schema


def custom_page_component(document):
    """``(name, schema)`` of the component describing a custom article detail."""
    found = [
        (name, schema)
        for name, schema in document["components"]["schemas"].items()
        if schema.get("properties", {}).get("meta", {}).get("properties", {}).get("type")
        == {"const": CUSTOM_TYPE}
        and "items" not in name.lower()
        and "required" in schema
    ]
    assert found, "no component for custom_app.CustomArticlePage"
    return min(found, key=lambda item: len(item[0]))


def stream_variants(document, body_schema):
    stream = deref(document, body_schema)
    assert stream["type"] == "array"
    items = deref(document, stream["items"])
    return {
        deref(document, variant)["properties"]["type"]["const"]: deref(document, variant)
        for variant in items["oneOf"]
    }


def test_openapi_has_a_component_for_the_custom_article(document):
    name, schema = custom_page_component(document)
    properties = schema["properties"]
    assert properties["subtitle"]["type"] == "string"
    assert set(deref(document, properties["audience"]).get("enum", [])) >= {
        "patients",
        "practitioners",
    }
    for field in ("body", "related_treatments", "related_articles", "structured_data"):
        assert field in properties, field
    page_detail = document["components"]["schemas"]["PageDetail"]
    refs = [option.get("$ref") for option in page_detail["anyOf"]]
    assert f"{REF_PREFIX}{name}" in refs


def test_openapi_describes_the_callout_block(document):
    _name, schema = custom_page_component(document)
    variants = stream_variants(document, schema["properties"]["body"])
    assert {"heading", "paragraph", "faq", "booking_cta", "related_treatments"} <= set(variants)
    value = deref(document, variants["callout"]["properties"]["value"])
    properties = value["properties"]
    assert properties["text"]["type"] == "string"
    partner = deref(document, properties["partner"])
    assert set(partner["properties"]) == {"id", "type", "title"}
    image = deref(document, properties["image"])
    assert "renditions" in image["properties"]
    assert {"type": "null"} in properties["partner"]["anyOf"]
    assert {"type": "null"} in properties["image"]["anyOf"]


def test_a_custom_article_detail_validates_against_its_component(
    client, document, index, clinic, targets
):
    page = make_custom_article(
        index,
        body=[
            callout("c1", policy_html(targets), partner=targets["partner"], image=targets["image"]),
            callout("c2", "<p>Plain.</p>", partner=targets["draft_partner"]),
        ],
    )
    data = client.get(f"{API}/pages/{page.pk}/").json()
    name, _schema = custom_page_component(document)
    validator = Draft202012Validator(
        {"$ref": f"{REF_PREFIX}{name}", "components": document["components"]}
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_typescript_declares_the_custom_article_and_the_callout():
    typescript = run_schema_command("--format", "typescript")
    assert f'type: "{CUSTOM_TYPE}";' in typescript
    assert "subtitle: string;" in typescript
    assert '"patients"' in typescript and '"practitioners"' in typescript
    assert 'type: "callout";' in typescript
