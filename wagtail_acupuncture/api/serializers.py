"""Serializers of the headless API: Wagtail's, with page references checked by the resolver."""

from wagtail.api.v2.serializers import (
    BaseSerializer,
    PageAliasOfField,
    PageParentField,
    PageSerializer,
)

from .representation import get_resolver


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


class AcupuncturePageSerializer(PageSerializer):
    """Wagtail's page serializer whose page references never show a draft or private page."""

    parent = PublicParentField(read_only=True)
    alias_of = PublicAliasOfField(read_only=True)


class AcupunctureSerializer(BaseSerializer):
    """Serializer of the snippet endpoints (``{id, meta: {type, detail_url}, ...fields}``)."""
