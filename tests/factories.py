"""Factories for the package's models."""

import io

import factory
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Page

from wagtail_acupuncture.models import ArticleIndexPage, ArticlePage, Practitioner, Treatment


def png_bytes(width=64, height=48, color=(29, 107, 95)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    title = factory.Sequence(lambda n: f"Image {n}")
    description = ""
    file = factory.LazyAttribute(
        lambda o: ImageFile(io.BytesIO(png_bytes()), name=f"{o.title.replace(' ', '-').lower()}.png")
    )


class PractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practitioner

    name = factory.Sequence(lambda n: f"Practitioner {n}")
    credentials = "L.Ac."
    job_title = "Licensed Acupuncturist"


class TreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Treatment

    name = factory.Sequence(lambda n: f"Treatment {n}")
    slug = factory.Sequence(lambda n: f"treatment-{n}")
    summary = "A short summary."
    live = True


def add_page(parent, page):
    """Add ``page`` below ``parent`` and publish it (unless ``page.live`` is False)."""
    publish = page.live
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    else:
        page.live = False
        page.save()
    return page


def make_index(parent, **kwargs):
    kwargs.setdefault("title", "Blog")
    kwargs.setdefault("slug", "blog")
    return add_page(parent, ArticleIndexPage(**kwargs))


_article_counter = iter(range(1, 10**9))


def make_article(index, *, treatments=(), live=True, **kwargs):
    n = next(_article_counter)
    kwargs.setdefault("title", f"Article {n}")
    kwargs.setdefault("slug", f"article-{n}")
    kwargs.setdefault("intro", f"Intro of article {n}.")
    page = ArticlePage(live=live, **kwargs)
    for treatment in treatments:
        page.related_treatments.add(page.related_treatments.model(treatment=treatment))
    return add_page(index, page)


def root_page():
    return Page.objects.get(depth=1)
