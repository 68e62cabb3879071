"""Booking providers: the online schedulers a clinic books through, and their booking URLs.

A *booking target* (the ``booking_target`` field of ``ClinicSettings``, ``Practitioner`` and
``Treatment``) is a StreamField holding at most one provider block: the scheduler (Jane, Acuity
Scheduling, Cliniko, Mindbody, Practice Better, Noterro, or any URL) with its own typed ids.
Each provider is a ``StructBlock`` subclass of :class:`BookingProviderBlock` that validates its
ids at the field (:meth:`~BookingProviderBlock.validate_ids`) and builds the booking URL
(:meth:`~BookingProviderBlock.build_url`). The URL shapes are those seen on clinic sites, not
documented APIs (Acuity's ``schedule.php`` parameters excepted).

The providers offered are the setting ``BOOKING_PROVIDERS``: dotted paths of provider block
classes, the package's by default; a site adds its own scheduler by appending the dotted path of
its own subclass. The field's migration does not name the providers (:class:`BookingTargetField`),
so changing the list never asks for a migration; a stored target whose provider was removed
from the list is ignored (no link).
"""

import re
from functools import lru_cache
from urllib.parse import quote, urlencode

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.fields import StreamField

from .conf import acupuncture_settings
from .links import is_absolute_web_link, safe_link_or_none, validate_link_url

#: A subdomain label: lower-case letters, digits and inner hyphens, 1-63 characters.
SUBDOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
#: A numeric id.
NUMERIC_ID = re.compile(r"^[0-9]{1,20}$")
#: A URL slug.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: An opaque id of letters and digits.
ALPHANUMERIC_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")
#: A Cliniko shard (the region part of the host), e.g. ``au1``, ``uk2``.
CLINIKO_SHARD = re.compile(r"^[a-z]{2}[0-9]{1,2}$")


def _check(errors, value, name, pattern, message):
    text = (value.get(name) or "").strip() if hasattr(value, "get") else ""
    if text and not pattern.match(text):
        errors[name] = ValidationError(message, code="invalid")
    return text


class BookingProviderBlock(blocks.StructBlock):
    """Base of a booking provider: typed ids, validated, and the URL they book at.

    Subclasses set ``provider_name`` (the stored block type, the ``provider`` of the API and of
    the ``booking_click`` event), a translated ``Meta.label``, their id fields, and implement
    :meth:`validate_ids` and :meth:`build_url`. Every provider has ``new_tab``.
    """

    #: Stored block type and public provider name (``"jane"``).
    provider_name = ""

    new_tab = blocks.BooleanBlock(
        label=_("Open in a new tab"),
        required=False,
        help_text=_("Readers are told that the link opens a new tab."),
    )

    def validate_ids(self, value):
        """``{child name: ValidationError}`` of ``value``'s invalid or missing ids (override)."""
        return {}

    def build_url(self, value):
        """The booking URL of a valid ``value`` (override), or ``None``."""
        raise NotImplementedError

    def clean(self, value):
        value = super().clean(value)
        errors = self.validate_ids(value)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def url_of(self, value):
        """The booking URL of a stored ``value``; ``None`` when its ids are invalid (written
        outside the admin) or the URL is not a safe web link."""
        if value is None or self.validate_ids(value):
            return None
        url = self.build_url(value)
        return url if url and safe_link_or_none(url) else None

    class Meta:
        icon = "date"
        form_classname = "struct-block acupuncture-booking-provider-block"


def _required(errors, value, name, message):
    if not (value.get(name) or "").strip():
        errors.setdefault(name, ValidationError(message, code="required"))


SUBDOMAIN_MESSAGE = _(
    "Enter the part before the scheduler's domain: lower-case letters, digits and hyphens "
    "(e.g. 'myclinic')."
)
NUMBER_MESSAGE = _("Enter digits only, as in the scheduler's booking link.")
SLUG_MESSAGE = _("Enter lower-case letters, digits and hyphens, as in the booking link.")


