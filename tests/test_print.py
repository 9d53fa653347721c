"""Print options, read back from the PDF: which pages a duplex book leaves blank and where
its page numbers and margins sit; a booklet's order, sheet by sheet; the boxes and crop marks
of a book for a print shop; the lines for notes under every mayor."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import (
    LAParams,
    LTChar,
    LTCurve,
    LTImage,
    LTLayoutContainer,
    LTLine,
    LTTextLine,
)
from pypdf import PdfReader

from conftest import Book, Builder
from support import DATA, SMALL_DATA, run_cli, unstamped

LAYOUTS = ["default", "classic", "read-ahead", "one-pager", "pocket"]
BLANK = "This page intentionally left blank"
NUMBER = re.compile(r"page (\d+) of")  # the total is a form of its own on left-hand pages
MM = 72 / 25.4


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float


class Drawn:
    """What each page of a PDF draws, where: lines of text, strokes, images (pdfminer, a
    reader the project did not write; inside form XObjects too)."""

    def __init__(self, path: Path):
        self.pages = list(extract_pages(path, laparams=LAParams(all_texts=True)))

    def lines(self, index: int) -> list[Line]:
        return [
            Line(" ".join(o.get_text().split()), o.x0, o.x1, o.y0, o.y1)
            for o in _walk(self.pages[index])
            if isinstance(o, LTTextLine) and o.get_text().strip()
        ]

    def text(self, index: int) -> str:
        return " ".join(line.text for line in self.lines(index))

    def chars(self, index: int) -> list[LTChar]:
        return [o for o in _walk(self.pages[index]) if isinstance(o, LTChar)]

    def strokes(self, index: int) -> list[LTCurve]:
        return [o for o in _walk(self.pages[index]) if isinstance(o, LTCurve)]

    def images(self, index: int) -> list[LTImage]:
        return [o for o in _walk(self.pages[index]) if isinstance(o, LTImage)]


def _walk(item):
    yield item
    if isinstance(item, LTLayoutContainer) or hasattr(item, "__iter__"):
        for child in item:
            yield from _walk(child)


def _number_line(drawn: Drawn, index: int) -> Line | None:
    found = [line for line in drawn.lines(index) if NUMBER.search(line.text)]
    return found[0] if found else None


# --- duplex ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def duplex(tmp_path_factory) -> tuple[Book, Drawn]:
    out = tmp_path_factory.mktemp("duplex") / "book.pdf"
    result = run_cli(
        ["build", "--data", str(DATA), "--theme", "reentry", "--duplex", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return Book(out), Drawn(out)


def _opening_pages(book: Book) -> list[int]:
    """0-based indexes of the pages the statement and each mayor open on."""
    mayors = [label for label, _ in book.contents_entries() if label not in SECTIONS]
    return [book.headed("Who We Are"), *(book.first_page_of(name) for name in mayors)]


SECTIONS = {"Who We Are", "At a glance", "The mayors", "Contact"}


def test_duplex_opens_the_statement_and_every_mayor_on_a_right_hand_page(duplex):
    book, _ = duplex
    openings = _opening_pages(book)
    assert len(openings) == 6  # the statement and the five reentry mayors
    assert all(i % 2 == 0 for i in openings), [i + 1 for i in openings]  # odd page numbers


def test_duplex_blank_pages_are_the_left_hand_ones_before_an_opening(duplex):
    book, drawn = duplex
    blanks = [i for i in range(book.page_count) if BLANK in book.pages[i]]
    assert blanks, "the reentry mayors each fill one page: some left-hand page stays empty"
    openings = set(_opening_pages(book))
    for i in blanks:
        assert i % 2 == 1, f"page {i + 1} is blank but a right-hand page"
        assert i + 1 in openings, f"page {i + 1} is blank but no part opens after it"
        # The words alone: no footer, no running head, no rule.
        assert drawn.text(i) == BLANK
        assert not drawn.strokes(i)
    # Every other left-hand page before an opening has something on it.
    for i in openings:
        if i % 2 == 0 and i - 1 not in blanks and i > 0:
            assert book.pages[i - 1].strip() and BLANK not in book.pages[i - 1]


def test_duplex_page_numbers_are_in_the_outer_corners(duplex):
    book, drawn = duplex
    width = float(book.reader.pages[0].mediabox.width)
    total = book.page_count
    seen = 0
    for i in range(1, total):
        line = _number_line(drawn, i)
        if BLANK in book.pages[i]:
            assert line is None
            continue
        assert line is not None, f"page {i + 1} has no page number"
        assert NUMBER.search(line.text).group(1) == str(i + 1)
        assert book.footers()[i] == (i + 1, total)
        if (i + 1) % 2:  # right-hand: the number ends at the outer (right) margin
            assert line.x1 == pytest.approx(width - 88, abs=1.5), (i + 1, line)
        else:  # left-hand: it starts at the outer (left) margin
            assert line.x0 == pytest.approx(88, abs=1.5), (i + 1, line)
        seen += 1
    assert seen >= 6


def test_duplex_margins_mirror_and_the_column_keeps_its_width(duplex):
    """Right-hand pages stand 112 points from the left edge (the inner margin), left-hand
    pages 88 (the outer): the footer's rule spans the same 412 points on both."""
    book, drawn = duplex
    width = float(book.reader.pages[0].mediabox.width)
    for i in range(1, book.page_count):
        if BLANK in book.pages[i]:
            continue
        rules = [s for s in drawn.strokes(i) if s.height < 1 and s.width > 300]
        footer = min(rules, key=lambda s: s.y0)
        inner_left = (i + 1) % 2 == 1
        assert footer.x0 == pytest.approx(112 if inner_left else 88, abs=0.5), i + 1
        assert footer.x1 == pytest.approx(width - (88 if inner_left else 112), abs=0.5), i + 1


