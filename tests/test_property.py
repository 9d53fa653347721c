"""Property: whatever text a user puts into any text field, `briefbook build` either succeeds
and prints every word of it, or fails with a BriefbookError (one message, exit status 1 or 2,
no traceback, nothing written) — never anything else.

A "word" is a run of letters and digits: Markdown markers (`**`, `_`, `[`, `](url)`) are
consumed by rich-text fields, and a PDF's extracted text has its own spacing, so the
comparison is on alphanumeric runs, case-folded, with all whitespace removed from the PDF's
text. Everything a rich-text link's `](` starts, to the end of its paragraph, is left out of
the comparison (the address and title of a link are not printed)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from briefbook.errors import BriefbookError
from conftest import dump, files_under, folder_from_values, pdf_pages, run

# BRIEFBOOK_PROPERTY_EXAMPLES=500 pytest tests/test_property.py searches harder.
EXAMPLES = int(os.environ.get("BRIEFBOOK_PROPERTY_EXAMPLES", "30"))
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
# Theme descriptions are validated but printed nowhere, so their words are not looked for.
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
NOT_PRINTED = {("themes", ("policing", "description"))}


def base_values() -> dict[tuple[str, tuple[Any, ...]], str]:
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


def documents(values: dict[tuple[str, tuple[Any, ...]], str]) -> dict[str, Any]:
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
_LINK_TAIL = re.compile(r"\]\(.*?(?=\n[ \t]*\n|\Z)", re.S)


def words(value: str, rich: bool, upper: bool = False) -> list[str]:
    """The alphanumeric runs of `value` a reader must find, case-folded."""
    if rich:
        value = _LINK_TAIL.sub(" ", value)
    if upper:
        value = value.upper()
    return [w.casefold() for w in _RUN.findall(value)]


def expected_words(values: dict[tuple[str, tuple[Any, ...]], str]) -> list[tuple[str, str]]:
    out = []
    for doc, key, _, rich in FIELDS:
        if (doc, key) in NOT_PRINTED:
            continue
        value = values[(doc, key)]
        # The mayor's title prints upper-case (the eyebrow above the name).
        upper = (doc, key) == ("mayor", ("title",))
        out += [(f"{doc}:{'.'.join(map(str, key))}", w) for w in words(value, rich, upper)]
    return out


def _nows(text: str) -> str:
    return "".join(text.split())


def reading_text(pdf: Path, values: dict[tuple[str, tuple[Any, ...]], str]) -> str:
    """The PDF's text without whitespace, case-folded, with the page furniture cut out.

    A word longer than a line may be split across a page break; between its halves sit the
    footer ("<title> · page N of M", then the section) and, on a mayor's later pages, the
    "<name> (continued)" heading. Both are cut out so that the halves join again."""
    pages = [_nows(page) for page in pdf_pages(pdf)]
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
    return "".join(body).casefold()


# --- running one example ---------------------------------------------------------------------


def check(values: dict[tuple[str, tuple[Any, ...]], str]) -> bool:
    """Build a folder holding `values`; assert the property. True when the build succeeded."""
    docs = documents(values)
    # Text PyYAML itself cannot write and read back (e.g. U+0085) is not our concern.
    if currently_in_test_context():
        assume(
            all(
                yaml.safe_load(dump(v)) == v
                for v in (docs["book"], docs["themes"], *docs["mayors"].values())
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        root = folder_from_values(Path(tmp) / "data", docs["book"], docs["themes"], docs["mayors"])
        out = Path(tmp) / "out"
        args = [
            "build",
            "--data",
            str(root),
            "--date",
            "2026-11-26",
            "--output",
            str(out / "book.pdf"),
        ]
        debug = run("--debug", *args)
        if debug.exit_code == 0:
            assert debug.exception is None
            text = reading_text(out / "book.pdf", values)
            missing = [(field, w) for field, w in expected_words(values) if w not in text]
            assert not missing, f"words not in the PDF: {missing[:10]}"
            if currently_in_test_context():
                event("built")
            return True
        assert isinstance(debug.exception, BriefbookError), repr(debug.exception)
        assert files_under(out) == [], files_under(out)
        plain = run(*args)
        assert plain.exit_code in (1, 2), plain.output
        assert isinstance(plain.exception, SystemExit)
        assert plain.stderr.strip(), "a failed build must say why"
        assert "Traceback" not in plain.output
        assert files_under(out) == []
        if currently_in_test_context():
            event(f"refused: {first_problem(plain.stderr)}")
        return False


def first_problem(stderr: str) -> str:
    """The kind of the first problem, for the statistics (--hypothesis-show-statistics)."""
    line = stderr.splitlines()[0]
    return re.sub(r"'.*|\d[\d,]*|U\+\w+.*|^.*?: (?=[a-z])", "", line.split("yaml")[-1])[:60]


# --- strategies ------------------------------------------------------------------------------

MARKUP = [
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
    "  \n",
    "\n",
    "\n\n",
    "\\\n",
    "[x](https://example.org/a)",
    "[R&D](https://example.org/?a=1&b=2)",
    "**bold**",
    "*it*",
    "_it_",
    "`code`",
    "[dangling](",
    "](",
    "[]()",
    "![img](https://e.org/x.png)",
]
word = st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True)
latin = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x24F, exclude_categories=("Cc", "Cs")),
    min_size=1,
    max_size=10,
)
markup_piece = st.one_of(
    word, word, latin, st.sampled_from(MARKUP), st.sampled_from([" ", " ", "\n"])
)
# Always at least one word, so that most fields are not blank (blank text has its own tests).
markupish = st.tuples(
    st.lists(markup_piece, max_size=20), word, st.lists(markup_piece, max_size=20)
).map(lambda t: "".join(t[0]) + t[1] + "".join(t[2]))
arbitrary = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
symbols = st.text(st.sampled_from("→✓★𝔸𝔹∑⚖ZoëŁódź &<>*_[]"), min_size=1, max_size=20)


def long_text(max_size: int) -> st.SearchStrategy[str]:
    """Words and markup repeated up to `max_size` characters, with very long words."""
    long_word = st.tuples(word, st.integers(5, 60)).map(lambda t: t[0] * t[1])
    piece = st.one_of(word, word, word, st.sampled_from(MARKUP), long_word)
    return st.tuples(st.lists(piece, min_size=5, max_size=30), st.integers(1, 400)).map(
        lambda t: ((" ".join(t[0]) + " ") * t[1])[:max_size]
    )


def all_fields(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({(doc, key): text for doc, key, _, _ in FIELDS})


def fitting(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict]:
    """`text` in every field, cut to the field's maximum length (so most builds succeed)."""
    return st.fixed_dictionaries(
        {
            (doc, key): text.map(lambda s, n=limit: s[:n] if n else s)
            for doc, key, limit, _ in FIELDS
        }
    )


