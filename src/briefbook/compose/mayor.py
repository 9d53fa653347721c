"""Turn one mayor's view into their page: name block (with the portrait beside it), theme
chips, record, initiatives and sources. Text that does not fit continues on the pages the
page template's `next` names, under the running head."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from briefbook.compose.kit import Kit
from briefbook.flowables import PhotoBeside
from briefbook.flowables.chips import Chips, ChipStyle
from briefbook.views import MayorView, Setting

BODY_STYLE = "mayor.summary"  # the text `fit: page` sets no smaller than min_size


def compose(view: MayorView, setting: Setting, kit: Kit) -> list[Flowable]:
    b = view.blocks
    header = kit.paras(b["eyebrow"], "mayor.eyebrow")
    header += kit.paras(b["name"], "mayor.name")
    header += kit.paras(b["place"], "mayor.place")
    header += chips(view, kit)
    story = with_photo(header, view, kit) if view.photo else header
    story += kit.paras(b["summary"], "mayor.summary")
    if view.initiatives:
        story += kit.paras(b["initiatives_heading"], "mayor.initiatives_heading")
        for initiative in view.initiatives:
            for block, paragraphs in initiative.items():  # name, themes, description
                story += kit.paras(paragraphs, f"mayor.{block}")
    if view.sources:
        story += kit.paras(b["sources_heading"], "mayor.sources_heading")
        for source in view.sources:
            story += kit.paras(source, "mayor.source")
    return story


def chips(view: MayorView, kit: Kit) -> list[Flowable]:
    spec = kit.layout.settings("chips")
    style = ChipStyle(
        font=kit.font_of(spec["font"], spec["size"]),
        chosen_font=kit.font_of(spec["font"], spec["size"], bold=True),
        padding_x=spec["padding_x"],
        height=spec["height"],
        gap=spec["gap"],
        radius=spec["radius"],
        baseline=spec["baseline"],
        fill=kit.layout.color(spec["fill"]),
        text=kit.layout.color(spec["text"]),
        chosen_fill=kit.layout.color(spec["chosen_fill"]),
        chosen_text=kit.layout.color(spec["chosen_text"]),
    )
    return [Chips(view.chips, style), Spacer(0, spec["space_after"] * kit.scale)]


def with_photo(header: list[Flowable], view: MayorView, kit: Kit) -> list[Flowable]:
    """The name block with the portrait beside it, scaled into the layout's photo box."""
    from reportlab.platypus import Image

    from briefbook.pictures import picture

    box = kit.layout.settings("photo")
    source, width, height = picture(view.photo)
    scale = min(box["width"] / width, box["height"] / height) * kit.scale
    image = Image(source, width * scale, height * scale)
    return [
        PhotoBeside(
            image,
            header,
            box["space_below"],
            imageSide=box["side"],
            imageLeftPadding=box["gap"] if box["side"] == "right" else 0,
            imageRightPadding=box["gap"] if box["side"] == "left" else 0,
            imageTopPadding=0,
        )
    ]