def test_duplex_contents_numbers_are_right_and_stay_at_the_right(duplex):
    book, drawn = duplex
    entries = book.contents_entries()
    for label, number in entries:
        if label in {"The mayors"}:
            continue
        assert any(label.startswith(line) for line in book.lines(number - 1)[:2]), label
    contents = book.headed("Contents")
    numbers = [line for line in drawn.lines(contents) if line.text.isdigit() and line.y0 > 60]
    assert len({round(n.x1) for n in numbers}) == 1  # right-aligned, in one column
    assert [int(n.text) for n in sorted(numbers, key=lambda n: -n.y0)] == [n for _, n in entries]


def test_duplex_bookmarks_and_contents_links_land_on_the_opening_pages(duplex):
    book, _ = duplex
    openings = _opening_pages(book)
    titled = [(title, page) for _, title, page in book.outline()]
    mayors = [page for title, page in titled if "—" in title]  # "Name — City, ST"
    assert mayors == openings[1:]
    assert ("Who We Are", openings[0]) in titled
    contents = book.headed("Contents")
    targets = [page for _, page in book.internal_links(contents)]
    assert [number for _, number in book.contents_entries()] == [t + 1 for t in targets]
    assert set(openings) <= set(targets)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_duplex_on_every_layout(build_pdf: Builder, layout: str):
    result, pdf = build_pdf("--layout", layout, "--duplex", "--theme", "reentry")
    assert result.exit_code == 0, result.output
    _plain, plain_pdf = build_pdf("--layout", layout, "--theme", "reentry", name="plain.pdf")
    book, simplex = Book(pdf), Book(plain_pdf)
    blanks = [i for i in range(book.page_count) if BLANK in book.pages[i]]
    # The same words (page numbers aside; a right-hand footer reads title first), and only
    # blank pages more.
    assert book.page_count == simplex.page_count + len(blanks)

    def words(b: Book) -> list[str]:
        text = unstamped(" ".join(b.pages[i].replace(BLANK, "") for i in range(b.page_count)))
        return sorted(w for w in text.split() if not w.isdigit())

    assert words(book) == words(simplex)
    assert all(book.pages[i].strip() == BLANK for i in blanks)
    if layout == "one-pager":  # each leave-behind a sheet of its own
        assert book.page_count == 2 * simplex.page_count - 1
        assert blanks == list(range(1, book.page_count, 2))


