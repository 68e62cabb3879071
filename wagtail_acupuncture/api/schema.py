"""OpenAPI 3.1 document and TypeScript types of the headless API, derived from the code.

Nothing here is written per block: :class:`SchemaBuilder` walks the block definitions
(``StreamBlock`` → ``StructBlock`` → ``ListBlock`` → field and chooser blocks). A block whose API
output differs from Wagtail's default describes the difference next to its
``get_api_representation`` in a ``get_api_schema(builder)`` method, which starts from
:meth:`SchemaBuilder.struct` (the schema derived from its child blocks) and adds or replaces what
it adds or replaces in the output - as the representation starts from ``super()``. Page and
snippet fields come from the endpoints' ``api_fields``: model fields by their type, the package's
computed fields by their ``json_schema``.

The document uses OpenAPI 3.1, whose schemas are JSON Schema 2020-12, so responses can be
validated with ``jsonschema`` directly (:func:`validator_for`). :func:`typescript_definitions`
turns the components into TypeScript declarations.
"""

import copy
import json
import re

from django.db import models
from wagtail import blocks

from ..blocks.hours import DAYS
from ..conf import acupuncture_settings

OPENAPI_VERSION = "3.1.0"
REF_PREFIX = "#/components/schemas/"

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
TIME = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
HTML = {"type": "string", "contentMediaType": "text/html"}


