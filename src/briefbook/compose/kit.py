"""Turn a layout and the fonts a book needs into the kit every page kind composes with:
paragraph styles, fonts at sizes, colours, frames, and paragraphs made from rendered words
(lists included)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.frames import Frame

from briefbook.errors import LayoutError
from briefbook.flowables import SizedFont
from briefbook.fonts import FaceNames, face_name
from briefbook.layout import Box, Layout
from briefbook.pictures import Placer
from briefbook.printing import Printing
from briefbook.text import list_item
from briefbook.views import Paragraphs, RenderedBook


@dataclass(frozen=True)
class Kit:
    """What every page kind composes with. `scale` below 1 sets text smaller (fit: page),
    never below `floor` points."""

    layout: Layout
    styles: dict[str, ParagraphStyle]
    faces: FaceNames
    pictures: Placer
    printing: Printing = field(default_factory=Printing)
    notes_heading: Paragraphs = ()  # heads the lines for notes (--notes)
    scale: float = 1.0
    floor: float = 0.0

    @property
    def glyphs(self):
        return self.layout.glyphs

    def scaled(self, scale: float, floor: float) -> Kit:
        """The kit with every style larger than `floor` set `scale` times as large (but not
        below `floor`), its leading and spaces in proportion."""
        styles = {name: _scaled(style, scale, floor) for name, style in self.styles.items()}
        return replace(self, styles=styles, scale=scale, floor=floor)

    # --- paragraphs ----------------------------------------------------------------------

    def paras(self, paragraphs: Paragraphs, style: str) -> list[Flowable]:
        """One flowable per paragraph, in the style `style`; list items (text.py) become
        items with a bullet or their number and a hanging indent."""
        base = self.styles[style]
        items = [list_item(p) for p in paragraphs]
        out: list[Flowable] = []
        for i, (markup, item) in enumerate(zip(paragraphs, items, strict=True)):
            if item is None:
                out.append(self._paragraph(markup, base, style))
                continue
            level, number, text = item
            last = i + 1 == len(items) or items[i + 1] is None
            out.append(self._item(text, level, number, base, style, last, items))
        return out

    def _item(self, text, level, number, base, style, last, items) -> Paragraph:
        lists = self.layout.settings("lists")
        marker = (
            ""
            if number == "+"
            else number or (lists["bullet"] if level == 0 else lists["nested_bullet"])
        )
        # The widest marker of the list sets the hang, so that its items' text aligns.
        markers = [m or lists["bullet"] for it in items if it and it[0] == level for m in [it[1]]]
        font = SizedFont(base.fontName, base.fontSize, self.glyphs)
        widest = max(font.width(m) for m in markers if m != "+") if markers else 0
        hang = max(lists["indent"] * self.scale, widest + lists["marker_gap"] * self.scale)
        indent = base.leftIndent + level * lists["indent"] * self.scale
        item_style = ParagraphStyle(
            f"{style}.item{level}",
            parent=base,
            leftIndent=indent + hang,
            firstLineIndent=0,
            bulletIndent=indent,
            bulletFontName=base.fontName,
            bulletFontSize=base.fontSize,
            spaceBefore=0,
            spaceAfter=base.spaceAfter if last else lists["item_space"] * self.scale,
        )
        return self._paragraph(text, item_style, style, bullet=marker or None)

    def _paragraph(
        self, markup: str, style: ParagraphStyle, name: str, bullet: str | None = None
    ) -> Paragraph:
        try:
            return Paragraph(markup, style, bulletText=bullet)
        except ValueError as err:  # the template's own markup: data is always escaped
            template, _, block = name.partition(".")
            raise LayoutError.at(
                self.template_file(template),
                f"the words are not paragraph markup ReportLab can read ({_first_line(err)}); "
                "expected balanced <b>, <i> and <font> tags",
                field=f"block '{block}'",
            ) from None

    def template_file(self, template: str) -> str:
        for folder in self.layout.folders:
            if (folder / f"{template}.j2").is_file():
                return str(folder / f"{template}.j2")
        return f"{template}.j2"

    def heading(self, paragraphs: Paragraphs, style: str) -> list[Flowable]:
        """Paragraphs in `style`, with the layout's short rule under them (or over them) if
        the layout draws one there."""
        bar = self.layout.settings("heading_rule")
        story = self.paras(paragraphs, style)
        if not story:
            return story
        if style in bar["over"]:
            story.insert(0, self._rule(bar))
        if style in bar["under"]:
            story.append(self._rule(bar))
        return story

    def _rule(self, bar: dict) -> Flowable:
        from reportlab.platypus.flowables import HRFlowable

        return HRFlowable(
            width=bar["width"],
            thickness=bar["height"],
            hAlign="LEFT",
            color=HexColor(self.layout.color(bar["color"])),
            spaceBefore=bar["space_before"] * self.scale,
            spaceAfter=bar["space_after"] * self.scale,
        )

    # --- fonts, colours, frames ----------------------------------------------------------

    def font(self, style: str) -> SizedFont:
        """The font and size of paragraph style `style`, for words drawn on the canvas."""
        s = self.styles[style]
        return SizedFont(s.fontName, s.fontSize, self.glyphs)

    def font_of(self, family: str, size: float, bold: bool = False) -> SizedFont:
        return SizedFont(face_name(self.faces, family, bold), size, self.glyphs)

    def color(self, style: str) -> str:
        return self.layout.color(self.layout.style(style).get("color", "ink"))

    def hex(self, name: str):
        return HexColor(self.layout.color(name))

    def box(self, template: str) -> Box:
        """The first frame of page template `template`: where a kind's text goes."""
        return self.layout.main_frame(template)

    @cached_property
    def page_size(self) -> tuple[float, float]:
        return self.layout.page_size


def frame(box: Box, frame_id: str) -> Frame:
    return Frame(
        box.x,
        box.y,
        box.width,
        box.height,
        id=frame_id,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )


def _scaled(style: ParagraphStyle, scale: float, floor: float) -> ParagraphStyle:
    if scale == 1 or style.fontSize <= floor:
        return style
    size = max(style.fontSize * scale, floor)
    ratio = size / style.fontSize
    return ParagraphStyle(
        style.name,
        parent=style,
        fontSize=size,
        leading=style.leading * ratio,
        spaceBefore=style.spaceBefore * ratio,
        spaceAfter=style.spaceAfter * ratio,
    )


def _first_line(err: Exception) -> str:
    """ReportLab's parse error without the paragraph it quotes: 'saw </para> instead of …'."""
    text = str(err).strip()
    if "Parse error: " in text:
        text = text.split("Parse error: ", 1)[1]
    return text.splitlines()[0] if text else type(err).__name__


def make_kit(
    layout: Layout, rendered: RenderedBook, pictures: Placer, printing: Printing | None = None
) -> Kit:
    """Register the fonts `rendered` needs and build the layout's paragraph styles; the
    pictures are made by `pictures`, at the build's resolution; the pages are printed as
    `printing` says."""
    from briefbook.fonts import needed_faces, paragraph_styles, register

    faces = register(layout, needed_faces(layout, rendered.emphasis), rendered.fallbacks)
    return Kit(
        layout,
        paragraph_styles(layout, faces),
        faces,
        pictures,
        printing or Printing(),
        rendered.notes_heading,
    )
