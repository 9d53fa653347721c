"""Turn TrueType files into the facts the rest of briefbook needs about them: whether each can
be used, the characters each draws and a name to register it under. Nothing here registers
anything.

A layout folder may name fonts of its own, and layout folders travel by email: a font file is
untrusted input. Before ReportLab parses a file, `font_bytes` reads at most MAX_FONT_BYTES of
it and checks what ReportLab would otherwise trust: every table inside the file, the header
fields it divides by or loops over, and both character maps it may read (cmap.py); as the
PDF is written, `parts_problem` checks the outlines of the glyphs the book uses before
ReportLab subsets them. A file that fails says what is wrong with it as a FontFileError; the
layout that named it turns that into a problem at the line that names it
(Layout.font_problem).
"""

from __future__ import annotations

import hashlib
import operator
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from briefbook.cmap import CmapError, code_points
from briefbook.cmap import checked as checked_cmap
from briefbook.files import Refused, read_regular

MAX_FONT_BYTES = 50_000_000
# The tables ReportLab reads to embed a font with TrueType outlines.
REQUIRED = ("cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post")
# Each table's fixed part: the bytes ReportLab reads from its start.
MIN_LENGTH = {"head": 54, "hhea": 36, "maxp": 6, "name": 6, "post": 16}
HEAD_MAGIC = 0x5F0F3CF5
UNITS_PER_EM = (16, 16384)  # the range the OpenType specification allows


class FontFileError(Exception):
    """A font file that cannot be used; `reason` says why, in words for the user."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


@dataclass(frozen=True)
class FontFacts:
    """What a checked font file holds that coverage needs: its `cmap` table, the offset in
    it of the Unicode map to read, and how many glyphs the font has."""

    cmap: bytes
    cmap_offset: int
    glyphs: int


@cache
def checked(path: Path) -> FontFacts:
    """The facts of the font at `path`, once it is known to be usable; else FontFileError."""
    return _facts(path, _bounded(path))


def font_bytes(path: Path) -> bytes:
    """The bytes of the font at `path`, checked as `checked` checks them: what ReportLab is
    given to parse, so that it parses what was checked even if the file changed since."""
    data = _bounded(path)
    _facts(path, data)
    return data


@cache
def coverage(path: Path) -> frozenset[int]:
    """Code points the TrueType font at `path` has a glyph for."""
    facts = checked(path)
    return code_points(facts.cmap, facts.cmap_offset, facts.glyphs)


def registered_name(path: Path) -> str:
    """A name unique to the file, so two layouts never trade fonts by accident."""
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:6]
    return f"{path.stem}-{digest}"


_REGISTERED = re.compile(r"[\w.+-]+-[0-9a-f]{6}", re.IGNORECASE)  # registered_name's form


def is_registered_name(face: str) -> bool:
    """Could `face` be a name registered_name gave (any case: `| upper` reaches tags too)?"""
    return _REGISTERED.fullmatch(face) is not None


def _bounded(path: Path) -> bytes:
    try:
        return read_regular(path, MAX_FONT_BYTES)
    except Refused as why:
        raise FontFileError(path, str(why)) from None


def _facts(path: Path, data: bytes) -> FontFacts:
    try:
        return _read(data)
    except (CmapError, _Unusable) as why:
        raise FontFileError(path, str(why)) from None


class _Unusable(Exception):
    """What is wrong with a font file's structure."""


def _read(data: bytes) -> FontFacts:
    """The facts of `data`, a TrueType font ReportLab can read; else _Unusable or CmapError."""
    tables = _tables(data)
    missing = [tag for tag in REQUIRED if tag not in tables]
    if missing:
        raise _Unusable(f"it has no '{missing[0]}' table")
    for tag, length in MIN_LENGTH.items():
        if tables[tag][1] < length:
            raise _Unusable(
                f"its '{tag}' table is {tables[tag][1]} bytes long, too short for its "
                f"fields ({length} bytes)"
            )

    def field(tag: str, at: int, kind: str = "H") -> int:
        return struct.unpack_from(">" + kind, data, tables[tag][0] + at)[0]

    for tag, oldest, newest in (("head", 1, 1), ("hhea", 1, 1), ("maxp", 1, 1), ("post", 1, 4)):
        if not oldest <= field(tag, 0) <= newest:  # a Version16Dot16: 1.0, 0.5 (maxp of CFF)
            known = f"{oldest}.0" if oldest == newest else f"{oldest}.0 to {newest}.x"
            raise _Unusable(
                f"its '{tag}' table is version {field(tag, 0)}.{field(tag, 2) >> 12}, not {known}"
            )
    if field("head", 12, "I") != HEAD_MAGIC:
        raise _Unusable("its 'head' table is damaged (its magic number is wrong)")
    units = field("head", 18)
    if not UNITS_PER_EM[0] <= units <= UNITS_PER_EM[1]:
        raise _Unusable(
            f"its units per em (head.unitsPerEm) is {units}, not {UNITS_PER_EM[0]} to "
            f"{UNITS_PER_EM[1]}"
        )
    loca_format, glyph_format = field("head", 50), field("head", 52)
    if loca_format not in (0, 1):
        raise _Unusable(f"its 'head' table gives loca format {loca_format}, not 0 or 1")
    if glyph_format != 0:
        raise _Unusable(f"its 'head' table gives glyph data format {glyph_format}, not 0")
    if field("name", 0) != 0:
        raise _Unusable(f"its 'name' table is format {field('name', 0)}, not 0")
    if 6 + 12 * field("name", 2) > tables["name"][1]:
        raise _Unusable(f"its 'name' table lists {field('name', 2):,} names, more than it holds")
    glyphs, metrics = field("maxp", 4), field("hhea", 34)
    if field("hhea", 32) != 0:
        raise _Unusable(f"its 'hhea' table gives metric format {field('hhea', 32)}, not 0")
    if metrics == 0:
        raise _Unusable("its 'hhea' table gives no horizontal metrics (numberOfHMetrics is 0)")
    if glyphs == 0:
        raise _Unusable("it has no glyphs (maxp.numGlyphs is 0)")
    _glyph_table("hmtx", tables, 4 * metrics + 2 * max(0, glyphs - metrics), glyphs)
    _locations(data, tables, glyphs, loca_format)
    if "OS/2" in tables and tables["OS/2"][1] >= 10 and glyphs > 0xFF:
        fs_type = field("OS/2", 8)
        if fs_type == 0x0002 or fs_type & 0x0300:
            raise _Unusable(
                f"its licence forbids embedding a part of it in a PDF (OS/2 fsType {fs_type:#06x})"
            )
    offset, length = tables["cmap"]
    cmap = data[offset : offset + length]
    return FontFacts(cmap, checked_cmap(cmap), glyphs)


