"""Turn the picture files a data folder names into checked pictures, each made for the frame
it is placed in: cropped to the frame's shape, upright, in sRGB, 8 bits, flattened on what
lies under it, at the resolution asked for and never more pixels than the file has, in grey
for a grayscale proof, stored as JPEG (photographs) or losslessly (flat graphics, few
colours), with no metadata.

Checking (image_problem) and preparing (prepare) both read the file through briefbook.files:
only a regular file, inside the data folder, no larger than MAX_IMAGE_BYTES. Pillow then
decodes it from memory, so nothing it opens can be swapped for something else in between.
Both keep their result in the cache (briefbook.cache), named by the file's content and by
everything else the result depends on.
"""

from __future__ import annotations

import json
import math
import os
import warnings
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from briefbook import files
from briefbook.cache import Cache, key
from briefbook.layout import rgb

MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_BYTES = 50_000_000
# Pillow's readers that are tried, and no others: its readers of EPS (Ghostscript) or of
# rarely used formats are not offered files from a folder that arrived by email. The JPEG
# reader also opens the JPEGs many phones write with a preview inside (format "MPO").
FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP")
EXPECTED = "expected a picture in JPEG, PNG, GIF, WebP, TIFF or BMP"
PPI = {"email": 150, "print": 300}  # pixels per inch at the placed size, by --quality
VERSION = 1  # of what prepare makes; another number leaves the old cache entries unused
_ORIENTATION = 0x0112  # the EXIF tag; 5 to 8 turn the picture a quarter
_POINTS_PER_INCH = 72

# What some files that are not pictures Pillow reads begin with, for a message that says
# what the file is (the offset, the bytes, the words).
_KNOWN = (
    (0, b"%PDF-", "a PDF document"),
    (0, b"%!PS", "a PostScript file"),
    (4, b"ftypheic", "an HEIC photo"),
    (4, b"ftypheix", "an HEIC photo"),
    (4, b"ftypmif1", "an HEIF photo"),
    (4, b"ftypavif", "an AVIF picture"),
)


@dataclass(frozen=True)
class Frame:
    """Where a picture is placed: its size in points, the point of the picture (shares of
    its width and height) kept in view when it is cropped, and the colour under it."""

    width: float
    height: float
    focus: tuple[float, float] = (0.5, 0.5)
    background: str = "#ffffff"


@dataclass(frozen=True)
class Prepared:
    """A picture made for its frame."""

    data: bytes  # a JPEG or PNG file
    kind: str  # "JPEG" or "PNG"
    pixels: tuple[int, int]
    source_pixels: tuple[int, int]  # the file's own, upright
    embedded: int  # bytes of the PDF's image object: the JPEG itself, or ReportLab's Flate


# --- checking -------------------------------------------------------------------------------


def image_problem(root: Path, rel: str, cache: Cache | None = None) -> str | None:
    """Why `rel` is not a usable picture inside `root`, or None when it is."""
    base = root.resolve()
    if not (base / rel).resolve().is_relative_to(base):
        return f"'{rel}' points outside the data folder; expected a path inside {root}"
    try:
        data = files.read_inside(root, root / rel, MAX_IMAGE_BYTES)
    except files.Refused as err:
        if str(err) == "file not found":
            return f"image '{rel}' not found; {EXPECTED} inside {root}"
        return f"image '{rel}' cannot be used: {err}"
    cache = cache or Cache(None)
    checked = key("checked", VERSION, _pillow(), data)
    if cache.get("checked", checked) == b"ok":
        return None
    problem = _decode_problem(rel, data)
    if problem is None:
        cache.put("checked", checked, b"ok")
    return problem


