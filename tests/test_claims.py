"""Claims guardrails: rules as data, packs, the engine over every text of an article (a site's
own blocks included), the editor's checks panel, publishing through the admin, the Articles index
filter and ``acupuncture_claims_report``.

The flagged sentences below are the client's sentences made into the claims the rules exist to
catch; they are test input, never content.
"""

import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import rich_text

from tests.factories import make_article
from tests.test_admin import article_post
from wagtail_acupuncture.claims import PACKS, Rule, active_rules, check_page
from wagtail_acupuncture.claims.engine import split_sentences
from wagtail_acupuncture.claims.rules import rule_from_data

pytestmark = pytest.mark.django_db

ABSOLUTE = "Acupuncture for back pain is guaranteed to bring lasting relief."
CURE = "Acupuncture cures sciatica."
QUALIFIED = "Acupuncture may help some people with sciatica."
ACCEPTED = "Acupuncture can relieve chronic low back pain for a short time."
FIRST_PERSON = "After three sessions my back pain was gone."

#: A site's own rules, by dotted path (see test_site_rules_by_dotted_path).
SITE_RULES = [
    {"id": "detox", "phrases": ["detox"], "message": gettext_lazy("No detox claims."), "severity": "info"},
]


def site_rules():
    return [Rule(id="drug-free", phrases=("drug-free",), message="Say what it is, not what it lacks.")]


def paragraph(html):
    return {"type": "paragraph", "value": html}


def faq(*answers):
    return {
        "type": "faq",
        "value": {
            "heading": "Frequently Asked Questions",
            "intro": "",
            "items": [{"question": f"Question {n}?", "answer": answer} for n, answer in enumerate(answers)],
            "structured_data": True,
        },
    }


def quote(text, attribution):
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


def findings(page, packs):
    return [(f.rule, f.field, f.sentence) for f in check_page(page, packs)]


# --------------------------------------------------------------------------- rules and packs


def test_packs_by_jurisdiction():
    assert set(PACKS) == {"us-ftc", "uk-cap", "au-ahpra"}
    assert [rule.code for rule in active_rules(["au-ahpra"])] == [
        "au-ahpra/absolute-claim",
        "au-ahpra/testimonial-attribution",
        "au-ahpra/first-person-outcome",
    ]
    assert [rule.code for rule in active_rules()] == ["us-ftc/absolute-claim"]  # the default


@pytest.mark.parametrize(
    ("sentence", "matched"),
    [
        (ABSOLUTE, ["guaranteed"]),
        (CURE, ["cures"]),
        ("It is 100% safe.", ["100%"]),
        ("Acupuncture has no side effects.", ["no side effects"]),
        ("Clinically proven relief.", ["Clinically proven"]),
        ("Side effects are minimal but can include mild soreness.", []),
        ("A secure booking.", []),  # "cure" only as a whole word
    ],
)
def test_absolute_words(sentence, matched):
    (rule,) = active_rules(["us-ftc"])
    assert rule.matches(sentence) == matched


def test_conditions_outside_the_accepted_list_without_a_qualifier():
    rule = active_rules(["uk-cap"])[1]
    assert rule.code == "uk-cap/condition-not-accepted"
    assert rule.matches(CURE) == ["sciatica"]
    assert rule.matches(QUALIFIED) == []  # qualified
    assert rule.matches(ACCEPTED) == []  # on the ASA's list
    assert rule.matches("Acupuncture eases neck pain and migraine.") == []
    assert rule.matches("Back pain is one of the most common health problems.") == []  # no claim
    assert rule.matches("Acupuncture relieves back pain and insomnia.") == ["back pain", "insomnia"]


def test_rule_validation_is_clear():
    with pytest.raises(ImproperlyConfigured, match="phrases or a pattern"):
        Rule(id="empty", message="m")
    with pytest.raises(ImproperlyConfigured, match="severity"):
        Rule(id="x", phrases=("x",), message="m", severity="fatal")
    with pytest.raises(ImproperlyConfigured, match="bad pattern"):
        Rule(id="x", pattern="(", message="m")
    with pytest.raises(ImproperlyConfigured, match="unknown keys colour"):
        rule_from_data({"id": "x", "phrases": ["x"], "message": "m", "colour": "red"})
    with pytest.raises(ImproperlyConfigured, match="unknown pack 'eu'"):
        active_rules(["eu"])
    with pytest.raises(ImproperlyConfigured, match="cannot import"):
        active_rules(["tests.test_claims.MISSING"])


def test_site_rules_by_dotted_path(index):
    page = make_article(index, intro="A natural, drug-free detox.")
    with override_settings(
        WAGTAIL_ACUPUNCTURE={"CLAIMS_RULES": ["tests.test_claims.SITE_RULES", "tests.test_claims.site_rules"]}
    ):
        found = check_page(page)
    assert [(f.rule, f.field, f.matched, f.severity) for f in found] == [
        ("tests.test_claims.SITE_RULES/detox", "intro", ("detox",), "info"),
        ("tests.test_claims.site_rules/drug-free", "intro", ("drug-free",), "warning"),
    ]
    assert str(found[0].message) == "No detox claims."


