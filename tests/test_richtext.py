"""Rich text (inline Markdown) and plain text become paragraph markup that prints every
character as written: unit tests of briefbook.text, checked with ReportLab's own paragraph
parser, and end to end through a built PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefbook.text as text_module
from briefbook.layoutfolder import load_layout
from briefbook.text import Glyphs, link_targets, parsed_rich, plain, rich
from conftest import (
    DATE,
    Book,
    build_book,
    edit,
    pdf_pages,
    refused,
    run,
    set_field,
    squash,
    uri_links,
    write_folder,
)

LINK = "#1f5fa8"

# Strings that look like markup to ReportLab, XML or Markdown, but are text.
NASTY = [
    "R&D",
    "x <y z",
    "<foo>",
    "a\\b",
    "\"quotes\" and 'apostrophes'",
    "&amp; &lt; &#65; &#x41; &nbsp; &bogus;",
    "</para>",
    "<para>",
    "<b>not bold</b>",
    "<br/>",
    '<font face="Courier" color="red">f</font>',
    '<a href="javascript:alert(1)">x</a>',
    "<img src='x.png'/>",
    "<![CDATA[ x ]]>",
    "<!-- comment -->",
    "<?xml version='1.0'?>",
    "&",
    "<",
    ">",
    "<<>>&&",
    "a < b > c & d",
    "\\",
    "\\\\n",
    "%s %d {0} {{x}} $x ${x}",
    "`code`",
    "# not a heading",
    "- not a list",
    "1. not a list",
    "> not a quote",
    "    not code",
    "| a | b |",
    "---",
    "~~not struck~~",
    "<https://example.org>",
    "https://example.org/a_b_c",
    "snake_case_words",
]


@pytest.fixture(scope="module")
def glyphs() -> Glyphs:
    return load_layout("default").glyphs


@pytest.fixture(scope="module")
def style(glyphs: Glyphs):
    """The summary's ReportLab paragraph style (fonts registered)."""
    from briefbook.fontfiles import registered_name
    from briefbook.fonts import paragraph_styles, register

    layout = load_layout("default")
    every_face = {(family, face) for family, faces in layout.fonts.items() for face in faces}
    fallbacks = [registered_name(path) for path in layout.fallback_fonts]
    return paragraph_styles(layout, register(layout, every_face, fallbacks))["mayor.summary"]


def parsed(markup: str, style) -> list:
    """The fragments ReportLab's paragraph parser makes of `markup` (raises if it cannot)."""
    from reportlab.platypus.paraparser import ParaParser

    result = ParaParser().parse(str(markup), style)
    assert result is not None, f"ReportLab cannot parse {markup!r}"
    return result[1]


def shown(markup: str, style) -> str:
    """The text a reader sees of `markup`."""
    return "".join(frag.text for frag in parsed(markup, style))


# --- plain text ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", NASTY)
def test_plain_prints_every_character_as_written(text: str, glyphs: Glyphs, style) -> None:
    assert shown(plain(text, glyphs), style) == " ".join(text.split())


def test_plain_escapes_the_three_markup_characters(glyphs: Glyphs) -> None:
    assert plain("R&D <foo> x>y", glyphs) == "R&amp;D &lt;foo&gt; x&gt;y"
    assert plain("&amp;", glyphs) == "&amp;amp;"


def test_plain_folds_whitespace(glyphs: Glyphs) -> None:
    assert plain("  a \n\n b\t c  ", glyphs) == "a b c"


def test_plain_reads_no_markdown(glyphs: Glyphs, style) -> None:
    text = "**x** *y* [z](https://example.org)"
    assert shown(plain(text, glyphs), style) == text
    assert all(not getattr(frag, "link", None) for frag in parsed(plain(text, glyphs), style))


def test_plain_wraps_characters_the_main_font_lacks_in_a_fallback(glyphs: Glyphs, style) -> None:
    arrow = glyphs.font_for(ord("→"))
    assert arrow, "→ should come from a fallback font"
    assert glyphs.font_for(ord("a")) is None
    markup = plain("a → b", glyphs)
    assert markup == f'a <font face="{arrow}">→</font> b'
    frags = parsed(markup, style)
    assert [f.text for f in frags] == ["a ", "→", " b"]
    assert frags[1].fontName == arrow


