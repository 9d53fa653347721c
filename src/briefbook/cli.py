"""Turn command lines into calls of the pipeline, and its errors into messages and exit codes.

This is the only module that knows about Click. A usage mistake (a bad option value, an
unknown id, a bad SOURCE_DATE_EPOCH) exits with status 2 and Click's usage lines; a problem
with the data, the layout or the output exits with status 1 and one message, or one line per
located problem. Stop signals are handled by briefbook.launch, which starts this module.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from pathlib import Path

import click

from briefbook import __version__, stops
from briefbook.errors import (
    BriefbookError,
    OptionError,
    ProblemsError,
    VariableError,
    sorted_problems,
)
from briefbook.listing import FORMATS

# The exit status of a build that left out mayor files with problems (--keep-going).
KEPT_GOING = 3

# Where --debug, given before or after the command's name, is remembered: Context.meta is
# one dict shared by the group's context and the command's.
DEBUG = "briefbook.debug"


def _ids_from(ctx: click.Context, kind: str) -> list[str]:
    """Theme or mayor ids of the data folder on the command line, for shell completion."""
    from briefbook.load import load_file, mayor_files

    data = Path(ctx.params.get("data") or "data")
    if kind == "mayor":  # the files a build reads: .yaml and .yml, in any case
        return sorted({p.stem for p in mayor_files(data, [], [])})

    # The loader's limits hold here too: a Tab press must not hang on an alias bomb.
    doc = load_file(data / "themes.yaml", []) if (data / "themes.yaml").is_file() else None
    return list(doc.value) if doc is not None and isinstance(doc.value, dict) else []


def _complete(kind: str):
    def complete(ctx, param, incomplete):
        return [i for i in _ids_from(ctx, kind) if i.startswith(incomplete)]

    return complete


def data_option(f):
    return click.option(
        "--data",
        "data",
        type=click.Path(path_type=Path),
        default=Path("data"),
        show_default=True,
        is_eager=True,
        help="Data folder: book.yaml, themes.yaml, mayors/.",
    )(f)


def quality_option(f):
    return click.option(
        "--quality",
        type=click.Choice(["email", "print"], case_sensitive=False),
        default="email",
        show_default=True,
        help="Pictures at 150 (email) or 300 (print) pixels per inch where they are placed.",
    )(f)


def paper_option(help_text: str):
    return click.option(
        "--paper",
        type=click.Choice(["letter", "a4", "legal"], case_sensitive=False),
        default=None,
        help=help_text,
    )


def filter_options(f):
    """--theme, --state and --mayor: any of one kind, all kinds together."""
    f = click.option(
        "--mayor",
        "mayors",
        multiple=True,
        metavar="ID",
        shell_complete=_complete("mayor"),
        help="Only this mayor (file name without .yaml); repeat for several.",
    )(f)
    f = click.option(
        "--state",
        "states",
        multiple=True,
        metavar="XX",
        help="Only mayors in this state (two-letter code); repeat for several.",
    )(f)
    f = click.option(
        "--theme",
        "themes",
        multiple=True,
        metavar="ID",
        shell_complete=_complete("theme"),
        help="Only mayors tagged with this theme; repeat for any of several.",
    )(f)
    return data_option(f)


def _remember_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[DEBUG] = True


def debug_option(f):
    """--debug, accepted both as `briefbook --debug build` and as `briefbook build --debug`."""
    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_remember_debug,
        help="Show the Python traceback of an error.",
    )(f)


def format_option(f):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table for people; ids (one per line) or json for scripts. The count goes to stderr.",
    )(f)


def strict_option(what: str):
    return click.option("--strict", is_flag=True, help=f"Treat warnings as errors: {what}.")


def _warn(warnings) -> None:
    """Warnings go to stderr, one per line, and never stop a build (unless --strict)."""
    for warning in warnings:
        click.echo(warning.as_warning(), err=True)


def reports_errors(f):
    """Turn BriefbookError into Click's exceptions: the one place errors become exit codes."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().meta.get(DEBUG, False)
        try:
            try:
                return f(*args, **kwargs)
            except BaseException:
                # After a stop signal, whatever ends the command is the signal's doing:
                # ReportLab swallows the exception it raised, or turns it into another
                # (a KeyError about a reference never resolved). briefbook.launch words it.
                stops.check()
                raise
        except OptionError as err:
            if debug:
                raise
            raise click.BadParameter(str(err), param_hint=f"'--{err.option}'") from None
        except VariableError as err:
            if debug:
                raise
            raise click.UsageError(str(err)) from None
        except ProblemsError as err:
            if debug:
                raise
            for problem in err.problems:
                click.echo(str(problem), err=True)
            n = len(err.problems)
            found = f"{_count(n, 'problem')} found"
            if click.get_current_context().info_name in ("build", "meeting"):
                found += "; nothing was written"
            click.echo(found, err=True)
            raise SystemExit(1) from None
        except BriefbookError as err:
            if debug:
                raise
            raise click.ClickException(str(err)) from None
        except (click.ClickException, click.exceptions.Exit, KeyboardInterrupt):
            raise
        except Exception as err:
            # A bug of ours, not the user's: still one message, and the way to see more.
            if debug:
                raise
            raise click.ClickException(
                f"internal error ({type(err).__name__}: {err}); run again with "
                "'briefbook --debug ...' to see where, and report it"
            ) from None

    return wrapper


