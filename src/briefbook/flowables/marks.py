"""Turn the places where parts of the book begin into zero-size flowables that tell the
document so when they are drawn: anchors (bookmark, outline entry, page number) and changes
of the page state (running title, running head). Drawn, not merely reached, so they work
inside columns and boxes too. And the break to a right-hand page, decided where it falls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak
from reportlab.platypus.doctemplate import FrameActionFlowable

from briefbook.views import Paragraphs, Title


@dataclass(frozen=True)
class PageState:
    """What the page decorations need to know about the page being drawn."""

    running_title: str = ""  # the part of the book the page is in, for the footer
    running_head: Paragraphs = ()  # heads the pages a record continues on
    running_style: str = ""  # the paragraph style of the running head


class _Mark(Flowable):
    _ZEROSIZE = True

    def __init__(self):
        super().__init__()
        self.width = self.height = 0

    def wrap(self, avail_width, avail_height):
        return 0, 0


class Anchor(_Mark):
    """Zero-size: 'this is the page where `key` starts', with its bookmark (`level` None for
    none) in the words of `title`. The document records it when it is drawn."""

    def __init__(self, key: str, title: Title, level: int | None):
        super().__init__()
        self.key, self.title, self.level = key, title, level

    def draw(self):
        self.canv._doctemplate.reach(self)


class SetState(_Mark):
    """Zero-size: from here on, the pages are in a new part of the book."""

    def __init__(self, state: PageState):
        super().__init__()
        self.state = state

    def draw(self):
        self.canv._doctemplate.state = self.state


class EndOfBook(_Mark):
    """Zero-size, the last flowable: the document fills in what waited for the last page."""

    def draw(self):
        self.canv._doctemplate.finish()


class Later(_Mark):
    """A record's flowables, made only when the layout reaches them (BookDocument expands
    it in place): a book of thousands of mayors then never holds more than one mayor's
    flowables at a time."""

    def __init__(self, make: Callable[[], list[Flowable]]):
        super().__init__()
        self.make = make

    def draw(self):  # expanded before it is placed; reaching here would drop the record
        raise AssertionError("a Later reached the frame unexpanded")


class RightHandPage(FrameActionFlowable):
    """A page break to the next right-hand (odd) page, on page template `template`; when
    that is not the next page, the left-hand page between is left empty, on template
    `blank`. Decided as the layout reaches it, when the page it is on is known."""

    locChanger = 1

    def __init__(self, template: str, blank: str):
        Flowable.__init__(self)  # FrameActionFlowable's own refuses to be called
        self.template, self.blank = template, blank

    def frameAction(self, frame) -> None:
        after: list[Flowable] = [NextPageTemplate(self.template), PageBreak()]
        if self.canv._doctemplate.page % 2 == 1:  # the next page is a left-hand one
            after = [NextPageTemplate(self.blank), PageBreak(), *after]
        frame.add_generated_content(*after)
