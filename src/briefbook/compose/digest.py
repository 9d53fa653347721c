"""Turn one mayor's view into their entry in a read-ahead: name and place, theme chips, a
sentence or two, and the names of their initiatives."""

from __future__ import annotations

from reportlab.platypus import Flowable

from briefbook.compose.kit import Kit
from briefbook.compose.mayor import chips
from briefbook.views import MayorView, Setting

BODY_STYLE = "digest.digest"


def compose(view: MayorView, setting: Setting, kit: Kit) -> list[Flowable]:
    b = view.blocks
    story = kit.paras(b["name"], "digest.name") + kit.paras(b["place"], "digest.place")
    story += chips(view, kit)[:1]
    for block in ("digest", "initiatives"):
        story += kit.paras(b[block], f"digest.{block}")
    return story
