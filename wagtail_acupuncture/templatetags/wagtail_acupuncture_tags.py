"""Template tags for rendering articles: ``{% load wagtail_acupuncture_tags %}``."""

from django import template

from ..booking import resolve_booking_cta
from ..content.resolver import get_resolver

register = template.Library()


@register.simple_tag(takes_context=True)
def booking_cta(context, value):
    """Resolve a ``booking_cta`` block value for the page being rendered.

    Usage: ``{% booking_cta value as cta %}`` then ``cta.url``, ``cta.label``, ``cta.heading``,
    ``cta.text``, ``cta.placement``.
    """
    resolver = get_resolver(context)
    return resolve_booking_cta(
        value, page=context.get("page"), request=context.get("request"), clinic=resolver.clinic
    )


@register.filter
def image_alt(image, alt_text=""):
    """Alt text for ``image``: ``alt_text`` when given, else the image's own description/title."""
    if alt_text:
        return alt_text
    return getattr(image, "default_alt_text", "") if image is not None else ""


@register.filter
def outline_context(outline, block_id):
    """Extra context (anchor, heading tags) of one body block from an ``Outline``."""
    return outline.context_for(block_id) if outline is not None else {}


@register.simple_tag(takes_context=True)
def treatment_link(context, treatment):
    """The link of a treatment (its live page, else its external URL), or ``None``."""
    return treatment.get_link_url(request=context.get("request"))
