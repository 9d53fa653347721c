"""A layout declares its pages: the read-ahead and the one-pager (YAML and templates, no
Python), a user's layout that drops and reorders parts, and the mistakes a pages list can
hold. Page counts, outlines and type sizes are read back from the PDF."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import (
    DATA,
    SMALL_DATA,
    Book,
    build_args,
    problem_lines,
    run_cli,
    squash,
)


def sizes(pdf: Path) -> list[tuple[int, str, float]]:
    """(page, text, size in points as printed) of every run of text the pages draw."""
    out: list[tuple[int, str, float]] = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                scale = abs(tm[3] * cm[3]) or 1
                out.append((number, text, round(size * scale, 2)))

        page.extract_text(visitor_text=visit)
    return out


def build(tmp_path: Path, *args: str, data: Path = DATA, name: str = "book.pdf"):
    pdf = tmp_path / name
    return run_cli(build_args(*args, data=data, output=pdf)), pdf


# --- the read-ahead ------------------------------------------------------------------------


def test_the_read_ahead_holds_every_mayor_on_two_pages_at_9_points_or_more(tmp_path):
    result, pdf = build(tmp_path, "--layout", "read-ahead")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # every shipped mayor has a brief: nothing to warn about
    book = Book(pdf)
    assert len(book.pages) == 2
    text = squash(book.text)
    for path in sorted((DATA / "mayors").glob("*.yaml")):
        mayor = yaml.safe_load(path.read_text("utf-8"))
        assert mayor["name"] in text
        assert squash(mayor["brief"]) in text, path.stem
        for initiative in mayor.get("initiatives", []):
            assert initiative["name"] in text
    book_yaml = yaml.safe_load((DATA / "book.yaml").read_text("utf-8"))
    assert book_yaml["statement"]["brief"] in text
    assert "Contents" not in text and "At a glance" not in text
    # Body type, the briefs and the statement, is never under 9 pt; nothing is under 8.
    printed = sizes(pdf)
    briefs = [yaml.safe_load(p.read_text("utf-8"))["brief"] for p in (DATA / "mayors").glob("*")]
    body = [s for _, t, s in printed if any(t.strip() in b for b in briefs) and len(t) > 12]
    assert len(body) > 16 and min(body) >= 9
    assert min(s for _, _, s in printed) >= 8


def test_the_reentry_read_ahead_fits_on_one_page(tmp_path):
    result, pdf = build(tmp_path, "--layout", "read-ahead", "--theme", "reentry")
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    assert len(book.pages) == 1
    assert [t for _, t, _ in book.outline()] == [
        "Muriel Bowser — Washington, DC",
        "Melvin Carter — Saint Paul, MN",
        "Levar Stoney — Richmond, VA",
        "Marty Walsh — Boston, MA",
        "Randall Woodfin — Birmingham, AL",
    ]
    assert "Focus: Reentry and second chances" in squash(book.pages[0])


def _without_briefs(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for mayor_id in ("bowser", "walsh"):
        path = data / "mayors" / f"{mayor_id}.yaml"
        mayor = yaml.safe_load(path.read_text("utf-8"))
        del mayor["brief"]
        path.write_text(yaml.safe_dump(mayor, sort_keys=False, allow_unicode=True), "utf-8")
    return data


def test_a_mayor_without_a_brief_gets_their_first_sentence_and_the_build_says_so(tmp_path):
    data = _without_briefs(tmp_path)
    result, pdf = build(tmp_path, "--layout", "read-ahead", "--theme", "reentry", data=data)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{data / 'mayors' / name}.yaml: warning: brief: no brief; the read-ahead prints the "
        "first sentence of the summary instead (add a brief of at most 60 words to choose "
        "the words)"
        for name in ("bowser", "walsh")
    ]
    text = squash(Book(pdf).text)
    assert (
        "Mayor Muriel Bowser champions second chances for all Washington, D.C., residents." in text
    )
    assert "Through her Office" not in text  # the second sentence
    strict = run_cli(
        build_args("--layout", "read-ahead", "--strict", data=data, output=tmp_path / "s.pdf")
    )
    assert strict.exit_code == 1 and not (tmp_path / "s.pdf").exists()


def test_the_default_book_does_not_use_the_briefs(default_book: Book):
    walsh = yaml.safe_load((DATA / "mayors" / "walsh.yaml").read_text("utf-8"))
    assert squash(walsh["brief"]) not in squash(default_book.text)


def test_a_brief_of_more_than_60_words_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "mayors" / "bowser.yaml"
    text = path.read_text("utf-8")
    old = next(line for line in text.splitlines() if line.startswith("brief:"))
    path.write_text(text.replace(old, "brief: " + "word " * 61), "utf-8")
    line = text.splitlines().index(old) + 1
    result = run_cli(["validate", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:{line}: brief: expected at most 60 words, found 61; shorten it (it is the "
        "short form: the full text has a field of its own)"
    )


# --- the one-pager -------------------------------------------------------------------------


def test_one_pager_for_one_mayor_is_one_complete_page(tmp_path):
    result, pdf = build(tmp_path, "--layout", "one-pager", "--mayor", "bowser")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{pdf}: 1 page, 1 mayor, ")
    book = Book(pdf)
    assert len(book.pages) == 1
    page = squash(book.pages[0])
    book_yaml = yaml.safe_load((DATA / "book.yaml").read_text("utf-8"))
    for words in (
        book_yaml["organization"],
        book_yaml["statement"]["brief"],
        "Muriel Bowser",
        "Washington, DC",
        "Reentry and second chances",
        "Office on Returning Citizens Affairs",
        "https://mayor.dc.gov",
    ):
        assert words in page, words
    # The foot, last on the page but for the edition's stamp under it: the day, the mayor
    # and the hash the build printed.
    text, stamp = re.fullmatch(
        r"(.*?) (\d{4}-\d\d-\d\d · Muriel Bowser · edition \w+)", page
    ).groups()
    assert text.endswith(f"From {book_yaml['organization']}")
    assert stamp.endswith(result.stdout.strip().rsplit(" ", 1)[1])
    assert [t for _, t, _ in book.outline()] == ["Muriel Bowser — Washington, DC"]


def test_one_pager_gives_each_mayor_one_page_and_nothing_else(tmp_path):
    result, pdf = build(tmp_path, "--layout", "one-pager")
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    names = [yaml.safe_load(p.read_text("utf-8"))["name"] for p in (DATA / "mayors").glob("*.yaml")]
    assert len(book.pages) == len(names) == 16
    for page in book.pages:
        assert sum(name in squash(page) for name in names) == 1
    assert "Contents" not in book.text and "Briefing book" not in book.text
    assert not any("page 1 of" in p for p in book.pages)


def _long_summary(tmp_path: Path, words: int) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "mayors" / "walsh.yaml"
    mayor = yaml.safe_load(path.read_text("utf-8"))
    sentence = "Boston measured what its reentry office changed for the people it served. "
    mayor["summary"] = " ".join((sentence * (words // 12 + 1)).split()[:words])
    path.write_text(yaml.safe_dump(mayor, sort_keys=False, allow_unicode=True), "utf-8")
    return data


def test_one_pager_sets_a_long_record_smaller_but_not_under_9_points(tmp_path):
    data = _long_summary(tmp_path, 300)
    result, pdf = build(tmp_path, "--layout", "one-pager", "--mayor", "walsh", data=data)
    assert result.exit_code == 0, result.output
    assert len(PdfReader(pdf).pages) == 1
    summary = [s for _, t, s in sizes(pdf) if "Boston measured" in t]
    assert summary and 9 <= min(summary) < 11  # smaller than the layout's 11 pt, not under 9
    words = squash(Book(pdf).text).split()
    assert words.count("measured") == 25  # every word of the 300, none cut


def test_one_pager_refuses_a_record_that_will_not_fit_naming_the_mayor(tmp_path):
    data = _long_summary(tmp_path, 1500)
    pdf = tmp_path / "out" / "book.pdf"
    result = run_cli(build_args("--layout", "one-pager", data=data, output=pdf))
    assert result.exit_code == 1
    problem, count = result.stderr.splitlines()
    # The summary is what is long, so it is what the message says to shorten.
    start = f"{data / 'mayors' / 'walsh.yaml'}: walsh: the summary needs "
    assert problem.startswith(start), problem
    pages, rest = problem[len(start) :].split(" pages at 9 pt; shorten it by about ")
    assert 2.0 <= float(pages) <= 4.0
    assert rest.endswith("%") and 40 <= int(rest[:-1]) <= 80
    assert count == "1 problem found; nothing was written"
    assert not (tmp_path / "out").exists()


# --- a layout of one's own -----------------------------------------------------------------

MINE = """\
# The statement first, then the mayors: no cover, no contents, no table.
pages:
  - {kind: statement, bookmark: 0}
  - {kind: mayor, each: mayor, template: mayor, bookmark: 0}
