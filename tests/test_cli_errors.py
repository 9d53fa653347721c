"""What the command line says when asked for something it cannot do, with which exit status
(2 for a usage mistake, 1 for a problem in the data or the layout), and that it then writes
nothing at all; --debug, --help and --version."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import briefbook
from briefbook.cli import cli
from briefbook.errors import OptionError
from conftest import (
    DATA,
    SMALL_DATA,
    DataSet,
    broken_small_data,
    build_args,
    build_book,
    run_cli,
    squash,
)


def _usage_error(command: str, message: str) -> list[str]:
    """The lines Click prints for a bad option value (exit status 2)."""
    return [
        f"Usage: briefbook {command} [OPTIONS]",
        f"Try 'briefbook {command} --help' for help.",
        "",
        f"Error: {message}",
    ]


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _build(out_dir: Path, *args: str, data: Path = DATA):
    return run_cli(build_args(*args, data=data, output=out_dir / "book.pdf"))


def _assert_nothing_written(out_dir: Path) -> None:
    assert sorted(p.name for p in out_dir.iterdir()) == []
    strays = [p for p in out_dir.parent.rglob("*") if p.suffix in (".pdf", ".part")]
    assert strays == []


def test_unknown_theme(out_dir: Path, seed: DataSet):
    result = _build(out_dir, "--theme", "rentry")
    assert result.exit_code == 2
    assert result.stdout == ""
    valid = ", ".join(seed.themes)
    assert result.stderr.splitlines() == _usage_error(
        "build",
        f"Invalid value for '--theme': unknown theme 'rentry'; expected one of: "
        f"{valid}; did you mean 'reentry'?",
    )
    assert "unknown theme 'rentry'" in result.stderr
    assert "did you mean 'reentry'?" in result.stderr
    assert all(theme_id in result.stderr for theme_id in seed.themes)
    _assert_nothing_written(out_dir)


def test_unknown_state(out_dir: Path, seed: DataSet):
    result = _build(out_dir, "--state", "ZZ")
    assert result.exit_code == 2
    assert result.stdout == ""
    present = ", ".join(sorted({m["state"] for m in seed.mayors.values()}))
    assert result.stderr.splitlines() == _usage_error(
        "build", f"Invalid value for '--state': unknown state 'ZZ'; expected one of: {present}"
    )
    _assert_nothing_written(out_dir)


def test_unknown_mayor(out_dir: Path, seed: DataSet):
    result = _build(out_dir, "--mayor", "bowsr")
    assert result.exit_code == 2
    assert result.stdout == ""
    ids = ", ".join(sorted(seed.mayors))
    assert result.stderr.splitlines() == _usage_error(
        "build",
        f"Invalid value for '--mayor': unknown mayor 'bowsr'; expected one of: {ids}; "
        "did you mean 'bowser'?",
    )
    _assert_nothing_written(out_dir)


def test_filter_that_matches_nobody(out_dir: Path, seed: DataSet):
    assert seed.with_theme("reentry") and seed.in_state("CA")
    assert not set(seed.with_theme("reentry")) & set(seed.in_state("CA"))
    result = _build(out_dir, "--theme", "reentry", "--state", "CA")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: no mayor matches --theme reentry --state CA; run 'briefbook list' to see who "
        "each filter picks"
    ]
    _assert_nothing_written(out_dir)


@pytest.mark.parametrize("value", ["26/11/2026", "tomorrow", "20261126", "2026-W48-4", "2026-1-5"])
def test_a_date_not_written_yyyy_mm_dd(out_dir: Path, value: str):
    result = _build(out_dir, "--date", value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == _usage_error(
        "build", f"Invalid value for '--date': expected a date such as 2026-11-26, found '{value}'"
    )
    _assert_nothing_written(out_dir)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2026-02-30", "February 2026 has 28 days"),
        ("2025-02-29", "February 2025 has 28 days"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("2026-01-00", "January 2026 has 31 days"),
        ("2026-13-01", "there is no month 13"),
        ("2026-00-10", "there is no month 0"),
        ("0000-01-01", "there is no year 0"),
    ],
)
def test_a_day_that_does_not_exist(out_dir: Path, value: str, why: str):
    result = _build(out_dir, "--date", value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == _usage_error(
        "build",
        f"Invalid value for '--date': '{value}' is not a day of the calendar ({why}); "
        "expected a date such as 2026-11-26",
    )
    _assert_nothing_written(out_dir)


def test_a_leap_day_that_exists(tmp_path: Path):
    book = build_book(tmp_path / "book.pdf", "--mayor", "bowser", "--date", "2028-02-29")
    assert "February 29, 2028" in squash(book.pages[0])


def test_bad_paper(out_dir: Path):
    result = _build(out_dir, "--paper", "b5")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == _usage_error(
        "build", "Invalid value for '--paper': 'b5' is not one of 'letter', 'a4', 'legal'."
    )
    _assert_nothing_written(out_dir)


def test_data_error_names_file_line_and_field(out_dir: Path, tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(SMALL_DATA, data)
    broken = data / "mayors" / "quennell.yaml"
    lines = broken.read_text("utf-8").splitlines()
    at = lines.index("  - stormwater") + 1
    lines[at - 1] = "  - stormwatter"
    broken.write_text("\n".join(lines) + "\n", "utf-8")
    result = _build(out_dir, data=data)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{broken}:{at}: themes[0]: unknown theme 'stormwatter'; expected one of: stormwater, "
        "clean-harbours, water-equity; did you mean 'stormwater'?",
        "1 problem found; nothing was written",
    ]
    _assert_nothing_written(out_dir)


def test_list_refuses_an_unknown_theme_the_same_way(seed: DataSet):
    result = run_cli(["list", "--data", str(DATA), "--theme", "rentry"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--theme': unknown theme 'rentry'; expected one of: "
        f"{', '.join(seed.themes)}; did you mean 'reentry'?"
    )


def _bad_layout(tmp_path: Path) -> Path:
    layout = tmp_path / "bad-layout"
    layout.mkdir()
    (layout / "layout.yaml").write_text("palette:\n  field: red\n", "utf-8")
    return layout


# (what goes wrong, command line after `briefbook`, exit status, the last line on stderr).
# {data}, {bad_data} and {bad_layout} are filled in per test. A line ending in * is Click's own
# wording, which changes between Click versions: only its start is compared.
MATRIX = [
    (
        "unknown --layout",
        ["build", "--layout", "nope"],
        2,
        "Error: Invalid value for '--layout': layout 'nope' not found; expected a layout "
        "name (classic, default, one-pager, pocket, read-ahead) or a folder holding layout.yaml",
    ),
    (
        "unknown --layout, validate",
        ["validate", "--data", "{data}", "--layout", "nope"],
        2,
        "Error: Invalid value for '--layout': layout 'nope' not found; expected a layout "
        "name (classic, default, one-pager, pocket, read-ahead) or a folder holding layout.yaml",
    ),
    (
        "unknown --theme",
        ["build", "--theme", "stormwatter"],
        2,
        "Error: Invalid value for '--theme': unknown theme 'stormwatter'; expected one of: "
        "stormwater, clean-harbours, water-equity; did you mean 'stormwater'?",
    ),
    (
        "unknown --mayor",
        ["build", "--mayor", "quenell"],
        2,
        "Error: Invalid value for '--mayor': unknown mayor 'quenell'; expected one of: "
        "marchetti, okafor-lind, quennell; did you mean 'quennell'?",
    ),
    (
        "unknown --state",
        ["build", "--state", "XX"],
        2,
        "Error: Invalid value for '--state': unknown state 'XX'; expected one of: ME, OR, SC",
    ),
    (
        "a state named, not coded: the message shows it as typed",
        ["build", "--state", "Maine"],
        2,
        "Error: Invalid value for '--state': unknown state 'Maine'; expected one of: ME, OR, SC",
    ),
    (
        "an empty --title, said once",
        ["build", "--title", ""],
        2,
        "Error: Invalid value for '--title': expected text, found an empty value",
    ),
    (
        "unknown --mayor, list",
        ["list", "--data", "{data}", "--mayor", "quenell"],
        2,
        "Error: Invalid value for '--mayor': unknown mayor 'quenell'; expected one of: "
        "marchetti, okafor-lind, quennell; did you mean 'quennell'?",
    ),
    (
        "impossible --date",
        ["build", "--date", "2026-02-30"],
        2,
        "Error: Invalid value for '--date': '2026-02-30' is not a day of the calendar "
        "(February 2026 has 28 days); expected a date such as 2026-11-26",
    ),
    (
        "bad --format",
        ["list", "--data", "{data}", "--format", "yaml"],
        2,
        "Error: Invalid value for '--format': 'yaml' is not one of 'table', 'ids', 'json'.",
    ),
    (
        "bad --paper",
        ["build", "--paper", "a5"],
        2,
        "Error: Invalid value for '--paper': 'a5' is not one of 'letter', 'a4', 'legal'.",
    ),
    ("unknown option", ["build", "--colour", "red"], 2, "Error: No such option*"),
    ("unknown command", ["bild"], 2, "Error: No such command 'bild'*"),
    ("data problem", ["build", "--data", "{bad_data}"], 1, "1 problem found; nothing was written"),
    ("data problem, validate", ["validate", "--data", "{bad_data}"], 1, "1 problem found"),
    (
        "layout problem",
        ["build", "--layout", "{bad_layout}"],
        1,
        "1 problem found; nothing was written",
    ),
    (
        "nobody matches",
        ["build", "--theme", "stormwater", "--state", "SC"],
        1,
        "Error: no mayor matches --theme stormwater --state SC; run 'briefbook list' to see "
        "who each filter picks",
    ),
    (
        "data folder missing",
        ["build", "--data", "{missing}"],
        1,
        "1 problem found; nothing was written",
    ),
]


@pytest.mark.parametrize(
    ("args", "status", "last_line"), [m[1:] for m in MATRIX], ids=[m[0] for m in MATRIX]
)
def test_exit_status_matrix(tmp_path: Path, args: list[str], status: int, last_line: str):
    out = tmp_path / "out"
    out.mkdir()
    values = {
        "data": str(SMALL_DATA),
        "bad_data": str(broken_small_data(tmp_path)),
        "bad_layout": str(_bad_layout(tmp_path)),
        "missing": str(tmp_path / "no-such-folder"),
    }
    args = [a.format(**values) for a in args]
    if args[0] == "build":
        if "--data" not in args:
            args += ["--data", str(SMALL_DATA)]
        args += ["--output", str(out / "book.pdf")]
    result = run_cli(args)
    assert result.exit_code == status, result.output
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    if last_line.endswith("*"):
        assert last.startswith(last_line[:-1])
    else:
        assert last == last_line
    assert "Traceback" not in result.stderr
    _assert_nothing_written(out)


def test_a_problem_in_the_layout_is_located(tmp_path: Path):
    layout = _bad_layout(tmp_path)
    result = run_cli(
        build_args("--layout", str(layout), data=SMALL_DATA, output=tmp_path / "b.pdf")
    )
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{layout / 'layout.yaml'}:2: palette.field: ")
    assert "'red'" in first


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_before_or_after_the_command_shows_the_error_itself(tmp_path: Path, where: str):
    args = ["build", "--data", str(SMALL_DATA), "--theme", "rentry", "-o", str(tmp_path / "b.pdf")]
    plain = run_cli(args)
    assert plain.exit_code == 2 and isinstance(plain.exception, SystemExit)
    debug = run_cli(["--debug", *args] if where == "before" else [*args[:1], "--debug", *args[1:]])
    # Not turned into a message: the exception itself leaves the command, traceback and all.
    assert isinstance(debug.exception, OptionError), debug.output
    assert str(debug.exception).startswith("unknown theme 'rentry'")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["list", "themes", "validate", "schema"])
def test_every_command_takes_debug(command: str):
    args = [command] if command == "schema" else [command, "--data", str(SMALL_DATA)]
    result = run_cli([*args, "--debug"])
    assert result.exit_code == 0, result.output


def test_debug_shows_a_traceback_from_the_real_program(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "briefbook", "build", "--debug", "--layout", "nope"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert result.stderr.splitlines()[-1] == (
        "briefbook.errors.OptionError: layout 'nope' not found; expected a layout name "
        "(classic, default, one-pager, pocket, read-ahead) or a folder holding layout.yaml"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [None, *sorted(cli.commands)])
def test_help_has_an_example(command: str | None):
    result = run_cli([command, "--help"] if command else ["--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    assert result.output.startswith(f"Usage: briefbook {command or ''}".rstrip())


def test_the_commands_the_brief_names_exist():
    assert {"build", "list", "themes"} <= set(cli.commands)


def test_version():
    result = run_cli(["--version"])
    assert result.exit_code == 0
    assert result.output == f"briefbook, version {briefbook.__version__}\n"


def test_a_layout_yaml_in_capitals_is_named_not_ignored(tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "LAYOUT.YAML").write_text("{}\n", "utf-8")
    result = run_cli(build_args("--layout", str(folder), output=tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--layout': {folder}/LAYOUT.YAML: a layout folder's file is "
        "named layout.yaml, in small letters; rename it"
    )
    assert not (tmp_path / "x.pdf").exists()
