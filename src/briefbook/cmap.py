"""Turn a TrueType file's character map into the set of code points it has glyphs for.

Reading only the `cmap` table takes about a millisecond; parsing the whole font with
ReportLab takes several, and validation needs the coverage of every face, used or not.
"""

from __future__ import annotations

import struct
from pathlib import Path

# (platform, encoding) pairs holding Unicode, best first: full-range tables before BMP-only.
_PREFERRED = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


class CmapError(ValueError):
    """The file is not a TrueType/OpenType font with a Unicode character map."""


def code_points(path: Path) -> frozenset[int]:
    data = path.read_bytes()
    table = _table(data, b"cmap")
    _, count = struct.unpack_from(">HH", data, table)
    offsets = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, table + 4 + 8 * i)
        offsets.setdefault((platform, encoding), table + offset)
    for key in _PREFERRED:
        if key in offsets:
            start = offsets[key]
            kind = struct.unpack_from(">H", data, start)[0]
            if kind == 12:
                return _format12(data, start)
            if kind == 4:
                return _format4(data, start)
    raise CmapError("no Unicode character map (format 4 or 12)")


def _table(data: bytes, tag: bytes) -> int:
    if len(data) < 12:
        raise CmapError("file too short to be a font")
    (count,) = struct.unpack_from(">H", data, 4)
    for i in range(count):
        name, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if name == tag:
            return offset
    raise CmapError(f"no '{tag.decode()}' table")


def _format12(data: bytes, start: int) -> frozenset[int]:
    (groups,) = struct.unpack_from(">I", data, start + 12)
    points: set[int] = set()
    for i in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * i)
        points.update(range(first + (glyph == 0), last + 1))
    return frozenset(points)


def _format4(data: bytes, start: int) -> frozenset[int]:
    seg_count = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends = struct.unpack_from(f">{seg_count}H", data, start + 14)
    starts_at = start + 16 + 2 * seg_count
    starts = struct.unpack_from(f">{seg_count}H", data, starts_at)
    deltas = struct.unpack_from(f">{seg_count}h", data, starts_at + 2 * seg_count)
    ranges_at = starts_at + 4 * seg_count
    ranges = struct.unpack_from(f">{seg_count}H", data, ranges_at)
    points: set[int] = set()
    for i in range(seg_count):
        first, last = starts[i], ends[i]
        if first == 0xFFFF:
            continue
        for code in range(first, last + 1):
            if ranges[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                at = ranges_at + 2 * i + ranges[i] + 2 * (code - first)
                glyph = struct.unpack_from(">H", data, at)[0]
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                points.add(code)
    return frozenset(points)
