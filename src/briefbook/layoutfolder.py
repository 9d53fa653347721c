"""Turn a layout folder (layout.yaml, Jinja templates, fonts) into a checked Layout: the look
and the order of a document, as data.

A layout folder is shared by git and email, so it is read like data: every file through
files.py (inside its folder, bounded), every key checked against layout.schema.json and
every name it uses checked to exist, each mistake located in its file and line.
"""

from __future__ import annotations

import functools
import itertools
import os
from pathlib import Path
from typing import Any

from briefbook.errors import LayoutError, OptionError, Problem, did_you_mean
from briefbook.layout import Layout, layout_names, resource_dir
from briefbook.layoutcheck import layout_problems
from briefbook.load import Document, load_file

MAX_EXTENDS = 8


def load_layout(name_or_path: str, paper: str | None = None, duplex: bool = False) -> Layout:
    """The layout called `name_or_path` (a built-in name or a folder), on `paper`; for
    printing on both sides (`duplex`), with the inner and outer margins as the left and
    right ones of a right-hand page (a left-hand page is its mirror image).

    The layout's own layout.yaml (and those it extends) is checked against
    layout.schema.json, every problem located; then the merged whole is checked for names
    that must exist (pages, page templates, styles, font families, colours, the paper) and
    its templates for blocks without a style and styles without a block.
    """
    folders = tuple(_chain(_find(name_or_path)))
    return _checked(folders, paper and paper.lower(), _state(folders), duplex)


def _state(folders: tuple[Path, ...]) -> tuple:
    """What a layout is made of as it stands on disk: every file of its folders, with its
    size and time. A layout is checked and its templates compiled again when this changes."""
    out: list[tuple] = [tuple(str(f.resolve()) for f in folders)]  # relative paths move with cwd
    for folder in folders:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat()  # follows a symlink: a retargeted one changes this
            except OSError:
                continue
            out.append(
                (str(folder), entry.name, info.st_mtime_ns, info.st_size, entry.is_symlink())
            )
    return tuple(out)


@functools.lru_cache(maxsize=8)
def _checked(folders: tuple[Path, ...], paper: str | None, state: tuple, duplex: bool) -> Layout:
    """The checked layout of `folders`; one per process for each state of its files, so a
    second build with the same layout (the test suite, a script) reuses fonts and templates."""
    folders = list(folders)
    docs = [_read(f / "layout.yaml", check=i < len(folders) - 1) for i, f in enumerate(folders)]
    docs.reverse()  # the default first, the layout's own last
    spec: dict[str, Any] = {}
    for doc in docs:
        spec = _merge(spec, {k: v for k, v in doc.value.items() if k != "extends"})
    spec = _sided(spec, docs)
    if duplex:
        margins = spec["margins"]
        spec = {**spec, "margins": {**margins, "left": margins["inner"], "right": margins["outer"]}}
    paper = (paper or spec.get("paper", "letter")).lower()
    layout = Layout(folders[0].name, tuple(folders), spec, paper, tuple(docs))
    problems = layout_problems(layout)
    if problems:
        raise LayoutError(problems)
    # Styles are complete only now: each based_on is resolved into the keys it names.
    return layout.with_spec({**spec, "styles": _resolved_styles(spec["styles"])})


def _find(name_or_path: str) -> Path:
    """A folder given as a path; else layouts/NAME under the working directory (so that a
    checkout's own layouts are used as edited, whatever was installed); else a built-in."""
    for folder in (
        Path(name_or_path),
        Path("layouts") / name_or_path,
        resource_dir("layouts") / name_or_path,
    ):
        candidate = folder / "layout.yaml"
        if candidate.exists() or candidate.is_symlink():  # reading it says what is wrong
            return folder
    misnamed = _misnamed_layout_yaml(Path(name_or_path))
    if misnamed is not None:
        raise OptionError(
            "layout",
            f"{misnamed}: a layout folder's file is named layout.yaml, in small letters; rename it",
        )
    raise OptionError(
        "layout",
        f"layout '{name_or_path}' not found; expected a layout name "
        f"({', '.join(layout_names())}) or a folder holding layout.yaml",
    )


