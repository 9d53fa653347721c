"""The stop signals: the handler that turns SIGINT, SIGTERM and SIGHUP into Interrupted,
and the state the rest of the program asks (`check`) or sets (`hold`, `release`). It imports
nothing but the C part of `signal`, so that briefbook.launch can install the handlers before
the heavy imports, and the atomic write and the command line can use it without importing
the command line back.

SIGINT (Ctrl-C), SIGTERM (what `timeout`, systemd and container runtimes send) and SIGHUP
(a closed terminal) all raise Interrupted wherever Python is; the `with` blocks it passes
through on its way out remove the temporary PDF, and the process exits with 128 + the
signal's number, the status a shell reports for a program a signal stopped.

Once the finished book is about to take its name (`hold`), the build is done: a stop signal
from then on waits until the process has printed its summary and exited 0, and is then
dropped, so that no exit status ever says "interrupted, nothing written" about a book that was
written.
"""

try:
    import _signal as signal  # what `signal` wraps; importing `signal` itself loads enum too
except ImportError:  # an interpreter without it
    import signal

NAMES = {
    getattr(signal, name): name
    for name in ("SIGINT", "SIGTERM", "SIGHUP")
    if hasattr(signal, name)  # no SIGHUP on Windows
}


# The stop signals received, first first. Signals belong to the whole process, so this and
# the two flags below are briefbook's only module state: the handler records here; the
# atomic write looks here before it renames a finished book into place, and the command line
# before it turns an exception into a message.
received: list[int] = []
_installed = False  # install() ran: this process is the program, not a test calling in
_held = False  # the book is taking, or has taken, its name: stop signals no longer stop
_STOPS = set(NAMES)


class Interrupted(BaseException):
    """A stop signal arrived. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` on the way out can mistake it for an error and carry on. It carries no
    state of its own: ReportLab re-creates exceptions that pass through it with new words."""


def _stop(signum, frame):
    # Raise once: a second signal, or several that arrive together, must not cut short the
    # clean-up the first one started. (Setting SIG_IGN here instead would make Python report
    # the signals still pending as "ignored due to race condition".)
    if _held:  # not blocked (Windows, another thread): the book is written, and stays
        return
    if not received:
        received.append(signum)
        raise Interrupted(NAMES.get(signum, f"signal {signum}"))


def check() -> None:
    """Raise Interrupted if a stop signal has arrived, in case the exception it raised was
    swallowed on the way (ReportLab has bare `except: pass` clauses) or turned into another
    one (`except: raise KeyError(...)`)."""
    if received:
        raise Interrupted(NAMES.get(received[0], f"signal {received[0]}"))


def hold() -> None:
    """The finished book is about to take its name: from here to the exit, a stop signal no
    longer stops the program. It is blocked, so it waits (Python's own handler included)
    until the process exits, when it is dropped; then, in case one arrived just before the
    block and its exception was lost, check() once more. Only in the program itself: a test
    calling in must not leave its process with signals blocked, for its children to inherit.
    """
    global _held
    if not _installed:
        check()
        return
    if hasattr(signal, "pthread_sigmask"):  # not on Windows: there the flag alone holds them
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    # After the block: one already caught by the C handler still raises on the way here. The
    # flag covers what the block cannot: a signal another thread takes, and Windows.
    _held = True
    check()


def release() -> None:
    """The book did not take its name after all (the rename failed): a stop signal stops the
    program again, and one that waited meanwhile raises Interrupted now."""
    global _held
    if not _installed or not _held:
        return
    _held = False
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)  # a waiting one is handled here
    check()


def install() -> None:
    """Handle the stop signals, except those the parent chose to ignore: `nohup` ignores
    SIGHUP, and a shell ignores SIGINT for a job it starts in the background."""
    global _installed
    _installed = True
    for number in NAMES:
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, _stop)