def pascal(name):
    """``key_points`` → ``KeyPoints``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)


def _is_package_class(cls):
    return not cls.__module__.startswith(("wagtail.", "django."))


class SchemaBuilder:
    """Builds JSON Schemas and collects them as named components."""

    def __init__(self):
        self.components = {}
        self._block_refs = {}

    # ----------------------------------------------------------------------------- helpers

    @staticmethod
    def ref(name):
        """A ``$ref`` to component ``name``."""
        return {"$ref": REF_PREFIX + name}

    def define(self, name, schema):
        """Register ``schema`` as component ``name`` (suffixed if taken) and return its ref."""
        candidate, n = name, 2
        while candidate in self.components and self.components[candidate] != schema:
            candidate, n = f"{name}{n}", n + 1
        self.components[candidate] = schema
        return self.ref(candidate)

    def deref(self, schema):
        """The component a ``$ref`` points to, else ``schema`` itself."""
        ref = schema.get("$ref", "")
        return self.components[ref[len(REF_PREFIX) :]] if ref.startswith(REF_PREFIX) else schema

    @staticmethod
    def nullable(schema):
        """``schema`` or ``null``."""
        schema = dict(schema)
        if "$ref" in schema or "type" not in schema:
            return {"anyOf": [schema, {"type": "null"}]}
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if "null" not in types:
            schema["type"] = [*types, "null"]
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema

    @staticmethod
    def html(block=None):
        """An HTML string (front-end HTML of rich text)."""
        return dict(HTML)

    @staticmethod
    def obj(properties, required=None, **extra):
        """A closed object schema; all properties required unless ``required`` is given."""
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties) if required is None else list(required),
            "additionalProperties": False,
            **extra,
        }

    # ----------------------------------------------------------------------------- blocks

    def block(self, block):
        """Schema of ``block``'s API representation (a ref for the package's named blocks)."""
        key = id(block)
        if key in self._block_refs:
            return self._block_refs[key]
        method = getattr(block, "get_api_schema", None)
        schema = method(self) if method is not None else self.default_block(block)
        if _is_package_class(type(block)) and "$ref" not in schema:
            description = str(getattr(block.meta, "description", "") or "")
            if description and "description" not in schema:
                schema = {**schema, "description": description}
            schema = self.define(type(block).__name__, schema)
        self._block_refs[key] = schema
        return schema

    def default_block(self, block):
        """Schema of Wagtail's own representation of ``block``."""
        from wagtail.documents.blocks import DocumentChooserBlock
        from wagtail.images.blocks import ImageChooserBlock
        from wagtail.snippets.blocks import SnippetChooserBlock

        if isinstance(block, blocks.BaseStreamBlock):
            return self.stream(block)
        if isinstance(block, blocks.ListBlock):
            return {"type": "array", "items": self.block(block.child_block)}
        if isinstance(block, blocks.BaseStructBlock):
            return self.struct(block)
        if isinstance(block, blocks.RichTextBlock):
            return dict(STRING)
        if isinstance(block, blocks.BooleanBlock):
            return {"type": "boolean"}
        if isinstance(block, blocks.ChoiceBlock):
            values = self.choice_values(block)
            schema = {"type": "string", "enum": values}
            if not block.required and "" not in values:
                schema["enum"] = [*values, ""]
            return schema
        if isinstance(block, blocks.IntegerBlock):
            return self._maybe_null(block, INTEGER)
        if isinstance(block, (blocks.FloatBlock, blocks.DecimalBlock)):
            return self._maybe_null(block, {"type": "number"})
        if isinstance(block, blocks.DateTimeBlock):
            return self._maybe_null(block, {"type": "string", "format": "date-time"})
        if isinstance(block, blocks.DateBlock):
            return self._maybe_null(block, {"type": "string", "format": "date"})
        if isinstance(block, blocks.TimeBlock):
            return self._maybe_null(block, {"type": "string", "format": "time"})
        if isinstance(block, blocks.StaticBlock):
            return {"type": "null"}
        if isinstance(
            block,
            (ImageChooserBlock, DocumentChooserBlock, SnippetChooserBlock, blocks.ChooserBlock),
        ):
            return self.nullable({**INTEGER, "description": "Primary key of the chosen object."})
        if isinstance(block, blocks.FieldBlock):
            return dict(STRING)
        return {}

    def _maybe_null(self, block, schema):
        return dict(schema) if block.required else self.nullable(schema)

    @staticmethod
    def choice_values(block):
        """The values of a ``ChoiceBlock``'s choices (groups flattened, blank left out)."""
        values = []
        for value, label in block.field.choices:
            if isinstance(label, (list, tuple)):
                values.extend(str(v) for v, _label in label)
            elif value != "":
                values.append(str(value))
        return values

    def struct(self, block, exclude=()):
        """Closed object schema of a ``StructBlock`` from its child blocks (a fresh dict)."""
        properties = {
            name: self.block(child)
            for name, child in block.child_blocks.items()
            if name not in exclude
        }
        schema = self.obj(properties)
        label = getattr(block.meta, "label", None)
        if label:
            schema["title"] = str(label)
        return schema

    def list_with_ids(self, list_block):
        """Array schema of a ``ListBlock`` whose items carry their stable ``id``.

        Struct items get an ``id`` property; other items become ``{id, value}``.
        """
        child = self.block(list_block.child_block)
        target = self.deref(child)
        if target.get("type") == "object" and "properties" in target:
            item = copy.deepcopy(target)
            item["properties"] = {"id": {"type": "string"}, **item["properties"]}
            item["required"] = ["id", *[n for n in item.get("required", []) if n != "id"]]
            if "$ref" in child:
                item = self.define(child["$ref"][len(REF_PREFIX) :] + "Item", item)
        else:
            item = self.obj({"id": {"type": "string"}, "value": child})
        return {"type": "array", "items": item}

    def stream(self, block):
        """Array of ``{type, value, id}`` children, one variant per child block type."""
        owner = type(block).__name__ if _is_package_class(type(block)) else "Stream"
        variants = []
        for name, child in block.child_blocks.items():
            variant = self.obj(
                {
                    "type": {"const": name},
                    "value": self.block(child),
                    "id": {"type": "string"},
                },
                title=str(getattr(child.meta, "label", "") or name),
            )
            variants.append(self.define(f"{owner}{pascal(name)}", variant))
        child_ref = self.define(f"{owner}Child", {"oneOf": variants})
        return {"type": "array", "items": child_ref}

    # ----------------------------------------------------------------------------- fields

    def model_field(self, model, name):
        """Schema of a model field as Wagtail's API serializes it."""
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a property or computed attribute
            return {}
        if isinstance(field, (models.AutoField, models.BigAutoField)):
            return dict(INTEGER)
        if isinstance(field, models.BooleanField):
            schema = {"type": "boolean"}
        elif isinstance(field, (models.IntegerField,)):
            schema = dict(INTEGER)
        elif isinstance(field, (models.FloatField, models.DecimalField)):
            schema = {"type": "number"}
        elif isinstance(field, models.DateTimeField):
            schema = {"type": "string", "format": "date-time"}
        elif isinstance(field, models.DateField):
            schema = {"type": "string", "format": "date"}
        elif isinstance(field, (models.CharField, models.TextField)):
            schema = dict(STRING)
        else:
            return {}
        return self.nullable(schema) if field.null else schema

    def api_field(self, endpoint, model, api_field):
        """Schema of one API field of ``model`` on ``endpoint``."""
        from .fields import ResolvedField

        serializer = getattr(api_field, "serializer", None)
        if isinstance(serializer, ResolvedField):
            return serializer.json_schema(self, model, api_field.name)
        if api_field.name == "id":
            return dict(INTEGER)
        return self.model_field(model, api_field.name)

    # ----------------------------------------------------------------------------- shared

    def shared_components(self):
        """Images, page references, snippets and other shapes shared by blocks and fields."""
        rendition = self.define(
            "Rendition",
            self.obj({"url": {"type": "string"}, "width": INTEGER, "height": INTEGER}),
        )
        names = list(acupuncture_settings.IMAGE_RENDITIONS)
        self.define(
            "Image",
            self.obj(
                {
                    "id": INTEGER,
                    "title": STRING,
                    "alt": STRING,
                    "width": INTEGER,
                    "height": INTEGER,
                    "focal_point": self.nullable(
                        self.obj({"x": INTEGER, "y": INTEGER, "width": INTEGER, "height": INTEGER})
                    ),
                    "renditions": self.obj(
                        dict.fromkeys(names, rendition),
                        required=[],
                        description="By IMAGE_RENDITIONS name; one is missing only when the "
                        "source file is.",
                    ),
                },
                description="An image with its renditions (absolute URLs).",
            ),
        )
        self.define(
            "PageRef",
            self.obj(
                {"id": INTEGER, "title": STRING, "url": self.nullable(STRING), "type": STRING}
            ),
        )
        self.define(
            "Treatment",
            self.obj(
                {
                    "id": INTEGER,
                    "name": STRING,
                    "slug": STRING,
                    "summary": STRING,
                    "url": self.nullable(STRING),
                    "image": self.nullable(self.ref("Image")),
                },
                description="A published treatment.",
            ),
        )
        self.define(
            "Practitioner",
            self.obj(
                {
                    "id": INTEGER,
                    "name": STRING,
                    "credentials": STRING,
                    "job_title": STRING,
                    "display_name": STRING,
                    "photo": self.nullable(self.ref("Image")),
                    "bio": dict(HTML),
                    "booking_url": self.nullable(STRING),
                    "profile_url": self.nullable(STRING),
                }
            ),
        )
        self.define(
            "ArticleCard",
            self.obj(
                {
                    "id": INTEGER,
                    "title": STRING,
                    "url": self.nullable(STRING),
                    "type": STRING,
                    "intro": STRING,
                    "published_date": self.nullable({"type": "string", "format": "date"}),
                    "hero_image": self.nullable(self.ref("Image")),
                }
            ),
        )
        self.define(
            "TableOfContentsEntry",
            self.obj({"text": STRING, "anchor": STRING, "level": {"enum": [2, 3, 4]}}),
        )
        self.define("Error", self.obj({"message": STRING}))
        summary_meta = self.obj(
            {"type": STRING, "detail_url": STRING, "html_url": self.nullable(STRING)},
            required=["type"],
        )
        self.define(
            "PageSummary",
            self.obj({"id": INTEGER, "meta": summary_meta, "title": STRING}),
        )


