"""The package workbook a level sends up: a district's dossier package read by the province, and (same
format) a province's package read at the national level.

Sheets (every table starts with a title row, an optional note, a blank row and its header row):

* ``Thông tin gói``: the stamp, key/value: ``format``, ``campaign_id``, ``level`` (``district`` |
  ``province``), ``code``, ``name``, ``parent_code`` (the level above: the province code for a district),
  ``province_code``, ``export_date``, ``summary_file`` and ``to_trinh_file`` (the names of the Bảng tổng hợp and
  the Tờ trình sent with it, so the receiver can check the dossier is complete), and the row counts. The key
  sits in a hidden column; a person reads the Vietnamese name of each line (``STAMP_LABELS``) and the level
  as words.
* ``Sáng kiến``: every consolidated initiative, each row with ``province_code``, ``district_code``,
  ``unit_code``: rows keep their origin when rolled up one more level.
* ``Đơn vị``: one row per unit of the level (CĐCS for a district) with status and commitments. The status
  shows as the district workbook's words («Hợp lệ», «Có lỗi»…); the reader turns them back into the JSON
  contract's codes (``valid``, ``errors``…) and still reads the codes that packages before this wrote.
* ``Đề xuất``: the selected nominations (same columns as ``Sáng kiến`` plus the rank).
* ``Sổ cân đối``: the ledger (rows read / consolidated / rejected).

``read_package`` checks the stamp and the counts and returns typed values (dates, booleans, integers).
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections import abc
from dataclasses import dataclass, field
from pathlib import Path
from operator import itemgetter
from typing import Any, Collection, Sequence

from addin.district.records import STATUS_LABELS, status_of_label
from addin.io.cells import column_letter
from addin.io.gate.workbook import GatedWorkbook, WorkbookRefused, open_workbook
from addin.io.names import visible_name
from addin.io.sanitize import MAX_NUMBER
from addin.sheets.model import Column, SheetData

from addin.sheets.reader import read_pairs, read_table

from addin.sheets.writer import write_sheets
from validators.errors import ErrorCode, SangkienError
from validators.issues import Issue, IssueCode, make_issue

PACKAGE_FORMAT = "sangkien-package/1"
S_STAMP = "Thông tin gói"
S_INIT = "Sáng kiến"
S_UNITS = "Đơn vị"
S_NOMS = "Đề xuất"
S_LEDGER = "Sổ cân đối"

STAMP_KEYS = ("format", "campaign_id", "level", "code", "name", "parent_code", "province_code", "export_date",
              "summary_file", "to_trinh_file", "initiatives", "units", "nominations")
# What a person reads beside each stamp key (the key itself is in a hidden column).
STAMP_LABELS = {
    "format": "Định dạng gói", "campaign_id": "Mã đợt thi đua", "level": "Cấp gửi gói",
    "code": "Mã đơn vị gửi", "name": "Tên đơn vị gửi", "parent_code": "Mã cấp nhận",
    "province_code": "Mã tỉnh", "export_date": "Ngày lập gói (năm-tháng-ngày)",
    "summary_file": "Tệp Bảng tổng hợp tóm tắt sáng kiến", "to_trinh_file": "Tệp Tờ trình",
    "initiatives": "Số dòng trang «Sáng kiến»", "units": "Số dòng trang «Đơn vị»",
    "nominations": "Số dòng trang «Đề xuất»", "source_workbook": "Bảng tổng hợp nguồn",
    "own_propagated": "Đơn vị cấp trên đã tuyên truyền", "own_movement": "Phong trào đặc thù của đơn vị cấp trên",
}
LEVEL_LABELS = {"district": "Công đoàn cấp trên trực tiếp cơ sở", "province": "Liên đoàn Lao động tỉnh"}
STAMP_KEY, STAMP_LABEL, STAMP_VALUE = "Khoá", "Mục", "Giá trị"

ORIGIN_COLUMNS = [
    Column("Mã tỉnh", "province_code", 8, "text"), Column("Mã cấp trên", "district_code", 10, "text"),
    Column("Mã đơn vị", "unit_code", 10, "text"),
]
INITIATIVE_COLUMNS = [
    Column("Mã sáng kiến", "id", 16, "text"), *ORIGIN_COLUMNS,
    Column("Tên đơn vị", "unit_name", 30, "text"), Column("Tên sáng kiến", "title", 40, "long"),
    Column("Tác giả", "author", 20, "text"), Column("Năm sinh", "birth_year", 9, "int"),
    Column("Giới tính", "gender", 8, "text"), Column("Chức vụ, nghề nghiệp", "position", 18, "text"),
    Column("Đồng tác giả", "coauthors", 20, "text"), Column("Lĩnh vực", "field", 28, "text"),
    Column("Khối", "bloc", 16, "text"), Column("Tóm tắt nội dung", "description", 60, "long"),
    Column("Ngày bắt đầu áp dụng", "applied_on", 11, "date"), Column("Giá trị làm lợi (đồng)", "benefit", 15, "money"),
    Column("Đã thẩm định", "assessed", 9, "bool"), Column("Đã cập nhật phần mềm TLĐ", "entered_tld", 10, "bool"),
    Column("Đề xuất cấp trên", "nominated", 9, "bool"), Column("Khiếu nại, tranh chấp", "disputed", 10, "bool"),
    Column("Ghi chú", "note", 18, "text"), Column("Tệp nguồn", "source_file", 28, "text"),
    Column("Dòng nguồn", "source_row", 7, "int"),
]
NOMINATION_COLUMNS = [Column("Thứ tự chọn", "rank", 8, "int"), *INITIATIVE_COLUMNS]
UNIT_COLUMNS = [
    *ORIGIN_COLUMNS, Column("Tên đơn vị", "name", 36, "text"), Column("Khối", "bloc", 16, "text"),
    Column("Tình trạng", "status", 10, "text"), Column("Tính vào chỉ tiêu", "counted", 9, "bool"),
    Column("Gửi muộn", "late", 8, "bool"),
    Column("Gửi lại", "resubmitted", 8, "bool"), Column("Số sáng kiến được tổng hợp", "initiatives", 10, "int"),
    Column("Số dòng đã đọc", "rows_read", 9, "int"), Column("Số dòng bị loại", "rows_rejected", 9, "int"),
    Column("Ngày gửi", "sent_on", 11, "date"), Column("Đã tuyên truyền", "propagated", 9, "bool"),
    Column("Đã ký kế hoạch", "plan_signed", 9, "bool"), Column("Ngày ký kế hoạch", "plan_signed_on", 11, "date"),
    Column("KH có mục tiêu", "plan_has_goals", 9, "bool"), Column("KH có khen thưởng", "plan_has_rewards", 9, "bool"),
    Column("Phong trào đặc thù", "specific_movement", 24, "text"),
]
LEDGER_KEYS = {"rows_read": "Số dòng đã đọc", "rows_consolidated": "Số dòng được tổng hợp",
               "rows_rejected": "Số dòng bị loại",
               "rows_cut": "Trong đó: dòng vượt giới hạn số dòng, bị loại không kiểm tra"}


class PackageError(SangkienError):
    """A package workbook that cannot be used: Vietnamese message."""


class Stamped:
    """What a package's stamp says of it: the level ("district", "province") and the unit's code."""

    stamp: dict[str, Any]

    @property
    def level(self) -> str:
        return str(self.stamp.get("level") or "")

    @property
    def code(self) -> str:
        return str(self.stamp.get("code") or "")


@dataclass
class Package(Stamped):
    stamp: dict[str, Any]
    initiatives: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)
    nominations: list[dict[str, Any]] = field(default_factory=list)
    ledger: dict[str, int] = field(default_factory=dict)
    # Cells that were not of their column's type (package-cell), each naming its sheet, row and column.
    issues: list[Issue] = field(default_factory=list)
    # The sheet row (1-based) of each row read, by sheet name, in the order of the lists above.
    rows_at: dict[str, list[int]] = field(default_factory=dict)


def _cell(col: Column, v: Any) -> Any:
    if col.kind == "bool":
        return "" if v is None else ("Có" if v else "Không")
    if col.key == "status" and isinstance(v, str):  # a person reads the district workbook's words, not codes
        return STATUS_LABELS.get(v, v)
    return v


def _sheet(name: str, title: str, columns: list[Column], rows: list[dict[str, Any]]) -> SheetData:
    return SheetData(name, title, [Column(c.header, c.key, c.width, "auto" if c.kind == "bool" else c.kind)
                                   for c in columns],
                     [[_cell(c, r.get(c.key)) for c in columns] for r in rows])


def write_package(pkg: Package, path: str | Path) -> Path:
    """Write ``pkg`` atomically and deterministically (the only date is the stamp's export date)."""
    stamp = {k: pkg.stamp.get(k) for k in STAMP_KEYS} | {k: v for k, v in pkg.stamp.items() if k not in STAMP_KEYS}
    stamp["format"] = PACKAGE_FORMAT
    stamp["initiatives"] = len(pkg.initiatives)
    stamp["units"] = len(pkg.units)
    stamp["nominations"] = len(pkg.nominations)
    for k in ("export_date",):
        if isinstance(stamp.get(k), dt.date):
            stamp[k] = stamp[k].isoformat()
    level = LEVEL_LABELS.get(str(stamp.get("level")), stamp.get("level"))
    shown = stamp | {"level": level}
    sheets = [
        SheetData(S_STAMP, "GÓI DỮ LIỆU GỬI CẤP TRÊN (không sửa trang này)",
                  [Column(STAMP_KEY, "key", 18, "text", hidden=True), Column(STAMP_LABEL, "label", 36, "text"),
                   Column(STAMP_VALUE, "value", 60, "text")],
                  [[k, STAMP_LABELS.get(k, k), "" if v is None else (v if isinstance(v, int) else str(v))]
                   for k, v in shown.items()],
                  landscape=False),
        _sheet(S_INIT, "SÁNG KIẾN ĐƯỢC TỔNG HỢP", INITIATIVE_COLUMNS, pkg.initiatives),
        _sheet(S_UNITS, "TÌNH HÌNH CÁC ĐƠN VỊ", UNIT_COLUMNS, pkg.units),
        _sheet(S_NOMS, "SÁNG KIẾN ĐƯỢC CHỌN ĐỀ NGHỊ CẤP TRÊN", NOMINATION_COLUMNS, pkg.nominations),
        SheetData(S_LEDGER, "SỔ CÂN ĐỐI: ĐỌC = TỔNG HỢP + BỊ LOẠI",
                  [Column("Mục", "key", 28, "text"), Column("Số dòng", "value", 12, "int")],
                  [[LEDGER_KEYS[k], int(pkg.ledger.get(k, 0))] for k in LEDGER_KEYS], landscape=False),
    ]
    path = Path(path)
    write_sheets(sheets, path, title=f"Gói dữ liệu – {level} {stamp.get('code')}")
    return path


class _CellError(ValueError):
    """A package cell whose value is not of its column's type; the message says what was expected."""


_EXPECTED = {"bool": "Có/Không", "int": "số nguyên", "money": "số", "date": "ngày (yyyy-mm-dd)"}


def _typed(col: Column, v: Any) -> Any:
    """The cell as its column's type; ``_CellError`` when it is not one (a package edited by hand)."""
    if v is None or (isinstance(v, str) and v.strip() == ""):
        return None
    if col.kind == "bool":
        text = str(v).strip()
        if text not in ("Có", "Không"):
            raise _CellError(_EXPECTED["bool"])
        return text == "Có"
    if col.kind in ("int", "money"):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or not -MAX_NUMBER < v < MAX_NUMBER:
            raise _CellError(_EXPECTED[col.kind] + " (tối đa 15 chữ số)")
        if col.kind == "int" and not float(v).is_integer():
            raise _CellError(_EXPECTED["int"])
        return int(v) if float(v).is_integer() else v
    if col.kind == "date":
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        try:
            return dt.date.fromisoformat(str(v).strip())
        except ValueError:
            raise _CellError(_EXPECTED["date"]) from None
    if isinstance(v, float) and v.is_integer() and abs(v) < MAX_NUMBER:
        v = int(v)
    return unicodedata.normalize("NFC", str(v))


_NEVER_WRONG = ("text", "long", "auto")  # kinds ``_typed`` takes any value of (as text): no package-cell issue


class ColumnRows(abc.Sequence):
    """A table's rows kept as its typed columns (key -> values, all of one length), for a reader that counts
    over columns (the national roll-up); indexing or iterating still gives each row as a dict."""

    def __init__(self, columns: dict[str, list[Any]], n: int) -> None:
        self.columns, self._n = columns, n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return {k: v[i] for k, v in self.columns.items()}

    def __iter__(self):
        keys = list(self.columns)
        return (dict(zip(keys, vals)) for vals in zip(*self.columns.values())) if keys else iter([{}] * self._n)

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (list, ColumnRows)) else NotImplemented


