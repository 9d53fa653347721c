"""Every `briefbook …` command the README and the --help texts show, run against the shipped
data: each succeeds, or fails the way the text says, and prints what the text shows.

Where the commands come from:
- README.md: lines of code blocks that start with `briefbook` (or `NAME=value briefbook`),
  transcripts (`$ briefbook …` followed by what it prints), inline code spans that are whole
  commands, and the example column of an options table (under `### briefbook build`, an
  example `--paper a4` is run as `briefbook build --paper a4`);
- the `Example:` block of every command's --help.

They run in one temporary folder holding a copy of `data/` and `tests/data/small/`, plus any
file a README code block introduces with a first line `# <path>`. A build without `--date`
gets the suite's fixed date; each distinct command runs once. A transcript is compared line
by line: `…` stands for any text, and a build's "PATH: N pages, M mayors, K KB, edition H"
line must match in path, pages and mayors, in size within a tenth, and in H unless it is
"…". A transcript ending in "N problems found" is one of failure, exit status 1; the data
problems it shows are first put into a copy of `data/` (the value each message quotes, on
the line it names), so the
example's mistakes are real ones.
"""

from __future__ import annotations

import contextlib
import json
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import click
import pytest
from click.testing import CliRunner

from briefbook.cli import cli
from conftest import DATA, DATE, ROOT, SMALL_DATA

README = ROOT / "README.md"


@dataclass(frozen=True)
class Example:
    where: str  # README.md:LINE, or the --help it comes from
    command: str  # as written, shell syntax and all
    shown: tuple[str, ...] | None = None  # what a transcript shows it printing

    @property
    def id(self) -> str:
        return f"{self.where}: {self.command}"


# --- reading the README ------------------------------------------------------------------

_COMMAND = re.compile(r"^(?:[A-Z_]+=\S*\s+)*briefbook(?:\s|$)")
_PLACEHOLDER = re.compile(r"…|\.\.\.|\b[A-Z]{3,}\b(?!=)")  # `briefbook --debug COMMAND …`


def readme_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of every code block, fenced or indented by four spaces."""
    blocks, current, start, fenced = [], [], 0, False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            if fenced:
                blocks.append((start, current))
                current = []
            fenced, start = not fenced, number + 1
        elif fenced:
            current.append(line)
        elif line.startswith("    ") and not line.lstrip().startswith(("-", "|")):
            if not current:
                start = number
            current.append(line[4:])
        elif current and not line.strip():
            current.append("")
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return [(n, _trim(lines)) for n, lines in blocks]


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def readme_examples(text: str) -> list[Example]:
    found = []
    for start, lines in readme_blocks(text):
        index = 0
        while index < len(lines):
            line, where = lines[index], f"README.md:{start + index}"
            index += 1
            if line.startswith("$ ") and _COMMAND.match(line[2:]):
                shown = []
                while (
                    index < len(lines)
                    and lines[index].strip()
                    and not lines[index].startswith("$ ")
                ):
                    shown.append(lines[index])
                    index += 1
                found.append(Example(where, line[2:], tuple(shown)))
            elif _COMMAND.match(line) or "briefbook)" in line:
                found.append(Example(where, line))
    prose = _without_blocks(text)
    for number, line in enumerate(prose.splitlines(), start=1):
        if line.startswith("#"):  # a section's name, not an example
            continue
        for span in re.findall(r"`([^`]+)`", line):
            if (
                _COMMAND.match(span)
                and len(shlex.split(span)) > 1
                and not _PLACEHOLDER.search(span)
            ):
                found.append(Example(f"README.md:{number}", span))
    found += _table_examples(text)
    return found


def _without_blocks(text: str) -> str:
    """The README with code blocks blanked out, line numbers kept."""
    lines = text.splitlines()
    for start, block in readme_blocks(text):
        for i in range(len(block)):
            lines[start - 1 + i] = ""
    return "\n".join(lines)


def _table_examples(text: str) -> list[Example]:
    """The example column of options tables, as options of the command the section is about."""
    found, command, columns = [], None, None
    for number, line in enumerate(text.splitlines(), start=1):
        heading = re.match(r"^#+ `(briefbook [a-z]+)`", line)
        if heading:
            command, columns = heading.group(1), None
        elif line.startswith("|") and command:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]
            if columns is None:
                columns = [c.lower() for c in cells]
            elif "example" in columns and not set(line) <= set("|-: "):
                example = cells[columns.index("example")]
                for span in re.findall(r"`([^`]+)`", example):
                    if span.startswith("-"):
                        found.append(Example(f"README.md:{number}", f"{command} {span}"))
                    elif span.startswith(f"{command} "):  # a whole command line
                        found.append(Example(f"README.md:{number}", span))
        elif not line.startswith("|"):
            columns = None
    return found


def readme_files(text: str) -> dict[str, str]:
    """Files the README shows whole: a code block whose first line is `# <path>`."""
    files = {}
    for _, lines in readme_blocks(text):
        first = re.match(r"^# ([\w./-]+\.\w+)$", lines[0]) if lines else None
        if first:
            files[first.group(1)] = "\n".join(lines[1:]) + "\n"
    return files


# --- reading the --help texts ------------------------------------------------------------


def help_examples() -> list[Example]:
    found = []

    def walk(command: click.Command, path: list[str]) -> None:
        result = CliRunner().invoke(cli, [*path, "--help"], prog_name="briefbook")
        assert result.exit_code == 0, result.output
        where = " ".join(["briefbook", *path, "--help"])
        lines = result.stdout.splitlines()
        starts = [i for i, line in enumerate(lines) if line.strip() == "Example:"]
        assert starts, f"{where} has no Example: block"
        for line in lines[starts[0] + 1 :]:
            if not line.strip():
                break
            found.append(Example(where, line.strip()))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(cli, [])
    return found


README_TEXT = README.read_text("utf-8")
EXAMPLES = readme_examples(README_TEXT) + help_examples()


# --- running them ------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    status: int
    stdout: str
    output: str  # stdout and stderr as a terminal shows them


@dataclass
class Shell:
    """Runs command lines the way the README's reader would, in one folder, each once."""

    folder: Path
    runs: dict[tuple, Run] = field(default_factory=dict)

    def run(self, command: str, data_mistakes: tuple[tuple[str, int, str], ...] = ()) -> Run:
        env, args, _ = parse(command)
        if args[:1] == ["build"] and "--date" not in args:
            args += ["--date", DATE]
        if args[:1] == ["check"] and not (self.folder / args[-1]).exists():
            self.run("briefbook build")  # it checks the book that `briefbook build` writes
        key = (tuple(sorted(env.items())), tuple(args), data_mistakes)
        if key not in self.runs:
            folder = self.folder
            if data_mistakes:
                folder = self.folder.parent / f"mistakes-{len(self.runs)}"
                shutil.copytree(self.folder, folder)
                for path, line, value in data_mistakes:
                    put_value(folder / path, line, value)
            # --open hands a written file to the reader's viewer; here, to no program.
            with contextlib.chdir(folder), mock.patch("click.launch", _viewer):
                result = CliRunner().invoke(cli, args, env=env, prog_name="briefbook")
            self.runs[key] = Run(result.exit_code, result.stdout, result.output)
        return self.runs[key]


