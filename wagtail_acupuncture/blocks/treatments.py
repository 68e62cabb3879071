"""Inline grid of related treatment teasers."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..content.registry import package_model
from ..content.representation import represent_children
from ..content.resolver import get_resolver

from .base import PREVIEW_TEMPLATE, GROUP_CLINIC
from .choosers import SnippetChooserBlock


class RelatedTreatmentsValue(blocks.StructValue):
    """Value whose ``live_treatments`` leaves out unpublished or deleted treatments."""

    @property
    def live_treatments(self):
        return [t for t in self.get("treatments") or [] if t is not None and t.live]


class RelatedTreatmentsBlock(blocks.StructBlock):
    """A teaser grid of chosen treatments; unpublished ones are never shown."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=255,
        help_text=_("Optional. Shown above the teasers, as a subheading of the section it is in."),
    )
    treatments = blocks.ListBlock(
        SnippetChooserBlock("wagtail_acupuncture.Treatment"),
        label=_("Treatments"),
        min_num=1,
        help_text=_(
            "Search treatments by name. Only published ones are shown; one that is unpublished or "
            "deleted later simply disappears from the grid."
        ),
    )

    def get_api_representation(self, value, context=None):
        """``{heading, treatments: [{id, name, slug, summary, url, image}]}``.

        Unpublished and deleted treatments are left out; a treatment's ``id`` is its own
        (stable) primary key.
        """
        representation = represent_children(self, value, context)
        representation["treatments"] = get_resolver(context).snippets(value.live_treatments)
        return representation

    def get_api_schema(self, builder):
        """JSON Schema of :meth:`get_api_representation`."""
        schema = builder.struct(self)
        schema["properties"]["treatments"] = {"type": "array", "items": builder.ref("Treatment")}
        return schema

    class Meta:
        icon = "snippet"
        label = _("Related treatments")
        group = GROUP_CLINIC
        description = _("Teasers linking to treatments, e.g. 'Acupuncture for Migraines'.")
        preview_value = {"heading": "Related treatments"}
        template = "wagtail_acupuncture/blocks/related_treatments.html"
        preview_template = PREVIEW_TEMPLATE
        value_class = RelatedTreatmentsValue

    def get_preview_value(self):
        """Preview with up to three published treatments, when there are any."""
        treatments = list(package_model("Treatment").objects.filter(live=True)[:3])
        return self.normalize({"heading": self.meta.preview_value["heading"], "treatments": treatments})
