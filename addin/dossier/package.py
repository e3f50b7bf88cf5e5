"""The package workbook a level sends up: a district's dossier package read by the province, and (same
format) a province's package read at the national level.

Sheets (every table starts with a title row, an optional note, a blank row and its header row):

* ``Thông tin gói``: the stamp, key/value: ``format``, ``campaign_id``, ``level`` (``district`` |
  ``province``), ``code``, ``name``, ``parent_code`` (the level above: the province code for a district),
  ``province_code``, ``export_date``, ``summary_file`` and ``to_trinh_file`` (the names of the Bảng tổng hợp and
  the Tờ trình sent with it, so the receiver can check the dossier is complete), and the row counts.
* ``Sáng kiến``: every consolidated initiative, each row with ``province_code``, ``district_code``,
  ``unit_code``: rows keep their origin when rolled up one more level.
* ``Đơn vị``: one row per unit of the level (CĐCS for a district) with status and commitments.
* ``Đề xuất``: the selected nominations (same columns as ``Sáng kiến`` plus the rank).
* ``Sổ cân đối``: the ledger (rows read / consolidated / rejected).

``read_package`` checks the stamp and the counts and returns typed values (dates, booleans, integers).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from addin.io.gate.workbook import WorkbookRefused, open_workbook
from addin.sheets.model import Column, SheetData

from addin.sheets.reader import read_pairs, read_rows

from addin.sheets.writer import write_sheets
from validators.errors import SangkienError

PACKAGE_FORMAT = "sangkien-package/1"
S_STAMP = "Thông tin gói"
S_INIT = "Sáng kiến"
S_UNITS = "Đơn vị"
S_NOMS = "Đề xuất"
S_LEDGER = "Sổ cân đối"
_FIXED_CREATED = dt.datetime(2021, 1, 1)

STAMP_KEYS = ("format", "campaign_id", "level", "code", "name", "parent_code", "province_code", "export_date",
              "summary_file", "to_trinh_file", "initiatives", "units", "nominations")

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


@dataclass
class Package:
    stamp: dict[str, Any]
    initiatives: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)
    nominations: list[dict[str, Any]] = field(default_factory=list)
    ledger: dict[str, int] = field(default_factory=dict)

    @property
    def level(self) -> str:
        return str(self.stamp.get("level") or "")

    @property
    def code(self) -> str:
        return str(self.stamp.get("code") or "")


def _cell(col: Column, v: Any) -> Any:
    if col.kind == "bool":
        return "" if v is None else ("Có" if v else "Không")
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
    sheets = [
        SheetData(S_STAMP, "GÓI DỮ LIỆU GỬI CẤP TRÊN (không sửa trang này)",
                  [Column("Khoá", "key", 18, "text"), Column("Giá trị", "value", 60, "text")],
                  [[k, "" if v is None else (v if isinstance(v, int) else str(v))] for k, v in stamp.items()],
                  landscape=False),
        _sheet(S_INIT, "SÁNG KIẾN ĐƯỢC TỔNG HỢP", INITIATIVE_COLUMNS, pkg.initiatives),
        _sheet(S_UNITS, "TÌNH HÌNH CÁC ĐƠN VỊ", UNIT_COLUMNS, pkg.units),
        _sheet(S_NOMS, "SÁNG KIẾN ĐƯỢC CHỌN ĐỀ NGHỊ CẤP TRÊN", NOMINATION_COLUMNS, pkg.nominations),
        SheetData(S_LEDGER, "SỔ CÂN ĐỐI: ĐỌC = TỔNG HỢP + BỊ LOẠI",
                  [Column("Mục", "key", 28, "text"), Column("Số dòng", "value", 12, "int")],
                  [[LEDGER_KEYS[k], int(pkg.ledger.get(k, 0))] for k in LEDGER_KEYS], landscape=False),
    ]
    path = Path(path)
    write_sheets(sheets, path, title=f"Gói dữ liệu {stamp.get('level')} {stamp.get('code')}")
    return path


def _typed(col: Column, v: Any) -> Any:
    if v is None or (isinstance(v, str) and v.strip() == ""):
        return None
    if col.kind == "bool":
        return str(v).strip() == "Có"
    if col.kind == "int":
        return int(v) if isinstance(v, (int, float)) else int(str(v))
    if col.kind == "money":
        return int(v) if isinstance(v, float) and v.is_integer() else v
    if col.kind == "date":
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        return dt.date.fromisoformat(str(v))
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return unicodedata.normalize("NFC", str(v))


def _rows(grid, columns: list[Column]) -> list[dict[str, Any]]:
    return [{c.key: _typed(c, r.get(c.key)) for c in columns} for r in read_rows(grid, columns)]


def read_package(path: str | Path, *, campaign_id: str | None = None) -> Package:
    """Read a package workbook; raise PackageError (Vietnamese) if it is not one, or is inconsistent."""
    path = Path(path)
    try:
        grids = open_workbook(path).grids()
    except WorkbookRefused as refused:
        raise PackageError(f"Không đọc được gói dữ liệu {path.name}: {refused.issue.message}") from refused
    missing = [s for s in (S_STAMP, S_INIT, S_UNITS, S_NOMS, S_LEDGER) if s not in grids]
    if missing:
        raise PackageError(f"Tệp {path.name} không phải gói dữ liệu của chương trình (thiếu trang {', '.join(missing)}).")
    stamp = {k: (int(v) if isinstance(v, float) and v.is_integer() else v)
             for k, v in read_pairs(grids[S_STAMP], "Khoá").items()}
    if stamp.get("format") != PACKAGE_FORMAT:
        raise PackageError(f"Tệp {path.name}: định dạng gói '{stamp.get('format')}' không được hỗ trợ.")
    if campaign_id is not None and stamp.get("campaign_id") != campaign_id:
        raise PackageError(
            f"Gói dữ liệu {path.name} thuộc đợt thi đua '{stamp.get('campaign_id')}', không phải '{campaign_id}'.")
    pairs = read_pairs(grids[S_LEDGER], "Mục")
    ledger = {k: int(pairs.get(label) or 0) for k, label in LEDGER_KEYS.items()}
    pkg = Package(stamp=stamp, initiatives=_rows(grids[S_INIT], INITIATIVE_COLUMNS),
                  units=_rows(grids[S_UNITS], UNIT_COLUMNS), nominations=_rows(grids[S_NOMS], NOMINATION_COLUMNS),
                  ledger=ledger)
    for key, rows in (("initiatives", pkg.initiatives), ("units", pkg.units), ("nominations", pkg.nominations)):
        if stamp.get(key) is not None and int(stamp[key]) != len(rows):
            raise PackageError(f"Gói dữ liệu {path.name} không đầy đủ: trang '{key}' có {len(rows)} dòng, "
                               f"dấu gói ghi {stamp[key]} dòng.")
    return pkg
