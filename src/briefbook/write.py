"""Turn a composed story into a PDF file: page decorations, bookmarks, page-number forms and
metadata, written through output.atomic_pdf so that no partial file is ever left behind."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import BaseDocTemplate, Flowable, PageTemplate
from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from briefbook.compose.kit import Kit
from briefbook.compose.pagetemplates import BLANK, TOTAL_FORM
from briefbook.conformance import Metadata
from briefbook.errors import LayoutError, OutputError
from briefbook.flowables import define_form
from briefbook.flowables.contents import ContentsPage
from briefbook.flowables.marks import Anchor, Later, PageState
from briefbook.fontfiles import FontFileError
from briefbook.output import atomic_pdf


class BookDocument(BaseDocTemplate):
    """Records each Anchor as the layout reaches it (bookmark, outline entry, page number),
    owns the page state the decorations read, and fills in at the end what waited for the
    last page (the page total, the contents' numbers)."""

    def __init__(self, target, kit: Kit, meta: Metadata, templates: list[PageTemplate]):
        super().__init__(
            target,
            pagesize=kit.printing.sheet(kit.page_size),
            **kit.printing.boxes(kit.page_size),  # TrimBox and BleedBox on every page
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=list(meta.keywords),
            creator=meta.creator,
            showBoundary=0,
            pageCompression=1,
            # Otherwise every page names Helvetica, a font the PDF does not embed.
            initialFontName=kit.font("footer.left").font,
        )
        self.addPageTemplates(templates)
        self.total_font = kit.font("footer.left")
        self.total_color = kit.hex(kit.color("footer.left"))
        self.state = PageState()
        self.last_anchor: Anchor | None = None
        self.outline_level = -1  # the level of the last bookmark
        self.pages: dict[str, int] = {}  # where each anchor's key starts
        # The title of each anchor's part by its key, and of the first part on each page by
        # its number: what links to them say they go to.
        self.places: dict[int | str, str] = {}
        self.contents: list[ContentsPage] = []
        # What waits for the last page, each called with the canvas and the page count;
        # see later().
        self.at_end: list[Callable] = []
        self.total: int | None = None  # the page count, once the last page is reached
        self.blank_pages: list[int] = []  # the pages left empty (--duplex)

    def reach(self, anchor: Anchor) -> None:
        canv, page = self.canv, self.canv.getPageNumber()
        self.pages[anchor.key] = page
        self.places[anchor.key] = anchor.title.words
        self.places.setdefault(page, anchor.title.words)
        self.last_anchor = anchor
        canv.bookmarkPage(anchor.key, fit="XYZ", top=self.pagesize[1], left=0, zoom=0)
        if anchor.level is not None:
            # An outline may not skip a level (ReportLab refuses): a layout whose first
            # bookmark is at level 1 gets it at 0.
            level = min(anchor.level, self.outline_level + 1)
            canv.addOutlineEntry(anchor.title.words, anchor.key, level=level, closed=False)
            self.outline_level = level

    def filterFlowables(self, flowables: list[Flowable]) -> None:
        """ReportLab's hook before each flowable: a Later is replaced by what it makes."""
        while flowables and isinstance(flowables[0], Later):
            made = flowables[0].make()
            if made:
                flowables[0:1] = made
            else:
                flowables[0] = None  # ReportLab drops it and goes on
                return

    def beforePage(self) -> None:
        if self.pageTemplate.id == BLANK:
            self.blank_pages.append(self.page)

    def later(self, fill: Callable) -> None:
        """Call `fill(canvas, page count)` once the count is known: at the end, or now on
        the last page, whose decorations are drawn after the end is reached."""
        if self.total is None:
            self.at_end.append(fill)
        else:
            fill(self.canv, self.total)

    def finish(self) -> None:
        """The book is laid out: fill in the page numbers drawn before they were known."""
        font, color, total = self.total_font, self.total_color, self.canv.getPageNumber()
        self.total = total

        def draw_total(c) -> None:
            c.setFillColor(color)
            c.setFont(font.font, font.size)
            c.drawString(0, 0, str(total))

        define_form(self.canv, TOTAL_FORM, (-10, -font.size, 200, 2 * font.size), draw_total)
        for page in self.contents:
            page.fill(self.canv, self.pages)
        for fill in self.at_end:
            fill(self.canv, total)


def write_pdf(
    story: list[Flowable],
    templates: list[PageTemplate],
    kit: Kit,
    meta: Metadata,
    output: Path,
    accept: Callable[[int, bytes, tuple[int, ...]], None] = lambda pages, pdf, blanks: None,
) -> int:
    """Lay out `story` into `output` atomically; return the number of pages. `accept` sees
    the page count, the PDF's bytes and the pages left empty (from 1) before the file takes
    its name, and may refuse it by raising."""
    from briefbook.conformance import conforming
    from briefbook.patches import reportlab_patched
    from briefbook.tagging import Structure, canvas_class, drawn_tagged

    doc = None
    try:
        with atomic_pdf(output) as handle, reportlab_patched():
            kept = _Kept()
            doc = BookDocument(kept, kit, meta, templates)
            structure = Structure()
            with drawn_tagged():
                doc.build(story, canvasmaker=canvas_class(structure))
            # ReportLab's record of every page is done with: let it go before the PDF is
            # read again, which is when a large book needs the most memory.
            doc.canv = None
            pdf = conforming(kept.chunks, meta, doc.places, structure)
            accept(doc.page, pdf, tuple(doc.blank_pages))
            handle.write(pdf)
    except OSError as err:  # atomic_pdf words its own; this is a file the book reads
        raise OutputError(f"{err.filename}: cannot read it ({err.strerror or err})") from None
    except FontFileError as err:  # a font that failed as it was subset
        raise LayoutError([kit.layout.font_problem(err)]) from None
    except RLLayoutError as err:
        anchor = doc.last_anchor if doc is not None else None
        where = anchor.title.words if anchor is not None else "the book"
        raise LayoutError.at(kit.layout.docs[-1].file, _too_large(str(err), where)) from None
    return doc.page


class _Kept:
    """A file that keeps what is written to it (ReportLab writes the whole PDF in one call,
    a bytes object it already holds, so keeping it costs no copy)."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(data)
        return len(data)


_TOO_LARGE = re.compile(
    r"Flowable <(\w+).*?\(([\d.]+) x ([\d.]+)\) too large on page (\d+) in frame "
    r"'([^']*)'\(([\d.]+) x ([\d.]+)\*?\) of template '([^']*)'",
    re.DOTALL,
)


# The flowables a user may meet in a message, in their words ("a paragraph" otherwise).
_WHAT = {
    "PhotoBeside": "the name block beside the portrait",
    "Paragraph": "a paragraph",
    "Stack": "a block kept together",
}


def _too_large(message: str, where: str) -> str:
    """ReportLab's 'too large' in words: what did not fit, where, and what to change."""
    found = _TOO_LARGE.search(message)
    if found is None:
        return (
            f"{where}: something is too large to fit on any page; give the page templates' "
            "frames more room, or shorten the text"
        )
    kind, w, h, _, frame, fw, fh, template = found.groups()
    kind = _WHAT.get(kind, f"a {kind.lower()}")
    return (
        f"{where}: {kind} of {float(w):g} × {float(h):g} points does not fit in "
        f"frame '{frame.split('.')[-1]}' of page template '{template}' "
        f"({float(fw):g} × {float(fh):g} points); give the frame more room (margins, "
        "page_templates) or set the text smaller"
    )


def blank_pdf(templates: list[PageTemplate], kit: Kit, meta: Metadata) -> bytes:
    """One page on the template of a page left empty, as the book draws it: what a
    booklet's pages are made up to a multiple of four with."""
    import io

    from reportlab.platypus import Spacer

    from briefbook.patches import reportlab_patched

    blank = next(t for t in templates if t.id == BLANK)
    buffer = io.BytesIO()
    with reportlab_patched():
        doc = BookDocument(buffer, kit, meta, [blank])
        doc.build([Spacer(0, 0)])
    return buffer.getvalue()
