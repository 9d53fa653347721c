"""--paper sets the size of every page: letter by default, A4 on request."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import Book, Builder


def _sizes(reader: PdfReader) -> set[tuple[int, int]]:
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}


def test_default_is_letter(default_book: Book):
    assert _sizes(default_book.reader) == {(612, 792)}


def test_a4(build_pdf: Builder):
    result, pdf = build_pdf("--paper", "a4")
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    assert _sizes(book.reader) == {(595, 842)}
    assert all(p.mediabox.left == 0 and p.mediabox.bottom == 0 for p in book.reader.pages)
    # The A4 book is paginated afresh: its footers and contents still agree with its pages.
    total = len(book.reader.pages)
    assert book.footers()[1:] == [(i, total) for i in range(2, total + 1)]
    entries = book.contents_entries()
    assert len(entries) > 3
    for label, number in entries:
        if label == "The mayors":  # no page carries this heading; see test_book.py
            continue
        assert any(label.startswith(line) for line in book.lines(number - 1)[:2]), label


def test_paper_name_is_case_insensitive(build_pdf: Builder):
    result, pdf = build_pdf("--paper", "A4", "--mayor", "bowser")
    assert result.exit_code == 0, result.output
    assert _sizes(PdfReader(pdf)) == {(595, 842)}


def test_letter_on_request(build_pdf: Builder):
    result, pdf = build_pdf("--paper", "letter", "--mayor", "bowser")
    assert result.exit_code == 0, result.output
    assert _sizes(PdfReader(pdf)) == {(612, 792)}


@pytest.mark.parametrize("layout", ["default", "classic", "read-ahead", "one-pager", "pocket"])
def test_legal_for_every_layout(build_pdf: Builder, layout: str):
    """8.5 × 14 inches: the same parts, their words whole, on longer pages."""
    result, pdf = build_pdf("--paper", "legal", "--layout", layout, "--theme", "reentry")
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    assert _sizes(book.reader) == {(612, 1008)}
    letter, letter_pdf = build_pdf("--layout", layout, "--theme", "reentry", name="letter.pdf")
    assert letter.exit_code == 0, letter.output
    on_letter = Book(letter_pdf)
    assert book.page_count <= on_letter.page_count
    lost = set(on_letter.words) - set(book.words)
    # Page numbers, and the edition's hash on the last page: another paper, another edition.
    assert all(word.isdigit() or re.fullmatch("[0-9a-f]{10}", word) for word in lost), (
        f"words not on the legal pages: {lost}"
    )
