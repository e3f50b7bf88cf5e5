"""Per-file costs on the hot paths, measured against a naive baseline in the same run (no assertions: speed
targets live here, not in the tests, where a loaded machine would make them flaky).

    .venv/bin/python -m benchmarks.micro

* the gate's inspection of a small workbook vs. merely unzipping it (``zipfile`` reading every member);
* the fast fill of a CĐCS workbook vs. openpyxl loading and saving the same template;
* legacy-text (TCVN3/VNI) detection over 30,000 ordinary cells vs. a bare NFC normalisation of them.
"""

from __future__ import annotations

import random
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path


def _timed(fn, n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - start) / n


def gate(tmp: Path) -> tuple[float, float]:
    import xlsxwriter

    from addin.io.gate.inspect import inspect_file

    paths = []
    for i in range(60):
        p = tmp / f"b{i}.xlsx"
        wb = xlsxwriter.Workbook(str(p))
        ws = wb.add_worksheet("Sáng kiến")
        for r in range(10 + i % 40):
            for c in range(18):
                ws.write(r, c, f"ô {r}-{c}" if c % 2 else r * c)
        wb.close()
        paths.append(p)
    inspect_file(paths[0])

    def unzip(i):
        with zipfile.ZipFile(paths[i]) as zf:
            for name in zf.namelist():
                zf.read(name)

    return _timed(lambda i: inspect_file(paths[i]), len(paths)), _timed(unzip, len(paths))


def fast_fill(tmp: Path) -> tuple[float, float]:
    import openpyxl

    from addin.cdcs.template.files import build_template
    from addin.registry import load_registry
    from addin.sample.fill import sample_initiatives, valid_unit_answers
    from addin.sample.fastfill import fast_fill_workbook
    from validators.campaign import load_campaign

    campaign, registry = load_campaign(), load_registry()
    unit = registry.cdcs[0]
    template = build_template(campaign, unit, registry.district_by_code[unit.parent], tmp / "tpl.xlsx")
    rng = random.Random(9)
    cases = [(valid_unit_answers(campaign, unit, rng), sample_initiatives(campaign, unit, rng, rng.randint(1, 12)))
             for _ in range(30)]
    fast_fill_workbook(template, tmp / "warm.xlsx", *cases[0])
    fast = _timed(lambda i: fast_fill_workbook(template, tmp / f"f{i}.xlsx", *cases[i]), len(cases))
    naive = _timed(lambda i: openpyxl.load_workbook(template).save(tmp / f"o{i}.xlsx"), 10)
    return fast, naive


def legacy() -> tuple[float, float]:
    from validators.text.legacy_text import detect_legacy

    cells = ["Nguyen Van A", "nguyen.van.a@gmail.com", "1.250.000", "Hà Nội",
             "Cải tiến quy trình tiếp nhận hồ sơ một cửa giúp giảm thời gian chờ của người dân."] * 6000
    start = time.perf_counter()
    assert all(detect_legacy(c) is None for c in cells)
    detect = time.perf_counter() - start
    start = time.perf_counter()
    for c in cells:
        unicodedata.normalize("NFC", c)
    return detect, time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        g, unzip = gate(tmp)
        print(f"gate: {g * 1000:.2f} ms per small workbook; unzip floor {unzip * 1000:.2f} ms ({g / unzip:.1f}×)")
        f, naive = fast_fill(tmp)
        print(f"fast fill: {f * 1000:.2f} ms per CĐCS workbook; openpyxl load+save {naive * 1000:.1f} ms "
              f"({f / naive:.1%})")
    det, nfc = legacy()
    print(f"legacy detection: {det:.3f} s over 30,000 cells; NFC alone {nfc:.3f} s ({det / nfc:.1f}×)")


if __name__ == "__main__":
    main()
