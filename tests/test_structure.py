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


THEMES = [
    "Reentry and second chances",
    "Youth and jobs",
    "Prevention and root causes",
    "Violence prevention",
    "Community policing and trust",
    "Police accountability and use of force",
    "Bias reduction and procedural justice",
    "Behavioral health and crisis response",
    "Public health approaches",
    "Diversion and alternatives to jail",
    "Bail and pretrial reform",
]


def test_the_table_says_who_works_on_what(reentry_tree):
    [table] = [n for n in reentry_tree.walk() if n.role == "Table"]
    header, *rows = table.kids
    assert table.roles() == ["TR"] * 6
    # a corner cell over the names, then the themes, each scoped to its column
    assert [(c.role, c.scope, c.text) for c in header.kids] == [("TH", "Column", "")] + [
        ("TH", "Column", theme) for theme in THEMES
    ]
    said = {}
    for row in rows:
        name, *cells = row.kids
        assert (name.role, name.scope) == ("TH", "Row")
        assert name.roles() == ["Link", "P"] and name.kids[0].links == 1  # to the mayor's page
        assert [c.role for c in cells] == ["TD"] * len(THEMES)
        said[name.kids[0].text] = [c.text for c in cells if c.text]
    assert list(said) == [
        "Muriel Bowser",
        "Melvin Carter",
        "Levar Stoney",
        "Marty Walsh",
        "Randall Woodfin",
    ]
    assert said["Marty Walsh"] == ["works on Reentry and second chances", "works on Youth and jobs"]
    assert all(cells[0] == "works on Reentry and second chances" for cells in said.values())
    assert not any(n.role == "Figure" for n in reentry_tree.walk())  # no picture of a table


def test_the_contents_are_a_toc_of_links_with_their_page_numbers(reentry_book: Book, reentry_tree):
    [toc] = [n for n in reentry_tree.root.kids if n.role == "TOC"]
    assert toc.roles() == ["TOCI"] * 3
    first, second, group = toc.kids
    assert [(k.role, k.text, k.links) for k in first.kids] == [("Link", "Who We Are 3", 1)]
    assert second.kids[0].text == "At a glance 4"
    assert group.roles() == ["P", "TOC"] and group.kids[0].text == "The mayors"
    entries = [item.kids[0].text for item in group.kids[1].kids]
    assert entries == [
        "Muriel Bowser Washington, DC 5",
        "Melvin Carter Saint Paul, MN 6",
        "Levar Stoney Richmond, VA 7",
        "Marty Walsh Boston, MA 8",
        "Randall Woodfin Birmingham, AL 9",
    ]
    # the numbers are the pages the mayors' names head
    for entry in entries:
        *words, page = entry.split()
        assert reentry_book.first_page_of(" ".join(words[:2])) == int(page) - 1


@pytest.fixture(scope="module")
def pocket_book(tmp_path_factory) -> Book:
    """Every mayor in the pocket layout: its contents and its table take two pages each."""
    return build_book(tmp_path_factory.mktemp("pocket") / "pocket.pdf", "--layout", "pocket")


def test_contents_over_two_pages_are_one_toc(pocket_book: Book):
    tree = read_tree(pocket_book.path)
    [toc] = [n for n in tree.root.kids if n.role == "TOC"]
    assert set().union(*(n.pages for n in _below(toc))) == {1, 2}  # both pages, one list
    numbers = [int(n.text.split()[-1]) for n in _below(toc) if n.role == "Link"]
    pages = [page + 1 for _, title, page in pocket_book.outline()[2:] if title != "The mayors"]
    assert numbers == pages and len(numbers) == 19


def test_a_table_over_two_pages_has_one_header_row(pocket_book: Book):
    tree = read_tree(pocket_book.path)
    [table] = [n for n in tree.walk() if n.role == "Table"]
    header, *rows = table.kids
    assert {c.scope for c in header.kids} == {"Column"} and len(rows) == 16
    pages = [set().union(*(n.pages for n in _below(row))) for row in rows]
    assert pages[0] == {4} and pages[-1] == {5}
    # the header repeated on the second page is furniture, not a second header row
    assert "Youth" not in tree.artifacts[4] and "Youth" in tree.artifacts[5]


def _below(node):
    out = []
    for kid in node.kids:
        out += [kid, *_below(kid)]
    return out


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


@pytest.fixture(scope="module")
def photo_book(tmp_path_factory) -> Book:
    """Marty Walsh's page with a described photo."""
    import shutil

    from support import append, write_png

    folder = tmp_path_factory.mktemp("photo")
    data = folder / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("meetings"))
    write_png(data / "images" / "walsh.png", 200, 250)
    append(
        data, "mayors/walsh.yaml", "photo: images/walsh.png\nphoto_alt: Marty Walsh in City Hall\n"
    )
    return build_book(folder / "walsh.pdf", "--mayor", "walsh", "--mayor", "bowser", data=data)


