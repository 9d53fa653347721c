"""A book of many mayors, laid out in one pass: contents over several pages, mayors who spill
onto second pages, and every printed number, link and bookmark still right."""

from __future__ import annotations

import itertools

import pytest
import yaml

from conftest import Book, build_book, synth

N = 150
LONG = {3, 40, 41, 99}  # these mayors' records run onto a second page


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Book:
    folder = tmp_path_factory.mktemp("many")
    data = synth().write_folder(N, folder / "data")
    files = sorted((data / "mayors").glob("*.yaml"))
    for i in LONG:
        mayor = yaml.safe_load(files[i].read_text("utf-8"))
        mayor["summary"] = "\n\n".join([mayor["summary"].strip()] * 6) + "\n"
        files[i].write_text(yaml.safe_dump(mayor, allow_unicode=True, sort_keys=False), "utf-8")
    output = folder / "book.pdf"
    return build_book(output, data=data)


SECTIONS = ("Who We Are", "At a glance", "The themes")


def _mayor_rows(book: Book) -> list[tuple[str, int]]:
    """The contents rows of mayors ("Name City, ST", page number)."""
    return [(label, n) for label, n in book.contents_entries() if label not in SECTIONS]


def test_the_contents_take_several_pages(book: Book):
    first, last = book.contents_range()
    assert last - first >= 3
    assert len(_mayor_rows(book)) == N


def test_every_contents_number_leads_to_the_page_that_carries_that_mayor(book: Book):
    for label, number in _mayor_rows(book):
        # The row reads "Name City, ST"; the page opens with the name (under "MAYOR").
        heading = book.lines(number - 1)[:2]
        assert any(label.startswith(line + " ") for line in heading[1:]), (label, heading)


def test_mayors_who_spill_over_continue_and_push_the_others_on(book: Book):
    continued = [i for i in range(len(book.pages)) if book.lines(i)[0].endswith("(continued)")]
    assert len(continued) >= len(LONG)
    numbers = [n for _, n in _mayor_rows(book)]
    gaps = [b - a for a, b in itertools.pairwise(numbers)]
    assert sorted(set(gaps)) != [1], "some mayor should take more than one page"
    assert all(gap >= 1 for gap in gaps)


def test_contents_links_and_bookmarks_agree_with_the_printed_numbers(book: Book):
    first, last = book.contents_range()
    targets = [page for i in range(first, last) for _, page in book.internal_links(i)]
    printed = [n - 1 for _, n in book.contents_entries()]
    assert targets == printed
    mayors = [page for level, _, page in book.outline() if level == 1]
    assert mayors == [n - 1 for _, n in _mayor_rows(book)]


def test_every_footer_counts_the_real_pages(book: Book):
    footers = book.footers()
    assert footers[0] is None
    assert [f for f in footers[1:]] == [(i + 1, len(book.pages)) for i in range(1, len(footers))]
