"""What the tests share besides fixtures and PDF reading (those are in conftest.py, which
re-exports all of this): where the data lives, an independent reading of a data folder, a
small valid data folder written as literal text and broken one way at a time, and the
command line run the way a user runs it, with the checks every refusal must pass.

The small folder (`write_folder(root)`) is written as literal text, not dumped from Python
values, so that every test knows the exact line each key sits on:

    root/book.yaml, root/themes.yaml, root/mayors/{durkan,bowser,tubbs}.yaml

`folder_from_values()` and `set_field()` write values dumped with PyYAML instead, for tests
that put arbitrary text into fields.
"""

from __future__ import annotations

import re
import shutil
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from briefbook.cli import cli

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SMALL_DATA = ROOT / "tests" / "data" / "small"
DATE = "2026-11-26"
DATE_ON_COVER = "November 26, 2026"

# The shipped editions: name -> the build options (with the seed data and DATE). The golden
# dumps (golden.py) and the books conftest builds once per session are these.
EDITIONS: dict[str, tuple[str, ...]] = {
    "default": (),
    "reentry": ("--theme", "reentry"),
    "classic": ("--layout", "classic"),
    "read-ahead": ("--layout", "read-ahead"),
    "read-ahead-reentry": ("--layout", "read-ahead", "--theme", "reentry"),
    "one-pager": ("--layout", "one-pager", "--mayor", "bowser", "--mayor", "walsh"),
}


# --- reading data folders ----------------------------------------------------------------


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


@dataclass(frozen=True)
class DataSet:
    """A data folder read with plain yaml.safe_load: the oracle the PDF is checked against."""

    root: Path

    @cached_property
    def book(self) -> dict[str, Any]:
        return read_yaml(self.root / "book.yaml")

    @cached_property
    def themes(self) -> dict[str, dict[str, Any]]:
        return read_yaml(self.root / "themes.yaml")

    @cached_property
    def mayors(self) -> dict[str, dict[str, Any]]:
        """Mayor id -> its YAML, in reading order (docs/data.md: sort_as, ties by id)."""
        raw = {p.stem: read_yaml(p) for p in sorted((self.root / "mayors").glob("*.yaml"))}
        return dict(sorted(raw.items(), key=lambda item: reading_key(item[0], item[1])))

    def name(self, mayor_id: str) -> str:
        return " ".join(self.mayors[mayor_id]["name"].split())

    def names(self, ids: list[str] | None = None) -> list[str]:
        return [self.name(i) for i in (self.mayors if ids is None else ids)]

    def with_theme(self, *theme_ids: str) -> list[str]:
        return [i for i, m in self.mayors.items() if set(theme_ids) & set(m["themes"])]

    def in_state(self, *states: str) -> list[str]:
        return [i for i, m in self.mayors.items() if m["state"] in states]


# An independent reading of the sort rule in docs/data.md: the last word of the name, with particles
# such as "de" kept; accents and case ignored; ties by id.
_PARTICLES = {"de", "da", "del", "della", "di", "du", "van", "von", "der", "la", "le"}


def reading_key(mayor_id: str, mayor: dict[str, Any]) -> tuple[str, str]:
    sort_as = mayor.get("sort_as")
    if not sort_as:
        words = mayor["name"].split()
        start = len(words) - 1
        while start > 1 and words[start - 1].casefold() in _PARTICLES:
            start -= 1
        sort_as = " ".join(words[start:])
    folded = unicodedata.normalize("NFKD", sort_as)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return folded, mayor_id


