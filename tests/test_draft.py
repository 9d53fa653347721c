"""The email draft (.eml): parsed back as a mail program reads it, the same bytes for the same
inputs, addresses that cannot smuggle in a header, and a file written whole or not at all."""

from __future__ import annotations

import datetime as dt
import email.policy
import os
import re
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from briefbook import draft as draft_module
from briefbook.draft import Draft, checked_addresses, draft_bytes, edition_body, write_draft
from briefbook.errors import OptionError, OutputError

SUBJECT = "Réentrée — Senator Müller"
BODY = "Hello,\n\nAttached is the read-ahead for Réentrée.\n"
EXPECTED = "expected one such as scheduler@example.gov"


def small_pdf(path: Path, words: str = "Read-ahead") -> Path:
    pdf = canvas.Canvas(str(path), invariant=1)  # invariant: the same bytes every run
    pdf.drawString(72, 720, words)
    pdf.showPage()
    pdf.save()
    return path


def parsed(data: bytes) -> EmailMessage:
    return BytesParser(policy=email.policy.default).parsebytes(data)


def a_draft(tmp_path: Path, **changes) -> Draft:
    fields = {
        "to": ("Jane Smith <jane@example.gov>", "scheduler@example.gov"),
        "cc": ("Jürgen Müller <j.mueller@example.org>",),
        "subject": SUBJECT,
        "body": BODY,
        "attachments": (small_pdf(tmp_path / "read-ahead.pdf"),),
    }
    return Draft(**{**fields, **changes})


def test_the_draft_parses_back_with_its_headers_body_and_attachment(tmp_path: Path):
    draft = a_draft(tmp_path)
    message = parsed(draft_bytes(draft))

    assert [str(a) for a in message["To"].addresses] == [
        "Jane Smith <jane@example.gov>",
        "scheduler@example.gov",
    ]
    assert [str(a) for a in message["Cc"].addresses] == ["Jürgen Müller <j.mueller@example.org>"]
    assert message["Subject"] == SUBJECT
    assert message["X-Unsent"] == "1"
    assert message["MIME-Version"] == "1.0"
    # Left to the mail program: the account it is sent from, the time and the id of sending.
    for absent in ("From", "Date", "Message-ID", "Bcc"):
        assert message[absent] is None, absent
    assert message.get_content_type() == "multipart/mixed"

    text, attachment = message.iter_parts()
    assert text.get_content_type() == "text/plain"
    assert text.get_content_charset() == "utf-8"
    assert text.get_content().splitlines() == BODY.splitlines()  # CRLF, as on the wire
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "read-ahead.pdf"
    assert attachment["Content-Transfer-Encoding"] == "base64"
    assert attachment.get_content() == (tmp_path / "read-ahead.pdf").read_bytes()
    assert attachment["MIME-Version"] is None  # once, at the top
    assert [p.get_filename() for p in message.iter_attachments()] == ["read-ahead.pdf"]


def test_the_file_is_seven_bit_with_crlf_lines_of_at_most_78_characters(tmp_path: Path):
    data = draft_bytes(a_draft(tmp_path))
    assert data.isascii()
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


def test_sender_and_date_are_written_when_given(tmp_path: Path):
    when = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    message = parsed(
        draft_bytes(a_draft(tmp_path, sender="Coalition <office@example.org>", date=when))
    )
    assert str(message["From"]) == "Coalition <office@example.org>"
    assert message["Date"] == "Wed, 02 Dec 2026 09:00:00 +0000"
    assert message["Date"].datetime == when


def test_several_attachments_keep_their_order_and_bytes(tmp_path: Path):
    book = small_pdf(tmp_path / "book.pdf", "Book")
    ahead = small_pdf(tmp_path / "read-ahead.pdf", "Read-ahead")
    message = parsed(draft_bytes(a_draft(tmp_path, attachments=(book, ahead))))
    parts = list(message.iter_attachments())
    assert [p.get_filename() for p in parts] == ["book.pdf", "read-ahead.pdf"]
    assert [p.get_content() for p in parts] == [book.read_bytes(), ahead.read_bytes()]


def test_a_non_ascii_file_name_is_encoded_per_rfc_2231(tmp_path: Path):
    pdf = small_pdf(tmp_path / "Réentrée — réunion du sénateur Müller à la mairie.pdf")
    data = draft_bytes(a_draft(tmp_path, attachments=(pdf,)))
    assert b"filename*0*=utf-8''R%C3%A9entr%C3%A9e" in data
    (attachment,) = parsed(data).iter_attachments()
    assert attachment.get_filename() == pdf.name
    assert attachment.get_content() == pdf.read_bytes()


