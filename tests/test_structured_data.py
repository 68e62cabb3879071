"""The article's JSON-LD graph, read from the rendered HTML the way a crawler does (extruct)."""

import datetime
import html
import json
import re
from urllib.parse import urlsplit

import extruct
import lxml.html
import pytest
from django.test import override_settings
from django.utils import timezone

from tests.factories import (
    BACK_PAIN_FAQ,
    PractitionerFactory,
    TreatmentFactory,
    faq_block,
    make_article,
    make_back_pain_article,
)
from wagtail_acupuncture.models import ArticlePage
from wagtail_acupuncture.structured_data import (
    article_dates,
    build_article_graph,
    dumps_json_ld,
    json_ld_script,
    rich_text_to_plain,
)

pytestmark = pytest.mark.django_db

LD_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


# --- helpers --------------------------------------------------------------------------------


def get_html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def crawled_json_ld(document, url):
    """The JSON-LD documents of a page, as a crawler's extractor sees them."""
    return extruct.extract(document, base_url=url, syntaxes=["json-ld"])["json-ld"]


def crawled_graph(client, page):
    documents = crawled_json_ld(get_html(client, page), page.full_url)
    assert len(documents) == 1
    return documents[0]


def nodes_by_type(graph):
    result = {}
    for node in graph["@graph"]:
        types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        for type_ in types:
            result.setdefault(type_, []).append(node)
    return result


def node_index(graph):
    return {node["@id"]: node for node in graph["@graph"]}


def resolve(graph, ref):
    return node_index(graph)[ref["@id"]]


def references(value):
    """Every ``{"@id": ...}`` reference anywhere in ``value``."""
    if isinstance(value, dict):
        if set(value) == {"@id"}:
            yield value["@id"]
            return
        for child in value.values():
            yield from references(child)
    elif isinstance(value, list):
        for child in value:
            yield from references(child)


def rendition_size(settings, url):
    """Pixel size of the media file behind an absolute rendition URL."""
    from PIL import Image

    path = urlsplit(url).path
    assert path.startswith(settings.MEDIA_URL)
    with Image.open(f"{settings.MEDIA_ROOT}/{path[len(settings.MEDIA_URL):]}") as image:
        return image.size


def normalise(text):
    return " ".join(text.split())


def visible_faq(document):
    """``[(details id, question, answer)]`` as a reader sees them in the HTML."""
    tree = lxml.html.fromstring(document)
    items = []
    for details in tree.xpath('//details[contains(@class, "acu-faq__item")]'):
        (question,) = details.xpath('.//*[contains(@class, "acu-faq__question")]')
        (answer,) = details.xpath('.//*[contains(@class, "acu-faq__answer")]')
        question, answer = question.text_content(), answer.text_content()
        items.append((details.get("id"), normalise(question), normalise(answer)))
    return items


@pytest.fixture
def article(index, clinic):
    return make_back_pain_article(
        index,
        author=PractitionerFactory(
            credentials="L.Ac., MSOM", profile_url="https://example.com/team/author/"
        ),
    )


# --- the complete graph of the client's article ------------------------------------------------


def test_seed_article_carries_every_node_type(client, article):
    graph = crawled_graph(client, article)
    assert graph["@context"] == "https://schema.org"
    types = nodes_by_type(graph)
    for expected in (
        "MedicalWebPage",
        "FAQPage",
        "BlogPosting",
        "Person",
        "MedicalClinic",
        "MedicalTherapy",
        "Question",
        "BreadcrumbList",
    ):
        assert expected in types, expected
    assert types["MedicalWebPage"] == types["FAQPage"]  # one node with both types
    assert len(types["Question"]) >= 4


