"""Editions: --theme, --state and --mayor choose the mayors; `list` and `themes` agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import DATA, Book, Builder, DataSet, build_args, run_cli, squash


def _mayors_in(book: Book, seed: DataSet) -> list[str]:
    """Ids of the seed mayors whose name appears anywhere in the book, in page order."""
    text = squash(book.text)
    present = [i for i in seed.mayors if seed.name(i) in text]
    return sorted(present, key=lambda i: book.first_page_of(seed.name(i)))


def _list_rows(output: str) -> list[list[str]]:
    """The table `list` or `themes` prints on stdout, without its header line."""
    lines = output.splitlines()
    header = re.split(r"\s{2,}", lines[0].strip())
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines[1:] if "  " in line.strip()]
    assert all(len(r) == len(header) for r in rows), rows
    return rows


def test_reentry_edition_holds_exactly_the_reentry_mayors(reentry_book: Book, seed: DataSet):
    expected = seed.with_theme("reentry")
    assert 0 < len(expected) < len(seed.mayors)
    assert _mayors_in(reentry_book, seed) == expected
    children = [title for level, title, _ in reentry_book.outline() if level == 1]
    assert [c.split(" — ")[0] for c in children] == seed.names(expected)


def test_reentry_edition_names_no_other_mayor(reentry_book: Book, seed: DataSet):
    text = squash(reentry_book.text)
    others = [i for i in seed.mayors if i not in seed.with_theme("reentry")]
    assert others
    assert [seed.name(i) for i in others if seed.name(i) in text] == []


def test_reentry_cover_names_the_focus(reentry_book: Book, seed: DataSet):
    label = seed.themes["reentry"]["label"]
    assert label == "Reentry and second chances"
    cover = squash(reentry_book.pages[0])
    assert f"Focus: {label}" in cover
    assert f"{len(seed.with_theme('reentry'))} mayors" in cover
    assert reentry_book.reader.metadata["/Subject"] == f"Focus: {label}"


def test_reentry_footers_and_contents_are_consistent(reentry_book: Book, seed: DataSet):
    footers = reentry_book.footers()
    assert footers[0] is None
    assert footers[1:] == [(i, len(footers)) for i in range(2, len(footers) + 1)]
    numbers = dict(reentry_book.contents_entries())
    for name in seed.names(seed.with_theme("reentry")):
        label = next(label for label in numbers if label.startswith(name))
        assert numbers[label] == reentry_book.first_page_of(name) + 1


def test_default_output_name_is_the_title_and_theme(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli(build_args("--theme", "reentry", data=DATA.resolve()))
    assert result.exit_code == 0, result.output
    expected = Path("out") / "smart-on-crime-reentry.pdf"
    assert (tmp_path / expected).is_file()
    assert result.output.startswith(f"{expected}: ")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [expected.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert Book(tmp_path / expected).reader.metadata["/Title"] == "Smart on Crime"


def test_repeated_theme_is_or(build_pdf: Builder, seed: DataSet):
    expected = seed.with_theme("reentry", "pretrial")
    assert len(expected) > max(len(seed.with_theme("reentry")), len(seed.with_theme("pretrial")))
    result, pdf = build_pdf("--theme", "reentry", "--theme", "pretrial")
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    assert _mayors_in(book, seed) == expected
    assert f"{len(expected)} mayors" in result.output


def test_theme_and_state_is_and(build_pdf: Builder, seed: DataSet):
    by_theme, by_state = seed.with_theme("community-trust"), seed.in_state("PA")
    expected = [i for i in by_theme if i in by_state]
    assert 0 < len(expected) < min(len(by_theme), len(by_state))
    result, pdf = build_pdf("--theme", "community-trust", "--state", "PA")
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    assert _mayors_in(book, seed) == expected
    [only] = expected  # a one-mayor edition: its cover names the mayor
    assert f"Mayor {seed.name(only)}, Pittsburgh, PA" in squash(book.pages[0])


def test_mayor_picks_one(build_pdf: Builder, seed: DataSet):
    result, pdf = build_pdf("--mayor", "de-blasio")
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    assert _mayors_in(book, seed) == ["de-blasio"]
    assert "1 mayor," in result.output
    # The cover names the mayor; nothing lists or tabulates a single mayor.
    assert "Mayor Bill de Blasio, New York, NY" in squash(book.pages[0])
    assert [t for _, t, _ in book.outline()] == [
        "Cover",
        "Who We Are",
        "The mayors",
        "Bill de Blasio — New York, NY",
    ]
    assert len(book.pages) == 3


def test_state_is_case_insensitive(seed: DataSet):
    upper = run_cli(["list", "--data", str(DATA), "--state", "PA"])
    lower = run_cli(["list", "--data", str(DATA), "--state", "pa"])
    assert upper.exit_code == lower.exit_code == 0
    assert upper.output == lower.output
    assert [r[0] for r in _list_rows(upper.stdout)] == seed.in_state("PA")


def test_list_prints_the_mayors_the_build_holds(reentry_book: Book, seed: DataSet):
    result = run_cli(["list", "--data", str(DATA), "--theme", "reentry"])
    assert result.exit_code == 0, result.output
    rows = _list_rows(result.stdout)
    assert [r[0] for r in rows] == _mayors_in(reentry_book, seed)
    assert [r[1] for r in rows] == seed.names(_mayors_in(reentry_book, seed))
    for mayor_id, _, place, themes in rows:
        mayor = seed.mayors[mayor_id]
        assert place == f"{mayor['city']}, {mayor['state']}"
        assert themes.split(", ") == mayor["themes"]
    assert result.stderr == f"{len(rows)} mayors\n"


def test_list_without_filters_prints_every_mayor_in_book_order(default_book: Book, seed: DataSet):
    result = run_cli(["list", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert [r[0] for r in _list_rows(result.stdout)] == _mayors_in(default_book, seed)
    assert result.stderr == f"{len(seed.mayors)} mayors\n"


def test_themes_prints_ids_labels_and_counts(seed: DataSet):
    result = run_cli(["themes", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "label", "mayors"]
    rows = _list_rows(result.stdout)
    expected = [[tid, t["label"], str(len(seed.with_theme(tid)))] for tid, t in seed.themes.items()]
    assert rows == expected
    assert len(lines) == 1 + len(seed.themes)
    assert result.stderr == f"{len(seed.themes)} themes\n"


@pytest.mark.parametrize("theme", ["reentry", "pretrial", "public-health"])
def test_list_count_for_a_theme_matches_themes(seed: DataSet, theme: str):
    result = run_cli(["list", "--data", str(DATA), "--theme", theme])
    n = len(seed.with_theme(theme))
    assert result.stderr == f"{n} {'mayor' if n == 1 else 'mayors'}\n"
