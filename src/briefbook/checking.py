"""Turn a PDF file into the PDF/UA-1 and PDF/A-2b rules it breaks, as page-validation (an
independent checker, the optional extra briefbook[check]) finds them: each broken rule with
what it concerns, and how many rules each profile has."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefbook.errors import BriefbookError

# The profiles checked, in the order they are reported: page-validation's name, ours.
PROFILES = {"ua1": "PDF/UA-1", "2b": "PDF/A-2b"}


@dataclass(frozen=True)
class Broken:
    profile: str  # PDF/UA-1 or PDF/A-2b
    rule: str
    message: str  # page-validation's words, which name the page or object
    obj: str = ""  # "90 0" when the rule concerns one object


@dataclass(frozen=True)
class Checked:
    profile: str
    rules: int
    broken: tuple[Broken, ...]


def check_pdf(path: Path, profiles: tuple[str, ...] = tuple(PROFILES)) -> list[Checked]:
    """Each of `profiles` (keys of PROFILES) checked on `path`; BriefbookError when the
    checker is not installed or cannot read the file."""
    try:
        import page
    except ImportError:
        raise BriefbookError(
            "briefbook check needs page-validation, an independent checker; install it with "
            "pip install 'briefbook[check]' (or pip install page-validation)"
        ) from None
    if not path.is_file():
        raise BriefbookError(f"{path}: no such file; expected a PDF to check")
    out = []
    for name in profiles:
        try:
            # A book of a thousand mayors has a thousand bookmarks, linked one to the next:
            # a longer chain of references than the checker follows by default.
            limits = page.SafetyLimits(max_reference_depth=1_000_000)
            report = page.validate_pdf(str(path), profile=name, limits=limits)
        except page.PageError as err:
            raise BriefbookError(f"{path}: cannot be read as a PDF ({err})") from None
        broken = tuple(
            Broken(
                PROFILES[name],
                f.rule_id,
                f.message,
                f"{f.object_id.object_number} {f.object_id.generation}" if f.object_id else "",
            )
            for f in report.failures
        )
        out.append(Checked(PROFILES[name], report.rules.total, broken))
    return out