class JaneBlock(BookingProviderBlock):
    """Jane (``https://<clinic>.janeapp.com``): a practitioner (``#/staff_member/<id>``, with
    an optional ``/treatment/<id>``), a discipline's treatment (``#/discipline/<id>/treatment/<id>``),
    optionally scoped to a location (``/locations/<slug>/book``)."""

    provider_name = "jane"

    clinic = blocks.CharBlock(
        label=_("Jane clinic"), max_length=63,
        help_text=_("From https://<clinic>.janeapp.com, e.g. 'myclinic'."),
    )
    location = blocks.CharBlock(
        label=_("Location"), required=False, max_length=100,
        help_text=_("Optional: a location's slug, from /locations/<slug>/book."),
    )
    staff_member = blocks.CharBlock(
        label=_("Staff member id"), required=False, max_length=20,
        help_text=_("Optional: the number in #/staff_member/<id>, to book with one practitioner."),
    )
    discipline = blocks.CharBlock(
        label=_("Discipline id"), required=False, max_length=20,
        help_text=_("Optional: the number in #/discipline/<id>; needs a treatment id."),
    )
    treatment = blocks.CharBlock(
        label=_("Treatment id"), required=False, max_length=20,
        help_text=_("Optional: the number in /treatment/<id>; needs a staff member or a discipline."),
    )

    def validate_ids(self, value):
        errors = {}
        _required(errors, value, "clinic", _("Enter the Jane clinic's name."))
        _check(errors, value, "clinic", SUBDOMAIN, SUBDOMAIN_MESSAGE)
        _check(errors, value, "location", SLUG, SLUG_MESSAGE)
        staff = _check(errors, value, "staff_member", NUMERIC_ID, NUMBER_MESSAGE)
        discipline = _check(errors, value, "discipline", NUMERIC_ID, NUMBER_MESSAGE)
        treatment = _check(errors, value, "treatment", NUMERIC_ID, NUMBER_MESSAGE)
        if staff and discipline:
            errors.setdefault(
                "discipline", ValidationError(_("Enter a staff member or a discipline, not both."))
            )
        if discipline and not treatment:
            errors.setdefault(
                "treatment", ValidationError(_("A discipline needs the treatment id to book."))
            )
        if treatment and not (staff or discipline):
            errors.setdefault(
                "treatment",
                ValidationError(_("A treatment id needs a staff member or a discipline.")),
            )
        return errors

    def build_url(self, value):
        base = f"https://{value['clinic'].strip()}.janeapp.com/"
        location = (value.get("location") or "").strip()
        if location:
            base += f"locations/{location}/book"
        staff = (value.get("staff_member") or "").strip()
        discipline = (value.get("discipline") or "").strip()
        treatment = (value.get("treatment") or "").strip()
        if staff:
            fragment = f"#/staff_member/{staff}"
        elif discipline:
            fragment = f"#/discipline/{discipline}"
        else:
            return base
        if treatment:
            fragment += f"/treatment/{treatment}"
        return base + fragment

    class Meta:
        label = _("Jane")


class AcuityBlock(BookingProviderBlock):
    """Acuity Scheduling: ``https://<account>.acuityscheduling.com/schedule.php`` with its
    documented ``appointmentType`` and ``calendarID`` parameters."""

    provider_name = "acuity"

    account = blocks.CharBlock(
        label=_("Acuity account"), max_length=63,
        help_text=_("From https://<account>.acuityscheduling.com, e.g. 'myclinic'."),
    )
    appointment_type = blocks.CharBlock(
        label=_("Appointment type id"), required=False, max_length=20,
        help_text=_("Optional: the number after appointmentType= in the scheduling link."),
    )
    calendar = blocks.CharBlock(
        label=_("Calendar id"), required=False, max_length=20,
        help_text=_("Optional: the number after calendarID=, to book one practitioner's calendar."),
    )

    def validate_ids(self, value):
        errors = {}
        _required(errors, value, "account", _("Enter the Acuity account's name."))
        _check(errors, value, "account", SUBDOMAIN, SUBDOMAIN_MESSAGE)
        _check(errors, value, "appointment_type", NUMERIC_ID, NUMBER_MESSAGE)
        _check(errors, value, "calendar", NUMERIC_ID, NUMBER_MESSAGE)
        return errors

    def build_url(self, value):
        query = [
            (key, (value.get(name) or "").strip())
            for key, name in (("appointmentType", "appointment_type"), ("calendarID", "calendar"))
        ]
        query = urlencode([(key, text) for key, text in query if text])
        url = f"https://{value['account'].strip()}.acuityscheduling.com/schedule.php"
        return f"{url}?{query}" if query else url

    class Meta:
        label = _("Acuity Scheduling")


