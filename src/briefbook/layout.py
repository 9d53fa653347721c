"""Turn a layout's merged settings into what composing asks of them: page sizes, frames,
colours, styles, font files, the characters the fonts draw, the templates' environment.
layoutfolder.py makes a Layout from a folder; this module is what a Layout is."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from briefbook.errors import LayoutError, Problem
from briefbook.files import Refused, regular_inside
from briefbook.fontfiles import MAX_FONT_BYTES, FontFileError
from briefbook.load import Document, field_name
from briefbook.text import Glyphs
from briefbook.views import Setting

FACES = ("regular", "bold", "italic", "bold_italic")
MIN_FRAME = 36  # points: a frame narrower or shorter than half an inch holds nothing useful


def resource_dir(name: str) -> Path:
    """Built-in `layouts` or `fonts`: inside an installed wheel, or at the top of a checkout."""
    packaged = Path(__file__).parent / "_resources" / name
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / name


def layout_names() -> list[str]:
    return sorted(
        p.name for p in resource_dir("layouts").iterdir() if (p / "layout.yaml").is_file()
    )


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in points from the paper's lower left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Layout:
    """The look of a book: its parts, page templates, palette, fonts, styles and templates.

    `folders` is the layout's folder and those it extends, the built-in default last: a
    template or font is looked for in that order.
    """

    name: str
    folders: tuple[Path, ...]
    spec: dict[str, Any]
    paper: str
    docs: tuple[Document, ...]  # the layout.yaml files, the default first
    grey: bool = False  # every colour as its grey (greyed()), the templates' own too

    @property
    def folder(self) -> Path:
        return self.folders[0]

    @property
    def page_size(self) -> tuple[float, float]:
        width, height = self.spec["papers"][self.paper]
        return float(width), float(height)

    def with_spec(self, spec: dict[str, Any], **changes: Any) -> Layout:
        """This layout with `spec` in place of its own, keeping what it has already read
        and compiled (fonts, templates) that the change leaves as it was."""
        new = replace(self, spec=spec, **changes)
        for name in ("templates", "fonts", "fallback_fonts", "glyphs"):
            if name in self.__dict__ and spec.get("fonts") == self.spec.get("fonts"):
                new.__dict__[name] = self.__dict__[name]
        return new

    def color(self, name: str) -> str:
        """A palette entry by name, or a literal '#rrggbb'."""
        return self.spec["palette"].get(name, name)

    def greyed(self) -> Layout:
        """This layout with every colour it sets, in the palette or written out anywhere
        else, as its grey (see `grey`): what a black-and-white printer makes of the book."""
        return self.with_spec(_greyed(self.spec), grey=True)

    def settings(self, name: str) -> dict[str, Any]:
        """One section of layout.yaml (cover, chips, glance, ...), merged with the default."""
        return self.spec[name]

    def style(self, name: str) -> dict[str, Any]:
        return self.spec["styles"][name]

    @cached_property
    def pages(self) -> tuple[Setting, ...]:
        return tuple(setting(entry) for entry in self.spec["pages"])

    def frames(self, template: str) -> dict[str, Box]:
        """The frames of page template `template` on this paper, by name, in order."""
        return {
            name: frame_box(spec, self.spec["margins"], self.page_size)
            for name, spec in self.spec["page_templates"][template]["frames"].items()
        }

    def main_frame(self, template: str) -> Box:
        return next(iter(self.frames(template).values()))

    @cached_property
    def fonts(self) -> dict[str, dict[str, Path]]:
        """Font family -> face -> file, every file checked to exist."""
        return {
            family: {face: self._font_file(faces[face], ("fonts", family, face)) for face in FACES}
            for family, faces in self.spec["fonts"].items()
        }

    @cached_property
    def fallback_fonts(self) -> list[Path]:
        return [
            self._font_file(f, ("fallback_fonts", i))
            for i, f in enumerate(self.spec.get("fallback_fonts") or [])
        ]

    def _font_file(self, name: str, key: tuple) -> Path:
        roots = (*self.folders, resource_dir("fonts"))
        for root in roots:
            candidate = root / name
            if Path(name).is_absolute() or ".." in Path(name).parts:
                break  # fonts come from the layout's folder or fonts/, by name
            if not (candidate.exists() or candidate.is_symlink()):
                continue
            try:
                path = regular_inside(root, candidate)
            except Refused as why:
                raise LayoutError([self.at(key, f"font file '{name}': {why}")]) from None
            if path.stat().st_size > MAX_FONT_BYTES:
                raise LayoutError(
                    [self.at(key, f"font file '{name}' is over {MAX_FONT_BYTES:,} bytes")]
                )
            return path
        where = " or ".join(str(r) for r in (self.folder, resource_dir("fonts")))
        if Path(name).is_absolute() or ".." in Path(name).parts:
            why = f"font file '{name}' is outside the layout's folder and fonts/"
        else:
            why = f"font file '{name}' not found"
        raise LayoutError([self.at(key, f"{why}; expected a .ttf file in {where}")])

    @cached_property
    def glyphs(self) -> Glyphs:
        """Characters every main face draws, and the fallback fonts for the rest. Every font
        file is checked first, so that a file that cannot be used is a problem at the key
        that names it, whether a book needs it or not."""
        from briefbook.fontfiles import checked, coverage, registered_name

        faces = [path for family in self.fonts.values() for path in family.values()]
        problems = []
        for path in dict.fromkeys([*faces, *self.fallback_fonts]):
            try:
                checked(path)
            except FontFileError as err:
                problems.append(self.font_problem(err))
        if problems:
            raise LayoutError(problems)
        main = frozenset.intersection(*(coverage(p) for p in faces))
        fallbacks = tuple(
            (registered_name(p), functools.partial(coverage, p)) for p in self.fallback_fonts
        )
        return Glyphs(main, fallbacks)

    def font_problem(self, err: FontFileError) -> Problem:
        """A font file that cannot be used, at the first key of layout.yaml that names it."""
        for key, name, path in self._named_fonts():
            if path == err.path:
                return self.at(
                    key,
                    f"font file '{name}' cannot be used: {err.reason}; expected a TrueType "
                    "font (.ttf) with TrueType outlines",
                )
        return Problem(str(err.path), None, "", f"cannot be used: {err.reason}")

    def _named_fonts(self) -> Iterator[tuple[tuple, str, Path]]:
        """(key, name as written, file) of each font file the layout names, in order."""
        for family, faces in self.fonts.items():
            for face, path in faces.items():
                yield ("fonts", family, face), self.spec["fonts"][family][face], path
        for i, path in enumerate(self.fallback_fonts):
            yield ("fallback_fonts", i), self.spec["fallback_fonts"][i], path

    @cached_property
    def templates(self):
        """The sandboxed Jinja environment over this layout's folders, its compiled
        templates kept in briefbook's cache (see briefbook.cache)."""
        from briefbook.cache import Cache
        from briefbook.templates import environment

        cache = Cache.from_environ(os.environ)
        return environment(self.folders, resource_dir("layouts") / "default", cache)

    def at(self, key: tuple, message: str) -> Problem:
        """A problem located at `key` in the layout.yaml that wrote it last."""
        doc = next((d for d in reversed(self.docs) if key in d.lines), None)
        if doc is None:  # a key no file wrote itself: point at its nearest written parent
            doc = next((d for d in reversed(self.docs) if _written(d, key)), self.docs[-1])
        return Problem(doc.file, doc.line(key), field_name(key), message)