# --------------------------------------------------------------------------------- endpoints


def _page_meta(builder, type_schema):
    return builder.obj(
        {
            "type": type_schema,
            "detail_url": STRING,
            "html_url": builder.nullable(STRING),
            "slug": STRING,
            "show_in_menus": {"type": "boolean"},
            "seo_title": STRING,
            "search_description": STRING,
            "first_published_at": builder.nullable({"type": "string", "format": "date-time"}),
            "alias_of": builder.nullable(builder.ref("PageSummary")),
            "parent": builder.nullable(builder.ref("PageSummary")),
            "locale": STRING,
        },
        required=["type"],
    )


def page_components(builder, endpoint, page_models):
    """Detail, listing item and listing schemas of each page model, plus a generic page."""
    names = []
    for model in page_models:
        label = f"{model._meta.app_label}.{model.__name__}"
        name = model.__name__
        fields = {
            field.name: builder.api_field(endpoint, model, field)
            for field in endpoint.get_body_fields(model)
        }
        meta = _page_meta(builder, {"const": label})
        detail = builder.obj({"id": fields.pop("id"), "meta": meta, **fields})
        detail_fields = set(endpoint.get_detail_default_fields(model))
        detail["required"] = [
            key for key in detail["properties"] if key in detail_fields or key == "meta"
        ]
        builder.define(name, detail)
        # ``fields=`` can leave out anything in a listing, even ``id`` and ``meta`` (``_``).
        item = dict(detail, required=[])
        item_ref = builder.define(f"{name}Item", item)
        builder.define(
            f"{name}Listing",
            builder.obj(
                {
                    "meta": builder.obj({"total_count": INTEGER}),
                    "items": {"type": "array", "items": item_ref},
                }
            ),
        )
        names.append(label)
    generic_meta = _page_meta(builder, {"type": "string", "not": {"enum": names}})
    generic = {
        "type": "object",
        "properties": {"id": INTEGER, "meta": generic_meta, "title": STRING},
        "required": [],
        "description": "A page of another type: its own fields are not described here.",
    }
    builder.define("Page", generic)
    builder.define(
        "PageListing",
        builder.obj(
            {
                "meta": builder.obj({"total_count": INTEGER}),
                "items": {
                    "type": "array",
                    "items": {
                        "anyOf": [builder.ref(f"{m.__name__}Item") for m in page_models]
                        + [builder.ref("Page")]
                    },
                },
            }
        ),
    )


