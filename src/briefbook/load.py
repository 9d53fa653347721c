"""Turn YAML files into plain Python values that remember the line each value came from."""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefbook import files
from briefbook.errors import Problem

# PyYAML's C loader keeps node marks and is ten times faster than the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 1_000_000
MAX_VALUES = 100_000  # values one file may expand to, aliases included
MAX_DEPTH = 40
MAX_MAYOR_FILES = 10_000  # entries mayors/ may hold, hidden ones included

Key = tuple[str | int, ...]


# YAML 1.1 (PyYAML and libyaml alike) ends a line at U+0085, U+2028 and U+2029 as well as
# at LF, so the lines of its marks run ahead of the lines an editor shows after one of them.
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")
_YAML_BREAK = re.compile("[\n\x85\u2028\u2029]")
_BLOCK_BREAK = re.compile("[\n\u2028\u2029]")  # in a `|` block's text (NEL is read as LF)


@dataclass(frozen=True)
class Lines:
    """Where the lines YAML counts are in the file as an editor shows it: a line ends at LF
    (the only break left once CR is normalised), not at U+0085, U+2028 or U+2029."""

    # Per YAML line (0-based): its editor line (1-based) and the column it starts in there;
    # empty when the two kinds of line are the same.
    starts: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, text: str) -> Lines:
        if _YAML_ONLY_BREAKS.search(text) is None:
            return cls()
        starts = [(1, 0)]
        line, line_start = 1, 0
        for found in _YAML_BREAK.finditer(text):
            if found.group() == "\n":
                line, line_start = line + 1, found.end()
            starts.append((line, found.end() - line_start))
        return cls(tuple(starts))

    def line(self, index: int) -> int:
        """The editor's line (1-based) of YAML's line `index` (0-based, as in a mark)."""
        if not self.starts:
            return index + 1
        if index < len(self.starts):
            return self.starts[index][0]
        return self.starts[-1][0] + index - len(self.starts) + 1

    def column(self, index: int, column: int) -> int:
        """The editor's column (0-based) of `column` of YAML's line `index` (both 0-based)."""
        if not self.starts or index >= len(self.starts):
            return column
        return self.starts[index][1] + column


def yaml_lines(text: str) -> list[str]:
    """`text` split into the lines YAML counts (what its marks' line and column index)."""
    if _YAML_ONLY_BREAKS.search(text) is None:
        return text.split("\n")
    return _YAML_BREAK.split(text)


@dataclass(frozen=True)
class Document:
    """One YAML file: its value, the path shown to the user, and the line of every value."""

    file: str
    value: Any
    lines: dict[Key, int] = field(default_factory=dict)
    # The first text line of each `|` block, as YAML counts lines (0-based); `at` maps them.
    text_lines: dict[Key, int] = field(default_factory=dict)
    unreadable: frozenset[Key] = frozenset()  # values already reported as unreadable
    at: Lines = Lines()

    def line(self, key: Key) -> int:
        """Line of the value at `key`, or of its nearest ancestor that has one."""
        while key not in self.lines and key:
            key = key[:-1]
        return self.lines.get(key, 1)

    def line_in(self, key: Key, text: str, index: int) -> int:
        """Line of character `index` of the text at `key` (exact in `|` blocks)."""
        if key not in self.text_lines:
            return self.line(key)
        first = self.text_lines[key]
        if not self.at.starts:
            return first + 1 + text.count("\n", 0, index)
        # Every line break YAML read in the block is in its text: LF (NEL becomes one),
        # U+2028 and U+2029 as themselves.
        return self.at.line(first + len(_BLOCK_BREAK.findall(text, 0, index)))


@dataclass(frozen=True)
class RawFolder:
    """The files of a data folder, loaded but not yet checked against the contract."""

    root: Path
    book: Document | None
    themes: Document | None
    mayors: tuple[Document, ...]
    warnings: tuple[Problem, ...] = ()  # what is read, or left out, but may not be meant


