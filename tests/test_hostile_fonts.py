"""A layout folder may bring its own .ttf files, and layout folders travel by email: a font is
untrusted input. Each font here is the shipped Noto Sans with a few bytes edited (no font
library: the helpers below patch the table directory, `head`, `glyf`, `loca` and `cmap` by
hand), named as fonts.sans.regular on line 3 of a layout.yaml.

Whatever the file claims, `validate` and `build` end in one located problem line, exit 1, and
write nothing: never an "internal error", a hang or an exhausted memory. The character maps
that once made briefbook loop over four billion code points run in a subprocess with a
timeout, so that a regression fails the test instead of hanging the suite."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATE, ROOT, SMALL_DATA, files_under, run_cli

SHIPPED = (ROOT / "fonts" / "NotoSans-Regular.ttf").read_bytes()
EXPECTED = "expected a TrueType font (.ttf) with TrueType outlines"


def problem(reason: str, key: str = "fonts.sans.regular", line: int = 3) -> str:
    return (
        f"hostile/layout.yaml:{line}: {key}: font file 'X.ttf' cannot be used: {reason}; "
        + EXPECTED
    )


# --- editing a TrueType file by hand ------------------------------------------------------------


def table(font: bytes, tag: str) -> tuple[int, int, int]:
    """(where its entry in the table directory is, its offset, its length)."""
    (count,) = struct.unpack_from(">H", font, 4)
    for i in range(count):
        entry = 12 + 16 * i
        name, _, offset, length = struct.unpack_from(">4sIII", font, entry)
        if name == tag.encode():
            return entry, offset, length
    raise KeyError(tag)


def with_units_per_em(font: bytes, units: int) -> bytes:
    edited = bytearray(font)
    struct.pack_into(">H", edited, table(font, "head")[1] + 18, units)
    return bytes(edited)


def cut_into_glyf(font: bytes, into: int = 1000) -> bytes:
    return font[: table(font, "glyf")[1] + into]


def with_cmap(font: bytes, subtable: bytes, record: int = 0, key=(3, 10)) -> bytes:
    """The font with `subtable` appended and cmap encoding record `record` pointing at it
    as (platform, encoding) `key`; the cmap table's length grows to reach it."""
    entry, offset, _ = table(font, "cmap")
    edited = bytearray(font) + b"\0" * (-len(font) % 4)
    at = len(edited) - offset
    edited += subtable
    struct.pack_into(">HHI", edited, offset + 4 + 8 * record, *key, at)
    struct.pack_into(">I", edited, entry + 12, at + len(subtable))
    return bytes(edited)


def relabelled(font: bytes, record: int, key: tuple[int, int]) -> bytes:
    """The font with cmap encoding record `record` labelled (platform, encoding) `key`."""
    edited = bytearray(font)
    struct.pack_into(">HH", edited, table(font, "cmap")[1] + 4 + 8 * record, *key)
    return bytes(edited)


def format_12(groups: list[tuple[int, int, int]]) -> bytes:
    """A format-12 map: (first code, last code, first glyph) groups."""
    body = b"".join(struct.pack(">III", *group) for group in groups)
    return struct.pack(">HHIII", 12, 0, 16 + len(body), 0, len(groups)) + body


def format_4(segments: list[tuple[int, int]], delta: int = 1) -> bytes:
    """A format-4 map of (first code, last code) segments, each mapped by idDelta alone."""
    n = len(segments)
    body = (
        struct.pack(f">{n}H", *(last for _, last in segments))
        + b"\0\0"
        + struct.pack(f">{n}H", *(first for first, _ in segments))
        + struct.pack(f">{n}h", *[delta] * n)
        + struct.pack(f">{n}H", *[0] * n)
    )
    return struct.pack(">7H", 4, (14 + len(body)) & 0xFFFF, 0, 2 * n, 0, 0, 0) + body


def glyph_of(font: bytes, char: str) -> int:
    """The glyph the font's first (format 4) map gives `char`."""
    offset = table(font, "cmap")[1]
    at = offset + struct.unpack_from(">I", font, offset + 8)[0]
    n = struct.unpack_from(">H", font, at + 6)[0] // 2
    ends = struct.unpack_from(f">{n}H", font, at + 14)
    starts, deltas, ranges = (
        struct.unpack_from(f">{n}{kind}", font, at + 16 + 2 * n * k)
        for k, kind in ((1, "H"), (2, "h"), (3, "H"))
    )
    code = ord(char)
    i = next(i for i in range(n) if starts[i] <= code <= ends[i])
    if ranges[i] == 0:
        return (code + deltas[i]) & 0xFFFF
    where = at + 16 + 6 * n + 2 * i + ranges[i] + 2 * (code - starts[i])
    return (struct.unpack_from(">H", font, where)[0] + deltas[i]) & 0xFFFF


