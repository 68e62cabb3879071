"""Page models: the article index and the article.

Behaviour lives in the abstract bases so that an agency can build its own page types on them
(as ``wagtail.contrib.forms`` does with ``AbstractForm``); ``ArticleIndexPage`` and ``ArticlePage``
are the concrete types most sites use.
"""

import functools
import math
from collections import defaultdict

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.utils.decorators import cached_classmethod

from ..blocks import ArticleStreamBlock
from ..conf import acupuncture_settings
from ..content.body import BodyScan
from ..content.images import hero_rendition_specs, hero_renditions, single_rendition
from ..content.registry import concrete_subclasses
from ..content.prepared import PreparedQuery
from ..content.related import ARTICLE_ORDERING, RelatedCandidates, related_articles
from ..content.resolver import BODY_SCAN_ATTR, CONTEXT_KEY, ContentResolver
from ..content.routing import route_below
from ..content.visibility import public_q
from ..panels import EditorChecksPanel
from ..preview import HeadlessPreviewMixin
from ..delivery.render_cache import CachedServeMixin
from .settings import DISCLAIMER_FEATURES
from .snippets import Treatment

#: Per-instance cache of :meth:`AbstractArticlePage.get_live_treatments`.
LIVE_TREATMENTS_CACHE = "_acupuncture_live_treatments"
#: Per-instance cache of :meth:`AbstractArticlePage.get_related_articles`.
RELATED_ARTICLES_CACHE = "_acupuncture_related_articles"
#: Per-instance holder of the related-article candidates between preparing and finishing.
RELATED_CANDIDATES = "_acupuncture_related_candidates"
#: Per-instance cache of the breadcrumb ancestors (:func:`prefetch_breadcrumbs`).
BREADCRUMB_CACHE = "_acupuncture_breadcrumb_ancestors"
BREADCRUMB_FIELDS = ("id", "title", "url_path", "path", "depth", "live")
#: Instance caches filled in bulk for one response; ``refresh_from_db`` drops them.
PAGE_CACHES = (
    LIVE_TREATMENTS_CACHE,
    RELATED_ARTICLES_CACHE,
    BREADCRUMB_CACHE,
    BODY_SCAN_ATTR,
    "_acupuncture_hero_renditions",
)

#: Fields of the headless API of every article type (``api_fields``); the endpoints deliver each
#: ready to render (:mod:`wagtail_acupuncture.api.fields`). Subclasses extend the list.
ARTICLE_API_FIELDS = (
    "intro",
    "hero_image",
    "body",
    "published_date",
    "author",
    "reviewed_by",
    "last_reviewed",
    "medical_disclaimer",
    "related_treatments",
    "related_articles",
    "table_of_contents",
    "reading_time_minutes",
    "word_count",
    "structured_data",
)
#: Fields of the headless API of every article index type.
ARTICLE_INDEX_API_FIELDS = ("intro", "structured_data")
#: Fields of an article that need its body walked.
BODY_FIELDS = {"body", "table_of_contents", "word_count", "reading_time_minutes", "structured_data"}


def article_page_models():
    """The site's concrete article page types (subclasses of :class:`AbstractArticlePage`)."""
    return concrete_subclasses(AbstractArticlePage)


def article_treatment_models():
    """The site's related treatment row models (subclasses of :class:`AbstractArticlePageTreatment`)."""
    return concrete_subclasses(AbstractArticlePageTreatment)


def articles_of(models):
    """A queryset of the articles of ``models``, newest first.

    One model: that model's rows. Several: ``Page`` rows of those types ordered by their
    published date, made specific (one query per type for the rows shown).
    """
    models = list(models)
    if len(models) == 1:
        return models[0].objects.order_by(*ARTICLE_ORDERING)
    roots = [m for m in models if m._meta.get_field("published_date").model is m]
    published = [F(f"{root._meta.model_name}__published_date") for root in roots]
    order = Coalesce(*published) if len(published) > 1 else published[0]
    return (
        Page.objects.type(*models)
        .annotate(acupuncture_published=order)
        .order_by(F("acupuncture_published").desc(nulls_last=True), "-first_published_at", "-pk")
        .specific()
    )


