"""Turn recipients, a subject, a short text and an edition's PDFs into an email draft (.eml):
an RFC 5322 message marked `X-Unsent: 1`, with the PDFs attached, whose bytes depend on
nothing but what went into it.

`checked_addresses` turns command-line values into header-safe addresses, `edition_body`
writes the few lines naming the meeting and the mayors, `draft_bytes` builds the message and
`write_draft` puts it on disk whole or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import secrets
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from briefbook.errors import OptionError, OutputError

# CRLF line ends and 7-bit headers (non-ASCII as RFC 2047 encoded words): what RFC 5322 asks
# of a message on disk, and what Outlook (the program that honours X-Unsent) and the Windows
# mail handlers expect of an .eml; Thunderbird and Apple Mail read it as well as they read
# bare LF. The body is quoted-printable and the PDFs base64, so every line of the file is
# ASCII and at most 78 characters long: nothing for a mail program or a relay to re-encode.
POLICY = email_policy.SMTP

EXAMPLE = "scheduler@example.gov"
WIDTH = 76  # of the plain-text body's lines: under the 78 that mail programs show unwrapped

# A host name: letters, digits and inner hyphens, at least two labels (example.gov).
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
# Set before the hash is taken, so that the hash covers everything but the boundary itself.
_PLACEHOLDER = "=_briefbook"
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True, kw_only=True)
class Draft:
    """What an email draft holds. Addresses are single addresses as checked_addresses
    returns them; the attachments are files to read when the message is built."""

    to: tuple[str, ...]
    cc: tuple[str, ...] = ()
    subject: str
    body: str
    attachments: tuple[Path, ...]
    # None: no Date header. A mail program dates a draft when it is sent, and a date of
    # "now" would make the same inputs give different bytes; reproducible builds pass the
    # date they mean (a naive datetime is written with the zone -0000, "unknown").
    date: dt.datetime | None = None
    # None: no From header; the mail program fills in the account the draft is sent from.
    sender: str | None = None


def checked_addresses(values: Sequence[str], option: str) -> tuple[str, ...]:
    """Each value as one email address in header form ('jane@example.gov', 'Jane Smith
    <jane@example.gov>'); OptionError naming `option` (without dashes) for the first value
    that is not exactly one plausible address. Nothing that could end a header line gets
    through."""
    checked = []
    for value in values:
        address, count = _parsed(value)
        if address is None:
            shown = _shown(value)
            if count > 1:
                message = f"'{shown}' is {count} addresses; expected one, such as {EXAMPLE}"
            else:
                message = f"'{shown}' is not an email address; expected one such as {EXAMPLE}"
            raise OptionError(option, message)
        checked.append(str(address))
    return tuple(checked)


def edition_body(
    title: str,
    subtitle_lines: Sequence[str],
    mayors: Sequence[str],
    files: Sequence[str],
    *,
    what: str = "the read-ahead",
) -> str:
    """The draft's plain text: a greeting, what is attached for which meeting, the
    subtitle's lines (the meeting, its date), the mayors, then one 'Attached:' line per
    file ('read-ahead.pdf (2 pages, 64 KB)'). Every line is under 78 characters; the sender
    adds their own signature."""
    lines = ["Hello,", ""]
    lines += _wrapped(f"Attached is {what} for {title}.")
    for line in subtitle_lines:
        lines += _wrapped(line, indent=4)
    if mayors:
        label = "Mayors: " if len(mayors) > 1 else "Mayor: "
        lines += _wrapped(label + ", ".join(mayors), indent=len(label))
    if files:
        lines.append("")
        for file in files:
            lines += _wrapped(f"Attached: {file}", indent=4)
    return "\n".join(lines) + "\n"


def draft_bytes(draft: Draft) -> bytes:
    """The draft as the bytes of an .eml file: the same Draft (and attachment bytes) gives
    the same bytes on any machine, on any day. ValueError for an address that
    checked_addresses would refuse: a caller's mistake, never written into a header."""
    message = EmailMessage(policy=POLICY)
    if draft.sender is not None:
        message["From"] = _header_address(draft.sender)
    if draft.to:
        message["To"] = [_header_address(a) for a in draft.to]
    if draft.cc:
        message["Cc"] = [_header_address(a) for a in draft.cc]
    message["Subject"] = _one_line(draft.subject)
    if draft.date is not None:
        message["Date"] = draft.date
    message["X-Unsent"] = "1"  # mail programs that know it open the file as a draft to edit
    # No Message-ID: the mail program gives the message one when it is sent.
    message.set_content(draft.body, charset="utf-8", cte="quoted-printable")
    for path in draft.attachments:
        kind = "pdf" if path.suffix.lower() == ".pdf" else "octet-stream"
        message.add_attachment(
            path.read_bytes(), maintype="application", subtype=kind, filename=path.name
        )
    if not message.is_multipart():
        return message.as_bytes()
    for part in message.iter_parts():
        del part["MIME-Version"]  # the email package repeats it in each part; once is enough
    # The email package would draw a random boundary; this one comes from the message
    # itself. "=_" can appear in neither quoted-printable nor base64 text, so no line of a
    # part can be mistaken for it.
    message.set_boundary(_PLACEHOLDER)
    digest = hashlib.sha256(message.as_bytes()).hexdigest()
    message.set_boundary(f"{_PLACEHOLDER}_{digest[:32]}")
    return message.as_bytes()


def write_draft(draft: Draft, target: Path) -> int:
    """Write the draft to `target` whole, or leave the target as it was: through a temporary
    file beside it (`.<name>.<8 hex digits>.part`), renamed over it when complete and
    removed on any failure or stop signal. The folder must exist (the draft goes beside
    the edition). Return the number of bytes written. OutputError when it cannot be
    written."""
    data = draft_bytes(draft)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; expected a path for the draft (.eml)")
    if not target.parent.is_dir():
        raise OutputError(
            f"{target}: cannot write here (no folder {target.parent}); expected an existing folder"
        )
    temp: Path | None = None
    try:
        for _ in range(100):
            # Named before it exists, so that a signal arriving the instant after the file is
            # created still finds the name to remove below.
            temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
            try:
                # The mode any new file gets there (0o666 less the umask), as the PDF has.
                fd = os.open(temp, _CREATE, 0o666)
                break
            except FileExistsError:
                temp = None  # another file's name: never ours to remove
        else:
            raise OutputError(f"{target}: cannot write here (no free temporary file name)")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the rename, as the PDF is
        os.replace(temp, target)
        temp = None
    except OSError as err:
        raise OutputError(f"{target}: cannot write the draft ({err.strerror or err})") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
    return len(data)


def _parsed(value: str) -> tuple[Address | None, int]:
    """The one address `value` holds, or None and how many addresses the parser found."""
    # Unprintable covers every line break (CR, LF, U+2028, ...), tabs and control
    # characters: whatever could end a header line, or hide in one, is refused first.
    if not value.strip() or not value.isprintable():
        return None, 0
    try:
        header = POLICY.header_factory("To", value)
    # The email package's address parser raises more than its own error on some bad input
    # (IndexError for 'jane@' in Python 3.11): any exception means "not an address".
    except Exception:
        return None, 0
    addresses = header.addresses
    if len(addresses) != 1:
        return None, len(addresses)
    if header.defects or header.groups[0].display_name is not None:
        return None, 1  # a group ('team: a@x.org;') or text the parser had to skip
    address = addresses[0]
    spec = address.addr_spec
    plausible = (
        spec.isascii()
        and spec.count("@") == 1
        and " " not in spec
        and address.username
        and _DOMAIN.fullmatch(address.domain)
    )
    return (address, 1) if plausible else (None, 1)


def _header_address(value: str) -> Address:
    address, _ = _parsed(value)
    if address is None:
        raise ValueError(f"{value!r} is not a checked email address (see checked_addresses)")
    return address


def _one_line(text: str) -> str:
    """`text` as one header line: line breaks and other whitespace runs become one space,
    control characters are dropped, so a subject can never start a header of its own."""
    words = " ".join(text.split())
    return "".join(c for c in words if unicodedata.category(c) != "Cc")


def _shown(value: str, most: int = 60) -> str:
    """`value` as an error message quotes it: unprintable characters as '?', and at most
    `most` characters, then '…'."""
    shown = "".join(c if c.isprintable() else "?" for c in value[:most])
    return shown + ("…" if len(value) > most else "")


def _wrapped(text: str, indent: int = 0) -> list[str]:
    """`text` as lines of at most WIDTH characters, the later ones indented by `indent`;
    words are never broken, nor split at their hyphens (Winston-Salem)."""
    return textwrap.wrap(
        text,
        WIDTH,
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]
