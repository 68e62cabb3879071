"""Models of ``wagtail_acupuncture``: pages, snippets and the per-site clinic settings."""

from .pages import (
    AbstractArticleIndexPage,
    AbstractArticlePage,
    AbstractArticlePageTreatment,
    ArticleIndexPage,
    ArticlePage,
    ArticlePageTreatment,
)
from .settings import ClinicSettings
from .snippets import Practitioner, Treatment

__all__ = [
    "AbstractArticleIndexPage",
    "AbstractArticlePage",
    "AbstractArticlePageTreatment",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTreatment",
    "ClinicSettings",
    "Practitioner",
    "Treatment",
]
