"""Turn the shipped editions into golden dumps (page count, outline, text of every page) that
tests/test_golden.py compares with fresh builds, so any change to a book is a reviewed diff.

Refresh after an intended change, from the top of the repository, and review `git diff`:

    .venv/bin/python tests/golden.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
DATE = "2026-11-26"

# name -> the build options of that edition (the seed data, a fixed date).
EDITIONS: dict[str, tuple[str, ...]] = {
    "default": (),
    "reentry": ("--theme", "reentry"),
    "classic": ("--layout", "classic"),
    "read-ahead": ("--layout", "read-ahead"),
    "read-ahead-reentry": ("--layout", "read-ahead", "--theme", "reentry"),
    "one-pager": ("--layout", "one-pager", "--mayor", "bowser", "--mayor", "walsh"),
}


def build(name: str, output: Path) -> None:
    from click.testing import CliRunner

    from briefbook.cli import cli

    args = ["build", "--data", str(HERE.parent / "data"), "--date", DATE, *EDITIONS[name]]
    result = CliRunner().invoke(cli, [*args, "--output", str(output)], prog_name="briefbook")
    if result.exit_code != 0:
        raise SystemExit(f"{name}: the build failed:\n{result.output}")


def dump(name: str, pdf: Path) -> str:
    """The book as a reader meets it, one line per line of text, whitespace squashed."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    lines = [
        f"# briefbook build --date {DATE} {' '.join(EDITIONS[name])}".rstrip(),
        f"pages: {len(reader.pages)}",
        "outline:",
    ]

    def walk(items, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                page = reader.get_destination_page_number(item) + 1
                lines.append(f"{'  ' * (level + 1)}{item.title} -> page {page}")

    walk(reader.outline, 0)
    for number, page in enumerate(reader.pages, start=1):
        lines.append(f"--- page {number}")
        text = page.extract_text() or ""
        lines += [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return "\n".join(lines) + "\n"


def fresh(name: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / f"{name}.pdf"
        build(name, pdf)
        return dump(name, pdf)


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name in EDITIONS:
        (GOLDEN / f"{name}.txt").write_text(fresh(name), "utf-8")
        print(f"tests/golden/{name}.txt", file=sys.stderr)


if __name__ == "__main__":
    main()
