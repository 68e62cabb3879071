"""Endpoint classes of the headless API, for a site's own ``WagtailAPIRouter``.

* :class:`PagesAPIViewSet` - Wagtail's pages endpoint (listing, detail, ``find/?html_path=``)
  limited to live, public pages of the request's site, each page type with its ``api_fields``
  (the package's article fields on every article type, a site's own included).
* :class:`TreatmentsAPIViewSet` - published treatments; ``?slug=`` filter, ``find/?slug=``.
* :class:`PractitionersAPIViewSet` - practitioners.
* :class:`ClinicAPIViewSet` - the request's site's ``ClinicSettings`` (one object).

All of them answer bad input with 400 or 404 and a JSON ``{"message": ...}``, deliver rich text
as front-end HTML (``?rich_text_format=`` accepts only ``html``), resolve everything a response
refers to in bulk (:class:`~wagtail_acupuncture.api.representation.BulkResolver`) and send
``API_CACHE_CONTROL`` with successful responses, with a strong ``ETag`` and ``Last-Modified``
and 304 answers to conditional GETs (:class:`~wagtail_acupuncture.api.caching.HTTPCachingMixin`,
which also keeps them from reading the session).
"""

import functools

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.signals import setting_changed
from django.db import DatabaseError, models, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, cached_property
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response
from wagtail.api import APIField
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    LocaleFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError, parse_fields_parameter
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.api.v2.views import PagesAPIViewSet as WagtailPagesAPIViewSet
from wagtail.fields import StreamField

from ..booking_providers import booking_of
from ..conf import acupuncture_settings
from ..content.registry import forward_relations
from ..links import safe_link_or_none
from ..models import ClinicSettings, Practitioner, Treatment
from ..models.pages import related_to_treatment_slug
from .caching import HTTPCachingMixin
from .fields import (
    BookingField,
    ImageField,
    default_field_for,
    ResolvedField,
    RichTextHTMLField,
    SafeLinkField,
    TextValueField,
    TreatmentLinkField,
)
from .representation import CONTEXT_KEY, BulkResolver
from .serializers import AcupuncturePageSerializer, AcupunctureSerializer

#: The only value ``?rich_text_format=`` accepts on these endpoints.
RICH_TEXT_FORMAT = "html"

#: Largest id or text length accepted in query parameters.
MAX_ID = 2**63 - 1
MAX_TEXT_LENGTH = 1000


def parse_int(value, name, maximum):
    """``value`` as an integer in ``0..maximum``, else :class:`BadRequestError`."""
    try:
        number = int(value) if len(str(value)) <= 20 else -1
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise BadRequestError(f"{name} must be a positive integer")
    if number > maximum:
        raise BadRequestError(f"{name} cannot be higher than {maximum}")
    return number


def check_text(value, name):
    """Reject NUL characters and over-long values of a text query parameter."""
    if "\x00" in value:
        raise BadRequestError(f"null characters are not allowed in {name}")
    if len(value) > MAX_TEXT_LENGTH:
        raise BadRequestError(f"{name} is too long")
    return value


class AcupuncturePagination(WagtailPagination):
    """``limit``/``offset`` pagination bounded by ``API_LIMIT_MAX`` and ``API_OFFSET_MAX``.

    Bad values (not a non-negative integer, or above the maximum) are a 400, never a database
    error. The default limit is 20 (or ``API_LIMIT_MAX`` when lower).

    One row more than the page is fetched: when it is not there, the page is the last one and
    ``total_count`` follows without a ``COUNT`` query (a listing that fits in one page, the
    last page of a longer one).
    """

    def paginate_queryset(self, queryset, request, view=None):
        limit_max = acupuncture_settings.API_LIMIT_MAX
        offset = parse_int(
            request.GET.get("offset", 0), "offset", acupuncture_settings.API_OFFSET_MAX
        )
        limit = parse_int(request.GET.get("limit", min(20, limit_max)), "limit", limit_max)
        self.view = view
        rows = list(queryset[offset : offset + limit + 1])
        if len(rows) <= limit and (rows or offset == 0):
            self.total_count = offset + len(rows)
        else:
            self.total_count = queryset.count()
        return rows[:limit]


