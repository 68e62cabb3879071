"""The concrete page and row models a site built on the package's abstract bases.

Every lookup of articles, article indexes and related treatment rows goes through these
functions, so a site's own page type built on :class:`~.pages.AbstractArticlePage` (with fields
of its own, its own body blocks) is listed, related, delivered, invalidated and described exactly
as the package's :class:`~.pages.ArticlePage`.
"""

from ..content.registry import concrete_subclasses
from .pages import (
    AbstractArticleIndexPage,
    AbstractArticlePage,
    article_page_models,
    article_treatment_models,
)

__all__ = [
    "article_index_page_models",
    "article_page_models",
    "article_treatment_models",
    "concrete_subclasses",
    "is_article",
]


def article_index_page_models():
    """Concrete article index page models (subclasses of :class:`AbstractArticleIndexPage`)."""
    return concrete_subclasses(AbstractArticleIndexPage)


def is_article(obj):
    """True for an instance (or model) of an article page type."""
    cls = obj if isinstance(obj, type) else type(obj)
    return issubclass(cls, AbstractArticlePage)
