"""Turn every failure a user can cause into one family of exceptions with a plain message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


class BriefbookError(Exception):
    """A problem the user can fix; the CLI prints the message and exits with status 1."""


@dataclass(frozen=True)
class Problem:
    """One mistake in one file: where it is, which field, and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    @property
    def where(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def __str__(self) -> str:
        return (
            f"{self.where}: {self.field}: {self.message}"
            if self.field
            else (f"{self.where}: {self.message}")
        )

    def as_warning(self) -> str:
        """The line a warning prints: like a problem, marked as one that does not block."""
        field = f"{self.field}: " if self.field else ""
        return f"{self.where}: warning: {field}{self.message}"


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, by file, line and field: the order every run prints them in."""
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field, p.message))


class ProblemsError(BriefbookError):
    """Everything wrong with one kind of input, collected before stopping; printed one
    located problem per line."""

    def __init__(self, problems: Iterable[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = sorted_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):
        # Made again from its problems when it comes back from a worker process.
        return type(self), (self.problems,)


class DataError(ProblemsError):
    """A data folder that breaks the data contract."""


class LayoutError(ProblemsError):
    """A layout folder (layout.yaml, templates, fonts) that cannot be used."""

    @classmethod
    def at(cls, file: str, message: str, line: int | None = None, field: str = "") -> LayoutError:
        return cls([Problem(str(file), line, field, message)])


class OptionError(BriefbookError):
    """A command-line option's value does not fit the data (an unknown id, an output path
    inside the data folder); `option` is the option's name, without dashes. A usage
    mistake: exit status 2."""

    def __init__(self, option: str, message: str):
        self.option = option
        super().__init__(message)

    def __reduce__(self):
        return type(self), (self.option, str(self))


class VariableError(BriefbookError):
    """An environment variable holds a value that cannot be used (SOURCE_DATE_EPOCH that is
    not a number); `variable` is its name. A usage mistake, like OptionError: exit status 2."""

    def __init__(self, variable: str, message: str):
        self.variable = variable
        super().__init__(message)

    def __reduce__(self):
        return type(self), (self.variable, str(self))


class OutputError(BriefbookError):
    """The PDF cannot be written where it was asked for."""


class TooLargeError(BriefbookError):
    """The finished PDF is larger than the size budget (--max-size); nothing is written.
    The message ends with what takes the space."""


def did_you_mean(found: str, valid: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest valid word, or '' when nothing is close."""
    close = difflib.get_close_matches(found, list(valid), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def one_of(valid: Iterable[str], most: int = 30) -> str:
    """'expected one of: a, b, c' with the valid words in the order given; past `most`
    words, only the first few and how many there are (a thousand ids help nobody)."""
    valid = list(valid)
    if len(valid) <= most:
        return "expected one of: " + ", ".join(valid)
    return f"expected one of {len(valid)} ids, such as: " + ", ".join(valid[:5]) + ", …"
