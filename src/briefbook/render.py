"""Turn the book, its selection and a layout into the words of every part of the document:
one view per part the layout's `pages:` list names, via the layout's Jinja templates.

Every value handed to a template is already paragraph markup (escaped, fallback fonts
applied), so a template can print it but never break it; the template's own words get their
fallback fonts here too. Compose reads only what this returns.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from briefbook.errors import LayoutError, Problem
from briefbook.layout import Layout, grey, resource_dir
from briefbook.model import Book, Mayor, Meeting, Selection
from briefbook.templates import Templates
from briefbook.text import ITEM_MARK, plain, quoteattr, rich
from briefbook.views import (
    Blocks,
    Chip,
    ContentsView,
    CoverView,
    FooterWords,
    GlanceRow,
    GlanceView,
    MayorView,
    Paragraphs,
    Part,
    Record,
    RenderedBook,
    Setting,
    ThemeHead,
    Title,
    TitledView,
    View,
)

# Blocks rendered once per initiative and per source of a mayor.
INITIATIVE_BLOCKS = ("initiative_name", "initiative_themes", "initiative_description")
PER_ITEM = {*INITIATIVE_BLOCKS, "source"}

# Stand-ins for what only the written PDF knows: the footer is rendered once per running
# title and drawn on every page. Private-use characters, which no font of ours draws, so no
# accepted text can contain them.
PAGE = "\ue001page\ue001"
TOTAL = "\ue000total\ue000"


def render_book(
    book: Book,
    selection: Selection,
    layout: Layout,
    date: dt.date,
    blank: bool = False,
    notes: bool = False,
    edition: str = "",
    meeting: Meeting | None = None,
) -> RenderedBook:
    """Render every part of `layout`'s pages that this edition has; with `blank`, the words
    of a page left empty, with `notes`, the heading of the lines for notes, with an
    `edition` (its hash), the stamp of the last page, and with a `meeting`, the words that
    say whom the edition is for and what is asked of them."""
    r = _Renderer(book, selection, layout, date, meeting)
    with r.t.watched():
        parts = tuple(r.part(s) for s in layout.pages if _applies(s, book, selection, meeting))
        if not parts:
            raise LayoutError(
                [
                    layout.at(
                        ("pages",),
                        "every part is left out of this edition (by its when:), so the book "
                        "would have no page; expected at least one part that prints",
                    )
                ]
            )
        footers = {title: r.footer(title) for title in sorted(_running_titles(parts))}
        blank_words = r.blank() if blank else ""
        stamp = r.stamp(edition) if edition else ""
        notes_heading = r.blocks("notes", r.ctx, only=("heading",))["heading"] if notes else ()
    return RenderedBook(
        parts=parts,
        footers=footers,
        fallbacks=frozenset(r.fallbacks),
        emphasis=frozenset(tag for tag in ("b", "i") if r.emphasis(tag)),
        notes=tuple(r.notes),
        blank=blank_words,
        stamp=stamp,
        notes_heading=notes_heading,
    )


def _running_titles(parts: tuple[Part, ...]) -> set[str]:
    """Every running title a page of the book can have (the footer is made once for each)."""
    titles = {""} | {rec.title.words for part in parts for rec in part.records}
    titles |= {part.group.words for part in parts if part.group is not None}
    titles |= {
        rec.view.legend_title.words
        for part in parts
        for rec in part.records
        if isinstance(rec.view, GlanceView)
    }
    return titles


def _applies(setting: Setting, book: Book, selection: Selection, meeting: Meeting | None) -> bool:
    return {
        None: True,
        "ask": meeting is not None and bool(meeting.ask or meeting.talking_points),
        "contact": book.contact is not None,
        "several-mayors": len(selection.mayors) > 1,
        "one-mayor": len(selection.mayors) == 1,
        "cover-image": book.cover_image is not None,
    }[setting.when]


class _Renderer:
    def __init__(
        self,
        book: Book,
        selection: Selection,
        layout: Layout,
        date: dt.date,
        meeting: Meeting | None = None,
    ):
        self.book, self.selection, self.layout, self.date = book, selection, layout, date
        self.meeting = meeting
        self.glyphs, self.link = layout.glyphs, layout.color("link")
        self.t = Templates(layout.templates, resource_dir("layouts") / "default")
        self.fallbacks: set[str] = set()
        self.notes: list[Problem] = []
        self._markup: list[str] = []  # every paragraph, for the faces the book needs
        self.markup = _Views(self._plain, self._rich, self.link)
        self.words = _Views(_words_of, _words_of, self.link)
        self.ctx = self._context(self.markup)
        self.plain_ctx = self._context(self.words)
        self.keys = self._record_keys()
        self._seen: dict[str, int] = {}

    # --- the parts ---------------------------------------------------------------------

    def part(self, setting: Setting) -> Part:
        head = self.single(setting.head, setting) if setting.head else None
        foot = self.single(setting.foot, setting) if setting.foot else None
        if setting.each is None:
            return Part(setting, (self.record(setting),), head=head, foot=foot)
        group = None
        if setting.group is not None:
            words = _plain(
                self.t.render("outline", (setting.group,), self.plain_ctx)[setting.group]
            )
            group = Title(words, (self._plain(words),))
        records = tuple(
            self.mayor_record(setting, mayor, view, plain_view)
            for mayor, view, plain_view in zip(
                self.selection.mayors, self.ctx["mayors"], self.plain_ctx["mayors"], strict=True
            )
        )
        return Part(setting, records, group, head, foot)

    def record(self, setting: Setting) -> Record:
        view = self.single(setting.kind, setting)
        key = self._key(setting.kind)
        if setting.kind == "cover":
            words = _plain(self.t.render("outline", ("cover",), self.plain_ctx)["cover"])
            return Record(key, view, Title(words, (self._plain(words),)))
        blocks = getattr(view, "blocks", {})
        heading = blocks.get("heading") or blocks.get("title") or ()
        words = _words(heading)
        return Record(key, view, Title(words, (self._plain(words),)))

    def single(self, kind: str, setting: Setting) -> View:
        """The view of a part that is the book's, not one mayor's."""
        ctx = self.ctx
        if kind == "cover":
            blocks = self.blocks("cover", ctx)
            book = self.book
            return CoverView(
                blocks,
                book.cover_image,
                bool(self.selection.themes),
                book.cover_image_alt,
                book.cover_image_focus,
            )
        if kind == "contents":
            return ContentsView(self.blocks("contents", ctx, ("heading",)))
        if kind == "glance":
            return self.glance()
        if kind == "statement" and setting.brief:
            ctx = {**ctx, "book": {**ctx["book"], "statement_body": ctx["book"]["statement_brief"]}}
        return TitledView(self.blocks(kind, ctx))

    def glance(self) -> GlanceView:
        chosen = set(self.selection.themes)
        rows = []
        for mayor, view in zip(self.selection.mayors, self.ctx["mayors"], strict=True):
            blocks = self.blocks("glance", {**self.ctx, "mayor": view}, ("name", "place"))
            marks = tuple(t.id in mayor.themes for t in self.book.themes)
            rows.append(
                GlanceRow(self.keys.get(mayor.id, ""), blocks["name"], blocks["place"], marks)
            )
        blocks = self.blocks(
            "glance", self.ctx, ("heading", "intro", "legend_heading", "legend_title")
        )
        legend = tuple(
            self.blocks("glance", {**self.ctx, "theme": view}, ("legend_entry",))["legend_entry"]
            for view in self.ctx["themes"]
        )
        words = _words(blocks["legend_title"])
        for theme in self.book.themes:
            self._canvas_text(theme.label)
        return GlanceView(
            blocks,
            tuple(ThemeHead(t.label, t.id in chosen) for t in self.book.themes),
            tuple(rows),
            legend,
            Title(words, (self._plain(words),)),
        )

    def mayor_record(
        self, setting: Setting, mayor: Mayor, view: dict[str, Any], plain_view: dict[str, Any]
    ) -> Record:
        ctx = {**self.ctx, "mayor": view}
        name = setting.kind
        if name == "digest":
            ctx["mayor"] = {**view, "digest": self._digest(mayor)}
        blocks = self.blocks(name, ctx, exclude=PER_ITEM)
        initiatives: tuple[Blocks, ...] = ()
        sources: tuple[Paragraphs, ...] = ()
        if name == "mayor":
            initiatives = tuple(
                self.blocks(name, {**ctx, "initiative": i}, INITIATIVE_BLOCKS)
                for i in view["initiatives"]
            )
            sources = tuple(
                self.blocks(name, {**ctx, "source": s}, ("source",))["source"]
                for s in view["sources"]
            )
        chosen = set(self.selection.themes)
        chips = tuple(
            Chip(t.label, t.id in chosen, f"c{i}{'x' if t.id in chosen else ''}")
            for i, t in enumerate(self.book.themes)
            if t.id in mayor.themes
        )
        for chip in chips:
            self._canvas_text(chip.label)
        letters = initials(mayor.name)
        self._canvas_text(letters)
        contents = self.blocks("contents", ctx, ("mayor", "place"))
        words = _plain(
            self.t.render("outline", ("mayor",), {**self.plain_ctx, "mayor": plain_view})["mayor"]
        )
        return Record(
            key=f"{name}-{mayor.id}",
            view=MayorView(
                mayor.id,
                mayor.file,
                blocks,
                chips,
                initiatives,
                sources,
                mayor.photo,
                mayor.photo_alt,
                mayor.photo_focus,
                letters,
            ),
            title=Title(words, contents["mayor"], contents["place"]),
            running_head=blocks.get("continued", ()),
        )

    def _digest(self, mayor: Mayor) -> Markup:
        """The mayor's brief, or their summary's first sentence (and a note that says so)."""
        if mayor.brief.strip():
            return self._rich(mayor.brief)
        self.notes.append(
            Problem(
                mayor.file,
                None,
                "brief",
                "no brief; the read-ahead prints the first sentence of the summary instead "
                "(add a brief of at most 60 words to choose the words)",
            )
        )
        return self._rich(first_sentence(mayor.summary))

    # --- blocks ------------------------------------------------------------------------

    def blocks(
        self,
        name: str,
        ctx: dict[str, Any],
        only: tuple[str, ...] | None = None,
        exclude: frozenset[str] | set[str] = frozenset(),
    ) -> dict[str, Paragraphs]:
        """The blocks of `name`.j2 (all of them but `exclude`, or `only` these) as markup."""
        names = only or tuple(b for b in self.t.blocks_of(name) if b not in exclude)
        template = self.t.template(name)
        out = self.t.render(name, names, ctx)
        if self.layout.grey:  # colours a template writes in its own markup
            out = {b: [greyed_markup(p) for p in ps] for b, ps in out.items()}
        return {
            block: tuple(self._own_fallbacks(template.filename, block, p) for p in paragraphs)
            for block, paragraphs in out.items()
        }

    def footer(self, running_title: str) -> FooterWords:
        """The footer of pages under `running_title`; checked here, not on each page."""
        ctx = {**self.plain_ctx, "page": PAGE, "total": TOTAL, "running_title": running_title}
        both = self.t.render("footer", ("left", "right"), ctx)
        left, right = _plain(both["left"]), _plain(both["right"])
        if TOTAL in right or TOTAL in left.removesuffix(TOTAL):
            raise LayoutError.at(
                self.t.template("footer").filename,
                "`total` may only end the `left` block; "
                f"found left: '{left.replace(TOTAL, '{{ total }}')}'",
                field="block 'left'",
            )
        total, left = left.endswith(TOTAL), left.removesuffix(TOTAL)
        self._check_glyphs("footer.j2", "left", left.replace(PAGE, "0") + right + "0123456789")
        self._canvas_text(left.replace(PAGE, "") + right)
        return FooterWords(left, total, right)

    def stamp(self, edition: str) -> str:
        """The words at the foot of the last page: the day, the filters, the edition."""
        ctx = {**self.plain_ctx, "edition": edition}
        words = _plain(self.t.render("footer", ("stamp",), ctx)["stamp"])
        self._check_glyphs("footer.j2", "stamp", words)
        self._canvas_text(words)
        return words

    def blank(self) -> str:
        """The words of a page left empty, drawn where the footer is."""
        words = _plain(self.t.render("footer", ("blank",), self.plain_ctx)["blank"])
        self._check_glyphs("footer.j2", "blank", words)
        self._canvas_text(words)
        return words

    # --- text --------------------------------------------------------------------------

    def _plain(self, text: str) -> Markup:
        return self._note(plain(text, self.glyphs))

    def _rich(self, text: str) -> Markup:
        return self._note(Markup("\n\n".join(rich(text, self.glyphs, self.link))))

    def _note(self, markup: Markup) -> Markup:
        """Remember the fallback fonts `markup` names, and the markup itself."""
        if "<font" in markup:
            self.fallbacks.update(_FACE.findall(markup))
        self._markup.append(markup)
        return markup

    def _canvas_text(self, text: str) -> None:
        """Words drawn on the canvas (chips, table headers, footers) need their fonts too."""
        for _, font in self.glyphs.runs(text):
            if font:
                self.fallbacks.add(font)

    def emphasis(self, tag: str) -> bool:
        return any(f"<{tag}>" in m for m in self._markup)

    def _own_fallbacks(self, file: str, block: str, markup: str) -> str:
        """`markup` with the template's own words, too, in fonts that draw them."""
        self._markup.append(markup)
        if self.glyphs.main_draws(markup):
            return markup
        item = ITEM_MARK.match(markup)  # a list item's marker is not text
        if item is not None:
            return item[0] + self._own_fallbacks(file, block, markup[item.end() :])
        parts = _MARKUP.split(markup)
        for i in range(0, len(parts), 2):  # even items are text; odd ones tags and entities
            self._check_glyphs(file, block, parts[i])
            parts[i] = "".join(
                f'<font face="{font}">{chunk}</font>' if font else chunk
                for chunk, font in self.glyphs.runs(parts[i])
            )
        out = "".join(parts)
        self.fallbacks.update(_FACE.findall(out))
        return out

    def _check_glyphs(self, file: str, block: str, text: str) -> None:
        missing = self.glyphs.missing(text)
        if missing:
            names = ", ".join(f"U+{ord(c):04X} '{c}'" for c in missing)
            raise LayoutError.at(
                file,
                f"no font in the layout can draw {names}; "
                "expected characters the layout's fonts have",
                field=f"block '{block}'",
            )

    # --- context -----------------------------------------------------------------------

    def _context(self, views: _Views) -> dict[str, Any]:
        book, selection = self.book, self.selection
        chosen = set(selection.themes)
        return {
            "book": views.book(book),
            "mayors": [views.mayor(m, book) for m in selection.mayors],
            "themes": [views.theme(t, t.id in chosen) for t in book.themes],
            "focus": [views.plain(book.theme(t).label) for t in selection.themes],
            "places": [views.plain(s) for s in selection.states],
            "date": self.date,
            "contact": views.contact(book),
            "meeting": views.meeting(self.meeting) if self.meeting is not None else None,
        }

    def _record_keys(self) -> dict[str, str]:
        """Mayor id -> the anchor of their first record (their page, or their digest)."""
        kinds = [s.kind for s in self.layout.pages if s.each is not None]
        if not kinds:
            return {}
        return {m.id: f"{kinds[0]}-{m.id}" for m in self.selection.mayors}

    def _key(self, kind: str) -> str:
        """A part's anchor: its kind, numbered if the kind recurs."""
        n = self._seen[kind] = self._seen.get(kind, 0) + 1
        return kind if n == 1 else f"{kind}-{n}"


