"""Turn a mayor's theme labels into chips: rounded tags that wrap onto as many rows as they
need, each drawn once as a PDF form and placed wherever that chip recurs."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from briefbook.flowables import SizedFont, define_form
from briefbook.views import Chip


@dataclass(frozen=True)
class ChipStyle:
    font: SizedFont
    chosen_font: SizedFont
    padding_x: float
    height: float
    gap: float
    radius: float
    baseline: float  # share of the font size below the chip's middle
    fill: str
    text: str
    chosen_fill: str
    chosen_text: str


class Chips(Flowable):
    def __init__(self, chips: tuple[Chip, ...], style: ChipStyle):
        super().__init__()
        self.chips, self.style = chips, style
        self._placed: list[tuple[float, int, Chip, float]] = []

    def structure_role(self) -> tuple[str, str, str]:
        """A paragraph of the themes' names, which are drawn as forms (tagging.py)."""
        return "P", "", "Themes: " + ", ".join(chip.label for chip in self.chips)

    def wrap(self, avail_width, avail_height):
        s = self.style
        x, row, self._placed = 0.0, 0, []
        for chip in self.chips:
            font = s.chosen_font if chip.chosen else s.font
            width = min(font.width(chip.label) + 2 * s.padding_x, avail_width)
            if x and x + width > avail_width:
                x, row = 0.0, row + 1
            self._placed.append((x, row, chip, width))
            x += width + s.gap
        rows = row + 1 if self.chips else 0
        self.width = avail_width
        self.height = rows * s.height + max(rows - 1, 0) * s.gap
        return self.width, self.height

    def draw(self):
        s, canv = self.style, self.canv
        for x, row, chip, width in self._placed:
            y = self.height - (row + 1) * s.height - row * s.gap
            name = f"{chip.form}w{round(width * 10)}"
            if not canv.hasForm(name):
                define_form(
                    canv,
                    name,
                    (0, 0, width, s.height),
                    lambda c, chip=chip, w=width: self._chip(c, chip, w),
                )
            canv.saveState()
            canv.translate(x, y)
            canv.doForm(name)
            canv.restoreState()

    def _chip(self, canv, chip: Chip, width: float) -> None:
        s = self.style
        font = s.chosen_font if chip.chosen else s.font
        canv.setFillColor(HexColor(s.chosen_fill if chip.chosen else s.fill))
        canv.roundRect(0, 0, width, s.height, s.radius, stroke=0, fill=1)
        canv.setFillColor(HexColor(s.chosen_text if chip.chosen else s.text))
        label = font.shortened(chip.label, width - 2 * s.padding_x)
        font.draw(canv, s.padding_x, s.height / 2 - font.size * s.baseline, label)
