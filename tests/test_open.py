"""`build --open`: the finished book handed to the system's viewer."""

from __future__ import annotations

from pathlib import Path

import click

from support import build_args, run_cli


def test_the_finished_book_is_opened(tmp_path: Path, monkeypatch):
    opened = []

    def launch(url: str, wait: bool = False, locate: bool = False) -> int:
        opened.append((url, Path(url).is_file()))
        return 0

    monkeypatch.setattr(click, "launch", launch)
    pdf = tmp_path / "book.pdf"
    result = run_cli(build_args("--mayor", "bowser", "--open", output=pdf))
    assert result.exit_code == 0, result.output
    assert opened == [(str(pdf), True)]  # once, and only when it is written


def test_a_batch_opens_its_folder(tmp_path: Path, monkeypatch):
    opened = []
    monkeypatch.setattr(click, "launch", lambda url, **_: opened.append(url) or 0)
    monkeypatch.chdir(tmp_path)
    result = run_cli(build_args("--each", "mayor", "--state", "MA", "--open"))
    assert result.exit_code == 0, result.output
    assert opened == ["out"]


def test_no_viewer_is_a_warning_and_the_book_stays(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(click, "launch", lambda url, **_: 127)
    pdf = tmp_path / "book.pdf"
    result = run_cli(build_args("--mayor", "bowser", "--open", output=pdf))
    assert result.exit_code == 0, result.output
    assert f"{pdf}: warning: no program here opens it; it is written all the same" in (
        result.stderr
    )
    assert pdf.is_file()


def test_a_failed_build_opens_nothing(tmp_path: Path, monkeypatch):
    opened = []
    monkeypatch.setattr(click, "launch", lambda url, **_: opened.append(url) or 0)
    result = run_cli(build_args("--mayor", "nobody", "--open", output=tmp_path / "b.pdf"))
    assert result.exit_code == 2
    assert opened == []
