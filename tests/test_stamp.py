"""The edition's stamp: the last page names the day, the filters and a hash of what made the
book, the same one `build` prints, so two printed copies can be told apart."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import Book
from support import DATA, build_args, run_cli

SUMMARY = re.compile(r"^\S+: \d+ pages?, \d+ mayors?, \d+ KB, edition ([0-9a-f]{10})$")


def _edition(tmp_path: Path, *args: str, data: Path = DATA, name: str = "book.pdf"):
    output = tmp_path / name
    result = run_cli(build_args(*args, data=data, output=output))
    assert result.exit_code == 0, result.output
    found = SUMMARY.match(result.stdout.splitlines()[0])
    assert found, result.stdout
    return found[1], Book(output)


def test_the_last_page_carries_the_day_the_filters_and_the_printed_hash(tmp_path: Path):
    edition, book = _edition(tmp_path, "--theme", "reentry", "--state", "MA", "--state", "VA")
    last = book.lines(book.page_count - 1)
    assert last[-1] == f"2026-11-26 · Reentry and second chances · MA, VA · edition {edition}"
    assert all(edition not in book.pages[i] for i in range(book.page_count - 1))


def test_the_same_inputs_give_the_same_hash_anywhere(tmp_path: Path):
    first, _ = _edition(tmp_path, "--theme", "reentry")
    copy = tmp_path / "elsewhere" / "data"
    shutil.copytree(DATA, copy)
    again, _ = _edition(tmp_path, "--theme", "reentry", data=copy, name="again.pdf")
    assert again == first


def test_a_change_to_what_made_the_edition_changes_the_hash(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    before, _ = _edition(tmp_path, "--theme", "reentry", data=data)
    # A mayor outside the edition: the same edition.
    unselected = data / "mayors" / "kenney.yaml"
    assert "reentry" not in unselected.read_text("utf-8")
    unselected.write_text(unselected.read_text("utf-8") + "\n# a comment\n", "utf-8")
    same, _ = _edition(tmp_path, "--theme", "reentry", data=data, name="same.pdf")
    assert same == before
    # A mayor in it: another edition.
    selected = data / "mayors" / "walsh.yaml"
    selected.write_text(selected.read_text("utf-8") + "\n# a comment\n", "utf-8")
    changed, _ = _edition(tmp_path, "--theme", "reentry", data=data, name="changed.pdf")
    assert changed != before
    # Another paper: another edition.
    a4, _ = _edition(tmp_path, "--theme", "reentry", "--paper", "a4", data=data, name="a4.pdf")
    assert a4 != changed


def test_a_change_to_the_layout_changes_the_hash(tmp_path: Path):
    folder = tmp_path / "look"
    folder.mkdir()
    (folder / "layout.yaml").write_text("palette:\n  accent: '#336699'\n", "utf-8")
    first, _ = _edition(tmp_path, "--layout", str(folder), "--mayor", "walsh")
    (folder / "layout.yaml").write_text("palette:\n  accent: '#336698'\n", "utf-8")
    second, _ = _edition(tmp_path, "--layout", str(folder), "--mayor", "walsh", name="b.pdf")
    assert first != second


def test_how_the_build_runs_is_not_part_of_the_edition(tmp_path: Path):
    """--strict, --eml and --keep-going change no page: the same edition, the same hash."""
    plain, _ = _edition(tmp_path, "--mayor", "walsh")
    args = ("--mayor", "walsh", "--strict", "--keep-going", "--eml", "a@example.gov")
    same, _ = _edition(tmp_path, *args, name="same.pdf")
    assert same == plain
    other, _ = _edition(tmp_path, "--mayor", "walsh", "--notes", name="other.pdf")
    assert other != plain
