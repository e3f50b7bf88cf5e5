"""``read_package`` types a package's tables a column at a time (``addin.dossier.package._rows``); it must give
exactly what typing cell by cell gave: the same rows, the same typed values, the same row numbers and the
same ``package-cell`` issues in the same order. The cell-by-cell reader is kept here as the reference.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from addin.dossier import package as P
from addin.io.cells import column_letter
from validators.issues import IssueCode, make_issue


def _reference_rows(grid, columns, sheet, issues, numbers=None):
    """The cell-by-cell reader as it was before the column reader (same header search, same typing)."""
    header = next((r for r, row in enumerate(grid) if row and isinstance(row[0], str)
                   and row[0].strip() == columns[0].header), None)
    if header is None:
        return []
    labels = [str(h).strip() if h is not None else "" for h in grid[header]]
    where = {c.key: labels.index(c.header) for c in columns if c.header in labels}
    out = []
    for r in range(header + 1, len(grid)):
        line = grid[r]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in line):
            continue
        row: dict[str, Any] = {}
        for c in columns:
            i = where.get(c.key)
            raw = line[i] if i is not None and i < len(line) else None
            try:
                row[c.key] = P._typed(c, raw)
            except P._CellError as exc:
                row[c.key] = None
                issues.append(make_issue(IssueCode.PACKAGE_CELL, sheet=sheet, row=r + 1, label=c.header,
                                         cell=f"{column_letter(i + 1)}{r + 1}", field=c.key, value=raw,
                                         detail=f"cần {exc}"))
        out.append(row)
        if numbers is not None:
            numbers.append(r + 1)
    return out


# Values as calamine hands them over, and the ones a hand-edited package may hold.
_VALUE = st.one_of(
    st.just(""), st.just("  "), st.just("\t"), st.none(),
    st.sampled_from(["Có", "Không", " Có ", "có", "Co\u0301", "valid", "errors", "Hà Nội", "Ha\u0300 Nội", "2021-03-04",
                     "2021-13-01", "12", "x"]),
    st.text(max_size=6),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1.0, 2.5, 1e15, 1e16, 2021.0]),
    st.booleans(), st.integers(-3, 3),
    st.sampled_from([dt.date(2021, 3, 4), dt.datetime(2021, 3, 4, 5, 6), dt.datetime(2021, 3, 4), dt.time(6, 0),
                     dt.timedelta(days=1)]),
)


@st.composite
def _grids(draw):
    columns = draw(st.sampled_from([P.INITIATIVE_COLUMNS, P.UNIT_COLUMNS, P.NOMINATION_COLUMNS]))
    headers = [c.header for c in columns]
    # A hand-edited header: a column dropped, two swapped, an extra one.
    if draw(st.booleans()):
        del headers[draw(st.integers(1, len(headers) - 1))]
    if draw(st.booleans()):
        i, j = draw(st.integers(1, len(headers) - 1)), draw(st.integers(1, len(headers) - 1))
        headers[i], headers[j] = headers[j], headers[i]
    if draw(st.booleans()):
        headers.append("Cột thêm")
    width = len(headers)
    ragged = draw(st.booleans())
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        n = draw(st.integers(0, width + 1)) if ragged else width
        pattern = draw(st.sampled_from(["blank", "same", "mixed"]))
        if pattern == "blank":
            rows.append([draw(st.sampled_from(["", None, " "])) for _ in range(n)])
        elif pattern == "same":
            v = draw(_VALUE)
            rows.append([v] * n)
        else:
            rows.append([draw(_VALUE) for _ in range(n)])
    title = [["TIÊU ĐỀ"] + [""] * (width - 1), [""] * width]
    return columns, title + [headers] + rows


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


@settings(max_examples=300, deadline=None)
@given(_grids())
def test_the_column_reader_is_the_cell_reader(case):
    columns, grid = case
    want_issues, got_issues = [], []
    want_numbers, got_numbers = [], []
    want = _reference_rows(grid, columns, "S", want_issues, want_numbers)
    got = P._rows(grid, columns, "S", got_issues, got_numbers)
    assert got_numbers == want_numbers
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert list(g) == list(w)
        assert all(_same(g[k], w[k]) for k in w), (g, w)
    assert [i.model_dump() if hasattr(i, "model_dump") else i for i in got_issues] == \
        [i.model_dump() if hasattr(i, "model_dump") else i for i in want_issues]


def test_values_outside_the_quick_forms_are_typed_cell_by_cell():
    """Text around a yes/no, a date and time, a count as text, a wrong type: ``_typed`` decides each one."""
    columns = [P.Column("Khoá", "key", 10, "text"), P.Column("Có?", "flag", 10, "bool"),
               P.Column("Số", "n", 10, "int"), P.Column("Ngày", "on", 10, "date")]
    grid = [["Khoá", "Có?", "Số", "Ngày"],
            ["a", " Có ", 3.0, dt.datetime(2021, 3, 4, 5, 6)],
            [2.0, "Không", 2.5, "2021-03-05"],
            ["c", "x", "7", dt.date(2021, 3, 6)]]
    issues: list = []
    rows = P._rows(grid, columns, "S", issues)
    assert rows == [{"key": "a", "flag": True, "n": 3, "on": dt.date(2021, 3, 4)},
                    {"key": "2", "flag": False, "n": None, "on": dt.date(2021, 3, 5)},
                    {"key": "c", "flag": None, "n": None, "on": dt.date(2021, 3, 6)}]
    assert [(i.cell, i.code) for i in issues] == [("C3", "package-cell"), ("B4", "package-cell"), ("C4", "package-cell")]


def test_a_folder_scan_opens_each_package_once(tmp_path, monkeypatch):
    """``iter_packages`` looks at a workbook's sheets and reads it as a package from one pass through the
    gate (a province package is megabytes of sheet XML: the scan used to run twice)."""
    from addin.io.gate import workbook as gate_workbook
    from addin.province import scan

    pkg = P.Package(stamp={"campaign_id": "c1", "level": "district", "code": "H01", "name": "Huyện"},
                    initiatives=[{"id": "H01-1", "title": "Sáng kiến", "applied_on": dt.date(2021, 3, 1)}],
                    ledger={"rows_read": 1, "rows_consolidated": 1, "rows_rejected": 0})
    P.write_package(pkg, tmp_path / "H01.xlsx")
    (tmp_path / "khac.xlsx").write_bytes(b"not a workbook")
    opened = []
    real = gate_workbook.open_workbook
    monkeypatch.setattr(scan, "open_workbook", lambda path, **kw: opened.append(path) or real(path, **kw))
    monkeypatch.setattr(P, "open_workbook", lambda path, **kw: opened.append(path) or real(path, **kw))

    class _Campaign:
        id = "c1"

    others: list = []
    found = list(scan.iter_packages(tmp_path, _Campaign(), "district", [], others))
    assert [p.name for p, _ in found] == ["H01.xlsx"] and found[0][1].initiatives[0]["id"] == "H01-1"
    assert [p.name for p in others] == ["khac.xlsx"]
    assert sorted(p.name for p in opened) == ["H01.xlsx", "khac.xlsx"]