def test_plain_escapes_inside_a_fallback_run(glyphs: Glyphs, style) -> None:
    assert shown(plain("→<→&→", glyphs), style) == "→<→&→"


# --- rich text -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [t for t in NASTY if not t.startswith(("- ", "1. "))])
def test_rich_prints_literal_text_as_written(text: str, glyphs: Glyphs, style) -> None:
    paragraphs = rich(text, glyphs, LINK)
    visible = " ".join(shown(p, style) for p in paragraphs)
    # Nothing here is markup: not even `_`, which the data contract does not promise.
    assert visible == " ".join(text.split()).strip(), paragraphs


def test_rich_bold_italic_and_links(glyphs: Glyphs, style) -> None:
    [markup] = rich("**bold** and *italic* and [a link](https://example.org/x)", glyphs, LINK)
    assert markup == (
        f'<b>bold</b> and <i>italic</i> and <a href="https://example.org/x" '
        f'color="{LINK}">a link</a>'
    )
    frags = parsed(markup, style)
    assert "".join(f.text for f in frags) == "bold and italic and a link"
    assert frags[0].bold and not frags[0].italic
    assert frags[2].italic and not frags[2].bold
    assert [f.link for f in frags if f.link] == [[(0, "https://example.org/x")]]


def test_rich_paragraphs_split_on_blank_lines(glyphs: Glyphs, style) -> None:
    paragraphs = rich("one\ntwo\n\n\nthree\n \nfour", glyphs, LINK)
    assert [shown(p, style) for p in paragraphs] == ["one two", "three", "four"]


def test_rich_headings_stay_text_and_lists_become_items(glyphs: Glyphs, style) -> None:
    from briefbook.text import list_item

    paragraphs = rich("# not a heading\n\n- a bullet\n\n1. a number", glyphs, LINK)
    assert shown(paragraphs[0], style) == "# not a heading"
    assert [list_item(p) for p in paragraphs] == [None, (0, "", "a bullet"), (0, "1.", "a number")]


def test_underscores_are_letters_not_emphasis(glyphs: Glyphs, style) -> None:
    [markup] = rich("__init__ and _config_ and snake_case, [a_b](https://x.org/a_b)", glyphs, LINK)
    assert "<i>" not in markup and "<b>" not in markup
    assert shown(markup, style) == "__init__ and _config_ and snake_case, a_b"
    assert 'href="https://x.org/a_b"' in markup


def test_rich_link_address_cannot_break_the_markup(glyphs: Glyphs, style) -> None:
    [markup] = rich('[x](https://example.org/?a=1&b="2"<i>)', glyphs, LINK)
    frags = parsed(markup, style)
    assert "".join(f.text for f in frags) == "x"
    [[(_, href)]] = [f.link for f in frags if f.link]
    assert href.startswith("https://example.org/?a=1&b=")
    assert not any(c in href for c in '"<>')


def test_rich_link_text_is_escaped(glyphs: Glyphs, style) -> None:
    [markup] = rich("[R&D <x>](https://example.org)", glyphs, LINK)
    assert shown(markup, style) == "R&D <x>"


def test_rich_emphasis_text_is_escaped(glyphs: Glyphs, style) -> None:
    [markup] = rich("**<b>&amp;</b>**", glyphs, LINK)
    frags = parsed(markup, style)
    assert "".join(f.text for f in frags) == "<b>&amp;</b>"
    assert all(f.bold for f in frags)


def test_rich_empty_text_has_no_paragraphs(glyphs: Glyphs) -> None:
    assert rich("", glyphs, LINK) == []
    assert rich(" \n\n ", glyphs, LINK) == []


def test_link_targets_as_written(glyphs: Glyphs) -> None:
    assert link_targets("[a](https://x.org/a) and [b](mailto:me@x.org)") == [
        "https://x.org/a",
        "mailto:me@x.org",
    ]
    assert link_targets("no [link] here (really)") == []


