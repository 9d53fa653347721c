"""Turn a composed story into a PDF file: page decorations, bookmarks, page-number forms and
metadata, written through output.atomic_pdf so that no partial file is ever left behind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.platypus import BaseDocTemplate, Flowable, PageTemplate
from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from briefbook.compose import Kit
from briefbook.errors import LayoutError, OutputError
from briefbook.flowables import ContentsPage, Mark, define_form
from briefbook.output import atomic_pdf
from briefbook.render import FooterText

TOTAL_FORM = "total"


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    creator: str


class BookDocument(BaseDocTemplate):
    """Records each Mark as the layout reaches it: bookmark, outline entry, page number."""

    def __init__(self, target, kit: Kit, meta: Metadata, templates: list[PageTemplate]):
        super().__init__(
            target,
            pagesize=kit.layout.page_size,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=list(meta.keywords),
            creator=meta.creator,
            leftMargin=kit.frame.x,
            bottomMargin=kit.frame.y,
            showBoundary=0,
            pageCompression=1,
            # Otherwise every page names Helvetica, a font the PDF does not embed.
            initialFontName=kit.ink("footer.left").font,
        )
        self.addPageTemplates(templates)
        self.footer_ink = kit.ink("footer.left")
        self.footer_color = HexColor(kit.color("footer.left"))
        self.section = ""
        self.current_mark: Mark | None = None
        self.pages: dict[str, int] = {}  # where each Mark's key starts
        self.contents: list[ContentsPage] = []

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Mark):
            self._reach(flowable)
        elif isinstance(flowable, ContentsPage):
            self.contents.append(flowable)

    def _reach(self, mark: Mark) -> None:
        canv, page = self.canv, self.canv.getPageNumber()
        if mark.key == "end":
            self._finish(page)
            return
        self.pages[mark.key] = page
        canv.bookmarkPage(mark.key, fit="XYZ", top=self.pagesize[1], left=0, zoom=0)
        if mark.outline:
            canv.addOutlineEntry(mark.outline, mark.key, level=mark.level, closed=False)
        if mark.section is not None:
            self.section = mark.section
            self.current_mark = mark

    def _finish(self, total: int) -> None:
        """The book is laid out: fill in the page numbers drawn before they were known."""
        ink, color = self.footer_ink, self.footer_color

        def draw_total(c) -> None:
            c.setFillColor(color)
            c.setFont(ink.font, ink.size)
            c.drawString(0, 0, str(total))

        define_form(self.canv, TOTAL_FORM, (-10, -ink.size, 200, 2 * ink.size), draw_total)
        for page in self.contents:
            page.fill(self.canv, self.pages)


def footer_painter(kit: Kit, footer: Callable[[int, str], FooterText]):
    """The onPageEnd callback of every page but the cover."""
    f = kit.frame
    spec = kit.layout.section("footer")
    left_ink, right_ink = kit.ink("footer.left"), kit.ink("footer.right")
    rule = HexColor(kit.layout.color("rule"))
    left_color, right_color = (
        HexColor(kit.color("footer.left")),
        HexColor(kit.color("footer.right")),
    )

    def paint(canv, doc: BookDocument) -> None:
        text = footer(canv.getPageNumber(), doc.section)
        base = spec["baseline"]
        canv.saveState()
        canv.setStrokeColor(rule)
        canv.setLineWidth(0.5)
        canv.line(f.x, base + spec["rule_gap"], f.x + f.width, base + spec["rule_gap"])
        canv.setFillColor(left_color)
        end = left_ink.draw(canv, f.x, base, text.left)
        if text.total:
            canv.saveState()
            canv.translate(end, base)
            canv.doForm(TOTAL_FORM)
            canv.restoreState()
        canv.setFillColor(right_color)
        right_width = right_ink.width(text.right)
        # Room for a four-digit total after the left text; otherwise the right text takes a
        # line of its own below, rather than running into the left.
        if end + left_ink.width("0000") + 12 + right_width > f.x + f.width:
            base -= right_ink.size * 1.25
        right_ink.draw(canv, f.x + f.width - right_width, base, text.right)
        canv.restoreState()

    return paint


def write_pdf(
    story: list[Flowable],
    templates: list[PageTemplate],
    footer: Callable[[int, str], FooterText],
    kit: Kit,
    meta: Metadata,
    output: Path,
) -> int:
    """Lay out `story` into `output` atomically, with `footer`'s words at the foot of every
    page but the cover; return the number of pages."""
    from reportlab import rl_config

    # ReportLab wraps every compressed stream in ASCII85, a 7-bit-safe text encoding no
    # modern reader needs: it makes the file a quarter larger and costs time to write.
    rl_config.useA85 = 0
    for template in templates:
        if template.id != "cover":
            template.onPageEnd = footer_painter(kit, footer)
    doc = None
    try:
        with atomic_pdf(output) as handle:
            doc = BookDocument(handle, kit, meta, templates)
            doc.build(story)
    except OSError as err:  # atomic_pdf words its own; this is a file the book reads
        raise OutputError(f"{err.filename}: cannot read it ({err.strerror or err})") from None
    except RLLayoutError as err:
        mark = doc.current_mark if doc is not None else None
        where = mark.outline if mark is not None else "the book"
        raise LayoutError.at(
            where,
            f"an element is too large to fit on any page ({err}); "
            "shorten it or use a layout with more room",
        ) from None
    return doc.page
