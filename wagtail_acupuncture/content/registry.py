"""Concrete models found through Django's app registry, without importing them."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist


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


def forward_relations(model, names):
    """Those of ``names`` that are forward relations of ``model`` (for ``select_related``)."""
    found = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if (field.many_to_one or field.one_to_one) and field.concrete:
            found.append(name)
    return found
