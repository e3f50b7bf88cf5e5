"""The district workbook: a neutral, tabular description of its sheets (``SheetData``), built from a
``DistrictResult`` by :func:`district_sheets`, and an XlsxWriter writer for that description.

The Excel button (a later issue) will build the same ``SheetData`` list and write it with xlwings; the
description therefore holds only plain values (text, numbers, dates, booleans, ``Link``) and formatting
intents (column kind and width, the staff's mark column and its maximum, charts).

Every value from a unit is written as a string cell (quote prefix when it looks like a formula); the only
formulas in the workbook are our own (the count of marked nominations). The same result gives the same
bytes: the workbook's creation time is fixed and the run time is one labelled cell on ``Tổng hợp``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from addin.io.atomic import atomic_path
from addin.io.sanitize import is_formula_like, safe_cell_text

FIXED_CREATED = dt.datetime(2021, 1, 1)
WORKBOOK_KIND = "district-workbook"
WORKBOOK_FORMAT = "1"

# Sheet names (the dossier export reads them back)
S_SUMMARY = "Tổng hợp"
S_UNITS = "Đơn vị"
S_INITIATIVES = "Sáng kiến"
S_NOMINATIONS = "Đề xuất"
S_COMMEND = "Khen thưởng"
S_INDICATORS = "Chỉ tiêu"
S_STATS = "Thống kê"
S_CHASE = "Đôn đốc"
S_ERRORS = "Lỗi"
S_FILES = "Tệp"
S_META = "_sangkien"

MARK_HEADER = "Chọn (x)"


@dataclass(frozen=True)
class Link:
    """A link to a file of ours (a unit's workbook): shown as ``text``."""

    text: str
    target: Path


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    width: float = 14
    kind: str = "auto"  # auto | text | long | int | money | pct | date | datetime | link


@dataclass(frozen=True)
class ChartSpec:
    title: str
    category_col: str  # column keys
    value_col: str
    first: int  # data-row indexes (0-based, inclusive)
    last: int
    anchor_col: int = 5
    series: int = 1  # value columns plotted side by side: value_col and the ones right after it

    def __post_init__(self) -> None:
        # Several series are named by their header cells, so they plot from the first data row.
        if self.series > 1 and self.first != 0:
            raise ValueError("a chart of several series starts at the first data row")


@dataclass
class SheetData:
    name: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    mark_column: str | None = None  # key of the column staff fill in
    mark_max: int | None = None
    charts: list[ChartSpec] = field(default_factory=list)
    hidden: bool = False
    landscape: bool = True

    @property
    def header_row(self) -> int:
        """0-based row of the column headers (title, notes, the mark counter, a blank row above it)."""
        return 1 + len(self.notes) + (1 if self.mark_column else 0) + 1


def _yn(v: bool | None) -> str:
    return "" if v is None else ("Có" if v else "Không")


# ------------------------------------------------------------------------------------------------------
# The sheets of a district result
# ------------------------------------------------------------------------------------------------------
SUMMARY_KEYS = {
    "district_code": "Mã đơn vị cấp trên",
    "district_name": "Tên đơn vị cấp trên",
    "campaign": "Đợt thi đua",
    "deadline": "Hạn nộp của CĐCS",
    "run_time": "Thời điểm tổng hợp",
    "expected": "Số CĐCS trực thuộc",
    "valid": "CĐCS gửi hợp lệ",
    "errors": "CĐCS gửi còn lỗi",
    "missing": "CĐCS chưa gửi",
    "late": "CĐCS gửi muộn",
    "resubmitted": "CĐCS gửi lại",
    "foreign": "Tệp của đơn vị khác",
    "files": "Số tệp đã đọc",
    "rows_read": "Số dòng sáng kiến đã đọc",
    "rows_consolidated": "Số dòng được tổng hợp",
    "rows_rejected": "Số dòng bị loại (có lý do)",
    "rows_cut": "Trong đó: dòng vượt giới hạn số dòng, bị loại không kiểm tra",
    "balanced": "Cân đối: đọc = tổng hợp + loại",
    "nomination_max": "Số sáng kiến tối đa được đề xuất lên tỉnh",
}


def district_sheets(result) -> list[SheetData]:
    """The sheets of the district workbook, in order."""
    from addin.district.consolidate import ROLE_LABELS, STATUS_LABELS

    camp = result.campaign
    ledger = result.ledger
    units = result.units
    exp = result.expected_units
    count = lambda s: sum(1 for u in exp if u.status == s)  # noqa: E731
    links = {f.name: f.path for f in result.files}
    link = lambda name: Link(name, links[name]) if name in links else name  # noqa: E731

    summary_values = {
        "district_code": result.district.code,
        "district_name": result.district.name,
        "campaign": f"{camp.name} ({camp.id})",
        "deadline": result.deadline,
        "run_time": result.run_time,
        "expected": len(exp),
        "valid": count("valid"),
        "errors": count("errors"),
        "missing": count("missing"),
        "late": sum(1 for u in exp if u.late),
        "resubmitted": sum(1 for u in exp if u.resubmitted),
        "foreign": sum(1 for f in result.files if f.role == "foreign"),
        "files": len(result.files),
        "rows_read": ledger["rows_read"],
        "rows_consolidated": ledger["rows_consolidated"],
        "rows_rejected": ledger["rows_rejected"],
        "rows_cut": ledger.get("rows_cut", 0),
        "balanced": "Đúng" if ledger["rows_read"] == ledger["rows_consolidated"] + ledger["rows_rejected"] else "SAI",
        "nomination_max": camp.rules.district_nomination_max,
    }
    summary = SheetData(
        S_SUMMARY, f"TỔNG HỢP KẾT QUẢ CHƯƠNG TRÌNH \"{camp.name.upper()}\" – {result.district.name.upper()}",
        [Column("Mục", "label", 44), Column("Giá trị", "value", 60)],
        [[SUMMARY_KEYS[k], v] for k, v in summary_values.items()],
        notes=["Mọi dòng sáng kiến đã đọc đều có trong trang 'Sáng kiến': được tổng hợp, hoặc bị loại kèm lý do."],
        landscape=False,
    )

    unit_rows = []
    for u in units:
        r = u.report
        unit_rows.append([
            u.code, u.name, u.bloc, STATUS_LABELS[u.status], u.status, u.late, u.resubmitted, u.initiatives,
            u.rows_read, u.rows_rejected, u.errors, u.warnings, u.sent_on,
            _yn(r.propagated) if r else "", _yn(r.plan_signed) if r else "", r.plan_signed_on if r else None,
            _yn(r.plan_has_goals) if r else "", _yn(r.plan_has_rewards) if r else "",
            (r.specific_movement or "") if r else "", u.quota, u.contact, u.phone, u.email,
            link(u.file) if u.file else "", "; ".join(u.superseded),
        ])
    units_sheet = SheetData(S_UNITS, "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CĐCS", UNIT_COLUMNS, unit_rows)

    init_rows = []
    for r in result.initiatives:
        i = r.item
        init_rows.append([
            r.id, r.unit_code, r.unit_name, i.stt, i.title or "", i.author or "", i.birth_year, i.gender or "",
            i.position or "", i.phone or "", i.coauthors or "", i.field or "", i.bloc or "", i.description or "",
            i.applied_on, i.benefit, _yn(i.assessed), _yn(i.entered_tld), _yn(i.nominated), _yn(i.disputed),
            i.note or "", "Tổng hợp" if r.consolidated else "Loại", r.reason, "; ".join(r.duplicate_of),
            _yn(r.over_quota), _yn(r.eligible), link(r.file), r.sheet, r.row,
        ])
    initiatives = SheetData(S_INITIATIVES, "DANH SÁCH SÁNG KIẾN ĐÃ ĐỌC (TỔNG HỢP VÀ BỊ LOẠI)", INITIATIVE_COLUMNS,
                            init_rows)

    max_n = camp.rules.district_nomination_max
    nom_rows = [[
        "", r.id, r.unit_code, r.unit_name, r.item.title or "", r.item.author or "", r.item.field or "",
        r.item.description or "", r.item.benefit, _yn(r.item.assessed), link(r.file), r.row,
    ] for r in result.nominations]
    nominations = SheetData(S_NOMINATIONS, "SÁNG KIẾN CÁC CĐCS ĐỀ XUẤT – CHỌN ĐỂ ĐỀ NGHỊ LÊN TỈNH", NOMINATION_COLUMNS, nom_rows, notes=[
        f"Đánh dấu x vào cột '{MARK_HEADER}' cho các sáng kiến đề nghị lên tỉnh: TỐI ĐA {max_n} sáng kiến.",
        "Chỉ liệt kê sáng kiến đủ điều kiện: hợp lệ, được CĐCS đề xuất trong số lượng phân bổ, không có "
        "khiếu nại, tranh chấp. Sau khi chọn: bấm «Xuất hồ sơ gửi tỉnh» (bảng tính có nút bấm), hoặc chạy lệnh "
        "sangkien dossier <tệp này> --out <thư mục>.",
    ], mark_column="mark", mark_max=max_n)

    commend = SheetData(S_COMMEND, "DANH SÁCH CÁ NHÂN CÓ NHIỀU SÁNG KIẾN (ĐỀ NGHỊ BIỂU DƯƠNG)", [
        Column("STT", "stt", 6, "int"), Column("Tác giả", "author", 24), Column("Năm sinh", "birth_year", 9, "int"),
        Column("Số sáng kiến", "count", 10, "int"), Column("Đơn vị", "units", 20), Column("Các sáng kiến", "titles", 80, "long"),
    ], [[n, c.author, c.birth_year, c.count, ", ".join(c.units), "; ".join(c.titles)]
        for n, c in enumerate(result.commendations, start=1)],
        notes=[f"Cá nhân có từ {camp.rules.commendation_min_initiatives} sáng kiến được tổng hợp trở lên "
               "(so theo tên tác giả không phân biệt dấu, hoa thường, và năm sinh)."])

    indicators = SheetData(S_INDICATORS, "KẾT QUẢ SO VỚI CHỈ TIÊU", [
        Column("Mã chỉ tiêu", "key", 22, "text"), Column("Chỉ tiêu", "label", 60, "long"),
        Column("Chỉ tiêu đề ra", "target", 12), Column("Kết quả", "actual", 12), Column("Tử số", "num", 9),
        Column("Mẫu số", "den", 9), Column("Đạt", "met", 8),
    ], [[i.key, i.label, i.target, i.actual, i.numerator, i.denominator, _yn(i.met)] for i in result.indicators],
        notes=["Tỷ lệ (%) tính trên số CĐCS trực thuộc theo danh sách; tỷ lệ kế hoạch có mục tiêu / khen thưởng "
               "tính trên số kế hoạch đã ký. Chỉ tiêu số sáng kiến = chỉ tiêu bình quân mỗi CĐCS × số CĐCS."])

    stats_rows = [["Lĩnh vực", k, n] for k, n in result.by_field] + [["Khối", k, n] for k, n in result.by_bloc]
    stats = SheetData(S_STATS, "SỐ SÁNG KIẾN ĐƯỢC TỔNG HỢP THEO LĨNH VỰC VÀ KHỐI", [
        Column("Nhóm", "group", 10), Column("Lĩnh vực / Khối", "name", 60, "long"), Column("Số sáng kiến", "count", 12, "int"),
    ], stats_rows, charts=[ChartSpec("Số sáng kiến theo lĩnh vực", "name", "count", 0, len(result.by_field) - 1)])

    chase_rows = []
    for u in exp:
        if u.status in ("missing", "errors"):
            chase_rows.append([u.code, u.name, STATUS_LABELS[u.status], u.errors, u.contact, u.phone, u.email,
                               link(u.file) if u.file else ""])
    chase = SheetData(S_CHASE, "DANH SÁCH CĐCS CẦN ĐÔN ĐỐC (CHƯA GỬI HOẶC CÒN LỖI)", [
        Column("Mã đơn vị", "code", 10), Column("Tên CĐCS", "name", 40), Column("Tình trạng", "status", 12),
        Column("Số lỗi", "errors", 8, "int"), Column("Người liên hệ", "contact", 20), Column("Điện thoại", "phone", 13, "text"),
        Column("Email", "email", 26, "text"), Column("Tệp", "file", 28, "link"),
    ], chase_rows, notes=[f"Hạn nộp: {result.deadline.strftime('%d/%m/%Y')}."])

    unit_of = {f.name: f.unit_code or "" for f in result.files}
    err_rows = [[link(i.path) if i.path else "", unit_of.get(i.path or "", ""), i.sheet or "", i.cell or "", i.row,
                 "Lỗi" if i.severity.value == "error" else "Cảnh báo", i.code, i.message] for i in result.issues]
    errors = SheetData(S_ERRORS, "DANH SÁCH LỖI VÀ CẢNH BÁO", [
        Column("Tệp", "file", 30, "link"), Column("Mã đơn vị", "unit_code", 10), Column("Trang", "sheet", 12),
        Column("Ô", "cell", 7), Column("Dòng", "row", 7, "int"), Column("Mức độ", "severity", 9),
        Column("Mã lỗi", "code", 20, "text"), Column("Nội dung", "message", 90, "long"),
    ], err_rows)

    file_rows = [[link(f.name), f.unit_code or "", ROLE_LABELS[f.role], f.reason, _yn(f.report.valid), _yn(f.late),
                  f.effective_date, f.modified, f.rows_read, f.rows_consolidated, f.rows_rejected]
                 for f in result.files]
    file_rows.append(["Tổng cộng", "", "", "", "", "", None, None, ledger["rows_read"], ledger["rows_consolidated"],
                      ledger["rows_rejected"]])
    files = SheetData(S_FILES, "SỔ CÂN ĐỐI THEO TỆP: SỐ DÒNG ĐỌC = TỔNG HỢP + BỊ LOẠI", [
        Column("Tệp", "file", 34, "link"), Column("Mã đơn vị", "unit_code", 10), Column("Xử lý", "role", 24),
        Column("Lý do", "reason", 50, "long"), Column("Hợp lệ", "valid", 8), Column("Gửi muộn", "late", 9),
        Column("Ngày gửi (hoặc ngày tệp)", "sent_on", 12, "date"), Column("Thời gian sửa tệp", "modified", 17, "datetime"),
        Column("Số dòng đọc", "rows_read", 9, "int"), Column("Số dòng tổng hợp", "rows_consolidated", 10, "int"),
        Column("Số dòng bị loại", "rows_rejected", 9, "int"),
    ], file_rows)

    reg = result.registry
    meta = SheetData(S_META, "sangkien", [Column("Khoá", "key", 20), Column("Giá trị", "value", 40)], [
        ["kind", WORKBOOK_KIND], ["format", WORKBOOK_FORMAT], ["campaign_id", camp.id],
        ["district_code", result.district.code], ["district_name", result.district.name],
        ["province", reg.province], ["province_code", reg.province_code],
        ["deadline", result.deadline.isoformat()],
    ], hidden=True)
    return [summary, units_sheet, initiatives, nominations, commend, indicators, stats, chase, errors, files, meta]


NOMINATION_COLUMNS = [
    Column(MARK_HEADER, "mark", 8, "text"), Column("Mã sáng kiến", "id", 16), Column("Mã đơn vị", "unit_code", 10),
    Column("Đơn vị", "unit_name", 30), Column("Tên sáng kiến", "title", 40, "long"), Column("Tác giả", "author", 20),
    Column("Lĩnh vực", "field", 28, "long"), Column("Tóm tắt nội dung", "description", 60, "long"),
    Column("Giá trị làm lợi (đồng)", "benefit", 16, "money"), Column("Đã thẩm định", "assessed", 10),
    Column("Tệp", "file", 24, "link"), Column("Dòng", "row", 7, "int"),
]

UNIT_COLUMNS = [
    Column("Mã đơn vị", "code", 10), Column("Tên CĐCS", "name", 40), Column("Khối", "bloc", 16),
    Column("Tình trạng", "status_label", 12), Column("Mã tình trạng", "status", 10),
    Column("Gửi muộn", "late", 9), Column("Gửi lại", "resubmitted", 9),
    Column("Số sáng kiến được tổng hợp", "initiatives", 11, "int"), Column("Số dòng đã đọc", "rows_read", 9, "int"),
    Column("Số dòng bị loại", "rows_rejected", 9, "int"), Column("Số lỗi", "errors", 7, "int"),
    Column("Số cảnh báo", "warnings", 9, "int"), Column("Ngày gửi", "sent_on", 11, "date"),
    Column("Đã tuyên truyền", "propagated", 10), Column("Đã ký kế hoạch", "plan_signed", 10),
    Column("Ngày ký kế hoạch", "plan_signed_on", 11, "date"), Column("KH có mục tiêu", "plan_has_goals", 10),
    Column("KH có khen thưởng", "plan_has_rewards", 10), Column("Phong trào đặc thù", "specific_movement", 24),
    Column("Số lượng được đề xuất", "quota", 9, "int"), Column("Người liên hệ", "contact", 18),
    Column("Điện thoại", "phone", 12, "text"), Column("Email", "email", 22, "text"),
    Column("Tệp", "file", 28, "link"), Column("Tệp bị thay (gửi lại)", "superseded", 28),
]

INITIATIVE_COLUMNS = [
    Column("Mã sáng kiến", "id", 16, "text"), Column("Mã đơn vị", "unit_code", 10, "text"),
    Column("Tên đơn vị", "unit_name", 30), Column("STT", "stt", 6, "int"), Column("Tên sáng kiến", "title", 40, "long"),
    Column("Tác giả", "author", 20), Column("Năm sinh", "birth_year", 9, "int"), Column("Giới tính", "gender", 8),
    Column("Chức vụ, nghề nghiệp", "position", 18), Column("Số điện thoại", "phone", 12, "text"),
    Column("Đồng tác giả", "coauthors", 20), Column("Lĩnh vực", "field", 28), Column("Khối", "bloc", 16),
    Column("Tóm tắt nội dung", "description", 60, "long"), Column("Ngày bắt đầu áp dụng", "applied_on", 11, "date"),
    Column("Giá trị làm lợi (đồng)", "benefit", 15, "money"), Column("Đã thẩm định", "assessed", 9),
    Column("Đã cập nhật phần mềm TLĐ", "entered_tld", 10), Column("Đề xuất cấp trên", "nominated", 9),
    Column("Khiếu nại, tranh chấp", "disputed", 10), Column("Ghi chú", "note", 18),
    Column("Xử lý", "state", 10), Column("Lý do bị loại", "reason", 50, "long"), Column("Trùng với", "duplicate_of", 22),
    Column("Vượt số lượng đề xuất", "over_quota", 9), Column("Đủ điều kiện đề xuất", "eligible", 9),
    Column("Tệp", "file", 28, "link"), Column("Trang", "sheet", 10), Column("Dòng", "row", 7, "int"),
]


# ------------------------------------------------------------------------------------------------------
# XlsxWriter writer for SheetData
# ------------------------------------------------------------------------------------------------------
class _Formats:
    def __init__(self, wb):
        self.wb = wb
        self.cache: dict[tuple, Any] = {}
        self._cells: dict[tuple, Any] = {}

    def get(self, **props) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            self.cache[key] = self.wb.add_format(props)
        return self.cache[key]

    def cell(self, style: str, wrap: bool, num_format: str | None = None) -> Any:
        """The format of a data cell, built once per (style, wrap, number format): tens of thousands of
        cells share a handful of formats, and building the properties per cell was most of the write."""
        key = (style, wrap, num_format)
        f = self._cells.get(key)
        if f is None:
            props: dict[str, Any] = {"valign": "top", "border": 1, "border_color": "#BFBFBF"}
            if wrap:
                props["text_wrap"] = True
            if style == "link":
                props.update(font_color="#0563C1", underline=1)
            elif style == "quote":
                props["quote_prefix"] = True
            elif style in ("date", "datetime"):
                props.update(num_format=_NUM_FORMATS[style], align="left")
            elif style == "number":
                props["num_format"] = num_format
            f = self._cells[key] = self.get(**props)
        return f


_NUM_FORMATS = {"money": "#,##0", "pct": "0.0", "date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm:ss",
                "int": "0"}


def file_url(target: Path, base: Path) -> str | None:
    """A safe relative (else absolute) external link, or None when the path cannot be linked safely."""
    try:
        rel = os.path.relpath(os.path.abspath(target), os.path.abspath(base))
    except ValueError:  # another drive on Windows
        rel = os.path.abspath(target)
    if any(ch in rel for ch in "#\"<>|*?\n\r\t") or len(rel) > 250:
        return None
    return "external:" + rel


def write_cell(ws, r: int, c: int, value: Any, kind: str, fmt: _Formats, base: Path | None, wrap: bool = False) -> None:
    if isinstance(value, Link):
        text = safe_cell_text(value.text)
        url = file_url(value.target, base) if base is not None else None
        if url is not None and not is_formula_like(text):
            if ws.write_url(r, c, url, fmt.cell("link", wrap), string=text) == 0:
                return
        value = text
    value = safe_cell_text(value)
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt.cell("plain", wrap))
    elif isinstance(value, bool):
        ws.write_string(r, c, "Có" if value else "Không", fmt.cell("plain", wrap))
    elif isinstance(value, (int, float)):
        nf = _NUM_FORMATS.get(kind) or ("0" if float(value).is_integer() else "0.0")
        ws.write_number(r, c, value, fmt.cell("number", wrap, nf))
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, fmt.cell("datetime", wrap))
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), fmt.cell("date", wrap))
    else:
        text = str(value)
        ws.write_string(r, c, text, fmt.cell("quote" if is_formula_like(text) else "plain", wrap))


