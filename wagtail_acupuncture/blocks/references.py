"""References block: the sources an article cites, as a numbered list.

Each reference has a title and, optionally, authors, a journal or publisher, a year, a URL, a DOI
and a PubMed id. DOIs (``10.NNNN/...``) and PMIDs (digits) are checked when the editor saves and
become ``https://doi.org/`` and ``https://pubmed.ncbi.nlm.nih.gov/`` links. The block is part of
the body's one walk (:meth:`ReferencesBlock.collect_references`): the references it holds are
listed on the scan (``scan.citations``) and become the article's schema.org ``citation``
(``ScholarlyArticle`` nodes, :mod:`wagtail_acupuncture.structured_data.jsonld`).
"""

import re
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..content.representation import represent_children
from .base import GROUP_TEXT, PREVIEW_TEMPLATE, ItemsWithIdsMixin

DOI_BASE = "https://doi.org/"
PUBMED_BASE = "https://pubmed.ncbi.nlm.nih.gov/"

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_PMID = re.compile(r"^[1-9]\d{0,8}$")
_PMID_PREFIX = re.compile(r"^(?:pmid:?\s*|https?://pubmed\.ncbi\.nlm\.nih\.gov/)", re.IGNORECASE)


def normalize_doi(value):
    """``value`` without a ``doi:`` or ``https://doi.org/`` prefix, or a ``ValidationError``."""
    doi = _DOI_PREFIX.sub("", (value or "").strip())
    if doi and not _DOI.match(doi):
        raise ValidationError(
            _("Enter a DOI such as 10.1000/182 (it starts with '10.')."),
            code="invalid_doi",
        )
    return doi


def normalize_pmid(value):
    """``value`` as bare PubMed id digits (a ``PMID:`` or PubMed URL prefix is dropped)."""
    pmid = _PMID_PREFIX.sub("", (value or "").strip()).rstrip("/")
    if pmid and not _PMID.match(pmid):
        raise ValidationError(
            _("Enter a PubMed id (PMID): digits only, such as 12345678."), code="invalid_pmid"
        )
    return pmid


def doi_url(doi):
    """The ``https://doi.org/`` link of a DOI (``None`` without a valid one)."""
    return f"{DOI_BASE}{quote(doi, safe='/:;()._-')}" if doi and _DOI.match(doi) else None


def pubmed_url(pmid):
    """The PubMed link of a PMID (``None`` without a valid one)."""
    return f"{PUBMED_BASE}{pmid}/" if pmid and _PMID.match(pmid) else None


def http_url(url):
    """``url`` when it is an http(s) address, else ``""`` (a value written outside the admin)."""
    try:
        validate_http_url(url or "")
    except ValidationError:
        return ""
    return url


#: Chooser preview of a reference: placeholders, never a real citation.
REFERENCE_PREVIEW = {
    "title": "Title of the study",
    "authors": "Surname AB, Surname CD",
    "publisher": "Journal name",
    "year": 2020,
    "url": "",
    "doi": "",
    "pmid": "",
}

validate_http_url = URLValidator(
    schemes=["http", "https"], message=_("Enter a full web address starting with https:// or http://.")
)


class DOIBlock(blocks.CharBlock):
    """A DOI, stored bare (``10.NNNN/...``)."""

    def clean(self, value):
        return super().clean(normalize_doi(value))


class PMIDBlock(blocks.CharBlock):
    """A PubMed id, stored as digits."""

    def clean(self, value):
        return super().clean(normalize_pmid(value))


class ReferenceValue(blocks.StructValue):
    """A reference with its links."""

    @property
    def doi_url(self):
        return doi_url(self.get("doi"))

    @property
    def pubmed_url(self):
        return pubmed_url(self.get("pmid"))

    @property
    def safe_url(self):
        """The typed URL when it is an http(s) address, else ``""``."""
        return http_url(self.get("url"))

    @property
    def link(self):
        """Where the title links to: the URL, else the DOI link, else the PubMed link."""
        return self.safe_url or self.doi_url or self.pubmed_url

    @property
    def author_names(self):
        """The authors, one name each (split on semicolons, else on commas; "et al." dropped)."""
        text = self.get("authors") or ""
        parts = text.split(";") if ";" in text else text.split(",")
        names = [part.strip().rstrip(".").strip() for part in parts]
        return [name for name in names if name and name.casefold() not in ("et al", "et al.")]


