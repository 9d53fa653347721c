"""Turn a Book and the command line's filters into the Selection one edition prints."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from briefbook.errors import BriefbookError, OptionError, did_you_mean, one_of
from briefbook.model import US_STATES, Book, Mayor, Selection

# Letters Unicode does not decompose into a base letter and an accent.
_BASE_LETTERS = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Ħ": "H",
        "ħ": "h",
        "ı": "i",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "ß": "ss",
        "Þ": "Th",
        "þ": "th",
    }
)


def collation_key(mayor: Mayor) -> tuple[str, str]:
    """Sort by sort_as without case, accents or leading punctuation, ties by id."""
    plain = unicodedata.normalize("NFKD", mayor.sort_as.translate(_BASE_LETTERS))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.casefold().split()), mayor.id


def select_mayors(
    book: Book,
    themes: Sequence[str] = (),
    states: Sequence[str] = (),
    mayor_ids: Sequence[str] = (),
) -> Selection:
    """Mayors that match any of each kind of filter, all kinds combined with AND, in order."""
    themes = _known("theme", themes, [t.id for t in book.themes])
    present = sorted({m.state for m in book.mayors})
    _known("state", [s for s in states if s.upper() not in US_STATES], present)  # as typed
    states = tuple(dict.fromkeys(s.upper() for s in states))
    mayor_ids = _known("mayor", mayor_ids, sorted(m.id for m in book.mayors))
    chosen = [
        m
        for m in book.mayors
        if (not themes or set(themes) & set(m.themes))
        and (not states or m.state in states)
        and (not mayor_ids or m.id in mayor_ids)
    ]
    selection = Selection(
        tuple(sorted(chosen, key=collation_key)), tuple(themes), tuple(states), tuple(mayor_ids)
    )
    if not selection.mayors:
        raise BriefbookError(
            f"no mayor matches {describe_filters(selection)}; "
            "run 'briefbook list' to see who each filter picks"
        )
    return selection


def _known(kind: str, asked: Sequence[str], valid: list[str]) -> tuple[str, ...]:
    for item in asked:
        if item not in valid:
            raise OptionError(
                kind, f"unknown {kind} '{item}'; {one_of(valid)}{did_you_mean(item, valid)}"
            )
    return tuple(dict.fromkeys(asked))


def describe_filters(selection: Selection) -> str:
    """'--theme reentry --state CA' as the user could have typed it."""
    parts = [f"--theme {t}" for t in selection.themes]
    parts += [f"--state {s}" for s in selection.states]
    parts += [f"--mayor {m}" for m in selection.mayor_ids]
    return " ".join(parts) or "(no filter)"
