"""Turn a layout's colours and type sizes into the warnings a reader with weak eyes, or a
black-and-white printer, would give: text that does not stand out from what it is printed
on (WCAG 2's contrast ratio, in colour and in grey), text too small to read, and a chosen
theme that looks, in grey, like the others.

WCAG asks 4.5:1 for text, 3:1 for large text (18 pt, or 14 pt bold). Grey is Rec. 601 luma,
what an office printer or a grey PDF conversion makes of a colour (briefbook.layout.grey).
"""

from __future__ import annotations

from collections.abc import Iterator

from briefbook.errors import Problem
from briefbook.layout import Layout, grey, luma, rgb

MIN_SIZE = 8.0  # points: nothing that carries information is set smaller
# Lumas (of 255) a chosen theme's colour differs from the others' by, at least: less, and a
# black-and-white printer makes the chosen column or chip look like the rest.
MIN_GREY_STEP = 15


def ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours, from 1 (none) to 21."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def needed(size: float, bold: bool) -> float:
    return 3.0 if size >= 18 or (size >= 14 and bold) else 4.5


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_pairs(layout: Layout) -> Iterator[tuple[tuple, str, str, float, bool]]:
    """(layout key, text colour, background, size, bold) of every text the layout sets."""
    for name, style in layout.spec["styles"].items():
        backgrounds = style.get("background", "paper")
        if isinstance(backgrounds, str):
            backgrounds = [backgrounds]
        for background in backgrounds:
            yield (
                ("styles", name, "color"),
                style.get("color", "ink"),
                background,
                style["size"],
                style.get("bold", False),
            )
    chips = layout.settings("chips")
    yield ("chips", "text"), chips["text"], chips["fill"], chips["size"], False
    yield ("chips", "chosen_text"), chips["chosen_text"], chips["chosen_fill"], chips["size"], True
    photo = layout.settings("photo")
    if photo["missing"] == "monogram":
        mono = photo["monogram"]
        yield ("photo", "monogram", "color"), mono["color"], mono["fill"], mono["size"], True


def contrast_problems(layout: Layout) -> list[Problem]:
    problems = []
    for key, text, background, size, bold in text_pairs(layout):
        fg, bg = layout.color(text), layout.color(background)
        least = needed(size, bold)
        seen = min(ratio(fg, bg), ratio(grey(fg), grey(bg)))
        if seen < least:
            problems.append(
                layout.at(
                    _culprit(layout, key, text, background),
                    f"{text} on {background} has a contrast of {seen:.1f}:1 (in colour or in "
                    f"grey); expected at least {least:g}:1 for {size:g} pt text, so that it "
                    "reads on paper and in black and white",
                )
            )
        if size < MIN_SIZE:
            problems.append(
                layout.at(
                    (*key[:-1], "size") if key[0] in ("styles", "photo") else (key[0], "size"),
                    f"text set at {size:g} pt; expected at least {MIN_SIZE:g} pt, the smallest "
                    "size that reads on paper",
                )
            )
    problems.extend(grey_step_problems(layout))
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))


def chosen_colours(layout: Layout) -> Iterator[tuple[tuple, str, str, list[tuple[str, str]]]]:
    """(layout key, chosen colour, what it colours, [(unchosen colour, what it colours),
    ...]) of every colour that marks the chosen theme out from the others. In the table a
    chosen column is drawn over the striped rows, so it must differ from the stripe and from
    the paper."""
    glance, chips = layout.settings("glance"), layout.settings("chips")
    rows = [("paper", "the plain rows'")]
    if layout.color(glance["stripe"]) != layout.color("paper"):
        rows.append((glance["stripe"], "the striped rows'"))
    yield ("glance", "chosen_column"), glance["chosen_column"], "the chosen column's", rows
    mark = [(glance["mark"], "the other marks'")]
    yield ("glance", "chosen_mark"), glance["chosen_mark"], "the chosen marks'", mark
    chip = [(chips["fill"], "the other chips'")]
    yield ("chips", "chosen_fill"), chips["chosen_fill"], "the chosen chips'", chip


def grey_step_problems(layout: Layout) -> Iterator[Problem]:
    """A chosen theme's colour that a black-and-white printer makes nearly the grey of the
    others', with the grey that would do."""
    for key, chosen, its, others in chosen_colours(layout):
        a = round(luma(layout.color(chosen)))
        setting = chosen if layout.color(chosen) != chosen else ".".join(key)  # what to change
        lumas = [round(luma(layout.color(other))) for other, _ in others]
        for (other, theirs), b in zip(others, lumas, strict=True):
            if abs(a - b) >= MIN_GREY_STEP:
                continue
            yield layout.at(
                _culprit(layout, key, chosen, other),
                f"{its} {_named(layout, chosen)} and {theirs} {_named(layout, other)} are "
                f"{a} and {b} of 255 in grey, {abs(a - b)} apart; expected at least "
                f"{MIN_GREY_STEP}, so that the chosen theme stands out in black and white; "
                f"{_remedy(setting, a, lumas)}",
            )


def _remedy(chosen: str, now: int, others: list[int]) -> str:
    """What would set the colour `chosen` names (luma `now`) apart from all of `others`: the
    nearer of darker than the darkest and lighter than the lightest, of those a grey can be."""
    darker, lighter = min(others) - MIN_GREY_STEP, max(others) + MIN_GREY_STEP
    darker_words = f"make {chosen} darker, {darker} or less in grey"
    lighter_words = f"make {chosen} lighter, {lighter} or more in grey"
    if lighter > 255:
        return darker_words
    if darker < 0:
        return lighter_words
    return darker_words if now - darker <= lighter - now else lighter_words


def _named(layout: Layout, name: str) -> str:
    """A palette name with its colour, or a colour written out."""
    colour = layout.color(name)
    return name if colour == name else f"{name} ({colour})"


def _culprit(layout: Layout, key: tuple, text: str, background: str) -> tuple:
    """Where to point: the palette colour the layout's own file changed, if it changed one
    of the two, else the setting that uses them."""
    own = layout.docs[-1]
    for name in (text, background):
        if len(layout.docs) > 1 and ("palette", name) in own.lines:
            return ("palette", name)
    return key