def snippet_components(builder, endpoint, name):
    """Detail and listing schemas of a snippet endpoint."""
    model = endpoint.model
    fields = {
        field.name: builder.api_field(endpoint, model, field)
        for field in endpoint.get_body_fields(model)
    }
    label = f"{model._meta.app_label}.{model.__name__}"
    meta = builder.obj({"type": {"const": label}, "detail_url": STRING}, required=["type"])
    detail = builder.obj({"id": fields.pop("id"), "meta": meta, **fields})
    builder.define(f"{name}Detail", detail)
    item = builder.define(f"{name}Item", dict(detail, required=[]))
    builder.define(
        f"{name}Listing",
        builder.obj(
            {
                "meta": builder.obj({"total_count": INTEGER}),
                "items": {"type": "array", "items": item},
            }
        ),
    )


def clinic_component(builder):
    """Schema of the ``clinic`` endpoint (``endpoints.clinic_representation``)."""
    builder.define(
        "Clinic",
        builder.obj(
            {
                "name": STRING,
                "booking_url": builder.nullable(STRING),
                "phone": STRING,
                "email": STRING,
                "address": builder.obj(
                    {
                        "street_address": STRING,
                        "address_locality": STRING,
                        "address_region": STRING,
                        "postal_code": STRING,
                        "address_country": STRING,
                    }
                ),
                "default_cta": builder.obj(
                    {"heading": STRING, "text": STRING, "button_label": STRING}
                ),
                "logo": builder.nullable(builder.ref("Image")),
                "geo": builder.nullable(
                    builder.obj({"latitude": NUMBER, "longitude": NUMBER})
                ),
                "opening_hours": {
                    "type": "array",
                    "items": builder.obj(
                        {
                            "days": {
                                "type": "array",
                                "items": {"enum": [value for value, _label in DAYS]},
                            },
                            "opens": TIME,
                            "closes": TIME,
                        }
                    ),
                },
                "profile_urls": {"type": "array", "items": STRING},
                "faq_structured_data": {"type": "boolean"},
            }
        ),
    )


def _param(name, description, schema=None, required=False, location="query"):
    return {
        "name": name,
        "in": location,
        "required": required,
        "description": description,
        "schema": schema or dict(STRING),
    }


PAGINATION_PARAMS = [
    _param("limit", "Items per response (0 to API_LIMIT_MAX).", {"type": "integer", "minimum": 0}),
    _param("offset", "Items to skip (0 to API_OFFSET_MAX).", {"type": "integer", "minimum": 0}),
    _param("fields", "Fields to include: `*`, `_`, names, `-name`."),
    _param("order", "Field to order by, `-` for descending."),
]
RICH_TEXT_PARAM = _param(
    "rich_text_format", "Only `html` (the default) is accepted.", {"enum": ["html"]}
)


#: Request headers of a conditional GET (``api.caching.HTTPCachingMixin``).
CONDITIONAL_PARAMS = [
    _param("If-None-Match", "`ETag`s of copies held: 304 if one is current.", location="header"),
    _param(
        "If-Modified-Since",
        "Without `If-None-Match`: 304 unless changed since this HTTP date.",
        location="header",
    ),
]

