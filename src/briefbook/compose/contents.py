"""Turn the list of sections and mayors into contents pages, paginated before layout starts.

The rows are measured here, so the number of contents pages is known in advance and the
rest of the book can be laid out once; the page numbers themselves are forms filled in
as the document reaches each target page.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Paragraph

from briefbook.compose import Kit, mayor_key
from briefbook.flowables import ContentsPage, ContentsRow, ContentsStyle, Mark
from briefbook.render import BookText
from briefbook.text import plain


def compose(text: BookText, kit: Kit) -> list[Flowable]:
    spec = kit.layout.section("contents")
    style = ContentsStyle(
        number=kit.ink("contents.number"),
        number_color=kit.color("contents.number"),
        number_width=spec["number_width"],
        padding=spec["row_padding"],
        rule=kit.layout.color(spec["rule"]),
    )
    label_width = kit.frame.width - style.number_width
    # "The mayors" heads its group of rows; its bookmark already leads to the first mayor.
    rows = [
        _row(
            key if key != "mayors" else None,
            [plain(text.outline[key], kit.layout.glyphs)],
            "contents.section",
            kit,
            label_width,
            style,
        )
        for key in ("statement", "glance", "mayors")
    ]
    for m in text.mayors:
        label = _with_place(kit, m.contents["mayor"], m.contents["place"])
        rows.append(_row(mayor_key(m.mayor.id), label, "contents.mayor", kit, label_width, style))
    if text.back:
        rows.append(
            _row(
                "back",
                [plain(text.outline["back"], kit.layout.glyphs)],
                "contents.section",
                kit,
                label_width,
                style,
            )
        )

    heading = kit.heading(text.contents["heading"], "contents.heading")
    story: list[Flowable] = [
        Mark("contents", text.outline["contents"], section=text.outline["contents"])
    ]
    story += heading
    # A point of slack: a row that fits exactly must not be pushed over by rounding.
    room = kit.frame.height - 1 - sum(_height(p, kit.frame.width) for p in heading)
    page: list[ContentsRow] = []
    for row in rows:
        if page and row.height > room:
            story += [ContentsPage(page, style, f"contents-{len(story)}"), PageBreak()]
            page, room = [], kit.frame.height - 1
        page.append(row)
        room -= row.height
    story += [ContentsPage(page, style, f"contents-{len(story)}"), PageBreak()]
    return story


def _with_place(kit: Kit, name: list[str], place: list[str]) -> list[str]:
    """'Muriel Bowser  Washington, DC' with the place in the quieter contents.place style."""
    if not place:
        return name
    ink = kit.ink("contents.place")
    where = " ".join(place)
    return [
        f'{" ".join(name)}&nbsp;&nbsp; <font face="{ink.font}" size="{ink.size}" '
        f'color="{kit.color("contents.place")}">{where}</font>'
    ]


def _row(
    key: str | None, label: list[str], style_name: str, kit: Kit, width: float, style: ContentsStyle
) -> ContentsRow:
    para = Paragraph(" ".join(label), kit.styles[style_name])
    _, h = para.wrap(width - 8, 100_000)
    return ContentsRow(key, para, h + 2 * style.padding)


def _height(para: Paragraph, width: float) -> float:
    _, h = para.wrap(width, 100_000)
    return h + para.getSpaceBefore() + para.getSpaceAfter()