class _Parsed(click.ParamType):
    """A value written in words, turned into a number by `parse` (module:function, imported
    when a value comes), whose ValueError says what was expected."""

    def __init__(self, name: str, parse: str):
        self.name, self.parse = name, parse

    def convert(self, value, param, ctx):
        import importlib

        if not isinstance(value, str):
            return value
        module, function = self.parse.split(":")
        try:
            return getattr(importlib.import_module(module), function)(value)
        except ValueError as err:
            self.fail(str(err), param, ctx)


# A day: 2026-11-26 (and only that form).
_DATE = _Parsed("YYYY-MM-DD", "briefbook.dates:parse_day")
# A size in bytes: 5MB, 800KB, 2000000B (decimal units, as mail systems count).
_SIZE = _Parsed("SIZE", "briefbook.sizes:parse_size")
# A length on paper: 3mm, 0.125in, 9pt.
_LENGTH = _Parsed("LENGTH", "briefbook.printing:parse_length")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="briefbook")
@debug_option
def cli() -> None:
    """Turn a folder of YAML into a print-ready briefing book (PDF).

    Usage mistakes exit with status 2, problems in the data or the layout with 1, and a
    build stopped by Ctrl-C, SIGTERM or SIGHUP with 128 + the signal's number, writing
    nothing.

    \b
    Example:
      briefbook build --theme reentry
      briefbook meeting data/meetings/smith.yaml
      briefbook list --state CA
      briefbook themes --format ids
    """


