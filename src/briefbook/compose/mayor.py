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
    frame = portrait(view, kit)
    story = beside(frame, header, kit) if frame is not None else header
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


def portrait(view: MayorView, kit: Kit) -> Flowable | None:
    """The portrait frame: the mayor's photo made for it, or their monogram; None when the
    layout leaves the frame out for a mayor without a photo."""
    from briefbook.flowables.portrait import Monogram, MonogramStyle, Portrait
    from briefbook.pictures import Frame

    box = kit.layout.settings("photo")
    width, height = box["width"] * kit.scale, box["height"] * kit.scale
    if view.photo is not None:
        frame = Frame(width, height, view.photo_focus, kit.layout.color("paper"))
        photo, pictures = view.photo, kit.pictures
        pictures.want(("portrait", view.id), photo, frame)
        return Portrait(width, height, lambda: pictures.place(photo, frame), view.photo_alt)
    if box["missing"] == "nothing":
        return None
    mono = box["monogram"]
    style = MonogramStyle(
        font=kit.font_of(mono["font"], mono["size"] * kit.scale, bold=True),
        fill=kit.hex(mono["fill"]),
        text=kit.hex(mono["color"]),
        band=kit.hex(mono["band"]["color"]),
        band_height=mono["band"]["height"] * kit.scale,
        baseline=mono["baseline"],
    )
    return Monogram(width, height, view.initials, style)


def beside(frame: Flowable, header: list[Flowable], kit: Kit) -> list[Flowable]:
    """The name block with the portrait frame beside it."""
    box = kit.layout.settings("photo")
    return [
        PhotoBeside(
            frame,
            header,
            box["space_below"],
            imageSide=box["side"],
            imageLeftPadding=box["gap"] if box["side"] == "right" else 0,
            imageRightPadding=box["gap"] if box["side"] == "left" else 0,
            imageTopPadding=0,
        )
    ]
