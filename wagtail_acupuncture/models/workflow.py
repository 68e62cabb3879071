"""The "Medical review" workflow task: a practitioner approves an article's medical content.

Add it to a workflow under Settings > Workflows (*Medical review*, choosing the user group of
the clinic's practitioners). Its members can approve or request changes, as with Wagtail's
group approval task. Approving an article records the review on the revision the workflow
publishes: ``reviewed_by`` becomes the practitioner linked to the approving user
(``Practitioner.user``) and ``last_reviewed`` today's date. A user with no linked practitioner
(a superuser, for example) can still approve; the review fields are then left as they were.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

from ..conf import acupuncture_settings
from .pages import AbstractArticlePage, article_page_models
from .snippets import Practitioner


class MedicalReviewTask(AbstractGroupApprovalTask):
    """A group approval task whose approval records the medical review of an article."""

    class Meta:
        verbose_name = _("Medical review")
        verbose_name_plural = _("Medical reviews")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups (the clinic's practitioners) check the article's "
            "medical content; approving records them as its reviewer, with today's date."
        )

    def reviewer_for(self, user):
        """The practitioner linked to ``user``, or ``None``."""
        if user is None or not user.is_authenticated:
            return None
        return Practitioner.objects.filter(user=user).first()

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            record_review(task_state, self.reviewer_for(user))
        return super().on_action(task_state, user, action_name, **kwargs)


def record_review(task_state, practitioner, day=None):
    """Set ``reviewed_by`` and ``last_reviewed`` on the revisions the workflow may publish.

    That is the task's revision and the object's latest one (Wagtail publishes the latest
    revision when the workflow finishes). Only articles are changed, and only with a
    practitioner.
    """
    if practitioner is None:
        return
    obj = task_state.workflow_state.content_object  # a page as ``Page``, not its specific type
    model = getattr(obj, "specific_class", None) or type(obj)
    if not issubclass(model, AbstractArticlePage):
        return
    day = day or timezone.localdate()
    revisions = {task_state.revision_id: task_state.revision}
    latest = obj.get_latest_revision()
    if latest is not None:
        revisions[latest.pk] = latest
    for revision in revisions.values():
        if revision is None:
            continue
        revision.content["reviewed_by"] = practitioner.pk
        revision.content["last_reviewed"] = day.isoformat()
        revision.save(update_fields=["content"])


def review_due_before(today=None):
    """Articles last reviewed before this date are due (``REVIEW_MAX_AGE_DAYS`` ago)."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=acupuncture_settings.REVIEW_MAX_AGE_DAYS)


def review_due_articles(today=None, pages=None):
    """Live articles (of every article type) never reviewed or last reviewed before
    :func:`review_due_before`, the longest unreviewed first (never reviewed before all).

    ``pages`` (a ``Page`` queryset) narrows the articles, e.g. to those a user may edit. One
    query per article type, their reviewers joined.
    """
    due = Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=review_due_before(today))
    found = []
    for model in article_page_models():
        articles = model.objects.live().filter(due).select_related("reviewed_by")
        if pages is not None:
            articles = articles.filter(pk__in=pages.values("pk"))
        found.extend(articles)
    return sorted(found, key=lambda page: (page.last_reviewed or datetime.date.min, page.title, page.pk))


__all__ = ["MedicalReviewTask", "record_review", "review_due_articles", "review_due_before"]
