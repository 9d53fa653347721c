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
    rows = [_row(entry, kit, label_width, style) for entry in view.entries]
    heading = kit.heading(view.blocks["heading"], "contents.heading")
    story: list[Flowable] = list(heading)
    # A point of slack: a row that fits exactly must not be pushed over by rounding.
    room = box.height - 1 - stacked_height(heading, box.width) - heading[-1].getSpaceAfter()
    page: list[ContentsRow] = []
    for row in rows:
        if page and row.height > room:
            story += [ContentsPage(page, style, f"{view.key}-{len(story)}"), PageBreak()]
            page, room = [], box.height - 1
        page.append(row)
        room -= row.height
    story.append(ContentsPage(page, style, f"{view.key}-{len(story)}"))
    return story


def _row(entry: ContentsEntry, kit: Kit, width: float, style: ContentsStyle) -> ContentsRow:
    label = " ".join(entry.title.label)
    if entry.title.detail:
        label += _detail(kit, entry.title.detail)
    para = Paragraph(label, kit.styles[ROW_STYLES[entry.style]])
    _, h = para.wrap(width, 100_000)
    return ContentsRow(entry.key if entry.style != "group" else None, para, h + 2 * style.padding)


def _detail(kit: Kit, detail: tuple[str, ...]) -> str:
    """'Muriel Bowser  Washington, DC' with the place in the quieter contents.place style."""
    font = kit.font("contents.place")
    return (
        f'&nbsp;&nbsp; <font face="{font.font}" size="{font.size}" '
        f'color="{kit.color("contents.place")}">{" ".join(detail)}</font>'
    )