class ClinikoBlock(BookingProviderBlock):
    """Cliniko: ``https://<account>.<shard>.cliniko.com/bookings`` with ``business_id``,
    ``practitioner_id`` and ``appointment_type_id``."""

    provider_name = "cliniko"

    account = blocks.CharBlock(
        label=_("Cliniko account"), max_length=63,
        help_text=_("From https://<account>.<shard>.cliniko.com, e.g. 'myclinic'."),
    )
    shard = blocks.CharBlock(
        label=_("Shard"), max_length=4,
        help_text=_("The region part of the address, e.g. 'au1' or 'uk2'."),
    )
    business_id = blocks.CharBlock(label=_("Business id"), required=False, max_length=20)
    practitioner_id = blocks.CharBlock(label=_("Practitioner id"), required=False, max_length=20)
    appointment_type_id = blocks.CharBlock(
        label=_("Appointment type id"), required=False, max_length=20
    )

    ID_FIELDS = ("business_id", "practitioner_id", "appointment_type_id")

    def validate_ids(self, value):
        errors = {}
        _required(errors, value, "account", _("Enter the Cliniko account's name."))
        _check(errors, value, "account", SUBDOMAIN, SUBDOMAIN_MESSAGE)
        _required(errors, value, "shard", _("Enter the shard, e.g. 'au1'."))
        _check(
            errors, value, "shard", CLINIKO_SHARD,
            _("Enter two letters and a number, as in the address (e.g. 'au1')."),
        )
        for name in self.ID_FIELDS:
            _check(errors, value, name, NUMERIC_ID, NUMBER_MESSAGE)
        return errors

    def build_url(self, value):
        query = urlencode(
            [(name, (value.get(name) or "").strip()) for name in self.ID_FIELDS if (value.get(name) or "").strip()]
        )
        url = f"https://{value['account'].strip()}.{value['shard'].strip()}.cliniko.com/bookings"
        return f"{url}?{query}" if query else url

    class Meta:
        label = _("Cliniko")


class MindbodyBlock(BookingProviderBlock):
    """Mindbody (classic): ``https://clients.mindbodyonline.com/classic/ws?studioid=<site id>``."""

    provider_name = "mindbody"

    studio_id = blocks.CharBlock(
        label=_("Site id"), max_length=20,
        help_text=_("The number after studioid= in the Mindbody booking link."),
    )

    def validate_ids(self, value):
        errors = {}
        _required(errors, value, "studio_id", _("Enter the Mindbody site id."))
        _check(errors, value, "studio_id", NUMERIC_ID, NUMBER_MESSAGE)
        return errors

    def build_url(self, value):
        return "https://clients.mindbodyonline.com/classic/ws?" + urlencode(
            {"studioid": value["studio_id"].strip()}
        )

    class Meta:
        label = _("Mindbody")


class PracticeBetterBlock(BookingProviderBlock):
    """Practice Better: ``https://<account>.practicebetter.io/#/<practice id>/bookings``."""

    provider_name = "practice_better"

    account = blocks.CharBlock(
        label=_("Practice Better account"), max_length=63,
        help_text=_("From https://<account>.practicebetter.io."),
    )
    practice_id = blocks.CharBlock(
        label=_("Practice id"), max_length=64,
        help_text=_("The letters and digits in #/<practice id>/bookings."),
    )

    def validate_ids(self, value):
        errors = {}
        _required(errors, value, "account", _("Enter the Practice Better account's name."))
        _check(errors, value, "account", SUBDOMAIN, SUBDOMAIN_MESSAGE)
        _required(errors, value, "practice_id", _("Enter the practice id."))
        _check(errors, value, "practice_id", ALPHANUMERIC_ID, _("Enter letters and digits only."))
        return errors

    def build_url(self, value):
        account, practice = value["account"].strip(), value["practice_id"].strip()
        return f"https://{account}.practicebetter.io/#/{practice}/bookings"

    class Meta:
        label = _("Practice Better")


class NoterroBlock(BookingProviderBlock):
    """Noterro: ``https://<clinic>.noterro.com/book-online``, or one service's page
    ``/book-online/service/<id>/<slug>``."""

    provider_name = "noterro"

    clinic = blocks.CharBlock(
        label=_("Noterro clinic"), max_length=63,
        help_text=_("From https://<clinic>.noterro.com."),
    )
    service_id = blocks.CharBlock(
        label=_("Service id"), required=False, max_length=20,
        help_text=_("Optional: the number in /book-online/service/<id>/<slug>."),
    )
    service_slug = blocks.CharBlock(
        label=_("Service slug"), required=False, max_length=100,
        help_text=_("With a service id: the last part of the service's booking link."),
    )

    def validate_ids(self, value):
        errors = {}
        _required(errors, value, "clinic", _("Enter the Noterro clinic's name."))
        _check(errors, value, "clinic", SUBDOMAIN, SUBDOMAIN_MESSAGE)
        service = _check(errors, value, "service_id", NUMERIC_ID, NUMBER_MESSAGE)
        slug = _check(errors, value, "service_slug", SLUG, SLUG_MESSAGE)
        if bool(service) != bool(slug):
            missing = "service_slug" if service else "service_id"
            errors.setdefault(
                missing, ValidationError(_("Enter both the service id and its slug, or neither."))
            )
        return errors

    def build_url(self, value):
        url = f"https://{value['clinic'].strip()}.noterro.com/book-online"
        service = (value.get("service_id") or "").strip()
        if service:
            url += f"/service/{service}/{quote(value['service_slug'].strip())}"
        return url

    class Meta:
        label = _("Noterro")


