"""Stored drafts of headless previews: one row per preview an editor opens, kept until it expires.

See :mod:`wagtail_acupuncture.preview` for the tokens and the flow.
"""

import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PreviewJSONEncoder(DjangoJSONEncoder):
    """Django's JSON encoder without its rounding of times to milliseconds.

    A preview of unchanged content then carries exactly the live object's publication times.
    """

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class HeadlessPreviewQuerySet(models.QuerySet):
    def expired(self, now=None):
        """Previews whose lifetime is over."""
        return self.filter(expires_at__lte=now or timezone.now())

    def clear_expired(self, now=None):
        """Delete the expired previews; returns how many were deleted."""
        deleted, _by_model = self.expired(now).delete()
        return deleted


class HeadlessPreview(models.Model):
    """The content of an object as an editor previewed it (unsaved form state included).

    ``key`` is the random value signed into the preview token; the row is only reachable with a
    token carrying a valid signature, and only until ``expires_at``.
    """

    key = models.CharField(_("key"), max_length=64, unique=True, editable=False)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("content type"), on_delete=models.CASCADE, related_name="+"
    )
    #: The previewed object's primary key; empty for an object not saved yet.
    object_id = models.CharField(_("object ID"), max_length=255, blank=True)
    #: The object's ``serializable_data()`` as JSON (:class:`PreviewJSONEncoder`).
    content_json = models.TextField(_("content"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    objects = HeadlessPreviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("headless preview")
        verbose_name_plural = _("headless previews")

    def __str__(self):
        return f"{self.content_type.app_label}.{self.content_type.model} {self.object_id or '-'}"

    @property
    def model(self):
        """The previewed object's model class (``None`` when it no longer exists)."""
        return self.content_type.model_class()

    @classmethod
    def content_for(cls, obj):
        """The JSON stored for ``obj``: its ``serializable_data()``, child relations included."""
        return json.dumps(obj.serializable_data(), cls=PreviewJSONEncoder)

    def as_object(self):
        """The previewed object, rebuilt in memory from the stored content (never saved)."""
        model = self.model
        if model is None:
            raise LookupError(f"The model of {self} no longer exists.")
        return model.from_serializable_data(json.loads(self.content_json))

    def is_expired(self, now=None):
        return self.expires_at <= (now or timezone.now())
