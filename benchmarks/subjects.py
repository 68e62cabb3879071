"""The benchmark's data: synthetic articles, their stock Wagtail peers, listings, a 10,000 archive.

Everything here creates rows in the current database; nothing is measured. The synthetic article
has ``faq`` FAQ items, ``treatments`` related treatments (each with its own page and image),
``images`` image blocks and ``links`` rich text links to distinct pages, plus what every clinic
article has (hero image, author, reviewer, a booking call to action, headings).
:func:`build_stock_page` builds the page a developer would otherwise write with stock Wagtail:
the same text, images and links in a StreamField of built-in blocks.

``tests/test_queries_html.py`` renders :func:`build_synthetic_article` too, so the constant-query
tests check exactly what the benchmark measures.
"""

import datetime
import io
import uuid
from dataclasses import dataclass, field

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage

WORDS = (
    "acupuncture relieves back pain by encouraging the body's natural healing, improving "
    "circulation and relaxing tight muscles; many patients notice relief after a few sessions "
    "and combine treatment with gentle movement, sleep and stress care"
).split()


def text(words, offset=0):
    """``words`` words of plausible article text (deterministic)."""
    return " ".join(WORDS[(offset + i) % len(WORDS)] for i in range(words)).capitalize() + "."


def png_file(name, width=400, height=300, shade=0):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (30 + shade % 200, 107, 95)).save(buffer, format="PNG")
    return ImageFile(buffer, name=name)


@dataclass
class Pool:
    """Objects the articles of one database share: images, link target pages, treatments."""

    home: object
    images: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    treatments: list = field(default_factory=list)
    author: object = None
    reviewer: object = None

    def ensure(self, *, images=0, pages=0, treatments=0):
        """Create what is missing so that the pool holds at least the given numbers."""
        from wagtail.images import get_image_model
        from wagtail.models import Page

        from wagtail_acupuncture.models import Practitioner, Treatment

        Image = get_image_model()
        while len(self.images) < max(images, treatments, 1):
            n = len(self.images)
            self.images.append(
                Image.objects.create(
                    title=f"Bench image {n}", file=png_file(f"bench-{n}.png", shade=n)
                )
            )
        while len(self.pages) < pages:
            n = len(self.pages)
            self.pages.append(
                add_live(self.home, Page(title=f"Link target {n}", slug=f"target-{n}"))
            )
        while len(self.treatments) < treatments:
            n = len(self.treatments)
            page = add_live(
                self.home, Page(title=f"Treatment page {n}", slug=f"treatment-page-{n}")
            )
            self.treatments.append(
                Treatment.objects.create(
                    name=f"Treatment {n}",
                    slug=f"bench-treatment-{n}",
                    summary=text(20, n),
                    page=page,
                    image=self.images[n],
                    live=True,
                )
            )
        if self.author is None:
            self.author = Practitioner.objects.create(
                name="Mei Bench",
                credentials="L.Ac., MSOM",
                job_title="Licensed Acupuncturist",
                photo=self.images[0],
                bio="<p>Ten years of practice.</p>",
                booking_url="https://booking.example.com/mei",
            )
            self.reviewer = Practitioner.objects.create(
                name="Sam Bench", credentials="L.Ac., DACM", job_title="Clinical Director"
            )
        return self


def add_live(parent, page):
    """``page`` added below ``parent`` as a live page (no revision: the reading paths need none)."""
    now = timezone.now()
    page.live = True
    page.first_published_at = page.first_published_at or now
    page.last_published_at = page.last_published_at or now
    parent.add_child(instance=page)
    return page


def add_index(parent, slug, title=None):
    from wagtail_acupuncture.models import ArticleIndexPage

    return add_live(parent, ArticleIndexPage(title=title or slug.title(), slug=slug))


# ------------------------------------------------------------------------------ bodies


def _link_paragraph(i, page):
    return (
        f"<p>{text(30, i)} Read about "
        f'<a linktype="page" id="{page.pk}">{page.title.lower()}</a>. {text(20, i + 3)}</p>'
    )


def _faq_items(faq):
    return [
        (f"Question {i}: how does acupuncture help?", f"<p>{text(40, i)}</p>") for i in range(faq)
    ]


