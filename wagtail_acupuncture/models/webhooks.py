"""The delivery log of revalidation webhooks, listed read-only in the admin under Reports."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookDelivery(models.Model):
    """One webhook sent (or being sent) to one receiver, with the outcome of its last attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Retrying")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Event(models.TextChoices):
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        DELETED = "deleted", _("Deleted")

    #: Also the payload's ``id`` and the ``X-Acupuncture-Delivery`` header, for receivers that
    #: want to ignore a repeated delivery.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object ID"), max_length=255)
    object_title = models.CharField(_("object"), max_length=255, blank=True)
    url = models.URLField(_("receiver URL"), max_length=500)
    #: The JSON body, without the signature (the secret is never stored).
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    #: Deliveries reference content by type and ID only; the reference index need not track them.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_event_display()} {self.object_title or self.object_type} → {self.url}"

    @property
    def is_finished(self):
        """Whether no further attempt will be made."""
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
