"""Turn a few letters into the outlines of their glyphs, drawn as filled shapes rather than
set as text: the monogram's initials belong to the picture, not to what a reader copies,
searches or hears read aloud.

The outlines are read from the TrueType font ReportLab has registered (its `glyf` table, in
quadratic contours), and drawn with ReportLab's own paths. Only what one glyph holds is
read, and every read is bounded by the font's bytes: a glyph that cannot be read draws
nothing.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

Point = tuple[float, float, bool]  # x, y, on the curve
Contour = list[Point]

# Flags of a simple glyph's points, and of a composite glyph's parts.
_ON, _X_SHORT, _Y_SHORT, _REPEAT, _X_SAME, _Y_SAME = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
_WORDS, _XY, _SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x01, 0x02, 0x08, 0x20, 0x40, 0x80
_DEPTH = 8  # parts of parts, no deeper
_PARTS = 64  # glyphs, parts included, that one letter may be made of


def draw_outlined(canv, font_name: str, size: float, x: float, y: float, text: str) -> float:
    """Fill the outlines of `text` in `font_name` at `size`, its baseline starting at (x, y),
    in the canvas's fill colour; return the x where it ends.

    Each glyph's outline is a form of the PDF's own, defined where it is first drawn and
    named after the font, glyph and size: a book of a thousand monograms draws a few dozen
    letters, and holds each once (the outlines were a sixth of such a book's size)."""
    from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

    from briefbook.flowables import define_form

    face = getFont(font_name).face
    for char in text:
        glyph = face.charToGlyph.get(ord(char), 0)
        name = f"glyph-{font_name}-{glyph}-{size:g}"
        if not canv.hasForm(name):
            reach = 2 * size + stringWidth(char, font_name, size)  # the glyph and then some
            define_form(canv, name, (-reach, -reach, reach, reach), _outline(face, glyph, size))
        canv.saveState()
        canv.translate(x, y)
        canv.doForm(name)
        canv.restoreState()
        x += stringWidth(char, font_name, size)
    return x


def _outline(face, glyph: int, size: float):
    def draw(canv) -> None:
        from reportlab.pdfgen.canvas import FILL_NON_ZERO

        path = canv.beginPath()
        for contour in glyph_contours(face, glyph):
            _trace(path, contour, 0, 0, size / face.unitsPerEm)
        canv.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)

    return draw


def glyph_contours(face, glyph: int) -> list[Contour]:
    """The contours of glyph number `glyph` of a ReportLab TrueType face, in font units;
    none when the glyph is empty or cannot be read."""
    data = face._ttf_data
    glyf = face.table["glyf"]["offset"]
    try:
        return list(_contours(data, glyf, face.glyphPos, glyph, (), [_PARTS]))
    except (struct.error, IndexError, ValueError):
        return []


def _contours(
    data: bytes, glyf: int, starts, glyph: int, path: tuple[int, ...], left: list[int]
) -> Iterator[Contour]:
    """The contours of `glyph`, reached through the composite glyphs `path`; `left` counts
    down the parts any one letter may take, so that a font whose parts share parts cannot
    make the work grow without end."""
    at, end = glyf + starts[glyph], glyf + starts[glyph + 1]
    if end - at < 10 or len(path) > _DEPTH or glyph in path:
        return
    left[0] -= 1
    if left[0] < 0:
        raise ValueError("more parts than any letter has")
    count = struct.unpack_from(">h", data, at)[0]
    if count >= 0:
        yield from _simple(data, at + 10, end, count)
        return
    at += 10
    more = True
    while more:
        flags, part = struct.unpack_from(">HH", data, at)
        at += 4
        if flags & _WORDS:
            dx, dy = struct.unpack_from(">hh" if flags & _XY else ">HH", data, at)
            at += 4
        else:
            dx, dy = struct.unpack_from(">bb" if flags & _XY else ">BB", data, at)
            at += 2
        if not flags & _XY:
            dx = dy = 0  # parts placed by matching points: rare in letters, set unmoved
        a, b, c, d = 1.0, 0.0, 0.0, 1.0
        if flags & _SCALE:
            a = d = _f2dot14(data, at)
            at += 2
        elif flags & _XY_SCALE:
            a, d = _f2dot14(data, at), _f2dot14(data, at + 2)
            at += 4
        elif flags & _TWO_BY_TWO:
            a, b, c, d = (_f2dot14(data, at + 2 * i) for i in range(4))
            at += 8
        for contour in _contours(data, glyf, starts, part, (*path, glyph), left):
            yield [(a * px + c * py + dx, b * px + d * py + dy, on) for px, py, on in contour]
        more = bool(flags & _MORE) and at < end


