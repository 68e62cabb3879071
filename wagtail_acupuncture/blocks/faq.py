"""FAQ block: an accessible disclosure list, optionally marked up as FAQPage structured data."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..content.representation import represent_children, with_item_ids
from ..outline import text_anchor

from .base import PREVIEW_TEMPLATE, RequiredRichTextBlock, GROUP_CLINIC, INLINE_FEATURES


class FAQItemBlock(blocks.StructBlock):
    """One question and its answer. Both are required."""

    question = blocks.CharBlock(
        label=_("Question"),
        max_length=255,
        help_text=_("As a reader would ask it. Readers click it to open the answer."),
    )
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
        help_text=_(
            "Shown as a section heading and listed in the table of contents. Left empty, the "
            "questions follow the text above without a heading of their own."
        ),
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

    def get_api_representation(self, value, context=None):
        """``{heading, intro, items: [{id, question, answer}], structured_data, anchor}``.

        ``intro`` and the answers are front-end HTML; ``id`` is the item's stable id (also the
        ``#faq-<id>`` of the visible question and its JSON-LD ``Question``). ``anchor`` is the
        heading's anchor in the page outline, ``null`` without a heading.
        """
        representation = represent_children(self, value, context)
        representation["items"] = with_item_ids(value["items"], representation["items"])
        representation = {name: representation[name] for name in self.child_blocks}
        heading = value.get("heading") or ""
        representation["anchor"] = text_anchor(heading, "faq") if heading else None
        return representation

    def get_api_schema(self, builder):
        """JSON Schema of :meth:`get_api_representation`."""
        schema = builder.struct(self)
        schema["properties"]["intro"] = builder.html()
        schema["properties"]["items"] = builder.list_with_ids(self.child_blocks["items"])
        schema["properties"]["anchor"] = {"type": ["string", "null"], "minLength": 1}
        schema["required"].append("anchor")
        return schema

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
