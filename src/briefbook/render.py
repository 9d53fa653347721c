"""Turn the book and its selection into the words of every page, via the layout's Jinja templates.

Every value handed to a template is already paragraph markup (escaped, fallback fonts
applied), so a template can print it but never break it; the template's own words get their
fallback fonts here too. A block's output is a list of paragraphs: a blank line in it starts
a new one.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError
from markupsafe import Markup

from briefbook.errors import LayoutError
from briefbook.layout import Layout, resource_dir
from briefbook.model import Book, Mayor, Selection
from briefbook.text import Glyphs, plain, quoteattr, rich

Paragraphs = list[str]
Blocks = dict[str, Paragraphs]

MAYOR_BLOCKS = (
    "eyebrow",
    "name",
    "place",
    "summary",
    "initiatives_heading",
    "sources_heading",
    "continued",
)
INITIATIVE_BLOCKS = ("initiative_name", "initiative_themes", "initiative_description")
PLAIN_TEMPLATES = ("outline", "footer")  # words for bookmarks and canvas text, not markup

# The footer's `total` placeholder: the footer is drawn before the book knows its length.
# Private-use characters, which no font of ours draws, so no accepted text can contain it.
TOTAL = "\ue000total\ue000"


@dataclass(frozen=True)
class MayorText:
    mayor: Mayor
    blocks: Blocks  # from mayor.j2
    contents: Blocks  # this mayor's row in contents.j2
    glance: Blocks  # this mayor's row in glance.j2
    initiatives: list[Blocks]  # INITIATIVE_BLOCKS, one mapping per initiative
    sources: list[Paragraphs]
    outline: str


@dataclass(frozen=True)
class FooterText:
    left: str
    total: bool  # draw " of <total pages>" right after `left`
    right: str


@dataclass(frozen=True)
class BookText:
    cover: Blocks
    contents: Blocks
    statement: Blocks
    glance: Blocks
    legend: list[Paragraphs]  # one entry per theme, under the at-a-glance table
    back: Blocks  # empty when the book has no contact
    mayors: list[MayorText]
    outline: dict[str, str]
    footer: Callable[[int, str], FooterText]


def render_book(book: Book, selection: Selection, layout: Layout, date: dt.date) -> BookText:
    """Render every template of `layout` for this edition."""
    glyphs, link = layout.glyphs, layout.color("link")
    markup = _Views(lambda s: plain(s, glyphs), lambda s: _rich(s, glyphs, link), link)
    words = _Views(_words_of, _words_of, link)
    ctx, plain_ctx = _context(markup, book, selection, date), _context(words, book, selection, date)
    t = _Templates(layout)
    pages = {
        "contents": t.blocks("contents", ("heading",), ctx),
        "statement": t.blocks("statement", ("heading", "body", "organization"), ctx),
        "glance": t.blocks("glance", ("heading", "intro", "legend_heading"), ctx),
        "back": _back(t, book, markup, ctx),
    }
    # A page's bookmark, contents row and running footer repeat its heading, so a layout
    # that renames a page renames all four at once.
    outline = {b: _plain(t.block("outline", b, plain_ctx)) for b in ("cover", "mayors")}
    outline |= {kind: _words(blocks["heading"]) for kind, blocks in pages.items() if blocks}
    return BookText(
        cover=t.blocks(
            "cover",
            ("eyebrow", "title", "subtitle", "focus", "date", "prepared", "scope", "credit"),
            ctx,
        ),
        contents=pages["contents"],
        statement=pages["statement"],
        glance=pages["glance"],
        legend=[
            t.block("glance", "legend_entry", {**ctx, "theme": view}) for view in ctx["themes"]
        ],
        back=pages["back"],
        mayors=[
            _render_mayor(t, mayor, view, ctx, plain_ctx, words)
            for mayor, view in zip(selection.mayors, ctx["mayors"], strict=True)
        ],
        outline=outline,
        footer=_footer(t, plain_ctx),
    )


def _context(views: _Views, book: Book, selection: Selection, date: dt.date) -> dict[str, Any]:
    chosen = set(selection.themes)
    return {
        "book": views.book(book),
        "mayors": [views.mayor(m, book) for m in selection.mayors],
        "themes": [views.theme(t, t.id in chosen) for t in book.themes],
        "focus": [views.plain(book.theme(t).label) for t in selection.themes],
        "places": [views.plain(s) for s in selection.states],
        "date": date,
    }


def _render_mayor(
    t: _Templates,
    mayor: Mayor,
    view: dict[str, Any],
    ctx: dict[str, Any],
    plain_ctx: dict[str, Any],
    words: _Views,
) -> MayorText:
    ctx = {**ctx, "mayor": view}
    return MayorText(
        mayor=mayor,
        blocks=t.blocks("mayor", MAYOR_BLOCKS, ctx),
        contents=t.blocks("contents", ("mayor", "place"), ctx),
        glance=t.blocks("glance", ("name", "place"), ctx),
        initiatives=[
            t.blocks("mayor", INITIATIVE_BLOCKS, {**ctx, "initiative": i})
            for i in view["initiatives"]
        ],
        sources=[t.block("mayor", "source", {**ctx, "source": s}) for s in view["sources"]],
        outline=_plain(t.block("outline", "mayor", {**plain_ctx, "mayor": words.mayor(mayor)})),
    )


def _back(t: _Templates, book: Book, markup: _Views, ctx: dict[str, Any]) -> Blocks:
    if book.contact is None:
        return {}
    c = book.contact
    contact = {k: markup.plain(v) for k, v in vars(c).items()}
    contact["email_link"] = markup.link_to(f"mailto:{c.email}", c.email) if c.email else ""
    contact["website_link"] = markup.link_to(c.website, c.website) if c.website else ""
    blocks = ("heading", "organization", "name", "email", "phone", "website")
    return t.blocks("back", blocks, {**ctx, "contact": contact})


def _footer(t: _Templates, plain_ctx: dict[str, Any]) -> Callable[[int, str], FooterText]:
    """The footer of page `page` in section `section`; checked once, here, not on each page."""
    template = t.template("footer")

    def footer(page: int, section: str) -> FooterText:
        ctx = {**plain_ctx, "page": page, "total": TOTAL, "section": section}
        both = t.render(template, ("left", "right"), ctx)
        left, right = _plain(both["left"]), _plain(both["right"])
        if TOTAL in right or TOTAL in left.removesuffix(TOTAL):
            raise LayoutError.at(
                template.filename,
                "`total` may only end the `left` block; "
                f"found left: '{left.replace(TOTAL, '{{ total }}')}'",
                field="block left",
            )
        return FooterText(left.removesuffix(TOTAL), left.endswith(TOTAL), right)

    sample = footer(1, "")
    t.check_glyphs(template.filename, "left/right", sample.left + sample.right + "0123456789")
    return footer


class _Templates:
    """The layout's templates, rendered block by block into paragraphs of markup."""

    def __init__(self, layout: Layout):
        self.env, self.glyphs = layout.templates, layout.glyphs
        self._funcs: dict[str, dict[str, Callable]] = {}  # by template file
        self._by_file: dict[str, Any] = {}

    def template(self, name: str):
        try:
            return self.env.get_template(f"{name}.j2")
        except TemplateSyntaxError as err:
            where = err.filename or f"{name}.j2"
            raise LayoutError.at(where, err.message or str(err), err.lineno) from None
        except TemplateError as err:
            raise LayoutError.at(f"{name}.j2", str(err)) from None

    def block(self, name: str, block: str, context: dict[str, Any]) -> Paragraphs:
        return self.blocks(name, (block,), context)[block]

    def blocks(self, name: str, blocks: tuple[str, ...], context: dict[str, Any]) -> Blocks:
        template = self.template(name)
        out = self.render(template, blocks, context)
        if name in PLAIN_TEMPLATES:
            return out
        return {b: [self._fallbacks(template.filename, b, p) for p in ps] for b, ps in out.items()}

    def render(self, template, blocks: tuple[str, ...], context: dict[str, Any]) -> Blocks:
        """Several blocks of one template in one Jinja context (contexts are costly)."""
        jinja_context = template.new_context(context)
        funcs = self._block_funcs(template)
        out = {}
        for block in blocks:
            if block not in funcs:
                raise LayoutError.at(
                    template.filename,
                    f"no block '{block}'; expected {{% block {block} %}}…{{% endblock %}}",
                )
            try:
                text = "".join(funcs[block](jinja_context))
            except TemplateError as err:
                file, line = self._where(err, template)
                raise LayoutError.at(file, str(err), line, f"block '{block}'") from None
            out[block] = [p.strip() for p in _BLANK_LINE.split(text) if p.strip()]
        return out

    def _block_funcs(self, template) -> dict[str, Callable]:
        """The template's blocks, then those it inherits through {% extends %} (Jinja merges
        them only when a whole template renders, and we render block by block), then the
        built-in template's: a layout need not copy the blocks it does not change."""
        if template.filename not in self._funcs:
            from jinja2 import nodes

            self._by_file[template.filename] = template
            funcs = dict(template.blocks)
            source = Path(template.filename).read_text("utf-8")
            extends = self.env.parse(source).find_all(nodes.Extends) if "extends" in source else ()
            for node in extends:
                if isinstance(node.template, nodes.Const):
                    parent = self.template(node.template.value.removesuffix(".j2"))
                    if parent.filename == template.filename:
                        raise LayoutError.at(
                            template.filename,
                            'extends itself; expected {% extends "default/<name>.j2" %}',
                        )
                    for name, func in self._block_funcs(parent).items():
                        funcs.setdefault(name, func)
            built_in = resource_dir("layouts") / "default" / Path(template.filename).name
            if Path(template.filename).resolve() != built_in.resolve():
                default = self.template(f"default/{built_in.stem}")
                for name, func in self._block_funcs(default).items():
                    funcs.setdefault(name, func)
            self._funcs[template.filename] = funcs
        return self._funcs[template.filename]

    def _where(self, err: Exception, template) -> tuple[str, int | None]:
        """The file and line of the template line that failed, or the template's file."""
        for frame in reversed(traceback.extract_tb(err.__traceback__)):
            owner = self._by_file.get(frame.filename)
            if owner is not None:
                return frame.filename, owner.get_corresponding_lineno(frame.lineno)
        return template.filename, None

    def _fallbacks(self, file: str, block: str, markup: str) -> str:
        """`markup` with the template's own words, too, in fonts that draw them."""
        if self.glyphs.main_draws(markup):
            return markup
        parts = _MARKUP.split(markup)
        for i in range(0, len(parts), 2):  # even items are text; odd ones tags and entities
            self.check_glyphs(file, block, parts[i])
            parts[i] = "".join(
                f'<font face="{font}">{chunk}</font>' if font else chunk
                for chunk, font in self.glyphs.runs(parts[i])
            )
        return "".join(parts)

    def check_glyphs(self, file: str, block: str, text: str) -> None:
        missing = self.glyphs.missing(text)
        if missing:
            names = ", ".join(f"U+{ord(c):04X} '{c}'" for c in missing)
            raise LayoutError.at(
                file,
                f"no font in the layout can draw {names}; "
                "expected characters the layout's fonts have",
                field=f"block '{block}'",
            )


