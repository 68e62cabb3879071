"""The block parser gives WordPress's parse_blocks() tree (block-serialization-default-parser)."""

from wagtail_acupuncture.wordpress.gutenberg import has_blocks, parse_blocks


def shape(blocks):
    return [(b.name, b.attrs, b.inner_content, shape(b.inner_blocks)) for b in blocks]


def test_blocks_freeform_and_void_blocks():
    document = (
        'before<!-- wp:paragraph {"align":"right"} -->\n<p>One</p>\n<!-- /wp:paragraph -->'
        "between<!-- wp:separator /-->after"
    )
    assert shape(parse_blocks(document)) == [
        (None, {}, ["before"], []),
        ("core/paragraph", {"align": "right"}, ["\n<p>One</p>\n"], []),
        (None, {}, ["between"], []),
        ("core/separator", {}, [], []),
        (None, {}, ["after"], []),
    ]


def test_inner_blocks_leave_a_hole_in_inner_content():
    document = (
        '<!-- wp:list --><ul><!-- wp:list-item --><li>A</li><!-- /wp:list-item -->'
        "<!-- wp:list-item --><li>B</li><!-- /wp:list-item --></ul><!-- /wp:list -->"
    )
    (block,) = parse_blocks(document)
    assert block.inner_content == ["<ul>", None, None, "</ul>"]
    assert block.inner_html == "<ul></ul>"
    assert [b.inner_html for b in block.inner_blocks] == ["<li>A</li>", "<li>B</li>"]
    assert block.html() == "<ul><li>A</li><li>B</li></ul>"


def test_namespaced_blocks_and_json_with_braces():
    document = (
        '<!-- wp:yoast/faq-block {"questions":[{"jsonQuestion":"a } b","jsonAnswer":"{x}"}]} -->'
        '<div></div><!-- /wp:yoast/faq-block -->'
    )
    (block,) = parse_blocks(document)
    assert block.name == "yoast/faq-block"
    assert block.attrs["questions"][0] == {"jsonQuestion": "a } b", "jsonAnswer": "{x}"}


def test_unclosed_and_unexpected_closers():
    # An unclosed block runs to the end; a closer without opener makes the rest freeform.
    (block,) = parse_blocks("<!-- wp:paragraph --><p>open")
    assert block.name == "core/paragraph" and block.inner_html == "<p>open"
    blocks = parse_blocks("<p>x</p><!-- /wp:paragraph --><p>y</p>")
    assert [(b.name, b.inner_html) for b in blocks] == [
        (None, "<p>x</p><!-- /wp:paragraph --><p>y</p>")
    ]


def test_invalid_json_attributes_are_empty():
    (block,) = parse_blocks("<!-- wp:heading {not json} --><h2>T</h2><!-- /wp:heading -->")
    assert block.name == "core/heading" and block.attrs == {}


def test_classic_content_has_no_blocks():
    assert not has_blocks("<p>Hello</p>\n\n<!-- a comment -->")
    assert has_blocks("<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->")
