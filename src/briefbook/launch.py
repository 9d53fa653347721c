"""Turn a start of the program into a run of the command line that a stop signal ends cleanly.

The `briefbook` script and `python -m briefbook` start here. This module imports nothing
but the C part of `signal` and `sys`, so the handlers are in place a few milliseconds after
the interpreter starts, before Click, ReportLab and the rest load: a Ctrl-C during those
imports is then one line of explanation, not a traceback.

SIGINT (Ctrl-C), SIGTERM (what `timeout`, systemd and container runtimes send) and SIGHUP
(a closed terminal) all raise Interrupted wherever Python is; the `with` blocks it passes
through on its way out remove the temporary PDF, and the process exits with 128 + the
signal's number, the status a shell reports for a program a signal stopped.
"""

import sys

try:
    import _signal as signal  # what `signal` wraps; importing `signal` itself loads enum too
except ImportError:  # an interpreter without it
    import signal

NAMES = {
    getattr(signal, name): name
    for name in ("SIGINT", "SIGTERM", "SIGHUP")
    if hasattr(signal, name)  # no SIGHUP on Windows
}


# The stop signals received, first first. Signals belong to the whole process, so this is
# the one piece of module state in briefbook: the handler records here, and the atomic write
# looks here before it renames a finished book into place.
received: list[int] = []


class Interrupted(BaseException):
    """A stop signal arrived. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` on the way out can mistake it for an error and carry on. It carries no
    state of its own: ReportLab re-creates exceptions that pass through it with new words."""


def _stop(signum, frame):
    # Raise once: a second signal, or several that arrive together, must not cut short the
    # clean-up the first one started. (Setting SIG_IGN here instead would make Python report
    # the signals still pending as "ignored due to race condition".)
    if not received:
        received.append(signum)
        raise Interrupted(NAMES.get(signum, f"signal {signum}"))


def check() -> None:
    """Raise Interrupted if a stop signal has arrived, in case the exception it raised was
    swallowed on the way (ReportLab has bare `except: pass` clauses)."""
    if received:
        raise Interrupted(NAMES.get(received[0], f"signal {received[0]}"))


def install() -> None:
    """Handle the stop signals, except those the parent chose to ignore: `nohup` ignores
    SIGHUP, and a shell ignores SIGINT for a job it starts in the background."""
    for number in NAMES:
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, _stop)


def main() -> None:
    install()
    try:
        from briefbook.cli import main as run_cli

        run_cli()
    except Interrupted:
        # A signal in the instant between the rename of a finished book and the exit still
        # lands here; the book is then whole, and the message errs on the safe side.
        signum = received[0]
        sys.stderr.write(f"interrupted ({NAMES[signum]}); nothing was written\n")
        sys.stderr.flush()
        raise SystemExit(128 + signum) from None
