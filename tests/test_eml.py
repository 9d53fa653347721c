"""`build --eml ADDRESS`: an email draft beside the edition, the book attached, read back
with Python's own mail parser."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from support import build_args, run_cli


def test_a_draft_beside_the_edition_carries_the_book(tmp_path: Path):
    pdf = tmp_path / "reentry.pdf"
    args = ("--theme", "reentry", "--layout", "read-ahead", "--eml", "Jo <sched@example.gov>")
    result = run_cli(build_args(*args, output=pdf))
    assert result.exit_code == 0, result.output
    eml = tmp_path / "reentry.eml"
    assert result.stdout.splitlines()[1] == (
        f"{eml}: a draft to Jo <sched@example.gov>, reentry.pdf attached"
    )
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == "Jo <sched@example.gov>"
    assert message["Subject"] == "Smart on Crime: Reentry and second chances"
    assert message["X-Unsent"] == "1"
    body = message.get_body(("plain",)).get_content()
    assert "Attached is the read-ahead for Smart on Crime." in body
    for name in ("Muriel Bowser", "Marty Walsh", "Levar Stoney"):
        assert name in " ".join(body.split())
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "reentry.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == pdf.read_bytes()


def test_a_bad_address_is_refused_before_anything_is_written(tmp_path: Path):
    pdf = tmp_path / "book.pdf"
    result = run_cli(build_args("--eml", "scheduler@", output=pdf))
    assert result.exit_code == 2
    assert (
        "Invalid value for '--eml': 'scheduler@' is not an email address; expected one such "
        "as scheduler@example.gov"
    ) in result.output
    assert list(tmp_path.iterdir()) == []
