"""Another network's data folder (tests/data/small): it builds, carries only its own words, and
a summary too long for one page continues under "(continued)" with the contents still right."""

from __future__ import annotations

from conftest import (
    SMALL_DATA,
    Book,
    DataSet,
    assert_words_in_order,
    rich_links,
    rich_words,
    run_cli,
    squash,
)

LONG = "marchetti"  # the mayor whose summary spills over


def test_it_builds(small_book: Book, small: DataSet):
    assert small_book.path.is_file()
    assert len(small_book.reader.pages) > 4 + len(small.mayors)


def test_title_subtitle_and_publisher_on_the_cover(small_book: Book, small: DataSet):
    cover = squash(small_book.pages[0])
    for key in ("title", "subtitle", "organization"):
        assert small.book[key] in cover, key
    assert small.book["cover"]["credit"] in cover
    assert f"{len(small.mayors)} mayors" in cover


def test_metadata_is_the_networks(small_book: Book, small: DataSet):
    meta = small_book.reader.metadata
    assert meta["/Title"] == small.book["title"]
    assert meta["/Author"] == small.book["organization"]
    assert meta["/Keywords"].split(", ") == [t["label"] for t in small.themes.values()]


def test_statement(small_book: Book, small: DataSet):
    statement = small.book["statement"]
    page = small_book.headed(statement["heading"])
    assert_words_in_order(rich_words(statement["body"]), small_book.pages[page].split())


def test_names_and_theme_labels_appear(small_book: Book, small: DataSet):
    text = squash(small_book.text)
    for name in small.names():
        assert name in text
    for mayor_id, mayor in small.mayors.items():
        pages = " ".join(small_book.pages[i] for i in small_book.pages_of(small.name(mayor_id)))
        for theme_id in mayor["themes"]:
            assert small.themes[theme_id]["label"] in squash(pages), (mayor_id, theme_id)
        assert f"{mayor['city']}, {mayor['state']}" in squash(pages)


def test_contents_and_outline_follow_reading_order(small_book: Book, small: DataSet):
    children = [(t, p) for level, t, p in small_book.outline() if level == 1]
    assert [t.split(" — ")[0] for t, _ in children] == small.names()
    assert small.names() == ["Delphine Marchetti", "Rowan Okafor-Lind", "Hollis Quennell"]
    for (_, page), name in zip(children, small.names(), strict=True):
        assert page == small_book.first_page_of(name)


def test_nothing_from_the_seed_leaks(small_book: Book, seed: DataSet):
    text = squash(small_book.text)
    meta = " ".join(str(v) for v in small_book.reader.metadata.values())
    leaks = [
        "Smart on Crime",
        "Who We Are",
        "Bowser",
        "Alfred Twu",
        *seed.names(),
        *(t["label"] for t in seed.themes.values()),
    ]
    assert [w for w in leaks if w in text or w in meta] == []
    outline = " ".join(t for _, t, _ in small_book.outline())
    assert [w for w in leaks if w in outline] == []


def test_honorific_from_the_data(small_book: Book, small: DataSet):
    page = small_book.first_page_of(small.name("quennell"))
    assert small.mayors["quennell"]["title"] == "First Selectman"
    assert "first selectman" in small_book.pages[page].casefold()


def test_rich_text_prints_ampersand_and_drops_markdown(small_book: Book, small: DataSet):
    mayor = small.mayors["okafor-lind"]
    pages = small_book.pages_of(small.name("okafor-lind"))
    words = " ".join(small_book.pages[i] for i in pages).split()
    assert "&" in mayor["summary"] and "**" in mayor["summary"]
    assert_words_in_order(rich_words(mayor["summary"]), words)
    assert not any("*" in w or "](" in w for w in words)
    links = [u for i in pages for u in small_book.uri_links(i)]
    assert sorted(links) == sorted(
        rich_links(mayor["summary"]) + [s["url"] for s in mayor["sources"]]
    )


# --- the long summary ------------------------------------------------------------------


def test_the_long_summary_is_long(small: DataSet):
    assert len(rich_words(small.mayors[LONG]["summary"])) >= 900


def test_long_summary_continues_on_a_page_marked_continued(small_book: Book, small: DataSet):
    name = small.name(LONG)
    pages = small_book.pages_of(name)
    assert len(pages) >= 2
    continued = [
        i for i in range(len(small_book.pages)) if f"{name} (continued)" in small_book.lines(i)
    ]
    assert continued == pages[1:]
    assert "(continued)" not in small_book.pages[pages[0]]


def test_every_word_of_the_long_summary_is_present(small_book: Book, small: DataSet):
    pages = small_book.pages_of(small.name(LONG))
    words = " ".join(small_book.pages[i] for i in pages).split()
    # Page furniture (footer, the continued heading) may sit between two words.
    assert_words_in_order(rich_words(small.mayors[LONG]["summary"]), words, max_gap=40)


def test_contents_numbers_around_the_long_summary(small_book: Book, small: DataSet):
    numbers = {}
    for label, number in small_book.contents_entries():
        for name in small.names():
            if label == name or label.startswith(name + " "):
                numbers[name] = number
    assert set(numbers) == set(small.names())
    long_pages = small_book.pages_of(small.name(LONG))
    assert numbers[small.name(LONG)] == long_pages[0] + 1
    following = small.names()[small.names().index(small.name(LONG)) + 1]
    assert numbers[following] == long_pages[-1] + 2
    assert numbers[following] == small_book.first_page_of(following) + 1
    for name in small.names():
        assert numbers[name] == small_book.first_page_of(name) + 1


def test_contents_links_follow_the_long_summary(small_book: Book, small: DataSet):
    contents = small_book.headed("Contents")
    targets = [page for _, page in small_book.internal_links(contents)]
    entries = small_book.contents_entries()
    assert len(targets) == len(entries)
    by_label = {label: page for (label, _), page in zip(entries, targets, strict=True)}
    for name in small.names():
        label = next(label for label in by_label if label.startswith(name))
        assert by_label[label] == small_book.first_page_of(name), name


def test_footers_count_the_continued_pages(small_book: Book):
    footers = small_book.footers()
    total = len(small_book.reader.pages)
    assert footers[0] is None
    assert footers[1:] == [(i, total) for i in range(2, total + 1)]


def test_themes_command_counts_the_small_data(small: DataSet):
    result = run_cli(["themes", "--data", str(SMALL_DATA)])
    assert result.exit_code == 0, result.output
    rows = [line.split("  ")[0] for line in result.stdout.splitlines()[1:]]
    assert rows == list(small.themes)
    for theme_id in small.themes:
        line = next(li for li in result.stdout.splitlines() if li.startswith(theme_id + " "))
        assert line.split()[-1] == str(len(small.with_theme(theme_id)))


def test_contact_is_printed_on_the_back_page(small_book: Book, small: DataSet):
    back = squash(small_book.pages[-1])
    contact = small.book["contact"]
    for key in ("name", "email", "website"):
        assert contact[key] in back, key
