"""The PDF is written atomically: an existing book is replaced only by a finished one, and a
failed build leaves the folder exactly as it was, with no temporary file behind; the file gets
the mode any new file gets; temporary files a killed build left are cleared by the next one,
and nothing else is. (Signals are in test_signals.py.)"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import DATA, broken_small_data, build_args, run_cli

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
        return [], broken_small_data(tmp_path), 1, "state: expected a two-letter USPS code"
    layout = _layout_that_fails_while_writing(tmp_path)
    return ["--layout", str(layout)], DATA, 1, "points does not fit in frame 'main'"


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
    assert message == (
        f"{layout / 'layout.yaml'}: Muriel Bowser — Washington, DC: the name block beside the "
        "portrait of 412 × 7077 "
        "points does not fit in frame 'main' of page template 'mayor-continued' (412 × 612 "
        "points); give the frame more room (margins, page_templates) or set the text smaller"
    )
    assert count == "1 problem found; nothing was written"
    assert _listing(folder) == []


def test_failed_build_creates_no_output_folder(tmp_path: Path):
    output = tmp_path / "never" / "book.pdf"
    result = run_cli(build_args("--theme", "rentry", output=output))
    assert result.exit_code == 2
    assert _listing(tmp_path) == []


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_output_file_has_the_mode_a_new_file_gets(tmp_path: Path, umask: int, mode: int):
    output = tmp_path / "book.pdf"
    old_umask = os.umask(umask)
    try:
        result = run_cli(build_args("--mayor", "bowser", data=DATA, output=output))
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.output
    assert oct(output.stat().st_mode & 0o777) == oct(mode)


def test_the_umask_is_never_changed(tmp_path: Path, monkeypatch):
    # Changing it, even for a moment, would give files other threads create that moment the
    # wrong mode.
    def refuse(mask):
        raise AssertionError(f"os.umask({mask:#o}) was called")

    monkeypatch.setattr(os, "umask", refuse)
    result = run_cli(build_args("--mayor", "bowser", output=tmp_path / "book.pdf"))
    assert result.exit_code == 0, result.output


# --- temporary files that a killed build left behind -----------------------------------------

LONG_AGO = time.time() - 3600


def _leftover(folder: Path, name: str, age: float | None = LONG_AGO) -> Path:
    path = folder / name
    path.write_bytes(b"%PDF-1.4 half a book")
    if age is not None:
        os.utime(path, (age, age))
    return path


def _build_into(folder: Path) -> None:
    result = run_cli(build_args("--mayor", "bowser", output=folder / "book.pdf"))
    assert result.exit_code == 0, result.output


def test_a_build_removes_its_targets_stale_temporary_files(tmp_path: Path):
    _leftover(tmp_path, ".book.pdf.a1b2c3d4.part")
    _leftover(tmp_path, ".book.pdf.x_9q0zzy.part")  # as tempfile named them in earlier versions
    _build_into(tmp_path)
    assert _listing(tmp_path) == ["book.pdf"]


def test_a_failed_build_removes_them_too(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    _leftover(out, ".book.pdf.a1b2c3d4.part")
    layout = _layout_that_fails_while_writing(tmp_path)
    result = run_cli(build_args("--layout", str(layout), output=out / "book.pdf"))
    assert result.exit_code == 1
    assert _listing(out) == []


def test_a_recent_temporary_file_is_kept(tmp_path: Path):
    # Less than a minute old: another build may have just created it and not locked it yet.
    _leftover(tmp_path, ".book.pdf.a1b2c3d4.part", age=time.time() - 30)
    _build_into(tmp_path)
    assert _listing(tmp_path) == [".book.pdf.a1b2c3d4.part", "book.pdf"]


def test_a_temporary_file_locked_by_a_running_build_is_kept(tmp_path: Path):
    path = _leftover(tmp_path, ".book.pdf.a1b2c3d4.part")
    with path.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        _build_into(tmp_path)
    assert _listing(tmp_path) == [".book.pdf.a1b2c3d4.part", "book.pdf"]


# Names like a temporary file's that are not this target's: (name, why not).
NOT_OURS = [
    (".other.pdf.a1b2c3d4.part", "another target's"),
    (".book.pdf.a1b2c3d.part", "not eight characters"),
    (".book.pdf.A1B2C3D4.part", "not characters a build uses"),
    (".book.pdf.a1b2c3d4.part.bak", "does not end in .part"),
    ("book.pdf.a1b2c3d4.part", "not hidden"),
    (".book.pdf.part", "no random part"),
    ("notes.part", "not named after the target"),
]


def test_files_that_are_not_this_targets_temporary_files_are_kept(tmp_path: Path):
    # All in one folder, beside a stale temporary file of this target's, which the build
    # does remove: the sweep ran, and passed over each of these.
    for name, _ in NOT_OURS:
        _leftover(tmp_path, name)
    _leftover(tmp_path, ".book.pdf.e5f6a7b8.part")
    _build_into(tmp_path)
    kept = _listing(tmp_path)
    assert [f"{name} ({why})" for name, why in NOT_OURS if name not in kept] == []
    assert kept == sorted([*(name for name, _ in NOT_OURS), "book.pdf"])


def test_a_symlink_or_folder_under_a_temporary_name_is_kept(tmp_path: Path):
    victim = _leftover(tmp_path, "precious.txt")
    (tmp_path / ".book.pdf.a1b2c3d4.part").symlink_to(victim)
    (tmp_path / ".book.pdf.e5f6a7b8.part").mkdir()
    os.utime(tmp_path / ".book.pdf.e5f6a7b8.part", (LONG_AGO, LONG_AGO))
    _build_into(tmp_path)
    assert _listing(tmp_path) == [
        ".book.pdf.a1b2c3d4.part",
        ".book.pdf.e5f6a7b8.part",
        "book.pdf",
        "precious.txt",
    ]
    assert victim.read_bytes() == b"%PDF-1.4 half a book"


def test_only_the_targets_own_folder_is_swept(tmp_path: Path):
    (tmp_path / "deeper").mkdir()
    _leftover(tmp_path / "deeper", ".book.pdf.a1b2c3d4.part")
    _build_into(tmp_path)
    assert _listing(tmp_path / "deeper") == [".book.pdf.a1b2c3d4.part"]
