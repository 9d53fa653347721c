"""Files saved with CR LF (Windows) or CR alone (old Mac) line endings, or holding the
characters YAML alone reads as line breaks (U+0085, U+2028, U+2029): every kind of problem
is reported on the line an editor shows, exactly as for the same file with LF endings."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATE, THEMES_HINT, build_args, edit, problem_lines, refused, run, run_cli

ENDINGS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


def with_endings(data: Path, rel: str, ending: str) -> None:
    path = data / rel
    text = path.read_bytes()
    assert b"\r" not in text
    path.write_bytes(text.replace(b"\n", ending.encode()))


def summary_with_two_paragraphs(data: Path, second: str) -> None:
    """Durkan's summary as a `|` block: a paragraph on line 9, a blank line, `second` on 11."""
    edit(
        data,
        "mayors/durkan.yaml",
        "  Mayor Durkan reformed use-of-force policies and the response to people in crisis.\n",
        "  Mayor Durkan reformed use-of-force policies.\n\n" + f"  {second}\n",
    )


def _syntax(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "state: WA", "state: WA: x")


def _control(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "  - policing\nsummary", "  - poli\x07cing\nsummary")


def _unknown_theme(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "  - policing\nsummary", "  - polcing\nsummary")


def _bad_url(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "url: https://www.seattle.gov", "url: www.seattle.gov")


def _duplicate(data: Path) -> None:
    edit(
        data,
        "mayors/durkan.yaml",
        "    url: https://www.seattle.gov",
        "    url: https://www.seattle.gov\n    url: https://seattle.gov",
    )


def _glyph(data: Path) -> None:
    summary_with_two_paragraphs(data, "A smile \U0001f600 here.")


def _link(data: Path) -> None:
    summary_with_two_paragraphs(data, "See [the plan](ftp://x.org/plan).")


def _paragraph(data: Path) -> None:
    summary_with_two_paragraphs(data, "p" * 20_001)


def _quote(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "title: City of Seattle", 'title: "City of Seattle')


def _comment(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "city: Seattle", "city: Seattle #WA")


def _not_utf8(data: Path) -> None:
    path = data / "mayors" / "durkan.yaml"
    path.write_bytes(path.read_bytes().replace(b"Seattle", "Seattlé".encode("latin-1"), 1))


CASES = {
    "syntax": (
        _syntax,
        "data/mayors/durkan.yaml:3: YAML syntax error, column 10: mapping values are not "
        "allowed in this context; a colon followed by a space starts a key: if it is part of "
        'the text, put the whole text in quotes ("...") or start a block with | and write the '
        "text on the lines below it",
    ),
    "control-character": (
        _control,
        "data/mayors/durkan.yaml:7: character U+0007 is not allowed in YAML (a control "
        "character); remove it",
    ),
    "schema-theme": (
        _unknown_theme,
        f"data/mayors/durkan.yaml:7: themes[2]: unknown theme 'polcing'; {THEMES_HINT}; did "
        "you mean 'policing'?",
    ),
    "schema-url": (
        _bad_url,
        "data/mayors/durkan.yaml:17: sources[0].url: expected an http:// or https:// address, "
        "found 'www.seattle.gov'",
    ),
    "duplicate-key": (
        _duplicate,
        "data/mayors/durkan.yaml:18: sources[0].url: duplicate key; first written on line 17, "
        "keep only one",
    ),
    "glyph": (
        _glyph,
        "data/mayors/durkan.yaml:11: summary: no font in the layout can draw U+1F600 "
        "'\U0001f600'; expected characters the book's fonts have (remove or replace them)",
    ),
    "link": (
        _link,
        "data/mayors/durkan.yaml:11: summary: link to 'ftp://x.org/plan'; expected an "
        "http://, https:// or mailto: address",
    ),
    "paragraph": (
        _paragraph,
        "data/mayors/durkan.yaml:11: summary: paragraph too long to lay out: expected at most "
        "20,000 characters in one paragraph (about 3,000 words), found 20,001; split it into "
        "shorter paragraphs with blank lines",
    ),
    "quote": (
        _quote,
        'data/mayors/durkan.yaml:16: YAML syntax error, column 12: the quote (") opened on '
        'line 16 is never closed (the file ends first); put a closing " where the text ends',
    ),
    "comment": (
        _comment,
        "data/mayors/durkan.yaml:2: city: '#WA' is read as a YAML comment and left out of the "
        'text; to keep it, put "Seattle #WA" in quotes',
    ),
    "not-utf8": (
        _not_utf8,
        "data/mayors/durkan.yaml:2: not UTF-8 text (byte 0xe9); save the file as UTF-8",
    ),
}


