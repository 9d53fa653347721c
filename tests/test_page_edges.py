"""Every glyph of every shipped layout lies on the page, at least a quarter inch from each
paper edge (where printers clip), with every text field at its documented maximum length;
the running footer stays on one line, shortened with an ellipsis rather than wrapped."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build_args, run_cli, write_png

QUARTER_INCH = 18.0  # points
LAYOUTS = sorted(p.name for p in (ROOT / "layouts").iterdir() if (p / "layout.yaml").is_file())


def _text(length: int, seed: str) -> str:
    """Words of ordinary length, exactly `length` characters in all."""
    words = (f"{seed} Northwestern Constitutional Metropolitan Commonwealth " * 20).split()
    out = ""
    for word in words:
        out = f"{out} {word}".strip()
        if len(out) >= length:
            break
    return out[:length].rstrip() + "x" * (length - len(out[:length].rstrip()))


def _longest_data(root: Path) -> Path:
    """A data folder whose every text field is as long as the data contract allows."""
    from briefbook.validate import schema

    def most(name: str, *key: str) -> int:
        sub = schema(name)
        for part in key:
            sub = sub["properties"][part]
        return sub["maxLength"]

    (root / "mayors").mkdir(parents=True)
    book = {
        "title": _text(most("book", "title"), "Title"),
        "subtitle": _text(most("book", "subtitle"), "Subtitle"),
        "organization": _text(most("book", "organization"), "Coalition"),
        "statement": {
            "heading": _text(most("book", "statement", "heading"), "Heading"),
            "body": "We print what we are given, however long. " * 20,
        },
        "contact": {
            "name": _text(most("book", "contact", "name"), "Contact"),
            "email": "someone@example.org",
            "phone": _text(most("book", "contact", "phone"), "555"),
            "website": "https://example.org/" + "a" * 80,
        },
    }
    label = _text(
        schema("themes")["additionalProperties"]["properties"]["label"]["maxLength"], "Theme"
    )
    themes = {f"theme-{i}": {"label": f"{label[:-1]}{i}"} for i in range(3)}
    # A tall portrait for one, a short wide one for the other: every layout that prints a
    # photo sets the longest name beside both.
    write_png(root / "images" / "first.png", 300, 400)
    write_png(root / "images" / "second.png", 800, 200)
    for mayor_id in ("first", "second"):
        mayor = {
            "name": _text(most("mayor", "name"), "Name"),
            "title": _text(most("mayor", "title"), "Mayor"),
            "city": _text(most("mayor", "city"), "City"),
            "state": "CA",
            "themes": list(themes),
            "summary": "A record that is long enough to fill a page. " * 30,
            "initiatives": [
                {
                    "name": _text(200, "Initiative"),
                    "themes": list(themes),
                    "description": "It does a great deal. " * 10,
                }
            ],
            "sources": [{"title": _text(300, "Source"), "url": "https://example.org/" + "b" * 120}],
            "photo": f"images/{mayor_id}.png",
        }
        mayor["name"] = mayor["name"][:-1] + mayor_id[0]
        (root / "mayors" / f"{mayor_id}.yaml").write_text(yaml.safe_dump(mayor), "utf-8")
    (root / "book.yaml").write_text(yaml.safe_dump(book), "utf-8")
    (root / "themes.yaml").write_text(yaml.safe_dump(themes), "utf-8")
    return root


@pytest.fixture(scope="module")
def longest(tmp_path_factory) -> Path:
    return _longest_data(tmp_path_factory.mktemp("longest") / "data")


def _glyphs(pdf: Path):
    """(page number, page width, height, character box) of every glyph drawn."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def walk(item):
        if isinstance(item, LTChar):
            yield item
        for child in getattr(item, "_objs", ()):
            yield from walk(child)

    for number, page in enumerate(extract_pages(pdf, laparams=None), start=1):
        for char in walk(page):
            yield number, page.width, page.height, char


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_glyph_is_a_quarter_inch_inside_the_paper(layout: str, longest: Path, tmp_path):
    pdf = tmp_path / "book.pdf"
    result = run_cli(build_args("--layout", layout, data=longest, output=pdf))
    if layout == "one-pager":  # a record this long is over a page even at the smallest size
        assert result.exit_code == 1, result.output
        assert "shorten them by about" in result.stderr and not pdf.exists()
        result = run_cli(
            build_args(
                "--layout", layout, "--title", "T", data=_shorter(longest, tmp_path), output=pdf
            )
        )
    assert result.exit_code == 0, result.output
    glyphs = list(_glyphs(pdf))
    assert len(glyphs) > 1000
    close = [
        (n, char.get_text(), round(min(char.x0, char.y0, w - char.x1, h - char.y1), 1))
        for n, w, h, char in glyphs
        if char.get_text().strip()
        and min(char.x0, char.y0, w - char.x1, h - char.y1) < QUARTER_INCH
    ]
    assert close == [], f"glyphs nearer than a quarter inch to the paper's edge: {close[:10]}"
    _footer_on_one_line(glyphs)


def _shorter(longest: Path, tmp_path: Path) -> Path:
    """The longest names and titles, with records short enough for one page each."""
    import shutil

    data = tmp_path / "shorter"
    shutil.copytree(longest, data)
    for path in (data / "mayors").glob("*.yaml"):
        mayor = yaml.safe_load(path.read_text("utf-8"))
        mayor["summary"] = "A record that fits."
        mayor["initiatives"][0]["description"] = "It does a great deal."
        mayor["sources"][0]["title"] = "A source"  # the longest would take the page with the rest
        path.write_text(yaml.safe_dump(mayor), "utf-8")
    return data


def _footer_on_one_line(glyphs) -> None:
    """Below the text block, every page's words sit on one baseline (the last page's
    edition stamp, below the footer, aside)."""
    lines = defaultdict(set)
    for n, _, _, char in glyphs:
        if 34 < char.y1 < 60 and char.get_text().strip():
            lines[n].add(round(char.y0))
    for n, baselines in lines.items():
        spread = max(baselines) - min(baselines)
        assert spread <= 4, f"page {n}: the footer's words stand on {sorted(baselines)}"


def test_a_footer_too_long_for_its_line_is_shortened_with_an_ellipsis(longest: Path, tmp_path):
    pdf = tmp_path / "book.pdf"
    result = run_cli(build_args(data=longest, output=pdf))
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    footer = [line for line in reader.pages[3].extract_text().splitlines() if "page 4 of" in line]
    assert footer and "…" in footer[0], footer
    # The page number is never what is cut.
    assert "page 4 of" in footer[0]
