"""Characters the main font lacks come from a shipped fallback font, every font is embedded,
the text extracted from the PDF equals what was written (ToUnicode right, also beyond the
BMP), and a character no shipped font has is refused with file, line, field and code point."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from briefbook.layoutfolder import load_layout
from conftest import (
    DATE,
    Book,
    build_book,
    edit,
    files_under,
    pdf_pages,
    refused,
    run,
    set_field,
    squash,
    write_folder,
)

SYMBOLS = "→ ✓ ★ 𝔸𝔹 ∑ ⚖ Zoë Łódź"
FONTS = "expected characters the book's fonts have (remove or replace them)"


def build(data_arg: str = "data") -> Path:
    result = run("build", "--data", data_arg, "--date", DATE, "--output", "out/x.pdf")
    assert result.exit_code == 0, result.output
    return Path("out/x.pdf")


# A symbol in each kind of plain field: (file, key, value).
PLAIN_FIELDS = {
    "name": ("mayors/tubbs.yaml", ("name",), "Zoë Łódź 𝔸★"),
    "city": ("mayors/tubbs.yaml", ("city",), "Łódź → ∑"),
    "title": ("mayors/tubbs.yaml", ("title",), "Mayor ⚖"),
    "theme-label": ("themes.yaml", ("policing", "label"), "Policing ✓ 𝔹"),
    "book-title": ("book.yaml", ("title",), "Briefing ✓ 𝔸"),
    "heading": ("book.yaml", ("statement", "heading"), "Who ★ We Are"),
    "source-title": ("mayors/durkan.yaml", ("sources", 0, "title"), "Seattle → ⚖"),
}


@pytest.fixture(scope="module")
def symbols_book(tmp_path_factory) -> Book:
    """The small folder with SYMBOLS in Tubbs's summary and the symbols of PLAIN_FIELDS in
    those fields (each value its own, so each is looked for on its own), built once for the
    tests that read it."""
    data = write_folder(tmp_path_factory.mktemp("symbols") / "data")
    edit(data, "mayors/tubbs.yaml", "piloted a guaranteed", f"piloted {SYMBOLS} a guaranteed")
    for rel, key, value in PLAIN_FIELDS.values():
        set_field(data, rel, key, value)
    output = data.parent / "book.pdf"
    return build_book(output, data=data)


# --- what the fonts draw ---------------------------------------------------------------------


def test_the_symbols_need_the_fallback_fonts() -> None:
    """Guards the tests below: they are only worth something if the main font lacks these."""
    glyphs = load_layout("default").glyphs
    for char in "→✓★𝔸𝔹∑⚖":
        assert glyphs.font_for(ord(char)), f"{char!r} is in the main font"
    for char in "ZoëŁódź":
        assert glyphs.font_for(ord(char)) is None
    assert glyphs.missing(SYMBOLS) == []
    assert glyphs.missing("a\U0001f600b杜") == ["\U0001f600", "杜"]


def test_symbols_in_a_summary_print_as_written(symbols_book: Book) -> None:
    text = squash(symbols_book.text)
    assert f"piloted {SYMBOLS} a guaranteed" in text
    assert "\U0001d538\U0001d539" in text  # 𝔸𝔹, beyond the BMP, each one code point


def test_symbols_are_drawn_with_the_fallback_fonts(symbols_book: Book) -> None:
    runs = symbols_book.text_runs()
    used = {char: font for text, font in runs for char in text if char in "→✓★𝔸𝔹∑⚖"}
    assert set(used) == set("→✓★𝔸𝔹∑⚖")
    for char, font in used.items():
        assert "NotoSans-" not in font and "NotoSerif-" not in font, (char, font)


@pytest.mark.parametrize("field", list(PLAIN_FIELDS))
def test_symbols_in_plain_fields_print_as_written(symbols_book: Book, field: str) -> None:
    rel, key, value = PLAIN_FIELDS[field]
    # Chips, table headers and the footer draw a fallback run as its own piece of text, so
    # compare without spaces.
    text = "".join(symbols_book.text.split())
    expected = "".join(value.split())
    assert (expected.upper() if key == ("title",) and "mayors" in rel else expected) in text


def test_decomposed_accents_print_as_written(data: Path) -> None:
    name = unicodedata.normalize("NFD", "Zoë Łódź")
    set_field(data, "mayors/tubbs.yaml", ("name",), name)
    assert name in squash(" ".join(pdf_pages(build())))


def test_every_font_is_embedded_with_a_to_unicode_map(symbols_book: Book) -> None:
    used = {use.name: use.font for use in symbols_book.fonts()}
    assert len(used) >= 5, sorted(used)  # sans, serif, bold and at least two fallbacks
    for name, font in used.items():
        descendants = font.get("/DescendantFonts")
        inner = descendants[0].get_object() if descendants else font
        descriptor = inner["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
        assert "/ToUnicode" in font, name


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler's pdffonts not installed")
def test_pdffonts_reports_every_font_embedded(symbols_book: Book) -> None:
    out = subprocess.run(
        ["pdffonts", str(symbols_book.path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    rows = out[2:]
    assert rows
    for row in rows:
        # name type encoding emb sub uni object ID
        columns = row.split()
        emb, sub, uni = columns[-5], columns[-4], columns[-3]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext not installed")
def test_poppler_extracts_the_same_text(symbols_book: Book) -> None:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(symbols_book.path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"piloted {SYMBOLS} a guaranteed" in squash(out)


# --- characters no font has ------------------------------------------------------------------


def test_emoji_in_a_summary(data: Path) -> None:
    edit(data, "mayors/tubbs.yaml", "piloted a guaranteed", "piloted \U0001f600 a guaranteed")
    refused(
        [
            # Line 9, where the character is, inside the `summary: |` block that opens on 8.
            f"data/mayors/tubbs.yaml:9: summary: no font in the layout can draw U+1F600 "
            f"'\U0001f600'; {FONTS}"
        ]
    )


def test_emoji_in_a_theme_label(data: Path) -> None:
    edit(data, "themes.yaml", "label: Community policing", "label: Community policing \U0001f600")
    refused(
        [
            f"data/themes.yaml:8: policing.label: no font in the layout can draw U+1F600 "
            f"'\U0001f600'; {FONTS}"
        ]
    )


def test_cjk_in_a_name(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "name: Jenny Durkan", "name: Jenny 杜肯")
    refused(
        [
            f"data/mayors/durkan.yaml:1: name: no font in the layout can draw U+675C '杜', "
            f"U+80AF '肯'; {FONTS}"
        ]
    )


def test_each_missing_character_once_in_order(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "city: Seattle", "city: 杜\U0001f600杜\U0001f600")
    refused(
        [
            f"data/mayors/durkan.yaml:2: city: no font in the layout can draw U+675C '杜', "
            f"U+1F600 '\U0001f600'; {FONTS}"
        ]
    )


def test_unprintable_character_is_named_by_code_point_only(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "city: Seattle", 'city: "Seattle\\ue000"')
    refused([f"data/mayors/durkan.yaml:2: city: no font in the layout can draw U+E000; {FONTS}"])


def test_missing_characters_in_several_fields_and_files(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "  - name: Police reform", "  - name: Police 改革")
    edit(data, "book.yaml", "title: Harbour Mayors Briefing", "title: Harbour \U0001f600")
    edit(
        data,
        "mayors/durkan.yaml",
        "    url: https://www.seattle.gov",
        "    url: https://www.seattle.gov/\U0001f600",
    )
    refused(
        [
            f"data/book.yaml:1: title: no font in the layout can draw U+1F600 '\U0001f600'; "
            f"{FONTS}",
            f"data/mayors/durkan.yaml:11: initiatives[0].name: no font in the layout can draw "
            f"U+6539 '改', U+9769 '革'; {FONTS}",
            f"data/mayors/durkan.yaml:17: sources[0].url: no font in the layout can draw U+1F600 "
            f"'\U0001f600'; {FONTS}",
        ]
    )


def test_missing_character_in_the_title_option(data: Path) -> None:
    result = run("build", "--data", "data", "--title", "Book \U0001f600", "--output", "out/x.pdf")
    assert result.exit_code == 2  # a bad option value, checked as book.yaml's title would be
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--title': no font in the layout can draw U+1F600 "
        "'\U0001f600'; expected characters the book's fonts have (remove or replace them)"
    )
    assert files_under(Path("out")) == []


@pytest.mark.parametrize(
    ("char", "code"),
    [("\\0", "0000"), ("\\a", "0007"), ("\\x1b", "001B"), ("\\x7f", "007F")],
    ids=["NUL", "BEL", "ESC", "DEL"],
)
def test_escaped_control_character_is_refused(data: Path, char: str, code: str) -> None:
    # Some fonts map control characters to glyphs; they are refused as controls all the same.
    edit(data, "mayors/durkan.yaml", "city: Seattle", f'city: "Sea{char}ttle"')
    refused(
        [
            f"data/mayors/durkan.yaml:2: city: control character U+{code} is not text; "
            "expected printable characters (remove it)"
        ]
    )
