"""Bulk loading for the HTML rendering of articles: a fixed number of queries per page.

Rendered as Wagtail renders a StreamField, every rich text value expands its own links and
images, every treatment card fetches its image and checks its page, and every booking call to
action checks its page: the queries grow with the body. :func:`prefetch_articles_for_render`
(called by ``AbstractArticlePage.get_context``) walks the articles first and fills the caches the
templates and :mod:`~wagtail_acupuncture.structured_data` read, with one query per model:

* the related treatments (``get_live_treatments``), with their images and pages;
* the treatments of ``related_treatments`` blocks, with their images and pages;
* the view restrictions of every treatment page and call-to-action page, together
  (:func:`~wagtail_acupuncture.links.prefetch_view_restrictions`);
* every rich text value of the bodies, expanded by Wagtail's own link and embed handlers, one
  call per link or embed type for all values together, links to pages that are not live and
  public left without ``href`` as in the API (:func:`expand_db_html_many`);
* the breadcrumb ancestors (:func:`~wagtail_acupuncture.structured_data.prefetch_breadcrumbs`);
* the hero image, author, reviewer and locale, in one query (:func:`prefetch_relations`).

The API does the same through its resolver (:mod:`wagtail_acupuncture.api.representation`),
which fills the same page-level caches from the rows it fetches anyway.
"""

from collections import defaultdict

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from wagtail import blocks
from wagtail.models import Page
from wagtail.rich_text import RichText


class ExpandedRichText(RichText):
    """A ``RichText`` whose front-end HTML was expanded beforehand, in bulk.

    Renders exactly as ``RichText`` does (``wagtailcore/shared/richtext.html``), without the
    queries of expanding it on its own.
    """

    def __init__(self, source, html):
        super().__init__(source)
        self.expanded_html = html

    def __html__(self):
        return render_to_string("wagtailcore/shared/richtext.html", {"html": self.expanded_html})


def expand_db_html_many(sources):
    """``{source: front-end HTML}`` of many stored rich text values, expanded together.

    The same output as Wagtail's ``expand_db_html`` for each value, but each registered link or
    embed handler is called once for the tags of all values (``expand_db_attributes_many``), so
    the queries do not grow with the number of values; and, as in the API, a link to a page that
    is not live or is under a view restriction keeps its text but loses its ``href``
    (:func:`hide_non_public_page_links`), so no draft's or private page's address is printed.
    Falls back to one ``expand_db_html`` per value when a site replaced Wagtail's rewriter with
    one of another kind.
    """
    from wagtail.rich_text import expand_db_html, get_rewriter
    from wagtail.rich_text.rewriters import LinkRewriter, TagRewriter

    unique = list(dict.fromkeys(source for source in sources if source))
    stages = getattr(get_rewriter(), "rewriters", None)
    if not stages or not all(isinstance(stage, TagRewriter) for stage in stages):
        return {source: expand_db_html(source) for source in unique}
    html = list(unique)
    for stage in stages:
        grouped = defaultdict(list)
        for index, text in enumerate(html):
            for tag_type, matches in stage.extract_tags(text).items():
                grouped[tag_type].extend((index, match) for match in matches)
        edits = defaultdict(list)
        for tag_type, entries in grouped.items():
            attrs_list = [m.attrs for _, m in entries]
            replacements = stage.get_tag_replacements(tag_type, attrs_list)
            if tag_type == "page" and isinstance(stage, LinkRewriter):
                replacements = hide_non_public_page_links(attrs_list, replacements)
            for (index, match), replacement in zip(entries, replacements or (), strict=False):
                edits[index].append((match.start, match.end, replacement))
        for index, changes in edits.items():
            text = html[index]
            for start, end, replacement in sorted(changes, reverse=True):
                text = text[:start] + replacement + text[end:]
            html[index] = text
    return dict(zip(unique, html, strict=True))


def hide_non_public_page_links(attrs_list, replacements):
    """``replacements`` of page links, with ``<a>`` for pages that are not live and public.

    One query for all the links (:func:`~wagtail_acupuncture.api.visibility.visible_q`).
    """
    from .api.visibility import visible_q

    def page_id(attrs):
        value = attrs.get("id", "")
        return int(value) if value.isdigit() and len(value) < 19 else None

    ids = {page_id(attrs) for attrs in attrs_list} - {None}
    visible = set(
        Page.objects.filter(visible_q(), pk__in=ids).values_list("pk", flat=True) if ids else ()
    )
    return [
        replacement if page_id(attrs) in visible else "<a>"
        for attrs, replacement in zip(attrs_list, replacements or (), strict=False)
    ]


