"""Turn the free space under a mayor's text into ruled lines for notes, under a heading: as
many lines as fit, or, when fewer than the layout's least fit there, a page of them."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from briefbook.flowables import stacked_height


@dataclass(frozen=True)
class NotesStyle:
    spacing: float  # between the lines
    min_lines: int
    space_before: float
    color: str
    width: float  # of the rules


class NotesLines(Flowable):
    """The heading, then lines `style.spacing` apart down to the foot of the frame. With
    `height`, exactly that tall (the space a page fitted to its text has left between the
    text and its foot), the lines clear of both by the space before them."""

    def __init__(self, heading: list[Flowable], style: NotesStyle, height: float | None = None):
        super().__init__()
        self.heading, self.style, self.fixed = heading, style, height
        self.spaceBefore = 0 if height is not None else style.space_before
        self.lines = 0

    def wrap(self, avail_width, avail_height):
        s = self.style
        top = stacked_height(self.heading, avail_width)
        room = avail_height if self.fixed is None else self.fixed - 2 * s.space_before
        self.lines = int((room - top) // s.spacing)
        at_top = getattr(getattr(self, "_frame", None), "_atTop", False)
        if self.lines < s.min_lines and not at_top and self.fixed is None:
            self.lines = s.min_lines  # too tall here: split() sends it to the next page
        self.lines = max(self.lines, 1)
        self.width, self.height = avail_width, self.fixed or top + self.lines * s.spacing
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return []  # never a few lines here and the rest there: all on the next page

    def draw(self) -> None:
        s, canv = self.style, self.canv
        y = self.height - (s.space_before if self.fixed is not None else 0)
        for flowable in self.heading:
            _, h = flowable.wrap(self.width, y)
            y -= h
            flowable.drawOn(canv, 0, y)
        canv.setStrokeColor(HexColor(s.color))
        canv.setLineWidth(s.width)
        for _ in range(self.lines):
            y -= s.spacing
            canv.line(0, y, self.width, y)