def test_a_mayor_running_over_pages_continues_on_mirrored_pages(tmp_path: Path, build_pdf):
    data = tmp_path / "data"
    shutil.copytree(SMALL_DATA, data)
    mayor = sorted((data / "mayors").glob("*.yaml"))[0]
    text = mayor.read_text("utf-8")
    long = " ".join(["The programme grew from one office to every district."] * 120)
    mayor.write_text(re.sub(r"(?m)^summary:.*$", f"summary: {long}", text, count=1), "utf-8")
    assert long in mayor.read_text("utf-8")
    result, pdf = build_pdf("--duplex", "--data", str(data))
    assert result.exit_code == 0, result.output
    drawn = Drawn(pdf)
    book = Book(pdf)
    width = float(book.reader.pages[0].mediabox.width)
    pages = [i for i in range(book.page_count) if "every district" in book.pages[i]]
    assert len(pages) >= 2
    for i in pages:
        body = [line for line in drawn.lines(i) if "every district" in line.text]
        left = min(line.x0 for line in body)
        assert left == pytest.approx(112 if (i + 1) % 2 else 88, abs=1), i + 1
        assert max(line.x1 for line in body) <= width - (88 if (i + 1) % 2 else 112) + 1


# --- booklet ---------------------------------------------------------------------------


def _halves(path: Path) -> list[tuple[str, str]]:
    """The text of the left and right half of each side of each sheet, in order."""
    drawn = Drawn(path)
    reader = PdfReader(path)
    out = []
    for i, page in enumerate(reader.pages):
        middle = float(page.mediabox.width) / 2
        left = "".join(c.get_text() for c in drawn.chars(i) if c.x1 <= middle + 0.5)
        right = "".join(c.get_text() for c in drawn.chars(i) if c.x0 >= middle - 0.5)
        assert len(left) + len(right) == len(drawn.chars(i)), "a character across the fold"
        out.append((left, right))
    return out


def _page_chars(path: Path) -> list[str]:
    drawn = Drawn(path)
    return ["".join(c.get_text() for c in drawn.chars(i)) for i in range(len(drawn.pages))]


def _squashed(text: str) -> str:
    """The characters of `text`, sorted: the glyphs of a page, in whatever order a reader
    groups rotated and placed text."""
    return "".join(sorted(re.sub(r"\s+", "", text)))


@pytest.mark.parametrize(
    ("layout", "sheet"),
    [
        ("default", (1224, 792)),
        ("classic", (1191, 842)),
        ("one-pager", (1224, 792)),
        ("pocket", (792, 612)),  # half-letter pages on a letter sheet
    ],
)
def test_booklet_pages_in_saddle_stitch_order(build_pdf: Builder, layout: str, sheet):
    result, pdf = build_pdf("--layout", layout, "--booklet", "--theme", "reentry")
    assert result.exit_code == 0, result.output
    booklet = pdf.with_name(f"{pdf.stem}-booklet.pdf")
    book = Book(pdf)  # the book beside it, printed duplex
    n = book.page_count
    padded = -(-n // 4) * 4
    assert f"{booklet}: {padded // 4} sheet" in result.output
    reader = PdfReader(booklet)
    assert len(reader.pages) == padded // 2  # two sides per sheet
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    }
    assert sizes == {sheet}
    blank = _squashed(BLANK)
    pages = [_squashed(t) for t in _page_chars(pdf)] + [blank] * (padded - n)
    halves = _halves(booklet)
    for k, (left, right) in enumerate(halves):
        sheet_no, back = divmod(k, 2)
        # Sheet s (from 1): front N-2s+2 | 2s-1, back 2s | N-2s+1.
        s = sheet_no + 1
        want = (2 * s, padded - 2 * s + 1) if back else (padded - 2 * s + 2, 2 * s - 1)
        assert (_squashed(left), _squashed(right)) == (pages[want[0] - 1], pages[want[1] - 1]), (
            f"sheet {s} {'back' if back else 'front'}"
        )


