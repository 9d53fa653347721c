"""Stop signals, sent to the real program: Ctrl-C, SIGTERM and SIGHUP in the middle of writing
the PDF exit with 128 + the signal's number, print one line and leave the folder as it was;
a SIGKILL's leftover is cleared by the next build; a Ctrl-C during start-up is one line, not
a traceback.

"In the middle of writing" is made certain without any test hook: the data has 60 mayors, so
laying the book out takes most of a second, and the temporary `.part` file exists from the
start of the layout to the rename. Each test waits for it to appear, then signals.

The points a signal can only hit by luck (inside one of ReportLab's clauses that turn any
exception into another; the instant after the rename) are hit exactly by the hooked tests at
the end, which make the program signal itself there.
"""

from __future__ import annotations

import importlib.metadata
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefbook import stops
from conftest import DATE, ROOT, build_args, run_cli, synth

OLD = b"%PDF-1.4 an earlier edition that must survive an interrupted build\n"
SCRIPT = Path(sys.executable).parent / "briefbook"


@pytest.fixture(scope="module")
def slow_data(tmp_path_factory) -> Path:
    """60 synthetic mayors: a book that takes most of a second to lay out."""
    return synth().write_folder(60, tmp_path_factory.mktemp("slow") / "data")


@pytest.fixture
def target(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "book.pdf"
    path.write_bytes(OLD)
    return path


def _start(command: list[str], data: Path, output: Path, **popen) -> subprocess.Popen:
    args = ["build", "--data", str(data), "--date", DATE, "--output", str(output)]
    return subprocess.Popen(
        [*command, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=output.parent.parent,
        **popen,
    )


def _wait_for_part(process: subprocess.Popen, folder: Path) -> Path:
    """The temporary file, once it exists; fails if the build ends first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        parts = [p for p in folder.iterdir() if p.name.endswith(".part")]
        if parts:
            return parts[0]
        if process.poll() is not None:
            pytest.fail(f"the build ended before writing began: {process.communicate()}")
        time.sleep(0.002)
    pytest.fail("no temporary file appeared within a minute")


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


MODULE = [sys.executable, "-m", "briefbook"]


@pytest.mark.parametrize(
    ("signum", "name"),
    [(signal.SIGINT, "SIGINT"), (signal.SIGTERM, "SIGTERM"), (signal.SIGHUP, "SIGHUP")],
)
def test_a_stop_signal_mid_write_leaves_the_old_book_and_no_temporary_file(
    slow_data: Path, target: Path, signum: int, name: str
):
    process = _start(MODULE, slow_data, target)
    _wait_for_part(process, target.parent)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum
    assert stderr == f"interrupted ({name}); nothing was written\n"
    assert stdout == ""
    assert _listing(target.parent) == ["book.pdf"]
    assert target.read_bytes() == OLD


@pytest.mark.skipif(not SCRIPT.is_file(), reason="the briefbook script is not installed here")
def test_the_installed_script_handles_ctrl_c_the_same_way(slow_data: Path, target: Path):
    process = _start([str(SCRIPT)], slow_data, target)
    _wait_for_part(process, target.parent)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stdout, stderr) == (
        130,
        "",
        "interrupted (SIGINT); nothing was written\n",
    )
    assert _listing(target.parent) == ["book.pdf"]


def test_a_second_signal_does_not_cut_the_clean_up_short(slow_data: Path, target: Path):
    process = _start(MODULE, slow_data, target)
    _wait_for_part(process, target.parent)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    assert stdout == ""
    # Signals that arrive together are handled lowest number first: whichever came first,
    # it is the only one reported, and the clean-up ran to the end.
    first = {129: "SIGHUP", 130: "SIGINT", 143: "SIGTERM"}[process.returncode]
    assert stderr == f"interrupted ({first}); nothing was written\n"
    assert _listing(target.parent) == ["book.pdf"]


def test_a_hangup_that_nohup_ignores_stays_ignored(slow_data: Path, target: Path):
    process = _start(
        MODULE,
        slow_data,
        target,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    _wait_for_part(process, target.parent)
    process.send_signal(signal.SIGHUP)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert stdout.startswith(f"{target}: 69 pages, 60 mayors, ")
    assert _listing(target.parent) == ["book.pdf"]
    assert target.read_bytes().startswith(b"%PDF-")


def test_after_a_sigkill_the_next_build_clears_the_leftover(slow_data: Path, target: Path):
    process = _start(MODULE, slow_data, target)
    part = _wait_for_part(process, target.parent)
    process.kill()
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert _listing(target.parent) == sorted(["book.pdf", part.name])  # nothing can clean up
    assert target.read_bytes() == OLD

    # A minute later (the lock died with the process), any build of the same target clears it.
    old = time.time() - 120
    os.utime(part, (old, old))
    result = run_cli(build_args("--mayor", "bowser", output=target))
    assert result.exit_code == 0, result.output
    assert _listing(target.parent) == ["book.pdf"]
    assert target.read_bytes() != OLD


def _imported(line: str) -> str:
    """The module an `-X importtime` line reports as imported."""
    return line.rsplit("|", 1)[-1].strip()


def test_ctrl_c_while_the_program_starts_is_one_line_not_a_traceback(tmp_path: Path):
    """Python reports each module as it finishes importing (-X importtime, a feature of
    Python, not of briefbook); the signal is sent when the first of Click's modules is in,
    which is after the handlers are installed and before the command line is ready. A few
    tries, because a busy machine can deliver it late."""
    landed_in_imports = 0
    for _ in range(5):
        process = subprocess.Popen(
            [sys.executable, "-X", "importtime", "-m", "briefbook", "themes"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        seen = []
        while True:
            line = process.stderr.readline()
            assert line, f"the program ended before importing Click: {seen}"
            seen.append(_imported(line))
            if seen[-1].split(".")[0] == "click":
                break
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
        lines = [line for line in stderr.splitlines() if not line.startswith("import time:")]
        assert process.returncode == 130, stderr
        assert lines == ["interrupted (SIGINT); nothing was written"]
        assert stdout == ""
        # Python reports a module even when its import was cut short, so "briefbook.cli" is
        # always there; the `themes` command imports briefbook.build when it starts to run.
        later = [_imported(line) for line in stderr.splitlines() if line.startswith("import")]
        landed_in_imports += "briefbook.build" not in later
        if landed_in_imports:
            break
    assert landed_in_imports, "every signal arrived after the imports; the test proved nothing"


def test_the_entry_point_imports_almost_nothing():
    code = (
        "import sys, briefbook.launch\n"
        "heavy = ('click', 'reportlab', 'yaml', 'jinja2', 'jsonschema', 'enum', 'briefbook.cli')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout == "[]\n"


def test_the_script_and_python_m_start_at_the_entry_point():
    [script] = importlib.metadata.entry_points(group="console_scripts", name="briefbook")
    assert script.value == "briefbook.launch:main"
    main = (ROOT / "src" / "briefbook" / "__main__.py").read_text("utf-8")
    assert "from briefbook.launch import main" in main


def test_a_signal_whose_exception_was_swallowed_still_stops_the_rename(tmp_path: Path, monkeypatch):
    """ReportLab has bare `except: pass` clauses; should one swallow the exception a signal
    raised, the build runs on, and the atomic write must still not put the book in place."""
    monkeypatch.setattr(stops, "received", [signal.SIGTERM])
    output = tmp_path / "book.pdf"
    with pytest.raises(stops.Interrupted):
        run_cli(build_args("--mayor", "bowser", output=output))
    assert list(tmp_path.iterdir()) == []


# --- signals injected at a chosen point of the write, from inside the program ---------------
#
# Each test starts the real program through a small script that first installs a hook, then
# runs briefbook.launch.main as the `briefbook` script does. The hook sends the signal to its
# own process at an exact point of the write, so the tests neither time nor wait for anything.

STOPS = [(signal.SIGINT, "SIGINT"), (signal.SIGTERM, "SIGTERM"), (signal.SIGHUP, "SIGHUP")]

# While ReportLab formats the finished PDF, at a lookup made inside its
# `try: ... except: raise KeyError("forward reference ... not resolved")`: the exception the
# signal raises there comes out of ReportLab as that KeyError. The hook leaves a mark when the
# exception did start inside the clause, so the test knows it tested what it meant to.
IN_REPORTLAB = """
from reportlab.pdfbase import pdfdoc

class Numbers(dict):
    lookups = 0

    def __getitem__(self, key):
        Numbers.lookups += 1
        if Numbers.lookups == 20:
            try:
                os.kill(os.getpid(), SIGNUM)
                for _ in range(1000):  # the handler runs between two of these
                    pass
            except launch.Interrupted:
                MARK.touch()
                raise
        return super().__getitem__(key)

real_init = pdfdoc.PDFDocument.__init__

def init(self, *args, **kwargs):
    real_init(self, *args, **kwargs)
    self.idToObjectNumberAndVersion = Numbers(self.idToObjectNumberAndVersion)

pdfdoc.PDFDocument.__init__ = init
"""

# The signal arrives the instant the finished book has taken its name.
AFTER_RENAME = """
real_replace = os.replace

def replace(src, dst, **kwargs):
    real_replace(src, dst, **kwargs)
    if str(dst) == str(TARGET):
        MARK.touch()
        os.kill(os.getpid(), SIGNUM)
        for _ in range(1000):  # a handler that raised would raise between two of these
            pass

os.replace = replace
"""

# The signal arrives while the rename fails: the book never takes its name.
RENAME_FAILS = """
import errno

def replace(src, dst, **kwargs):
    MARK.touch()
    os.kill(os.getpid(), SIGNUM)
    raise OSError(errno.EACCES, "Permission denied", str(dst))

os.replace = replace
"""


def _run_with_hook(hook: str, signum: int, target: Path, mark: Path) -> subprocess.CompletedProcess:
    script = target.parent.parent / "hooked.py"
    script.write_text(
        "import os, sys\n"
        "from pathlib import Path\n"
        "from briefbook import launch\n"
        f"SIGNUM, TARGET, MARK = {int(signum)}, Path({str(target)!r}), Path({str(mark)!r})\n"
        f"{hook}\n"
        "sys.argv = ['briefbook', *sys.argv[1:]]\n"
        "launch.main()\n",
        "utf-8",
    )
    args = build_args("--mayor", "bowser", output=target)
    return subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=target.parent.parent,
    )


@pytest.fixture
def empty_target(tmp_path: Path) -> Path:
    (tmp_path / "out").mkdir()
    return tmp_path / "out" / "book.pdf"


@pytest.mark.parametrize(("signum", "name"), STOPS)
def test_a_signal_whose_exception_reportlab_turns_into_another_is_still_an_interruption(
    empty_target: Path, tmp_path: Path, signum: int, name: str
):
    mark = tmp_path / "interrupted-inside-reportlab"
    done = _run_with_hook(IN_REPORTLAB, signum, empty_target, mark)
    assert mark.exists(), "the signal did not land inside ReportLab's clause"
    assert (done.returncode, done.stderr, done.stdout) == (
        128 + signum,
        f"interrupted ({name}); nothing was written\n",
        "",
    )
    assert _listing(empty_target.parent) == []


@pytest.mark.parametrize(("signum", "name"), STOPS)
def test_a_signal_just_after_the_rename_waits_for_the_summary_and_exit_0(
    empty_target: Path, tmp_path: Path, signum: int, name: str
):
    """Once the book has its name the build is done: no status may then say that nothing
    was written. The signal waits until the program has said where the book went."""
    mark = tmp_path / "renamed"
    done = _run_with_hook(AFTER_RENAME, signum, empty_target, mark)
    assert mark.exists(), "the hook never saw the rename"
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"{empty_target}: 3 pages, 1 mayor, ")
    assert _listing(empty_target.parent) == ["book.pdf"]
    assert len(PdfReader(empty_target).pages) == 3


def test_a_signal_while_the_rename_fails_stops_the_build_as_an_interruption(
    empty_target: Path, tmp_path: Path
):
    """The signal waits while the book takes its name; if it does not take it after all,
    nothing was written, and the signal that waited is what the user is told about."""
    mark = tmp_path / "rename-tried"
    done = _run_with_hook(RENAME_FAILS, signal.SIGTERM, empty_target, mark)
    assert mark.exists(), "the hook never saw the rename"
    assert (done.returncode, done.stderr, done.stdout) == (
        143,
        "interrupted (SIGTERM); nothing was written\n",
        "",
    )
    assert _listing(empty_target.parent) == []
