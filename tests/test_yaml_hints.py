"""YAML's commonest mistakes: a colon inside unquoted text, a tab in the indentation, a quote
left open or text written on after a closing quote. Each is located as a syntax error and
says what to do; a quote left open is reported where it opened, not where the file ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit, refused, run

COLON = (
    "mapping values are not allowed in this context; a colon followed by a space starts a "
    'key: if it is part of the text, put the whole text in quotes ("...") or start a block '
    "with | and write the text on the lines below it"
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "city: Seattle",
            "city: Seattle: the Emerald City",
            f"data/mayors/durkan.yaml:2: YAML syntax error, column 14: {COLON}",
        ),
        (
            "    description: She led",
            "    description: Goal: she led",
            f"data/mayors/durkan.yaml:14: YAML syntax error, column 22: {COLON}",
        ),
    ],
    ids=["city", "initiative-description"],
)
def test_a_colon_inside_unquoted_text(data: Path, old: str, new: str, expected: str) -> None:
    edit(data, "mayors/durkan.yaml", old, new)
    refused([expected])


def test_a_colon_in_a_list_item_makes_a_mapping_and_is_named(data: Path) -> None:
    # Valid YAML, so no syntax error: the item is a mapping where a theme id belongs.
    edit(data, "mayors/durkan.yaml", "  - diversion\n", "  - diversion: alternatives\n")
    refused(
        [
            "data/mayors/durkan.yaml:6: themes[1]: expected a theme id from themes.yaml, found a "
            "mapping of keys; a colon followed by a space makes a key: if it is part of the text, "
            'put the whole text in quotes ("...")'
        ]
    )


def test_a_colon_in_a_literal_block_is_text(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "  Mayor Durkan reformed", "  Mayor Durkan reformed: ")
    assert run("validate", "--data", "data").exit_code == 0


TABS = "YAML indents with spaces, not tabs: replace the tab on line {line} with spaces"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  - diversion",
            "\t- diversion",
            "data/mayors/durkan.yaml:6: YAML syntax error, column 1: found a tab character "
            "that violates indentation; while scanning a plain scalar (line 5); "
            + TABS.format(line=6),
        ),
        (
            "state: WA",
            "\tstate: WA",
            "data/mayors/durkan.yaml:3: YAML syntax error, column 1: found a tab character "
            "that violates indentation; while scanning a plain scalar (line 2); "
            + TABS.format(line=3),
        ),
        (
            "  Mayor Durkan reformed",
            "\tMayor Durkan reformed",
            "data/mayors/durkan.yaml:9: YAML syntax error, column 1: found a tab character "
            "where an indentation space is expected; while scanning a block scalar (line 8); "
            + TABS.format(line=9),
        ),
        (
            "    themes:\n      - policing",
            "    themes:\n\t- policing",
            "data/mayors/durkan.yaml:13: YAML syntax error, column 1: found character that "
            "cannot start any token; " + TABS.format(line=13),
        ),
    ],
    ids=["list-item", "key", "block", "nested-list"],
)
def test_tab_indentation(data: Path, old: str, new: str, expected: str) -> None:
    edit(data, "mayors/durkan.yaml", old, new)
    refused([expected])


def test_a_double_quote_never_closed(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "city: Seattle", 'city: "Seattle')
    refused(
        [
            'data/mayors/durkan.yaml:2: YAML syntax error, column 7: the quote (") opened on line '
            '2 is never closed (the file ends first); put a closing " where the text ends'
        ]
    )


def test_a_quote_closed_only_by_a_later_line(data: Path) -> None:
    # The apostrophe of "department's" on line 14 closes the quote opened on line 2.
    edit(data, "mayors/durkan.yaml", "city: Seattle", "city: 'Seattle")
    refused(
        [
            "data/mayors/durkan.yaml:2: YAML syntax error, column 7: the quote (') opened on line "
            "2 is closed only on line 14; close it on line 2, or check for a quote missing there"
        ]
    )


def test_a_quote_left_open_and_another_quoted_value_later(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "city: Seattle", 'city: "Seattle')
    edit(data, "mayors/durkan.yaml", "title: City of Seattle", 'title: "City of Seattle"')
    refused(
        [
            'data/mayors/durkan.yaml:2: YAML syntax error, column 7: the quote (") opened on line '
            "2 is closed only on line 16; close it on line 2, or check for a quote missing there"
        ]
    )


def test_an_apostrophe_inside_single_quotes(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "name: Jenny Durkan", "name: 'Jenny O'Durkan'")
    refused(
        [
            "data/mayors/durkan.yaml:1: YAML syntax error, column 15: text goes on after the "
            "closing quote ('); to write ' inside text quoted with ', write it as '' (two single "
            "quotes), or quote the text with the other kind of quote"
        ]
    )


def test_text_after_a_double_quoted_word(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "name: Jenny Durkan", 'name: "Jenny" Durkan')
    refused(
        [
            "data/mayors/durkan.yaml:1: YAML syntax error, column 13: text goes on after the "
            'closing quote ("); to write " inside text quoted with ", write it as \\", or quote '
            "the text with the other kind of quote"
        ]
    )


def test_an_error_without_a_common_cause_gets_no_hint(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "city: Seattle", "city: *seattle")
    refused(["data/mayors/durkan.yaml:2: YAML syntax error, column 7: found undefined alias"])


def test_text_after_a_quote_that_rightly_spans_two_lines(data: Path) -> None:
    # No key was swallowed, so the quote is not the one left open: what follows it is wrong.
    edit(data, "mayors/durkan.yaml", "city: Seattle", 'city: "Seattle,\n  Washington" state')
    refused(
        [
            "data/mayors/durkan.yaml:3: YAML syntax error, column 13: text goes on after the "
            'closing quote ("); to write " inside text quoted with ", write it as \\", or quote '
            "the text with the other kind of quote"
        ]
    )


# --- a '#' that YAML reads as a comment -----------------------------------------------------


def test_a_hash_in_unquoted_text_is_not_silently_cut_off(data: Path) -> None:
    # To YAML, ' #2' starts a comment: the name would print as "Police reform".
    edit(data, "mayors/durkan.yaml", "  - name: Police reform", "  - name: Police reform #2")
    refused(
        [
            "data/mayors/durkan.yaml:11: initiatives[0].name: '#2' is read as a YAML comment "
            'and left out of the text; to keep it, put "Police reform #2" in quotes'
        ]
    )


def test_a_colour_written_without_quotes_is_not_read_as_empty(data: Path) -> None:
    Path("mine").mkdir()
    Path("mine/layout.yaml").write_text("palette:\n  field: #4a1c40\n", "utf-8")
    refused(
        [
            "mine/layout.yaml:2: palette.field: '#4a1c40' is read as a YAML comment, so the "
            'value is empty; put it in quotes: "#4a1c40"'
        ],
        "--layout",
        "mine",
    )


def test_a_comment_written_as_one_is_left_alone(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "state: WA", "state: WA  # Washington state")
    edit(data, "mayors/durkan.yaml", "summary: |", "summary: |  # one paragraph")
    assert run("validate", "--data", "data").exit_code == 0


# --- a key or a list item a space out of line -----------------------------------------------

INDENT = (
    "check the indentation of line {line}: it starts in column {column}, where no key or list "
    "item above it starts; the keys of one mapping, and the dashes of one list, start in the "
    "same column"
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "city: Seattle",
            " city: Seattle",
            "data/mayors/durkan.yaml:2: YAML syntax error, column 6: mapping values are not "
            f"allowed in this context; {INDENT.format(line=2, column=2)}",
        ),
        (
            "    description: She led",
            "     description: She led",
            "data/mayors/durkan.yaml:14: YAML syntax error, column 6: did not find expected key; "
            f"while parsing a block mapping (line 11); {INDENT.format(line=14, column=6)}",
        ),
    ],
    ids=["a key one space in", "an initiative's key one space in"],
)
def test_a_key_out_of_line_is_named_as_indentation(data: Path, old: str, new: str, expected):
    edit(data, "mayors/durkan.yaml", old, new)
    refused([expected])
