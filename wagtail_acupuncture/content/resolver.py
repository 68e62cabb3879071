"""The bulk fetch behind every output: one query per model for whatever a response refers to.

A :class:`ContentResolver` lives for one response - an HTML page render or an API response. It is
handed the response's objects first (:meth:`ContentResolver.prepare`): each model prepares its
own instances through the hooks below, article bodies are converted in one ``bulk_to_python``
pass and walked once (:class:`~wagtail_acupuncture.content.body.BodyScan`), and everything they
refer to is fetched with one query per model - pages with their visibility, documents with their
collection's restrictions, images with their renditions, snippets of any model - and every rich
text value is expanded by the one expander (:mod:`.richtext`). Templates, blocks, API fields and
structured data then only read from it.

Hooks a model may define (the package's page types and snippets do; a site's own may):

``prepare_for_output(instances, resolver, wanted)`` (classmethod)
    Register what the instances refer to (``resolver.add_*``) before the bulk fetch. ``wanted``
    is a function telling whether a field name is part of the response.
``finish_output(instances, resolver, wanted)`` (classmethod)
    Use what was fetched (``resolver.hand_over``, caches on the instances).
``get_api_representation(resolver)``
    The plain-JSON value of a chosen snippet (default: ``{id, type, title}``).

Called outside a prepared response (for example a block's ``get_api_representation`` in a
site's own code), every accessor still works: it resolves what it is asked for on the spot, with
more queries.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, IntegerField, OuterRef, Q, Value
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.html import format_html
from wagtail.models import DraftStateMixin, Page, PageViewRestriction, Site

from ..conf import acupuncture_settings
from ..links import RESTRICTED_ATTR
from . import richtext
from .body import BodyScan
from .images import image_rendition_specs, rendition_filter
from .prepared import PreparedQuery
from .registry import forward_relations, package_model
from .sites import find_site_for_request, site_setting_for_request
from .visibility import (
    document_is_restricted,
    in_site_q,
    is_visible,
    public_pages,
    public_q,
    site_root_url_paths,
)

#: Key of the resolver in a template, serializer or block context.
CONTEXT_KEY = "wagtail_acupuncture_resolver"

#: Attribute of a page instance holding its body's :class:`BodyScan` once prepared.
BODY_SCAN_ATTR = "body_scan"


def get_resolver(context=None):
    """The :class:`ContentResolver` of ``context``, created (and stored in it) when missing."""
    if context is None:
        return ContentResolver()
    resolver = context.get(CONTEXT_KEY)
    if resolver is None:
        resolver = ContentResolver(request=context.get("request"))
        context[CONTEXT_KEY] = resolver
    return resolver


def isoformat(value):
    """ISO 8601 text of a date or datetime (naive datetimes in the current time zone)."""
    if value is None:
        return None
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.isoformat()


def model_label(model_or_instance):
    """``app_label.ModelName`` of a model (a page's specific type for pages)."""
    model = getattr(model_or_instance, "specific_class", None) or model_or_instance
    model = model if isinstance(model, type) else type(model)
    return f"{model._meta.app_label}.{model.__name__}"


class ContentResolver:
    """Collects what one response refers to and resolves it with one query per model.

    ``absolute_urls`` makes media and document URLs absolute (``WAGTAILAPI_BASE_URL`` or the
    request's site), as the API delivers them; HTML pages keep them as Wagtail prints them.
    ``api_renditions`` delivers every image with the ``IMAGE_RENDITIONS``.
    """

    def __init__(self, request=None, *, absolute_urls=True, api_renditions=True):
        self.request = request
        self.absolute_urls = absolute_urls
        self.api_renditions = api_renditions
        self._site = None
        self._site_known = False
        self._clinic = None
        self._restricted_paths = None
        self._root_paths = None
        self._pending_pages = set()
        self._pending_paths = set()
        self._pending_documents = set()
        self._pending_images = set()
        self._pending_sources = set()
        self._pending_objects = defaultdict(set)
        self._image_specs = defaultdict(set)
        self._image_done = defaultdict(set)
        self._image_instances = defaultdict(list)
        self._page_instances = []
        self._pages = {}
        self._pages_by_path = {}
        self._documents = {}
        self._images = {}
        self._renditions = {}
        self._objects = defaultdict(dict)
        self._unprepared = defaultdict(list)
        self._unfinished = defaultdict(list)
        self._html = {}
        self._scans = []
        self._streams = {}
        self._base_url = None
        #: Representations already built in this response, by kind and key.
        self._built = defaultdict(dict)

    # ----------------------------------------------------------------------------- site

    @property
    def site(self):
        """The request's ``Site`` (default site without a request), or ``None``."""
        if not self._site_known:
            if self.request is not None:
                self._site = find_site_for_request(self.request)
            else:
                self._site = Site.objects.filter(is_default_site=True).first()
            self._site_known = True
        return self._site

    @property
    def clinic(self):
        """The site's ``ClinicSettings`` (``BaseSiteSetting.for_request``, cached per request)."""
        if self._clinic is None:
            settings_model = package_model("ClinicSettings")
            if self.request is not None and self.site is not None:
                self._clinic = site_setting_for_request(settings_model, self.request)
            elif self.site is not None:
                self._clinic = settings_model.for_site(self.site)
            else:
                self._clinic = settings_model()
        return self._clinic

    def public_pages(self, queryset=None):
        """Live, unrestricted pages of the request's site (see :mod:`.visibility`)."""
        return public_pages(self.site, queryset)

    def public_q(self, prefix=""):
        """``Q`` of :meth:`public_pages` for the page at ``prefix`` (e.g. ``"page__"``)."""
        return public_q(self.site, prefix)

    def candidate_q(self, prefix=""):
        """``Q``: live and in the request's site; whether public is checked with the fetched
        pages (:meth:`is_public`), without the subqueries of :meth:`public_q`."""
        if self.site is None:
            return Q(pk__in=[])
        return Q(**{f"{prefix}live": True}) & in_site_q(self.site, prefix)

    def public_specific_page(self, pk, select_related=()):
        """Page ``pk`` as its specific type when it is live, public and in the request's site.

        ``select_related`` names relations loaded with it (those the model has). ``None``
        otherwise. Two plain queries - the page's type with the
        :attr:`restricted_paths`, then the specific row (with ``select_related``) - where a
        filter on :meth:`public_pages` needs correlated subqueries; an alias also needs the
        page it mirrors.
        """
        pk = richtext.int_or_none(pk)
        if pk is None or self.site is None:
            return None
        paths_known = self._restricted_paths is not None
        rows = _page_type_query(pk, with_restricted_paths=not paths_known)
        if not paths_known:
            self._restricted_paths = tuple(path for type_id, path in rows if type_id is None)
        type_id = next((type_id for type_id, _path in rows if type_id is not None), None)
        model = ContentType.objects.get_for_id(type_id).model_class() if type_id else None
        if model is None or not issubclass(model, Page):
            return None
        related = forward_relations(model, select_related)
        page = next(iter(_live_page_query(pk, model=model, select_related=tuple(related))), None)
        if page is None:
            return None
        self._keep_page(page, self._page(page.alias_of_id) if page.alias_of_id else None)
        return page if page.acupuncture_visible and page.acupuncture_in_site else None

    def check_page(self, page):
        """Whether a page already loaded (any page type) is live and public, found in Python
        from the site's restricted paths; the page is then kept as fetched. ``None`` when that
        needs the bulk fetch (restricted paths not known yet, or an alias's target not at
        hand)."""
        if page.pk not in self._pages:
            if self._restricted_paths is None:
                return None
            if page.alias_of_id and self._pages.get(page.alias_of_id) is None:
                return None
            self._keep_page(page, self._pages.get(page.alias_of_id))
        return self.is_public(page.pk)

    def is_public(self, pk):
        """Whether page ``pk`` is live and public (fetched with the response's other pages)."""
        return self.public_page(pk) is not None

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
        wanted = set(specs)
        if self.api_renditions:
            wanted |= set(image_rendition_specs().values())
        self._image_specs[pk] |= wanted
        if pk not in self._images or self._image_specs[pk] - self._image_done[pk]:
            self._pending_images.add(pk)

    def add_page(self, page):
        """Register a page (instance or id) whose URL or visibility may be delivered."""
        pk = getattr(page, "pk", page)
        if isinstance(page, Page):
            self._page_instances.append(page)
        if pk is not None and pk not in self._pages:
            self._pending_pages.add(pk)

    def add_path(self, path):
        """Register a page by tree path (ancestors for breadcrumbs and ``parent``)."""
        if path and path not in self._pages_by_path:
            self._pending_paths.add(path)

    def add_document(self, document):
        """Register a document (instance or id) linked from the response."""
        pk = getattr(document, "pk", document)
        if pk is not None and pk not in self._documents:
            self._pending_documents.add(pk)

    def add_rich_text(self, source):
        """Register a stored rich text value; its links and images are registered too."""
        source = richtext.source_of(source)
        if not source or source in self._html:
            return
        self._pending_sources.add(source)
        pages, documents, images = richtext.extract_references(source)
        for pk in pages:
            self.add_page(pk)
        for pk in documents:
            self.add_document(pk)
        for pk, format_name in images:
            self.add_image(pk, *self.rich_text_image_specs(format_name))

    def add_object(self, obj):
        """Register a chosen object of any model: page, image, document or snippet."""
        from wagtail.documents.models import AbstractDocument
        from wagtail.images.models import AbstractImage

        if obj is None:
            return
        if isinstance(obj, Page):
            self.add_page(obj)
        elif isinstance(obj, AbstractImage):
            self.add_image(obj)
        elif isinstance(obj, AbstractDocument):
            self.add_document(obj)
        else:
            model = type(obj)
            self._objects[model].setdefault(obj.pk, obj)
            self._unprepared[model].append(obj)

    def add_reference(self, model, pk):
        """Register a reference by model and primary key (as ``Block.extract_references`` gives)."""
        from wagtail.documents.models import AbstractDocument
        from wagtail.images.models import AbstractImage

        pk = richtext.int_or_none(pk)
        if pk is None:
            return
        if issubclass(model, Page):
            self.add_page(pk)
        elif issubclass(model, AbstractImage):
            self.add_image(pk)
        elif issubclass(model, AbstractDocument):
            self.add_document(pk)
        elif pk not in self._objects[model]:
            self._pending_objects[model].add(pk)

    def scan(self, body):
        """Walk a StreamField value once (:class:`BodyScan`), registering what it refers to."""
        scan = BodyScan.of(body, self)
        self._scans.append(scan)
        return scan

    def scan_body(self, owner, field_name="body"):
        """Walk ``owner``'s StreamField ``field_name`` once; the scan is kept on ``owner``.

        Blocks represented later find ``owner`` again (:meth:`stream_owner`).
        """
        value = getattr(owner, field_name, None)
        scan = self.scan(value)
        if value is not None:
            self._streams[id(value)] = owner
        if field_name == "body":
            owner.__dict__[BODY_SCAN_ATTR] = scan
        return scan

    def hand_over(self, obj, field_name):
        """Put the fetched object of ``obj``'s foreign key ``field_name`` in its field cache.

        Pages, images and other objects fetched in bulk replace a lazy lookup per object.
        Returns the object, or ``None`` when there is none.
        """
        pk = getattr(obj, f"{field_name}_id", None)
        if pk is None:
            return None
        field = obj._meta.get_field(field_name)
        found = self._fetched(field.related_model).get(pk)
        if found is not None:
            field.set_cached_value(obj, found)
        return found

    def _fetched(self, model):
        """``{pk: object}`` fetched so far for ``model`` (pages, images or any other model)."""
        from wagtail.images.models import AbstractImage

        if issubclass(model, Page):
            return self._pages
        if issubclass(model, AbstractImage):
            return self._images
        return self._objects[model]

    # ----------------------------------------------------------------------------- preparing

    def prepare(self, objects, fields=None):
        """Register a response's objects, resolve everything they refer to, finish them.

        ``fields`` is the set of field names the response shows (``None``: all). Each model's
        ``prepare_for_output`` / ``finish_output`` hooks do the model's part.
        """
        objects = [obj for obj in objects if obj is not None]

        def wanted(name):
            return fields is None or name in fields

        groups = defaultdict(list)
        for obj in objects:
            groups[type(obj)].append(obj)
        for model, instances in groups.items():
            self._prepare_instances(model, instances, wanted)
            if issubclass(model, Page):
                for page in instances:
                    self._prepare_page_fields(page, wanted)
        self.resolve()
        for model, instances in groups.items():
            finish = getattr(model, "finish_output", None)
            if finish is not None:
                finish(instances, self, wanted)
        return objects

    def _prepare_instances(self, model, instances, wanted):
        hook = getattr(model, "prepare_for_output", None)
        if hook is not None:
            hook(instances, self, wanted)

    def _prepare_page_fields(self, page, wanted):
        from wagtail.fields import RichTextField

        if wanted("parent") and page.depth and page.depth > 1:
            self.add_path(page.path[: -Page.steplen])
        if wanted("alias_of") and page.alias_of_id:
            self.add_page(page.alias_of_id)
        for field in page._meta.concrete_fields:
            if isinstance(field, RichTextField) and wanted(field.name):
                self.add_rich_text(getattr(page, field.name))

    @staticmethod
    def convert_streams(pages, field_name="body"):
        """Convert the lazy StreamField values of ``pages`` in one ``bulk_to_python`` pass.

        Chooser values of all pages are then fetched with one query per model, instead of one
        per page and block type.
        """
        groups = defaultdict(list)
        for page in pages:
            value = getattr(page, field_name, None)
            if getattr(value, "is_lazy", False):
                groups[id(value.stream_block)].append((page, value))
        for entries in groups.values():
            stream_block = entries[0][1].stream_block
            converted = stream_block.bulk_to_python([list(value.raw_data) for _, value in entries])
            for (page, _value), new_value in zip(entries, converted, strict=True):
                setattr(page, field_name, new_value)
                page.__dict__.pop(BODY_SCAN_ATTR, None)

    # ----------------------------------------------------------------------------- resolving

    def resolve(self):
        """Fetch everything registered and not yet fetched; expand pending rich text.

        Snippets come first (chosen ones, and those referenced by id, one query per model),
        each model preparing its instances together, so what they refer to joins the bulk fetch.
        """
        self.fetch_objects()
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
        self._mark_page_instances()
        self._expand_scans()
        while self._unfinished:
            model, instances = self._unfinished.popitem()
            finish = getattr(model, "finish_output", None)
            if finish is not None:
                finish(instances, self, _everything)

    def fetch_objects(self):
        """Fetch the objects registered by reference (one query per model) and prepare every
        registered object, so that what they refer to joins the next bulk fetch.

        :meth:`resolve` starts with it; a ``prepare_for_output`` hook may call it early when it
        needs the objects themselves (an article's author) to register what they refer to.
        """
        while self._pending_objects:
            model, pks = self._pending_objects.popitem()
            fetched = model._default_manager.in_bulk(pks)
            for pk in pks:
                self._objects[model].setdefault(pk, fetched.get(pk))
            self._unprepared[model].extend(fetched.values())
        while self._unprepared:
            model, instances = self._unprepared.popitem()
            self._prepare_instances(model, instances, _everything)
            self._unfinished[model].extend(instances)

    def _fetch_pages(self):
        """One query for the pending pages, the pages that carry a view restriction included.

        Their paths tell which fetched pages are private (:func:`~.visibility.is_visible`), so
        no page needs a correlated subquery; an alias whose target is not at hand costs one
        more query.
        """
        ids, paths = self._pending_pages, self._pending_paths
        self._pending_pages, self._pending_paths = set(), set()
        lookups = {"pk": list(ids), "path": list(paths)}
        lookups = {name: values for name, values in lookups.items() if values}
        fetched = _pages_query(
            *lookups.values(),
            fields=tuple(lookups),
            with_restricted=self._restricted_paths is None,
        )
        if self._restricted_paths is None:
            self._restricted_paths = tuple(
                page.path for page in fetched if page.acupuncture_restriction_root
            )
        known = {page.pk: page for page in fetched}
        targets = {page.alias_of_id for page in fetched if page.alias_of_id}
        targets -= known.keys() | {pk for pk, page in self._pages.items() if page is not None}
        if targets:
            known.update(Page.objects.filter(pk__in=targets).only("id", "path", "live").in_bulk())
        for page in fetched:
            self._keep_page(page, known.get(page.alias_of_id) or self._pages.get(page.alias_of_id))
        for pk in ids:
            self._pages.setdefault(pk, None)
        for path in paths:
            self._pages_by_path.setdefault(path, None)

    def _keep_page(self, page, alias_target=None):
        """Mark a fetched ``page`` visible or not, and in the site or not, and keep it.

        Visibility follows from the restricted paths (known by now) and, for an alias, the
        page it mirrors (``alias_target``).
        """
        roots = self._site_root_paths()
        page.acupuncture_visible = is_visible(page, self._restricted_paths, alias_target)
        page.acupuncture_in_site = bool(roots) and page.url_path.startswith(roots)
        setattr(page, RESTRICTED_ATTR, not page.acupuncture_visible)
        self._pages[page.pk] = page
        self._pages_by_path[page.path] = page

    def _site_root_paths(self):
        if self._root_paths is None:
            self._root_paths = site_root_url_paths(self.site) if self.site is not None else ()
        return self._root_paths

    def _mark_page_instances(self):
        """Chosen page instances learn whether they are public, so templates need no query."""
        instances, self._page_instances = self._page_instances, []
        for page in instances:
            fetched = self._pages.get(page.pk)
            setattr(page, RESTRICTED_ATTR, True if fetched is None else not fetched.acupuncture_visible)

    def _expand_scans(self):
        """Put the expanded HTML of every walked rich text value in place (for templates)."""
        for scan in self._scans:
            slots, scan.rich_text = scan.rich_text, []
            for value, setter, _features in slots:
                if not isinstance(value, richtext.ExpandedRichText) and value.source in self._html:
                    setter(richtext.ExpandedRichText(value.source, self._html[value.source]))

    def _fetch_documents(self):
        from wagtail.documents import get_document_model

        ids, self._pending_documents = self._pending_documents, set()
        documents = get_document_model().objects.filter(pk__in=ids)
        for document in documents.annotate(acupuncture_restricted=document_is_restricted()):
            self._documents[document.pk] = None if document.acupuncture_restricted else document
        for pk in ids:
            self._documents.setdefault(pk, None)

    def _fetch_images(self):
        from wagtail.images import get_image_model

        image_model = get_image_model()
        rendition_model = image_model.get_rendition_model()
        ids, self._pending_images = self._pending_images, set()
        specs = set().union(*(self._image_specs[pk] for pk in ids))
        wanted = [pk for pk in ids if self._image_specs[pk]]
        renditions = defaultdict(list)
        fetched = {}
        if not self.api_renditions:
            # HTML pages: every image in one query, also those whose instance is at hand, so
            # the count does not depend on which were loaded before (templates make their own
            # renditions from Wagtail's rendition cache).
            fetched = image_model.objects.in_bulk({pk for pk in ids if pk not in self._images})
        if wanted and specs:
            rows = _renditions_query(
                wanted, sorted(specs), model=rendition_model, with_image=self.api_renditions
            )
            for rendition in rows:
                renditions[rendition.image_id].append(rendition)
                if self.api_renditions:
                    fetched.setdefault(rendition.image_id, rendition.image)
        missing = {
            pk
            for pk in ids
            if pk not in self._images and pk not in fetched and not self._image_instances.get(pk)
        }
        if missing:
            fetched.update(image_model.objects.in_bulk(missing))
        for pk in ids:
            self._image_done[pk] |= self._image_specs[pk]
            instances = self._image_instances.get(pk) or []
            image = self._images.get(pk) or (instances[0] if instances else fetched.get(pk))
            if image is None:
                self._images[pk] = None
                self._renditions[pk] = {}
                continue
            if self._image_specs[pk]:
                targets = {id(i): i for i in [image, *instances]}.values()
                for instance in targets:
                    instance.prefetched_renditions = list(renditions[pk])
                try:
                    found = image.get_renditions(
                        *map(rendition_filter, sorted(self._image_specs[pk]))
                    )
                except OSError:  # a missing or unreadable source file (SourceImageIOError)
                    found = {}
                if not self.api_renditions:
                    # Templates ask for renditions of their own ({% image %}, {% srcset_image %}):
                    # with prefetched renditions Wagtail would skip its rendition cache for them.
                    for instance in targets:
                        del instance.prefetched_renditions
            else:
                found = {}
            self._images[pk] = image
            self._renditions[pk] = {**self._renditions.get(pk, {}), **found}

    # ----------------------------------------------------------------------------- output

    def full_url(self, url):
        """``url`` made absolute with ``WAGTAILAPI_BASE_URL`` or the request's site root.

        Unchanged for HTML pages (``absolute_urls=False``) and for absolute URLs.
        """
        if not url or not self.absolute_urls or url.startswith(("http://", "https://")):
            return url
        if self._base_url is None:
            from wagtail.api.v2.utils import get_full_url

            self._base_url = get_full_url(self.request, "")  # the base alone, found once
        return self._base_url + url

    def html(self, source):
        """Front-end HTML of a stored rich text value (``RichText`` or its source string)."""
        source = richtext.source_of(source)
        if not source:
            return ""
        if source not in self._html:
            self.add_rich_text(source)
            self.resolve()
        return self._html[source]

    def rich_text(self, source):
        """A rich text value for templates (``{{ value|richtext }}``), expanded by the resolver."""
        source = richtext.source_of(source)
        return richtext.ExpandedRichText(source, self.html(source)) if source else ""

    def _page(self, pk):
        if pk is None:
            return None
        if pk not in self._pages:
            self.add_page(pk)
            self.resolve()
        return self._pages.get(pk)

    def public_page(self, pk):
        """Page ``pk`` (base ``Page`` instance) when it is live and public, else ``None``."""
        page = self._page(richtext.int_or_none(getattr(pk, "pk", pk)))
        if page is None or not page.live or not page.acupuncture_visible:
            return None
        return page

    def page_url(self, pk):
        """URL of page ``pk`` when it is live and public, else ``None``."""
        page = self.public_page(pk)
        return page.get_url(request=self.request) if page is not None else None

    def page(self, page):
        """``{id, title, url, type}`` of a live, public page (instance or id), else ``None``."""
        page = self.public_page(page)
        if page is None:
            return None
        return {
            "id": page.pk,
            "title": page.title,
            "url": page.get_url(request=self.request),
            "type": model_label(page),
        }

    def parent(self, page):
        """The parent of ``page`` when it is live, public and in the request's site."""
        if not page.depth or page.depth <= 1:
            return None
        path = page.path[: -Page.steplen]
        if path not in self._pages_by_path:
            self.add_path(path)
            self.resolve()
        parent = self._pages_by_path.get(path)
        if parent is None or not parent.live or not parent.acupuncture_visible:
            return None
        return parent if parent.acupuncture_in_site else None

    def pages_by_path(self):
        """``{path: page or None}`` of the pages fetched by path (breadcrumb ancestors)."""
        return self._pages_by_path

    def _document(self, pk):
        if pk is None:
            return None
        if pk not in self._documents:
            self.add_document(pk)
            self.resolve()
        return self._documents.get(pk)

    def _document_url(self, document):
        try:
            url = document.url
        except NoReverseMatch:
            try:
                url = document.file.url
            except (ValueError, NotImplementedError):
                return None
        return self.full_url(url)

    def document_url(self, pk):
        """URL of document ``pk`` unless it is missing or in a restricted collection."""
        document = self._document(richtext.int_or_none(getattr(pk, "pk", pk)))
        return self._document_url(document) if document is not None else None

    def document(self, document):
        """``{id, title, url}`` of a document that is not restricted, else ``None``."""
        found = self._document(richtext.int_or_none(getattr(document, "pk", document)))
        url = self._document_url(found) if found is not None else None
        if url is None:
            return None
        return {"id": found.pk, "title": found.title, "url": url}

    def rich_text_image_spec(self, format_name):
        """Rendition spec of a rich text image in format ``format_name``."""
        configured = acupuncture_settings.API_RICH_TEXT_IMAGE_RENDITION
        if configured:
            return configured
        image_format = richtext.get_image_format(format_name)
        return getattr(image_format, "filter_spec", None) or richtext.FALLBACK_IMAGE_SPEC

    def rich_text_srcset_specs(self, format_name):
        """The ``srcset`` rendition specs of a rich text image in format ``format_name``: those
        of a responsive format (``srcset_specs``), none with ``API_RICH_TEXT_IMAGE_RENDITION``."""
        if acupuncture_settings.API_RICH_TEXT_IMAGE_RENDITION:
            return []
        return list(getattr(richtext.get_image_format(format_name), "srcset_specs", ()))

    def rich_text_image_specs(self, format_name):
        """Every rendition spec a rich text image in format ``format_name`` is printed with."""
        return [self.rich_text_image_spec(format_name), *self.rich_text_srcset_specs(format_name)]

    def rich_text_image_html(self, pk, format_name, alt):
        """``<img>`` of a rich text image embed, or ``""`` when the image or file is missing.

        A responsive format adds ``srcset`` (its widths that the source image has) and ``sizes``.
        """
        spec = self.rich_text_image_spec(format_name)
        image, renditions = self.image_with(pk, *self.rich_text_image_specs(format_name))
        rendition = renditions.get(spec)
        if image is None or rendition is None:
            return ""
        image_format = richtext.get_image_format(format_name)
        classname = getattr(image_format, "classname", "") or "richtext-image"
        candidates = {}
        for srcset_spec in self.rich_text_srcset_specs(format_name):
            found = renditions.get(srcset_spec)
            if found is not None:
                candidates.setdefault(found.width, self.full_url(found.url))
        srcset = ", ".join(f"{url} {width}w" for width, url in sorted(candidates.items()))
        responsive = (
            format_html(' sizes="{}" srcset="{}"', image_format.sizes, srcset)
            if len(candidates) > 1
            else ""
        )
        return format_html(
            '<img alt="{}" class="{}" height="{}"{} src="{}" width="{}" loading="lazy">',
            alt if alt is not None else image.default_alt_text,
            classname,
            rendition.height,
            responsive,
            self.full_url(rendition.url),
            rendition.width,
        )

    def image_with(self, pk, *specs):
        """``(image or None, {spec: rendition})`` of image ``pk``, fetching what is missing."""
        if pk is None:
            return None, {}
        if pk not in self._images or set(specs) - self._image_done[pk]:
            self.add_image(pk, *specs)
            self.resolve()
        return self._images.get(pk), self._renditions.get(pk, {})

    def renditions_of(self, pk):
        """``{spec: rendition}`` fetched for image ``pk`` so far."""
        return self._renditions.get(pk, {})

    def image(self, image, alt=None):
        """``{id, title, alt, width, height, focal_point, renditions}`` of an image, or ``None``.

        ``renditions`` maps each name of ``IMAGE_RENDITIONS`` to ``{url, width, height}``; a
        rendition that cannot be made (missing source file) is left out. ``alt`` overrides the
        image's own alt text (its description, else its title).
        """
        pk = getattr(image, "pk", image)
        return self.memo("image", (pk, alt), self._build_image, pk, alt)

    def _build_image(self, pk, alt):
        specs = image_rendition_specs()
        image, renditions = self.image_with(pk, *specs.values())
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
                for name, spec in specs.items()
                if spec in renditions
            },
        }

    def snippet(self, obj):
        """The plain-JSON value of a chosen snippet, or ``None`` (deleted, or not live).

        The model's ``get_api_representation(resolver)`` when it has one, else
        ``{id, type, title}``. A draft-state snippet that is not live is never delivered.
        """
        if obj is None or (isinstance(obj, DraftStateMixin) and not obj.live):
            return None
        return self.memo("snippet", (type(obj), obj.pk), self._build_snippet, obj)

    def _build_snippet(self, obj):
        build = getattr(obj, "get_api_representation", None)
        if build is not None:
            if self._objects[type(obj)].get(obj.pk) is not obj:
                self.add_object(obj)  # not registered before: what it refers to, fetched now
                self.resolve()
            return build(self)
        return {"id": obj.pk, "type": model_label(obj), "title": str(obj)}

    def snippets(self, objects):
        """Representations of the deliverable ones among ``objects``, in order."""
        result = [self.snippet(obj) for obj in objects]
        return [item for item in result if item is not None]

    def memo(self, kind, key, build, *args):
        """A shallow copy of the representation ``build(*args)``, built once per response."""
        built = self._built[kind]
        if key not in built:
            built[key] = build(*args)
        return dict(built[key]) if built[key] is not None else None

    def stream_owner(self, stream_value):
        """The object whose StreamField holds ``stream_value``, when the resolver scanned it."""
        return self._streams.get(id(stream_value))


