"""A layout folder is untrusted like data: a template that fails while it runs, loops, builds
huge values, extends itself in a circle or breaks paragraph markup; a template or font that
leads outside; a paper no printer takes; a style or block that does not match. Each is a
located problem, exit 1, nothing written, and nothing from outside printed anywhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Book, build_args, run_cli


def broken(tmp_path: Path, files: dict[str, str]) -> tuple[Path, object, Path]:
    folder = tmp_path / "layout"
    folder.mkdir()
    for name, text in {"layout.yaml": "{}\n", **files}.items():
        (folder / name).write_text(text, "utf-8")
    pdf = tmp_path / "out" / "book.pdf"
    result = run_cli(build_args("--layout", str(folder), "--mayor", "bowser", output=pdf))
    return folder, result, pdf


def refused(result, pdf: Path) -> list[str]:
    """The problem lines of a build that failed as a layout problem should."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    *problems, count = result.stderr.splitlines()
    n = len(problems)
    assert count == f"{n} problem{'s' if n > 1 else ''} found; nothing was written"
    assert not pdf.exists() and not pdf.parent.exists()
    return problems


STATEMENT = "{% block heading %}X{% endblock %}"
FAILING = {
    "division by zero": (
        "statement.j2",
        "\n{% block heading %}{{ 1 // 0 }}{% endblock %}",
        "statement.j2:2: block 'heading': ZeroDivisionError: integer division or modulo by zero",
    ),
    "a misspelt attribute": (
        "mayor.j2",
        "{% block name %}{{ mayor.nmae }}{% endblock %}",
        "mayor.j2:1: block 'name': no field 'nmae' here; expected one of: brief, city, id, "
        "initiatives, name, sources, state, summary, theme_labels, themes, title; did you mean "
        "'name'?",
    ),
    "a name templates are not given": (
        "statement.j2",
        "{% block heading %}{{ nosuch }}{% endblock %}",
        "statement.j2:1: block 'heading': 'nosuch' is undefined; expected one of the names a "
        "template is given: book, contact, cycler, date, dict, focus, joiner, mayors, meeting, "
        "places, range, themes",
    ),
    "an include of a template that is not there": (
        "statement.j2",
        '{% block heading %}\n{% include "nosuch.j2" %}{% endblock %}',
        "statement.j2:2: template 'nosuch.j2' not found; expected a template file of this layout "
        "(such as mayor.j2) or a built-in one, named default/<name>.j2",
    ),
    "extends another layout's template": (
        "mayor.j2",
        '\n{% extends "classic/mayor.j2" %}',
        "mayor.j2:2: extends 'classic/mayor.j2', which is not found; expected a template of this "
        "layout or a built-in one, named default/<name>.j2",
    ),
    "a range too long": (
        "statement.j2",
        "{% block heading %}{% for i in range(10**9) %}{% endfor %}{% endblock %}",
        "statement.j2:1: block 'heading': an argument of 1,000,000,000; expected numbers up to "
        "1,000,000",
    ),
    "a huge string": (
        "statement.j2",
        '{% block heading %}{{ "x" * 10**9 }}{% endblock %}',
        "statement.j2:1: block 'heading': '*' would make a value of more than 1,000,000 characters",
    ),
    "a huge filter argument": (
        "statement.j2",
        '{% block heading %}{{ "x" | center(10**9) }}{% endblock %}',
        "statement.j2:1: block 'heading': an argument of 1,000,000,000; expected numbers up to "
        "1,000,000",
    ),
    "a huge format width": (
        "statement.j2",
        '{% block heading %}{{ "%0999999999d" % 1 }}{% endblock %}',
        "statement.j2:1: block 'heading': a '%' format with a width or precision of thousands "
        "of characters, or one taken from the values (*)",
    ),
    "a huge format precision, by name": (
        "statement.j2",
        '{% block heading %}{{ "%(a).999999999d" % {"a": 1} }}{% endblock %}',
        "statement.j2:1: block 'heading': a '%' format with a width or precision of thousands "
        "of characters, or one taken from the values (*)",
    ),
    "a huge str.format width": (
        "statement.j2",
        '{% block heading %}{{ "{:>9999999999}".format("") }}{% endblock %}',
        "statement.j2:1: block 'heading': a format field with a width or precision of more "
        "than 1,000,000 characters",
    ),
    "an exponent too large": (
        "statement.j2",
        "{% block heading %}{{ 2 ** 100000 }}{% endblock %}",
        "statement.j2:1: block 'heading': '2 ** 100000' is too large; expected exponents up to 64",
    ),
    "an unbalanced tag in the template's own words": (
        "statement.j2",
        "{% block heading %}<b>Who we are{% endblock %}",
        "statement.j2: block 'heading': the words are not paragraph markup ReportLab can read "
        "(saw </para> instead of expected </b>); expected balanced <b>, <i> and <font> tags",
    ),
    "a picture read from anywhere on the machine": (
        "statement.j2",
        '{% block heading %}Us\n<img src="/usr/share/pixmaps/x.png" width="9" height="9"/>'
        "{% endblock %}",
        "statement.j2:2: block 'heading': the words hold a <img> tag, which a template may not "
        "print; expected only <b>, <i>, <u>, <strike>, <super>, <sub>, <font>, <a> and <br/>",
    ),
    "a call into the canvas": (
        "statement.j2",
        '{% block heading %}Us<onDraw name="x" label="y"/>{% endblock %}',
        "statement.j2:1: block 'heading': the words hold a <ondraw> tag, which a template may "
        "not print; expected only <b>, <i>, <u>, <strike>, <super>, <sub>, <font>, <a> and <br/>",
    ),
    "a script for a link": (
        "statement.j2",
        '{% block heading %}<a href="javascript:alert(1)">Us</a>{% endblock %}',
        "statement.j2:1: block 'heading': a link to 'javascript:alert(1)'; expected an http://, "
        "https:// or mailto: address, or #name for a place in the book",
    ),
    "a font the PDF does not embed": (
        "statement.j2",
        '{% block heading %}<font name="Helvetica">Us</font>{% endblock %}',
        "statement.j2:1: block 'heading': <font name=\"Helvetica\"> names no font of this layout "
        "(the PDF's own fonts are never embedded); set the font in the block's style instead",
    ),
    "Python's insides": (
        "statement.j2",
        "{% block heading %}{{ book.__class__ }}{% endblock %}",
        "statement.j2:1: block 'heading': access to attribute '__class__' of 'dict' object is "
        "unsafe.",
    ),
}