# --- end to end ------------------------------------------------------------------------------

SUMMARY = (
    'R&D and x <y z and <foo> and a\\b and "quotes" and &amp; and **bold** and *italic* '
    "and [a link](https://example.org/x).\n"
    "\n"
    "# not a heading\n"
    "\n"
    "- a list item\n"
    "\n"
    "The second paragraph ends here.\n"
)
LITERALS = [
    "R&D",
    "x <y z",
    "<foo>",
    "a\\b",
    '"quotes"',
    "&amp;",
    "# not a heading",
    "• a list item",
]
# Each rich-text field, and the name heading the pages it prints on.
RICH_FIELDS = {
    "summary": ("mayors/tubbs.yaml", ("summary",), "Michael Tubbs"),
    "statement": ("book.yaml", ("statement", "body"), "Who We Are"),
    "initiative": ("mayors/durkan.yaml", ("initiatives", 0, "description"), "Jenny Durkan"),
}


def build(data: Path) -> Path:
    result = run("build", "--data", str(data), "--date", DATE, "--output", "out/x.pdf")
    assert result.exit_code == 0, result.output
    return Path("out/x.pdf")


def built_once(tmp_path_factory, name: str, fields: dict[tuple[str, tuple], str]) -> Book:
    """The small folder with these (file, key) -> value set, built in a folder of its own."""
    data = write_folder(tmp_path_factory.mktemp(name) / "data")
    for (rel, key), value in fields.items():
        set_field(data, rel, key, value)
    output = data.parent / "book.pdf"
    return build_book(output, data=data)


@pytest.fixture(scope="module")
def rich_book(tmp_path_factory) -> Book:
    """SUMMARY in every rich-text field: each prints on pages of its own."""
    return built_once(
        tmp_path_factory, "rich", {(rel, key): SUMMARY for rel, key, _ in RICH_FIELDS.values()}
    )


@pytest.mark.parametrize("where", list(RICH_FIELDS))
def test_rich_text_prints_as_written_in_the_pdf(rich_book: Book, where: str) -> None:
    _, _, heading = RICH_FIELDS[where]
    own = rich_book.pages_of(heading) if heading != "Who We Are" else [rich_book.headed(heading)]
    [page] = [i for i in own if "R&D and x" in rich_book.pages[i]]
    text = squash(rich_book.pages[page])
    assert text.count("R&D and x") == 1, "another field's copy would hide a missing literal"
    for literal in LITERALS:
        assert literal in text, f"{literal!r} not in {text!r}"
    assert "bold and italic and a link." in text
    assert "*" not in text
    assert "R&D;" not in text and "&amp;amp;" not in text and "&lt;" not in text
    lines = [squash(line) for line in rich_book.pages[page].splitlines()]
    assert "# not a heading" in lines and "• a list item" in lines
    assert "The second paragraph ends here." in lines
    assert "https://example.org/x" in rich_book.uri_links(page)


def test_bold_and_italic_use_the_bold_and_italic_faces(rich_book: Book) -> None:
    runs = rich_book.text_runs()
    bold = [font for text, font in runs if text.strip() == "bold"]
    italic = [font for text, font in runs if text.strip() == "italic"]
    assert len(bold) >= len(RICH_FIELDS), bold
    assert bold and all("Bold" in font for font in bold), bold
    assert italic and all("Italic" in font for font in italic), italic


def test_link_with_a_query_keeps_its_ampersand(data: Path) -> None:
    set_field(
        data,
        "mayors/tubbs.yaml",
        ("summary",),
        "See [the report](https://example.org/r?a=1&b=2) today.",
    )
    pdf = build(data)
    assert "https://example.org/r?a=1&b=2" in uri_links(pdf)
    assert any("See the report today." in squash(p) for p in pdf_pages(pdf))


