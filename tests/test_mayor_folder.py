"""Every entry of mayors/ is read as a mayor file or named in a problem or a warning; only
hidden files (made by systems and editors) are passed over without a word."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BOWSER, DATE, Book, problem_lines, refused, run


def validated(*args: str):
    return run("validate", "--data", "data", *args)


LEE = (
    BOWSER.replace("Muriel Bowser", "Ed Lee")
    .replace("Washington", "San Francisco")
    .replace("state: DC", "state: CA")
)


@pytest.mark.parametrize("name", ["lee.YAML", "lee.yml", "lee.Yml", "lee.YML"])
def test_any_case_of_yaml_or_yml_is_a_mayor_file(data: Path, name: str) -> None:
    (data / "mayors" / name).write_text(LEE, "utf-8")
    result = validated()
    assert result.exit_code == 0, result.output
    assert result.stdout == "data: 4 mayors, 3 themes; no problems found\n"
    assert result.stderr == ""
    listed = run("list", "--data", "data", "--mayor", "lee")
    assert listed.exit_code == 0, listed.output
    assert "Ed Lee" in listed.stdout


def test_a_mayor_file_in_upper_case_is_printed_in_the_book(data: Path) -> None:
    (data / "mayors" / "lee.YAML").write_text(LEE, "utf-8")
    built = run("build", "--data", "data", "--date", DATE, "--output", "out/x.pdf")
    assert built.exit_code == 0, built.output
    assert built.stderr == ""
    # One page of the book is headed by the name (first_page_of asserts exactly one).
    assert Book(Path("out/x.pdf")).first_page_of("Ed Lee") > 0


def test_two_files_for_one_id_are_an_error(data: Path) -> None:
    (data / "mayors" / "bowser.yml").write_text(BOWSER, "utf-8")
    (data / "mayors" / "bowser.YAML").write_text(BOWSER, "utf-8")
    refused(
        [
            "data/mayors/bowser.yaml: mayor id 'bowser' is also the file data/mayors/bowser.YAML; "
            "expected one file per mayor (remove or rename one)",
            "data/mayors/bowser.yml: mayor id 'bowser' is also the file data/mayors/bowser.YAML; "
            "expected one file per mayor (remove or rename one)",
        ]
    )


NOTES = (
    "data/mayors/notes.txt: warning: not a mayor file (those end in .yaml or .yml), so it "
    "is left out of the book"
)
FOLDER = (
    "data/mayors/old: warning: a folder inside mayors/, so its files are not read; mayor "
    "files sit directly in mayors/"
)


def test_other_files_and_folders_are_named_in_warnings(data: Path) -> None:
    (data / "mayors" / "notes.txt").write_text("call Ed\n", "utf-8")
    (data / "mayors" / "old").mkdir()
    (data / "mayors" / "old" / "lee.yaml").write_text(LEE, "utf-8")
    result = validated()
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [NOTES, FOLDER]
    assert result.stdout == "data: 3 mayors, 3 themes; no problems found; 2 warnings\n"


@pytest.mark.parametrize("name", ["bowser.yaml~", "bowser.yaml.bak", "README"])
def test_backups_and_notes_are_warned_about(data: Path, name: str) -> None:
    (data / "mayors" / name).write_text(BOWSER, "utf-8")
    result = validated()
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"data/mayors/{name}: warning: not a mayor file (those end in .yaml or .yml), so it "
        "is left out of the book\n"
    )


def test_strict_makes_a_left_out_file_an_error(data: Path) -> None:
    (data / "mayors" / "notes.txt").write_text("call Ed\n", "utf-8")
    refused(
        [
            "data/mayors/notes.txt: not a mayor file (those end in .yaml or .yml), so it is left "
            "out of the book"
        ],
        "--strict",
    )


@pytest.mark.parametrize("name", [".DS_Store", "._bowser.yaml", ".bowser.yaml.swp", ".git"])
def test_hidden_files_are_skipped_silently(data: Path, name: str) -> None:
    if name == ".git":
        (data / "mayors" / name).mkdir()
    else:
        (data / "mayors" / name).write_bytes(b"\x00\x05\x16\x07 not yaml at all")
    result = validated()
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_only_other_files_is_no_mayor_files(data: Path) -> None:
    for mayor_id in ("bowser", "durkan", "tubbs"):
        (data / "mayors" / f"{mayor_id}.yaml").rename(data / "mayors" / f"{mayor_id}.txt")
    result = validated()
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "data/mayors: no mayor files found; expected one <id>.yaml file per mayor"
    ]


@pytest.mark.parametrize("name", ["Book.yaml", "book.yml"])
def test_a_misnamed_book_yaml_is_named_with_the_fix(data: Path, name: str) -> None:
    (data / "book.yaml").rename(data / name)
    result = validated()
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "data/book.yaml: file not found; every data folder needs book.yaml (see docs/data.md)"
        f"; found {name}: rename it to book.yaml"
    ]


def test_too_many_entries_in_mayors_are_refused_before_any_is_read(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefbook.load

    monkeypatch.setattr(briefbook.load, "MAX_MAYOR_FILES", 2)
    result = validated()
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "data/mayors: holds more than 2 entries; expected at most 2 mayor files"
    ]
