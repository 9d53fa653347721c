"""Turn a mayor count N into a deterministic synthetic data folder that follows docs/data.md.

    python bench/synth.py N DIR

writes DIR/book.yaml, DIR/themes.yaml and DIR/mayors/<id>.yaml for N mayors (N up to
5,000 gives unique names). Everything comes from random.Random(N), so the same N always
gives byte-identical files, wherever DIR is. Stale files in DIR are removed first.

The book it describes is the one the project's speed targets were set on: one page per
mayor with theme chips, a summary of about 110 words and 0 to 3 initiatives; half of the
mayors also cite one source.
"""

from __future__ import annotations

import random
import shutil
import sys
import unicodedata
from pathlib import Path

import yaml


def _words(text: str) -> list[str]:
    return text.split()


THEMES = {
    "housing": ("Housing and homelessness", "Affordable homes and a way off the street."),
    "transit": ("Transit and streets", "Buses, trains, bike lanes and safer crossings."),
    "climate": ("Climate and resilience", "Cutting emissions and preparing for heat and flood."),
    "public-safety": ("Public safety", "Violence prevention and community-led safety."),
    "youth-jobs": ("Youth and jobs", "Summer jobs, apprenticeships and skills training."),
    "health": ("Public health", "Clinics, mental health care and overdose prevention."),
    "schools": ("Schools and early learning", "Pre-kindergarten, libraries and after-school."),
    "small-business": ("Small business", "Permits, grants and main streets that thrive."),
    "open-government": ("Open government", "Open data, budgets and plain-language services."),
    "parks": ("Parks and public space", "Green space, trees and places to gather."),
}

FIRST = _words("""Aaron Abigail Adrian Aisha Alan Alma Amara Andre Angela Arturo Beatriz Benjamin
Bianca Caleb Carmen Cecilia Chen Clara Cyrus Dalia Daniel Deborah Desmond Diego Elena Eli
Esther Farah Felix Fiona Gabriel Grace Hana Hector Helen Ian Imani Irene Isaac Jamal Janet
Javier Joan José Julian Keiko Kwame Laila Leon Lucia Malik Marcus Maya Miguel Nadia Naomi
Nathan Nia Omar Paloma Priya Rafael Rosa Samuel Sofia Tariq Teresa Victor Wen Yara Zoe""")

LAST = _words("""Abbott Acosta Adeyemi Alvarez Bauer Bell Bishop Brennan Carver Castillo Chandler
Cho Collins Dawson Delgado Dunn Ellis Espinoza Farrell Fischer Fontaine Garner Gupta Hale
Harlow Hayes Ibarra Jensen Kaur Kimura Lambert Larsen Lowe Marsh Mendoza Mercer Nakamura
Navarro Núñez Okafor Ortega Park Pham Quinn Ramos Reyes Rhodes Rivas Salazar Santos Shah
Sloane Soto Stein Sutton Tanaka Thornton Ueda Vance Vargas Walsh Webb Whitaker Yoon Zamora
Zhou Bjork Cardenas Lindqvist Moreau Osei Petrov""")
LAST += ["de la Cruz", "van Dyke", "O'Connor", "St. Clair"]  # particles and punctuation

CITY_START = _words("Oak River Cedar Maple Lake Fair Spring Green Pine Stone Clear Red Elm Ash")
CITY_END = _words("ton field dale ville port wood bridge burg")
CITY_END += [" Falls", " Heights", " Springs", " Crossing"]

STATES = _words("""
AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE
NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY""")

# {who} is "Mayor <last name>", {city} the city; about 18 words each.
SENTENCES = [
    "{who} has made {city} a testing ground for ideas that larger cities later copied.",
    "Since taking office, {who} has doubled the number of residents served by city programmes.",
    "The administration publishes a quarterly progress report that anyone in {city} can read.",
    "{who} built a coalition of neighbourhood groups, employers and faith leaders.",
    "Budget decisions in {city} now start with a public hearing in every council district.",
    "A new office reports to {who} and coordinates work that used to fall between agencies.",
    "Residents of {city} can follow each commitment on an open dashboard updated every month.",
    "{who} has argued that prevention costs less than crisis response and keeps people safer.",
    "Partnerships with the county and the state brought new funding to {city} without new taxes.",
    "The city hired outreach workers from the neighbourhoods they serve, at a living wage.",
    "{who} regularly hosts town halls & listening sessions where residents set the agenda.",
    "Early results show fewer emergency calls, shorter waits for services and higher satisfaction.",
    "Local universities evaluate every major programme, and {who} publishes the findings in full.",
    "The mayor's team simplified applications so that most services take one visit, not three.",
    "{city} was among the first cities in the region to adopt a participatory budget.",
    "Critics once called the plan too ambitious; two years later most targets have been met.",
]
EMPHASIS = [
    "**{who} made this a first-year priority.**",
    "*Results have held steady for three years running.*",
    "The [full report](https://example.org/x) is public.",
]

