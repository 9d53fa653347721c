"""Turn a layout folder (layout.yaml, Jinja templates, fonts) into a Layout to compose with."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from briefbook.errors import LayoutError, Problem
from briefbook.load import Document, load_file
from briefbook.text import Glyphs

FACES = ("regular", "bold", "italic", "bold_italic")
ALIGN = {"left": 0, "center": 1, "right": 2, "justify": 4}
STYLE_KEYS = {
    "font",
    "bold",
    "italic",
    "size",
    "leading",
    "color",
    "align",
    "space_before",
    "space_after",
    "left_indent",
    "first_line_indent",
    "keep_with_next",
}


def resource_dir(name: str) -> Path:
    """Built-in `layouts` or `fonts`: inside an installed wheel, or at the top of a checkout."""
    packaged = Path(__file__).parent / "_resources" / name
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / name


def layout_names() -> list[str]:
    return sorted(
        p.name for p in resource_dir("layouts").iterdir() if (p / "layout.yaml").is_file()
    )


@dataclass(frozen=True)
class Layout:
    """The look of a book: geometry, palette, fonts, paragraph styles and templates."""

    name: str
    folder: Path
    spec: dict[str, Any]
    paper: str

    @property
    def page_size(self) -> tuple[float, float]:
        width, height = self.spec["papers"][self.paper]
        return float(width), float(height)

    def color(self, name: str) -> str:
        """A palette entry by name, or a literal '#rrggbb'."""
        return self.spec["palette"].get(name, name)

    def section(self, name: str) -> dict[str, Any]:
        return self.spec[name]

    @cached_property
    def fonts(self) -> dict[str, dict[str, Path]]:
        """Font family -> face -> file, every file checked to exist."""
        out: dict[str, dict[str, Path]] = {}
        for family, faces in self.spec["fonts"].items():
            out[family] = {
                face: self._font_file(faces[face], f"fonts.{family}.{face}") for face in FACES
            }
        return out

    @cached_property
    def fallback_fonts(self) -> list[Path]:
        return [
            self._font_file(f, f"fallback_fonts[{i}]")
            for i, f in enumerate(self.spec.get("fallback_fonts") or [])
        ]

    def _font_file(self, name: str, field: str) -> Path:
        for folder in (self.folder, resource_dir("fonts")):
            if (folder / name).is_file():
                return folder / name
        raise LayoutError(
            f"{self.folder / 'layout.yaml'}: {field}: font file '{name}' not "
            f"found; expected it in {self.folder} or {resource_dir('fonts')}"
        )

    @cached_property
    def glyphs(self) -> Glyphs:
        """Characters every main face draws, and the fallback fonts for the rest."""
        from briefbook.fonts import coverage, registered_name

        faces = [path for family in self.fonts.values() for path in family.values()]
        main = frozenset.intersection(*(coverage(p) for p in faces))
        fallbacks = tuple(
            (registered_name(p), functools.partial(coverage, p)) for p in self.fallback_fonts
        )
        return Glyphs(main, fallbacks)

    @cached_property
    def templates(self):
        """A sandboxed Jinja environment over this layout, falling back to the default one.

        "default/mayor.j2" always names the built-in template, so a layout's mayor.j2 can
        extend it and override only some blocks.
        """
        from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
        from jinja2.sandbox import SandboxedEnvironment

        default = FileSystemLoader(str(resource_dir("layouts") / "default"))
        loader = ChoiceLoader(
            [FileSystemLoader(str(self.folder)), default, PrefixLoader({"default": default})]
        )
        return SandboxedEnvironment(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=lambda name: name.rsplit("/", 1)[-1] not in ("outline.j2", "footer.j2"),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,  # templates do not change during a build; skip the stat calls
        )


def load_layout(name_or_path: str, paper: str | None = None) -> Layout:
    """The layout called `name_or_path` (a built-in name or a folder), on `paper`."""
    folder = _find(name_or_path)
    default = resource_dir("layouts") / "default"
    spec = _read(default / "layout.yaml")
    if folder.resolve() != default.resolve():
        spec = _merge(spec, _read(folder / "layout.yaml"))
    paper = (paper or spec.get("paper", "letter")).lower()
    if paper not in spec.get("papers", {}):
        raise LayoutError(
            f"{folder / 'layout.yaml'}: papers: no paper size '{paper}'; "
            f"expected one of: {', '.join(spec.get('papers', {}))}"
        )
    layout = Layout(folder.name, folder, spec, paper)
    _check(layout)
    return layout


def _find(name_or_path: str) -> Path:
    as_path = Path(name_or_path)
    if (as_path / "layout.yaml").is_file():
        return as_path
    builtin = resource_dir("layouts") / name_or_path
    if (builtin / "layout.yaml").is_file():
        return builtin
    raise LayoutError(
        f"layout '{name_or_path}' not found; expected a built-in layout "
        f"({', '.join(layout_names())}) or a folder holding layout.yaml"
    )


def _read(path: Path) -> dict[str, Any]:
    problems: list[Problem] = []
    doc = load_file(path, problems)
    if problems or doc is None:
        raise LayoutError("\n".join(str(p) for p in problems))
    if not isinstance(doc.value, dict):
        raise LayoutError(f"{path}: expected a mapping of keys")
    return _with_file(doc)


def _with_file(doc: Document) -> dict[str, Any]:
    return {**doc.value, "_file": doc.file}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _check(layout: Layout) -> None:
    """Every style names a known family, colour and size, so composing never meets a typo."""
    file = layout.spec.get("_file", "layout.yaml")
    problems = []
    palette = layout.spec.get("palette", {})
    for name, style in layout.spec.get("styles", {}).items():
        if not isinstance(style, dict):
            problems.append(f"{file}: styles.{name}: expected a mapping of style keys")
            continue
        for key in style:
            if key not in STYLE_KEYS:
                problems.append(
                    f"{file}: styles.{name}.{key}: unknown style key; expected one "
                    f"of: {', '.join(sorted(STYLE_KEYS))}"
                )
        if style.get("font", "sans") not in layout.spec["fonts"]:
            problems.append(
                f"{file}: styles.{name}.font: unknown font family "
                f"'{style.get('font')}'; expected one of: {', '.join(layout.spec['fonts'])}"
            )
        color = style.get("color", "ink")
        if color not in palette and not _is_hex(color):
            problems.append(
                f"{file}: styles.{name}.color: unknown colour '{color}'; expected a "
                f"palette name ({', '.join(palette)}) or #rrggbb"
            )
        if style.get("align", "left") not in ALIGN:
            problems.append(f"{file}: styles.{name}.align: expected one of: {', '.join(ALIGN)}")
        for key in ("size", "leading"):
            if not isinstance(style.get(key), int | float):
                problems.append(f"{file}: styles.{name}.{key}: expected a number of points")
    if problems:
        raise LayoutError("\n".join(problems))


def _is_hex(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 7
        and value.startswith("#")
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    )
