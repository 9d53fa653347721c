"""Turn the print options of a build (--duplex, --bleed, --crop-marks, --notes) into what the
pages need to know of them: the size of the sheet the page is drawn on, where the trimmed
page sits on it, its TrimBox and BleedBox, and the crop marks outside the trim.

The page is laid out at its trimmed size, as the layout describes it; with a bleed, or crop
marks, it is drawn on a larger sheet, `origin` points in from its lower left corner.
"""

from __future__ import annotations

from dataclasses import dataclass

# Crop marks as print shops expect them: hairlines on the lines of the trim, starting this
# far outside it (or this much outside the bleed, if that is wider), and this long.
MARK_OFFSET = 6.0
MARK_CLEARANCE = 3.0
MARK_LENGTH = 18.0
MARK_WIDTH = 0.25

MM = 72 / 25.4
NOTED = frozenset({"mayor"})  # the kinds of page --notes puts lines for notes under


@dataclass(frozen=True)
class Printing:
    """How the book is to be printed."""

    duplex: bool = False  # both sides: mirrored margins, parts opening on a right-hand page
    bleed: float = 0.0  # points of the page's background past the trim, on every side
    crop_marks: bool = False
    notes: bool = False  # ruled lines for notes under each mayor's text

    @property
    def origin(self) -> float:
        """Where the trimmed page starts on the sheet, from its left and bottom edges."""
        return self.bleed + (self._mark_offset + MARK_LENGTH if self.crop_marks else 0.0)

    @property
    def _mark_offset(self) -> float:
        return max(MARK_OFFSET, self.bleed + MARK_CLEARANCE)

    def sheet(self, trim: tuple[float, float]) -> tuple[float, float]:
        """The size of what the page is drawn on, for a page trimmed to `trim`."""
        return trim[0] + 2 * self.origin, trim[1] + 2 * self.origin

    def boxes(self, trim: tuple[float, float]) -> dict[str, list[float]]:
        """TrimBox and BleedBox, as [x0, y0, x1, y1] on the sheet; none when the sheet is
        the page (no bleed, no marks)."""
        if not self.origin:
            return {}
        o, b = self.origin, self.bleed
        width, height = trim
        return {
            "trimBox": [o, o, o + width, o + height],
            "bleedBox": [o - b, o - b, o + width + b, o + height + b],
        }

    def draw_crop_marks(self, canv, trim: tuple[float, float]) -> None:
        """The marks at the four corners of the trim, in the sheet's coordinates, all in the
        margin outside the bleed."""
        if not self.crop_marks:
            return
        o, gap = self.origin, self._mark_offset
        width, height = trim
        canv.saveState()
        canv.setStrokeGray(0)
        canv.setLineWidth(MARK_WIDTH)
        for x in (o, o + width):
            for y in (o, o + height):
                out_x = -1 if x == o else 1  # away from the page
                out_y = -1 if y == o else 1
                canv.line(x + out_x * gap, y, x + out_x * (gap + MARK_LENGTH), y)
                canv.line(x, y + out_y * gap, x, y + out_y * (gap + MARK_LENGTH))
        canv.restoreState()


_UNITS = {"mm": MM, "cm": 10 * MM, "in": 72.0, "pt": 1.0}
MAX_BLEED = 36.0  # half an inch: more is no bleed a print shop asks for


def parse_length(text: str) -> float:
    """'3mm', '0.125in', '9pt' (or a bare number of points) in points; ValueError with
    what was expected otherwise."""
    value = text.strip().lower().replace(" ", "")
    unit = next((u for u in _UNITS if value.endswith(u)), "")
    number = value.removesuffix(unit) if unit else value
    try:
        points = float(number) * _UNITS.get(unit, 1.0)
    except ValueError:
        points = -1.0
    if not number or points != points or points < 0 or points > MAX_BLEED:
        raise ValueError(
            f"'{text}' is not a length from 0 to {MAX_BLEED:g} points; expected a number "
            "with mm, cm, in or pt, such as 3mm or 0.125in"
        )
    return points
