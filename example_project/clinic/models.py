from django.db import models
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The example clinic's home page."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    body_text = models.TextField(blank=True)

    content_panels = [*Page.content_panels, "intro", "body_text"]
    subpage_types = ["wagtail_acupuncture.ArticleIndexPage"]
    max_count = 1
    template = "clinic/home_page.html"
