"""Layouts: the built-in alternative, a layout folder that changes only a little, and every
way a layout can be broken, each a one-line message with no file written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Book, build_args, build_book, run_cli, squash
from support import unstamped

A4 = (595, 842)


def _page_size_of(book: Book, index: int) -> tuple[int, int]:
    box = book.reader.pages[index].mediabox
    return round(float(box.width)), round(float(box.height))


def _page_size(book: Book) -> tuple[int, int]:
    return _page_size_of(book, 0)


def test_classic_layout_is_a4_with_the_same_words(tmp_path: Path, default_book: Book):
    output = tmp_path / "classic.pdf"
    classic = build_book(output, "--layout", "classic")
    assert all(_page_size_of(classic, i) == A4 for i in range(len(classic.pages)))

    # The same words as the default book; only the classic mayor template heads its
    # sections in words where the default uses capitals.
    def words(book: Book) -> list[str]:
        return squash(
            unstamped(book.text)
            .replace("INITIATIVES", "Initiatives")
            .replace("SOURCES", "Sources")
            .replace("MAYOR", "Mayor")
        ).split()

    assert sorted(set(words(classic))) == sorted(set(words(default_book)))
    assert "INITIATIVES" in default_book.text and "INITIATIVES" not in classic.text


def test_a_layout_folder_holds_only_what_it_changes(tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "layout.yaml").write_text("palette:\n  accent: '#336699'\n", "utf-8")
    (folder / "glance.j2").write_text(
        "{% block heading %}Who works on what{% endblock %}\n"
        "{% block intro %}One row per mayor.{% endblock %}\n"
        "{% block name %}{{ mayor.name }}{% endblock %}\n"
        "{% block place %}{{ mayor.city }}{% endblock %}\n",
        "utf-8",
    )
    output = tmp_path / "mine.pdf"
    book = build_book(output, "--layout", str(folder))
    assert "Who works on what" in book.text and "At a glance" not in book.pages[3]
    assert "Contents" in book.text  # every other template comes from the default layout
    assert _page_size(book) == (612, 792)


def _broken_layout(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "broken"
    folder.mkdir()
    for name, text in {"layout.yaml": "{}\n", **files}.items():
        (folder / name).write_text(text, "utf-8")
    return folder


BROKEN = {
    "unknown style key": (
        {
            "layout.yaml": "styles:\n"
            "  mayor.name: {font: sans, size: 20, leading: 24, colour: ink}\n"
        },
        "layout.yaml:2: styles.mayor.name.colour: unknown key; expected one of: based_on, font, "
        "bold, italic, size, leading, color, background, align, space_before, space_after, "
        "left_indent, first_line_indent, keep_with_next, heading; did you mean 'color'?",
    ),
    "misspelt section": (
        {"layout.yaml": "pallete:\n  accent: '#123456'\n"},
        "layout.yaml:1: pallete: unknown key; expected one of: extends, paper, page_limit, "
        "papers, pages, margins, page_templates, fonts, fallback_fonts, palette, styles, text, "
        "lists, heading_rule, cover, contents, chips, glance, tick, running_head, footer, stamp, "
        "notes, photo, pictures, fit; "
        "did you mean 'palette'?",
    ),
    "colour that is not #rrggbb": (
        {"layout.yaml": "palette:\n  ink: red\n"},
        "layout.yaml:2: palette.ink: expected a colour as #rrggbb, found 'red'",
    ),
    "word for a number": (
        {"layout.yaml": "margins: {left: wide}\n"},
        "layout.yaml:1: margins.left: expected a number of points from 0 to 7200, found 'wide'",
    ),
    "unknown font family": (
        {"layout.yaml": "styles:\n  mayor.name: {font: mono, size: 20, leading: 24}\n"},
        "layout.yaml:2: styles.mayor.name.font: unknown font family 'mono'; expected one of: "
        "sans, serif",
    ),
    "unknown colour": (
        {
            "layout.yaml": "styles:\n  mayor.name: {font: sans, size: 20, leading: 24, "
            "color: teal}\n"
        },
        "layout.yaml:2: styles.mayor.name.color: unknown colour 'teal'; expected a palette name",
    ),
    "missing font file": (
        {
            "layout.yaml": "fonts:\n  sans: {regular: Nope.ttf, bold: Nope.ttf, "
            "italic: Nope.ttf, bold_italic: Nope.ttf}\n"
        },
        "layout.yaml:2: fonts.sans.regular: font file 'Nope.ttf' not found; expected a .ttf file",
    ),
    "template syntax error": (
        {"mayor.j2": "{% block name %}{{ mayor.name }{% endblock %}\n"},
        "mayor.j2:1: unexpected '}'",
    ),
    "undefined variable": (
        {
            "statement.j2": "{% block heading %}{{ book.motto }}{% endblock %}\n"
            "{% block body %}x{% endblock %}{% block organization %}{% endblock %}\n"
        },
        "statement.j2:1: block 'heading': no field 'motto' here; expected one of: cover_credit, "
        "organization, statement_body, statement_brief, statement_heading, subtitle, title",
    ),
    "extends itself": (
        {"statement.j2": '{% extends "statement.j2" %}{% block heading %}Us{% endblock %}\n'},
        "statement.j2:1: extends 'statement.j2', which leads back to this template",
    ),
    "sandbox": (
        {
            "statement.j2": "{% block heading %}{{ book.__class__.__mro__ }}{% endblock %}\n"
            "{% block body %}x{% endblock %}{% block organization %}{% endblock %}\n"
        },
        "statement.j2:1: block 'heading': access to attribute '__class__' of 'dict' object is "
        "unsafe",
    ),
    "character no font has": (
        {"glance.j2": "{% block heading %}At a glance \U0001f600{% endblock %}\n"},
        "glance.j2: block 'heading': no font in the layout can draw U+1F600",
    ),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_layout_is_one_message_and_no_file(tmp_path: Path, kind: str):
    files, expected = BROKEN[kind]
    folder = _broken_layout(tmp_path, files)
    out = tmp_path / "out"
    result = run_cli(build_args("--layout", str(folder), output=out / "x.pdf"))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    *problems, count = result.stderr.splitlines()
    assert count == f"{len(problems)} problem{'s' if len(problems) > 1 else ''} found; " + (
        "nothing was written"
    )
    assert any(expected in p for p in problems), problems
    assert not out.exists()


def test_a_template_may_leave_out_blocks_and_extend_the_built_in_one(tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "layout.yaml").write_text("{}\n", "utf-8")
    # Only the heading: every other block of statement.j2 comes from the built-in template.
    (folder / "statement.j2").write_text("{% block heading %}About us{% endblock %}\n", "utf-8")
    (folder / "mayor.j2").write_text(
        '{% extends "default/mayor.j2" %}{% block sources_heading %}Read more{% endblock %}\n',
        "utf-8",
    )
    output = tmp_path / "mine.pdf"
    book = build_book(output, "--layout", str(folder))
    assert "About us" in book.pages[2] and "Reforming the criminal justice system" in book.pages[2]
    assert "Read more" in book.text and "SOURCES" not in book.text and "INITIATIVES" in book.text


def test_a_template_word_the_main_font_lacks_is_drawn_by_a_fallback(tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "layout.yaml").write_text("{}\n", "utf-8")
    (folder / "glance.j2").write_text("{% block heading %}At a glance ⚖{% endblock %}\n", "utf-8")
    output = tmp_path / "mine.pdf"
    book = build_book(output, "--layout", str(folder))
    # In the heading, the bookmark and the running footer alike.
    assert "At a glance ⚖" in book.text
    assert any(title == "At a glance ⚖" for _, title, _ in book.outline())


def test_an_unknown_layout_name_lists_the_built_in_ones(tmp_path: Path):
    result = run_cli(build_args("--layout", "fancy", output=tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(
        "Error: Invalid value for '--layout': layout 'fancy' not found; expected a layout "
        "name (classic, default, one-pager, pocket, read-ahead) or a folder holding layout.yaml"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["default", "classic"])
def test_built_in_layouts_follow_the_layout_schema(name: str):
    # The built-in layout.yaml is not schema-checked on every build; this is where it is.
    from briefbook.layout import resource_dir
    from briefbook.load import load_file
    from briefbook.validate import schema_problems

    problems: list = []
    doc = load_file(resource_dir("layouts") / name / "layout.yaml", problems)
    assert problems == [] and doc is not None
    assert schema_problems(doc, "layout") == []


def test_a_read_ahead_of_one_mayor_sets_the_entry_in_the_left_column(tmp_path: Path):
    pdf = tmp_path / "walsh.pdf"
    result = run_cli(build_args("--layout", "read-ahead", "--mayor", "walsh", output=pdf))
    assert result.exit_code == 0, result.output
    page = Book(pdf).reader.pages[0]
    starts: dict[str, float] = {}

    def seen(text, cm, tm, font, size):
        if text.strip():
            starts.setdefault(text.strip(), tm[4] + cm[4])

    page.extract_text(visitor_text=seen)
    heading = next(x for text, x in starts.items() if text.startswith("WHO WE ARE"))
    name = next(x for text, x in starts.items() if text.startswith("Mayor Marty Walsh"))
    assert abs(name - heading) < 1, (name, heading)  # under the head, not half a page across
