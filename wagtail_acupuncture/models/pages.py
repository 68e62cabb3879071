"""Page models: the article index and the article.

Behaviour lives in the abstract bases so that an agency can build its own page types on them
(as ``wagtail.contrib.forms`` does with ``AbstractForm``); ``ArticleIndexPage`` and ``ArticlePage``
are the concrete types most sites use.
"""

import math
from collections import defaultdict

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
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
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..api.fields import article_index_page_api_fields, article_page_api_fields
from ..blocks import ArticleStreamBlock
from ..conf import acupuncture_settings
from ..outline import block_text, build_outline, word_count
from ..panels import EditorChecksPanel
from ..preview import HeadlessPreviewMixin
from ..render_cache import CachedServeMixin

#: Per-instance cache of :meth:`AbstractArticlePage.get_live_treatments`.
LIVE_TREATMENTS_CACHE = "_acupuncture_live_treatments"
#: Instance caches filled in bulk for one response; ``refresh_from_db`` drops them.
PAGE_CACHES = (
    LIVE_TREATMENTS_CACHE,
    "_acupuncture_breadcrumb_ancestors",
    "_acupuncture_hero_renditions",
)


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
    from .snippets import Treatment

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
        rows = (
            model.objects.filter(page_id__in=targets)
            .select_related(*select_related)
            .order_by("sort_order", "pk")
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

    content_panels = [*Page.content_panels, "intro"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    #: Fields of the headless API (``wagtail_acupuncture.api``), the intro as front-end HTML.
    api_fields = article_index_page_api_fields()

    class Meta:
        abstract = True

    def get_articles(self, treatment=None):
        """Live, public child articles, newest first, optionally only those with ``treatment``."""
        articles = (
            ArticlePage.objects.child_of(self)
            .live()
            .public()
            .select_related("hero_image", "author")
            .order_by("-published_date", "-first_published_at", "-pk")
        )
        if treatment is not None:
            articles = articles.filter(related_treatments__treatment=treatment)
        return articles

    def get_filter_treatment(self, request):
        """The live ``Treatment`` named by ``?treatment=<slug>``, or ``None``."""
        from .snippets import Treatment

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
        context.update(
            articles=page_obj,
            paginator=paginator,
            treatment=treatment,
            treatment_slug=slug,
            treatments=self.get_filter_treatments(),
            intro=self.get_intro_html(),
        )
        return context

    def get_intro_html(self):
        """The intro as front-end rich text; links to drafts and private pages lose ``href``."""
        from ..prefetch import ExpandedRichText, expand_db_html_many

        if not self.intro:
            return ""
        return ExpandedRichText(self.intro, expand_db_html_many([self.intro])[self.intro])

    def get_filter_treatments(self):
        """Live treatments of at least one of the listed articles, for the filter links.

        An ``EXISTS`` per treatment stops at its first article, where a join with every
        listed article grew with the index.
        """
        from django.db.models import Exists, OuterRef

        from .snippets import Treatment

        listed = self.get_articles().filter(related_treatments__treatment=OuterRef("pk"))
        return Treatment.objects.filter(Exists(listed), live=True)


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
    edit_handler = TabbedInterface(
        [
            ObjectList([EditorChecksPanel(), *content_panels], heading=_("Content")),
            ObjectList(review_panels, heading=_("Treatments & review")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings"), classname="settings"),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("published_date"),
    ]
    #: Fields of the headless API (``wagtail_acupuncture.api``); subclasses extend the list.
    api_fields = article_page_api_fields()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.published_date is None and self.live:
            self.published_date = timezone.localdate(self.first_published_at or timezone.now())
        return super().save(*args, **kwargs)

    @cached_property
    def outline(self):
        """The body's :class:`~wagtail_acupuncture.outline.Outline` (anchors, table of contents)."""
        return build_outline(self.body)

    @property
    def table_of_contents(self):
        """``[{"text", "anchor", "level"}]`` of the body's headings, in order."""
        return self.outline.table_of_contents

    @cached_property
    def word_count(self):
        """Words in the title, intro and body."""
        stream_block = self.body.stream_block
        return word_count(self.title, self.intro, block_text(stream_block, self.body))

    @property
    def reading_time_minutes(self):
        """Estimated reading time, at least one minute."""
        return max(1, math.ceil(self.word_count / acupuncture_settings.WORDS_PER_MINUTE))

    @property
    def description(self):
        """Search description, else the intro."""
        return self.search_description or self.intro

    @property
    def modified_date(self):
        """The latest of last publication and last review, as a date."""
        dates = [d for d in (self.last_reviewed, self.published_date) if d]
        if self.last_published_at:
            dates.append(timezone.localdate(self.last_published_at))
        return max(dates) if dates else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from ..prefetch import prefetch_articles_for_render

        prefetch_articles_for_render([self])
        return context

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
        """Other live, public articles sharing a published treatment with this one, newest first."""
        limit = limit or acupuncture_settings.RELATED_ARTICLES_LIMIT
        treatment_ids = [t.pk for t in self.get_live_treatments()]
        if not treatment_ids:
            return ArticlePage.objects.none()
        from ..api.visibility import page_is_restricted

        return (
            ArticlePage.objects.live()
            .exclude(page_is_restricted())  # as .public(), without its query for restrictions
            .filter(related_treatments__treatment__in=treatment_ids)
            .exclude(pk=self.pk)
            .select_related("hero_image")
            .distinct()
            .order_by("-published_date", "-first_published_at", "-pk")[:limit]
        )

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


class AbstractArticlePageTreatment(Orderable):
    """One row of an article's ordered related treatments. Subclass it with a ``page`` key."""

    treatment = models.ForeignKey(
        "wagtail_acupuncture.Treatment",
        verbose_name=_("treatment"),
        on_delete=models.CASCADE,
        related_name="article_pages",
    )

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
    """The blog: lists the articles below it."""

    subpage_types = ["wagtail_acupuncture.ArticlePage"]
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

    class Meta(AbstractArticlePageTreatment.Meta):
        abstract = False
