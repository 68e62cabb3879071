"""WordPress content (Gutenberg blocks or classic-editor HTML) as article body blocks.

:class:`BodyMapper` turns the block tree of :func:`~.gutenberg.parse_blocks` into the raw
StreamField data of the article body (block type names of
:class:`~wagtail_acupuncture.blocks.ArticleStreamBlock`). A classic-editor post (no block
comments) is first cut into the same blocks (:func:`classic_blocks`: ``wpautop`` paragraphs,
headings, lists, quotes, images), so both go through one mapping:

========================================  ======================================================
WordPress                                 Body block
========================================  ======================================================
``core/heading``                          ``heading`` (level h2-h4, anchor kept)
``core/paragraph``                        ``paragraph``; with a ``notice`` class: ``notice``
``core/list``, every item a bold lead-in  ``key_points`` (other lists stay rich text)
``core/image``                            ``image`` (alt text from the attachment)
``core/quote``, ``core/pullquote``        ``quote``
``yoast/faq-block``, ``rank-math/faq``    ``faq`` (from the block's JSON attributes)
an FAQ heading, then question headings    ``faq`` (classic posts and plain Gutenberg)
``core/buttons`` to a booking URL         ``booking_cta`` (a group around it gives its texts)
anything else                             ``paragraph`` holding its HTML, reported
========================================  ======================================================

All rich text is cleaned to the features of the block it goes into
(:func:`wagtail_acupuncture.content.sanitize.clean_rich_text`); links to unsafe schemes are
removed and reported, links to imported posts become Wagtail page links. Nothing is invented:
an FAQ question without an answer is left out and reported.
"""

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from django.utils.text import slugify

from ..content.sanitize import URL_SCHEMES, clean_rich_text
from .gutenberg import Block

#: An FAQ section's heading ("Frequently Asked Questions", "FAQ", "FAQs").
FAQ_HEADING = re.compile(r"\bfaqs?\b|frequently asked|questions", re.I)
#: Links that count as booking links besides those the import is given (scheduler hosts, and
#: hosts or paths naming a booking).
BOOKING_URL = re.compile(
    r"janeapp\.com|acuityscheduling\.com|cliniko\.com|practicebetter\.io|noterro\.com|"
    r"mindbodyonline\.com|calendly\.com|(^|[./-])book(ing|ings|-online|-now)?\b",
    re.I,
)
#: Blocks that carry no content of their own.
SILENT_BLOCKS = {"core/separator", "core/spacer", "core/more", "core/nextpage"}
#: Blocks whose inner blocks are mapped in their place.
CONTAINERS = {"core/group", "core/columns", "core/column", "core/cover", "core/media-text"}
#: Elements that start a block in classic-editor HTML.
BLOCK_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "blockquote", "figure", "div",
    "table", "pre", "hr", "img", "iframe", "form", "section", "script", "style",
}  # fmt: skip
#: Elements rich text may carry on to the cleaning (the rest is unwrapped, its text kept).
KEPT_TAGS = {"p", "ul", "ol", "li", "a", "b", "i", "strong", "em", "br", "h2", "h3", "h4", "sup", "sub"}
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
#: Elements whose content is dropped with them (reported).
DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "form"}


def soup_of(html):
    return BeautifulSoup(html or "", "html.parser")


def plain_text(html_or_tag):
    """The text of HTML, whitespace collapsed."""
    html = html_or_tag if isinstance(html_or_tag, str) else str(html_or_tag)
    html = _BLOCK_END.sub(r"\1 ", html)
    return " ".join(soup_of(html).get_text().split())


_BLOCK_END = re.compile(r"(</(?:p|li|h[1-6]|div|blockquote|figcaption|td|th)>|<br\s*/?>)", re.I)


def classes_of(block):
    return set((block.attrs.get("className") or "").split())


