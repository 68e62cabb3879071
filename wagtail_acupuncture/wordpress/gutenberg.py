"""Gutenberg block parser: a port of WordPress's ``block-serialization-default-parser``.

WordPress stores blocks as HTML comments around their saved HTML::

    <!-- wp:heading {"level":3} --><h3>Text</h3><!-- /wp:heading -->
    <!-- wp:separator /-->

:func:`parse_blocks` returns the same tree as WordPress's ``parse_blocks()``: a list of
:class:`Block` with ``name`` (``"core/heading"``; ``None`` for HTML between blocks, the
"freeform" content of the classic editor), ``attrs`` (the comment's JSON), ``inner_blocks``,
``inner_html`` and ``inner_content`` (HTML strings, ``None`` where an inner block sits).
"""

import json
import re
from dataclasses import dataclass, field

#: The block comment grammar of ``WP_Block_Parser::next_token()`` (PCRE, possessive quantifier).
TOKEN = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*)\s+"
    r"(?P<attrs>\{(?:(?:[^}]+|\}+(?=\})|(?!\}\s+/?-->).)*+)?\}\s+)?(?P<void>/)?-->",
    re.S,
)


@dataclass
class Block:
    """One parsed block, as WordPress's parser returns it."""

    name: str | None
    attrs: dict = field(default_factory=dict)
    inner_blocks: list = field(default_factory=list)
    inner_html: str = ""
    inner_content: list = field(default_factory=list)

    def html(self):
        """The block's saved HTML with its inner blocks' HTML in place (``render_block`` of
        static blocks, without the comments)."""
        parts, inner = [], iter(self.inner_blocks)
        for piece in self.inner_content:
            parts.append(next(inner).html() if piece is None else piece)
        return "".join(parts)


def freeform(html):
    return Block(None, {}, [], html, [html])


@dataclass
class _Frame:
    block: Block
    token_start: int
    token_length: int
    prev_offset: int
    leading_html_start: int | None


class _Parser:
    def __init__(self, document):
        self.document = document
        self.offset = 0
        self.output = []
        self.stack = []

    def parse(self):
        while self.proceed():
            pass
        return self.output

    def proceed(self):
        kind, name, attrs, start, length = self.next_token()
        depth = len(self.stack)
        leading_html_start = self.offset if start > self.offset else None
        end = start + length
        if kind == "no-more-tokens":
            if depth == 0:
                self.add_freeform()
                return False
            while self.stack:
                self.add_block_from_stack()
            return False
        if kind == "void-block":
            block = Block(name, attrs, [], "", [])
            if depth == 0:
                if leading_html_start is not None:
                    self.output.append(freeform(self.document[leading_html_start:start]))
                self.output.append(block)
            else:
                self.add_inner_block(block, start, length)
            self.offset = end
            return True
        if kind == "block-opener":
            self.stack.append(
                _Frame(Block(name, attrs, [], "", []), start, length, end, leading_html_start)
            )
            self.offset = end
            return True
        # block-closer
        if depth == 0:
            # An unexpected closer: everything that follows is freeform HTML.
            self.add_freeform()
            return False
        if depth == 1:
            self.add_block_from_stack(start)
            self.offset = end
            return True
        top = self.stack.pop()
        html = self.document[top.prev_offset : start]
        top.block.inner_html += html
        top.block.inner_content.append(html)
        top.prev_offset = end
        self.add_inner_block(top.block, top.token_start, top.token_length, end)
        self.offset = end
        return True

    def next_token(self):
        match = TOKEN.search(self.document, self.offset)
        if match is None:
            return "no-more-tokens", None, None, 0, 0
        start, length = match.start(), match.end() - match.start()
        name = (match.group("namespace") or "core/") + match.group("name")
        attrs = {}
        if match.group("attrs"):
            try:
                attrs = json.loads(match.group("attrs"))
            except ValueError:
                attrs = {}
            if not isinstance(attrs, dict):
                attrs = {}
        if match.group("void"):
            return "void-block", name, attrs, start, length
        if match.group("closer"):
            return "block-closer", name, None, start, length
        return "block-opener", name, attrs, start, length

    def add_freeform(self, length=None):
        if length is None:
            length = len(self.document) - self.offset
        if length:
            self.output.append(freeform(self.document[self.offset : self.offset + length]))

    def add_inner_block(self, block, token_start, token_length, last_offset=None):
        parent = self.stack[-1]
        parent.block.inner_blocks.append(block)
        html = self.document[parent.prev_offset : token_start]
        if html:
            parent.block.inner_html += html
            parent.block.inner_content.append(html)
        parent.block.inner_content.append(None)
        parent.prev_offset = last_offset if last_offset else token_start + token_length

    def add_block_from_stack(self, end_offset=None):
        top = self.stack.pop()
        html = self.document[top.prev_offset : end_offset]
        if html:
            top.block.inner_html += html
            top.block.inner_content.append(html)
        if top.leading_html_start is not None:
            self.output.append(freeform(self.document[top.leading_html_start : top.token_start]))
        self.output.append(top.block)


def parse_blocks(document):
    """The block tree of a post's content (``content:encoded``); see the module docstring."""
    return _Parser(document or "").parse()


def has_blocks(document):
    """Whether the content holds block comments (else it was written in the classic editor)."""
    return bool(document) and TOKEN.search(document) is not None
