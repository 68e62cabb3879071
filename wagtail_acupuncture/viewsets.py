"""Snippet admin for treatments and practitioners (registered in ``wagtail_hooks``)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TabbedInterface, ObjectList
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .exports import SnippetExportIndexView
from .models import Practitioner, Treatment


class TreatmentViewSet(SnippetViewSet):
    """Treatments: searchable by name, filterable by status, with usage and revisions."""

    model = Treatment
    icon = "snippet"
    menu_label = _("Treatments")
    menu_order = 100
    list_display = ["name", "slug", Column("summary", label=_("Summary")), UpdatedAtColumn()]
    list_filter = ["live"]
    list_export = ["name", "slug", "summary", "url", "live"]
    index_view_class = SnippetExportIndexView
    ordering = ["name"]
    inspect_view_enabled = True
    copy_view_enabled = True

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("image"),
        MultiFieldPanel(
            [FieldPanel("page"), FieldPanel("url")],
            heading=_("Link"),
            help_text=_("Where the treatment's teaser leads: a page on this site, or an external URL."),
        ),
        FieldPanel("booking_target"),
    ]


class PractitionerViewSet(SnippetViewSet):
    """Practitioners: authors and medical reviewers of articles."""

    model = Practitioner
    icon = "user"
    menu_label = _("Practitioners")
    menu_order = 200
    list_display = ["name", "credentials", "job_title", "booking_url"]
    list_export = ["name", "credentials", "job_title", "booking_url", "profile_url"]
    index_view_class = SnippetExportIndexView
    ordering = ["name"]
    inspect_view_enabled = True

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [FieldPanel("name"), FieldPanel("credentials"), FieldPanel("job_title"), FieldPanel("photo")],
                heading=_("Profile"),
            ),
            ObjectList([FieldPanel("bio")], heading=_("Biography")),
            ObjectList(
                [
                    FieldPanel("booking_target"),
                    FieldPanel("booking_url"),
                    FieldPanel("profile_url"),
                    FieldPanel("user"),
                ],
                heading=_("Links"),
            ),
        ]
    )


class ClinicSnippetGroup(SnippetViewSetGroup):
    """Groups the clinic snippets under one "Treatments & team" menu item.

    Not called "Clinic": that is the clinic's settings, under *Settings*.
    """

    items = (TreatmentViewSet, PractitionerViewSet)
    menu_icon = "group"
    menu_label = _("Treatments & team")
    menu_name = "acupuncture-clinic"
    menu_order = 250
