"""Turn a meeting file (meetings/<id>.yaml in the data folder) into a checked Meeting, or
raise DataError with every problem in it located by file, line and field, as the data
folder's own files are; the book's themes and mayors are what its filters are checked
against."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from briefbook.errors import BriefbookError, DataError, OptionError, Problem
from briefbook.load import Document, load_file
from briefbook.model import Book, Meeting
from briefbook.validate import MissingGlyphs, file_problems, located, unknown_ids

FOLDER = "meetings"  # in the data folder


def meeting_file(given: str, data: Path | None) -> Path:
    """The file `given` names: a path to a .yaml file, or a meeting's id, looked up in the
    data folder's meetings/."""
    path = Path(given)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists() or len(path.parts) > 1:
        return path
    return (data if data is not None else Path("data")) / FOLDER / f"{given}.yaml"


def data_folder_of(path: Path) -> Path:
    """The data folder a meeting file belongs to: the folder holding its meetings/ (or,
    for a file kept elsewhere, ./data)."""
    return path.parent.parent if path.parent.name == FOLDER else Path("data")


def read_meeting(
    path: Path, missing_glyphs: MissingGlyphs
) -> tuple[Document | None, list[Problem]]:
    """The meeting file, read, and what is wrong with it on its own (its schema, its text):
    the checks that need no data folder."""
    problems: list[Problem] = []
    if not path.exists():
        return None, [
            Problem(
                str(path),
                None,
                "",
                f"no such file; expected a meeting file, such as data/{FOLDER}/smith.yaml",
            )
        ]
    doc = load_file(path, problems, root=path.parent)
    if doc is None:
        return None, problems
    doc, dated = _dated(doc)
    problems += dated
    problems += file_problems(doc, "meeting", missing_glyphs)
    return doc, problems


def checked_meeting(doc: Document, book: Book, problems: list[Problem] = ()) -> Meeting:
    """The Meeting `doc` describes, its filters checked against `book`; DataError with
    `problems` (those read_meeting found) and every new one, all at once."""
    from briefbook.dates import parse_day

    value: Any = doc.value if isinstance(doc.value, dict) else {}
    problems = list(problems)
    themes = [t.id for t in book.themes]
    mayors = sorted(m.id for m in book.mayors)
    problems += unknown_ids(doc, ("themes",), value.get("themes"), themes, "theme")
    problems += unknown_ids(doc, ("mayors",), value.get("mayors"), mayors, "mayor")
    date = None
    if isinstance(value.get("date"), str) and not _at_key(problems, doc, "date"):
        try:
            date = parse_day(value["date"])
        except ValueError as err:
            problems.append(located(doc, ("date",), str(err)))
    email = value.get("email") if isinstance(value.get("email"), dict) else {}
    to = _addresses(doc, ("email", "to"), email.get("to"), problems)
    cc = _addresses(doc, ("email", "cc"), email.get("cc"), problems)
    if problems or date is None:
        raise DataError(problems)
    meeting = Meeting(
        id=Path(doc.file).stem,
        file=doc.file,
        counterpart=" ".join(value["with"].split()),
        date=date,
        time=value.get("time", ""),
        place=" ".join(value.get("place", "").split()),
        themes=tuple(value.get("themes", ())),
        states=tuple(value.get("states", ())),
        mayors=tuple(value.get("mayors", ())),
        ask=value.get("ask", ""),
        talking_points=tuple(value.get("talking_points", ())),
        attendees=tuple(" ".join(a.split()) for a in value.get("attendees", ())),
        email_to=to,
        email_cc=cc,
    )
    _chooses_someone(doc, meeting, book)
    return meeting


def _at_key(problems: list[Problem], doc: Document, key: str) -> bool:
    """Has a problem of `key` in `doc` been found already?"""
    return any(p.file == doc.file and p.field == key for p in problems)


def _chooses_someone(doc: Document, meeting: Meeting, book: Book) -> None:
    """DataError, at the filters, when they leave no mayor to bring."""
    from briefbook.select import select_mayors

    try:
        select_mayors(book, meeting.themes, meeting.states, meeting.mayors)
    except BriefbookError:
        asked = [k for k in ("themes", "states", "mayors") if doc.value.get(k)]
        key = (asked[0],) if asked else ()
        filters = " and ".join(f"{k} [{', '.join(getattr(meeting, k))}]" for k in asked)
        raise DataError(
            located(
                doc,
                key,
                f"no mayor matches {filters}; expected filters that choose at least one "
                "mayor (run 'briefbook list' with --theme, --state and --mayor to see whom "
                "they choose)",
            )
        ) from None


def _dated(doc: Document) -> tuple[Document, list[Problem]]:
    """`doc` with its date as text, as it is when quoted: YAML reads 2026-12-03 written
    plainly as a date, and 2026-12-03 10:30 as a date and a time."""
    value = doc.value
    if not isinstance(value, dict) or not isinstance(value.get("date"), dt.date):
        return doc, []
    date = value["date"]
    if isinstance(date, dt.datetime):
        shown = date.isoformat(sep=" ", timespec="minutes")
        return doc, [
            located(
                doc,
                ("date",),
                f"found a date and a time ({shown}); expected the day alone, such as "
                f"{date.date().isoformat()}, and the time under time:",
            )
        ]
    return dataclasses.replace(doc, value={**value, "date": date.isoformat()}), []


def _addresses(doc: Document, key: tuple, found: Any, problems: list[Problem]) -> tuple[str, ...]:
    """The addresses at `key` (one, or a list), each checked as --eml checks its own."""
    from briefbook.draft import checked_addresses

    if found is None:
        return ()
    items = (
        [(key, found)]
        if isinstance(found, str)
        else [((*key, i), item) for i, item in enumerate(found) if isinstance(item, str)]
    )
    checked = []
    for where, address in items:
        try:
            checked += checked_addresses([address], "email")
        except OptionError as err:
            problems.append(located(doc, where, str(err)))
    return tuple(checked)


def meeting_files(data: Path) -> list[Path]:
    """The meeting files of a data folder: each .yaml or .yml file of its meetings/ (names
    that start with a dot are the system's and editors', and skipped), by name."""
    folder = data / FOLDER
    if not folder.is_dir():
        return []
    return sorted(
        entry
        for entry in folder.iterdir()
        if entry.suffix.lower() in (".yaml", ".yml")
        and not entry.name.startswith(".")
        and entry.is_file()
    )


def meetings_problems(
    paths: list[Path], book: Book, missing_glyphs: MissingGlyphs
) -> list[Problem]:
    """Every problem of these meeting files (`briefbook validate` checks them all)."""
    problems: list[Problem] = []
    for path in paths:
        doc, found = read_meeting(path, missing_glyphs)
        if doc is None:
            problems += found
            continue
        try:
            checked_meeting(doc, book, found)
        except DataError as err:
            problems += err.problems
    return problems