def test_messages_are_translatable():
    for rules in PACKS.values():
        for rule in rules:
            assert type(rule.message).__name__ == "__proxy__", rule.code  # gettext_lazy


def test_sentences():
    assert split_sentences("One. Two! “Three?” Four\nFive") == ["One.", "Two!", "“Three?”", "Four", "Five"]


# --------------------------------------------------------------------------- every text is checked


def test_every_text_with_its_field(index):
    page = make_article(
        index,
        title="Acupuncture cures back pain",
        intro=f"Back pain is far more than a mild ache. {ABSOLUTE}",
        search_description=CURE,
        body=[
            {"type": "heading", "value": {"text": "Guaranteed relief", "level": "h2", "anchor": ""}},
            paragraph(f"<p>Many people turn to medications.</p><ul><li>{CURE}</li></ul>"),
            faq("<p>Usually painless.</p>", f"<p>Side effects? <b>None</b>: {ABSOLUTE}</p>"),
            {"type": "key_points", "value": {"heading": "", "items": [{"title": "100% natural", "text": "<p>Gentle.</p>"}]}},
        ],
    )
    assert findings(page, ["us-ftc"]) == [
        ("us-ftc/absolute-claim", "title", "Acupuncture cures back pain"),
        ("us-ftc/absolute-claim", "search_description", CURE),
        ("us-ftc/absolute-claim", "intro", ABSOLUTE),
        ("us-ftc/absolute-claim", "body[0].heading.text", "Guaranteed relief"),
        ("us-ftc/absolute-claim", "body[1].paragraph", CURE),
        ("us-ftc/absolute-claim", "body[2].faq.items[1].answer", f"None: {ABSOLUTE}"),
        ("us-ftc/absolute-claim", "body[3].key_points.items[0].title", "100% natural"),
    ]
    (first, *_rest) = check_page(page, ["us-ftc"])
    assert first.page == page.pk and first.matched == ("cures",) and first.severity == "error"


def test_testimonials_where_the_pack_forbids_them(index):
    page = make_article(
        index,
        body=[
            quote("Acupuncture needles are extremely thin, so the procedure is usually painless.", "A patient, Portland"),
            quote("Acupuncture is an ancient practice.", "Traditional Chinese medicine"),
            paragraph(f"<p>{FIRST_PERSON}</p>"),
        ],
    )
    assert findings(page, ["au-ahpra"]) == [
        ("au-ahpra/testimonial-attribution", "body[0].quote.attribution", "A patient, Portland"),
        ("au-ahpra/first-person-outcome", "body[2].paragraph", FIRST_PERSON),
    ]
    assert findings(page, ["us-ftc"]) == []  # the FTC pack has no testimonial rule


# --------------------------------------------------------------------------- editor and publishing


def edit_post(page, body_html, action=None):
    """The edit form's data with ``body_html`` as the body's one paragraph; ``action`` the
    button pressed (``"action-publish"``), else *Save draft*."""
    data = article_post(title=page.title, slug=page.slug, intro=page.intro, body=[("paragraph", rich_text(body_html))])
    if action:
        data[action] = "1"
    return data


def test_checks_panel_shows_sentence_field_and_rule(admin_client, index):
    page = make_article(index, body=[paragraph(f"<p>Gentle. {CURE}</p>")])
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert 'data-claim-rule="us-ftc/absolute-claim"' in html
    assert 'data-claim-field="body[0].paragraph"' in html
    assert f"<q>{CURE}</q>" in html
    assert "They do not block publishing." in html


def test_checks_panel_escapes_the_sentence(admin_client, index):
    page = make_article(index, intro='Guaranteed <script>alert("x")</script>')
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "<q>Guaranteed &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</q>" in html


def test_publishing_with_findings_warns_and_publishes(admin_client, index):
    page = make_article(index, live=False)
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = admin_client.post(url, edit_post(page, f"<p>{ABSOLUTE}</p>", "action-publish"), follow=True)
    page.refresh_from_db()
    assert page.live
    text = [str(m) for m in response.context["messages"]]
    assert any(f"Published with 1 claim to check: “{ABSOLUTE}” (us-ftc/absolute-claim)" in m for m in text), text


@override_settings(WAGTAIL_ACUPUNCTURE={"CLAIMS_BLOCK_PUBLISH": True})
def test_blocking_setting_refuses_publishing_and_keeps_the_draft(admin_client, index):
    page = make_article(index, body=[paragraph("<p>Gentle.</p>")])
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = admin_client.post(url, edit_post(page, f"<p>{CURE}</p>", "action-publish"))
    assert response.status_code == 302 and response["Location"] == url
    page.refresh_from_db()
    assert "Gentle." in str(page.body[0].value)  # not published
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert CURE in str(draft.body[0].value)  # nothing typed is lost
    response = admin_client.get(url)
    messages = [str(m) for m in response.context["messages"]]
    assert any("was not published: 1 claim needs rewording first" in m and CURE in m for m in messages)
    html = response.content.decode()
    assert "blocks publishing" in html and f"<q>{CURE}</q>" in html
    # once reworded, it publishes
    response = admin_client.post(url, edit_post(page, f"<p>{QUALIFIED}</p>", "action-publish"))
    page.refresh_from_db()
    assert QUALIFIED in str(page.body[0].value)


