"""Turn a meeting file into its packet: a folder, out/<date>-<id>/, holding the read-ahead,
the book and the leave-behinds made for that meeting and, when the file says whom to send
it to, the email draft that carries the read-ahead. Every paper is built before any is put
in the folder: all of them are written, or none."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from briefbook.build import Options, Result, build, checked_output, load_and_select, slug
from briefbook.errors import DataError, OutputError, Problem, ProblemsError
from briefbook.layoutfolder import load_layout
from briefbook.meeting import checked_meeting, data_folder_of, meeting_file, read_meeting
from briefbook.model import Book, Meeting
from briefbook.workers import cores, in_order

# Each paper of a packet: its file name in the folder, and the layout it is built with.
PAPERS = (
    ("read-ahead.pdf", "read-ahead"),  # sent before the meeting
    ("book.pdf", "default"),  # on the table
    ("leave-behinds.pdf", "one-pager"),  # one page per mayor, handed over after it
)
DRAFT = "email.eml"


@dataclass(frozen=True)
class Request:
    """Everything `briefbook meeting` can be asked for."""

    meeting: str  # a meeting file, or a meeting's id in the data folder's meetings/
    data: Path | None = None  # None: the folder that holds the file's meetings/
    output: Path | None = None  # the packet's folder; None: out/<date>-<id>
    quality: str = "email"
    paper: str | None = None
    duplex: bool = False
    strict: bool = False


@dataclass(frozen=True)
class Packet:
    folder: Path
    meeting: Meeting
    papers: tuple[Result, ...]  # in the order of PAPERS, each in `folder`
    draft: Path | None = None
    draft_size: int = 0
    warnings: tuple[Problem, ...] = ()  # each once, in the order first met


def prepare(request: Request) -> Packet:
    """read the meeting -> check it against the data -> build each paper -> the draft ->
    move them all into the folder."""
    path = meeting_file(request.meeting, request.data)
    data = request.data if request.data is not None else data_folder_of(path)
    meeting, book = load_meeting(path, data, request.strict)
    folder = request.output or Path("out") / f"{meeting.date.isoformat()}-{slug(meeting.id)}"
    base = Options(
        data=data,
        themes=meeting.themes,
        states=meeting.states,
        mayors=meeting.mayors,
        date=meeting.date,
        strict=request.strict,
        quality=request.quality,
        paper=request.paper,
        duplex=request.duplex,
        meeting=meeting,
    )
    names = [name for name, _ in PAPERS] + ([DRAFT] if meeting.email_to else [])
    with staged(folder, names) as staging:
        jobs = [replace(base, layout=lay, output=staging / name) for name, lay in PAPERS]
        papers = list(in_order(paper, jobs, cores()))  # side by side, on every core
        draft, draft_size = None, 0
        if meeting.email_to:
            from briefbook.draft import write_draft

            draft = folder / DRAFT
            draft_size = write_draft(meeting_draft(meeting, book, papers[0]), staging / DRAFT)
    warnings = dict.fromkeys(w for r in papers for w in r.warnings)
    papers = [replace(r, output=folder / r.output.name) for r in papers]
    return Packet(folder, meeting, tuple(papers), draft, draft_size, tuple(warnings))


def paper(options: Options) -> Result:
    """One paper of the packet; a problem only it has (a record too long for a leave-behind)
    says which paper, since the command line named none."""
    try:
        return build(options)
    except ProblemsError as err:
        named = f" (making {options.output.name} with the {options.layout} layout)"
        said = [replace(p, message=p.message + named) for p in err.problems]
        raise type(err)(said) from None


def load_meeting(path: Path, data: Path, strict: bool = False) -> tuple[Meeting, Book]:
    """The meeting checked against the data folder, and the book; DataError with the
    problems of both at once."""
    layout = load_layout("default")  # its fonts must draw the meeting's words
    doc, problems = read_meeting(path, layout.glyphs.missing)
    try:
        book, _, _ = load_and_select(Options(data=data, strict=strict), layout)
    except DataError as err:
        raise DataError([*err.problems, *problems]) from None
    if doc is None:
        raise DataError(problems)
    return checked_meeting(doc, book, problems), book


@contextlib.contextmanager
def staged(folder: Path, names: list[str]) -> Iterator[Path]:
    """A new, hidden folder beside `folder` to build the packet in; when the block ends
    without an exception, its files `names` replace those of `folder` (made if need be), and
    a draft an earlier packet left there is removed when this one has none. The staging
    folder is removed in any case."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder; expected a folder for the papers")
    for name, _ in PAPERS:
        checked_output(folder / name)  # an existing file is replaced only if it is a PDF
    if (folder / DRAFT).is_dir():
        raise OutputError(f"{folder / DRAFT}: is a folder; expected a path for the draft (.eml)")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".part", dir=folder.parent)
        )
    except OSError as err:
        raise OutputError(f"{folder}: cannot write here ({err.strerror or err})") from None
    try:
        yield staging
        try:
            folder.mkdir(exist_ok=True)
            for name in names:
                os.replace(staging / name, folder / name)
            if DRAFT not in names and (folder / DRAFT).is_file():
                (folder / DRAFT).unlink()  # it carried an earlier read-ahead, not this one
        except OSError as err:
            raise OutputError(
                f"{folder}: cannot write the papers ({err.strerror or err})"
            ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def meeting_draft(meeting: Meeting, book: Book, read_ahead: Result):
    """The email that sends the read-ahead: to the scheduler, the meeting named with its day,
    time and place, the mayors it is about, the read-ahead attached."""
    from briefbook.dates import day_words
    from briefbook.draft import Draft, edition_body
    from briefbook.select import select_mayors
    from briefbook.sizes import size_words

    when = day_words(meeting.date, weekday=True) + (f", {meeting.time}" if meeting.time else "")
    lines = [when]
    if meeting.place:
        lines.append(meeting.place)
    focus = [book.theme(t).label for t in meeting.themes]
    if focus:
        lines.append("Focus: " + ", ".join(focus))
    if meeting.attendees:
        lines.append("Attending: " + ", ".join(meeting.attendees))
    chosen = select_mayors(book, meeting.themes, meeting.states, meeting.mayors).mayors
    mayors = [f"{m.name} ({m.city}, {m.state})" for m in chosen]
    pages = f"{read_ahead.pages} page{'' if read_ahead.pages == 1 else 's'}"
    files = [f"{read_ahead.output.name} ({pages}, {size_words(read_ahead.size)})"]
    sender = book.organization or book.title
    return Draft(
        to=meeting.email_to,
        cc=meeting.email_cc,
        subject=f"{sender}: read-ahead for the meeting with {meeting.counterpart}, "
        f"{day_words(meeting.date)}",
        body=edition_body(f"our meeting with {meeting.counterpart}", lines, mayors, files),
        attachments=(read_ahead.output,),
    )
