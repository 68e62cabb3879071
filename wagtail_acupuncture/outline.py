"""The article outline: unique heading anchors, the table of contents and heading levels.

Built from an article body (a ``StreamValue``) during the one walk of it
(:class:`~wagtail_acupuncture.content.body.BodyScan`), and shared by the HTML templates, the API
(``table_of_contents``) and structured data, so all three agree on every anchor.
"""

from dataclasses import dataclass, field

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


def text_anchor(text, fallback="section"):
    """The anchor made from a heading's ``text`` alone (slugified), ``fallback`` when empty.

    Unique on the page once the outline adds its ``-2``, ``-3`` suffixes.
    """
    return slugify(text or "") or fallback


def _below(level):
    return LEVELS[min(LEVELS.index(level) + 1, len(LEVELS) - 1)]


class OutlineBuilder:
    """Builds an :class:`Outline` from a body's top-level children, one :meth:`visit` each.

    Typed anchors win, wherever they are on the page; otherwise the anchor is the slugified
    heading text, made unique on the page with ``-2``, ``-3`` suffixes. FAQ headings start a
    section (h2, questions h3); headings of key point lists and related-treatment grids sit one
    level below the section they are in. Anchors are given once every child was visited
    (:meth:`finish`), so no pass over the body is needed first.
    """

    def __init__(self):
        self._tags = {}
        self._headings = []  # (block id, text, typed anchor, fallback slug, level)
        self._typed = set()
        self._current = None

    def visit(self, child):
        """Add one top-level child (a bound block of the body) to the outline."""
        kind, value = child.block_type, child.value
        if kind == "heading":
            text = value.get("text") or ""
            typed = value.get("anchor") or ""
            if typed:
                self._typed.add(typed)
            level = value.get("level")
            level = level if level in LEVELS else "h2"
            self._headings.append((child.id, text, typed, text_anchor(text), int(level[1])))
            self._current = level
        elif kind == "faq":
            heading = value.get("heading") or ""
            if heading:
                self._headings.append((child.id, heading, "", text_anchor(heading, "faq"), 2))
                self._tags[child.id] = {"heading_tag": "h2", "item_tag": "h3"}
                self._current = "h2"
            else:
                item_tag = _below(self._current) if self._current else "h2"
                self._tags[child.id] = {"heading_tag": None, "item_tag": item_tag}
        elif kind in ("key_points", "related_treatments"):
            tag = _below(self._current) if self._current else "h2"
            self._tags[child.id] = {"heading_tag": tag, "item_tag": _below(tag)}

    def finish(self):
        """The :class:`Outline` of the children visited."""
        outline = Outline(tags=dict(self._tags))
        used = set(self._typed)
        for block_id, text, typed, slug, level in self._headings:
            anchor = typed or _unique(slug, used)
            outline.anchors[block_id] = anchor
            outline.table_of_contents.append({"text": text, "anchor": anchor, "level": level})
        return outline


def build_outline(body):
    """The :class:`Outline` of an article body (see :class:`OutlineBuilder`)."""
    builder = OutlineBuilder()
    for child in body or ():
        builder.visit(child)
    return builder.finish()


def word_count(*texts):
    """Number of words in the given plain texts."""
    return sum(len(text.split()) for text in texts if text)
