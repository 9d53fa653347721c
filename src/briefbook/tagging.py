"""Turn the drawing of a story into marked content and a record of the structure it makes:
each flowable that carries words or meaning is drawn inside BDC … EMC with a marked-content
id, under a structure element of its role (a heading, a paragraph, a figure with its
alternative text), and everything else on the page (footers, rules, the cover's motif, chip
backgrounds) is drawn as an Artifact. conformance.py writes the record into the PDF as its
structure tree.

ReportLab writes no structure of its own: a canvas subclass (given to the document as its
`canvasmaker`) emits the operators, and `drawn_tagged` makes every flowable's drawing pass
through it, for the length of one build.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfgen.canvas import Canvas

ARTIFACT = "/Artifact BMC"


@dataclass(eq=False, slots=True)  # a large book has tens of thousands
class Element:
    """One structure element: its role, its parent, and its kids in reading order, each
    another element, (page index, marked-content id) or ("link", page index, n): the n-th
    link annotation drawn on that page."""

    role: str
    parent: Element | None = None
    kids: list[Any] = field(default_factory=list)
    alt: str = ""  # Figure: what the picture shows
    actual: str = ""  # the words the content stands for, where it draws them as shapes
    # Attributes of an owner (O): {"O": "Table", "Scope": "Column"} for a column's header.
    attributes: dict[str, str] = field(default_factory=dict)
    label: Element | None = None  # an LBody's Lbl: the bullet or number drawn before it

    def add(self, role: str, actual: str = "", **attributes: str) -> Element:
        """A new last kid of this element."""
        kid = Element(role, self, actual=actual, attributes=attributes)
        self.kids.append(kid)
        return kid


@dataclass
class Structure:
    """The tree as the pages are drawn, and each page's links in the order they were made."""

    root: Element = field(default_factory=lambda: Element("Document"))
    links: dict[int, list[Element]] = field(default_factory=dict)
    # The list items open at each nesting level, while list items follow one another.
    _items: list[Element] = field(default_factory=list)

    def element(
        self,
        token,
        role: str,
        alt: str = "",
        actual: str = "",
        level: int | None = None,
        labelled: bool = False,
    ) -> Element:
        """The element of `token` (a flowable, or the paragraph its split parts are of),
        made the first time it is drawn. It is kept on the token, not here: a flowable
        drawn is let go, as platypus means it to be, with all it laid out.

        A list item at nesting `level` (role LI) is the body (LBody) of an item of a list:
        the list its predecessor at that level is in, or a new one, under the root or, when
        nested, under the item one level up; `labelled`, it has a Lbl (its bullet or
        number) before the body."""
        found = getattr(token, "_structure_element", None)
        if found is not None:
            return found
        if role != "LI" or level is None:
            self._items.clear()
            found = Element(role, self.root, alt=alt, actual=actual)
            self.root.kids.append(found)
        else:
            found = self._list_item(level, actual, labelled)
        token._structure_element = found
        return found

    def _list_item(self, level: int, actual: str, labelled: bool) -> Element:
        level = min(level, len(self._items))  # a deeper item with no parent item: one level in
        del self._items[level + 1 :]
        if level < len(self._items):
            the_list = self._items[level].parent
        else:
            parent = self._items[level - 1] if level else self.root
            the_list = parent.add("L")
        item = the_list.add("LI")
        label = item.add("Lbl") if labelled else None
        body = item.add("LBody", actual)
        body.label = label
        self._items[level:] = [item]
        return body


def settle_headings(root: Element) -> None:
    """Give the headings under `root` levels a reader can follow: the first level used is
    H1, and none is more than one deeper than the heading before it. A layout's styles say
    the levels; one that leaves out the cover, or a heading between two others, would
    otherwise give a book that starts at H2 or jumps from H2 to H4."""
    headings = []

    def visit(element: Element) -> None:
        if element.role[:1] == "H" and element.role[1:].isdigit():
            headings.append(element)
        for kid in element.kids:
            if isinstance(kid, Element):
                visit(kid)

    visit(root)
    if not headings:
        return
    shift = min(int(h.role[1:]) for h in headings) - 1
    before = 0
    for heading in headings:
        before = min(int(heading.role[1:]) - shift, before + 1)
        heading.role = f"H{before}"


def canvas_class(structure: Structure) -> type[Canvas]:
    """The canvas a document draws with to record into `structure`."""
    return type("TaggingCanvas", (TaggingCanvas,), {"structure": structure})


def _packed(page) -> None:
    """The page's drawing compressed now, as ReportLab would compress it when the PDF is
    written (the same bytes), rather than kept as text until the last page is done."""
    from reportlab import rl_config
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream

    if page.Contents or not page.compression or not page.stream or rl_config.useA85:
        return
    stream = PDFStream()
    stream.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
    stream.content = zlib.compress(page.stream.encode("utf8"))
    stream.__Comment__ = "page stream"
    page.Contents, page.stream = stream, None


