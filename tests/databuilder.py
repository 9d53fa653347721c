"""Write a small valid data folder into a temporary directory, and break it one way at a time.

The files are written as literal text (not dumped from Python values) so that every test
knows the exact line each key sits on. `write_folder(root)` writes:

    root/book.yaml, root/themes.yaml, root/mayors/{durkan,bowser,tubbs}.yaml

`mayor_yaml()` and `folder_from_values()` write a folder from Python values instead (YAML
dumped with PyYAML), for tests that put arbitrary text into fields.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from briefbook.cli import cli

BOOK = """\
title: Harbour Mayors Briefing
subtitle: Mayors who test their tools
organization: Test Coalition
statement:
  heading: Who We Are
  body: |
    We check every file before we print it.

    A second paragraph closes the statement.
"""

# The three themes, in file order (the order `expected one of:` lists them in).
THEME_IDS = ("behavioral-health", "diversion", "policing")
THEMES = """\
behavioral-health:
  label: Behavioral health
  description: Better responses to people in crisis.
diversion:
  label: Diversion
  description: Alternatives to jail.
policing:
  label: Community policing
  description: Trust between police and residents.
"""

# durkan.yaml: themes[2] ('policing') sits on line 7, summary on line 8, the initiative's
# name on line 11, its theme on line 13, the source's title on line 16 and url on line 17.
DURKAN = """\
name: Jenny Durkan
city: Seattle
state: WA
themes:
  - behavioral-health
  - diversion
  - policing
summary: |
  Mayor Durkan reformed use-of-force policies and the response to people in crisis.
initiatives:
  - name: Police reform
    themes:
      - policing
    description: She led the reform of the department's use-of-force policies.
sources:
  - title: City of Seattle
    url: https://www.seattle.gov
"""

BOWSER = """\
name: Muriel Bowser
city: Washington
state: DC
themes:
  - diversion
summary: |
  Mayor Bowser opened a reentry office and funded violence interrupters.
"""

TUBBS = """\
name: Michael Tubbs
title: Former Mayor
city: Stockton
state: CA
themes:
  - behavioral-health
  - policing
summary: |
  Mayor Tubbs piloted a guaranteed income and **advance peace** fellowships.
"""

MAYORS = {"durkan": DURKAN, "bowser": BOWSER, "tubbs": TUBBS}
NAMES = {"durkan": "Jenny Durkan", "bowser": "Muriel Bowser", "tubbs": "Michael Tubbs"}


def write_folder(root: Path) -> Path:
    """Write the small valid data folder into `root` (created if needed); return `root`."""
    (root / "mayors").mkdir(parents=True, exist_ok=True)
    (root / "book.yaml").write_text(BOOK, "utf-8")
    (root / "themes.yaml").write_text(THEMES, "utf-8")
    for mayor_id, text in MAYORS.items():
        (root / "mayors" / f"{mayor_id}.yaml").write_text(text, "utf-8")
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in root/rel with `new` (fails if not exactly one)."""
    path = root / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def line_of(root: Path, rel: str, needle: str) -> int:
    """1-based number of the only line of root/rel that starts with `needle`."""
    lines = (root / rel).read_text("utf-8").splitlines()
    found = [n for n, line in enumerate(lines, start=1) if line.startswith(needle)]
    assert len(found) == 1, f"{needle!r} is on lines {found} of {rel}"
    return found[0]


# --- pictures ------------------------------------------------------------------------------


def write_png(path: Path, width: int = 4, height: int = 4) -> Path:
    """A small real PNG."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), (200, 40, 40)).save(path, "PNG")
    return path


def write_png_claiming(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header (IHDR) claims `width`×`height` pixels: a decompression bomb
    that must be refused from its header alone, never decoded."""
    import struct
    import zlib

    write_png(path, 1, 1)
    data = bytearray(path.read_bytes())
    # Signature (8) + length (4) + b"IHDR" (4), then width and height, then the rest of IHDR.
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    data[29:33] = struct.pack(">I", crc)
    path.write_bytes(bytes(data))
    return path


# --- folders from Python values --------------------------------------------------------------


def dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=80)


def folder_from_values(
    root: Path, book: dict[str, Any], themes: dict[str, Any], mayors: dict[str, dict[str, Any]]
) -> Path:
    """Write a data folder whose files are these values, dumped as YAML."""
    (root / "mayors").mkdir(parents=True, exist_ok=True)
    (root / "book.yaml").write_text(dump(book), "utf-8")
    (root / "themes.yaml").write_text(dump(themes), "utf-8")
    for mayor_id, value in mayors.items():
        (root / "mayors" / f"{mayor_id}.yaml").write_text(dump(value), "utf-8")
    return root


# --- running the CLI -----------------------------------------------------------------------


def run(*args: str) -> Result:
    """briefbook ARGS through Click's test runner (stdout and stderr kept apart)."""
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="briefbook")


def problem_lines(result: Result) -> list[str]:
    """The problem lines a failed validate/build printed (the closing count line left out)."""
    lines = result.stderr.splitlines()
    assert lines, f"nothing on stderr; stdout: {result.stdout!r}"
    # build adds "; nothing was written"; validate never writes, so it does not say so.
    assert re.fullmatch(r"\d+ problems? found(; nothing was written)?", lines[-1]), lines[-1]
    return lines[:-1]


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")) if folder.exists() else []


def set_field(root: Path, rel: str, key: tuple[str | int, ...], value: Any) -> None:
    """Set one value of root/rel (re-dumping the file, so its lines move)."""
    path = root / rel
    data = yaml.safe_load(path.read_text("utf-8"))
    node = data
    for part in key[:-1]:
        node = node[part]
    node[key[-1]] = value
    path.write_text(dump(data), "utf-8")
    assert yaml.safe_load(path.read_text("utf-8")) == data  # the dump round-trips


# --- reading a PDF -------------------------------------------------------------------------


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def squash(text: str) -> str:
    return " ".join(text.split())


def uri_links(path: Path) -> list[str]:
    """Targets of every /URI link annotation, page by page in order."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if annot.get("/Subtype") == "/Link" and action is not None:
                action = action.get_object()
                if action.get("/S") == "/URI":
                    out.append(str(action["/URI"]))
    return out


def text_runs(path: Path) -> list[tuple[str, str]]:
    """(text, base font name) of every piece of text the pages draw."""
    from pypdf import PdfReader

    runs: list[tuple[str, str]] = []

    def visit(text, cm, tm, font, size):
        if text and font is not None:
            runs.append((text, str(font.get("/BaseFont", ""))))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


def fonts(path: Path) -> dict[str, Any]:
    """Every font dictionary the PDF uses (pages and the forms they draw), by base name."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    found: dict[str, Any] = {}
    seen: set[int] = set()

    def walk(resources: Any) -> None:
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject):
            return
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = font
        for ref in (resources.get("/XObject") or {}).values():
            key = getattr(ref, "idnum", None)
            if key in seen:
                continue
            seen.add(key)
            xobject = ref.get_object()
            walk(xobject.get("/Resources"))

    for page in PdfReader(path).pages:
        walk(page.get("/Resources"))
    return found