class ValidatingFieldsFilter(FieldsFilter):
    """Wagtail's field filters (``?slug=...``) with every value checked before it is queried.

    Dates, numbers and ids that do not parse, NUL characters and over-long text are a 400.
    """

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        for name, value in request.GET.items():
            if name not in fields or name == "locale":
                continue
            check_text(value, name)
            try:
                field = queryset.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, (models.ForeignKey, models.IntegerField, models.AutoField)):
                parse_int(value, name, MAX_ID)
            elif isinstance(field, (models.DateField, models.DecimalField, models.UUIDField)):
                try:
                    field.to_python(value)
                except ValidationError as error:
                    raise BadRequestError(
                        f"field filter error. '{value}' is not a valid value for {name}"
                    ) from error
        return super().filter_queryset(request, queryset, view)


class ValidatingSearchFilter(SearchFilter):
    """Wagtail's ``?search=`` with the query and ``search_operator`` checked first.

    A query the search backend's parser refuses (SQLite's full-text syntax rejects an
    unbalanced ``"``) is a 400: the results are probed for one row, in a savepoint, before
    the response is built.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return super().filter_queryset(request, queryset, view)
        check_text(request.GET["search"], "search")
        operator = request.GET.get("search_operator")
        if operator is not None and operator not in ("and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")
        results = super().filter_queryset(request, queryset, view)
        try:
            with transaction.atomic(using=queryset.db):
                list(results[:1])
        except DatabaseError as error:
            raise BadRequestError(
                "search could not be understood; leave out quotes and operators"
            ) from error
        return results


class TreatmentFilter(BaseFilterBackend):
    """``?treatment=<slug>``: only articles related to the published treatment with that slug.

    As the HTML article index's filter: a slug no published treatment has gives an empty
    listing. The condition is one subquery per article type (no query of its own), so the
    listing takes as many queries with the filter as without it.
    """

    def filter_queryset(self, request, queryset, view):
        if "treatment" not in request.GET:
            return queryset
        slug = check_text(request.GET["treatment"], "treatment").strip()
        if not slug:
            raise BadRequestError("treatment must be a treatment's slug")
        return queryset.filter(related_to_treatment_slug(slug))


class APIEndpointMixin:
    """Behaviour shared by the package's endpoints.

    One :class:`~wagtail_acupuncture.api.representation.BulkResolver` per request, handed to
    the serializers in their context; strict pagination; ``rich_text_format`` limited to
    ``html``; ``Cache-Control`` from ``API_CACHE_CONTROL`` on successful responses.
    """

    pagination_class = AcupuncturePagination

    @cached_property
    def resolver(self):
        """The response's :class:`~wagtail_acupuncture.api.representation.BulkResolver`."""
        return BulkResolver(request=self.request)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.resolve_rich_text_format()

    def resolve_rich_text_format(self):
        """Only ``html`` is accepted: these endpoints always deliver front-end HTML.

        Wagtail 8's ``db_html`` and Markdown formats would expose stored references (ids of
        draft pages) or skip the bulk expansion, so they are a 400 here.
        """
        value = self.request.GET.get("rich_text_format")
        if value is not None and value != RICH_TEXT_FORMAT:
            raise BadRequestError(
                f"rich_text_format must be '{RICH_TEXT_FORMAT}' on this API, got '{value}'"
            )
        return RICH_TEXT_FORMAT

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context[CONTEXT_KEY] = self.resolver
        return context

    @classmethod
    def _get_serializer_class(cls, router, model, fields_config, show_details=False, nested=False):
        """Wagtail's serializer class for a ``fields`` configuration, built once per
        configuration (Wagtail builds a new class, with new fields, for every response)."""
        return serializer_class(cls, router, model, _frozen(fields_config), show_details, nested)

    def serializer_field_names(self, serializer_class):
        """The names of the fields ``serializer_class`` outputs."""
        return set(serializer_class.Meta.fields)

    def listing_view(self, request):
        """The listing, with everything its objects refer to resolved in bulk."""
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.optimize_queryset(self.filter_queryset(queryset))
        serializer_class = self.get_serializer_class()
        objects = self.paginate_queryset(queryset)
        self.after_pagination(request)
        self.resolver.prepare(objects, fields=self.serializer_field_names(serializer_class))
        serializer = serializer_class(objects, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    def detail_view(self, request, pk):
        """One object, with everything it refers to resolved in bulk."""
        instance = self.get_object()
        serializer_class = self.get_serializer_class()
        self.resolver.prepare([instance], fields=self.serializer_field_names(serializer_class))
        serializer = serializer_class(instance, context=self.get_serializer_context())
        return Response(serializer.data)

    def after_pagination(self, request):
        """Hook run once the listing's total count is known."""

    def optimize_queryset(self, queryset):
        """``queryset`` with the relations its representation reads selected."""
        return queryset

    def find_object(self, queryset, request):
        if "id" in request.GET:
            pk = parse_int(request.GET["id"], "id", MAX_ID)
            return queryset.filter(pk=pk).first()
        return None

    def get_serializer_class(self):
        """Wagtail's serializer class for the request's ``fields``, checked first.

        As ``BaseAPIViewSet.get_serializer_class``, plus: nested fields on the package's
        computed fields (``fields=hero_image(title)``) are a 400, and
        :meth:`adjust_fields_config` may amend the parsed ``fields``.
        """
        listing = self.action == "listing_view"
        model = self.get_queryset().model if listing else type(self.get_object())
        try:
            config = parse_fields_parameter(self.request.GET.get("fields", ""))
        except ValueError as error:
            raise BadRequestError(f"fields error: {error}") from error
        overrides = self.get_field_serializer_overrides(model)
        for name, _negated, sub_fields in config:
            field = overrides.get(name) or default_field_for(model, name)
            if sub_fields and isinstance(field, ResolvedField):
                raise BadRequestError(f"'{name}' does not support nested fields")
        config = self.adjust_fields_config(config, model, listing=listing)
        return self._get_serializer_class(
            self.request.wagtailapi_router, model, config, show_details=not listing
        )

    def adjust_fields_config(self, config, model, *, listing):
        """Hook: the parsed ``fields`` parameter, possibly amended."""
        return config

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            cache_control = acupuncture_settings.API_CACHE_CONTROL
            if cache_control and not response.has_header("Cache-Control"):
                response["Cache-Control"] = cache_control
            patch_vary_headers(response, ["Accept"])
        return response


@functools.lru_cache(maxsize=256)  # bounded: ``?fields=`` choices are not
def serializer_class(endpoint, router, model, fields_config, show_details, nested):
    """Wagtail's serializer class of ``endpoint`` for a frozen ``fields`` configuration."""
    return super(APIEndpointMixin, endpoint)._get_serializer_class(
        router, model, fields_config, show_details=show_details, nested=nested
    )


setting_changed.connect(lambda **kwargs: serializer_class.cache_clear(), weak=False)


def _frozen(fields_config):
    """A parsed ``fields`` parameter as nested tuples (a dictionary key Wagtail reads as is)."""
    return tuple(
        (name, negated, _frozen(sub_fields) if sub_fields else None)
        for name, negated, sub_fields in fields_config or ()
    )


#: Forward relations a page detail loads with the page itself (when the model has them).
DETAIL_RELATIONS = ("locale", "author", "reviewed_by")


def page_select_related(model):
    """Forward relations of ``model``'s API fields, with practitioners' photos."""
    related = ["locale"]
    names = [getattr(field, "name", field) for field in getattr(model, "api_fields", ())]
    for name in forward_relations(model, names):
        related.append(name)
        if issubclass(model._meta.get_field(name).related_model, Practitioner):
            related.append(f"{name}__photo")
    return related


class PagesAPIViewSet(HTTPCachingMixin, APIEndpointMixin, WagtailPagesAPIViewSet):
    """Wagtail's pages endpoint for the package's page types.

    Differences from Wagtail's:

    * only live pages of the request's site without any view restriction (whatever the
      session), so responses can be cached publicly; ``?site=`` is not accepted;
    * ``parent`` and ``alias_of`` never point to a draft, private or other site's page;
    * ``fields=*`` in a listing includes ``structured_data`` (built from the listing's bulk
      lookups, no query per page);
    * filters accept only plain database fields (not ``body`` or relations), validated, and
      ``?treatment=<slug>`` (:class:`TreatmentFilter`);
    * ``limit`` up to ``API_LIMIT_MAX``; rich text as front-end HTML.
    """

    base_serializer_class = AcupuncturePageSerializer
    filter_backends = [
        ValidatingFieldsFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        OrderingFilter,
        TranslationOfFilter,
        LocaleFilter,
        TreatmentFilter,
        ValidatingSearchFilter,  # last: search results cannot be filtered further
    ]
    known_query_parameters = (WagtailPagesAPIViewSet.known_query_parameters - {"site"}) | {
        "rich_text_format",
        "treatment",
    }
    #: Fields that ``fields=*`` leaves out of listings (still available when named).
    listing_star_excluded_fields = []

    @classmethod
    def get_available_fields(cls, model, db_fields_only=False):
        fields = super().get_available_fields(model, db_fields_only=db_fields_only)
        if not db_fields_only:
            return fields
        filterable = []
        for name in fields:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.concrete and not isinstance(field, (StreamField, models.JSONField)):
                filterable.append(name)
        return filterable

    def get_base_queryset(self):
        """Live pages of the request's site without a view restriction on them or above.

        With ``?search=`` the checks move into a ``pk__in`` subquery, a filter search backends
        understand. Built once per request (Wagtail asks for it more than once).
        """
        if getattr(self, "_base_queryset", None) is None:
            queryset = self.resolver.public_pages()
            if "search" in self.request.GET:
                queryset = queryset.model.objects.filter(pk__in=queryset.values("pk"))
            self._base_queryset = queryset
        return self._base_queryset

    def get_queryset(self):
        """Wagtail's, except that ``?type=`` with one model filters that model's rows directly.

        Wagtail keeps the pages whose id is in the (public) base queryset: a subquery over every
        page of the site, whatever the listing's own filters. Applying the same checks to the
        model's rows lets the listing's filters (``child_of``...) narrow the rows first.
        """
        from wagtail.api.v2.utils import page_models_from_string

        models_type = self.request.GET.get("type")
        if models_type and "search" not in self.request.GET:
            try:
                models = page_models_from_string(models_type)
            except (LookupError, ValueError):
                models = ()
            if len(models) == 1:
                return self.resolver.public_pages(models[0].objects.all())
        return super().get_queryset()

    def get_serializer_context(self):
        """Wagtail's context, its ``base_queryset`` built only when a serializer reads it (the
        package's own read visibility from the resolver)."""
        context = BaseAPIViewSet.get_serializer_context(self)  # Wagtail's pages one, lazily:
        context["base_queryset"] = SimpleLazyObject(self.get_base_queryset)
        context[CONTEXT_KEY] = self.resolver
        return context

    def get_root_page(self):
        site = self.resolver.site
        if site is None:
            raise BadRequestError("no site matches the request")
        return site.root_page

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        for name in ("child_of", "ancestor_of", "descendant_of", "translation_of"):
            value = self.request.GET.get(name)
            if value is not None and value != "root":
                parse_int(value, name, MAX_ID)
        for name in ("type", "order", "locale"):
            if name in self.request.GET:
                check_text(self.request.GET[name], name)

    def optimize_queryset(self, queryset):
        if isinstance(queryset, QuerySet):
            return queryset.select_related(*page_select_related(queryset.model))
        return queryset

    #: Query parameters of a detail request that do not filter: with no others, the page is
    #: looked up directly (:meth:`ContentResolver.public_specific_page`).
    detail_parameters = frozenset({"fields", "rich_text_format", "format"})

    def get_object(self):
        """The specific page; 404 unless live, public and in the request's site.

        Without filter parameters the page is looked up by id with plain queries (its
        visibility checked from the site's restricted paths); with them, Wagtail's filters
        run on :meth:`get_queryset` first. The :data:`DETAIL_RELATIONS` come with the page;
        images are fetched with the response's others.
        """
        if not hasattr(self, "_specific_object"):
            if self.request.GET.keys() <= self.detail_parameters:
                page = self.resolver.public_specific_page(self.kwargs["pk"], DETAIL_RELATIONS)
                if page is None:
                    raise Http404("No Page matches the given query.")
            else:
                base = BaseAPIViewSet.get_object(self)
                model = base.specific_class or type(base)
                related = forward_relations(model, DETAIL_RELATIONS)
                page = model._default_manager.select_related(*related).get(pk=base.pk)
            self._specific_object = page
        return self._specific_object

    def adjust_fields_config(self, config, model, *, listing):
        """In listings, ``fields=*`` leaves out :attr:`listing_star_excluded_fields`."""
        if not listing or not config or config[0][0] != "*":
            return config
        mentioned = {name for name, _negated, _sub_fields in config}
        available = self.get_available_fields(model)
        return config + [
            (name, True, None)
            for name in self.listing_star_excluded_fields
            if name not in mentioned and name in available
        ]

    def find_object(self, queryset, request):
        """``?html_path=`` (a page path on the request's site), else ``?id=``."""
        if "html_path" in request.GET:
            html_path = check_text(request.GET["html_path"], "html_path")
            site = self.resolver.site
            if site is None:
                return None
            components = [component for component in html_path.split("/") if component]
            try:
                page, _args, _kwargs = site.root_page.specific.route(request, components)
            except Http404:
                return None
            return page if queryset.filter(pk=page.pk).exists() else None
        return super().find_object(queryset, request)


class SnippetAPIViewSet(HTTPCachingMixin, APIEndpointMixin, BaseAPIViewSet):
    """Base of the snippet endpoints: fields given by the endpoint, ordering, no other filter."""

    base_serializer_class = AcupunctureSerializer
    filter_backends = [OrderingFilter]
    known_query_parameters = frozenset(
        ["limit", "offset", "fields", "order", "rich_text_format", "format", "_"]
    )
    #: The endpoint's fields (the models carry no ``api_fields`` of their own).
    api_fields = []
    #: Fields ``?order=`` accepts (``-`` for descending).
    ordering_fields = ["id"]
    #: Default order of listings.
    default_ordering = ["pk"]

    @classmethod
    def get_body_fields(cls, model):
        return cls._convert_api_fields(cls.body_fields + list(cls.api_fields))

    @classmethod
    def get_available_fields(cls, model, db_fields_only=False):
        if db_fields_only:
            return list(cls.ordering_fields)
        return super().get_available_fields(model)

    @classmethod
    def get_listing_default_fields(cls, model):
        return cls.get_available_fields(model)

    def check_query_parameters(self, queryset):
        unknown = set(self.request.GET) - set(self.known_query_parameters)
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised field: "
                + ", ".join(sorted(unknown))
            )
        if "order" in self.request.GET:
            check_text(self.request.GET["order"], "order")

    def get_queryset(self):
        return self.model._default_manager.all().order_by(*self.default_ordering)


