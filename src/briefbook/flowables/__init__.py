"""Turn page elements that paragraphs cannot express into platypus flowables: marks, chips,
the contents rows, the at-a-glance table, balanced columns, and a few boxes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus.flowables import ImageAndFlowables

from briefbook.text import Glyphs


@dataclass(frozen=True)
class SizedFont:
    """A font at a size, with the fallback fonts for characters it lacks: for words drawn on
    the canvas rather than set in a paragraph."""

    font: str
    size: float
    glyphs: Glyphs

    def width(self, text: str) -> float:
        return sum(
            stringWidth(chunk, font or self.font, self.size)
            for chunk, font in self.glyphs.runs(text)
        )

    def draw(self, canv, x: float, y: float, text: str) -> float:
        """Draw `text` with its left end at x; return the x where it ends."""
        for chunk, font in self.glyphs.runs(text):
            canv.setFont(font or self.font, self.size)
            canv.drawString(x, y, chunk)
            x += stringWidth(chunk, font or self.font, self.size)
        return x

    def shortened(self, text: str, width: float) -> str:
        """`text`, or as much of it as fits in `width` followed by an ellipsis."""
        if self.width(text) <= width + 0.01:  # what was measured to fit, give or take rounding
            return text
        words = text.split(" ")
        n = _most(len(words), lambda k: self.width(" ".join(words[:k]) + "…") <= width)
        if n:
            return " ".join(words[:n]).rstrip(" ,;:·—-") + "…"
        # Not even one word fits: shorten the first word letter by letter.
        word = words[0]
        n = _most(len(word), lambda k: self.width(word[:k] + "…") <= width)
        return word[:n] + "…" if n else ""


def _most(top: int, fits: Callable[[int], bool]) -> int:
    """The largest k from 0 to `top` for which fits(k), where fits holds up to some k and
    not after it: found by halving, so that words of any length shorten in few measures."""
    low, high = 0, top
    while low < high:
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    return low


def define_form(canv, name: str, bbox: tuple[float, float, float, float], draw) -> None:
    """Record what `draw(canv)` paints as the PDF form `name`, drawn wherever doForm names it.

    Forms may be defined in the middle of a page, and after the pages that use them.
    """
    # beginForm sets the page's drawing aside only when there is some; make sure there is,
    # or ending the form would also drop this page's links.
    canv.saveState()
    canv.restoreState()
    canv.beginForm(name, *bbox)
    draw(canv)
    canv.endForm()


def stacked_height(flowables: list[Flowable], width: float, canv: Any = None) -> float:
    """The height `flowables` take one under another in a frame `width` wide: the space
    before the first and after the last left out, as a frame leaves them out. Measured
    through wrapOn, as a frame measures, since some (a photo beside its text) look for
    their canvas while they wrap; before layout there is none, and None serves."""
    total = 0.0
    for i, f in enumerate(flowables):
        _, h = f.wrapOn(canv, width, 1_000_000)
        total += h
        if i:
            total += f.getSpaceBefore()
        if i < len(flowables) - 1:
            total += f.getSpaceAfter()
    return total


class Stack(Flowable):
    """Flowables one under another that move as one: never split between pages."""

    def __init__(self, flowables: list[Flowable]):
        super().__init__()
        self.flowables = flowables
        self._width = None

    def wrap(self, avail_width, avail_height):
        self.width, self._width = avail_width, avail_width
        self.height = stacked_height(self.flowables, avail_width, getattr(self, "canv", None))
        return self.width, self.height

    def getSpaceBefore(self):
        return self.flowables[0].getSpaceBefore() if self.flowables else 0

    def getSpaceAfter(self):
        return self.flowables[-1].getSpaceAfter() if self.flowables else 0

    def draw(self):
        y = self.height
        for i, f in enumerate(self.flowables):
            if i:
                y -= f.getSpaceBefore()
            _, h = f.wrapOn(self.canv, self._width, 1_000_000)
            y -= h
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()


class Gap(Flowable):
    """Empty space of a height fixed when the page is composed (pushes a foot down)."""

    def __init__(self, height: float):
        super().__init__()
        self.height = height

    def wrap(self, avail_width, avail_height):
        return avail_width, self.height

    def draw(self):
        pass


class PhotoBeside(ImageAndFlowables):
    """ReportLab's picture with flowables beside it, where the flowables stay beside a short,
    wide picture instead of dropping below it (which left a band of white between the first
    line and the rest): the picture's bottom padding grows to the height they need."""

    def __init__(self, image: Flowable, content: list[Flowable], space_below: float, **kw):
        super().__init__(image, content, imageBottomPadding=space_below, **kw)
        self._space_below = space_below

    def wrap(self, availWidth, availHeight):
        image = self._I
        image.wrap(availWidth, availHeight)
        beside = availWidth - self._ilpad - self._irpad - image.drawWidth
        if beside > 0:
            need = stacked_height(self._content, beside, getattr(self, "canv", None))
            self._ibpad = max(self._space_below, need - image.drawHeight - self._itpad)
        return super().wrap(availWidth, availHeight)
