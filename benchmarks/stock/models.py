"""The page a developer builds with stock Wagtail: a StreamField of built-in blocks.

It holds what the synthetic article holds (``benchmarks.subjects.stock_body``) and is served by
Wagtail's own API v2 ``PagesAPIViewSet`` and rendered with ``{% include_block %}``.
"""

from wagtail import blocks
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page


class StockPage(Page):
    body = StreamField(
        [
            ("heading", blocks.CharBlock()),
            ("paragraph", blocks.RichTextBlock()),
            ("image", ImageChooserBlock()),
            (
                "cta",
                blocks.StructBlock(
                    [
                        ("heading", blocks.CharBlock()),
                        ("text", blocks.TextBlock()),
                        ("page", blocks.PageChooserBlock(required=False)),
                    ]
                ),
            ),
            (
                "faq",
                blocks.ListBlock(
                    blocks.StructBlock(
                        [("question", blocks.CharBlock()), ("answer", blocks.RichTextBlock())]
                    )
                ),
            ),
            ("related", blocks.ListBlock(blocks.PageChooserBlock())),
        ],
        blank=True,
    )

    api_fields = [APIField("body")]
    template = "bench_stock/stock_page.html"