class _BodyReferences:
    """What a walk over StreamField values found: rich text slots, treatments, pages."""

    def __init__(self):
        self.rich_text = []  # (value, setter)
        self.treatments = []
        self.pages = []

    def walk(self, block, value, setter=None):
        from wagtail.snippets.blocks import SnippetChooserBlock

        from .models import Treatment

        if value is None:
            return
        if isinstance(block, blocks.BaseStreamBlock):
            for child in value:
                self.walk(child.block, child.value, _attribute_setter(child))
        elif isinstance(block, blocks.ListBlock):
            for bound in getattr(value, "bound_blocks", ()):
                self.walk(block.child_block, bound.value, _attribute_setter(bound))
        elif isinstance(block, blocks.BaseStructBlock):
            for name, child_block in block.child_blocks.items():
                self.walk(child_block, value.get(name), _item_setter(value, name))
        elif isinstance(block, blocks.RichTextBlock):
            if type(value) is RichText and value.source and setter is not None:
                self.rich_text.append((value, setter))
        elif isinstance(block, SnippetChooserBlock) and isinstance(value, Treatment):
            self.treatments.append(value)
        elif isinstance(block, blocks.PageChooserBlock) and isinstance(value, Page):
            self.pages.append(value)


def _attribute_setter(bound):
    def set_value(new):
        bound.value = new

    return set_value


def _item_setter(mapping, key):
    def set_value(new):
        mapping[key] = new

    return set_value


def prefetch_bodies(pages, field_name="body"):
    """Prepare the StreamField ``field_name`` of ``pages`` for rendering, in bulk.

    Rich text values are replaced by :class:`ExpandedRichText` values (same source, HTML
    expanded together); chosen treatments get their images and pages, and chosen pages and
    treatment pages their view restriction check. Returns the treatments and pages found.
    """
    found = _BodyReferences()
    for page in pages:
        value = getattr(page, field_name, None)
        if value is not None:
            found.walk(value.stream_block, value)
    expanded = expand_db_html_many(value.source for value, _setter in found.rich_text)
    for value, setter in found.rich_text:
        setter(ExpandedRichText(value.source, expanded[value.source]))
    return found.treatments, found.pages


#: Forward relations an article's template reads (byline, hero image, language).
ARTICLE_RELATIONS = ("hero_image", "author", "reviewed_by", "locale")


def prefetch_relations(pages, relations=ARTICLE_RELATIONS):
    """Load the forward ``relations`` of many saved pages with one query per page type.

    The rows are fetched again with the relations joined, their primary key and keys only; a
    relation already loaded on a page, or whose key differs from the fetched row (a preview
    with unsaved changes), is left alone.
    """
    by_model = defaultdict(list)
    for page in pages:
        if page.pk is not None:
            by_model[type(page)].append(page)
    for model, group in by_model.items():
        fields = [model._meta.get_field(name) for name in relations]
        missing = [f for f in fields if any(not f.is_cached(page) for page in group)]
        if not missing:
            continue
        names = [f.name for f in missing]
        fetched = model._default_manager.select_related(*names).only("pk", *names)
        fetched = {row.pk: row for row in fetched.filter(pk__in=[page.pk for page in group])}
        for page in group:
            row = fetched.get(page.pk)
            for field in missing:
                if row is None or field.is_cached(page):
                    continue
                if getattr(row, field.attname) == getattr(page, field.attname):
                    field.set_cached_value(page, field.get_cached_value(row))
    return pages


def prefetch_articles_for_render(pages):
    """Fill every cache an article's template reads, for many articles, in a few queries."""
    from .links import prefetch_view_restrictions
    from .models.pages import prefetch_live_treatments
    from .structured_data import prefetch_breadcrumbs

    pages = [page for page in pages if page is not None]
    if not pages:
        return pages
    prefetch_relations(pages)
    prefetch_live_treatments(
        pages, select_related=("treatment", "treatment__image", "treatment__page")
    )
    treatments, linked_pages = prefetch_bodies(pages)
    treatments += [t for page in pages for t in page.get_live_treatments()]
    prefetch_related_objects([t for t in treatments if t.image_id], "image")
    prefetch_related_objects([t for t in treatments if t.page_id], "page")
    prefetch_view_restrictions([t.page for t in treatments if t.page_id] + linked_pages)
    prefetch_breadcrumbs(pages)
    return pages
