"""A streaming, hardened reader of WordPress eXtended RSS (WXR) exports.

The file is read in chunks with an expat parser that refuses any document type declaration,
entity declaration and external entity (``defusedxml``), so neither an entity expansion ("billion
laughs") nor a file or URL named by the export is ever read. Each ``<item>`` is turned into an
:class:`Item` and its elements are dropped at once, so memory does not grow with the export.
Every error names the line of the export it was found on.
"""

import io
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

CHUNK_SIZE = 64 * 1024

#: Namespace URIs by their usual prefix (the WXR version, 1.0 to 1.2, is ignored).
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
WP_NS_PREFIX = "http://wordpress.org/export/"


class WXRError(Exception):
    """The file is not a readable WordPress export; ``line`` is where the problem was found."""

    def __init__(self, message, line=None):
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Channel:
    """The blog: its title and URLs, and its authors by login."""

    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    #: ``{login: display name}``
    authors: dict = field(default_factory=dict)


@dataclass
class Category:
    domain: str  # "category" or "post_tag"
    nicename: str
    name: str


@dataclass
class Item:
    """One ``<item>`` of the export: a post, page, attachment or anything else WordPress stores."""

    line: int
    title: str = ""
    link: str = ""
    creator: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: int = 0
    post_date_gmt: str = ""
    post_name: str = ""
    status: str = ""
    post_type: str = ""
    post_parent: int = 0
    attachment_url: str = ""
    categories: list = field(default_factory=list)
    #: ``{meta_key: meta_value}`` of its ``wp:postmeta`` (the last value of a repeated key).
    meta: dict = field(default_factory=dict)


def _local(tag):
    """``"wp:post_id"``-style name of an element tag, whatever the WXR version."""
    if tag.startswith("{"):
        uri, _, name = tag[1:].partition("}")
        if uri == CONTENT_NS:
            return f"content:{name}"
        if uri == DC_NS:
            return f"dc:{name}"
        if uri.startswith(WP_NS_PREFIX):
            return f"excerpt:{name}" if uri.rstrip("/").endswith("excerpt") else f"wp:{name}"
        return name
    return tag


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def _int(value, line, name):
    try:
        return int(value or 0)
    except ValueError:
        raise WXRError(f"{name} is not a number: {value!r}", line) from None


#: Item elements read as stripped text, by the :class:`Item` attribute they fill.
_ITEM_TEXT = {
    "title": "title",
    "link": "link",
    "dc:creator": "creator",
    "guid": "guid",
    "wp:post_date_gmt": "post_date_gmt",
    "wp:post_name": "post_name",
    "wp:status": "status",
    "wp:post_type": "post_type",
    "wp:attachment_url": "attachment_url",
}
_ITEM_NUMBERS = {"wp:post_id": "post_id", "wp:post_parent": "post_parent"}
#: Channel elements read as stripped text, by the :class:`Channel` attribute they fill.
_CHANNEL_TEXT = {
    "title": "title",
    "link": "link",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
    "wp:wxr_version": "wxr_version",
}


def _children_text(element, *names):
    found = dict.fromkeys(names, "")
    for child in element:
        name = _local(child.tag)
        if name in found:
            found[name] = child.text or ""
    return [found[name] for name in names]


def _item(element, line):
    item = Item(line=line)
    for child in element:
        name = _local(child.tag)
        if name in _ITEM_TEXT:
            setattr(item, _ITEM_TEXT[name], _text(child))
        elif name in _ITEM_NUMBERS:
            setattr(item, _ITEM_NUMBERS[name], _int(_text(child), line, name))
        elif name == "content:encoded":
            item.content = child.text or ""
        elif name == "excerpt:encoded":
            item.excerpt = (child.text or "").strip()
        elif name == "category":
            item.categories.append(
                Category(child.get("domain", ""), child.get("nicename", ""), _text(child))
            )
        elif name == "wp:postmeta":
            key, value = _children_text(child, "wp:meta_key", "wp:meta_value")
            if key.strip():
                item.meta[key.strip()] = value
    return item


class WXRReader:
    """Read an export from ``source`` (a path or a binary file object).

    ``items()`` yields the :class:`Item` objects in file order; :attr:`channel` is filled in as
    the channel's own elements are read (its title, URLs and authors come before the items in
    every export WordPress writes).
    """

    def __init__(self, source):
        self.source = source
        self.channel = Channel()

    def _open(self):
        if isinstance(self.source, (str, bytes)) or hasattr(self.source, "__fspath__"):
            return open(self.source, "rb")  # noqa: SIM115 - closed in items()
        if isinstance(self.source, io.TextIOBase):
            raise TypeError("Open the export in binary mode.")
        self.source.seek(0)
        return self.source

    def items(self):
        """The export's items, one at a time. Raises :class:`WXRError`."""
        parser = DefusedXMLParser(
            target=ElementTree.TreeBuilder(),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        expat = parser.parser
        pull = ElementTree.XMLPullParser(events=("start", "end"), _parser=parser)
        stack, lines, seen_root = [], {}, False
        file = self._open()
        try:
            while True:
                chunk = file.read(CHUNK_SIZE)
                try:
                    if chunk:
                        pull.feed(chunk)
                    else:
                        pull.close()
                    events = list(pull.read_events())
                except DefusedXmlException as error:
                    raise WXRError(_refusal(error), expat.CurrentLineNumber) from None
                except ElementTree.ParseError as error:
                    line, column = error.position
                    message = str(error).rsplit(": line ", 1)[0]
                    raise WXRError(
                        f"not well-formed XML ({message}, column {column + 1})", line
                    ) from None
                for event, element in events:
                    if event == "start":
                        if not seen_root:
                            seen_root = True
                            if element.tag != "rss":
                                raise WXRError(
                                    f"not a WordPress export: the document is <{element.tag}>, "
                                    "not <rss>",
                                    expat.CurrentLineNumber,
                                )
                        stack.append(element)
                        lines[id(element)] = expat.CurrentLineNumber
                        continue
                    stack.pop()
                    name = _local(element.tag)
                    line = lines.pop(id(element), None)
                    parent = stack[-1] if stack else None
                    if name == "item" and len(stack) == 2:
                        yield _item(element, line)
                        parent.remove(element)
                    elif len(stack) == 2 and parent is not None:
                        self._channel_element(name, element, line)
                        parent.remove(element)
                if not chunk:
                    break
        finally:
            if file is not self.source:
                file.close()
        if not self.channel.wxr_version:
            raise WXRError("not a WordPress export: no <wp:wxr_version> in the channel")

    def _channel_element(self, name, element, line):
        channel = self.channel
        if name in _CHANNEL_TEXT:
            setattr(channel, _CHANNEL_TEXT[name], _text(element))
        elif name == "wp:author":
            login, display = _children_text(element, "wp:author_login", "wp:author_display_name")
            if login.strip():
                channel.authors[login.strip()] = display.strip() or login.strip()


def _refusal(error):
    kind = type(error).__name__
    if kind == "DTDForbidden":
        return "the export declares a document type (<!DOCTYPE>); WordPress exports have none, refused"
    if kind == "EntitiesForbidden":
        return f"the export declares the entity {error.name!r}; entity declarations are refused"
    if kind == "ExternalReferenceForbidden":
        return "the export refers to an external entity; refused"
    return f"refused: {error}"
