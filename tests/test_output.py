"""Where the book goes: safe output paths, one default name per edition, reproducible bytes."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import time
from pathlib import Path

import pytest

import briefbook.build
from conftest import DATA, ROOT, Book, build_args, run_cli, squash


def test_an_output_that_is_not_a_pdf_name_is_refused(tmp_path: Path):
    result = run_cli(build_args(output=tmp_path / "notes.txt"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--output': '{tmp_path / 'notes.txt'}' does not end in .pdf; "
        "expected a PDF file name"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_fifo_named_like_a_pdf_is_neither_read_nor_replaced(tmp_path: Path):
    fifo = tmp_path / "book.pdf"
    os.mkfifo(fifo)
    result = run_cli(build_args(output=fifo))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--output': '{fifo}' exists and is not a regular file; "
        "expected a new file, or a PDF to replace"
    )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["book.pdf"]


def test_an_existing_file_that_is_not_a_pdf_is_never_overwritten(tmp_path: Path):
    victim = tmp_path / "book.pdf"
    victim.write_text("my notes", "utf-8")
    result = run_cli(build_args(output=victim))
    assert result.exit_code == 2
    assert "exists and is not a PDF" in result.stderr
    assert victim.read_text("utf-8") == "my notes"


def test_a_file_where_a_folder_should_be_is_named(tmp_path: Path):
    (tmp_path / "notes").write_text("x", "utf-8")
    result = run_cli(build_args(output=tmp_path / "notes" / "book.pdf"))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {tmp_path / 'notes' / 'book.pdf'}: {tmp_path / 'notes'} is a file; "
        "expected a folder there"
    )


def test_each_edition_has_its_own_default_name(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args, name in [
        ((), "smart-on-crime.pdf"),
        (("--theme", "reentry"), "smart-on-crime-reentry.pdf"),
        (("--state", "pa"), "smart-on-crime-PA.pdf"),
        (("--mayor", "bowser"), "smart-on-crime-bowser.pdf"),
    ]:
        result = run_cli(build_args(*args, data=DATA))
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"out/{name}: "), result.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "smart-on-crime-PA.pdf",
        "smart-on-crime-bowser.pdf",
        "smart-on-crime-reentry.pdf",
        "smart-on-crime.pdf",
    ]


def test_a_long_title_gives_a_short_enough_file_name(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli(build_args("--title", "Briefing " * 13, data=DATA))
    assert result.exit_code == 0, result.output
    [made] = (tmp_path / "out").iterdir()
    assert len(made.name) <= 124 and made.name.startswith("briefing-briefing")


# Every case picks one mayor, to build fast; the mayor's id comes before the look in the name.
@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("--paper", "a4"), "smart-on-crime-walsh-a4.pdf"),
        (("--paper", "A4"), "smart-on-crime-walsh-a4.pdf"),
        (("--paper", "letter"), "smart-on-crime-walsh.pdf"),  # the default layout's own paper
        (("--layout", "classic"), "smart-on-crime-walsh-classic.pdf"),
        (("--layout", "classic", "--paper", "a4"), "smart-on-crime-walsh-classic.pdf"),
        (("--layout", "classic", "--paper", "letter"), "smart-on-crime-walsh-classic-letter.pdf"),
        (("--layout", "default", "--paper", "a4"), "smart-on-crime-walsh-a4.pdf"),
        (
            ("--theme", "reentry", "--state", "ma", "--layout", "classic", "--paper", "letter"),
            "smart-on-crime-reentry-MA-walsh-classic-letter.pdf",
        ),
        # A folder contributes its own name, as a slug; the working copy's layouts/default
        # is the default layout.
        (("--layout", "layouts/Plain Look/"), "smart-on-crime-walsh-plain-look.pdf"),
        (
            ("--layout", "layouts/Plain Look", "--paper", "a4"),
            "smart-on-crime-walsh-plain-look-a4.pdf",
        ),
        (("--layout", "layouts/default"), "smart-on-crime-walsh.pdf"),
    ],
)
def test_layout_and_paper_are_part_of_the_default_name(
    tmp_path: Path, monkeypatch, args: tuple[str, ...], name: str
):
    monkeypatch.chdir(tmp_path)
    plain = tmp_path / "layouts" / "Plain Look"
    plain.mkdir(parents=True)
    (plain / "layout.yaml").write_text("palette:\n  accent: '#8a6d3b'\n", "utf-8")
    shutil.copytree(ROOT / "layouts" / "default", tmp_path / "layouts" / "default")
    result = run_cli(build_args(*args, "--mayor", "walsh", data=DATA))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"out/{name}: ")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [name]


def test_no_two_editions_share_a_default_name(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    editions = [
        (),
        ("--paper", "a4"),
        ("--layout", "classic"),
        ("--layout", "classic", "--paper", "letter"),
        ("--duplex",),
        ("--grayscale", "--notes"),
        ("--bleed", "3mm", "--crop-marks", "--layout", "one-pager"),
        ("--booklet",),  # the duplex book again, and its booklet beside it
    ]
    for args in editions:
        result = run_cli(build_args(*args, "--mayor", "bowser", data=DATA))
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "smart-on-crime-bowser-a4.pdf",
        "smart-on-crime-bowser-classic-letter.pdf",
        "smart-on-crime-bowser-classic.pdf",
        "smart-on-crime-bowser-duplex-booklet.pdf",
        "smart-on-crime-bowser-duplex.pdf",
        "smart-on-crime-bowser-notes-grayscale.pdf",
        "smart-on-crime-bowser-one-pager-bleed-3mm-marks.pdf",
        "smart-on-crime-bowser.pdf",
    ]


def test_the_same_edition_asked_in_another_order_has_the_same_name(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for order in (("walsh", "bowser"), ("bowser", "walsh")):
        args = [a for m in order for a in ("--mayor", m)]
        result = run_cli(build_args(*args, "--theme", "youth-and-jobs", "--theme", "reentry"))
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(
            "out/smart-on-crime-reentry-youth-and-jobs-bowser-walsh.pdf: "
        )
    assert len(list((tmp_path / "out").iterdir())) == 1


PATTERN = "out/<title>[-<theme>...][-<STATE>...][-<mayor>...][-<layout>][-<paper>][-<print>...].pdf"


def test_readme_and_help_state_the_same_default_name():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"`{PATTERN}`" in readme
    help_text = run_cli(["build", "--help"]).stdout
    assert PATTERN in " ".join(help_text.split())


# 1764115200 is 2025-11-26 00:00:00 UTC.
EPOCH, EPOCH_DAY, EPOCH_PDF_DATE = "1764115200", "November 26, 2025", "D:20251126000000+00'00'"


class _Today:
    """briefbook.build's view of the `datetime` module, on a day of the test's choosing."""

    def __init__(self, day: dt.date):
        class Date(dt.date):
            @classmethod
            def today(cls):
                return day

        self.date, self.datetime, self.UTC = Date, dt.datetime, dt.UTC


def _build_on(day: dt.date, output: Path, monkeypatch, *args: str) -> Book:
    monkeypatch.setattr(briefbook.build, "dt", _Today(day))
    result = run_cli(["build", "--data", str(DATA), "--mayor", "bowser", *args, "-o", str(output)])
    assert result.exit_code == 0, result.output
    return Book(output)


def test_without_source_date_epoch_the_cover_shows_today(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    book = _build_on(dt.date(2027, 3, 9), tmp_path / "a.pdf", monkeypatch)
    assert "March 9, 2027" in squash(book.pages[0])


def test_source_date_epoch_gives_the_cover_date_and_the_same_bytes_on_any_day(
    tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = _build_on(dt.date(2026, 1, 5), tmp_path / "a.pdf", monkeypatch)
    second = _build_on(dt.date(2027, 3, 9), tmp_path / "b.pdf", monkeypatch)
    assert first.path.read_bytes() == second.path.read_bytes()
    assert EPOCH_DAY in squash(first.pages[0])
    assert first.reader.metadata["/CreationDate"] == EPOCH_PDF_DATE
    assert first.reader.metadata["/ModDate"] == EPOCH_PDF_DATE


def test_source_date_epoch_is_read_in_utc(tmp_path: Path, monkeypatch):
    # 23:00 UTC on 25 November is already the 26th in Kiribati (UTC+14).
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        assert time.localtime(1764111600).tm_mday == 26, "no time zone data: the test is void"
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764111600")
        book = _build_on(dt.date(2026, 1, 5), tmp_path / "a.pdf", monkeypatch)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert "November 25, 2025" in squash(book.pages[0])


def test_date_wins_over_source_date_epoch(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    book = _build_on(dt.date(2026, 1, 5), tmp_path / "a.pdf", monkeypatch, "--date", "2026-12-01")
    assert "December 1, 2026" in squash(book.pages[0])
    assert book.reader.metadata["/CreationDate"] == EPOCH_PDF_DATE


def test_an_empty_source_date_epoch_counts_as_unset(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    book = _build_on(dt.date(2027, 3, 9), tmp_path / "a.pdf", monkeypatch)
    assert "March 9, 2027" in squash(book.pages[0])


EXPECTED = "expected a whole number of seconds since 1970-01-01 UTC, such as 1764115200"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", f"SOURCE_DATE_EPOCH is 'yesterday'; {EXPECTED}"),
        ("-86400", f"SOURCE_DATE_EPOCH is '-86400'; {EXPECTED}"),
        ("1764115200.5", f"SOURCE_DATE_EPOCH is '1764115200.5'; {EXPECTED}"),
        ("1.7e9", f"SOURCE_DATE_EPOCH is '1.7e9'; {EXPECTED}"),
        ("2025-11-26", f"SOURCE_DATE_EPOCH is '2025-11-26'; {EXPECTED}"),
        ("١٧٦٤١١٥٢٠٠", f"SOURCE_DATE_EPOCH is '١٧٦٤١١٥٢٠٠'; {EXPECTED}"),
        (
            "99999999999999",
            f"SOURCE_DATE_EPOCH is '99999999999999', which is after the year 9999; {EXPECTED}",
        ),
        ("9" * 60, f"SOURCE_DATE_EPOCH is '{'9' * 40}…', which is after the year 9999; {EXPECTED}"),
    ],
)
@pytest.mark.parametrize("date", [None, "2026-11-26"])
def test_a_bad_source_date_epoch_is_a_usage_error(
    tmp_path: Path, monkeypatch, value: str, message: str, date: str | None
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    args = ["build", "--data", str(DATA), "-o", str(tmp_path / "book.pdf")]
    result = run_cli(args + (["--date", date] if date else []))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Usage: briefbook build [OPTIONS]",
        "Try 'briefbook build --help' for help.",
        "",
        f"Error: {message}",
    ]
    assert list(tmp_path.iterdir()) == []


def test_a_bad_source_date_epoch_does_not_stop_list(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert run_cli(["list", "--data", str(DATA)]).exit_code == 0


def test_source_date_epoch_makes_builds_byte_identical(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for output in (first, second):
        assert run_cli(build_args(output=output)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
