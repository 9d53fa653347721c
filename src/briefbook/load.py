"""Turn YAML files into plain Python values that remember the line each value came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefbook.errors import Problem

# PyYAML's C loader keeps node marks and is ten times faster than the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 1_000_000
MAX_VALUES = 100_000  # values one file may expand to, aliases included
MAX_DEPTH = 40

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """One YAML file: its value, the path shown to the user, and the line of every value."""

    file: str
    value: Any
    lines: dict[Key, int] = field(default_factory=dict)
    text_lines: dict[Key, int] = field(default_factory=dict)  # first text line of `|` blocks
    unreadable: frozenset[Key] = frozenset()  # values already reported as unreadable

    def line(self, key: Key) -> int:
        """Line of the value at `key`, or of its nearest ancestor that has one."""
        while key not in self.lines and key:
            key = key[:-1]
        return self.lines.get(key, 1)

    def line_in(self, key: Key, text: str, index: int) -> int:
        """Line of character `index` of the text at `key` (exact in `|` blocks)."""
        if key in self.text_lines:
            return self.text_lines[key] + text.count("\n", 0, index)
        return self.line(key)


@dataclass(frozen=True)
class RawFolder:
    """The files of a data folder, loaded but not yet checked against the contract."""

    root: Path
    book: Document | None
    themes: Document | None
    mayors: tuple[Document, ...]


def field_name(key: Key) -> str:
    """('initiatives', 0, 'name') -> 'initiatives[0].name'."""
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_folder(root: Path) -> tuple[RawFolder, list[Problem]]:
    """Read book.yaml, themes.yaml and mayors/*.yaml under `root`; collect every problem."""
    problems: list[Problem] = []
    if not root.is_dir():
        found = "is a file" if root.exists() else "not found"
        problems.append(
            Problem(
                str(root),
                None,
                "",
                f"data folder {found}; expected a folder holding book.yaml, themes.yaml "
                "and mayors/",
            )
        )
        return RawFolder(root, None, None, ()), problems

    def required(name: str) -> Document | None:
        path = root / name
        if not path.is_file():
            problems.append(
                Problem(
                    str(path),
                    None,
                    "",
                    f"file not found; every data folder needs {name} (see DATA.md)",
                )
            )
            return None
        return load_file(path, problems)

    book = required("book.yaml")
    themes = required("themes.yaml")
    mayor_dir = root / "mayors"
    paths = sorted(mayor_dir.glob("*.yaml")) if mayor_dir.is_dir() else []
    if not paths:
        problems.append(
            Problem(
                str(mayor_dir),
                None,
                "",
                "no mayor files found; expected one <id>.yaml file per mayor",
            )
        )
    stray = sorted(mayor_dir.glob("*.yml")) if mayor_dir.is_dir() else []
    for path in stray:
        problems.append(
            Problem(
                str(path), None, "", f"mayor files must end in .yaml; rename it to {path.stem}.yaml"
            )
        )
    mayors = tuple(doc for path in paths if (doc := load_file(path, problems)) is not None)
    return RawFolder(root, book, themes, mayors), problems


def load_file(path: Path, problems: list[Problem]) -> Document | None:
    """Parse one YAML file; on any problem, record it and return None."""
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    file,
                    None,
                    "",
                    f"file is {size:,} bytes; expected at most {MAX_FILE_BYTES:,} bytes",
                )
            )
            return None
        data = path.read_bytes()
    except OSError as err:
        problems.append(
            Problem(
                file,
                None,
                "",
                f"cannot read it ({err.strerror or err}); expected a readable YAML file",
            )
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.append(
            Problem(
                file,
                line,
                "",
                f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the file as UTF-8",
            )
        )
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        problems.append(_syntax_problem(file, err))
        return None
    except yaml.reader.ReaderError as err:
        line = text[: err.position].count("\n") + 1
        problems.append(
            Problem(
                file,
                line,
                "",
                f"character U+{err.character:04X} is not allowed "
                "in YAML (a control character); remove it",
            )
        )
        return None
    except yaml.YAMLError as err:
        problems.append(Problem(file, None, "", f"YAML error: {err}"))
        return None
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        problems.append(Problem(file, None, "", "file is empty; expected a mapping of keys"))
        return None
    builder = _Builder(file)
    try:
        value = builder.build(node, ())
    except _TooBig as err:
        problems.append(Problem(file, err.line, "", str(err)))
        return None
    problems.extend(builder.problems)
    return Document(file, value, builder.lines, builder.text_lines, frozenset(builder.unreadable))


def _syntax_problem(file: str, err: yaml.MarkedYAMLError) -> Problem:
    """Where the parser gave up, and where the construct it was reading began."""
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 if mark else None
    column = f", column {mark.column + 1}" if mark else ""
    what = err.problem or err.context or "unreadable YAML"
    context = err.context_mark
    if err.context and context is not None and mark is not None and context.line != mark.line:
        what += f"; {err.context} (line {context.line + 1})"
    return Problem(file, line, "", f"YAML syntax error{column}: {what}")


class _TooBig(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


class _Builder:
    """Walk a composed node tree into dicts, lists and scalars, recording lines.

    Walking nodes ourselves (instead of yaml.safe_load) is what lets us see duplicate
    keys, which PyYAML drops silently, refuse tags, and bound what aliases may expand to.
    """

    def __init__(self, file: str):
        self.file = file
        self.lines: dict[Key, int] = {}
        self.text_lines: dict[Key, int] = {}
        self.unreadable: set[Key] = set()
        self.problems: list[Problem] = []
        self.count = 0
        # A constructor of its own: PyYAML's remembers every node it has built.
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, key: Key) -> Any:
        line = node.start_mark.line + 1
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig(
                line,
                f"file expands to more than {MAX_VALUES:,} values "
                "(through YAML aliases); expected a plain data file",
            )
        if len(key) > MAX_DEPTH:
            raise _TooBig(
                line,
                f"values nest more than {MAX_DEPTH} levels deep "
                "(a YAML alias that refers to itself?)",
            )
        self.lines.setdefault(key, line)
        kind = _PLAIN_TAGS.get(type(node))
        if kind is not None and node.tag not in kind:
            return self._refuse(
                key,
                line,
                f"YAML tag '{node.tag}' is not supported; expected plain text, numbers or lists",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*key, i)) for i, item in enumerate(node.value)]
        if node.style == "|":
            # A literal block's text starts on the line after its '|'.
            self.text_lines[key] = node.start_mark.line + 2
        return self._scalar(node, key)

    def _refuse(self, key: Key, line: int, message: str) -> None:
        self.unreadable.add(key)
        self.problems.append(Problem(self.file, line, field_name(key) or "(top level)", message))

    def _scalar(self, node: yaml.Node, key: Key) -> Any:
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError):
            kind = node.tag.rsplit(":", 1)[-1]
            what = {
                "timestamp": "a date",
                "int": "a whole number",
                "float": "a number",
                "bool": "true or false",
                "binary": "base64 data",
            }.get(kind, kind)
            return self._refuse(
                key,
                node.start_mark.line + 1,
                f"cannot read '{node.value}': YAML takes it for {what}, and it is not one; "
                f"expected {what}, or text in quotes",
            )

    def _mapping(self, node: yaml.MappingNode, key: Key) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            where = field_name(key) or "(top level)"
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(
                        self.file,
                        line,
                        where,
                        "merge keys ('<<') are not supported; expected the keys written out",
                    )
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(
                        self.file,
                        line,
                        where,
                        "expected a plain key, found a list or mapping used as a key",
                    )
                )
                continue
            name = str(self._scalar(key_node, key))
            child = (*key, name)
            if name in out:
                self.problems.append(
                    Problem(
                        self.file,
                        line,
                        field_name(child),
                        f"duplicate key; first written on line {first_line[name]}, keep only one",
                    )
                )
                continue
            first_line[name] = line
            self.lines[child] = line
            out[name] = self.build(value_node, child)
        return out


_CORE = "tag:yaml.org,2002:"
# The tags plain data uses; anything else (!custom, !!python/..., !!set) is refused.
_PLAIN_TAGS = {
    yaml.MappingNode: {_CORE + "map"},
    yaml.SequenceNode: {_CORE + "seq"},
    yaml.ScalarNode: {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")},
}
