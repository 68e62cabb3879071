"""The custom article body: the package's blocks plus an agency block, ``callout``.

``CalloutBlock`` is deliberately plain Wagtail (no ``get_api_representation`` of its own): the
package has to deliver its rich text, image and snippet as it delivers its own blocks' values.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from wagtail_acupuncture.blocks import ArticleStreamBlock

#: Rich text features of a callout: links to pages and URLs, and to documents.
CALLOUT_FEATURES = ["bold", "italic", "link", "document-link"]


class CalloutBlock(blocks.StructBlock):
    """A highlighted box: rich text, an optional partner and an optional image."""

    text = blocks.RichTextBlock(label=_("Text"), features=CALLOUT_FEATURES)
    partner = SnippetChooserBlock("custom_app.Partner", label=_("Partner"), required=False)
    image = ImageChooserBlock(label=_("Image"), required=False)

    class Meta:
        icon = "pick"
        label = _("Callout")
        template = "custom_app/blocks/callout.html"


class CustomArticleStreamBlock(ArticleStreamBlock):
    """The package's article body blocks, and ``callout``."""

    callout = CalloutBlock()
