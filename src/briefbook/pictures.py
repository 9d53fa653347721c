"""Turn a picture file into something ReportLab draws the right way up (stand-in until the
pictures module lands)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path


def picture(path: Path) -> tuple[str | BytesIO, int, int]:
    """The picture at `path` turned upright, as something ReportLab draws, and its size:
    cameras store the way up in EXIF and leave the pixels sideways; ReportLab ignores it."""
    from PIL import Image, ImageOps

    with Image.open(path) as image:
        if image.getexif().get(0x0112, 1) == 1:  # 0x0112: Orientation; 1 is upright
            return str(path), *image.size
        upright = ImageOps.exif_transpose(image)
        data = BytesIO()
        upright.save(data, format="PNG")
    data.seek(0)
    return data, *upright.size