@cli.command()
@filter_options
@click.option(
    "--layout",
    default="default",
    show_default=True,
    metavar="NAME",
    help="Built-in layout name, or a folder holding layout.yaml.",
)
@paper_option("Paper size.  [default: the layout's own; letter for the default layout]")
@click.option("--title", default=None, help="Book title instead of the one in book.yaml.")
@click.option(
    "--date",
    type=_DATE,
    default=None,
    help="Date printed on the cover.  [default: today, or the day of SOURCE_DATE_EPOCH]",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the PDF; a name ending in .pdf.  [default: one name per edition, "
    "see above]",
)
@quality_option
@click.option(
    "--max-size",
    "max_size",
    type=_SIZE,
    default=None,
    help="Fail, and write nothing, if the PDF would be larger, showing what takes the space; "
    "units B, KB, MB (1 MB = 1,000,000 bytes).  [default: none; an email edition over 10 MB "
    "is written with a warning]",
)
@click.option(
    "--duplex",
    is_flag=True,
    help="For printing on both sides: mirrored margins, page numbers in the outer corners, "
    "the statement and each mayor opening on a right-hand page.",
)
@click.option(
    "--booklet",
    is_flag=True,
    help="Also write <name>-booklet.pdf, the book (as --duplex) imposed two pages to a side "
    "of sheets twice as wide; print it on both sides, flipping on the short edge, and fold.",
)
@click.option(
    "--bleed",
    type=_LENGTH,
    default=None,
    help="For a print shop: the page grows by this on every side, backgrounds running on "
    "into it; TrimBox and BleedBox are set (mm, cm, in or pt; 3mm is usual).",
)
@click.option(
    "--crop-marks",
    "crop_marks",
    is_flag=True,
    help="Marks at the corners of the trim, outside the page and its bleed.",
)
@click.option(
    "--notes",
    is_flag=True,
    help="Ruled lines for notes under each mayor's text (a page of them when little room is "
    "left); on a leave-behind only when its text leaves the room.",
)
@click.option(
    "--grayscale",
    is_flag=True,
    help="Every colour and picture as its grey, to see what a black-and-white printer makes "
    "of the book.",
)
@click.option(
    "--eml",
    "eml",
    multiple=True,
    metavar="ADDRESS",
    help="Also write <name>.eml beside the book: an email draft to ADDRESS (repeat for "
    "several) with the book attached, for a mail program to open, check and send.",
)
@click.option(
    "--open",
    "open_it",
    is_flag=True,
    help="Open the finished PDF in the system's viewer (with --each, the folder they are in).",
)
@click.option(
    "--keep-going",
    "keep_going",
    is_flag=True,
    help="Leave out the mayor files that have problems (each reported), build the rest, and "
    f"exit with status {KEPT_GOING}.",
)
@click.option(
    "--each",
    type=click.Choice(["theme", "state", "mayor"]),
    default=None,
    help="One edition per theme, state or mayor the other filters allow, each under its own "
    "name, then a table of what was written.",
)
@strict_option("fail, and write nothing")
@debug_option
@reports_errors
def build(
    data,
    themes,
    states,
    mayors,
    layout,
    paper,
    title,
    date,
    output,
    quality,
    max_size,
    duplex,
    booklet,
    bleed,
    crop_marks,
    notes,
    grayscale,
    eml,
    open_it,
    keep_going,
    each,
    strict,
) -> None:
    """Build the briefing book as a PDF.

    Repeat --theme, --state or --mayor to include any of several; different kinds of filter
    combine (--theme reentry --state MA: the reentry mayors in Massachusetts).

    Without --output the book goes to

    \b
      out/<title>[-<theme>...][-<STATE>...][-<mayor>...][-<layout>][-<paper>][-<print>...].pdf

    so that no two editions overwrite each other; the layout and the paper are named only
    when they differ from the default layout and from the layout's own paper, then the print
    options asked for (duplex, notes, bleed-<millimetres>mm, marks, grayscale).

    With SOURCE_DATE_EPOCH set (seconds since 1970-01-01 UTC) and no --date, the cover shows
    that day, and the same data and options give a byte-identical PDF on any day.

    Pictures are cropped to their frames and made at the --quality asked for; what was made
    is kept in the cache folder (on Linux $XDG_CACHE_HOME/briefbook, else
    ~/.cache/briefbook), so the next build does not make it again.

    \b
    Example:
      briefbook build --theme reentry
      briefbook build --theme reentry --state MA
      briefbook build --state PA --paper a4 --output pa.pdf
      briefbook build --quality print --max-size 8MB
      briefbook build --theme reentry --booklet --notes
      briefbook build --quality print --bleed 3mm --crop-marks
      briefbook build --each mayor --layout one-pager --state PA
      briefbook build --layout read-ahead --theme reentry --eml scheduler@example.gov
    """
    from briefbook.build import Options
    from briefbook.build import build as run

    options = Options(
        data=data,
        layout=layout,
        paper=paper,
        themes=themes,
        states=states,
        mayors=mayors,
        title=title,
        date=date,
        output=output,
        strict=strict,
        quality=quality.lower(),
        max_size=max_size,
        duplex=duplex,
        booklet=booklet,
        bleed=bleed or 0.0,
        crop_marks=crop_marks,
        notes=notes,
        grayscale=grayscale,
        eml=eml,
        keep_going=keep_going,
    )
    if each is not None:
        results = _build_each(options, each)
        if open_it and results:
            _opened(results[0].output.parent)
        return
    result = run(options)
    _left_out(result.left_out)
    _warn(result.warnings)
    for line in result.space:
        click.echo(line, err=True)
    click.echo(
        f"{result.output}: {_count(result.pages, 'page')}, {_count(result.mayors, 'mayor')}, "
        f"{_size(result.size)}, edition {result.edition}"
    )
    if result.draft is not None:
        click.echo(f"{result.draft}: a draft to {', '.join(eml)}, {result.output.name} attached")
    if result.booklet is not None:
        sheets = result.booklet_pages // 4
        click.echo(
            f"{result.booklet}: {_count(sheets, 'sheet')} printed on both sides "
            f"({result.booklet_pages} pages), {_size(result.booklet_size)}"
        )
    if open_it:
        _opened(result.output)
    if result.left_out:
        click.get_current_context().exit(KEPT_GOING)


def _left_out(problems) -> None:
    """--keep-going: each problem as a failed build would print it, then what was left out."""
    if not problems:
        return
    problems = sorted_problems(problems)
    for problem in problems:
        click.echo(str(problem), err=True)
    files = list(dict.fromkeys(p.file for p in problems))
    click.echo(
        f"left out {_count(len(files), 'mayor file')} with problems ({', '.join(files)}); "
        "the book holds the others",
        err=True,
    )


def _opened(path: Path) -> None:
    """Hand `path` to the system's viewer (xdg-open, open, start). The book is written
    already: a viewer that cannot be started is a warning, not a failure."""
    if click.launch(str(path)) != 0:
        click.echo(
            f"{path}: warning: no program here opens it; it is written all the same", err=True
        )


class _NoBar(contextlib.nullcontext):
    def update(self, steps: int) -> None:
        pass


def _build_each(options, each: str) -> list:
    """Every edition of `--each`, a progress bar on a terminal, then the closing table."""
    from briefbook.batch import checked_each, editions, run, table
    from briefbook.build import loaded
    from briefbook.workers import cores

    checked_each(options, each)
    data = loaded(options)  # validated once, for every edition
    batch = editions(options, each, data)
    results = []
    said: dict[str, None] = {}  # each warning once, in the order first met
    stderr = sys.stderr
    label = f"Building {_count(len(batch), 'edition')}"
    # A bar on a terminal; in a pipe or a log, nothing (Click would still print the label).
    bar = (
        click.progressbar(length=len(batch), label=label, file=stderr)
        if stderr.isatty()
        else _NoBar()
    )
    with bar:
        for result in run(batch, data, cores()):
            results.append(result)
            bar.update(1)
            for warning in result.warnings:
                line = warning.as_warning()
                said.setdefault(line)  # the same warning for every edition: once
    for line in said:
        click.echo(line, err=True)
    click.echo(table(results, _size), nl=False)
    click.echo(f"{_count(len(results), 'edition')} built", err=True)
    left_out = list(dict.fromkeys(p for r in results for p in r.left_out))
    _left_out(left_out)
    if left_out:
        click.get_current_context().exit(KEPT_GOING)
    return results


@cli.command()
@click.argument("meeting_file", metavar="MEETING")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    help="Data folder.  [default: the folder that holds the file's meetings/, else data]",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The folder to write the papers in.  [default: out/<date>-<id>]",
)
@quality_option
@paper_option("Paper size of every paper.  [default: each layout's own; letter]")
@click.option(
    "--duplex",
    is_flag=True,
    help="The book and the leave-behinds for printing on both sides (see build --duplex).",
)
@click.option("--open", "open_it", is_flag=True, help="Open the folder in the system's viewer.")
@strict_option("fail, and write nothing")
@debug_option
@reports_errors
def meeting(meeting_file, data, output, quality, paper, duplex, open_it, strict) -> None:
    """Write the papers for a meeting, all in one folder.

    MEETING is a meeting file (data/meetings/<id>.yaml: who the meeting is with, when, which
    mayors, the ask; `briefbook schema meeting` lists its keys), or its id. Into
    out/<date>-<id>/ go read-ahead.pdf (to send before), book.pdf (for the table, with an
    "Our ask" page) and leave-behinds.pdf (one page per mayor, for after), each saying whom
    it was prepared for and when; and, when the file has an email, email.eml: a draft to
    the scheduler with the read-ahead attached, for a mail program to open, check and send.
    All of them are written, or, on any problem, none. A table of the files ends the run.

    \b
    Example:
      briefbook meeting data/meetings/smith.yaml
      briefbook meeting smith --output out/smith --quality print
    """
    from briefbook.packet import DRAFT, Request, prepare

    packet = prepare(
        Request(
            meeting=meeting_file,
            data=data,
            output=output,
            quality=quality.lower(),
            paper=paper,
            duplex=duplex,
            strict=strict,
        )
    )
    from briefbook.batch import table

    _warn(packet.warnings)
    others = ((str(packet.draft), packet.draft_size),) if packet.draft is not None else ()
    click.echo(table(list(packet.papers), _size, others), nl=False)
    m = packet.meeting
    said = f"{packet.folder}: the papers for the meeting with {m.counterpart}, {m.date.isoformat()}"
    if packet.draft is not None:
        copies = f" (cc {', '.join(m.email_cc)})" if m.email_cc else ""
        said += f"; {DRAFT} to {', '.join(m.email_to)}{copies}, read-ahead attached"
    click.echo(said, err=True)
    if open_it:
        _opened(packet.folder)


