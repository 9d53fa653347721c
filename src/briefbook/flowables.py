"""Turn page elements that paragraphs cannot express into platypus flowables: marks, chips,
the contents rows and the at-a-glance table."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from briefbook.text import Glyphs


@dataclass(frozen=True)
class Ink:
    """A font at a size, with the fallback fonts for characters it lacks."""

    font: str
    size: float
    glyphs: Glyphs

    def width(self, text: str) -> float:
        return sum(
            stringWidth(chunk, font or self.font, self.size)
            for chunk, font in self.glyphs.runs(text)
        )

    def draw(self, canv, x: float, y: float, text: str) -> float:
        """Draw `text` with its left end at x; return the x where it ends."""
        for chunk, font in self.glyphs.runs(text):
            canv.setFont(font or self.font, self.size)
            canv.drawString(x, y, chunk)
            x += stringWidth(chunk, font or self.font, self.size)
        return x


class Mark(Flowable):
    """Zero-size: 'this is the page where `key` starts'. The document template records it
    (bookmark, outline entry, page-number form, running footer label) when it is drawn."""

    def __init__(
        self,
        key: str,
        outline: str = "",
        level: int = 0,
        section: str | None = None,
        mayor_heading: Paragraph | None = None,
    ):
        super().__init__()
        self.key, self.outline, self.level = key, outline, level
        self.section, self.mayor_heading = section, mayor_heading
        self.width = self.height = 0

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        pass


@dataclass(frozen=True)
class ChipStyle:
    ink: Ink
    chosen_ink: Ink
    padding_x: float
    height: float
    gap: float
    radius: float
    fill: str
    text: str
    chosen_fill: str
    chosen_text: str


def define_form(canv, name: str, bbox: tuple[float, float, float, float], draw) -> None:
    """Record what `draw(canv)` paints as the PDF form `name`, drawn wherever doForm names it.

    Forms may be defined in the middle of a page, and after the pages that use them.
    """
    # beginForm sets the page's drawing aside only when there is some; make sure there is,
    # or ending the form would also drop this page's links.
    canv.saveState()
    canv.restoreState()
    canv.beginForm(name, *bbox)
    draw(canv)
    canv.endForm()


class Chips(Flowable):
    """Theme labels as rounded tags that wrap onto as many rows as they need.

    Each label comes with a short form name, the same wherever that chip recurs: the chip
    is drawn once, as a PDF form, and placed on every page that shows it.
    """

    def __init__(self, labels: list[tuple[str, bool, str]], style: ChipStyle):
        super().__init__()
        self.labels, self.style = labels, style
        self._placed: list[tuple[float, int, str, bool, float, str]] = []

    def wrap(self, avail_width, avail_height):
        s = self.style
        x, row, self._placed = 0.0, 0, []
        for label, chosen, form in self.labels:
            width = (s.chosen_ink if chosen else s.ink).width(label) + 2 * s.padding_x
            if x and x + width > avail_width:
                x, row = 0.0, row + 1
            self._placed.append((x, row, label, chosen, width, form))
            x += width + s.gap
        rows = row + 1 if self.labels else 0
        self.width = avail_width
        self.height = rows * s.height + max(rows - 1, 0) * s.gap
        return self.width, self.height

    def draw(self):
        s, canv = self.style, self.canv
        for x, row, label, chosen, width, name in self._placed:
            y = self.height - (row + 1) * s.height - row * s.gap
            if not canv.hasForm(name):
                define_form(
                    canv,
                    name,
                    (0, 0, width, s.height),
                    lambda c, lb=label, ch=chosen, w=width: self._chip(c, lb, ch, w),
                )
            canv.saveState()
            canv.translate(x, y)
            canv.doForm(name)
            canv.restoreState()

    def _chip(self, canv, label: str, chosen: bool, width: float) -> None:
        s = self.style
        canv.setFillColor(HexColor(s.chosen_fill if chosen else s.fill))
        canv.roundRect(0, 0, width, s.height, s.radius, stroke=0, fill=1)
        canv.setFillColor(HexColor(s.chosen_text if chosen else s.text))
        baseline = (s.height - s.ink.size) / 2 + s.ink.size * 0.28
        (s.chosen_ink if chosen else s.ink).draw(canv, s.padding_x, baseline, label)


@dataclass(frozen=True)
class ContentsRow:
    key: str | None  # None: a group heading, without page number or link
    label: Paragraph
    height: float


@dataclass(frozen=True)
class ContentsStyle:
    number: Ink
    number_color: str
    number_width: float
    padding: float
    rule: str


class ContentsPage(Flowable):
    """One page's worth of contents rows, each a link to its target page.

    The rows are drawn as one PDF form, which the document template fills in once the whole
    book is laid out and every page number is known (fill): the contents are right in a
    single layout pass, and their text still reads row by row, label then number.
    """

    def __init__(self, rows: list[ContentsRow], style: ContentsStyle, form: str):
        super().__init__()
        self.rows, self.style, self.form = rows, style, form

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = sum(r.height for r in self.rows)
        return self.width, self.height

    def draw(self):
        y = self.height
        for row in self.rows:
            y -= row.height
            if row.key is not None:
                rect = (0, y, self.width, y + row.height)
                self.canv.linkRect("", row.key, rect, relative=1, thickness=0)
        self.canv.doForm(self.form)

    def fill(self, canv, pages: dict[str, int]) -> None:
        """Define this page's form, now that every target's page is known."""
        s = self.style
        define_form(
            canv,
            self.form,
            (-10, -10, self.width + 10, self.height + 10),
            lambda c: self._draw_rows(c, s, pages),
        )

    def _draw_rows(self, canv, s: ContentsStyle, pages: dict[str, int]) -> None:
        y = self.height
        for row in self.rows:
            y -= row.height
            row.label.drawOn(canv, 0, y + s.padding)
            if row.key is not None:
                # Paragraph puts its first baseline one font size below its top.
                baseline = y + row.height - s.padding - row.label.style.fontSize
                canv.setFillColor(HexColor(s.number_color))
                canv.setFont(s.number.font, s.number.size)
                canv.drawRightString(self.width, baseline, str(pages[row.key]))
            canv.setStrokeColor(HexColor(s.rule))
            canv.setLineWidth(0.4)
            canv.line(0, y, self.width, y)


@dataclass(frozen=True)
class GlanceStyle:
    name_width: float
    header_ink: Ink
    chosen_header_ink: Ink
    header_padding: float
    row_padding: float
    mark_radius: float
    max_column: float  # a few themes get columns this wide, not the whole page
    colors: dict[str, str]

    def column(self, avail_width: float, themes: int) -> float:
        return min((avail_width - self.name_width) / max(themes, 1), self.max_column)


@dataclass(frozen=True)
class GlanceRow:
    key: str
    cells: list[Paragraph]  # stacked in the name column
    marks: list[bool]


class GlanceTable(Flowable):
    """Mayors as rows, themes as columns; splits between rows and repeats its header.

    The pieces a long table splits into share one measurement of its rows (_Measure), so a
    table of thousands of rows is measured once, not once per page.
    """

    def __init__(
        self,
        themes: list[tuple[str, bool]],
        rows: list[GlanceRow] | _Measure,
        style: GlanceStyle,
        start: int = 0,
        end: int | None = None,
    ):
        super().__init__()
        self.themes, self.style = themes, style
        self.measure = rows if isinstance(rows, _Measure) else _Measure(rows, style, themes)
        self.start = start
        self.end = len(self.measure.rows) if end is None else end

    @property
    def rows(self) -> list[GlanceRow]:
        return self.measure.rows[self.start : self.end]

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        prefix = self.measure.prefix(avail_width)
        self.height = self.measure.header(avail_width)[1] + prefix[self.end] - prefix[self.start]
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self.width = avail_width
        prefix = self.measure.prefix(avail_width)
        limit = prefix[self.start] + avail_height - self.measure.header(avail_width)[1]
        fit = self.start
        while fit < self.end and prefix[fit + 1] <= limit:
            fit += 1
        if fit == self.start or fit == self.end:
            return []
        return [
            GlanceTable(self.themes, self.measure, self.style, self.start, fit),
            GlanceTable(self.themes, self.measure, self.style, fit, self.end),
        ]

    def draw(self):
        s, canv = self.style, self.canv
        col = s.column(self.width, len(self.themes))
        table_width = s.name_width + col * len(self.themes)
        header = self.measure.header(self.width)[1]
        prefix = self.measure.prefix(self.width)
        heights = [prefix[i + 1] - prefix[i] for i in range(self.start, self.end)]
        top = self.height - header
        y = top
        canv.setFillColor(HexColor(s.colors["stripe"]))
        for n, h in enumerate(heights):
            y -= h
            if n % 2 == 1:
                canv.rect(0, y, table_width, h, stroke=0, fill=1)
        canv.setFillColor(HexColor(s.colors["chosen_column"]))
        for i, (_, chosen) in enumerate(self.themes):
            if chosen:
                canv.rect(s.name_width + i * col, 0, col, self.height, stroke=0, fill=1)
        y = top
        for row, h in zip(self.rows, heights, strict=True):
            y -= h
            cy = y + h - s.row_padding
            for cell in row.cells:
                _, ch = cell.wrap(s.name_width - 6, 10_000)
                cy -= ch
                cell.drawOn(canv, 0, cy)
            for i, marked in enumerate(row.marks):
                if marked:
                    chosen = self.themes[i][1]
                    canv.setFillColor(HexColor(s.colors["chosen_mark" if chosen else "mark"]))
                    r = s.mark_radius * (1.25 if chosen else 1)
                    canv.circle(s.name_width + (i + 0.5) * col, y + h / 2, r, stroke=0, fill=1)
            canv.linkRect("", row.key, (0, y, s.name_width, y + h), relative=1, thickness=0)
        self._draw_header(col, top, table_width)

    def _draw_header(self, col: float, top: float, table_width: float) -> None:
        s, canv = self.style, self.canv
        lines = self.measure.header(self.width)[0]
        for i, ((_, chosen), label_lines) in enumerate(zip(self.themes, lines, strict=True)):
            ink = s.chosen_header_ink if chosen else s.header_ink
            lead = ink.size * 1.2
            # Rotated a quarter turn, lines stack left to right, centred in the column.
            first = s.name_width + (i + 0.5) * col - (len(label_lines) - 1) * lead / 2
            for n, line in enumerate(label_lines):
                canv.saveState()
                canv.translate(first + n * lead + ink.size * 0.35, top + s.header_padding)
                canv.rotate(90)
                canv.setFillColor(HexColor(s.colors["ink"]))
                ink.draw(canv, 0, 0, line)
                canv.restoreState()
        canv.setStrokeColor(HexColor(s.colors["rule"]))
        canv.setLineWidth(0.6)
        canv.line(0, top, table_width, top)
        canv.line(0, 0, table_width, 0)


class _Measure:
    """The rows of a whole at-a-glance table, their heights and its header, at one width."""

    def __init__(self, rows: list[GlanceRow], style: GlanceStyle, themes: list[tuple[str, bool]]):
        self.rows, self.style, self.themes = rows, style, themes
        self._prefix: dict[float, list[float]] = {}
        self._header: dict[float, tuple[list[list[str]], float]] = {}

    def prefix(self, width: float) -> list[float]:
        """Running totals of row heights: rows i..j take prefix[j] - prefix[i]."""
        if width not in self._prefix:
            s = self.style
            heights = (
                sum(p.wrap(s.name_width - 6, 10_000)[1] for p in row.cells) + 2 * s.row_padding
                for row in self.rows
            )
            self._prefix[width] = list(itertools.accumulate(heights, initial=0.0))
        return self._prefix[width]

    def header(self, width: float) -> tuple[list[list[str]], float]:
        """The theme labels broken into lines, and the header's height."""
        if width not in self._header:
            lines = self._header_lines(width)
            s = self.style
            inks = [s.chosen_header_ink if chosen else s.header_ink for _, chosen in self.themes]
            longest = max(
                ink.width(line) for ls, ink in zip(lines, inks, strict=True) for line in ls
            )
            self._header[width] = (lines, longest + 2 * s.header_padding)
        return self._header[width]

    def _header_lines(self, width: float) -> list[list[str]]:
        """Each theme label broken into lines that stack side by side in its column, as
        short as the column allows, so the rotated header stays low."""
        s = self.style
        col = s.column(width, len(self.themes))
        inks = [s.chosen_header_ink if chosen else s.header_ink for _, chosen in self.themes]
        words = [
            (label.split() or [label], ink)
            for (label, _), ink in zip(self.themes, inks, strict=True)
        ]
        target = max(max(ink.width(w) for w in ws) for ws, ink in words)
        target = max(target, max(ink.width(" ".join(ws)) for ws, ink in words) / 2)
        while True:
            lines = [_wrap_words(ws, ink, target) for ws, ink in words]
            if all(len(ls) * s.header_ink.size * 1.2 <= col - 2 for ls in lines) or all(
                len(ls) == 1 for ls in lines
            ):
                return lines
            target *= 1.15


