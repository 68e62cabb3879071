"""Booking call-to-action block."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..booking import PLACEMENTS, resolve_booking_cta
from ..content.representation import represent_children
from ..content.resolver import get_resolver
from ..links import validate_link_url
from .base import PREVIEW_TEMPLATE, GROUP_CLINIC
from .choosers import PageChooserBlock


class BookingCTABlock(blocks.StructBlock):
    """Invites the reader to book.

    The link resolves, in order, to the typed ``link_url``, the chosen ``link_page`` (when live),
    the article author's booking page (booking target, else booking URL), the first related
    treatment's booking target, then the clinic's (booking target, else default booking URL).
    Without any link the block renders nothing on the live page (a preview shows a note).
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
    link_page = PageChooserBlock(
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
        """``{heading, text, placement, url, label, provider, practitioner, new_tab,
        accessible_name}`` as the template shows them.

        Resolved by :func:`~wagtail_acupuncture.booking.resolve_booking_cta` (fallbacks to the
        author's and the clinic's booking link and texts, UTM parameters). The editor's raw
        ``button_label``, ``link_url`` and ``link_page`` are not delivered; ``url`` is ``null``
        when no link applies (a frontend then shows nothing, as the page does), and a chosen page
        counts only while it is live and public. ``provider``, ``placement`` and ``practitioner``
        are what the page's ``data-booking-*`` attributes and its ``booking_click`` event carry.
        """
        resolver = get_resolver(context)
        shown = blocks.StructValue(
            self, [(k, v) for k, v in value.items() if k not in ("button_label", "link_url", "link_page")]
        )
        representation = represent_children(self, shown, context)
        page = (context or {}).get("page")
        resolved = resolve_booking_cta(value, page=page, request=resolver.request, clinic=resolver.clinic)
        resolved.pop("label_context")
        representation.update(resolved)
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
        schema["properties"]["provider"] = {
            "type": ["string", "null"],
            "description": "The booking provider: jane, acuity, cliniko, mindbody, practice_better, "
            "noterro, url (any link), page (a page of the site), or a site's own; null without a link.",
        }
        schema["properties"]["practitioner"] = {
            "type": ["string", "null"],
            "description": "Name of the practitioner booked with (the author's booking page), else null.",
        }
        schema["properties"]["new_tab"] = {
            "type": "boolean",
            "description": "Whether the link opens a new tab (say so to screen readers).",
        }
        schema["properties"]["accessible_name"] = {
            "type": "string",
            "description": "The button's accessible name: the label, who or what is booked, and "
            "'(opens in a new tab)' when it does.",
        }
        schema["required"] += ["url", "label", "provider", "practitioner", "new_tab", "accessible_name"]
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