def test_a_draft_without_attachments_is_a_single_text_part(tmp_path: Path):
    message = parsed(draft_bytes(a_draft(tmp_path, attachments=())))
    assert message.get_content_type() == "text/plain"
    assert message.get_content().splitlines() == BODY.splitlines()
    assert message["X-Unsent"] == "1"


def test_the_same_draft_gives_the_same_bytes_and_another_pdf_other_bytes(tmp_path: Path):
    first = draft_bytes(a_draft(tmp_path))
    assert draft_bytes(a_draft(tmp_path)) == first

    boundary = parsed(first).get_boundary()
    assert re.fullmatch(r"=_briefbook_[0-9a-f]{32}", boundary)

    other_pdf = small_pdf(tmp_path / "other.pdf", "Another read-ahead")
    other = draft_bytes(a_draft(tmp_path, attachments=(other_pdf.rename(tmp_path / "x.pdf"),)))
    renamed = small_pdf(tmp_path / "x.pdf")  # the first PDF's bytes under the other's name
    assert renamed.read_bytes() == (tmp_path / "read-ahead.pdf").read_bytes()
    same_bytes = draft_bytes(a_draft(tmp_path, attachments=(renamed,)))
    assert len({first, other, same_bytes}) == 3
    assert parsed(other).get_boundary() != boundary  # the boundary follows the contents


def test_an_address_with_a_line_break_is_refused(tmp_path: Path):
    with pytest.raises(OptionError) as caught:
        checked_addresses(["jane@example.gov\r\nBcc: evil@x"], "eml")
    assert caught.value.option == "eml"
    assert (
        str(caught.value) == f"'jane@example.gov??Bcc: evil@x' is not an email address; {EXPECTED}"
    )
    # An unchecked address given straight to a Draft never reaches a header either.
    for field in ("to", "cc", "sender"):
        value = "jane@example.gov\r\nBcc: evil@x"
        bad = a_draft(tmp_path, **{field: value if field == "sender" else (value,)})
        with pytest.raises(ValueError, match="is not a checked email address"):
            draft_bytes(bad)


@pytest.mark.parametrize("subject", ["Hi\r\nBcc: evil@x", "Hi\nBcc: evil@x", "Hi\u2028Bcc: evil@x"])
def test_a_subject_with_a_line_break_cannot_start_a_header(tmp_path: Path, subject: str):
    message = parsed(draft_bytes(a_draft(tmp_path, subject=subject)))
    assert message["Bcc"] is None
    assert message["Subject"] == "Hi Bcc: evil@x"
    assert [str(a) for a in message["To"].addresses][1] == "scheduler@example.gov"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("jane@", f"'jane@' is not an email address; {EXPECTED}"),
        ("no-at-sign", f"'no-at-sign' is not an email address; {EXPECTED}"),
        ("a@b", f"'a@b' is not an email address; {EXPECTED}"),
        ("two@@x.org", f"'two@@x.org' is not an email address; {EXPECTED}"),
        ("", f"'' is not an email address; {EXPECTED}"),
        ("   ", f"'   ' is not an email address; {EXPECTED}"),
        (
            "x@y.org, z@w.org",
            "'x@y.org, z@w.org' is 2 addresses; expected one, such as scheduler@example.gov",
        ),
        ("jane smith@example.gov", f"'jane smith@example.gov' is not an email address; {EXPECTED}"),
        ("jane@.example.gov", f"'jane@.example.gov' is not an email address; {EXPECTED}"),
        (
            "Jane <jane@example.gov> x",
            f"'Jane <jane@example.gov> x' is not an email address; {EXPECTED}",
        ),
        ("team: a@example.gov;", f"'team: a@example.gov;' is not an email address; {EXPECTED}"),
        ("jane@example.gov\tx", f"'jane@example.gov?x' is not an email address; {EXPECTED}"),
        ("j\x00@example.gov", f"'j?@example.gov' is not an email address; {EXPECTED}"),
        ("x" * 61 + "@", f"'{'x' * 60}…' is not an email address; {EXPECTED}"),
    ],
)
def test_a_bad_address_is_refused_saying_what_was_found(value: str, message: str):
    with pytest.raises(OptionError) as caught:
        checked_addresses(["scheduler@example.gov", value], "eml")
    assert caught.value.option == "eml"
    assert str(caught.value) == message