class TreatmentsAPIViewSet(SnippetAPIViewSet):
    """Published treatments: ``{id, meta, name, slug, summary, url, image}``.

    ``?slug=<slug>`` filters the listing and answers 404 when no published treatment has that
    slug; ``find/?slug=<slug>`` redirects to the detail. ``url`` is the treatment's page while
    live and public, else its external link.
    """

    name = "treatments"
    model = Treatment
    known_query_parameters = SnippetAPIViewSet.known_query_parameters | {"slug"}
    find_query_parameters = frozenset(["id", "slug"])
    api_fields = [
        "name",
        "slug",
        "summary",
        APIField("url", serializer=TreatmentLinkField()),
        APIField("image", serializer=ImageField()),
        APIField("booking", serializer=BookingField(url_attribute=None)),
    ]
    ordering_fields = ["id", "name", "slug"]
    default_ordering = ["name", "pk"]

    def get_queryset(self):
        return super().get_queryset().filter(live=True)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if "slug" in self.request.GET:
            queryset = queryset.filter(slug=check_text(self.request.GET["slug"], "slug"))
        return queryset

    def after_pagination(self, request):
        if "slug" in request.GET and not self.paginator.total_count:
            raise Http404(f"No published treatment has the slug '{request.GET['slug']}'.")

    def find_object(self, queryset, request):
        if "slug" in request.GET:
            return queryset.filter(slug=check_text(request.GET["slug"], "slug")).first()
        return super().find_object(queryset, request)


