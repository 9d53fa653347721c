"""Turn a loaded data folder into a Book, or raise DataError listing every problem at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from briefbook.cache import Cache
from briefbook.errors import DataError, Problem, did_you_mean, one_of
from briefbook.load import Document, Key, RawFolder, field_name
from briefbook.model import Book, Contact, Initiative, Mayor, Source, Theme, default_sort_key
from briefbook.pictures import image_problem
from briefbook.schemacheck import Check, NotCompiled, compiled
from briefbook.text import WEB_LINKS, links

SCHEMAS = ("book", "themes", "mayor", "meeting", "layout")
# ReportLab lays out a paragraph in time that grows with the square of its length: 20,000
# characters (about 3,000 words) take a fifth of a second, 160,000 five seconds, and a
# 900,000-character summary in one paragraph does not finish in any useful time.
MAX_PARAGRAPH_CHARS = 20_000

MissingGlyphs = Callable[[str], list[str]]


@cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of book, themes or mayor files, as shipped in briefbook/schemas/."""
    text = resources.files("briefbook").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def fast_check(name: str) -> Check | None:
    """The schema `name` compiled into one function (briefbook.schemacheck), or None if it
    uses a keyword that module does not judge: then every file goes to jsonschema."""
    try:
        return compiled(schema(name))
    except NotCompiled:
        return None


def validate(
    raw: RawFolder,
    problems: list[Problem],
    missing_glyphs: MissingGlyphs,
    picture_cache: Cache | None = None,
    left_out: list[Problem] | None = None,
) -> tuple[Book, list[Problem]]:
    """Check `raw` against the data contract; raise DataError with `problems` and all new ones.
    Return the book and the warnings: things that print, but may not be what was meant.

    Given a `left_out` list (--keep-going), the problems of mayor files go there instead and
    those mayors are left out of the book; a problem anywhere else is still an error."""
    problems = list(problems)
    theme_ids = _theme_ids(raw.themes)
    for doc, name in _documents(raw):
        problems.extend(schema_problems(doc, name, theme_ids))
    for doc in raw.mayors:
        problems.extend(_mayor_problems(doc, theme_ids))
    problems.extend(_duplicate_names(raw.mayors))
    problems.extend(_picture_problems(list(_documents(raw)), raw.root, picture_cache))
    for doc, name in _documents(raw):
        problems.extend(_text_problems(doc, name, missing_glyphs))
    if left_out is not None and problems:
        problems, raw = _without_broken_mayors(raw, problems, left_out)
    if problems or raw.book is None or raw.themes is None:
        raise DataError(problems)
    warnings = [*raw.warnings, *_book_warnings(raw.book)]
    for doc in raw.mayors:
        warnings.extend(_mayor_warnings(doc))
    return _build_book(raw), warnings


def _without_broken_mayors(
    raw: RawFolder, problems: list[Problem], left_out: list[Problem]
) -> tuple[list[Problem], RawFolder]:
    """The problems outside mayor files, and `raw` without the mayor files that have some
    (their problems added to `left_out`); all of them, and `raw`, if any is outside."""
    folder = os.path.normpath(os.path.join(str(raw.root), "mayors")) + os.sep
    theirs = [p for p in problems if os.path.normpath(p.file).startswith(folder)]
    if len(theirs) < len(problems):
        return problems, raw
    broken = {os.path.normpath(p.file) for p in theirs}
    left_out.extend(theirs)
    kept = tuple(d for d in raw.mayors if os.path.normpath(d.file) not in broken)
    return [], dataclasses.replace(raw, mayors=kept)


def _book_warnings(doc: Document) -> Iterator[Problem]:
    """What prints, but is probably not what was meant."""
    cover = doc.value.get("cover") or {}
    if "credit" in cover and "image" not in cover:
        yield located(
            doc,
            ("cover", "credit"),
            "a picture credit but no cover.image, so the credit prints with no picture; "
            "add the picture as cover.image, or remove the credit",
        )
    for field in ("image_alt", "image_focus"):
        if field in cover and "image" not in cover:
            yield located(
                doc,
                ("cover", field),
                f"cover.{field} but no cover.image, so it describes no picture; add the "
                f"picture as cover.image, or remove cover.{field}",
            )


def _mayor_warnings(doc: Document) -> Iterator[Problem]:
    for field in ("photo_alt", "photo_focus"):
        if isinstance(doc.value, dict) and field in doc.value and "photo" not in doc.value:
            yield located(
                doc,
                (field,),
                f"a {field} but no photo, so it describes no picture; add the photo, or "
                f"remove {field}",
            )