def write_sheets(sheets: Sequence[SheetData], path: Path, *, title: str = "", links_base: Path | None = None) -> None:
    """Write ``sheets`` to ``path`` (.xlsx) atomically, deterministically."""
    import xlsxwriter
    from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

    path = Path(path)
    base = links_base if links_base is not None else path.parent
    with atomic_path(path) as tmp:
        # in_memory: the XML parts are assembled in memory, not in temporary files zipped and deleted after
        # (a quarter of the write time on this machine). The parts are identical; only the zip entries' fixed
        # timestamps and permission bits differ from the temporary-file mode.
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False, "in_memory": True})
        wb.set_properties({"title": title, "created": FIXED_CREATED, "author": "sangkien"})
        fmt = _Formats(wb)
        head = fmt.get(bold=True, text_wrap=True, valign="vcenter", align="center", bg_color="#DDEBF7", border=1)
        for sd in sheets:
            ws = wb.add_worksheet(sd.name)
            ws.write_string(0, 0, sd.title, fmt.get(bold=True, font_size=13))
            for n, note in enumerate(sd.notes, start=1):
                ws.write_string(n, 0, note, fmt.get(italic=True, font_color="#404040"))
            hr = sd.header_row
            for c, col in enumerate(sd.columns):
                ws.write_string(hr, c, col.header, head)
                ws.set_column(c, c, col.width)
            kinds = [(col.kind, col.kind == "long") for col in sd.columns]
            for r, row in enumerate(sd.rows, start=hr + 1):
                for c, ((kind, wrap), value) in enumerate(zip(kinds, row)):
                    write_cell(ws, r, c, value, kind, fmt, base, wrap)
            last = hr + max(len(sd.rows), 1)
            if sd.mark_column:
                mc = next(i for i, col in enumerate(sd.columns) if col.key == sd.mark_column)
                first_cell = xl_rowcol_to_cell(hr + 1, mc, row_abs=True, col_abs=True)
                end = max(hr + 1 + len(sd.rows) - 1, hr + 1)
                last_cell = xl_rowcol_to_cell(end, mc, row_abs=True, col_abs=True)
                cr = 1 + len(sd.notes)
                ws.write_string(cr, 0, f"Số sáng kiến đã chọn (tối đa {sd.mark_max}):", fmt.get(bold=True))
                counter = xl_rowcol_to_cell(cr, 1)
                ws.write_formula(counter, f'=SUMPRODUCT(--(LEN(TRIM({first_cell}:{last_cell}))>0))',
                                 fmt.get(bold=True, border=1, align="center"), 0)
                if sd.mark_max is not None:
                    ws.conditional_format(counter, {"type": "cell", "criteria": ">", "value": sd.mark_max,
                                                    "format": fmt.get(bold=True, font_color="#9C0006", bg_color="#FFC7CE")})
                    ws.write_string(cr, 2, f"Nếu ô bên cạnh có màu đỏ: đã chọn quá {sd.mark_max} sáng kiến.",
                                    fmt.get(italic=True, font_color="#9C0006"))
                if sd.rows:
                    ws.data_validation(hr + 1, mc, end, mc, {
                        "validate": "list", "source": ["x"], "error_title": "Chỉ nhập x",
                        "error_message": "Đánh dấu x để chọn sáng kiến; để trống nếu không chọn."})
                    ws.conditional_format(hr + 1, 0, end, len(sd.columns) - 1, {
                        "type": "formula", "criteria": f"=LEN(TRIM(${xl_col_to_name(mc)}{hr + 2}))>0",
                        "format": fmt.get(bg_color="#E2EFDA")})
            for ch in sd.charts:
                keys = [c.key for c in sd.columns]
                chart = wb.add_chart({"type": "column"})
                ci, vi = keys.index(ch.category_col), keys.index(ch.value_col)
                for v in range(vi, vi + ch.series):
                    chart.add_series({
                        "name": ch.title if ch.series == 1 else [sd.name, hr, v],  # the column's header
                        "categories": [sd.name, hr + 1 + ch.first, ci, hr + 1 + ch.last, ci],
                        "values": [sd.name, hr + 1 + ch.first, v, hr + 1 + ch.last, v],
                        "data_labels": {"value": True},
                    })
                chart.set_title({"name": ch.title})
                chart.set_legend({"none": True} if ch.series == 1 else {"position": "bottom"})
                chart.set_size({"width": 720, "height": 400})
                ws.insert_chart(hr, ch.anchor_col, chart)
            if sd.rows and not sd.mark_column and len(sd.columns) > 2:
                ws.autofilter(hr, 0, last, len(sd.columns) - 1)
            ws.freeze_panes(hr + 1, 0)
            if sd.landscape:
                ws.set_landscape()
            ws.set_paper(9)
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(hr)
            if sd.hidden:
                ws.hide()
        wb.close()


