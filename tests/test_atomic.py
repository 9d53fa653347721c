"""The PDF is written atomically: an existing book is replaced only by a finished one, and a
failed build leaves the folder exactly as it was, with no temporary file behind."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import DATA, SMALL_DATA, build_args, run_cli

OLD = b"%PDF-1.4 an earlier edition that must survive a failed build\n"


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "book.pdf"
    path.write_bytes(OLD)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    return path


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _broken_data(tmp_path: Path) -> Path:
    data = tmp_path / "broken-data"
    shutil.copytree(SMALL_DATA, data)
    mayor = data / "mayors" / "quennell.yaml"
    mayor.write_text(mayor.read_text("utf-8").replace("state: ME", "state: Maine"), "utf-8")
    return data


def _layout_that_fails_while_writing(tmp_path: Path) -> Path:
    """A layout whose mayor names are set on lines taller than any page: the error surfaces
    only when ReportLab tries to place the first name, with the temporary PDF already open."""
    layout = tmp_path / "bad-layout"
    layout.mkdir()
    (layout / "layout.yaml").write_text(
        "styles:\n  mayor.name: {size: 300, leading: 700}\n", "utf-8"
    )
    return layout


def test_success_replaces_an_existing_file(existing: Path):
    result = run_cli(build_args("--mayor", "bowser", output=existing))
    assert result.exit_code == 0, result.output
    assert existing.read_bytes() != OLD
    pages = len(PdfReader(existing).pages)
    assert result.output.startswith(f"{existing}: {pages} pages, 1 mayor, ")
    assert _listing(existing.parent) == ["book.pdf"]


def test_success_creates_the_output_folder(tmp_path: Path):
    output = tmp_path / "new" / "deeper" / "book.pdf"
    result = run_cli(build_args("--mayor", "bowser", output=output))
    assert result.exit_code == 0, result.output
    assert _listing(output.parent) == ["book.pdf"]


def _failing_args(kind: str, tmp_path: Path) -> tuple[list[str], Path, int, str]:
    """(extra build arguments, data folder, exit status, part of the message) of a failure."""
    if kind == "unknown theme":
        return ["--theme", "rentry"], DATA, 2, "unknown theme 'rentry'"
    if kind == "no match":
        return ["--theme", "reentry", "--state", "CA"], DATA, 1, "no mayor matches"
    if kind == "data error":
        return [], _broken_data(tmp_path), 1, "state: expected a two-letter USPS code"
    layout = _layout_that_fails_while_writing(tmp_path)
    return ["--layout", str(layout)], DATA, 1, "an element is too large to fit on any page"


@pytest.mark.parametrize("kind", ["unknown theme", "no match", "data error", "error while writing"])
def test_failed_build_leaves_an_existing_file_untouched(existing: Path, tmp_path: Path, kind: str):
    args, data, status, message = _failing_args(kind, tmp_path)
    result = run_cli(build_args(*args, data=data, output=existing))
    assert result.exit_code == status, result.output
    assert message in result.stderr
    assert result.stdout == ""
    assert existing.read_bytes() == OLD
    assert existing.stat().st_mtime == 1_000_000_000
    assert _listing(existing.parent) == ["book.pdf"], "a temporary .part file was left behind"


def test_failure_while_writing_into_an_empty_folder_leaves_no_file(tmp_path: Path):
    folder = tmp_path / "out"
    folder.mkdir()
    layout = _layout_that_fails_while_writing(tmp_path)
    result = run_cli(build_args("--layout", str(layout), output=folder / "book.pdf"))
    assert result.exit_code == 1
    message, count = result.stderr.splitlines()
    assert message.startswith("Muriel Bowser — Washington, DC: an element is too large ")
    assert count == "1 problem found; nothing was written"
    assert _listing(folder) == []


def test_failed_build_creates_no_output_folder(tmp_path: Path):
    output = tmp_path / "never" / "book.pdf"
    result = run_cli(build_args("--theme", "rentry", output=output))
    assert result.exit_code == 2
    assert _listing(tmp_path) == []


def test_output_file_has_the_usual_permissions(tmp_path: Path):
    output = tmp_path / "book.pdf"
    old_umask = os.umask(0o022)
    try:
        result = run_cli(build_args("--mayor", "bowser", data=DATA, output=output))
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.output
    assert oct(output.stat().st_mode & 0o777) == oct(0o644)