def _simple(data: bytes, at: int, end: int, count: int) -> Iterator[Contour]:
    ends = struct.unpack_from(f">{count}H", data, at)
    at += 2 * count
    at += 2 + struct.unpack_from(">H", data, at)[0]  # the instructions, not needed
    points = ends[-1] + 1 if ends else 0
    if points > end - at:  # each point takes at least one byte of flags
        raise ValueError("more points than the glyph has bytes")
    flags: list[int] = []
    while len(flags) < points:
        flag = data[at]
        at += 1
        repeat = 1
        if flag & _REPEAT:
            repeat += data[at]
            at += 1
        flags.extend([flag] * repeat)
    flags = flags[:points]
    xs, at = _coordinates(data, at, flags, _X_SHORT, _X_SAME)
    ys, at = _coordinates(data, at, flags, _Y_SHORT, _Y_SAME)
    first = 0
    for last in ends:
        if last >= points or last < first:
            raise ValueError("contour ends out of order")
        yield [(xs[i], ys[i], bool(flags[i] & _ON)) for i in range(first, last + 1)]
        first = last + 1


def _coordinates(data: bytes, at: int, flags: list[int], short: int, same: int):
    values, value = [], 0
    for flag in flags:
        if flag & short:
            step = data[at]
            at += 1
            value += step if flag & same else -step
        elif not flag & same:
            value += struct.unpack_from(">h", data, at)[0]
            at += 2
        values.append(value)
    return values, at


def _f2dot14(data: bytes, at: int) -> float:
    return struct.unpack_from(">h", data, at)[0] / 16384


def _trace(path, contour: Contour, x: float, y: float, scale: float) -> None:
    """Add one closed contour to `path`: straight lines between points on the curve, and a
    quadratic curve (drawn as the cubic it equals) through each point off it. Two points
    off the curve in a row have one on it, unwritten, halfway between them."""
    if len(contour) < 2:
        return
    points = [(x + px * scale, y + py * scale, on) for px, py, on in contour]
    start = next((i for i, p in enumerate(points) if p[2]), None)
    if start is None:  # every point off the curve: start halfway between the first two
        (ax, ay, _), (bx, by, _) = points[0], points[1]
        points.insert(1, ((ax + bx) / 2, (ay + by) / 2, True))
        start = 1
    ring = points[start:] + points[:start]
    cx, cy = ring[0][0], ring[0][1]
    path.moveTo(cx, cy)
    control = None
    for px, py, on in [*ring[1:], ring[0]]:
        if on:
            if control is None:
                path.lineTo(px, py)
            else:
                _quadratic(path, (cx, cy), control, (px, py))
            cx, cy, control = px, py, None
        elif control is None:
            control = (px, py)
        else:
            mx, my = (control[0] + px) / 2, (control[1] + py) / 2
            _quadratic(path, (cx, cy), control, (mx, my))
            cx, cy, control = mx, my, (px, py)
    path.close()


def _quadratic(path, start, control, end) -> None:
    (sx, sy), (qx, qy), (ex, ey) = start, control, end
    path.curveTo(
        sx + 2 / 3 * (qx - sx),
        sy + 2 / 3 * (qy - sy),
        ex + 2 / 3 * (qx - ex),
        ey + 2 / 3 * (qy - ey),
        ex,
        ey,
    )
