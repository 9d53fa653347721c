"""`briefbook validate` and `briefbook build` on broken data folders: one test per kind of
mistake, each asserting the exact problem line (file:line: field: message), the exit status,
that no traceback leaks, and that `build` writes nothing."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import (
    ROOT,
    THEMES_HINT,
    append,
    edit,
    files_under,
    line_of,
    problem_lines,
    refused,
    run,
    write_png,
    write_png_claiming,
)

MAYOR_KEYS = (
    "expected one of: name, title, city, state, sort_as, themes, summary, brief, initiatives, "
    "photo, photo_alt, photo_focus, sources"
)
BOOK_KEYS = "expected one of: title, subtitle, organization, language, statement, cover, contact"
USPS = "expected a two-letter USPS code such as DC or MN"
BOOLEAN = "(yes, no, on and off are read as true or false; put text in quotes)"
COLON_HINT = (
    "a colon followed by a space starts a key: if it is part of the text, put the whole text "
    'in quotes ("...") or start a block with | and write the text on the lines below it'
)


def no_crash_one_problem(prefix: str, *words: str) -> None:
    """For bugs whose fixed wording is not known yet: exit 1 through a clean message, one
    problem line starting with `prefix` and naming `words`, nothing written."""
    checked = run("validate", "--data", "data")
    assert checked.exception is None or isinstance(checked.exception, SystemExit), repr(
        checked.exception
    )
    assert checked.exit_code == 1
    lines = problem_lines(checked)
    assert len(lines) == 1, lines
    assert lines[0].startswith(prefix), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    built = run("build", "--data", "data", "--output", "out/x.pdf")
    assert built.exception is None or isinstance(built.exception, SystemExit)
    assert files_under(Path("out")) == []


# --- the valid folders ---------------------------------------------------------------------


def test_the_small_folder_is_valid(data: Path) -> None:
    result = run("validate", "--data", "data")
    assert result.exit_code == 0, result.output
    assert result.stdout == "data: 3 mayors, 3 themes; no problems found\n"
    assert result.stderr == ""


def test_validate_on_the_real_data_prints_one_summary_line() -> None:
    data = ROOT / "data"
    result = run("validate", "--data", str(data))
    assert result.exit_code == 0, result.output
    mayors = len(list((data / "mayors").glob("*.yaml")))
    lines = result.stdout.splitlines()
    assert len(lines) == 1, lines
    assert re.fullmatch(
        rf"{re.escape(str(data))}: {mayors} mayors, \d+ themes, 1 meeting; no problems found",
        lines[0],
    ), lines[0]
    assert result.stderr == ""


# --- the example: theme ids ----------------------------------------------------------


def test_unknown_theme_names_the_valid_ones_and_the_closest(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "  - policing\nsummary", "  - polcing\nsummary")
    refused(
        [
            "data/mayors/durkan.yaml:7: themes[2]: unknown theme 'polcing'; "
            f"{THEMES_HINT}; did you mean 'policing'?"
        ]
    )


def test_unknown_theme_without_a_close_match_has_no_suggestion(data: Path) -> None:
    edit(data, "mayors/bowser.yaml", "  - diversion", "  - zoning")
    refused([f"data/mayors/bowser.yaml:5: themes[0]: unknown theme 'zoning'; {THEMES_HINT}"])


def test_unknown_theme_in_an_initiative(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "      - policing", "      - polcing")
    refused(
        [
            "data/mayors/durkan.yaml:13: initiatives[0].themes[0]: unknown theme 'polcing'; "
            f"{THEMES_HINT}; did you mean 'policing'?"
        ]
    )


def test_a_theme_listed_twice(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "  - diversion\n", "  - policing\n")
    # The repeat is named on its own line, with the place of the first.
    refused(
        [
            "data/mayors/durkan.yaml:7: themes[2]: 'policing' is listed twice (also themes[1]); "
            "expected each once"
        ]
    )


def test_an_empty_theme_list(data: Path) -> None:
    edit(data, "mayors/bowser.yaml", "themes:\n  - diversion", "themes: []")
    refused(
        [
            "data/mayors/bowser.yaml:4: themes: expected a list of at least one theme id, "
            "found an empty list"
        ]
    )


@pytest.mark.parametrize("theme_id", ["Bad_Id", "policing!", "x" * 41])
def test_an_invalid_theme_id_in_themes_yaml(data: Path, theme_id: str) -> None:
    append(data, "themes.yaml", f"{theme_id}:\n  label: Bad\n")
    refused(
        [
            f"data/themes.yaml:10: {theme_id}: invalid id '{theme_id}'; expected lower-case "
            "letters, digits and single hyphens, e.g. violence-prevention"
        ]
    )


# --- required and unknown keys ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        (
            "mayors/durkan.yaml",
            "city: Seattle\n",
            "",
            "data/mayors/durkan.yaml:1: city: required key is missing; expected text",
        ),
        (
            "mayors/bowser.yaml",
            "summary: |\n"
            "  Mayor Bowser opened a reentry office and funded violence interrupters.\n",
            "",
            "data/mayors/bowser.yaml:1: summary: required key is missing; expected text",
        ),
        (
            "mayors/bowser.yaml",
            "themes:\n  - diversion\n",
            "",
            "data/mayors/bowser.yaml:1: themes: required key is missing; expected a list of at "
            "least one theme id",
        ),
        (
            "mayors/durkan.yaml",
            "  - name: Police reform\n    themes:",
            "  - themes:",
            "data/mayors/durkan.yaml:11: initiatives[0].name: required key is missing; expected "
            "text",
        ),
        (
            "mayors/durkan.yaml",
            "    url: https://www.seattle.gov\n",
            "",
            "data/mayors/durkan.yaml:16: sources[0].url: required key is missing; expected an "
            "http:// or https:// address",
        ),
        (
            "book.yaml",
            "title: Harbour Mayors Briefing\n",
            "",
            "data/book.yaml:1: title: required key is missing; expected text",
        ),
        (
            "book.yaml",
            "  heading: Who We Are\n",
            "",
            "data/book.yaml:4: statement.heading: required key is missing; expected text",
        ),
        (
            "themes.yaml",
            "  label: Diversion\n",
            "",
            "data/themes.yaml:4: diversion.label: required key is missing; expected text",
        ),
    ],
    ids=[
        "city",
        "summary",
        "themes",
        "initiative-name",
        "source-url",
        "title",
        "statement-heading",
        "theme-label",
    ],
)
def test_missing_required_key(data: Path, rel: str, old: str, new: str, expected: str) -> None:
    edit(data, rel, old, new)
    refused([expected])


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        (
            "mayors/bowser.yaml",
            "state: DC\n",
            "state: DC\nsumary: x\n",
            f"data/mayors/bowser.yaml:4: sumary: unknown key; {MAYOR_KEYS}; did you mean "
            "'summary'?",
        ),
        (
            "book.yaml",
            "subtitle:",
            "subtitel:",
            f"data/book.yaml:2: subtitel: unknown key; {BOOK_KEYS}; did you mean 'subtitle'?",
        ),
        (
            "book.yaml",
            "  heading: Who We Are\n",
            "  heading: Who We Are\n  headline: x\n",
            "data/book.yaml:6: statement.headline: unknown key; expected one of: heading, body, "
            "brief; did you mean 'heading'?",
        ),
        (
            "mayors/durkan.yaml",
            "    url: https://www.seattle.gov",
            "    url: https://www.seattle.gov\n    link: x",
            "data/mayors/durkan.yaml:18: sources[0].link: unknown key; expected one of: title, url",
        ),
        (
            "themes.yaml",
            "  label: Diversion\n",
            "  label: Diversion\n  lable: x\n",
            "data/themes.yaml:6: diversion.lable: unknown key; expected one of: label, "
            "description; did you mean 'label'?",
        ),
    ],
    ids=["mayor", "book", "statement", "source", "theme"],
)
def test_unknown_key_with_a_suggestion(
    data: Path, rel: str, old: str, new: str, expected: str
) -> None:
    edit(data, rel, old, new)
    refused([expected])


def test_a_misspelt_required_key_is_reported_as_missing_and_unknown(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "city: Seattle", "citty: Seattle")
    refused(
        [
            "data/mayors/durkan.yaml:1: city: required key is missing; expected text",
            f"data/mayors/durkan.yaml:2: citty: unknown key; {MAYOR_KEYS}; did you mean 'city'?",
        ]
    )


# --- wrong types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "city: Seattle",
            "city: 1234",
            "data/mayors/durkan.yaml:2: city: expected text, found a number (1234); put text in "
            "quotes",
        ),
        (
            "city: Seattle",
            "city: 2024-01-02",
            "data/mayors/durkan.yaml:2: city: expected text, found a date (2024-01-02); put text "
            "in quotes",
        ),
        (
            "city: Seattle",
            "city:",
            "data/mayors/durkan.yaml:2: city: expected text, found an empty value",
        ),
        (
            "city: Seattle",
            'city: "   "',
            "data/mayors/durkan.yaml:2: city: expected text, found an empty value",
        ),
        (
            "city: Seattle",
            "city: [Seattle, Tacoma]",
            "data/mayors/durkan.yaml:2: city: expected text, found a list",
        ),
        (
            "city: Seattle",
            "city: {name: Seattle}",
            "data/mayors/durkan.yaml:2: city: expected text, found a mapping of keys; a colon "
            "followed by a space makes a key: if it is part of the text, put the whole text in "
            'quotes ("...")',
        ),
        (
            "themes:\n  - behavioral-health\n  - diversion\n  - policing\n",
            "themes: policing\n",
            "data/mayors/durkan.yaml:4: themes: expected a list of at least one theme id, found "
            "'policing'",
        ),
        (
            "initiatives:\n  - name: Police reform",
            "initiatives:\n  - name: 42",
            "data/mayors/durkan.yaml:11: initiatives[0].name: expected text, found a number "
            "(42); put text in quotes",
        ),
    ],
    ids=[
        "number",
        "date",
        "empty",
        "blank",
        "list",
        "mapping",
        "themes-not-a-list",
        "nested-number",
    ],
)
def test_wrong_type(data: Path, old: str, new: str, expected: str) -> None:
    edit(data, "mayors/durkan.yaml", old, new)
    refused([expected])


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "city: Seattle",
            "city: yes",
            f"data/mayors/durkan.yaml:2: city: expected text, found true {BOOLEAN}",
        ),
        (
            "city: Seattle",
            "city: off",
            f"data/mayors/durkan.yaml:2: city: expected text, found false {BOOLEAN}",
        ),
        (
            "state: WA",
            "state: NO",
            f"data/mayors/durkan.yaml:3: state: {USPS}, found false {BOOLEAN}",
        ),
    ],
    ids=["yes", "off", "NO"],
)
def test_yes_no_read_as_booleans(data: Path, old: str, new: str, expected: str) -> None:
    edit(data, "mayors/durkan.yaml", old, new)
    refused([expected])


def test_text_longer_than_the_schema_allows(data: Path) -> None:
    edit(data, "book.yaml", "title: Harbour Mayors Briefing", "title: " + "x" * 130)
    refused(["data/book.yaml:1: title: expected at most 120 characters, found 130; shorten it"])


def test_a_file_that_is_a_list_not_a_mapping(data: Path) -> None:
    (data / "mayors" / "bowser.yaml").write_text("- Muriel Bowser\n- DC\n", "utf-8")
    refused(["data/mayors/bowser.yaml:1: (top level): expected a mapping of keys, found a list"])


def test_a_theme_that_is_text_not_a_mapping(data: Path) -> None:
    edit(
        data,
        "themes.yaml",
        "diversion:\n  label: Diversion\n  description: Alternatives to jail.\n",
        "diversion: Diversion\n",
    )
    refused(["data/themes.yaml:4: diversion: expected a mapping of keys, found 'Diversion'"])


# --- states ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("Washington", f"{USPS}, found 'Washington'"),
        ("wa", f"{USPS}, found 'wa'; did you mean 'WA'?"),
        ("XX", f"{USPS}, found 'XX'"),
        ("'53'", f"{USPS}, found '53'"),
    ],
)
def test_state_not_a_usps_code(data: Path, state: str, expected: str) -> None:
    edit(data, "mayors/durkan.yaml", "state: WA", f"state: {state}")
    refused([f"data/mayors/durkan.yaml:3: state: {expected}"])


# --- duplicates ------------------------------------------------------------------------------


def test_duplicate_key_at_the_top(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "state: WA\n", "state: WA\ncity: Tacoma\n")
    refused(
        ["data/mayors/durkan.yaml:4: city: duplicate key; first written on line 2, keep only one"]
    )


def test_duplicate_key_inside_a_nested_mapping(data: Path) -> None:
    edit(
        data,
        "mayors/durkan.yaml",
        "    url: https://www.seattle.gov",
        "    url: https://www.seattle.gov\n    title: Again",
    )
    refused(
        [
            "data/mayors/durkan.yaml:18: sources[0].title: duplicate key; first written on "
            "line 16, keep only one"
        ]
    )


def test_duplicate_theme_id_in_themes_yaml(data: Path) -> None:
    append(data, "themes.yaml", "diversion:\n  label: Diversion again\n")
    refused(
        ["data/themes.yaml:10: diversion: duplicate key; first written on line 4, keep only one"]
    )


def test_duplicate_mayor_names_ignore_case_and_spacing(data: Path) -> None:
    edit(data, "mayors/bowser.yaml", "name: Muriel Bowser", "name: jenny   DURKAN")
    refused(
        [
            "data/mayors/durkan.yaml:1: name: 'Jenny Durkan' is also the name in "
            "data/mayors/bowser.yaml; expected each mayor once"
        ]
    )


# --- files that are not YAML data -----------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "",
        "\n\n",
        "# only a comment\n",
        "---\n",
        "~\n",
    ],
    ids=["nothing", "blank-lines", "comment", "document-marker", "null"],
)
def test_empty_file(data: Path, content: str) -> None:
    (data / "mayors" / "bowser.yaml").write_text(content, "utf-8")
    refused(["data/mayors/bowser.yaml: file is empty; expected a mapping of keys"])


def test_yaml_syntax_error_with_line_and_column(data: Path) -> None:
    # Other syntax errors (a tab in the indentation, an undefined alias, a quote never
    # closed) are in test_yaml_hints.py.
    edit(data, "mayors/durkan.yaml", "state: WA", "state: WA: x")
    refused(
        [
            "data/mayors/durkan.yaml:3: YAML syntax error, column 10: mapping values are not "
            f"allowed in this context; {COLON_HINT}"
        ]
    )


def test_two_documents_in_one_file(data: Path) -> None:
    append(data, "mayors/bowser.yaml", "---\nname: Other\n")
    refused(
        [
            "data/mayors/bowser.yaml:8: YAML syntax error, column 1: but found another document; "
            "expected a single document in the stream (line 1)"
        ]
    )


def test_file_not_utf8(data: Path) -> None:
    path = data / "mayors" / "durkan.yaml"
    path.write_bytes(path.read_bytes().replace(b"Seattle", "Seattlé".encode("latin-1")))
    refused(["data/mayors/durkan.yaml:2: not UTF-8 text (byte 0xe9); save the file as UTF-8"])


def test_file_in_utf16(data: Path) -> None:
    path = data / "mayors" / "durkan.yaml"
    path.write_bytes(path.read_text("utf-8").encode("utf-16"))
    refused(["data/mayors/durkan.yaml:1: not UTF-8 text (byte 0xff); save the file as UTF-8"])


def test_utf8_with_a_byte_order_mark_is_fine(data: Path) -> None:
    path = data / "mayors" / "durkan.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run("validate", "--data", "data").exit_code == 0


def test_control_character(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "city: Seattle", "city: Sea\x07ttle")
    refused(
        [
            "data/mayors/durkan.yaml:2: character U+0007 is not allowed in YAML (a control "
            "character); remove it"
        ]
    )


def test_merge_key(data: Path) -> None:
    edit(
        data,
        "mayors/tubbs.yaml",
        "name: Michael Tubbs\n",
        "name: Michael Tubbs\n<<: {city: Stockton}\n",
    )
    refused(
        [
            "data/mayors/tubbs.yaml:2: (top level): merge keys ('<<') are not supported; "
            "expected the keys written out"
        ]
    )


def test_merge_key_of_an_anchor(data: Path) -> None:
    edit(
        data,
        "mayors/durkan.yaml",
        "  - name: Police reform\n",
        "  - &reform\n    name: Police reform\n",
    )
    edit(data, "mayors/durkan.yaml", "sources:", "  - <<: *reform\nsources:")
    refused(
        [
            "data/mayors/durkan.yaml:16: initiatives[1]: merge keys ('<<') are not "
            "supported; expected the keys written out",
            "data/mayors/durkan.yaml:16: initiatives[1].name: required key is missing; "
            "expected text",
        ]
    )


def test_a_list_used_as_a_key(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "city: Seattle", "? [a, b]\n: x\ncity: Seattle")
    refused(
        [
            "data/mayors/durkan.yaml:2: (top level): expected a plain key, found a list or "
            "mapping used as a key"
        ]
    )


def test_python_tags_never_run_anything(data: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    edit(
        data,
        "mayors/durkan.yaml",
        "city: Seattle",
        f'city: !!python/object/apply:os.system ["touch {marker}"]',
    )
    refused(
        [
            "data/mayors/durkan.yaml:2: city: YAML tag "
            "'tag:yaml.org,2002:python/object/apply:os.system' is not supported; "
            "expected plain text, numbers or lists"
        ]
    )
    assert not marker.exists()


def _cannot_read(value: str, what: str) -> str:
    return (
        f"cannot read '{value}': YAML takes it for {what}, and it is not one; "
        f"expected {what}, or text in quotes"
    )


CANNOT_READ = [
    pytest.param("2024-13-45", _cannot_read("2024-13-45", "a date"), id="impossible-date"),
    pytest.param("2024-02-30", _cannot_read("2024-02-30", "a date"), id="day-out-of-range"),
    pytest.param(
        "!foo Seattle",
        "YAML tag '!foo' is not supported; expected plain text, numbers or lists",
        id="unknown-tag",
    ),
    pytest.param("!!int many", _cannot_read("many", "a whole number"), id="bad-int"),
    pytest.param("!!float lots", _cannot_read("lots", "a number"), id="bad-float"),
    pytest.param("!!bool maybe", _cannot_read("maybe", "true or false"), id="bad-bool"),
    pytest.param("!!timestamp soon", _cannot_read("soon", "a date"), id="bad-timestamp"),
]


@pytest.mark.parametrize(("value", "message"), CANNOT_READ)
def test_scalar_that_yaml_cannot_construct_is_one_problem_not_a_crash(
    data: Path, value: str, message: str
) -> None:
    # refused() also asserts that the exit is a clean SystemExit, not an exception; every
    # message says what was expected, in words (no Python internals such as 'NoneType').
    assert "expected" in message
    assert not re.search(r"NoneType|attribute|literal for|\('", message), message
    edit(data, "mayors/durkan.yaml", "city: Seattle", f"city: {value}")
    refused([f"data/mayors/durkan.yaml:2: city: {message}"])


# --- limits ----------------------------------------------------------------------------------


def test_alias_bomb(data: Path) -> None:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    (data / "mayors" / "bowser.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    refused(
        [
            "data/mayors/bowser.yaml:1: file expands to more than 100,000 values (through "
            "YAML aliases); expected a plain data file"
        ]
    )


def test_nesting_too_deep(data: Path) -> None:
    (data / "mayors" / "bowser.yaml").write_text("a: " + "[" * 60 + "]" * 60 + "\n", "utf-8")
    refused(
        [
            "data/mayors/bowser.yaml:1: values nest more than 40 levels deep (a YAML alias "
            "that refers to itself?)"
        ]
    )


def test_file_over_the_size_limit(data: Path) -> None:
    append(data, "mayors/durkan.yaml", "# " + "x" * 1_000_000 + "\n")
    size = (data / "mayors" / "durkan.yaml").stat().st_size
    refused([f"data/mayors/durkan.yaml: file is {size:,} bytes; expected at most 1,000,000 bytes"])


def test_loading_keeps_no_yaml_nodes_alive(data: Path) -> None:
    import gc

    import yaml

    from briefbook.load import load_folder

    def nodes() -> int:
        gc.collect()
        return sum(isinstance(o, yaml.Node) for o in gc.get_objects())

    load_folder(data)
    before = nodes()
    for _ in range(3):
        load_folder(data)
    assert nodes() == before


# --- web addresses ---------------------------------------------------------------------------

HTTP = "expected an http:// or https:// address"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://www.seattle.gov",
        "javascript:alert(1)",
        "www.seattle.gov",
        "https://",
        "file:///etc/passwd",
    ],
)
def test_source_url_not_http(data: Path, url: str) -> None:
    edit(data, "mayors/durkan.yaml", "url: https://www.seattle.gov", f"url: '{url}'")
    refused([f"data/mayors/durkan.yaml:17: sources[0].url: {HTTP}, found '{url}'"])


def test_contact_website_not_http(data: Path) -> None:
    append(data, "book.yaml", "contact:\n  website: ftp://example.org\n")
    refused([f"data/book.yaml:11: contact.website: {HTTP}, found 'ftp://example.org'"])


def test_rich_text_link_not_http(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "and the response", "and [the response](ftp://x.org/y)")
    refused(
        [
            "data/mayors/durkan.yaml:9: summary: link to 'ftp://x.org/y'; expected an "
            "http://, https:// or mailto: address"
        ]
    )


# --- pictures --------------------------------------------------------------------------------


def test_missing_image(data: Path) -> None:
    append(data, "mayors/bowser.yaml", "photo: images/bowser.png\n")
    refused(
        [
            "data/mayors/bowser.yaml:8: photo: image 'images/bowser.png' not found; expected "
            "a picture in JPEG, PNG, GIF, WebP, TIFF or BMP inside data"
        ]
    )


def test_image_path_is_a_folder(data: Path) -> None:
    (data / "images").mkdir()
    append(data, "mayors/bowser.yaml", "photo: images\n")
    refused(
        [
            "data/mayors/bowser.yaml:8: photo: image 'images' cannot be used: it is a folder, "
            "not a regular file"
        ]
    )


def test_image_that_is_a_text_file_renamed(data: Path) -> None:
    (data / "images").mkdir()
    (data / "images" / "bowser.png").write_text("not a picture\n", "utf-8")
    append(data, "mayors/bowser.yaml", "photo: images/bowser.png\n")
    refused(
        [
            "data/mayors/bowser.yaml:8: photo: 'images/bowser.png' is a text file, not a "
            "picture briefbook can read; expected a picture in JPEG, PNG, GIF, WebP, TIFF or BMP"
        ]
    )


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>\n', "an SVG drawing"),
        (b"<svg width='10' height='10'></svg>", "an SVG drawing"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "an HEIC photo"),
        (bytes(range(256)), "a file of an unknown kind"),
    ],
    ids=["svg-with-xml-declaration", "svg", "pdf", "heic", "binary"],
)
def test_a_file_pillow_cannot_read_is_refused_saying_what_it_is(
    data: Path, content: bytes, what: str
) -> None:
    (data / "images").mkdir()
    (data / "images" / "cover.svg").write_bytes(content)
    append(data, "book.yaml", "cover:\n  image: images/cover.svg\n")
    refused(
        [
            f"data/book.yaml:11: cover.image: 'images/cover.svg' is {what}, not a picture "
            "briefbook can read; expected a picture in JPEG, PNG, GIF, WebP, TIFF or BMP"
        ]
    )


@pytest.mark.parametrize("kind", ["GIF", "WEBP", "TIFF", "BMP"])
def test_pictures_in_other_formats_pillow_reads_are_accepted(data: Path, kind: str) -> None:
    from PIL import Image

    (data / "images").mkdir()
    Image.new("RGB", (40, 30), "#336699").save(data / "images" / "cover.img", kind)
    append(data, "book.yaml", "cover:\n  image: images/cover.img\n")
    result = run("validate", "--data", "data")
    assert result.exit_code == 0, result.output


def test_image_outside_the_data_folder(data: Path) -> None:
    write_png(data.parent / "outside.png")
    append(data, "mayors/bowser.yaml", "photo: ../outside.png\n")
    refused(
        [
            "data/mayors/bowser.yaml:8: photo: '../outside.png' points outside the data "
            "folder; expected a path inside data"
        ]
    )


def test_image_outside_through_an_absolute_path(data: Path) -> None:
    outside = write_png(data.parent / "outside.png")
    append(data, "book.yaml", f"cover:\n  image: {outside}\n")
    refused(
        [
            f"data/book.yaml:11: cover.image: '{outside}' points outside the data folder; "
            "expected a path inside data"
        ]
    )


def test_image_outside_through_a_symlink(data: Path) -> None:
    outside = write_png(data.parent / "outside.png")
    (data / "images").mkdir()
    (data / "images" / "link.png").symlink_to(outside)
    append(data, "mayors/bowser.yaml", "photo: images/link.png\n")
    refused(
        [
            "data/mayors/bowser.yaml:8: photo: 'images/link.png' points outside the data "
            "folder; expected a path inside data"
        ]
    )


def test_image_over_the_pixel_limit_is_refused_from_its_header(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import ImageFile

    write_png_claiming(data / "images" / "big.png", 8000, 6000)  # 48,000,000 pixels
    append(data, "mayors/bowser.yaml", "photo: images/big.png\n")

    def decode(self, *args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)
    refused(
        [
            "data/mayors/bowser.yaml:8: photo: image 'images/big.png' is 8000×6000 pixels; "
            "expected at most 40,000,000 pixels in all"
        ]
    )


def test_image_far_over_the_pixel_limit(data: Path) -> None:
    write_png_claiming(data / "images" / "bomb.png", 100_000, 100_000)
    append(data, "mayors/bowser.yaml", "photo: images/bomb.png\n")
    refused(
        [
            "data/mayors/bowser.yaml:8: photo: image 'images/bomb.png' is too large to open "
            "safely; expected at most 40,000,000 pixels"
        ]
    )


def test_a_real_picture_is_accepted(data: Path) -> None:
    write_png(data / "images" / "bowser.png", 30, 40)
    append(data, "mayors/bowser.yaml", "photo: images/bowser.png\n")
    result = run("build", "--data", "data", "--output", "out/x.pdf")
    assert result.exit_code == 0, result.output
    assert files_under(Path("out")) == [Path("out/x.pdf")]


@pytest.mark.parametrize("keep", [60, 0.5], ids=["header-only", "half-the-data"])
def test_truncated_image(data: Path, keep: float) -> None:
    from PIL import Image

    path = data / "images" / "cover.png"
    path.parent.mkdir()
    Image.frombytes("RGB", (60, 60), bytes(range(256)) * 42 + bytes(48)).save(path, "PNG")
    whole = path.read_bytes()
    path.write_bytes(whole[: int(keep * len(whole)) if keep < 1 else int(keep)])
    append(data, "book.yaml", "cover:\n  image: images/cover.png\n")
    refused(
        [
            "data/book.yaml:11: cover.image: 'images/cover.png' is not a readable image (cut "
            "short or damaged); expected a picture in JPEG, PNG, GIF, WebP, TIFF or BMP"
        ]
    )


@pytest.mark.parametrize(
    ("rel", "text", "prefix"),
    [
        ("mayors/bowser.yaml", 'photo: "  "\n', "data/mayors/bowser.yaml:8: photo: "),
        ("book.yaml", 'cover:\n  image: " "\n', "data/book.yaml:11: cover.image: "),
    ],
    ids=["photo", "cover-image"],
)
def test_blank_image_path(data: Path, rel: str, text: str, prefix: str) -> None:
    append(data, rel, text)
    no_crash_one_problem(prefix)


def test_empty_photo_path(data: Path) -> None:
    append(data, "mayors/bowser.yaml", 'photo: ""\n')
    refused(["data/mayors/bowser.yaml:8: photo: expected text, found an empty value"])


# --- the folder's shape ----------------------------------------------------------------------


def test_mayor_file_name_not_an_id(data: Path) -> None:
    (data / "mayors" / "bowser.yaml").rename(data / "mayors" / "Bad Name.yaml")
    refused(
        [
            "data/mayors/Bad Name.yaml: file name 'Bad Name' is not a valid mayor id; "
            "expected lower-case letters, digits and single hyphens, e.g. de-blasio.yaml"
        ]
    )


@pytest.mark.parametrize("name", ["themes.yaml", "book.yaml"])
def test_required_file_missing(data: Path, name: str) -> None:
    (data / name).unlink()
    refused([f"data/{name}: file not found; every data folder needs {name} (see docs/data.md)"])


def test_no_mayor_files(data: Path) -> None:
    shutil.rmtree(data / "mayors")
    refused(["data/mayors: no mayor files found; expected one <id>.yaml file per mayor"])


def test_data_folder_does_not_exist(data: Path) -> None:
    refused(
        [
            f"nowhere: data folder not found (looked for {Path.cwd() / 'nowhere'}); expected a "
            "folder holding book.yaml, themes.yaml and mayors/: name it with --data DIR, or run "
            "briefbook from the folder that holds data/"
        ],
        data="nowhere",
    )


def test_data_folder_that_is_a_file(data: Path) -> None:
    Path("book.pdf").write_text("x", "utf-8")
    refused(
        [
            f"book.pdf: data folder is a file, not a folder (looked for {Path.cwd() / 'book.pdf'})"
            "; expected a folder holding book.yaml, themes.yaml and mayors/: name it with "
            "--data DIR, or run briefbook from the folder that holds data/"
        ],
        data="book.pdf",
    )


def test_file_path_is_shown_as_passed(data: Path) -> None:
    edit(data, "mayors/durkan.yaml", "state: WA", "state: ZZ")
    refused([f"{data}/mayors/durkan.yaml:3: state: {USPS}, found 'ZZ'"], data=str(data))


# --- many problems at once -------------------------------------------------------------------


def test_every_problem_in_every_file_is_reported_sorted(data: Path) -> None:
    edit(data, "mayors/tubbs.yaml", "state: CA", "state: Cal")
    edit(data, "mayors/tubbs.yaml", "  - policing", "  - polcing")
    edit(data, "mayors/durkan.yaml", "url: https://www.seattle.gov", "url: www.seattle.gov")
    edit(data, "mayors/durkan.yaml", "city: Seattle", "city: 98101")
    edit(data, "book.yaml", "  heading: Who We Are\n", "")
    edit(data, "themes.yaml", "  label: Community policing", "  label: [Community]")
    (data / "mayors" / "bowser.yaml").write_text("name: [\n", "utf-8")
    refused(
        [
            "data/book.yaml:4: statement.heading: required key is missing; expected text",
            "data/mayors/bowser.yaml:2: YAML syntax error, column 1: did not find expected node "
            "content",
            "data/mayors/durkan.yaml:2: city: expected text, found a number (98101); put text in "
            "quotes",
            f"data/mayors/durkan.yaml:17: sources[0].url: {HTTP}, found 'www.seattle.gov'",
            f"data/mayors/tubbs.yaml:4: state: {USPS}, found 'Cal'",
            f"data/mayors/tubbs.yaml:7: themes[1]: unknown theme 'polcing'; {THEMES_HINT}; did you "
            "mean 'policing'?",
            "data/themes.yaml:8: policing.label: expected text, found a list",
        ]
    )


def test_problems_on_one_line_print_in_the_same_order_every_run() -> None:
    import subprocess
    import sys

    code = (
        "from briefbook.errors import DataError, Problem\n"
        "print(DataError([Problem('a.yaml', 2, 'city', 'expected text, found an empty value'),"
        " Problem('a.yaml', 2, 'city', 'cannot read the value')]))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(16)
    }
    assert len(outputs) == 1, outputs


# --- --debug ---------------------------------------------------------------------------------


def test_debug_shows_the_exception(data: Path) -> None:
    from briefbook.errors import DataError

    edit(data, "mayors/durkan.yaml", "state: WA", "state: ZZ")
    result = run("--debug", "validate", "--data", "data")
    assert result.exit_code == 1
    assert isinstance(result.exception, DataError)
    assert f"data/mayors/durkan.yaml:3: state: {USPS}, found 'ZZ'" in str(result.exception)

    plain = run("validate", "--data", "data")
    assert plain.exit_code == 1
    assert isinstance(plain.exception, SystemExit)
    assert "Traceback" not in plain.output


def test_debug_traceback_through_the_real_entry_point(data: Path) -> None:
    import subprocess
    import sys

    edit(data, "mayors/durkan.yaml", "state: WA", "state: ZZ")
    argv = [sys.executable, "-m", "briefbook"]
    shown = subprocess.run(
        [*argv, "--debug", "validate", "--data", "data"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.returncode != 0
    assert "Traceback (most recent call last)" in shown.stderr
    assert "briefbook.errors.DataError" in shown.stderr
    quiet = subprocess.run(
        [*argv, "validate", "--data", "data"], capture_output=True, text=True, check=False
    )
    assert quiet.returncode == 1
    assert "Traceback" not in quiet.stderr
    assert quiet.stderr.splitlines()[0] == f"data/mayors/durkan.yaml:3: state: {USPS}, found 'ZZ'"


def test_line_numbers_follow_the_file(data: Path) -> None:
    """The helper's line numbers are right (guards the exact lines asserted above)."""
    assert line_of(data, "mayors/durkan.yaml", "  - policing") == 7
    assert line_of(data, "mayors/durkan.yaml", "  - name: Police reform") == 11
    assert line_of(data, "mayors/durkan.yaml", "    url:") == 17
    assert line_of(data, "themes.yaml", "  label: Diversion") == 5


def test_an_initiative_theme_the_mayor_does_not_have(data: Path) -> None:
    # Durkan's own themes lose 'policing'; her initiative keeps it (now on line 12).
    edit(data, "mayors/durkan.yaml", "  - diversion\n  - policing\n", "  - diversion\n")
    refused(
        [
            "data/mayors/durkan.yaml:12: initiatives[0].themes[0]: 'policing' is not one of "
            "this mayor's themes; expected one of: behavioral-health, diversion (or add it to "
            "themes)"
        ]
    )