"""


def test_a_layout_folder_can_drop_and_reorder_pages_with_yaml_alone(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "layout.yaml").write_text(MINE, "utf-8")
    result, pdf = build(tmp_path, "--layout", str(folder), "--theme", "reentry")
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    assert [t for _, t, _ in book.outline()] == [
        "Who We Are",
        "Muriel Bowser — Washington, DC",
        "Melvin Carter — Saint Paul, MN",
        "Levar Stoney — Richmond, VA",
        "Marty Walsh — Boston, MA",
        "Randall Woodfin — Birmingham, AL",
    ]
    assert len(book.pages) == 6
    assert book.lines(0)[0] == "Who We Are"
    assert "At a glance" not in book.text and "Contents" not in book.text
    assert book.footers()[0] == (1, 6)


def test_a_layout_extends_another_built_in_one(tmp_path):
    folder = tmp_path / "brief"
    folder.mkdir()
    (folder / "layout.yaml").write_text(
        "extends: read-ahead\npalette:\n  accent_text: '#7a3d00'\n", "utf-8"
    )
    result, pdf = build(tmp_path, "--layout", str(folder), "--theme", "reentry")
    assert result.exit_code == 0, result.output
    assert len(PdfReader(pdf).pages) == 1
    assert "Read-ahead" in Book(pdf).pages[0]  # read-ahead's own masthead template


BROKEN_PAGES = {
    "unknown kind": (
        "pages:\n  - {kind: chart}\n",
        "layout.yaml:2: pages[0].kind: expected a page kind: cover, contents, statement, ask, "
        "glance, mayor, back, masthead, digest, contact, found 'chart'",
    ),
    "a mayor page without each": (
        "pages:\n  - {kind: mayor}\n",
        "layout.yaml:2: pages[0].kind: a mayor page is one mayor's; expected each: mayor with it",
    ),
    "each on a page of the book's": (
        "pages:\n  - {kind: statement, each: mayor}\n",
        "layout.yaml:2: pages[0].each: a statement page is the book's, not one mayor's",
    ),
    "a paper it has no size for, named as written": (
        "paper: A5\n",
        "layout.yaml:1: paper: no paper size 'A5'; expected one of: letter, a4, legal, "
        "half-letter (or add it under papers)",
    ),
    "a right-hand opening that is no new page": (
        "pages:\n  - {kind: statement, start: same-page, side: right}\n",
        "layout.yaml:2: pages[0].side: side: right opens the part on a new page, a right-hand "
        "one; expected start: new-page with it, or no side",
    ),
    "an unknown page template": (
        "pages:\n  - {kind: statement, template: wide}\n",
        "layout.yaml:2: pages[0].template: unknown page template 'wide'; expected one of: cover, "
        "body, mayor, mayor-continued",
    ),
    "an unknown group": (
        "pages:\n  - {kind: mayor, each: mayor, group: mayrs}\n",
        "layout.yaml:2: pages[0].group: outline.j2 has no block 'mayrs'; expected one of: cover, "
        "mayors, mayor; did you mean 'mayors'?",
    ),
    "a frame off the paper": (
        "page_templates:\n  body:\n    frames: {main: {left: 400, right: 400}}\n",
        "layout.yaml:3: page_templates.body.frames.main: on letter paper (612 × 792 points) this "
        "frame is -188 × 642 points at (400, 84); expected at least 36 × 36 points inside the "
        "paper",
    ),
    "a contents page sharing a page": (
        "pages:\n  - {kind: statement}\n  - {kind: contents, start: same-page}\n",
        "layout.yaml:3: pages[1].start: a contents page is a page of its own (it breaks pages "
        "inside); expected start: new-page, or no start",
    ),
    "a cover block in no frame": (
        "cover:\n  blocks: {field: [eyebrow, title, subtitle, focus], lower: [date, prepared]}\n",
        "block 'scope' of cover.j2 is in no frame; expected it in a list under cover.blocks",
    ),
}


@pytest.mark.parametrize("kind", list(BROKEN_PAGES))
def test_a_broken_pages_list_is_a_located_problem(tmp_path, kind: str):
    text, expected = BROKEN_PAGES[kind]
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "layout.yaml").write_text(text, "utf-8")
    result, pdf = build(tmp_path, "--layout", str(folder))
    assert result.exit_code == 1, result.output
    *problems, count = result.stderr.splitlines()
    assert any(p.startswith(str(folder)) and expected in p for p in problems), problems
    assert count.endswith("found; nothing was written")
    assert not pdf.exists()


def _layout(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "layout.yaml").write_text(text, "utf-8")
    return folder


def test_a_back_page_is_printed_only_when_the_book_has_a_contact(tmp_path):
    # No `when:` given: a contact page with no contact would be a heading and nothing else.
    folder = _layout(tmp_path, "pages:\n  - {kind: statement}\n  - {kind: back, bookmark: 0}\n")
    result, pdf = build(tmp_path, "--layout", str(folder))  # the shipped book.yaml: no contact
    assert result.exit_code == 0, result.output
    assert len(Book(pdf).pages) == 1 and "Contact" not in Book(pdf).text
    result, pdf = build(tmp_path, "--layout", str(folder), data=SMALL_DATA, name="small.pdf")
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    assert len(book.pages) == 2 and book.lines(1)[0] == "Contact"
    assert [(level, title) for level, title, _ in book.outline()] == [(0, "Contact")]


def test_an_edition_that_leaves_out_every_part_is_refused_not_an_empty_pdf(tmp_path):
    folder = _layout(tmp_path, "pages:\n  - {kind: statement, when: one-mayor}\n")
    result, pdf = build(tmp_path, "--layout", str(folder))
    assert result.exit_code == 1, result.output
    assert problem_lines(result) == [
        f"{folder / 'layout.yaml'}:1: pages: every part is left out of this edition "
        "(by its when:), so the book would have no page; expected at least one part that prints"
    ]
    assert not pdf.exists()


def test_an_outline_that_starts_below_the_top_level_is_lifted_to_it(tmp_path):
    folder = _layout(
        tmp_path,
        "pages:\n  - {kind: statement, bookmark: 2}\n"
        "  - {kind: mayor, each: mayor, template: mayor, bookmark: 3}\n",
    )
    result, pdf = build(tmp_path, "--layout", str(folder), "--mayor", "bowser")
    assert result.exit_code == 0, result.output
    assert Book(pdf).outline() == [(0, "Who We Are", 0), (1, "Muriel Bowser — Washington, DC", 1)]


def test_two_contents_parts_each_list_the_book(tmp_path):
    folder = _layout(
        tmp_path,
        "pages:\n  - {kind: contents}\n  - {kind: statement, bookmark: 0, in_contents: true}\n"
        "  - {kind: contents, bookmark: false}\n",
    )
    result, pdf = build(tmp_path, "--layout", str(folder))
    assert result.exit_code == 0, result.output
    book = Book(pdf)
    assert len(book.pages) == 3
    for index in (0, 2):
        assert "Who We Are" in book.pages[index] and "Contents" in book.pages[index]
        assert [page for _, page in book.internal_links(index)] == [1]


def test_one_pager_names_the_sources_when_they_are_what_runs_over(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    sources = "".join(
        f"  - title: Annual report {n} of the Office of Returning Citizens, with its tables\n"
        f"    url: https://www.boston.gov/reports/returning-citizens/{n}\n"
        for n in range(60)
    )
    path = data / "mayors" / "walsh.yaml"
    text = path.read_text("utf-8")
    head, _, _ = text.partition("sources:\n")
    path.write_text(f"{head}sources:\n{sources}", "utf-8")
    result, pdf = build(tmp_path, "--layout", "one-pager", "--mayor", "walsh", data=data)
    assert result.exit_code == 1, result.output
    [problem] = problem_lines(result)
    assert problem.startswith(f"{path}: walsh: the sources need "), problem
    assert " pages at 9 pt; shorten them by about " in problem
    assert not pdf.exists()


def test_a_read_ahead_longer_than_its_page_limit_says_so_and_strict_refuses_it(tmp_path):
    data = tmp_path / "data"  # the seed mayors three times over: more than two pages' worth
    shutil.copytree(DATA, data)
    for path in sorted((data / "mayors").glob("*.yaml")):
        for n in ("Junior", "Senior"):
            text = re.sub(r"(?m)^name: (.*)$", rf"name: \1 {n}", path.read_text("utf-8"))
            (data / "mayors" / f"{path.stem}-{n.lower()}.yaml").write_text(text, "utf-8")
    result, pdf = build(tmp_path, "--layout", "read-ahead", data=data)
    assert result.exit_code == 0, result.output
    pages = len(PdfReader(pdf).pages)
    assert pages > 2
    layout_yaml = Path(__file__).resolve().parents[1] / "layouts" / "read-ahead" / "layout.yaml"
    line = (
        layout_yaml.read_text("utf-8")
        .splitlines()
        .index("page_limit: 2   # longer, and the build warns (with --strict, refuses)")
    )
    problem = (
        f"read-ahead/layout.yaml:{line + 1}: page_limit: this edition runs to {pages} pages, "
        "more than the 2 this layout is meant for; choose fewer mayors (--theme, --state, "
        "--mayor), or use another layout"
    )
    [warning] = result.stderr.splitlines()
    assert warning.endswith(problem.replace(": page_limit:", ": warning: page_limit:")), warning
    result, strict = build(tmp_path, "--layout", "read-ahead", "--strict", data=data, name="s.pdf")
    assert result.exit_code == 1, result.output
    [refusal] = problem_lines(result)
    assert refusal.endswith(problem), refusal
    assert not strict.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ""] == ["book.pdf"]