@pytest.mark.parametrize("ending", list(ENDINGS))
@pytest.mark.parametrize("kind", list(CASES))
def test_the_line_is_right_whatever_the_line_endings(data: Path, kind: str, ending: str) -> None:
    breaks, expected = CASES[kind]
    breaks(data)
    with_endings(data, "mayors/durkan.yaml", ENDINGS[ending])
    refused([expected])


@pytest.mark.parametrize("ending", ["crlf", "cr"])
def test_a_whole_folder_with_other_endings_is_valid_and_builds(data: Path, ending: str) -> None:
    for path in sorted(data.rglob("*.yaml")):
        with_endings(data, str(path.relative_to(data)), ENDINGS[ending])
    built = run("build", "--data", "data", "--date", DATE, "--output", "out/x.pdf")
    assert built.exit_code == 0, built.output
    assert built.stderr == ""


def test_a_control_character_after_non_ascii_text_is_on_its_own_line(data: Path) -> None:
    # The C loader counts the position of an unreadable character in bytes, not characters,
    # so counting lines up to that position would land lines too far on.
    edit(data, "mayors/durkan.yaml", "city: Seattle", "city: " + "Séattlé " * 40)
    edit(data, "mayors/durkan.yaml", "  - policing\nsummary", "  - poli\x07cing\nsummary")
    checked = run("validate", "--data", "data")
    assert problem_lines(checked) == [
        "data/mayors/durkan.yaml:7: character U+0007 is not allowed in YAML (a control "
        "character); remove it"
    ]


# Links that are not web addresses, in a `|` block from line 8: each reported on the line
# where it starts, after soft breaks, a hard break (two spaces), a title over two lines, in
# a list and a nested list.
LINKS = """\
summary: |
  Mayor Durkan reformed use-of-force policies
  and the response to people in crisis.
  see [x](javascript:alert(1))

  - a list item
    with [y](ftp://a "a title
    on two lines") and [z](file:///etc/passwd)\x20\x20
    then a hard break and [w](data:text/html,x)
    - nested [v](ftp://b)
"""


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_bad_link_in_a_block_is_on_its_own_line(data: Path, ending: str) -> None:
    edit(
        data,
        "mayors/durkan.yaml",
        "summary: |\n  Mayor Durkan reformed use-of-force policies and the response to people "
        "in crisis.\n",
        LINKS,
    )
    with_endings(data, "mayors/durkan.yaml", ENDINGS[ending])
    expect = "expected an http://, https:// or mailto: address"
    refused(
        [
            f"data/mayors/durkan.yaml:{line}: summary: link to '{target}'; {expect}"
            for line, target in [
                (11, "javascript:alert(1)"),
                (14, "ftp://a"),
                (15, "file:///etc/passwd"),
                (16, "data:text/html,x"),
                (17, "ftp://b"),
            ]
        ]
    )


# --- line breaks only YAML sees ----------------------------------------------------------
# YAML 1.1 (PyYAML, libyaml) also ends a line at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR,
# which text pasted from a word processor or a web page may hold; editors show no line
# break there, so neither do the messages.

SEPARATORS = {"nel": "\x85", "ls": "\u2028", "ps": "\u2029"}