class BodyMapper:
    """Maps one post's content; :attr:`notes` collects ``(code, message)`` for the report.

    ``stream_block`` is the page's body block (its children's rich text features are used);
    ``resolve_link(href)`` returns a page id for links to imported posts (else ``None``);
    ``resolve_image(attachment_id, url)`` returns ``(image id or None, alt text)``;
    ``is_booking_url(url)`` says whether a button books an appointment.
    """

    def __init__(self, stream_block, resolve_link, resolve_image, is_booking_url):
        self.stream_block = stream_block
        self.resolve_link = resolve_link
        self.resolve_image = resolve_image
        self.is_booking_url = is_booking_url
        self.notes = []

    # ------------------------------------------------------------------ entry point

    def map(self, blocks):
        """Raw body data ``[{"type", "value"}]`` of a block tree."""
        items = []
        for block in blocks:
            items.extend(self.block(block))
        items = self.gather_faqs(items)
        self.place_calls_to_action(items)
        return items

    def note(self, code, message):
        self.notes.append((code, message))

    # ------------------------------------------------------------------ rich text

    def features(self, *path):
        block = self.stream_block
        for name in path:
            block = getattr(block, "child_block", block)  # through a ListBlock
            block = block.child_blocks[name]
        return block.features

    def rich_text(self, html, features):
        """``html`` in Wagtail's stored format, cleaned to ``features``; ``""`` when empty."""
        soup = soup_of(html)
        for tag in soup.find_all(DANGEROUS_TAGS):
            self.note("removed", f"Removed <{tag.name}> from the content.")
            tag.decompose()
        for link in soup.find_all("a"):
            self.link(link)
        for tag in soup.find_all("img"):
            self.note("image_in_text", f"Image {tag.get('src', '')!r} inside text left out.")
            tag.decompose()
        for tag in soup.find_all(True):
            if tag.name not in KEPT_TAGS:
                tag.insert_after(" ")  # cells, captions and the like stay apart
                tag.unwrap()
        for old, new in (("strong", "b"), ("em", "i")):
            for tag in soup.find_all(old):
                tag.name = new
        if not any(isinstance(child, Tag) and child.name in ("p", "ul", "ol", "h2", "h3", "h4")
                   for child in soup.contents):
            inner = str(soup).strip()
            html = f"<p>{inner}</p>" if inner else ""
        else:
            html = str(soup).strip()
        cleaned = _EMPTY_PARAGRAPH.sub("", clean_rich_text(html, features)) if html else ""
        return cleaned if plain_text(cleaned) else ""

    def link(self, tag):
        href = (tag.get("href") or "").strip()
        page_id = self.resolve_link(href) if href else None
        if page_id is not None:
            tag.attrs = {"linktype": "page", "id": str(page_id)}
            return
        scheme = urlsplit(href).scheme.lower() if href else ""
        if not href or (scheme and scheme not in URL_SCHEMES) or any(c in href for c in "\r\n\t\x00"):
            self.note("unsafe_link", f"Removed the link {href!r} (only http(s), mailto, tel).")
            tag.unwrap()
            return
        tag.attrs = {"href": href}

    # ------------------------------------------------------------------ blocks

    def block(self, block):
        """Body items of one block (several for containers and classic HTML)."""
        name = block.name
        if name is None:
            if not block.inner_html.strip():
                return []
            return [item for sub in classic_blocks(block.inner_html) for item in self.block(sub)]
        if name in SILENT_BLOCKS:
            return []
        handler = getattr(self, "map_" + re.sub(r"[^a-z0-9]", "_", name), None)
        if handler is not None:
            return handler(block)
        if name in CONTAINERS:
            return self.container(block)
        return self.unmapped(block)

    def unmapped(self, block, reason=None):
        text = self.rich_text(block.html(), self.features("paragraph"))
        label = block.name or "HTML"
        if not text:
            self.note("unmapped", reason or f"Left out the block {label} (nothing to keep).")
            return []
        self.note("unmapped", reason or f"Kept the block {label} as rich text.")
        return [{"type": "paragraph", "value": text}]

    def map_core_paragraph(self, block):
        classes = classes_of(block)
        if any("notice" in name for name in classes):
            return self.notice(block, classes)
        text = self.rich_text(block.html(), self.features("paragraph"))
        return [{"type": "paragraph", "value": text}] if text else []

    def map_core_heading(self, block):
        soup = soup_of(block.html())
        tag = soup.find(re.compile(r"^h[1-6]$"))
        level = int(block.attrs.get("level") or (tag.name[1] if tag else 2))
        if level < 2 or level > 4:
            self.note("heading_level", f"Heading level h{level} imported as h{min(max(level, 2), 4)}.")
        level = min(max(level, 2), 4)
        text = plain_text(soup)
        if not text:
            return []
        anchor = slugify(block.attrs.get("anchor") or (tag.get("id") if tag else "") or "")[:80]
        return [{"type": "heading", "value": {"text": text[:255], "level": f"h{level}", "anchor": anchor}}]

    def map_core_list(self, block):
        soup = soup_of(block.html())
        items = soup.find_all("li")
        points = [self.lead_in(li) for li in items]
        if items and all(points):
            return [{
                "type": "key_points",
                "value": {
                    "heading": "",
                    "items": [{"type": "item", "value": point} for point in points],
                },
            }]
        text = self.rich_text(block.html(), self.features("paragraph"))
        return [{"type": "paragraph", "value": text}] if text else []

    def lead_in(self, li):
        """``{title, text}`` of a list item starting with a bold lead-in, else ``None``."""
        first = next((c for c in li.contents if not (isinstance(c, NavigableString) and not c.strip())), None)
        if not isinstance(first, Tag) or first.name not in ("strong", "b"):
            return None
        title = plain_text(first).rstrip(":").strip()
        first.extract()
        rest = li.decode_contents().strip()
        rest = re.sub(r"^\s*[:\u2013\u2014-]\s*", "", rest)
        text = self.rich_text(rest, self.features("key_points", "items", "text"))
        if not title or not text or len(title) > 200:
            return None
        return {"title": title, "text": text}

    def map_core_image(self, block):
        soup = soup_of(block.html())
        img = soup.find("img")
        url = img.get("src", "") if img else block.attrs.get("url", "")
        attachment_id = block.attrs.get("id")
        if not attachment_id and img:
            match = re.search(r"wp-image-(\d+)", " ".join(img.get("class", [])))
            attachment_id = int(match.group(1)) if match else None
        image_id, alt = self.resolve_image(attachment_id, url)
        if image_id is None:
            return []
        caption = soup.find("figcaption")
        return [{
            "type": "image",
            "value": {
                "image": image_id,
                "caption": plain_text(caption)[:255] if caption else "",
                "alt_text": (alt or (img.get("alt", "") if img else ""))[:255],
            },
        }]

    def map_core_quote(self, block):
        soup = soup_of(block.html())
        cite = soup.find("cite")
        attribution = plain_text(cite) if cite else block.attrs.get("citation", "")
        if cite:
            cite.decompose()
        paragraphs = [plain_text(p) for p in soup.find_all("p")] or [plain_text(soup)]
        text = "\n\n".join(p for p in paragraphs if p)
        if not text:
            return []
        return [{"type": "quote", "value": {"text": text, "attribution": plain_text(attribution)[:255]}}]

    map_core_pullquote = map_core_quote

    def map_yoast_faq_block(self, block):
        questions = []
        for entry in block.attrs.get("questions") or []:
            if not isinstance(entry, dict):
                continue
            question = entry.get("jsonQuestion") or _flatten(entry.get("question"))
            answer = entry.get("jsonAnswer") or _flatten(entry.get("answer"))
            questions.append((question, answer))
        if not questions:  # attributes lost: read the saved HTML
            soup = soup_of(block.html())
            for section in soup.select(".schema-faq-section"):
                question = section.select_one(".schema-faq-question")
                answer = section.select_one(".schema-faq-answer")
                questions.append((
                    question.decode_contents() if question else "",
                    answer.decode_contents() if answer else "",
                ))
        return self.faq(questions)

    def map_rank_math_faq_block(self, block):
        questions = []
        for entry in block.attrs.get("questions") or []:
            if not isinstance(entry, dict):
                continue
            if entry.get("visible") is False:
                self.note("faq_hidden", f"Skipped the hidden FAQ question {plain_text(entry.get('title', ''))!r}.")
                continue
            questions.append((entry.get("title", ""), entry.get("content", "")))
        return self.faq(questions)

    def faq(self, questions, heading="", intro=""):
        items = []
        for question, answer in questions:
            question = plain_text(question or "")
            answer = self.rich_text(answer or "", self.features("faq", "items", "answer"))
            if not question:
                continue
            if not answer:
                self.note("faq_unanswered", f"Left out the FAQ question {question!r}: it has no answer.")
                continue
            items.append({"type": "item", "value": {"question": question[:255], "answer": answer}})
        if not items:
            return []
        return [{
            "type": "faq",
            "value": {"heading": heading, "intro": intro, "items": items, "structured_data": True},
        }]

    def map_core_buttons(self, block):
        links = soup_of(block.html()).find_all("a")
        booking = next((a for a in links if self.is_booking_url(a.get("href", ""))), None)
        if booking is None:
            return self.unmapped(block, "Kept buttons that do not link to a booking page as rich text.")
        return [self.call_to_action("", "", booking)]

    map_core_button = map_core_buttons

    def container(self, block):
        classes = classes_of(block)
        if any("notice" in name for name in classes):
            return self.notice(block, classes)
        buttons = [b for b in _walk(block.inner_blocks) if b.name in ("core/buttons", "core/button")]
        links = [a for b in buttons for a in soup_of(b.html()).find_all("a")]
        booking = next((a for a in links if self.is_booking_url(a.get("href", ""))), None)
        if booking is None:
            items = []
            for inner in block.inner_blocks:
                items.extend(self.block(inner))
            return items
        headings = [plain_text(b.html()) for b in _walk(block.inner_blocks) if b.name == "core/heading"]
        paragraphs = [plain_text(b.html()) for b in _walk(block.inner_blocks) if b.name == "core/paragraph"]
        paragraphs = [p for p in paragraphs if p]
        if headings:
            heading, texts = headings[0], paragraphs
        elif len(paragraphs) > 1:
            heading, texts = paragraphs[0], paragraphs[1:]
        else:
            heading, texts = "", paragraphs
        return [self.call_to_action(heading, "\n\n".join(texts), booking)]

    def call_to_action(self, heading, text, link):
        label = plain_text(link)
        if len(heading) > 255 or len(label) > 80:
            self.note("cta_text", "A booking call to action's heading or label was too long: cut.")
        return {
            "type": "booking_cta",
            "value": {
                "heading": heading[:255],
                "text": text,
                "button_label": label[:80],
                "link_url": link.get("href", "").strip()[:500],
                "link_page": None,
                "placement": "inline",
            },
        }

    def notice(self, block, classes):
        tone = next((t for t in ("seasonal", "important") if any(t in c for c in classes)), "info")
        text = self.rich_text(block.html(), self.features("notice", "text"))
        if not text:
            return []
        return [{"type": "notice", "value": {"text": text, "tone": tone, "starts_at": None, "ends_at": None}}]

    # ------------------------------------------------------------------ passes over the body

    def gather_faqs(self, items):
        """An FAQ heading followed by an FAQ block, or by question headings with answers, as
        one ``faq`` block (heading and intro paragraphs included)."""
        out, i, n = [], 0, len(items)
        while i < n:
            item = items[i]
            if item["type"] == "heading" and FAQ_HEADING.search(item["value"]["text"]):
                heading = item["value"]["text"]
                j = i + 1
                while j < n and items[j]["type"] == "paragraph":
                    j += 1
                intro = "".join(items[k]["value"] for k in range(i + 1, j))
                if j < n and items[j]["type"] == "faq" and not items[j]["value"]["heading"]:
                    faq = items[j]
                    faq["value"]["heading"] = heading
                    faq["value"]["intro"] = faq["value"]["intro"] or intro
                    out.append(faq)
                    i = j + 1
                    continue
                questions, k = [], j
                while k < n and items[k]["type"] == "heading" and items[k]["value"]["text"].endswith("?"):
                    m = k + 1
                    while m < n and items[m]["type"] == "paragraph":
                        m += 1
                    answer = "".join(items[x]["value"] for x in range(k + 1, m))
                    questions.append((items[k]["value"]["text"], answer))
                    k = m
                if questions:
                    faq = self.faq(questions, heading=heading, intro=intro)
                    if faq:
                        out.extend(faq)
                        i = k
                        continue
            out.append(item)
            i += 1
        return out

    @staticmethod
    def place_calls_to_action(items):
        """Booking calls to action before the first heading are the intro's, after the last
        heading the conclusion's; the others stay inline."""
        headings = [n for n, item in enumerate(items) if item["type"] in ("heading", "faq")]
        for n, item in enumerate(items):
            if item["type"] != "booking_cta" or not headings:
                continue
            if n < headings[0]:
                item["value"]["placement"] = "intro"
            elif n > headings[-1]:
                item["value"]["placement"] = "conclusion"