def _related_to(models, treatment):
    """``Q``: the article (of one of ``models``) has ``treatment`` among its related treatments.

    ``treatment`` is a ``Treatment`` or a queryset of them (any of which matches); with a
    queryset the condition is one subquery per article type, so a page matches once however
    often it lists the treatment.
    """
    many = isinstance(treatment, QuerySet)
    if len(models) == 1 and not many:
        return Q(related_treatments__treatment=treatment)
    lookup = {"treatment__in": treatment} if many else {"treatment": treatment}
    condition = Q(pk__in=[])
    for model in models:
        rows = model.related_treatments.rel.related_model.objects.filter(**lookup)
        condition |= Q(pk__in=rows.values("page_id"))
    return condition


def related_to_treatment_slug(slug, models=None):
    """``Q``: the article has the published treatment with slug ``slug`` among its related
    treatments (``models``: the article types to consider, by default all of them)."""
    treatments = Treatment.objects.filter(slug=slug, live=True)
    return _related_to(list(models or article_page_models()), treatments)


def prefetch_relations(pages, relations=("hero_image", "author", "reviewed_by", "locale")):
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


def breadcrumb_ancestor_paths(page):
    """Tree paths of ``page``'s ancestors below the root, top down (from ``path`` alone)."""
    if not page.path or not page.depth:
        return []
    return [page.path[: Page.steplen * depth] for depth in range(2, page.depth)]


def prefetch_breadcrumbs(pages, pages_by_path=None):
    """Fetch the breadcrumb ancestors of many pages with one query (none for known paths).

    ``pages_by_path`` (``{path: page or None}``) supplies ancestors already fetched, e.g. by
    the response's resolver. :func:`breadcrumb_ancestors` then reads the pages' cache.
    """
    known = dict(pages_by_path or {})
    paths = {path for page in pages for path in breadcrumb_ancestor_paths(page)}
    missing = paths - known.keys()
    if missing:
        known.update(dict.fromkeys(missing))
        for ancestor in Page.objects.filter(path__in=missing).only(*BREADCRUMB_FIELDS):
            known[ancestor.path] = ancestor
    for page in pages:
        page.__dict__[BREADCRUMB_CACHE] = [
            known[path] for path in breadcrumb_ancestor_paths(page) if known.get(path) is not None
        ]
    return pages


def breadcrumb_ancestors(page):
    """``page``'s live ancestors below the root, top down (:func:`prefetch_breadcrumbs` caches)."""
    cached = page.__dict__.get(BREADCRUMB_CACHE)
    if cached is None:
        return list(page.get_ancestors().filter(depth__gt=1).live().only(*BREADCRUMB_FIELDS))
    return [ancestor for ancestor in cached if ancestor.live]


def live_treatments_of(rows):
    """The published treatments of related treatment ``rows``, in the rows' order, each once.

    A treatment related twice (as Wagtail's autosave can leave an inline panel's new rows,
    wagtail/wagtail#14568) is listed at its first place only.
    """
    seen, treatments = set(), []
    for row in rows:
        treatment = row.treatment
        if treatment is not None and treatment.live and treatment.pk not in seen:
            seen.add(treatment.pk)
            treatments.append(treatment)
    return treatments


