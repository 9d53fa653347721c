"""Turn a target path into a file to write whose bytes appear at that path whole, or not at all.

`with atomic_pdf(path) as handle:` gives a temporary file beside the target, named
`.<name>.<random>.part`; when the block ends normally the file is flushed to disk and renamed
over the target in one step, and when it ends by any exception (a layout error, Ctrl-C,
SIGTERM) the temporary file is removed and the target is left as it was. Folders the write
had to create are removed again if no book ends up in them.

Only a SIGKILL or a power cut can leave a temporary file behind. The next build of the same
target removes it: it holds an advisory lock on its own temporary file from creation to
rename, so a `.part` file older than a minute whose lock can be taken belongs to a build that
is no longer running.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from briefbook import stops
from briefbook.errors import OutputError

try:
    import fcntl
except ImportError:  # no advisory locks (Windows): a live build cannot be told from a dead one
    fcntl = None

# A build's temporary file stays untouched while ReportLab lays the book out (it writes every
# byte at the end), so its age is the age of the build; a minute leaves room for a slow disk
# between creating the file and locking it, which takes microseconds.
STALE_AFTER = 60.0

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_INSPECT = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO planted under a matching name must not block us
    | getattr(os, "O_CLOEXEC", 0)
)


def temporary_pattern(output: Path) -> re.Pattern[str]:
    """Names of the temporary files a build of `output` makes, and only those. Eight
    characters of [0-9a-z_] also covers the names earlier versions made with tempfile."""
    return re.compile(rf"\.{re.escape(output.name)}\.[0-9a-z_]{{8}}\.part")


@contextlib.contextmanager
def atomic_pdf(output: Path) -> Iterator[BinaryIO]:
    """A binary file whose contents replace `output` when the block ends without an exception.

    OSErrors of our own (creating folders or the file, writing, renaming) become OutputError;
    an OSError raised in the block about some other file (a picture that cannot be read)
    passes through unchanged, for the caller to word.
    """
    if output.is_dir():
        raise OutputError(f"{output}: is a folder; expected a path for the PDF file")
    created = [p for p in (output.parent, *output.parent.parents) if not p.exists()]
    temp: Path | None = None
    try:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise _cannot_create(output, err) from None
        remove_stale(output)
        for _ in range(100):
            # Named before it exists, so that a signal arriving the instant after the file is
            # created still finds the name to remove in `finally` below.
            temp = output.with_name(f".{output.name}.{secrets.token_hex(4)}.part")
            fd = _create(temp, output)
            if fd is not None:
                break
            temp = None  # another file's name: never ours to remove
        else:
            raise OutputError(f"{output}: cannot write here (no free temporary file name)")
        handle = _locked(fd)
        with handle:
            try:
                yield handle
                handle.flush()
                # On disk before the rename: after a power cut the target holds either the old
                # book or the new one, never an empty file.
                os.fsync(handle.fileno())
                # A stop signal's exception may have been swallowed on its way out of ReportLab;
                # the book is then complete, but the user asked for nothing to be written.
                stops.check()
                # From here the build is done: a stop signal waits for the exit, and no status
                # can say "nothing was written" about a book that was (see stops.hold).
                stops.hold()
                try:
                    # Renamed while still locked, so no other build takes it for a dead one's.
                    os.replace(temp, output)
                except BaseException:
                    stops.release()  # not renamed: a signal that waited stops the build now
                    raise
            except OSError as err:
                if err.filename is not None and str(err.filename) not in (str(temp), str(output)):
                    raise
                raise OutputError(
                    f"{output}: cannot write the PDF ({err.strerror or err})"
                ) from None
        temp = None  # renamed into place: nothing to remove
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
        if not output.exists():
            for folder in created:  # innermost first; only the ones this build made
                with contextlib.suppress(OSError):
                    folder.rmdir()


def _create(temp: Path, output: Path) -> int | None:
    """A descriptor of the new file `temp`, or None if that name is taken. Created with the
    mode any new file gets there: open()'s 0o666 less the umask, which the system applies
    itself, so the umask is never changed (changing it, even for a moment, races with every
    other thread)."""
    try:
        return os.open(temp, _CREATE, 0o666)
    except FileExistsError:
        return None
    except OSError as err:
        raise _cannot_create(output, err) from None


def _locked(fd: int) -> BinaryIO:
    """The file `fd`, locked for as long as it is open: the mark of a live build."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def _cannot_create(output: Path, err: OSError) -> OutputError:
    blocking = next((p for p in output.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        return OutputError(f"{output}: {blocking} is a file; expected a folder there")
    return OutputError(f"{output}: cannot write here ({err.strerror or err})")


def remove_stale(output: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files that builds of `output` killed mid-write left beside it:
    only names of our own pattern, regular files, older than STALE_AFTER and unlocked.
    Return what was removed. Anything unexpected (a permission, a race) just skips a file."""
    if fcntl is None:
        return []
    now = time.time() if now is None else now
    pattern = temporary_pattern(output)
    removed = []
    try:
        entries = [e for e in os.scandir(output.parent) if pattern.fullmatch(e.name)]
    except OSError:
        return []
    for entry in entries:
        path = Path(entry.path)
        with contextlib.suppress(OSError):
            if _remove_if_stale(path, now):
                removed.append(path)
    return removed


def _remove_if_stale(path: Path, now: float) -> bool:
    fd = os.open(path, _INSPECT)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE_AFTER:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a build is still writing it
        # The name may have been given to another file since we opened it.
        current = os.stat(path, follow_symlinks=False)
        if (current.st_dev, current.st_ino) != (info.st_dev, info.st_ino):
            return False
        path.unlink()
        return True
    finally:
        os.close(fd)