def _rows(grid, columns: list[Column], sheet: str, issues: list[Issue],
          numbers: list[int] | None = None, keep: Collection[str] | None = None,
          as_columns: bool = False) -> list[dict[str, Any]]:
    """Every non-blank row under the table's header (a gap never ends it), each cell typed; a cell of the
    wrong type is None with a ``package-cell`` issue naming its sheet, row and column.

    ``keep``: the only keys the rows hold (all by default). A column left out is still checked when a cell
    of it can be of the wrong type, so the issues are those of the whole read; a text column left out is not
    even typed (no value is wrong in one). ``as_columns``: the rows as a ``ColumnRows`` (no dict per row).

    Read as data, a column at a time: the rows are picked and turned into columns in C (``itemgetter``,
    ``zip``), and each column is typed by ``_typed_column`` (one comprehension for the usual values, ``_typed``
    for the rest). The result, issues included and in the same order, is what typing cell by cell gives
    (``tests/test_package_columns.py`` keeps the cell-by-cell reader as the reference)."""
    keys = [c.key for c in columns if keep is None or c.key in keep]
    header = next((r for r, row in enumerate(grid) if row and isinstance(row[0], str)
                   and row[0].strip() == columns[0].header), None)
    if header is None:
        return ColumnRows({k: [] for k in keys}, 0) if as_columns else []  # type: ignore[return-value]
    labels = [str(h).strip() if h is not None else "" for h in grid[header]]
    where = {c.key: labels.index(c.header) for c in columns if c.header in labels}
    kept = [r for r in range(header + 1, len(grid)) if not _blank_line(grid[r])]
    if not kept:
        return ColumnRows({k: [] for k in keys}, 0) if as_columns else []  # type: ignore[return-value]
    present = [c for c in columns if c.key in where and (keep is None or c.key in keep or c.kind not in _NEVER_WRONG)]
    width = min(len(grid[r]) for r in kept)
    if present and all(where[c.key] < width for c in present):
        pick = itemgetter(*(where[c.key] for c in present))
        picked = [pick(grid[r]) for r in kept] if len(present) > 1 else [(pick(grid[r]),) for r in kept]
        raw_columns = dict(zip((c.key for c in present), zip(*picked)))
    else:  # ragged rows (not from calamine): pad as the cell-by-cell read did
        raw_columns = {c.key: tuple(grid[r][where[c.key]] if where[c.key] < len(grid[r]) else None for r in kept)
                       for c in present}
    typed: list[list[Any]] = []
    errors: list[tuple[int, int, Issue]] = []
    for ci, c in enumerate(columns):
        values = raw_columns.get(c.key)
        wanted = keep is None or c.key in keep
        if values is None:
            if wanted:
                typed.append([None] * len(kept))
            continue
        if not wanted and c.kind in _NEVER_WRONG:
            continue
        out, bad = _typed_column(c, values)
        if wanted:
            typed.append(out)
        i = where[c.key]
        for k, detail in bad:
            r = kept[k]
            errors.append((k, ci, make_issue(IssueCode.PACKAGE_CELL, sheet=sheet, row=r + 1, label=c.header,
                                             cell=f"{column_letter(i + 1)}{r + 1}", field=c.key, value=values[k],
                                             detail=f"cần {detail}")))
    errors.sort(key=lambda e: (e[0], e[1]))
    issues.extend(e[2] for e in errors)
    if numbers is not None:
        numbers.extend(r + 1 for r in kept)
    if as_columns:
        return ColumnRows(dict(zip(keys, typed)), len(kept))  # type: ignore[return-value]
    return [dict(zip(keys, vals)) for vals in zip(*typed)] if typed else [{} for _ in kept]


