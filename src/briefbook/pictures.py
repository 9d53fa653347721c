"""Turn the picture files a data folder names into checked, upright images that ReportLab
draws as they look on screen.

Checking (image_problem) and drawing (picture) both read the file through briefbook.files:
only a regular file, inside the data folder, no larger than MAX_IMAGE_BYTES. Pillow then
decodes it from memory, so nothing it opens can be swapped for something else in between.
"""

from __future__ import annotations

import warnings
from io import BytesIO
from pathlib import Path
from typing import Any

from briefbook import files

MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_BYTES = 50_000_000
IMAGE_FORMATS = {"PNG", "JPEG"}

# Pillow modes ReportLab draws faithfully. CMYK JPEGs are embedded as they are; ReportLab,
# like Pillow, reads their inks the way Adobe stores them. Every other mode is converted
# first. 16-bit grey ("I;16", or "I" in older Pillow) is the one PNGs really have: ReportLab
# clips it to 8 bits, so nearly every grey prints as white.
_DRAWN_AS_IS = {"1", "L", "LA", "P", "RGB", "RGBA", "CMYK"}
# Transparency: with mask="auto" ReportLab makes an alpha channel (LA, RGBA) and a palette's
# transparent entries (P with tRNS) into a soft mask, and ignores the one transparent value
# (tRNS) of a grey or RGB PNG, which would print as a solid box of its hidden colour. Those
# are given an alpha channel first.
_ORIENTATION = 0x0112  # the EXIF tag; 1 is upright


def image_problem(root: Path, rel: str) -> str | None:
    """Why `rel` is not a usable picture inside `root`, or None when it is."""
    base = root.resolve()
    if not (base / rel).resolve().is_relative_to(base):
        return f"'{rel}' points outside the data folder; expected a path inside {root}"
    try:
        data = files.read_inside(root, root / rel, MAX_IMAGE_BYTES)
    except files.Refused as err:
        if str(err) == "file not found":
            return f"image '{rel}' not found; expected a PNG or JPEG file inside {root}"
        return f"image '{rel}' cannot be used: {err}"
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if kind not in IMAGE_FORMATS:
                    return f"'{rel}' is a {kind} image; expected PNG or JPEG"
                if width * height <= MAX_IMAGE_PIXELS:
                    image.load()  # a truncated or corrupt file fails here, not mid-build
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return (
            f"image '{rel}' is too large to open safely; expected at most "
            f"{MAX_IMAGE_PIXELS:,} pixels"
        )
    except (OSError, ValueError, SyntaxError):
        return f"'{rel}' is not a readable image; expected a PNG or JPEG file"
    if width * height > MAX_IMAGE_PIXELS:
        return (
            f"image '{rel}' is {width}×{height} pixels; expected at most "
            f"{MAX_IMAGE_PIXELS:,} pixels in all"
        )
    return None


def picture(path: Path) -> tuple[str | BytesIO, int, int]:
    """The picture at `path` as something ReportLab draws, and its size in pixels: turned
    upright (cameras store the way up in EXIF and leave the pixels sideways; ReportLab
    ignores it) and in a mode ReportLab draws right. The file's own bytes when they need
    neither, so a JPEG is embedded as it is."""
    from PIL import Image, ImageOps

    from briefbook.errors import DataError, Problem

    try:
        data = files.read_regular(path, MAX_IMAGE_BYTES)
    except files.Refused as err:  # it changed since it was validated
        raise DataError(Problem(str(path), None, "", f"cannot be used: {err}")) from None
    with Image.open(BytesIO(data)) as image:
        upright = image.getexif().get(_ORIENTATION, 1) == 1
        if upright and _drawn_as_is(image):
            return BytesIO(data), *image.size
        fixed = _drawable(image if upright else ImageOps.exif_transpose(image))
        out = BytesIO()
        # PNG keeps every pixel; it has no CMYK, so a CMYK photo turned upright stays a JPEG.
        if fixed.mode == "CMYK":
            fixed.save(out, format="JPEG", quality=95)
        else:
            fixed.save(out, format="PNG")
    out.seek(0)
    return out, *fixed.size


def _drawn_as_is(image: Any) -> bool:
    """Does ReportLab draw `image` as it looks, transparency included?"""
    return image.mode in _DRAWN_AS_IS and (image.mode == "P" or "transparency" not in image.info)


def _drawable(image: Any) -> Any:
    """`image` in a mode ReportLab draws right: 16-bit grey scaled to 8 bits, anything else
    ReportLab cannot draw into RGB; where it has transparency, with an alpha channel (LA for
    grey, RGBA for the rest)."""
    if _drawn_as_is(image):
        return image
    mode = image.mode
    if mode.startswith("I;16") or mode == "I":
        wide = image.convert("I")
        grey = wide.point(lambda v: v * (1 / 256)).convert("L")
        hidden = image.info.get("transparency")
        if isinstance(hidden, int):
            grey.putalpha(_opaque_unless(wide, hidden))
        return grey
    if "transparency" in image.info and mode in ("1", "L"):
        return image.convert("LA")  # Pillow turns the transparent grey into alpha 0
    alpha = "A" in mode or "a" in mode or "transparency" in image.info
    return image.convert("RGBA" if alpha else "RGB")


def _opaque_unless(wide: Any, value: int) -> Any:
    """An 8-bit alpha channel for the 32-bit grey image `wide`: 0 where a pixel is `value`,
    255 elsewhere. (Pillow's own conversion compares the 16-bit pixels with the value only
    after clipping them to 8 bits.) Converting to 8 bits clips, so (v - value) * 255 is 255
    where v > value and 0 elsewhere; the lighter of that and its mirror is the mask."""
    from PIL import ImageChops

    above = wide.point(lambda v: (v - value) * 255).convert("L")
    below = wide.point(lambda v: (value - v) * 255).convert("L")
    return ImageChops.lighter(above, below)
