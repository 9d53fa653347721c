"""Turn command lines into calls of the pipeline, and its errors into messages and exit codes.

This is the only module that knows about Click; a BriefbookError becomes one message and
exit status 1, an unknown filter value exit status 2 (Click's usage error).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import click

from briefbook import __version__
from briefbook.errors import BriefbookError, OptionError, ProblemsError


def _ids_from(ctx: click.Context, kind: str) -> list[str]:
    """Theme or mayor ids of the data folder on the command line, for shell completion."""
    data = Path(ctx.params.get("data") or "data")
    if kind == "mayor":
        return sorted(p.stem for p in (data / "mayors").glob("*.yaml"))
    from briefbook.load import load_file

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


def strict_option(f):
    return click.option(
        "--strict", is_flag=True, help="Treat warnings as errors: fail, and write nothing."
    )(f)


def _warn(warnings) -> None:
    """Warnings go to stderr, one per line, and never stop a build (unless --strict)."""
    for warning in warnings:
        click.echo(warning.as_warning(), err=True)


def reports_errors(f):
    """Turn BriefbookError into Click's exceptions: the one place errors become exit codes."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return f(*args, **kwargs)
        except OptionError as err:
            if debug:
                raise
            raise click.BadParameter(str(err), param_hint=f"'--{err.option}'") from None
        except ProblemsError as err:
            if debug:
                raise
            for problem in err.problems:
                click.echo(str(problem), err=True)
            n = len(err.problems)
            found = f"{n} {'problem' if n == 1 else 'problems'} found"
            if click.get_current_context().info_name == "build":
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


class _Date(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"expected a date such as 2026-11-26, found '{value}'", param, ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="briefbook")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an error.")
def cli(debug: bool) -> None:
    """Turn a folder of YAML into a print-ready briefing book (PDF).

    \b
    Example:
      briefbook build --theme reentry
      briefbook list --state CA
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
@click.option(
    "--paper",
    type=click.Choice(["letter", "a4"], case_sensitive=False),
    default=None,
    help="Paper size.  [default: the layout's, letter]",
)
@click.option("--title", default=None, help="Book title instead of the one in book.yaml.")
@click.option(
    "--date", type=_Date(), default=None, help="Date printed on the cover.  [default: today]"
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the PDF.  [default: out/<title>[-<theme>...].pdf]",
)
@strict_option
@reports_errors
def build(data, themes, states, mayors, layout, paper, title, date, output, strict) -> None:
    """Build the briefing book as a PDF.

    Repeat --theme, --state or --mayor to include any of several; different kinds of filter
    combine (--theme reentry --state CA: reentry mayors in California).

    \b
    Example:
      briefbook build --theme reentry
      briefbook build --state PA --paper a4 --output pa.pdf
    """
    from briefbook.build import Options
    from briefbook.build import build as run

    result = run(
        Options(
            data=data,
            layout=layout,
            paper=paper,
            themes=themes,
            states=states,
            mayors=mayors,
            title=title,
            date=date or dt.date.today(),
            output=output,
            strict=strict,
        )
    )
    _warn(result.warnings)
    click.echo(
        f"{result.output}: {result.pages} pages, {result.mayors} "
        f"{'mayor' if result.mayors == 1 else 'mayors'}, {_size(result.size)}"
    )


@cli.command("list")
@filter_options
@reports_errors
def list_(data, themes, states, mayors) -> None:
    """List the mayors a build with these filters would include.

    \b
    Example:
      briefbook list --theme reentry --state MA
    """
    from briefbook.build import Options, load_and_select

    _, selection, _ = load_and_select(
        Options(data=data, themes=themes, states=states, mayors=mayors), None
    )
    rows = [(m.id, m.name, f"{m.city}, {m.state}", ", ".join(m.themes)) for m in selection.mayors]
    _table(("id", "name", "place", "themes"), rows)
    click.echo(f"{len(rows)} {'mayor' if len(rows) == 1 else 'mayors'}")


@cli.command()
@data_option
@reports_errors
def themes(data) -> None:
    """List the themes: id, label and how many mayors carry each.

    \b
    Example:
      briefbook themes --data data
    """
    from briefbook.build import Options, load_and_select

    book, _, _ = load_and_select(Options(data=data), None)
    counts = {t.id: sum(t.id in m.themes for m in book.mayors) for t in book.themes}
    _table(("id", "label", "mayors"), [(t.id, t.label, str(counts[t.id])) for t in book.themes])


@cli.command()
@data_option
@click.option(
    "--layout",
    default="default",
    show_default=True,
    metavar="NAME",
    help="Layout whose fonts must draw every character.",
)
@strict_option
@reports_errors
def validate(data, layout, strict) -> None:
    """Check a data folder against the data contract and report every problem.

    Each problem is one line: file:line: field: what is wrong, what was expected.
    Exits 1 if there is any, 0 otherwise.

    \b
    Example:
      briefbook validate --data data
    """
    from briefbook.build import Options, load_and_select
    from briefbook.layoutfolder import load_layout

    book, _, warnings = load_and_select(Options(data=data, strict=strict), load_layout(layout))
    _warn(warnings)
    found = (
        f"; {len(warnings)} {'warning' if len(warnings) == 1 else 'warnings'}" if warnings else ""
    )
    click.echo(
        f"{data}: {len(book.mayors)} mayors, {len(book.themes)} themes; no problems found{found}"
    )


@cli.command()
@click.argument("kind", required=False, type=click.Choice(["book", "themes", "mayor", "layout"]))
def schema(kind) -> None:
    """Print the JSON Schema of book.yaml, themes.yaml, mayors/<id>.yaml or a layout's
    layout.yaml (all four without KIND). Editors that read
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


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(n // 1000, 1)} KB"


def main() -> None:
    import gc

    # A build allocates millions of small objects that live until the PDF is written;
    # collecting every 700 allocations (Python's default) costs a tenth of a large build.
    gc.set_threshold(20_000, 20, 50)
    cli(prog_name="briefbook")
