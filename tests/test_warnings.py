"""Warnings: data that prints, but probably not as meant. The book is built and the warning
is printed on stderr (file:line: warning: field: message); --strict makes it an error and
nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, DATE, append, line_of, pdf_pages, refused, run, write_png

CREDIT = (
    "cover.credit: a picture credit but no cover.image, so the credit prints with no picture; "
    "add the picture as cover.image, or remove the credit"
)


@pytest.fixture
def data(data: Path) -> Path:
    """conftest's small folder, its book credited with a cover picture it does not have."""
    append(data, "book.yaml", 'cover:\n  credit: "Photo: Alfred Twu"\n')
    return data


def test_a_credit_without_a_picture_is_a_warning_and_the_book_is_built(data: Path) -> None:
    line = line_of(data, "book.yaml", "  credit:")
    built = run("build", "--data", "data", "--date", DATE, "--output", "out/x.pdf")
    assert built.exit_code == 0, built.output
    assert built.stderr == f"data/book.yaml:{line}: warning: {CREDIT}\n"
    assert built.stdout.startswith("out/x.pdf: ")
    assert "Photo: Alfred Twu" in pdf_pages(Path("out/x.pdf"))[0]


def test_validate_prints_the_warning_and_counts_it(data: Path) -> None:
    checked = run("validate", "--data", "data")
    assert checked.exit_code == 0, checked.output
    assert checked.stderr == f"data/book.yaml:11: warning: {CREDIT}\n"
    assert checked.stdout == "data: 3 mayors, 3 themes; no problems found; 1 warning\n"


def test_strict_turns_the_warning_into_an_error_and_writes_nothing(data: Path) -> None:
    refused([f"data/book.yaml:11: {CREDIT}"], "--strict")  # validate and build alike


def test_a_credit_with_its_picture_is_no_warning(data: Path) -> None:
    write_png(data / "images" / "cover.png", 80, 45)
    append(data, "book.yaml", "  image: images/cover.png\n")
    built = run("build", "--data", "data", "--strict", "--output", "out/x.pdf")
    assert built.exit_code == 0, built.output
    assert built.stderr == ""


def test_the_shipped_book_builds_without_a_warning(tmp_path: Path) -> None:
    built = run(
        "build",
        "--data",
        str(DATA),
        "--strict",
        "--date",
        DATE,
        "--output",
        str(tmp_path / "x.pdf"),
    )
    assert built.exit_code == 0, built.output
    assert built.stderr == ""
