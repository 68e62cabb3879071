"""The article body StreamBlock."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..content.body import BodyScan
from ..content.representation import represent_children
from ..content.resolver import CONTEXT_KEY, get_resolver
from .content import HeadingBlock, ImageBlock, KeyPointsBlock, ParagraphBlock, QuoteBlock
from .cta import BookingCTABlock
from .faq import FAQBlock
from .notice import NoticeBlock
from .references import ReferencesBlock
from .treatments import RelatedTreatmentsBlock


def scan_of(value, page=None):
    """The :class:`~wagtail_acupuncture.content.body.BodyScan` of a body: ``page``'s own walk of
    its body when ``value`` is that body, else a walk of ``value`` made now."""
    if page is not None and getattr(page, "body", None) is value and hasattr(page, "body_scan"):
        return page.body_scan
    return BodyScan.of(value)


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
    references = ReferencesBlock()

    def get_context(self, value, parent_context=None):
        """Add the body's :class:`~wagtail_acupuncture.outline.Outline` as ``outline``.

        When the body belongs to the page being rendered, the outline of the page's one walk of
        its body is reused.
        """
        context = super().get_context(value, parent_context=parent_context)
        context["outline"] = scan_of(value, (parent_context or {}).get("page")).outline
        return context

    def get_api_representation(self, value, context=None):
        """``[{type, value, id}]``; headings and FAQs carry the page outline's ``anchor``.

        Everything the body refers to is resolved in bulk: by the endpoint for a whole response,
        or here for this body when it is represented on its own. Children receive the page in
        ``context["page"]`` (booking calls to action use its author and slug). Every child is
        represented by :func:`~wagtail_acupuncture.content.representation.represent`, so a
        site's own blocks come out ready to render too.
        """
        resolver = get_resolver(context)
        page = resolver.stream_owner(value)
        if page is None:
            outline = resolver.scan(value).outline
            resolver.resolve()
        else:
            outline = page.body_scan.outline
        child_context = {**(context or {}), CONTEXT_KEY: resolver, "page": page}
        representation = represent_children(self, value, child_context)
        anchors = outline.anchors
        for item in representation:
            if item["type"] in ("heading", "faq") and isinstance(item["value"], dict):
                item["value"]["anchor"] = anchors.get(item["id"], item["value"].get("anchor"))
        return representation

    def get_api_schema(self, builder):
        """JSON Schema of :meth:`get_api_representation`."""
        return builder.stream(self)

    class Meta:
        label = _("Body")
        template = "wagtail_acupuncture/blocks/article_body.html"