def _walk(blocks):
    for block in blocks:
        yield block
        yield from _walk(block.inner_blocks)


def _flatten(value):
    """Yoast's older attribute format: rich text as nested lists and element dicts."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(_flatten(v) for v in value)
    if isinstance(value, dict):
        return _flatten((value.get("props") or {}).get("children"))
    return str(value)


# ---------------------------------------------------------------------- classic editor

_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S)


def wpautop(html):
    """WordPress's ``wpautop`` in short: text separated by blank lines becomes paragraphs,
    single line breaks ``<br>``; block elements stay as they are."""
    html = _CAPTION.sub(_caption_figure, html.replace("\r\n", "\n"))
    tags = "|".join(sorted(BLOCK_TAGS))
    html = re.sub(rf"(<(?:{tags})\b)", r"\n\n\1", html)
    html = re.sub(rf"(</(?:{tags})>)", r"\1\n\n", html)
    out = []
    for chunk in re.split(r"\n\s*\n", html):
        chunk = chunk.strip()
        if not chunk:
            continue
        if re.match(rf"</?(?:{tags})\b", chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>") + "</p>")
    return "\n".join(out)


def _caption_figure(match):
    inner = match.group(2)
    img = re.search(r"<img[^>]*>", inner)
    caption = inner.replace(img.group(0), "") if img else inner
    caption = re.sub(r"</?a\b[^>]*>", "", caption).strip()
    return f"<figure>{img.group(0) if img else ''}<figcaption>{caption}</figcaption></figure>"


def classic_blocks(html):
    """Classic-editor HTML cut into the blocks the Gutenberg mapping reads."""
    soup = soup_of(wpautop(html))
    blocks = []
    for node in soup.contents:
        if isinstance(node, NavigableString):
            if node.strip():
                blocks.append(_pseudo("core/paragraph", f"<p>{node}</p>"))
            continue
        name = node.name
        if re.fullmatch(r"h[1-6]", name):
            blocks.append(_pseudo("core/heading", str(node), level=int(name[1])))
        elif name == "p" and node.find("img") and not plain_text(node):
            blocks.append(_pseudo("core/image", str(node)))
        elif name == "p":
            blocks.append(_pseudo("core/paragraph", str(node)))
        elif name in ("ul", "ol"):
            blocks.append(_pseudo("core/list", str(node)))
        elif name == "blockquote":
            blocks.append(_pseudo("core/quote", str(node)))
        elif name in ("figure", "img"):
            blocks.append(_pseudo("core/image", str(node)))
        elif name == "hr":
            continue
        else:
            blocks.append(Block(f"core/html ({name})", {}, [], str(node), [str(node)]))
    return blocks


def _pseudo(name, html, **attrs):
    return Block(name, attrs, [], html, [html])
