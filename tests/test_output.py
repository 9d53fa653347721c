"""Where the book goes: safe output paths, one default name per edition, reproducible bytes."""

from __future__ import annotations

from pathlib import Path

from conftest import DATA, build_args, run_cli


def test_an_output_that_is_not_a_pdf_name_is_refused(tmp_path: Path):
    result = run_cli(build_args(output=tmp_path / "notes.txt"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--output': '{tmp_path / 'notes.txt'}' does not end in .pdf; "
        "expected a PDF file name"
    )
    assert list(tmp_path.iterdir()) == []


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


def test_source_date_epoch_makes_builds_byte_identical(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for output in (first, second):
        assert run_cli(build_args(output=output)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
