"""The district workbook's write, streamed data rows against XlsxWriter cell by cell, in the same run (no
assertions: speed targets live here, not in the tests).

    .venv/bin/python -m benchmarks.writer [--repeat 5]

Builds one synthetic district of 100 CĐCS (~1,000 initiatives, ``benchmarks.generate``) in a temporary
folder, consolidates it once, then times ``write_district_workbook`` (a first write: no workbook to carry staff's
marks over from) alternately:

* before: every cell through XlsxWriter and the previous print layout (tests/test_layout_equivalence.py keeps
  it as the reference);
* cells: every cell through XlsxWriter, the current layout (``writer.STREAM_ROWS = False``);
* stream: the data rows streamed (``addin.sheets.stream``), the current layout (the default);

and checks the three workbooks are the same bytes. Then the layout functions alone (``column_widths`` +
``row_heights`` of every sheet), previous against current, with their caches cleared (a district's first
write) and warm. Prints the medians of CPU seconds (this process's: the machine is often shared), their ratios, and the
load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

_TESTS = Path(__file__).resolve().parent.parent / "tests"


def _reference():
    sys.path.insert(0, str(_TESTS))
    try:
        import test_layout_equivalence as ref
    finally:
        sys.path.remove(str(_TESTS))
    return ref


def _district(tmp: Path, units: int):
    from addin.cdcs.template.files import district_folder_name
    from addin.district.consolidate import consolidate_district
    from addin.registry import load_registry
    from benchmarks.generate import generate
    from validators.campaign import load_campaign

    generate(tmp, units, 2021, 0.0)
    campaign, registry = load_campaign(), load_registry(tmp / "registry.xlsx")
    d = registry.districts[0]
    return consolidate_district(tmp / "inbox" / district_folder_name(d.code), d.code, campaign, registry,
                                now=dt.datetime(2021, 9, 30, 17, 0))


def _clear_caches(ref) -> None:
    from addin.sheets import fit, writer

    fit._word_em.cache_clear()
    fit._text_lines.cache_clear()
    writer._file_url.cache_clear()
    writer._parsed_link.cache_clear()
    fit._ADVANCES[0].clear()
    fit._ADVANCES[1].clear()
    ref.ref_word_em.cache_clear()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.writer", description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--units", type=int, default=100)
    args = ap.parse_args(argv)

    from addin.district.workbook import district_sheets, write_district_workbook
    from addin.sheets import writer

    ref = _reference()
    with tempfile.TemporaryDirectory(prefix="sangkien-bench-writer-") as name:
        tmp = Path(name)
        result = _district(tmp / "data", args.units)
        print(f"district: {len(result.initiatives)} initiatives, {len(result.files)} files; "
              f"load {os.getloadavg()[0]:.2f}")
        current = writer.column_widths, writer.row_heights
        variants = {
            "before": (False, (ref.ref_column_widths, ref.ref_row_heights)),
            "cells": (False, current),
            "stream": (True, current),
        }
        times: dict[str, list[float]] = {k: [] for k in variants}  # CPU seconds of this process
        walls: dict[str, list[float]] = {k: [] for k in variants}
        try:
            for _ in range(args.repeat):
                for key, (stream, (widths, heights)) in variants.items():
                    writer.STREAM_ROWS = stream
                    writer.column_widths, writer.row_heights = widths, heights
                    _clear_caches(ref)  # each write as a district's first
                    path = tmp / f"{key}.xlsx"
                    path.unlink(missing_ok=True)  # nor a previous workbook to read staff's marks from
                    t, c = time.perf_counter(), time.process_time()
                    write_district_workbook(result, path)
                    times[key].append(time.process_time() - c)
                    walls[key].append(time.perf_counter() - t)
        finally:
            writer.STREAM_ROWS = True
            writer.column_widths, writer.row_heights = current
        files = {k: (tmp / f"{k}.xlsx").read_bytes() for k in variants}
        same = len(set(files.values())) == 1
        med = {k: statistics.median(v) for k, v in times.items()}
        for k in variants:
            print(f"  write {k:6}: median {med[k]:.3f} CPU s, min {min(times[k]):.3f}  "
                  f"(wall median {statistics.median(walls[k]):.3f} s)")
        print(f"  stream / before = {med['stream'] / med['before']:.2f} "
              f"(before is {med['before'] / med['stream']:.1f}x the streamed write); "
              f"stream / cells = {med['stream'] / med['cells']:.2f}; the same bytes: {same}")

        sheets = district_sheets(result, None)

        def layout(widths, heights):
            for sd in sheets:
                heights(sd, widths(sd))

        lay: dict[str, list[float]] = {"before cold": [], "current cold": [], "before warm": [], "current warm": []}
        for _ in range(args.repeat):
            for key, fns in (("before", (ref.ref_column_widths, ref.ref_row_heights)), ("current", current)):
                _clear_caches(ref)
                for state in ("cold", "warm"):
                    c = time.process_time()
                    layout(*fns)
                    lay[f"{key} {state}"].append(time.process_time() - c)
        lm = {k: statistics.median(v) for k, v in lay.items()}
        for state in ("cold", "warm"):
            b, c = lm[f"before {state}"], lm[f"current {state}"]
            print(f"  layout {state}: before {b:.3f} CPU s, current {c:.3f} CPU s, current / before = {c / b:.2f}")
        print(f"load {os.getloadavg()[0]:.2f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
