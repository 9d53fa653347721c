"""`briefbook meeting FILE`: a meeting file with every field makes a folder holding the
read-ahead, the book and the leave-behinds made for that meeting, and the email draft that
carries the read-ahead; read here as a reader and a mail program get them. A file with
mistakes is refused with every mistake located, and nothing is written."""

from __future__ import annotations

import contextlib
import email
import email.policy
import re
import shutil
from pathlib import Path

import pytest

from conftest import Book
from support import DATA, run

FULL = """\
with: Office of Senator Jane Smith (D-PA)
date: 2026-12-03
time: 10:30
place: Russell Senate Office Building, room 123
themes: [pretrial, violence-prevention]
states: [PA]
mayors: []
ask: |
  Co-sponsor the **Second Chance Reauthorization Act**.

  Fund community violence intervention.
talking_points:
  - Philadelphia relies less on cash bail.
  - |
    Pittsburgh's *Group Violence Intervention* works.

    It is credited with fewer shootings.
attendees: [Mayor Jim Kenney, Mayor William Peduto]
email: {to: scheduler@example.gov, cc: [policy@example.org, Jo Doe <jo@example.org>]}
"""
FOLDER = Path("out/2026-12-03-smith")
PAPERS = ["book.pdf", "email.eml", "leave-behinds.pdf", "read-ahead.pdf"]


def data_with(root: Path, meetings: dict[str, str]) -> Path:
    data = root / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("meetings"))
    (data / "meetings").mkdir()
    for name, text in meetings.items():
        (data / "meetings" / name).write_text(text, "utf-8")
    return data


def meeting(root: Path, *args: str):
    with contextlib.chdir(root):
        return run("meeting", *args)