class PractitionersAPIViewSet(SnippetAPIViewSet):
    """Practitioners: names, credentials, photo, biography HTML and safe links."""

    name = "practitioners"
    model = Practitioner
    api_fields = [
        "name",
        "credentials",
        "job_title",
        APIField("display_name", serializer=TextValueField()),
        APIField("photo", serializer=ImageField()),
        APIField("bio", serializer=RichTextHTMLField()),
        APIField("booking_url", serializer=SafeLinkField()),
        APIField("booking", serializer=BookingField()),
        APIField("profile_url", serializer=SafeLinkField()),
    ]
    ordering_fields = ["id", "name"]
    default_ordering = ["name", "pk"]


class ClinicAPIViewSet(HTTPCachingMixin, APIEndpointMixin, BaseAPIViewSet):
    """The clinic of the request's site (its ``ClinicSettings``), one object at ``clinic/``.

    ``{name, booking_url, phone, email, address: {...}, default_cta: {heading, text,
    button_label}, logo, geo: {latitude, longitude}, opening_hours: [{days, opens, closes}],
    profile_urls, faq_structured_data}``; ``booking_url`` is ``null`` unless it is a safe link,
    ``logo`` (an image with its renditions) and ``geo`` are ``null`` when not set.
    """

    name = "clinic"
    model = ClinicSettings
    known_query_parameters = frozenset(["format", "_"])

    def clinic_view(self, request):
        """The representation of the request's site's clinic settings."""
        unknown = set(request.GET) - set(self.known_query_parameters)
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised field: "
                + ", ".join(sorted(unknown))
            )
        site = self.resolver.site
        if site is None:
            raise Http404("No site matches the request.")
        return Response(clinic_representation(ClinicSettings.for_site(site), self.resolver))

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "clinic_view"}), name="detail")]


