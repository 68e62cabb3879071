"""The API representation of any block: the package's, Wagtail's and a site's own.

Wagtail's own blocks deliver stored values: a ``RichTextBlock`` its stored HTML with page ids
(Wagtail 7) or HTML expanded value by value with Wagtail's link rules (Wagtail 8), a chooser its
primary key. :func:`represent` delivers every block ready to render instead, through the
response's :class:`~wagtail_acupuncture.content.resolver.ContentResolver`:

* any ``RichTextBlock``: front-end HTML by the one expander (:mod:`.richtext`);
* ``ImageChooserBlock`` and Wagtail's ``ImageBlock``: the image with its renditions, or ``null``;
* ``PageChooserBlock``: ``{id, title, url, type}`` of a live, public page, or ``null``;
* ``DocumentChooserBlock``: ``{id, title, url}``, or ``null`` when restricted or deleted;
* ``SnippetChooserBlock``: the snippet's ``get_api_representation(resolver)`` (the package's
  treatments), else ``{id, type, title}``; ``null`` when deleted or not live;
* stream, list and struct blocks: their children, each represented the same way;
* choice blocks: the stored value when it is one of the block's choices, else the block's
  default (a value written outside the admin; logged as a warning), never the bad value.

A block whose class defines ``get_api_representation`` itself (the package's blocks, or a site's)
is asked for its own. Inside such a method, :func:`represent_children` gives the children's
representations the same way (where ``super().get_api_representation`` would give Wagtail's).
"""

import logging

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .resolver import get_resolver

logger = logging.getLogger(__name__)

try:  # Wagtail's image block with alt text
    from wagtail.images.blocks import ImageBlock as WagtailImageBlock
except ImportError:  # pragma: no cover - every supported Wagtail has it
    WagtailImageBlock = None


def _has_own_representation(block):
    """True when ``block``'s class (not one of Wagtail's) defines ``get_api_representation``."""
    method = type(block).get_api_representation
    return not method.__module__.startswith("wagtail.")


def represent(block, value, context=None):
    """The API representation of ``value`` of ``block`` (see the module)."""
    if _has_own_representation(block):
        return block.get_api_representation(value, context)
    resolver = get_resolver(context)
    if WagtailImageBlock is not None and isinstance(block, WagtailImageBlock):
        if value is None:
            return None
        return resolver.image(value, alt=getattr(value, "contextual_alt_text", None))
    if isinstance(block, (blocks.BaseStreamBlock, blocks.ListBlock, blocks.BaseStructBlock)):
        return represent_children(block, value, context)
    if isinstance(block, blocks.RichTextBlock):
        return resolver.html(value)
    if isinstance(block, ImageChooserBlock):
        return resolver.image(value)
    if isinstance(block, blocks.PageChooserBlock):
        return resolver.page(value)
    if isinstance(block, DocumentChooserBlock):
        return resolver.document(value)
    if isinstance(block, SnippetChooserBlock):
        return resolver.snippet(value)
    if isinstance(block, (blocks.ChoiceBlock, blocks.MultipleChoiceBlock)):
        return valid_choice(block, value)
    return block.get_api_representation(value, context)


def valid_choice(block, value):
    """``value`` of a choice block when it is one of its choices, else the block's default.

    Values of a ``MultipleChoiceBlock`` are kept when valid and the others left out. A bad value
    (stored by an import or a script; the admin never stores one) is reported as a warning.
    """
    field = block.field
    if isinstance(block, blocks.MultipleChoiceBlock):
        values = value if isinstance(value, (list, tuple)) else [value]
        kept = [item for item in values if field.valid_value(item)]
        if len(kept) != len(values):
            logger.warning("Block %r: left out invalid choices %r", block.name, values)
        return kept
    if value in (None, "") or field.valid_value(value):
        return value
    logger.warning("Block %r: invalid choice %r, delivered as its default", block.name, value)
    default = block.get_default()
    return default if default in (None, "") or field.valid_value(default) else None


def represent_children(block, value, context=None):
    """The representation of a structural block from its children's :func:`represent`.

    Streams give ``[{type, value, id}]``, lists ``[value]``, structs ``{name: value}`` - the
    shapes of Wagtail's own ``get_api_representation``.
    """
    if isinstance(block, blocks.BaseStreamBlock):
        return [
            {
                "type": child.block.name,
                "value": represent(child.block, child.value, context),
                "id": child.id,
            }
            for child in value or ()
        ]
    if isinstance(block, blocks.ListBlock):
        return [represent(block.child_block, item, context) for item in value or ()]
    if isinstance(block, blocks.BaseStructBlock):
        return {
            name: represent(block.child_blocks[name], child_value, context)
            for name, child_value in (value or {}).items()
            if name in block.child_blocks
        }
    return represent(block, value, context)


def with_item_ids(list_value, items):
    """``items`` (the representations of ``list_value``'s items) each given the item's ``id``.

    Struct items get an ``id`` key; other items become ``{"id", "value"}``.
    """
    result = []
    for bound, item in zip(list_value.bound_blocks, items, strict=True):
        if isinstance(item, dict):
            result.append({"id": bound.id, **item})
        else:
            result.append({"id": bound.id, "value": item})
    return result
