"""Wagtail's chooser blocks, their chosen objects fetched with a prepared query.

Converting a body (``bulk_to_python``) fetches the objects its chooser blocks hold with one
query per model; these blocks run that query compiled once per process
(:mod:`wagtail_acupuncture.content.prepared`) instead of building it for every response. In
every other respect, migrations included, they are Wagtail's blocks: they deconstruct to
Wagtail's paths, so a site may use them in its own blocks, or swap them for Wagtail's, without a
migration.
"""

import copy

from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock as WagtailImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock as WagtailSnippetChooserBlock

from ..content.prepared import in_bulk


class PreparedChooserMixin:
    """``bulk_to_python`` of a chooser block with a prepared query; the Wagtail block's path."""

    #: The dotted path of the Wagtail block, used in migrations.
    wagtail_path = None

    @cached_property
    def canonical_module_path(self):
        return self.wagtail_path

    def bulk_to_python(self, values):
        """The chosen objects in the order of ``values`` (``None`` for missing ones), a copy
        for each repeat, as Wagtail's ``BaseChooserBlock.bulk_to_python``."""
        values = list(values)
        if not all(v is None or (type(v) is int) for v in values):
            return super().bulk_to_python(values)
        objects = in_bulk(self.model_class, [v for v in values if v is not None])
        seen, result = set(), []
        for pk in values:
            obj = objects.get(pk)
            if obj is not None and pk in seen:
                obj = copy.copy(obj)
            result.append(obj)
            seen.add(pk)
        return result


class ImageChooserBlock(PreparedChooserMixin, WagtailImageChooserBlock):
    """Wagtail's ``ImageChooserBlock``."""

    wagtail_path = "wagtail.images.blocks.ImageChooserBlock"


class PageChooserBlock(PreparedChooserMixin, blocks.PageChooserBlock):
    """Wagtail's ``PageChooserBlock``."""

    wagtail_path = "wagtail.blocks.PageChooserBlock"


class SnippetChooserBlock(PreparedChooserMixin, WagtailSnippetChooserBlock):
    """Wagtail's ``SnippetChooserBlock``."""

    wagtail_path = "wagtail.snippets.blocks.SnippetChooserBlock"
