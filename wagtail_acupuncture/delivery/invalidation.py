"""Which URLs a content change makes stale.

:func:`describe_change` takes a changed object (an article or article index page, a treatment, a
practitioner or a site's clinic settings) and what happened to it, and returns a :class:`Change`:
the object as a plain dict and every absolute URL to refresh. Purging
(:mod:`~wagtail_acupuncture.delivery.purge`) and revalidation webhooks
(:mod:`~wagtail_acupuncture.delivery.webhooks`) both work from it.

The URLs are, for a page:

* its own URLs (``Page.get_full_url`` joined with each of ``get_cached_paths()``), its API detail
  and ``find`` URLs (``API_DETAIL_PATHS["page"]``) and the API listings it appears in
  (``API_LISTING_PATHS["page"]``);
* the listing it appears in: its parent page and, for an article index parent, the listing's
  other pages (``?page=2`` …) and treatment filters (``?treatment=<slug>``);
* every page that shows it: live articles of every article type
  (:func:`~wagtail_acupuncture.models.registry.article_page_models`) sharing a treatment with it
  (their "related articles"),
  the live children of an article index (their breadcrumbs name it), and pages whose content
  references it in Wagtail's reference index (links, page choosers), also through a snippet that
  links to it (a treatment's ``page``).

For a treatment or a practitioner: its API detail and listing URLs
(``API_DETAIL_PATHS``/``API_LISTING_PATHS`` under ``"treatment"``/``"practitioner"``; by ID and,
for a treatment, by slug) and every live page that shows it according to the reference index
(articles listing the treatment inline or in a ``related_treatments`` block, articles written or
reviewed by the practitioner), plus, for a treatment, the article indexes above those articles,
whose filters name it.

For clinic settings: their API URL on that site (``"clinicsettings"``: ``clinic/``) and every live
article and article index of that site.

"Shows" means the page's own URLs, its API detail and its ``find`` URL. The functions only read
the database, so they can run before the change is committed (and must, for a deletion).
"""

import copy
import math
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import quote, urlencode, urlsplit

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex, Site

from ..conf import acupuncture_settings
from ..models import AbstractArticleIndexPage, ClinicSettings, Practitioner, Treatment
from ..models.registry import (
    article_index_page_models,
    article_page_models,
    is_article,
)

#: The events a :class:`Change` can describe.
EVENTS = ("published", "unpublished", "deleted")

#: Snippets whose references lead one step further (a page linked from a treatment is shown
#: wherever the treatment is).
_MAX_REFERENCE_DEPTH = 1


@dataclass(frozen=True)
class Change:
    """A change to one object and the absolute URLs it makes stale."""

    #: ``"published"``, ``"unpublished"`` or ``"deleted"``.
    event: str
    #: ``{"type": "<app_label>.<model_name>", "id": …, "title": …}`` (see :func:`describe_object`).
    object: dict
    #: Absolute URLs, sorted, without duplicates.
    urls: tuple = field(default=())

    @property
    def paths(self):
        """The URLs without scheme and host (path and query string), sorted, without duplicates."""
        paths = set()
        for url in self.urls:
            parts = urlsplit(url)
            paths.add(parts.path + (f"?{parts.query}" if parts.query else ""))
        return sorted(paths)


def is_tracked(obj):
    """Whether changes to ``obj`` are purged and sent to webhooks.

    Pages of every article and article index type are, a site's own types built on the abstract
    bases included, and the package's treatments, practitioners and clinic settings.
    """
    return is_article(obj) or isinstance(
        obj, AbstractArticleIndexPage | Treatment | Practitioner | ClinicSettings
    )


def describe_object(obj):
    """``obj`` as the plain dict named in webhooks: its model label, primary key and title.

    Pages add their ``path`` on their site (relative to the site root) when they have one;
    per-site settings add their ``site_id``.
    """
    summary = {
        "type": obj._meta.label_lower,
        "id": obj.pk,
        "title": str(obj),
    }
    if isinstance(obj, Page):
        summary["title"] = obj.title
        located = _URLCollector().locate(obj)
        if located is not None:
            summary["path"] = located[1]
    elif isinstance(getattr(obj, "site", None), Site):
        summary["title"] = getattr(obj, "clinic_name", "") or str(obj.site)
        summary["site_id"] = obj.site_id
    return summary