def test_booklet_of_eight_pages_reads_8_1_2_7_6_3_4_5(build_pdf: Builder):
    """The issue's own example: a book of eight pages, sheet by sheet, by page number."""
    result, pdf = build_pdf("--booklet", "--theme", "reentry", "--state", "MA", "--state", "VA")
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    assert book.page_count in (7, 8), book.page_count
    halves = _halves(pdf.with_name(f"{pdf.stem}-booklet.pdf"))
    pages = [_squashed(t) for t in _page_chars(pdf)] + [_squashed(BLANK)] * (8 - book.page_count)
    read = [(_squashed(left), _squashed(right)) for left, right in halves]
    order = [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert read == [(pages[a - 1], pages[b - 1]) for a, b in order]


def test_half_letter_layout_folds_letter_sheets(tmp_path: Path, build_pdf: Builder):
    folder = tmp_path / "pocket"
    folder.mkdir()
    (folder / "layout.yaml").write_text(
        "paper: half-letter\n"
        "pages:\n"
        "  - {kind: masthead, template: sheet}\n"
        "  - {kind: digest, each: mayor, template: sheet, start: new-page, side: right}\n"
        "margins: {top: 40, bottom: 50, left: 40, right: 40, inner: 46, outer: 34}\n"
        "page_templates:\n  sheet: {frames: {main: {}}, draw: [footer]}\n"
        "footer: {baseline: 28}\n",
        "utf-8",
    )
    result, pdf = build_pdf("--layout", str(folder), "--booklet", "--data", str(SMALL_DATA))
    assert result.exit_code == 0, result.output
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(pdf.with_name(f"{pdf.stem}-booklet.pdf")).pages
    }
    assert sizes == {(792, 612)}  # letter, landscape
    assert {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height)))
        for p in PdfReader(pdf).pages
    } == {(396, 612)}


def test_booklet_with_bleed_is_refused(build_pdf: Builder):
    result, pdf = build_pdf("--booklet", "--bleed", "3mm")
    assert result.exit_code == 2
    assert "--booklet cannot be combined with --bleed or --crop-marks" in result.output
    assert not pdf.exists()


# --- bleed and crop marks --------------------------------------------------------------


