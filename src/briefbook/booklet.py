"""Turn a finished book PDF into a booklet PDF for saddle-stitch printing: the pages, padded
with blank pages to a multiple of four, two side by side on each side of a landscape sheet of
twice the width, in the order that reads right once the printed sheets are stacked and folded.

Print the booklet double-sided, flipping on the short edge, and fold the stack in half.

Each book page becomes one form XObject that the sheet draws, so the fonts and pictures the
pages share are stored once, as in the book. What only works on screen (links, bookmarks) is
left out: the booklet is for printing.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from briefbook.errors import OutputError

if TYPE_CHECKING:
    import pikepdf

# The document information the booklet keeps from the book; its title says which one it is.
_KEPT_INFO = ("/Title", "/Author", "/Subject", "/Creator")
TITLE_SUFFIX = " (booklet)"


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """The (left, right) page numbers, from 1, on each side of each sheet in print order
    (sheet 1 front, sheet 1 back, sheet 2 front, …) for a page count already padded to a
    multiple of four. For 8 pages: [(8, 1), (2, 7), (6, 3), (4, 5)].

    Sheet k's front carries the k-th page from the back on the left and the k-th odd page on
    the right; its back, the next page on the left and the one facing it on the right.
    """
    if pages <= 0 or pages % 4:
        raise ValueError(f"a booklet needs a positive multiple of 4 pages, not {pages}")
    order: list[tuple[int, int]] = []
    for sheet in range(1, pages // 4 + 1):
        order.append((pages - 2 * sheet + 2, 2 * sheet - 1))  # front
        order.append((2 * sheet, pages - 2 * sheet + 1))  # back
    return order


def padded(pages: int) -> int:
    """The pages of the booklet of a book of `pages`: made up to a multiple of four."""
    return -(-pages // 4) * 4


def impose(book: bytes, blank: bytes | int | None = None) -> bytes:
    """The booklet of `book` (a PDF whose pages are all one size W × H): sheets of 2W × H,
    each side drawing two pages at full size, the left at x = 0 and the right at x = W.
    The pages are padded at the end to a multiple of four with a blank page: page `blank`
    of the book itself (from 1), so that it shares the book's fonts; or `blank`'s page (a
    one-page PDF of the same size); or, without it, nothing. Same input, same bytes.

    OutputError when the pages, or the blank page, are not all one size.
    """
    import pikepdf  # heavy: only a build that asks for a booklet pays for it

    source = pikepdf.open(io.BytesIO(book))
    size = _one_size(source.pages)
    filler = pikepdf.open(io.BytesIO(blank)) if isinstance(blank, bytes) else None
    if filler is not None:
        _same_size(filler.pages[:1], size, lambda _: "the blank page")

    out = pikepdf.new()
    forms = [out.copy_foreign(page.as_form_xobject()) for page in source.pages]
    blank_form = out.copy_foreign(filler.pages[0].as_form_xobject()) if filler else None
    if isinstance(blank, int):
        blank_form = forms[blank - 1]

    count = len(forms)
    width, height = size
    for left, right in booklet_order(padded(count)):
        sheet = out.add_blank_page(page_size=(2 * width, height))
        drawn = [
            _place(sheet, forms, blank_form, number, x, size)
            for number, x in ((left, 0), (right, width))
        ]
        sheet.obj.Contents = out.make_stream(b"".join(drawn))

    _keep_info(source, out)
    written = io.BytesIO()
    out.save(
        written,
        min_version=source.pdf_version,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        # /ID from a hash of the content rather than the clock and chance: same book, same bytes.
        deterministic_id=True,
    )
    return written.getvalue()


def _place(
    sheet: pikepdf.Page,
    forms: list[pikepdf.Object],
    blank_form: pikepdf.Object | None,
    number: int,
    x: float,
    size: tuple[float, float],
) -> bytes:
    """The content that draws page `number` (a padding page past the book's end) on `sheet`
    with its lower left corner at (x, 0); nothing for padding without a blank page."""
    import pikepdf

    if number <= len(forms):
        form, name = forms[number - 1], pikepdf.Name(f"/Page{number}")
    elif blank_form is not None:
        form = blank_form
        mine = next((n for n, f in enumerate(forms, 1) if f.objgen == form.objgen), None)
        name = pikepdf.Name(f"/Page{mine}" if mine else "/Blank")
    else:
        return b""
    # Named after the page, not pikepdf's random names, so that the bytes do not vary.
    sheet.add_resource(form, pikepdf.Name.XObject, name)
    width, height = size
    box = pikepdf.Rectangle(x, 0, x + width, height)
    # The box is the page's own size, so this is a translation: neither shrunk nor stretched.
    return sheet.calc_form_xobject_placement(form, name, box, allow_shrink=False)


def _one_size(pages: pikepdf.PageList) -> tuple[float, float]:
    """The width and height every page shares; OutputError, naming the page that differs."""
    if len(pages) == 0:
        raise OutputError("cannot make a booklet: the book has no pages")
    box = pages[0].mediabox
    size = (float(box[2]) - float(box[0]), float(box[3]) - float(box[1]))
    _same_size(pages, size, lambda number: f"page {number}")
    return size


def _same_size(
    pages: Iterable[pikepdf.Page], size: tuple[float, float], name: Callable[[int], str]
) -> None:
    for number, page in enumerate(pages, start=1):
        box = page.mediabox
        found = (float(box[2]) - float(box[0]), float(box[3]) - float(box[1]))
        # A hundredth of a point: what the PDF's own rounding of one size can differ by.
        if any(abs(a - b) > 0.01 for a, b in zip(found, size, strict=True)):
            raise OutputError(
                "cannot make a booklet: every page must be the same size, but "
                f"{name(number)} is {_points(found)}, not {_points(size)} like page 1"
            )


def _points(size: tuple[float, float]) -> str:
    return f"{size[0]:.6g} × {size[1]:.6g} pt"


def _keep_info(source: pikepdf.Pdf, out: pikepdf.Pdf) -> None:
    """The book's title, author, subject and creator; no dates, nothing that varies."""
    import pikepdf

    if pikepdf.Name.Info not in source.trailer:
        return
    info = source.trailer.Info
    for key in _KEPT_INFO:
        if key in info:
            text = str(info[key])
            out.docinfo[key] = pikepdf.String(text + TITLE_SUFFIX if key == "/Title" else text)