_SLOW = object()  # a value the column's quick form does not cover: ``_typed`` decides it
_NFC = functools.partial(unicodedata.normalize, "NFC")
_YES_NO = {"Có": True, "Không": False, "": None, None: None}


def _quick(kind: str, values: Sequence[Any]) -> list[Any]:
    """The column typed in one comprehension for the values packages hold (what we write, read back by
    calamine); ``_SLOW`` wherever ``_typed`` must decide (other types, text around a yes/no, a wrong type).
    Each quick form is ``_typed``'s own first branch for those values, nothing more."""
    if kind == "bool":
        get = _YES_NO.get
        return [get(v, _SLOW) if v.__class__ is str or v is None else _SLOW for v in values]
    if kind in ("int", "money"):
        top = MAX_NUMBER
        return [(int(v) if v.is_integer() else (_SLOW if kind == "int" else v)) if v.__class__ is float and -top < v < top
                else None if v == "" or v is None else _SLOW for v in values]
    if kind == "date":
        return [v if v.__class__ is dt.date else None if v == "" or v is None else _SLOW for v in values]
    if kind == "text" or kind == "long" or kind == "auto":
        return [(_NFC(v) if v.strip() else None) if v.__class__ is str else None if v is None else _SLOW
                for v in values]
    return [_SLOW] * len(values)  # a kind added later: typed cell by cell