def _documents(raw: RawFolder) -> Iterator[tuple[Document, str]]:
    if raw.book is not None:
        yield raw.book, "book"
    if raw.themes is not None:
        yield raw.themes, "themes"
    for doc in raw.mayors:
        yield doc, "mayor"


# --- the schema, and its errors in plain words ------------------------------------------


def schema_problems(doc: Document, name: str, theme_ids: list[str] = ()) -> list[Problem]:
    """Every way `doc` breaks the JSON Schema `name`, each as a located Problem.

    With the theme ids known, a malformed theme id is left to the theme check, which can say
    which ids exist and which one was meant (an item that is not text at all is not).
    """
    valid = fast_check(name)
    if valid is not None and valid(doc.value):
        errors = []  # most files: nothing for jsonschema to put into words
    else:
        from jsonschema import Draft202012Validator

        errors = list(Draft202012Validator(schema(name)).iter_errors(doc.value))
    # .nan and .inf where a number belongs; where text belongs, the type error says so.
    wrong_type = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    odd = {k: shown for k, shown in _not_finite(doc.value, ()) if k not in wrong_type}
    skip = doc.unreadable | frozenset(odd)
    return [
        *(
            located(doc, key, f"found {shown}; expected a finite number")
            for key, shown in odd.items()
        ),
        *(
            p
            for err in errors
            if not _under(tuple(err.absolute_path), skip)
            and not (
                theme_ids and err.schema.get("x-expect") == THEME_ID and err.validator == "pattern"
            )
            for p in _explain(doc, err)
        ),
    ]