@override_settings(WAGTAIL_ACUPUNCTURE={"CLAIMS_BLOCK_PUBLISH": "error", "CLAIMS_RULES": ["uk-cap"]})
def test_blocking_by_severity(admin_client, index):
    page = make_article(index, body=[paragraph("<p>Gentle.</p>")])
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    # a warning (condition claim) does not block
    admin_client.post(url, edit_post(page, "<p>Acupuncture relieves insomnia.</p>", "action-publish"))
    page.refresh_from_db()
    assert "insomnia" in str(page.body[0].value)
    # an error (absolute claim) does
    admin_client.post(url, edit_post(page, f"<p>{ABSOLUTE}</p>", "action-publish"))
    page.refresh_from_db()
    assert "insomnia" in str(page.body[0].value)
    assert ABSOLUTE in str(page.get_latest_revision_as_object().body[0].value)


@override_settings(WAGTAIL_ACUPUNCTURE={"CLAIMS_BLOCK_PUBLISH": True})
def test_saving_a_draft_is_never_refused(admin_client, index):
    page = make_article(index, live=False)
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = admin_client.post(url, edit_post(page, f"<p>{CURE}</p>"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert CURE in str(page.get_latest_revision_as_object().body[0].value)


# --------------------------------------------------------------------------- index filter and report


def test_articles_index_filter(admin_client, index):
    clean = make_article(index, title="Clean article", body=[paragraph(f"<p>{QUALIFIED}</p>")])
    flagged = make_article(index, title="Flagged article", body=[paragraph(f"<p>{CURE}</p>")])
    draft_flagged = make_article(index, title="Clean live, flagged draft")
    draft = draft_flagged.get_latest_revision_as_object()
    draft.intro = ABSOLUTE
    draft.save_revision()
    url = reverse("wagtail_acupuncture_articlepage_modeladmin_index")
    html = admin_client.get(url).content.decode()
    assert "Claims flagged" in html
    html = admin_client.get(url, {"claims": "flagged"}).content.decode()
    assert flagged.title in html and draft_flagged.title in html and clean.title not in html
    html = admin_client.get(url, {"claims": "none"}).content.decode()
    assert clean.title in html and flagged.title not in html
    with override_settings(WAGTAIL_ACUPUNCTURE={"CLAIMS_RULES": ["us-ftc", "uk-cap"]}):
        html = admin_client.get(url, {"claims": "uk-cap"}).content.decode()
        assert "Flagged by uk-cap" in html
        assert flagged.title in html and clean.title not in html


def report(*args):
    out = io.StringIO()
    call_command("acupuncture_claims_report", *args, stdout=out)
    return out.getvalue()


def test_report_command(index):
    flagged = make_article(index, title="Flagged", body=[paragraph(f"<p>{CURE}</p>")])
    live = make_article(index, title="Draft changes", body=[paragraph("<p>Gentle.</p>")])
    draft = live.get_latest_revision_as_object()
    draft.body = [("paragraph", RichText(f"<p>{ABSOLUTE}</p>"))]
    draft.save_revision()
    rows = json.loads(report("--format", "json"))
    assert [(r["page"], r["field"], r["sentence"], r["rule"]) for r in rows] == [
        (flagged.pk, "body[0].paragraph", CURE, "us-ftc/absolute-claim"),
        (live.pk, "body[0].paragraph", ABSOLUTE, "us-ftc/absolute-claim"),
    ]
    rows = json.loads(report("--format", "json", "--live"))
    assert [(r["page"], r["rule"]) for r in rows] == [(flagged.pk, "us-ftc/absolute-claim")]
    rows = json.loads(report("--format", "json", "--live", "--pack", "uk-cap", "--pack", "au-ahpra"))
    assert [(r["page"], r["rule"]) for r in rows] == [
        (flagged.pk, "uk-cap/absolute-claim"),
        (flagged.pk, "uk-cap/condition-not-accepted"),
        (flagged.pk, "au-ahpra/absolute-claim"),
    ]
    table = report("--live").splitlines()
    assert table[0].split() == ["page", "field", "rule", "sentence"]
    assert table[1].split(None, 3) == [str(flagged.pk), "body[0].paragraph", "us-ftc/absolute-claim", CURE]
    assert table[-1] == "1 sentence(s) flagged."
    with pytest.raises(CommandError, match="unknown pack"):
        report("--pack", "eu")


def test_report_with_nothing_flagged(index):
    make_article(index, body=[paragraph(f"<p>{QUALIFIED}</p>")])
    assert report() == "No claims flagged.\n"
