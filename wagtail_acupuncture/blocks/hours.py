"""Opening hours of the clinic (``ClinicSettings.opening_hours``): days with a time range each."""

import datetime

from django.core.exceptions import ValidationError
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .base import GROUP_CLINIC

#: Day values, in week order, with their labels; each is a schema.org ``DayOfWeek`` by name.
DAYS = [
    ("monday", _("Monday")),
    ("tuesday", _("Tuesday")),
    ("wednesday", _("Wednesday")),
    ("thursday", _("Thursday")),
    ("friday", _("Friday")),
    ("saturday", _("Saturday")),
    ("sunday", _("Sunday")),
]
DAY_ORDER = {value: index for index, (value, _label) in enumerate(DAYS)}


def format_time(value):
    """``HH:MM`` of a time (seconds are not entered)."""
    return value.strftime("%H:%M") if isinstance(value, datetime.time) else value


class OpeningHoursBlock(blocks.StructBlock):
    """One opening period: the days it applies to and the time range (``opens`` < ``closes``)."""

    days = blocks.MultipleChoiceBlock(
        label=_("Days"),
        choices=DAYS,
        widget=CheckboxSelectMultiple,
        help_text=_("The days these hours apply to."),
    )
    opens = blocks.TimeBlock(label=_("Opens"), format="%H:%M")
    closes = blocks.TimeBlock(
        label=_("Closes"),
        format="%H:%M",
        help_text=_("For a lunch break, add a second row for the afternoon."),
    )

    def clean(self, value):
        value = super().clean(value)
        opens, closes = value.get("opens"), value.get("closes")
        if opens and closes and closes <= opens:
            raise StructBlockValidationError(
                block_errors={"closes": ValidationError(_("Closing must be after opening."))}
            )
        return value

    def get_api_representation(self, value, context=None):
        """``{days, opens, closes}``: days in week order, times as ``HH:MM``."""
        days = sorted(value.get("days") or [], key=DAY_ORDER.get)
        return {
            "days": days,
            "opens": format_time(value.get("opens")),
            "closes": format_time(value.get("closes")),
        }

    class Meta:
        icon = "time"
        label = _("Opening hours")
        group = GROUP_CLINIC
        description = _("Days of the week and the hours the clinic is open on them.")
        preview_value = {"days": ["monday", "tuesday"], "opens": "09:00", "closes": "17:00"}


class OpeningHoursStreamBlock(blocks.StreamBlock):
    """The rows of a clinic's opening hours."""

    hours = OpeningHoursBlock()

    class Meta:
        label = _("Opening hours")
