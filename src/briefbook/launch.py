"""Turn a start of the program into a run of the command line that a stop signal ends cleanly.

The `briefbook` script and `python -m briefbook` start here. This module imports nothing
but briefbook.stops (the C part of `signal`) and `sys`, so the handlers are in place a few
milliseconds after the interpreter starts, before Click, ReportLab and the rest load: a
Ctrl-C during those imports is then one line of explanation, not a traceback.
"""

import sys

from briefbook.stops import NAMES, Interrupted, install, received


def main() -> None:
    install()
    try:
        from briefbook.cli import main as run_cli

        run_cli()
    except Interrupted:
        # Never after the book took its name: hold() keeps signals from here from then on.
        signum = received[0]
        sys.stderr.write(f"interrupted ({NAMES[signum]}); nothing was written\n")
        sys.stderr.flush()
        raise SystemExit(128 + signum) from None
