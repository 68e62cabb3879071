"""Structured data and search metadata: JSON-LD graphs (:mod:`.jsonld`) and the values of the
``<head>`` tags (:mod:`.meta`), pure functions of what the response's resolver prepared."""

from ..content.images import hero_rendition_specs, hero_renditions, image_renditions, rendition_filter
from ..content.richtext import rich_text_to_plain
from ..models.pages import breadcrumb_ancestors, prefetch_breadcrumbs
from .base import article_dates, language_tag
from .jsonld import (
    build_article_graph,
    build_breadcrumb_node,
    build_clinic_node,
    build_index_graph,
    build_person_node,
    build_question_node,
    build_therapy_node,
    breadcrumb_trail,
    dumps_json_ld,
    faq_items,
    faq_structured_data_enabled,
    json_ld_script,
)
from .meta import build_page_metadata

__all__ = [
    "article_dates",
    "build_article_graph",
    "build_breadcrumb_node",
    "build_clinic_node",
    "build_index_graph",
    "build_page_metadata",
    "build_person_node",
    "build_question_node",
    "build_therapy_node",
    "breadcrumb_ancestors",
    "breadcrumb_trail",
    "dumps_json_ld",
    "faq_items",
    "faq_structured_data_enabled",
    "hero_rendition_specs",
    "hero_renditions",
    "image_renditions",
    "json_ld_script",
    "language_tag",
    "prefetch_breadcrumbs",
    "rendition_filter",
    "rich_text_to_plain",
]