_BLANK_LINE = re.compile(r"\n\s*\n")
_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")


class _Views:
    """Template-facing views of model objects, with every text converted once."""

    def __init__(self, plain_fn: Callable[[str], str], rich_fn: Callable[[str], str], link: str):
        self.plain, self.rich, self.link = plain_fn, rich_fn, link

    def book(self, book: Book) -> dict[str, Any]:
        return {
            "title": self.plain(book.title),
            "subtitle": self.plain(book.subtitle),
            "organization": self.plain(book.organization),
            "statement_heading": self.plain(book.statement_heading),
            "statement_body": self.rich(book.statement_body),
            "cover_credit": self.plain(book.cover_credit),
        }

    def theme(self, theme, chosen: bool) -> dict[str, Any]:
        return {
            "id": theme.id,
            "label": self.plain(theme.label),
            "description": self.plain(theme.description),
            "chosen": chosen,
        }

    def mayor(self, m: Mayor, book: Book | None = None) -> dict[str, Any]:
        labels = {t.id: t.label for t in book.themes} if book is not None else {}
        return {
            "id": m.id,
            "name": self.plain(m.name),
            "title": self.plain(m.title),
            "city": self.plain(m.city),
            "state": m.state,
            "themes": list(m.themes),
            "summary": self.rich(m.summary),
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

    def link_to(self, url: str, text: str) -> str:
        """`text` as a link to `url` (in markup views; plain views get the text alone)."""
        shown = self.plain(text)
        if not isinstance(shown, Markup):
            return shown
        return Markup(f"<a href={quoteattr(url)} color={quoteattr(self.link)}>{shown}</a>")


def _rich(text: str, glyphs: Glyphs, link: str) -> Markup:
    return Markup("\n\n".join(rich(text, glyphs, link)))


def _words_of(text: str) -> str:
    return " ".join(text.split())


def _words(paragraphs: Paragraphs) -> str:
    """Paragraph markup as the plain words a reader sees: tags dropped, entities read."""
    return _plain([Markup(p).striptags() for p in paragraphs])


def _plain(paragraphs: Paragraphs) -> str:
    return " ".join(" ".join(paragraphs).split())
