"""Plain-JSON representations of images, pages, snippets and rich text, resolved in bulk.

A :class:`BulkResolver` lives in the serializer context of one API response. The endpoints hand
it every object of the response first (:meth:`BulkResolver.prepare`): it converts the article
bodies of a listing in one ``bulk_to_python`` pass, walks them to collect what they refer to
(images, pages, documents, treatments, rich text), and fetches all of it with one query per
model - images together with their renditions, pages and documents together with their
visibility. Block and field representations then only read from it.

Called outside a prepared response (for example a block's ``get_api_representation`` in a
site's own code), every accessor still works: it resolves what it is asked for on the spot, with
more queries.
"""

from collections import defaultdict

from django.db.models import F, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.html import format_html
from wagtail import blocks

from ..conf import acupuncture_settings
from ..links import safe_link_or_none
from ..outline import build_outline
from ..structured_data import (
    breadcrumb_ancestor_paths,
    clinic_logo_rendition,
    hero_renditions,
    person_image_rendition,
    prefetch_breadcrumbs,
    rendition_filter,
)
from . import richtext
from .visibility import (
    document_is_restricted,
    page_is_restricted,
    public_pages,
    public_q,
    site_root_url_paths,
)

#: Key of the resolver in a serializer (or block) context.
CONTEXT_KEY = "wagtail_acupuncture_resolver"

#: Fields of an article that need its body converted to native values.
BODY_FIELDS = {"body", "table_of_contents", "word_count", "reading_time_minutes", "structured_data"}

#: Settings naming hero image renditions that ``structured_data`` asks for (issue 5).
STRUCTURED_DATA_SPEC_SETTINGS = ("STRUCTURED_DATA_IMAGE_RENDITIONS", "SOCIAL_IMAGE_RENDITION")


def get_resolver(context=None):
    """The :class:`BulkResolver` of ``context``, created (and stored in it) when missing."""
    if context is None:
        return BulkResolver()
    resolver = context.get(CONTEXT_KEY)
    if resolver is None:
        resolver = BulkResolver(request=context.get("request"))
        context[CONTEXT_KEY] = resolver
    return resolver


def isoformat(value):
    """ISO 8601 text of a date or datetime (naive datetimes in the current time zone)."""
    if value is None:
        return None
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.isoformat()
    return value.isoformat()


def image_rendition_specs():
    """``{name: filter spec}`` of the renditions delivered with every image."""
    return dict(acupuncture_settings.IMAGE_RENDITIONS)


def structured_data_specs():
    """Hero image specs that the structured data builder requests (see ``structured_data``)."""
    specs = []
    for name in STRUCTURED_DATA_SPEC_SETTINGS:
        value = getattr(acupuncture_settings, name, None)
        if isinstance(value, str):
            specs.append(value)
        elif value:
            specs.extend(value)
    return specs


def with_item_ids(list_value, items):
    """``items`` (the representations of ``list_value``'s items) each given the item's ``id``.

    Struct items get an ``id`` key; other items become ``{"id", "value"}``.
    """
    result = []
    for bound, item in zip(list_value.bound_blocks, items, strict=True):
        if isinstance(item, dict):
            result.append({"id": bound.id, **item})
        else:
            result.append({"id": bound.id, "value": item})
    return result


class CheckedPage:
    """A page the resolver has found live and public, for ``links.live_page_url``.

    ``booking.resolve_booking_cta`` checks a chosen page with ``live`` and
    ``get_view_restrictions()``; the resolver already checked it in bulk, so this stand-in
    answers without a query and delegates ``get_url`` to the real page.
    """

    live = True

    def __init__(self, page):
        self.page = page
        self.pk = page.pk

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        return PageViewRestriction.objects.none()

    def get_url(self, request=None, current_site=None):
        return self.page.get_url(request=request, current_site=current_site)


