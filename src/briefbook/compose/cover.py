"""Turn the cover's words into the cover page: a colour field with a drawn motif, the title
block on it, and the edition's date, publisher and scope below."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, PageBreak, PageTemplate
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.frames import Frame as RLFrame

from briefbook.compose import Kit
from briefbook.flowables import Mark
from briefbook.render import BookText


def compose(text: BookText, kit: Kit) -> list[Flowable]:
    c = text.cover
    bar = kit.layout.section("cover")["bar"]
    story: list[Flowable] = [Mark("cover", text.outline["cover"], section="")]
    story += kit.paras(c["eyebrow"], "cover.eyebrow")
    story += kit.paras(c["title"], "cover.title")
    story += kit.paras(c["subtitle"], "cover.subtitle")
    if c["focus"]:
        story.append(
            HRFlowable(
                width=bar["width"],
                thickness=bar["height"],
                hAlign="LEFT",
                color=HexColor(kit.layout.color("accent")),
                spaceBefore=14,
                spaceAfter=8,
            )
        )
        story += kit.paras(c["focus"], "cover.focus")
    story.append(FrameBreak())
    story += kit.paras(c["date"], "cover.date")
    story += kit.paras(c["prepared"], "cover.prepared")
    story += kit.paras(c["scope"], "cover.scope")
    story.append(FrameBreak())
    story += kit.paras(c["credit"], "cover.credit")
    story += [NextPageTemplate("body"), PageBreak()]
    return story


def page_template(kit: Kit, image: Path | None) -> PageTemplate:
    """The cover's frames and the drawing under them."""
    width, height = kit.layout.page_size
    spec = kit.layout.section("cover")
    margin, field_h = spec["margin"], height * spec["field_height"]
    field_bottom = height - field_h
    lower_width = width - 2 * margin
    frames = [
        RLFrame(
            margin,
            field_bottom + 36,
            width - 2 * margin,
            field_h - 36 - margin * 1.6,
            id="field",
            showBoundary=0,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        ),
        RLFrame(
            margin,
            margin + 40,
            lower_width,
            field_bottom - margin - 40 - 36,
            id="lower",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        ),
        RLFrame(
            margin,
            margin - 20,
            width - 2 * margin,
            56,
            id="credit",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        ),
    ]
    colors = {k: HexColor(kit.layout.color(k)) for k in ("field", "motif", "accent")}

    def draw(canv, doc):
        canv.saveState()
        canv.setFillColor(colors["field"])
        canv.rect(0, field_bottom, width, field_h, stroke=0, fill=1)
        canv.saveState()
        clip = canv.beginPath()
        clip.rect(0, field_bottom, width, field_h)
        canv.clipPath(clip, stroke=0, fill=0)
        if image is None:
            _motif(canv, width, height, field_bottom, colors["motif"])
        else:
            _photo(canv, image, width, field_bottom, field_h, colors["field"])
        canv.restoreState()
        canv.setFillColor(colors["accent"])
        canv.rect(0, field_bottom - 6, width, 6, stroke=0, fill=1)
        canv.restoreState()

    return PageTemplate(id="cover", frames=frames, onPage=draw, pagesize=kit.layout.page_size)


def _photo(canv, image: Path, width: float, bottom: float, height: float, field) -> None:
    """The cover picture filling the field, under a veil of the field colour so the title
    stays readable on any picture."""
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(str(image))
    iw, ih = reader.getSize()
    scale = max(width / iw, height / ih)
    w, h = iw * scale, ih * scale
    canv.drawImage(reader, (width - w) / 2, bottom + (height - h) / 2, w, h, mask="auto")
    canv.setFillColor(field)
    canv.setFillAlpha(0.72)
    canv.rect(0, bottom, width, height, stroke=0, fill=1)
    canv.setFillAlpha(1)


def _motif(canv, width: float, height: float, bottom: float, color) -> None:
    """Concentric rings rising from the field's lower right corner, and a grid of dots."""
    canv.setStrokeColor(color)
    cx, cy = width * 0.92, bottom
    for i in range(1, 9):
        canv.setLineWidth(10 if i % 3 == 0 else 1.2)
        canv.circle(cx, cy, 38 * i, stroke=1, fill=0)
    canv.setFillColor(color)
    for row in range(6):
        for col in range(8):
            canv.circle(width * 0.56 + col * 14, height - 40 - row * 14, 1.6, stroke=0, fill=1)
