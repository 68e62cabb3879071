"""``manage.py acupuncture_review_reminders``: e-mail the articles due for medical review."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail_acupuncture.conf import acupuncture_settings
from wagtail_acupuncture.models.workflow import (
    MedicalReviewTask,
    review_due_articles,
    review_due_before,
)


def reviewer_addresses():
    """E-mail addresses of the active users in the groups of the active "Medical review" tasks."""
    groups = MedicalReviewTask.objects.filter(active=True).values("groups")
    users = get_user_model().objects.filter(is_active=True, groups__in=groups).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def admin_edit_url(page):
    """Absolute URL of the page's editor (``WAGTAILADMIN_BASE_URL``), else its admin path."""
    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    return base + reverse("wagtailadmin_pages:edit", args=[page.pk])


class Command(BaseCommand):
    """E-mail the list of live articles due for medical review (Reports > Review due).

    Meant to be run weekly by a scheduler (cron, a systemd timer, the platform's scheduled
    jobs). Recipients: ``--to``, else ``REVIEW_REMINDER_RECIPIENTS``, else the users of the
    "Medical review" workflow tasks' groups. Sends nothing when no article is due.
    """

    help = "E-mail the articles due for medical review (run weekly from a scheduler)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", action="append", default=[], metavar="ADDRESS",
            help="Recipient (repeatable); default REVIEW_REMINDER_RECIPIENTS, else the reviewers.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the e-mail instead of sending it."
        )

    def handle(self, *args, **options):
        articles = review_due_articles()
        if not articles:
            self.stdout.write("No article is due for medical review.")
            return
        recipients = (
            options["to"] or list(acupuncture_settings.REVIEW_REMINDER_RECIPIENTS) or reviewer_addresses()
        )
        subject = ngettext(
            "%(count)d article is due for medical review",
            "%(count)d articles are due for medical review",
            len(articles),
        ) % {"count": len(articles)}
        body = self.message(articles)
        if options["dry_run"]:
            self.stdout.write(f"To: {', '.join(recipients) or '-'}\nSubject: {subject}\n\n{body}")
            return
        if not recipients:
            self.stderr.write(
                "No recipients: pass --to, set REVIEW_REMINDER_RECIPIENTS, or give the users of "
                "the Medical review tasks' groups an e-mail address."
            )
            return
        send_mail(subject, body, None, recipients)
        self.stdout.write(f"Sent the list of {len(articles)} article(s) to {len(recipients)} recipient(s).")

    def message(self, articles):
        """The plain-text list: title, last review (or never) and reviewer, editor link."""
        cutoff = review_due_before()
        lines = [
            _(
                "These published articles were never reviewed, or last reviewed before %(date)s "
                "(more than %(days)d days ago):"
            )
            % {"date": cutoff.isoformat(), "days": acupuncture_settings.REVIEW_MAX_AGE_DAYS},
            "",
        ]
        for page in articles:
            if page.last_reviewed:
                reviewed = _("last reviewed %(date)s") % {"date": page.last_reviewed.isoformat()}
                if page.reviewed_by:
                    reviewed += " " + _("by %(name)s") % {"name": page.reviewed_by}
            else:
                reviewed = _("never reviewed")
            lines.append(f"- {page.title} ({reviewed})")
            lines.append(f"  {admin_edit_url(page)}")
        lines += ["", _("Report: Reports > Review due. Sent on %(date)s.") % {"date": timezone.localdate().isoformat()}]
        return "\n".join(lines) + "\n"
