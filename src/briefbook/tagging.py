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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfgen.canvas import Canvas

ARTIFACT = "/Artifact BMC"

# Paragraph styles by role: the headings of a book in their hierarchy. Every other style
# is a paragraph (P). The read-ahead's and the leave-behind's masthead title is their H1,
# as the cover's title is the book's.
HEADINGS = {
    "cover.title": "H1",
    "masthead.title": "H1",
    "contents.heading": "H2",
    "statement.heading": "H2",
    "ask.heading": "H2",
    "glance.heading": "H2",
    "glance.legend_title": "H2",
    "back.heading": "H2",
    "mayor.name": "H2",
    "digest.name": "H2",
    "mayor.initiatives_heading": "H3",
    "mayor.sources_heading": "H3",
    "glance.legend_heading": "H3",
    "ask.points_heading": "H3",
    "ask.attendees_heading": "H3",
    "contact.heading": "H3",
    "notes.heading": "H3",
    "mayor.initiative_name": "H4",
}


@dataclass(eq=False)
class Element:
    """One structure element: its role, its parent, and its kids in reading order, each
    another element, (page index, marked-content id) or ("link", page index, n): the n-th
    link annotation drawn on that page."""

    role: str
    parent: Element | None = None
    kids: list[Any] = field(default_factory=list)
    alt: str = ""  # Figure: what the picture shows
    actual: str = ""  # the words the content stands for, where it draws them as shapes


@dataclass
class Structure:
    """The tree as the pages are drawn, and each page's links in the order they were made."""

    root: Element = field(default_factory=lambda: Element("Document"))
    links: dict[int, list[Element]] = field(default_factory=dict)
    # The list items open at each nesting level, while list items follow one another.
    _items: list[Element] = field(default_factory=list)

    def element(
        self, token, role: str, alt: str = "", actual: str = "", level: int | None = None
    ) -> Element:
        """The element of `token` (a flowable, or the paragraph its split parts are of),
        made the first time it is drawn. It is kept on the token, not here: a flowable
        drawn is let go, as platypus means it to be, with all it laid out.

        A list item at nesting `level` (role LI) is the body (LBody) of an item of a list:
        the list its predecessor at that level is in, or a new one, under the root or, when
        nested, under the item one level up."""
        found = getattr(token, "_structure_element", None)
        if found is not None:
            return found
        if role != "LI" or level is None:
            self._items.clear()
            found = Element(role, self.root, alt=alt, actual=actual)
            self.root.kids.append(found)
        else:
            found = self._list_item(level, actual)
        token._structure_element = found
        return found

    def _list_item(self, level: int, actual: str) -> Element:
        level = min(level, len(self._items))  # a deeper item with no parent item: one level in
        del self._items[level + 1 :]
        if level < len(self._items):
            the_list = self._items[level].parent
        else:
            parent = self._items[level - 1] if level else self.root
            the_list = Element("L", parent)
            parent.kids.append(the_list)
        item = Element("LI", the_list)
        the_list.kids.append(item)
        body = Element("LBody", item, actual=actual)
        item.kids.append(body)
        self._items[level:] = [item]
        return body


def canvas_class(structure: Structure) -> type[Canvas]:
    """The canvas a document draws with to record into `structure`."""
    return type("TaggingCanvas", (TaggingCanvas,), {"structure": structure})


class TaggingCanvas(Canvas):
    """Every page starts in an Artifact sequence; a tagged flowable closes it, draws in its
    own, and opens the next Artifact sequence. Marked-content ids count from 0 on each
    page."""

    structure: Structure

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._mcid = 0
        self._inside: Element | None = None
        self._code.append(ARTIFACT)

    def can_tag(self) -> bool:
        """Not inside another element's content, nor inside a form being defined (a form's
        operators are drawn wherever it is used, inside that use's marked content)."""
        return self._inside is None and getattr(self, "_formData", None) is None

    def begin_tagged(self, element: Element) -> None:
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
    """(role, alternative text, actual text[, list level]) of a flowable that carries
    meaning, or None for one whose drawing is page furniture. Our own flowables say (their
    `structure_role`);
    a paragraph's role comes from its style. `whole` is the paragraph a split part is of.

    A paragraph of several lines gets its words as actual text: ReportLab draws no space
    where a line breaks, so what a screen reader or a copy took from the marked content
    would run the last word of one line into the first of the next."""
    own = getattr(flowable, "structure_role", None)
    if own is not None:
        return own()
    style = getattr(getattr(flowable, "style", None), "name", None)
    if style is None or not hasattr(flowable, "frags"):
        return None
    base = style.split(".item")[0]  # a list item's style is its paragraph's, numbered
    whole = flowable if whole is None else whole
    lines = getattr(getattr(flowable, "blPara", None), "lines", ())
    actual = ""
    if whole is not flowable or len(lines) > 1:
        actual = " ".join(whole.getPlainText().split())
    if base != style:  # "<style>.item<level>": an item of a list at that level
        words = " ".join(whole.getPlainText().split())  # its words, not its bullet
        return "LI", "", words, int(style.rsplit(".item", 1)[1])
    return HEADINGS.get(base, "P"), "", actual


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
    its element's marked content; split parts of one paragraph share one element."""
    from reportlab.platypus import Paragraph
    from reportlab.platypus.flowables import Flowable

    draw, split = Flowable._drawOn, Paragraph.split

    def tagged_draw(self, canv):
        tagging = isinstance(canv, TaggingCanvas) and canv.can_tag()
        token = getattr(self, "_structure_token", self)
        role = role_of(self, token) if tagging else None
        if role is None:
            return draw(self, canv)
        canv.begin_tagged(canv.structure.element(token, *role))
        try:
            draw(self, canv)
        finally:
            canv.end_tagged()

    def shared_split(self, *args, **kwargs):
        parts = split(self, *args, **kwargs)
        token = getattr(self, "_structure_token", self)
        for part in parts:
            part._structure_token = token
        return parts

    Flowable._drawOn, Paragraph.split = tagged_draw, shared_split
    try:
        yield
    finally:
        Flowable._drawOn, Paragraph.split = draw, split