def _decode_problem(rel: str, data: bytes) -> str | None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's words about odd EXIF are not the user's
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data), formats=FORMATS) as image:
                width, height = image.size
                if width * height <= MAX_IMAGE_PIXELS:
                    # A truncated or corrupt file fails here, not mid-build. A JPEG is read
                    # whole but decoded at an eighth of its size: as sure, and faster.
                    if image.format in ("JPEG", "MPO"):
                        image.draft(image.mode, (1, 1))
                    image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return (
            f"image '{rel}' is too large to open safely; expected at most "
            f"{MAX_IMAGE_PIXELS:,} pixels"
        )
    except Image.UnidentifiedImageError:
        if not data.startswith(_PICTURES):
            return f"'{rel}' is {_what(data)}, not a picture briefbook can read; {EXPECTED}"
        return f"'{rel}' is not a readable image (cut short or damaged); {EXPECTED}"
    except (OSError, ValueError, SyntaxError, EOFError):
        return f"'{rel}' is not a readable image (cut short or damaged); {EXPECTED}"
    if width * height > MAX_IMAGE_PIXELS:
        return (
            f"image '{rel}' is {width}×{height} pixels; expected at most "
            f"{MAX_IMAGE_PIXELS:,} pixels in all"
        )
    return None


# How the files of FORMATS begin: one that does and still is not read is damaged.
_PICTURES = (b"\xff\xd8", b"\x89PNG", b"GIF8", b"RIFF", b"II*\x00", b"MM\x00*", b"BM")


def _what(data: bytes) -> str:
    """What a file that no reader of FORMATS takes is, in words."""
    if not data:
        return "an empty file"
    for offset, magic, words in _KNOWN:
        if data[offset : offset + len(magic)] == magic:
            return words
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in head or (head.startswith(b"<?xml") and b"svg" in head):
        return "an SVG drawing"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "a file of an unknown kind"
    return "a text file"


def _pillow() -> str:
    import PIL

    return PIL.__version__


# --- preparing ------------------------------------------------------------------------------


def prepare(
    path: Path, frame: Frame, ppi: int, jpeg_quality: int, cache: Cache, grey: bool = False
) -> Prepared:
    """The picture at `path` made for `frame` at `ppi` pixels per inch, in grey (Rec. 601
    luma, as the layout's colours in a grayscale proof) when `grey`: from the cache when it
    was made before with the same file content and the same settings."""
    from briefbook.errors import DataError, Problem

    try:
        data = files.read_regular(path, MAX_IMAGE_BYTES)
    except files.Refused as err:  # it changed since it was validated
        raise DataError(Problem(str(path), None, "", f"cannot be used: {err}")) from None
    # A grey picture has a name of its own; a colour one keeps the name it always had.
    shade = ("grey",) if grey else ()
    name = key("picture", VERSION, _pillow(), data, frame, ppi, jpeg_quality, *shade)
    kept = _from_entry(cache.get("pictures", name))
    if kept is not None:
        return kept
    try:
        made = _made(data, frame, ppi, jpeg_quality, grey)
    except Exception as err:  # decoding a file from anywhere fails in any way there is
        if isinstance(err, DataError):
            raise
        raise DataError(
            Problem(str(path), None, "", f"is not a readable image ({err}); {EXPECTED}")
        ) from None
    cache.put("pictures", name, _entry(made))
    return made


def _entry(made: Prepared) -> bytes:
    head = {
        "kind": made.kind,
        "pixels": made.pixels,
        "source_pixels": made.source_pixels,
        "embedded": made.embedded,
    }
    return json.dumps(head).encode() + b"\n" + made.data


def _from_entry(entry: bytes | None) -> Prepared | None:
    """The picture a cache entry holds, or None when it does not hold a whole one."""
    if entry is None:
        return None
    from PIL import Image

    head, _, data = entry.partition(b"\n")
    try:
        fields = json.loads(head)
        made = Prepared(
            data,
            str(fields["kind"]),
            tuple(fields["pixels"]),
            tuple(fields["source_pixels"]),
            int(fields["embedded"]),
        )
        with Image.open(BytesIO(data), formats=(made.kind,)) as image:
            if image.size != made.pixels:
                return None
    except (ValueError, KeyError, TypeError, OSError):
        return None
    return made


