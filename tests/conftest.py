"""Shared fixtures (the data folders, books built once per session) and the helpers that read
a PDF the way a reader meets it: text page by page, lines, outline, links, fonts. Everything
in support.py is importable from here too, so a test imports its helpers from one place."""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, overload

import pypdf._page
import pytest
from click.testing import Result
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from support import (
    BOOK,
    BOWSER,
    DATA,
    DATE,
    DATE_ON_COVER,
    DURKAN,
    EDITIONS,
    MAYORS,
    NAMES,
    ROOT,
    SMALL_DATA,
    THEME_IDS,
    THEMES,
    THEMES_HINT,
    TUBBS,
    DataSet,
    append,
    assert_words_in_order,
    broken_small_data,
    build_args,
    dump,
    edit,
    files_under,
    folder_from_values,
    line_of,
    problem_lines,
    problems_found,
    reading_key,
    refused,
    rich_links,
    rich_words,
    run,
    run_cli,
    set_field,
    squash,
    synth,
    words_in_order,
    write_folder,
    write_png,
    write_png_claiming,
)

__all__ = [
    "BOOK",
    "BOWSER",
    "DATA",
    "DATE",
    "DATE_ON_COVER",
    "DURKAN",
    "EDITIONS",
    "MAYORS",
    "NAMES",
    "ROOT",
    "SMALL_DATA",
    "THEMES",
    "THEMES_HINT",
    "THEME_IDS",
    "TUBBS",
    "Book",
    "Builder",
    "DataSet",
    "FontUse",
    "append",
    "assert_words_in_order",
    "broken_small_data",
    "build_args",
    "build_book",
    "dump",
    "edit",
    "files_under",
    "folder_from_values",
    "line_of",
    "pdf_pages",
    "problem_lines",
    "problems_found",
    "reading_key",
    "refused",
    "rich_links",
    "rich_words",
    "run",
    "run_cli",
    "set_field",
    "squash",
    "synth",
    "text_runs",
    "uri_links",
    "words_in_order",
    "write_folder",
    "write_png",
    "write_png_claiming",
]


def pytest_configure(config) -> None:
    """Builds keep the pictures they make in a cache folder of this run's own, never in the
    user's: every process of the run shares it, and a test of the cache sets its own."""
    import os
    import tempfile

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="briefbook-test-cache-")


def pytest_unconfigure(config) -> None:
    import os
    import shutil

    shutil.rmtree(os.environ.get("XDG_CACHE_HOME", ""), ignore_errors=True)


FOOTER = re.compile(r"page (\d+) of (\d+)")
FOOTER_START = re.compile(r"page \d+ of$")  # the footer's line before the form with the total


# --- reading a PDF -----------------------------------------------------------------------


@contextlib.contextmanager
def fonts_parsed_once(cache: dict[int, tuple[Any, Any]]) -> Iterator[None]:
    """While extracting text, read each font of the PDF (its ToUnicode map above all) once,
    not once per page that uses it: pypdf parses them afresh for every page, which is most of
    the time a page takes (9 s of 10 for a 167-page book). Parsing a font is a function of
    its dictionary alone, so the text is the same (test_book checks it against pypdf's own
    reading). `cache` (font dictionary's id -> the dictionary and what pypdf made of it)
    belongs to one PdfReader, whose resolved objects keep their identity. Where pypdf has no
    such step, nothing is changed."""
    font_class = getattr(pypdf._page, "Font", None)
    original = vars(font_class).get("from_font_resource") if font_class else None
    if not isinstance(original, classmethod):
        yield
        return
    parse = original.__func__

    def from_font_resource(cls, pdf_font_dict):
        found = cache.get(id(pdf_font_dict))
        if found is None or found[0] is not pdf_font_dict:
            found = cache[id(pdf_font_dict)] = (pdf_font_dict, parse(cls, pdf_font_dict))
        return found[1]

    font_class.from_font_resource = classmethod(from_font_resource)
    try:
        yield
    finally:
        font_class.from_font_resource = original