def field_name(key: Key) -> str:
    """('initiatives', 0, 'name') -> 'initiatives[0].name'."""
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_folder(root: Path) -> tuple[RawFolder, list[Problem]]:
    """Read book.yaml, themes.yaml and the mayor files under `root`; collect every problem.

    Warnings (entries of mayors/ that are not mayor files) travel in the RawFolder."""
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(_no_folder(root))
        return RawFolder(root, None, None, ()), problems
    warnings: list[Problem] = []
    book = _required(root, "book.yaml", problems)
    themes = _required(root, "themes.yaml", problems)
    paths = mayor_files(root, problems, warnings)
    mayors = tuple(doc for path in paths if (doc := load_file(path, problems, root)) is not None)
    return RawFolder(root, book, themes, mayors, tuple(warnings)), problems


def _no_folder(root: Path) -> Problem:
    found = "is a file, not a folder" if root.exists() else "not found"
    return Problem(
        str(root),
        None,
        "",
        f"data folder {found} (looked for {root.resolve()}); expected a folder holding "
        "book.yaml, themes.yaml and mayors/: name it with --data DIR, or run briefbook "
        "from the folder that holds data/",
    )


def _required(root: Path, name: str, problems: list[Problem]) -> Document | None:
    path = root / name
    if not os.path.lexists(path):
        problems.append(
            Problem(
                str(path),
                None,
                "",
                f"file not found; every data folder needs {name} (see docs/data.md)"
                + _misnamed(root, name),
            )
        )
        return None
    return load_file(path, problems, root)


def _misnamed(root: Path, name: str) -> str:
    """'; found Book.yml: rename it to book.yaml' when a file differs only in case or in
    the .yml ending (book.yaml and themes.yaml are read by those exact names)."""
    stem = Path(name).stem
    try:
        with os.scandir(root) as entries:
            near = sorted(
                entry.name
                for entry in itertools.islice(entries, MAX_MAYOR_FILES)
                if Path(entry.name).stem.lower() == stem and _is_yaml_name(entry.name)
            )
    except OSError:
        return ""
    return f"; found {near[0]}: rename it to {name}" if near else ""


def mayor_files(root: Path, problems: list[Problem], warnings: list[Problem]) -> list[Path]:
    """The mayor files of `root`/mayors, by name. Every other entry of that folder is named
    in a warning, and a second file for one id in a problem.

    The rule, so that nothing anyone wrote is left out unseen: a name ending in .yaml or .yml
    in any case is a mayor file; a hidden name (starting with '.') is skipped without a word,
    because systems and editors make those (.DS_Store, ._x.yaml, .x.yaml.swp) and file
    browsers do not show them; anything else is a warning.
    """
    folder = root / "mayors"
    none_found = Problem(
        str(folder), None, "", "no mayor files found; expected one <id>.yaml file per mayor"
    )
    if not os.path.lexists(folder):
        problems.append(none_found)
        return []
    try:
        real = files.inside(root, folder)
        names = _entries(real)
    except files.Refused as err:
        # files.py words its refusals for files; this one is about a folder.
        problems.append(Problem(str(folder), None, "", str(err).replace("a file", "a folder")))
        return []
    except NotADirectoryError:
        problems.append(
            Problem(str(folder), None, "", "it is a file; expected a folder of mayor files")
        )
        return []
    except OSError as err:
        problems.append(Problem(str(folder), None, "", f"cannot list it ({err.strerror or err})"))
        return []
    if names is None:
        problems.append(
            Problem(
                str(folder),
                None,
                "",
                f"holds more than {MAX_MAYOR_FILES:,} entries; expected at most "
                f"{MAX_MAYOR_FILES:,} mayor files",
            )
        )
        return []
    paths: list[Path] = []
    first: dict[str, Path] = {}
    for name, is_dir in names:
        path = folder / name
        if _is_yaml_name(name):
            stem = Path(name).stem
            if stem in first:
                problems.append(
                    Problem(
                        str(path),
                        None,
                        "",
                        f"mayor id '{stem}' is also the file {first[stem]}; expected one "
                        "file per mayor (remove or rename one)",
                    )
                )
                continue
            first[stem] = path
            paths.append(path)
        elif is_dir:
            warnings.append(
                Problem(
                    str(path),
                    None,
                    "",
                    "a folder inside mayors/, so its files are not read; mayor files "
                    "sit directly in mayors/",
                )
            )
        else:
            warnings.append(
                Problem(
                    str(path),
                    None,
                    "",
                    "not a mayor file (those end in .yaml or .yml), so it is left out of the book",
                )
            )
    if not paths:
        problems.append(none_found)
    return paths


