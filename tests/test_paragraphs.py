"""One paragraph of rich text holds at most 20,000 characters: ReportLab's layout time grows
with the square of a paragraph's length, so a longer one would stall the build. A long
summary in one paragraph (1,500 words) still passes; past the limit, the paragraph is named
by its first line, with the limit, what was found and how to split it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATE, pdf_pages, problem_lines, refused, run, set_field


def words(n: int) -> str:
    """`n` words of about six characters and a space each, in one line."""
    return " ".join(f"word{i % 97:02d}" for i in range(n))


def too_long(line: int, field: str, found: int, file: str = "mayors/durkan.yaml") -> str:
    return (
        f"data/{file}:{line}: {field}: paragraph too long to lay out: expected at most 20,000 "
        f"characters in one paragraph (about 3,000 words), found {found:,}; split it into "
        "shorter paragraphs with blank lines"
    )


def test_a_1500_word_summary_in_one_paragraph_is_built(data: Path) -> None:
    summary = words(1_500)
    assert 10_000 < len(summary) < 20_000
    set_field(data, "mayors/durkan.yaml", ("summary",), summary + "\n")
    built = run("build", "--data", "data", "--date", DATE, "--output", "out/x.pdf")
    assert built.exit_code == 0, built.output
    text = " ".join(" ".join(pdf_pages(Path("out/x.pdf"))).split())
    assert words(1_500)[-200:] in text


def test_a_paragraph_of_exactly_the_limit_passes(data: Path) -> None:
    set_field(data, "mayors/durkan.yaml", ("summary",), "x" * 20_000 + "\n")
    assert run("validate", "--data", "data").exit_code == 0


def test_a_paragraph_over_the_limit_is_named_at_its_first_line(data: Path) -> None:
    # Durkan's summary is a `|` block on lines 8-9; a second paragraph starts on line 11.
    long = "y" * 20_001
    path = data / "mayors" / "durkan.yaml"
    text = path.read_text("utf-8")
    text = text.replace(
        "  Mayor Durkan reformed use-of-force policies and the response to people in crisis.\n",
        "  Mayor Durkan reformed use-of-force policies.\n\n"
        f"  {long[:10_000]}\n  {long[10_000:]}\n\n  A short closing paragraph.\n",
    )
    path.write_text(text, "utf-8")
    lines = text.splitlines()
    assert lines[10].startswith("  yyy") and not lines[9].strip()
    refused([too_long(11, "summary", 20_002)])


@pytest.mark.parametrize(
    ("rel", "key", "field"),
    [
        ("book.yaml", ("statement", "body"), "statement.body"),
        ("mayors/durkan.yaml", ("initiatives", 0, "description"), "initiatives[0].description"),
    ],
    ids=["statement", "initiative"],
)
def test_every_rich_text_field_has_the_limit(
    data: Path, rel: str, key: tuple[str | int, ...], field: str
) -> None:
    set_field(data, rel, key, "First paragraph.\n\n" + "z" * 25_000 + "\n")
    checked = run("validate", "--data", "data")
    assert checked.exit_code == 1
    [line] = problem_lines(checked)
    assert line.startswith(f"data/{rel}:")
    assert line.endswith(
        f" {field}: paragraph too long to lay out: expected at most 20,000 characters in one "
        "paragraph (about 3,000 words), found 25,000; split it into shorter paragraphs with "
        "blank lines"
    )


def test_plain_text_fields_keep_their_own_limits(data: Path) -> None:
    # A theme's description is plain text: its limit is its length, not its paragraphs.
    set_field(data, "themes.yaml", ("policing", "description"), "w" * 401)
    checked = run("validate", "--data", "data")
    [line] = problem_lines(checked)
    assert line.endswith(
        "policing.description: expected at most 400 characters, found 401; shorten it"
    )
