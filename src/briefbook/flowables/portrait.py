"""The portrait frame beside a mayor's name: their photo, made for the frame when the page is
drawn, or, without a photo, a monogram of their initials drawn in the layout's colours."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from reportlab.platypus import Flowable

from briefbook.flowables import SizedFont
from briefbook.pictures import Prepared


class _Framed(Flowable):
    """A box of a fixed size, which ReportLab's picture-beside-text (ImageAndFlowables)
    takes for its picture."""

    def __init__(self, width: float, height: float):
        super().__init__()
        self.width = self.drawWidth = width
        self.height = self.drawHeight = height

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def _restrictSize(self, avail_width, avail_height):  # the frame keeps its size
        return self.width, self.height

    def _unRestrictSize(self):
        pass


class Portrait(_Framed):
    """A picture of a fixed size; `make` gives it, and is called only when the page is
    drawn (a part set with `fit: page` is composed at several sizes, and only the one that
    fits is drawn)."""

    def __init__(self, width: float, height: float, make: Callable[[], Prepared], alt: str = ""):
        super().__init__(width, height)
        self._make, self.alt = make, alt

    def structure_role(self) -> tuple[str, str, str]:
        """A figure, described for readers who cannot see it (tagging.py)."""
        return "Figure", self.alt, ""

    def draw(self):
        self.canv.drawImage(reader(self._make()), 0, 0, self.width, self.height)


def reader(made: Prepared):
    """`made` as ReportLab's ImageReader. ReportLab names each image by a digest of its
    decoded pixels, so it decodes a JPEG only to name it, and then embeds the file as it is;
    a JPEG's bytes name it as surely, and are given as what it digests."""
    from reportlab.lib.utils import ImageReader

    image = ImageReader(BytesIO(made.data))
    if made.kind == "JPEG":
        image._data = hashlib.sha256(made.data).digest()  # what getRGBData returns
        image._dataA = None  # no soft mask: pictures are laid on what is under them
    return image


@dataclass(frozen=True)
class MonogramStyle:
    font: SizedFont
    fill: object  # a ReportLab colour
    text: object
    band: object
    band_height: float
    baseline: float  # the initials' baseline, this share of their size below the middle


class Monogram(_Framed):
    """The frame filled with a colour, the initials centred on it and a band at its foot.
    The initials are shapes, not text: a reader who copies the page, searches it or hears
    it read gets the name once, from the name block."""

    def __init__(self, width: float, height: float, initials: str, style: MonogramStyle):
        super().__init__(width, height)
        self.initials = initials
        self.style = style

    def draw(self):
        canv, s = self.canv, self.style
        canv.setFillColor(s.fill)
        canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if s.band_height:
            canv.setFillColor(s.band)
            canv.rect(0, 0, self.width, s.band_height, stroke=0, fill=1)
        if self.initials:
            from briefbook.flowables.outlines import draw_outlined

            canv.setFillColor(s.text)
            middle = s.band_height + (self.height - s.band_height) / 2
            x = (self.width - s.font.width(self.initials)) / 2
            y = middle - s.baseline * s.font.size
            for chunk, font in s.font.glyphs.runs(self.initials):
                x = draw_outlined(canv, font or s.font.font, s.font.size, x, y, chunk)
