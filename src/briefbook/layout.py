"""Turn a layout folder (layout.yaml, Jinja templates, fonts) into a Layout to compose with."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from briefbook.errors import LayoutError, OptionError, Problem
from briefbook.load import Document, field_name, load_file
from briefbook.text import Glyphs

FACES = ("regular", "bold", "italic", "bold_italic")
ALIGN = {"left": 0, "center": 1, "right": 2, "justify": 4}


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
        raise LayoutError.at(
            self.folder / "layout.yaml",
            f"font file '{name}' not found; expected it in {self.folder} or "
            f"{resource_dir('fonts')}",
            field=field,
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
    """The layout called `name_or_path` (a built-in name or a folder), on `paper`.

    Both the built-in layout.yaml and the layout's own are checked against
    layout.schema.json, every problem located; then the merged whole is checked for names
    that must exist (font families, palette colours, the paper).
    """
    folder = _find(name_or_path)
    default = resource_dir("layouts") / "default"
    # The built-in layout.yaml is checked against the schema by the test suite, not here.
    docs = [_read(default / "layout.yaml", check=False)]
    if folder.resolve() != default.resolve():
        docs.append(_read(folder / "layout.yaml"))
    spec: dict[str, Any] = {}
    for doc in docs:
        spec = _merge(spec, doc.value)
    paper = (paper or spec.get("paper", "letter")).lower()
    problems = _cross_problems(spec, paper, docs)
    if problems:
        raise LayoutError(problems)
    return Layout(folder.name, folder, spec, paper)


def _find(name_or_path: str) -> Path:
    """A folder given as a path; else layouts/NAME under the working directory (so that a
    checkout's own layouts are used as edited, whatever was installed); else a built-in."""
    for folder in (
        Path(name_or_path),
        Path("layouts") / name_or_path,
        resource_dir("layouts") / name_or_path,
    ):
        if (folder / "layout.yaml").is_file():
            return folder
    raise OptionError(
        "layout",
        f"layout '{name_or_path}' not found; expected a built-in layout "
        f"({', '.join(layout_names())}) or a folder holding layout.yaml",
    )


def _read(path: Path, check: bool = True) -> Document:
    from briefbook.validate import schema_problems

    problems: list[Problem] = []
    doc = load_file(path, problems)
    if doc is not None and doc.value is not None and not isinstance(doc.value, dict):
        problems.append(Problem(str(path), 1, "", "expected a mapping of keys"))
    elif doc is not None and check:
        problems += schema_problems(doc, "layout")
    if problems or doc is None:
        raise LayoutError(problems)
    return doc


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _cross_problems(spec: dict[str, Any], paper: str, docs: list[Document]) -> list[Problem]:
    """Names the merged layout uses but does not define."""

    def at(key: tuple, message: str) -> Problem:
        # The file that wrote the key last, on the key's line.
        doc = next((d for d in reversed(docs) if key in d.lines), docs[-1])
        return Problem(doc.file, doc.line(key), field_name(key), message)

    problems = []
    papers, fonts, palette = spec["papers"], spec["fonts"], spec["palette"]
    if paper not in papers:
        problems.append(
            at(
                ("paper",),
                f"no paper size '{paper}'; expected one of: "
                f"{', '.join(papers)} (or add it under papers)",
            )
        )
    for name, style in spec["styles"].items():
        for field in ("size", "leading"):
            if field not in style:
                problems.append(at(("styles", name), f"no {field}; expected a number of points"))
    family_uses = [
        (("styles", n, "font"), s.get("font", "sans")) for n, s in spec["styles"].items()
    ]
    family_uses.append((("chips", "font"), spec["chips"]["font"]))
    for key, family in family_uses:
        if family not in fonts:
            problems.append(
                at(key, f"unknown font family '{family}'; expected one of: {', '.join(fonts)}")
            )
    for key, colour in _colour_uses(spec):
        if colour not in palette and not _is_hex(colour):
            problems.append(
                at(
                    key,
                    f"unknown colour '{colour}'; expected a palette name "
                    f"({', '.join(palette)}) or #rrggbb",
                )
            )
    return problems


def _colour_uses(spec: dict[str, Any]) -> list[tuple[tuple, str]]:
    uses = [(("styles", n, "color"), s.get("color", "ink")) for n, s in spec["styles"].items()]
    for section, keys in COLOUR_KEYS.items():
        uses += [((section, k), spec[section][k]) for k in keys if k in spec[section]]
    return uses


# Settings outside `styles` that name a colour.
COLOUR_KEYS = {
    "chips": ("fill", "text", "chosen_fill", "chosen_text"),
    "glance": ("mark", "chosen_mark", "stripe", "chosen_column", "rule"),
    "contents": ("rule",),
    "heading_rule": ("color",),
}


def _is_hex(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 7
        and value.startswith("#")
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    )