PROGRAMME = [
    "Fresh Start",
    "Safe Streets",
    "Open Doors",
    "Bright Futures",
    "Common Ground",
    "Second Chance",
    "Green Blocks",
    "Main Street",
    "Family First",
    "Civic Lab",
]
KIND = ["Initiative", "Fund", "Partnership", "Office", "Program", "Compact", "Task Force"]
DESCRIBE = [
    "Connects residents with services through a single point of contact in every district.",
    "Funds community groups that already do the work, with grants renewed on results.",
    "Trains young people for city jobs and pays them while they learn.",
    "Brings agencies, nonprofits & employers to one table with shared goals and shared data.",
    "Pilots a new approach in three neighbourhoods before scaling it citywide.",
    "Sets a public target, publishes progress monthly and invites residents to *hold us to it*.",
]


def write_folder(n: int, path: Path | str) -> Path:
    """Write the synthetic data folder for `n` mayors into `path`; return `path`."""
    if not 1 <= n <= len(FIRST) * len(LAST):
        raise ValueError(f"expected 1 to {len(FIRST) * len(LAST)} mayors, found {n}")
    root = Path(path)
    rng = random.Random(n)
    for stale in ("book.yaml", "themes.yaml", "mayors"):
        target = root / stale
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    (root / "mayors").mkdir(parents=True)
    _dump(root / "book.yaml", _book())
    _dump(
        root / "themes.yaml",
        {tid: {"label": label, "description": text} for tid, (label, text) in THEMES.items()},
    )
    names = rng.sample([(f, last) for f in FIRST for last in LAST], n)
    for i, (first, last) in enumerate(names, start=1):
        mayor_id = f"m{i:04d}-{_slug(last)}"
        _dump(root / "mayors" / f"{mayor_id}.yaml", _mayor(rng, first, last))
    return root


def _book() -> dict:
    paragraphs = [
        "Synthetic Network is an invented coalition of mayors, generated for benchmarks. "
        "Every name, city and programme in this book is made up.",
        "Its members share a belief that cities move first: they test ideas on real streets, "
        "publish what works and **drop what does not**.",
        "This edition collects their records so that a reader can compare them quickly, "
        "one mayor a page. See [briefbook](https://example.org/briefbook) for the tool.",
    ]
    return {
        "title": "Synthetic Network",
        "subtitle": "A generated briefing book for benchmarks",
        "organization": "Synthetic Network of Mayors",
        "statement": {"heading": "Who We Are", "body": "\n\n".join(paragraphs) + "\n"},
        "cover": {"credit": "Photo: none (synthetic data)"},
    }


def _mayor(rng: random.Random, first: str, last: str) -> dict:
    city = rng.choice(CITY_START) + rng.choice(CITY_END)
    state = rng.choice(STATES)
    themes = rng.sample(list(THEMES), rng.randint(1, 4))
    who = f"Mayor {last}"
    sentences = [s.format(who=who, city=city) for s in rng.sample(SENTENCES, 7)]
    if rng.random() < 0.3:
        sentences.insert(rng.randint(1, 6), rng.choice(EMPHASIS).format(who=who))
    if rng.random() < 0.4:  # two paragraphs
        summary = " ".join(sentences[:4]) + "\n\n" + " ".join(sentences[4:])
    else:
        summary = " ".join(sentences)
    mayor = {
        "name": f"{first} {last}",
        "city": city,
        "state": state,
        "themes": themes,
        "summary": summary + "\n",
    }
    initiatives = []
    for _ in range(rng.randint(0, 3)):
        initiatives.append(
            {
                "name": f"{city} {rng.choice(PROGRAMME)} {rng.choice(KIND)}",
                "themes": rng.sample(themes, rng.randint(1, len(themes))),
                "description": rng.choice(DESCRIBE),
            }
        )
    if initiatives:
        mayor["initiatives"] = initiatives
    if rng.random() < 0.5:
        site = f"https://{_slug(city)}-{state.lower()}.example.org"
        mayor["sources"] = [{"title": f"Office of the Mayor, {city}, {state}", "url": site}]
    return mayor


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


class _Dumper(yaml.SafeDumper):
    """Write YAML as data/ does: list items indented under their key, long text in `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(path: Path, value: dict) -> None:
    body = yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    path.write_text(body, encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: python bench/synth.py N DIR", file=sys.stderr)
        return 2
    root = write_folder(int(argv[0]), argv[1])
    print(f"{root}: {argv[0]} mayors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
