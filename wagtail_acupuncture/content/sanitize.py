"""Rich text cleaned before it is stored, whoever wrote it (admin, ORM, imports, scripts).

Wagtail's editor only ever stores the elements its features produce, but content written
outside the admin - an import, a data migration, a script, the ORM - is stored as it comes, and
a raw ``<script>`` in a FAQ answer would reach every page and API response. Before a page or
snippet of the package (or a site's own subclass) is saved, every ``RichTextField`` and every
rich text value in its StreamFields (found by the one body walk, :class:`~.body.BodyScan`) is
cleaned with an allowlist of Wagtail's stored rich text format (:data:`ALLOWED_TAGS`,
:data:`ALLOWED_ATTRIBUTES`; links only http(s), mailto, tel and relative), by the ``nh3``
(Ammonia) sanitizer. What the editor produces passes through unchanged.
"""

import re

import nh3
from django.db.models.signals import pre_save
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import RichText

from .body import BodyScan

#: Elements of Wagtail's stored rich text format that the editor's features produce.
ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "u", "s",
        "code", "sup", "sub", "ul", "ol", "li", "hr", "blockquote", "a", "embed",
    }
)  # fmt: skip

#: Their attributes: links (external, page and document links), image and media embeds.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}

#: URL schemes a link may use (relative URLs and anchors are kept).
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

#: Wagtail finds embeds in stored rich text as ``<embed .../>`` only.
_EMBED = re.compile(r"<embed\b([^>]*?)\s*/?>")


def clean_rich_text(source):
    """``source`` (stored rich text) with only the allowed elements, attributes and links."""
    if not source or "<" not in source:  # plain text holds no markup
        return source
    cleaned = nh3.clean(
        source,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    cleaned = _EMBED.sub(r"<embed\1/>", cleaned)
    return source if _same_markup(source, cleaned) else cleaned


def _same_markup(source, cleaned):
    """Whether cleaning changed nothing but how the same markup is written (``<br/>``)."""
    return source == cleaned or source.replace("<br/>", "<br>").replace("<br />", "<br>") == cleaned


def clean_instance(instance):
    """Clean every rich text value of ``instance`` in place; returns how many changed."""
    changed = 0
    for field in instance._meta.concrete_fields:
        if isinstance(field, RichTextField):
            value = getattr(instance, field.attname)
            cleaned = clean_rich_text(value)
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
                changed += 1
        elif isinstance(field, StreamField):
            scan = BodyScan.of(getattr(instance, field.attname, None))
            for value, setter in scan.rich_text:
                cleaned = clean_rich_text(value.source)
                if cleaned != value.source:
                    setter(RichText(cleaned))
                    changed += 1
    return changed


#: The models whose saves are cleaned (set by :func:`register`).
_models = ()


def _on_pre_save(sender, instance, raw=False, **kwargs):
    if _models and not raw and isinstance(instance, _models):
        clean_instance(instance)


def register(models):
    """Clean the rich text of instances of ``models`` (and their subclasses) before every
    save; called from ``AppConfig.ready`` with the package's page types and practitioners."""
    global _models
    _models = tuple(models)
    pre_save.connect(_on_pre_save, dispatch_uid="wagtail_acupuncture.sanitize")