def test_ids_are_unique_stable_and_every_reference_resolves(client, article):
    graph = crawled_graph(client, article)
    ids = [node["@id"] for node in graph["@graph"]]
    assert len(ids) == len(set(ids))
    for node_id in ids:
        assert urlsplit(node_id).scheme in ("http", "https")
        assert urlsplit(node_id).fragment
    page_url = article.full_url
    types = nodes_by_type(graph)
    assert types["MedicalWebPage"][0]["@id"] == f"{page_url}#webpage"
    assert types["BlogPosting"][0]["@id"] == f"{page_url}#article"
    assert types["BreadcrumbList"][0]["@id"] == f"{page_url}#breadcrumb"
    known = set(ids)
    refs = list(references(graph["@graph"]))
    assert refs
    assert set(refs) <= known
    # The same build gives the same ids.
    assert [n["@id"] for n in build_article_graph(article)["@graph"]] == ids


def test_page_node(client, article):
    graph = crawled_graph(client, article)
    page = nodes_by_type(graph)["MedicalWebPage"][0]
    assert page["url"] == article.full_url
    assert page["name"] == article.title
    assert page["description"] == article.intro  # no search description set
    assert page["inLanguage"].lower().startswith("en")
    assert page["lastReviewed"] == article.last_reviewed.isoformat()
    reviewer = resolve(graph, page["reviewedBy"])
    assert reviewer["@type"] == "Person"
    assert reviewer["name"] == article.reviewed_by.name
    about = [resolve(graph, ref) for ref in page["about"]]
    assert [node["name"] for node in about] == [t.name for t in article.get_live_treatments()]
    questions = [resolve(graph, ref) for ref in page["mainEntity"]]
    assert {node["@type"] for node in questions} == {"Question"}
    assert resolve(graph, page["breadcrumb"])["@type"] == "BreadcrumbList"


def test_blog_posting_has_googles_article_properties(client, article, settings):
    graph = crawled_graph(client, article)
    posting = nodes_by_type(graph)["BlogPosting"][0]
    # Google's Article documentation: headline, image, datePublished, dateModified, author
    # (name and url); all recommended, none required.
    assert posting["headline"] == article.title
    assert posting["description"] == article.description
    assert posting["datePublished"] == article.published_date.isoformat()  # a back-dated article
    # Modified today by the publication itself: the date carries its time and UTC offset.
    modified = datetime.datetime.fromisoformat(posting["dateModified"])
    assert modified.date() == article.modified_date
    assert modified.utcoffset() is not None
    assert posting["dateModified"][:10] >= posting["datePublished"][:10]
    assert len(posting["image"]) == 3
    sizes = []
    for url in posting["image"]:
        assert urlsplit(url).scheme == "http" and urlsplit(url).netloc == "localhost"
        sizes.append(rendition_size(settings, url))
    # Google: several aspect ratios (16:9, 4:3, 1:1), each at least 50K pixels.
    assert {round(width / height, 2) for width, height in sizes} == {1.78, 1.33, 1.0}
    assert all(width * height >= 50_000 for width, height in sizes)
    author = resolve(graph, posting["author"])
    assert author["@type"] == "Person"
    assert author["name"] == article.author.name
    assert author["url"] == article.author.profile_url
    assert author["jobTitle"] == article.author.job_title
    assert [c["name"] for c in author["hasCredential"]] == ["L.Ac.", "MSOM"]
    assert {c["@type"] for c in author["hasCredential"]} == {"EducationalOccupationalCredential"}
    publisher = resolve(graph, posting["publisher"])
    assert publisher["@type"] == "MedicalClinic"
    assert resolve(graph, posting["mainEntityOfPage"])["url"] == article.full_url


def test_clinic_node_has_local_business_properties(client, article, clinic):
    graph = crawled_graph(client, article)
    (node,) = nodes_by_type(graph)["MedicalClinic"]
    # Google's LocalBusiness documentation: name and address required; url, telephone recommended.
    assert node["name"] == clinic.clinic_name
    assert node["address"] == {
        "@type": "PostalAddress",
        "streetAddress": clinic.street_address,
        "addressLocality": clinic.address_locality,
        "addressRegion": clinic.address_region,
        "postalCode": clinic.postal_code,
        "addressCountry": clinic.address_country,
    }
    assert node["telephone"] == clinic.phone
    assert node["email"] == clinic.email
    assert node["url"] == article.get_site().root_url + "/"
    action = node["potentialAction"]
    assert action["@type"] == "ReserveAction"
    assert action["target"]["urlTemplate"] == clinic.booking_url


