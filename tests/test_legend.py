"""The theme legend under the at-a-glance table: every description printed, however many."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SMALL_DATA, build_book, run_cli, squash


def test_a_long_legend_runs_over_pages_and_keeps_every_word(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(SMALL_DATA, data)
    # Up to 20 themes (one column each in the table); long descriptions fill the legend.
    extra = "".join(
        f"topic-{n}:\n  label: Topic number {n}\n  description: Description {n} says "
        f"what topic {n} covers, {'in a sentence long enough to wrap onto more lines, ' * 5}"
        "and ends here.\n"
        for n in range(17)
    )
    with (data / "themes.yaml").open("a", encoding="utf-8") as f:
        f.write(extra)
    output = tmp_path / "book.pdf"
    book = build_book(output, data=data)
    text = squash(book.text)
    for n in range(17):
        assert f"Topic number {n}: Description {n} says what topic {n} covers" in text, n
    first = next(i for i, page in enumerate(book.pages) if "Description 0 " in page)
    last = next(i for i, page in enumerate(book.pages) if "Description 16 " in page)
    assert last == first + 1, "the legend runs over onto a second page"


def test_more_than_twenty_themes_are_refused(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(SMALL_DATA, data)
    with (data / "themes.yaml").open("a", encoding="utf-8") as f:
        f.write("".join(f"topic-{n}:\n  label: Topic {n}\n" for n in range(18)))
    result = run_cli(["validate", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith(
        ": (top level): expected at most 20 themes (one column each in the at-a-glance "
        "table), found 21"
    )
