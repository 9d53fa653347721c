"""Turn a finished PDF and the pictures placed in it into what takes its space, in words: each
picture (file, placed size, pixels, bytes), largest first, then the fonts and the rest. Also
the sizes `--max-size` takes (5MB, 800KB, 2000000B) and the sizes briefbook prints.

Sizes are decimal, as mail systems state their limits: 1 MB is 1,000,000 bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from briefbook.pictures import Placed

UNITS = {"B": 1, "KB": 1000, "MB": 1_000_000}
# Many offices' mail systems refuse attachments over 10 MB (Outlook 20, Gmail 25): an email
# edition past it is written, with a warning and this report.
EMAIL_LIMIT = 10_000_000

_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*")


def parse_size(text: str) -> int:
    """Bytes of a size such as 5MB, 2.5 MB, 800KB or 2000000B (a bare number is bytes);
    ValueError, in words, for anything else."""
    found = _SIZE.fullmatch(text)
    unit = found.group(2).upper() if found else ""
    if found is None or (unit and unit not in UNITS):
        raise ValueError(
            f"expected a size such as 5MB, 800KB or 2000000B (units B, KB, MB), found '{text}'"
        )
    size = round(float(found.group(1)) * UNITS[unit or "B"])
    if size < 1:
        raise ValueError(f"expected a size of at least 1 byte, found '{text}'")
    return size


def size_words(n: int) -> str:
    """2.4 MB, 310 KB, 900 B: what briefbook prints for a size."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1000:
        return f"{n // 1000} KB"
    return f"{n} B"


@dataclass(frozen=True)
class SpaceReport:
    total: int
    pictures: tuple[tuple[Placed, ...], ...]  # one entry per picture the PDF holds, largest first
    pictures_bytes: int  # of every image object in the PDF
    fonts: int  # font programs, their descriptions and character maps

    def lines(self) -> list[str]:
        rest = self.total - self.pictures_bytes - self.fonts
        count = len(self.pictures)
        lines = [f"  {size_words(self.pictures_bytes):>8}  {count} picture{'s' * (count != 1)}"]
        for placed, *same in self.pictures:
            frame, made = placed.frame, placed.made
            width, height = frame.width / 72, frame.height / 72
            also = f" (also for {', '.join(str(p.source) for p in same)})" if same else ""
            lines.append(
                f"  {size_words(made.embedded):>8}    {placed.source}: placed "
                f"{width:.2f} × {height:.2f} in, {made.pixels[0]} × {made.pixels[1]} px "
                f"(the file has {made.source_pixels[0]} × {made.source_pixels[1]}){also}"
            )
        lines.append(f"  {size_words(self.fonts):>8}  fonts")
        lines.append(f"  {size_words(max(rest, 0)):>8}  the rest (text, pages, links, bookmarks)")
        return lines


def space_report(pdf: bytes, placed: Iterable[Placed]) -> SpaceReport:
    """What takes the space of `pdf`. Pictures made alike (the same file twice, or two
    files with the same pixels) are one image in the PDF, and one entry here."""
    alike: dict[bytes, list[Placed]] = {}
    for p in sorted(placed, key=lambda p: str(p.source)):
        alike.setdefault(p.made.data, []).append(p)
    pictures = tuple(
        tuple(group) for group in sorted(alike.values(), key=lambda g: -g[0].made.embedded)
    )
    images, fonts = _parts(pdf)
    return SpaceReport(len(pdf), pictures, images, fonts)


def _parts(pdf: bytes) -> tuple[int, int]:
    """Bytes of the image streams and of the font programs and maps of a PDF, as stored
    (compressed); (0, 0) for one that cannot be read."""
    import io

    import pikepdf

    try:
        doc = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError:
        return 0, 0
    with doc:
        images = fonts = 0
        for obj in doc.objects:  # each object once
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                images += len(obj.read_raw_bytes())
            elif isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
                fonts += _font_bytes(obj)
    return images, fonts


def _font_bytes(font) -> int:
    """The stored bytes of a font's program, width and Unicode streams."""
    import pikepdf

    streams = [font.get("/ToUnicode")]
    descriptor = font.get("/FontDescriptor")
    if descriptor is not None:
        streams += [descriptor.get(k) for k in ("/FontFile", "/FontFile2", "/FontFile3")]
    return sum(len(s.read_raw_bytes()) for s in streams if isinstance(s, pikepdf.Stream))