def _entries(folder: Path) -> list[tuple[str, bool]] | None:
    """(name, is a folder) of the entries of `folder` that are not hidden, by name; None when
    it holds more than MAX_MAYOR_FILES entries, hidden ones included (a listing is bounded
    like a file)."""
    out: list[tuple[str, bool]] = []
    with os.scandir(folder) as entries:
        for n, entry in enumerate(entries):
            if n == MAX_MAYOR_FILES:
                return None
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            out.append((entry.name, is_dir))
    return sorted(out)


def _is_yaml_name(name: str) -> bool:
    return Path(name).suffix.lower() in (".yaml", ".yml") and Path(name).stem != ""


def load_file(path: Path, problems: list[Problem], root: Path | None = None) -> Document | None:
    """Parse one YAML file, read only if it is a regular file inside `root` (by default its
    own folder) and no larger than MAX_FILE_BYTES; on any problem, record it and return None."""
    file = str(path)
    try:
        data = files.read_inside(path.parent if root is None else root, path, MAX_FILE_BYTES)
    except files.Refused as err:
        problems.append(Problem(file, None, "", str(err)))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = len(LINE_BREAK.split(data[: err.start].decode("utf-8", "replace")))
        problems.append(
            Problem(
                file,
                line,
                "",
                f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the file as UTF-8",
            )
        )
        return None
    # YAML reads CR, LF and CR LF alike as one line break; counting lines the same way
    # everywhere else is simplest when there is only one kind left.
    text = LINE_BREAK.sub("\n", text)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        problems.append(syntax_problem(file, err, text))
        return None
    except yaml.reader.ReaderError as err:
        # The first occurrence of the character is where the reader stopped (its position
        # is counted in bytes by the C loader, in characters by the Python one).
        at = text.find(chr(err.character)) if isinstance(err.character, int) else -1
        line = text.count("\n", 0, at) + 1 if at >= 0 else None
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
    at = Lines.of(text)
    builder = _Builder(file, yaml_lines(text), at)
    try:
        value = builder.build(node, ())
    except _TooBig as err:
        problems.append(Problem(file, err.line, "", str(err)))
        return None
    problems.extend(builder.problems)
    return Document(
        file, value, builder.lines, builder.text_lines, frozenset(builder.unreadable), at
    )


LINE_BREAK = re.compile(r"\r\n?|\n")
_KEY_LINE = re.compile(r"\s*(- )?[\w-]+:(\s|$)")  # a line that looks like `key:` or `- key:`


# --- syntax errors, with a hint for the commonest mistakes --------------------------------


def syntax_problem(file: str, err: yaml.MarkedYAMLError, text: str) -> Problem:
    """Where the parser gave up, where the construct it was reading began, and, for the
    mistakes people make most (a colon in text, a tab, a quote left open), what to do.
    Lines and columns are the editor's (see Lines), in the message as in its place."""
    at = Lines.of(text)
    mark = err.problem_mark or err.context_mark
    line = at.line(mark.line) if mark else None
    column = at.column(mark.line, mark.column) + 1 if mark else None
    what = err.problem or err.context or "unreadable YAML"
    context = err.context_mark
    if (
        err.context
        and context is not None
        and mark is not None
        and at.line(context.line) != at.line(mark.line)
    ):
        what += f"; {err.context} (line {at.line(context.line)})"
    lines = yaml_lines(text)
    quote = _open_quote(err, text, lines, at)
    if quote is not None:
        line, column, what = quote
    else:
        what += _break_hint(err, text, at) or _hint(err, lines, at)
    where = f", column {column}" if column else ""
    return Problem(file, line, "", f"YAML syntax error{where}: {what}")