@pytest.fixture(scope="module")
def trimmed(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("bleed")
    args = ["build", "--data", str(DATA), "--theme", "reentry"]
    plain, bled = folder / "plain.pdf", folder / "bled.pdf"
    for out, more in ((plain, []), (bled, ["--bleed", "3mm", "--crop-marks"])):
        result = run_cli([*args, *more, "-o", str(out)])
        assert result.exit_code == 0, result.output
    return plain, bled


def _box(page, name: str) -> list[float]:
    return [round(float(v), 2) for v in page[name]]


def test_bleed_boxes_on_every_page(trimmed):
    _, bled = trimmed
    reader = PdfReader(bled)
    bleed = 3 * MM
    origin = bleed + max(6, bleed + 3) + 18  # the bleed, a clearance, the marks
    for page in reader.pages:
        assert _box(page, "/MediaBox") == [
            0,
            0,
            round(612 + 2 * origin, 2),
            round(792 + 2 * origin, 2),
        ]
        assert _box(page, "/TrimBox") == [
            round(v, 2) for v in (origin, origin, origin + 612, origin + 792)
        ]
        assert _box(page, "/BleedBox") == [
            round(v, 2)
            for v in (origin - bleed, origin - bleed, origin + 612 + bleed, origin + 792 + bleed)
        ]


def test_bleed_only_grows_the_page(build_pdf: Builder):
    result, pdf = build_pdf("--bleed", "0.125in", "--mayor", "bowser")
    assert result.exit_code == 0, result.output
    page = PdfReader(pdf).pages[0]
    assert _box(page, "/MediaBox") == [0, 0, 630, 810]
    assert _box(page, "/TrimBox") == [9, 9, 621, 801]
    assert _box(page, "/BleedBox") == [0, 0, 630, 810]


def test_crop_marks_lie_outside_the_bleed_on_the_trim_lines(trimmed):
    _, bled = trimmed
    reader, drawn = PdfReader(bled), Drawn(bled)
    for i, page in enumerate(reader.pages):
        tx0, ty0, tx1, ty1 = _box(page, "/TrimBox")
        bx0, by0, bx1, by1 = _box(page, "/BleedBox")

        def outside(s, bx0=bx0, by0=by0, bx1=bx1, by1=by1) -> bool:
            return (
                s.x1 <= bx0 + 0.01 or s.x0 >= bx1 - 0.01 or s.y1 <= by0 + 0.01 or s.y0 >= by1 - 0.01
            )

        strokes = drawn.strokes(i)
        marks = [s for s in strokes if outside(s)]
        assert len(marks) == 8, f"page {i + 1}: {len(marks)} marks"
        for m in marks:
            vertical = any(abs(m.x0 - x) < 0.2 and abs(m.x1 - x) < 0.2 for x in (tx0, tx1))
            horizontal = any(abs(m.y0 - y) < 0.2 and abs(m.y1 - y) < 0.2 for y in (ty0, ty1))
            assert vertical != horizontal, m  # on one trim line's extension
            if vertical:  # wholly above or below the bleed, clear of it
                assert m.y1 <= by0 - 2.99 or m.y0 >= by1 + 2.99, m
            else:  # wholly left or right of it
                assert m.x1 <= bx0 - 2.99 or m.x0 >= bx1 + 2.99, m
        # Every other line is drawn inside the bleed (the cover's rings are clipped to its
        # field, which pdfminer does not apply).
        for s_ in strokes:
            if s_ not in marks and isinstance(s_, LTLine):
                assert bx0 - 0.01 <= s_.x0 and s_.x1 <= bx1 + 0.01, (i + 1, s_)
                assert by0 - 0.01 <= s_.y0 and s_.y1 <= by1 + 0.01, (i + 1, s_)


def test_the_cover_field_runs_into_the_bleed_and_nothing_is_stretched(trimmed):
    plain, bled = trimmed
    page = PdfReader(bled).pages[0]
    bx0, _, bx1, by1 = _box(page, "/BleedBox")
    origin = _box(page, "/TrimBox")[0]
    cover = [o for o in _walk(Drawn(bled).pages[0]) if isinstance(o, LTCurve) and o.fill]
    field = max(cover, key=lambda o: o.width * o.height)
    assert (round(field.x0, 1), round(field.x1, 1), round(field.y1, 1)) == (
        round(bx0, 1),
        round(bx1, 1),
        round(by1, 1),
    )
    # Every line of text stands where it stood, moved by the trim's offset, at its size.
    before, after = Drawn(plain), Drawn(bled)
    for i in range(len(before.pages)):
        was = sorted(before.lines(i), key=lambda line: (unstamped(line.text), line.y0, line.x0))
        now = sorted(after.lines(i), key=lambda line: (unstamped(line.text), line.y0, line.x0))
        assert [unstamped(line.text) for line in was] == [unstamped(line.text) for line in now], (
            f"page {i + 1}"
        )
        for old, new in zip(was, now, strict=True):
            if "edition " in new.text:  # another edition: its hash is other glyphs
                assert new.x0 - origin == pytest.approx(old.x0, abs=0.05)
                continue
            moved = (new.x0 - origin, new.x1 - origin, new.y0 - origin, new.y1 - origin)
            assert moved == pytest.approx((old.x0, old.x1, old.y0, old.y1), abs=0.05), new


# --- notes -----------------------------------------------------------------------------


def test_notes_under_every_mayor(build_pdf: Builder):
    result, pdf = build_pdf("--notes", "--theme", "reentry")
    assert result.exit_code == 0, result.output
    book, drawn = Book(pdf), Drawn(pdf)
    mayors = [label for label, _ in book.contents_entries() if label not in SECTIONS]
    starts = [book.first_page_of(name) for name in mayors]
    ends = [*(s - 1 for s in starts[1:]), book.page_count - 1]
    for name, start, end in zip(mayors, starts, ends, strict=True):
        heading = [line for line in drawn.lines(end) if line.text.lower() == "notes"]
        assert len(heading) == 1, f"{name}: no notes on page {end + 1}"
        ruled = [r for r in drawn.strokes(end) if r.height < 0.5 and abs(r.width - 412) < 0.5]
        footer = min(ruled, key=lambda r: r.y0)  # the footer's rule spans the column too
        lines = [r for r in ruled if r is not footer]
        assert len(lines) >= 5, f"{name}: {len(lines)} lines"
        # Under the heading, which is under every word of the record, above the footer.
        assert all(r.y0 < heading[0].y0 and r.y0 > footer.y0 for r in lines)
        text = [line for line in drawn.lines(end) if line.y0 > footer.y0 + 1]
        assert all(line.y0 >= heading[0].y0 for line in text), name
        assert "Notes" not in " ".join(book.pages[i] for i in range(start, end))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_notes_build_on_every_layout(build_pdf: Builder, layout: str):
    result, pdf = build_pdf("--layout", layout, "--notes", "--theme", "reentry")
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    notes = [i for i in range(book.page_count) if re.search(r"\bNotes\b", book.pages[i], re.I)]
    if layout in ("default", "classic", "pocket"):
        assert len(notes) >= 3
    if layout == "read-ahead":  # digests have no notes, and the build says so
        assert notes == []
        assert (
            "layouts/read-ahead/layout.yaml:8: warning: pages: --notes puts lines for notes "
            "under each mayor's page, and this layout has none; the book is made without them"
        ) in result.output
    else:
        assert "--notes puts" not in result.output
    if layout == "one-pager":  # only where the text leaves room: some, not all
        assert 0 < len(notes) < book.page_count


# --- the command line --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3", None),
        ("3mm", None),
        (
            "huge",
            "'huge' is not a length from 0 to 36 points; expected a number with mm, cm, in or "
            "pt, such as 3mm or 0.125in",
        ),
        ("2in", "'2in' is not a length from 0 to 36 points"),
        ("-1mm", "'-1mm' is not a length from 0 to 36 points"),
    ],
)
def test_bleed_values(build_pdf: Builder, value: str, message: str | None):
    result, pdf = build_pdf("--bleed", value, "--mayor", "bowser", "--layout", "one-pager")
    if message is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2
        assert message in result.output
        assert not pdf.exists()


