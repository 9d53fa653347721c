"""Batches on every core (briefbook.workers): the editions of `--each` made by forked
workers are the books made one after another, byte for byte, listed in the same order; a
problem in one edition comes back as the same message; a Ctrl-C before the first edition
is written leaves no file and no temporary file behind."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from briefbook.batch import editions, run
from briefbook.build import Options, loaded
from briefbook.errors import DataError, OptionError, Problem
from briefbook.workers import can_fork, in_order
from conftest import DATA, DATE, synth

needs_fork = pytest.mark.skipif(not can_fork(), reason="workers are forked only on Linux")


def _editions(out: Path, workers: int) -> list[tuple[str, bytes]]:
    options = Options(data=DATA, date=dt.date.fromisoformat(DATE))
    data = loaded(options)
    batch = [(v, replace(o, output=out / f"{v}.pdf")) for v, o in editions(options, "theme", data)]
    batch = batch[:4]
    return [(r.output.name, r.output.read_bytes()) for r in run(batch, data, workers)]


@needs_fork
def test_editions_made_by_two_workers_are_those_made_one_by_one(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    alone = _editions(tmp_path / "one", 1)
    together = _editions(tmp_path / "two", 2)
    assert [name for name, _ in together] == [name for name, _ in alone]
    assert len(alone) == 4
    for (name, a), (_, b) in zip(alone, together, strict=True):
        assert a == b, name


def _job(n: int) -> int:
    if n == 2:
        raise DataError([Problem("data/mayors/x.yaml", 3, "themes", "found 'x'; expected ...")])
    if n == 3:
        raise OptionError("theme", "no theme 'y'")
    return n * n


@needs_fork
def test_a_problem_in_a_worker_is_raised_here_as_it_was_raised_there():
    results = []
    with pytest.raises(DataError) as raised:
        for value in in_order(_job, [0, 1, 2, 3], 2):
            results.append(value)
    assert results == [0, 1]  # in order, up to the job that failed
    assert str(raised.value) == "data/mayors/x.yaml:3: themes: found 'x'; expected ..."
    assert raised.value.problems == [
        Problem("data/mayors/x.yaml", 3, "themes", "found 'x'; expected ...")
    ]
    with pytest.raises(OptionError) as raised:
        list(in_order(_job, [1, 3], 2))
    assert (raised.value.option, str(raised.value)) == ("theme", "no theme 'y'")


@needs_fork
def test_ctrl_c_before_the_first_edition_leaves_nothing(tmp_path):
    data = synth().write_folder(80, tmp_path / "data")  # editions that take a while
    work = tmp_path / "work"
    work.mkdir()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "briefbook",
            "build",
            "--data",
            str(data),
            "--date",
            DATE,
            "--each",
            "state",
        ],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job is
    )
    out = work / "out"
    deadline = time.monotonic() + 60
    while not (out.is_dir() and any(p.name.endswith(".part") for p in out.iterdir())):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no edition began within a minute"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole group
    _, stderr = process.communicate(timeout=60)
    written = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    if process.returncode == 130:
        assert stderr.strip().endswith("interrupted (SIGINT); nothing was written"), stderr
        assert written == []
    else:  # the first edition was written just before: the batch then runs to its end
        assert process.returncode == 0, stderr
        assert not [name for name in written if name.endswith(".part")]
