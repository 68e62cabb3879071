"""The article outline: unique heading anchors, the table of contents and heading levels.

Pure functions over an article body (a ``StreamValue``), shared by the HTML templates, the API
(``table_of_contents``) and structured data, so all three agree on every anchor.
"""

from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.text import slugify

LEVELS = ("h2", "h3", "h4")


@dataclass
class Outline:
    """Anchors and heading tags per block id, and the table of contents in page order."""

    #: ``{block_id: anchor}`` for heading blocks and FAQ blocks with a heading.
    anchors: dict = field(default_factory=dict)
    #: ``{block_id: {"heading_tag": "h2", "item_tag": "h3"}}`` for blocks with their own headings.
    tags: dict = field(default_factory=dict)
    #: ``[{"text", "anchor", "level"}]`` in page order; ``level`` is 2, 3 or 4.
    table_of_contents: list = field(default_factory=list)

    def context_for(self, block_id):
        """Extra template context for one body block."""
        return {"anchor": self.anchors.get(block_id), **self.tags.get(block_id, {})}


def _unique(slug, used):
    candidate, n = slug, 2
    while candidate in used:
        candidate = f"{slug}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _below(level):
    return LEVELS[min(LEVELS.index(level) + 1, len(LEVELS) - 1)]


def build_outline(body):
    """Compute the :class:`Outline` of an article body.

    Typed anchors win; otherwise the anchor is the slugified heading text, made unique on the page
    with ``-2``, ``-3`` suffixes. FAQ headings start a section (h2, questions h3); headings of key
    point lists and related-treatment grids sit one level below the section they are in.
    """
    outline = Outline()
    used = set()
    current = None
    explicit = {
        child.value.get("anchor")
        for child in body
        if child.block_type == "heading" and child.value.get("anchor")
    }
    used.update(explicit)
    for child in body:
        kind, value = child.block_type, child.value
        if kind == "heading":
            text = value.get("text") or ""
            typed = value.get("anchor")
            anchor = typed or _unique(slugify(text) or "section", used)
            level = value.get("level") or "h2"
            outline.anchors[child.id] = anchor
            outline.table_of_contents.append({"text": text, "anchor": anchor, "level": int(level[1])})
            current = level
        elif kind == "faq":
            heading = value.get("heading") or ""
            if heading:
                anchor = _unique(slugify(heading) or "faq", used)
                outline.anchors[child.id] = anchor
                outline.table_of_contents.append({"text": heading, "anchor": anchor, "level": 2})
                outline.tags[child.id] = {"heading_tag": "h2", "item_tag": "h3"}
                current = "h2"
            else:
                outline.tags[child.id] = {"heading_tag": None, "item_tag": _below(current) if current else "h2"}
        elif kind in ("key_points", "related_treatments"):
            tag = _below(current) if current else "h2"
            outline.tags[child.id] = {"heading_tag": tag, "item_tag": _below(tag)}
    return outline


def block_text(block, value):
    """Plain text an editor wrote in one block value (for word counts and search)."""
    from wagtail import blocks
    from wagtail.rich_text import RichText

    if value is None:
        return ""
    if isinstance(value, RichText):
        return strip_tags(value.source)
    if isinstance(block, blocks.StructBlock):
        return " ".join(block_text(block.child_blocks[name], value.get(name)) for name in block.child_blocks)
    if isinstance(block, blocks.ListBlock):
        return " ".join(block_text(block.child_block, item) for item in value)
    if isinstance(block, blocks.StreamBlock):
        return " ".join(block_text(child.block, child.value) for child in value)
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        return str(value)
    return ""


def word_count(*texts):
    """Number of words in the given plain texts."""
    return sum(len(text.split()) for text in texts if text)