def _misnamed_layout_yaml(folder: Path) -> Path | None:
    """LAYOUT.YAML, Layout.yml and the like, in a folder that has no layout.yaml."""
    try:
        entries = list(itertools.islice(folder.iterdir(), 10_000)) if folder.is_dir() else []
    except OSError:
        return None
    for entry in sorted(entries):
        if entry.name.lower() in ("layout.yaml", "layout.yml") and entry.name != "layout.yaml":
            return entry
    return None


def _chain(folder: Path) -> list[Path]:
    """`folder`, the layouts it extends in turn, and the built-in default last."""
    default = (resource_dir("layouts") / "default").resolve()
    chain = [folder]
    while chain[-1].resolve() != default:
        doc = _read(chain[-1] / "layout.yaml", check=True)
        parent = doc.value.get("extends", "default")
        if parent not in layout_names():
            raise LayoutError(
                [
                    Problem(
                        doc.file,
                        doc.line(("extends",)),
                        "extends",
                        f"no built-in layout '{parent}'; expected one of: "
                        f"{', '.join(layout_names())}{did_you_mean(parent, layout_names())}",
                    )
                ]
            )
        chain.append(resource_dir("layouts") / parent)
        if len(chain) > MAX_EXTENDS or chain[-1].resolve() in {c.resolve() for c in chain[:-1]}:
            raise LayoutError(
                [
                    Problem(
                        doc.file,
                        doc.line(("extends",)),
                        "extends",
                        "layouts extend each other in a circle: "
                        + " -> ".join(c.name for c in chain),
                    )
                ]
            )
    return chain


@functools.cache
def _read_cached(path: Path, real: str, mtime_ns: int, size: int) -> Document:
    """layout.yaml as read at `path`; `real`, `mtime_ns` and `size` tell apart two files the
    same relative path names from two working directories within one tick of the clock."""
    problems: list[Problem] = []
    doc = load_file(path, problems)  # only inside its own layout folder
    if doc is not None and not isinstance(doc.value, dict):
        problems.append(Problem(str(path), 1, "", "expected a mapping of keys"))
    if problems or doc is None:
        raise LayoutError(problems)
    return doc


def _read(path: Path, check: bool) -> Document:
    from briefbook.validate import schema_problems

    info = path.stat()
    doc = _read_cached(path, str(path.resolve()), info.st_mtime_ns, info.st_size)
    # The built-in layout.yaml is checked against the schema by the test suite, not here.
    if check:
        problems = schema_problems(doc, "layout")
        if problems:
            raise LayoutError(problems)
    return doc


def _sided(spec: dict[str, Any], docs: list[Document]) -> dict[str, Any]:
    """`spec` with its inner and outer margins the left and right ones, as a pair, when the
    last layout.yaml to change its side margins wrote left or right but neither inner nor
    outer: a layout that changes its margins changes them for duplex printing too, and its
    column keeps its width."""
    follow = False
    for doc in docs:
        margins = doc.value.get("margins")
        if not isinstance(margins, dict):
            continue
        if "inner" in margins or "outer" in margins:
            follow = False
        elif "left" in margins or "right" in margins:
            follow = True
    if not follow:
        return spec
    margins = spec["margins"]
    return {**spec, "margins": {**margins, "inner": margins["left"], "outer": margins["right"]}}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` laid on `base`: mappings merge key by key; lists and values replace."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _resolved_styles(styles: dict[str, dict]) -> dict[str, dict]:
    """Every style with the keys of the styles it is based on filled in."""

    def resolve(name: str) -> dict:
        style = styles[name]
        if "based_on" not in style:
            return style
        return {**resolve(style["based_on"]), **{k: v for k, v in style.items() if k != "based_on"}}

    return {name: resolve(name) for name in styles}
