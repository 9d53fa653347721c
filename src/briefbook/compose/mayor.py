"""Turn one mayor's words into their page: name block, theme chips, record, initiatives and
sources; text that does not fit continues under a "(continued)" heading."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    Flowable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from briefbook.compose import Kit, mayor_key
from briefbook.flowables import Chips, ChipStyle, Mark
from briefbook.model import Book, Selection
from briefbook.pictures import picture
from briefbook.render import BookText, MayorText


def compose(
    m: MayorText, text: BookText, book: Book, selection: Selection, kit: Kit, first: bool
) -> list[Flowable]:
    story: list[Flowable] = [NextPageTemplate("mayor"), PageBreak()]
    if first:
        story.append(Mark("mayors", text.outline["mayors"]))
    continued = kit.paras(m.blocks["continued"], "mayor.continued")
    story.append(
        Mark(
            mayor_key(m.mayor.id),
            m.outline,
            level=1,
            section=m.outline,
            mayor_heading=continued[0] if continued else None,
        )
    )
    story.append(NextPageTemplate("mayor-continued"))
    header = kit.paras(m.blocks["eyebrow"], "mayor.eyebrow")
    header += kit.paras(m.blocks["name"], "mayor.name")
    header += kit.paras(m.blocks["place"], "mayor.place")
    header += _chips(m, book, selection, kit)
    story += _with_photo(header, m, kit) if m.mayor.photo else header
    story += kit.paras(m.blocks["summary"], "mayor.summary")
    if m.initiatives:
        story += kit.paras(m.blocks["initiatives_heading"], "mayor.section")
        for initiative in m.initiatives:
            for block, paragraphs in initiative.items():  # name, themes, description
                story += kit.paras(paragraphs, f"mayor.{block}")
    if m.sources:
        story += kit.paras(m.blocks["sources_heading"], "mayor.section")
        for source in m.sources:
            story += kit.paras(source, "mayor.source")
    return story


def _chips(m: MayorText, book: Book, selection: Selection, kit: Kit) -> list[Flowable]:
    spec = kit.layout.section("chips")
    size = spec["size"]
    ink = kit.ink_for(spec["font"], size, bold=False)
    chosen_ink = kit.ink_for(spec["font"], size, bold=True)
    style = ChipStyle(
        ink=ink,
        chosen_ink=chosen_ink,
        padding_x=spec["padding_x"],
        height=spec["height"],
        gap=spec["gap"],
        radius=spec["radius"],
        fill=kit.layout.color(spec["fill"]),
        text=kit.layout.color(spec["text"]),
        chosen_fill=kit.layout.color(spec["chosen_fill"]),
        chosen_text=kit.layout.color(spec["chosen_text"]),
    )
    labels = [
        (t.label, t.id in selection.themes, f"c{i}{'x' if t.id in selection.themes else ''}")
        for i, t in enumerate(book.themes)
        if t.id in m.mayor.themes
    ]
    return [Chips(labels, style), Spacer(0, spec["space_after"])]


def _with_photo(header: list[Flowable], m: MayorText, kit: Kit) -> list[Flowable]:
    """The name block with the portrait beside it, scaled into the layout's photo box."""
    from reportlab.platypus import Image
    from reportlab.platypus.flowables import ImageAndFlowables

    box = kit.layout.section("photo")
    source, width, height = picture(m.mayor.photo)
    scale = min(box["width"] / width, box["height"] / height)
    image = Image(source, width * scale, height * scale)
    return [
        ImageAndFlowables(
            image,
            header,
            imageSide="right",
            imageLeftPadding=box["gap"],
            imageRightPadding=0,
            imageTopPadding=0,
            imageBottomPadding=8,
        )
    ]


def page_templates(kit: Kit) -> list[PageTemplate]:
    """A mayor's first page, and the pages their text continues on."""
    f, gap = kit.frame, kit.layout.section("footer")["continued_gap"]
    accent = HexColor(kit.layout.color("accent"))

    def first_page(canv, doc):
        canv.saveState()
        canv.setFillColor(accent)
        canv.rect(f.x, f.y + f.height + 18, 36, 4, stroke=0, fill=1)
        canv.restoreState()

    def continued_page(canv, doc):
        heading: Paragraph | None = doc.current_mark.mayor_heading if doc.current_mark else None
        if heading is not None:
            _, h = heading.wrap(f.width, 10 * gap)
            # A name too long for the space above the frame is drawn smaller, not over text.
            scale = min(1.0, (gap - 4) / h)
            canv.saveState()
            canv.translate(f.x, f.y + f.height - h * scale)
            canv.scale(scale, scale)
            heading.drawOn(canv, 0, 0)
            canv.restoreState()

    return [
        PageTemplate(
            id="mayor",
            frames=[kit.text_frame("mayor")],
            onPage=first_page,
            pagesize=kit.layout.page_size,
        ),
        PageTemplate(
            id="mayor-continued",
            frames=[kit.text_frame("mayor-continued", gap)],
            onPage=continued_page,
            pagesize=kit.layout.page_size,
        ),
    ]