def _made(data: bytes, frame: Frame, ppi: int, jpeg_quality: int, grey: bool = False) -> Prepared:
    from PIL import Image

    with warnings.catch_warnings():  # Pillow's words about odd EXIF are not the user's
        warnings.simplefilter("ignore")
        with Image.open(BytesIO(data), formats=FORMATS) as image:
            icc = image.info.get("icc_profile")
            orientation = _orientation(image)
            turned = orientation in (5, 6, 7, 8)
            stored = image.size
            upright = stored[::-1] if turned else stored
            left, top, width, height = crop_box(upright, frame.width / frame.height, frame.focus)
            target = max(1, round(frame.width / _POINTS_PER_INCH * ppi))
            scale = min(1.0, target / width)  # never more pixels than the file has
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            if image.format in ("JPEG", "MPO"):
                # Decode at 1/2, 1/4 or 1/8 of the size where that still leaves enough
                # pixels: a 4000 × 3000 photo for a 200-pixel frame decodes eight times faster.
                need = (math.ceil(upright[0] * scale), math.ceil(upright[1] * scale))
                image.draft(image.mode, need[::-1] if turned else need)
            kind = image.format
            shown = _eight_bit(image)
            if orientation != 1:
                shown = shown.transpose(_turn(orientation))
            fx, fy = shown.size[0] / upright[0], shown.size[1] / upright[1]
            box = (left * fx, top * fy, (left + width) * fx, (top + height) * fy)
            resized = shown.resize(size, Image.Resampling.LANCZOS, box=box)  # a new image
    flat = _flattened(_srgb(resized, icc), frame.background)
    if grey and flat.mode != "L":
        flat = flat.convert("L")  # Rec. 601 luma, the weights of the layout's greys
    photo = BytesIO()
    flat.save(photo, "JPEG", quality=jpeg_quality, optimize=True)
    if kind not in ("JPEG", "MPO") and flat.getcolors(maxcolors=256) is not None:
        # Few colours (a logo, a chart, a grey picture): lossless where that costs no more
        # than twice the JPEG, which would blur a drawing's edges.
        flate = len(zlib.compress(flat.tobytes()))  # what ReportLab stores for it
        if flate <= 2 * photo.tell():
            lossless = BytesIO()
            flat.save(lossless, "PNG", compress_level=1)
            return Prepared(lossless.getvalue(), "PNG", size, upright, flate)
    return Prepared(photo.getvalue(), "JPEG", size, upright, photo.tell())


def _turn(orientation: int) -> Any:
    """What undoes an EXIF orientation, as Pillow's ImageOps.exif_transpose does; that also
    rewrites the EXIF block, and fails on a malformed one, which is dropped here anyway."""
    from PIL import Image

    t = Image.Transpose
    return {
        2: t.FLIP_LEFT_RIGHT,
        3: t.ROTATE_180,
        4: t.FLIP_TOP_BOTTOM,
        5: t.TRANSPOSE,
        6: t.ROTATE_270,
        7: t.TRANSVERSE,
        8: t.ROTATE_90,
    }[orientation]


def _orientation(image: Any) -> int:
    """The picture's EXIF orientation, 1 (upright) when it has none or a malformed one."""
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except Exception:  # EXIF is the camera's, and cameras write anything
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def crop_box(
    size: tuple[int, int], aspect: float, focus: tuple[float, float]
) -> tuple[float, float, float, float]:
    """The largest part of a picture of `size` with the shape `aspect` (width / height), as
    near centred on `focus` (shares of the width and height) as the edges allow: left, top,
    width, height, in pixels."""
    w, h = size
    width, height = (h * aspect, h) if w / h > aspect else (w, w / aspect)
    left = min(max(focus[0] * w - width / 2, 0.0), w - width)
    top = min(max(focus[1] * h - height / 2, 0.0), h - height)
    return left, top, width, height