def _tables(data: bytes) -> dict[str, tuple[int, int]]:
    """Tag -> (offset, length) of every table, each checked to lie inside the file."""
    if len(data) < 12:
        raise _Unusable(f"it is {len(data)} bytes long, too short to be a font")
    kind = data[:4]
    if kind == b"OTTO":
        raise _Unusable("it has PostScript (CFF) outlines, not TrueType ones")
    if kind == b"ttcf":
        raise _Unusable("it is a font collection (.ttc), not one font")
    if kind not in (b"\0\1\0\0", b"true"):
        raise _Unusable("it does not begin as a TrueType font does")
    (count,) = struct.unpack_from(">H", data, 4)
    if 12 + 16 * count > len(data):
        raise _Unusable(
            f"it is cut short: its list of {count:,} tables runs to byte {12 + 16 * count:,}, "
            f"but the file ends at byte {len(data):,}"
        )
    tables: dict[str, tuple[int, int]] = {}
    for i in range(count):
        raw, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        # A tag is four printable ASCII characters; another goes into messages as hex.
        tag = raw.decode() if raw.isascii() and raw.decode().isprintable() else f"0x{raw.hex()}"
        if tag in tables:
            raise _Unusable(f"it has two '{tag}' tables")
        tables[tag] = (offset, length)
    past = [
        (offset, tag) for tag, (offset, length) in tables.items() if offset + length > len(data)
    ]
    if past:
        offset, tag = min(past)
        raise _Unusable(
            f"it is cut short: its '{tag}' table runs to byte {offset + tables[tag][1]:,}, "
            f"but the file ends at byte {len(data):,}"
        )
    return tables


def _glyph_table(tag: str, tables: dict[str, tuple[int, int]], needed: int, glyphs: int) -> None:
    if tables[tag][1] < needed:
        raise _Unusable(
            f"its '{tag}' table is {tables[tag][1]:,} bytes long, too short for its "
            f"{glyphs:,} glyphs ({needed:,} bytes)"
        )


def _locations(data: bytes, tables: dict[str, tuple[int, int]], glyphs: int, kind: int) -> None:
    """Refuse a `loca` table that places a glyph outside `glyf` or before the one before."""
    size = 2 if kind == 0 else 4
    _glyph_table("loca", tables, size * (glyphs + 1), glyphs)
    starts = struct.unpack_from(
        f">{glyphs + 1}{'H' if kind == 0 else 'I'}", data, tables["loca"][0]
    )
    if not all(map(operator.le, starts, starts[1:])):
        raise _Unusable("its 'loca' table puts its glyphs out of order")
    if starts[-1] * (2 if kind == 0 else 1) > tables["glyf"][1]:
        raise _Unusable("its 'loca' table places glyphs past the end of its 'glyf' table")


# Flags of a component of a composite glyph, and the bytes of its arguments and its scale.
_WORDS, _MORE = 0x0001, 0x0020
_SCALE_BYTES = ((0x0080, 8), (0x0040, 4), (0x0008, 2))


def parts_problem(glyf: bytes | memoryview, starts: Sequence[int], glyphs: Iterable[int]) -> str:
    """What is wrong with the outlines of `glyphs` and of the glyphs they are made of, as
    ReportLab reads them to subset the font ('' when nothing is). `starts` is where each
    glyph starts in `glyf`, and where the last one ends.

    ReportLab reads the parts of a composite glyph until a part says it is the last, past
    the end of the glyph and of the table if need be; this reads only inside the glyph, and
    each glyph once.
    """
    count, seen = len(starts) - 1, set()
    todo: list[tuple[int, int | None]] = [(glyph, None) for glyph in glyphs]  # (glyph, whole)
    while todo:
        glyph, whole = todo.pop()
        if glyph in seen:
            continue
        seen.add(glyph)
        if not 0 <= glyph < count:
            named = "its character map gives" if whole is None else f"its glyph {whole} is made of"
            return f"{named} glyph {glyph}, but it has {count:,} glyphs"
        at, end = starts[glyph], starts[glyph + 1]
        if end - at < 10 or struct.unpack_from(">h", glyf, at)[0] >= 0:
            continue  # empty, or a simple glyph: no parts
        at += 10  # numberOfContours and the bounding box
        more = True
        while more:
            if at + 4 > end:
                return f"its glyph {glyph} is made of parts that run past its end"
            flags, part = struct.unpack_from(">HH", glyf, at)
            todo.append((part, glyph))
            at += 4 + (4 if flags & _WORDS else 2)
            at += next((size for flag, size in _SCALE_BYTES if flags & flag), 0)
            more = bool(flags & _MORE)
    return ""
