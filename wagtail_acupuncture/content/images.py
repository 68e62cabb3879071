"""Image renditions: made or fetched together, cached on the objects that show them."""

import functools

from ..conf import acupuncture_settings


@functools.lru_cache(maxsize=512)
def rendition_filter(spec):
    """Wagtail's ``Filter`` for ``spec``, shared: its operations are parsed once per process."""
    from wagtail.images.models import Filter

    return Filter(spec=spec)


def image_renditions(image, specs, found=None):
    """``{spec: rendition}`` of ``image`` for ``specs``, created or fetched in one call.

    Specs Wagtail cannot render (missing source file, broken image) are left out. ``found``
    (the result of an earlier ``get_renditions`` call covering ``specs``) is used instead of a
    new call.
    """
    if image is None or not specs:
        return {}
    specs = list(dict.fromkeys(specs))
    if found is None:
        try:
            found = image.get_renditions(*map(rendition_filter, specs))
        except OSError:  # includes Wagtail's SourceImageIOError (missing source file)
            return {}
    result = {}
    for spec in specs:
        key = spec
        if key not in found and hasattr(image, "clean_filter_for_svg"):
            key = image.clean_filter_for_svg(rendition_filter(spec)).spec
        if key in found:
            result[spec] = found[key]
    return result


def single_rendition(obj, field_name, spec, found=None):
    """The ``spec`` rendition of ``obj``'s image field ``field_name``, or ``None``.

    Cached on ``obj``; ``found`` fills the cache from renditions fetched in bulk (the
    resolver), else the image and its rendition are fetched here.
    """
    if obj is None or not getattr(obj, f"{field_name}_id", None):
        return None
    image_id = getattr(obj, f"{field_name}_id")
    cache_name = f"_acupuncture_{field_name}_rendition"
    cached = getattr(obj, cache_name, None)
    if cached is not None and cached[:2] == (image_id, spec) and found is None:
        return cached[2]
    rendition = image_renditions(getattr(obj, field_name), [spec], found=found).get(spec)
    setattr(obj, cache_name, (image_id, spec, rendition))
    return rendition


def clinic_logo_rendition(clinic, found=None):
    """The clinic logo's ``STRUCTURED_DATA_LOGO_RENDITION``, or ``None`` (cached on ``clinic``)."""
    spec = acupuncture_settings.STRUCTURED_DATA_LOGO_RENDITION
    return single_rendition(clinic, "logo", spec, found)


def person_image_rendition(practitioner, found=None):
    """A practitioner photo's ``STRUCTURED_DATA_PERSON_IMAGE_RENDITION``, or ``None``."""
    spec = acupuncture_settings.STRUCTURED_DATA_PERSON_IMAGE_RENDITION
    return single_rendition(practitioner, "photo", spec, found)


def hero_rendition_specs():
    """Specs of the hero image renditions used by the JSON-LD graph and the meta tags."""
    return [
        *acupuncture_settings.STRUCTURED_DATA_IMAGE_RENDITIONS,
        acupuncture_settings.SOCIAL_IMAGE_RENDITION,
    ]


#: Per-instance cache of :func:`hero_renditions`.
HERO_RENDITIONS_CACHE = "_acupuncture_hero_renditions"


def hero_renditions(page, found=None):
    """Renditions of the page's hero image for JSON-LD and social cards, fetched together once.

    Cached on the page instance, so the graph and the meta tags of one response share one
    ``get_renditions`` call; ``found`` fills the cache from renditions fetched in bulk.
    """
    image = getattr(page, "hero_image", None)
    if image is None:
        return {}
    cached = getattr(page, HERO_RENDITIONS_CACHE, None)
    if cached is not None and cached[0] == image.pk and found is None:
        return cached[1]
    renditions = image_renditions(image, hero_rendition_specs(), found=found)
    setattr(page, HERO_RENDITIONS_CACHE, (image.pk, renditions))
    return renditions


def image_rendition_specs():
    """``{name: filter spec}`` of the renditions delivered with every image (``IMAGE_RENDITIONS``)."""
    return dict(acupuncture_settings.IMAGE_RENDITIONS)
