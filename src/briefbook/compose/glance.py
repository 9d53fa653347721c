"""Turn the selected mayors and the theme vocabulary into the at-a-glance table."""

from __future__ import annotations

from reportlab.platypus import Flowable

from briefbook.compose import Kit, mayor_key
from briefbook.flowables import Columns, GlanceRow, GlanceStyle, GlanceTable, Mark
from briefbook.model import Book, Selection
from briefbook.render import BookText


def compose(text: BookText, book: Book, selection: Selection, kit: Kit) -> list[Flowable]:
    spec = kit.layout.section("glance")
    style = GlanceStyle(
        name_width=spec["name_width"],
        header_ink=kit.ink("glance.theme"),
        chosen_header_ink=kit.ink("glance.chosen_theme"),
        header_padding=spec["header_padding"],
        row_padding=spec["row_padding"],
        mark_radius=spec["mark_radius"],
        max_column=spec["max_column"],
        colors={
            k: kit.layout.color(spec[k])
            for k in ("mark", "chosen_mark", "stripe", "chosen_column", "rule")
        }
        | {"ink": kit.color("glance.theme")},
    )
    themes = [(t.label, t.id in selection.themes) for t in book.themes]
    rows = [
        GlanceRow(
            key=mayor_key(m.mayor.id),
            cells=kit.paras(m.glance["name"], "glance.name")
            + kit.paras(m.glance["place"], "glance.place"),
            marks=[t.id in m.mayor.themes for t in book.themes],
        )
        for m in text.mayors
    ]
    story: list[Flowable] = [Mark("glance", text.outline["glance"], section=text.outline["glance"])]
    story += kit.heading(text.glance["heading"], "glance.heading")
    story += kit.paras(text.glance["intro"], "glance.intro")
    story.append(GlanceTable(themes, rows, style))
    # What each theme covers: the descriptions themes.yaml gives, printed nowhere else.
    story += kit.paras(text.glance["legend_heading"], "glance.legend_heading")
    entries = [p for entry in text.legend for p in kit.paras(entry, "glance.legend")]
    story.append(Columns(entries, gap=18))
    return story