@pytest.mark.parametrize("case", list(FAILING))
def test_a_template_that_fails_while_it_runs_is_located(tmp_path, case: str):
    name, text, expected = FAILING[case]
    folder, result, pdf = broken(tmp_path, {name: text})
    assert refused(result, pdf) == [f"{folder}/{expected}"]


def test_a_template_that_runs_too_long_is_stopped(tmp_path, monkeypatch):
    import briefbook.templates

    monkeypatch.setattr(briefbook.templates, "SECONDS", 0.3)
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    folder, result, pdf = broken(
        tmp_path, {"statement.j2": f"{{% block heading %}}{loop}{{% endblock %}}"}
    )
    assert refused(result, pdf) == [
        f"{folder}/statement.j2:1: block 'heading': the template ran for more than 0.3 seconds; "
        "expected it to finish (a loop that runs too long?)"
    ]


def test_templates_that_extend_each_other_in_a_circle(tmp_path):
    folder, result, pdf = broken(
        tmp_path,
        {"mayor.j2": '{% extends "mayor2.j2" %}', "mayor2.j2": '{% extends "mayor.j2" %}\n'},
    )
    problems = refused(result, pdf)
    assert problems == [
        f"{folder}/mayor2.j2:1: extends 'mayor.j2', which leads back to this template; "
        'expected {% extends "default/<name>.j2" %}'
    ]


def test_a_template_symlinked_outside_its_folder_is_refused_and_not_printed(tmp_path):
    secret = tmp_path / "private.txt"
    secret.write_text("{% block heading %}my bank password{% endblock %}", "utf-8")
    folder = tmp_path / "layout"
    folder.mkdir()
    (folder / "layout.yaml").write_text("{}\n", "utf-8")
    os.symlink(secret, folder / "statement.j2")
    pdf = tmp_path / "out" / "book.pdf"
    result = run_cli(build_args("--layout", str(folder), output=pdf))
    assert refused(result, pdf) == [
        f"{folder}/statement.j2: template: it leads outside {folder} (through a symlink or "
        "'..'); expected a file inside it"
    ]
    assert "password" not in result.output


def test_a_template_that_is_a_fifo_is_refused_at_once(tmp_path):
    folder = tmp_path / "layout"
    folder.mkdir()
    (folder / "layout.yaml").write_text("{}\n", "utf-8")
    os.mkfifo(folder / "mayor.j2")
    pdf = tmp_path / "out" / "book.pdf"
    result = run_cli(build_args("--layout", str(folder), output=pdf))
    assert refused(result, pdf) == [
        f"{folder}/mayor.j2: template: it is a named pipe (FIFO), not a regular file"
    ]