class BulkResolver:
    """Collects what one API response refers to and resolves it with one query per model."""

    def __init__(self, request=None):
        self.request = request
        self._site = None
        self._site_known = False
        self._pending_pages = set()
        self._pending_paths = set()
        self._pending_documents = set()
        self._pending_images = set()
        self._pending_sources = set()
        self._image_specs = defaultdict(set)
        self._image_done = defaultdict(set)
        self._image_instances = defaultdict(list)
        self._pages = {}
        self._pages_by_path = {}
        self._documents = {}
        self._images = {}
        self._renditions = {}
        self._html = {}
        self._streams = {}
        self._outlines = {}
        self._related = {}
        self._treatment_rows = {}
        self._base_url = None
        #: Representations already built in this response, by kind and key.
        self._built = defaultdict(dict)

    # ----------------------------------------------------------------------------- site

    @property
    def site(self):
        """The request's ``Site`` (default site without a request), or ``None``."""
        if not self._site_known:
            from wagtail.models import Site

            if self.request is not None:
                self._site = Site.find_for_request(self.request)
            else:
                self._site = Site.objects.filter(is_default_site=True).first()
            self._site_known = True
        return self._site

    def public_pages(self, queryset=None):
        """Live, unrestricted pages of the request's site (see :mod:`.visibility`)."""
        return public_pages(self.site, queryset)

    # ----------------------------------------------------------------------------- collecting

    def add_image(self, image, *specs):
        """Register an image (instance or id) to be delivered, with extra rendition ``specs``."""
        if image is None:
            return
        pk = getattr(image, "pk", image)
        if pk is None:
            return
        if not isinstance(image, int):
            self._image_instances[pk].append(image)
        self._image_specs[pk] |= set(image_rendition_specs().values()) | set(specs)
        if self._image_specs[pk] - self._image_done[pk]:
            self._pending_images.add(pk)

    def add_page(self, page):
        """Register a page (instance or id) whose URL or reference may be delivered."""
        pk = getattr(page, "pk", page)
        if pk is not None and pk not in self._pages:
            self._pending_pages.add(pk)

    def add_parent_of(self, page):
        """Register the parent of ``page`` for the ``parent`` meta field."""
        from wagtail.models import Page

        if page.depth and page.depth > 1:
            path = page.path[: -Page.steplen]
            if path not in self._pages_by_path:
                self._pending_paths.add(path)

    def add_document(self, document):
        """Register a document (instance or id) linked from the response."""
        pk = getattr(document, "pk", document)
        if pk is not None and pk not in self._documents:
            self._pending_documents.add(pk)

    def add_rich_text(self, source):
        """Register a stored rich text value; its links and images are registered too."""
        if not source or source in self._html:
            return
        self._pending_sources.add(source)
        pages, documents, images = richtext.extract_references(source)
        for pk in pages:
            self.add_page(pk)
        for pk in documents:
            self.add_document(pk)
        for pk, format_name in images:
            self.add_image(pk, self.rich_text_image_spec(format_name))

    def add_treatment(self, treatment):
        """Register a ``Treatment``: its page and image."""
        if treatment is None:
            return
        if treatment.page_id:
            self.add_page(treatment.page_id)
        if treatment.image_id:
            self.add_image(self._cached_fk(treatment, "image") or treatment.image_id)

    def add_practitioner(self, practitioner):
        """Register a ``Practitioner``: photo and biography."""
        if practitioner is None:
            return
        if practitioner.photo_id:
            self.add_image(self._cached_fk(practitioner, "photo") or practitioner.photo_id)
        self.add_rich_text(practitioner.bio)

    def add_value(self, block, value):
        """Register everything a block value refers to, walking the block definition tree."""
        from wagtail.documents.blocks import DocumentChooserBlock
        from wagtail.images.blocks import ImageChooserBlock
        from wagtail.images.models import AbstractImage
        from wagtail.snippets.blocks import SnippetChooserBlock

        from ..models import Treatment

        if value is None:
            return
        if isinstance(value, AbstractImage):
            self.add_image(value)
        elif isinstance(block, blocks.BaseStreamBlock):
            for child in value:
                self.add_value(child.block, child.value)
        elif isinstance(block, blocks.ListBlock):
            for item in value:
                self.add_value(block.child_block, item)
        elif isinstance(block, blocks.BaseStructBlock):
            for name, child_block in block.child_blocks.items():
                self.add_value(child_block, value.get(name))
        elif isinstance(block, blocks.RichTextBlock):
            self.add_rich_text(getattr(value, "source", value))
        elif isinstance(block, ImageChooserBlock):
            self.add_image(value)
        elif isinstance(block, blocks.PageChooserBlock):
            self.add_page(value)
        elif isinstance(block, DocumentChooserBlock):
            self.add_document(value)
        elif isinstance(block, SnippetChooserBlock) and isinstance(value, Treatment):
            self.add_treatment(value)

    @staticmethod
    def _cached_fk(instance, name):
        field = instance._meta.get_field(name)
        return field.get_cached_value(instance, default=None)

    # ----------------------------------------------------------------------------- preparing

    def prepare(self, objects, fields=None):
        """Register a response's objects and resolve everything they refer to.

        ``fields`` is the set of field names the response shows (``None``: all). Handles
        pages (articles and others), ``Treatment`` and ``Practitioner``.
        """
        from wagtail.models import Page

        from ..models import AbstractArticlePage, Practitioner, Treatment

        objects = list(objects)

        def wanted(name):
            return fields is None or name in fields

        pages = [obj for obj in objects if isinstance(obj, Page)]
        articles = [page for page in pages if isinstance(page, AbstractArticlePage)]
        if articles:
            self._prepare_articles(articles, wanted)
        for page in pages:
            self._prepare_page_fields(page, wanted)
        for obj in objects:
            if isinstance(obj, Treatment):
                self.add_treatment(obj)
            elif isinstance(obj, Practitioner):
                self.add_practitioner(obj)
        self.resolve()
        if articles and wanted("structured_data"):
            self._prepare_structured_data(articles)

    def _prepare_articles(self, articles, wanted):
        # No query when the endpoint fetched these with select_related.
        relations = [name for name in ("hero_image", "author", "reviewed_by") if wanted(name)]
        relations += [f"{name}__photo" for name in ("author", "reviewed_by") if wanted(name)]
        if wanted("structured_data"):
            relations += ["hero_image", "author", "reviewed_by", "locale"]
        prefetch_related_objects(articles, *dict.fromkeys(relations))
        if any(map(wanted, ("related_treatments", "related_articles", "structured_data"))):
            self.fetch_related_treatments(articles)
        if any(wanted(name) for name in BODY_FIELDS):
            self.convert_streams(articles, "body")
        extra_hero_specs = structured_data_specs() if wanted("structured_data") else []
        if wanted("related_articles"):
            self._compute_related(articles)
        if wanted("structured_data"):
            # ``get_clinic_settings`` caches on the request; fetch it once here, and its logo
            # with the other images.
            from ..booking import get_clinic_settings

            clinic = get_clinic_settings(request=self.request, page=articles[0])
            if clinic is not None and clinic.logo_id:
                self.add_image(clinic.logo_id, acupuncture_settings.STRUCTURED_DATA_LOGO_RENDITION)
            person_spec = acupuncture_settings.STRUCTURED_DATA_PERSON_IMAGE_RENDITION
            for person in self._article_people(articles):
                self.add_image(person.photo_id, person_spec)
        for page in articles:
            if wanted("body"):
                self._streams[id(page.body)] = page
                self.add_value(page.body.stream_block, page.body)
            if wanted("hero_image") or wanted("structured_data"):
                self.add_image(
                    self._cached_fk(page, "hero_image") or page.hero_image_id, *extra_hero_specs
                )
            for name in ("author", "reviewed_by"):
                if wanted(name) and getattr(page, f"{name}_id"):
                    self.add_practitioner(getattr(page, name))
            if wanted("related_treatments"):
                for treatment in self.live_treatments(page):
                    self.add_treatment(treatment)
            for card in self._related.get(page.pk, ()):
                self.add_image(card.hero_image_id)
            if wanted("structured_data"):
                for treatment in self.live_treatments(page):
                    self.add_page(treatment.page_id)
                self._pending_paths.update(
                    path
                    for path in breadcrumb_ancestor_paths(page)
                    if path not in self._pages_by_path
                )

    def _prepare_structured_data(self, articles):
        """Fill the page-level caches ``build_article_graph`` reads from what was resolved.

        The treatments' pages and the breadcrumb ancestors come from the resolver's one page
        query, already checked for view restrictions, so the graphs need no query of their own.
        """
        from ..models import Treatment

        treatments = [t for page in articles for t in self.live_treatments(page) if t.page_id]
        Treatment.prefetch_link_pages(
            treatments, pages={t.page_id: self._pages.get(t.page_id) for t in treatments}
        )
        prefetch_breadcrumbs(articles, pages_by_path=self._pages_by_path)
        self._prepare_clinic_logo(articles[0])
        self._prepare_people_images(articles)
        for page in articles:
            image = self._cached_fk(page, "hero_image")
            if image is not None and image.pk in self._renditions:
                hero_renditions(page, found=self._renditions[image.pk])

    def _prepare_clinic_logo(self, page):
        """Hand the logo fetched with the other images to ``clinic_logo_rendition``."""
        from ..booking import get_clinic_settings

        clinic = get_clinic_settings(request=self.request, page=page)
        if clinic is not None and self._hand_over_image(clinic, "logo"):
            clinic_logo_rendition(clinic, found=self._renditions[clinic.logo_id])

    def _prepare_people_images(self, articles):
        """Hand the photos fetched with the other images to ``person_image_rendition``."""
        for person in self._article_people(articles):
            if self._hand_over_image(person, "photo"):
                person_image_rendition(person, found=self._renditions[person.photo_id])

    @staticmethod
    def _article_people(articles):
        """The authors and reviewers of ``articles`` that have a photo."""
        return [
            person
            for page in articles
            for person in (page.author, page.reviewed_by)
            if person is not None and person.photo_id
        ]

    def _hand_over_image(self, obj, field_name):
        """Put the fetched image of ``obj``'s ``field_name`` in its field cache; False if none."""
        image = self._images.get(getattr(obj, f"{field_name}_id"))
        if image is None:
            return False
        obj._meta.get_field(field_name).set_cached_value(obj, image)
        return True

    def _prepare_page_fields(self, page, wanted):
        from wagtail.fields import RichTextField

        if wanted("parent"):
            self.add_parent_of(page)
        if wanted("alias_of") and page.alias_of_id:
            self.add_page(page.alias_of_id)
        for field in page._meta.concrete_fields:
            if isinstance(field, RichTextField) and wanted(field.name):
                self.add_rich_text(getattr(page, field.name))

    def fetch_related_treatments(self, articles):
        """Fetch the articles' related treatment rows, with treatments, in one query a model.

        Fills each page's ``get_live_treatments`` cache too
        (:func:`~wagtail_acupuncture.models.pages.prefetch_live_treatments`), so templates and
        structured data read the same rows.
        """
        from ..models.pages import prefetch_live_treatments

        pending = [page for page in articles if page.pk not in self._treatment_rows]
        rows_by_page = prefetch_live_treatments(pending) if pending else {}
        for page in pending:
            self._treatment_rows[page.pk] = rows_by_page[id(page)]

    def live_treatments(self, page):
        """``page``'s published related treatments in editor order (as ``get_live_treatments``)."""
        if page.pk not in self._treatment_rows:
            self.fetch_related_treatments([page])
        from ..models.pages import live_treatments_of

        return live_treatments_of(self._treatment_rows[page.pk])

    @staticmethod
    def convert_streams(pages, field_name):
        """Convert the lazy StreamField values of ``pages`` in one ``bulk_to_python`` pass.

        Chooser values of all pages are then fetched with one query per model, instead of one
        per page and block type.
        """
        groups = defaultdict(list)
        for page in pages:
            value = getattr(page, field_name)
            if getattr(value, "is_lazy", False):
                groups[id(value.stream_block)].append((page, value))
        for entries in groups.values():
            stream_block = entries[0][1].stream_block
            converted = stream_block.bulk_to_python([list(value.raw_data) for _, value in entries])
            for (page, _value), new_value in zip(entries, converted, strict=True):
                setattr(page, field_name, new_value)
                for cached in ("outline", "word_count"):
                    page.__dict__.pop(cached, None)

    def _compute_related(self, articles):
        """Related articles of every article in one query.

        Same result as ``AbstractArticlePage.get_related_articles`` - other live, public
        articles sharing a published treatment, newest first, ``RELATED_ARTICLES_LIMIT`` of them -
        but restricted to the request's site and computed for a whole listing at once: per
        treatment only the newest ``limit + 1`` articles can be among any page's related ones,
        so the query keeps those (a window function) and Python picks each page's. The rows
        are those of the wanted treatments (their index), whatever the size of the site.
        """
        from ..models import ArticlePageTreatment

        limit = acupuncture_settings.RELATED_ARTICLES_LIMIT
        wanted = {page.pk: {t.pk for t in self.live_treatments(page)} for page in articles}
        treatment_ids = set().union(*wanted.values())
        if not treatment_ids:
            self._related.update({page.pk: [] for page in articles})
            return
        ordering = [
            F("page__published_date").desc(),
            F("page__first_published_at").desc(),
            F("page_id").desc(),
        ]
        rows = list(
            ArticlePageTreatment.objects.filter(
                public_q(self.site, "page__"), treatment_id__in=treatment_ids, treatment__live=True
            )
            .annotate(
                acupuncture_rank=Window(
                    RowNumber(), partition_by=[F("treatment_id")], order_by=ordering
                )
            )
            .filter(acupuncture_rank__lte=limit + 1)
            .select_related("page")
            .defer("page__body")
            .order_by(*ordering, "treatment_id")
        )
        for page in articles:
            mine, seen, related = wanted[page.pk], {page.pk}, []
            for row in rows:
                if row.treatment_id in mine and row.page_id not in seen:
                    seen.add(row.page_id)
                    related.append(row.page)
                    if len(related) == limit:
                        break
            self._related[page.pk] = related

    # ----------------------------------------------------------------------------- resolving

    def resolve(self):
        """Fetch everything registered and not yet fetched; expand pending rich text."""
        if self._pending_pages or self._pending_paths:
            self._fetch_pages()
        if self._pending_documents:
            self._fetch_documents()
        if self._pending_images:
            self._fetch_images()
        if self._pending_sources:
            sources, self._pending_sources = self._pending_sources, set()
            for source in sources:
                self._html[source] = richtext.expand(source, self)

    def _fetch_pages(self):
        from django.db.models import Q
        from wagtail.models import Page

        ids, paths = self._pending_pages, self._pending_paths
        self._pending_pages, self._pending_paths = set(), set()
        roots = site_root_url_paths(self.site) if self.site is not None else ()
        queryset = (
            Page.objects.filter(Q(pk__in=ids) | Q(path__in=paths))
            .annotate(acupuncture_restricted=page_is_restricted())
            .defer_streamfields()
        )
        for page in queryset:
            page.acupuncture_in_site = bool(roots) and page.url_path.startswith(roots)
            self._pages[page.pk] = page
            self._pages_by_path[page.path] = page
        for pk in ids:
            self._pages.setdefault(pk, None)
        for path in paths:
            self._pages_by_path.setdefault(path, None)

    def _fetch_documents(self):
        from wagtail.documents import get_document_model

        ids, self._pending_documents = self._pending_documents, set()
        documents = get_document_model().objects.filter(pk__in=ids)
        for document in documents.annotate(acupuncture_restricted=document_is_restricted()):
            self._documents[document.pk] = (
                None if document.acupuncture_restricted else self._document_url(document)
            )
        for pk in ids:
            self._documents.setdefault(pk, None)

    def _document_url(self, document):
        try:
            url = document.url
        except NoReverseMatch:
            try:
                url = document.file.url
            except (ValueError, NotImplementedError):
                return None
        return self.full_url(url)

    def _fetch_images(self):
        from wagtail.images import get_image_model

        Image = get_image_model()
        Rendition = Image.get_rendition_model()
        ids, self._pending_images = self._pending_images, set()
        specs = set().union(*(self._image_specs[pk] for pk in ids))
        renditions = defaultdict(list)
        fetched = {}
        for rendition in Rendition.objects.filter(
            image_id__in=ids, filter_spec__in=specs
        ).select_related("image"):
            renditions[rendition.image_id].append(rendition)
            fetched.setdefault(rendition.image_id, rendition.image)
        missing = {pk for pk in ids if not self._image_instances.get(pk) and pk not in fetched}
        if missing:
            fetched.update({image.pk: image for image in Image.objects.filter(pk__in=missing)})
        for pk in ids:
            self._image_done[pk] |= self._image_specs[pk]
            instances = self._image_instances.get(pk) or []
            image = instances[0] if instances else fetched.get(pk)
            if image is None:
                self._images[pk] = None
                self._renditions[pk] = {}
                continue
            for instance in {id(i): i for i in [image, *instances]}.values():
                instance.prefetched_renditions = list(renditions[pk])
            try:
                found = image.get_renditions(*map(rendition_filter, sorted(self._image_specs[pk])))
            except OSError:  # a missing or unreadable source file (SourceImageIOError)
                found = {}
            self._images[pk] = image
            self._renditions[pk] = found

    # ----------------------------------------------------------------------------- output

    def full_url(self, url):
        """``url`` made absolute with ``WAGTAILAPI_BASE_URL`` or the request's site root."""
        if not url or url.startswith(("http://", "https://")):
            return url
        if self._base_url is None:
            from wagtail.api.v2.utils import get_full_url

            self._base_url = get_full_url(self.request, "")  # the base alone, found once
        return self._base_url + url

    def html(self, source):
        """Front-end HTML of a stored rich text value (``RichText`` or its source string)."""
        source = getattr(source, "source", source) or ""
        if not source:
            return ""
        if source not in self._html:
            self.add_rich_text(source)
            self.resolve()
        return self._html[source]

    def _page(self, pk):
        if pk is None:
            return None
        if pk not in self._pages:
            self.add_page(pk)
            self.resolve()
        return self._pages.get(pk)

    def page_url(self, pk):
        """URL of page ``pk`` when it is live and public, else ``None``."""
        page = self.public_page(pk)
        return page.get_url(request=self.request) if page is not None else None

    def public_page(self, pk):
        """Page ``pk`` (base ``Page`` instance) when it is live and public, else ``None``."""
        page = self._page(getattr(pk, "pk", pk))
        if page is None or not page.live or page.acupuncture_restricted:
            return None
        return page

    def page(self, page):
        """``{id, title, url, type}`` of a live, public page (instance or id), else ``None``."""
        page = self.public_page(page)
        if page is None:
            return None
        return {
            "id": page.pk,
            "title": page.title,
            "url": page.get_url(request=self.request),
            "type": page_type(page),
        }

    def parent(self, page):
        """The parent of ``page`` when it is live, public and in the request's site."""
        from wagtail.models import Page

        if not page.depth or page.depth <= 1:
            return None
        path = page.path[: -Page.steplen]
        if path not in self._pages_by_path:
            self._pending_paths.add(path)
            self.resolve()
        parent = self._pages_by_path.get(path)
        if parent is None or not parent.live or parent.acupuncture_restricted:
            return None
        return parent if parent.acupuncture_in_site else None

    def checked_page(self, page):
        """A :class:`CheckedPage` for a live, public page (instance or id), else ``None``."""
        page = self.public_page(page)
        return CheckedPage(page) if page is not None else None

    def document_url(self, pk):
        """URL of document ``pk`` unless it is missing or in a restricted collection."""
        if pk is None:
            return None
        if pk not in self._documents:
            self.add_document(pk)
            self.resolve()
        return self._documents.get(pk)

    def rich_text_image_spec(self, format_name):
        """Rendition spec of a rich text image in format ``format_name``."""
        configured = acupuncture_settings.API_RICH_TEXT_IMAGE_RENDITION
        if configured:
            return configured
        image_format = richtext.get_image_format(format_name)
        return getattr(image_format, "filter_spec", None) or richtext.FALLBACK_IMAGE_SPEC

    def rich_text_image_html(self, pk, format_name, alt):
        """``<img>`` of a rich text image embed, or ``""`` when the image or file is missing."""
        spec = self.rich_text_image_spec(format_name)
        image, renditions = self._image_with(pk, spec)
        rendition = renditions.get(spec)
        if image is None or rendition is None:
            return ""
        image_format = richtext.get_image_format(format_name)
        classname = getattr(image_format, "classname", "") or "richtext-image"
        return format_html(
            '<img alt="{}" class="{}" height="{}" src="{}" width="{}">',
            alt if alt is not None else image.default_alt_text,
            classname,
            rendition.height,
            self.full_url(rendition.url),
            rendition.width,
        )

    def _image_with(self, pk, *specs):
        if pk is None:
            return None, {}
        if pk not in self._images or set(specs) - self._image_done[pk]:
            self.add_image(pk, *specs)
            self.resolve()
        return self._images.get(pk), self._renditions.get(pk, {})

    def image(self, image, alt=None):
        """``{id, title, alt, width, height, focal_point, renditions}`` of an image, or ``None``.

        ``renditions`` maps each name of ``IMAGE_RENDITIONS`` to ``{url, width, height}``; a
        rendition that cannot be made (missing source file) is left out. ``alt`` overrides the
        image's own alt text (its description, else its title).
        """
        pk = getattr(image, "pk", image)
        return self._memo("image", (pk, alt), self._build_image, pk, alt)

    def _build_image(self, pk, alt):
        image, renditions = self._image_with(pk, *image_rendition_specs().values())
        if image is None:
            return None
        focal_point = None
        if image.focal_point_x is not None and image.focal_point_y is not None:
            focal_point = {
                "x": image.focal_point_x,
                "y": image.focal_point_y,
                "width": image.focal_point_width,
                "height": image.focal_point_height,
            }
        return {
            "id": image.pk,
            "title": image.title,
            "alt": alt or image.default_alt_text or "",
            "width": image.width,
            "height": image.height,
            "focal_point": focal_point,
            "renditions": {
                name: {
                    "url": self.full_url(renditions[spec].url),
                    "width": renditions[spec].width,
                    "height": renditions[spec].height,
                }
                for name, spec in image_rendition_specs().items()
                if spec in renditions
            },
        }

    def treatment(self, treatment):
        """``{id, name, slug, summary, url, image}`` of a published treatment, else ``None``.

        ``url`` is the treatment's page while live and public, else its external URL (as
        ``Treatment.get_link_url``), or ``None``.
        """
        if treatment is None or not treatment.live:
            return None
        return self._memo("treatment", treatment.pk, self._build_treatment, treatment)

    def _memo(self, kind, key, build, *args):
        """A shallow copy of the representation ``build(*args)``, built once per response."""
        built = self._built[kind]
        if key not in built:
            built[key] = build(*args)
        return dict(built[key]) if built[key] is not None else None

    def _build_treatment(self, treatment):
        self.add_treatment(treatment)
        self.resolve()
        return {
            "id": treatment.pk,
            "name": treatment.name,
            "slug": treatment.slug,
            "summary": treatment.summary,
            "url": self.page_url(treatment.page_id) or safe_link_or_none(treatment.url),
            "image": self.image(treatment.image_id),
        }

    def treatments(self, treatments):
        """Representations of the published ones among ``treatments``, in order."""
        result = [self.treatment(treatment) for treatment in treatments]
        return [item for item in result if item is not None]

    def practitioner(self, practitioner):
        """A practitioner's byline data: names, photo, biography HTML and safe links."""
        if practitioner is None:
            return None
        return self._memo("practitioner", practitioner.pk, self._build_practitioner, practitioner)

    def _build_practitioner(self, practitioner):
        return {
            "id": practitioner.pk,
            "name": practitioner.name,
            "credentials": practitioner.credentials,
            "job_title": practitioner.job_title,
            "display_name": practitioner.display_name,
            "photo": self.image(practitioner.photo_id),
            "bio": self.html(practitioner.bio),
            "booking_url": safe_link_or_none(practitioner.booking_url),
            "profile_url": safe_link_or_none(practitioner.profile_url),
        }

    def related_articles(self, page):
        """The article cards of ``page``'s related articles."""
        if page.pk not in self._related:
            self._compute_related([page])
            for card in self._related[page.pk]:
                self.add_image(card.hero_image_id)
        return [self.article_card(card) for card in self._related[page.pk]]

    def article_card(self, page):
        """``{id, title, url, type, intro, published_date, hero_image}`` of a public article."""
        return self._memo("article_card", page.pk, self._build_article_card, page)

    def _build_article_card(self, page):
        return {
            "id": page.pk,
            "title": page.title,
            "url": page.get_url(request=self.request),
            "type": page_type(page),
            "intro": page.intro,
            "published_date": isoformat(page.published_date),
            "hero_image": self.image(page.hero_image_id),
        }

    def stream_page(self, stream_value):
        """The page whose field holds ``stream_value``, when the resolver prepared it."""
        return self._streams.get(id(stream_value))

    def outline(self, stream_value):
        """The :class:`~wagtail_acupuncture.outline.Outline` of an article body."""
        page = self.stream_page(stream_value)
        if page is not None and getattr(page, "body", None) is stream_value:
            return page.outline
        key = id(stream_value)
        if key not in self._outlines:
            self._outlines[key] = (stream_value, build_outline(stream_value))
        return self._outlines[key][1]


def page_type(page):
    """``app_label.ModelName`` of a page's specific type."""
    model = page.specific_class or type(page)
    return f"{model._meta.app_label}.{model.__name__}"
