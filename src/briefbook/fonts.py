"""Turn a layout's fonts and styles into registered ReportLab fonts and paragraph styles."""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import struct
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefbook.cache import Cache
from briefbook.cache import key as cache_key
from briefbook.errors import LayoutError
from briefbook.fontfiles import FontFileError, font_bytes, parts_problem, registered_name
from briefbook.layout import Layout

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

FaceNames = dict[str, dict[str, str]]  # family -> face -> registered ReportLab name
ALIGN = {"left": 0, "center": 1, "right": 2, "justify": 4}


@cache
def _parsed(path: Path):
    """The ReportLab font of the file at `path`, parsed from the bytes fontfiles checked.

    The checks leave ReportLab nothing known to fail on, but a font file is untrusted input:
    whatever else parsing it raises, now or when the PDF is written and the font is subset
    (`CheckedTTFont.addObjects`), is a FontFileError about that file.
    """
    data = font_bytes(path)
    cache = Cache.from_environ(os.environ)
    entry = _entry_name(data)
    font = _restored(registered_name(path), str(path), data, cache.get("fonts", entry))
    if font is None:
        stream = io.BytesIO(data)
        stream.name = str(path)  # ReportLab names the file in its messages and its checks
        try:
            # ReportLab embeds only the glyphs a book uses (subsetting is its default).
            font = _checked_font_class()(registered_name(path), stream)
        except _parse_errors() as err:
            raise FontFileError(path, unreadable(err)) from None
        kept = _kept(font.face)
        if kept:
            cache.put("fonts", entry, kept)
    font.source = path
    return font


# What ReportLab reads from a font file, kept in briefbook's cache: parsing the tables of a
# face takes 15 to 25 ms, loading them back a tenth of that. Kept with marshal (data only,
# never code); the font's bytes, which the entry does not hold, are read and checked anew.
_NOT_KEPT = ("_ttf_data", "_pdfScale", "filename")


def _entry_name(data: bytes) -> str:
    import reportlab

    return cache_key("font", sys.version, reportlab.Version, hashlib.sha256(data).digest())


def _kept(face) -> bytes:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    facts = {k: v for k, v in face.__dict__.items() if k not in _NOT_KEPT}
    names = {k: bytes(v) for k, v in facts.items() if isinstance(v, TTFNameBytes)}
    rest = {k: v for k, v in facts.items() if k not in names}
    try:
        return marshal.dumps({"names": names, "rest": rest})
    except ValueError:  # something marshal cannot keep: a ReportLab unlike the one known;
        return b""  # nothing is kept, and the font is parsed each time


def _restored(name: str, filename: str, data: bytes, entry: bytes | None):
    """The font `name` of the file's `data` from its cache `entry`; None without one, or
    if the entry is not one this ReportLab made. The same steps as TTFont(name, file), but
    the face's tables from the entry."""
    if not entry:
        return None
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFontFace

    try:
        kept = marshal.loads(entry)
        face = TTFontFace.__new__(TTFontFace)
        face.__dict__.update(kept["rest"])
        face.__dict__.update({k: TTFNameBytes(v) for k, v in kept["names"].items()})
        scale = 1000 / face.unitsPerEm
    except (EOFError, ValueError, TypeError, KeyError, AttributeError, ZeroDivisionError):
        return None
    face._ttf_data, face.filename = data, filename
    face._pdfScale = (lambda x: x) if face.unitsPerEm == 1000 else (lambda x: x * scale)
    font = _checked_font_class().__new__(_checked_font_class())
    font.fontName, font.face, font.encoding = name, face, TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob or ())
    return font


@cache
def _parse_errors() -> tuple[type[Exception], ...]:
    """What ReportLab raises on a damaged font: its own TTFError, and whatever its reading
    of bytes it trusts runs into (struct.error, IndexError, ZeroDivisionError, ...)."""
    from reportlab.pdfbase.ttfonts import TTFError

    return (
        TTFError,
        struct.error,
        ArithmeticError,  # ZeroDivisionError, OverflowError
        LookupError,  # IndexError, KeyError
        ValueError,  # UnicodeDecodeError too
        TypeError,
        AssertionError,
        MemoryError,
    )


@cache
def _checked_font_class():
    """The class, made on first use: importing this module does not import ReportLab."""
    from reportlab.pdfbase.ttfonts import TTFont

    class CheckedTTFont(TTFont):
        """A TrueType font whose subsetting, as the PDF is written, blames its file."""

        source: Path

        def addObjects(self, doc) -> None:
            # The characters the book drew in this font (ReportLab's record of them), and
            # the glyphs those are: what ReportLab now subsets.
            state, face = self.state.get(doc), self.face
            codes = {code for subset in (state.subsets if state else ()) for code in subset}
            table = face.table["glyf"]
            glyf = memoryview(face._ttf_data)[table["offset"] : table["offset"] + table["length"]]
            glyphs = {0, *(face.charToGlyph.get(code, 0) for code in codes)}
            reason = parts_problem(glyf, face.glyphPos, glyphs)
            if reason:
                raise FontFileError(self.source, reason)
            try:
                super().addObjects(doc)
            except _parse_errors() as err:
                raise FontFileError(self.source, unreadable(err)) from None

    return CheckedTTFont


