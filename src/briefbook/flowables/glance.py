"""Turn the selected mayors and the theme vocabulary into the at-a-glance table: mayors as
rows, themes as rotated columns; it splits between rows and repeats its header.

Tagged, it is a Table: a header row of TH cells scoped to their columns (the repeats on later
pages are page furniture), then a TR per mayor: a TH scoped to the row with the name (the
link to the mayor's page) and the place, and a TD per theme whose dot reads "works on …"."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Paragraph

from briefbook import tagging
from briefbook.flowables import SizedFont


@dataclass(frozen=True)
class GlanceStyle:
    name_width: float
    name_gap: float
    header_font: SizedFont
    chosen_header_font: SizedFont
    header_padding: float
    header_leading: float  # a multiple of the header's size
    header_baseline: float  # a share of the header's size
    row_padding: float
    mark_radius: float
    chosen_mark_scale: float
    max_column: float  # a few themes get columns this wide, not the whole page
    rule_width: float
    colors: dict[str, str]

    def column(self, avail_width: float, themes: int) -> float:
        return min((avail_width - self.name_width) / max(themes, 1), self.max_column)


@dataclass(frozen=True)
class GlanceRow:
    key: str  # "" when the book has no page to link to
    cells: list[Paragraph]  # stacked in the name column
    marks: tuple[bool, ...]


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

    tags_own_parts = True

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
        structure = tagging.structure_of(canv)
        table = None if structure is None else structure.element(self.measure, "Table")
        heads = self._header_cells(table) if table is not None and self.start == 0 else None
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
            tr = None if table is None else table.add("TR")
            self._draw_name(row, tr, y, h)
            for i, marked in enumerate(row.marks):
                label, chosen = self.themes[i]
                td = None if tr is None else tr.add("TD", f"works on {label}" if marked else "")
                if marked:
                    with tagging.marked(canv, td):
                        canv.setFillColor(HexColor(s.colors["chosen_mark" if chosen else "mark"]))
                        r = s.mark_radius * (s.chosen_mark_scale if chosen else 1)
                        canv.circle(s.name_width + (i + 0.5) * col, y + h / 2, r, stroke=0, fill=1)
        self._draw_header(col, top, table_width, heads)

    def _header_cells(self, table: tagging.Element) -> list[tagging.Element]:
        """The header row's cells, made before the rows', in reading order: an empty one
        over the names, then one per theme, each read as its whole label."""
        tr = table.add("TR")
        tr.add("TH", O="Table", Scope="Column")
        return [tr.add("TH", label, O="Table", Scope="Column") for label, _ in self.themes]

    def _draw_name(self, row: GlanceRow, tr: tagging.Element | None, y: float, h: float) -> None:
        """The row's header cell: the name (the link, when there is a page to go to) and
        the place."""
        s, canv = self.style, self.canv
        th = None if tr is None else tr.add("TH", O="Table", Scope="Row")
        cy = y + h - s.row_padding
        for n, cell in enumerate(row.cells):
            _, ch = cell.wrap(s.name_width - s.name_gap, 10_000)
            cy -= ch
            linked = n == 0 and row.key
            with tagging.marked(canv, None if th is None else th.add("Link" if linked else "P")):
                cell.drawOn(canv, 0, cy)
                if linked:
                    rect = (0, y, s.name_width, y + h)
                    canv.linkRect("", row.key, rect, relative=1, thickness=0)

    def _draw_header(self, col: float, top: float, table_width: float, heads: list | None) -> None:
        s, canv = self.style, self.canv
        lines = self.measure.header(self.width)[0]
        for i, ((_, chosen), label_lines) in enumerate(zip(self.themes, lines, strict=True)):
            font = s.chosen_header_font if chosen else s.header_font
            lead = font.size * s.header_leading
            # Rotated a quarter turn, lines stack left to right, centred in the column.
            first = s.name_width + (i + 0.5) * col - (len(label_lines) - 1) * lead / 2
            with tagging.marked(canv, None if heads is None else heads[i]):
                for n, line in enumerate(label_lines):
                    canv.saveState()
                    x = first + n * lead + font.size * s.header_baseline
                    canv.translate(x, top + s.header_padding)
                    canv.rotate(90)
                    canv.setFillColor(HexColor(s.colors["ink"]))
                    font.draw(canv, 0, 0, line)
                    canv.restoreState()
        canv.setStrokeColor(HexColor(s.colors["rule"]))
        canv.setLineWidth(s.rule_width)
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
                sum(p.wrap(s.name_width - s.name_gap, 10_000)[1] for p in row.cells)
                + 2 * s.row_padding
                for row in self.rows
            )
            self._prefix[width] = list(itertools.accumulate(heights, initial=0.0))
        return self._prefix[width]

    def header(self, width: float) -> tuple[list[list[str]], float]:
        """The theme labels broken into lines, and the header's height."""
        if width not in self._header:
            lines = self._header_lines(width)
            s = self.style
            fonts = [s.chosen_header_font if c else s.header_font for _, c in self.themes]
            longest = max(
                font.width(line) for ls, font in zip(lines, fonts, strict=True) for line in ls
            )
            self._header[width] = (lines, longest + 2 * s.header_padding)
        return self._header[width]

    def _header_lines(self, width: float) -> list[list[str]]:
        """Each theme label broken into lines that stack side by side in its column, as
        short as the column allows, so the rotated header stays low."""
        s = self.style
        col = s.column(width, len(self.themes))
        fonts = [s.chosen_header_font if c else s.header_font for _, c in self.themes]
        words = [
            (label.split() or [label], font)
            for (label, _), font in zip(self.themes, fonts, strict=True)
        ]
        target = max(max(font.width(w) for w in ws) for ws, font in words)
        target = max(target, max(font.width(" ".join(ws)) for ws, font in words) / 2)
        lead = s.header_font.size * s.header_leading
        while True:
            lines = [_wrap_words(ws, font, target) for ws, font in words]
            if all(len(ls) * lead <= col - 2 for ls in lines) or all(len(ls) == 1 for ls in lines):
                return lines
            target *= 1.15


def _wrap_words(words: list[str], font: SizedFont, width: float) -> list[str]:
    """Greedy line breaking of `words` at `width`; a word longer than that gets a line."""
    lines: list[str] = []
    for word in words:
        if lines and font.width(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines
