"""Time-boxed notice block (seasonal reminders, closures, important information)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from ..content import moments
from ..content.representation import represent_children
from ..content.resolver import isoformat
from .base import GROUP_CLINIC, INLINE_FEATURES, PREVIEW_TEMPLATE, RequiredRichTextBlock

TONES = [
    ("info", _("Information")),
    ("seasonal", _("Seasonal reminder")),
    ("important", _("Important")),
]


class NoticeValue(blocks.StructValue):
    """Notice value that knows whether it is inside its window."""

    def is_active(self, at=None):
        """True when ``at`` (default: now) is within ``starts_at`` .. ``ends_at``.

        Asked about now, it reports the next change (the start or the end ahead) to the render
        cache, so that a cached render expires when the notice appears or disappears.
        """
        now = at is None
        at = at or timezone.now()
        starts_at, ends_at = self.get("starts_at"), self.get("ends_at")
        if starts_at and at < starts_at:
            if now:
                moments.changes_at(starts_at)
            return False
        if ends_at and at >= ends_at:
            return False
        if now and ends_at:
            moments.changes_at(ends_at)
        return True

    @property
    def active(self):
        return self.is_active()


class NoticeBlock(blocks.StructBlock):
    """A highlighted notice shown only between ``starts_at`` and ``ends_at``."""

    text = RequiredRichTextBlock(label=_("Text"), features=INLINE_FEATURES)
    tone = blocks.ChoiceBlock(
        label=_("Tone"),
        choices=TONES,
        default="info",
        help_text=_("Sets the notice's colour: information, seasonal reminder or important."),
    )
    starts_at = blocks.DateTimeBlock(
        label=_("Show from"),
        help_text=_("The notice appears from this moment (site time zone)."),
    )
    ends_at = blocks.DateTimeBlock(
        label=_("Show until"),
        required=False,
        help_text=_("Optional. The notice disappears at this moment; left empty, it stays."),
    )

    def get_api_representation(self, value, context=None):
        """``{text, tone, starts_at, ends_at, active}``, the dates as ISO 8601 with offset.

        Notices outside their window are delivered too, with ``active: false``: a frontend that
        caches the response shows and hides the notice on time by ``starts_at``/``ends_at``
        (``active`` is only right at the moment of the response). Nothing else is added.
        """
        representation = represent_children(self, value, context)
        window = {}
        for name in ("starts_at", "ends_at"):
            moment = value.get(name)
            if moment is not None and timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            window[name] = moment
            representation[name] = isoformat(moment)
        representation["active"] = self._to_struct_value({**value, **window}).is_active()
        return representation

    def get_api_schema(self, builder):
        """JSON Schema of :meth:`get_api_representation`."""
        schema = builder.struct(self)
        schema["properties"]["active"] = {
            "type": "boolean",
            "description": "Whether the notice was within its window when the response was made.",
        }
        schema["required"].append("active")
        return schema

    class Meta:
        icon = "warning"
        label = _("Notice")
        group = GROUP_CLINIC
        description = _("A highlighted message shown only within a date window, e.g. a seasonal reminder.")
        preview_value = {
            "text": "<p>Remember to use up your remaining health benefits before they expire!</p>",
            "tone": "seasonal",
        }
        template = "wagtail_acupuncture/blocks/notice.html"
        preview_template = PREVIEW_TEMPLATE
        value_class = NoticeValue

    def clean(self, value):
        value = super().clean(value)
        starts_at, ends_at = value.get("starts_at"), value.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            raise StructBlockValidationError(
                block_errors={
                    "ends_at": ValidationError(_("The end must be after the start of the notice."))
                }
            )
        return value