@pytest.mark.urls("tests.api_fixtures")
def test_clinic_location_hours_logo_and_profiles(client, article, clinic, settings):
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.api_fixtures import API, make_image

    settings.WAGTAIL_ACUPUNCTURE = {"RENDER_CACHE": False}
    detail = f"{API}/pages/{article.pk}/"
    client.get(detail)
    with CaptureQueriesContext(connection) as without_logo:
        client.get(detail)
    clinic.logo = make_image("Clinic logo", width=900, height=300)
    clinic.latitude, clinic.longitude = Decimal("45.523064"), Decimal("-122.676483")
    clinic.opening_hours = [
        ("hours", {"days": ["friday", "monday"], "opens": "09:00", "closes": "17:30"})
    ]
    clinic.profile_urls = "https://www.facebook.com/example\njavascript:alert(1)"
    clinic.save()

    graph = crawled_graph(client, article)
    (node,) = nodes_by_type(graph)["MedicalClinic"]
    assert urlsplit(node["logo"]).scheme == "http" and node["logo"].endswith(".png")
    assert node["image"] == node["logo"]
    assert rendition_size(settings, node["logo"]) == (600, 200)
    assert node["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 45.523064,
        "longitude": -122.676483,
    }
    assert node["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Monday", "https://schema.org/Friday"],
            "opens": "09:00",
            "closes": "17:30",
        }
    ]
    assert node["sameAs"] == ["https://www.facebook.com/example"]  # unsafe lines left out

    client.get(detail)
    with CaptureQueriesContext(connection) as with_logo:
        data = client.get(detail).json()
    assert data["structured_data"] == graph  # the API's graph is the page's
    assert len(with_logo.captured_queries) == len(without_logo.captured_queries)


