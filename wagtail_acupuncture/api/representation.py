"""The API's resolver: the content core's :class:`ContentResolver` with the API's plain values.

The endpoints create one :class:`BulkResolver` per response and hand it every object of the
response first (``prepare``); fields and blocks then only read from it (see
:mod:`wagtail_acupuncture.content.resolver`). URLs of media and documents are absolute and every
image carries the ``IMAGE_RENDITIONS``.
"""

from ..content.resolver import CONTEXT_KEY, ContentResolver, get_resolver, isoformat, model_label

__all__ = ["CONTEXT_KEY", "BulkResolver", "get_resolver", "isoformat", "page_type"]

#: ``app_label.ModelName`` of a page's specific type.
page_type = model_label


class BulkResolver(ContentResolver):
    """The resolver of one API response (absolute URLs, ``IMAGE_RENDITIONS`` with every image)."""

    def __init__(self, request=None):
        super().__init__(request, absolute_urls=True, api_renditions=True)

    def related_articles(self, page):
        """The article cards of ``page``'s related articles."""
        return [self.article_card(card) for card in page.get_related_articles()]

    def article_card(self, page):
        """``{id, title, url, type, intro, published_date, hero_image}`` of a public article."""
        return self.memo("article_card", page.pk, self._build_article_card, page)

    def _build_article_card(self, page):
        return {
            "id": page.pk,
            "title": page.title,
            "url": page.get_url(request=self.request),
            "type": page_type(page),
            "intro": page.intro,
            "published_date": isoformat(page.published_date),
            "hero_image": self.image(page.hero_image_id),
        }
