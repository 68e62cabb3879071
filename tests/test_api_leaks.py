"""Nothing unpublished, private or from another site ever appears in an API response."""

import json

import pytest
from wagtail.models import Page, Site

from tests.api_fixtures import API, booking_cta, make_private, paragraph
from tests.factories import TreatmentFactory, add_page, make_article, make_index

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]

SECRET = "Top secret draft text"


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code in (200, 302, 400, 404), response.content[:300]
    return response


def all_text(client, urls, **extra):
    return "\n".join(get(client, url, **extra).content.decode() for url in urls)


@pytest.fixture
def world(index, clinic, home):
    """A live article, a draft, a private section, a draft revision of a live page, another site."""
    live = make_article(index, title="Live article", slug="live-article")
    draft = make_article(index, title=f"{SECRET} draft", slug="draft-article", live=False)
    private_index = make_index(home, title="Members", slug="members")
    make_private(private_index)
    private = make_article(private_index, title=f"{SECRET} private", slug="private-article")
    revised = make_article(index, title="Revised", slug="revised", intro="Published intro.")
    revised.intro = f"{SECRET} unpublished revision"
    revised.save_revision()
    other_root = add_page(Page.get_first_root_node(), Page(title="Other home", slug="other-home"))
    Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    other_index = make_index(other_root, title="Other blog", slug="other-blog")
    other = make_article(other_index, title=f"{SECRET} other site", slug="other-article")
    return {
        "live": live,
        "draft": draft,
        "private": private,
        "private_index": private_index,
        "revised": revised,
        "other": other,
        "other_index": other_index,
    }


def listing_urls():
    return [
        f"{API}/pages/",
        f"{API}/pages/?fields=*",
        f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=*",
        f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=title,structured_data",
        f"{API}/pages/?search=secret",
        f"{API}/pages/?limit=100",
    ]


def test_listings_show_only_live_public_pages_of_the_site(client, world):
    items = get(client, f"{API}/pages/?limit=100").json()["items"]
    ids = {item["id"] for item in items}
    assert world["live"].pk in ids and world["revised"].pk in ids
    for name in ("draft", "private", "private_index", "other", "other_index"):
        assert world[name].pk not in ids, name
    assert SECRET not in all_text(client, listing_urls())


def test_details_of_hidden_pages_are_404(client, world):
    # Plain and ?fields= details look the page up directly; a filter parameter (?slug=) goes
    # through Wagtail's filters: both say 404 alike.
    for name in ("draft", "private", "private_index", "other"):
        for query in ("", "?fields=title", f"?slug={world[name].slug}"):
            response = get(client, f"{API}/pages/{world[name].pk}/{query}")
            assert response.status_code == 404, (name, query)
            assert response.json() == {"message": "No Page matches the given query."}
    live = world["live"]
    for query in ("", "?fields=title", f"?slug={live.slug}"):
        assert get(client, f"{API}/pages/{live.pk}/{query}").json()["title"] == live.title
    assert get(client, f"{API}/pages/{live.pk}/?slug=other").status_code == 404


def test_an_alias_is_public_only_while_the_page_it_mirrors_is(client, world, index):
    private_alias = world["private"].create_alias(parent=index, update_slug="private-alias")
    live_alias = world["live"].create_alias(parent=index, update_slug="live-alias")
    assert get(client, f"{API}/pages/{private_alias.pk}/").status_code == 404
    assert get(client, f"{API}/pages/{live_alias.pk}/").json()["title"] == "Live article"
    world["live"].unpublish()
    assert get(client, f"{API}/pages/{live_alias.pk}/").status_code == 404


def test_live_page_shows_published_content_not_the_draft_revision(client, world):
    data = get(client, f"{API}/pages/{world['revised'].pk}/").json()
    assert data["intro"] == "Published intro."


def test_find_does_not_reach_hidden_pages(client, world):
    assert get(client, f"{API}/pages/find/?html_path=/blog/live-article/").status_code == 302
    for path in ("/blog/draft-article/", "/members/private-article/", "/members/"):
        assert get(client, f"{API}/pages/find/?html_path={path}").status_code == 404, path
    for name in ("draft", "private", "other"):
        assert get(client, f"{API}/pages/find/?id={world[name].pk}").status_code == 404


def test_tree_filters_do_not_reach_hidden_pages(client, world):
    for filter_name in ("child_of", "descendant_of", "ancestor_of"):
        url = f"{API}/pages/?{filter_name}={world['private_index'].pk}"
        assert get(client, url).status_code == 400, filter_name
    assert get(client, f"{API}/pages/?child_of={world['other_index'].pk}").status_code == 400


def test_site_parameter_is_refused(client, world):
    response = get(client, f"{API}/pages/?site=other.example")
    assert response.status_code == 400
    assert SECRET not in response.content.decode()


def test_other_site_sees_only_its_own_pages(client, world):
    items = get(client, f"{API}/pages/?limit=100", HTTP_HOST="other.example").json()["items"]
    assert {item["id"] for item in items} == {
        world["other"].pk,
        world["other_index"].pk,
        world["other"].get_parent().get_parent().pk,
    }
    assert (
        get(client, f"{API}/pages/{world['live'].pk}/", HTTP_HOST="other.example").status_code
        == 404
    )


