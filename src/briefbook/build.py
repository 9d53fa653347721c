"""Turn a data folder, a layout and the command line's choices into a PDF: the whole pipeline."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefbook import __version__
from briefbook.cache import Cache
from briefbook.errors import DataError, Problem, VariableError
from briefbook.layout import Layout
from briefbook.layoutfolder import load_layout
from briefbook.load import load_folder
from briefbook.model import Book, Meeting, Selection
from briefbook.pictures import Placer
from briefbook.select import select_mayors
from briefbook.validate import validate

if TYPE_CHECKING:
    from reportlab.platypus import PageTemplate

    from briefbook.compose.kit import Kit
    from briefbook.conformance import Metadata
    from briefbook.printing import Printing


@dataclass(frozen=True)
class Options:
    """Everything `briefbook build` can be asked for."""

    data: Path = Path("data")
    layout: str = "default"
    paper: str | None = None
    themes: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    mayors: tuple[str, ...] = ()
    title: str | None = None
    date: dt.date | None = None  # None: SOURCE_DATE_EPOCH's day, else today (see cover_date)
    output: Path | None = None
    strict: bool = False  # warnings are errors
    quality: str = "email"  # pictures at 150 pixels per inch; "print": 300
    max_size: int | None = None  # bytes: a larger book fails and nothing is written
    duplex: bool = False  # printed on both sides: mirrored margins, parts open on the right
    booklet: bool = False  # a second PDF beside the book, imposed for saddle-stitching
    bleed: float = 0.0  # points the page grows by on every side, for a print shop
    crop_marks: bool = False  # marks outside the trim, where the print shop cuts
    notes: bool = False  # ruled lines for notes under each mayor's text
    grayscale: bool = False  # every colour (and picture) as its grey, to proof for B&W
    eml: tuple[str, ...] = ()  # addresses: an email draft beside the book, the book attached
    keep_going: bool = False  # mayor files with problems are left out, the rest is built
    meeting: Meeting | None = None  # the meeting the edition is for: its cover, its ask


@dataclass(frozen=True)
class Result:
    output: Path
    pages: int
    mayors: int
    size: int
    warnings: tuple[Problem, ...] = ()
    space: tuple[str, ...] = ()  # what takes the space, when the size deserves a warning
    booklet: Path | None = None  # the imposed booklet beside the book (--booklet)
    booklet_pages: int = 0  # its pages, padded to a multiple of four (two per sheet side)
    booklet_size: int = 0
    edition: str = ""  # the hash of what made it, printed on its last page
    draft: Path | None = None  # the email draft beside it (--eml)
    left_out: tuple[Problem, ...] = ()  # the problems of the mayor files left out (--keep-going)


@dataclass(frozen=True)
class Loaded:
    """A data folder validated once for several editions in the same layout (`--each`):
    the book, its warnings, and the mayor files left out (--keep-going)."""

    book: Book
    warnings: tuple[Problem, ...]
    left_out: tuple[Problem, ...]


def loaded(options: Options) -> Loaded:
    """The data of `options` validated as build(options) validates it."""
    layout = load_layout(options.layout, options.paper, printing_of(options).duplex)
    left_out: list[Problem] = []
    cache = Cache.from_environ(os.environ)
    book, _, warnings = load_and_select(options, layout, cache, left_out)
    return Loaded(book, tuple(warnings), tuple(left_out))


def build(options: Options, checked: Loaded | None = None) -> Result:
    """load -> validate -> select -> render text -> compose -> write. With `checked`, the
    folder validated already (by loaded(options)): only the selection is made."""
    from briefbook.booklet import padded
    from briefbook.compose import compose_book
    from briefbook.compose.kit import make_kit
    from briefbook.contrast import contrast_problems
    from briefbook.output import atomic_pdf
    from briefbook.pictures import PPI
    from briefbook.render import render_book
    from briefbook.stamp import edition_id
    from briefbook.write import write_pdf

    date = cover_date(options.date, os.environ)
    printing = printing_of(options)
    recipients = _recipients(options.eml)  # a mistake in one is found before the work
    if options.output is not None:
        checked_output(options.output)  # before the work, not only after it
        if options.booklet:
            checked_output(booklet_path(options.output), "booklet")
    layout = load_layout(options.layout, options.paper, printing.duplex)
    if options.grayscale:
        layout = layout.greyed()
    cache = Cache.from_environ(os.environ)
    left_out: list[Problem] = []
    if checked is None:
        book, selection, warnings = load_and_select(options, layout, cache, left_out)
    else:
        book, warnings, left_out = checked.book, list(checked.warnings), list(checked.left_out)
        selection = select_mayors(book, options.themes, options.states, options.mayors)
    edition = edition_id(options.data, book, selection, layout, look_words(options, date))
    rendered = render_book(
        book, selection, layout, date, printing.duplex, printing.notes, edition, options.meeting
    )
    warnings = [*contrast_problems(layout), *notes_problems(layout, printing), *warnings]
    warnings += rendered.notes
    if warnings and options.strict:
        raise DataError(warnings)
    jpeg_quality = layout.settings("pictures")["jpeg_quality"]
    pictures = Placer(PPI[options.quality], jpeg_quality, cache, grey=options.grayscale)
    kit = make_kit(layout, rendered, pictures, printing)
    composed = compose_book(rendered, kit)
    # Each mayor's words are needed until the layout reaches them, and not after: let the
    # story hold them alone, so that a large book lets go of them page by page.
    del rendered
    pictures.make_wanted()  # side by side, before the pages that draw them
    output = checked_output(options.output or default_output(book, selection, options))
    booklet = checked_output(booklet_path(output), "booklet") if options.booklet else None
    space: list[str] = []

    def accept(pages: int, pdf: bytes, blanks: tuple[int, ...]) -> None:
        limit = layout.spec.get("page_limit")
        if limit is not None and pages > limit:
            over = layout.at(
                ("page_limit",),
                f"this edition runs to {pages} pages, more than the {limit} this layout is "
                "meant for; choose fewer mayors (--theme, --state, --mayor), or use another "
                "layout",
            )
            if options.strict:
                raise DataError([over])
            warnings.append(over)
        space.extend(size_check(options, output, pdf, pictures, warnings))

    meta = metadata(book, selection, options.meeting)
    made = {}
    with contextlib.ExitStack() as later:
        if booklet is not None:
            # Written beside the book, and renamed into place right after it: if the book
            # fails, so does the booklet, and nothing is written.
            handle = later.enter_context(atomic_pdf(booklet))

            def accept_both(pages: int, pdf: bytes, blanks: tuple[int, ...]) -> None:
                accept(pages, pdf, blanks)
                imposed = imposed_booklet(pdf, pages, blanks, composed.templates, kit, meta)
                handle.write(imposed)
                made["booklet"] = (padded(pages), len(imposed))

            pages = write_pdf(composed.story, composed.templates, kit, meta, output, accept_both)
        else:
            pages = write_pdf(composed.story, composed.templates, kit, meta, output, accept)
    size = output.stat().st_size
    result = Result(
        output,
        pages,
        len(selection.mayors),
        size,
        tuple(warnings),
        tuple(space),
        edition=edition,
        left_out=tuple(left_out),
    )
    if recipients:
        draft = write_edition_draft(output, recipients, result, book, selection, layout, date)
        result = replace(result, draft=draft)
    if booklet is not None:
        sides, booklet_size = made["booklet"]
        result = replace(result, booklet=booklet, booklet_pages=sides, booklet_size=booklet_size)
    return result


def _recipients(addresses: tuple[str, ...]) -> tuple[str, ...]:
    if not addresses:
        return ()
    from briefbook.draft import checked_addresses

    return checked_addresses(addresses, "eml")


# What a draft calls the book it carries, by layout.
_WHAT = {"read-ahead": "the read-ahead", "one-pager": "the leave-behinds"}


def write_edition_draft(
    output: Path,
    to: tuple[str, ...],
    result: Result,
    book: Book,
    selection: Selection,
    layout: Layout,
    date: dt.date,
) -> Path:
    """An email draft beside `output` (out/book.pdf -> out/book.eml) to `to`, the book
    attached: what mail programs open for editing, ready to send."""
    from briefbook.draft import Draft, edition_body, write_draft
    from briefbook.sizes import size_words

    focus = [book.theme(t).label for t in selection.themes]
    from briefbook.dates import day_words

    lines = [day_words(date)]
    if focus:
        lines.append("Focus: " + ", ".join(focus))
    if selection.states:
        lines.append("States: " + ", ".join(selection.states))
    mayors = [f"{m.name} ({m.city}, {m.state})" for m in selection.mayors]
    pages = f"{result.pages} page{'' if result.pages == 1 else 's'}"
    files = [f"{output.name} ({pages}, {size_words(result.size)})"]
    what = _WHAT.get(layout.name, "the briefing book")
    subject = f"{book.title}: {', '.join(focus)}" if focus else book.title
    body = edition_body(book.title, lines, mayors, files, what=what)
    target = output.with_suffix(".eml")
    write_draft(Draft(to=to, subject=subject, body=body, attachments=(output,)), target)
    return target


def look_words(options: Options, date: dt.date) -> str:
    """What shapes an edition's pages besides its files: the filters, the layout's name,
    the paper, the title, the day, the pictures' quality and the print options. Not where
    it goes nor how the build behaves (--output, --strict, --eml, --keep-going): those
    change no page. A meeting's words shape its pages; where its file is and whom its
    draft goes to do not."""
    shaping = (
        options.themes,
        options.states,
        options.mayors,
        Path(options.layout).name,
        options.paper,
        options.title,
        date.isoformat(),
        options.quality,
        options.duplex or options.booklet,
        options.bleed,
        options.crop_marks,
        options.notes,
        options.grayscale,
        options.meeting and replace(options.meeting, file="", email_to=(), email_cc=()),
    )
    return repr(shaping)


def printing_of(options: Options) -> Printing:
    """How the pages are to be printed. A booklet is printed on both sides, so its pages are
    those of the book printed on both sides; a print shop trims it whole, so a bleed or crop
    marks on each page would be cut into the fold."""
    from briefbook.errors import OptionError
    from briefbook.printing import Printing

    if options.booklet and (options.bleed or options.crop_marks):
        raise OptionError(
            "booklet",
            "--booklet cannot be combined with --bleed or --crop-marks: the booklet's sheets "
            "are printed and folded as they are; for a print shop, build the book with "
            "--bleed and --crop-marks and let the shop impose it",
        )
    return Printing(
        duplex=options.duplex or options.booklet,
        bleed=options.bleed,
        crop_marks=options.crop_marks,
        notes=options.notes,
    )


def notes_problems(layout: Layout, printing: Printing) -> list[Problem]:
    """--notes on a layout with no page to put them under: said, not silently ignored."""
    from briefbook.printing import NOTED

    if not printing.notes or any(s.kind in NOTED for s in layout.pages):
        return []
    return [
        layout.at(
            ("pages",),
            "--notes puts lines for notes under each mayor's page, and this layout has none; "
            "the book is made without them",
        )
    ]


def booklet_path(output: Path) -> Path:
    """The booklet beside the book: out/book.pdf -> out/book-booklet.pdf."""
    return output.with_name(f"{output.stem}-booklet{output.suffix}")


def imposed_booklet(
    book: bytes,
    pages: int,
    blanks: tuple[int, ...],
    templates: list[PageTemplate],
    kit: Kit,
    meta: Metadata,
) -> bytes:
    """The booklet of `book` (of `pages` pages), made up to a multiple of four with a page
    left empty: one of the book's own (`blanks`), which shares its fonts, or else one drawn
    on its own."""
    from briefbook.booklet import impose, padded
    from briefbook.write import blank_pdf

    if padded(pages) == pages:
        return impose(book)
    return impose(book, blanks[0] if blanks else blank_pdf(templates, kit, meta))


def size_check(
    options: Options, output: Path, pdf: bytes, pictures: Placer, warnings: list[Problem]
) -> list[str]:
    """Refuse a book over --max-size, saying what takes its space; for an email edition
    over what mail systems take, a warning (added to `warnings`) and the same report."""
    from briefbook.errors import TooLargeError
    from briefbook.sizes import EMAIL_LIMIT, size_words, space_report

    budget = options.max_size
    if budget is None and options.quality == "email":
        budget, warn = EMAIL_LIMIT, not options.strict
    else:
        warn = False
    if budget is None or len(pdf) <= budget:
        return []
    report = [
        "What takes the space:",
        *space_report(pdf, pictures.placed.values()).lines(),
        "To make it smaller: "
        + ("" if options.quality == "email" else "--quality email, ")
        + "fewer mayors (--theme, --state, --mayor), or, in the layout, smaller picture "
        "frames or a lower pictures.jpeg_quality",
    ]
    size = f"{size_words(len(pdf))} ({len(pdf):,} bytes)"
    if warn:
        warnings.append(
            Problem(
                str(output),
                None,
                "",
                f"the book is {size}, more than the {size_words(EMAIL_LIMIT)} many mail "
                "systems accept",
            )
        )
        return report
    asked = "--max-size" if options.max_size is not None else "the email limit (--strict)"
    raise TooLargeError(
        "\n".join(
            [
                f"{output}: the book would be {size}, more than {asked} of "
                f"{size_words(budget)} ({budget:,} bytes); nothing was written",
                *report,
            ]
        )
    )


def load_and_select(
    options: Options,
    layout: Layout | None,
    cache: Cache | None = None,
    left_out: list[Problem] | None = None,
) -> tuple[Book, Selection, list[Problem]]:
    """The validated book (with the --title override), the mayors the filters choose, and
    the warnings; with `options.strict`, warnings are errors. Pictures once found good are
    remembered in `cache` (by default the platform's, see briefbook.cache).

    Without a layout the fonts are not consulted, which `briefbook list` uses to stay fast.
    With `options.keep_going`, mayor files with problems are left out, their problems added
    to `left_out`.
    """
    raw, problems = load_folder(options.data)
    missing = layout.glyphs.missing if layout is not None else _nothing_missing
    cache = cache if cache is not None else Cache.from_environ(os.environ)
    # With --keep-going, where the problems of mayor files go instead of stopping the build.
    keep_going = (left_out if left_out is not None else []) if options.keep_going else None
    book, warnings = validate(raw, problems, missing, cache, keep_going)
    if warnings and options.strict:
        raise DataError(warnings)
    if options.title is not None:
        book = _retitled(book, options.title, layout)
    return book, select_mayors(book, options.themes, options.states, options.mayors), warnings


def _nothing_missing(text: str) -> list[str]:
    return []


def _retitled(book: Book, title: str, layout: Layout | None) -> Book:
    """The book under the --title given, checked as book.yaml's title would be."""
    from dataclasses import replace

    from briefbook.errors import OptionError
    from briefbook.validate import text_problems

    title = " ".join(title.split())
    missing = layout.glyphs.missing if layout is not None else _nothing_missing
    problems = text_problems(title, ("title",), "book", missing)
    if problems:
        raise OptionError("title", "; ".join(dict.fromkeys(problems)))  # each said once
    return replace(book, title=title)


def checked_output(output: Path, option: str = "output") -> Path:
    """`output`, unless writing there could destroy something that is not a book; the
    problem is the `option`'s (--output, or --booklet for the booklet beside the book)."""
    from briefbook.errors import OptionError

    if output.suffix.lower() != ".pdf":
        raise OptionError(option, f"'{output}' does not end in .pdf; expected a PDF file name")
    if output.exists() and not output.is_file() and not output.is_dir():
        # A FIFO, a socket or a device: renaming over it would replace it, and reading it
        # to see whether it is a PDF could wait forever.
        raise OptionError(
            option,
            f"'{output}' exists and is not a regular file; expected a new file, or a PDF to "
            "replace",
        )
    if output.is_file():
        with output.open("rb") as existing:
            if existing.read(5) != b"%PDF-":
                raise OptionError(
                    option,
                    f"'{output}' exists and is not a PDF; expected a new file, or a PDF to replace",
                )
    return output


def metadata(book: Book, selection: Selection, meeting: Meeting | None = None):
    from briefbook.conformance import Metadata
    from briefbook.dates import day_words

    chosen = [book.theme(t).label for t in selection.themes]
    parts = []
    if meeting is not None:
        parts.append(f"Prepared for {meeting.counterpart}, {day_words(meeting.date)}")
    if chosen:
        parts.append("Focus: " + ", ".join(chosen))
    if selection.states:
        parts.append("States: " + ", ".join(selection.states))
    if selection.mayor_ids:
        parts.append("Mayors: " + ", ".join(selection.mayor_ids))
    subject = "; ".join(parts) or f"All {len(selection.mayors)} mayors"
    used = {t for m in selection.mayors for t in m.themes}
    keywords = tuple(t.label for t in book.themes if t.id in used)
    return Metadata(
        book.title,
        book.organization,
        subject,
        keywords,
        f"briefbook {__version__}",
        book.language,
    )


def default_output(book: Book, selection: Selection, options: Options | None = None) -> Path:
    """out/<title>[-<theme>...][-<STATE>...][-<mayor>...][-<layout>][-<paper>][-<print>...].pdf:
    one file per edition, so that no two editions overwrite each other. The layout and the
    paper are named only where they differ from the default look: the default layout, and
    the paper the layout itself asks for; then the print options asked for (duplex, notes,
    bleed-<mm>mm, marks, grayscale)."""
    # Sorted: `--mayor walsh --mayor bowser` is the same edition as the other way round.
    chosen = (*sorted(selection.themes), *sorted(selection.states), *sorted(selection.mayor_ids))
    parts = [slug(book.title), *chosen]
    if options is not None:
        parts += look_of(options)
    name = "-".join(parts)
    if len(name) > 120:  # file systems refuse names past 255 bytes; keep well clear
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        name = f"{name[:110].rstrip('-')}-{digest}"
    return Path("out") / f"{name}.pdf"


def look_of(options: Options) -> list[str]:
    """The layout's name (a folder's own name when it is given as a path) unless it is the
    default, and the paper when it is not the one the layout would use anyway."""
    parts = []
    # abspath, not resolve: the name the user gave the folder, not a symlink's target's.
    layout = slug(Path(os.path.abspath(options.layout)).name)
    if layout != "default":
        parts.append(layout)
    if options.paper is not None:
        paper = options.paper.lower()
        if paper != load_layout(options.layout).paper:
            parts.append(paper)
    from briefbook.printing import MM

    asked = {
        "duplex": options.duplex or options.booklet,  # a booklet's book is printed duplex
        "notes": options.notes,
        f"bleed-{options.bleed / MM:.3g}mm": bool(options.bleed),  # a bleed each its own name
        "marks": options.crop_marks,
        "grayscale": options.grayscale,
    }
    return parts + [name for name, on in asked.items() if on]


# The last second Python's dates can hold: 9999-12-31 23:59:59 UTC.
_LAST_SECOND = 253_402_300_799


def cover_date(asked: dt.date | None, environ: Mapping[str, str]) -> dt.date:
    """The date on the cover: the one asked for; else, when SOURCE_DATE_EPOCH is set, its day
    in UTC, so that a build gives the same bytes on any day (ReportLab reads the variable
    for the PDF's own dates); else today.

    The variable is checked even when a date is asked for: ReportLab would otherwise fail on
    a bad value halfway through the build. Empty counts as unset, as ReportLab treats it.
    """
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return asked or dt.date.today()
    expected = "expected a whole number of seconds since 1970-01-01 UTC, such as 1764115200"
    shown = "".join(c if c.isprintable() else "?" for c in value[:40])
    shown += "…" if len(value) > 40 else ""
    if not (value.isascii() and value.isdigit()):
        raise VariableError("SOURCE_DATE_EPOCH", f"SOURCE_DATE_EPOCH is '{shown}'; {expected}")
    if int(value) > _LAST_SECOND:
        raise VariableError(
            "SOURCE_DATE_EPOCH",
            f"SOURCE_DATE_EPOCH is '{shown}', which is after the year 9999; {expected}",
        )
    return asked or dt.datetime.fromtimestamp(int(value), dt.UTC).date()


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "briefbook"
