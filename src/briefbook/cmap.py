"""Turn a TrueType font's character map into the set of code points it has glyphs for.

A layout folder may bring its own fonts, so a character map is read as untrusted input:
every count is checked against the bytes that hold it before anything is read, and the
ranges a map claims may add up to no more than Unicode holds. (A dozen bytes of format 12
can claim four billion characters; twenty thousand format-4 segments can each claim the
whole Basic Multilingual Plane.) Two maps are checked: the one read here, the best Unicode
map, and the one ReportLab draws with, the last Unicode map listed; in most fonts they are
the same. Reading the map takes about a millisecond; parsing the whole font with ReportLab
takes several, and validation needs the coverage of every face, used or not.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

LAST_CODE_POINT = 0x10FFFF
FORMATS = (4, 12)
# Segments of a format-4 map that do not overlap cover at most the 65,536 code points of the
# Basic Multilingual Plane; groups of a format-12 map, at most all of Unicode.
MOST_CODES = {4: 0x10000, 12: LAST_CODE_POINT + 1}
SPACE = {4: "of the Basic Multilingual Plane", 12: "of Unicode"}

# (platform, encoding) pairs holding Unicode, best first: full-range tables before BMP-only.
_PREFERRED = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


class CmapError(ValueError):
    """The character map cannot be used; the message says why, in words for the user."""


def checked(cmap: bytes) -> int:
    """Check the maps of the `cmap` table that a build reads; return the offset, in the
    table, of the one `code_points` reads."""
    if len(cmap) < 4:
        raise CmapError(f"its 'cmap' table is {len(cmap)} bytes long, too short to hold a map")
    (count,) = struct.unpack_from(">H", cmap, 2)
    if 4 + 8 * count > len(cmap):
        raise CmapError(f"its 'cmap' table lists {count:,} maps, more than it holds")
    records = [struct.unpack_from(">HHI", cmap, 4 + 8 * i) for i in range(count)]
    ours = next(
        (
            offset
            for key in _PREFERRED
            for platform, encoding, offset in records
            if (platform, encoding) == key and _format(cmap, offset) in FORMATS
        ),
        None,
    )
    if ours is None:
        raise CmapError("it has no Unicode character map (format 4 or 12)")
    drawn = _reportlab_choice(records)
    for offset in dict.fromkeys((ours, drawn)):
        if offset is not None:
            _check(cmap, offset)
    return ours


def code_points(cmap: bytes, offset: int, glyphs: int) -> frozenset[int]:
    """The code points the map at `offset` (as `checked` returned it) gives one of the
    font's `glyphs` glyphs, other than glyph 0 (.notdef, the missing-character box)."""
    points: set[int] = set()
    if _format(cmap, offset) == 12:
        for first, last, glyph in _groups(cmap, offset):
            if glyph == 0:  # only the group's first code is .notdef
                first, glyph = first + 1, 1
            last = min(last, first + glyphs - 1 - glyph)  # no glyph past the font's last
            points.update(range(first, last + 1))
        return frozenset(points)
    segments = _segments(cmap, offset)
    ranges_at = offset + 16 + 6 * len(segments)
    for i, (first, last, delta, range_offset) in enumerate(segments):
        if first == 0xFFFF:  # the segment every format-4 map ends with
            continue
        for code in range(first, last + 1):
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                at = ranges_at + 2 * i + range_offset + 2 * (code - first)
                glyph = struct.unpack_from(">H", cmap, at)[0] if at + 2 <= len(cmap) else 0
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if 0 < glyph < glyphs:
                points.add(code)
    return frozenset(points)


def _format(cmap: bytes, offset: int) -> int | None:
    return struct.unpack_from(">H", cmap, offset)[0] if offset + 2 <= len(cmap) else None


def _reportlab_choice(records: list[tuple[int, int, int]]) -> int | None:
    """The offset of the map ReportLab draws with (ttfonts.TTFontFile.extractInfo)."""
    chosen, unicode = None, False
    for platform, encoding, offset in records:
        if platform == 3 or (platform, encoding) == (1, 1) or (platform == 0 and encoding != 5):
            chosen, unicode = offset, True
        elif (platform, encoding) == (1, 0) and not unicode:
            chosen = offset
    return chosen


def _check(cmap: bytes, offset: int) -> None:
    """Refuse the map at `offset` unless it is format 4 or 12, it lies inside the table, its
    ranges end by U+10FFFF, and together they claim no more than MOST_CODES code points
    (which also bounds the work of whoever reads it code point by code point)."""
    kind = _format(cmap, offset)
    if kind not in FORMATS:
        raise CmapError(f"its character map is format {kind}, not 4 or 12")
    what = "groups" if kind == 12 else "segments"
    if offset + (16 if kind == 12 else 14) > len(cmap):
        raise CmapError(f"its character map (format {kind}) runs past its 'cmap' table")
    if kind == 12:
        (count,) = struct.unpack_from(">I", cmap, offset + 12)
        end = offset + 16 + 12 * count
    else:
        count = struct.unpack_from(">H", cmap, offset + 6)[0] // 2
        end = offset + 16 + 8 * count
    if count > MOST_CODES[kind] or end > len(cmap):
        raise CmapError(
            f"its character map (format {kind}) lists {count:,} {what}, more than its 'cmap' "
            "table holds"
        )
    total = 0
    for first, last, *_ in _groups(cmap, offset) if kind == 12 else _segments(cmap, offset):
        if last > LAST_CODE_POINT:
            raise CmapError(
                f"its character map (format {kind}) maps U+{last:X}, past U+10FFFF, "
                "the last code point"
            )
        if last >= first:
            total += last - first + 1
    if total > MOST_CODES[kind]:
        raise CmapError(
            f"its character map (format {kind}) claims {total:,} code points in {count:,} "
            f"{what}, more than the {MOST_CODES[kind]:,} {SPACE[kind]}"
        )


def _groups(cmap: bytes, offset: int) -> Iterator[tuple[int, int, int]]:
    """(first code, last code, first glyph) of each group of a checked format-12 map."""
    (count,) = struct.unpack_from(">I", cmap, offset + 12)
    return struct.iter_unpack(">III", memoryview(cmap)[offset + 16 : offset + 16 + 12 * count])


def _segments(cmap: bytes, offset: int) -> list[tuple[int, int, int, int]]:
    """(first code, last code, delta, range offset) of each segment of a checked format-4
    map: endCode[count], a reserved word, startCode[count], idDelta[count],
    idRangeOffset[count]."""
    count = struct.unpack_from(">H", cmap, offset + 6)[0] // 2
    at = offset + 14
    ends = struct.unpack_from(f">{count}H", cmap, at)
    starts = struct.unpack_from(f">{count}H", cmap, at + 2 + 2 * count)
    deltas = struct.unpack_from(f">{count}h", cmap, at + 2 + 4 * count)
    offsets = struct.unpack_from(f">{count}H", cmap, at + 2 + 6 * count)
    return list(zip(starts, ends, deltas, offsets, strict=True))