def test_a_photo_is_a_figure_with_its_description(photo_book: Book):
    figures = [n.alt for n in read_tree(photo_book.path).walk() if n.role == "Figure"]
    assert figures == ["Marty Walsh in City Hall"]
    assert broken_rules(photo_book.path.read_bytes()) == {"ua1": [], "2b": []}


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
    # the talking points are a list: L, an LI per point, its bullet a Lbl, its words an LBody
    [points] = [n for n in read_tree(folder / "book.pdf").walk() if n.role == "L"]
    assert [item.roles() for item in points.kids] == [["Lbl", "LBody"]] * 3
    bodies = [item.kids[1] for item in points.kids]
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


def test_a_figure_without_alt_is_caught(photo_book: Book):
    def without_alt(pdf):
        for element in _elements(pdf):
            if element.get("/S") == "/Figure":
                del element["/Alt"]

    assert (
        "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001"
        in broken_rules(_changed(photo_book.path, without_alt))["ua1"]
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
    assert first.roles() == ["Lbl", "LBody", "L"]  # the bullet, the words, the list under them
    assert [k.text for k in first.kids[:2]] == ["•", "Boston shows it works:"]
    [inner] = [k for k in first.kids if k.role == "L"]
    assert [[k.text for k in i.kids] for i in inner.kids] == [
        ["1.", "jobs first"],
        ["2.", "housing next"],
    ]
    assert [k.text for k in second.kids] == ["•", "Second point."]


def test_a_described_cover_picture_is_a_figure_and_an_undescribed_one_decoration(
    tmp_path: Path, small_book: Book
):
    import shutil

    from support import SMALL_DATA, edit

    undescribed = [n for n in read_tree(small_book.path).walk() if n.role == "Figure"]
    assert undescribed == []
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


# --- the heading levels are the layout's, made followable ----------------------------------


def test_a_layout_says_which_styles_are_headings_and_skips_are_closed(tmp_path: Path):
    folder = tmp_path / "levels"
    folder.mkdir()
    (folder / "layout.yaml").write_text(
        "extends: default\nstyles:\n"
        "  mayor.place: {heading: 3}\n"  # a heading the default layout does not have
        "  mayor.initiative_name: {heading: 6}\n",  # H6 under an H3: read as H4
        "utf-8",
    )
    book = build_book(tmp_path / "walsh.pdf", "--layout", str(folder), "--mayor", "walsh")
    headings = [(n.role, n.text) for n in read_tree(book.path).walk() if n.role[0] == "H"]
    start = headings.index(("H2", "Marty Walsh"))
    assert headings[start : start + 4] == [
        ("H2", "Marty Walsh"),
        ("H3", "Boston, MA"),
        ("H3", "INITIATIVES"),
        ("H4", "Office of Returning Citizens"),
    ]
    assert broken_rules(book.path.read_bytes()) == {"ua1": [], "2b": []}


def test_a_book_whose_title_is_no_h1_starts_at_h1(tmp_path: Path):
    folder = tmp_path / "flat"
    folder.mkdir()
    (folder / "layout.yaml").write_text(
        "extends: default\nstyles:\n  cover.title: {heading: 2}\n", "utf-8"
    )
    book = build_book(tmp_path / "flat.pdf", "--layout", str(folder), "--mayor", "walsh")
    levels = [(n.role, n.text) for n in read_tree(book.path).walk() if n.role[0] == "H"]
    # every level one up: the title and the parts are H1, the mayors' sections H2
    assert levels[:2] == [("H1", "Smart on Crime"), ("H1", "Who We Are")]
    assert (
        ("H1", "Marty Walsh") in levels
        and ("H2", "INITIATIVES") in levels
        and not any(r == "H4" for r, _ in levels)
    )
    assert broken_rules(book.path.read_bytes()) == {"ua1": [], "2b": []}


@pytest.mark.parametrize("args", [(), ("--layout", "one-pager"), ("--duplex", "--notes")])
def test_the_files_own_numbers_are_read_as_the_library_reads_them(tmp_path, monkeypatch, args):
    # with_tree reads the page and annotation numbers from qpdf's output itself (reading
    # it back through pikepdf cost as much memory as writing it); both must agree.
    import briefbook.structure as structure

    seen = []
    original = structure.with_tree

    def compared(pdf, tree, keys):
        seen.append((structure.numbers_of(pdf, keys.pages), structure._numbers_by_library(pdf)))
        return original(pdf, tree, keys)

    monkeypatch.setattr(structure, "with_tree", compared)
    build_book(tmp_path / "book.pdf", *args)
    ((mine, library),) = seen
    assert mine is not None
    assert mine == library
    with pikepdf.open(tmp_path / "book.pdf") as pdf:
        assert len(mine[0]) == len(pdf.pages)


def test_a_file_not_shaped_as_qpdf_writes_it_is_left_to_the_library():
    from briefbook.structure import numbers_of

    assert numbers_of(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\nstartxref\n9\n%%EOF\n", 1) is None
