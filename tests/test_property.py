"""Property: whatever text a user puts into any text field, `briefbook build` either succeeds
and prints every word of it, or refuses the data cleanly (exit status 1 with every problem
located as file:line: field: message, or 2 with a usage error; no traceback, no internal
error, nothing written) — never anything else.

Most examples are valid data, so that the "prints every word" half is well tested: text made
of characters the book's fonts have and of markup-like pieces that are text (links are web
addresses), each field within its length; one or two mayors, so each build is quick. A share
of examples is hostile (any Unicode, any length, malformed links, list markers in one-line
fields) and must be refused cleanly. `pytest -n0 -s tests/test_property.py` prints how many
examples of each test built (-n0: in one process, whose output -s shows), and
--hypothesis-show-statistics the same as events. BRIEFBOOK_PROPERTY_EXAMPLES=200 searches
harder.

What a reader must find of a field: its letters and digits, case-folded, side by side and in
order, among the letters and digits of the PDF's text (Markdown markers are consumed by
rich-text fields, and extracted text has its own spacing, so all else is left out on both
sides). In rich text a link's address, `](https://…)`, splits the field into pieces looked
for one by one; after any other `](`, nothing to the end of its paragraph is looked for
(a link's address and title are not printed)."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from briefbook.layoutfolder import load_layout
from conftest import (
    Book,
    build_args,
    build_book,
    dump,
    files_under,
    folder_from_values,
    run_cli,
)

EXAMPLES = int(os.environ.get("BRIEFBOOK_PROPERTY_EXAMPLES", "6"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# Every text field of a small data folder: (file, key path, schema maxLength or None, rich?).
FIELDS: list[tuple[str, tuple[Any, ...], int | None, bool]] = [
    ("book", ("title",), 120, False),
    ("book", ("subtitle",), 200, False),
    ("book", ("organization",), 120, False),
    ("book", ("statement", "heading"), 120, False),
    ("book", ("statement", "body"), None, True),
    ("book", ("cover", "credit"), 200, False),
    ("book", ("contact", "name"), 120, False),
    ("book", ("contact", "phone"), 60, False),
    ("themes", ("policing", "label"), 48, False),
    ("themes", ("policing", "description"), 400, False),
    ("mayor", ("name",), 80, False),
    ("mayor", ("title",), 40, False),
    ("mayor", ("city",), 80, False),
    ("mayor", ("summary",), None, True),
    ("mayor", ("initiatives", 0, "name"), 200, False),
    ("mayor", ("initiatives", 0, "description"), None, True),
    ("mayor", ("sources", 0, "title"), 300, False),
]
Values = dict[tuple[str, tuple[Any, ...]], str]


def base_values() -> Values:
    return {
        ("book", ("title",)): "Property Briefing",
        ("book", ("subtitle",)): "Every word counts",
        ("book", ("organization",)): "Fuzz Coalition",
        ("book", ("statement", "heading")): "Who We Are",
        ("book", ("statement", "body")): "We print what we are given.",
        ("book", ("cover", "credit")): "Photo: Nobody",
        ("book", ("contact", "name")): "Pat Contact",
        ("book", ("contact", "phone")): "555 0100",
        ("themes", ("policing", "label")): "Community policing",
        ("themes", ("policing", "description")): "Trust between police and residents.",
        ("mayor", ("name",)): "Jenny Durkan",
        ("mayor", ("title",)): "Mayor",
        ("mayor", ("city",)): "Seattle",
        ("mayor", ("summary",)): "Mayor Durkan reformed use-of-force policies.",
        ("mayor", ("initiatives", 0, "name")): "Police reform",
        ("mayor", ("initiatives", 0, "description")): "She led the reform.",
        ("mayor", ("sources", 0, "title")): "City of Seattle",
    }


def documents(values: Values) -> dict[str, Any]:
    """The folder's files as values: `values` in a book, its themes and a mayor (durkan), and
    a second, fixed mayor (bowser) so that the book has its contents and at-a-glance table."""
    book: dict[str, Any] = {"statement": {}, "cover": {}, "contact": {}}
    themes: dict[str, Any] = {
        "diversion": {"label": "Diversion", "description": "Alternatives to jail."},
        "policing": {},
    }
    mayor: dict[str, Any] = {
        "state": "WA",
        "themes": ["policing", "diversion"],
        "initiatives": [{"themes": ["policing"]}],
        "sources": [{"url": "https://www.seattle.gov"}],
    }
    docs = {"book": book, "themes": themes, "mayor": mayor}
    for (doc, key), value in values.items():
        node = docs[doc]
        for part in key[:-1]:
            node = node[part]
        node[key[-1]] = value
    other = {
        "name": "Muriel Bowser",
        "city": "Washington",
        "state": "DC",
        "themes": ["diversion"],
        "summary": "Mayor Bowser opened a reentry office.",
    }
    return {"book": book, "themes": themes, "mayors": {"durkan": mayor, "bowser": other}}


# --- what a reader must find -----------------------------------------------------------------

_RUN = re.compile(r"[^\W_]+")
_WEB_LINK_TARGET = re.compile(r"\]\((?:https?://|mailto:)[^()\s]*\)")
_LINK_TAIL = re.compile(r"\]\(.*?(?=\n[ \t]*\n|\Z)", re.S)


def letters(text: str) -> str:
    """`text` with everything but letters and digits left out, case-folded: what the reader
    must find of it, however the PDF spaces it and whichever markers it consumed."""
    return "".join(_RUN.findall(text)).casefold()


def words(value: str, rich: bool, upper: bool = False) -> list[str]:
    """The alphanumeric runs of `value`, case-folded (links' addresses left out)."""
    return [letters(w) for part in parts(value, rich, upper) for w in _RUN.findall(part)]


def parts(value: str, rich: bool, upper: bool = False) -> list[str]:
    """The pieces of `value` the reader must find whole: all of it, but in rich text the
    pieces between link addresses, which are not printed."""
    if upper:
        value = value.upper()
    if not rich:
        return [value]
    return [
        piece for between in _WEB_LINK_TARGET.split(value) for piece in _LINK_TAIL.split(between)
    ]


def expected_runs(values: Values) -> list[tuple[str, str]]:
    """(field, run): every run of letters and digits the PDF must hold without a break."""
    out = []
    for doc, key, _, rich in FIELDS:
        # The mayor's title prints upper-case (the eyebrow above the name).
        upper = (doc, key) == ("mayor", ("title",))
        field = f"{doc}:{'.'.join(map(str, key))}"
        out += [
            (field, run)
            for part in parts(values[(doc, key)], rich, upper)
            if (run := letters(part))
        ]
    return out


def _nows(text: str) -> str:
    return "".join(text.split())


def reading_text(book: Book, values: Values) -> str:
    """The letters and digits of the PDF's text (see letters()), with the page furniture
    cut out.

    A word longer than a line may be split across a page break; between its halves sit the
    footer ("<title> · page N of M", then the section) and, on a mayor's later pages, the
    "<name> (continued)" heading. Both are cut out so that the halves join again."""
    pages = [_nows(page) for page in book.pages]
    title = _nows(values[("book", ("title",))])
    headings = [
        _nows(values[("mayor", ("name",))]) + "(continued)",
        _nows("Muriel Bowser (continued)"),
    ]
    body = []
    for number, text in enumerate(pages, start=1):
        at = text.rfind(f"·page{number}of{len(pages)}")
        if at >= 0 and text[:at].endswith(title):
            text = text[: at - len(title)]
        for heading in headings:
            text = text.removeprefix(heading)
        body.append(text)
    return letters("".join(body))


def missing_runs(text: str, values: Values) -> list[tuple[str, str]]:
    """(field, run) of every run of `values` the reading text lacks."""
    return [(field, run) for field, run in expected_runs(values) if run not in text]


# --- running one example ---------------------------------------------------------------------


# (test, "built" or "refused") -> how many examples; printed at the end of the module.
TALLY: Counter[tuple[str, str]] = Counter()
_LOCATED = r"(book|themes|mayors/[a-z0-9-]+)\.yaml(:\d+)?: \S"


def check(values: Values) -> bool:
    """Build a folder holding `values`; assert the property. True when the build succeeded."""
    docs = documents(values)
    if currently_in_test_context():
        # Text PyYAML itself cannot write and read back (e.g. U+0085) is not our concern.
        assume(
            all(
                yaml.safe_load(dump(v)) == v
                for v in (docs["book"], docs["themes"], *docs["mayors"].values())
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        root = folder_from_values(Path(tmp) / "data", docs["book"], docs["themes"], docs["mayors"])
        out = Path(tmp) / "out"
        result = run_cli(build_args(data=root, output=out / "book.pdf"))
        if result.exit_code == 0:
            assert result.exception is None
            missing = missing_runs(reading_text(Book(out / "book.pdf"), values), values)
            assert not missing, f"text not in the PDF: {missing[:10]}"
            outcome = "built"
        else:
            assert_refused_cleanly(result, root, out)
            outcome = f"refused: {first_problem(result.stderr)}"
    if currently_in_test_context():
        event(outcome)
        TALLY[_current_test(), outcome.split(":")[0]] += 1
    return outcome == "built"


def assert_refused_cleanly(result, root: Path, out: Path) -> None:
    assert result.exit_code in (1, 2), result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines, "a failed build must say why"
    if result.exit_code == 1:
        *problems, count = lines
        assert re.fullmatch(r"\d+ problems? found; nothing was written", count), count
        assert problems and int(count.split()[0]) == len(problems), lines
        located = re.compile(re.escape(f"{root}/") + _LOCATED)
        assert all(located.match(line) for line in problems), problems
    else:
        assert lines[-1].startswith("Error: Invalid value"), lines
    assert files_under(out) == [], files_under(out)


def first_problem(stderr: str) -> str:
    """The kind of the first problem, for the statistics (--hypothesis-show-statistics)."""
    line = stderr.splitlines()[0]
    return re.sub(r"'.*|\d[\d,]*|U\+\w+.*|^.*?: (?=[a-z])", "", line.split("yaml")[-1])[:60]


def _current_test() -> str:
    return os.environ.get("PYTEST_CURRENT_TEST", "?").split("::")[-1].split(" ")[0]


# Tests whose examples are meant to be valid: at least half of theirs must build.
MOSTLY_VALID = {
    "test_markup_like_text_in_every_field",
    "test_text_in_the_fonts_in_every_field",
    "test_symbols_from_the_fallback_fonts_in_every_field",
    "test_very_long_texts",
}


@pytest.fixture(scope="module", autouse=True)
def tally() -> Iterator[None]:
    """Print how many examples built, per test (pytest -n0 -s); fail if the tests meant to build
    mostly did not (the strategies would then test the refusals only)."""
    TALLY.clear()
    yield
    tests = sorted({test for test, _ in TALLY})
    for test in tests:
        built, refused = TALLY[test, "built"], TALLY[test, "refused"]
        print(f"\n{test}: {built} of {built + refused} examples built")
    total = sum(TALLY.values())
    built = sum(n for (_, kind), n in TALLY.items() if kind == "built")
    if total:
        print(f"property examples: {built} of {total} built ({built / total:.0%})")
    valid = [(TALLY[t, "built"], TALLY[t, "refused"]) for t in tests if t in MOSTLY_VALID]
    if valid:
        built, refused = map(sum, zip(*valid, strict=True))
        assert built >= refused, f"only {built} of {built + refused} valid examples built"


# --- strategies: valid text ------------------------------------------------------------------

_GLYPHS = load_layout("default").glyphs
# Characters of left-to-right scripts and symbols the book's fonts can draw (fallback fonts
# included): Latin, IPA, Greek, Cyrillic, punctuation, currency, letter-like and
# mathematical symbols, arrows, dingbats. No controls, format characters, combining marks or
# line separators: those have tests of their own below.
_BLOCKS = [
    (0x20, 0x250),
    (0x250, 0x2B0),
    (0x370, 0x400),
    (0x400, 0x530),
    (0x2000, 0x2070),
    (0x20A0, 0x20C0),
    (0x2100, 0x2200),
    (0x2200, 0x2300),
    (0x2600, 0x27C0),
    (0x1D400, 0x1D800),
]
_NOT_TEXT = {"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me", "Zl", "Zp"}


def _drawable(start: int, end: int) -> list[str]:
    chars = [chr(c) for c in range(start, end) if unicodedata.category(chr(c)) not in _NOT_TEXT]
    missing = set(_GLYPHS.missing("".join(chars)))
    return [c for c in chars if c not in missing]


DRAWABLE = [_drawable(start, end) for start, end in _BLOCKS]
# In rich text a lone "]" or "<" could make a link to an address that is not a web address
# (refused, rightly); the valid pieces only make links through LINKS.
_RICH_UNSAFE = set("]<")

LINKS = [
    "[x](https://example.org/a)",
    "[R&D](https://example.org/?a=1&b=2)",
    "![img](https://e.org/x.png)",
    "see [the plan](https://example.org/plan_b) now",
]
TEXT_MARKUP = [
    *"<>&*_[]()\\#`\"'",
    "**",
    "__",
    "&amp;",
    "&lt;",
    "&#65;",
    "&nbsp;",
    "<b>",
    "</b>",
    "<i>",
    "<br/>",
    "</para>",
    "<para>",
    '<font face="Courier">',
    "</font>",
    "<a href='x'>",
    "</a>",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "# ",
    "- ",
    "1. ",
    "> ",
    "    ",
    "---",
    "**bold**",
    "*it*",
    "_it_",
    "`code`",
]
# Markdown's line and paragraph breaks, lists and quotes: rich text only (in a one-line field
# a line that starts like a list item is refused, and has a test of its own).
BREAKS = ["  \n", "\n", "\n\n", "\\\n", "\n\n- ", "\n\n1. ", "\n> "]

letter_word = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,11}", fullmatch=True)
word = st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True)


def drawable_run(rich: bool) -> st.SearchStrategy[str]:
    blocks = [[c for c in block if not (rich and c in _RICH_UNSAFE)] for block in DRAWABLE]
    char = st.one_of(*(st.sampled_from(block) for block in blocks if block))
    return st.text(char, min_size=1, max_size=8)


def valid_text(rich: bool) -> st.SearchStrategy[str]:
    """Text a field of that kind must print: it starts with a word (so never with a list
    marker), and is made of words, characters the fonts have and markup-like pieces."""
    markup = [m for m in TEXT_MARKUP if not (rich and m in _RICH_UNSAFE)]
    pieces = [word, word, drawable_run(rich), st.sampled_from(markup), st.just(" ")]
    if rich:
        pieces += [st.sampled_from(BREAKS), st.sampled_from(LINKS)]
    else:
        # A new line, then a word: never a line that starts like a list item.
        pieces.append(letter_word.map(lambda w: "\n" + w))
    return st.tuples(letter_word, st.lists(st.one_of(pieces), max_size=16)).map(
        lambda t: t[0] + "".join(t[1])
    )


def fitting(plain: st.SearchStrategy[str], rich: st.SearchStrategy[str]) -> st.SearchStrategy:
    """A value for every field, `rich` or `plain` as the field is, cut to its maximum length
    (it starts with a word, so it keeps at least a letter)."""
    return st.fixed_dictionaries(
        {
            (doc, key): (rich if is_rich else plain).map(lambda s, n=limit: s[:n] if n else s)
            for doc, key, limit, is_rich in FIELDS
        }
    )


symbols = st.text(st.sampled_from("→✓★𝔸𝔹∑⚖ZoëŁódź &<>*_[]"), min_size=1, max_size=20)
symbol_text = st.tuples(letter_word, symbols).map("".join)


def long_text(max_size: int) -> st.SearchStrategy[str]:
    """Words and markup repeated up to `max_size` characters, with very long words."""
    long_word = st.tuples(word, st.integers(5, 60)).map(lambda t: t[0] * t[1])
    piece = st.one_of(word, word, word, st.sampled_from([*TEXT_MARKUP, *LINKS]), long_word)
    return st.tuples(
        letter_word, st.lists(piece, min_size=5, max_size=30), st.integers(1, 400)
    ).map(lambda t: (t[0] + " " + (" ".join(t[1]) + " ") * t[2])[:max_size])


# --- strategies: hostile text ----------------------------------------------------------------

HOSTILE_MARKUP = ["](", "[dangling](", "[]()", "[x](/relative)", "<javascript:x>", "- ", "1. "]
anything = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
markupish = st.lists(
    st.one_of(word, anything, st.sampled_from([*TEXT_MARKUP, *BREAKS, *HOSTILE_MARKUP])),
    min_size=1,
    max_size=30,
).map("".join)
over_long = st.tuples(word, st.integers(1, 60)).map(lambda t: (t[0] + " ") * (t[1] * 10))
hostile = st.one_of(anything, markupish, over_long, symbols, st.sampled_from(["  ", "\n", "-"]))


# --- the properties: valid text --------------------------------------------------------------


@SETTINGS
@given(values=fitting(valid_text(rich=False), valid_text(rich=True)))
@example(
    values={
        (doc, key): 'R&D x <y z <foo> a\\b "q" &amp; **b** *i* [l](https://e.org/x) end'[
            : limit or None
        ]
        for doc, key, limit, _ in FIELDS
    }
)
def test_markup_like_text_in_every_field(values: Values) -> None:
    check(values)


@SETTINGS
@given(
    values=fitting(
        st.tuples(letter_word, drawable_run(rich=False)).map(" ".join),
        st.tuples(letter_word, drawable_run(rich=True), valid_text(rich=True)).map(" ".join),
    )
)
def test_text_in_the_fonts_in_every_field(values: Values) -> None:
    check(values)


@SETTINGS
@given(values=fitting(symbol_text, symbol_text))
def test_symbols_from_the_fallback_fonts_in_every_field(values: Values) -> None:
    check(values)


@settings(SETTINGS, max_examples=max(EXAMPLES // 2, 3))
@given(
    summary=long_text(5_000),
    body=long_text(5_000),
    description=long_text(5_000),
    name=long_text(200),
)
def test_very_long_texts(summary: str, body: str, description: str, name: str) -> None:
    check(
        {
            **base_values(),
            ("mayor", ("summary",)): summary,
            ("book", ("statement", "body")): body,
            ("mayor", ("initiatives", 0, "description")): description,
            ("mayor", ("initiatives", 0, "name")): name,
        }
    )


# --- the properties: hostile text ------------------------------------------------------------


@settings(SETTINGS, max_examples=max(EXAMPLES // 2, 3))
@given(field=st.sampled_from(range(len(FIELDS))), value=hostile)
def test_anything_in_one_field(field: int, value: str) -> None:
    doc, key, _, _ = FIELDS[field]
    check({**base_values(), (doc, key): value})


@settings(SETTINGS, max_examples=max(EXAMPLES // 2, 3))
@given(values=st.fixed_dictionaries({(doc, key): hostile for doc, key, _, _ in FIELDS}))
def test_anything_in_every_field(values: Values) -> None:
    check(values)


# --- the property's own parts ----------------------------------------------------------------


def test_the_base_folder_builds() -> None:
    """Guards the properties: with ordinary text the build succeeds and every word is found."""
    assert check(base_values())


def test_the_text_check_can_fail(tmp_path: Path) -> None:
    """Text the book does not print is missed, and so are words it prints, but not side by
    side in that order."""
    values = base_values()
    docs = documents(values)
    root = folder_from_values(tmp_path / "data", docs["book"], docs["themes"], docs["mayors"])
    text = reading_text(build_book(tmp_path / "book.pdf", data=root), values)
    assert missing_runs(text, values) == []
    unprinted = {**values, ("themes", ("policing", "label")): "Zanzibar quartz"}
    assert missing_runs(text, unprinted) == [("themes:policing.label", "zanzibarquartz")]
    swapped = {**values, ("mayor", ("summary",)): "policies. Mayor Durkan reformed use-of-force"}
    assert all(w in text for w in words(swapped[("mayor", ("summary",))], rich=True))
    assert missing_runs(text, swapped) == [
        ("mayor:summary", "policiesmayordurkanreformeduseofforce")
    ]


def test_the_text_oracle() -> None:
    assert words("**R&D** x <y z", rich=True) == ["r", "d", "x", "y", "z"]
    assert words("see [the site](https://e.org/p q) now\n\nnext para", rich=True) == [
        "see",
        "the",
        "site",
        "next",
        "para",
    ]
    assert parts("see [the plan](https://e.org/p_q) now", rich=True) == ["see [the plan", " now"]
    assert parts("[a](b) c\n\nd [e](https://x.org) f", rich=True) == ["[a", "\n\nd [e", " f"]
    assert parts("[a](https://x.org)", rich=False) == ["[a](https://x.org)"]
    assert words("snake_case", rich=False) == ["snake", "case"]
    assert letters("Straße **x**") == "strassex"
    assert parts("straße", rich=False, upper=True) == ["STRASSE"]


def test_the_valid_alphabet_is_wide() -> None:
    """The valid text draws on thousands of characters, from every block listed."""
    empty = [hex(start) for (start, _), block in zip(_BLOCKS, DRAWABLE, strict=True) if not block]
    assert empty == []
    assert sum(map(len, DRAWABLE)) > 2_500