@cli.command("list")
@filter_options
@format_option
@debug_option
@reports_errors
def list_(data, themes, states, mayors, fmt) -> None:
    """List the mayors a build with these filters would include.

    They come in the book's order. The table shows id, name, place and themes; --format json
    adds title, city, state, sort_as and file. The count ("5 mayors") goes to stderr.

    \b
    Example:
      briefbook list --theme reentry --state MA
      briefbook list --theme reentry --format ids
      briefbook list --state CA --format json
    """
    from briefbook.build import Options, load_and_select
    from briefbook.listing import MAYOR_COLUMNS, formatted, mayor_records

    _, selection, _ = load_and_select(
        Options(data=data, themes=themes, states=states, mayors=mayors), None
    )
    click.echo(formatted(mayor_records(selection), MAYOR_COLUMNS, fmt), nl=False)
    click.echo(_count(len(selection.mayors), "mayor"), err=True)


@cli.command()
@data_option
@format_option
@debug_option
@reports_errors
def themes(data, fmt) -> None:
    """List the themes: id, label and how many mayors carry each.

    They come in themes.yaml's order. --format json adds each theme's description. The count
    ("11 themes") goes to stderr.

    \b
    Example:
      briefbook themes --data data
      briefbook themes --format json
    """
    from briefbook.build import Options, load_and_select
    from briefbook.listing import THEME_COLUMNS, formatted, theme_records

    book, _, _ = load_and_select(Options(data=data), None)
    click.echo(formatted(theme_records(book), THEME_COLUMNS, fmt), nl=False)
    click.echo(_count(len(book.themes), "theme"), err=True)


