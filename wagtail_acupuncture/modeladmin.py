"""The editorial "Articles" index, built on wagtail-modeladmin.

Every article type of the site gets its own index (:func:`article_model_admin`): the package's
``ArticlePage`` and each type a site builds on ``AbstractArticlePage``, with the same columns,
filters, search and CSV export. With one article type the admin menu holds one "Articles" item,
as it always did; with several, "Articles" is a menu group with one item per type, the package's
first (:func:`articles_admin`). ``wagtail_hooks`` registers it unless
``WAGTAIL_ACUPUNCTURE["MODELADMIN_ENABLED"]`` is False; a site that wants other indexes switches
it off and registers its own, built on :class:`ArticleModelAdmin` or :func:`article_model_admin`.
"""

from django.contrib.admin import SimpleListFilter
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import IndexView

from .claims.filters import ClaimsFilter
from .exports import FormulaSafeExportMixin
from .models import ArticlePage, Treatment
from .models.registry import article_page_models
from .models.workflow import review_due_before




class ReviewStatusFilter(SimpleListFilter):
    """Filter articles by medical review status."""

    title = _("review status")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("due", _("Review due")),
            ("never", _("Never reviewed")),
            ("current", _("Reviewed recently")),
        ]

    def queryset(self, request, queryset):
        cutoff = review_due_before()
        if self.value() == "due":
            return queryset.filter(last_reviewed__lt=cutoff)
        if self.value() == "never":
            return queryset.filter(last_reviewed__isnull=True)
        if self.value() == "current":
            return queryset.filter(last_reviewed__gte=cutoff)
        return queryset


class PublicationStatusFilter(SimpleListFilter):
    """Filter articles by publication status."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("live", _("Live")),
            ("draft", _("Draft (never published)")),
            ("changes", _("Live with unpublished changes")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.filter(live=True)
        if self.value() == "draft":
            return queryset.filter(live=False)
        if self.value() == "changes":
            return queryset.filter(live=True, has_unpublished_changes=True)
        return queryset


class TreatmentFilter(SimpleListFilter):
    """Filter articles by related treatment (``?treatment=<slug>``, as on the article index)."""

    title = _("treatment")
    parameter_name = "treatment"

    def lookups(self, request, model_admin):
        return [(t.slug, t.name) for t in Treatment.objects.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(related_treatments__treatment__slug=self.value()).distinct()
        return queryset


class ArticleIndexView(FormulaSafeExportMixin, IndexView):
    """The editorial "Articles" index, with formula-safe CSV exports."""


class ArticleModelAdmin(ModelAdmin):
    """Editors' home for articles: status, dates, treatments, review, search and CSV export.

    The index of the package's ``ArticlePage``; :func:`article_model_admin` makes the same index
    for any other article type.
    """

    model = ArticlePage
    menu_label = _("Articles")
    menu_icon = "doc-full"
    menu_order = 150
    add_to_admin_menu = True
    list_display = (
        "title",
        "status",
        "published_date",
        "last_reviewed",
        "review_status",
        "treatments",
        "view_live",
    )
    list_filter = (PublicationStatusFilter, ReviewStatusFilter, TreatmentFilter, ClaimsFilter)
    search_fields = ("title", "intro")
    ordering = ("-published_date", "-latest_revision_created_at")
    list_per_page = 50
    list_export = (
        "title",
        "status",
        "published_date",
        "last_reviewed",
        "review_status",
        "treatments",
        "url",
    )
    export_filename = "articles"
    index_view_class = ArticleIndexView

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("related_treatments__treatment")

    def status(self, obj):
        return obj.status_string

    status.short_description = _("Status")

    def review_status(self, obj):
        if obj.last_reviewed is None:
            return _("Never reviewed")
        if obj.last_reviewed < review_due_before():
            return _("Review due")
        return _("Reviewed")

    review_status.short_description = _("Review")

    def treatments(self, obj):
        return ", ".join(row.treatment.name for row in obj.related_treatments.all())

    treatments.short_description = _("Treatments")

    def view_live(self, obj):
        url = obj.url if obj.live else None
        if not url:
            return ""
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("View live")
        )

    view_live.short_description = _("Live page")

    def url(self, obj):
        return obj.full_url or ""

    url.short_description = _("URL")


def article_model_admin(model):
    """The editorial index of article type ``model``: :class:`ArticleModelAdmin` for it.

    ``ArticleModelAdmin`` itself for the package's ``ArticlePage``; for another type, a subclass
    named after the type, labelled with its plural verbose name, exporting
    ``articles-<model name>.csv``.
    """
    if model is ArticleModelAdmin.model:
        return ArticleModelAdmin
    return type(
        f"{model.__name__}ModelAdmin",
        (ArticleModelAdmin,),
        {
            "__module__": __name__,
            "__doc__": f"The editorial index of {model._meta.label} articles.",
            "model": model,
            "menu_label": capfirst(model._meta.verbose_name_plural),
            "export_filename": f"articles-{model._meta.model_name}",
        },
    )


class ArticleModelAdminGroup(ModelAdminGroup):
    """The "Articles" menu group of a site with several article types: one index per type."""

    menu_label = _("Articles")
    menu_icon = ArticleModelAdmin.menu_icon
    menu_order = ArticleModelAdmin.menu_order
    items = ()


def articles_admin():
    """What ``wagtail_hooks`` registers: the editorial index of every article type of the site.

    :class:`ArticleModelAdmin` alone when ``ArticlePage`` is the only article type, else an
    :class:`ArticleModelAdminGroup` of :func:`article_model_admin` for each type, the package's
    ``ArticlePage`` first, then the others in the order of ``INSTALLED_APPS``.
    """
    models = sorted(article_page_models(), key=lambda model: model is not ArticlePage)
    admins = tuple(article_model_admin(model) for model in models)
    if len(admins) == 1:
        return admins[0]
    return type(
        "ArticleModelAdminGroup",
        (ArticleModelAdminGroup,),
        {"__module__": __name__, "items": admins},
    )
