"""The booklet for saddle-stitch printing: the book's pages, padded to a multiple of four, two
to each side of a sheet of twice the width, in the order that reads right once the sheets are
printed double-sided (flip on the short edge), stacked and folded.

The books here are drawn with ReportLab's canvas, each page showing one distinctive word
(PAGE-03) in an embedded font; the booklet's order is read back sheet by sheet from the text
of each half.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTContainer, LTPage
from PIL import Image
from reportlab.lib.pagesizes import A3, A4, landscape, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from briefbook.booklet import booklet_order, impose
from briefbook.errors import BriefbookError, OutputError
from conftest import ROOT

FONT = "BookletTestSans"
pdfmetrics.registerFont(TTFont(FONT, str(ROOT / "fonts" / "NotoSans-Regular.ttf")))
HALF_LETTER = (396.0, 612.0)
BLANK_TEXT = "This page intentionally left blank"
WORD_X = 72  # where each page's word starts, from the page's left edge


def word(number: int) -> str:
    return f"PAGE-{number:02d}"


def make_book(
    pages: int, size: tuple[float, float] = letter, picture: bytes | None = None
) -> bytes:
    """A book of `pages` pages of `size`, each showing its word, with a link and a bookmark."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size, invariant=1, pageCompression=1)
    canvas.setTitle("Test book")
    canvas.setAuthor("The coalition")
    canvas.setSubject("Booklet tests")
    canvas.setCreator("test_booklet")
    for number in range(1, pages + 1):
        canvas.setFont(FONT, 36)
        canvas.drawString(WORD_X, size[1] / 2, word(number))
        if picture is not None:
            canvas.drawImage(ImageReader(io.BytesIO(picture)), WORD_X, 72, 100, 100)
        canvas.linkURL("https://example.org", (WORD_X, 40, 300, 60))
        canvas.bookmarkPage(f"p{number}")
        canvas.addOutlineEntry(word(number), f"p{number}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def make_blank(size: tuple[float, float] = letter) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size, invariant=1, pageCompression=1)
    canvas.setFont(FONT, 12)
    canvas.drawCentredString(size[0] / 2, size[1] / 2, BLANK_TEXT)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def chars(container: LTContainer) -> list[LTChar]:
    """Every character drawn on a page, inside form XObjects (pdfminer's figures) too."""
    found = []
    for item in container:
        if isinstance(item, LTChar):
            found.append(item)
        elif isinstance(item, LTContainer):
            found.extend(chars(item))
    return found


def text_of(found: list[LTChar]) -> str:
    lines = sorted(found, key=lambda c: (-round(c.y0), c.x0))
    return "".join(c.get_text() for c in lines).strip()


def halves(pdf: bytes) -> list[tuple[str, str]]:
    """Each sheet side's (left half's text, right half's text), in the booklet's page order."""
    sides = []
    for page in extract_pages(io.BytesIO(pdf)):
        assert isinstance(page, LTPage)
        middle = page.width / 2
        found = chars(page)
        left = [c for c in found if (c.x0 + c.x1) / 2 < middle]
        right = [c for c in found if (c.x0 + c.x1) / 2 >= middle]
        sides.append((text_of(left), text_of(right)))
    return sides


def read_folded(sides: list[tuple[str, str]]) -> list[str]:
    """The pages in the order a reader meets them in the folded booklet, worked out from the
    paper rather than from the imposition rule: the sheets lie stacked, sheet 1 outermost,
    fronts up; folded in half, the reader turns through the right-hand halves going in (a
    front's right, then the back of that same leaf, the back's left) and the left-hand halves
    coming out (the innermost sheet's back right, then its front left, then the next sheet
    out)."""
    fronts, backs = sides[0::2], sides[1::2]
    going_in = [
        text for front, back in zip(fronts, backs, strict=True) for text in (front[1], back[0])
    ]
    coming_out = [
        text
        for front, back in reversed(list(zip(fronts, backs, strict=True)))
        for text in (back[1], front[0])
    ]
    return going_in + coming_out


def padded(pages: int) -> int:
    return (pages + 3) // 4 * 4


# --- the order ---------------------------------------------------------------------------


def test_the_issues_eight_page_example():
    # "for 8 pages: sheet 1 front 8|1, back 2|7; sheet 2 front 6|3, back 4|5"
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]


@pytest.mark.parametrize("pages", range(4, 68, 4))
def test_order_follows_the_rule_of_saddle_stitching(pages: int):
    order = booklet_order(pages)
    assert len(order) == pages // 2  # two sides a sheet, four pages a sheet
    assert sorted(n for side in order for n in side) == list(range(1, pages + 1))
    for index, (left, right) in enumerate(order):
        sheet, back = divmod(index, 2)
        sheet += 1
        assert left + right == pages + 1  # facing pages across the fold
        if back:
            assert left == 2 * sheet  # behind the front's right page: the next page
        else:
            assert right == 2 * sheet - 1  # the fronts' right halves are the odd pages 1, 3, 5, …
    assert read_folded([(str(a), str(b)) for a, b in order]) == [
        str(n) for n in range(1, pages + 1)
    ]