#: Response headers of a public response.
VALIDATOR_HEADERS = {
    "ETag": {
        "description": "Strong validator: the SHA-256 of the body, quoted.",
        "schema": dict(STRING),
    },
    "Last-Modified": {
        "description": "When the response last changed (HTTP date).",
        "schema": dict(STRING),
    },
    "Cache-Control": {
        "description": "`API_CACHE_CONTROL` (default `public, max-age=60, "
        "stale-while-revalidate=300`).",
        "schema": dict(STRING),
    },
}

#: ``Cache-Control`` of previews and every other personal response.
PRIVATE_HEADERS = {
    "Cache-Control": {
        "description": "Always `private, no-store`.",
        "schema": {"const": "private, no-store"},
    }
}

ERROR_TEXTS = {
    "400": "Bad request",
    "401": "Missing or expired preview token",
    "403": "Tampered or unknown preview token, or one for another kind of object",
    "404": "Not found",
}


def _responses(ok_ref, *errors, headers=None):
    """``200`` with ``ok_ref`` (and a ``304`` for public responses), then ``Error`` answers."""
    public = headers is None
    responses = {
        "200": {
            "description": "OK",
            "headers": dict(VALIDATOR_HEADERS if public else headers),
            "content": {"application/json": {"schema": SchemaBuilder.ref(ok_ref)}},
        }
    }
    if public:
        responses["304"] = {
            "description": "Not modified: the copy named by the conditional headers is current.",
            "headers": dict(VALIDATOR_HEADERS),
        }
    for code in errors:
        responses[code] = {
            "description": ERROR_TEXTS[code],
            "content": {"application/json": {"schema": SchemaBuilder.ref("Error")}},
        }
    return responses


def _preview(summary, ok_ref):
    return {
        "get": {
            "summary": summary,
            "parameters": [
                _param("token", "Preview token from the editor's preview URL.", required=True),
                _param("content_type", "`app_label.model` of the previewed object (ignored)."),
                _param("fields", "Fields to include, as on the detail endpoint."),
                RICH_TEXT_PARAM,
            ],
            "responses": _responses(ok_ref, "400", "401", "403", headers=PRIVATE_HEADERS),
        }
    }


def _redirect(*params):
    return {
        "get": {
            "parameters": list(params),
            "responses": {
                "302": {"description": "Redirect to the detail URL"},
                "400": _responses("Error", "400")["400"],
                "404": _responses("Error", "404")["404"],
            },
        }
    }


def build_openapi(base_path="/api/v2"):
    """The OpenAPI 3.1 document of the package's endpoints, as a dict."""
    from ..models import ArticleIndexPage, ArticlePage
    from .endpoints import ENDPOINTS

    builder = SchemaBuilder()
    builder.shared_components()
    pages = ENDPOINTS["pages"]
    page_components(builder, pages, [ArticlePage, ArticleIndexPage])
    snippet_components(builder, ENDPOINTS["treatments"], "Treatment")
    snippet_components(builder, ENDPOINTS["practitioners"], "Practitioner")
    clinic_component(builder)

    page_detail = {
        "anyOf": [builder.ref("ArticlePage"), builder.ref("ArticleIndexPage"), builder.ref("Page")]
    }
    builder.define("PageDetail", page_detail)
    id_param = _param("id", "Primary key.", dict(INTEGER), required=True, location="path")
    page_params = [
        _param("type", "Page type, e.g. `wagtail_acupuncture.ArticlePage`."),
        *PAGINATION_PARAMS,
        _param("search", "Full-text search."),
        _param("search_operator", "`and` or `or`.", {"enum": ["and", "or"]}),
        _param("child_of", "Parent page id, or `root`."),
        _param("descendant_of", "Ancestor page id, or `root`."),
        _param("ancestor_of", "Descendant page id."),
        _param("translation_of", "Page id, or `root`."),
        _param("locale", "Language code."),
        RICH_TEXT_PARAM,
    ]
    paths = {
        "/pages/": {
            "get": {
                "summary": "Live, public pages of the site",
                "parameters": page_params + CONDITIONAL_PARAMS,
                "responses": _responses("PageListing", "400", "404"),
            }
        },
        "/pages/{id}/": {
            "get": {
                "summary": "One page",
                "parameters": [
                    id_param,
                    RICH_TEXT_PARAM,
                    _param("fields", "Fields to include."),
                    *CONDITIONAL_PARAMS,
                ],
                "responses": _responses("PageDetail", "400", "404"),
            }
        },
        "/pages/find/": _redirect(
            _param("html_path", "Path of the page on the site."), _param("id", "Page id.")
        ),
        "/treatments/": {
            "get": {
                "summary": "Published treatments",
                "parameters": [
                    _param("slug", "Only the treatment with this slug (404 if none)."),
                    *PAGINATION_PARAMS,
                    *CONDITIONAL_PARAMS,
                ],
                "responses": _responses("TreatmentListing", "400", "404"),
            }
        },
        "/treatments/{id}/": {
            "get": {
                "summary": "One published treatment",
                "parameters": [id_param, *CONDITIONAL_PARAMS],
                "responses": _responses("TreatmentDetail", "400", "404"),
            }
        },
        "/treatments/find/": _redirect(
            _param("slug", "Treatment slug."), _param("id", "Treatment id.")
        ),
        "/practitioners/": {
            "get": {
                "summary": "Practitioners",
                "parameters": PAGINATION_PARAMS + CONDITIONAL_PARAMS,
                "responses": _responses("PractitionerListing", "400"),
            }
        },
        "/practitioners/{id}/": {
            "get": {
                "summary": "One practitioner",
                "parameters": [id_param, *CONDITIONAL_PARAMS],
                "responses": _responses("PractitionerDetail", "400", "404"),
            }
        },
        "/clinic/": {
            "get": {
                "summary": "The clinic of the request's site",
                "parameters": CONDITIONAL_PARAMS,
                "responses": _responses("Clinic", "400", "404"),
            }
        },
        "/page_preview/": _preview(
            "An editor's draft of a page, in the shape of `pages/{id}/`", "PageDetail"
        ),
        "/treatment_preview/": _preview(
            "An editor's draft of a treatment, in the shape of `treatments/{id}/`",
            "TreatmentDetail",
        ),
    }
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "wagtail-acupuncture headless API",
            "version": _package_version(),
            "description": "Generated by `manage.py acupuncture_api_schema` from the block "
            "definitions and API fields.",
        },
        "servers": [{"url": base_path}],
        "paths": paths,
        "components": {"schemas": dict(sorted(builder.components.items()))},
    }


