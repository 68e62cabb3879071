"""Serializer fields of the headless API, and the field each model field or computed value gets.

Every field returns plain JSON built by the response's
:class:`~wagtail_acupuncture.api.representation.BulkResolver`, and describes its output with
``json_schema(builder)`` for the OpenAPI document (:mod:`wagtail_acupuncture.api.schema`).

Models name their API fields (``api_fields = [APIField("hero_image"), ...]``) without a
serializer; :func:`default_field_for` gives each one the field that delivers it ready to render,
by what it is: an image foreign key, a practitioner, a StreamField, a rich text field, or one of
the computed values of the article types. A site's own page types get the same for their own
fields; an ``APIField`` with a ``serializer`` of its own keeps it.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework.fields import Field
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage

from ..booking_providers import booking_of
from ..conf import acupuncture_settings
from ..links import safe_link_or_none
from ..models import AbstractArticleIndexPage, AbstractArticlePage, Practitioner
from ..structured_data import build_article_graph, build_index_graph
from .representation import get_resolver, isoformat


class ResolvedField(Field):
    """Base of the read-only fields that output what the response's resolver builds."""

    #: JSON Schema of the output (``None`` values are added by ``nullable``).
    schema = {}
    #: Whether the output may be ``null``.
    nullable = False

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    @property
    def resolver(self):
        """The :class:`~wagtail_acupuncture.api.representation.BulkResolver` of the response."""
        return get_resolver(self.context)

    def json_schema(self, builder, model, name):
        """JSON Schema of this field's output as field ``name`` of ``model``."""
        schema = dict(self.get_schema(builder, model, name))
        return builder.nullable(schema) if self.nullable else schema

    def get_schema(self, builder, model, name):
        return self.schema


class ImageField(ResolvedField):
    """An image as ``{id, title, alt, width, height, focal_point, renditions}``.

    On a foreign key it reads the key's value, not the related object, so a listing does not
    fetch images one by one (the resolver fetches them with their renditions).
    """

    nullable = True

    def get_attribute(self, instance):
        try:
            field = instance._meta.get_field(self.source)
        except Exception:  # noqa: BLE001 - not a model field: the plain attribute
            return super().get_attribute(instance)
        cached = field.get_cached_value(instance, default=None) if field.is_relation else None
        return cached if cached is not None else getattr(instance, field.attname)

    def to_representation(self, value):
        return self.resolver.image(value)

    def get_schema(self, builder, model, name):
        return builder.ref("Image")


class PractitionerField(ResolvedField):
    """A practitioner (author, reviewer) with photo, biography HTML and safe links."""

    nullable = True

    def to_representation(self, value):
        return self.resolver.snippet(value)

    def get_schema(self, builder, model, name):
        return builder.ref("Practitioner")


class RichTextHTMLField(ResolvedField):
    """Stored rich text as front-end HTML (links resolved, images as renditions)."""

    def to_representation(self, value):
        return self.resolver.html(value)

    def get_schema(self, builder, model, name):
        return builder.html()


class SafeLinkField(ResolvedField):
    """An editor-entered link, or ``null`` when it is empty or not http(s), tel or mailto."""

    nullable = True
    schema = {"type": "string"}

    def to_representation(self, value):
        return safe_link_or_none(value)


class TreatmentLinkField(ResolvedField):
    """A treatment's link: its page while live and public, else its safe external URL."""

    nullable = True
    schema = {"type": "string"}

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, treatment):
        return self.resolver.page_url(treatment.page_id) or safe_link_or_none(treatment.url)


class BookingField(ResolvedField):
    """The object's booking page, ``{provider, url, new_tab}``, or ``null``: a practitioner's
    or clinic's booking target, else its booking URL (``url_attribute``); a treatment's target."""

    nullable = True

    def __init__(self, url_attribute="booking_url", **kwargs):
        kwargs.setdefault("source", "*")
        self.url_attribute = url_attribute
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return booking_of(obj, url_attribute=self.url_attribute)

    def get_schema(self, builder, model, name):
        return builder.ref("Booking")


class StreamBodyField(ResolvedField):
    """A StreamField: ``[{type, value, id}]``, each value as its block represents it."""

    def to_representation(self, value):
        return value.stream_block.get_api_representation(value, context=self.context)

    def get_schema(self, builder, model, name):
        return builder.block(model._meta.get_field(name).stream_block)


