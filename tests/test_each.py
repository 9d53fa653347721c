"""`build --each theme|state|mayor`: one edition per value the other filters allow, in one
run, each under its own name, then a table of what was written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from support import DATA, build_args, run_cli


def _table(stdout: str) -> list[list[str]]:
    rows = [line.split() for line in stdout.splitlines()]
    assert rows[0] == ["file", "pages", "mayors", "size"]
    return rows[1:]


def _listed(*filters: str) -> list[str]:
    result = run_cli(["list", "--data", str(DATA), "--format", "ids", *filters])
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def _used_themes() -> list[tuple[str, str]]:
    """(id, label) of every theme some mayor works on, in themes.yaml's order."""
    result = run_cli(["themes", "--data", str(DATA), "--format", "json"])
    return [(t["id"], t["label"]) for t in json.loads(result.stdout) if t["mayors"] > 0]


def test_each_theme_builds_every_themes_edition(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli(build_args("--each", "theme"))
    assert result.exit_code == 0, result.output
    themes = _used_themes()
    rows = _table(result.stdout)
    assert [row[0] for row in rows] == [f"out/smart-on-crime-{t}.pdf" for t, _ in themes]
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(Path(row[0]).name for row in rows)
    for (theme, label), (file, pages, mayors, *_size) in zip(themes, rows, strict=True):
        reader = PdfReader(tmp_path / file)
        assert int(pages) == len(reader.pages)
        assert int(mayors) == len(_listed("--theme", theme))
        assert reader.metadata.subject == f"Focus: {label}"  # the edition of that theme
    # Not a terminal: no progress bar, only the count.
    assert result.stderr == f"{len(themes)} editions built\n"


def test_each_works_with_the_other_filters(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli(build_args("--each", "mayor", "--layout", "one-pager", "--state", "PA"))
    assert result.exit_code == 0, result.output
    mayors = _listed("--state", "PA")
    assert len(mayors) >= 2
    rows = _table(result.stdout)
    assert [row[0] for row in rows] == [f"out/smart-on-crime-PA-{m}-one-pager.pdf" for m in mayors]
    assert all(row[1:3] == ["1", "1"] for row in rows)  # a page each, one mayor each


def test_each_state_lists_the_booklets_too(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli(build_args("--each", "state", "--theme", "reentry", "--booklet"))
    assert result.exit_code == 0, result.output
    states = sorted({s for s in _states("reentry")})
    files = [row[0] for row in _table(result.stdout)]
    expected = []
    for state in states:
        book = f"out/smart-on-crime-reentry-{state}-duplex.pdf"
        expected += [book, book.replace(".pdf", "-booklet.pdf")]
    assert files == expected
    assert all((tmp_path / f).is_file() for f in files)


def _states(theme: str) -> list[str]:
    result = run_cli(["list", "--data", str(DATA), "--format", "json", "--theme", theme])
    return [m["state"] for m in json.loads(result.stdout)]


@pytest.mark.parametrize("each", ["theme", "state", "mayor"])
def test_each_with_an_output_name_is_refused(tmp_path: Path, each: str):
    result = run_cli(build_args("--each", each, output=tmp_path / "one.pdf"))
    assert result.exit_code == 2
    assert (
        f"--each {each} writes one book per {each}, each under its own name in out/; "
        "expected no --output with --each"
    ) in result.output
    assert list(tmp_path.iterdir()) == []
