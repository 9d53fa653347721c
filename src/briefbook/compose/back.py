"""Turn the book's contact into the back page: who to call or write after the meeting."""

from __future__ import annotations

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from briefbook.compose import Kit
from briefbook.flowables import Mark
from briefbook.render import BookText


def compose(text: BookText, kit: Kit) -> list[Flowable]:
    if not text.back:
        return []
    b = text.back
    story: list[Flowable] = [
        NextPageTemplate("body"),
        PageBreak(),
        Mark("back", text.outline["back"], section=text.outline["back"]),
    ]
    story += kit.heading(b["heading"], "back.heading")
    story += kit.paras(b["organization"], "back.organization")
    for block in ("name", "email", "phone", "website"):
        story += kit.paras(b[block], "back.line")
    return story