_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")
_FACE = re.compile(r'<font face="([^"]+)"')

# A sentence ends at . ! or ? before a space and a capital letter, a quote or a bracket;
# not after a title or an initial ("St. Paul", "J. Doe", "D.C. residents").
_ABBREVIATIONS = {"st", "mr", "mrs", "ms", "dr", "jr", "sr", "no", "vs", "inc", "gov", "sen", "rep"}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(A-Z0-9])")


def first_sentence(text: str) -> str:
    """The first sentence of the first paragraph of `text` (rich text, Markdown kept)."""
    paragraph = next((p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()), "")
    paragraph = " ".join(paragraph.split())
    for end in _SENTENCE_END.finditer(paragraph):
        before = paragraph[: end.start()].rstrip('"”’)')
        word = before.rsplit(" ", 1)[-1].rstrip(".!?").lower()
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word:
            continue
        return paragraph[: end.start()].strip()
    return paragraph


class _Views:
    """Template-facing views of model objects, with every text converted once."""

    def __init__(self, plain_fn: Callable[[str], str], rich_fn: Callable[[str], str], link: str):
        self.plain, self.rich, self.link = plain_fn, rich_fn, link

    def book(self, book: Book) -> dict[str, Any]:
        brief = book.statement_brief or _first_paragraph(book.statement_body)
        return {
            "title": self.plain(book.title),
            "subtitle": self.plain(book.subtitle),
            "organization": self.plain(book.organization),
            "statement_heading": self.plain(book.statement_heading),
            "statement_body": self.rich(book.statement_body),
            "statement_brief": self.rich(brief),
            "cover_credit": self.plain(book.cover_credit),
        }

    def theme(self, theme, chosen: bool) -> dict[str, Any]:
        return {
            "id": theme.id,
            "label": self.plain(theme.label),
            "description": self.plain(theme.description),
            "chosen": chosen,
        }

    def contact(self, book: Book) -> dict[str, Any] | None:
        c = book.contact
        if c is None:
            return None
        contact = {k: self.plain(v) for k, v in vars(c).items()}
        contact["email_link"] = self.link_to(f"mailto:{c.email}", c.email) if c.email else ""
        contact["website_link"] = self.link_to(c.website, c.website) if c.website else ""
        return contact

    def mayor(self, m: Mayor, book: Book) -> dict[str, Any]:
        labels = {t.id: t.label for t in book.themes}
        return {
            "id": m.id,
            "name": self.plain(m.name),
            "title": self.plain(m.title),
            "city": self.plain(m.city),
            "state": m.state,
            "themes": list(m.themes),
            "theme_labels": [self.plain(labels[t]) for t in m.themes if t in labels],
            "summary": self.rich(m.summary),
            "brief": self.rich(m.brief) if m.brief else "",
            "initiatives": [
                {
                    "name": self.plain(i.name),
                    "description": self.rich(i.description) if i.description else "",
                    "themes": list(i.themes),
                    "theme_labels": [self.plain(labels[t]) for t in i.themes if t in labels],
                }
                for i in m.initiatives
            ],
            "sources": [
                {
                    "title": self.plain(s.title),
                    "url": self.plain(s.url),
                    "link": self.link_to(s.url, s.url),
                }
                for s in m.sources
            ],
        }

    def meeting(self, m: Meeting) -> dict[str, Any]:
        # The talking points as one Markdown list, each point an item (its own paragraphs
        # and lists indented under it), so that they print as the lists of rich text do.
        points = "\n".join("- " + p.strip().replace("\n", "\n  ") for p in m.talking_points)
        return {
            "id": m.id,
            "with": self.plain(m.counterpart),
            "date": m.date,
            "time": self.plain(m.time),
            "place": self.plain(m.place),
            "ask": self.rich(m.ask) if m.ask else "",
            "talking_points": self.rich(points) if points else "",
            "attendees": [self.plain(a) for a in m.attendees],
        }

    def link_to(self, url: str, text: str) -> str:
        """`text` as a link to `url` (in markup views; plain views get the text alone)."""
        shown = self.plain(text)
        if not isinstance(shown, Markup):
            return shown
        return Markup(f"<a href={quoteattr(url)} color={quoteattr(self.link)}>{shown}</a>")


