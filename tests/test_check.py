"""`briefbook check FILE.pdf`: the rules of PDF/UA-1 and PDF/A-2b a file breaks, as the
independent checker page-validation finds them, one line each, and exit 1 when any is."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import Book
from support import run


def test_the_default_book_is_pdf_a_2b(default_book: Book):
    result = run("check", "--standard", "pdfa", str(default_book.path))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"{default_book.path}: PDF/A-2b: breaks none of its 144 rules\n"


def test_a_plain_reportlab_pdf_breaks_rules_and_says_which(tmp_path: Path):
    from reportlab.pdfgen.canvas import Canvas

    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain))
    canvas.drawString(72, 720, "Hello")
    canvas.save()
    result = run("check", str(plain))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{plain}: PDF/A-2b: PDFA2B-ID-SCHEMA-001: XMP does not contain the PDF/A " in (
        "\n".join(lines)
    )
    assert any(
        line.startswith(f"{plain}: PDF/UA-1: PDFUA1-STRUCT-TREE-ROOT-001: ") for line in lines
    )
    ua, pdfa = result.stderr.splitlines()
    assert ua.startswith(f"{plain}: PDF/UA-1: breaks ") and ua.endswith(" of its 104 rules")
    assert pdfa.startswith(f"{plain}: PDF/A-2b: breaks ") and pdfa.endswith(" of its 144 rules")


def test_what_is_not_a_pdf(tmp_path: Path):
    text = tmp_path / "notes.pdf"
    text.write_text("not a PDF", "utf-8")
    result = run("check", str(text))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {text}: cannot be read as a PDF (")
    missing = run("check", str(tmp_path / "gone.pdf"))
    assert missing.exit_code == 1
    assert (
        missing.stderr == f"Error: {tmp_path / 'gone.pdf'}: no such file; expected a PDF to check\n"
    )


def test_without_the_checker_installed(tmp_path: Path, monkeypatch):
    monkeypatch.setitem(sys.modules, "page", None)  # import page now fails
    result = run("check", str(tmp_path / "book.pdf"))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: briefbook check needs page-validation, an independent checker; install it "
        "with pip install 'briefbook[check]' (or pip install page-validation)\n"
    )
