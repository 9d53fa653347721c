"""The whole seed book, as a reader meets it: words, pages, contents, bookmarks, links,
metadata and fonts. The book is built once per session (conftest.default_book)."""

from __future__ import annotations

import re

import pytest

import briefbook
from conftest import (
    DATA,
    DATE_ON_COVER,
    Book,
    DataSet,
    assert_words_in_order,
    rich_links,
    rich_words,
    squash,
    words_in_order,
)

# The numbered ones; "The mayors" heads a group. The themes' legend has a page of its own in
# the full book: it does not fit under a table of sixteen mayors.
SECTIONS = ("Who We Are", "At a glance", "The themes")


def test_all_sixteen_mayors_are_in_the_book(default_book: Book, seed: DataSet):
    names = seed.names()
    assert len(names) == 16
    text = squash(default_book.text)
    assert [n for n in names if n not in text] == []


def test_each_mayor_has_a_page_of_their_own(default_book: Book, seed: DataSet):
    firsts = [default_book.first_page_of(name) for name in seed.names()]
    assert firsts == sorted(set(firsts)), "mayor pages are out of reading order or shared"


def test_statement_heading_and_every_word_of_its_paragraphs(default_book: Book, seed: DataSet):
    statement = seed.book["statement"]
    paragraphs = [p for p in statement["body"].split("\n\n") if p.strip()]
    assert len(paragraphs) == 3
    page = default_book.headed(statement["heading"])
    assert statement["heading"] == "Who We Are"
    assert_words_in_order(
        [w for p in paragraphs for w in rich_words(p)], default_book.pages[page].split()
    )


def test_the_word_check_can_fail(default_book: Book, seed: DataSet):
    """The oracle the text tests lean on rejects a missing word and a swapped pair."""
    words = default_book.words
    body = rich_words(seed.book["statement"]["body"])
    assert words_in_order(body, words) is None
    assert words_in_order([*body[:5], "Zanzibar", *body[5:]], words) is not None
    assert words_in_order([body[1], body[0], *body[2:]], words) is not None


@pytest.mark.parametrize("mayor_id", list(DataSet(DATA).mayors))
def test_every_word_of_each_summary_is_on_the_mayors_page(
    default_book: Book, seed: DataSet, mayor_id: str
):
    mayor = seed.mayors[mayor_id]
    pages = default_book.pages_of(seed.name(mayor_id))
    words = " ".join(default_book.pages[i] for i in pages).split()
    assert_words_in_order(rich_words(mayor["summary"]), words)


def test_cover(default_book: Book, seed: DataSet):
    cover = squash(default_book.pages[0])
    book = seed.book
    for expected in (
        book["title"],
        book["subtitle"],
        DATE_ON_COVER,
        book["organization"],
    ):
        assert expected in cover
    # The seed book has no cover picture, so it credits none.
    assert "cover" not in book and "Photo:" not in cover
    assert not any(name in cover for name in seed.names()), "the cover names no single mayor"


def test_contents_has_a_row_for_each_section_and_mayor(default_book: Book, seed: DataSet):
    labels = [label for label, _ in default_book.contents_entries()]
    expected = [*SECTIONS, *seed.names()]
    # A back page (book.yaml `contact`) adds one row after the mayors.
    assert len(labels) == len(expected) + ("contact" in seed.book)
    for label, want in zip(labels, expected, strict=False):
        assert label == want or label.startswith(want + " "), (label, want)


def _contents_numbers(book: Book, seed: DataSet) -> dict[str, int]:
    numbers = {}
    for label, number in book.contents_entries():
        key = next(
            (k for k in [*SECTIONS, *seed.names()] if label == k or label.startswith(k + " ")),
            label,
        )
        numbers[key] = number
    return numbers