class PageTexts(Sequence[str]):
    """The text of each page, extracted the first time it is asked for."""

    def __init__(self, book: Book) -> None:
        self._book = book

    def __len__(self) -> int:
        return self._book.page_count

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        return self._book.page_text(index)


@dataclass(frozen=True)
class FontUse:
    """A font dictionary the PDF uses: on which page first, and whether through a form
    (a Form XObject such as the footer's total or a contents number)."""

    page: int
    name: str
    font: DictionaryObject
    in_form: bool


class Book:
    """One built PDF as a reader meets it. Nothing is read until asked for; each page's text,
    lines and links are read once and kept."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.reader = PdfReader(self.path)
        self.pages = PageTexts(self)
        self._texts: dict[int, str] = {}
        self._lines: dict[int, list[str]] = {}
        self._fonts: dict[int, tuple[Any, Any]] = {}

    @cached_property
    def page_count(self) -> int:
        return len(self.reader.pages)

    def page_text(self, index: int) -> str:
        index = range(self.page_count)[index]  # negative indexes; IndexError past the end
        if index not in self._texts:
            with fonts_parsed_once(self._fonts):
                self._texts[index] = self.reader.pages[index].extract_text() or ""
        return self._texts[index]

    @cached_property
    def text(self) -> str:
        return "\n".join(self.pages)

    @cached_property
    def words(self) -> list[str]:
        return self.text.split()

    def lines(self, index: int) -> list[str]:
        """The page's non-blank lines, whitespace squashed."""
        if index not in self._lines:
            text = self.pages[index]
            self._lines[index] = [squash(line) for line in text.splitlines() if line.strip()]
        return list(self._lines[index])

    @cached_property
    def page_numbers(self) -> dict[int, int]:
        """idnum of a page object -> its 0-based index."""
        return {page.indirect_reference.idnum: i for i, page in enumerate(self.reader.pages)}

    def first_page_of(self, name: str) -> int:
        """Index of the page where the mayor `name` starts: the name is its first line, or its
        second under a one-line eyebrow such as "MAYOR"; beside the portrait frame a long
        name may take two or three lines."""
        found = [i for i in range(self.page_count) if self.heads(i, name)]
        assert len(found) == 1, f"{name!r} heads pages {found}, expected exactly one"
        return found[0]

    def heads(self, index: int, name: str) -> bool:
        """Is `name` the first words of page `index`, or the first under a one-line eyebrow?"""
        lines = self.lines(index)[:4]
        return any(
            " ".join(lines[start:end]) == name
            for start in (0, 1)
            for end in range(start + 1, len(lines) + 1)
        )

    def headed(self, heading: str) -> int:
        """Index of the one page whose first line is `heading`."""
        found = [i for i in range(self.page_count) if self.lines(i)[:1] == [heading]]
        assert len(found) == 1, f"{heading!r} heads pages {found}, expected exactly one"
        return found[0]

    def pages_of(self, name: str) -> list[int]:
        """The mayor's first page and the pages their text continues on."""
        first = self.first_page_of(name)
        pages = [first]
        while pages[-1] + 1 < self.page_count and self.lines(pages[-1] + 1)[:1] == [
            f"{name} (continued)"
        ]:
            pages.append(pages[-1] + 1)
        return pages

    @cached_property
    def _outline(self) -> tuple[tuple[int, str, int], ...]:
        out: list[tuple[int, str, int]] = []

        def walk(items, level: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    out.append((level, item.title, self.reader.get_destination_page_number(item)))

        walk(self.reader.outline, 0)
        return tuple(out)

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, 0-based page) of every bookmark, in order."""
        return list(self._outline)

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
        """Targets of the page's /URI link annotations, in order."""
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
        first, last = self.contents_range()
        entries = []
        for index in range(first, last):
            lines = self.lines(index)
            for label, number in itertools.pairwise(lines):
                if number.isdigit() and not label.isdigit() and not FOOTER_START.search(label):
                    entries.append((label, int(number)))
        return entries

    def contents_range(self) -> tuple[int, int]:
        """(first page, page after the last) of the contents, from the bookmarks."""
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

    def text_runs(self) -> list[tuple[str, str]]:
        """(text, base font name) of every piece of text the pages draw."""
        runs: list[tuple[str, str]] = []

        def visit(text, cm, tm, font, size):
            if text and font is not None:
                runs.append((text, str(font.get("/BaseFont", ""))))

        with fonts_parsed_once(self._fonts):
            for page in self.reader.pages:
                page.extract_text(visitor_text=visit)
        return runs

    def fonts(self) -> list[FontUse]:
        """Every font dictionary reachable from the pages' resources, forms included; a form
        drawn on several pages is visited once."""
        found: list[FontUse] = []
        seen: set[int] = set()

        def walk(resources: Any, page: int, in_form: bool) -> None:
            resources = resources.get_object() if resources is not None else None
            if not isinstance(resources, DictionaryObject):
                return
            for ref in (resources.get("/Font") or DictionaryObject()).get_object().values():
                font = ref.get_object()
                found.append(FontUse(page, str(font.get("/BaseFont")), font, in_form))
            for ref in (resources.get("/XObject") or DictionaryObject()).get_object().values():
                key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
                xobject = ref.get_object()
                if key in seen or xobject.get("/Subtype") != "/Form":
                    continue
                seen.add(key)
                walk(xobject.get("/Resources"), page, True)

        for index, page in enumerate(self.reader.pages):
            walk(page.get("/Resources"), index, False)
        return found