def _package_version():
    from .. import __version__

    return __version__


def validator_for(document, component):
    """A ``jsonschema`` validator of component ``component`` of an OpenAPI ``document``."""
    from jsonschema import Draft202012Validator

    schema = {"$ref": REF_PREFIX + component, "components": document["components"]}
    return Draft202012Validator(schema)


# --------------------------------------------------------------------------------- TypeScript


def _ts_type(schema, indent=""):
    if not schema:
        return "unknown"
    if "$ref" in schema:
        return schema["$ref"][len(REF_PREFIX) :]
    if "const" in schema:
        return json.dumps(schema["const"])
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return " | ".join(_ts_type(option, indent) for option in schema[key])
    if "enum" in schema:
        return " | ".join(json.dumps(value) for value in schema["enum"])
    types = schema.get("type")
    if isinstance(types, list):
        return " | ".join(_ts_type({**schema, "type": t}, indent) for t in types)
    if types == "object" or "properties" in schema:
        return _ts_object(schema, indent)
    if types == "array":
        inner = _ts_type(schema.get("items", {}), indent)
        return f"Array<{inner}>"
    return {
        "string": "string",
        "integer": "number",
        "number": "number",
        "boolean": "boolean",
        "null": "null",
    }.get(types, "unknown")


def _ts_object(schema, indent):
    inner = indent + "  "
    lines = ["{"]
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        key = name if re.fullmatch(r"[A-Za-z_$][\w$]*", name) else json.dumps(name)
        optional = "" if name in required else "?"
        if prop.get("description"):
            lines.append(f"{inner}/** {prop['description']} */")
        lines.append(f"{inner}{key}{optional}: {_ts_type(prop, inner)};")
    extra = schema.get("additionalProperties", True)
    if extra is not False:
        lines.append(f"{inner}[key: string]: unknown;")
    lines.append(indent + "}")
    return "\n".join(lines)


def typescript_definitions(document):
    """TypeScript declarations (``export type``) of the document's component schemas."""
    out = [
        "// Generated by `manage.py acupuncture_api_schema --format typescript`. Do not edit.",
        f"// {document['info']['title']} {document['info']['version']}",
        "",
    ]
    for name, schema in document["components"]["schemas"].items():
        description = schema.get("description") or schema.get("title")
        if description:
            out.append(f"/** {description} */")
        out.append(f"export type {name} = {_ts_type(schema)};")
        out.append("")
    return "\n".join(out)
