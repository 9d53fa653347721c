"""Turn a path under a trusted root into the bytes of a regular file, or a refusal in words.

Data and layout folders travel by git and email, so nothing in them is trusted: every path
is resolved (symlinks included) and must stay inside its root, only regular files are
opened (a FIFO would block forever, /dev/zero would never end), and no more than a stated
number of bytes is ever read. A refusal never quotes the file it refused.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class Refused(Exception):
    """Why a file was not read, in words fit for a problem message."""


def inside(root: Path, path: Path) -> Path:
    """`path` with every symlink resolved, refused unless it lies inside `root` (resolved)."""
    base = root.resolve()
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            raise Refused(
                f"it is a symlink to '{os.readlink(path)}', which does not exist; "
                "expected a file, or a symlink to one"
            ) from None
        raise Refused("file not found") from None
    except (OSError, RuntimeError) as err:  # RuntimeError: a symlink loop (Python < 3.13)
        looped = isinstance(err, RuntimeError) or getattr(err, "errno", None) == errno.ELOOP
        reason = "a symlink that leads back to itself" if looped else (err.strerror or err)
        raise Refused(f"cannot follow the path ({reason}); expected a file") from None
    if not real.is_relative_to(base):
        raise Refused(
            f"it leads outside {root} (through a symlink or '..'); expected a file inside it"
        )
    return real


def read_inside(root: Path, path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path` inside `root`, at most `limit` of them."""
    return read_regular(inside(root, path), limit)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; for a path already
    checked with `inside` (the check and the read may be apart in time, so the kind and the
    size are checked again on the open file)."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise Refused(_cannot_read(err)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"it is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise Refused(f"file is {info.st_size:,} bytes; expected at most {limit:,} bytes")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew while we read it
            raise Refused(f"file is over {limit:,} bytes; expected at most {limit:,} bytes")
        return b"".join(chunks)
    except OSError as err:
        raise Refused(_cannot_read(err)) from None
    finally:
        os.close(fd)


def regular_inside(root: Path, path: Path) -> Path:
    """`path` resolved, refused unless it is a regular file inside `root`: for files another
    library opens itself (fonts, pictures)."""
    real = inside(root, path)
    try:
        mode = real.stat().st_mode
    except OSError as err:
        raise Refused(_cannot_read(err)) from None
    if not stat.S_ISREG(mode):
        raise Refused(f"it is {_kind(mode)}, not a regular file")
    return real


def _cannot_read(err: OSError) -> str:
    return f"cannot read it ({err.strerror or err}); expected a file you may read"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
