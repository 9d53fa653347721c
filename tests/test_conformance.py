"""What every book says of itself for archives and assistive technology, read back with
pikepdf and checked with page-validation (both written by others): the catalog's language
and viewer preferences, the XMP packet, the sRGB output intent, annotations that print and
describe themselves, character maps without U+0000, and PDF/A-2b with no rule broken."""

from __future__ import annotations

import re
from pathlib import Path

import page
import pikepdf
import pytest

from conftest import Book, build_book
from support import DATA, append, write_folder


@pytest.fixture(scope="module")
def default_pdf(default_book: Book):
    with pikepdf.open(default_book.path) as pdf:
        yield pdf


def test_the_catalog_names_language_viewer_and_tagging(default_pdf):
    root = default_pdf.Root
    assert root.Lang == "en-US"
    assert root.MarkInfo.Marked is True
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert root.PageMode == "/UseOutlines"


def test_the_xmp_repeats_the_document_information_and_names_the_standards(default_pdf):
    meta = default_pdf.open_metadata()
    info = default_pdf.docinfo
    assert meta["dc:title"] == str(info.Title) == "Smart on Crime"
    assert meta["pdf:Producer"] == str(info.Producer)
    assert meta["xmp:CreatorTool"] == str(info.Creator)
    assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
    assert meta["pdfuaid:part"] == "1"
    packet = default_pdf.Root.Metadata.read_bytes().decode("utf-8")
    assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in packet  # declared for PDF/A


def test_the_output_intent_is_srgb(default_pdf):
    [intent] = default_pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1"
    profile = intent.DestOutputProfile.read_bytes()
    assert profile[36:40] == b"acsp" and profile[16:20] == b"RGB "  # an ICC profile, of RGB


def test_every_link_prints_and_says_where_it_goes(default_pdf, default_book: Book):
    described = []
    for index, pdf_page in enumerate(default_pdf.pages):
        annots = pdf_page.obj.get("/Annots") or []
        if annots:
            assert pdf_page.obj.Tabs == "/S", index
        for annot in annots:
            assert int(annot.F) & 4, (index, annot)
            described.append(str(annot.Contents))
    assert all(d.strip() for d in described)
    contents = default_book.contents_range()[0]
    first = [str(a.Contents) for a in default_pdf.pages[contents].Annots]
    assert first[:2] == ["Go to Who We Are", "Go to At a glance"]
    assert "Link to https://www.nyc.gov" in described


def test_no_character_map_holds_u0000(default_pdf):
    maps = 0
    for obj in default_pdf.objects:
        font = isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
        if font and "/ToUnicode" in obj:
            maps += 1
            data = obj.ToUnicode.read_bytes()
            assert b"<0000>" not in data
            for count, body in re.findall(rb"(\d+) beginbfchar\n(.*?)endbfchar", data, re.S):
                assert int(count) == len(body.splitlines())
    assert maps >= 2


def test_the_default_book_breaks_no_rule_of_pdf_a_2b(default_book: Book):
    report = page.validate_pdf(str(default_book.path), profile="2b")
    assert [f.rule_id for f in report.failures] == []
    assert report.is_compliant


def test_a_negative_control_an_untouched_reportlab_pdf_is_not_pdf_a(tmp_path: Path):
    """The checker does catch what the pass fixes: a plain ReportLab PDF fails."""
    from reportlab.pdfgen.canvas import Canvas

    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain))
    canvas.drawString(72, 720, "Hello")
    canvas.save()
    report = page.validate_pdf(str(plain), profile="2b")
    assert not report.is_compliant
    assert "PDFA2B-ID-SCHEMA-001" in {f.rule_id for f in report.failures}


def test_the_language_comes_from_book_yaml(tmp_path: Path):
    data = write_folder(tmp_path / "data")
    append(data, "book.yaml", "language: es-US\n")
    book = build_book(tmp_path / "es.pdf", data=data)
    with pikepdf.open(book.path) as pdf:
        assert pdf.Root.Lang == "es-US"
        assert "<rdf:li>es-US</rdf:li>" in pdf.Root.Metadata.read_bytes().decode()


def test_the_xmp_dates_follow_source_date_epoch(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")  # 2025-11-26 00:00 UTC
    book = build_book(tmp_path / "dated.pdf", "--mayor", "walsh", data=DATA)
    with pikepdf.open(book.path) as pdf:
        meta = pdf.open_metadata()
        assert meta["xmp:CreateDate"] == "2025-11-26T00:00:00+00:00"
        assert meta["xmp:ModifyDate"] == "2025-11-26T00:00:00+00:00"
