"""Medical review: the workflow task approved through the admin, the "Review due" report with its
exports, and the weekly reminder e-mail."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from tests.factories import PractitionerFactory, make_article
from wagtail_acupuncture.models import ArticlePage, MedicalReviewTask

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def practitioners_group():
    group = Group.objects.create(name="Practitioners")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    root = Page.objects.get(depth=1)
    for codename in ("change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=root, permission=Permission.objects.get(codename=codename)
        )
    return group


@pytest.fixture
def review_workflow(practitioners_group):
    task = MedicalReviewTask.objects.create(name="Medical review")
    task.groups.add(practitioners_group)
    workflow = Workflow.objects.create(name="Health articles")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    # Replaces Wagtail's default "Moderators approval" on the root page.
    WorkflowPage.objects.update_or_create(page=Page.objects.get(depth=1), defaults={"workflow": workflow})
    return workflow


@pytest.fixture
def reviewer(django_user_model, practitioners_group):
    user = django_user_model.objects.create_user("sam", "sam@example.com", "pw-sam-123")
    user.groups.add(practitioners_group)
    practitioner = PractitionerFactory(name="Sam Rivera", user=user)
    return user, practitioner


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("ed", "ed@example.com", "pw-ed-123")


def submit(page, workflow, editor, **changes):
    """The editor's draft with ``changes`` submitted to the workflow."""
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision(user=editor)
    state = workflow.start(page, editor)
    return state.current_task_state


def test_task_is_offered_among_the_workflow_tasks(admin_client):
    response = admin_client.get(reverse("wagtailadmin_workflows:select_task_type"))
    assert response.status_code == 200
    assert "Medical review" in response.content.decode()


def test_approving_through_the_admin_records_the_review(client, index, review_workflow, reviewer, editor):
    user, practitioner = reviewer
    previous = PractitionerFactory(name="Old Reviewer")
    page = make_article(index, reviewed_by=previous, last_reviewed=datetime.date(2020, 1, 1))
    task_state = submit(page, review_workflow, editor, title="Acupuncture for Back Pain (updated)")
    assert task_state.task.specific.__class__ is MedicalReviewTask

    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": "Checked the medical content."})
    assert response.status_code == 302

    page = ArticlePage.objects.get(pk=page.pk)
    assert page.title == "Acupuncture for Back Pain (updated)"  # the workflow published it
    assert page.reviewed_by == practitioner
    assert page.last_reviewed == TODAY
    live = page.live_revision
    assert live.content["reviewed_by"] == practitioner.pk
    assert live.content["last_reviewed"] == TODAY.isoformat()
    task_state.refresh_from_db()
    assert task_state.status == "approved" and task_state.finished_by == user


def test_a_user_outside_the_group_cannot_approve(client, index, review_workflow, editor, django_user_model):
    outsider = django_user_model.objects.create_user("pat", "pat@example.com", "pw-pat-123")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    PractitionerFactory(name="Pat", user=outsider)
    page = make_article(index)
    task_state = submit(page, review_workflow, editor)
    client.force_login(outsider)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.reviewed_by is None and page.last_reviewed is None
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"


def test_requesting_changes_records_nothing(client, index, review_workflow, reviewer, editor):
    user, _practitioner = reviewer
    page = make_article(index)
    task_state = submit(page, review_workflow, editor)
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk])
    assert client.post(url, {"comment": "Cite a source."}).status_code == 302
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.reviewed_by is None and page.last_reviewed is None
    assert page.get_latest_revision().content.get("last_reviewed") is None


def test_approval_without_a_linked_practitioner_leaves_the_review_fields(index, review_workflow, editor):
    page = make_article(index)
    task_state = submit(page, review_workflow, editor)
    task_state.task.specific.on_action(task_state, editor, "approve", comment="")
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.reviewed_by is None and page.last_reviewed is None


# ------------------------------------------------------------------------------------ report


