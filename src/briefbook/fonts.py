"""Turn a layout's font files into registered ReportLab fonts and paragraph styles."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

    from briefbook.layout import Layout

FaceNames = dict[str, dict[str, str]]  # family -> face -> registered ReportLab name


@cache
def coverage(path: Path) -> frozenset[int]:
    """Code points the TrueType font at `path` has a glyph for."""
    import struct

    from briefbook.cmap import CmapError, code_points
    from briefbook.errors import LayoutError

    try:
        return code_points(path)
    except (CmapError, OSError, struct.error) as err:
        raise LayoutError.at(path, f"not a usable TrueType font ({err})") from None


@cache
def _parsed(path: Path):
    from reportlab.pdfbase import ttfonts
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap

    from briefbook.errors import LayoutError

    try:
        # ReportLab embeds only the glyphs a book uses (subsetting is its default).
        return TTFont(registered_name(path), str(path))
    except (TTFError, OSError) as err:
        raise LayoutError.at(
            path, f"not a usable TrueType font ({err}); expected a .ttf file with TrueType outlines"
        ) from None


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, corrected: characters beyond U+FFFF as UTF-16 surrogate
    pairs (ReportLab writes odd-length hex that readers reject), at most 100 per block."""
    entries = [
        f"<{i:02X}> <{chr(cp).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
        for i, cp in enumerate(subset)
    ]
    blocks = []
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            *blocks,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


def registered_name(path: Path) -> str:
    """A name unique to the file, so two layouts never trade fonts by accident."""
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:6]
    return f"{path.stem}-{digest}"


def register(layout: Layout, needed: set[tuple[str, str]]) -> FaceNames:
    """Register the (family, face) pairs `needed` and the fallback fonts the text has needed
    (idempotent); return the ReportLab names of every main face.

    Parsing a face takes several milliseconds, and a book seldom uses all eight.
    """
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
    used = layout.glyphs.used_fallbacks()
    for path in layout.fallback_fonts:
        if registered_name(path) in used:
            name = _register(path)
            registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return names


def _register(path: Path) -> str:
    from reportlab.pdfbase import pdfmetrics

    name = registered_name(path)
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_parsed(path))
    return name


def needed_faces(layout: Layout, markup: Iterable[str]) -> set[tuple[str, str]]:
    """The faces a book draws with: each paragraph style's, the chips', and the bold and
    italic faces of every family if any paragraph of `markup` asks for <b> or <i>."""
    spec = layout.spec
    needed = {
        (s.get("font", "sans"), _face(s.get("bold", False), s.get("italic", False)))
        for s in spec["styles"].values()
    }
    needed |= {(spec["chips"]["font"], "regular"), (spec["chips"]["font"], "bold")}
    text = "".join(markup)
    bold, italic = "<b>" in text, "<i>" in text
    for family in layout.fonts:
        needed |= {(family, _face(b, i)) for b in {False, bold} for i in {False, italic}}
    return needed


def _face(bold: bool, italic: bool) -> str:
    return {
        (False, False): "regular",
        (True, False): "bold",
        (False, True): "italic",
        (True, True): "bold_italic",
    }[(bold, italic)]


def face_name(names: FaceNames, family: str, bold: bool = False, italic: bool = False) -> str:
    return names[family][_face(bold, italic)]


def paragraph_styles(layout: Layout, names: FaceNames) -> dict[str, ParagraphStyle]:
    """One ParagraphStyle per entry of the layout's `styles`."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    from briefbook.layout import ALIGN

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
            linkUnderline=0,
            splitLongWords=1,
            allowWidows=0,
            allowOrphans=0,
        )
    return styles