@pytest.mark.parametrize("heading", SECTIONS)
def test_contents_number_of_a_section_leads_to_its_heading(
    default_book: Book, seed: DataSet, heading: str
):
    number = _contents_numbers(default_book, seed)[heading]
    assert default_book.lines(number - 1)[0] == heading
    assert number - 1 == default_book.headed(heading)


def test_contents_number_of_each_mayor_leads_to_their_page(default_book: Book, seed: DataSet):
    numbers = _contents_numbers(default_book, seed)
    for name in seed.names():
        assert default_book.heads(numbers[name] - 1, name), name
        assert numbers[name] == default_book.first_page_of(name) + 1, name


def test_the_mayors_heads_its_group_in_the_contents_without_a_number(
    default_book: Book, seed: DataSet
):
    # No page is titled "The mayors", so its row heads the group and carries no number.
    numbers = _contents_numbers(default_book, seed)
    assert "The mayors" not in numbers
    assert "The mayors" in default_book.lines(1)
    names = seed.names()
    lines = default_book.lines(1)
    assert lines.index("The mayors") < min(
        i for i, line in enumerate(lines) if line.startswith(names[0])
    )


def test_page_count_is_the_total_in_every_footer(default_book: Book):
    totals = {f[1] for f in default_book.footers() if f is not None}
    assert totals == {len(default_book.reader.pages)}


def test_every_page_but_the_cover_has_its_own_number_in_the_footer(default_book: Book):
    footers = default_book.footers()
    assert footers[0] is None, "the cover has no footer"
    for index, footer in enumerate(footers[1:], start=1):
        assert footer is not None, f"page {index + 1} has no footer"
        assert footer[0] == index + 1


def test_outline(default_book: Book, seed: DataSet):
    outline = default_book.outline()
    top = [(title, page) for level, title, page in outline if level == 0]
    assert [title for title, _ in top][:6] == ["Cover", "Contents", *SECTIONS, "The mayors"]
    assert len(top) == 6 + ("contact" in seed.book)
    pages = dict(top)
    assert pages["Cover"] == 0
    assert pages["Contents"] == default_book.headed("Contents")
    assert pages["Who We Are"] == default_book.headed("Who We Are")
    assert pages["At a glance"] == default_book.headed("At a glance")
    assert pages["The themes"] == default_book.headed("The themes") == pages["At a glance"] + 1
    assert pages["The mayors"] == default_book.first_page_of(seed.names()[0])


def test_outline_has_one_child_per_mayor_at_their_page(default_book: Book, seed: DataSet):
    outline = default_book.outline()
    parent = [title for level, title, _ in outline].index("The mayors")
    assert [level for level, _, _ in outline[parent + 1 : parent + 17]] == [1] * 16
    children = [(title, page) for level, title, page in outline if level == 1]
    names = seed.names()
    assert len(children) == len(names) == 16
    for (title, page), name in zip(children, names, strict=True):
        assert title.startswith(name), (title, name)
        assert page == default_book.first_page_of(name), title


def test_outline_children_follow_surname_order(default_book: Book):
    names = [title.split(" — ")[0] for level, title, _ in default_book.outline() if level == 1]
    assert names[:3] == ["Muriel Bowser", "Melvin Carter", "Bill de Blasio"]
    assert names[-1] == "Randall Woodfin"


def _contents_pages(book: Book) -> range:
    top = {title: page for level, title, page in book.outline() if level == 0}
    return range(top["Contents"], top["Who We Are"])


def test_contents_rows_are_links_to_the_right_pages(default_book: Book, seed: DataSet):
    targets = [
        page for i in _contents_pages(default_book) for _, page in default_book.internal_links(i)
    ]
    numbers = [number for _, number in default_book.contents_entries()]
    assert targets == [n - 1 for n in numbers]
    mayors = [default_book.first_page_of(name) for name in seed.names()]
    assert targets[len(SECTIONS) : len(SECTIONS) + len(mayors)] == mayors
    assert targets[0] == default_book.headed("Who We Are")


