"""Turn the parts the book lists into contents pages, paginated before layout starts.

The rows are measured here, so the number of contents pages is known in advance and the
rest of the book can be laid out once; the page numbers themselves are forms filled in
as the document reaches each target page.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Paragraph

from briefbook.compose.kit import Kit
from briefbook.flowables import stacked_height
from briefbook.flowables.contents import ContentsPage, ContentsRow, ContentsStyle
from briefbook.views import ContentsEntry, ContentsView, Setting

ROW_STYLES = {
    "section": "contents.section",
    "group": "contents.section",
    "record": "contents.mayor",
}


def compose(view: ContentsView, setting: Setting, kit: Kit) -> list[Flowable]:
    spec = kit.layout.settings("contents")
    style = ContentsStyle(
        number=kit.font("contents.number"),
        number_color=kit.color("contents.number"),
        number_width=spec["number_width"],
        padding=spec["row_padding"],
        rule=kit.layout.color(spec["rule"]["color"]),
        rule_width=spec["rule"]["width"],
    )
    box = kit.box(setting.template)
    label_width = box.width - style.number_width - spec["number_gap"]
    rows, grouped = [], False
    for entry in view.entries:  # the records after a group heading are under it
        grouped = entry.style == "group" or (grouped and entry.style == "record")
        rows.append(_row(entry, kit, label_width, style, grouped and entry.style == "record"))
    heading = kit.heading(view.blocks["heading"], "contents.heading")
    story: list[Flowable] = list(heading)
    # A point of slack: a row that fits exactly must not be pushed over by rounding.
    room = box.height - 1 - stacked_height(heading, box.width) - heading[-1].getSpaceAfter()
    pages: list[list[ContentsRow]] = [[]]
    for row in rows:
        if pages[-1] and row.height > room:
            pages.append([])
            room = box.height - 1
        pages[-1].append(row)
        room -= row.height
    first = ContentsPage(pages[0], style, f"{view.key}-0")
    story.append(first)
    for n, page in enumerate(pages[1:], 1):
        story += [PageBreak(), ContentsPage(page, style, f"{view.key}-{n}", first)]
    return story


def _row(
    entry: ContentsEntry, kit: Kit, width: float, style: ContentsStyle, grouped: bool
) -> ContentsRow:
    label = " ".join(entry.title.label)
    if entry.title.detail:
        label += _detail(kit, entry.title.detail)
    para = Paragraph(label, kit.styles[ROW_STYLES[entry.style]])
    _, h = para.wrap(width, 100_000)
    key = entry.key if entry.style != "group" else None
    return ContentsRow(key, para, h + 2 * style.padding, grouped)


def _detail(kit: Kit, detail: tuple[str, ...]) -> str:
    """'Muriel Bowser  Washington, DC' with the place in the quieter contents.place style."""
    font = kit.font("contents.place")
    return (
        f'&nbsp;&nbsp; <font face="{font.font}" size="{font.size}" '
        f'color="{kit.color("contents.place")}">{" ".join(detail)}</font>'
    )