_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def is_hex(value: Any) -> bool:
    """Is `value` a colour written as '#rrggbb'?"""
    return isinstance(value, str) and _HEX.fullmatch(value) is not None


def rgb(colour: str) -> tuple[int, int, int]:
    """The red, green and blue (0 to 255) of a '#rrggbb' colour."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luma(colour: str) -> float:
    """The Rec. 601 luma of a '#rrggbb' colour, 0 (black) to 255 (white): the weights
    Pillow's convert("L") uses, so a grey picture and a grey colour agree."""
    r, g, b = rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


def grey(colour: str) -> str:
    """The grey of a '#rrggbb' colour: its luma, rounded, as '#yyyyyy'."""
    y = round(luma(colour))
    return f"#{y:02x}{y:02x}{y:02x}"


def _greyed(value: Any) -> Any:
    """`value` (a layout's settings, or any part of them) with every '#rrggbb' as its grey.
    Every string is looked at, not a list of colour keys, so that a key added later is
    greyed too."""
    if isinstance(value, dict):
        return {k: _greyed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_greyed(v) for v in value)
    return grey(value) if is_hex(value) else value


def _written(doc: Document, key: tuple) -> bool:
    return any(key[:n] in doc.lines for n in range(len(key), 0, -1))


# The page template a kind starts on when its entry names none.
DEFAULT_TEMPLATES = {"cover": "cover", "mayor": "mayor"}


def template_of(entry: dict[str, Any]) -> str:
    return entry.get("template", DEFAULT_TEMPLATES.get(entry["kind"], "body"))


# The condition a kind is printed on when its entry names none: a contact page needs a contact.
DEFAULT_WHEN = {"back": "contact"}


def setting(entry: dict[str, Any]) -> Setting:
    """One entry of `pages:`, with every default filled in (bookmark: false is no bookmark)."""
    values = {**entry, "template": template_of(entry)}
    if "when" not in values and entry["kind"] in DEFAULT_WHEN:
        values["when"] = DEFAULT_WHEN[entry["kind"]]
    if values.get("bookmark") is False:
        del values["bookmark"]
    return Setting(**values)


_SHARE = re.compile(r"^(\d+(?:\.\d+)?)%(?: ([+-]) (\d+(?:\.\d+)?))?$")


def inset(value: float | str, length: float) -> float:
    """An inset in points: a number of points, or "P%" / "P% + N" of `length`."""
    if isinstance(value, int | float):
        return float(value)
    share, sign, points = _SHARE.match(value).groups()
    offset = float(points or 0) * (-1 if sign == "-" else 1)
    return length * float(share) / 100 + offset


def frame_box(spec: dict, margins: dict, page: tuple[float, float]) -> Box:
    width, height = page
    side = {
        s: inset(spec.get(s, margins[s]), width if s in ("left", "right") else height)
        for s in ("top", "bottom", "left", "right")
    }
    return Box(
        side["left"],
        side["bottom"],
        width - side["left"] - side["right"],
        height - side["top"] - side["bottom"],
    )
