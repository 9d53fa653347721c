"""Turn a page kind made of its template's blocks alone (statement, ask, back page, masthead,
contact) into paragraphs, block by block in the template's order, each in the style
<kind>.<block>, with the rules the layout draws under or over them."""

from __future__ import annotations

from reportlab.platypus import Flowable

from briefbook.compose.kit import Kit
from briefbook.views import Setting, TitledView


def compose(view: TitledView, setting: Setting, kit: Kit) -> list[Flowable]:
    story: list[Flowable] = []
    for block, paragraphs in view.blocks.items():
        style = f"{setting.kind}.{block}"
        story += kit.heading(paragraphs, style)
    return story