def prefetch_live_treatments(pages, *, select_related=("treatment",)):
    """Fill the :meth:`~AbstractArticlePage.get_live_treatments` cache of many articles.

    One query per article model for the pages' saved rows (``select_related`` names the
    relations fetched with them); pages holding unsaved rows (a preview built from a revision)
    use those, their treatments fetched in one query. Returns ``{id(page): rows}``.
    """
    rows_by_page, by_model, in_memory = {}, defaultdict(list), []
    for page in pages:
        if page.pk is None or page.related_treatments.is_deferring:
            rows_by_page[id(page)] = list(page.related_treatments.all())
            in_memory.append(page)
        else:
            by_model[type(page).related_treatments.rel.related_model].append(page)
    for model, model_pages in by_model.items():
        targets = {}
        for page in model_pages:
            rows_by_page[id(page)] = targets.setdefault(page.pk, [])
        rows = _treatment_rows_query(
            list(targets), model=model, select_related=tuple(select_related)
        )
        for row in rows:
            targets[row.page_id].append(row)
    if in_memory:
        memory_rows = [row for page in in_memory for row in rows_by_page[id(page)]]
        treatments = Treatment.objects.in_bulk({row.treatment_id for row in memory_rows})
        for row in memory_rows:
            row._meta.get_field("treatment").set_cached_value(
                row, treatments.get(row.treatment_id)
            )
    for page in pages:
        page.__dict__[LIVE_TREATMENTS_CACHE] = live_treatments_of(rows_by_page[id(page)])
    return rows_by_page


@PreparedQuery
def _treatment_rows_query(page_ids, *, model, select_related):
    """The related-treatment rows (``model``) of ``page_ids`` in their order."""
    return (
        model.objects.filter(page_id__in=page_ids)
        .select_related(*select_related)
        .order_by("sort_order", "pk")
    )


