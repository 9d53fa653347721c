"""Every book is a tagged PDF that a screen reader can follow: its structure tree, read back
with pdfminer.six and pikepdf (tests/structure_reader.py), holds the words of every page in
reading order under their roles, the footers and rules are artifacts, pictures and the
at-a-glance table have their descriptions, and links sit in Link elements. page-validation,
an independent checker, finds no PDF/UA-1 or PDF/A-2b rule broken on any shipped layout or
print option, and does find the mistakes the negative controls make."""

from __future__ import annotations

import io
from pathlib import Path

import page
import pikepdf
import pytest

from conftest import Book, build_book
from structure_reader import read_tree
from support import DATA

EDITIONS = {
    "read-ahead": ("--layout", "read-ahead", "--theme", "reentry"),
    "one-pager": ("--layout", "one-pager", "--state", "PA"),
    "classic": ("--layout", "classic", "--mayor", "walsh", "--mayor", "bowser"),
    "pocket": ("--layout", "pocket", "--state", "CA"),
    "duplex and notes": ("--theme", "reentry", "--duplex", "--notes"),
    "bleed and crop marks": ("--state", "PA", "--bleed", "3mm", "--crop-marks"),
    "grayscale": ("--mayor", "walsh", "--grayscale"),
}


def broken_rules(pdf: bytes) -> dict[str, list[str]]:
    return {
        profile: sorted({f.rule_id for f in page.validate_pdf_bytes(pdf, profile=profile).failures})
        for profile in ("ua1", "2b")
    }


@pytest.mark.parametrize("name", list(EDITIONS))
def test_every_layout_and_print_option_breaks_no_rule(tmp_path: Path, name: str):
    book = build_book(tmp_path / "book.pdf", *EDITIONS[name])
    assert broken_rules(book.path.read_bytes()) == {"ua1": [], "2b": []}
    tree = read_tree(book.path)
    assert tree.untagged == {}  # every word drawn is tagged, or marked as an artifact


def test_the_seed_books_break_no_rule(default_book: Book, small_book: Book):
    for book in (default_book, small_book):
        assert broken_rules(book.path.read_bytes()) == {"ua1": [], "2b": []}, book.path


@pytest.fixture(scope="module")
def reentry_tree(reentry_book: Book):
    return read_tree(reentry_book.path)


def test_headings_come_in_reading_order_without_skipping_a_level(reentry_tree):
    headings = [(n.role, n.text) for n in reentry_tree.walk() if n.role.startswith("H")]
    assert headings[:6] == [
        ("H1", "Smart on Crime"),
        ("H2", "Contents"),
        ("H2", "Who We Are"),
        ("H2", "At a glance"),
        ("H3", "THE THEMES"),
        ("H2", "Muriel Bowser"),
    ]
    names = [text for role, text in headings if role == "H2"][3:]
    assert names == [
        "Muriel Bowser",
        "Melvin Carter",
        "Levar Stoney",
        "Marty Walsh",
        "Randall Woodfin",
    ]
    deepest = 0
    for role, text in headings:
        level = int(role[1])
        assert level <= deepest + 1, (role, text)
        deepest = level


def test_every_word_of_a_page_is_in_the_tree_or_furniture(reentry_book: Book, reentry_tree):
    tagged = " ".join(n.text for n in reentry_tree.walk())
    for index in range(reentry_book.page_count):
        furniture = reentry_tree.artifacts.get(index, "")
        for line in reentry_book.lines(index):
            for word in line.split():
                assert word in tagged or word in furniture, (index, word)
    # the footers are artifacts, not text to read between paragraphs
    assert "page 2 of 9" in reentry_tree.artifacts[1]
    assert "page 2 of 9" not in tagged


def test_paragraphs_keep_their_spaces_where_lines_break(reentry_tree):
    texts = [n.text for n in reentry_tree.walk() if n.role == "P"]
    statement = next(t for t in texts if t.startswith("Reforming the criminal justice"))
    assert "across the country. But the momentum" in statement


def test_the_table_says_who_works_on_what(reentry_tree):
    [figure] = [n for n in reentry_tree.walk() if n.role == "Figure"]
    assert figure.alt.startswith("Who works on what: Muriel Bowser works on Reentry and second ")
    assert "Marty Walsh works on Reentry and second chances, Youth and jobs" in figure.alt


def test_chips_read_as_the_themes_they_name(reentry_tree):
    chips = [n.text for n in reentry_tree.walk() if n.text.startswith("Themes: ")]
    assert "Themes: Reentry and second chances, Youth and jobs" in chips


def test_links_are_held_by_link_elements(reentry_book: Book, reentry_tree):
    with pikepdf.open(reentry_book.path) as pdf:
        annotations = sum(len(p.obj.get("/Annots") or []) for p in pdf.pages)
        for p in pdf.pages:
            for annot in p.obj.get("/Annots") or []:
                assert "/StructParent" in annot
    links = [n for n in reentry_tree.walk() if n.role == "Link"]
    assert sum(n.links for n in links) == annotations > 10