PLAIN = 'R&D <foo> "q" a\\b &amp; **x** [y](https://e.org)'
PLAIN_FIELDS = {
    "book-title": ("book.yaml", ("title",)),
    "subtitle": ("book.yaml", ("subtitle",)),
    "organization": ("book.yaml", ("organization",)),
    "statement-heading": ("book.yaml", ("statement", "heading")),
    "mayor-name": ("mayors/tubbs.yaml", ("name",)),
    "city": ("mayors/tubbs.yaml", ("city",)),
    "initiative-name": ("mayors/durkan.yaml", ("initiatives", 0, "name")),
    "source-title": ("mayors/durkan.yaml", ("sources", 0, "title")),
    "theme-label": ("themes.yaml", ("policing", "label")),
}


def plain_in(where: str) -> str:
    """PLAIN with <foo> made the field's own (<fo1>, <fo2>, ...; the same length), so that
    each field's copy is looked for on its own."""
    return PLAIN.replace("<foo>", f"<fo{list(PLAIN_FIELDS).index(where) + 1}>")


TITLE, TITLE_PRINTED = "R&D <Chief> a\\b &amp;", "R&D <CHIEF> A\\B &AMP;"
NAME, NAME_BOOKMARKED = "Ann <O'Neil> & Co", "Ann <O'Neil> & Co — Washington, DC"


@pytest.fixture(scope="module")
def plain_book(tmp_path_factory) -> Book:
    """Every plain field holding its own copy of PLAIN, Tubbs's title TITLE and Bowser's
    name NAME."""
    fields = {field: plain_in(where) for where, field in PLAIN_FIELDS.items()}
    fields[("mayors/tubbs.yaml", ("title",))] = TITLE
    fields[("mayors/bowser.yaml", ("name",))] = NAME
    return built_once(tmp_path_factory, "plain", fields)


@pytest.mark.parametrize("where", list(PLAIN_FIELDS))
def test_plain_text_prints_as_written_in_the_pdf(plain_book: Book, where: str) -> None:
    assert plain_in(where) in squash(plain_book.text)
    assert len(plain_in(where)) == len(PLAIN) == 48  # the theme label's limit


def test_mayor_title_prints_upper_case_as_written(plain_book: Book) -> None:
    assert TITLE_PRINTED in squash(plain_book.text)


def test_outline_holds_the_plain_text(plain_book: Book) -> None:
    assert NAME_BOOKMARKED in [title for _, title, _ in plain_book.outline()]


def test_text_holding_the_footer_placeholder_prints_as_written(data: Path) -> None:
    title = "Budget \ufffctotal\ufffc"
    set_field(data, "book.yaml", ("title",), title)
    text = " ".join(pdf_pages(build(data)))
    assert title in text


# --- links validate refuses ------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["/crisis", "javascript:x()", "JavaScript:x()", "vbscript:x", "file:///etc/passwd", "data:,x"],
)
def test_a_link_that_is_not_a_web_address_is_reported(data: Path, target: str) -> None:
    edit(data, "mayors/durkan.yaml", "and the response", f"and [the response]({target})")
    refused(
        [
            f"data/mayors/durkan.yaml:9: summary: link to '{target}'; expected an http://, "
            "https:// or mailto: address"
        ]
    )


# Characters that Markdown reads in some places and not in others, spaces of several kinds,
# a character the main font lacks (Devanagari) and one no font has (a private-use one); half
# the examples without the characters that always send text to markdown-it.
_SOME = list("ab1 9.)-+_]()\\!<>&#`~=\n\t\u00a0\u2003\u2028\x1c\x0bक\ue000")
_TRICKY = st.one_of(
    st.text(alphabet=st.sampled_from([*_SOME, "*", "[", "\r", "\x00"]), max_size=14),
    st.text(alphabet=st.sampled_from(_SOME), max_size=14),
)


@settings(max_examples=400, deadline=None)
@given(text=_TRICKY)
def test_text_read_without_markdown_it_is_what_markdown_it_makes_of_it(glyphs, text):
    # Plain text skips markdown-it (it is not even imported then): that must change nothing.
    assert rich(text, glyphs, "#123456") == parsed_rich(text, glyphs, "#123456")
    if "[" not in text:  # and links() looks for none
        tokens = [c for t in text_module._parse(text) for c in t.children or ()]
        assert "link_open" not in {c.type for c in tokens}
