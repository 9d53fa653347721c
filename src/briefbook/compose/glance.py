"""Turn the at-a-glance view into the table of who works on what, and the legend of what each
theme covers: under the table when both fit on its page (rows closing up within the
layout's limits to make room), else on a titled page of its own that the contents lists."""

from __future__ import annotations

from dataclasses import replace

from reportlab.platypus import Flowable, PageBreak

from briefbook.compose.kit import Kit
from briefbook.flowables import stacked_height
from briefbook.flowables.columns import Columns
from briefbook.flowables.glance import GlanceRow, GlanceStyle, GlanceTable
from briefbook.flowables.marks import Anchor, PageState, SetState
from briefbook.views import GlanceView, Setting

LEGEND_KEY = "legend"


def compose(view: GlanceView, setting: Setting, kit: Kit) -> list[Flowable]:
    spec = kit.layout.settings("glance")
    style = GlanceStyle(
        name_width=spec["name_width"],
        name_gap=spec["name_gap"],
        header_font=kit.font("glance.theme"),
        chosen_header_font=kit.font("glance.chosen_theme"),
        header_padding=spec["header_padding"],
        header_leading=spec["header_leading"],
        header_baseline=spec["header_baseline"],
        row_padding=spec["row_padding"],
        mark_radius=spec["mark_radius"],
        chosen_mark_scale=spec["chosen_mark_scale"],
        max_column=spec["max_column"],
        rule_width=spec["rule"]["width"],
        colors={
            k: kit.layout.color(spec[k]) for k in ("mark", "chosen_mark", "stripe", "chosen_column")
        }
        | {"rule": kit.layout.color(spec["rule"]["color"]), "ink": kit.color("glance.theme")},
    )
    themes = [(t.label, t.chosen) for t in view.themes]
    rows = [
        GlanceRow(
            r.key, kit.paras(r.name, "glance.name") + kit.paras(r.place, "glance.place"), r.marks
        )
        for r in view.rows
    ]
    top = kit.heading(view.blocks["heading"], "glance.heading") + kit.paras(
        view.blocks["intro"], "glance.intro"
    )
    legend = _legend(view, kit, spec["legend"])
    under = kit.paras(view.blocks["legend_heading"], "glance.legend_heading") + legend
    box = kit.box(setting.template)

    def fits(padding: float) -> list[Flowable] | None:
        page = [*top, GlanceTable(themes, rows, replace(style, row_padding=padding)), *under]
        return page if stacked_height(page, box.width) <= box.height - 1 else None

    # Closest rows first: when even they leave no room (a long table), try no others.
    paddings = _paddings(spec["row_padding"], spec["min_row_padding"])
    if fits(paddings[-1]) is not None:
        for padding in paddings:
            page = fits(padding)
            if page is not None:
                return page
    # The legend does not fit under the table: it gets a page, a heading and a listing.
    table = GlanceTable(themes, rows, style)
    title = view.legend_title
    return [
        *top,
        table,
        PageBreak(),
        Anchor(LEGEND_KEY, title, setting.bookmark),
        SetState(PageState(running_title=title.words)),
        *kit.heading(view.blocks["legend_title"], "glance.legend_title"),
        *legend,
    ]


def _legend(view: GlanceView, kit: Kit, spec: dict) -> list[Flowable]:
    entries = [p for entry in view.legend for p in kit.paras(entry, "glance.legend_entry")]
    return [Columns(entries, gap=spec["gap"])] if spec["columns"] == 2 else entries


def _paddings(normal: float, least: float) -> list[float]:
    """Row paddings to try, from the layout's own down to its least, a half point apart."""
    out, padding = [normal], normal
    while padding - 0.5 >= least:
        padding -= 0.5
        out.append(padding)
    if out[-1] > least:
        out.append(least)
    return out
