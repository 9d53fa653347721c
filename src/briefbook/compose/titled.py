"""Turn a page kind made of its template's blocks alone (statement, back page, masthead,
contact) into paragraphs, block by block in the template's order, each in the style
<kind>.<block>; a page's `heading` block gets the accent rule under it."""

from __future__ import annotations

from reportlab.platypus import Flowable

from briefbook.compose.kit import Kit
from briefbook.views import Setting, TitledView

RULED = {"statement", "back"}  # kinds whose heading is a page heading


def compose(view: TitledView, setting: Setting, kit: Kit) -> list[Flowable]:
    story: list[Flowable] = []
    for block, paragraphs in view.blocks.items():
        style = f"{setting.kind}.{block}"
        if block == "heading" and setting.kind in RULED and paragraphs:
            story += kit.heading(paragraphs, style)
        else:
            story += kit.paras(paragraphs, style)
    return story