@pytest.fixture(scope="module")
def packet(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("meeting")
    data_with(root, {"smith.yaml": FULL})
    return root, meeting(root, "data/meetings/smith.yaml")


def test_the_folder_holds_the_papers_and_the_table_lists_them(packet):
    root, result = packet
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / FOLDER).iterdir()) == PAPERS
    assert [p.name for p in (root / "out").iterdir()] == [FOLDER.name]  # no staging left
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0] == ["file", "pages", "mayors", "size"]
    pages = {"read-ahead.pdf": 1, "book.pdf": 7, "leave-behinds.pdf": 2}
    for row, (name, count) in zip(rows[1:4], pages.items(), strict=True):
        path = root / FOLDER / name
        assert row[:3] == [str(FOLDER / name), str(count), "2"]
        assert Book(path).page_count == count
        assert row[3:] == [str(max(path.stat().st_size // 1000, 1)), "KB"]
    assert rows[4][0] == str(FOLDER / "email.eml") and rows[4][2] == "KB"
    assert len(rows) == 5
    assert result.stderr == (
        f"{FOLDER}: the papers for the meeting with Office of Senator Jane Smith (D-PA), "
        "2026-12-03; email.eml to scheduler@example.gov (cc policy@example.org, "
        "Jo Doe <jo@example.org>), read-ahead attached\n"
    )


def test_the_read_ahead_says_whom_it_is_for_and_carries_the_ask(packet):
    root, _ = packet
    book = Book(root / FOLDER / "read-ahead.pdf")
    lines = book.lines(0)
    assert "Prepared for Office of Senator Jane Smith (D-PA)" in lines
    text = " ".join(lines)
    assert (
        "Thursday, December 3, 2026, 10:30 · Russell Senate Office Building, room 123 · "
        "Focus: Bail and pretrial reform · Violence prevention" in text
    )
    ask = text.index("OUR ASK")
    assert text.index("WHO WE ARE") < ask < text.index("Mayor Jim Kenney")
    for words in (
        "OUR ASK Co-sponsor the Second Chance Reauthorization Act.",
        "Fund community violence intervention. TALKING POINTS",
        "• Philadelphia relies less on cash bail.",
        "• Pittsburgh's Group Violence Intervention works. It is credited with fewer shootings.",
        "At the table: Mayor Jim Kenney, Mayor William Peduto",
    ):
        assert words in text, words
    assert book.reader.metadata.subject.startswith(
        "Prepared for Office of Senator Jane Smith (D-PA), December 3, 2026; Focus: "
    )


def test_the_book_has_the_meeting_on_its_cover_and_an_ask_page(packet):
    root, _ = packet
    book = Book(root / FOLDER / "book.pdf")
    cover = book.lines(0)
    assert cover[cover.index("Thursday, December 3, 2026, 10:30") :][:4] == [
        "Thursday, December 3, 2026, 10:30",
        "Prepared for Office of Senator Jane Smith (D-PA)",
        "Russell Senate Office Building, room 123",
        "Prepared by Smart on Crime Mayors Coalition",
    ]
    titles = [(title, page) for level, title, page in book.outline() if level == 0]
    names = [t for t, _ in titles]
    assert names[:5] == ["Cover", "Contents", "Who We Are", "Our ask", "At a glance"]
    ask = dict(titles)["Our ask"]
    assert ("Our ask", ask + 1) in book.contents_entries()
    lines = book.lines(ask)
    assert lines[0] == "Our ask"
    text = " ".join(lines)
    assert text.startswith(
        "Our ask For the meeting with Office of Senator Jane Smith (D-PA), Thursday, December "
        "3, 2026, 10:30 · Russell Senate Office Building, room 123 Co-sponsor the Second "
        "Chance Reauthorization Act. Fund community violence intervention."
    )
    assert "Talking points • Philadelphia relies less on cash bail." in text
    assert "At the table Mayor Jim Kenney, Mayor William Peduto" in text


def test_each_leave_behind_is_headed_with_the_meeting(packet):
    root, _ = packet
    book = Book(root / FOLDER / "leave-behinds.pdf")
    for page, name in enumerate(["Jim Kenney", "William Peduto"]):
        lines = book.lines(page)
        assert lines[0] == ("Leave-behind · Office of Senator Jane Smith (D-PA) · December 3, 2026")
        assert name in lines


def test_the_draft_is_to_the_scheduler_with_the_read_ahead_attached(packet):
    root, _ = packet
    data = (root / FOLDER / "email.eml").read_bytes()
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["To"] == "scheduler@example.gov"
    assert message["Cc"] == "policy@example.org, Jo Doe <jo@example.org>"
    assert message["X-Unsent"] == "1"
    assert message["From"] is None and message["Date"] is None  # the mail program's to add
    assert message["Subject"] == (
        "Smart on Crime Mayors Coalition: read-ahead for the meeting with Office of Senator "
        "Jane Smith (D-PA), December 3, 2026"
    )
    body = " ".join(message.get_body(("plain",)).get_content().split())
    for words in (
        "Attached is the read-ahead for our meeting with Office of Senator Jane Smith (D-PA).",
        "Thursday, December 3, 2026, 10:30",
        "Russell Senate Office Building, room 123",
        "Mayors: Jim Kenney (Philadelphia, PA), William Peduto (Pittsburgh, PA)",
        "Attached: read-ahead.pdf (1 page,",
    ):
        assert words in body, words
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "read-ahead.pdf"
    assert attachment.get_content() == (root / FOLDER / "read-ahead.pdf").read_bytes()


BROKEN = """\
with: "  "
date: 2026-12-03 10:30
time: "25:00"
themes: [reentri]
states: [XX]
mayors: [kenny]
talking_points: one point
attendees: [Mayor A, Mayor A]
email: {to: not an address, cc: [ok@example.org, "bad@"], bcc: x@example.org}
colour: red
"""


def test_every_mistake_is_located_and_nothing_is_written(tmp_path: Path):
    data_with(tmp_path, {"smith.yaml": BROKEN})
    result = meeting(tmp_path, "data/meetings/smith.yaml")
    assert result.exit_code == 1, result.output
    f = "data/meetings/smith.yaml"
    assert result.stderr.splitlines() == [
        f"{f}:1: with: expected text, found an empty value",
        f"{f}:2: date: expected a date written YYYY-MM-DD, such as 2026-12-03, found "
        "'2026-12-03 10:30'",
        f"{f}:3: time: expected a time such as 10:30, 14:00 or 2:30 PM, found '25:00'",
        f"{f}:4: themes[0]: unknown theme 'reentri'; expected one of: reentry, "
        "youth-and-jobs, root-causes, violence-prevention, community-trust, "
        "police-accountability, bias-reduction, behavioral-health, public-health, diversion, "
        "pretrial; did you mean 'reentry'?",
        f"{f}:5: states[0]: expected a two-letter USPS code such as PA or MN, found 'XX'",
        f"{f}:6: mayors[0]: unknown mayor 'kenny'; expected one of: bowser, carter, "
        "de-blasio, durkan, freeman-wilson, garcetti, hancock, kenney, lumumba, peduto, "
        "stoney, tubbs, walsh, weston-broome, whaley, woodfin; did you mean 'kenney'?",
        f"{f}:7: talking_points: expected a list of talking points, each rich text, found "
        "'one point'",
        f"{f}:8: attendees[1]: 'Mayor A' is listed twice (also attendees[0]); expected each once",
        f"{f}:9: email.bcc: unknown key; expected one of: to, cc; did you mean 'cc'?",
        f"{f}:9: email.cc[1]: 'bad@' is not an email address; expected one such as "
        "scheduler@example.gov",
        f"{f}:9: email.to: 'not an address' is not an email address; expected one such as "
        "scheduler@example.gov",
        f"{f}:10: colour: unknown key; expected one of: with, date, time, place, themes, "
        "states, mayors, ask, talking_points, attendees, email",
        "12 problems found; nothing was written",
    ]
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()
    # validate checks every meeting file of the folder, and says the same
    checked = run("validate", "--data", str(tmp_path / "data"))
    assert checked.exit_code == 1
    assert len(checked.stderr.splitlines()) == 13


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        (
            'date: "2026-02-30"',
            "date: '2026-02-30' is not a day of the calendar (February 2026 "
            "has 28 days); expected a date such as 2026-11-26",
        ),
        (
            "date: 3 December 2026",
            "date: expected a date written YYYY-MM-DD, such as 2026-12-03, found '3 December 2026'",
        ),
        (
            "time: 1030",
            "time: expected a time such as 10:30, 14:00 or 2:30 PM, found a number "
            "(1030); put text in quotes",
        ),
        (
            "themes: [reentry]\nstates: [PA]",
            "themes: no mayor matches themes [reentry] and "
            "states [PA]; expected filters that choose at least one mayor (run 'briefbook list' "
            "with --theme, --state and --mayor to see whom they choose)",
        ),
    ],
)
def test_a_mistake_in_the_day_or_the_filters(tmp_path: Path, written: str, problem: str):
    text = "with: Office of X\ndate: 2026-12-03\n"
    key = written.split(":")[0]
    text = "\n".join(line for line in text.splitlines() if not line.startswith(key + ":"))
    data_with(tmp_path, {"x.yaml": f"{text}\n{written}\n"})
    result = meeting(tmp_path, "x", "--data", "data")
    line = f"{text}\n{written}".splitlines().index(written.splitlines()[0]) + 1
    assert result.stderr.splitlines() == [
        f"data/meetings/x.yaml:{line}: {problem}",
        "1 problem found; nothing was written",
    ]


def test_times_and_days_as_people_write_them(tmp_path: Path):
    files = {
        "a.yaml": "with: A\ndate: 2026-12-03\ntime: 10:30\n",  # YAML 1.1 would read 630
        "b.yaml": 'with: B\ndate: "2026-12-04"\ntime: 2:30 PM\n',
        "c.yaml": "with: C\ndate: 2026-12-05\ntime: '9:05 a.m.'\n",
    }
    data = data_with(tmp_path, files)
    result = run("validate", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("16 mayors, 11 themes, 3 meetings; no problems found\n")
    made = meeting(tmp_path, "b", "--data", "data")
    assert made.exit_code == 0, made.output
    cover = Book(tmp_path / "out/2026-12-04-b/book.pdf").lines(0)
    assert "Friday, December 4, 2026, 2:30 PM" in cover


def test_without_an_ask_or_email_there_is_no_ask_page_and_no_draft(tmp_path: Path):
    data_with(tmp_path, {"smith.yaml": FULL})
    assert meeting(tmp_path, "smith", "--data", "data").exit_code == 0
    folder = tmp_path / FOLDER
    plain = "with: Office of Senator Jane Smith (D-PA)\ndate: 2026-12-03\nmayors: [walsh]\n"
    (tmp_path / "data/meetings/smith.yaml").write_text(plain, "utf-8")
    result = meeting(tmp_path, "smith", "--data", "data")
    assert result.exit_code == 0, result.output
    # the draft an earlier packet left would carry another read-ahead: it is gone
    assert sorted(p.name for p in folder.iterdir()) == [p for p in PAPERS if p != "email.eml"]
    book = Book(folder / "book.pdf")
    assert "Our ask" not in [title for _, title, _ in book.outline()]
    assert "OUR ASK" not in Book(folder / "read-ahead.pdf").text
    assert Book(folder / "leave-behinds.pdf").page_count == 1


def test_a_build_that_fails_leaves_the_earlier_packet_as_it_was(tmp_path: Path):
    data = data_with(tmp_path, {"smith.yaml": FULL})
    assert meeting(tmp_path, "smith", "--data", "data").exit_code == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / FOLDER).iterdir()}
    # Kenney without a brief: the read-ahead warns, and --strict makes that an error
    kenney = data / "mayors" / "kenney.yaml"
    kenney.write_text(re.sub(r"(?m)^brief:.*\n", "", kenney.read_text("utf-8")), "utf-8")
    result = meeting(tmp_path, "smith", "--data", "data", "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{kenney.relative_to(tmp_path)}: brief: no brief; the read-ahead prints the first "
        "sentence of the summary instead (add a brief of at most 60 words to choose the "
        "words) (making read-ahead.pdf with the read-ahead layout)",
        "1 problem found; nothing was written",
    ]
    assert {p.name: p.read_bytes() for p in (tmp_path / FOLDER).iterdir()} == before
    assert [p.name for p in (tmp_path / "out").iterdir()] == [FOLDER.name]


def test_a_file_that_is_not_there(tmp_path: Path):
    data_with(tmp_path, {})
    result = meeting(tmp_path, "jones")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "data/meetings/jones.yaml: no such file; expected a meeting file, such as "
        "data/meetings/smith.yaml",
        "1 problem found; nothing was written",
    ]