def clinic_representation(clinic, resolver):
    """Plain-JSON representation of a ``ClinicSettings`` (``resolver`` delivers the logo)."""
    return {
        "name": clinic.clinic_name,
        "booking_url": safe_link_or_none(clinic.booking_url),
        "booking": booking_of(clinic),
        "phone": clinic.phone,
        "email": clinic.email,
        "address": {
            "street_address": clinic.street_address,
            "address_locality": clinic.address_locality,
            "address_region": clinic.address_region,
            "postal_code": clinic.postal_code,
            "address_country": clinic.address_country,
        },
        "default_cta": {
            "heading": str(clinic.default_cta_heading),
            "text": clinic.default_cta_text,
            "button_label": str(clinic.default_cta_button_label),
        },
        "logo": resolver.image(clinic.logo_id) if clinic.logo_id else None,
        "geo": clinic.geo,
        "opening_hours": clinic.opening_hours_list,
        "profile_urls": clinic.profile_url_list,
        "faq_structured_data": clinic.faq_structured_data,
        "medical_disclaimer": resolver.html(clinic.medical_disclaimer),
    }


#: The endpoints :func:`~wagtail_acupuncture.api.register_endpoints` registers, by name; its
#: keyword arguments replace any of them with a site's own class, or leave one out (``None``).
ENDPOINTS = {
    "pages": PagesAPIViewSet,
    "treatments": TreatmentsAPIViewSet,
    "practitioners": PractitionersAPIViewSet,
    "clinic": ClinicAPIViewSet,
}