def test_a_photo_is_a_figure_with_its_description(tmp_path: Path):
    import shutil

    from support import append, write_png

    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("meetings"))
    write_png(data / "images" / "walsh.png", 200, 250)
    append(
        data, "mayors/walsh.yaml", "photo: images/walsh.png\nphoto_alt: Marty Walsh in City Hall\n"
    )
    book = build_book(tmp_path / "walsh.pdf", "--mayor", "walsh", "--mayor", "bowser", data=data)
    figures = [n.alt for n in read_tree(book.path).walk() if n.role == "Figure"]
    assert "Marty Walsh in City Hall" in figures
    assert broken_rules(book.path.read_bytes()) == {"ua1": [], "2b": []}


def test_the_meeting_papers_break_no_rule(tmp_path: Path):
    import contextlib
    import shutil

    from support import run

    shutil.copytree(DATA, tmp_path / "data")
    with contextlib.chdir(tmp_path):
        assert run("meeting", "smith").exit_code == 0
    folder = tmp_path / "out/2026-12-03-smith"
    for paper in ("read-ahead.pdf", "book.pdf", "leave-behinds.pdf"):
        assert broken_rules((folder / paper).read_bytes()) == {"ua1": [], "2b": []}, paper
    # the talking points are a list: L, an LI per point, its words in an LBody
    [points] = [n for n in read_tree(folder / "book.pdf").walk() if n.role == "L"]
    assert [item.role for item in points.kids] == ["LI", "LI", "LI"]
    bodies = [item.kids[0] for item in points.kids]
    assert [b.role for b in bodies] == ["LBody"] * 3
    assert bodies[0].text.startswith("Philadelphia relies less on cash bail")
    assert (
        bodies[2].text
        == "Mayors across the country ask Congress to back what works in their cities."
    )


# --- negative controls: the checker sees each kind of mistake the tagging prevents ---------


def _changed(path: Path, change) -> bytes:
    with pikepdf.open(path) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _elements(pdf):
    return list(pdf.Root.StructTreeRoot.K[0].K)


def test_a_figure_without_alt_is_caught(reentry_book: Book):
    def without_alt(pdf):
        for element in _elements(pdf):
            if element.get("/S") == "/Figure":
                del element["/Alt"]

    assert (
        "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001"
        in broken_rules(_changed(reentry_book.path, without_alt))["ua1"]
    )


def test_a_skipped_heading_level_is_caught(reentry_book: Book):
    def skipped(pdf):
        next(e for e in _elements(pdf) if e.get("/S") == "/H2").S = pikepdf.Name("/H4")

    assert "PDFUA1-HEADING-NESTING-001" in broken_rules(_changed(reentry_book.path, skipped))["ua1"]


def test_an_untagged_footer_is_caught(reentry_book: Book):
    def untagged(pdf):
        target = pdf.pages[2]
        kept, open_kinds = [], []
        for operands, op in pikepdf.parse_content_stream(target):
            name = str(op)
            if name == "BMC" and operands and str(operands[0]) == "/Artifact":
                open_kinds.append("artifact")
                continue
            if name == "BDC":
                open_kinds.append("tagged")
            if name == "EMC" and open_kinds.pop() == "artifact":
                continue
            kept.append((operands, op))
        target.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))

    assert (
        "PDFUA1-CONTENT-TAGGING-001" in broken_rules(_changed(reentry_book.path, untagged))["ua1"]
    )


def test_a_list_inside_a_list_item_is_nested_in_it(tmp_path: Path):
    import contextlib
    import shutil

    from support import run

    shutil.copytree(DATA, tmp_path / "data")
    (tmp_path / "data/meetings/nested.yaml").write_text(
        "with: Office of X\ndate: 2026-12-04\nmayors: [walsh]\ntalking_points:\n"
        "  - |\n    Boston shows it works:\n\n    1. jobs first\n    2. housing next\n"
        "  - Second point.\n",
        "utf-8",
    )
    with contextlib.chdir(tmp_path):
        assert run("meeting", "nested").exit_code == 0
    tree = read_tree(tmp_path / "out/2026-12-04-nested/book.pdf")
    [outer] = [n for n in tree.root.kids if n.role == "L"]
    first, second = outer.kids
    assert first.kids[0].text == "Boston shows it works:"
    [inner] = [k for k in first.kids if k.role == "L"]
    assert [i.kids[0].text for i in inner.kids] == ["jobs first", "housing next"]
    assert second.kids[0].text == "Second point."


def test_a_described_cover_picture_is_a_figure_and_an_undescribed_one_decoration(
    tmp_path: Path, small_book: Book
):
    import shutil

    from support import SMALL_DATA, edit

    undescribed = [n for n in read_tree(small_book.path).walk() if n.role == "Figure"]
    assert [n.alt.split(":")[0] for n in undescribed] == ["Who works on what"]  # the table
    data = tmp_path / "data"
    shutil.copytree(SMALL_DATA, data)
    alt = "A harbour at dawn, boats moored along the quay"
    edit(
        data,
        "book.yaml",
        "  image: images/harbour.jpg\n",
        f"  image: images/harbour.jpg\n  image_alt: {alt}\n",
    )
    book = build_book(tmp_path / "cover.pdf", data=data)
    figures = [n for n in read_tree(book.path).walk() if n.role == "Figure"]
    assert figures[0].alt == alt and figures[0].pages == {0}
    assert broken_rules(book.path.read_bytes()) == {"ua1": [], "2b": []}
