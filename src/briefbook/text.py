"""Turn user text (plain or inline Markdown) into ReportLab paragraph markup, escaping the rest.

Every character the user wrote either prints as written or is reported before the build:
`&`, `<` and `>` are escaped, backslashes are never read as escapes, and characters the main
font lacks are wrapped in the fallback font that has them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property

from markupsafe import Markup

# Whitespace that text layout turns into spaces; no font needs a glyph for it.
LAYOUT_WHITESPACE = frozenset(map(ord, "\t\n\r\f\v"))


@dataclass(frozen=True)
class Glyphs:
    """Which code points the main fonts draw, and which fallback font draws the others.

    A fallback's coverage is a function, so its character map is made into a set only when
    the main fonts lack a character.
    """

    main: frozenset[int]
    fallbacks: tuple[tuple[str, Callable[[], frozenset[int]]], ...] = ()
    _memo: dict[int, str | None] = field(default_factory=dict, compare=False, repr=False)

    def font_for(self, cp: int) -> str | None:
        """None for the main font, a fallback font's name, or '' when no font has it."""
        if cp in self.main or cp in LAYOUT_WHITESPACE:
            return None
        if cp not in self._memo:
            self._memo[cp] = next((name for name, cover in self.fallbacks if cp in cover()), "")
        return self._memo[cp]

    def used_fallbacks(self) -> set[str]:
        """Fallback fonts some character looked up so far needs."""
        return {name for name in self._memo.values() if name}

    def missing(self, text: str) -> list[str]:
        """Characters of `text` that no font draws, each once, in order of appearance."""
        if self.main_draws(text):
            return []
        return list(dict.fromkeys(c for c in text if self.font_for(ord(c)) == ""))

    def runs(self, text: str) -> list[tuple[str, str | None]]:
        """Split `text` into (chunk, font) runs; font None is the main font."""
        if self.main_draws(text):
            return [(text, None)]
        out: list[tuple[str, str | None]] = []
        for char in text:
            font = self.font_for(ord(char)) or None
            if out and out[-1][1] == font:
                out[-1] = (out[-1][0] + char, font)
            else:
                out.append((char, font))
        return out

    def main_draws(self, text: str) -> bool:
        """Do the main fonts have every character of `text`?"""
        return self._main_chars.issuperset(text)

    @cached_property
    def _main_chars(self) -> frozenset[str]:
        # Set operations on characters run in C; a loop over ord() does not.
        return frozenset(map(chr, self.main | LAYOUT_WHITESPACE))


