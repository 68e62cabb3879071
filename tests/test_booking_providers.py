"""Booking providers: URL builders, validation at the field, the registry and the field's migration."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from wagtail_acupuncture import booking_providers as bp
from wagtail_acupuncture.conf import DEFAULTS


def built(block_class, **ids):
    block = block_class()
    value = block.clean(block.to_python(ids))
    return block.url_of(value)


def errors_of(block_class, **ids):
    block = block_class()
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(block.to_python(ids))
    return {name: " ".join(error.messages) for name, error in raised.value.block_errors.items()}


@pytest.mark.parametrize(
    ("ids", "url"),
    [
        ({"clinic": "myclinic"}, "https://myclinic.janeapp.com/"),
        ({"clinic": "myclinic", "staff_member": "12"}, "https://myclinic.janeapp.com/#/staff_member/12"),
        (
            {"clinic": "myclinic", "staff_member": "12", "treatment": "7"},
            "https://myclinic.janeapp.com/#/staff_member/12/treatment/7",
        ),
        (
            {"clinic": "myclinic", "discipline": "3", "treatment": "7"},
            "https://myclinic.janeapp.com/#/discipline/3/treatment/7",
        ),
        (
            {"clinic": "my-clinic", "location": "portland-east"},
            "https://my-clinic.janeapp.com/locations/portland-east/book",
        ),
        (
            {"clinic": "myclinic", "location": "downtown", "staff_member": "4"},
            "https://myclinic.janeapp.com/locations/downtown/book#/staff_member/4",
        ),
    ],
)
def test_jane_urls(ids, url):
    assert built(bp.JaneBlock, **ids) == url


@pytest.mark.parametrize(
    ("ids", "field", "message"),
    [
        ({}, "clinic", "required"),
        ({"clinic": "My Clinic"}, "clinic", "lower-case letters"),
        ({"clinic": "evil.com/x"}, "clinic", "lower-case letters"),
        ({"clinic": "c", "staff_member": "12a"}, "staff_member", "digits only"),
        ({"clinic": "c", "location": "Down Town"}, "location", "lower-case letters"),
        ({"clinic": "c", "discipline": "3"}, "treatment", "needs the treatment id"),
        ({"clinic": "c", "treatment": "3"}, "treatment", "needs a staff member or a discipline"),
        ({"clinic": "c", "staff_member": "1", "discipline": "2", "treatment": "3"}, "discipline", "not both"),
    ],
)
def test_jane_rejects_invalid_ids_at_the_field(ids, field, message):
    errors = errors_of(bp.JaneBlock, **ids)
    assert message in errors[field]


def test_acuity_cliniko_mindbody_practice_better_noterro_urls():
    assert built(bp.AcuityBlock, account="myclinic") == "https://myclinic.acuityscheduling.com/schedule.php"
    assert (
        built(bp.AcuityBlock, account="myclinic", appointment_type="123", calendar="456")
        == "https://myclinic.acuityscheduling.com/schedule.php?appointmentType=123&calendarID=456"
    )
    assert (
        built(bp.ClinikoBlock, account="myclinic", shard="au1", practitioner_id="99", appointment_type_id="5")
        == "https://myclinic.au1.cliniko.com/bookings?practitioner_id=99&appointment_type_id=5"
    )
    assert built(bp.ClinikoBlock, account="x", shard="uk2") == "https://x.uk2.cliniko.com/bookings"
    assert built(bp.MindbodyBlock, studio_id="12345") == (
        "https://clients.mindbodyonline.com/classic/ws?studioid=12345"
    )
    assert built(bp.PracticeBetterBlock, account="wellness", practice_id="5f1a2b3c") == (
        "https://wellness.practicebetter.io/#/5f1a2b3c/bookings"
    )
    assert built(bp.NoterroBlock, clinic="myclinic") == "https://myclinic.noterro.com/book-online"
    assert built(bp.NoterroBlock, clinic="myclinic", service_id="42", service_slug="initial-visit") == (
        "https://myclinic.noterro.com/book-online/service/42/initial-visit"
    )
    assert built(bp.LinkBlock, url="https://book.example.com/x") == "https://book.example.com/x"


@pytest.mark.parametrize(
    ("block_class", "ids", "field", "message"),
    [
        (bp.AcuityBlock, {"account": "myclinic", "appointment_type": "12&x=1"}, "appointment_type", "digits"),
        (bp.AcuityBlock, {"account": ""}, "account", "required"),
        (bp.ClinikoBlock, {"account": "a", "shard": "a1b"}, "shard", "two letters and a number"),
        (bp.ClinikoBlock, {"account": "a", "shard": "au1", "business_id": "x"}, "business_id", "digits"),
        (bp.MindbodyBlock, {"studio_id": "-99"}, "studio_id", "digits"),
        (bp.PracticeBetterBlock, {"account": "a", "practice_id": "../x"}, "practice_id", "letters and digits"),
        (bp.NoterroBlock, {"clinic": "a", "service_id": "42"}, "service_slug", "both the service id"),
        (bp.NoterroBlock, {"clinic": "a", "service_slug": "visit"}, "service_id", "both the service id"),
        (bp.LinkBlock, {"url": ""}, "url", "required"),
    ],
)
def test_invalid_ids_are_rejected(block_class, ids, field, message):
    assert message in errors_of(block_class, **ids)[field]


def test_link_provider_refuses_unsafe_schemes():
    block = bp.LinkBlock()
    with pytest.raises((StructBlockValidationError, ValidationError)):
        block.clean(block.to_python({"url": "javascript:alert(1)"}))
    # Stored outside the admin: never delivered.
    assert block.url_of(block.to_python({"url": "javascript:alert(1)"})) is None


def test_ids_stored_outside_the_admin_build_no_url():
    block = bp.JaneBlock()
    assert block.url_of(block.to_python({"clinic": "evil.example.com/#"})) is None


def test_default_setting_lists_every_package_provider():
    assert DEFAULTS["BOOKING_PROVIDERS"] == bp.DEFAULT_PROVIDERS
    names = [cls.provider_name for cls in bp.provider_classes()]
    assert names == ["jane", "acuity", "cliniko", "mindbody", "practice_better", "noterro", "url"]


class SiteSchedulerBlock(bp.BookingProviderBlock):
    """A site's own provider, added by dotted path."""

    provider_name = "site_scheduler"

    def build_url(self, value):
        return "https://schedule.example.com/"


