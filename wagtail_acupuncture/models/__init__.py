"""Models of ``wagtail_acupuncture``: pages, snippets, the per-site clinic settings and the
webhook delivery log."""

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
from .webhooks import WebhookDelivery

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
    "WebhookDelivery",
]
