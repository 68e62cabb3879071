"""The article body StreamBlock."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .content import HeadingBlock, ImageBlock, KeyPointsBlock, ParagraphBlock, QuoteBlock
from .cta import BookingCTABlock
from .faq import FAQBlock
from .notice import NoticeBlock
from .treatments import RelatedTreatmentsBlock


class ArticleStreamBlock(blocks.StreamBlock):
    """Body blocks of an article. Type names are the public contract."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    key_points = KeyPointsBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    faq = FAQBlock()
    booking_cta = BookingCTABlock()
    notice = NoticeBlock()
    related_treatments = RelatedTreatmentsBlock()

    def get_context(self, value, parent_context=None):
        """Add the body's :class:`~wagtail_acupuncture.outline.Outline` as ``outline``.

        When the body belongs to the page being rendered, the page's cached outline is reused.
        """
        from ..outline import build_outline

        context = super().get_context(value, parent_context=parent_context)
        page = (parent_context or {}).get("page")
        if page is not None and getattr(page, "body", None) is value and hasattr(page, "outline"):
            context["outline"] = page.outline
        else:
            context["outline"] = build_outline(value)
        return context

    class Meta:
        label = _("Body")
        template = "wagtail_acupuncture/blocks/article_body.html"