def test_glance_rows_are_links_to_the_mayors(default_book: Book, seed: DataSet):
    top = {title: page for level, title, page in default_book.outline() if level == 0}
    targets = [
        page
        for i in range(top["At a glance"], top["The mayors"])
        for _, page in default_book.internal_links(i)
    ]
    assert targets == [default_book.first_page_of(name) for name in seed.names()]


def test_source_urls_are_links(default_book: Book, seed: DataSet):
    for mayor_id, mayor in seed.mayors.items():
        expected = rich_links(mayor["summary"])
        for initiative in mayor.get("initiatives", []):
            expected += rich_links(initiative.get("description", ""))
        expected += [s["url"] for s in mayor.get("sources", [])]
        assert expected, f"{mayor_id} has no source: the test would prove nothing"
        pages = default_book.pages_of(seed.name(mayor_id))
        found = [uri for i in pages for uri in default_book.uri_links(i)]
        assert sorted(found) == sorted(expected), mayor_id


def test_no_page_outside_the_mayors_links_out(default_book: Book, seed: DataSet):
    mayor_pages = {i for name in seed.names() for i in default_book.pages_of(name)}
    for index in range(len(default_book.pages)):
        if index not in mayor_pages:
            assert default_book.uri_links(index) == [], f"page {index + 1}"


def test_metadata(default_book: Book, seed: DataSet):
    meta = default_book.reader.metadata
    assert meta["/Title"] == seed.book["title"]
    assert meta["/Author"] == seed.book["organization"]
    assert meta["/Creator"] == f"briefbook {briefbook.__version__}"
    assert meta["/Subject"] == f"All {len(seed.mayors)} mayors"
    used = {t for m in seed.mayors.values() for t in m["themes"]}
    labels = [seed.themes[t]["label"] for t in seed.themes if t in used]
    assert meta["/Keywords"].split(", ") == labels


BASE_14 = re.compile(r"^/?(Helvetica|Times|Courier|Symbol|ZapfDingbats)", re.I)


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_every_font_is_embedded(default_book: Book):
    fonts = default_book.fonts()
    assert any(use.in_form for use in fonts), (
        "no font of a Form XObject was visited: the footer totals and contents numbers are forms"
    )
    for use in fonts:
        where = f"page {use.page + 1}{' (a form)' if use.in_form else ''}"
        assert _embedded(use.font), f"{where}: font {use.name} is not embedded"
        assert not BASE_14.match(use.name.split("+")[-1]), f"{where}: base-14 font {use.name}"


def test_curly_apostrophes_and_em_dashes_survive(default_book: Book, seed: DataSet):
    texts = [seed.book["statement"]["body"]]
    for mayor in seed.mayors.values():
        texts.append(mayor["summary"])
        texts += [i.get("description", "") for i in mayor.get("initiatives", [])]
    special = {w for t in texts for w in rich_words(t) if "’" in w or "—" in w}
    assert any("’" in w for w in special) and any("—" in w for w in special)
    words = set(default_book.words)
    assert sorted(special - words) == []


def test_reading_each_font_once_gives_the_text_pypdf_reads(default_book: Book):
    """conftest.Book parses each font once per book, not once per page (fonts_parsed_once):
    what it reads must be what pypdf reads on its own, and the step it caches must exist."""
    from pypdf import PdfReader
    from pypdf._page import Font

    step = vars(Font).get("from_font_resource")
    assert isinstance(step, classmethod), (
        "pypdf no longer parses fonts in Font.from_font_resource, so fonts_parsed_once does "
        "nothing: find the new step or remove it"
    )
    assert default_book.text  # every page read; all but the first from parsed fonts
    assert len(default_book._fonts) >= 3
    plain = PdfReader(default_book.path).pages
    for index in (1, default_book.headed("Who We Are"), default_book.page_count - 1):
        assert default_book.pages[index] == (plain[index].extract_text() or ""), index
    assert vars(Font)["from_font_resource"] is step, "the patch was not undone"