def test_a_site_adds_a_provider_by_dotted_path(settings):
    settings.WAGTAIL_ACUPUNCTURE = {
        "BOOKING_PROVIDERS": [*bp.DEFAULT_PROVIDERS, f"{__name__}.SiteSchedulerBlock"]
    }
    block = bp.BookingTargetBlock()
    assert list(block.child_blocks)[-1] == "site_scheduler"
    value = block.to_python([{"type": "site_scheduler", "value": {}}])
    assert bp.resolve_target(value) == {
        "provider": "site_scheduler",
        "url": "https://schedule.example.com/",
        "new_tab": False,
    }


def test_bad_provider_paths_are_reported(settings):
    settings.WAGTAIL_ACUPUNCTURE = {"BOOKING_PROVIDERS": ["tests.nowhere.Block"]}
    with pytest.raises(ImproperlyConfigured, match="cannot import"):
        bp.provider_classes()
    settings.WAGTAIL_ACUPUNCTURE = {"BOOKING_PROVIDERS": ["wagtail_acupuncture.booking_providers.SUBDOMAIN"]}
    with pytest.raises(ImproperlyConfigured, match="not a BookingProviderBlock"):
        bp.provider_classes()


def test_target_stream_holds_one_provider_and_ignores_removed_ones():
    block = bp.BookingTargetBlock()
    two = block.to_python(
        [
            {"type": "mindbody", "value": {"studio_id": "1"}},
            {"type": "mindbody", "value": {"studio_id": "2"}},
        ]
    )
    with pytest.raises(ValidationError):
        block.clean(two)
    removed = block.to_python([{"type": "gone_provider", "value": {"x": "1"}}])
    assert bp.resolve_target(removed) is None


def test_new_tab_only_for_web_links():
    block = bp.BookingTargetBlock()
    phone = block.to_python([{"type": "url", "value": {"url": "tel:+15035550100", "new_tab": True}}])
    assert bp.resolve_target(phone)["new_tab"] is False
    jane = block.to_python([{"type": "jane", "value": {"clinic": "c", "new_tab": True}}])
    assert bp.resolve_target(jane) == {"provider": "jane", "url": "https://c.janeapp.com/", "new_tab": True}


def test_field_migration_names_no_provider():
    from wagtail_acupuncture.models import Practitioner

    name, path, args, kwargs = Practitioner._meta.get_field("booking_target").deconstruct()
    assert path == "wagtail_acupuncture.booking_providers.BookingTargetField"
    assert args == []
    assert "block_lookup" not in kwargs


@pytest.mark.django_db
def test_admin_form_field_rejects_invalid_ids_with_a_clear_error(admin_client):
    """Posted through the practitioner's admin form: the error is shown at the field and
    nothing is saved."""
    from wagtail_acupuncture.models import Practitioner

    data = {
        "name": "Alex",
        "credentials": "",
        "job_title": "",
        "booking_url": "",
        "profile_url": "",
        "booking_target-count": "1",
        "booking_target-0-type": "jane",
        "booking_target-0-deleted": "",
        "booking_target-0-order": "0",
        "booking_target-0-id": "",
        "booking_target-0-value-clinic": "Bad Name!",
        "booking_target-0-value-location": "",
        "booking_target-0-value-staff_member": "12x",
        "booking_target-0-value-discipline": "",
        "booking_target-0-value-treatment": "",
    }
    response = admin_client.post("/admin/snippets/wagtail_acupuncture/practitioner/add/", data)
    assert response.status_code == 200
    assert not Practitioner.objects.filter(name="Alex").exists()
    content = response.content.decode()
    assert "lower-case letters, digits and hyphens" in content
    assert "Enter digits only" in content
    assert "Bad Name!" in content  # nothing typed is lost

    data["booking_target-0-value-clinic"] = "myclinic"
    data["booking_target-0-value-staff_member"] = "12"
    response = admin_client.post("/admin/snippets/wagtail_acupuncture/practitioner/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    practitioner = Practitioner.objects.get(name="Alex")
    assert bp.booking_of(practitioner) == {
        "provider": "jane",
        "url": "https://myclinic.janeapp.com/#/staff_member/12",
        "new_tab": False,
    }
