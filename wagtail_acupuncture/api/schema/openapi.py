"""OpenAPI 3.1 document of the headless API: components, paths, parameters and responses.

:func:`build_openapi` describes the endpoints of :data:`wagtail_acupuncture.api.endpoints.ENDPOINTS`
with the schemas of :class:`~.blocks.SchemaBuilder`. The page part comes from the page types the
site has (:mod:`wagtail_acupuncture.models.registry`): every concrete article and article index
page model, the package's own and a site's own built on the abstract bases, gets a component of
its own with its own fields and body blocks, listed in ``PageDetail`` and ``PageListing``.

OpenAPI 3.1 schemas are JSON Schema 2020-12, so responses validate with ``jsonschema`` directly
(:func:`validator_for`).
"""

from collections import Counter

from wagtail.models import get_page_models

from ... import __version__
from ...blocks.hours import DAYS
from ...models import registry
from ..endpoints import ENDPOINTS
from .blocks import INTEGER, NUMBER, REF_PREFIX, STRING, TIME, SchemaBuilder, pascal

OPENAPI_VERSION = "3.1.0"

#: App label of the package's own models, whose components keep their bare class names.
PACKAGE_APP_LABEL = "wagtail_acupuncture"

#: Components of the pages endpoint that are not one page model's.
GENERIC_PAGE_COMPONENTS = ("Page", "PageDetail", "PageListing")


# --------------------------------------------------------------------------------- pages


def described_page_models():
    """The page models described with components of their own, in document order.

    The concrete article page models, then the concrete article index page models, as the app
    registry has them (a site's own types on the package's abstract bases included); within each
    group the package's own model comes first, so its component keeps its name. Then every
    other page type that declares ``api_fields`` (a site's home page, say).
    """
    described = [
        *_package_first(registry.article_page_models()),
        *_package_first(registry.article_index_page_models()),
    ]
    return described + [
        model
        for model in get_page_models()
        if model not in described and not model._meta.abstract and getattr(model, "api_fields", None)
    ]


def _package_first(page_models):
    return sorted(page_models, key=lambda model: model._meta.app_label != PACKAGE_APP_LABEL)


def page_type_label(model):
    """``app_label.ModelName``: the page's ``meta.type`` and the pages endpoint's ``?type=``."""
    return f"{model._meta.app_label}.{model.__name__}"


def page_component_names(page_models, taken=()):
    """The component name of each page model, by model.

    A model's class name; the package's own models always keep it. A site's model whose class
    name another of ``page_models`` shares, or that is (with its ``Item`` and ``Listing``) among
    the ``taken`` component names, gets its app label in PascalCase before it
    (``blog.ArticlePage`` → ``BlogArticlePage``), then a number if that is taken too.
    """
    counts = Counter(model.__name__ for model in page_models)
    used = set(taken)
    names = {}
    for model in _package_first(page_models):
        name = model.__name__
        if model._meta.app_label != PACKAGE_APP_LABEL and (
            counts[name] > 1 or _page_names(name) & used
        ):
            name = pascal(model._meta.app_label) + name
        base, n = name, 2
        while _page_names(name) & used:
            name, n = f"{base}{n}", n + 1
        used |= _page_names(name)
        names[model] = name
    return names


def _page_names(name):
    return {name, f"{name}Item", f"{name}Listing"}


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


def page_components(builder, endpoint, page_models, names=None):
    """Components of the pages endpoint.

    For each page model its detail (named by ``names``, by default
    :func:`page_component_names`), listing item (``…Item``) and listing (``…Listing``) schemas;
    then a generic ``Page`` for every other page type, and ``PageDetail`` and ``PageListing``,
    the unions of them all. Returns the refs of the page models' detail components, in order.
    """
    if names is None:
        names = page_component_names(
            page_models, taken=[*builder.components, *GENERIC_PAGE_COMPONENTS]
        )
    labels, detail_refs, item_refs = [], [], []
    for model in page_models:
        label = page_type_label(model)
        name = names[model]
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
        detail_refs.append(builder.define(name, detail))
        # ``fields=`` can leave out anything in a listing, even ``id`` and ``meta`` (``_``).
        item_ref = builder.define(f"{name}Item", dict(detail, required=[]))
        item_refs.append(item_ref)
        builder.define(
            f"{name}Listing",
            builder.obj(
                {
                    "meta": builder.obj({"total_count": INTEGER}),
                    "items": {"type": "array", "items": item_ref},
                }
            ),
        )
        labels.append(label)
    generic_meta = _page_meta(builder, {"type": "string", "not": {"enum": labels}})
    generic = {
        "type": "object",
        "properties": {"id": INTEGER, "meta": generic_meta, "title": STRING},
        "required": [],
        "description": "A page of another type: its own fields are not described here.",
    }
    page_ref = builder.define("Page", generic)
    builder.define(
        "PageListing",
        builder.obj(
            {
                "meta": builder.obj({"total_count": INTEGER}),
                "items": {"type": "array", "items": {"anyOf": [*item_refs, page_ref]}},
            }
        ),
    )
    builder.define("PageDetail", {"anyOf": [*detail_refs, page_ref]})
    return detail_refs


def page_type_description(page_models):
    """Description of the pages endpoint's ``type`` parameter, naming the described types."""
    labels = ", ".join(f"`{page_type_label(model)}`" for model in page_models)
    return f"Page type as `app_label.ModelName`, e.g. {labels}."


# --------------------------------------------------------------------------------- snippets, clinic


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
                "booking": builder.nullable(builder.ref("Booking")),
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
                "geo": builder.nullable(builder.obj({"latitude": NUMBER, "longitude": NUMBER})),
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
                "medical_disclaimer": {
                    **builder.html(),
                    "description": "HTML of the site's default medical disclaimer (may be empty).",
                },
            }
        ),
    )


# --------------------------------------------------------------------------------- paths


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
    builder = SchemaBuilder()
    builder.shared_components()
    snippet_components(builder, ENDPOINTS["treatments"], "Treatment")
    snippet_components(builder, ENDPOINTS["practitioners"], "Practitioner")
    clinic_component(builder)
    page_models = described_page_models()
    page_components(builder, ENDPOINTS["pages"], page_models)

    id_param = _param("id", "Primary key.", dict(INTEGER), required=True, location="path")
    page_params = [
        _param("type", page_type_description(page_models)),
        *PAGINATION_PARAMS,
        _param("search", "Full-text search."),
        _param("search_operator", "`and` or `or`.", {"enum": ["and", "or"]}),
        _param("child_of", "Parent page id, or `root`."),
        _param("descendant_of", "Ancestor page id, or `root`."),
        _param("ancestor_of", "Descendant page id."),
        _param("translation_of", "Page id, or `root`."),
        _param("locale", "Language code."),
        _param(
            "treatment",
            "Only articles related to the published treatment with this slug (none if no "
            "published treatment has it), as the article index's `?treatment=`.",
        ),
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
            "version": __version__,
            "description": "Generated by `manage.py acupuncture_api_schema` from the block "
            "definitions and API fields.",
        },
        "servers": [{"url": base_path}],
        "paths": paths,
        "components": {"schemas": dict(sorted(builder.components.items()))},
    }


def validator_for(document, component):
    """A ``jsonschema`` validator of component ``component`` of an OpenAPI ``document``."""
    # Imported here: ``jsonschema`` is a test dependency, not one of the package's, and only
    # this function needs it (the management command does not).
    from jsonschema import Draft202012Validator

    schema = {"$ref": REF_PREFIX + component, "components": document["components"]}
    return Draft202012Validator(schema)