def test_good_addresses_come_back_in_header_form():
    assert checked_addresses(
        [
            "scheduler@example.gov",
            "  Jane Smith <jane@example.gov> ",
            '"Smith, Jane" <jane.smith+meetings@city-hall.example.gov>',
            "Jürgen Müller <j@example.de>",
        ],
        "eml",
    ) == (
        "scheduler@example.gov",
        "Jane Smith <jane@example.gov>",
        '"Smith, Jane" <jane.smith+meetings@city-hall.example.gov>',
        "Jürgen Müller <j@example.de>",
    )
    assert checked_addresses([], "eml") == ()


def test_write_draft_writes_the_bytes_and_leaves_nothing_else(tmp_path: Path):
    draft = a_draft(tmp_path)
    target = tmp_path / "email.eml"
    target.write_bytes(b"an older draft")
    size = write_draft(draft, target)
    assert target.read_bytes() == draft_bytes(draft)
    assert size == target.stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir()) == ["email.eml", "read-ahead.pdf"]


def test_write_draft_into_a_missing_folder_fails_and_writes_nothing(tmp_path: Path):
    draft = a_draft(tmp_path)
    target = tmp_path / "missing" / "email.eml"
    with pytest.raises(OutputError) as caught:
        write_draft(draft, target)
    assert str(caught.value) == (
        f"{target}: cannot write here (no folder {tmp_path / 'missing'}); "
        "expected an existing folder"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["read-ahead.pdf"]


def test_write_draft_onto_a_folder_fails(tmp_path: Path):
    (tmp_path / "email.eml").mkdir()
    with pytest.raises(OutputError) as caught:
        write_draft(a_draft(tmp_path), tmp_path / "email.eml")
    assert str(caught.value) == (
        f"{tmp_path / 'email.eml'}: is a folder; expected a path for the draft (.eml)"
    )


def test_a_failed_write_removes_its_temporary_file_and_keeps_the_old_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    target = tmp_path / "email.eml"
    target.write_bytes(b"an older draft")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(draft_module.os, "fsync", full_disk)
    with pytest.raises(OutputError) as caught:
        write_draft(a_draft(tmp_path), target)
    assert str(caught.value) == f"{target}: cannot write the draft (No space left on device)"
    assert target.read_bytes() == b"an older draft"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["email.eml", "read-ahead.pdf"]


def test_a_stop_during_the_write_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def stopped(source: os.PathLike, target: os.PathLike) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(draft_module.os, "replace", stopped)
    with pytest.raises(KeyboardInterrupt):
        write_draft(a_draft(tmp_path), tmp_path / "email.eml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["read-ahead.pdf"]


def test_the_edition_body_names_the_meeting_its_date_and_the_mayors():
    body = edition_body(
        "Smart on Crime: Reentry",
        ["Meeting: Office of Senator Jane Smith, Thursday, December 3, 2026, 10:30"],
        ["Jim Kenney (Philadelphia, PA)", "William Peduto (Pittsburgh, PA)"],
        ["read-ahead.pdf (2 pages, 64 KB)"],
    )
    assert body == (
        "Hello,\n"
        "\n"
        "Attached is the read-ahead for Smart on Crime: Reentry.\n"
        "Meeting: Office of Senator Jane Smith, Thursday, December 3, 2026, 10:30\n"
        "Mayors: Jim Kenney (Philadelphia, PA), William Peduto (Pittsburgh, PA)\n"
        "\n"
        "Attached: read-ahead.pdf (2 pages, 64 KB)\n"
    )


def test_a_long_list_of_mayors_wraps_under_78_characters_keeping_words_whole():
    mayors = [f"Allen Joines (Winston-Salem, NC) {n}" for n in range(8)]
    body = edition_body("Book", [], mayors, [], what="the briefing book")
    lines = body.splitlines()
    assert lines[2] == "Attached is the briefing book for Book."
    assert lines[3].startswith("Mayors: Allen Joines")
    assert all(line.startswith(" " * 8) for line in lines[4:])
    assert max(len(line) for line in lines) < 78
    assert " ".join(body.split()) == (
        "Hello, Attached is the briefing book for Book. Mayors: " + ", ".join(mayors)
    )
    assert body.count("Winston-Salem") == 8


def test_one_mayor_is_named_in_the_singular():
    body = edition_body("Book", [], ["Muriel Bowser (Washington, DC)"], [])
    assert body.splitlines()[-1] == "Mayor: Muriel Bowser (Washington, DC)"
