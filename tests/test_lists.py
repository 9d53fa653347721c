"""Markdown lists in rich text print as lists: a bullet or the number as written, a hanging
indent (every line of an item starts where its first word does), one level of nesting; and
fields that hold one line refuse list syntax, located like any other mistake."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import yaml
from pypdf import PdfReader

from conftest import DATA, build_args, run_cli

SUMMARY = """\
Three things changed:

- a reentry office that opens its doors to everyone who comes home, whatever they were
  convicted of, and stays open in the evenings
- summer jobs
  - for young people
  - for returning residents
- a diversion court

In order:

1. first the office
2. then the jobs
"""


def _data(tmp_path: Path, summary: str = SUMMARY) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "mayors" / "bowser.yaml"
    mayor = yaml.safe_load(path.read_text("utf-8"))
    mayor["summary"] = summary
    path.write_text(yaml.safe_dump(mayor, sort_keys=False, allow_unicode=True), "utf-8")
    return data


def _lines(pdf: Path, page: int) -> list[tuple[float, str]]:
    """(x where the line starts, its text) of every line of text on `page`, top down."""
    starts: dict[float, list[tuple[float, str]]] = defaultdict(list)

    def visit(text, cm, tm, font, size):
        if text.strip():
            starts[round(tm[5] * cm[3] + cm[5], 1)].append((tm[4] * cm[0] + cm[4], text))

    PdfReader(pdf).pages[page].extract_text(visitor_text=visit)
    return [
        (min(x for x, _ in runs), "".join(t for _, t in sorted(runs)).strip())
        for _, runs in sorted(starts.items(), reverse=True)
    ]


def test_bullets_numbers_nesting_and_hanging_indents(tmp_path):
    from briefbook.layoutfolder import load_layout

    indent = load_layout("default").settings("lists")["indent"]
    pdf = tmp_path / "book.pdf"
    result = run_cli(build_args("--mayor", "bowser", data=_data(tmp_path), output=pdf))
    assert result.exit_code == 0, result.output
    lines = _lines(pdf, 2)
    text = [t for _, t in lines]
    at = dict((t, x) for x, t in lines)
    edge = at["Three things changed:"]
    first = next(t for t in text if t.startswith("•a reentry office"))
    continued = text[text.index(first) + 1]
    assert continued.startswith("whatever they were")
    assert at[first] == edge  # the bullet at the paragraph's edge
    assert at[continued] == edge + indent  # the item's second line hangs under its text
    for nested in ("–for young people", "–for returning residents"):
        assert at[nested] == edge + indent  # one level in, with the nested bullet
    assert "•summer jobs" in text and "•a diversion court" in text
    assert "1.first the office" in text and "2.then the jobs" in text
    assert not any(t.startswith(("- ", "* ")) for t in text)


def test_a_list_in_a_one_line_field_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "mayors" / "bowser.yaml"
    text = path.read_text("utf-8").replace("name: Muriel Bowser", "name: '- Muriel Bowser'")
    path.write_text(text, "utf-8")
    result = run_cli(["validate", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:2: name: '- ' starts a list, and this field is one line of plain text; "
        "expected text without a list marker (lists belong in rich text such as summary), or "
        "put it in words"
    )


def test_an_item_with_no_words_still_prints_its_marker(tmp_path):
    pdf = tmp_path / "book.pdf"
    data = _data(tmp_path, "Steps:\n\n1.\n2. then the jobs\n-\n  - nested under an empty item\n")
    result = run_cli(build_args("--mayor", "bowser", data=data, output=pdf))
    assert result.exit_code == 0, result.output
    text = [t for _, t in _lines(pdf, 2)]
    start = text.index("Steps:")
    assert text[start + 1 : start + 5] == [
        "1.",
        "2.then the jobs",
        "•",
        "–nested under an empty item",
    ]
