"""Turn the rendered book into one platypus story and its page templates, part by part as the
layout's `pages:` list orders them.

Every page kind is a module with one signature, (its view, its settings, the kit) ->
flowables; kinds.py is their registry. How a part's records flow (a new page each, kept
together, in columns, fitted to one page), their bookmarks, their contents rows and the
running titles are the same for every kind, and live in flow.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.platypus import Flowable, PageTemplate

from briefbook.compose.kit import Kit
from briefbook.views import CoverView, RenderedBook


@dataclass(frozen=True)
class Composed:
    story: list[Flowable]
    templates: list[PageTemplate]


def compose_book(rendered: RenderedBook, kit: Kit) -> Composed:
    """The whole story, and the page templates it names."""
    from briefbook.compose.flow import compose_part
    from briefbook.compose.pagetemplates import page_templates
    from briefbook.errors import DataError
    from briefbook.flowables.marks import EndOfBook

    # The contents list what the other parts placed, so they are composed last.
    flowed = [
        None if part.setting.kind == "contents" else compose_part(part, kit, first=n == 0)
        for n, part in enumerate(rendered.parts)
    ]
    entries = tuple(e for f in flowed if f is not None for e in f.entries)
    problems = [p for f in flowed if f is not None for p in f.problems]
    if problems:
        raise DataError(problems)
    story: list[Flowable] = []
    for n, (part, done) in enumerate(zip(rendered.parts, flowed, strict=True)):
        if done is None:
            record = part.records[0]
            view = replace(record.view, entries=entries, key=record.key)
            listed = replace(record, view=view)
            done = compose_part(replace(part, records=(listed,)), kit, first=n == 0)
        story += done.story
    story.append(EndOfBook())
    cover = next(
        (r.view for p in rendered.parts for r in p.records if isinstance(r.view, CoverView)),
        None,
    )
    first = rendered.parts[0].setting.template
    templates = page_templates(kit, first, cover, rendered.footers, rendered.blank, rendered.stamp)
    return Composed(story, templates)
