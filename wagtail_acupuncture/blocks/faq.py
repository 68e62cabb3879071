"""FAQ block: an accessible disclosure list, optionally marked up as FAQPage structured data."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import PREVIEW_TEMPLATE, RequiredRichTextBlock, GROUP_CLINIC, INLINE_FEATURES


class FAQItemBlock(blocks.StructBlock):
    """One question and its answer. Both are required."""

    question = blocks.CharBlock(label=_("Question"), max_length=255)
    answer = RequiredRichTextBlock(
        label=_("Answer"),
        features=INLINE_FEATURES,
        help_text=_("Required. The visible answer is also what search engines read."),
    )

    class Meta:
        icon = "help"
        label = _("Question")
        group = GROUP_CLINIC
        description = _("A question with its answer.")
        preview_value = {
            "question": "Is acupuncture painful?",
            "answer": "<p>Acupuncture needles are extremely thin, so the procedure is usually painless.</p>",
        }
        template = "wagtail_acupuncture/blocks/faq_item.html"
        preview_template = PREVIEW_TEMPLATE


class FAQBlock(blocks.StructBlock):
    """Frequently asked questions, rendered as native ``<details>`` disclosures."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=255,
        default=_("Frequently Asked Questions"),
    )
    intro = blocks.RichTextBlock(
        label=_("Introduction"),
        required=False,
        features=INLINE_FEATURES,
        help_text=_("Optional text between the heading and the questions."),
    )
    items = blocks.ListBlock(FAQItemBlock(), label=_("Questions"), min_num=1, default=[{"question": "", "answer": ""}])
    structured_data = blocks.BooleanBlock(
        label=_("Include in structured data"),
        required=False,
        default=True,
        help_text=_(
            "Adds these questions to the page's FAQPage markup (JSON-LD) read by search engines "
            "and assistants. Untick for questions repeated from another page."
        ),
    )

    class Meta:
        icon = "help"
        label = _("FAQ")
        group = GROUP_CLINIC
        description = _("Questions and answers that readers can open one by one.")
        preview_value = {
            "heading": "Frequently Asked Questions",
            "items": [
                {
                    "question": "Is acupuncture painful?",
                    "answer": "<p>Acupuncture needles are extremely thin, so the procedure is usually painless.</p>",
                },
                {
                    "question": "How long do the effects of acupuncture last?",
                    "answer": "<p>The effects vary depending on the individual.</p>",
                },
            ],
            "structured_data": True,
        }
        template = "wagtail_acupuncture/blocks/faq.html"
        preview_template = PREVIEW_TEMPLATE
