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
from django.template.loader import render_to_string
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


#: How many treatment names a row of the index shows before "+N".
TREATMENTS_SHOWN = 2


class ArticleIndexView(FormulaSafeExportMixin, IndexView):
    """The editorial "Articles" index, with formula-safe CSV exports.

    Each row has one actions menu (edit, view live, copy, unpublish, delete: the buttons
    wagtail-modeladmin would stack below the title) next to the title, which links to the
    editor.
    """

    actions_template_name = "wagtail_acupuncture/modeladmin/row_actions.html"

    def get_buttons_for_obj(self, obj):
        return []  # in the row's actions menu instead (see ``get_context_data``)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for obj in context["object_list"]:
            obj.acupuncture_row_actions = render_to_string(
                self.actions_template_name,
                {
                    "obj": obj,
                    "primary": self.button_helper.get_primary_button(obj),
                    "buttons": self.button_helper.get_buttons_for_obj(obj),
                    "live_url": obj.url if obj.live else None,
                },
                request=self.request,
            )
        return context


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
        "title_and_actions",
        "status",
        "published_date",
        "last_reviewed",
        "review_status",
        "treatment_summary",
    )
    #: No column gets wagtail-modeladmin's stacked buttons: ``title_and_actions`` has a menu.
    list_display_add_buttons = "no-stacked-buttons"
    list_filter = [PublicationStatusFilter, ReviewStatusFilter, TreatmentFilter, ClaimsFilter]
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
    index_view_extra_css = ["wagtail_acupuncture/css/articles-index.css"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("related_treatments__treatment")

    def title_and_actions(self, obj):
        """The title, linked to the editor, with the row's actions menu (``ArticleIndexView``)."""
        return getattr(obj, "acupuncture_row_actions", None) or obj.title

    title_and_actions.short_description = _("Title")
    title_and_actions.admin_order_field = "title"

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

    def treatment_summary(self, obj):
        """The first ``TREATMENTS_SHOWN`` treatment names and "+N" more; all of them on hover."""
        names = [row.treatment.name for row in obj.related_treatments.all()]
        if not names:
            return ""
        shown = ", ".join(names[:TREATMENTS_SHOWN])
        more = len(names) - TREATMENTS_SHOWN
        return format_html(
            '<span class="acu-index-treatments" title="{}">{}{}</span>',
            ", ".join(names),
            shown,
            format_html(' <span class="w-status">+{}</span>', more) if more > 0 else "",
        )

    treatment_summary.short_description = _("Treatments")

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
