"""Data of the custom article tests: custom articles, partners and callouts."""

from tests.custom_app.models import CustomArticlePage, Partner
from tests.factories import make_article

#: The page type as the API names it.
CUSTOM_TYPE = "custom_app.CustomArticlePage"


def make_custom_article(index, **kwargs):
    """A published :class:`CustomArticlePage` below ``index`` (as ``make_article``)."""
    kwargs.setdefault("subtitle", "What to expect")
    kwargs.setdefault("audience", "patients")
    return make_article(index, model=CustomArticlePage, **kwargs)


def make_partner(name, *, live=True, website="https://partner.example.com/"):
    """A :class:`Partner`, published unless ``live`` is False."""
    return Partner.objects.create(name=name, website=website, live=live)


def callout(block_id, html, *, partner=None, image=None):
    """Raw stream data of one ``callout`` block."""
    return {
        "type": "callout",
        "id": block_id,
        "value": {
            "text": html,
            "partner": partner.pk if partner is not None else None,
            "image": image.pk if image is not None else None,
        },
    }


def policy_html(targets):
    """Rich text with every kind of link the link policy treats differently."""
    return (
        f'<p><a linktype="page" id="{targets["live"].pk}">live</a> '
        f'<a linktype="page" id="{targets["draft"].pk}">draft</a> '
        f'<a linktype="document" id="{targets["document"].pk}">form</a> '
        '<a href="javascript:alert(1)">js</a> '
        '<a href="https://example.com/herbs">ext</a></p>'
    )


def callout_blocks(data):
    """The ``callout`` blocks of an API representation's body."""
    return [child for child in data["body"] if child["type"] == "callout"]
