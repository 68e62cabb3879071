"""Template tags for rendering articles: ``{% load wagtail_acupuncture_tags %}``."""

from django import template

from ..blocks.cta import BookingCTABlock
from ..booking import resolve_booking_cta
from ..content.resolver import get_resolver

register = template.Library()


@register.simple_tag(takes_context=True)
def booking_cta(context, value):
    """Resolve a ``booking_cta`` block value for the page being rendered.

    Usage: ``{% booking_cta value as cta %}`` then ``cta.url``, ``cta.label``, ``cta.heading``,
    ``cta.text``, ``cta.placement``, ``cta.provider``, ``cta.practitioner``, ``cta.new_tab``,
    ``cta.label_context`` (see :func:`~wagtail_acupuncture.booking.resolve_booking_cta`).
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


@register.filter
def is_sidebar_block(child):
    """Whether a body child is a booking call to action placed in the sidebar.

    The body leaves such blocks out of its flow; ``includes/article_sidebar.html`` renders them.
    """
    block = getattr(child, "block", None)
    value = getattr(child, "value", None)
    return (
        isinstance(block, BookingCTABlock)
        and hasattr(value, "get")
        and value.get("placement") == "sidebar"
    )


@register.filter
def sidebar_blocks(body):
    """The top-level children of ``body`` placed in the sidebar (:func:`is_sidebar_block`)."""
    return [child for child in body or () if is_sidebar_block(child)]


@register.simple_tag(takes_context=True)
def medical_disclaimer(context):
    """The medical disclaimer of the page being rendered, expanded by the response's resolver
    (the article's own, else its clinic's default), or ``""``.

    Usage: ``{% medical_disclaimer as disclaimer %}{{ disclaimer|richtext }}``.
    """
    page = context.get("page")
    getter = getattr(page, "get_medical_disclaimer", None)
    if getter is None:
        return ""
    resolver = get_resolver(context)
    return resolver.rich_text(getter(resolver.clinic))
