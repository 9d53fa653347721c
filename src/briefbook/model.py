"""The book as frozen values: what validate() produces and every later step reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

# Two-letter USPS codes of the states, DC and the territories; mayor.schema.json repeats them.
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI".split()
)


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Initiative:
    name: str
    themes: tuple[str, ...] = ()
    description: str = ""  # rich text


@dataclass(frozen=True)
class Mayor:
    id: str
    name: str
    title: str
    city: str
    state: str
    sort_as: str
    themes: tuple[str, ...]
    summary: str  # rich text
    initiatives: tuple[Initiative, ...] = ()
    sources: tuple[Source, ...] = ()
    photo: Path | None = None
    file: str = ""
    photo_alt: str = ""  # what the photo shows, for screen readers
    photo_focus: tuple[float, float] = (0.5, 0.5)  # kept in view when it is cropped
    brief: str = ""  # rich text: a sentence or two for the read-ahead


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""


@dataclass(frozen=True)
class Book:
    title: str
    statement_heading: str
    statement_body: str  # rich text
    themes: tuple[Theme, ...]
    mayors: tuple[Mayor, ...]  # as the files were read; select_mayors puts them in order
    subtitle: str = ""
    organization: str = ""
    cover_image: Path | None = None
    cover_credit: str = ""
    cover_image_alt: str = ""
    cover_image_focus: tuple[float, float] = (0.5, 0.5)
    contact: Contact | None = None
    statement_brief: str = ""  # rich text: the statement in a line or two
    language: str = "en-US"  # BCP 47: what screen readers read the book as

    def theme(self, theme_id: str) -> Theme:
        return next(t for t in self.themes if t.id == theme_id)


@dataclass(frozen=True)
class Selection:
    """What one edition holds: the filters asked for and the mayors they chose, in order."""

    mayors: tuple[Mayor, ...]
    themes: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    mayor_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meeting:
    """One meeting file: who it is with and when, which mayors it is about (the filters of
    an edition), and what the coalition asks for there."""

    id: str  # the file's name without .yaml
    file: str
    counterpart: str  # `with:` in the file: who the meeting is with
    date: dt.date
    time: str = ""
    place: str = ""
    themes: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    mayors: tuple[str, ...] = ()
    ask: str = ""  # rich text
    talking_points: tuple[str, ...] = ()  # rich text each
    attendees: tuple[str, ...] = ()
    email_to: tuple[str, ...] = ()  # addresses as checked_addresses returns them; () no draft
    email_cc: tuple[str, ...] = ()


# Words that belong to a surname: "Bill de Blasio" sorts under D, as "de Blasio".
PARTICLES = {
    "da",
    "das",
    "de",
    "del",
    "della",
    "der",
    "di",
    "do",
    "dos",
    "du",
    "la",
    "le",
    "st.",
    "st",
    "ten",
    "ter",
    "van",
    "von",
    "bin",
    "al",
    "el",
    "mac",
}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"}


def default_sort_key(name: str) -> str:
    """The surname with its particles: 'Bill de Blasio' -> 'de Blasio'."""
    words = name.split()
    while len(words) > 1 and words[-1].casefold().rstrip(",") in SUFFIXES:
        words.pop()
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in PARTICLES:
        start -= 1
    return " ".join(words[start:])
