"""The one walk of a StreamField body, for every output.

:class:`BodyScan` walks a body once and gathers everything the package's outputs read from it:

* what the body refers to, registered on a collector (the response's
  :class:`~wagtail_acupuncture.content.resolver.ContentResolver`) to be fetched in bulk: every
  rich text value, every chosen object (pages, images, documents, snippets of any model) and
  whatever a leaf block reports through Wagtail's own ``Block.extract_references``;
* the rich text slots, so the expanded HTML can be put in place for templates;
* the page outline (anchors, heading tags, table of contents; :mod:`wagtail_acupuncture.outline`);
* the plain text an editor wrote, for the word count, and each text with the path of its field
  (``body[3].faq.items[1].answer``), for the claims checks (:mod:`wagtail_acupuncture.claims`);
* the FAQ entries, for structured data;
* the references a body cites (``citations``, listed by the references block's hook), for the
  structured data's ``citation``.

Any block - the package's or a site's own - takes part without code of its own: structural
blocks (stream, list, struct) are walked into, rich text and choosers are recognised by their
Wagtail base class, other leaves by ``extract_references``. A block that refers to content some
other way defines the hook :meth:`collect_references(value, scan) <BodyScan.walk>` and registers
it on ``scan.collector`` (``add_object``, ``add_reference``, ``add_image``, ``add_page``,
``add_document``, ``add_rich_text``), calling ``scan.walk(child_block, child_value, path=...)``
for any children it wants walked as usual (``scan.path`` is the hook block's own path).
"""

from collections.abc import Callable
from typing import NamedTuple

from django.db.models import Model
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.rich_text import RichText

from ..outline import OutlineBuilder
from .richtext import rich_text_to_plain

#: Name of the optional block method called instead of the default walk of its value.
HOOK = "collect_references"


class _NoCollector:
    """Collector of a scan made for the outline and text alone."""

    def add_rich_text(self, source):
        pass

    def add_object(self, obj):
        pass

    def add_reference(self, model, pk):
        pass


class ScannedText(NamedTuple):
    """One text an editor typed in a body: where it is and what it says (plain text)."""

    #: Path of the field, e.g. ``"body[3].faq.items[1].answer"`` (indexes count from 0).
    path: str
    text: str


class RichTextSlot(NamedTuple):
    """One rich text value of a body: the value, a function replacing it, its block's features."""

    value: RichText
    setter: Callable
    features: list | None


class BodyScan:
    """Everything the package reads from one body, gathered in one walk (see the module)."""

    def __init__(self, collector=None):
        self.collector = collector if collector is not None else _NoCollector()
        #: ``[RichTextSlot]``: every rich text value, how to replace it and its block's features.
        self.rich_text = []
        #: Plain texts an editor wrote (headings, paragraphs, answers, ...).
        self.texts = []
        #: ``[ScannedText]``: each plain text with the path of its field, in body order.
        self.fields = []
        #: Path of the block being walked (what a ``collect_references`` hook's children get).
        self.path = None
        #: ``[{"id", "question", "answer", "structured_data"}]`` of the FAQ blocks, in order.
        self.faq_entries = []
        #: Values of the references a body cites, in order (added by blocks' hooks).
        self.citations = []
        self.outline = None

    @classmethod
    def of(cls, body, collector=None):
        """Scan ``body`` (a ``StreamValue`` or ``None``)."""
        scan = cls(collector)
        scan.scan(body)
        return scan

    def scan(self, body, path="body"):
        """Walk the top-level children of ``body``; build the outline and FAQ entries on the way.

        ``path`` names the field in :attr:`fields` paths.
        """
        outline = OutlineBuilder()
        for index, child in enumerate(body or ()):
            outline.visit(child)
            if child.block_type == "faq":
                self._faq(child)
            self.walk(child.block, child.value, _attribute_setter(child), f"{path}[{index}].{child.block_type}")
        self.outline = outline.finish()
        return self

    def word_count(self, *texts):
        """Words in ``texts`` and in the body's text."""
        return sum(len(text.split()) for text in (*texts, *self.texts) if text)

    def walk(self, block, value, setter=None, path=None):
        """Walk one block value: its children, rich text, chosen objects and references.

        ``path`` is the value's field path (see :attr:`fields`); ``None`` is :attr:`path`.
        """
        if value is None:
            return
        path = self.path if path is None else path
        hook = getattr(block, HOOK, None)
        if hook is not None:
            outer, self.path = self.path, path
            try:
                hook(value, self)
            finally:
                self.path = outer
        elif isinstance(block, blocks.BaseStreamBlock):
            for index, child in enumerate(value):
                self.walk(child.block, child.value, _attribute_setter(child), f"{path}[{index}].{child.block_type}")
        elif isinstance(block, blocks.ListBlock):
            for index, bound in enumerate(getattr(value, "bound_blocks", ())):
                self.walk(block.child_block, bound.value, _attribute_setter(bound), f"{path}[{index}]")
        elif isinstance(block, blocks.BaseStructBlock) and hasattr(value, "items"):
            for name, child_block in block.child_blocks.items():
                self.walk(child_block, value.get(name), _item_setter(value, name), f"{path}.{name}")
        elif isinstance(value, RichText) or isinstance(block, blocks.RichTextBlock):
            self.add_rich_text(value, setter, features=getattr(block, "features", None), path=path)
        elif isinstance(value, Model):
            self.collector.add_object(value)
        else:
            if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
                self.add_text(str(value), path)
            for model, pk, _path, _content_path in block.extract_references(value):
                self.collector.add_reference(model, pk)

    def add_text(self, text, path=None):
        """Register one plain text an editor typed, at field ``path`` (``None``: :attr:`path`)."""
        self.texts.append(text)
        if text.strip():
            self.fields.append(ScannedText(self.path if path is None else path, text))

    def add_rich_text(self, value, setter=None, *, features=None, path=None):
        """Register one rich text value (``RichText`` or stored HTML) of a block with
        ``features`` (``None``: Wagtail's default features), at field ``path``."""
        source = getattr(value, "source", value) or ""
        if not source:
            return
        self.texts.append(strip_tags(source))
        plain = rich_text_to_plain(source)
        if plain:
            self.fields.append(ScannedText(self.path if path is None else path, plain))
        self.collector.add_rich_text(source)
        if setter is not None and isinstance(value, RichText):
            self.rich_text.append(RichTextSlot(value, setter, features))

    def _faq(self, child):
        include = bool(child.value.get("structured_data"))
        items = child.value.get("items")
        for position, item in enumerate(getattr(items, "bound_blocks", ()), start=1):
            answer = item.value.get("answer")
            self.faq_entries.append(
                {
                    "id": item.id or f"{child.id}-{position}",
                    "question": (item.value.get("question") or "").strip(),
                    "answer": rich_text_to_plain(getattr(answer, "source", answer)),
                    "structured_data": include,
                }
            )


def _attribute_setter(bound):
    def set_value(new):
        bound.value = new

    return set_value


def _item_setter(mapping, key):
    def set_value(new):
        mapping[key] = new

    return set_value
