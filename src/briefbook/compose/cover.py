"""Turn the cover's words into the cover: each block into the frame of the cover's page
template that the layout puts it in, a title too long for its frame set smaller, never cut;
the colour field and the motif are the page template's drawing."""

from __future__ import annotations

from reportlab.platypus import Flowable, FrameBreak
from reportlab.platypus.flowables import HRFlowable, KeepInFrame

from briefbook.compose.kit import Kit
from briefbook.views import CoverView, Setting


def compose(view: CoverView, setting: Setting, kit: Kit) -> list[Flowable]:
    cover = kit.layout.settings("cover")
    frames = kit.layout.frames(setting.template)
    story: list[Flowable] = []
    for n, (frame, box) in enumerate(frames.items()):
        if n:
            story.append(FrameBreak())
        content: list[Flowable] = []
        for block in cover["blocks"].get(frame, ()):
            if block == "focus" and view.blocks[block]:
                content.append(_focus_bar(kit, cover["focus_bar"]))
            content += kit.paras(view.blocks[block], f"cover.{block}")
        # Shrunk, not spilled: white words that ran off the field would vanish on paper.
        story.append(KeepInFrame(box.width, box.height - 1, content, mode="shrink"))
    return story


def _focus_bar(kit: Kit, bar: dict) -> Flowable:
    return HRFlowable(
        width=bar["width"],
        thickness=bar["height"],
        hAlign="LEFT",
        color=kit.hex(bar["color"]),
        spaceBefore=bar["space_before"],
        spaceAfter=bar["space_after"],
    )
