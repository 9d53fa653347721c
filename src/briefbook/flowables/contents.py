"""Turn contents rows into pages of them, each a PDF form filled in once every page number is
known: the contents are right in a single layout pass, and their text still reads row by
row, label then number."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Paragraph

from briefbook.flowables import SizedFont, define_form


@dataclass(frozen=True)
class ContentsRow:
    key: str | None  # None: a group heading, without page number or link
    label: Paragraph
    height: float


@dataclass(frozen=True)
class ContentsStyle:
    number: SizedFont
    number_color: str
    number_width: float
    padding: float
    rule: str
    rule_width: float


class ContentsPage(Flowable):
    """One page's worth of contents rows, each a link to its target page."""

    def __init__(self, rows: list[ContentsRow], style: ContentsStyle, form: str):
        super().__init__()
        self.rows, self.style, self.form = rows, style, form

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = sum(r.height for r in self.rows)
        return self.width, self.height

    def structure_role(self) -> tuple[str, str, str]:
        """Its rows, words and page numbers, as one paragraph for now (tagging.py)."""
        return "P", "", ""

    def draw(self):
        y = self.height
        for row in self.rows:
            y -= row.height
            if row.key is not None:
                rect = (0, y, self.width, y + row.height)
                self.canv.linkRect("", row.key, rect, relative=1, thickness=0)
        self.canv.doForm(self.form)
        self.canv._doctemplate.contents.append(self)

    def fill(self, canv, pages: dict[str, int]) -> None:
        """Define this page's form, now that every target's page is known."""
        margin = self.style.number.size
        define_form(
            canv,
            self.form,
            (-margin, -margin, self.width + margin, self.height + margin),
            lambda c: self._draw_rows(c, pages),
        )

    def _draw_rows(self, canv, pages: dict[str, int]) -> None:
        s = self.style
        y = self.height
        for row in self.rows:
            y -= row.height
            row.label.drawOn(canv, 0, y + s.padding)
            if row.key is not None:
                # Paragraph puts its first baseline one font size below its top.
                baseline = y + row.height - s.padding - row.label.style.fontSize
                canv.setFillColor(HexColor(s.number_color))
                canv.setFont(s.number.font, s.number.size)
                canv.drawRightString(self.width, baseline, str(pages[row.key]))
            canv.setStrokeColor(HexColor(s.rule))
            canv.setLineWidth(s.rule_width)
            canv.line(0, y, self.width, y)