def _break_hint(err: yaml.MarkedYAMLError, text: str, at: Lines) -> str:
    """The hint for a line break only YAML sees (a U+2028 pasted into a value ends the line
    there, and the rest of it is read as the next line), on the lines the error names."""
    if not at.starts:
        return ""
    editor = text.split("\n")
    for mark in (err.context_mark, err.problem_mark):
        n = at.line(mark.line) if mark is not None else 0
        found = _YAML_ONLY_BREAKS.search(editor[n - 1]) if 0 < n <= len(editor) else None
        if found:
            char = found.group()
            keep = "" if char == "\x85" else ", or put the whole text in quotes"
            return (
                f"; line {n} holds the character U+{ord(char):04X}, which YAML reads as a "
                f"line break (editors show none there): remove it{keep}"
            )
    return ""


def _hint(err: yaml.MarkedYAMLError, lines: list[str], at: Lines) -> str:
    mark = err.problem_mark
    problem = err.problem or ""
    if mark is None:
        return ""
    here = lines[mark.line] if mark.line < len(lines) else ""
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if "tab" in problem or "\t" in indent or here[mark.column : mark.column + 1] == "\t":
        return (
            f"; YAML indents with spaces, not tabs: replace the tab on line {at.line(mark.line)} "
            "with spaces"
        )
    misplaced = _misindented(lines, mark.line, at)
    if misplaced:
        return misplaced
    if problem.startswith("mapping values are not allowed"):
        return (
            "; a colon followed by a space starts a key: if it is part of the text, put the "
            'whole text in quotes ("...") or start a block with | and write the text on '
            "the lines below it"
        )
    return ""


_STARTS = re.compile(r"( *)(- +)?([\w-]+:(\s|$))?")  # indent, a list's dash, a key


def _misindented(lines: list[str], n: int, at: Lines) -> str | None:
    """The hint for a key or list item on line `n` that starts in a column where no key or
    list item above it starts: a space too many or too few."""
    found = _STARTS.match(lines[n]) if n < len(lines) else None
    if found is None or not (found.group(2) or found.group(3)):
        return None
    column = len(found.group(1))
    used = set()
    for line in lines[:n]:
        above = _STARTS.match(line)
        if above.group(2) or above.group(3):
            used.add(len(above.group(1)))
            if above.group(2) and above.group(3):
                used.add(len(above.group(1)) + len(above.group(2)))
    if not used or column in used:
        return None
    return (
        f"; check the indentation of line {at.line(n)}: it starts in column "
        f"{at.column(n, column) + 1}, where no "
        "key or list item above it starts; the keys of one mapping, and the dashes of one "
        "list, start in the same column"
    )


def _open_quote(
    err: yaml.MarkedYAMLError, text: str, lines: list[str], at: Lines
) -> tuple[int, int, str] | None:
    """(line, column, message) when the mistake is a quote left open, or text written on
    after a closing quote; None otherwise."""
    context = err.context_mark
    if err.context == "while scanning a quoted scalar" and context is not None:
        char = lines[context.line][context.column : context.column + 1] or '"'
        opened = at.line(context.line)
        return (
            opened,
            at.column(context.line, context.column) + 1,
            f"the quote ({char}) opened on line {opened} is never closed (the file "
            f"ends first); put a closing {char} where the text ends",
        )
    mark = err.problem_mark
    if mark is None:
        return None
    quoted = [
        t
        for t in _tokens_before(text)
        if getattr(t, "style", None) in ("'", '"')
        and (t.end_mark.line, t.end_mark.column) <= (mark.line, mark.column)
    ]
    if not quoted:
        return None
    last = quoted[-1]
    start, end = last.start_mark, last.end_mark
    char = last.style
    swallowed = lines[start.line + 1 : end.line + 1]
    if end.line == mark.line and any(_KEY_LINE.match(line) for line in swallowed):
        # A quote closed lines later than it opened, with keys in between: the one it
        # opened with was left open, and the keys were read as part of its text.
        opened, closed = at.line(start.line), at.line(end.line)
        return (
            opened,
            at.column(start.line, start.column) + 1,
            f"the quote ({char}) opened on line {opened} is closed only on line "
            f"{closed}; close it on line {opened}, or check for a quote "
            "missing there",
        )
    if end.line == mark.line and end.column <= mark.column:
        rest = lines[mark.line][end.column :].lstrip(" ")
        if rest and rest[0] not in ",]}#:":
            inner = "'' (two single quotes)" if char == "'" else '\\"'
            return (
                at.line(mark.line),
                at.column(end.line, end.column),
                f"text goes on after the closing quote ({char}); to write {char} inside "
                f"text quoted with {char}, write it as {inner}, or quote the text with the "
                "other kind of quote",
            )
    return None