class AbstractArticleIndexPage(CachedServeMixin, Page):
    """Lists its live, public child articles, newest first, paginated, filterable by treatment."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown above the list of articles."),
    )

    #: Query parameter that filters the listing by treatment slug.
    treatment_param = "treatment"
    #: The listing's page number and treatment filter are part of its render cache key.
    render_cache_query_parameters = ("page", "treatment")

    content_panels = [*Page.content_panels, "intro"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    #: Fields of the headless API (``wagtail_acupuncture.api``), the intro as front-end HTML.
    api_fields = [APIField(name) for name in ARTICLE_INDEX_API_FIELDS]

    class Meta:
        abstract = True

    def route(self, request, path_components):
        """Wagtail's routing; a child article is found with queries compiled once per process
        (:func:`~wagtail_acupuncture.content.routing.route_below`)."""
        if not path_components:
            return super().route(request, path_components)
        return route_below(self, request, path_components)

    @classmethod
    def clean_subpage_models(cls):
        """Only articles go below an index: every article type of the site that allows it.

        ``subpage_types``, when a subclass sets it, narrows the choice further.
        """
        models = [
            model
            for model in article_page_models()
            if model.parent_page_types is None
            or any(cls is parent or issubclass(cls, parent) for parent in model.clean_parent_page_models())
        ]
        if getattr(cls, "subpage_types", None) is not None:
            allowed = set(super().clean_subpage_models())
            models = [model for model in models if model in allowed]
        return models

    def article_models(self):
        """The article types listed by this index (those that may be created below it)."""
        allowed = self.specific_class.allowed_subpage_models()
        return [model for model in article_page_models() if model in allowed] or article_page_models()

    def get_articles(self, treatment=None):
        """Live, public child articles of every article type, newest first.

        Optionally only those related to ``treatment``. The cards' relations are loaded for the
        page of the listing shown (``get_context``), one query per type.
        """
        models = self.article_models()
        articles = articles_of(models).child_of(self).live().public()
        if treatment is not None:
            articles = articles.filter(_related_to(models, treatment))
        return articles

    def get_filter_treatment(self, request):
        """The live ``Treatment`` named by ``?treatment=<slug>``, or ``None``."""
        slug = request.GET.get(self.treatment_param, "").strip()
        if not slug:
            return None
        return Treatment.objects.filter(slug=slug, live=True).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        treatment = self.get_filter_treatment(request)
        slug = request.GET.get(self.treatment_param, "").strip()
        articles = self.get_articles(treatment=treatment)
        if slug and treatment is None:
            articles = articles.none()
        paginator = Paginator(articles, acupuncture_settings.ARTICLES_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        page_obj.object_list = prefetch_relations(list(page_obj.object_list), ("hero_image", "author"))
        context.update(
            articles=page_obj,
            paginator=paginator,
            treatment=treatment,
            treatment_slug=slug,
            treatments=self.get_filter_treatments(),
        )
        resolver = ContentResolver(request, absolute_urls=False, api_renditions=False)
        context[CONTEXT_KEY] = resolver
        context["intro"] = self.get_intro_html(resolver)
        context["base_template"] = acupuncture_settings.BASE_TEMPLATE
        return context

    def get_intro_html(self, resolver=None):
        """The intro as front-end rich text, by the one expander (drafts and private pages lose
        ``href``, unsafe links theirs)."""
        if not self.intro:
            return ""
        resolver = resolver or ContentResolver(absolute_urls=False, api_renditions=False)
        return resolver.rich_text(self.intro)

    def get_filter_treatments(self):
        """Live treatments of at least one of the listed articles, for the filter links.

        An ``EXISTS`` per treatment and article type stops at its first article, where a join
        with every listed article grew with the index.
        """
        condition = Q()
        for model in self.article_models():
            listed = (
                model.objects.child_of(self)
                .live()
                .public()
                .filter(related_treatments__treatment=OuterRef("pk"))
            )
            condition |= Q(Exists(listed))
        return Treatment.objects.filter(condition, live=True)


class AbstractArticlePage(CachedServeMixin, HeadlessPreviewMixin, Page):
    """A clinic health article: intro, hero image, StreamField body, authorship and review."""

    intro = models.TextField(
        _("introduction"),
        help_text=_(
            "A short plain-text lead shown under the title and on article cards. Also used as the "
            "search engine description when the Promote tab's description is empty."
        ),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top of the article and when it is shared on social media."),
    )
    body = StreamField(ArticleStreamBlock(), verbose_name=_("body"), blank=True)
    published_date = models.DateField(
        _("published date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Shown on the article. Left empty, it is set to the date of first publication."),
    )
    author = models.ForeignKey(
        "wagtail_acupuncture.Practitioner",
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown in the byline and given to search engines. The author's own booking link is "
            "used by this article's booking calls to action that set no link of their own."
        ),
    )
    reviewed_by = models.ForeignKey(
        "wagtail_acupuncture.Practitioner",
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The practitioner who checked this article for accuracy. Shown to readers and given to "
            "search engines as 'reviewedBy', a trust signal for health content."
        ),
    )
    last_reviewed = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_("When the article's medical content was last checked."),
    )
    medical_disclaimer = RichTextField(
        _("medical disclaimer"),
        blank=True,
        features=DISCLAIMER_FEATURES,
        help_text=_(
            "Left empty, the clinic's default disclaimer (Settings > Clinic) is shown at the end "
            "of the article. Fill in to show another text on this article only."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    review_panels = [
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("reviewed_by"),
                FieldPanel("last_reviewed"),
                FieldPanel("published_date"),
                FieldPanel("medical_disclaimer"),
            ],
            heading=_("Authorship and medical review"),
        ),
        InlinePanel(
            "related_treatments",
            heading=_("Related treatments"),
            label=_("Treatment"),
            help_text=_("Shown as teasers after the article, in this order, and used to find related articles."),
        ),
    ]
    @cached_classmethod
    def get_edit_handler(cls):
        """The editor's tabs, built from the class's own ``content_panels``, ``review_panels``,
        ``promote_panels`` and ``settings_panels``, so a subclass that extends them (the usual
        Wagtail way) gets its fields in the editor; an ``edit_handler`` it sets wins."""
        handler = getattr(cls, "edit_handler", None) or TabbedInterface(
            [
                ObjectList([EditorChecksPanel(), *cls.content_panels], heading=_("Content")),
                ObjectList(cls.review_panels, heading=_("Treatments & review")),
                ObjectList(cls.promote_panels, heading=_("Promote")),
                ObjectList(cls.settings_panels, heading=_("Settings"), classname="settings"),
            ],
            base_form_class=cls.base_form_class,
        )
        return handler.bind_to_model(cls)

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("published_date"),
    ]
    #: Fields of the headless API (``wagtail_acupuncture.api``); subclasses extend the list.
    api_fields = [APIField(name) for name in ARTICLE_API_FIELDS]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.published_date is None and self.live:
            self.published_date = timezone.localdate(self.first_published_at or timezone.now())
        return super().save(*args, **kwargs)

    @cached_property
    def body_scan(self):
        """The one walk of the body (:class:`~wagtail_acupuncture.content.body.BodyScan`).

        Made by the response's resolver when it prepared the page, else here on first use.
        """
        return BodyScan.of(self.body)

    @property
    def outline(self):
        """The body's :class:`~wagtail_acupuncture.outline.Outline` (anchors, table of contents)."""
        return self.body_scan.outline

    @property
    def table_of_contents(self):
        """``[{"text", "anchor", "level"}]`` of the body's headings, in order."""
        return self.outline.table_of_contents

    @property
    def word_count(self):
        """Words in the title, intro and body."""
        return self.body_scan.word_count(self.title, self.intro)

    @property
    def reading_time_minutes(self):
        """Estimated reading time, at least one minute."""
        return max(1, math.ceil(self.word_count / acupuncture_settings.WORDS_PER_MINUTE))

    @property
    def description(self):
        """Search description, else the intro."""
        return self.search_description or self.intro

    def get_medical_disclaimer(self, clinic=None):
        """The stored rich text of the article's medical disclaimer: its own, else the clinic's
        default (``ClinicSettings.medical_disclaimer`` of ``clinic``), else ``""``."""
        if self.medical_disclaimer:
            return self.medical_disclaimer
        return getattr(clinic, "medical_disclaimer", "") or ""

    @property
    def modified_date(self):
        """The latest of last publication and last review, as a date."""
        dates = [d for d in (self.last_reviewed, self.published_date) if d]
        if self.last_published_at:
            dates.append(timezone.localdate(self.last_published_at))
        return max(dates) if dates else None

    def get_context(self, request, *args, **kwargs):
        """Adds the page's :class:`~wagtail_acupuncture.content.resolver.ContentResolver`.

        ``base_template`` names the template the page's layout extends (``BASE_TEMPLATE``).
        Everything the templates read - body rich text, chosen pages and snippets, treatments,
        related articles, breadcrumbs, renditions for the meta tags and JSON-LD - is fetched in
        bulk first, so the queries do not grow with the body.
        """
        context = super().get_context(request, *args, **kwargs)
        resolver = ContentResolver(request, absolute_urls=False, api_renditions=False)
        resolver.prepare([self])
        context[CONTEXT_KEY] = resolver
        context["base_template"] = acupuncture_settings.BASE_TEMPLATE
        return context

    # ----------------------------------------------------------------------------- output hooks

    @classmethod
    def prepare_for_output(cls, pages, resolver, wanted):
        """Register what ``pages`` show (see :mod:`wagtail_acupuncture.content.resolver`)."""
        structured = wanted("structured_data")
        relations = [
            name
            for name in ("author", "reviewed_by")
            if wanted(name) or structured or (name == "author" and wanted("body"))
        ]
        if structured:
            relations.append("locale")
        for page in pages:
            for name in relations:
                _register_relation(page, name, resolver)
        if relations:
            resolver.fetch_objects()  # the people, for their photos below
            for page in pages:
                for name in relations:
                    resolver.hand_over(page, name)
        if wanted("medical_disclaimer"):
            for page in pages:
                resolver.add_rich_text(page.get_medical_disclaimer(resolver.clinic))
        # The body's booking calls to action may lead to a related treatment's booking page.
        if any(map(wanted, ("related_treatments", "related_articles", "structured_data", "body"))):
            prefetch_live_treatments([p for p in pages if LIVE_TREATMENTS_CACHE not in p.__dict__])
            for page in pages:
                for treatment in page.get_live_treatments():
                    resolver.add_object(treatment)
        if any(wanted(name) for name in BODY_FIELDS):
            resolver.convert_streams(pages, "body")
            for page in pages:
                resolver.scan_body(page)
        hero_specs = hero_rendition_specs() if structured else ()
        for page in pages:
            if wanted("hero_image") or structured:
                resolver.add_image(_cached(page, "hero_image") or page.hero_image_id, *hero_specs)
        pending = [p for p in pages if RELATED_ARTICLES_CACHE not in p.__dict__]
        if wanted("related_articles") and pending:
            candidates = RelatedCandidates(
                pending,
                cls.get_live_treatments,
                article_treatment_models(),
                condition=resolver.candidate_q("page__"),
                exact=functools.partial(resolver.public_q, "page__"),
            )
            # Visibility known already (the site's restricted paths): pick now, and fetch only
            # the picked cards' images; else check every candidate with the bulk fetch.
            picks = candidates.pick_checked(resolver.check_page)
            if picks is not None:
                cards = {card.pk: card for picked in picks.values() for card in picked}.values()
            else:
                cards = candidates.candidate_pages
                for card in cards:
                    resolver.add_page(card)
            for card in cards:
                resolver.add_image(_cached(card, "hero_image") or card.hero_image_id)
            for page in pending:
                page.__dict__[RELATED_CANDIDATES] = (candidates, picks)
        if structured and pages:
            clinic = resolver.clinic
            if clinic.logo_id:
                resolver.add_image(clinic.logo_id, acupuncture_settings.STRUCTURED_DATA_LOGO_RENDITION)
            person_spec = acupuncture_settings.STRUCTURED_DATA_PERSON_IMAGE_RENDITION
            for person in _people(pages):
                resolver.add_image(person.photo_id, person_spec)
            for page in pages:
                for path in breadcrumb_ancestor_paths(page):
                    resolver.add_path(path)

    @classmethod
    def finish_output(cls, pages, resolver, wanted):
        """Hand what the resolver fetched to the caches templates and structured data read."""
        picked = {}
        for page in pages:
            if _cached(page, "hero_image") is None:
                resolver.hand_over(page, "hero_image")
            candidates, picks = page.__dict__.pop(RELATED_CANDIDATES, (None, None))
            if candidates is not None:
                if id(candidates) not in picked:
                    picked[id(candidates)] = (
                        picks if picks is not None else candidates.pick(resolver.is_public)
                    )
                page.__dict__[RELATED_ARTICLES_CACHE] = picked[id(candidates)].get(page.pk, [])
                for card in page.__dict__[RELATED_ARTICLES_CACHE]:
                    resolver.hand_over(card, "hero_image")
        if not wanted("structured_data"):
            return
        prefetch_breadcrumbs(pages, pages_by_path=resolver.pages_by_path())
        clinic = resolver.clinic
        if clinic.logo_id and resolver.hand_over(clinic, "logo") is not None:
            single_rendition(
                clinic,
                "logo",
                acupuncture_settings.STRUCTURED_DATA_LOGO_RENDITION,
                found=resolver.renditions_of(clinic.logo_id),
            )
        person_spec = acupuncture_settings.STRUCTURED_DATA_PERSON_IMAGE_RENDITION
        for person in _people(pages):
            if resolver.hand_over(person, "photo") is not None:
                single_rendition(person, "photo", person_spec, found=resolver.renditions_of(person.photo_id))
        for page in pages:
            image = _cached(page, "hero_image")
            if image is not None:
                hero_renditions(page, found=resolver.renditions_of(image.pk))

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        for name in PAGE_CACHES:
            self.__dict__.pop(name, None)

    def get_live_treatments(self):
        """Related treatments, in editor order, leaving out unpublished ones.

        Read from the cache that :func:`prefetch_live_treatments` fills, when it did.
        """
        cached = self.__dict__.get(LIVE_TREATMENTS_CACHE)
        if cached is not None:
            return list(cached)
        rows = self.related_treatments.select_related("treatment", "treatment__page")
        return live_treatments_of(rows)

    def get_related_articles(self, limit=None):
        """Other live, public articles of this page's site sharing a published treatment with
        it, newest first (of every article type; ``RELATED_ARTICLES_LIMIT`` of them).

        Read from the cache the response's resolver fills, when it did.
        """
        cached = self.__dict__.get(RELATED_ARTICLES_CACHE)
        if cached is not None and limit is None:
            return list(cached)
        found = related_articles(
            [self],
            type(self).get_live_treatments,
            article_treatment_models(),
            condition=public_q(self.get_site(), "page__"),
            limit=limit,
        )
        if limit is None:
            self.__dict__[RELATED_ARTICLES_CACHE] = found[self.pk]
        return list(found[self.pk])

    def get_sitemap_urls(self, request=None):
        """Sitemap entries whose ``lastmod`` is the latest of publication and review.

        ``lastmod`` stays a datetime, as Wagtail gives for every other page: the sitemap compares
        all entries' values, and one ``date`` among ``datetime`` values makes it fail. A review or
        published date counts from the start of that day; the sitemap prints the same day as
        :attr:`modified_date`.
        """
        import datetime

        from django.conf import settings

        urls = super().get_sitemap_urls(request=request)
        candidates = [self.last_published_at or self.latest_revision_created_at]
        for day in (self.published_date, self.last_reviewed):
            if day:
                start = datetime.datetime.combine(day, datetime.time.min)
                candidates.append(timezone.make_aware(start) if settings.USE_TZ else start)
        candidates = [value for value in candidates if value is not None]
        if candidates:
            for entry in urls:
                entry["lastmod"] = max(candidates)
        return urls


