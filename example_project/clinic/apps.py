from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Example clinic site"
    default_auto_field = "django.db.models.BigAutoField"