def _tokens_before(text: str) -> list[yaml.Token]:
    """The tokens the scanner reads before it meets the error (to find the quotes)."""
    out: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            out.append(token)
    except yaml.YAMLError:
        pass
    return out


_EATEN = re.compile(r"\s*(#\S.*)")  # a comment whose '#' has no space after it


class _TooBig(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


class _Builder:
    """Walk a composed node tree into dicts, lists and scalars, recording lines.

    Walking nodes ourselves (instead of yaml.safe_load) is what lets us see duplicate
    keys, which PyYAML drops silently, refuse tags, and bound what aliases may expand to.
    """

    def __init__(self, file: str, lines: list[str], at: Lines):
        self.file = file
        self.text = lines  # as YAML counts lines, for reading at a mark
        self.at = at
        self.lines: dict[Key, int] = {}
        self.text_lines: dict[Key, int] = {}
        self.unreadable: set[Key] = set()
        self.problems: list[Problem] = []
        self.count = 0
        # A constructor of its own: PyYAML's remembers every node it has built.
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, key: Key) -> Any:
        line = self.at.line(node.start_mark.line)
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
            self.text_lines[key] = node.start_mark.line + 1
        if not node.style:  # plain (None from the Python parser, '' from the C one)
            eaten = self._comment_eats(node)
            if eaten:
                return self._refuse(key, line, eaten)
            if ":" in node.value and node.tag in _SEXAGESIMAL:
                # YAML 1.1 reads 10:30 as the number 630 (base 60); YAML 1.2 dropped that,
                # and a time of day is what every colon in our files means.
                return node.value
        return self._scalar(node, key)

    def _comment_eats(self, node: yaml.ScalarNode) -> str | None:
        """Why the plain value loses words to a YAML comment, if it does: '#' with a space
        before it and none after (`Initiative #2`, `field: #4a1c40`) is a comment to YAML but
        almost always meant as text. A comment written as one (`# note`) is left alone."""
        end = node.end_mark
        rest = self.text[end.line][end.column :] if end.line < len(self.text) else ""
        found = _EATEN.match(rest) if not node.value or rest[:1].isspace() else None
        if found is None:
            return None
        comment = found.group(1).rstrip()
        if not node.value:
            return (
                f"'{comment}' is read as a YAML comment, so the value is empty; "
                f'put it in quotes: "{comment}"'
            )
        single_line = node.start_mark.line == end.line
        whole = f'"{node.value} {comment}"' if single_line else "the whole value"
        return (
            f"'{comment}' is read as a YAML comment and left out of the text; to keep it, "
            f"put {whole} in quotes"
        )

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
                self.at.line(node.start_mark.line),
                f"cannot read '{node.value}': YAML takes it for {what}, and it is not one; "
                f"expected {what}, or text in quotes",
            )

    def _mapping(self, node: yaml.MappingNode, key: Key) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = self.at.line(key_node.start_mark.line)
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
_SEXAGESIMAL = {_CORE + "int", _CORE + "float"}
# The tags plain data uses; anything else (!custom, !!python/..., !!set) is refused.
_PLAIN_TAGS = {
    yaml.MappingNode: {_CORE + "map"},
    yaml.SequenceNode: {_CORE + "seq"},
    yaml.ScalarNode: {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")},
}
