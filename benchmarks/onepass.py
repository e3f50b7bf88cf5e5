"""One pass over the bytes (issue 17): what the gate's scan costs, and whether values should come from it.

    python -m benchmarks.onepass [--data benchmarks/data] [--files 100]

On the same files, in one run (the machine's load printed beside):

* the unzip floor (``Đơn vị``, ``Sáng kiến`` and the shared strings inflated) and every member inflated, which
  is what the gate must do since it checks every sheet;
* the gate with its one-pass bound (``_bounded_in_one_pass``) against the gate forced onto the exact measure
  (what a sheet with two-letter columns cost before: the CĐCS template's hidden «Cờ kiểm tra» sheet is 1.2 MB
  of formulas in columns A..BB);
* values: python-calamine (open the bytes, read the two sheets) against the cheapest parse in Python of the
  parts the gate already inflated: the shared strings through expat and the two sheets' cells located by one
  regular expression, **without** typing any value, date formats or error checks. That is a lower bound for a
  Python one-pass reader: if it is not faster than calamine, calamine stays (it also keeps its guarantees:
  the hostile corpus was measured against it).
"""

from __future__ import annotations

import argparse
import io
import re
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path


def _load() -> str:
    return open("/proc/loadavg").read().split()[0]


def _timed(fn, items) -> float:
    start = time.perf_counter()
    for x in items:
        fn(x)
    return (time.perf_counter() - start) / len(items)


_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"((?: [a-z]+="[^"]*")*)>(.*?)</c>', re.S)
_SI = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}si"


def main(argv: list[str] | None = None) -> int:
    from python_calamine import CalamineWorkbook

    from addin.io.gate import ooxml
    from addin.io.gate.inspect import inspect_bytes
    from addin.io.gate.limits import Limits

    ap = argparse.ArgumentParser(prog="python -m benchmarks.onepass", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).parent / "data")
    ap.add_argument("--files", type=int, default=100)
    args = ap.parse_args(argv)
    paths = sorted((args.data / "inbox").rglob("*.xlsx"))
    step = max(1, len(paths) // args.files)
    datas = [p.read_bytes() for p in paths[::step][: args.files]]
    limits = Limits()
    print(f"{len(datas)} files; load {_load()}")

    def floor(d):
        with zipfile.ZipFile(io.BytesIO(d)) as zf:
            for n in ("xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml", "xl/sharedStrings.xml"):
                if n in zf.NameToInfo:
                    zf.read(n)

    def inflate_all(d):
        with zipfile.ZipFile(io.BytesIO(d)) as zf:
            for n in zf.namelist():
                zf.read(n)

    def gate(d):
        assert inspect_bytes(d, limits).ok

    bounded = ooxml._bounded_in_one_pass

    def gate_exact(d):
        ooxml._bounded_in_one_pass = lambda *a: False
        try:
            assert inspect_bytes(d, limits).ok
        finally:
            ooxml._bounded_in_one_pass = bounded

    def calamine(d):
        wb = CalamineWorkbook.from_filelike(io.BytesIO(d))
        for s in ("Đơn vị", "Sáng kiến"):
            wb.get_sheet_by_name(s).to_python()

    inflated = []
    for d in datas:
        with zipfile.ZipFile(io.BytesIO(d)) as zf:
            inflated.append({n: zf.read(n) for n in ("xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
                                                     "xl/sharedStrings.xml") if n in zf.NameToInfo})

    def python_lower_bound(parts):
        sst = parts.get("xl/sharedStrings.xml")
        strings = ["".join(si.itertext()) for si in ET.fromstring(sst).iter(_SI)] if sst else []
        for n in ("xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"):
            for _col, _row, attrs, inner in _CELL.findall(parts[n]):
                if b't="s"' in attrs:
                    strings[int(inner[inner.index(b"<v>") + 3:inner.index(b"</v>")])]

    for label, fn, items in (("unzip floor (2 sheets + shared strings)", floor, datas),
                             ("inflate every member", inflate_all, datas),
                             ("gate, exact measure (before)", gate_exact, datas),
                             ("gate, one-pass bound (now)", gate, datas),
                             ("values: calamine, 2 sheets", calamine, datas),
                             ("values: Python lower bound, 2 sheets", python_lower_bound, inflated)):
        print(f"{label:<42} {_timed(fn, items) * 1000:8.2f} ms per file   (load {_load()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