@pytest.mark.parametrize("pages", [0, 1, 2, 3, 5, 6, -4])
def test_order_needs_a_positive_multiple_of_four(pages: int):
    with pytest.raises(ValueError, match="multiple of 4"):
        booklet_order(pages)


# --- the booklet, read back --------------------------------------------------------------


@pytest.mark.parametrize("pages", [1, 2, 3, 4, 5, 8, 9, 16])
def test_pages_read_in_order_once_folded(pages: int):
    sides = halves(impose(make_book(pages)))
    assert len(sides) == padded(pages) // 2
    blanks = [""] * (padded(pages) - pages)
    assert read_folded(sides) == [word(n) for n in range(1, pages + 1)] + blanks


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (1, [("", "PAGE-01"), ("", "")]),
        (2, [("", "PAGE-01"), ("PAGE-02", "")]),
        (3, [("", "PAGE-01"), ("PAGE-02", "PAGE-03")]),
        (
            5,
            [("", "PAGE-01"), ("PAGE-02", ""), ("", "PAGE-03"), ("PAGE-04", "PAGE-05")],
        ),
        (
            8,
            [
                ("PAGE-08", "PAGE-01"),
                ("PAGE-02", "PAGE-07"),
                ("PAGE-06", "PAGE-03"),
                ("PAGE-04", "PAGE-05"),
            ],
        ),
    ],
)
def test_sheet_by_sheet(pages: int, expected: list[tuple[str, str]]):
    assert halves(impose(make_book(pages))) == expected


def test_padding_uses_the_blank_page():
    sides = halves(impose(make_book(5), blank=make_blank()))
    assert sides == [
        (BLANK_TEXT, "PAGE-01"),
        ("PAGE-02", BLANK_TEXT),
        (BLANK_TEXT, "PAGE-03"),
        ("PAGE-04", "PAGE-05"),
    ]


def test_padding_may_repeat_a_page_of_the_book_itself():
    """A book's own left-empty page pads it: the same form, drawn again, no second copy of
    its font."""
    book = make_book(5)
    sides = halves(impose(book, blank=2))
    # 8 | 1, 2 | 7, 6 | 3, 4 | 5, with pages 6 to 8 the book's page 2 again.
    assert sides == [
        ("PAGE-02", "PAGE-01"),
        ("PAGE-02", "PAGE-02"),
        ("PAGE-02", "PAGE-03"),
        ("PAGE-04", "PAGE-05"),
    ]
    booklet = pikepdf.open(io.BytesIO(impose(book, blank=2)))
    forms = {form.objgen for sheet in booklet.pages for form in sheet.resources.XObject.values()}
    assert len(forms) == 5  # the book's five pages, page 2 among them once
    fonts = [
        o
        for o in booklet.objects
        if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"
    ]
    assert len(fonts) == 1


def test_a_full_book_needs_no_blank_page():
    assert BLANK_TEXT not in str(halves(impose(make_book(8), blank=make_blank())))


def test_each_page_is_one_form_and_the_blank_one_form_reused():
    booklet = pikepdf.open(io.BytesIO(impose(make_book(9), blank=make_blank())))
    placed = [
        (str(name), form.objgen)
        for sheet in booklet.pages
        for name, form in sheet.resources.XObject.items()
    ]
    pages = [objgen for name, objgen in placed if name != "/Blank"]
    blanks = {objgen for name, objgen in placed if name == "/Blank"}
    assert len(pages) == len(set(pages)) == 9
    assert len(blanks) == 1
    assert len([name for name, _ in placed if name == "/Blank"]) == 3


# --- sheets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "sheet"),
    [(letter, (1224, 792)), (HALF_LETTER, (792, 612)), (A4, landscape(A3))],
    ids=["letter on tabloid", "half-letter on letter", "A4 on A3"],
)
def test_sheet_is_two_pages_wide_and_landscape(page, sheet):
    booklet = pikepdf.open(io.BytesIO(impose(make_book(6, size=page))))
    assert len(booklet.pages) == 4
    for side in booklet.pages:
        x0, y0, x1, y1 = (float(v) for v in side.mediabox)
        assert (x0, y0) == (0, 0)
        assert x1 == pytest.approx(sheet[0], abs=0.01)
        assert y1 == pytest.approx(sheet[1], abs=0.01)
        assert x1 > y1
        # Drawn upright on the sheet, not turned: flipping on the short edge relies on it.
        assert "/Rotate" not in side.obj
        assert "/CropBox" not in side.obj