def test_a_leave_behind_has_notes_only_where_its_text_leaves_room(build_pdf: Builder):
    result, pdf = build_pdf("--layout", "one-pager", "--notes")
    assert result.exit_code == 0, result.output
    _, plain_pdf = build_pdf("--layout", "one-pager", name="plain.pdf")
    book, without = Book(pdf), Book(plain_pdf)
    assert book.page_count == without.page_count  # still one page each
    noted = [i for i in range(book.page_count) if "Notes" in book.lines(i)]
    assert 0 < len(noted) < book.page_count  # the seed's records leave room on some only
    drawn, before = Drawn(pdf), Drawn(plain_pdf)
    for i in range(book.page_count):
        # The text is set as it was, at its size and in its place: notes never shrink it.
        was = [(unstamped(line.text), round(line.y0, 1)) for line in before.lines(i)]
        now = [
            (unstamped(line.text), round(line.y0, 1))
            for line in drawn.lines(i)
            if line.text != "Notes"
        ]
        assert now == was, f"page {i + 1}"
        ruled = [r for r in drawn.strokes(i) if r.height < 0.5 and abs(r.width - 468) < 0.5]
        rules = len([r for r in before.strokes(i) if r.height < 0.5 and abs(r.width - 468) < 0.5])
        lines = len(ruled) - rules  # the masthead's and the contact's own rules aside
        assert (lines >= 5) if i in noted else (lines == 0), (i + 1, lines)


