"""Admin reports: the webhook delivery log and the articles due for medical review.

*Reports > Webhook deliveries* is registered in ``wagtail_hooks`` through the
``register_admin_viewset`` hook. Superusers and users with the "Can view webhook delivery"
permission see it; nobody can add, edit or delete entries.

*Reports > Review due* (:class:`ReviewDueReportView`) lists the live articles never reviewed or
last reviewed more than ``REVIEW_MAX_AGE_DAYS`` ago, among those the user may edit or publish,
with CSV (formula-safe) and XLSX exports.
"""

from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import page_permission_policy

from .exports import FormulaSafeExportMixin
from .models import WebhookDelivery
from .models.workflow import review_due_articles

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


class ReviewDueReportView(FormulaSafeExportMixin, ReportView):
    """Articles due for medical review: title, reviewer, last review date, published date."""

    page_title = _("Review due")
    header_icon = "time"
    index_url_name = "wagtail_acupuncture_review_due"
    index_results_url_name = "wagtail_acupuncture_review_due_results"
    permission_policy = page_permission_policy
    any_permission_required = ["change", "publish"]
    paginate_by = 50
    columns = [
        TitleColumn(
            "title",
            label=_("Title"),
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
        ),
        Column("reviewer_name", label=_("Reviewed by")),
        DateColumn("last_reviewed", label=_("Last reviewed")),
        DateColumn("published_date", label=_("Published")),
    ]
    list_export = ["title", "url_path", "reviewer_name", "last_reviewed", "published_date"]
    export_headings = {
        "title": _("Title"),
        "url_path": _("Path"),
        "reviewer_name": _("Reviewed by"),
        "last_reviewed": _("Last reviewed"),
        "published_date": _("Published"),
    }

    def get_filename(self):
        return "review-due"

    def get_queryset(self):
        editable = page_permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change", "publish"]
        )
        articles = review_due_articles(pages=editable)
        for page in articles:
            page.reviewer_name = str(page.reviewed_by) if page.reviewed_by else ""
        return articles


class ReviewDueMenuItem(MenuItem):
    """Shown to users who may edit or publish pages."""

    def is_shown(self, request):
        return page_permission_policy.user_has_any_permission(request.user, ["change", "publish"])


def review_due_urls():
    """URLs of the report, for the ``register_admin_urls`` hook."""
    return [
        path("reports/review-due/", ReviewDueReportView.as_view(), name="wagtail_acupuncture_review_due"),
        path(
            "reports/review-due/results/",
            ReviewDueReportView.as_view(results_only=True),
            name="wagtail_acupuncture_review_due_results",
        ),
    ]


def review_due_menu_item():
    """The report's menu item, for the ``register_reports_menu_item`` hook."""
    return ReviewDueMenuItem(
        _("Review due"),
        reverse("wagtail_acupuncture_review_due"),
        name="acupuncture-review-due",
        icon_name="time",
        order=1150,
    )