def test_parent_and_alias_never_point_to_hidden_pages(client, world, home):
    # The site root's parent is the tree root, outside the site.
    assert get(client, f"{API}/pages/{home.pk}/").json()["meta"]["parent"] is None
    public_alias = world["live"].create_alias(parent=home, update_slug="alias-of-live")
    data = get(client, f"{API}/pages/{public_alias.pk}/").json()
    assert data["meta"]["alias_of"]["id"] == world["live"].pk
    # An alias in a public part of the tree mirrors a private page: it is private too.
    private_alias = world["private"].create_alias(parent=home, update_slug="alias-of-private")
    assert private_alias.live
    response = get(client, f"{API}/pages/{private_alias.pk}/")
    assert response.status_code == 404
    assert private_alias.pk not in {
        i["id"] for i in get(client, f"{API}/pages/?limit=100").json()["items"]
    }
    # An alias whose source is no longer live.
    Page.objects.filter(pk=world["live"].pk).update(live=False)
    assert get(client, f"{API}/pages/{public_alias.pk}/").status_code == 404
    assert SECRET not in all_text(client, listing_urls())


def test_references_in_bodies_skip_hidden_pages_and_treatments(client, world, index):
    hidden_treatment = TreatmentFactory(name=f"{SECRET} treatment", slug="hidden", live=False)
    linked = TreatmentFactory(name="Linked", slug="linked", url="", page=world["draft"])
    page = make_article(
        index,
        slug="referrer",
        treatments=[hidden_treatment, linked],
        body=[
            paragraph(
                "p",
                f'<p><a linktype="page" id="{world["draft"].pk}">a</a>'
                f'<a linktype="page" id="{world["private"].pk}">b</a></p>',
            ),
            booking_cta("cta", link_page=world["private"].pk),
            {
                "type": "related_treatments",
                "id": "rt",
                "value": {
                    "heading": "",
                    "treatments": [{"type": "item", "id": "x", "value": hidden_treatment.pk}],
                },
            },
        ],
    )
    response = get(client, f"{API}/pages/{page.pk}/?fields=*,-structured_data")
    text = response.content.decode()
    assert SECRET not in text
    for slug in ("draft-article", "private-article", "members"):
        assert slug not in text, slug
    data = response.json()
    assert [t["slug"] for t in data["related_treatments"]] == ["linked"]
    assert data["related_treatments"][0]["url"] is None
    assert data["body"][2]["value"]["treatments"] == []
    assert data["body"][1]["value"]["url"] == "https://booking.example.com/book?" + (
        "utm_source=website&utm_medium=article_cta&utm_campaign=referrer&utm_content=inline"
    )


def test_related_articles_never_include_hidden_pages(client, world, index):
    shared = TreatmentFactory(slug="shared")
    page = make_article(index, slug="has-related", treatments=[shared])
    visible = make_article(index, slug="visible-related", treatments=[shared])
    make_article(index, slug="draft-related", live=False, treatments=[shared])
    make_article(world["private_index"], slug="private-related", treatments=[shared])
    make_article(world["other_index"], slug="other-related", treatments=[shared])
    data = get(client, f"{API}/pages/{page.pk}/").json()
    assert [card["id"] for card in data["related_articles"]] == [visible.pk]


def test_treatments_endpoint_shows_only_published(client, world):
    shown = TreatmentFactory(name="Shown", slug="shown")
    hidden = TreatmentFactory(name=f"{SECRET} snippet", slug="hidden-snippet", live=False)
    items = get(client, f"{API}/treatments/").json()["items"]
    assert [item["slug"] for item in items] == ["shown"]
    assert get(client, f"{API}/treatments/{hidden.pk}/").status_code == 404
    assert get(client, f"{API}/treatments/?slug=hidden-snippet").status_code == 404
    assert get(client, f"{API}/treatments/find/?slug=hidden-snippet").status_code == 404
    assert get(client, f"{API}/treatments/{shown.pk}/").status_code == 200
    text = all_text(client, [f"{API}/treatments/", f"{API}/treatments/?fields=*"])
    assert SECRET not in text


def test_responses_are_plain_json(client, world):
    for url in listing_urls():
        response = get(client, url)
        assert json.loads(response.content) == response.json()


def test_resolver_page_references(world, rf):
    """``BulkResolver.page`` (for custom blocks' page choosers) omits hidden pages."""
    from wagtail_acupuncture.api.representation import BulkResolver

    resolver = BulkResolver(request=rf.get("/"))
    assert resolver.page(world["live"]) == {
        "id": world["live"].pk,
        "title": "Live article",
        "url": "/blog/live-article/",
        "type": "wagtail_acupuncture.ArticlePage",
    }
    for name in ("draft", "private"):
        assert resolver.page(world[name].pk) is None, name
    assert resolver.page(987654) is None