def test_notes_get_a_page_of_their_own_when_too_few_lines_fit(tmp_path: Path, build_pdf):
    folder = tmp_path / "roomy"
    folder.mkdir()
    (folder / "layout.yaml").write_text("notes: {min_lines: 24}\n", "utf-8")
    result, pdf = build_pdf("--layout", str(folder), "--notes", "--theme", "reentry")
    assert result.exit_code == 0, result.output
    book, drawn = Book(pdf), Drawn(pdf)
    mayors = [label for label, _ in book.contents_entries() if label not in SECTIONS]
    starts = [book.first_page_of(name) for name in mayors]
    assert book.page_count == 4 + 2 * len(mayors)  # each mayor's page, then a page of lines
    for name, start in zip(mayors, starts, strict=True):
        assert "Notes" not in book.lines(start)
        lines = book.lines(start + 1)
        # Under the running head: "<name> (continued)".
        assert lines[0].endswith("(continued)") and name.startswith(lines[0].split(" (")[0])
        assert "Notes" in lines
        ruled = [r for r in drawn.strokes(start + 1) if r.height < 0.5 and r.width > 400]
        assert len(ruled) - 1 >= 24  # the footer's rule aside


def test_a_cover_picture_is_made_for_the_field_and_its_bleed(build_pdf: Builder):
    """The picture covers the bleed too, cropped to the larger field's shape: its pixels have
    the placed shape, so nothing is stretched."""
    result, pdf = build_pdf("--data", str(SMALL_DATA), "--bleed", "3mm", "--quality", "print")
    assert result.exit_code == 0, result.output
    page = PdfReader(pdf).pages[0]
    bx0, _, bx1, by1 = _box(page, "/BleedBox")
    trim = _box(page, "/TrimBox")
    field_bottom = trim[3] - 0.56 * 792  # the default field: 56% of the page, from the top
    [image] = Drawn(pdf).images(0)
    assert (image.x0, image.x1, image.y1) == pytest.approx((bx0, bx1, by1), abs=0.05)
    assert image.y0 == pytest.approx(field_bottom, abs=0.05)
    width, height = image.srcsize
    assert width / height == pytest.approx(image.width / image.height, rel=0.003)
    assert width <= image.width / 72 * 300 + 1  # at most 300 ppi where it is placed


def test_a_layout_that_changes_its_side_margins_keeps_its_column_in_duplex(tmp_path: Path):
    from briefbook.layoutfolder import load_layout

    folder = tmp_path / "narrow"
    folder.mkdir()
    (folder / "layout.yaml").write_text("margins: {left: 130}\n", "utf-8")
    simplex = load_layout(str(folder)).main_frame("body")
    duplex = load_layout(str(folder), None, True).main_frame("body")
    assert (duplex.x, duplex.width) == (simplex.x, simplex.width) == (130, 612 - 230)
    (folder / "layout.yaml").write_text("margins: {left: 130, inner: 140}\n", "utf-8")
    duplex = load_layout(str(folder), None, True).main_frame("body")
    assert (duplex.x, duplex.width) == (140, 612 - 140 - 88)  # outer: the default's


def test_a_blank_block_left_empty_leaves_the_page_empty(tmp_path: Path, build_pdf: Builder):
    folder = tmp_path / "quiet"
    folder.mkdir()
    (folder / "layout.yaml").write_text("{}\n", "utf-8")
    (folder / "footer.j2").write_text("{% block blank %}{% endblock %}\n", "utf-8")
    result, pdf = build_pdf("--layout", str(folder), "--duplex", "--theme", "reentry")
    assert result.exit_code == 0, result.output
    book, drawn = Book(pdf), Drawn(pdf)
    openings = _opening_pages(book)
    empty = [i for i in range(book.page_count) if not drawn.lines(i) and not drawn.strokes(i)]
    assert empty and all(i + 1 in openings and i % 2 == 1 for i in empty)
    assert BLANK not in book.text