def with_ids(body, prefix="b"):
    """``body`` with a stable ``id`` on every stream child and list item (as the editor saves
    them): Wagtail gives id-less items new random ids on every load."""
    for n, child in enumerate(body):
        child.setdefault("id", f"{prefix}{n}")
        value = child["value"]
        lists = [value] if isinstance(value, list) else []
        if isinstance(value, dict):
            lists = [item for item in value.values() if isinstance(item, list)]
        for items in lists:
            for m, item in enumerate(items):
                if not (isinstance(item, dict) and "value" in item and "type" in item):
                    item = {"type": "item", "value": item}
                item.setdefault("id", f"{child['id']}-{m}")
                items[m] = item
    return body


def article_body(pool, *, faq, treatments, images, links):
    """Raw stream data of a synthetic article."""
    body = [{"type": "paragraph", "value": f"<p>{text(60)}</p>"}]
    for i in range(max(images, links)):
        if i % 10 == 0:
            heading = {"text": f"Section {i // 10 + 1}", "level": "h2", "anchor": ""}
            body.append({"type": "heading", "value": heading})
        if i < links:
            body.append({"type": "paragraph", "value": _link_paragraph(i, pool.pages[i])})
        if i < images:
            body.append(
                {
                    "type": "image",
                    "value": {"image": pool.images[i].pk, "caption": f"Figure {i}", "alt_text": ""},
                }
            )
    body.append(
        {
            "type": "booking_cta",
            "value": {
                "heading": "Ready to feel better?",
                "text": text(25),
                "button_label": "",
                "link_url": "",
                "link_page": pool.pages[0].pk if pool.pages else None,
                "placement": "conclusion",
            },
        }
    )
    if faq:
        body.append(
            {
                "type": "faq",
                "value": {
                    "heading": "Frequently Asked Questions",
                    "intro": "",
                    "items": [
                        {"question": q, "answer": a} for q, a in _faq_items(faq)
                    ],
                    "structured_data": True,
                },
            }
        )
    if treatments:
        body.append(
            {
                "type": "related_treatments",
                "value": {
                    "heading": "Treatments",
                    "treatments": [t.pk for t in pool.treatments[:treatments]],
                },
            }
        )
    return body


def build_synthetic_article(index, pool, *, faq=2, treatments=1, images=2, links=2, slug=None):
    """A live article with ``faq`` FAQ items, ``treatments`` treatments, ``images`` image blocks
    and ``links`` rich text page links."""
    from wagtail_acupuncture.models import ArticlePage, ArticlePageTreatment

    pool.ensure(images=max(images, 1), pages=max(links, 1), treatments=treatments)
    page = ArticlePage(
        title=f"Synthetic article N={faq} M={treatments} K={images} L={links}",
        slug=slug or f"synthetic-{faq}-{treatments}-{images}-{links}",
        intro=text(45),
        hero_image=pool.images[0],
        author=pool.author,
        reviewed_by=pool.reviewer,
        last_reviewed=datetime.date(2025, 1, 15),
        body=with_ids(
            article_body(pool, faq=faq, treatments=treatments, images=images, links=links)
        ),
    )
    for order, treatment in enumerate(pool.treatments[:treatments]):
        page.related_treatments.add(ArticlePageTreatment(treatment=treatment, sort_order=order))
    return add_live(index, page)


def stock_body(pool, *, faq, treatments, images, links):
    """Raw stream data of the stock peer of :func:`article_body` (built-in blocks only)."""
    body = [{"type": "paragraph", "value": f"<p>{text(60)}</p>"}]
    for i in range(max(images, links)):
        if i % 10 == 0:
            body.append({"type": "heading", "value": f"Section {i // 10 + 1}"})
        if i < links:
            body.append({"type": "paragraph", "value": _link_paragraph(i, pool.pages[i])})
        if i < images:
            body.append({"type": "image", "value": pool.images[i].pk})
    body.append(
        {
            "type": "cta",
            "value": {
                "heading": "Ready to feel better?",
                "text": text(25),
                "page": pool.pages[0].pk if pool.pages else None,
            },
        }
    )
    if faq:
        body.append(
            {
                "type": "faq",
                "value": [{"question": q, "answer": a} for q, a in _faq_items(faq)],
            }
        )
    if treatments:
        body.append(
            {"type": "related", "value": [t.page_id for t in pool.treatments[:treatments]]}
        )
    return body