@pytest.mark.urls("tests.api_fixtures")
def test_people_carry_their_photo(client, article, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.api_fixtures import API, make_image

    settings.WAGTAIL_ACUPUNCTURE = {"RENDER_CACHE": False}
    detail = f"{API}/pages/{article.pk}/?fields=structured_data"
    client.get(detail)
    with CaptureQueriesContext(connection) as without_photo:
        client.get(detail)
    author = article.author
    author.photo = make_image("Author photo", width=800, height=1000)
    author.save()
    graph = crawled_graph(client, article)
    people = {node["name"]: node for node in nodes_by_type(graph)["Person"]}
    person = people.pop(author.name)
    assert all("image" not in other for other in people.values())  # no photo, no image
    assert urlsplit(person["image"]).scheme == "http" and person["image"].endswith(".jpg")
    assert rendition_size(settings, person["image"]) == (400, 400)
    client.get(detail)
    with CaptureQueriesContext(connection) as with_photo:
        data = client.get(detail).json()
    assert data["structured_data"] == graph
    assert len(with_photo.captured_queries) == len(without_photo.captured_queries)


@pytest.mark.urls("tests.api_fixtures")
def test_index_graph_lists_the_articles_shown(client, index, clinic, settings):
    from tests.api_fixtures import API

    settings.WAGTAIL_ACUPUNCTURE = {"ARTICLES_PER_PAGE": 2}
    articles = [
        make_article(index, title=f"Article {day}", published_date=datetime.date(2025, 1, day))
        for day in (1, 2, 3)
    ]
    make_article(index, title="Draft", live=False)
    newest_first = articles[::-1]
    graph = crawled_graph(client, index)
    types = nodes_by_type(graph)
    (collection,) = types["CollectionPage"]
    (item_list,) = types["ItemList"]
    assert collection["url"] == index.full_url
    assert collection["name"] == index.title
    assert collection["mainEntity"] == {"@id": item_list["@id"]}
    assert collection["publisher"] == {"@id": types["MedicalClinic"][0]["@id"]}
    assert resolve(graph, collection["breadcrumb"])["@type"] == "BreadcrumbList"
    assert item_list["itemListElement"] == [
        {"@type": "ListItem", "position": n, "url": article.full_url, "name": article.title}
        for n, article in enumerate(newest_first[:2], start=1)
    ]
    second = crawled_json_ld(get_html_at(client, f"{index.url}?page=2"), index.full_url)[0]
    (second_list,) = nodes_by_type(second)["ItemList"]
    assert [(i["position"], i["name"]) for i in second_list["itemListElement"]] == [
        (3, "Article 1")
    ]
    assert client.get(f"{API}/pages/{index.pk}/").json()["structured_data"] == graph


def test_hostile_index_title_stays_inside_the_graph(client, home, clinic):
    from tests.factories import make_index

    index = make_index(home, title=HOSTILE_LONG, slug="hostile-index")
    make_article(index, title=HOSTILE_LONG)
    raw = LD_SCRIPT.findall(get_html(client, index))
    assert len(raw) == 1
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        assert char not in raw[0]
    types = nodes_by_type(json.loads(raw[0]))
    assert types["CollectionPage"][0]["name"] == HOSTILE_LONG
    assert types["ItemList"][0]["itemListElement"][0]["name"] == HOSTILE_LONG


def get_html_at(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_therapies_are_the_live_related_treatments(client, index, clinic):
    live = TreatmentFactory(name="Acupuncture", slug="acupuncture")
    draft = TreatmentFactory(
        name="Unpublished therapy name", slug="unpublished-therapy", live=False
    )
    external = TreatmentFactory(url="https://example.org/treatment")
    page = make_article(index, treatments=[live, draft, external])
    document = get_html(client, page)
    graph = crawled_json_ld(document, page.full_url)[0]
    therapies = nodes_by_type(graph)["MedicalTherapy"]
    assert [t["name"] for t in therapies] == [live.name, external.name]
    assert {t["medicineSystem"] for t in therapies} == {"https://schema.org/TraditionalChinese"}
    assert therapies[1]["url"] == "https://example.org/treatment"
    assert "Unpublished therapy name" not in document
    assert "unpublished-therapy" not in document


@override_settings(WAGTAIL_ACUPUNCTURE={"TREATMENT_MEDICINE_SYSTEM": None})
def test_medicine_system_can_be_switched_off(index, clinic):
    page = make_article(index, treatments=[TreatmentFactory()])
    (therapy,) = nodes_by_type(build_article_graph(page))["MedicalTherapy"]
    assert "medicineSystem" not in therapy


def test_breadcrumbs_follow_the_live_ancestors(client, article, home, index):
    graph = crawled_graph(client, article)
    (breadcrumb,) = nodes_by_type(graph)["BreadcrumbList"]
    items = breadcrumb["itemListElement"]
    assert [i["position"] for i in items] == list(range(1, len(items) + 1))
    assert [i["name"] for i in items] == [home.title, index.title, article.title]
    assert [i["item"] for i in items] == [home.full_url, index.full_url, article.full_url]
    assert {i["@type"] for i in items} == {"ListItem"}


# --- FAQ -----------------------------------------------------------------------------------


def test_questions_equal_the_visible_faq_items(client, article):
    document = get_html(client, article)
    graph = crawled_json_ld(document, article.full_url)[0]
    questions = nodes_by_type(graph)["Question"]
    visible = visible_faq(document)
    assert len(visible) == len(BACK_PAIN_FAQ)
    assert [(q["@id"].split("#")[1], normalise(q["name"]), normalise(q["acceptedAnswer"]["text"]))
            for q in questions] == visible
    page = nodes_by_type(graph)["FAQPage"][0]
    assert [ref["@id"] for ref in page["mainEntity"]] == [q["@id"] for q in questions]
    assert {q["acceptedAnswer"]["@type"] for q in questions} == {"Answer"}


def test_questions_merge_across_blocks_each_question_once(client, index, clinic):
    body = [
        faq_block([("Is acupuncture painful?", "<p>First <b>answer</b>.</p>"),
                   ("Question two?", "<p>Two.</p>")], prefix="a"),
        faq_block([("  is ACUPUNCTURE   painful? ", "<p>Repeated answer.</p>"),
                   ("Question three?", "<ul><li>Three</li><li>and more</li></ul>")], prefix="b"),
        faq_block([("Shown but not marked up?", "<p>Hidden from markup.</p>")],
                  prefix="c", structured_data=False),
    ]
    page = make_article(index, body=body)
    document = get_html(client, page)
    graph = crawled_json_ld(document, page.full_url)[0]
    questions = nodes_by_type(graph)["Question"]
    assert [q["name"] for q in questions] == [
        "Is acupuncture painful?", "Question two?", "Question three?"
    ]
    assert questions[0]["acceptedAnswer"]["text"] == "First answer."
    assert questions[2]["acceptedAnswer"]["text"] == "Three\nand more"
    assert [q["@id"].split("#")[1] for q in questions] == ["faq-a1", "faq-a2", "faq-b2"]
    # Every question is visible, including the unmarked and the repeated one.
    assert len(visible_faq(document)) == 5
    assert "Hidden from markup." in document
    assert "Hidden from markup." not in json.dumps(graph, ensure_ascii=False)


def test_per_block_switch_turns_faq_markup_off(index, clinic):
    body = [faq_block([("Question?", "<p>Answer.</p>")], structured_data=False)]
    page = make_article(index, body=body)
    graph = build_article_graph(page)
    types = nodes_by_type(graph)
    assert "FAQPage" not in types and "Question" not in types
    webpage = types["MedicalWebPage"][0]
    assert webpage["@type"] == "MedicalWebPage"
    assert webpage["mainEntity"] == {"@id": types["BlogPosting"][0]["@id"]}


def test_site_setting_turns_faq_markup_off(index, clinic):
    page = make_back_pain_article(index)
    assert "Question" in nodes_by_type(build_article_graph(page))
    clinic.faq_structured_data = False
    clinic.save()
    page = ArticlePage.objects.get(pk=page.pk)
    types = nodes_by_type(build_article_graph(page))
    assert "Question" not in types and "FAQPage" not in types


def test_package_setting_turns_faq_markup_off(index, clinic):
    page = make_back_pain_article(index)
    with override_settings(WAGTAIL_ACUPUNCTURE={"FAQ_STRUCTURED_DATA": False}):
        types = nodes_by_type(build_article_graph(ArticlePage.objects.get(pk=page.pk)))
    assert "Question" not in types and "FAQPage" not in types


def test_article_dates_carry_the_publication_time_when_it_falls_on_that_day(index):
    page = make_article(index)  # published now: published_date is today
    published, modified = article_dates(page)
    assert published == timezone.localtime(page.first_published_at).isoformat(timespec="seconds")
    assert modified == timezone.localtime(page.last_published_at).isoformat(timespec="seconds")
    page.published_date = datetime.date(2020, 1, 2)
    page.last_reviewed = datetime.date(2099, 1, 1)
    assert article_dates(page) == ("2020-01-02", "2099-01-01")


def test_rich_text_to_plain_keeps_the_visible_text():
    source = '<p>A &amp; B&nbsp;<a linktype="page" id="3">link</a></p><p>C</p>'
    assert rich_text_to_plain(source) == "A & B link\nC"
    assert rich_text_to_plain("") == ""


# --- HTML and API carry the same graph; no unpublished data ------------------------------------


def test_html_graph_is_build_article_graph(client, article):
    response = client.get(article.url)
    documents = crawled_json_ld(response.content.decode(), article.full_url)
    assert len(documents) == 1
    fresh = ArticlePage.objects.get(pk=article.pk)  # as the API loads it
    for request in (None, response.wsgi_request):
        built = build_article_graph(fresh, request=request)
        assert json.loads(json.dumps(built)) == built  # plain JSON, no model objects or dates
        assert documents[0] == built


def test_draft_revision_text_never_appears(client, article):
    live_answer = BACK_PAIN_FAQ[0][1]
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.title = "Draft title not yet published"
    draft.intro = "Draft intro not yet published"
    draft.search_description = "Draft description not yet published"
    draft.body = [faq_block([("Draft question not yet published?", "<p>Draft answer.</p>")])]
    draft.save_revision()
    document = get_html(client, ArticlePage.objects.get(pk=article.pk))
    graph = crawled_json_ld(document, article.full_url)[0]
    serialized = json.dumps(graph, ensure_ascii=False)
    for text in ("Draft title", "Draft intro", "Draft description", "Draft question",
                 "Draft answer"):
        assert text not in document
        assert text not in serialized
    assert live_answer in serialized
    assert build_article_graph(ArticlePage.objects.get(pk=article.pk)) == graph


def test_graph_needs_a_bounded_number_of_queries(article, django_assert_max_num_queries):
    page = ArticlePage.objects.get(pk=article.pk)
    # Cold caches: sites, clinic, locale, 2 people, treatment rows + 1 per treatment (2),
    # hero image and its renditions in one batch, ancestors. Warm: only per-page lookups.
    with django_assert_max_num_queries(16):
        build_article_graph(page)
    with django_assert_max_num_queries(6):
        build_article_graph(page)


# --- escaping ------------------------------------------------------------------------------

#: Fits every text field (postal code: 32 characters).
HOSTILE = "</script><!--\"'\u2028\u2029&amp;"
#: For longer fields.
HOSTILE_LONG = HOSTILE + "<script>alert(1)</script>-->"


def test_dumps_json_ld_escapes_everything_that_could_end_the_script():
    data = {"a": HOSTILE_LONG, "b": ["</SCRIPT >", "<!--", "\u2028"]}
    text = dumps_json_ld(data)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == data
    script = str(json_ld_script(data))
    assert script.count("</script>") == 1 and script.endswith("</script>")
    from django.template import engines

    template = engines["django"].from_string("{% load wagtail_acupuncture_seo %}{{ data|json_ld }}")
    assert template.render({"data": data}) == script


def test_hostile_text_in_every_field_stays_inside_the_graph(client, home, site, clinic):
    from tests.factories import ImageFactory, make_index

    for field in ("clinic_name", "phone", "street_address", "address_locality",
                  "address_region", "address_country"):
        setattr(clinic, field, HOSTILE_LONG if field != "phone" else HOSTILE)
    clinic.postal_code = HOSTILE
    clinic.profile_urls = f"https://example.com/{HOSTILE_LONG}"
    clinic.full_clean()  # an http(s) address, however odd its path
    clinic.save()
    index = make_index(home, title=HOSTILE_LONG, slug="hostile-blog")
    author = PractitionerFactory(
        name=HOSTILE_LONG, credentials=HOSTILE_LONG, job_title=HOSTILE_LONG
    )
    treatment = TreatmentFactory(name=HOSTILE_LONG, summary=HOSTILE_LONG)
    escaped = html.escape(HOSTILE_LONG, quote=False)  # how Draftail stores typed text
    page = make_article(
        index,
        title=HOSTILE_LONG,
        seo_title=HOSTILE_LONG,
        search_description=HOSTILE_LONG,
        intro=HOSTILE_LONG,
        author=author,
        reviewed_by=author,
        hero_image=ImageFactory(title=HOSTILE_LONG),
        last_reviewed=datetime.date(2025, 1, 1),
        treatments=[treatment],
        body=[
            {"type": "heading", "value": {"text": HOSTILE_LONG, "level": "h2", "anchor": ""}},
            faq_block([(HOSTILE_LONG, f"<p>{escaped}</p>")], heading=HOSTILE_LONG),
        ],
    )
    document = get_html(client, page)

    # The script element ends where the graph ends: its raw text is the whole JSON document.
    raw = LD_SCRIPT.findall(document)
    assert len(raw) == 1
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        assert char not in raw[0]
    graph = json.loads(raw[0])
    assert graph == build_article_graph(ArticlePage.objects.get(pk=page.pk))

    # The text arrives intact (escaped, not stripped) in every node.
    types = nodes_by_type(graph)
    assert types["MedicalWebPage"][0]["name"] == HOSTILE_LONG
    assert types["MedicalWebPage"][0]["description"] == HOSTILE_LONG
    assert types["Person"][0]["name"] == HOSTILE_LONG
    assert types["Person"][0]["jobTitle"] == HOSTILE_LONG
    assert types["MedicalClinic"][0]["name"] == HOSTILE_LONG
    assert types["MedicalClinic"][0]["address"]["postalCode"] == HOSTILE
    assert types["MedicalClinic"][0]["telephone"] == HOSTILE
    assert types["MedicalClinic"][0]["sameAs"] == [f"https://example.com/{HOSTILE_LONG}"]
    assert types["MedicalTherapy"][0]["name"] == HOSTILE_LONG
    assert types["MedicalTherapy"][0]["description"] == HOSTILE_LONG
    assert types["Question"][0]["name"] == HOSTILE_LONG
    assert types["Question"][0]["acceptedAnswer"]["text"] == HOSTILE_LONG
    assert types["BreadcrumbList"][0]["itemListElement"][1]["name"] == HOSTILE_LONG

    # Parsed as HTML, nothing escaped: no extra script, no comment, the meta tags hold the text.
    tree = lxml.html.fromstring(document)
    scripts = tree.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    assert tree.xpath("//comment()") == []
    head = tree.find("head")
    assert head.findtext("title") == HOSTILE_LONG
    metas = {m.get("property") or m.get("name"): m.get("content") for m in head.iter("meta")}
    assert metas["description"] == HOSTILE_LONG
    assert metas["og:title"] == HOSTILE_LONG
    assert metas["og:site_name"] == HOSTILE_LONG
    assert metas["og:image:alt"] == HOSTILE_LONG
    assert metas["twitter:title"] == HOSTILE_LONG
    # A crawler's extractor finds exactly the graph.
    assert crawled_json_ld(document, page.full_url) == [graph]


# --- preview -------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "e@example.com", "pw"))
    return client


def preview_graph(admin_client, form_url, preview_url, **fields):
    from wagtail.test.utils.form_data import querydict_from_html

    form_html = admin_client.get(form_url).content.decode()
    data = querydict_from_html(form_html, form_id="page-edit-form")
    data["body-count"] = "0"  # the StreamField widget is built in the browser
    for key, value in fields.items():
        data[key] = value
    response = admin_client.post(preview_url, data)
    assert response.json() == {"is_valid": True, "is_available": True}
    document = admin_client.get(preview_url).content.decode()
    (graph,) = crawled_json_ld(document, "http://localhost/")
    return graph


def test_preview_of_an_edit_shows_the_draft_graph(admin_client, article):
    graph = preview_graph(
        admin_client,
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{article.pk}/edit/preview/",
        title="Edited title in preview",
    )
    webpage = nodes_by_type(graph)["MedicalWebPage"][0]
    assert webpage["name"] == "Edited title in preview"
    assert webpage["url"] == article.full_url


def test_preview_of_a_new_article_has_a_graph(admin_client, index, clinic):
    add_url = f"/admin/pages/add/wagtail_acupuncture/articlepage/{index.pk}/"
    graph = preview_graph(
        admin_client,
        add_url,
        add_url + "preview/",
        title="New article",
        slug="new-article",
        intro="New intro.",
    )
    types = nodes_by_type(graph)
    assert types["BlogPosting"][0]["headline"] == "New article"
    assert types["BreadcrumbList"][0]["itemListElement"][-1]["name"] == "New article"