def _cached(instance, name):
    """The related object of ``instance``'s foreign key ``name`` when already loaded, else None."""
    return instance._meta.get_field(name).get_cached_value(instance, default=None)


def _register_relation(page, name, resolver):
    """Register ``page``'s foreign key ``name`` with ``resolver``: the object when loaded,
    else its id (fetched with the response's other objects of its model)."""
    field = page._meta.get_field(name)
    loaded = field.get_cached_value(page, default=None)
    if loaded is not None:
        resolver.add_object(loaded)
    elif getattr(page, field.attname) is not None:
        resolver.add_reference(field.related_model, getattr(page, field.attname))


def _people(pages):
    """The authors and reviewers of ``pages`` that have a photo."""
    return [
        person
        for page in pages
        for person in (page.author, page.reviewed_by)
        if person is not None and person.photo_id
    ]


def treatment_field(related_name):
    """The ``treatment`` key of a related treatment row, with reverse accessor ``related_name``."""
    return models.ForeignKey(
        "wagtail_acupuncture.Treatment",
        verbose_name=_("treatment"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


class AbstractArticlePageTreatment(Orderable):
    """One row of an article's ordered related treatments. Subclass it with a ``page`` key.

    The treatment's reverse accessor is named after the row model
    (``<app_label>_<model>_rows``), so a site can have several article types side by side.
    """

    treatment = treatment_field("%(app_label)s_%(class)s_rows")

    panels = ["treatment"]

    class Meta(Orderable.Meta):
        abstract = True
        # The primary key breaks ties between rows created without a sort order (in code).
        ordering = ["sort_order", "pk"]
        verbose_name = _("related treatment")
        verbose_name_plural = _("related treatments")

    def __str__(self):
        return str(self.treatment)


class ArticleIndexPage(AbstractArticleIndexPage):
    """The blog: lists the articles below it (of every article type that allows it)."""

    template = "wagtail_acupuncture/pages/article_index_page.html"

    class Meta:
        verbose_name = _("article index")
        verbose_name_plural = _("article indexes")


class ArticlePage(AbstractArticlePage):
    """A clinic health article, created under an :class:`ArticleIndexPage`."""

    parent_page_types = ["wagtail_acupuncture.ArticleIndexPage"]
    subpage_types = []
    template = "wagtail_acupuncture/pages/article_page.html"

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")


class ArticlePageTreatment(AbstractArticlePageTreatment):
    """A related treatment of an :class:`ArticlePage`."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_treatments")
    treatment = treatment_field("article_pages")

    class Meta(AbstractArticlePageTreatment.Meta):
        abstract = False
