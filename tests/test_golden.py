"""The shipped editions against their golden dumps: any change to what a reader gets shows up
here as a diff, to be reviewed and then accepted with `python tests/golden.py`. The books
compared are the ones conftest builds once per session for the other tests."""

from __future__ import annotations

import difflib

import pytest

import golden
from conftest import EDITIONS, build_book


@pytest.mark.parametrize("name", list(EDITIONS))
def test_the_book_matches_its_golden_dump(name: str, request: pytest.FixtureRequest, tmp_path):
    # The editions other tests read are built once per session; the others here.
    if name in ("default", "reentry"):
        book = request.getfixturevalue(f"{name}_book")
    else:
        book = build_book(tmp_path / "book.pdf", *EDITIONS[name])
    expected = (golden.GOLDEN / f"{name}.txt").read_text("utf-8")
    actual = golden.dump(name, book)
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            f"tests/golden/{name}.txt",
            "this build",
        )
    )
    assert not diff, (
        f"the {name} edition changed; if that was meant, run `.venv/bin/python "
        f"tests/golden.py` and review the diff:\n{diff}"
    )
