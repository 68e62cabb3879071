"""Rich text cleaned before it is stored, whoever wrote it (admin, ORM, imports, scripts).

Wagtail's editor only ever stores the elements its features produce, but content written
outside the admin - an import, a data migration, a script, the ORM - is stored as it comes, and
a raw ``<script>`` in a FAQ answer would reach every page and API response. Before a page or
snippet of the package (or a site's own subclass) is saved, every ``RichTextField`` and every
rich text value in its StreamFields (found by the one body walk, :class:`~.body.BodyScan`) is
cleaned with the allowlist of its field's or block's own rich text features, by the ``nh3``
(Ammonia) sanitizer: the elements Wagtail's converter rules for those features read from the
stored format (:func:`allowed_tags`; ``<p>`` and ``<br>`` always), the attributes of links and
embeds (:data:`ALLOWED_ATTRIBUTES`), and links only to http(s), mailto, tel and relative URLs.
What the editor produces with those features passes through unchanged; a heading stored by a
script in a field whose features have no headings loses its tags and keeps its text.
"""

import re
from functools import lru_cache

import nh3
from django.db.models.signals import pre_save
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import RichText
from wagtail.rich_text import features as feature_registry

from .body import BodyScan

#: Elements every rich text keeps, whatever its features (Wagtail's editor always writes them).
BASE_TAGS = frozenset({"p", "br"})

#: The leading element name of a converter rule's selector (``a[linktype="page"]`` -> ``a``).
_SELECTOR_ELEMENT = re.compile(r"^([a-z][a-z0-9]*)")

#: Their attributes: links (external, page and document links), image and media embeds.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}

#: URL schemes a link may use (relative URLs and anchors are kept).
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

#: Wagtail finds embeds in stored rich text as ``<embed .../>`` only.
_EMBED = re.compile(r"<embed\b([^>]*?)\s*/?>")


@lru_cache(maxsize=256)
def _allowed_tags(features):
    tags = set(BASE_TAGS)
    for name in features:
        rule = feature_registry.get_converter_rule("contentstate", name) or {}
        for selector in rule.get("from_database_format", {}):
            match = _SELECTOR_ELEMENT.match(selector)
            if match:
                tags.add(match.group(1))
    return frozenset(tags)


def allowed_tags(features=None):
    """The elements of Wagtail's stored format that rich text with ``features`` may hold.

    ``features`` is a field's or block's feature list (``None``: Wagtail's default features,
    as for a field without ``features``); each feature's elements are those its ``contentstate``
    converter rule reads from the database format, so a site's own registered features count.
    """
    if features is None:
        features = feature_registry.get_default_features()
    return _allowed_tags(tuple(features))


def clean_rich_text(source, features=None):
    """``source`` (stored rich text) with only the elements of ``features`` (see
    :func:`allowed_tags`), the allowed attributes and safe links."""
    if not source or "<" not in source:  # plain text holds no markup
        return source
    cleaned = nh3.clean(
        source,
        tags=set(allowed_tags(features)),
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
            cleaned = clean_rich_text(value, field.features)
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
                changed += 1
        elif isinstance(field, StreamField):
            scan = BodyScan.of(getattr(instance, field.attname, None))
            for value, setter, features in scan.rich_text:
                cleaned = clean_rich_text(value.source, features)
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
    save; called from ``AppConfig.ready`` with the package's page types and practitioners, and
    by a site for its own models whose rich text reaches the API (each call adds to the last)."""
    global _models
    _models = tuple(dict.fromkeys((*_models, *models)))
    pre_save.connect(_on_pre_save, dispatch_uid="wagtail_acupuncture.sanitize")
