"""Turn a layout's colours and type sizes into the warnings a reader with weak eyes, or a
black-and-white printer, would give: text that does not stand out from what it is printed
on (WCAG 2's contrast ratio, in colour and in grey), and text too small to read.

WCAG asks 4.5:1 for text, 3:1 for large text (18 pt, or 14 pt bold). Grey is Rec. 601 luma,
what an office printer or a grey PDF conversion makes of a colour.
"""

from __future__ import annotations

from collections.abc import Iterator

from briefbook.errors import Problem
from briefbook.layout import Layout

MIN_SIZE = 8.0  # points: nothing that carries information is set smaller


def ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours, from 1 (none) to 21."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def grey(colour: str) -> str:
    """The Rec. 601 luma of `colour`, as a grey '#rrggbb'."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    y = round(0.299 * r + 0.587 * g + 0.114 * b)
    return f"#{y:02x}{y:02x}{y:02x}"


def needed(size: float, bold: bool) -> float:
    return 3.0 if size >= 18 or (size >= 14 and bold) else 4.5


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
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
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))


def _culprit(layout: Layout, key: tuple, text: str, background: str) -> tuple:
    """Where to point: the palette colour the layout's own file changed, if it changed one
    of the two, else the setting that uses them."""
    own = layout.docs[-1]
    for name in (text, background):
        if len(layout.docs) > 1 and ("palette", name) in own.lines:
            return ("palette", name)
    return key
