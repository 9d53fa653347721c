"""`build --keep-going`: mayor files with problems are reported as a failed build reports
them, left out, and the rest is built; the exit status says so."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import Book
from support import DATA, build_args, run_cli


def _broken(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    kenney = data / "mayors" / "kenney.yaml"
    kenney.write_text(kenney.read_text("utf-8").replace("state: PA", "state: Pennsylvania"))
    walsh = data / "mayors" / "walsh.yaml"
    text = walsh.read_text("utf-8")
    walsh.write_text(text.replace("name: Marty Walsh", "name: [Marty Walsh"), "utf-8")
    assert walsh.read_text("utf-8") != text
    return data


def test_two_broken_mayor_files_are_left_out_and_the_rest_is_built(tmp_path: Path):
    data = _broken(tmp_path)
    pdf = tmp_path / "book.pdf"
    result = run_cli(build_args("--keep-going", data=data, output=pdf))
    assert result.exit_code == 3, result.output
    kenney, walsh = data / "mayors" / "kenney.yaml", data / "mayors" / "walsh.yaml"
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{kenney}:") and "found 'Pennsylvania'" in lines[0]
    assert lines[1].startswith(f"{walsh}:") and "YAML syntax error" in lines[1]
    assert lines[2] == (
        f"left out 2 mayor files with problems ({kenney}, {walsh}); the book holds the others"
    )
    assert result.stdout.startswith(f"{pdf}: ") and ", 14 mayors, " in result.stdout
    book = Book(pdf)
    names = [label for label, _ in book.contents_entries()]
    assert not any("Kenney" in n or "Walsh" in n for n in names)
    assert any("Bowser" in n for n in names)


def test_without_the_flag_nothing_changes(tmp_path: Path):
    data = _broken(tmp_path)
    pdf = tmp_path / "book.pdf"
    result = run_cli(build_args(data=data, output=pdf))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "2 problems found; nothing was written"
    assert not pdf.exists()


def test_a_problem_outside_the_mayor_files_still_stops_the_build(tmp_path: Path):
    data = _broken(tmp_path)
    book_yaml = data / "book.yaml"
    book_yaml.write_text(book_yaml.read_text("utf-8") + "unknown_key: 1\n", "utf-8")
    pdf = tmp_path / "book.pdf"
    result = run_cli(build_args("--keep-going", data=data, output=pdf))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "3 problems found; nothing was written"
    assert not pdf.exists()
