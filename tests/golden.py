"""Turn the shipped editions into golden dumps (page count, outline, text of every page) that
tests/test_golden.py compares with the books the suite builds, so any change to a book is a
reviewed diff.

Refresh after an intended change, from the top of the repository, and review `git diff`:

    .venv/bin/python tests/golden.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from support import DATE, EDITION_HASH, EDITIONS, build_args, run_cli

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"


def dump(name: str, book) -> str:
    """The book (a conftest.Book) as a reader meets it, one line per line of text,
    whitespace squashed; the edition's hash shown as HASH (it changes with every file of the
    layout and with the version, which a golden dump should not)."""
    lines = [
        f"# briefbook build --date {DATE} {' '.join(EDITIONS[name])}".rstrip(),
        f"pages: {book.page_count}",
        "outline:",
    ]
    lines += [
        f"{'  ' * (level + 1)}{title} -> page {page + 1}" for level, title, page in book.outline()
    ]
    for index in range(book.page_count):
        lines.append(f"--- page {index + 1}")
        lines += [EDITION_HASH.sub("HASH", line) for line in book.lines(index)]
    return "\n".join(lines) + "\n"


def fresh(name: str) -> str:
    from conftest import Book

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / f"{name}.pdf"
        result = run_cli(build_args(*EDITIONS[name], output=pdf))
        if result.exit_code != 0:
            raise SystemExit(f"{name}: the build failed:\n{result.output}")
        return dump(name, Book(pdf))


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name in EDITIONS:
        (GOLDEN / f"{name}.txt").write_text(fresh(name), "utf-8")
        print(f"tests/golden/{name}.txt", file=sys.stderr)


if __name__ == "__main__":
    main()