@pytest.fixture
def articles(index, settings):
    settings.WAGTAIL_ACUPUNCTURE = {"REVIEW_MAX_AGE_DAYS": 30}
    reviewer = PractitionerFactory(name="Sam Rivera")
    return {
        "never": make_article(index, title="=HYPERLINK(\"http://evil\")"),
        "old": make_article(
            index, title="Old", reviewed_by=reviewer, last_reviewed=TODAY - datetime.timedelta(days=31)
        ),
        "fresh": make_article(index, title="Fresh", last_reviewed=TODAY - datetime.timedelta(days=30)),
        "draft": make_article(index, title="Draft", live=False),
    }


REPORT = "/admin/reports/review-due/"


def test_report_lists_articles_due(admin_client, articles):
    response = admin_client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Review due" in html
    assert "Old" in html and "Sam Rivera" in html
    assert "=HYPERLINK" in html
    assert "Fresh" not in html and ">Draft<" not in html
    assert reverse("wagtailadmin_pages:edit", args=[articles["old"].pk]) in html


def test_report_is_in_the_reports_menu(admin_client, articles):
    html = admin_client.get("/admin/").content.decode()
    assert REPORT in html


def test_csv_export_is_formula_safe(admin_client, articles):
    response = admin_client.get(REPORT + "?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["Title", "Path", "Reviewed by", "Last reviewed", "Published"]
    titles = [row[0] for row in rows[1:]]
    assert titles == ["'=HYPERLINK(\"http://evil\")", "Old"]  # never reviewed first
    old = rows[2]
    assert old[2] == "Sam Rivera, L.Ac." and old[3] == (TODAY - datetime.timedelta(days=31)).isoformat()


def test_xlsx_export(admin_client, articles):
    from openpyxl import load_workbook

    response = admin_client.get(REPORT + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Title", "Path", "Reviewed by"]
    assert [row[0] for row in values[1:]] == ['=HYPERLINK("http://evil")', "Old"]
    assert sheet.cell(row=2, column=1).data_type == "s"  # stored as text, not a formula


def test_report_needs_page_permissions(client, django_user_model, articles):
    user = django_user_model.objects.create_user("viewer", "v@example.com", "pw-v-123")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(REPORT)
    assert response.status_code in (302, 403)


# ------------------------------------------------------------------------------------ e-mail
# pytest-django sends mail through Django's locmem backend: ``mail.outbox``.


def test_reminder_email_lists_the_articles(articles, settings, review_workflow, reviewer):
    settings.WAGTAILADMIN_BASE_URL = "https://clinic.example.com"
    out = io.StringIO()
    call_command("acupuncture_review_reminders", stdout=out)
    (message,) = mail.outbox
    assert message.to == ["sam@example.com"]  # the users of the task's groups
    assert message.subject == "2 articles are due for medical review"
    assert "- Old (last reviewed " in message.body and "by Sam Rivera, L.Ac." in message.body
    assert "(never reviewed)" in message.body
    assert f"https://clinic.example.com/admin/pages/{articles['old'].pk}/edit/" in message.body
    assert "Fresh" not in message.body and "Draft" not in message.body
    assert "Sent the list of 2 article(s) to 1 recipient(s)." in out.getvalue()


def test_reminder_recipients_setting_and_option(articles, settings):
    settings.WAGTAIL_ACUPUNCTURE = {"REVIEW_MAX_AGE_DAYS": 30, "REVIEW_REMINDER_RECIPIENTS": ["team@example.com"]}
    call_command("acupuncture_review_reminders", stdout=io.StringIO())
    assert mail.outbox[-1].to == ["team@example.com"]
    call_command("acupuncture_review_reminders", "--to", "a@example.com", "--to", "b@example.com", stdout=io.StringIO())
    assert mail.outbox[-1].to == ["a@example.com", "b@example.com"]


def test_no_email_when_nothing_is_due(index, settings):
    make_article(index, last_reviewed=TODAY)
    out = io.StringIO()
    call_command("acupuncture_review_reminders", "--to", "a@example.com", stdout=out)
    assert mail.outbox == []
    assert "No article is due" in out.getvalue()


def test_dry_run_prints_and_sends_nothing(articles, settings):
    out = io.StringIO()
    call_command("acupuncture_review_reminders", "--dry-run", "--to", "a@example.com", stdout=out)
    assert mail.outbox == []
    assert "Subject: 2 articles are due for medical review" in out.getvalue()
