"""Turn the layout's page templates (frames and what is drawn around them, all data) into
ReportLab page templates. What a template draws is named in its `draw:` list; each drawing
reads its settings from the layout and what changes from page to page from the document's
page state."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from reportlab.platypus import PageTemplate, Paragraph

from briefbook.compose.kit import Kit, frame
from briefbook.flowables.marks import PageState
from briefbook.layout import Box
from briefbook.render import PAGE
from briefbook.views import CoverView, FooterWords

TOTAL_FORM = "total"  # the book's page count, drawn in every footer, filled in at the end
TOTAL_ROOM = "0000"  # the footer keeps room for a total this wide


def page_templates(
    kit: Kit, first: str, cover: CoverView | None, footers: Mapping[str, FooterWords]
) -> list[PageTemplate]:
    """Every page template of the layout, `first` (the first part's) first."""
    specs = kit.layout.spec["page_templates"]
    names = [first, *(n for n in specs if n != first)]
    drawings = {
        "cover_field": lambda box: _cover_field(kit, cover),
        "tick": lambda box: _tick(kit, box),
        "running_head": lambda box: _running_head(kit, box),
        "footer": lambda box: _footer(kit, box, footers),
    }
    templates = []
    for name in names:
        spec, box = specs[name], kit.box(name)
        under = [drawings[d](box) for d in spec.get("draw", []) if d != "footer"]
        over = [drawings["footer"](box)] if "footer" in spec.get("draw", []) else []
        templates.append(
            PageTemplate(
                id=name,
                frames=[frame(box, f"{name}.{f}") for f, box in kit.layout.frames(name).items()],
                onPage=_all(under),
                onPageEnd=_all(over),
                pagesize=kit.page_size,
                autoNextPageTemplate=spec.get("next"),
            )
        )
    return templates


def _all(drawings: list[Callable]) -> Callable:
    def draw(canv, doc) -> None:
        for drawing in drawings:
            canv.saveState()
            drawing(canv, doc)
            canv.restoreState()

    return draw


def _cover_field(kit: Kit, view: CoverView | None) -> Callable:
    """The colour field with the motif (or the cover picture under a veil), and the band."""
    cover = kit.layout.settings("cover")
    width, height = kit.page_size
    field_h = height * cover["field"]["height"]
    bottom = height - field_h

    if view is not None and view.image is not None:
        kit.pictures.want(("cover",), view.image, _cover_frame(kit, view, cover, field_h))

    def draw(canv, doc) -> None:
        canv.setFillColor(kit.hex(cover["field"]["color"]))
        canv.rect(0, bottom, width, field_h, stroke=0, fill=1)
        canv.saveState()
        clip = canv.beginPath()
        clip.rect(0, bottom, width, field_h)
        canv.clipPath(clip, stroke=0, fill=0)
        if view is None or view.image is None:
            _motif(canv, kit, cover["motif"], bottom, field_h)
        else:
            _photo(canv, kit, view, cover, bottom, field_h)
        canv.restoreState()
        band = cover["band"]
        canv.setFillColor(kit.hex(band["color"]))
        canv.rect(0, bottom - band["height"], width, band["height"], stroke=0, fill=1)

    return draw


def _cover_frame(kit: Kit, view: CoverView, cover: dict, field_h: float):
    from briefbook.pictures import Frame

    under = kit.layout.color(cover["field"]["color"])
    return Frame(kit.page_size[0], field_h, view.image_focus, under)


def _photo(canv, kit: Kit, view: CoverView, cover: dict, bottom: float, field_h: float) -> None:
    """The cover picture cropped to the field and filling it, under a veil so the title
    stays readable."""
    from briefbook.flowables.portrait import reader

    width = kit.page_size[0]
    made = kit.pictures.place(view.image, _cover_frame(kit, view, cover, field_h))
    canv.drawImage(reader(made), 0, bottom, width, field_h)
    veil = cover["veil"]
    canv.setFillColor(kit.hex(veil["color"]))
    canv.setFillAlpha(veil["opacity"])
    canv.rect(0, bottom, width, field_h, stroke=0, fill=1)


def _motif(canv, kit: Kit, motif: dict, bottom: float, field_h: float) -> None:
    """Concentric rings and a grid of dots, as the layout sets them."""
    width, height = kit.page_size
    color = kit.hex(motif["color"])
    rings, dots = motif["rings"], motif["dots"]
    canv.setStrokeColor(color)
    cx, cy = width * rings["x"], bottom + field_h * rings["y"]
    for i in range(1, rings["count"] + 1):
        bold = rings["bold_every"] and i % rings["bold_every"] == 0
        canv.setLineWidth(rings["bold_width"] if bold else rings["width"])
        canv.circle(cx, cy, rings["spacing"] * i, stroke=1, fill=0)
    canv.setFillColor(color)
    x0, y0 = width * dots["x"], height - dots["top"]
    for row in range(dots["rows"]):
        for col in range(dots["columns"]):
            canv.circle(
                x0 + col * dots["spacing"],
                y0 - row * dots["spacing"],
                dots["radius"],
                stroke=0,
                fill=1,
            )


def _tick(kit: Kit, box: Box) -> Callable:
    tick = kit.layout.settings("tick")

    def draw(canv, doc) -> None:
        canv.setFillColor(kit.hex(tick["color"]))
        canv.rect(box.x, box.top + tick["above"], tick["width"], tick["height"], stroke=0, fill=1)

    return draw


def _running_head(kit: Kit, box: Box) -> Callable:
    """The record's heading above the pages it continues on; taller than the room, smaller."""
    spec = kit.layout.settings("running_head")
    made: dict[PageState, Paragraph] = {}

    def draw(canv, doc) -> None:
        state: PageState = doc.state
        if not state.running_head:
            return
        if state not in made:
            made[state] = kit.paras(state.running_head[:1], state.running_style or spec["style"])[0]
        heading = made[state]
        _, h = heading.wrap(box.width, 10 * spec["room"])
        scale = min(1.0, spec["room"] / h)
        canv.translate(box.x, kit.page_size[1] - spec["top"] - h * scale)
        canv.scale(scale, scale)
        heading.drawOn(canv, 0, 0)

    return draw


def _footer(kit: Kit, box: Box, footers: Mapping[str, FooterWords]) -> Callable:
    """The running footer: the left words with the page's number and the book's total, the
    running title on the right; on one line, the longer words shortened with "…"."""
    spec = kit.layout.settings("footer")
    left_font, right_font = kit.font("footer.left"), kit.font("footer.right")
    left_color, right_color = kit.hex(kit.color("footer.left")), kit.hex(kit.color("footer.right"))
    rule = spec["rule"]

    def draw(canv, doc) -> None:
        words = footers[doc.state.running_title]
        left, right = fitted(
            words, str(canv.getPageNumber()), box.width, left_font, right_font, spec["gap"]
        )
        base = spec["baseline"]
        canv.setStrokeColor(kit.hex(rule["color"]))
        canv.setLineWidth(rule["width"])
        canv.line(box.x, base + rule["above"], box.x + box.width, base + rule["above"])
        canv.setFillColor(left_color)
        end = left_font.draw(canv, box.x, base, left)
        if words.total:
            canv.saveState()
            canv.translate(end, base)
            canv.doForm(TOTAL_FORM)
            canv.restoreState()
        canv.setFillColor(right_color)
        right_font.draw(canv, box.x + box.width - right_font.width(right), base, right)

    return draw


_TITLE_THEN_PAGE = re.compile(r"^(.*?\S)(\s+·\s+\S+\s*)$")


def fitted(words: FooterWords, page: str, width: float, left_font, right_font, gap: float):
    """The footer's left and right words, shortened with "…" until they fit on one line:
    the right (the running title) first, down to a third of the width, then the left, whose
    page number is never shortened."""
    left = words.left.replace(PAGE, page)
    total = left_font.width(TOTAL_ROOM) if words.total else 0
    room = width - gap - total
    left_width = left_font.width(left)
    right = right_font.shortened(words.right, max(room - left_width, room / 3))
    right_width = right_font.width(right) if right else 0
    if left_width + right_width <= room:
        return left, right
    keep = room - right_width
    before, _, after = words.left.partition(PAGE)
    found = _TITLE_THEN_PAGE.match(before)
    if PAGE in words.left and found:
        title, joint = found.groups()
        tail = f"{joint}{page}{after}"
        title = left_font.shortened(title, keep - left_font.width(tail))
        return f"{title}{tail}" if title else tail.lstrip(" ·"), right
    return left_font.shortened(left, keep), right