def _viewer(url: str, wait: bool = False, locate: bool = False) -> int:
    assert Path(url).exists(), f"--open was given {url}, which is not there"
    return 0


def parse(command: str) -> tuple[dict[str, str], list[str], str | None]:
    """(environment, arguments after `briefbook`, redirection) of a shell command line."""
    if command.startswith("eval "):  # eval "$(_BRIEFBOOK_COMPLETE=bash_source briefbook)"
        command = re.search(r"\$\((.*)\)", command).group(1)
    words = shlex.split(command)
    env = {}
    while "=" in words[0] and words[0] != "briefbook":
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    assert words[0] == "briefbook", command
    redirected = None
    for mark in ("2>/dev/null", ">"):
        if mark in words:
            at = words.index(mark)
            redirected = mark if mark != ">" else words[at + 1]
            words = words[:at] + words[at + 2 if mark == ">" else at + 1 :]
    return env, words[1:], redirected


def put_value(path: Path, line: int, value: str) -> None:
    """Write `value` as the YAML value on line `line` of `path` (a `key: value` or `- value`)."""
    lines = path.read_text("utf-8").splitlines()
    before = lines[line - 1]
    lines[line - 1] = re.sub(r"^(\s*(?:- |[\w-]+: ))\S.*$", lambda m: m.group(1) + value, before)
    assert lines[line - 1] != before, f"{path}:{line}: no value to replace in {before!r}"
    path.write_text("\n".join(lines) + "\n", "utf-8")


_PROBLEM = re.compile(r"^(data/[^:]+):(\d+): ")
_SUMMARY = re.compile(
    r"^(?P<path>\S+): (?P<pages>\d+) pages?, (?P<mayors>\d+) mayors?, (?P<kb>\d+) KB"
    r"(?:, edition (?P<edition>…|[0-9a-f]{10}))?$"
)


def mistakes_shown(shown: tuple[str, ...]) -> tuple[tuple[str, int, str], ...]:
    """The data problems a transcript shows, as (file, line, the value found there)."""
    out = []
    for line in shown:
        where = _PROBLEM.match(line)
        if where:
            quoted = re.search(r"found '([^']*)'", line) or re.search(r"'([^']*)'", line)
            out.append((where.group(1), int(where.group(2)), quoted.group(1)))
    return tuple(out)


