"""StreamField blocks for clinic articles.

The block type names and child names used in :class:`ArticleStreamBlock` are part of the public
contract (templates, API output and frontends depend on them).
"""

from .choosers import ImageChooserBlock, PageChooserBlock, SnippetChooserBlock
from .content import HeadingBlock, ImageBlock, KeyPointBlock, KeyPointsBlock, ParagraphBlock, QuoteBlock
from .cta import BookingCTABlock
from .faq import FAQBlock, FAQItemBlock
from .hours import OpeningHoursBlock, OpeningHoursStreamBlock
from .notice import NoticeBlock
from .references import ReferenceBlock, ReferencesBlock
from .stream import ArticleStreamBlock
from .treatments import RelatedTreatmentsBlock

__all__ = [
    "ArticleStreamBlock",
    "BookingCTABlock",
    "FAQBlock",
    "FAQItemBlock",
    "HeadingBlock",
    "ImageBlock",
    "ImageChooserBlock",
    "KeyPointBlock",
    "KeyPointsBlock",
    "NoticeBlock",
    "OpeningHoursBlock",
    "OpeningHoursStreamBlock",
    "PageChooserBlock",
    "ParagraphBlock",
    "QuoteBlock",
    "ReferenceBlock",
    "ReferencesBlock",
    "RelatedTreatmentsBlock",
    "SnippetChooserBlock",
]