@pytest.mark.parametrize("ending", list(ENDINGS))
@pytest.mark.parametrize("separator", list(SEPARATORS))
@pytest.mark.parametrize("kind", list(CASES))
def test_the_line_is_right_after_a_line_break_only_yaml_sees(
    data: Path, kind: str, separator: str, ending: str
) -> None:
    """The same problems on the same lines, with such a character in a value above them:
    in quotes on line 1, and inside the `|` block of the summary (line 9)."""
    breaks, expected = CASES[kind]
    sep = SEPARATORS[separator]
    edit(data, "mayors/durkan.yaml", "name: Jenny Durkan", f'name: "Jenny{sep}Durkan"')
    breaks(data)
    path = data / "mayors" / "durkan.yaml"  # in bytes: one case leaves it no longer UTF-8
    summary = path.read_bytes()
    assert summary.count(b"\n  Mayor Durkan ") == 1
    path.write_bytes(summary.replace(b"  Mayor Durkan ", f"  Mayor{sep}  Durkan ".encode()))
    with_endings(data, "mayors/durkan.yaml", ENDINGS[ending])
    refused([expected])


@pytest.mark.parametrize("ending", list(ENDINGS))
@pytest.mark.parametrize("separator", list(SEPARATORS))
def test_a_value_with_a_line_separator_leaves_the_next_key_on_its_line(
    data: Path, separator: str, ending: str
) -> None:
    sep = SEPARATORS[separator]
    edit(data, "mayors/bowser.yaml", "city: Washington", f'city: "Wash{sep}ington"')
    edit(data, "mayors/bowser.yaml", "state: DC", "state: Washington")
    with_endings(data, "mayors/bowser.yaml", ENDINGS[ending])
    refused(
        [
            "data/mayors/bowser.yaml:3: state: expected a two-letter USPS code such as DC or "
            "MN, found 'Washington'"
        ]
    )


@pytest.mark.parametrize("ending", list(ENDINGS))
@pytest.mark.parametrize("separator", list(SEPARATORS))
def test_a_line_separator_that_breaks_the_yaml_is_named(
    data: Path, separator: str, ending: str
) -> None:
    """Unquoted, the rest of the value is a line of its own to YAML: the error is on the
    editor's lines, and says which character did it."""
    sep = SEPARATORS[separator]
    edit(data, "mayors/bowser.yaml", "city: Washington", f"city: Wash{sep}ington")
    with_endings(data, "mayors/bowser.yaml", ENDINGS[ending])
    keep = "" if sep == "\x85" else ", or put the whole text in quotes"
    refused(
        [
            "data/mayors/bowser.yaml:3: YAML syntax error, column 1: could not find expected "
            "':'; while scanning a simple key (line 2); line 2 holds the character "
            f"U+{ord(sep):04X}, which YAML reads as a line break (editors show none there): "
            f"remove it{keep}"
        ]
    )


@pytest.mark.parametrize("separator", list(SEPARATORS))
def test_a_column_after_a_line_separator_is_the_editors(data: Path, separator: str) -> None:
    sep = SEPARATORS[separator]
    line = f'name: "Jenny{sep}Durkan" Jr'
    edit(data, "mayors/durkan.yaml", "name: Jenny Durkan", line)
    closing = line.rindex('"') + 1  # the column of the closing quote
    refused(
        [
            f"data/mayors/durkan.yaml:1: YAML syntax error, column {closing}: "
            'text goes on after the closing quote ("); to write " inside text quoted with ", '
            'write it as \\", or quote the text with the other kind of quote'
        ]
    )


@pytest.mark.parametrize("separator", list(SEPARATORS))
def test_a_problem_in_a_layout_is_on_its_line_after_a_line_separator(
    tmp_path: Path, separator: str
) -> None:
    layout = tmp_path / "layout"
    layout.mkdir()
    text = f"# the colour of the cover{SEPARATORS[separator]}\npalette:\n  field: red\n"
    (layout / "layout.yaml").write_text(text, "utf-8")
    result = run_cli(build_args("--layout", str(layout), output=tmp_path / "b.pdf"))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"{layout / 'layout.yaml'}:3: palette.field: ")
