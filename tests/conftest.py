"""Shared fixtures: the data folders, books built once per session, and helpers that read a
PDF the way a reader meets it (text, pages, outline, links)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from briefbook.cli import cli

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SMALL_DATA = ROOT / "tests" / "data" / "small"
DATE = "2026-11-26"
DATE_ON_COVER = "November 26, 2026"

FOOTER = re.compile(r"page (\d+) of (\d+)")
FOOTER_START = re.compile(r"page \d+ of$")  # the footer's line before the form with the total


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


# --- reading a PDF -----------------------------------------------------------------------


@dataclass
class Book:
    """One built PDF as a reader meets it."""

    path: Path
    reader: PdfReader = field(init=False)
    pages: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.reader = PdfReader(self.path)
        self.pages = [page.extract_text() or "" for page in self.reader.pages]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def lines(self, index: int) -> list[str]:
        return [squash(line) for line in self.pages[index].splitlines() if line.strip()]

    @cached_property
    def page_numbers(self) -> dict[int, int]:
        """idnum of a page object -> its 0-based index."""
        return {page.indirect_reference.idnum: i for i, page in enumerate(self.reader.pages)}

    def first_page_of(self, name: str) -> int:
        """Index of the page where the mayor `name` starts: the name is its first line, or its
        second under a one-line eyebrow such as "MAYOR"."""
        found = [i for i in range(len(self.pages)) if name in self.lines(i)[:2]]
        assert len(found) == 1, f"{name!r} heads pages {found}, expected exactly one"
        return found[0]

    def headed(self, heading: str) -> int:
        """Index of the one page whose first line is `heading`."""
        found = [i for i in range(len(self.pages)) if self.lines(i)[:1] == [heading]]
        assert len(found) == 1, f"{heading!r} heads pages {found}, expected exactly one"
        return found[0]

    def pages_of(self, name: str) -> list[int]:
        """The mayor's first page and the pages their text continues on."""
        first = self.first_page_of(name)
        pages = [first]
        while pages[-1] + 1 < len(self.pages) and self.lines(pages[-1] + 1)[:1] == [
            f"{name} (continued)"
        ]:
            pages.append(pages[-1] + 1)
        return pages

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, 0-based page) of every bookmark, in order."""
        out: list[tuple[int, str, int]] = []

        def walk(items, level: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    out.append((level, item.title, self.reader.get_destination_page_number(item)))

        walk(self.reader.outline, 0)
        return out

    def annotations(self, index: int) -> Iterator[DictionaryObject]:
        for annot in self.reader.pages[index].get("/Annots") or []:
            yield annot.get_object()

    def internal_links(self, index: int) -> list[tuple[float, int]]:
        """(top of the link rectangle, 0-based target page) of the page's GoTo links, from the
        top of the page down."""
        links = []
        for annot in self.annotations(index):
            if annot.get("/Subtype") != "/Link":
                continue
            target = self._link_target(annot)
            if target is not None:
                links.append((float(annot["/Rect"][3]), target))
        return sorted(links, key=lambda link: -link[0])

    def uri_links(self, index: int) -> list[str]:
        out = []
        for annot in self.annotations(index):
            action = annot.get("/A")
            if annot.get("/Subtype") == "/Link" and action is not None:
                action = action.get_object()
                if action.get("/S") == "/URI":
                    out.append(str(action["/URI"]))
        return out

    def _link_target(self, annot: DictionaryObject) -> int | None:
        dest = annot.get("/Dest")
        if dest is None:
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            if action is None or action.get("/S") != "/GoTo":
                return None
            dest = action["/D"]
        return self._destination_page(
            dest.get_object() if isinstance(dest, IndirectObject) else dest
        )

    def _destination_page(self, dest: Any) -> int:
        if isinstance(dest, ArrayObject):
            page = dest[0]
            if isinstance(page, IndirectObject):
                return self.page_numbers[page.idnum]
            return int(page)
        named = self.reader.named_destinations[str(dest)]
        return self.reader.get_destination_page_number(named)

    def contents_entries(self) -> list[tuple[str, int]]:
        """(label, printed page number) of every contents row, in order: a line of text followed
        by a line holding only a number. The footer's own number is left out."""
        first, last = self._contents_range()
        entries = []
        for index in range(first, last):
            lines = self.lines(index)
            for label, number in itertools.pairwise(lines):
                if number.isdigit() and not label.isdigit() and not FOOTER_START.search(label):
                    entries.append((label, int(number)))
        return entries

    def _contents_range(self) -> tuple[int, int]:
        titles = [(title, page) for level, title, page in self.outline() if level == 0]
        pages = [page for _, page in titles]
        start = pages[[t for t, _ in titles].index("Contents")]
        after = [p for p in pages if p > start]
        return start, min(after)

    def footers(self) -> list[tuple[int, int] | None]:
        """(X, Y) of "page X of Y" on each page, None where there is none; more than one on a
        page is an error."""
        out = []
        for index, text in enumerate(self.pages):
            found = FOOTER.findall(squash(text))
            assert len(found) <= 1, f"page {index + 1} has {len(found)} footers: {found}"
            out.append((int(found[0][0]), int(found[0][1])) if found else None)
        return out


# --- running the CLI ---------------------------------------------------------------------


def run_cli(args: list[str]) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="briefbook")


def build_args(*args: str, data: Path = DATA, output: Path | None = None) -> list[str]:
    """A `build` command line with an absolute --data, the fixed --date and --output."""
    out = ["build", "--data", str(data)]
    if "--date" not in args:
        out += ["--date", DATE]
    out += list(args)
    if output is not None:
        out += ["--output", str(output)]
    return out


Builder = Callable[..., tuple[Result, Path]]


@pytest.fixture
def build_pdf(tmp_path: Path) -> Builder:
    """build_pdf(*args, data=..., name=...) -> (CLI result, path of the PDF asked for)."""
    counter = iter(range(1_000))

    def run(*args: str, data: Path = DATA, name: str | None = None) -> tuple[Result, Path]:
        output = tmp_path / (name or f"book-{next(counter)}.pdf")
        return run_cli(build_args(*args, data=data, output=output)), output

    return run


def _built(tmp_path_factory, folder: str, *args: str, data: Path = DATA) -> Book:
    output = tmp_path_factory.mktemp(folder) / "book.pdf"
    result = run_cli(build_args(*args, data=data, output=output))
    assert result.exit_code == 0, result.output
    return Book(output)


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def seed() -> DataSet:
    return DataSet(DATA)


@pytest.fixture(scope="session")
def small() -> DataSet:
    return DataSet(SMALL_DATA)


@pytest.fixture(scope="session")
def default_book(tmp_path_factory) -> Book:
    """The whole seed book, built once."""
    return _built(tmp_path_factory, "default")


@pytest.fixture(scope="session")
def reentry_book(tmp_path_factory) -> Book:
    """The seed book with --theme reentry, built once."""
    return _built(tmp_path_factory, "reentry", "--theme", "reentry")


@pytest.fixture(scope="session")
def small_book(tmp_path_factory) -> Book:
    """The small invented data set, built once."""
    return _built(tmp_path_factory, "small", data=SMALL_DATA)