def _everything(name):
    return True


@PreparedQuery
def _pages_query(*values, fields, with_restricted):
    """Pages whose ``fields`` (``pk``, ``path``) are among ``values`` (streams deferred); with
    those that carry a view restriction, marked ``acupuncture_restriction_root``, when asked."""
    condition = Q(pk__in=[])
    for field, field_values in zip(fields, values, strict=True):
        condition |= Q(**{f"{field}__in": field_values})
    if with_restricted:
        condition |= Q(pk__in=PageViewRestriction.objects.values("page_id"))
    queryset = Page.objects.filter(condition).defer_streamfields()
    if with_restricted:
        queryset = queryset.annotate(
            acupuncture_restriction_root=Exists(
                PageViewRestriction.objects.filter(page_id=OuterRef("pk"))
            )
        )
    return queryset


@PreparedQuery
def _renditions_query(image_ids, specs, *, model, with_image):
    """Renditions of ``image_ids`` in ``specs``, with their image when asked."""
    rows = model.objects.filter(image_id__in=image_ids, filter_spec__in=specs)
    return rows.select_related("image") if with_image else rows


@PreparedQuery
def _page_type_query(pk, *, with_restricted_paths):
    """``(content type id, path)`` of page ``pk``; with ``(None, path)`` of every page that
    carries a view restriction when asked (one ``UNION ALL``)."""
    rows = Page.objects.filter(pk=pk).order_by().values_list("content_type_id", "path")
    if with_restricted_paths:
        restricted = PageViewRestriction.objects.order_by().values_list(
            Value(None, output_field=IntegerField()), "page__path"
        )
        rows = rows.union(restricted, all=True)
    return rows


@PreparedQuery
def _live_page_query(pk, *, model, select_related):
    """Live page ``pk`` of ``model`` with the ``select_related`` relations."""
    return model._default_manager.filter(pk=pk, live=True).select_related(*select_related)
