"""Turn the rendered words of a book into one platypus story, page kind by page kind."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageTemplate, Paragraph
from reportlab.platypus.frames import Frame as RLFrame

from briefbook.flowables import Ink
from briefbook.fonts import FaceNames, face_name
from briefbook.layout import Layout
from briefbook.model import Book, Mayor, Selection
from briefbook.render import BookText, Paragraphs


@dataclass(frozen=True)
class Frame:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Kit:
    """What every page composer needs: the layout, its styles and the text frame."""

    layout: Layout
    styles: dict[str, ParagraphStyle]
    faces: FaceNames
    frame: Frame

    def paras(self, paragraphs: Paragraphs, style: str) -> list[Paragraph]:
        return [Paragraph(p, self.styles[style]) for p in paragraphs]

    def text_frame(self, frame_id: str, top_gap: float = 0) -> RLFrame:
        """A platypus frame over the text block, `top_gap` points lower at its top."""
        f = self.frame
        return RLFrame(
            f.x,
            f.y,
            f.width,
            f.height - top_gap,
            id=frame_id,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    def heading(self, paragraphs: Paragraphs, style: str) -> list[Flowable]:
        """A page heading and the short accent rule under it, as on every titled page."""
        from reportlab.lib.colors import HexColor
        from reportlab.platypus.flowables import HRFlowable

        bar = self.layout.section("heading_rule")
        rule = HRFlowable(
            width=bar["width"],
            thickness=bar["height"],
            hAlign="LEFT",
            color=HexColor(self.layout.color(bar["color"])),
            spaceBefore=bar["space_before"],
            spaceAfter=bar["space_after"],
        )
        return [*self.paras(paragraphs, style), rule]

    def ink(self, style: str) -> Ink:
        """The font and size of paragraph style `style`, for text drawn on the canvas."""
        spec = self.layout.spec["styles"][style]
        font = face_name(
            self.faces, spec.get("font", "sans"), spec.get("bold", False), spec.get("italic", False)
        )
        return Ink(font, spec["size"], self.layout.glyphs)

    def ink_for(self, family: str, size: float, bold: bool = False) -> Ink:
        return Ink(face_name(self.faces, family, bold), size, self.layout.glyphs)

    def color(self, style: str) -> str:
        return self.layout.color(self.layout.spec["styles"][style].get("color", "ink"))


def mayor_key(mayor_id: str) -> str:
    """The bookmark, link target and page-number key of a mayor's first page."""
    return f"mayor-{mayor_id}"


def body_frame(layout: Layout) -> Frame:
    """The text block of every page but the cover."""
    width, height = layout.page_size
    m = layout.spec["margins"]
    return Frame(
        m["left"], m["bottom"], width - m["left"] - m["right"], height - m["top"] - m["bottom"]
    )


def make_kit(layout: Layout, text: BookText) -> Kit:
    """Register the fonts `text` needs and build the layout's paragraph styles."""
    from briefbook.fonts import needed_faces, paragraph_styles, register

    faces = register(layout, needed_faces(layout, all_markup(text)))
    return Kit(layout, paragraph_styles(layout, faces), faces, body_frame(layout))


def all_markup(value) -> Iterator[str]:
    """Every string in the rendered book (paragraphs, labels), wherever it is nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_markup(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from all_markup(item)
    elif hasattr(value, "__dataclass_fields__") and not isinstance(value, Mayor):
        for name in value.__dataclass_fields__:
            yield from all_markup(getattr(value, name))


def page_templates(kit: Kit, book: Book) -> list[PageTemplate]:
    """Cover, body (contents, statement, at a glance) and mayor pages; no footers yet."""
    from briefbook.compose import cover, mayor

    body = PageTemplate(id="body", pagesize=kit.layout.page_size, frames=[kit.text_frame("body")])
    return [cover.page_template(kit, book.cover_image), body, *mayor.page_templates(kit)]


def compose_book(text: BookText, book: Book, selection: Selection, kit: Kit) -> list[Flowable]:
    """The whole story: cover, contents, statement, at a glance, one page per mayor."""
    from briefbook.compose import back, contents, cover, glance, mayor, statement

    story: list[Flowable] = []
    story += cover.compose(text, kit)
    story += contents.compose(text, kit)
    story += statement.compose(text, kit)
    story += glance.compose(text, book, selection, kit)
    for n, mayor_text in enumerate(text.mayors):
        story += mayor.compose(mayor_text, text, book, selection, kit, first=n == 0)
    story += back.compose(text, kit)
    story += [end_mark()]
    return story


def end_mark() -> Flowable:
    from briefbook.flowables import Mark

    return Mark("end")
