"""Turn the coalition's statement into its page: heading, accent rule, paragraphs."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, PageBreak
from reportlab.platypus.flowables import HRFlowable

from briefbook.compose import Kit
from briefbook.flowables import Mark
from briefbook.render import BookText


def compose(text: BookText, kit: Kit) -> list[Flowable]:
    s = text.statement
    bar = kit.layout.section("cover")["bar"]
    story: list[Flowable] = [Mark("statement", text.outline["statement"],
                                  section=text.outline["statement"])]
    story += kit.paras(s["heading"], "statement.heading")
    story.append(HRFlowable(width=bar["width"], thickness=bar["height"], hAlign="LEFT",
                            color=HexColor(kit.layout.color("accent")), spaceAfter=22))
    story += kit.paras(s["body"], "statement.body")
    story += kit.paras(s["organization"], "statement.organization")
    story.append(PageBreak())
    return story
