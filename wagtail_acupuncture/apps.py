from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailAcupunctureConfig(AppConfig):
    """App config for ``wagtail_acupuncture``."""

    name = "wagtail_acupuncture"
    label = "wagtail_acupuncture"
    verbose_name = _("Acupuncture clinic content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from . import checks as acupuncture_checks
        from .content import sanitize
        from .delivery import render_cache, signals, webhooks
        from .models import (
            AbstractArticleIndexPage,
            AbstractArticlePage,
            ClinicSettings,
            Practitioner,
        )

        signals.register()
        render_cache.register()
        sanitize.register((AbstractArticlePage, AbstractArticleIndexPage, Practitioner, ClinicSettings))
        checks.register(webhooks.check_webhook_settings)
        checks.register(acupuncture_checks.check_sqlite_concurrency, checks.Tags.database)
        checks.register(acupuncture_checks.check_purge_timeouts, checks.Tags.caches)
        checks.register(acupuncture_checks.check_production_stack, checks.Tags.caches)
