"""Responsive image formats for rich text: Wagtail's ``fullwidth``, ``left`` and ``right``, each
delivered with a ``srcset`` of several widths, ``sizes``, ``width`` and ``height``.

Wagtail reads the ``image_formats`` module of every installed app. This one replaces Wagtail's
three default formats by :class:`ResponsiveImageFormat` instances of the same names, labels,
class names and ``src`` rendition (``width-800``, ``width-500``), so content stored with them
keeps working; a format a site registered under one of those names before is left alone. The
one rich-text expander (:mod:`wagtail_acupuncture.content.richtext`) prints the ``srcset`` of
any format with ``srcset_specs``, so a site's own formats can be responsive too: register a
:class:`ResponsiveImageFormat` in the site's own ``image_formats.py``.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.images.formats import (
    FORMATS_BY_NAME,
    Format,
    register_image_format,
    unregister_image_format,
)


class ResponsiveImageFormat(Format):
    """An image format whose ``<img>`` has a ``srcset`` of ``widths`` and ``sizes``.

    ``filter_spec`` is the ``src`` rendition (and what Wagtail's own rich text rendering and
    the editor use); ``widths`` are the ``width-N`` renditions listed in the ``srcset``.
    """

    def __init__(self, name, label, classname, filter_spec, *, widths, sizes):
        super().__init__(name, label, classname, filter_spec)
        #: Rendition widths listed in the ``srcset``.
        self.widths = tuple(widths)
        #: The ``sizes`` attribute: how wide the image is shown.
        self.sizes = sizes

    @property
    def srcset_specs(self):
        """The ``width-N`` filter specs of the ``srcset``, narrowest first."""
        return [f"width-{width}" for width in sorted(self.widths)]


#: The formats replacing Wagtail's defaults (same names, labels, classes and ``src``).
RESPONSIVE_FORMATS = [
    ResponsiveImageFormat(
        "fullwidth",
        _("Full width"),
        "richtext-image full-width",
        "width-800",
        widths=(480, 800, 1600),
        sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)",
    ),
    ResponsiveImageFormat(
        "left",
        _("Left-aligned"),
        "richtext-image left",
        "width-500",
        widths=(320, 500, 1000),
        sizes="(min-width: 40rem) 20rem, calc(100vw - 2rem)",
    ),
    ResponsiveImageFormat(
        "right",
        _("Right-aligned"),
        "richtext-image right",
        "width-500",
        widths=(320, 500, 1000),
        sizes="(min-width: 40rem) 20rem, calc(100vw - 2rem)",
    ),
]


def _is_wagtail_default(image_format):
    return type(image_format) is Format and image_format.classname.startswith("richtext-image")


for _format in RESPONSIVE_FORMATS:
    _current = FORMATS_BY_NAME.get(_format.name)
    if _current is None or _is_wagtail_default(_current):
        if _current is not None:
            unregister_image_format(_format.name)
        register_image_format(_format)
