"""Booking call-to-action block."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..booking import PLACEMENTS, resolve_booking_cta
from ..content.representation import represent_children
from ..content.resolver import get_resolver
from ..links import validate_link_url
from .base import PREVIEW_TEMPLATE, GROUP_CLINIC


class BookingCTABlock(blocks.StructBlock):
    """Invites the reader to book.

    The link resolves, in order, to the typed ``link_url``, the chosen ``link_page`` (when live),
    the article author's booking URL, then the clinic's default booking URL (``ClinicSettings``).
    Empty heading, text and button label fall back to the clinic's defaults. See
    :func:`wagtail_acupuncture.booking.resolve_booking_cta`.
    """

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=255,
        help_text=_("Left empty, the clinic's default call-to-action heading is used."),
    )
    text = blocks.TextBlock(
        label=_("Text"),
        required=False,
        help_text=_("Left empty, the clinic's default call-to-action text is used."),
    )
    button_label = blocks.CharBlock(
        label=_("Button label"),
        required=False,
        max_length=80,
        help_text=_("Left empty, the clinic's default button label is used (e.g. 'Book a consultation')."),
    )
    link_url = blocks.CharBlock(
        label=_("Link URL"),
        required=False,
        max_length=500,
        validators=[validate_link_url],
        help_text=_(
            "Optional. A https:// booking link, a tel: number or a mailto: address. "
            "Left empty: the chosen page, else the author's booking link, else the clinic's."
        ),
    )
    link_page = blocks.PageChooserBlock(
        label=_("Link page"),
        required=False,
        help_text=_("Optional. Used when no link URL is given, and only while the page is published."),
    )
    placement = blocks.ChoiceBlock(
        label=_("Placement"),
        choices=PLACEMENTS,
        default="inline",
        help_text=_(
            "Where this appears in the article. Sent as utm_content and as a data attribute, "
            "so you can compare which calls to action readers use."
        ),
    )

    def get_api_representation(self, value, context=None):
        """``{heading, text, placement, url, label}`` as the template shows them.

        Resolved by :func:`~wagtail_acupuncture.booking.resolve_booking_cta` (fallbacks to the
        author's and the clinic's booking link and texts, UTM parameters). The editor's raw
        ``button_label``, ``link_url`` and ``link_page`` are not delivered; ``url`` is ``null``
        when no link applies, and a chosen page counts only while it is live and public.
        """
        resolver = get_resolver(context)
        shown = blocks.StructValue(
            self, [(k, v) for k, v in value.items() if k not in ("button_label", "link_url", "link_page")]
        )
        representation = represent_children(self, shown, context)
        page = (context or {}).get("page")
        representation.update(
            resolve_booking_cta(value, page=page, request=resolver.request, clinic=resolver.clinic)
        )
        return representation

    def get_api_schema(self, builder):
        """JSON Schema of :meth:`get_api_representation`."""
        schema = builder.struct(self, exclude=["button_label", "link_url", "link_page"])
        schema["properties"]["heading"] = {"type": "string"}
        schema["properties"]["text"] = {"type": "string"}
        schema["properties"]["url"] = {
            "type": ["string", "null"],
            "description": "https/http (with UTM parameters), tel: or mailto: link, or a page path.",
        }
        schema["properties"]["label"] = {"type": "string"}
        schema["required"] += ["url", "label"]
        return schema

    class Meta:
        icon = "date"
        label = _("Booking call to action")
        group = GROUP_CLINIC
        description = _(
            "A box inviting readers to book, linking to the clinic's booking page by default."
        )
        preview_value = {
            "heading": "Ready to feel better?",
            "text": "Book a consultation with us today, and let's create a personalized plan.",
            "button_label": "Book a consultation",
            "link_url": "https://booking.example.com/",
            "placement": "inline",
        }
        template = "wagtail_acupuncture/blocks/booking_cta.html"
        preview_template = PREVIEW_TEMPLATE
        form_classname = "struct-block acupuncture-booking-cta-block"
