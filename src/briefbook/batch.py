"""Turn one build's options and `--each theme|state|mayor` into the editions of a batch: one
set of options per value the filters allow, each building its own book under its own name,
and the closing table of what was written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from briefbook.build import Loaded, Options, Result

EACH = ("theme", "state", "mayor")


def checked_each(options: Options, each: str) -> None:
    """Refuse what cannot go with `--each`, before any work."""
    from briefbook.errors import OptionError

    if options.output is not None:
        raise OptionError(
            "output",
            f"--each {each} writes one book per {each}, each under its own name in out/; "
            "expected no --output with --each",
        )


def editions(options: Options, each: str, data: Loaded) -> list[tuple[str, Options]]:
    """(value, its options) for every edition of `--each EACH` under the other filters, in
    the book's order: each theme a selected mayor works on (of those --theme names, if any),
    each state of a selected mayor, alphabetically, or each selected mayor. `data` is the
    folder validated (build.loaded)."""
    from briefbook.select import select_mayors

    book = data.book
    mayors = select_mayors(book, options.themes, options.states, options.mayors).mayors
    if each == "theme":
        used = {t for m in mayors for t in m.themes}
        asked = set(options.themes) or used
        values = [t.id for t in book.themes if t.id in used and t.id in asked]
        return [(v, replace(options, themes=(v,))) for v in values]
    if each == "state":
        values = sorted({m.state for m in mayors})
        return [(v, replace(options, states=(v,))) for v in values]
    if each == "mayor":
        return [(m.id, replace(options, mayors=(m.id,))) for m in mayors]
    raise ValueError(f"unknown --each {each!r}; expected one of {EACH}")


def run(batch: list[tuple[str, Options]], data: Loaded, workers: int) -> Iterator[Result]:
    """Build the editions, in their order, by up to `workers` processes forked from this one
    (see briefbook.workers): the checked layout and the validated `data` are theirs from
    the start."""
    from functools import partial

    from briefbook.build import build
    from briefbook.workers import in_order

    yield from in_order(partial(build, checked=data), [options for _, options in batch], workers)


def table(
    results: list[Result],
    size_words: Callable[[int], str],
    others: tuple[tuple[str, int], ...] = (),
) -> str:
    """The closing table: each file written, with its pages, mayors and size (a booklet's
    pages are its sides' pages, padded), then the `others` (name, size) that are no PDF."""
    from briefbook.listing import formatted

    records = []
    for r in results:
        records.append(
            {"file": str(r.output), "pages": r.pages, "mayors": r.mayors, "size": r.size}
        )
        if r.booklet is not None:
            records.append(
                {
                    "file": str(r.booklet),
                    "pages": r.booklet_pages,
                    "mayors": r.mayors,
                    "size": r.booklet_size,
                }
            )
    records += [{"file": name, "pages": "", "mayors": "", "size": size} for name, size in others]
    for record in records:
        record.update(pages=str(record["pages"]), mayors=str(record["mayors"]))
        record["size"] = size_words(record["size"])
    return formatted(records, ("file", "pages", "mayors", "size"), "table")
