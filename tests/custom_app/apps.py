from django.apps import AppConfig


class CustomAppConfig(AppConfig):
    """The test project's own article type (``custom_app``)."""

    name = "tests.custom_app"
    label = "custom_app"
    verbose_name = "Custom articles (tests)"
    default_auto_field = "django.db.models.BigAutoField"