# --- the properties --------------------------------------------------------------------------


@SETTINGS
@given(values=fitting(markupish))
@example(
    values={
        (doc, key): 'R&D x <y z <foo> a\\b "q" &amp; **b** *i* [l](https://e.org/x)'[
            : limit or None
        ]
        for doc, key, limit, _ in FIELDS
    }
)
def test_markup_like_text_in_every_field(values: dict) -> None:
    check(values)


@SETTINGS
@given(values=all_fields(markupish))
def test_markup_like_text_of_any_length_in_every_field(values: dict) -> None:
    check(values)


@SETTINGS
@given(field=st.sampled_from(range(len(FIELDS))), value=arbitrary)
def test_arbitrary_unicode_in_one_field(field: int, value: str) -> None:
    doc, key, _, _ = FIELDS[field]
    check({**base_values(), (doc, key): value})


@SETTINGS
@given(values=all_fields(st.one_of(arbitrary, symbols, markupish)))
def test_arbitrary_unicode_in_every_field(values: dict) -> None:
    check(values)


@SETTINGS
@given(values=fitting(symbols))
def test_symbols_from_the_fallback_fonts_in_every_field(values: dict) -> None:
    check(values)


@settings(SETTINGS, max_examples=max(EXAMPLES // 3, 10))
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


def test_the_base_folder_builds() -> None:
    """Guards the properties: with ordinary text the build succeeds and every word is found."""
    assert check(base_values())


def test_the_word_oracle() -> None:
    assert words("**R&D** x <y z", rich=True) == ["r", "d", "x", "y", "z"]
    assert words("see [the site](https://e.org/p q) now\n\nnext para", rich=True) == [
        "see",
        "the",
        "site",
        "next",
        "para",
    ]
    assert words("snake_case", rich=False) == ["snake", "case"]
    assert words("straße", rich=False, upper=True) == ["strasse"]
