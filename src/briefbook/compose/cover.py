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
from briefbook.pictures import picture
from briefbook.render import BookText


def compose(text: BookText, kit: Kit) -> list[Flowable]:
    c = text.cover
    bar = kit.layout.section("cover")["bar"]
    field = kit.paras(c["eyebrow"], "cover.eyebrow")
    field += kit.paras(c["title"], "cover.title")
    field += kit.paras(c["subtitle"], "cover.subtitle")
    if c["focus"]:
        field.append(
            HRFlowable(
                width=bar["width"],
                thickness=bar["height"],
                hAlign="LEFT",
                color=HexColor(kit.layout.color("accent")),
                spaceBefore=14,
                spaceAfter=8,
            )
        )
        field += kit.paras(c["focus"], "cover.focus")
    lower = kit.paras(c["date"], "cover.date")
    lower += kit.paras(c["prepared"], "cover.prepared")
    lower += kit.paras(c["scope"], "cover.scope")
    frames = _frames(kit)
    # A title too long for its field is set smaller, never cut and never spilled onto
    # the white part of the page where white text would vanish.
    return [
        Mark("cover", text.outline["cover"], section=""),
        _fit(field, frames["field"]),
        FrameBreak(),
        _fit(lower, frames["lower"]),
        FrameBreak(),
        _fit(kit.paras(c["credit"], "cover.credit"), frames["credit"]),
        NextPageTemplate("body"),
        PageBreak(),
    ]


def _fit(flowables: list[Flowable], frame: tuple[float, float, float, float]) -> Flowable:
    from reportlab.platypus.flowables import KeepInFrame

    _, _, width, height = frame
    return KeepInFrame(width, height - 1, flowables, mode="shrink")


def _frames(kit: Kit) -> dict[str, tuple[float, float, float, float]]:
    """x, y, width, height of the title field, the block below it and the credit line."""
    width, height = kit.layout.page_size
    spec = kit.layout.section("cover")
    margin, field_h = spec["margin"], height * spec["field_height"]
    field_bottom = height - field_h
    return {
        "field": (margin, field_bottom + 36, width - 2 * margin, field_h - 36 - margin * 1.6),
        "lower": (margin, margin + 40, width - 2 * margin, field_bottom - margin - 40 - 36),
        "credit": (margin, margin - 20, width - 2 * margin, 56),
    }


def page_template(kit: Kit, image: Path | None) -> PageTemplate:
    """The cover's frames and the drawing under them."""
    width, height = kit.layout.page_size
    spec = kit.layout.section("cover")
    field_h = height * spec["field_height"]
    field_bottom = height - field_h
    frames = [
        RLFrame(*box, id=name, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        for name, box in _frames(kit).items()
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

    source, iw, ih = picture(image)
    reader = ImageReader(source)
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