@pytest.mark.parametrize("size", [letter, HALF_LETTER], ids=["letter", "half-letter"])
def test_pages_sit_side_by_side_at_full_size(size):
    """Each half shows its page where the page shows it, at the page's own size."""
    width, height = size
    book = [c for c in chars(next(extract_pages(io.BytesIO(make_book(1, size)))))]
    sheet = chars(next(extract_pages(io.BytesIO(impose(make_book(4, size))))))
    left = [c for c in sheet if c.x0 < width]
    right = [c for c in sheet if c.x0 >= width]
    assert text_of(left) == "PAGE-04" and text_of(right) == "PAGE-01"
    first = book[0]
    assert first.x0 == pytest.approx(WORD_X, abs=0.5)
    for placed, offset in ((left[0], 0), (right[0], width)):
        assert placed.x0 == pytest.approx(first.x0 + offset, abs=0.01)
        assert placed.y0 == pytest.approx(first.y0, abs=0.01)
        assert placed.size == pytest.approx(first.size, abs=0.01)
    assert max(c.x1 for c in right) < 2 * width and min(c.y0 for c in sheet) < height


# --- refusals ----------------------------------------------------------------------------


def test_pages_of_different_sizes_are_refused():
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter, invariant=1)
    canvas.drawString(72, 72, word(1))
    canvas.showPage()
    canvas.setPageSize(HALF_LETTER)
    canvas.drawString(72, 72, word(2))
    canvas.showPage()
    canvas.save()
    with pytest.raises(OutputError) as raised:
        impose(out.getvalue())
    assert isinstance(raised.value, BriefbookError)
    assert str(raised.value) == (
        "cannot make a booklet: every page must be the same size, "
        "but page 2 is 396 × 612 pt, not 612 × 792 pt like page 1"
    )


def test_a_blank_page_of_another_size_is_refused():
    with pytest.raises(OutputError) as raised:
        impose(make_book(3), blank=make_blank(A4))
    assert str(raised.value) == (
        "cannot make a booklet: every page must be the same size, "
        "but the blank page is 595.276 × 841.89 pt, not 612 × 792 pt like page 1"
    )


# --- the file ----------------------------------------------------------------------------


def test_same_book_same_bytes(tmp_path: Path):
    book, blank = make_book(5), make_blank()
    first = impose(book, blank)
    assert impose(book, blank) == first
    assert impose(make_book(5), make_blank()) == first
    # The /ID is a hash of what was written, not of the clock: another book with the same
    # metadata, imposed within the same second, gets another one (a clock-made ID would
    # repeat, and would change from one second to the next for the same book).
    other = pikepdf.open(io.BytesIO(impose(make_book(6), blank)))
    assert pikepdf.open(io.BytesIO(first)).trailer.ID != other.trailer.ID
    booklet = pikepdf.open(io.BytesIO(first))
    assert booklet.check_pdf_syntax() == []
    if shutil.which("qpdf"):
        path = tmp_path / "booklet.pdf"
        path.write_bytes(first)
        checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_metadata_kept_and_screen_only_parts_left_out():
    booklet = pikepdf.open(io.BytesIO(impose(make_book(6))))
    assert {key: str(value) for key, value in booklet.docinfo.items()} == {
        "/Title": "Test book (booklet)",
        "/Author": "The coalition",
        "/Subject": "Booklet tests",
        "/Creator": "test_booklet",
    }
    assert "/Outlines" not in booklet.Root
    assert "/Names" not in booklet.Root
    assert "/OpenAction" not in booklet.Root
    assert not any("/Annots" in sheet.obj for sheet in booklet.pages)


def test_streams_are_compressed():
    booklet = pikepdf.open(io.BytesIO(impose(make_book(6), make_blank())))
    streams = [obj for obj in booklet.objects if isinstance(obj, pikepdf.Stream)]
    uncompressed = [obj.objgen for obj in streams if "/Filter" not in obj]
    assert streams and uncompressed == []


def test_fonts_and_pictures_are_stored_once():
    noise = Image.effect_noise((160, 160), 80).convert("RGB")
    picture = io.BytesIO()
    noise.save(picture, "PNG")
    book = make_book(40, picture=picture.getvalue())
    booklet = impose(book)  # 40 pages: 10 sheets, no padding
    assert len(booklet) < 1.3 * len(book) + 20_000, (len(book), len(booklet))

    def counts(pdf: bytes) -> tuple[int, int]:
        opened = pikepdf.open(io.BytesIO(pdf))
        streams = [obj for obj in opened.objects if isinstance(obj, pikepdf.Stream)]
        fonts = sum(1 for obj in streams if "/Length1" in obj)
        images = sum(1 for obj in streams if obj.get("/Subtype") == "/Image")
        return fonts, images

    assert counts(booklet) == counts(book) == (1, 1)
