import pytest
from django.core.exceptions import ValidationError

from wagtail_acupuncture.links import add_utm, is_safe_link, validate_link_url


@pytest.mark.parametrize(
    "url",
    [
        "https://booking.example.com/",
        "http://example.com/book?x=1",
        "tel:+15035550100",
        "mailto:hello@example.com",
        "HTTPS://EXAMPLE.COM/",
    ],
)
def test_allowed_links(url):
    assert is_safe_link(url)
    validate_link_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "ftp://example.com/",
        "/relative/path",
        "//example.com/",
        "https://",
        "tel:",
        "https://example.com/\nSet-Cookie: x",
        "example.com",
    ],
)
def test_refused_links(url):
    assert not is_safe_link(url)
    with pytest.raises(ValidationError):
        validate_link_url(url)


def test_add_utm_appends_parameters():
    url = add_utm("https://b.example.com/book", source="web", medium="cta", campaign="back-pain", content="intro")
    assert url == (
        "https://b.example.com/book?utm_source=web&utm_medium=cta&utm_campaign=back-pain&utm_content=intro"
    )


def test_add_utm_keeps_existing_parameters_and_fragment():
    url = add_utm(
        "https://b.example.com/book?utm_source=newsletter&staff=3#calendar",
        source="web",
        medium="cta",
        campaign="back-pain",
    )
    assert url == (
        "https://b.example.com/book?utm_source=newsletter&staff=3&utm_medium=cta&utm_campaign=back-pain#calendar"
    )


@pytest.mark.parametrize("url", ["tel:+15035550100", "mailto:a@example.com"])
def test_add_utm_leaves_non_http_links(url):
    assert add_utm(url, source="web", medium="cta") == url


def test_add_utm_skips_empty_values():
    assert add_utm("https://example.com/", source="", medium="") == "https://example.com/"


def test_add_utm_applies_to_internal_paths_not_protocol_relative():
    assert add_utm("/blog/book/", source="web") == "/blog/book/?utm_source=web"
    assert add_utm("//evil.example.com/", source="web") == "//evil.example.com/"
