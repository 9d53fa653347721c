"""Turn the book and its selection into the words of every page, via the layout's Jinja templates.

Every value handed to a template is already paragraph markup (escaped, fallback fonts
applied), so a template can print it but never break it. A block's output is a list of
paragraphs: a blank line in it starts a new one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError
from markupsafe import Markup

from briefbook.errors import LayoutError
from briefbook.layout import Layout
from briefbook.model import Book, Mayor, Selection
from briefbook.text import Glyphs, plain, quoteattr, rich

Paragraphs = list[str]
_BLANK_LINE = re.compile(r"\n\s*\n")
MAYOR_BLOCKS = (
    "eyebrow",
    "name",
    "place",
    "summary",
    "initiatives_heading",
    "sources_heading",
    "continued",
)


@dataclass(frozen=True)
class MayorText:
    mayor: Mayor
    blocks: dict[str, Paragraphs]  # from mayor.j2
    contents: dict[str, Paragraphs]  # this mayor's row in contents.j2
    glance: dict[str, Paragraphs]  # this mayor's row in glance.j2
    initiatives: list[tuple[Paragraphs, Paragraphs]]
    sources: list[Paragraphs]
    outline: str


@dataclass(frozen=True)
class BookText:
    cover: dict[str, Paragraphs]
    contents: dict[str, Paragraphs]
    statement: dict[str, Paragraphs]
    glance: dict[str, Paragraphs]
    back: dict[str, Paragraphs]  # empty when the book has no contact
    mayors: list[MayorText]
    outline: dict[str, str]
    footer: Callable[[int, str], tuple[str, str]]


def render_book(book: Book, selection: Selection, layout: Layout, date: dt.date) -> BookText:
    """Render every template of `layout` for this edition."""
    glyphs, link = layout.glyphs, layout.color("link")
    markup = _Views(lambda s: plain(s, glyphs), lambda s: _rich(s, glyphs, link), link)
    words = _Views(lambda s: " ".join(s.split()), lambda s: " ".join(s.split()), link)
    env = layout.templates
    chosen = [book.theme(t) for t in selection.themes]
    context = {
        "book": markup.book(book),
        "mayors": [markup.mayor(m) for m in selection.mayors],
        "focus": [markup.plain(t.label) for t in chosen],
        "places": [markup.plain(s) for s in selection.states],
        "date": date,
    }
    outline_context = {
        "book": words.book(book),
        "date": date,
        "mayors": [words.mayor(m) for m in selection.mayors],
        "focus": [t.label for t in chosen],
        "places": list(selection.states),
    }
    mayors = []
    for mayor, view in zip(selection.mayors, context["mayors"], strict=True):
        ctx = {**context, "mayor": view}
        mayors.append(
            MayorText(
                mayor=mayor,
                blocks=_blocks(env, "mayor", MAYOR_BLOCKS, ctx),
                contents=_blocks(env, "contents", ("mayor", "place"), ctx),
                glance=_blocks(env, "glance", ("name", "place"), ctx),
                initiatives=[
                    tuple(
                        _blocks(
                            env,
                            "mayor",
                            ("initiative_name", "initiative_description"),
                            {**ctx, "initiative": i},
                        ).values()
                    )
                    for i in view["initiatives"]
                ],
                sources=[
                    _block(env, "mayor", "source", {**ctx, "source": s}) for s in view["sources"]
                ],
                outline=_plain(
                    _block(
                        env, "outline", "mayor", {**outline_context, "mayor": words.mayor(mayor)}
                    )
                ),
            )
        )
    footer_template = _template(env, "footer")

    def footer(page: int, section: str) -> tuple[str, str]:
        ctx = {**outline_context, "page": page, "total": TOTAL, "section": section}
        both = _blocks_of(footer_template, ("left", "right"), ctx)
        return _plain(both["left"]), _plain(both["right"])

    pages = {
        "contents": {"heading": _block(env, "contents", "heading", context)},
        "statement": _blocks(env, "statement", ("heading", "body", "organization"), context),
        "glance": _blocks(env, "glance", ("heading", "intro"), context),
        "back": _back(env, book, markup, context),
    }
    # A page's bookmark, contents row and running footer repeat its heading, so a layout
    # that renames a page renames all four at once.
    outline = {b: _plain(_block(env, "outline", b, outline_context)) for b in ("cover", "mayors")}
    outline |= {kind: _words(blocks["heading"]) for kind, blocks in pages.items() if blocks}
    return BookText(
        cover={
            b: _block(env, "cover", b, context)
            for b in (
                "eyebrow",
                "title",
                "subtitle",
                "focus",
                "date",
                "prepared",
                "scope",
                "credit",
            )
        },
        contents=pages["contents"],
        statement=pages["statement"],
        glance=pages["glance"],
        back=pages["back"],
        mayors=mayors,
        outline=outline,
        footer=footer,
    )


def _back(env, book: Book, markup: _Views, context: dict[str, Any]) -> dict[str, Paragraphs]:
    if book.contact is None:
        return {}
    c = book.contact
    contact = {k: markup.plain(v) for k, v in vars(c).items()}
    contact["email_link"] = markup.link_to(f"mailto:{c.email}", c.email) if c.email else ""
    contact["website_link"] = markup.link_to(c.website, c.website) if c.website else ""
    ctx = {**context, "contact": contact}
    return {
        b: _block(env, "back", b, ctx)
        for b in ("heading", "organization", "name", "email", "phone", "website")
    }


# The footer's `total` placeholder: the footer is drawn before the book knows its length.
# Private-use characters, which no font of ours draws, so no accepted text can contain it.
TOTAL = "\ue000total\ue000"


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

    def mayor(self, m: Mayor) -> dict[str, Any]:
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


def _template(env, name: str):
    try:
        return env.get_template(f"{name}.j2")
    except TemplateSyntaxError as err:
        raise LayoutError(f"{err.filename or name + '.j2'}:{err.lineno}: {err.message}") from None
    except TemplateError as err:
        raise LayoutError(f"{name}.j2: {err}") from None


def _render(template, block: str, context: dict[str, Any]) -> Paragraphs:
    return _blocks_of(template, (block,), context)[block]


def _blocks_of(template, blocks: tuple[str, ...], context: dict[str, Any]) -> dict[str, Paragraphs]:
    """Render several blocks of one template in one Jinja context (contexts are costly)."""
    jinja_context = template.new_context(context)
    out = {}
    for block in blocks:
        if block not in template.blocks:
            raise LayoutError(
                f"{template.filename}: no block '{block}'; expected "
                f"{{% block {block} %}}…{{% endblock %}}"
            )
        try:
            text = "".join(template.blocks[block](jinja_context))
        except TemplateError as err:
            raise LayoutError(f"{template.filename}: block '{block}': {err}") from None
        out[block] = [p.strip() for p in _BLANK_LINE.split(text) if p.strip()]
    return out


def _block(env, name: str, block: str, context: dict[str, Any]) -> Paragraphs:
    return _render(_template(env, name), block, context)


def _blocks(env, name: str, blocks: tuple[str, ...], context: dict[str, Any]):
    return _blocks_of(_template(env, name), blocks, context)


def _words(paragraphs: Paragraphs) -> str:
    """Paragraph markup as the plain words a reader sees: tags dropped, entities read."""
    return _plain([Markup(p).striptags() for p in paragraphs])


def _plain(paragraphs: Paragraphs) -> str:
    return " ".join(" ".join(paragraphs).split())
