"""Turn short items into two balanced columns that split between pages."""

from __future__ import annotations

from reportlab.platypus import Flowable


class Columns(Flowable):
    """Short items (paragraphs, or boxes that keep together) in two balanced columns, each
    item measured once; splits between items when a page is too short for all of them."""

    def __init__(self, paragraphs: list[Flowable], gap: float):
        super().__init__()
        self.paragraphs, self.gap = paragraphs, gap
        self._measured: tuple[float, list[float]] | None = None

    def _heights(self, avail_width: float) -> list[float]:
        if self._measured is None or self._measured[0] != avail_width:
            width = (avail_width - self.gap) / 2
            heights = [
                p.wrap(width, 100_000)[1] + p.getSpaceBefore() + p.getSpaceAfter()
                for p in self.paragraphs
            ]
            self._measured = (avail_width, heights)
        return self._measured[1]

    def _cut(self, heights: list[float]) -> int:
        """How many paragraphs go in the left column: the cut that evens the two out."""
        total, running, best = sum(heights), 0.0, (float("inf"), 0)
        for i, h in enumerate(heights):
            running += h
            best = min(best, (max(running, total - running), i + 1))
        return best[1]

    def wrap(self, avail_width, avail_height):
        heights = self._heights(avail_width)
        cut = self._cut(heights)
        self.width = avail_width
        self.height = max(sum(heights[:cut]), sum(heights[cut:]), 0)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        heights = self._heights(avail_width)
        fit = len(heights)
        while fit > 1:
            part = heights[:fit]
            cut = self._cut(part)
            if max(sum(part[:cut]), sum(part[cut:])) <= avail_height:
                break
            fit -= 1
        if fit <= 1 or fit == len(heights):
            return []
        return [Columns(self.paragraphs[:fit], self.gap), Columns(self.paragraphs[fit:], self.gap)]

    def draw(self):
        heights = self._heights(self.width)
        cut = self._cut(heights)
        column = (self.width - self.gap) / 2
        for x, paragraphs, hs in (
            (0.0, self.paragraphs[:cut], heights[:cut]),
            (column + self.gap, self.paragraphs[cut:], heights[cut:]),
        ):
            y = self.height
            for p, h in zip(paragraphs, hs, strict=True):
                p.wrap(column, 100_000)
                p.drawOn(self.canv, x, y - h + p.getSpaceAfter())
                y -= h
