"""Turn contents rows into pages of them, each row's page number a PDF form filled in once
every page number is known: the contents are right in a single layout pass, and their text
still reads row by row, label then number.

Tagged, the contents are a TOC of TOCI items, each a Link holding the row's words, its
number and its link annotation; a group heading's item holds the TOC of the rows under it.
A form a row (not one a page) puts each number inside its own item.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Paragraph

from briefbook import tagging
from briefbook.flowables import SizedFont, define_form


@dataclass(frozen=True)
class ContentsRow:
    key: str | None  # None: a group heading, without page number or link
    label: Paragraph
    height: float
    grouped: bool = False  # under the group heading before it


@dataclass(frozen=True)
class ContentsStyle:
    number: SizedFont
    number_color: str
    number_width: float
    padding: float
    rule: str
    rule_width: float


class ContentsPage(Flowable):
    """One page's worth of contents rows, each a link to its target page. The pages of one
    contents are one TOC: `first` is its first page (None: this is it)."""

    tags_own_parts = True

    def __init__(
        self,
        rows: list[ContentsRow],
        style: ContentsStyle,
        form: str,
        first: ContentsPage | None = None,
    ):
        super().__init__()
        self.rows, self.style, self.form = rows, style, form
        self.first = self if first is None else first
        self._group: tagging.Element | None = None  # on the first page: the open group's TOC

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = sum(r.height for r in self.rows)
        return self.width, self.height

    def draw(self):
        canv, s = self.canv, self.style
        items = self._elements(tagging.structure_of(canv))
        y = self.height
        for n, (row, item) in enumerate(zip(self.rows, items, strict=True)):
            y -= row.height
            with tagging.marked(canv, item):
                row.label.drawOn(canv, 0, y + s.padding)
                if row.key is not None:
                    canv.doForm(f"{self.form}-{n}")
                    rect = (0, y, self.width, y + row.height)
                    canv.linkRect("", row.key, rect, relative=1, thickness=0)
            canv.setStrokeColor(HexColor(s.rule))
            canv.setLineWidth(s.rule_width)
            canv.line(0, y, self.width, y)
        canv._doctemplate.contents.append(self)

    def _elements(self, structure: tagging.Structure | None) -> list[tagging.Element | None]:
        """The element each row's words are drawn as: the Link of a TOCI, or the P heading a
        group's TOCI, whose TOC the grouped rows after it are items of."""
        if structure is None:
            return [None] * len(self.rows)
        first = self.first
        toc = structure.element(first, "TOC")
        out: list[tagging.Element | None] = []
        for row in self.rows:
            if row.key is None:
                item = toc.add("TOCI")
                out.append(item.add("P"))
                first._group = item.add("TOC")
                continue
            if not row.grouped:
                first._group = None
            out.append((first._group or toc).add("TOCI").add("Link"))
        return out

    def fill(self, canv, pages: dict[str, int]) -> None:
        """Define the forms of this page's numbers, now that every target's page is known."""
        s = self.style
        y = self.height
        for n, row in enumerate(self.rows):
            y -= row.height
            if row.key is None:
                continue
            number = str(pages[row.key])
            # Paragraph puts its first baseline one font size below its top.
            baseline = y + row.height - s.padding - row.label.style.fontSize
            box = (0, baseline - s.number.size, self.width, baseline + s.number.size)
            define_form(
                canv,
                f"{self.form}-{n}",
                box,
                lambda c, b=baseline, t=number: _number(c, s, self.width, b, t),
            )


def _number(canv, s: ContentsStyle, right: float, baseline: float, number: str) -> None:
    canv.setFillColor(HexColor(s.number_color))
    canv.setFont(s.number.font, s.number.size)
    canv.drawRightString(right, baseline, number)
