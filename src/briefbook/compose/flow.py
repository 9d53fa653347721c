"""Turn one rendered part into flowables, the same way whatever its kind: where each record
starts (a new page, right after what precedes it, or kept together, in one column or two),
its anchor and bookmark, its contents entry, the running title and head of its pages, what
is set above and below it, and, with `fit: page`, type set smaller until it fills exactly
one page. Printed on both sides, a part may open on a right-hand page; with --notes, each
mayor's text is followed by ruled lines for notes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, KeepTogether, NextPageTemplate, PageBreak

from briefbook.compose.kinds import BODY_STYLES, KINDS
from briefbook.compose.kit import Kit
from briefbook.errors import Problem
from briefbook.flowables import Gap, Stack, stacked_height
from briefbook.flowables.columns import Columns
from briefbook.flowables.marks import Anchor, Later, PageState, RightHandPage, SetState
from briefbook.flowables.notes import NotesLines, NotesStyle
from briefbook.printing import NOTED
from briefbook.views import ContentsEntry, MayorView, Part, Record, Setting

SLACK = 2  # points a fitted page keeps free, against rounding


@dataclass
class Flowed:
    story: list[Flowable] = field(default_factory=list)
    entries: list[ContentsEntry] = field(default_factory=list)  # what the contents list
    problems: list[Problem] = field(default_factory=list)


def compose_part(part: Part, kit: Kit, first: bool) -> Flowed:
    """`part`'s flowables; `first`: it opens the book, on the page already begun."""
    s, out = part.setting, Flowed()
    items: list[list[Flowable]] = []
    # A record per mayor, each on pages of its own, is made as the layout reaches it; one
    # fitted to a page is made now, since a record too long for its page is a problem to
    # say before anything is written.
    later = s.each is not None and s.start == "new-page" and s.fit != "page"
    for n, record in enumerate(part.records):
        if later:
            body: list[Flowable] = [Later(_made_for(record, part, kit))]
        else:
            body = _body(record, part, kit, out.problems)
        marks: list[Flowable] = []
        if n == 0 and part.group is not None:
            key = f"group-{s.group}"
            level = max(s.bookmark - 1, 0) if s.bookmark is not None else None
            marks.append(Anchor(key, part.group, level))
            out.entries.append(ContentsEntry(key, part.group, "group"))
        marks.append(Anchor(record.key, record.title, s.bookmark))
        if s.in_contents:
            style = "record" if s.each else "section"
            out.entries.append(ContentsEntry(record.key, record.title, style))
            out.entries += [
                ContentsEntry(f.key, f.title, "section") for f in body if isinstance(f, Anchor)
            ]
        if s.start == "new-page" and (s.bookmark is not None or s.in_contents):
            marks.append(SetState(_state(record, kit)))
        items.append(marks + body)
    if s.start == "new-page":
        for n, item in enumerate(items):
            if not (first and n == 0):
                out.story += _new_page(s, kit)
            out.story += item
    elif s.start == "keep-together" and s.columns == 2:
        out.story.append(Columns([Stack(item) for item in items], gap=_gap(kit)))
    elif s.start == "keep-together":
        out.story += [KeepTogether(item) for item in items]
    else:
        out.story += [f for item in items for f in item]
    return out


def _made_for(record: Record, part: Part, kit: Kit):
    def make() -> list[Flowable]:
        problems: list[Problem] = []
        body = _body(record, part, kit, problems)
        # Neither can happen off a fitted page, and both would come too late here.
        assert not problems and not any(isinstance(f, Anchor) for f in body), record.key
        return body

    return make


def _new_page(s: Setting, kit: Kit) -> list[Flowable]:
    from briefbook.compose.pagetemplates import BLANK

    if kit.printing.duplex and s.side == "right":
        return [RightHandPage(s.template, BLANK)]
    return [NextPageTemplate(s.template), PageBreak()]


def _notes(kit: Kit, height: float | None = None) -> NotesLines:
    spec = kit.layout.settings("notes")
    style = NotesStyle(
        spec["spacing"],
        spec["min_lines"],
        spec["space_before"],
        kit.layout.color(spec["rule"]["color"]),
        spec["rule"]["width"],
    )
    return NotesLines(kit.paras(kit.notes_heading, "notes.heading"), style, height)


