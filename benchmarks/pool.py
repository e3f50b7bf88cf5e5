"""Pool start-up under ``fork`` and ``spawn``, and the number of files from which a pool pays.

    python -m benchmarks.pool [--data benchmarks/data] [--files 200] [--repeat 3]

Why: ``addin.io.parallel`` runs the checks serially below ``MIN_FILES_FORK`` / ``MIN_FILES_SPAWN`` files. On
Windows workers are spawned: each starts a fresh interpreter and imports the library before its first job,
which on Linux ``multiprocessing.get_context("spawn")`` reproduces (the import work is the same; process
creation is cheaper on Linux, so the figure is a floor for Windows). For each start method this measures, in
one run: the start-up (pool created → every worker has finished one real job, minus that job's serial cost),
the serial cost per file, and the pool's time on ``--files`` files; then the break-even number of files,
start-up / (serial per file − pool per file). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from addin.io import parallel


def _context(data: Path):
    from validators.campaign import load_campaign
    from addin.registry import load_registry

    campaign = load_campaign()
    registry = load_registry(data / "registry.xlsx") if (data / "registry.xlsx").is_file() else None
    return (campaign, registry, None)


def _job(context, path: str):
    from addin.cdcs.validate import validate_job

    return validate_job(context, Path(path), None).valid


def _pool_run(method: str, context, files: list[str], workers: int) -> tuple[float, float]:
    """(seconds until each worker finished a first job, seconds for all files) in one fresh pool."""
    ctx = multiprocessing.get_context(method)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=parallel._init,
                             initargs=(context,)) as pool:
        first = [pool.submit(parallel._call, _job, (f,)) for f in files[:workers]]
        for f in first:
            f.result()
        t_first = time.perf_counter() - t0
        rest = [pool.submit(parallel._call, _job, (f,)) for f in files[workers:]]
        for f in rest:
            f.result()
        t_all = time.perf_counter() - t0
    return t_first, t_all


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.pool", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).parent / "data")
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    files = sorted(str(p) for p in (args.data / "inbox").rglob("*.xlsx"))[: args.files]
    if len(files) < args.workers * 2:
        print("not enough files: run benchmarks.generate first")
        return 2
    context = _context(args.data)
    for f in files[:3]:
        _job(context, f)  # warm imports and caches
    print(f"{len(files)} files, {args.workers} workers, load before {open('/proc/loadavg').read().split()[0]}")
    t = time.perf_counter()
    for f in files:
        _job(context, f)
    serial = (time.perf_counter() - t) / len(files)
    print(f"serial: {serial * 1000:.1f} ms per file (load {open('/proc/loadavg').read().split()[0]})")
    for method in ("fork", "spawn"):
        if method not in multiprocessing.get_all_start_methods():
            continue
        startups, per_file = [], []
        for _ in range(args.repeat):
            t_first, t_all = _pool_run(method, context, files, args.workers)
            startups.append(t_first - serial)  # each worker ran one file in parallel: its cost is one file
            per_file.append((t_all - t_first) / (len(files) - args.workers))
        startup, pooled = min(startups), min(per_file)
        gain = serial - pooled
        even = startup / gain if gain > 0 else float("inf")
        print(f"{method}: start-up {startup * 1000:.0f} ms (runs: {', '.join(f'{s * 1000:.0f}' for s in startups)}), "
              f"pool {pooled * 1000:.1f} ms per file (serial {serial * 1000:.1f}), "
              f"pays from {even:.0f} files (load {open('/proc/loadavg').read().split()[0]})")
    print(f"cpus {os.cpu_count()}; thresholds now: fork {parallel.MIN_FILES_FORK}, spawn {parallel.MIN_FILES_SPAWN}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
