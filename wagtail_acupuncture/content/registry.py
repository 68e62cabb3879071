"""Concrete models found through Django's app registry, without importing them."""

from django.apps import apps


def concrete_subclasses(base):
    """The installed, concrete (not abstract, not proxy) models that subclass ``base``."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, base) and not model._meta.abstract and not model._meta.proxy
    ]


def package_model(name):
    """The package's model ``name`` (``"ClinicSettings"``...), looked up in the app registry."""
    return apps.get_model("wagtail_acupuncture", name)