def _not_finite(value: Any, key: Key) -> Iterator[tuple[Key, str]]:
    """Where YAML read .nan or .inf: numbers no size, colour or count can be (jsonschema takes
    them for numbers, and nothing downstream can use them)."""
    if isinstance(value, float) and not math.isfinite(value):
        yield key, ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _not_finite(v, (*key, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _not_finite(v, (*key, i))


THEME_ID = "a theme id from themes.yaml"  # the schemas' x-expect for a theme id


def _under(key: Key, keys: frozenset[Key]) -> bool:
    """Is `key` one of `keys` or inside one? (Loading has already explained those.)"""
    return any(key[: len(k)] == k for k in keys)


def _explain(doc: Document, err: Any) -> Iterator[Problem]:
    key: Key = tuple(err.absolute_path)
    kind, found, sub = err.validator, err.instance, err.schema
    if kind == "required":
        props = sub.get("properties", {})
        for name in err.validator_value:
            if isinstance(found, dict) and name not in found:
                yield located(
                    doc,
                    (*key, name),
                    f"required key is missing; expected {_expect(props.get(name, {}))}",
                    line_of=key,
                )
    elif kind == "additionalProperties" and isinstance(found, dict):
        allowed = list(sub.get("properties", {}))
        for name in found:
            if name not in allowed:
                yield located(
                    doc,
                    (*key, name),
                    f"unknown key; {one_of(allowed)}{did_you_mean(name, allowed)}",
                )
    elif "propertyNames" in err.relative_schema_path:
        # jsonschema reports a bad key as an error of the mapping; point at the key itself.
        yield located(doc, (*key, str(found)), f"invalid id '{found}'; expected {_expect(sub)}")
    elif kind in ("minLength", "pattern") and found is not None and sub.get("pattern") == "\\S":
        yield located(doc, key, "expected text, found an empty value")
    elif kind == "type":
        hint = ""
        if sub.get("type") == "string" and _is_scalar(found):
            hint = "; put text in quotes"
        elif sub.get("type") == "string" and isinstance(found, dict) and len(found) == 1:
            # `- diversion: alternatives` is valid YAML, and is not the text it looks like.
            hint = (
                "; a colon followed by a space makes a key: if it is part of the text, put "
                'the whole text in quotes ("...")'
            )
        yield located(doc, key, f"expected {_expect(sub)}, found {_describe(found)}{hint}")
    elif kind == "maxLength":
        yield located(
            doc,
            key,
            f"expected at most {sub['maxLength']} characters, found {len(found)}; shorten it",
        )
    elif kind == "enum":
        valid = [str(v) for v in sub["enum"]]
        hint = f"; did you mean '{found.upper()}'?" if str(found).upper() in valid else ""
        yield located(doc, key, f"expected {_expect(sub)}, found {_describe(found)}{hint}")
    elif kind == "minItems":
        n = len(found)
        items = "an empty list" if n == 0 else f"{n} {'item' if n == 1 else 'items'}"
        yield located(doc, key, f"expected {_expect(sub)}, found {items}")
    elif kind == "uniqueItems":
        first: dict[str, int] = {}
        for i, item in enumerate(found):
            seen = json.dumps(item, sort_keys=True, default=str)  # items may be unhashable
            if seen in first:
                also = field_name((*key, first[seen]))
                yield located(
                    doc, (*key, i), f"'{item}' is listed twice (also {also}); expected each once"
                )
            else:
                first[seen] = i
    elif kind == "minProperties":
        yield located(doc, key, "expected at least one entry, found none")
    elif kind == "maxProperties":
        yield located(doc, key, f"expected {_expect(sub)}, found {len(found)}")
    else:
        yield located(doc, key, f"expected {_expect(sub)}, found {_describe(found)}")


def located(doc: Document, key: Key, message: str, line_of: Key | None = None) -> Problem:
    """A problem of the value at `key` (on the line of `line_of`, if given)."""
    line = doc.line(key if line_of is None else line_of)
    return Problem(doc.file, line, field_name(key) or "(top level)", message)


def _expect(sub: dict[str, Any]) -> str:
    if "x-expect" in sub:
        return sub["x-expect"]
    return {"string": "text", "array": "a list", "object": "a mapping of keys"}.get(
        sub.get("type", ""), "a value"
    )


def _is_scalar(value: Any) -> bool:
    """A number or date that YAML read from what may have been meant as text (booleans
    carry their own hint)."""
    return isinstance(value, int | float | dt.date) and not isinstance(value, bool)


def _describe(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return (
            f"{str(value).lower()} (yes, no, on and off are read as true or false; "
            "put text in quotes)"
        )
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, str) and not value.strip():
        return "an empty value"
    return f"'{value}'"


# --- checks that span files or reach outside YAML ---------------------------------------


def _theme_ids(doc: Document | None) -> list[str]:
    return list(doc.value) if doc is not None and isinstance(doc.value, dict) else []


def _mayor_problems(doc: Document, theme_ids: list[str]) -> Iterator[Problem]:
    stem = Path(doc.file).stem
    if not _is_id(stem):
        yield Problem(
            doc.file,
            None,
            "",
            f"file name '{stem}' is not a valid mayor id; expected "
            "lower-case letters, digits and single hyphens, e.g. de-blasio.yaml",
        )
    value = doc.value if isinstance(doc.value, dict) else {}
    yield from _unknown_themes(doc, ("themes",), value.get("themes"), theme_ids)
    own = _list(value.get("themes"))
    # Only against a sound list of the mayor's own themes; a broken one is reported already.
    sound = bool(own) and all(isinstance(t, str) and t in theme_ids for t in own)
    for i, item in enumerate(_list(value.get("initiatives"))):
        if isinstance(item, dict):
            key = ("initiatives", i, "themes")
            yield from _unknown_themes(doc, key, item.get("themes"), theme_ids)
            # Selection and chips go by the mayor's themes: an initiative's must be among them.
            for j, theme_id in enumerate(_list(item.get("themes"))):
                if sound and theme_id in theme_ids and theme_id not in own:
                    yield located(
                        doc,
                        (*key, j),
                        f"'{theme_id}' is not one of this mayor's themes; "
                        f"expected one of: {', '.join(own)} (or add it to themes)",
                    )


def _unknown_themes(doc: Document, key: Key, ids: Any, valid: list[str]) -> Iterator[Problem]:
    return unknown_ids(doc, key, ids, valid, "theme")


def unknown_ids(
    doc: Document, key: Key, ids: Any, valid: list[str], kind: str
) -> Iterator[Problem]:
    """The items of the list at `key` that are not among the `valid` ids of `kind`."""
    if not valid:
        return
    for i, found in enumerate(_list(ids)):
        if isinstance(found, str) and found not in valid:
            yield located(
                doc,
                (*key, i),
                f"unknown {kind} '{found}'; {one_of(valid)}{did_you_mean(found, valid)}",
            )


def file_problems(
    doc: Document, name: str, missing_glyphs: MissingGlyphs, theme_ids: list[str] = ()
) -> list[Problem]:
    """What is wrong with one file of kind `name` on its own: its schema and its text."""
    return [*schema_problems(doc, name, theme_ids), *_text_problems(doc, name, missing_glyphs)]


def _duplicate_names(docs: tuple[Document, ...]) -> Iterator[Problem]:
    seen: dict[str, Document] = {}
    for doc in docs:
        name = doc.value.get("name") if isinstance(doc.value, dict) else None
        if not isinstance(name, str):
            continue
        folded = " ".join(name.casefold().split())
        if folded in seen:
            yield located(
                doc,
                ("name",),
                f"'{name}' is also the name in {seen[folded].file}; expected each mayor once",
            )
        else:
            seen[folded] = doc


def _picture_problems(
    docs: list[tuple[Document, str]], root: Path, picture_cache: Cache | None
) -> list[Problem]:
    """Pictures that are not usable picture files inside the data folder. They are checked
    side by side, one per processor: decoding a photo to see that it is whole is most of
    the time a first build of a book with photos takes, and Pillow decodes without holding
    Python's lock."""
    from concurrent.futures import ThreadPoolExecutor

    named = [
        (doc, key, rel)
        for doc, name in docs
        for key, rel in _strings(doc.value, ())
        if rel.strip() and field_schema(name, key).get("x-path") is True
    ]
    if not named:
        return []
    with ThreadPoolExecutor(min(len(named), os.cpu_count() or 1)) as pool:
        messages = list(pool.map(lambda n: image_problem(root, n[2], picture_cache), named))
    return [
        located(doc, key, message)
        for (doc, key, _), message in zip(named, messages, strict=True)
        if message
    ]


def text_problems(text: str, key: Key, name: str, missing_glyphs: MissingGlyphs) -> list[str]:
    """What would be wrong with `text` as the value at `key` of a `name` file: the checks of
    that field, for text given on the command line (briefbook build --title)."""
    from jsonschema import Draft202012Validator

    sub = schema(name)
    for part in key:
        sub = sub["properties"][part]
    doc = Document("", _nested(key, text))
    errors = Draft202012Validator(sub).iter_errors(text)
    problems = [p for err in errors for p in _explain(doc, err)]
    problems += _text_problems(doc, name, missing_glyphs)
    return [p.message for p in problems]


def _nested(key: Key, value: Any) -> Any:
    for part in reversed(key):
        value = {part: value}
    return value


def _text_problems(doc: Document, name: str, missing_glyphs: MissingGlyphs) -> Iterator[Problem]:
    """Characters no shipped font can draw, and in rich text, links that are not web
    addresses and paragraphs too long to lay out."""
    for key, text in _strings(doc.value, ()):
        controls = [c for c in dict.fromkeys(text) if unicodedata.category(c) == "Cc"]
        for line, chars in _by_line(doc, key, text, [c for c in controls if c not in "\t\n\r"]):
            names = ", ".join(f"U+{ord(c):04X}" for c in chars)
            yield Problem(
                doc.file,
                line,
                field_name(key),
                f"control character {names} is not text; expected printable characters (remove it)",
            )
        for line, chars in _by_line(doc, key, text, missing_glyphs(text)):
            names = ", ".join(
                f"U+{ord(c):04X} '{c}'" if c.isprintable() else f"U+{ord(c):04X}" for c in chars
            )
            yield Problem(
                doc.file,
                line,
                field_name(key),
                f"no font in the layout can draw {names}; expected characters "
                "the book's fonts have (remove or replace them)",
            )
        sub = field_schema(name, key)
        if is_rich_text(name, key):
            yield from _rich_problems(doc, key, text)
        elif sub.get("type") == "string" and not sub.get("x-path") and key[-1:] != ("url",):
            yield from _list_in_one_line(doc, key, text)
        most = sub.get("x-max-words")
        if most is not None and len(text.split()) > most:
            yield located(
                doc,
                key,
                f"expected at most {most} words, found {len(text.split())}; shorten it "
                "(it is the short form: the full text has a field of its own)",
            )


_LIST_START = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+\S")


def _list_in_one_line(doc: Document, key: Key, text: str) -> Iterator[Problem]:
    """Names, titles and labels are one line of plain text: a line that starts like a list
    item would print its dash or number as written, which is rarely what was meant."""
    index = 0
    for line in text.split("\n"):
        found = _LIST_START.match(line)
        if found:
            marker = line.strip().split()[0]
            yield Problem(
                doc.file,
                doc.line_in(key, text, index),
                field_name(key),
                f"'{marker} ' starts a list, and this field is one line of plain text; "
                "expected text without a list marker (lists belong in rich text such as "
                "summary), or put it in words",
            )
            return
        index += len(line) + 1


def _rich_problems(doc: Document, key: Key, text: str) -> Iterator[Problem]:
    for start, length in paragraphs(text):
        if length > MAX_PARAGRAPH_CHARS:
            yield Problem(
                doc.file,
                doc.line_in(key, text, start),
                field_name(key),
                f"paragraph too long to lay out: expected at most {MAX_PARAGRAPH_CHARS:,} "
                f"characters in one paragraph (about 3,000 words), found {length:,}; split "
                "it into shorter paragraphs with blank lines",
            )
    for target, line in links(text):
        if not target.startswith(WEB_LINKS):
            yield Problem(
                doc.file,
                doc.line_in(key, text, _line_start(text, line)),
                field_name(key),
                f"link to '{target}'; expected an http://, https:// or mailto: address",
            )


def _line_start(text: str, line: int) -> int:
    """Index of the first character of line `line` (0-based, counted at LF) of `text`."""
    index = 0
    for _ in range(line):
        found = text.find("\n", index)
        if found < 0:
            break
        index = found + 1
    return index


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(index of its first character, its length) of each paragraph of rich text: the runs
    of lines between blank lines (lines of spaces and tabs count as blank, as in Markdown)."""
    out: list[tuple[int, int]] = []
    start = end = None
    index = 0
    for line in text.split("\n"):
        if line.strip(" \t"):
            if start is None:
                start = index
            end = index + len(line)
        elif start is not None:
            out.append((start, end - start))
            start = None
        index += len(line) + 1
    if start is not None:
        out.append((start, end - start))
    return out


def is_rich_text(name: str, key: Key) -> bool:
    """Is the value at `key` of a `name` file rich text (inline Markdown)? The schemas say,
    with "x-rich-text": true."""
    return field_schema(name, key).get("x-rich-text") is True


def field_schema(name: str, key: Key) -> dict[str, Any]:
    """The part of schema `name` that describes the value at `key` ({} if none does)."""
    sub: Any = schema(name)
    for part in key:
        if not isinstance(sub, dict):
            return {}
        if isinstance(part, int):
            sub = sub.get("items", {})
        elif part in sub.get("properties", {}):
            sub = sub["properties"][part]
        else:
            sub = sub.get("additionalProperties") or {}
    return sub if isinstance(sub, dict) else {}


def _by_line(doc: Document, key: Key, text: str, chars: list[str]) -> list[tuple[int, list[str]]]:
    """`chars` grouped by the line of the file where each first appears in `text`."""
    lines: dict[int, list[str]] = {}
    for char in chars:
        lines.setdefault(doc.line_in(key, text, text.index(char)), []).append(char)
    return sorted(lines.items())


def _strings(value: Any, key: Key) -> Iterator[tuple[Key, str]]:
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, (*key, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*key, i))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_id(text: str) -> bool:
    parts = text.split("-")
    return all(p and p.isascii() and p.isalnum() and p == p.lower() for p in parts)


# --- the model ---------------------------------------------------------------------------


def _build_book(raw: RawFolder) -> Book:
    book = raw.book.value
    statement, cover, contact = book["statement"], book.get("cover", {}), book.get("contact")
    themes = tuple(
        Theme(tid, t["label"].strip(), t.get("description", "").strip())
        for tid, t in raw.themes.value.items()
    )
    return Book(
        title=book["title"].strip(),
        subtitle=book.get("subtitle", "").strip(),
        organization=book.get("organization", "").strip(),
        language=book.get("language", "en-US"),
        statement_heading=statement["heading"].strip(),
        statement_body=statement["body"],
        statement_brief=statement.get("brief", ""),
        cover_image=raw.root / cover["image"] if "image" in cover else None,
        cover_credit=cover.get("credit", "").strip(),
        cover_image_alt=" ".join(cover.get("image_alt", "").split()),
        cover_image_focus=tuple(cover.get("image_focus", (0.5, 0.5))),
        contact=Contact(**contact) if contact else None,
        themes=themes,
        mayors=tuple(_build_mayor(doc, raw.root) for doc in raw.mayors),
    )


def _build_mayor(doc: Document, root: Path) -> Mayor:
    m = doc.value
    name = " ".join(m["name"].split())
    return Mayor(
        id=Path(doc.file).stem,
        name=name,
        title=m.get("title", "Mayor").strip(),
        city=m["city"].strip(),
        state=m["state"],
        sort_as=" ".join(m.get("sort_as", "").split()) or default_sort_key(name),
        themes=tuple(dict.fromkeys(m["themes"])),
        summary=m["summary"],
        brief=m.get("brief", ""),
        initiatives=tuple(
            Initiative(i["name"].strip(), tuple(i.get("themes", ())), i.get("description", ""))
            for i in m.get("initiatives", ())
        ),
        sources=tuple(Source(s["title"].strip(), s["url"].strip()) for s in m.get("sources", ())),
        photo=root / m["photo"] if "photo" in m else None,
        photo_alt=" ".join(m.get("photo_alt", "").split()) or f"Portrait of {name}",
        photo_focus=tuple(m.get("photo_focus", (0.5, 0.5))),
        file=doc.file,
    )
