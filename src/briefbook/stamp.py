"""Turn what made an edition (its data files, its pictures, its layout's files and fonts, the
version of briefbook) into a short hash, printed on the book's last page and by `build`, so
that two printed copies can be told apart: the same inputs give the same hash on any
machine, and a change to any of them a different one."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from briefbook import __version__
from briefbook.layout import Layout
from briefbook.model import Book, Selection

LENGTH = 10  # hex digits: a chance of two different editions sharing one of about 1 in 10^12


def edition_id(data: Path, book: Book, selection: Selection, layout: Layout, look: str) -> str:
    """The hash of the files that made this edition, named relative to their folders (so a
    copied folder gives the same hash), and of `look`: the options that change the pages
    without changing a file (paper, print options, title, date)."""
    digest = hashlib.sha256()
    for name, path in sorted(_inputs(data, book, selection, layout)):
        digest.update(f"{name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(f"{look}\0briefbook {__version__}".encode())
    return digest.hexdigest()[:LENGTH]


def _inputs(
    data: Path, book: Book, selection: Selection, layout: Layout
) -> Iterable[tuple[str, Path]]:
    yield "data/book.yaml", data / "book.yaml"
    yield "data/themes.yaml", data / "themes.yaml"
    for mayor in selection.mayors:
        yield f"data/{_within(Path(mayor.file), data)}", Path(mayor.file)
        if mayor.photo is not None:
            yield f"data/{_within(mayor.photo, data)}", mayor.photo
    if book.cover_image is not None:
        yield f"data/{_within(book.cover_image, data)}", book.cover_image
    for depth, folder in enumerate(layout.folders):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.is_file() and not entry.name.startswith("."):
                yield f"layout{depth}/{entry.name}", Path(entry.path)
    fonts = {p for faces in layout.fonts.values() for p in faces.values()}
    for path in sorted(fonts | set(layout.fallback_fonts)):
        yield f"font/{path.name}", path


def _within(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive (Windows)
        return path.name