class ReferenceBlock(blocks.StructBlock):
    """One cited source. Only the title is required."""

    title = blocks.CharBlock(label=_("Title"), max_length=500, help_text=_("The title of the study, article or book."))
    authors = blocks.CharBlock(
        label=_("Authors"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas (Surname AB, Other CD) or by semicolons (Surname, First; Other, Second)."),
    )
    publisher = blocks.CharBlock(
        label=_("Journal or publisher"), required=False, max_length=255, help_text=_("The journal's or the publisher's name.")
    )
    year = blocks.IntegerBlock(label=_("Year"), required=False, min_value=1800, max_value=2100)
    url = blocks.CharBlock(
        label=_("URL"),
        required=False,
        max_length=500,
        validators=[validate_http_url],
        help_text=_("Optional. Where readers can read it (https://...)."),
    )
    doi = DOIBlock(
        label=_("DOI"),
        required=False,
        max_length=255,
        help_text=_("Optional. E.g. 10.1000/182; linked to https://doi.org/."),
    )
    pmid = PMIDBlock(
        label=_("PubMed id (PMID)"),
        required=False,
        max_length=20,
        help_text=_("Optional. Digits only, e.g. 12345678; linked to PubMed."),
    )

    def get_api_representation(self, value, context=None):
        """The children plus ``doi_url`` and ``pubmed_url`` (``null`` without a DOI / PMID);
        ``url`` is ``""`` unless it is an http(s) address."""
        representation = represent_children(self, value, context)
        representation["url"] = value.safe_url
        representation["doi_url"] = value.doi_url
        representation["pubmed_url"] = value.pubmed_url
        return representation

    def get_api_schema(self, builder):
        """JSON Schema of :meth:`get_api_representation`."""
        schema = builder.struct(self)
        for name in ("authors", "publisher", "url", "doi", "pmid"):
            schema["properties"][name] = {"type": "string"}
        schema["properties"]["doi"]["pattern"] = r"^(10\.\d{4,9}/\S+)?$"
        schema["properties"]["pmid"]["pattern"] = r"^(\d+)?$"
        schema["properties"]["doi_url"] = {"type": ["string", "null"], "format": "uri"}
        schema["properties"]["pubmed_url"] = {"type": ["string", "null"], "format": "uri"}
        schema["required"] += ["doi_url", "pubmed_url"]
        return schema

    class Meta:
        icon = "doc-full"
        label = _("Reference")
        group = GROUP_TEXT
        description = _("A cited source: title, authors, journal, year and links.")
        preview_value = REFERENCE_PREVIEW
        template = "wagtail_acupuncture/blocks/reference.html"
        preview_template = PREVIEW_TEMPLATE
        value_class = ReferenceValue


class ReferencesBlock(ItemsWithIdsMixin, blocks.StructBlock):
    """The sources an article cites, rendered as a numbered list (schema.org ``citation``).

    API: ``{heading, items: [{id, title, authors, publisher, year, url, doi, pmid, doi_url,
    pubmed_url}]}``; ``id`` is the item's stable id (the ``#ref-<id>`` of the list item).
    """

    heading = blocks.CharBlock(
        label=_("Heading"), required=False, max_length=255, default=_("References"),
        help_text=_("Shown above the list. Left empty, the list has no heading."),
    )
    items = blocks.ListBlock(ReferenceBlock(), label=_("References"), min_num=1)

    def collect_references(self, value, scan):
        """The body walk's hook: list the references on ``scan.citations``, then walk the
        children as usual (their texts count and are checked like any other)."""
        for bound in getattr(value.get("items"), "bound_blocks", ()):
            if bound.value.get("title"):
                scan.citations.append(bound.value)
        for name, child_block in self.child_blocks.items():
            scan.walk(child_block, value.get(name), path=f"{scan.path}.{name}")

    class Meta:
        icon = "list-ol"
        label = _("References")
        group = GROUP_TEXT
        description = _("The sources the article cites, as a numbered list with DOI and PubMed links.")
        preview_value = {
            "heading": "References",
            "items": [REFERENCE_PREVIEW],
        }
        template = "wagtail_acupuncture/blocks/references.html"
        preview_template = PREVIEW_TEMPLATE
