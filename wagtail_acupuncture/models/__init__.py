"""Models of ``wagtail_acupuncture``: pages, snippets, the per-site clinic settings, the
webhook delivery log and stored headless previews."""

from .pages import (
    AbstractArticleIndexPage,
    AbstractArticlePage,
    AbstractArticlePageTreatment,
    ArticleIndexPage,
    ArticlePage,
    ArticlePageTreatment,
)
from .preview import HeadlessPreview
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
    "HeadlessPreview",
    "Practitioner",
    "Treatment",
    "WebhookDelivery",
]