class TaggingCanvas(Canvas):
    """Every page starts in an Artifact sequence; a tagged flowable closes it, draws in its
    own, and opens the next Artifact sequence. Marked-content ids count from 0 on each
    page."""

    structure: Structure

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._mcid = 0
        self._inside: Element | None = None
        self._body_after_label: Element | None = None  # a list item's, once its Lbl is drawn
        self._code.append(ARTIFACT)

    def can_tag(self) -> bool:
        """Not inside another element's content, nor inside a form being defined (a form's
        operators are drawn wherever it is used, inside that use's marked content)."""
        return self._inside is None and getattr(self, "_formData", None) is None

    def begin_tagged(self, element: Element) -> None:
        """End the Artifact sequence, or the element being drawn, and draw as `element`'s
        content."""
        page = self.getPageNumber() - 1
        self._code.append("EMC")
        self._code.append(f"/{element.role} <</MCID {self._mcid}>> BDC")
        element.kids.append((page, self._mcid))
        self._mcid += 1
        self._inside = element

    def end_tagged(self) -> None:
        self._code.append("EMC")
        self._code.append(ARTIFACT)
        self._inside = None

    def showPage(self):
        self._code.append("EMC")
        super().showPage()
        _packed(self._doc.Pages.pages[-1])
        self._mcid = 0
        self._code.append(ARTIFACT)

    def save(self):
        if self._code == [ARTIFACT]:  # nothing drawn since the last page ended
            self._code = []
        super().save()

    def getpdfdata(self):
        if self._code == [ARTIFACT]:
            self._code = []
        return super().getpdfdata()

    def _annotatePage(self, name):
        self._link()
        return super()._annotatePage(name)

    def _link(self) -> None:
        """The annotation about to be put on the page (every one of ours is a link) belongs
        to the element being drawn, or to the root."""
        page = self.getPageNumber() - 1
        owner = self._inside or self.structure.root
        links = self.structure.links.setdefault(page, [])
        owner.kids.append(("link", page, len(links)))
        links.append(owner)


def role_of(flowable, whole=None) -> tuple | None:
    """(role, alternative text, actual text[, list level, has a bullet]) of a flowable that
    carries meaning, or None for one whose drawing is page furniture. Our own flowables say
    (their `structure_role`); a paragraph's role comes from its style: H1 to H6 for a style
    with a `heading` level in layout.yaml, P for any other. Its words are its content: every
    line ends in a space while tagging (`drawn_tagged`), so none runs into the next."""
    own = getattr(flowable, "structure_role", None)
    if own is not None:
        return own()
    style = getattr(getattr(flowable, "style", None), "name", None)
    if style is None or not hasattr(flowable, "frags"):
        return None
    level = getattr(flowable.style, "heading", 0)
    if ".item" in style:  # "<style>.item<level>": an item of a list at that level
        whole = flowable if whole is None else whole
        return "LI", "", "", int(style.rsplit(".item", 1)[1]), bool(whole.bulletText)
    return (f"H{level}" if level else "P"), "", ""


def structure_of(canv) -> Structure | None:
    """The structure `canv` records into, when it tags and nothing else is being drawn as
    content: for a flowable that tags its own parts (`tags_own_parts`)."""
    if isinstance(canv, TaggingCanvas) and canv.can_tag():
        return canv.structure
    return None


@contextlib.contextmanager
def marked(canv, element: Element | None) -> Iterator[None]:
    """What the block draws on `canv` is content of `element`; with None, page furniture."""
    if element is None:
        yield
        return
    canv.begin_tagged(element)
    try:
        yield
    finally:
        canv.end_tagged()


@contextlib.contextmanager
def figure(canv, token, alt: str) -> Iterator[None]:
    """What the block draws on `canv` is a Figure described by `alt` (when the canvas tags,
    and there is a description: a picture without one is decoration, an artifact). For
    drawing that is no flowable's: the cover picture a page template draws."""
    if not (alt and isinstance(canv, TaggingCanvas) and canv.can_tag()):
        yield
        return
    canv.begin_tagged(canv.structure.element(token, "Figure", alt))
    try:
        yield
    finally:
        canv.end_tagged()


@contextlib.contextmanager
def drawn_tagged() -> Iterator[None]:
    """For the length of the block, every flowable drawn on a TaggingCanvas is drawn inside
    its element's marked content; split parts of one paragraph share one element. A list
    item's bullet or number is drawn as its Lbl, the rest as its LBody.

    Every line of text that moves to the next line (T*) ends in a space: ReportLab draws
    none where a line breaks, and what a screen reader or a copy took from the marked
    content would run the last word of one line into the first of the next. The space
    comes after the line's last glyph, so nothing on the page moves."""
    from reportlab.pdfgen.textobject import PDFTextObject
    from reportlab.platypus import Paragraph, paragraph
    from reportlab.platypus.flowables import Flowable

    draw, split, bullet = Flowable._drawOn, Paragraph.split, paragraph._drawBullet
    text_out = PDFTextObject._textOut

    def spaced_text_out(self, text, TStar=0):
        if TStar and not text.endswith(" "):
            text += " "
        return text_out(self, text, TStar)

    def tagged_draw(self, canv):
        tagging = isinstance(canv, TaggingCanvas) and canv.can_tag()
        token = getattr(self, "_structure_token", self)
        role = None
        if tagging and not getattr(self, "tags_own_parts", False):
            role = role_of(self, token)
        if role is None:
            return draw(self, canv)
        element = canv.structure.element(token, *role)
        label = element.label if getattr(self, "bulletText", None) else None
        canv.begin_tagged(label or element)
        canv._body_after_label = element if label else None
        try:
            draw(self, canv)
        finally:
            canv.end_tagged()

    def tagged_bullet(canvas, *args, **kwargs):
        offset = bullet(canvas, *args, **kwargs)
        body = getattr(canvas, "_body_after_label", None)
        if body is not None:
            canvas._body_after_label = None
            canvas.begin_tagged(body)
        return offset

    def shared_split(self, *args, **kwargs):
        parts = split(self, *args, **kwargs)
        token = getattr(self, "_structure_token", self)
        for part in parts:
            part._structure_token = token
        return parts

    Flowable._drawOn, Paragraph.split = tagged_draw, shared_split
    paragraph._drawBullet, PDFTextObject._textOut = tagged_bullet, spaced_text_out
    try:
        yield
    finally:
        Flowable._drawOn, Paragraph.split = draw, split
        paragraph._drawBullet, PDFTextObject._textOut = bullet, text_out
