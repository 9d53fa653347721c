"""Turn a list of independent jobs (the editions of `--each`, the papers of a meeting) into
their results, in order, made on all of the machine's cores.

The worker processes are forked from this one once it has read and checked the layout and
validated the data, so each starts with that done; where fork is not the
platform's way (macOS, Windows), or there is one job or one core, the jobs run here, one
after another, as they always did.

Stop signals: the terminal's (SIGINT, SIGHUP) go to every process of the group, but only
this one acts on them; the workers ignore them. Until the first job is done this process
stops the workers with SIGTERM, each removing its unfinished PDF as a build stopped alone
does, and raises Interrupted: nothing was written. After it, as in a build of one book, the
batch runs to its end (see briefbook.stops).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from briefbook import stops

Job = TypeVar("Job")
Done = TypeVar("Done")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no sched_getaffinity
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Is forking the way to start workers here? (On macOS forking a process that has
    loaded system frameworks is unsafe; Windows cannot.)"""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def in_order(work: Callable[[Job], Done], jobs: Sequence[Job], workers: int) -> Iterator[Done]:
    """work(job) for each of `jobs`, in their order, by up to `workers` processes. The first
    exception a job raises is raised here, in the order of the jobs, and the jobs not yet
    begun are not done."""
    workers = min(workers, len(jobs))
    if workers <= 1 or not can_fork():
        for job in jobs:
            yield work(job)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _task
    # The workers are forked with the work and the jobs in hand: only a job's number goes to
    # a worker, and only its result comes back.
    _task = (work, jobs)
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_quiet_terminal
    )
    futures = [pool.submit(_one, n) for n in range(len(jobs))]
    done = 0
    try:
        for future in futures:
            result = future.result()
            if not done:
                stops.hold()  # a book is written: from here the batch runs to its end
            done += 1
            yield result
    except stops.Interrupted:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _task = None


_task: tuple[Callable, Sequence] | None = None  # in_order's, while its workers run


def _one(n: int):
    work, jobs = _task
    return work(jobs[n])


def _quiet_terminal() -> None:
    """In a worker: the terminal's stop signals are its parent's to act on."""
    import signal

    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)


def _stop_workers(pool) -> None:
    """SIGTERM to each worker still running (the executor keeps them in _processes)."""
    import signal

    for process in list(getattr(pool, "_processes", {}).values()):
        if process.is_alive() and process.pid is not None:
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                os.kill(process.pid, signal.SIGTERM)