def _wrap_words(words: list[str], ink: Ink, width: float) -> list[str]:
    """Greedy line breaking of `words` at `width`; a word longer than that gets a line."""
    lines: list[str] = []
    for word in words:
        if lines and ink.width(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


class Columns(Flowable):
    """Short paragraphs in two balanced columns, each paragraph measured once; splits
    between paragraphs when a page is too short for all of them."""

    def __init__(self, paragraphs: list[Paragraph], gap: float):
        super().__init__()
        self.paragraphs, self.gap = paragraphs, gap
        self._measured: tuple[float, list[float]] | None = None

    def _heights(self, avail_width: float) -> list[float]:
        if self._measured is None or self._measured[0] != avail_width:
            width = (avail_width - self.gap) / 2
            heights = [
                p.wrap(width, 100_000)[1] + p.getSpaceBefore() + p.getSpaceAfter()
                for p in self.paragraphs
            ]
            self._measured = (avail_width, heights)
        return self._measured[1]

    def _cut(self, heights: list[float]) -> int:
        """How many paragraphs go in the left column: the cut that evens the two out."""
        total, running, best = sum(heights), 0.0, (float("inf"), 0)
        for i, h in enumerate(heights):
            running += h
            best = min(best, (max(running, total - running), i + 1))
        return best[1]

    def wrap(self, avail_width, avail_height):
        heights = self._heights(avail_width)
        cut = self._cut(heights)
        self.width = avail_width
        self.height = max(sum(heights[:cut]), sum(heights[cut:]), 0)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        heights = self._heights(avail_width)
        fit = len(heights)
        while fit > 1:
            part = heights[:fit]
            cut = self._cut(part)
            if max(sum(part[:cut]), sum(part[cut:])) <= avail_height:
                break
            fit -= 1
        if fit <= 1 or fit == len(heights):
            return []
        return [Columns(self.paragraphs[:fit], self.gap), Columns(self.paragraphs[fit:], self.gap)]

    def draw(self):
        heights = self._heights(self.width)
        cut = self._cut(heights)
        column = (self.width - self.gap) / 2
        for x, paragraphs, hs in (
            (0.0, self.paragraphs[:cut], heights[:cut]),
            (column + self.gap, self.paragraphs[cut:], heights[cut:]),
        ):
            y = self.height
            for p, h in zip(paragraphs, hs, strict=True):
                p.wrap(column, 100_000)
                p.drawOn(self.canv, x, y - h + p.getSpaceAfter())
                y -= h
