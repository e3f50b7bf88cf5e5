"""Run one job per file in a process pool when it pays, in order, and survive a worker that dies.

Reading and checking a workbook is CPU-bound Python plus calamine; a district's files are independent, so
two cores check two files at a time. A pool only pays past a number of files: starting workers costs ~0.1 s
where processes are forked (Linux, macOS with fork) but 1.5 s or more where they are spawned (Windows: each
worker imports the library again; measured with ``benchmarks.pool``), so below ``MIN_FILES_FORK`` /
``MIN_FILES_SPAWN`` files the jobs run here, serially. Where the cores are busy with other work, a pool gains
nothing (measured: up to a quarter slower on a loaded 2-core machine, 1.6x faster on an idle one);
``SANGKIEN_WORKERS=1`` turns it off.

A worker can die without an exception (a parser aborting the process on a hostile file): the pool is then
broken and every unfinished job fails with it. The jobs not finished are run again in a new pool; when a pool
breaks before finishing anything, the first pending jobs are run alone, one process each, so the one that
kills its process is found and reported as ``Crashed`` while every other file still gets its result.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

# Files below which the pool does not pay: start-up / the time a second core saves per file. Measured by
# ``python -m benchmarks.pool`` (7 Dec 2026, 2 cores, load 11): start-up 117 ms forked, 1.5 s spawned (a fresh
# interpreter importing the library: what Windows pays, and more there); a file takes ~18 CPU ms serially and
# two free cores check 1.6x faster, so a file saves ~6.6 ms: forked from ~18 files, spawned from ~230 (300:
# creating a process costs more on Windows). Fork keeps a margin (a busy machine gains nothing from a pool).
MIN_FILES_FORK = 64
MIN_FILES_SPAWN = 300
MAX_WORKERS = 4  # memory: each worker holds a workbook's grid and the library (~50 MB)


@dataclass(frozen=True)
class Crashed:
    """The job's process died while running it (no result, no exception)."""


@dataclass(frozen=True)
class Raised:
    """The job raised: the exception's type name (exceptions themselves may not pickle)."""

    name: str


def default_workers(n_jobs: int) -> int:
    """Workers worth starting for ``n_jobs`` jobs here: 1 (serial) below the start method's threshold."""
    env = os.environ.get("SANGKIEN_WORKERS", "").strip()
    if env.isdigit():
        return max(1, int(env))
    cpus = os.cpu_count() or 1
    # The method set by the program, else the platform's default (the first listed), without fixing it.
    method = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0]
    threshold = MIN_FILES_FORK if method == "fork" else MIN_FILES_SPAWN
    return 1 if cpus < 2 or n_jobs < threshold else min(cpus, MAX_WORKERS)


_CONTEXT: Any = None  # in a worker: what every job of the batch shares, sent once per worker


def _init(context: Any) -> None:
    global _CONTEXT
    _CONTEXT = context


def _call(fn: Callable[..., Any], args: tuple, context: Any = None) -> Any:
    try:
        return fn(_CONTEXT if context is None else context, *args)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - reported per job, never stops the batch
        return Raised(type(exc).__name__)


def run_jobs(fn: Callable[..., Any], jobs: Sequence[tuple], context: Any, *, workers: int | None = None,
             ) -> Iterator[tuple[int, Any]]:
    """Yield (index, result) for every job, in job order, as soon as each is known: the result is
    ``fn(context, *job)``, or ``Raised`` / ``Crashed``. ``fn`` must be a module-level function and
    ``context`` (not None) picklable: both go to each worker once."""
    n_workers = default_workers(len(jobs)) if workers is None else max(1, workers)
    if n_workers == 1 or len(jobs) < 2:
        for i, job in enumerate(jobs):
            yield i, _call(fn, job, context)
        return
    results: dict[int, Any] = {}
    next_out = 0
    pending = list(range(len(jobs)))
    while pending:
        finished = 0
        for _ in _run_pool(fn, jobs, context, pending, n_workers, results):
            finished += 1
            while next_out in results:
                yield next_out, results.pop(next_out)
                next_out += 1
        pending = [i for i in pending if i not in results and i >= next_out]
        if pending and not finished:
            # The pool broke before finishing anything: run the first suspects alone to find the one that
            # kills its process; the others get their results, the pool starts again for the rest.
            for i in pending[: n_workers + 1]:
                results[i] = _run_alone(fn, jobs[i], context)
            pending = pending[n_workers + 1:]
        while next_out in results:
            yield next_out, results.pop(next_out)
            next_out += 1


def _run_pool(fn, jobs, context, pending: list[int], n_workers: int, results: dict[int, Any]) -> Iterator[int]:
    """Run ``pending`` jobs in one pool, storing each result in ``results`` and yielding its index; stops
    early (without raising) when the pool breaks."""
    with ProcessPoolExecutor(max_workers=min(n_workers, len(pending)), initializer=_init,
                             initargs=(context,)) as pool:
        futures: dict[Future, int] = {}
        queue = iter(pending)

        def refill() -> bool:
            """Keep a bounded number in flight, so results can be handed on in order; False once the pool
            is broken (a worker can die between two waits: submitting then raises)."""
            for i in queue:
                try:
                    futures[pool.submit(_call, fn, jobs[i])] = i
                except BrokenProcessPool:
                    return False  # job i stays pending: run_jobs runs it again
                if len(futures) >= n_workers * 4:
                    break
            return True

        broken = not refill()
        while futures and not broken:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for f in done:
                i = futures.pop(f)
                try:
                    results[i] = f.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled back
                    results[i] = Raised(type(exc).__name__)
                yield i
            broken = broken or not refill()
        for f in futures:
            f.cancel()


def _run_alone(fn, job: tuple, context: Any) -> Any:
    with ProcessPoolExecutor(max_workers=1, initializer=_init, initargs=(context,)) as pool:
        try:
            return pool.submit(_call, fn, job).result()
        except BrokenProcessPool:
            return Crashed()