@cli.command()
@data_option
@click.option(
    "--layout",
    default="default",
    show_default=True,
    metavar="NAME",
    help="Layout whose fonts must draw every character.",
)
@strict_option("exit 1 if there are any")
@debug_option
@reports_errors
def validate(data, layout, strict) -> None:
    """Check a data folder and report every problem.

    The data contract is checked (the meeting files in meetings/ too), and the layout's
    fonts must draw every character. Each problem is one line: file:line: field: what is
    wrong, what was expected.
    Exits 1 if there is any, 0 otherwise.

    \b
    Example:
      briefbook validate --data data
    """
    from briefbook.build import Options, load_and_select
    from briefbook.errors import DataError
    from briefbook.layoutfolder import load_layout
    from briefbook.meeting import meeting_files, meetings_problems

    chosen = load_layout(layout)
    book, _, warnings = load_and_select(Options(data=data, strict=strict), chosen)
    meetings = meeting_files(data)
    problems = meetings_problems(meetings, book, chosen.glyphs.missing)
    if problems:
        raise DataError(problems)
    _warn(warnings)
    found = f"; {_count(len(warnings), 'warning')}" if warnings else ""
    counts = [_count(len(book.mayors), "mayor"), _count(len(book.themes), "theme")]
    if meetings:
        counts.append(_count(len(meetings), "meeting"))
    click.echo(f"{data}: {', '.join(counts)}; no problems found{found}")