def test_a_font_named_by_a_path_outside_is_refused(tmp_path):
    outside = tmp_path / "Elsewhere.ttf"
    outside.write_bytes((Path(__file__).parents[1] / "fonts" / "NotoSans-Regular.ttf").read_bytes())
    folder, result, pdf = broken(
        tmp_path,
        {
            "layout.yaml": f"fonts:\n  sans: {{regular: {outside}, bold: NotoSans-Bold.ttf, "
            "italic: NotoSans-Italic.ttf, bold_italic: NotoSans-BoldItalic.ttf}\n"
        },
    )
    fonts = Path(__file__).parents[1] / "fonts"
    assert refused(result, pdf) == [
        f"{folder}/layout.yaml:2: fonts.sans.regular: font file '{outside}' is outside the "
        f"layout's folder and fonts/; expected a .ttf file in {folder} or {fonts}"
    ]


@pytest.mark.parametrize("size", ["[1.0e+9, 1.0e+9]", "[10, 10]"])
def test_a_paper_no_printer_takes_is_refused_with_the_limits(tmp_path, size: str):
    folder, result, pdf = broken(tmp_path, {"layout.yaml": f"papers:\n  letter: {size}\n"})
    found = "1000000000.0" if "e+9" in size else "10"
    assert refused(result, pdf) == [
        f"{folder}/layout.yaml:2: papers.letter[{i}]: expected a length from 144 to 14400 points "
        f"(2 to 200 inches), found a number ({found})"
        for i in (0, 1)
    ]


def test_a_style_no_block_uses_is_a_typo(tmp_path):
    folder, result, pdf = broken(
        tmp_path, {"layout.yaml": "styles:\n  mayor.sumary: {font: sans, size: 10, leading: 14}\n"}
    )
    assert refused(result, pdf) == [
        f"{folder}/layout.yaml:2: styles.mayor.sumary: no template block uses the style "
        "'mayor.sumary'; expected <template>.<block> of a block that exists; did you mean "
        "'mayor.summary'?"
    ]


def test_a_block_without_a_style_is_refused_naming_the_style_it_needs(tmp_path):
    folder, result, pdf = broken(
        tmp_path,
        {
            "layout.yaml": "styles:\n  mayor.mottto: {font: sans, size: 10, leading: 14}\n",
            "mayor.j2": '{% extends "default/mayor.j2" %}{% block motto %}Hi{% endblock %}',
        },
    )
    assert sorted(refused(result, pdf)) == [
        f"{folder}/layout.yaml:2: styles.mayor.mottto: no template block uses the style "
        "'mayor.mottto'; expected <template>.<block> of a block that exists; did you mean "
        "'mayor.motto'?",
        f"{folder}/mayor.j2: block 'motto': no style for this block; expected styles.mayor.motto "
        "in layout.yaml; did you mean 'mayor.mottto'?",
    ]


NOT_NUMBERS = {
    "a margin": ("margins: {top: .nan}\n", "1: margins.top: found .nan; expected a finite number"),
    "a paper": (
        "papers: {big: [.inf, 800]}\npaper: big\n",
        "1: papers.big[0]: found .inf; expected a finite number",
    ),
    "a type size": (
        "styles:\n  mayor.name: {font: sans, size: .nan, leading: 31, color: ink}\n",
        "2: styles.mayor.name.size: found .nan; expected a finite number",
    ),
    "the motif": (
        "cover: {motif: {rings: {spacing: -.inf}}}\n",
        "1: cover.motif.rings.spacing: found -.inf; expected a finite number",
    ),
}


@pytest.mark.parametrize("case", list(NOT_NUMBERS))
def test_nan_and_infinity_in_layout_yaml_are_located(tmp_path, case: str):
    # YAML reads .nan and .inf as numbers, and the schema's number type lets them through.
    text, expected = NOT_NUMBERS[case]
    folder, result, pdf = broken(tmp_path, {"layout.yaml": text})
    assert refused(result, pdf) == [f"{folder}/layout.yaml:{expected}"]


def test_a_footer_of_a_hundred_thousand_letters_is_shortened_not_hung_on(tmp_path):
    # Shortening took one measure per letter dropped, each of the whole text: 20,000 letters
    # ran for minutes. Now it halves its way to the length that fits.
    footer = '{% block left %}{{ "Wide" * 25000 }} · page {{ page }}{% endblock %}'
    _, result, pdf = broken(tmp_path, {"footer.j2": footer})
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    last = book.lines(book.page_count - 1)
    [line] = [t for t in last if t.startswith("WideWide")]
    assert line.endswith(f"… · page {book.page_count}"), line
