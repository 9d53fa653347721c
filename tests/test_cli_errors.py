"""What the command line says when asked for something it cannot do, and that it then writes
nothing at all; --help and --version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import briefbook
from briefbook.cli import cli
from conftest import DATA, SMALL_DATA, DataSet, build_args, run_cli


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


@pytest.mark.parametrize("value", ["2026-13-01", "26/11/2026", "tomorrow"])
def test_bad_date(out_dir: Path, value: str):
    result = _build(out_dir, "--date", value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == _usage_error(
        "build", f"Invalid value for '--date': expected a date such as 2026-11-26, found '{value}'"
    )
    _assert_nothing_written(out_dir)


def test_bad_paper(out_dir: Path):
    result = _build(out_dir, "--paper", "b5")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == _usage_error(
        "build", "Invalid value for '--paper': 'b5' is not one of 'letter', 'a4'."
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
