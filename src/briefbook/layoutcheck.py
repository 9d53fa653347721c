"""Turn a merged layout into the problems the schema cannot see: names it uses but does not
define, frames that do not fit the paper, parts that cannot be made, and template blocks
without a style (or styles without a block)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from briefbook.errors import LayoutError, Problem, did_you_mean, one_of
from briefbook.layout import MIN_FRAME, Layout, template_of

# Each page kind: the template its words come from, whether it repeats per record, and the
# styles it sets besides one per block of its template.
KIND_TEMPLATES = {
    "cover": "cover",
    "contents": "contents",
    "statement": "statement",
    "ask": "ask",
    "glance": "glance",
    "mayor": "mayor",
    "back": "back",
    "masthead": "masthead",
    "digest": "digest",
    "contact": "contact",
}
# Templates of words that are no page kind: the heading of --notes lines.
EXTRA_TEMPLATES = {"notes": "notes"}
RECORD_KINDS = {"mayor", "digest"}
PAGE_BREAKING = {"cover", "contents", "glance"}  # kinds that end pages of their own
EXTRA_STYLES = {
    "contents": ("contents.section", "contents.number"),
    "glance": ("glance.theme", "glance.chosen_theme"),
}
DRAWN_STYLES = {"footer": ("footer.left", "footer.right")}

# The schemas' words for a value that names something defined elsewhere in the layout.
COLOUR = "a palette name or a colour as #rrggbb"
NAMES = {
    "a font family named under fonts": "fonts",
    "a style named under styles": "styles",
    "a page template named under page_templates": "page_templates",
    "the name of another style": "styles",
}


def layout_problems(layout: Layout) -> list[Problem]:
    problems = list(_reference_problems(layout))
    problems += _paper_problems(layout)
    if problems:  # what follows leans on the names being right
        return problems
    problems += _style_problems(layout)
    problems += _page_problems(layout)
    problems += _frame_problems(layout)
    if not problems:
        problems += _block_problems(layout)
    return problems


def _paper_problems(layout: Layout) -> list[Problem]:
    papers = layout.spec["papers"]
    if layout.paper in papers:
        return []
    typed = layout.spec.get("paper")  # as written in layout.yaml; paper names ignore case
    shown = typed if isinstance(typed, str) and typed.lower() == layout.paper else layout.paper
    return [
        layout.at(
            ("paper",),
            f"no paper size '{shown}'; expected one of: "
            f"{', '.join(papers)} (or add it under papers)",
        )
    ]


def _reference_problems(layout: Layout) -> Iterator[Problem]:
    from briefbook.validate import schema

    palette = layout.spec["palette"]
    for key, value, expect in _walk(layout.spec, schema("layout"), ()):
        if expect == COLOUR and value not in palette and not _is_hex(value):
            yield layout.at(
                key,
                f"unknown colour '{value}'; expected a palette name "
                f"({', '.join(palette)}) or #rrggbb{did_you_mean(value, palette)}",
            )
        elif expect in NAMES:
            section = NAMES[expect]
            defined = layout.spec.get(section) or {}
            if value not in defined:
                what = {"fonts": "font family", "styles": "style"}.get(section, "page template")
                yield layout.at(
                    key,
                    f"unknown {what} '{value}'; {one_of(defined)}{did_you_mean(value, defined)}",
                )


def _walk(value: Any, sub: dict, key: tuple) -> Iterator[tuple[tuple, Any, str]]:
    """(key, value, x-expect) of every string in `value` whose schema says what it names."""
    if isinstance(value, str):
        expect = sub.get("x-expect", "")
        if expect == COLOUR or expect in NAMES:
            yield key, value, expect
    elif isinstance(value, dict):
        for name, item in value.items():
            child = sub.get("properties", {}).get(name) or sub.get("additionalProperties")
            if isinstance(child, dict):
                yield from _walk(item, child, (*key, name))
    elif isinstance(value, list):
        items = sub.get("items", {})
        for i, item in enumerate(value):
            yield from _walk(item, items if isinstance(items, dict) else {}, (*key, i))


def _is_hex(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 7
        and value.startswith("#")
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    )


def _style_problems(layout: Layout) -> Iterator[Problem]:
    styles = layout.spec["styles"]
    for name in styles:
        seen, current = [name], styles[name]
        while "based_on" in current:
            parent = current["based_on"]
            if parent in seen:
                yield layout.at(
                    ("styles", name, "based_on"),
                    "styles are based on each other in a circle: " + " -> ".join([*seen, parent]),
                )
                break
            seen.append(parent)
            current = styles[parent]
        else:
            full: dict[str, Any] = {}
            for style in reversed([styles[s] for s in seen]):
                full |= style
            for field in ("size", "leading"):
                if field not in full:
                    yield layout.at(
                        ("styles", name), f"no {field}; expected a number of points (or based_on)"
                    )


def _page_problems(layout: Layout) -> Iterator[Problem]:
    templates = layout.spec["page_templates"]
    for i, entry in enumerate(layout.spec["pages"]):
        kind, key = entry["kind"], ("pages", i)
        if kind in RECORD_KINDS and entry.get("each") != "mayor":
            yield layout.at(
                (*key, "kind"), f"a {kind} page is one mayor's; expected each: mayor with it"
            )
        if entry.get("each") and kind not in RECORD_KINDS:
            yield layout.at(
                (*key, "each"),
                f"a {kind} page is the book's, not one mayor's; expected a kind that repeats "
                f"({', '.join(sorted(RECORD_KINDS))}) or no each",
            )
        if kind in PAGE_BREAKING and entry.get("start", "new-page") != "new-page":
            yield layout.at(
                (*key, "start"),
                f"a {kind} page is a page of its own (it breaks pages inside); expected "
                "start: new-page, or no start",
            )
        if entry.get("side") == "right" and entry.get("start", "new-page") != "new-page":
            yield layout.at(
                (*key, "side"),
                "side: right opens the part on a new page, a right-hand one; expected "
                "start: new-page with it, or no side",
            )
        if entry.get("fit") and not entry.get("each"):
            yield layout.at((*key, "fit"), "fit: page fits each record; expected each: mayor")
        for side in ("head", "foot"):
            if entry.get(side) in RECORD_KINDS:
                yield layout.at(
                    (*key, side), f"{side} is set with every record; expected a kind of the book's"
                )
        template = template_of(entry)
        if template not in templates:
            yield layout.at(
                (*key, "template"),
                f"unknown page template '{template}'; {one_of(templates)}"
                f"{did_you_mean(template, templates)}",
            )
    for name, spec in templates.items():
        following = spec.get("next")
        if following is not None and following not in templates:
            yield layout.at(
                ("page_templates", name, "next"),
                f"unknown page template '{following}'; {one_of(templates)}",
            )
    for i, entry in enumerate(layout.spec["pages"]):
        frames = templates.get(template_of(entry), {}).get("frames", {})
        if entry["kind"] != "cover" or template_of(entry) not in templates:
            continue
        missing = [f for f in layout.spec["cover"]["blocks"] if f not in frames]
        if missing:
            yield layout.at(
                ("pages", i, "template") if "template" in entry else ("pages", i, "kind"),
                f"the cover's page template '{template_of(entry)}' has no frame "
                f"{', '.join(repr(m) for m in missing)} for cover.blocks; expected a template "
                f"with frames {', '.join(layout.spec['cover']['blocks'])}",
            )


def _frame_problems(layout: Layout) -> Iterator[Problem]:
    width, height = layout.page_size
    for name in layout.spec["page_templates"]:
        for frame, box in layout.frames(name).items():
            if box.width < MIN_FRAME or box.height < MIN_FRAME or box.x < 0 or box.y < 0:
                yield layout.at(
                    _frame_culprit(layout, ("page_templates", name, "frames", frame)),
                    f"on {layout.paper} paper ({width:g} × {height:g} points) this frame is "
                    f"{box.width:g} × {box.height:g} points at ({box.x:g}, {box.y:g}); expected "
                    f"at least {MIN_FRAME} × {MIN_FRAME} points inside the paper",
                )


def _frame_culprit(layout: Layout, key: tuple) -> tuple:
    """The frame, if the layout's own file set it; else the paper or the margins it changed
    (which made a default frame too small); else the frame."""
    own = layout.docs[-1]
    if len(layout.docs) == 1 or any(key[:n] in own.lines for n in range(len(key), 2, -1)):
        return key
    for changed in (("papers", layout.paper), ("margins",), ("paper",)):
        if changed in own.lines:
            return changed
    return key


def _block_problems(layout: Layout) -> list[Problem]:
    """A block with no style prints in no style; a style no block uses is a typo."""
    from briefbook.templates import Templates

    styles = layout.spec["styles"]
    templates = Templates(layout.templates, layout.folders[-1])
    wanted: dict[str, str] = {}  # style -> the template file that needs it
    try:
        for kind, name in {**KIND_TEMPLATES, **EXTRA_TEMPLATES}.items():
            template = templates.template(name)
            for block in templates.blocks_of(name):
                wanted[f"{name}.{block}"] = template.filename
            for style in EXTRA_STYLES.get(kind, ()):
                wanted[style] = template.filename
    except LayoutError as err:
        return err.problems
    for drawing, names in DRAWN_STYLES.items():
        for style in names:
            wanted.setdefault(style, f"draw: {drawing}")
    unused = [s for s in styles if s not in wanted]  # a typo of a missing style is one of these
    problems = [
        Problem(
            file,
            None,
            f"block '{style.split('.', 1)[1]}'",
            f"no style for this block; expected styles.{style} in layout.yaml"
            f"{did_you_mean(style, unused)}",
        )
        for style, file in wanted.items()
        if style not in styles
    ]
    problems += _named_blocks(layout, templates)
    own = layout.docs[-1] if len(layout.docs) > 1 else None
    for name in (own.value.get("styles") or {}) if own is not None else ():
        if name not in wanted:
            problems.append(
                layout.at(
                    ("styles", name),
                    f"no template block uses the style '{name}'; expected "
                    f"<template>.<block> of a block that exists{did_you_mean(name, wanted)}",
                )
            )
    return problems


def _named_blocks(layout: Layout, templates) -> list[Problem]:
    """The blocks layout.yaml names: each group's in outline.j2, the cover's in cover.j2 (and
    every cover block placed in some frame, so none is left off the page)."""
    problems = []
    outline = templates.blocks_of("outline")
    for i, entry in enumerate(layout.spec["pages"]):
        group = entry.get("group")
        if group is not None and group not in outline:
            problems.append(
                layout.at(
                    ("pages", i, "group"),
                    f"outline.j2 has no block '{group}'; {one_of(outline)}"
                    f"{did_you_mean(group, outline)}",
                )
            )
    if not any(e["kind"] == "cover" for e in layout.spec["pages"]):
        return problems
    cover = templates.blocks_of("cover")
    placed = layout.spec["cover"]["blocks"]
    for frame, blocks in placed.items():
        for j, block in enumerate(blocks):
            if block not in cover:
                problems.append(
                    layout.at(
                        ("cover", "blocks", frame, j),
                        f"cover.j2 has no block '{block}'; {one_of(cover)}"
                        f"{did_you_mean(block, cover)}",
                    )
                )
    listed = {b for blocks in placed.values() for b in blocks}
    for block in cover:
        if block not in listed:
            # Pointed at whichever wrote the block last: a template of the layout's own, or
            # the cover.blocks its layout.yaml changed.
            own = next(
                (f / "cover.j2" for f in layout.folders[:-1] if (f / "cover.j2").is_file()), None
            )
            message = (
                f"block '{block}' of cover.j2 is in no frame; expected it in a list under "
                "cover.blocks in layout.yaml"
            )
            problems.append(
                Problem(str(own), None, f"block '{block}'", message)
                if own is not None and block not in templates.blocks_of("default/cover")
                else layout.at(("cover", "blocks"), message)
            )
    return problems