@cli.command()
@click.argument(
    "kind", required=False, type=click.Choice(["book", "themes", "mayor", "meeting", "layout"])
)
@debug_option
@reports_errors
def schema(kind) -> None:
    """Print the JSON Schema of a data file or of layout.yaml.

    KIND is book (book.yaml), themes (themes.yaml), mayor (mayors/<id>.yaml), meeting
    (meetings/<id>.yaml) or layout (a layout's layout.yaml); without it, all five. Editors
    that read
    `# yaml-language-server: $schema=` use them.

    \b
    Example:
      briefbook schema mayor > mayor.schema.json
    """
    import json

    from briefbook.validate import SCHEMAS
    from briefbook.validate import schema as load

    value = load(kind) if kind else {name: load(name) for name in SCHEMAS}
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


@cli.command()
@click.argument("pdf", metavar="FILE.pdf", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--standard",
    "standards",
    type=click.Choice(["pdfua", "pdfa"]),
    multiple=True,
    help="Check only PDF/UA-1 (pdfua) or PDF/A-2b (pdfa).  [default: both]",
)
@debug_option
@reports_errors
def check(pdf, standards) -> None:
    """Check a PDF against the machine-checkable rules of PDF/UA-1 and PDF/A-2b.

    Each broken rule is one line: the file, the standard, the rule's id, what is wrong and
    where (page, object). Then one line per standard: how many of its rules the file breaks.
    Exits 1 if it breaks any, 0 otherwise. The checker is page-validation, an independent
    one: install it with pip install 'briefbook[check]'.

    \b
    Example:
      briefbook check --standard pdfa out/smart-on-crime.pdf
    """
    from briefbook.checking import check_pdf

    names = {"pdfua": "ua1", "pdfa": "2b"}
    results = check_pdf(pdf, tuple(names[s] for s in standards) or tuple(names.values()))
    for result in results:
        for b in result.broken:
            where = f" (object {b.obj})" if b.obj else ""
            click.echo(f"{pdf}: {b.profile}: {b.rule}: {b.message}{where}")
    for result in results:
        rules = {r.rule for r in result.broken}
        said = (
            f"breaks {len(rules)} of its {result.rules} rules"
            if rules
            else (f"breaks none of its {result.rules} rules")
        )
        click.echo(f"{pdf}: {result.profile}: {said}", err=True)
    if any(r.broken for r in results):
        raise SystemExit(1)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else noun + 's'}"


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(n // 1000, 1)} KB"


def main() -> None:
    """Run the command line; started by briefbook.launch.main, which handles stop signals."""
    import gc

    # A build allocates millions of small objects that live until the PDF is written;
    # collecting every 700 allocations (Python's default) costs a tenth of a large build.
    gc.set_threshold(20_000, 20, 50)
    cli(prog_name="briefbook")