def assert_shows(shown: tuple[str, ...], printed: str) -> None:
    actual = printed.splitlines()
    assert len(actual) == len(shown), f"expected {list(shown)}, printed {actual}"
    for want, got in zip(shown, actual, strict=True):
        summary, real = _SUMMARY.match(want), _SUMMARY.match(got)
        if summary:
            assert real, f"expected a line like {want!r}, printed {got!r}"
            assert summary.group("path", "pages", "mayors") == real.group(
                "path", "pages", "mayors"
            ), f"the README shows {want!r}, a build prints {got!r}"
            kb, real_kb = int(summary.group("kb")), int(real.group("kb"))
            assert abs(real_kb - kb) <= kb / 10, (
                f"the README shows {want!r}, a build prints {got!r}"
            )
            # The edition's hash depends on the data, the layout and the version: "…".
            shown, printed_edition = summary.group("edition"), real.group("edition")
            assert (shown is None) == (printed_edition is None), (
                f"the README shows {want!r}, a build prints {got!r}"
            )
            assert shown in (None, "…", printed_edition), (
                f"the README shows {want!r}, a build prints {got!r}"
            )
        else:
            pattern = ".*".join(re.escape(part) for part in want.split("…"))
            assert re.fullmatch(pattern, got), f"the README shows {want!r}, printed {got!r}"


@pytest.fixture(scope="module")
def shell(tmp_path_factory) -> Shell:
    folder = tmp_path_factory.mktemp("docs") / "work"
    shutil.copytree(DATA, folder / "data")
    shutil.copytree(SMALL_DATA, folder / "tests" / "data" / "small")
    for path, text in readme_files(README_TEXT).items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, "utf-8")
    return Shell(folder)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_example_works_as_shown(shell: Shell, example: Example):
    env, _, redirected = parse(example.command)
    shown = example.shown or ()
    fails = bool(shown) and re.fullmatch(r"\d+ problems? found", shown[-1]) is not None
    run = shell.run(example.command, mistakes_shown(shown) if fails else ())
    assert run.status == (1 if fails else 0), run.output
    assert "Traceback" not in run.output and "internal error" not in run.output
    if not any(": warning: " in line for line in shown):  # an example is clean unless it shows
        assert ": warning: " not in run.output, run.output
    if shown:
        assert_shows(shown, run.stdout if redirected else run.output)
    if redirected and redirected.endswith(".json"):
        json.loads(run.stdout)
    if "_BRIEFBOOK_COMPLETE" in env:
        assert "complete" in run.stdout and "briefbook" in run.stdout


# --- the extraction itself: a test that finds no examples would pass vacuously --------------


def test_the_examples_that_must_be_there_are_found():
    commands = {e.command for e in EXAMPLES}
    assert {
        "briefbook build --theme reentry",
        "briefbook validate",
        "briefbook build --paper a4",
        "briefbook build -o meeting.pdf",
        "briefbook build --layout layouts/plain",
        "briefbook --version",
        "SOURCE_DATE_EPOCH=1764115200 briefbook build --theme reentry",
        'eval "$(_BRIEFBOOK_COMPLETE=bash_source briefbook)"',
        "briefbook schema mayor > mayor.schema.json",
    } <= commands
    wheres = {e.where.split(":")[0] for e in EXAMPLES}
    assert wheres >= {"README.md", "briefbook --help", "briefbook build --help"}
    assert not any(_PLACEHOLDER.search(e.command) for e in EXAMPLES if e.where[0] != "R")


def test_the_readme_shows_the_size_line_of_a_real_build():
    summaries = [e for e in EXAMPLES if e.shown and any(_SUMMARY.match(s) for s in e.shown)]
    assert [e.command for e in summaries][:1] == ["briefbook build --theme reentry"]


def test_the_validate_example_shows_real_mistakes():
    [example] = [e for e in EXAMPLES if e.command == "briefbook validate" and e.shown]
    assert mistakes_shown(example.shown) == (
        ("data/mayors/carter.yaml", 8, "communty-trust"),
        ("data/mayors/durkan.yaml", 4, "Washington"),
    )


def test_a_stale_size_line_is_caught():
    with pytest.raises(AssertionError, match="the README shows"):
        assert_shows(
            ("out/x.pdf: 9 pages, 5 mayors, 50 KB",), "out/x.pdf: 9 pages, 5 mayors, 96 KB\n"
        )
    with pytest.raises(AssertionError, match="the README shows"):
        assert_shows(
            ("out/x.pdf: 8 pages, 5 mayors, 96 KB",), "out/x.pdf: 9 pages, 5 mayors, 96 KB\n"
        )
    assert_shows(("out/x.pdf: 9 pages, 5 mayors, 90 KB",), "out/x.pdf: 9 pages, 5 mayors, 96 KB\n")
