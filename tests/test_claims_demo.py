"""The client's own article (the demo, as loaded by ``load_acupuncture_demo``) run through the
three packs: exactly what each flags, and why."""

import io

import pytest
from django.core.management import call_command

from wagtail_acupuncture.claims import check_page
from wagtail_acupuncture.models import ArticlePage

pytestmark = pytest.mark.django_db

CONDITION = "uk-cap/condition-not-accepted"

#: uk-cap: ``(field, sentence, matched)``. The article's condition is "back pain" (once "chronic
#: back pain"), not the ASA's accepted "chronic low back pain", named next to a word of
#: treatment without a qualifier; "stress" and "inflammation" are conditions outside the list
#: too (the "without the stress of an intensive recovery process" sentence is a false alarm an
#: editor can leave). Sentences with "may" are qualified and not flagged.
UK_CAP = [
    ("title", "Acupuncture for Back Pain", ("Back Pain",)),
    ("seo_title", "Acupuncture for Back Pain in Portland", ("Back Pain",)),
    (
        "search_description",
        "At our Portland clinic, we offer acupuncture for back pain as a natural, drug-free approach to managing symptoms and aiming for lasting relief.",
        ("back pain",),
    ),
    ("intro", "That’s where acupuncture for back pain can make a real difference.", ("back pain",)),
    (
        "intro",
        "At our Portland clinic, we offer acupuncture for back pain as a natural, drug-free approach to managing symptoms and aiming for lasting relief.",
        ("back pain",),
    ),
    (
        "body[0].paragraph",
        "In this blog, we’ll dive into how acupuncture relieves back pain, the science behind its effectiveness, and why a personalized approach is key to helping you feel better long-term.",
        ("back pain",),
    ),
    (
        "body[1].booking_cta.heading",
        "Before we dive in, are you in the Portland area and ready to learn how acupuncture can help with your back pain?",
        ("back pain",),
    ),
    (
        "body[4].paragraph",
        "Acupuncture for back pain provides focused relief by treating both physical and energy-related causes of back pain, helping you find comfort and feel at ease in your daily life again (without relying on medications or invasive procedures).",
        ("back pain",),
    ),
    ("body[5].heading.text", "How Acupuncture Can Relieve Back Pain", ("Back Pain",)),
    (
        "body[6].paragraph",
        "Acupuncture, an ancient practice rooted in traditional Chinese medicine, has gained widespread popularity as an effective method for back pain relief.",
        ("back pain",),
    ),
    (
        "body[6].paragraph",
        "Here’s how acupuncture for back pain works to reduce discomfort and improve overall wellness:",
        ("back pain",),
    ),
    (
        "body[7].key_points.items[0].text",
        "These endorphins help reduce the perception of pain and create a sense of relaxation, which is especially helpful for those dealing with chronic back pain.",
        ("chronic back pain",),
    ),
    (
        "body[7].key_points.items[1].text",
        "Poor circulation is often a factor in back pain, as muscles and tissues need oxygen and nutrients to heal and function properly.",
        ("back pain",),
    ),
    (
        "body[7].key_points.items[1].text",
        "Acupuncture boosts blood flow to the affected areas, helping the body repair damaged tissues and reduce inflammation.",
        ("inflammation",),
    ),
    (
        "body[7].key_points.items[2].text",
        "These benefits make acupuncture ideal for relieving back pain without medications or invasive procedures.",
        ("back pain",),
    ),
    ("body[9].heading.text", "Why Choose Acupuncture for Back Pain?", ("Back Pain",)),
    (
        "body[10].paragraph",
        "Acupuncture offers a range of benefits that set it apart as a preferred option for managing back pain.",
        ("back pain",),
    ),
    ("body[10].paragraph", "Here’s why more and more people are choosing acupuncture for back pain:", ("back pain",)),
    (
        "body[11].key_points.items[0].text",
        "This gentle approach appeals to those seeking natural pain relief without the stress of an intensive recovery process.",
        ("stress",),
    ),
    (
        "body[11].key_points.items[1].text",
        "Many people turn to medications to alleviate back pain, but these can come with side effects like drowsiness, dependency, or stomach issues.",
        ("back pain",),
    ),
    (
        "body[11].key_points.items[2].text",
        "It can also improve sleep, reduce stress, and lift mood by supporting the body’s natural processes.",
        ("stress",),
    ),
    ("body[12].faq.items[2].question", "Are there any side effects of acupuncture for back pain?", ("back pain",)),
    (
        "body[14].paragraph",
        "With its natural, holistic approach, acupuncture for back pain allows you to reduce pain, relax your muscles, and reclaim your daily activities without the need for invasive treatments or medication.",
        ("back pain",),
    ),
]


@pytest.fixture
def article(db):
    call_command("load_acupuncture_demo", stdout=io.StringIO())
    return ArticlePage.objects.get(url_path="/home/blog/acupuncture-for-back-pain/")


def test_us_ftc_flags_nothing(article):
    """No absolute words: no cure, guarantee, proof or 100%; side effects are "minimal", not
    absent ("doesn't carry the risk of significant side effects" is not "no side effects")."""
    assert check_page(article, ["us-ftc"]) == []


def test_au_ahpra_flags_nothing(article):
    """No absolute words, no quote blocks, no first-person outcome accounts."""
    assert check_page(article, ["au-ahpra"]) == []


def test_uk_cap_flags_conditions_outside_the_accepted_list(article):
    found = check_page(article, ["uk-cap"])
    assert {finding.rule for finding in found} == {CONDITION}
    assert [(f.field, f.sentence, f.matched) for f in found] == UK_CAP
    assert {finding.page for finding in found} == {article.pk}


def test_qualified_sentences_are_not_flagged(article):
    sentences = {finding.sentence for finding in check_page(article, ["uk-cap"])}
    assert any("acupuncture for back pain may be the ideal solution" in text for _path, text in article.body_scan.fields)
    assert not any("may be the ideal solution" in sentence for sentence in sentences)
    assert not any("Chronic back pain may require" in sentence for sentence in sentences)