def renamed(font: bytes, new: str, old: str = "NotoSans-Regular") -> bytes:
    """The font with its PostScript name `old` changed to `new`, as long, in the name table
    (as Mac Roman and as UTF-16). ReportLab keeps one font per PostScript name in a process:
    under a name an earlier test registered, the font would give way to that test's."""
    assert len(new) == len(old)
    _, offset, length = table(font, "name")
    names = font[offset : offset + length]
    for encoding in ("latin-1", "utf-16-be"):
        names = names.replace(old.encode(encoding), new.encode(encoding))
    return font[:offset] + names + font[offset + length :]


def with_parts(font: bytes, char: str, parts: bytes) -> bytes:
    """The font with `char`'s glyph made a composite glyph of `parts` (flags and glyph index
    of each part, then its arguments), cut to the glyph's length: nothing reads outlines
    until ReportLab subsets the font, as the PDF is written."""
    glyph = glyph_of(font, char)
    loca, glyf = table(font, "loca")[1], table(font, "glyf")[1]
    if struct.unpack_from(">H", font, table(font, "head")[1] + 50)[0]:  # long offsets
        start, end = struct.unpack_from(">2I", font, loca + 4 * glyph)
    else:
        start, end = (2 * at for at in struct.unpack_from(">2H", font, loca + 2 * glyph))
    edited = bytearray(font)
    struct.pack_into(">h", edited, glyf + start, -1)  # numberOfContours -1: a composite
    body = parts[: end - start - 10]
    edited[glyf + start + 10 : glyf + start + 10 + len(body)] = body
    return bytes(edited)


# --- running briefbook on a layout with that font ----------------------------------------------


