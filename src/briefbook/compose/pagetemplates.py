"""Turn the layout's page templates (frames and what is drawn around them, all data) into
ReportLab page templates. What a template draws is named in its `draw:` list; each drawing
reads its settings from the layout and what changes from page to page from the document's
page state.

Printed on both sides, a left-hand page is the mirror image of a right-hand one: its frames
and decorations stand where the right-hand page's would in a mirror, and its page number
is in its outer corner. With a bleed or crop marks, everything is drawn on a larger sheet,
the trimmed page `kit.printing.origin` points in from its corner; backgrounds that reach the
page's edges reach on into the bleed."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from reportlab.platypus import PageTemplate, Paragraph

from briefbook.compose.kit import Kit, frame
from briefbook.flowables import define_form
from briefbook.flowables.marks import PageState
from briefbook.layout import Box
from briefbook.render import PAGE
from briefbook.views import CoverView, FooterWords

TOTAL_FORM = "total"  # the book's page count, drawn in every footer, filled in at the end
TOTAL_ROOM = "0000"  # the footer keeps room for a total this wide
BLANK = "blank"  # the page template of a page left empty

Drawing = Callable  # (canvas, document, the page's main frame) -> None, in trim coordinates


class SidedTemplate(PageTemplate):
    """A page template whose left-hand pages, when the book is printed on both sides, use
    the mirror image of its frames (`verso`)."""

    def __init__(self, verso: list | None, **kwargs):
        super().__init__(**kwargs)
        self.recto, self.verso = self.frames, verso

    def beforeDrawPage(self, canv, doc) -> None:
        self.frames = self.verso if self.verso is not None and doc.page % 2 == 0 else self.recto


def page_templates(
    kit: Kit,
    first: str,
    cover: CoverView | None,
    footers: Mapping[str, FooterWords],
    blank: str = "",
    stamp: str = "",
) -> list[PageTemplate]:
    """Every page template of the layout, `first` (the first part's) first; printed on both
    sides, the template of a page left empty too, with the `blank` words (none: nothing)."""
    specs = kit.layout.spec["page_templates"]
    names = [first, *(n for n in specs if n != first)]
    drawings = {
        "cover_field": _cover_field(kit, cover),
        "tick": _tick(kit),
        "running_head": _running_head(kit),
        "footer": _footer(kit, footers),
    }
    last = [_stamp(kit, stamp)] if stamp else []
    templates = []
    for name in names:
        draw = specs[name].get("draw", [])
        under = [drawings[d] for d in draw if d != "footer"]
        over = ([drawings["footer"]] if "footer" in draw else []) + last
        frames = kit.layout.frames(name)
        templates.append(_template(kit, name, frames, under, over, specs[name].get("next")))
    if kit.printing.duplex:
        body = {"main": kit.box(names[-1])}
        templates.append(_template(kit, BLANK, body, [], [_blank(kit, blank)], None))
    return templates


def _template(kit: Kit, name: str, frames: dict, under: list, over: list, next_name):
    printing, trim = kit.printing, kit.page_size
    o = printing.origin

    def made(boxes: dict) -> list:
        return [frame(_moved(box, o), f"{name}.{f}") for f, box in boxes.items()]

    verso = {f: mirrored(box, trim[0]) for f, box in frames.items()}
    main = next(iter(frames.values()))

    def draw_all(drawings: list[Drawing], marks: bool) -> Callable:
        def draw(canv, doc) -> None:
            left_hand = printing.duplex and doc.page % 2 == 0
            box = mirrored(main, trim[0]) if left_hand else main
            for drawing in drawings:
                canv.saveState()
                canv.translate(o, o)
                drawing(canv, doc, box)
                canv.restoreState()
            if marks:
                printing.draw_crop_marks(canv, trim)

        return draw

    return SidedTemplate(
        made(verso) if printing.duplex else None,
        id=name,
        frames=made(frames),
        onPage=draw_all(under, False),
        onPageEnd=draw_all(over, True),
        pagesize=printing.sheet(trim),
        autoNextPageTemplate=next_name,
    )


def mirrored(box: Box, width: float) -> Box:
    """`box` as it stands on the facing page: reflected about the page's middle."""
    return Box(width - box.x - box.width, box.y, box.width, box.height)


def _moved(box: Box, by: float) -> Box:
    return Box(box.x + by, box.y + by, box.width, box.height)


def _stamp(kit: Kit, words: str) -> Drawing:
    """On the book's last page only: the edition's words, in the footer's font, at the
    layout's stamp.baseline, shortened with "…" to the width of the column."""
    font, color = kit.font("footer.left"), kit.hex(kit.color("footer.left"))
    base = kit.layout.settings("stamp")["baseline"]

    def draw(canv, doc, box: Box) -> None:
        if doc.total is None:  # not the last page: the end is not reached yet
            return
        canv.setFillColor(color)
        font.draw(canv, box.x, base, font.shortened(words, box.width))

    return draw


def _blank(kit: Kit, words: str) -> Drawing:
    """A page left empty: its words alone, centred where the footer would be, and shortened
    with "…" to the width of the column."""
    font, color = kit.font("footer.left"), kit.hex(kit.color("footer.left"))
    base = kit.layout.settings("footer")["baseline"]

    def draw(canv, doc, box: Box) -> None:
        if not words:
            return
        line = font.shortened(words, box.width)
        canv.setFillColor(color)
        font.draw(canv, (kit.page_size[0] - font.width(line)) / 2, base, line)

    return draw


def _cover_field(kit: Kit, view: CoverView | None) -> Drawing:
    """The colour field with the motif (or the cover picture under a veil), and the band;
    the field and the band run on into the bleed at the page's top and sides."""
    cover = kit.layout.settings("cover")
    width, height = kit.page_size
    field_h = height * cover["field"]["height"]
    bottom = height - field_h
    b = kit.printing.bleed
    field = (-b, bottom, width + 2 * b, field_h + b)  # the field with its bleed

    if view is not None and view.image is not None:
        kit.pictures.want(("cover",), view.image, _cover_frame(kit, view, cover, field))

    def draw(canv, doc, box: Box) -> None:
        canv.setFillColor(kit.hex(cover["field"]["color"]))
        canv.rect(*field, stroke=0, fill=1)
        canv.saveState()
        clip = canv.beginPath()
        clip.rect(*field)
        canv.clipPath(clip, stroke=0, fill=0)
        if view is None or view.image is None:
            _motif(canv, kit, cover["motif"], bottom, field_h)
        else:
            _photo(canv, kit, view, cover, field)
        canv.restoreState()
        band = cover["band"]
        canv.setFillColor(kit.hex(band["color"]))
        canv.rect(-b, bottom - band["height"], width + 2 * b, band["height"], stroke=0, fill=1)

    return draw


def _cover_frame(kit: Kit, view: CoverView, cover: dict, field: tuple):
    from briefbook.pictures import Frame

    under = kit.layout.color(cover["field"]["color"])
    return Frame(field[2], field[3], view.image_focus, under)


def _photo(canv, kit: Kit, view: CoverView, cover: dict, field: tuple) -> None:
    """The cover picture cropped to the field (its bleed included) and filling it, under a
    veil so the title stays readable."""
    from types import SimpleNamespace

    from briefbook.flowables.portrait import reader
    from briefbook.tagging import figure

    made = kit.pictures.place(view.image, _cover_frame(kit, view, cover, field))
    with figure(canv, SimpleNamespace(), view.image_alt):  # drawn once: a token of its own
        canv.drawImage(reader(made), *field)
    veil = cover["veil"]
    canv.setFillColor(kit.hex(veil["color"]))
    canv.setFillAlpha(veil["opacity"])
    canv.rect(*field, stroke=0, fill=1)


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


def _tick(kit: Kit) -> Drawing:
    tick = kit.layout.settings("tick")

    def draw(canv, doc, box: Box) -> None:
        canv.setFillColor(kit.hex(tick["color"]))
        canv.rect(box.x, box.top + tick["above"], tick["width"], tick["height"], stroke=0, fill=1)

    return draw


def _running_head(kit: Kit) -> Drawing:
    """The record's heading above the pages it continues on; taller than the room, smaller."""
    spec = kit.layout.settings("running_head")
    made: dict[PageState, Paragraph] = {}

    def draw(canv, doc, box: Box) -> None:
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


def _footer(kit: Kit, footers: Mapping[str, FooterWords]) -> Drawing:
    """The running footer: the left words with the page's number and the book's total, the
    running title on the right; on one line, the longer words shortened with "…". On a
    right-hand page of a book printed on both sides the two change places, so that the
    page number is in the outer corner."""
    spec = kit.layout.settings("footer")
    left_font, right_font = kit.font("footer.left"), kit.font("footer.right")
    left_color, right_color = kit.hex(kit.color("footer.left")), kit.hex(kit.color("footer.right"))
    rule = spec["rule"]

    def draw(canv, doc, box: Box) -> None:
        words = footers[doc.state.running_title]
        page = canv.getPageNumber()
        left, right = fitted(words, str(page), box.width, left_font, right_font, spec["gap"])
        base = spec["baseline"]
        canv.setStrokeColor(kit.hex(rule["color"]))
        canv.setLineWidth(rule["width"])
        canv.line(box.x, base + rule["above"], box.x + box.width, base + rule["above"])
        if kit.printing.duplex and page % 2 == 1:
            canv.setFillColor(right_color)
            right_font.draw(canv, box.x, base, right)
            _numbered_right(canv, doc, box.x + box.width, base, left, words.total)
            return
        canv.setFillColor(left_color)
        end = left_font.draw(canv, box.x, base, left)
        if words.total:
            canv.saveState()
            canv.translate(end, base)
            canv.doForm(TOTAL_FORM)
            canv.restoreState()
        canv.setFillColor(right_color)
        right_font.draw(canv, box.x + box.width - right_font.width(right), base, right)

    def _numbered_right(canv, doc, right_edge: float, base: float, words: str, total: bool):
        """The page's number words ending at `right_edge`. The book's total is known only
        at the end, so with a total they are a form of this page's own, filled in then."""
        canv.setFillColor(left_color)
        if not total:
            left_font.draw(canv, right_edge - left_font.width(words), base, words)
            return
        name = f"{TOTAL_FORM}-{canv.getPageNumber()}"
        canv.saveState()
        canv.translate(right_edge, base)
        canv.doForm(name)
        canv.restoreState()

        def fill(c, pages: int) -> None:
            text = f"{words}{pages}"
            width = left_font.width(text)

            def paint(form) -> None:
                form.setFillColor(left_color)
                left_font.draw(form, -width, 0, text)

            size = left_font.size
            define_form(c, name, (-width - 10, -size, 10, 2 * size), paint)

        doc.later(fill)

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
