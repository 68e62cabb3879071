"""OpenAPI 3.1 document and TypeScript types of the headless API, derived from the code.

Nothing here is written per block: :class:`SchemaBuilder` walks the block definitions
(``StreamBlock`` → ``StructBlock`` → ``ListBlock`` → field and chooser blocks). A block whose API
output differs from the default describes the difference next to its
``get_api_representation`` in a ``get_api_schema(builder)`` method, which starts from
:meth:`SchemaBuilder.struct` (the schema derived from its child blocks) and adds or replaces what
it adds or replaces in the output - as the representation starts from ``super()``. Page and
snippet fields come from the endpoints' ``api_fields``: model fields by their type, the package's
computed fields by their ``json_schema``. The page types described are those the site has
(:mod:`wagtail_acupuncture.models.registry`), a site's own article types included.

Modules, one per role:

:mod:`.blocks`
    :class:`SchemaBuilder`: JSON Schema of blocks and API fields, shared components.
:mod:`.openapi`
    :func:`build_openapi` (components, paths, parameters, responses) and :func:`validator_for`.
:mod:`.typescript`
    :func:`typescript_definitions`.

Every name is importable from this package, as from the single module it used to be.
"""

from .blocks import (
    HTML,
    INTEGER,
    NUMBER,
    REF_PREFIX,
    SNIPPET_COMPONENTS,
    STRING,
    TIME,
    SchemaBuilder,
    pascal,
)
from .openapi import (
    CONDITIONAL_PARAMS,
    ERROR_TEXTS,
    GENERIC_PAGE_COMPONENTS,
    OPENAPI_VERSION,
    PACKAGE_APP_LABEL,
    PAGINATION_PARAMS,
    PRIVATE_HEADERS,
    RICH_TEXT_PARAM,
    VALIDATOR_HEADERS,
    build_openapi,
    clinic_component,
    described_page_models,
    page_component_names,
    page_components,
    page_type_description,
    page_type_label,
    snippet_components,
    validator_for,
)
from .typescript import typescript_definitions

__all__ = [
    "CONDITIONAL_PARAMS",
    "ERROR_TEXTS",
    "GENERIC_PAGE_COMPONENTS",
    "HTML",
    "INTEGER",
    "NUMBER",
    "OPENAPI_VERSION",
    "PACKAGE_APP_LABEL",
    "PAGINATION_PARAMS",
    "PRIVATE_HEADERS",
    "REF_PREFIX",
    "RICH_TEXT_PARAM",
    "SNIPPET_COMPONENTS",
    "STRING",
    "TIME",
    "VALIDATOR_HEADERS",
    "SchemaBuilder",
    "build_openapi",
    "clinic_component",
    "described_page_models",
    "page_component_names",
    "page_components",
    "page_type_description",
    "page_type_label",
    "pascal",
    "snippet_components",
    "typescript_definitions",
    "validator_for",
]