def _typed_column(col: Column, values: Sequence[Any]) -> tuple[list[Any], list[tuple[int, str]]]:
    """``_typed`` over one column: (typed values, [(position, what was expected)] for the cells that are not of
    the column's type, typed None). The quick form covers the usual values in one comprehension; the others,
    found by ``list.index`` (C), go through ``_typed`` one by one."""
    out = _quick(col.kind, values)
    bad: list[tuple[int, str]] = []
    k = -1
    while True:
        try:
            k = out.index(_SLOW, k + 1)
        except ValueError:
            return out, bad
        try:
            out[k] = _typed(col, values[k])
        except _CellError as exc:
            out[k] = None
            bad.append((k, str(exc)))


def _blank_line(line: Sequence[Any]) -> bool:
    """No value but empty or whitespace-only text (what the cell-by-cell read skipped); a data row answers
    at its first cell."""
    for v in line:
        if v is None or isinstance(v, str) and not v.strip():
            continue
        return False
    return True


def _count(v: Any) -> int | None:
    """A count in the stamp or the ledger: a non-negative whole number, else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, float) and v.is_integer() and 0 <= v < MAX_NUMBER:
        return int(v)
    if isinstance(v, int) and 0 <= v < MAX_NUMBER:
        return v
    if isinstance(v, str) and v.strip().isdigit() and len(v.strip()) <= 15:
        return int(v.strip())
    return None


def _stamp_pairs(grid) -> dict[str, Any]:
    """The stamp by key: the hidden «Khoá» column and «Giá trị», wherever «Mục» sits (packages before it had
    only the two). The level is read back from its words."""
    _, rows = read_table(grid, STAMP_KEY)
    out = {str(r[STAMP_KEY]).strip(): r.get(STAMP_VALUE) for r in rows if r.get(STAMP_KEY) is not None}
    level = out.get("level")
    if isinstance(level, str):
        out["level"] = next((k for k, v in LEVEL_LABELS.items() if v == level.strip()), level.strip())
    return out


def _statuses(units: list[dict[str, Any]], at: list[int], issues: list[Issue]) -> None:
    """Each unit's status code from the words a person reads (or the code a package before them wrote); a
    value that is neither is None with a ``package-cell`` issue."""
    label = next(c.header for c in UNIT_COLUMNS if c.key == "status")
    for u, line in zip(units, at):
        v = u.get("status")
        if v is None:
            continue
        code = status_of_label(str(v))
        if code in STATUS_LABELS:
            u["status"] = code
        else:
            u["status"] = None
            issues.append(make_issue(IssueCode.PACKAGE_CELL, sheet=S_UNITS, row=line, label=label, field="status",
                                     value=v, detail="cần một trong: " + ", ".join(STATUS_LABELS.values())))


def read_package(path: str | Path, *, campaign_id: str | None = None, workbook: GatedWorkbook | None = None,
                 initiative_keys: Collection[str] | None = None, initiative_columns: bool = False) -> Package:
    """Read a package workbook; raise PackageError (Vietnamese) if it is not one, or is inconsistent.
    ``workbook``: the same file already opened through the gate (a folder scan that looked at its sheets).
    ``initiative_keys``: the only keys the initiative rows hold (all by default), for a reader that counts
    (the national roll-up); the checks, the issues and the counts are those of the whole read.
    ``initiative_columns``: the initiatives as a ``ColumnRows`` (typed columns, no dict per row)."""
    path = Path(path)
    name = visible_name(path.name)
    try:
        grids = (workbook if workbook is not None else open_workbook(path)).grids()
    except WorkbookRefused as refused:
        raise PackageError(ErrorCode.PACKAGE_UNREADABLE, name=name, message=refused.issue.message) from refused
    missing = [s for s in (S_STAMP, S_INIT, S_UNITS, S_NOMS, S_LEDGER) if s not in grids]
    if missing:
        raise PackageError(ErrorCode.PACKAGE_NOT_A_PACKAGE, name=name, items=', '.join(missing))
    stamp = {k: (int(v) if isinstance(v, float) and v.is_integer() and abs(v) < MAX_NUMBER else v)
             for k, v in _stamp_pairs(grids[S_STAMP]).items()}
    if stamp.get("format") != PACKAGE_FORMAT:
        raise PackageError(ErrorCode.PACKAGE_FORMAT, name=name, value=stamp.get('format'))
    if campaign_id is not None and stamp.get("campaign_id") != campaign_id:
        raise PackageError(ErrorCode.PACKAGE_CAMPAIGN, name=name, value=stamp.get('campaign_id'), campaign_id=campaign_id)
    for key in ("code", "level"):
        if not isinstance(stamp.get(key), str) or not stamp[key].strip():
            raise PackageError(ErrorCode.PACKAGE_STAMP, name=name, key=key)
    pairs = read_pairs(grids[S_LEDGER], "Mục")
    ledger: dict[str, int] = {}
    for k, label in LEDGER_KEYS.items():
        n = _count(pairs.get(label) if pairs.get(label) not in (None, "") else 0)
        if n is None:
            raise PackageError(ErrorCode.PACKAGE_LEDGER, name=name, value=pairs.get(label), label=label)
        ledger[k] = n
    issues: list[Issue] = []
    at: dict[str, list[int]] = {S_INIT: [], S_UNITS: [], S_NOMS: []}
    pkg = Package(stamp=stamp, initiatives=_rows(grids[S_INIT], INITIATIVE_COLUMNS, S_INIT, issues, at[S_INIT],
                                                        initiative_keys, initiative_columns),
                  units=_rows(grids[S_UNITS], UNIT_COLUMNS, S_UNITS, issues, at[S_UNITS]),
                  nominations=_rows(grids[S_NOMS], NOMINATION_COLUMNS, S_NOMS, issues, at[S_NOMS]), ledger=ledger,
                  issues=issues, rows_at=at)
    _statuses(pkg.units, pkg.rows_at[S_UNITS], issues)
    for key, rows in (("initiatives", pkg.initiatives), ("units", pkg.units), ("nominations", pkg.nominations)):
        declared = stamp.get(key)
        if declared is not None and declared != "" and _count(declared) != len(rows):
            raise PackageError(ErrorCode.PACKAGE_INCOMPLETE, name=name, key=key, count=len(rows), declared=declared)
    return pkg