def describe_change(obj, event):
    """The :class:`Change` of ``event`` happening to ``obj``.

    Call it while ``obj`` is still in the database (``pre_delete`` for a deletion), so that its
    URLs and the pages that reference it can still be found.
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}; expected one of {', '.join(EVENTS)}")

    collector = _URLCollector()
    if isinstance(obj, Page):
        collector.changed_page(obj)
    elif isinstance(obj, Treatment):
        collector.changed_treatment(obj)
    elif isinstance(obj, Practitioner):
        collector.changed_snippet(obj, kind="practitioner")
    elif isinstance(obj, ClinicSettings):
        collector.changed_clinic_settings(obj)
    else:
        collector.changed_snippet(obj, kind=obj._meta.model_name)
    return Change(event=event, object=describe_object(obj), urls=tuple(sorted(collector.urls)))


def describe_move(page, *, url_path_before, parent_before=None):
    """A ``"published"`` :class:`Change` for a live ``page`` whose URL changed (new slug, move).

    Besides the page's new URLs (as for a publish), it holds the URLs it, and its live
    descendants, had under ``url_path_before``, their old ``find`` URLs and the old parent's
    listing.
    """
    collector = _URLCollector()
    collector.changed_page(page)
    if url_path_before and url_path_before != page.url_path:
        old_pages = [page, *page.get_descendants().live().specific()]
        for current in old_pages:
            old = copy.copy(current)
            old.url_path = url_path_before + current.url_path[len(page.url_path) :]
            collector.page_html(old)
            collector.page_api(old, detail=True)
    if parent_before is not None:
        collector.listing_page(parent_before.specific)
    return Change(
        event="published", object=describe_object(page), urls=tuple(sorted(collector.urls))
    )


class _FormatContext(dict):
    """``str.format_map`` context that refuses placeholders with no value."""

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if value is None:
            raise KeyError(key)
        return value


def _format_paths(patterns, **context):
    paths = []
    for pattern in patterns or ():
        try:
            paths.append(pattern.format_map(_FormatContext(context)))
        except (KeyError, IndexError):
            continue
    return paths


def _api_type(model):
    return f"{model._meta.app_label}.{model.__name__}"


def _live_articles_with_treatments(treatment_ids, *, exclude=None):
    """Live articles of every article type related to any of ``treatment_ids``.

    One query per article type; ``exclude`` (a page) is left out.
    """
    if not treatment_ids:
        return []
    articles = []
    for model in article_page_models():
        found = model.objects.live().filter(related_treatments__treatment__in=treatment_ids)
        if exclude is not None:
            found = found.exclude(pk=exclude.pk)
        articles.extend(found.distinct())
    return articles


class _URLCollector:
    """Accumulates absolute URLs; remembers what it has visited so every object is done once."""

    def __init__(self):
        self.urls = set()
        self._visited = set()
        self._sites = {}
        # Passed to Page.get_url_parts() as ``request``, which caches site root paths on it.
        self._url_cache = SimpleNamespace()

    # --- Building blocks ----------------------------------------------------------------------

    def _once(self, *key):
        if key in self._visited:
            return False
        self._visited.add(key)
        return True

    def _site(self, site_id):
        if site_id not in self._sites:
            self._sites[site_id] = Site.objects.select_related("root_page").get(pk=site_id)
        return self._sites[site_id]

    def all_site_root_urls(self):
        return sorted({site.root_url for site in Site.objects.all()})

    def locate(self, page):
        """``(root_url, page_path)`` of a page on its site, or ``None`` if it has no site.

        When ``wagtail_serve`` is not routed (a headless site), the path is the page's path
        below the site's root page, as a frontend would route it.
        """
        parts = page.get_url_parts(self._url_cache)
        if parts is None:
            return None
        site_id, root_url, page_path = parts
        if page_path is None:
            site = self._site(site_id)
            root_url = site.root_url
            page_path = "/" + page.url_path[len(site.root_page.url_path) :]
        return root_url, page_path

    def api_urls(self, setting, kind, root_urls, **context):
        base = acupuncture_settings.API_BASE_PATH
        if not base:
            return
        patterns = (getattr(acupuncture_settings, setting) or {}).get(kind, ())
        if urlsplit(base).scheme:
            bases = [base.rstrip("/") + "/"]
        else:
            prefix = "/" + base.strip("/") + "/" if base.strip("/") else "/"
            bases = [root_url.rstrip("/") + prefix for root_url in root_urls]
        for api_base in bases:
            for path in _format_paths(patterns, **context):
                self.urls.add(api_base + path.lstrip("/"))

    # --- Pages --------------------------------------------------------------------------------

    def page_html(self, page, *, query_strings=()):
        """The page's own URLs (one per cached path), plus the given query strings on its URL."""
        located = self.locate(page)
        if located is None:
            return None
        root_url, page_path = located
        page_url = root_url + page_path
        for cached_path in page.get_cached_paths():
            self.urls.add(page_url + cached_path.lstrip("/"))
        for query in query_strings:
            self.urls.add(f"{page_url}?{query}")
        return located

    def page_api(self, page, *, detail=False, listings=False):
        located = self.locate(page)
        root_urls = [located[0]] if located else self.all_site_root_urls()
        context = {
            "id": page.pk,
            "type": _api_type(type(page)),
            "parent_id": None,
            "html_path": quote(located[1], safe="/") if located else None,
        }
        if listings:
            parent = page.get_parent()
            context["parent_id"] = parent.pk if parent is not None else None
        if detail:
            self.api_urls("API_DETAIL_PATHS", "page", root_urls, **context)
        if listings:
            self.api_urls("API_LISTING_PATHS", "page", root_urls, **context)

    def showing_page(self, page):
        """A page that shows the changed object: its own URLs, API detail and ``find`` URL."""
        if not self._once("page", page.pk):
            return
        self.page_html(page, query_strings=self.index_query_strings(page))
        self.page_api(page, detail=True)

    def index_query_strings(self, page, *, treatment_slugs=()):
        """For an article index: its other listing pages and every treatment filter.

        The listing and its filters are the index's own (``get_articles``,
        ``get_filter_treatments``), so they cover every article type it lists.
        """
        if not isinstance(page, AbstractArticleIndexPage):
            return []
        per_page = max(1, acupuncture_settings.ARTICLES_PER_PAGE)
        # One page more than there are now: the one an unpublished article has just emptied.
        page_count = math.ceil((page.get_articles().count() + 1) / per_page)
        queries = [urlencode({"page": number}) for number in range(2, page_count + 1)]
        slugs = set(treatment_slugs)
        slugs.update(
            page.get_filter_treatments().order_by().values_list("slug", flat=True).distinct()
        )
        queries += [urlencode({page.treatment_param: slug}) for slug in sorted(slugs)]
        return queries

    def listing_page(self, page, *, treatment_slugs=()):
        """A page that lists the changed one (its parent): every listing variant of it."""
        if page is None or page.depth <= 1 or not page.live:
            return
        if not self._once("listing", page.pk):
            return
        self.page_html(
            page, query_strings=self.index_query_strings(page, treatment_slugs=treatment_slugs)
        )

    def changed_page(self, page):
        self._once("page", page.pk)
        treatment_slugs = []
        if is_article(page):
            treatments = [row.treatment for row in page.related_treatments.all() if row.treatment]
            treatment_slugs = [t.slug for t in treatments]
            live_ids = [t.pk for t in treatments if t.live]
            for other in _live_articles_with_treatments(live_ids, exclude=page):
                self.showing_page(other)
        self.page_html(page, query_strings=self.index_query_strings(page))
        self.page_api(page, detail=True, listings=True)
        parent = page.get_parent()
        self.listing_page(parent.specific if parent else None, treatment_slugs=treatment_slugs)
        if isinstance(page, AbstractArticleIndexPage):
            for child in page.get_children().live().specific():
                self.showing_page(child)
        self.referencing(page)

    # --- Snippets and settings ----------------------------------------------------------------

    def changed_snippet(self, obj, *, kind, depth=0):
        root_urls = self.all_site_root_urls()
        context = {
            "id": obj.pk,
            "type": _api_type(type(obj)),
            "slug": quote(obj.slug, safe="") if getattr(obj, "slug", None) else None,
        }
        self.api_urls("API_DETAIL_PATHS", kind, root_urls, **context)
        self.api_urls("API_LISTING_PATHS", kind, root_urls, **context)
        return self.referencing(obj, depth=depth)

    def changed_treatment(self, treatment, *, depth=0):
        pages = self.changed_snippet(treatment, kind="treatment", depth=depth)
        # Article indexes above those articles name the treatment in their filters.
        for page in pages:
            if is_article(page):
                parent = page.get_parent()
                self.listing_page(
                    parent.specific if parent else None, treatment_slugs=[treatment.slug]
                )

    def changed_clinic_settings(self, clinic):
        site = clinic.site
        context = {"id": clinic.pk, "type": _api_type(type(clinic))}
        self.api_urls("API_DETAIL_PATHS", "clinicsettings", [site.root_url], **context)
        self.api_urls("API_LISTING_PATHS", "clinicsettings", [site.root_url], **context)
        pages = (
            Page.objects.live()
            .descendant_of(site.root_page, inclusive=True)
            .type(*article_page_models(), *article_index_page_models())
            .specific()
        )
        for page in pages:
            self.showing_page(page)

    def referencing(self, obj, *, depth=0):
        """Live pages whose content references ``obj`` (Wagtail's reference index), as shown.

        A snippet that references ``obj`` (a treatment linking to a changed page) is followed once:
        its API URLs and the pages that show it are added too. Returns the pages found directly.
        """
        if not self._once("references", obj._meta.label_lower, obj.pk):
            return []
        sources = {}
        rows = (
            ReferenceIndex.get_references_to(obj)
            .values_list("base_content_type_id", "object_id")
            .distinct()
        )
        for content_type_id, object_id in rows:
            sources.setdefault(content_type_id, set()).add(object_id)

        pages = []
        for content_type_id, object_ids in sources.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None:
                continue
            if issubclass(model, Page):
                for page in Page.objects.filter(pk__in=object_ids).live().specific():
                    if not (isinstance(obj, Page) and page.pk == obj.pk):
                        pages.append(page)
                        self.showing_page(page)
            elif depth < _MAX_REFERENCE_DEPTH:
                for source in model._default_manager.filter(pk__in=object_ids):
                    if source == obj or (hasattr(source, "live") and not source.live):
                        continue
                    if isinstance(source, Treatment):
                        self.changed_treatment(source, depth=depth + 1)
                    else:
                        self.changed_snippet(source, kind=model._meta.model_name, depth=depth + 1)
        return pages