def write_district_workbook(result, path: str | Path) -> Path:
    """Write the district workbook of ``result`` to ``path`` (atomically); return the path.

    With a re-run cache (``consolidate_district(cache_dir=...)``): when nothing the workbook is made of has
    changed since the cache's last run and ``path`` is byte for byte the workbook written then, it is left
    as it is (its run time stays that of the earlier run) and ``result.workbook_kept`` is set."""
    path = Path(path)
    cache = getattr(result, "cache", None)
    inputs = getattr(result, "inputs", "")
    if cache is not None and inputs and cache.workbook_unchanged(path, inputs):
        result.workbook_kept = True
        return path
    write_sheets(district_sheets(result), path, title=f"Tổng hợp sáng kiến – {result.district.name}")
    if cache is not None and inputs:
        try:
            cache.record_workbook(path, inputs, result.run_time)
        except OSError:
            cache.problem = "không ghi được bộ nhớ đệm"
    return path


# ------------------------------------------------------------------------------------------------------
# Reading a sheet back (calamine): used by the dossier export
# ------------------------------------------------------------------------------------------------------
def read_table(grid: list[list[Any]], first_header: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Find the header row (its first cell is ``first_header``) and return (headers, rows as dicts by header).
    Rows stop at the first fully blank row."""
    for r, row in enumerate(grid):
        if row and isinstance(row[0], str) and row[0].strip() == first_header:
            headers = [str(h).strip() if h is not None else "" for h in row]
            out = []
            for data in grid[r + 1:]:
                if all(v is None or v == "" for v in data):
                    break
                out.append({h: (data[i] if i < len(data) else None) for i, h in enumerate(headers) if h})
            return headers, out
    return [], []


def read_rows(grid: list[list[Any]], columns: Sequence[Column]) -> list[dict[str, Any]]:
    """Rows of a table written from ``columns``, as dicts by column key (missing columns give None)."""
    _, rows = read_table(grid, columns[0].header)
    by_label = {c.header: c.key for c in columns}
    return [{by_label[h]: v for h, v in row.items() if h in by_label} | {c.key: row.get(c.header) for c in columns
                                                                          if c.header not in row} for row in rows]


def read_pairs(grid: list[list[Any]], first_header: str) -> dict[str, Any]:
    """A two-column key/value table as a dict."""
    _, rows = read_table(grid, first_header)
    out: dict[str, Any] = {}
    for row in rows:
        vals = list(row.values())
        if vals and vals[0] is not None:
            out[str(vals[0]).strip()] = vals[1] if len(vals) > 1 else None
    return out
