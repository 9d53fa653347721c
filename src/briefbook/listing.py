"""Turn a book and an edition's selection into what `list` and `themes` print: a table for
people, or ids or JSON for scripts.

Every format holds the same records in the same order; a table shows some of each record's
fields, JSON all of them. Counts and other summaries are not part of any format: the command
line prints them on stderr, so that stdout is only data.
"""

from __future__ import annotations

import json
from typing import Any

from briefbook.model import Book, Selection

FORMATS = ("table", "ids", "json")

MAYOR_COLUMNS = ("id", "name", "place", "themes")
THEME_COLUMNS = ("id", "label", "mayors")


def mayor_records(selection: Selection) -> list[dict[str, Any]]:
    """The selected mayors in book order: the table's columns first, then the rest."""
    return [
        {
            "id": m.id,
            "name": m.name,
            "place": f"{m.city}, {m.state}",
            "themes": list(m.themes),
            "title": m.title,
            "city": m.city,
            "state": m.state,
            "sort_as": m.sort_as,
            "file": m.file,
        }
        for m in selection.mayors
    ]


def theme_records(book: Book) -> list[dict[str, Any]]:
    """Every theme in themes.yaml's order, with how many of all the mayors carry it."""
    return [
        {
            "id": t.id,
            "label": t.label,
            "mayors": sum(t.id in m.themes for m in book.mayors),
            "description": t.description,
        }
        for t in book.themes
    ]


def formatted(records: list[dict[str, Any]], columns: tuple[str, ...], fmt: str) -> str:
    """The records as `fmt` (one of FORMATS), ending in a newline."""
    if fmt == "ids":
        return "".join(f"{r['id']}\n" for r in records)
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt == "table":
        return _table(columns, [tuple(_cell(r[c]) for c in columns) for r in records])
    raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")


def _cell(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return "".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n"
        for row in [header, *rows]
    )
