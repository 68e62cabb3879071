"""Shared pieces for the package's blocks."""

import html
import re

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..content.representation import represent_children, with_item_ids
from ..content.resolver import get_resolver

#: Rich text features for body paragraphs.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "image", "superscript"]
#: Rich text features for short texts inside other blocks (FAQ answers, key points, notices).
INLINE_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]

#: Template for the block chooser previews (adds the package stylesheet).
PREVIEW_TEMPLATE = "wagtail_acupuncture/blocks/preview.html"

#: Block chooser groups.
GROUP_TEXT = _("Text")
GROUP_MEDIA = _("Media")
GROUP_CLINIC = _("Clinic")


_EMBED = re.compile(r"<embed\b", re.IGNORECASE)


def rich_text_is_blank(source):
    """True when rich text holds no visible text and no embedded image or media."""
    if not source:
        return True
    if _EMBED.search(source):
        return False
    return not html.unescape(strip_tags(source)).replace("\xa0", " ").strip()


class RequiredRichTextBlock(blocks.RichTextBlock):
    """Rich text that must contain visible text: ``<p></p>`` or whitespace counts as empty."""

    def clean(self, value):
        value = super().clean(value)
        if self.required and rich_text_is_blank(value.source):
            raise ValidationError(self.field.error_messages["required"], code="required")
        return value

    def get_api_representation(self, value, context=None):
        """Front-end HTML: real page and document URLs, images as ``<img>`` renditions.

        Wagtail's own representation is the stored HTML (Wagtail 7) or the format chosen with
        ``?rich_text_format`` (Wagtail 8), expanded value by value; the package's API always
        delivers front-end HTML, expanded for the whole response in one pass by its resolver
        (:mod:`wagtail_acupuncture.content.richtext`), so this does not call ``super()``.
        """
        return get_resolver(context).html(value)

    def get_api_schema(self, builder):
        """JSON Schema of :meth:`get_api_representation` (an HTML string)."""
        return builder.html(self)


class ItemsWithIdsMixin:
    """For a struct block with an ``items`` list: the API gives each item its stable ``id``."""

    def get_api_representation(self, value, context=None):
        """The children's representations; each of ``items`` with the list item's ``id``."""
        representation = represent_children(self, value, context)
        representation["items"] = with_item_ids(value["items"], representation["items"])
        return representation

    def get_api_schema(self, builder):
        """JSON Schema of :meth:`get_api_representation`."""
        schema = builder.struct(self)
        schema["properties"]["items"] = builder.list_with_ids(self.child_blocks["items"])
        return schema