def pdf_pages(path: Path) -> list[str]:
    """The text of every page of the PDF at `path`."""
    return list(Book(path).pages)


def uri_links(path: Path) -> list[str]:
    """Targets of every /URI link annotation, page by page in order."""
    book = Book(path)
    return [uri for index in range(book.page_count) for uri in book.uri_links(index)]


def text_runs(path: Path) -> list[tuple[str, str]]:
    """(text, base font name) of every piece of text the pages draw."""
    return Book(path).text_runs()


# --- building books ----------------------------------------------------------------------

Builder = Callable[..., tuple[Result, Path]]


@pytest.fixture
def build_pdf(tmp_path: Path) -> Builder:
    """build_pdf(*args, data=..., name=...) -> (CLI result, path of the PDF asked for)."""
    counter = iter(range(1_000))

    def build(*args: str, data: Path = DATA, name: str | None = None) -> tuple[Result, Path]:
        output = tmp_path / (name or f"book-{next(counter)}.pdf")
        return run_cli(build_args(*args, data=data, output=output)), output

    return build


def build_book(output: Path, *args: str, data: Path = DATA) -> Book:
    """The book `briefbook build ARGS` makes of `data` at `output`; the build must succeed."""
    result = run_cli(build_args(*args, data=data, output=output))
    assert result.exit_code == 0, result.output
    return Book(output)


def built(tmp_path_factory, folder: str, *args: str, data: Path = DATA) -> Book:
    """build_book() in a folder of its own, for the books built once per session."""
    return build_book(tmp_path_factory.mktemp(folder) / "book.pdf", *args, data=data)


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small valid data folder at ./data (the working directory is a fresh tmp dir), so
    that problem lines name files as `data/...`, the way a user passes --data."""
    monkeypatch.chdir(tmp_path)
    return write_folder(tmp_path / "data")


@pytest.fixture(scope="session")
def seed() -> DataSet:
    return DataSet(DATA)


@pytest.fixture(scope="session")
def small() -> DataSet:
    return DataSet(SMALL_DATA)


@pytest.fixture(scope="session")
def default_book(tmp_path_factory) -> Book:
    """The whole seed book (the default edition), built once."""
    return built(tmp_path_factory, "default", *EDITIONS["default"])


@pytest.fixture(scope="session")
def reentry_book(tmp_path_factory) -> Book:
    """The seed book with --theme reentry (the reentry edition), built once."""
    return built(tmp_path_factory, "reentry", *EDITIONS["reentry"])


@pytest.fixture(scope="session")
def small_book(tmp_path_factory) -> Book:
    """The small invented data set, built once."""
    return built(tmp_path_factory, "small", data=SMALL_DATA)