def build_stock_page(parent, pool, *, faq=2, treatments=1, images=2, links=2, slug=None):
    """The stock Wagtail peer of :func:`build_synthetic_article` (``bench_stock.StockPage``)."""
    from benchmarks.stock.models import StockPage

    pool.ensure(images=max(images, 1), pages=max(links, 1), treatments=treatments)
    page = StockPage(
        title=f"Stock page N={faq} M={treatments} K={images} L={links}",
        slug=slug or f"stock-{faq}-{treatments}-{images}-{links}",
        body=with_ids(
            stock_body(pool, faq=faq, treatments=treatments, images=images, links=links)
        ),
    )
    return add_live(parent, page)


# ------------------------------------------------------------------------------ listings


LISTING_SIZE = {"faq": 3, "treatments": 1, "images": 1, "links": 1}


def build_listing(index, pool, count, *, stock_parent=None):
    """``count`` listing-sized articles below ``index`` (and as many stock pages, if asked)."""
    start = index.get_children().count()
    for i in range(start, start + count):
        build_synthetic_article(index, pool, slug=f"{index.slug}-{i}", **LISTING_SIZE)
        if stock_parent is not None:
            build_stock_page(stock_parent, pool, slug=f"{stock_parent.slug}-{i}", **LISTING_SIZE)


def archive_treatments(count=2):
    """Treatments of the archive only: the synthetic articles' related articles stay unaffected."""
    from wagtail_acupuncture.models import Treatment

    return [
        Treatment.objects.create(
            name=f"Archive topic {n}", slug=f"archive-topic-{n}", summary=text(12, n), live=True
        )
        for n in range(count)
    ]


def bulk_articles(index, count, treatments, *, batch=500):
    """``count`` minimal live articles below ``index``, created in bulk.

    Treebeard's ``add_child`` costs several queries per page (and Wagtail indexes each page for
    search), so the rows are built here: materialised paths continuing after the index's last
    child (``Page._get_path``), ``depth``, ``url_path``, a translation key each, the parent's
    ``numchild`` updated once. Base ``Page`` rows go through ``bulk_create``; the article rows
    (multi-table inheritance, which ``bulk_create`` refuses) through the same insert query
    Django's ``bulk_create`` builds. Article ``n`` gets ``treatments[n % len(treatments)]``, so
    that ``?treatment=`` filters have something to find.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from wagtail.models import Page

    from wagtail_acupuncture.models import ArticlePage, ArticlePageTreatment

    content_type = ContentType.objects.get_for_model(ArticlePage)
    index = Page.objects.get(pk=index.pk)
    last = index.get_last_child()
    start = int(last.path[-Page.steplen :], 36) if last else 0
    depth = index.depth + 1
    now = timezone.now()
    today = timezone.localdate()
    article_fields = list(ArticlePage._meta.local_concrete_fields)
    with transaction.atomic():
        for offset in range(0, count, batch):
            numbers = range(offset, min(offset + batch, count))
            bases = [
                Page(
                    title=f"Archive article {n}",
                    draft_title=f"Archive article {n}",
                    slug=f"archive-{n}",
                    content_type=content_type,
                    path=Page._get_path(index.path, depth, start + n + 1),
                    depth=depth,
                    numchild=0,
                    url_path=f"{index.url_path}archive-{n}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now - datetime.timedelta(minutes=n),
                    last_published_at=now - datetime.timedelta(minutes=n),
                    locale_id=index.locale_id,
                    translation_key=uuid.uuid4(),
                )
                for n in numbers
            ]
            Page.objects.bulk_create(bases)
            articles = []
            for base, n in zip(bases, numbers, strict=True):
                article = ArticlePage(page_ptr_id=base.pk, intro=text(30, n), body=[])
                article.published_date = today - datetime.timedelta(days=n % 3650)
                articles.append(article)
            ArticlePage._base_manager._insert(articles, fields=article_fields)
            ArticlePageTreatment.objects.bulk_create(
                ArticlePageTreatment(
                    page_id=base.pk, treatment=treatments[n % len(treatments)], sort_order=0
                )
                for base, n in zip(bases, numbers, strict=True)
            )
        Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)