def layout_with(tmp_path: Path, font: bytes, use: str = "regular") -> Path:
    """hostile/, a layout whose fonts.sans.regular (line 3) is X.ttf, the font given; with
    `use` "fallback", the second fallback font (line 7) is X.ttf instead."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "X.ttf").write_bytes(font)
    regular = "NotoSans-Regular.ttf" if use == "fallback" else "X.ttf"
    (folder / "layout.yaml").write_text(
        "fonts:\n"
        "  sans:\n"
        f"    regular: {regular}\n"
        "    bold: NotoSans-Bold.ttf\n"
        "    italic: NotoSans-Italic.ttf\n"
        "    bold_italic: NotoSans-BoldItalic.ttf\n"
        + ("fallback_fonts: [NotoSansMath-Regular.ttf, X.ttf]\n" if use == "fallback" else ""),
        "utf-8",
    )
    return folder


def commands() -> dict[str, list[str]]:
    """The two commands, run in the folder that holds hostile/ (the layout) and out/."""
    common = ["--data", str(SMALL_DATA), "--layout", "hostile"]
    return {
        "validate": ["validate", *common],
        "build": ["build", *common, "--date", DATE, "--output", "out/x.pdf"],
    }


def assert_refused(command: str, code: int, stdout: str, stderr: str, expected: str) -> None:
    assert code == 1, stderr
    assert stdout == ""
    found = "1 problem found" + ("; nothing was written" if command == "build" else "")
    assert stderr.splitlines() == [expected, found]


def refused_in_process(tmp_path: Path, font: bytes, expected: str, use: str = "regular") -> None:
    layout_with(tmp_path, font, use)
    for command, args in commands().items():
        result = run_cli(args)
        assert_refused(command, result.exit_code, result.stdout, result.stderr, expected)
    assert not (tmp_path / "out").exists()


def refused_in_subprocess(tmp_path: Path, font: bytes, expected: str) -> None:
    """Both commands, run side by side as the real program, each given 30 seconds."""
    layout_with(tmp_path, font)
    running = {
        command: subprocess.Popen(
            [sys.executable, "-m", "briefbook", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        for command, args in commands().items()
    }
    try:
        for command, process in running.items():
            stdout, stderr = process.communicate(timeout=30)
            assert_refused(command, process.returncode, stdout, stderr, expected)
    finally:
        for process in running.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    assert not (tmp_path / "out").exists()


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


# --- the fonts --------------------------------------------------------------------------------


def test_a_map_claiming_four_billion_characters_is_refused_at_once(tmp_path: Path):
    # Once, a set of every code point from 1 to 0xFFFFFFF0: 2.3 GB, then MemoryError.
    font = with_cmap(SHIPPED, format_12([(1, 0xFFFFFFF0, 5)]))
    reason = "its character map (format 12) maps U+FFFFFFF0, past U+10FFFF, the last code point"
    refused_in_subprocess(tmp_path, font, problem(reason))


def test_a_map_of_overlapping_segments_is_refused_at_once(tmp_path: Path):
    # Once, 20,000 times 65,535 code points looked up one by one: over a minute.
    font = with_cmap(SHIPPED, format_4([(0, 0xFFFE)] * 20_000))
    reason = (
        "its character map (format 4) claims 1,310,700,000 code points in 20,000 segments, "
        "more than the 65,536 of the Basic Multilingual Plane"
    )
    refused_in_subprocess(tmp_path, font, problem(reason))


def test_the_map_reportlab_draws_with_is_checked_too(tmp_path: Path):
    # briefbook reads the best Unicode map, the font's own, relabelled (3, 10); ReportLab the
    # last one listed, (3, 1): groups each of the whole of Unicode, that it would walk in turn.
    hostile = with_cmap(SHIPPED, format_12([(0, 0x10FFFF, 1)] * 1000), record=1, key=(3, 1))
    font = relabelled(hostile, 0, (3, 10))
    reason = (
        "its character map (format 12) claims 1,114,112,000 code points in 1,000 groups, "
        "more than the 1,114,112 of Unicode"
    )
    refused_in_subprocess(tmp_path, font, problem(reason))


_, GLYF_AT, GLYF_LENGTH = table(SHIPPED, "glyf")
BROKEN = {
    "units per em of 0": (
        with_units_per_em(SHIPPED, 0),
        "its units per em (head.unitsPerEm) is 0, not 16 to 16384",
    ),
    "a file cut short inside glyf": (
        cut_into_glyf(SHIPPED),
        f"it is cut short: its 'glyf' table runs to byte {GLYF_AT + GLYF_LENGTH:,}, but the "
        f"file ends at byte {GLYF_AT + 1000:,}",
    ),
    "a map past U+10FFFF": (
        with_cmap(SHIPPED, format_12([(0x10FFF0, 0x110000, 5)])),
        "its character map (format 12) maps U+110000, past U+10FFFF, the last code point",
    ),
    "more groups than the table holds": (
        with_cmap(SHIPPED, struct.pack(">HHIII", 12, 0, 16, 0, 1_000_000)),
        "its character map (format 12) lists 1,000,000 groups, more than its 'cmap' table holds",
    ),
    "PostScript outlines": (
        b"OTTO" + SHIPPED[4:],
        "it has PostScript (CFF) outlines, not TrueType ones",
    ),
    "a text file": (b"not a font at all\n", "it does not begin as a TrueType font does"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_damaged_font_is_one_located_problem(tmp_path: Path, kind: str):
    font, reason = BROKEN[kind]
    refused_in_process(tmp_path, font, problem(reason))


def test_a_damaged_fallback_font_is_refused_where_it_is_named(tmp_path: Path):
    refused_in_process(
        tmp_path,
        with_units_per_em(SHIPPED, 0),
        problem("its units per em (head.unitsPerEm) is 0, not 16 to 16384", "fallback_fonts[1]", 7),
        use="fallback",
    )


MORE_PARTS = 0x0020
AS_WRITTEN = {
    "a part the font does not have": (
        "NotoSans-NoSuchG",
        struct.pack(">HHbb", 0, 0xFFFF, 0, 0),
        f"its glyph {glyph_of(SHIPPED, 'e')} is made of glyph 65535, but it has "
        f"{struct.unpack_from('>H', SHIPPED, table(SHIPPED, 'maxp')[1] + 4)[0]:,} glyphs",
    ),
    "parts that run past the glyph": (
        "NotoSans-PastEnd",
        struct.pack(">HHbb", MORE_PARTS, 0, 0, 0) * 1000,
        f"its glyph {glyph_of(SHIPPED, 'e')} is made of parts that run past its end",
    ),
}


@pytest.mark.parametrize("kind", list(AS_WRITTEN))
def test_outlines_read_as_the_pdf_is_written_are_a_located_problem(tmp_path: Path, kind: str):
    # Only ReportLab reads outlines, to subset the font: validate has nothing to say.
    name, parts, reason = AS_WRITTEN[kind]
    layout_with(tmp_path, renamed(with_parts(SHIPPED, "e", parts), name))
    args = commands()
    assert run_cli(args["validate"]).exit_code == 0
    result = run_cli(args["build"])
    assert_refused("build", result.exit_code, result.stdout, result.stderr, problem(reason))
    assert files_under(tmp_path / "out") == []  # neither the book nor its temporary file


def test_whatever_else_reportlab_raises_on_a_font_is_a_located_problem(tmp_path: Path):
    # A PostScript name ReportLab refuses: its own words, inside the located problem.
    layout_with(tmp_path, renamed(SHIPPED, "NotoSans(Regular"))
    args = commands()
    assert run_cli(args["validate"]).exit_code == 0
    result = run_cli(args["build"])
    assert result.exit_code == 1, result.output
    line, count = result.stderr.splitlines()
    assert line.startswith(problem("it cannot be read (TTFError: ").split("; expected")[0])
    assert line.endswith(f"); {EXPECTED}")
    assert count == "1 problem found; nothing was written"
    assert files_under(tmp_path / "out") == []