def rich_words(text: str) -> list[str]:
    """The words a reader sees of a rich-text field: Markdown emphasis and link syntax removed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\*+", "", text)
    return text.split()


def rich_links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", text)


# --- comparing text ------------------------------------------------------------------------


def squash(text: str) -> str:
    """All runs of whitespace (line breaks included) collapsed into one space."""
    return " ".join(text.split())


def words_in_order(expected: list[str], actual: list[str], max_gap: int = 0) -> str | None:
    """None when `expected` occurs in `actual` in order, each word at most `max_gap` words
    after the previous one (0: a contiguous run); otherwise a description of the first word
    that could not be found. A word the PDF broke after a hyphen ("formerly-" "incarcerated")
    counts as the whole word."""
    if not expected:
        return "nothing to look for (a test that cannot fail)"
    furthest, problem = -1, f"first word {expected[0]!r} not found at all"
    for start in range(len(actual)):
        if not _same(expected[0], actual, start):
            continue
        pos = start + _span(expected[0], actual, start)
        for n, word in enumerate(expected[1:], start=1):
            gap = next(
                (
                    g
                    for g in range(max_gap + 1)
                    if pos + g < len(actual) and _same(word, actual, pos + g)
                ),
                None,
            )
            if gap is None:
                if n > furthest:
                    context = " ".join(actual[max(pos - 8, 0) : pos + 8])
                    furthest = n
                    problem = (
                        f"word {n} {word!r} (after {expected[max(n - 4, 0) : n]}) not "
                        f"found; the PDF has: ...{context}..."
                    )
                break
            pos += gap + _span(word, actual, pos + gap)
        else:
            return None
    return problem


def assert_words_in_order(expected: list[str], actual: list[str], max_gap: int = 0) -> None:
    problem = words_in_order(expected, actual, max_gap)
    assert problem is None, problem


def _same(word: str, actual: list[str], i: int) -> bool:
    token = actual[i]
    if token == word:
        return True
    return (
        token.endswith("-")
        and i + 1 < len(actual)
        and word.startswith(token)
        and token + actual[i + 1] == word
    )


def _span(word: str, actual: list[str], i: int) -> int:
    return 1 if actual[i] == word else 2


# --- the small data folder, as literal text -------------------------------------------------

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
THEMES_HINT = f"expected one of: {', '.join(THEME_IDS)}"
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


def dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=80)


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


def synth():
    """bench/synth.py, which writes data folders of any number of invented mayors."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def broken_small_data(tmp_path: Path) -> Path:
    """A copy of tests/data/small with one data problem: quennell's state is 'Maine'."""
    data = tmp_path / "broken-data"
    shutil.copytree(SMALL_DATA, data)
    mayor = data / "mayors" / "quennell.yaml"
    mayor.write_text(mayor.read_text("utf-8").replace("state: ME", "state: Maine"), "utf-8")
    return data


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
    write_png(path, 1, 1)
    data = bytearray(path.read_bytes())
    # Signature (8) + length (4) + b"IHDR" (4), then width and height, then the rest of IHDR.
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    data[29:33] = struct.pack(">I", crc)
    path.write_bytes(bytes(data))
    return path


# --- running the command line ----------------------------------------------------------------


def run_cli(args: list[str]) -> Result:
    """briefbook ARGS through Click's test runner (stdout and stderr kept apart)."""
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="briefbook")


def run(*args: str) -> Result:
    """run_cli with the arguments written out: run("validate", "--data", "data")."""
    return run_cli(list(args))


def build_args(*args: str, data: Path = DATA, output: Path | None = None) -> list[str]:
    """A `build` command line with an absolute --data, the fixed --date and --output."""
    out = ["build", "--data", str(data)]
    if "--date" not in args:
        out += ["--date", DATE]
    out += list(args)
    if output is not None:
        out += ["--output", str(output)]
    return out


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*")) if folder.exists() else []


def problem_lines(result: Result) -> list[str]:
    """The problem lines a failed validate/build printed (the closing count line left out)."""
    lines = result.stderr.splitlines()
    assert lines, f"nothing on stderr; stdout: {result.stdout!r}"
    # build adds "; nothing was written"; validate never writes, so it does not say so.
    assert re.fullmatch(r"\d+ problems? found(; nothing was written)?", lines[-1]), lines[-1]
    return lines[:-1]


def problems_found(n: int) -> str:
    """The count line validate prints after `n` problems (build adds "; nothing was written")."""
    return f"{n} {'problem' if n == 1 else 'problems'} found"


def refused(
    expected: list[str], *options: str, data: str = "data", hidden: str | None = None
) -> None:
    """`validate` and `build` on the folder `data` (with `options`) both print exactly the
    problem lines `expected` and then the count, on stderr only; both exit 1 through that
    message, with no exception and no traceback; build writes nothing into out/. With
    `hidden`, that text appears in neither output."""
    found = problems_found(len(expected))
    checked = run("validate", "--data", data, *options)
    built = run("build", "--data", data, *options, "--date", DATE, "--output", "out/x.pdf")
    for result, count in ((checked, found), (built, f"{found}; nothing was written")):
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.stdout == ""
        assert problem_lines(result) == expected
        assert result.stderr.splitlines()[-1] == count
        assert "Traceback" not in result.output
        assert hidden is None or hidden not in result.output
    assert files_under(Path("out")) == []


EDITION_HASH = re.compile(r"(?<=edition )[0-9a-f]{10}\b")


def unstamped(text: str) -> str:
    """`text` with the edition's hash of the last page's stamp taken out: two builds with
    different options (another layout, paper or print option) are different editions."""
    return EDITION_HASH.sub("", text)
