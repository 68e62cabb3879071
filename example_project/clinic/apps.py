from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Example clinic site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail_acupuncture.content import sanitize

        from .models import HomePage

        # The home page's intro reaches the API as HTML: clean it as the package's own fields.
        sanitize.register((HomePage,))