def _noted(s: Setting, kit: Kit) -> bool:
    return kit.printing.notes and s.kind in NOTED


def _state(record: Record, kit: Kit) -> PageState:
    style = kit.layout.settings("running_head")["style"]
    return PageState(record.title.words, record.running_head, style)


def _gap(kit: Kit) -> float:
    return kit.layout.settings("glance")["legend"]["gap"]


def _body(record: Record, part: Part, kit: Kit, problems: list[Problem]) -> list[Flowable]:
    s = part.setting
    if s.fit != "page":
        flowables = _with_head_and_foot(record, part, kit)
        return [*flowables, _notes(kit)] if _noted(s, kit) else flowables
    box = kit.box(s.template)
    room = box.height - SLACK
    least = min(1.0, s.min_size / kit.styles[BODY_STYLES[s.kind]].fontSize)
    step, scale = kit.layout.settings("fit")["step"], 1.0
    while True:
        scaled = kit if scale == 1 else kit.scaled(scale, s.min_size)
        flowables = _with_head_and_foot(record, part, scaled, split=True)
        head, main, foot = flowables
        height = stacked_height([*head, *main, *foot], box.width)
        if height <= room:
            # Stacks draw what was measured, exactly: the foot lands at the page's foot.
            free = room - height
            noted = _noted(s, kit) and scale == 1 and _fits_notes(kit, free, box.width)
            between = [_notes(kit, free)] if noted else [Gap(free)] if foot else []
            return [Stack([*head, *main]), *between, *([Stack(foot)] if foot else [])]
        if scale <= least:
            problems.append(
                _too_long(record, s, height, stacked_height([*head, *foot], box.width), room)
            )
            return []
        scale = max(scale - step, least)


def _fits_notes(kit: Kit, free: float, width: float) -> bool:
    """At least the layout's least lines for notes, and the space above them, fit in `free`."""
    spec = kit.layout.settings("notes")
    heading = stacked_height(kit.paras(kit.notes_heading, "notes.heading"), width)
    return free >= 2 * spec["space_before"] + heading + spec["min_lines"] * spec["spacing"]


def _with_head_and_foot(record: Record, part: Part, kit: Kit, split: bool = False):
    s = part.setting
    head = _kind(part.head, s.head, s, kit) if part.head is not None else []
    foot = _kind(part.foot, s.foot, s, kit) if part.foot is not None else []
    main = KINDS[s.kind](record.view, s, kit)
    return (head, main, foot) if split else [*head, *main, *foot]


def _kind(view, kind: str, setting: Setting, kit: Kit) -> list[Flowable]:
    return KINDS[kind](view, Setting(kind=kind, template=setting.template), kit)


def _too_long(record: Record, s: Setting, height: float, fixed: float, room: float) -> Problem:
    """How far past its one page a record runs at the smallest size, in words that say what
    to do about it."""
    view = record.view
    text, space = height - fixed, max(room - fixed, 1.0)
    cut = min(95, max(5, round((1 - space / text) * 100 / 5) * 5))  # never "by 100%"
    pages = math.ceil(height / room * 10) / 10
    who = view.id if isinstance(view, MayorView) else record.key
    file = view.file if isinstance(view, MayorView) else ""
    parts = _long_parts(view) if isinstance(view, MayorView) else ["the text"]
    what = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    one = parts in (["the summary"], ["the text"])
    need, them = ("needs", "it") if one else ("need", "them")
    return Problem(
        file,
        None,
        "",
        f"{who}: {what} {need} {pages:.1f} pages at {s.min_size:g} pt; shorten {them} by "
        f"about {cut}%",
    )


def _long_parts(view: MayorView) -> list[str]:
    """The parts of a record that hold at least a fifth of its words (by characters), in
    the order they print: what to shorten."""
    sizes = {
        "the summary": sum(len(p) for p in view.blocks.get("summary", ())),
        "the initiatives": sum(len(p) for b in view.initiatives for ps in b.values() for p in ps),
        "the sources": sum(len(p) for ps in view.sources for p in ps),
    }
    total = sum(sizes.values()) or 1
    return [name for name, size in sizes.items() if size / total >= 0.2] or ["the summary"]