def _first_paragraph(text: str) -> str:
    return next((p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()), "")


def _words_of(text: str) -> str:
    return " ".join(text.split())


def _words(paragraphs: Paragraphs) -> str:
    """Paragraph markup as the plain words a reader sees: tags dropped, entities read."""
    return _plain([Markup(p).striptags() for p in paragraphs])


_COLOR = re.compile(r"""(\bcolor\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE)


def greyed_markup(markup: str) -> str:
    """Paragraph markup with every colour="…" it names (#rrggbb or one of ReportLab's
    names) as its grey; one ReportLab cannot read is left for it to refuse."""
    from reportlab.lib.colors import toColor

    def greyed(found: re.Match) -> str:
        try:
            color = toColor(found[3])
        except ValueError:
            return found[0]
        rgb = "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in color.rgb()))
        return f"{found[1]}{found[2]}{grey(rgb)}{found[2]}"

    return _COLOR.sub(greyed, markup) if "color" in markup.lower() else markup


def _plain(paragraphs) -> str:
    return " ".join(" ".join(paragraphs).split())


# Words after a name that are not part of it, for its initials.
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"})


def initials(name: str) -> str:
    """The initials of a name for a monogram: the first letter of its first and of its last
    word ("Bill de Blasio": BB; "Karen Freeman-Wilson": KF), suffixes such as Jr. left out."""
    name = unicodedata.normalize("NFC", name)  # an accent that follows its letter joins it
    words = [w for w in name.split() if w.strip(".,").casefold() not in _SUFFIXES]
    letters = [_first_letter(w) for w in words]
    letters = [c for c in letters if c]
    picked = letters[:1] + letters[1:][-1:]
    return "".join(c.upper() if len(c.upper()) == len(c) else c for c in picked)


def _first_letter(word: str) -> str:
    """The word's first letter with any marks that go with it, or ''."""
    for i, c in enumerate(word):
        if c.isalpha():
            end = i + 1
            while end < len(word) and unicodedata.combining(word[end]):
                end += 1
            return word[i:end]
    return ""
