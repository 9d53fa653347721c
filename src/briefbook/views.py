"""The rendered book as frozen values: what the render step hands to compose, page kind by page
kind. Every text here is final: paragraph markup (escaped, fallback fonts applied) or plain
words for bookmarks and canvas text; labels are resolved and flags set, so compose never
reads the data model or the templates again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

Paragraphs = tuple[str, ...]  # one markup string per paragraph (or list item, see text.py)
Blocks = Mapping[str, Paragraphs]  # a template's blocks, each rendered into paragraphs


@dataclass(frozen=True)
class Title:
    """How one part of the book is named where it is listed: its bookmark and running title
    (plain words), and its contents row (markup: a label and an optional quieter detail)."""

    words: str
    label: Paragraphs
    detail: Paragraphs = ()


@dataclass(frozen=True)
class Chip:
    label: str  # plain words, drawn on the canvas
    chosen: bool  # one of the themes this edition is about
    form: str  # the name of the PDF form that draws it, the same wherever it recurs


@dataclass(frozen=True)
class CoverView:
    blocks: Blocks
    image: Path | None
    has_focus: bool  # the edition is about chosen themes
    image_alt: str = ""  # "": the picture is decoration
    image_focus: tuple[float, float] = (0.5, 0.5)


@dataclass(frozen=True)
class TitledView:
    """A page kind made of its template's blocks alone: statement, back, masthead, contact."""

    blocks: Blocks


@dataclass(frozen=True)
class ContentsEntry:
    """One row of the contents: a part of the book where it starts."""

    key: str | None  # None: a group heading, without page number or link
    title: Title
    style: str  # "section", "record" or "group"


@dataclass(frozen=True)
class ContentsView:
    blocks: Blocks  # the heading
    entries: tuple[ContentsEntry, ...] = ()  # filled in by compose, from the parts it placed
    key: str = "contents"  # its anchor, which names its page forms too


@dataclass(frozen=True)
class GlanceRow:
    key: str  # the anchor of the mayor's page, which the row links to
    name: Paragraphs
    place: Paragraphs
    marks: tuple[bool, ...]  # one per theme, in themes.yaml order


@dataclass(frozen=True)
class ThemeHead:
    label: str  # plain words, drawn rotated
    chosen: bool


@dataclass(frozen=True)
class GlanceView:
    blocks: Blocks  # heading, intro, legend_heading, legend_title
    themes: tuple[ThemeHead, ...]
    rows: tuple[GlanceRow, ...]
    legend: tuple[Paragraphs, ...]  # one entry per theme
    legend_title: Title  # how the legend is listed when it needs a page of its own


@dataclass(frozen=True)
class MayorView:
    id: str
    file: str  # the mayor's data file, for messages
    blocks: Blocks  # the record's blocks of mayor.j2 (or digest.j2)
    chips: tuple[Chip, ...]
    initiatives: tuple[Blocks, ...]  # the per-initiative blocks, one mapping each
    sources: tuple[Paragraphs, ...]
    photo: Path | None
    photo_alt: str = ""
    photo_focus: tuple[float, float] = (0.5, 0.5)
    initials: str = ""  # plain letters, for the monogram drawn when there is no photo


View = CoverView | TitledView | ContentsView | GlanceView | MayorView


@dataclass(frozen=True)
class Setting:
    """One entry of a layout's `pages:` list, with every default filled in."""

    kind: str
    template: str = "body"
    each: str | None = None  # "mayor": the entry repeats for every selected mayor
    start: str = "new-page"  # new-page, same-page or keep-together
    side: str = "any"  # "right": printed on both sides, it opens on a right-hand page
    bookmark: int | None = None  # outline level, or None for no bookmark
    in_contents: bool = False
    group: str | None = None  # an outline.j2 block heading the records in the contents
    when: str | None = None
    fit: str | None = None  # "page": each record exactly one page
    min_size: float = 9.0
    head: str | None = None  # a kind set above each record
    foot: str | None = None  # a kind set at the foot of each record
    columns: int = 1
    brief: bool = False  # the statement's brief form


@dataclass(frozen=True)
class Record:
    """One view of a part, with its anchor and how it is listed."""

    key: str  # anchor: bookmark, link target and page-number key
    view: View
    title: Title
    running_head: Paragraphs = ()  # heads the pages the record continues on


@dataclass(frozen=True)
class Part:
    """One entry of the layout's pages, rendered: one record, or one per selected mayor."""

    setting: Setting
    records: tuple[Record, ...]
    group: Title | None = None
    head: View | None = None
    foot: View | None = None


@dataclass(frozen=True)
class FooterWords:
    """The running footer of pages under one running title; PAGE stands for the page's
    number, and the book's total follows `left` when `total` is set."""

    left: str
    total: bool
    right: str


@dataclass(frozen=True)
class RenderedBook:
    parts: tuple[Part, ...]
    footers: Mapping[str, FooterWords]  # running title -> its footer words
    fallbacks: frozenset[str]  # fallback fonts some text needs (registered names)
    emphasis: frozenset[str] = field(default_factory=frozenset)  # "b", "i" if any text has it
    notes: tuple = ()  # warnings the render step has for the user (Problem)
    blank: str = ""  # the words of a page left empty (--duplex, --booklet)
    stamp: str = ""  # at the foot of the last page: the day, the filters, the edition
    notes_heading: Paragraphs = ()  # heads the lines for notes (--notes)
