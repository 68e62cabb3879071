"""Text and media blocks: heading, paragraph, key points, image and quote."""

from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images import get_image_model

from ..content.representation import represent_children
from ..content.resolver import get_resolver
from ..outline import text_anchor

from .base import PREVIEW_TEMPLATE, ItemsWithIdsMixin, RequiredRichTextBlock, GROUP_MEDIA, GROUP_TEXT, INLINE_FEATURES, PARAGRAPH_FEATURES
from .choosers import ImageChooserBlock

HEADING_LEVELS = [("h2", _("Section heading (h2)")), ("h3", _("Subheading (h3)")), ("h4", _("Minor heading (h4)"))]


class HeadingValue(blocks.StructValue):
    """Heading value with the anchor it gets when none was typed."""

    @property
    def default_anchor(self):
        return self.get("anchor") or text_anchor(self.get("text"))


class HeadingBlock(blocks.StructBlock):
    """A section heading with a linkable anchor, listed in the article's table of contents."""

    text = blocks.CharBlock(label=_("Text"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=HEADING_LEVELS,
        default="h2",
        help_text=_("Use h2 for main sections and h3/h4 below them; do not skip levels."),
    )
    anchor = blocks.CharBlock(
        label=_("Anchor"),
        required=False,
        max_length=80,
        validators=[validate_slug],
        help_text=_(
            "Optional link target (letters, numbers, hyphens), as in #anchor. "
            "Left empty, one is made from the text, unique on the page."
        ),
    )

    def get_api_representation(self, value, context=None):
        """``{text, level, anchor}`` where ``anchor`` is never empty.

        On its own the anchor is the typed one, else one made from the text; in an article body
        :class:`~wagtail_acupuncture.blocks.ArticleStreamBlock` sets the page outline's unique
        anchor, the one ``table_of_contents`` links to.
        """
        representation = represent_children(self, value, context)
        representation["anchor"] = value.default_anchor
        return representation

    def get_api_schema(self, builder):
        """JSON Schema of :meth:`get_api_representation`."""
        schema = builder.struct(self)
        schema["properties"]["anchor"] = {
            "type": "string",
            "minLength": 1,
            "description": "Unique on the page; the table of contents links to #anchor.",
        }
        return schema

    class Meta:
        icon = "title"
        label = _("Heading")
        group = GROUP_TEXT
        description = _("A section heading with an anchor, listed in the table of contents.")
        preview_value = {"text": "How Acupuncture Can Relieve Back Pain", "level": "h2", "anchor": ""}
        template = "wagtail_acupuncture/blocks/heading.html"
        preview_template = PREVIEW_TEMPLATE
        value_class = HeadingValue
        form_classname = "struct-block acupuncture-heading-block"


class ParagraphBlock(RequiredRichTextBlock):
    """Body text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        group = GROUP_TEXT
        description = _("Body text with bold, italic, lists and links.")
        preview_value = (
            "<p>Back pain is one of the most common health problems people face today, "
            "affecting daily activities and quality of life.</p>"
        )
        template = "wagtail_acupuncture/blocks/paragraph.html"
        preview_template = PREVIEW_TEMPLATE


class KeyPointBlock(blocks.StructBlock):
    """One point of a key-point list: a bold lead-in and its explanation."""

    title = blocks.CharBlock(label=_("Lead-in"), max_length=200, help_text=_("Shown in bold, e.g. 'Endorphin Release'."))
    text = RequiredRichTextBlock(
        label=_("Text"),
        features=INLINE_FEATURES,
        help_text=_("The explanation, shown after the lead-in on the same line."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Key point")
        group = GROUP_TEXT
        description = _("A bold lead-in followed by its explanation.")
        preview_value = {
            "title": "Muscle Relaxation",
            "text": "<p>Acupuncture targets specific points to release tight muscles.</p>",
        }
        template = "wagtail_acupuncture/blocks/key_point.html"
        preview_template = PREVIEW_TEMPLATE


class KeyPointsBlock(ItemsWithIdsMixin, blocks.StructBlock):
    """A list of key points with bold lead-ins, such as the benefits of a treatment.

    API: ``{heading, items: [{id, title, text}]}``; ``id`` is the list item's stable id.
    """

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=255,
        help_text=_("Optional. Shown above the list as a subheading."),
    )
    items = blocks.ListBlock(KeyPointBlock(), label=_("Points"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Key points")
        group = GROUP_TEXT
        description = _("A list of points, each with a bold lead-in and an explanation.")
        preview_value = {
            "heading": "",
            "items": [
                {"title": "Endorphin Release", "text": "<p>Acupuncture encourages the release of endorphins.</p>"},
                {"title": "Improved Blood Circulation", "text": "<p>Acupuncture boosts blood flow.</p>"},
            ],
        }
        template = "wagtail_acupuncture/blocks/key_points.html"
        preview_template = PREVIEW_TEMPLATE


class ImageBlock(blocks.StructBlock):
    """An image with alt text and an optional caption, rendered responsively."""

    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(
        label=_("Caption"),
        required=False,
        max_length=255,
        help_text=_("Optional. Shown under the image, for every reader."),
    )
    alt_text = blocks.CharBlock(
        label=_("Alt text"),
        required=False,
        max_length=255,
        help_text=_(
            "Describe the image for people who cannot see it. "
            "Left empty, the image's own description is used."
        ),
    )

    def get_api_representation(self, value, context=None):
        """``{image, caption}``: ``image`` with renditions, its ``alt`` the block's alt text.

        An empty alt text falls back to the image's own. ``image`` is ``null`` when the image
        was deleted.
        """
        representation = represent_children(self, value, context)
        del representation["alt_text"]
        representation["image"] = get_resolver(context).image(
            value.get("image"), alt=value.get("alt_text")
        )
        return representation

    def get_api_schema(self, builder):
        """JSON Schema of :meth:`get_api_representation`."""
        schema = builder.struct(self, exclude=["alt_text"])
        schema["properties"]["image"] = builder.nullable(builder.ref("Image"))
        return schema

    class Meta:
        icon = "image"
        label = _("Image")
        group = GROUP_MEDIA
        description = _("An image with alt text and a caption.")
        preview_value = {"caption": "A calm treatment room", "alt_text": ""}
        template = "wagtail_acupuncture/blocks/image.html"
        preview_template = PREVIEW_TEMPLATE

    def get_preview_value(self):
        """Preview with the newest image in the library, when there is one."""
        value = dict(self.meta.preview_value)
        value["image"] = get_image_model().objects.order_by("-created_at").first()
        return self.normalize(value)


class QuoteBlock(blocks.StructBlock):
    """A pull quote or testimonial with an optional attribution."""

    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        label=_("Attribution"),
        required=False,
        max_length=255,
        help_text=_(
            "Optional. Who said it, e.g. 'A patient, Portland'. Quote patients only with their "
            "consent."
        ),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        group = GROUP_TEXT
        description = _("A quotation with an optional attribution.")
        preview_value = {
            "text": "Acupuncture needles are extremely thin, so the procedure is usually painless.",
            "attribution": "",
        }
        template = "wagtail_acupuncture/blocks/quote.html"
        preview_template = PREVIEW_TEMPLATE
