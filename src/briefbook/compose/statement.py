"""Turn the coalition's statement into its page: heading, accent rule, paragraphs."""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak

from briefbook.compose import Kit
from briefbook.flowables import Mark
from briefbook.render import BookText


def compose(text: BookText, kit: Kit) -> list[Flowable]:
    s = text.statement
    story: list[Flowable] = [
        Mark("statement", text.outline["statement"], section=text.outline["statement"])
    ]
    story += kit.heading(s["heading"], "statement.heading")
    story += kit.paras(s["body"], "statement.body")
    story += kit.paras(s["organization"], "statement.organization")
    story.append(PageBreak())
    return story
