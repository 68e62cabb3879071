"""Search metadata and JSON-LD tags: ``{% load wagtail_acupuncture_seo %}``.

The tags only call the pure functions in :mod:`wagtail_acupuncture.structured_data`; templates
decide the markup (``includes/meta.html``, ``includes/json_ld.html``).
"""

from django import template

from ..structured_data import (
    build_article_graph,
    build_index_graph,
    build_page_metadata,
    json_ld_script,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def article_json_ld(context, page=None):
    """``<script type="application/ld+json">`` with the article's graph.

    Usage: ``{% article_json_ld page %}``. Prints exactly :func:`build_article_graph`, the value the
    API delivers as ``structured_data``.
    """
    page = page or context.get("page")
    if page is None:
        return ""
    return json_ld_script(build_article_graph(page, request=context.get("request")))


@register.simple_tag(takes_context=True)
def index_json_ld(context, page=None, articles=None):
    """``<script type="application/ld+json">`` with an article index's graph.

    Usage: ``{% index_json_ld page articles %}``, ``articles`` being the page of the listing
    shown (a ``Page`` of a paginator, whose positions then continue from earlier pages).
    Prints exactly :func:`build_index_graph`.
    """
    page = page or context.get("page")
    if page is None:
        return ""
    articles = context.get("articles") if articles is None else articles
    start = articles.start_index() if hasattr(articles, "start_index") else 1
    graph = build_index_graph(
        page, list(articles or ()), request=context.get("request"), start=max(start, 1)
    )
    return json_ld_script(graph)


@register.filter
def json_ld(value):
    """Any JSON-LD dict as a safe ``<script type="application/ld+json">`` element."""
    return json_ld_script(value)


@register.simple_tag(takes_context=True)
def page_metadata(context, page=None):
    """The values of the page's ``<head>`` tags (see :func:`build_page_metadata`).

    Usage: ``{% page_metadata page as seo %}``. On an article index, the canonical URL keeps the
    treatment filter and the page number (from 2) of the listing being shown.
    """
    page = page or context.get("page")
    if page is None:
        return {}
    query = {}
    treatment = context.get("treatment")
    if treatment is not None and getattr(page, "treatment_param", None):
        query[page.treatment_param] = treatment.slug
    articles = context.get("articles")
    number = getattr(articles, "number", None)
    if number and number > 1:
        query["page"] = number
    return build_page_metadata(page, request=context.get("request"), canonical_query=query)
