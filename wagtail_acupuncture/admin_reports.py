"""Admin report: the webhook delivery log, read-only, under Reports > Webhook deliveries.

Registered in ``wagtail_hooks`` through the ``register_admin_viewset`` hook. Superusers and users
with the "Can view webhook delivery" permission see it; nobody can add, edit or delete entries.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import WebhookDelivery

try:  # Wagtail 8: permission policies are registered per model
    from wagtail.permissions import register_permission_policy
except ImportError:  # Wagtail 7: the viewset supplies its policy
    register_permission_policy = None


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Grants the ``view`` action only, however broad the user's permissions are."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(["view"])


class WebhookDeliveryViewSet(ModelViewSet):
    """Lists webhook deliveries with their status, attempts and last error; inspect shows all."""

    model = WebhookDelivery
    icon = "resubmit"
    menu_label = _("Webhook deliveries")
    menu_name = "acupuncture-webhook-deliveries"
    add_to_admin_menu = True
    #: Listed under Reports rather than at the top level.
    menu_hook = "register_reports_menu_item"
    menu_order = 900
    inspect_view_enabled = True
    copy_view_enabled = False
    #: Required by ModelViewSet; the add and edit views refuse everyone (see the policy).
    form_fields = ["status"]
    list_display = [
        DateColumn("created_at", label=_("Created")),
        "event",
        Column("object_title", label=_("Object")),
        "object_type",
        "url",
        "status",
        "attempts",
        "response_status",
        "last_error",
    ]
    list_filter = ["status", "event", "object_type"]
    search_fields = ["object_title", "url", "last_error"]
    search_backend_name = None
    ordering = ["-created_at"]
    inspect_view_fields = [
        "created_at",
        "event",
        "object_type",
        "object_id",
        "object_title",
        "url",
        "status",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "response_status",
        "last_error",
        "payload",
    ]

    if register_permission_policy is None:

        @property
        def permission_policy(self):
            return ViewOnlyPermissionPolicy(self.model)

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="view_webhookdelivery")


if register_permission_policy is not None:
    register_permission_policy(
        WebhookDelivery, ViewOnlyPermissionPolicy(WebhookDelivery), exact_class=True
    )


def webhook_delivery_viewset():
    """The viewset instance, for the ``register_admin_viewset`` hook."""
    return WebhookDeliveryViewSet("acupuncture_webhook_deliveries")