def unreadable(err: Exception) -> str:
    """What ReportLab said about a font file it could not read, on one short line."""
    said = str(err).strip().splitlines()
    # The words may quote the file: nothing in them may reach the terminal as a control.
    words = "".join(c if c.isprintable() else "?" for c in said[0][:200]) if said else ""
    return f"it cannot be read ({type(err).__name__}{': ' if words else ''}{words})"


def register(layout: Layout, needed: set[tuple[str, str]], fallbacks: Iterable[str]) -> FaceNames:
    """Register the (family, face) pairs `needed` and the fallback fonts named in `fallbacks`
    (idempotent); return the ReportLab names of every main face.

    Parsing a face takes several milliseconds, and a book seldom uses all eight.
    """
    try:
        return _register_all(layout, needed, set(fallbacks))
    except FontFileError as err:
        raise LayoutError([layout.font_problem(err)]) from None


def _register_all(layout: Layout, needed: set[tuple[str, str]], wanted: set[str]) -> FaceNames:
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    names: FaceNames = {}
    for family, faces in layout.fonts.items():
        names[family] = {
            face: _register(path) if (family, face) in needed else registered_name(path)
            for face, path in faces.items()
        }
        f = names[family]
        registerFontFamily(
            f["regular"],
            normal=f["regular"],
            bold=f["bold"],
            italic=f["italic"],
            boldItalic=f["bold_italic"],
        )
    for path in layout.fallback_fonts:
        if registered_name(path) in wanted:
            name = _register(path)
            registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return names


def _register(path: Path) -> str:
    from reportlab.pdfbase import pdfmetrics

    name = registered_name(path)
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_parsed(path))
    return name


def needed_faces(layout: Layout, emphasis: Iterable[str]) -> set[tuple[str, str]]:
    """The faces a book draws with: each paragraph style's, the chips', the monogram's, and
    the bold and italic faces of every family if some paragraph asks for <b> or <i>."""
    spec = layout.spec
    needed = {
        (s.get("font", "sans"), face(s.get("bold", False), s.get("italic", False)))
        for s in spec["styles"].values()
    }
    needed |= {(spec["chips"]["font"], "regular"), (spec["chips"]["font"], "bold")}
    if spec["photo"]["missing"] == "monogram":
        needed.add((spec["photo"]["monogram"]["font"], "bold"))
    emphasis = set(emphasis)
    bold, italic = "b" in emphasis, "i" in emphasis
    for family in layout.fonts:
        needed |= {(family, face(b, i)) for b in {False, bold} for i in {False, italic}}
    return needed


def face(bold: bool, italic: bool) -> str:
    return {
        (False, False): "regular",
        (True, False): "bold",
        (False, True): "italic",
        (True, True): "bold_italic",
    }[(bold, italic)]


def face_name(names: FaceNames, family: str, bold: bool = False, italic: bool = False) -> str:
    return names[family][face(bold, italic)]


def paragraph_styles(layout: Layout, names: FaceNames) -> dict[str, ParagraphStyle]:
    """One ParagraphStyle per entry of the layout's `styles`, breaking as `text` says."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    text = layout.settings("text")
    styles = {}
    for key, spec in layout.spec["styles"].items():
        styles[key] = ParagraphStyle(
            key,
            fontName=face_name(
                names, spec.get("font", "sans"), spec.get("bold", False), spec.get("italic", False)
            ),
            fontSize=spec["size"],
            leading=spec["leading"],
            textColor=HexColor(layout.color(spec.get("color", "ink"))),
            alignment=ALIGN[spec.get("align", "left")],
            spaceBefore=spec.get("space_before", 0),
            spaceAfter=spec.get("space_after", 0),
            leftIndent=spec.get("left_indent", 0),
            firstLineIndent=spec.get("first_line_indent", 0),
            keepWithNext=int(spec.get("keep_with_next", False)),
            linkUnderline=int(text["link_underline"]),
            splitLongWords=int(text["split_long_words"]),
            allowWidows=int(text["allow_widows"]),
            allowOrphans=int(text["allow_orphans"]),
            heading=spec.get("heading", 0),  # not ReportLab's: the tagged PDF's level (tagging.py)
        )
    return styles