class MedicalDisclaimerField(ResolvedField):
    """The article's medical disclaimer as front-end HTML: its own, else the clinic's default
    (``""`` without either), expanded by the response's resolver."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return self.resolver.html(page.get_medical_disclaimer(self.resolver.clinic))

    def get_schema(self, builder, model, name):
        schema = dict(builder.html())
        schema["description"] = (
            "HTML of the medical disclaimer shown at the end of the article (the article's own, "
            "else the clinic's default); empty when there is none."
        )
        return schema


class RelatedTreatmentsField(ResolvedField):
    """The article's published related treatments, in editor order."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return self.resolver.snippets(page.get_live_treatments())

    def get_schema(self, builder, model, name):
        return {"type": "array", "items": builder.ref("Treatment")}


class RelatedArticlesField(ResolvedField):
    """Other live, public articles of the site sharing a treatment, newest first."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return self.resolver.related_articles(page)

    def get_schema(self, builder, model, name):
        return {"type": "array", "items": builder.ref("ArticleCard")}


class TableOfContentsField(ResolvedField):
    """``[{text, anchor, level}]`` of the body's headings (the page's outline)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return [dict(entry) for entry in page.table_of_contents]

    def get_schema(self, builder, model, name):
        return {"type": "array", "items": builder.ref("TableOfContentsEntry")}


class IntegerValueField(ResolvedField):
    """A computed integer attribute of the object (``word_count``, ``reading_time_minutes``)."""

    schema = {"type": "integer", "minimum": 0}

    def to_representation(self, value):
        return int(value)


class TextValueField(ResolvedField):
    """A computed text attribute of the object (``display_name``)."""

    schema = {"type": "string"}

    def to_representation(self, value):
        return str(value)


class DateValueField(ResolvedField):
    """A date as ``YYYY-MM-DD``."""

    nullable = True
    schema = {"type": "string", "format": "date"}

    def to_representation(self, value):
        return isoformat(value)


class StructuredDataField(ResolvedField):
    """The article's JSON-LD document (``structured_data.build_article_graph``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return build_article_graph(page, request=self.context.get("request"))

    def get_schema(self, builder, model, name):
        return {
            "type": "object",
            "description": "JSON-LD: {'@context': 'https://schema.org', '@graph': [...]}.",
            "properties": {"@context": {"type": "string"}, "@graph": {"type": "array"}},
            "required": ["@context", "@graph"],
        }


class IndexStructuredDataField(StructuredDataField):
    """An article index's JSON-LD document (``structured_data.build_index_graph``) listing its
    first page of articles, as its HTML page without a filter shows them."""

    def to_representation(self, page):
        articles = page.get_articles()[: acupuncture_settings.ARTICLES_PER_PAGE]
        return build_index_graph(page, articles, request=self.context.get("request"))


#: Computed values of the article types, by API field name.
ARTICLE_VALUE_FIELDS = {
    "medical_disclaimer": MedicalDisclaimerField,
    "related_treatments": RelatedTreatmentsField,
    "related_articles": RelatedArticlesField,
    "table_of_contents": TableOfContentsField,
    "reading_time_minutes": IntegerValueField,
    "word_count": IntegerValueField,
    "structured_data": StructuredDataField,
}


def default_field_for(model, name):
    """The serializer field delivering ``model``'s API field ``name`` ready to render, or None.

    ``None`` leaves the field to Wagtail (plain values, ``RichTextField`` mapped by the
    serializers).
    """
    if issubclass(model, AbstractArticleIndexPage) and name == "structured_data":
        return IndexStructuredDataField()
    if issubclass(model, AbstractArticlePage) and name in ARTICLE_VALUE_FIELDS:
        return ARTICLE_VALUE_FIELDS[name]()
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, StreamField):
        return StreamBodyField()
    if isinstance(field, RichTextField):
        return RichTextHTMLField()
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return DateValueField()
    if isinstance(field, models.ForeignKey):
        if issubclass(field.related_model, AbstractImage):
            return ImageField()
        if issubclass(field.related_model, Practitioner):
            return PractitionerField()
    return None