class LinkBlock(BookingProviderBlock):
    """Any other booking page: an ``https://`` link (or ``tel:`` / ``mailto:``)."""

    provider_name = "url"

    url = blocks.CharBlock(
        label=_("Booking link"), max_length=500, validators=[validate_link_url],
        help_text=_("A https:// booking page, a tel: number or a mailto: address."),
    )

    def validate_ids(self, value):
        errors = {}
        _required(errors, value, "url", _("Enter the booking link."))
        return errors

    def build_url(self, value):
        return safe_link_or_none((value.get("url") or "").strip())

    class Meta:
        label = _("Other booking link")


#: The package's providers, in the order offered (the default of ``BOOKING_PROVIDERS``).
DEFAULT_PROVIDERS = [
    f"{__name__}.{cls.__name__}"
    for cls in (JaneBlock, AcuityBlock, ClinikoBlock, MindbodyBlock, PracticeBetterBlock, NoterroBlock, LinkBlock)
]


@lru_cache(maxsize=8)
def _load(paths):
    providers = []
    for path in paths:
        try:
            cls = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(f"BOOKING_PROVIDERS: cannot import {path!r} ({error})") from error
        if not (isinstance(cls, type) and issubclass(cls, BookingProviderBlock) and cls.provider_name):
            raise ImproperlyConfigured(
                f"BOOKING_PROVIDERS: {path!r} is not a BookingProviderBlock subclass with a provider_name"
            )
        providers.append(cls)
    names = [cls.provider_name for cls in providers]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured(f"BOOKING_PROVIDERS: two providers share a name ({names})")
    return tuple(providers)


def provider_classes():
    """The provider block classes of ``BOOKING_PROVIDERS``, in order."""
    return _load(tuple(acupuncture_settings.BOOKING_PROVIDERS))


class BookingTargetBlock(blocks.StreamBlock):
    """At most one provider block of :func:`provider_classes` (built when instantiated)."""

    def __init__(self, **kwargs):
        local = [(cls.provider_name, cls()) for cls in provider_classes()]
        kwargs.setdefault("max_num", 1)
        super().__init__(local_blocks=local, **kwargs)

    def deconstruct(self):
        return f"{__name__}.BookingTargetBlock", (), {}

    class Meta:
        icon = "date"


class BookingTargetField(StreamField):
    """A StreamField of one :class:`BookingTargetBlock`; its migration names no provider.

    ``BOOKING_PROVIDERS`` is read when the field is first used, so a site's own providers are
    offered without a migration of the package's models.
    """

    def __init__(self, *args, **kwargs):
        kwargs.pop("block_lookup", None)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("verbose_name", _("booking page"))
        super().__init__(BookingTargetBlock, **kwargs)

    def deconstruct(self):
        name, path, _args, kwargs = super(StreamField, self).deconstruct()
        return name, f"{__name__}.BookingTargetField", [], kwargs


def resolve_target(stream_value):
    """``{"provider", "url", "new_tab"}`` of a stored booking target, or ``None`` without a
    valid one."""
    for child in stream_value or ():
        block = child.block
        if not isinstance(block, BookingProviderBlock):
            continue
        url = block.url_of(child.value)
        if url:
            return {
                "provider": block.provider_name,
                "url": url,
                "new_tab": bool(child.value.get("new_tab")) and is_absolute_web_link(url),
            }
    return None


def booking_of(obj, url_attribute="booking_url"):
    """The booking of a clinic, practitioner or treatment: its ``booking_target``, else its
    plain ``url_attribute`` link (provider ``"url"``), else ``None``."""
    if obj is None:
        return None
    found = resolve_target(getattr(obj, "booking_target", None))
    if found:
        return found
    url = safe_link_or_none(getattr(obj, url_attribute, "") or "") if url_attribute else None
    return {"provider": "url", "url": url, "new_tab": False} if url else None
