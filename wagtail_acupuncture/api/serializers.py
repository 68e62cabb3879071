"""Serializers of the headless API: Wagtail's, with page references checked by the resolver."""

import copy

from wagtail.api.v2.serializers import (
    BaseSerializer,
    PageAliasOfField,
    PageParentField,
    PageSerializer,
)
from wagtail.fields import RichTextField

from .fields import RichTextHTMLField, default_field_for
from .representation import get_resolver

#: Keyword arguments of DRF's base ``Field``: the only ones a mapped rich text field keeps.
FIELD_KWARGS = {"read_only", "required", "source", "label", "help_text", "allow_null"}


class MappedRichTextField(RichTextHTMLField):
    """:class:`~.fields.RichTextHTMLField` for any ``RichTextField`` of a serialized model.

    Wagtail 7 delivers such fields as stored HTML and Wagtail 8 as ``?rich_text_format``
    chooses; the package's endpoints always deliver front-end HTML, expanded in bulk.
    """

    def __init__(self, **kwargs):
        super().__init__(**{key: value for key, value in kwargs.items() if key in FIELD_KWARGS})


class PublicParentField(PageParentField):
    """The ``parent`` meta field: the parent page when it is live, public and in the site.

    Looked up by the response's resolver (with the other pages of the response) instead of two
    queries per page.
    """

    def get_attribute(self, instance):
        return get_resolver(self.context).parent(instance)


class PublicAliasOfField(PageAliasOfField):
    """The ``alias_of`` meta field: the aliased page, only while it is live and public."""

    def get_attribute(self, instance):
        if not instance.alias_of_id:
            return None
        return get_resolver(self.context).public_page(instance.alias_of_id)


class ReadyToRenderMixin:
    """Builds each API field without a serializer of its own with :func:`default_field_for`.

    The fields of a serializer class are built once and copied for each instance (DRF builds
    them again for every response).
    """

    def get_fields(self):
        cls = type(self)
        prototype = cls.__dict__.get("_acupuncture_fields")
        if prototype is None:
            prototype = super().get_fields()
            cls._acupuncture_fields = prototype
        return copy.deepcopy(prototype)

    def build_field(self, field_name, info, model_class, nested_depth):
        field = default_field_for(model_class, field_name)
        if field is not None:
            return type(field), {"read_only": True}
        return super().build_field(field_name, info, model_class, nested_depth)


class AcupuncturePageSerializer(ReadyToRenderMixin, PageSerializer):
    """Wagtail's page serializer whose page references never show a draft or private page.

    Every field is delivered ready to render (:func:`~.fields.default_field_for`); every
    ``RichTextField`` is front-end HTML.
    """

    serializer_field_mapping = {
        **PageSerializer.serializer_field_mapping,
        RichTextField: MappedRichTextField,
    }
    parent = PublicParentField(read_only=True)
    alias_of = PublicAliasOfField(read_only=True)


class AcupunctureSerializer(ReadyToRenderMixin, BaseSerializer):
    """Serializer of the snippet endpoints (``{id, meta: {type, detail_url}, ...fields}``).

    Every ``RichTextField`` is front-end HTML.
    """

    serializer_field_mapping = {
        **BaseSerializer.serializer_field_mapping,
        RichTextField: MappedRichTextField,
    }