def _eight_bit(image: Any) -> Any:
    """`image` as 8-bit grey or colour (L, RGB, CMYK), with an alpha channel (LA, RGBA)
    where any of it is transparent: 16-bit grey scaled, not clipped; a palette or a single
    transparent value (a PNG's tRNS) turned into an alpha channel."""
    mode, hidden = image.mode, image.info.get("transparency")
    if mode == "F" or (mode == "I" and (image.getextrema()[1] or 0) <= 255):
        low, high = image.getextrema()
        if mode == "F" and low >= 0 and high <= 1:  # shares of white: 0 to 1
            return image.point(lambda v: v * 255).convert("L")
        return image.convert("L")  # already 0 to 255
    if mode.startswith("I;16") or mode == "I":
        wide = image.convert("I")
        grey = wide.point(lambda v: v * (1 / 256)).convert("L")
        if isinstance(hidden, int):
            grey.putalpha(_opaque_unless(wide, hidden))
        return grey
    if mode in ("L", "RGB", "CMYK", "LA", "RGBA") and hidden is None:
        return image
    if mode in ("1", "L") and hidden is None:
        return image.convert("L")
    if mode in ("1", "L"):
        return image.convert("LA")  # Pillow turns the transparent grey into alpha 0
    if mode == "La":
        return image.convert("LA")
    alpha = "A" in mode or "a" in mode or hidden is not None
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


def _srgb(image: Any, icc: bytes | None) -> Any:
    """`image` in sRGB: through its ICC profile when it has one that fits it (CMYK, Adobe
    RGB, a phone's Display P3), else CMYK by Pillow's plain conversion."""
    from PIL import ImageCms

    if icc and image.mode not in ("L", "LA"):  # a grey picture keeps its greys
        wanted = "RGB" if image.mode == "CMYK" else image.mode
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(icc))
            target = ImageCms.createProfile("sRGB")
            return ImageCms.profileToProfile(image, source, target, outputMode=wanted)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a profile that does not fit the pixels: read them as sRGB
    return image.convert("RGB") if image.mode == "CMYK" else image


def _flattened(image: Any, background: str) -> Any:
    """`image` with its transparency laid on `background` (#rrggbb): L or RGB."""
    from PIL import Image

    if image.mode not in ("LA", "RGBA"):
        return image
    colour = rgb(background)
    under = Image.new("RGBA", image.size, (*colour, 255))
    under.alpha_composite(image.convert("RGBA"))
    grey = image.mode == "LA" and len(set(colour)) == 1
    return under.convert("L" if grey else "RGB")


# --- one build's pictures -------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    """One picture as the book holds it: its file, its frame, and what was made for it."""

    source: Path
    frame: Frame
    made: Prepared


class Placer:
    """Every picture of one build, each made once for its frame at the build's resolution,
    and a record of what each one drawn costs (for the size report).

    Page kinds say which pictures they will draw (`want`) as they are composed, and
    `make_wanted` makes them all side by side before the pages are drawn: decoding and
    resampling run in Pillow without Python's lock. A picture nobody asked for is made
    when it is drawn."""

    def __init__(self, ppi: int, jpeg_quality: int, cache: Cache, grey: bool = False):
        self.ppi = ppi
        self.jpeg_quality = jpeg_quality
        self.cache = cache
        self.grey = grey  # every picture in grey, for a grayscale proof
        self.placed: dict[tuple[Path, Frame], Placed] = {}  # what the pages drew
        self._made: dict[tuple[Path, Frame], Prepared] = {}
        self._wanted: dict[object, tuple[Path, Frame]] = {}

    def want(self, key: object, source: Path, frame: Frame) -> None:
        """`source` is to be drawn in `frame`. A later want of the same `key` replaces an
        earlier one: a part fitted to its page is composed at smaller sizes until it fits,
        and the last is the one drawn."""
        self._wanted[key] = (source, frame)

    def make_wanted(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        todo = [w for w in dict.fromkeys(self._wanted.values()) if w not in self._made]
        if not todo:
            return
        with ThreadPoolExecutor(min(len(todo), os.cpu_count() or 1)) as pool:
            made = pool.map(lambda w: self._make(*w), todo)
            self._made.update(zip(todo, made, strict=True))

    def place(self, source: Path, frame: Frame) -> Prepared:
        """The picture made for `frame`, recorded as drawn."""
        made = self._made.get((source, frame))
        if made is None:
            made = self._made[(source, frame)] = self._make(source, frame)
        self.placed[(source, frame)] = Placed(source, frame, made)
        return made

    def _make(self, source: Path, frame: Frame) -> Prepared:
        return prepare(source, frame, self.ppi, self.jpeg_quality, self.cache, self.grey)