def escape(text: str) -> str:
    """Text for paragraph markup: the three characters the parser reads as markup, escaped.
    (xml.sax.saxutils does the same but imports urllib.request, 40 ms at start-up.)"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(value: str) -> str:
    """A markup attribute value, quoted."""
    return '"' + escape(value).replace('"', "&quot;") + '"'


def plain(text: str, glyphs: Glyphs) -> Markup:
    """Plain text as paragraph markup: escaped, whitespace folded, fallback fonts applied."""
    return Markup(_escape_runs(" ".join(text.split()), glyphs))


def _escape_runs(text: str, glyphs: Glyphs) -> str:
    parts = []
    for chunk, font in glyphs.runs(text):
        escaped = escape(chunk)
        parts.append(f'<font face="{font}">{escaped}</font>' if font else escaped)
    return "".join(parts)


@cache
def _parser():
    from markdown_it import MarkdownIt

    # 'zero' knows only paragraphs; we add emphasis, links, line breaks and lists. Headings,
    # HTML, entities, code and backslash escapes stay off: they print as the characters typed.
    parser = MarkdownIt("zero").enable(["emphasis", "link", "newline", "list"])
    # markdown-it quietly leaves javascript:, data: and file: links as plain text; we want
    # to see every link, so that validation can name the ones that are not web addresses.
    parser.validateLink = lambda url: True
    normalize = parser.normalizeLink
    parser.normalizeLink = lambda url: normalize(url.replace(_UNDERSCORE, "_"))
    return parser


# The data contract promises that only `**`, `*` and links are markup, so an underscore is
# always a letter (`__init__`, `snake_case`): it is hidden from the parser under a
# private-use character and put back in the output.
_UNDERSCORE = "\ue013"

# A list item travels through the templates as a paragraph that starts with this marker:
# ITEM level ":" number ITEM, the number empty for a bullet and "+" for a further paragraph
# of the same item. Private-use characters: no font of ours draws them, so no accepted
# text can contain one.
ITEM = "\ue010"
ITEM_MARK = re.compile(f"^{ITEM}([01]):([^{ITEM}]*){ITEM}")
MAX_LEVEL = 1  # lists nest one level; deeper items print at that level


def _parse(text: str):
    return _parser().parse(text.replace("_", _UNDERSCORE))


# Characters markdown-it reads wherever they are: emphasis (*), a link ([), and the line
# ends and NUL it rewrites. A list marker counts only at the start of a line.
_MARKUP = re.compile(r"[*\[\r\0]")
_LIST_MARK = re.compile(r"(?:[-+]|\d{1,9}[.)])(?:\s|\Z)")


def plain_paragraphs(text: str) -> list[str] | None:
    """The paragraphs of `text` if Markdown reads nothing in it: one line each, between
    blank lines, none that starts like a list item; else None. Most fields are such text,
    and they are not handed to markdown-it, which is then not even imported."""
    if _MARKUP.search(text):
        return None
    paragraphs: list[str] = []
    after_blank = True
    for line in text.split("\n"):
        words = line.strip(" \t")  # what a Markdown blank line may hold
        if not words:
            after_blank = True
            continue
        # Two lines in a row are one paragraph with a break; other spaces at a line's edge
        # are trimmed by rules of markdown-it's own: both are left to it.
        if not after_blank or words != words.strip() or _LIST_MARK.match(words):
            return None
        paragraphs.append(words)
        after_blank = False
    return paragraphs


def rich(text: str, glyphs: Glyphs, link_color: str) -> list[Markup]:
    """Inline Markdown as one markup string per paragraph or list item."""
    paragraphs = plain_paragraphs(text)
    if paragraphs is not None:
        return [Markup(_escape_runs(words, glyphs)) for words in paragraphs]
    return parsed_rich(text, glyphs, link_color)


def parsed_rich(text: str, glyphs: Glyphs, link_color: str) -> list[Markup]:
    """rich() as markdown-it reads it, whatever the text."""
    paragraphs: list[Markup] = []
    lists: list[str] = []  # the open lists, innermost last
    items: list[list] = []  # the open items, innermost last: [level, number, started]

    def item_paragraph(markup: str) -> Markup:
        item = items[-1]
        mark = "+" if item[2] else item[1]
        item[2] = True
        return Markup(f"{ITEM}{item[0]}:{mark}{ITEM}{markup}")

    for token in _parse(text):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if items and not items[-1][2]:  # an item whose first words are a nested list
                paragraphs.append(item_paragraph("&nbsp;"))
            lists.append(kind)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            number = f"{token.info}{token.markup}" if lists[-1] == "ordered_list_open" else ""
            items.append([min(len(lists) - 1, MAX_LEVEL), number, False])
        elif kind == "list_item_close":
            if not items[-1][2]:  # an item with no words ("1." alone) still prints its marker
                paragraphs.append(item_paragraph("&nbsp;"))
            items.pop()
        elif kind == "inline":
            markup = "".join(_inline(child, glyphs, link_color) for child in token.children or ())
            markup = markup.strip().replace(_UNDERSCORE, "_")
            paragraphs.append(item_paragraph(markup) if items else Markup(markup))
    return paragraphs


def list_item(markup: str) -> tuple[int, str, str] | None:
    """(level, number, text) of a list item's paragraph, or None for a plain paragraph; the
    number is '' for a bullet and '+' for a further paragraph of the item."""
    found = ITEM_MARK.match(markup)
    if found is None:
        return None
    return int(found[1]), found[2], markup[found.end() :]


def _inline(token, glyphs: Glyphs, link_color: str) -> str:
    kind = token.type
    if kind == "text":
        return _escape_runs(token.content, glyphs)
    if kind == "softbreak":
        return " "
    if kind == "hardbreak":
        return "<br/>"
    if kind in ("strong_open", "strong_close", "em_open", "em_close"):
        tag = "b" if kind.startswith("strong") else "i"
        return f"<{tag}>" if kind.endswith("open") else f"</{tag}>"
    if kind == "link_open":
        href = str(token.attrs.get("href", ""))
        return f"<a href={quoteattr(href)} color={quoteattr(link_color)}>"
    if kind == "link_close":
        return "</a>"
    # Anything else markdown-it may hand us prints as its source text.
    return _escape_runs(token.content or token.markup, glyphs)


WEB_LINKS = ("http://", "https://", "mailto:")  # where a link in the book may lead


def link_targets(text: str) -> list[str]:
    """Addresses of the Markdown links in `text`, as written."""
    return [target for target, _ in links(text)]


def links(text: str) -> list[tuple[str, int]]:
    """(address, line) of each Markdown link in `text`, the line (0-based, counted at LF)
    being where the link starts. markdown-it places only paragraphs: within one, a link is
    as many lines on as the line breaks before it, soft, hard, or inside an earlier link's
    title."""
    out: list[tuple[str, int]] = []
    if "[" not in text:  # no link starts without one
        return out
    for token in _parse(text):
        line = token.map[0] if token.map else 0
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
                continue
            if child.type == "link_open":
                out.append((str(child.attrs.get("href", "")), line))
                line += str(child.attrs.get("title", "")).count("\n")
            line += (child.content or "").count("\n")
    return out
