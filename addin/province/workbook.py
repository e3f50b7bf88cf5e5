"""The province workbook: the neutral sheet description (``SheetData``, reused from the district workbook)
of a :class:`addin.province.records.ProvinceResult`, written with the same XlsxWriter writer.

Sheets, in order: ``Tổng hợp tỉnh`` (indicators against every target, A4 portrait, one page wide),
``Theo đơn vị`` (per district), ``Biểu đồ đơn vị`` (initiatives per district and % of target, native
charts), ``Lĩnh vực, khối`` (chart by field), ``Đề nghị TLĐ``
(accepted nominations, with the column where province staff put their final mark), ``Không đủ điều kiện``
(rejected nominations, one reason per line), ``Đôn đốc`` (districts to chase), ``Lỗi`` (every issue),
``Sổ cân đối`` (ledger per district and total), ``Tệp`` (every file under the folder and what was done with
it). Same result → same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from addin.io.gate.workbook import WorkbookRefused, open_workbook
from addin.sheets.marks import carry_over, staff_input
from addin.sheets.model import ChartSpec, Column, SheetData

from addin.sheets.writer import write_sheets
from addin.province.records import FILE_ROLES, SOURCE_LABELS, ProvinceResult, vn_date

S_SUMMARY = "Tổng hợp tỉnh"
S_DISTRICTS = "Theo đơn vị"
S_CHARTS = "Biểu đồ đơn vị"
S_FIELDS = "Lĩnh vực, khối"
S_ACCEPTED = "Đề nghị TLĐ"
S_REJECTED = "Không đủ điều kiện"
S_CHASE = "Đôn đốc"
S_ISSUES = "Lỗi"
S_LEDGER = "Sổ cân đối"
S_FILES = "Tệp"
FINAL_MARK = "Chốt (x)"
# What province staff type on the selection sheets, kept across re-runs by initiative id (addin.sheets.marks)
STAFF_COLUMNS = [Column("Khiếu nại, tranh chấp khi xét chọn", "complaint", 30, "long"),
                 Column("Ghi chú của cán bộ", "staff_note", 24, "long")]
STAFF_KEYS = ("mark", "complaint", "staff_note")


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


def indicator_table(indicators) -> tuple[list[Column], list[list[Any]]]:
    """The columns and rows of a summary against every target (the province's and the national one)."""
    columns = [Column("Chỉ tiêu", "label", 78, "text"), Column("Mục tiêu", "target", 10),
               Column("Thực hiện", "actual", 10), Column("Còn thiếu", "gap", 10), Column("Đạt", "met", 9)]
    return columns, [[i.label, _num(i.target), _num(i.actual), _num(i.gap), "Đạt" if i.met else "Chưa đạt"]
                     for i in indicators]


def province_sheets(result: ProvinceResult) -> list[SheetData]:
    camp, reg = result.campaign, result.registry
    led = result.ledger
    sent = sum(1 for d in result.districts if d.source != "missing")
    summary = SheetData(
        S_SUMMARY, f"TỔNG HỢP KẾT QUẢ CHƯƠNG TRÌNH \"{camp.name.upper()}\" – {reg.province.upper()}",
        *indicator_table(result.indicators),
        notes=[
            f"Đợt thi đua: {camp.name} ({camp.id}).",
            f"Thời điểm tổng hợp: {result.run_time:%d/%m/%Y %H:%M}. Số CĐCS theo danh sách: {len(reg.cdcs)}.",
            f"Đơn vị cấp trên đã gửi: {sent}/{len(result.districts)}; chưa gửi: {len(result.missing)}.",
            f"Sáng kiến: đọc {led['rows_read']} dòng = tổng hợp {led['rows_consolidated']} + bị loại "
            f"{led['rows_rejected']} ({'cân đối' if result.balanced else 'KHÔNG cân đối'}).",
            f"Đề nghị TLĐ biểu dương: {len(result.accepted)} sáng kiến; không đủ điều kiện: {len(result.rejected)}.",
            "Tỷ lệ (%) tính trên số CĐCS theo danh sách; KH có mục tiêu / khen thưởng: trên số KH đã ký;",
            "cập nhật phần mềm TLĐ: trên số sáng kiến.",
        ],
        landscape=False,
    )

    pct_keys = ("cdcs_with_initiative_pct", "propagated_pct", "specific_movement_pct", "signed_plan_pct",
                "plan_goals_pct", "plan_rewards_pct", "entered_tld_pct")
    labels = {i.key: i.label for i in result.indicators}
    d_cols = [Column("Mã", "code", 7), Column("Đơn vị cấp trên", "name", 34, "long"),
              Column("Nguồn dữ liệu", "source", 16), Column("Ngày nhận hồ sơ", "received", 11, "date"),
              Column("Số CĐCS", "expected", 8, "int"), Column("Sáng kiến", "initiatives", 10, "int"),
              Column("Mục tiêu sáng kiến", "target", 10, "int"), Column("% mục tiêu", "target_pct", 9, "pct"),
              Column(f"Sáng kiến đến hạn {vn_date(camp.deadlines.entry_close)}", "at_deadline", 11, "int"),
              *[Column(labels.get(k, k), k, 12, "pct") for k in pct_keys],
              Column("Đề xuất", "noms", 8, "int"), Column("Được đề nghị TLĐ", "accepted", 9, "int"),
              Column("Dòng đã đọc", "rows_read", 9, "int"), Column("Dòng tổng hợp", "rows_consolidated", 9, "int"),
              Column("Dòng bị loại", "rows_rejected", 9, "int")]
    accepted_by = {}
    for n in result.accepted:
        accepted_by[n["district_code"]] = accepted_by.get(n["district_code"], 0) + 1
    d_rows = []
    for d in result.districts:
        vals = {i.key: i for i in d.indicators}
        init = vals.get("initiatives")
        target = init.target if init else 0
        d_rows.append([d.code, d.name, SOURCE_LABELS[d.source], d.received, d.expected, len(d.initiatives),
                       _num(target), round(100.0 * len(d.initiatives) / target, 1) if target else 0.0, d.at_deadline,
                       *[vals[k].actual if k in vals else None for k in pct_keys], len(d.nominations),
                       accepted_by.get(d.code, 0), d.ledger["rows_read"], d.ledger["rows_consolidated"],
                       d.ledger["rows_rejected"]])
    n_d = len(d_rows)
    districts = SheetData(
        S_DISTRICTS, "KẾT QUẢ THEO ĐƠN VỊ CẤP TRÊN TRỰC TIẾP CƠ SỞ", d_cols, d_rows,
        notes=["Mục tiêu sáng kiến của mỗi đơn vị = bình quân số sáng kiến mỗi CĐCS × số CĐCS trực thuộc."],
    )

    charts = SheetData(
        S_CHARTS, "BIỂU ĐỒ: SỐ SÁNG KIẾN THEO ĐƠN VỊ SO VỚI MỤC TIÊU",
        [Column("Mã", "code", 7), Column("Sáng kiến", "initiatives", 10, "int"),
         Column("Mục tiêu", "target", 10, "int"), Column("% mục tiêu", "target_pct", 10, "pct")],
        [[r[0], r[5], r[6], r[7]] for r in d_rows],
        charts=[ChartSpec("Số sáng kiến so với mục tiêu theo đơn vị", "code", "initiatives", 0, n_d - 1,
                          anchor_col=5, series=2),
                ChartSpec("% mục tiêu sáng kiến theo đơn vị (mục tiêu = 100)", "code", "target_pct", 0, n_d - 1,
                          anchor_col=17)] if n_d else [],
    )

    total = len(result.initiatives) or 1
    f_rows = [["Lĩnh vực", k, n, round(100.0 * n / total, 1)] for k, n in result.by_field]
    f_rows += [["Khối", k, n, round(100.0 * n / total, 1)] for k, n in result.by_bloc]
    n_f = len(result.by_field)
    fields = SheetData(
        S_FIELDS, "SÁNG KIẾN THEO LĨNH VỰC VÀ KHỐI",
        [Column("Nhóm", "group", 10), Column("Lĩnh vực / khối", "name", 50, "long"),
         Column("Số sáng kiến", "count", 10, "int"), Column("Tỷ lệ (%)", "pct", 9, "pct")],
        f_rows, charts=[ChartSpec("Số sáng kiến theo lĩnh vực", "name", "count", 0, n_f - 1, anchor_col=5)] if n_f else [],
    )

    nom_cols = [Column(FINAL_MARK, "mark", 8), Column("Mã sáng kiến", "id", 16), Column("Đơn vị cấp trên", "district", 26, "long"),
                Column("Thứ tự chọn", "rank", 7, "int"), Column("CĐCS", "unit_name", 28, "long"),
                Column("Tên sáng kiến", "title", 36, "long"), Column("Tác giả", "author", 20),
                Column("Đồng tác giả", "coauthors", 20, "long"), Column("Lĩnh vực", "field", 24, "long"),
                Column("Khối", "bloc", 14), Column("Tóm tắt nội dung", "description", 60, "long"),
                Column("Giá trị làm lợi (đồng)", "benefit", 15, "money"), *STAFF_COLUMNS]

    def nom_row(n: dict[str, Any]) -> list[Any]:
        return ["", n.get("id"), n.get("district_name"), n.get("rank"), n.get("unit_name"), n.get("title"),
                n.get("author"), n.get("coauthors"), n.get("field"), n.get("bloc"), n.get("description"),
                n.get("benefit"), "", ""]

    accepted = SheetData(
        S_ACCEPTED, "DANH SÁCH SÁNG KIẾN ĐỀ NGHỊ TLĐ BIỂU DƯƠNG (Đề nghị TLĐ biểu dương)", nom_cols,
        [nom_row(n) for n in result.accepted],
        notes=["Cán bộ Ban CSPL-QHLĐ đánh dấu x vào cột đầu các sáng kiến chốt trình Ban Thường vụ.",
               f"Có khiếu nại hoặc tranh chấp quyền tác giả khi xét chọn: ghi vào cột «{STAFF_COLUMNS[0].header}», "
               "rồi tổng hợp lại: sáng kiến chuyển sang trang «Không đủ điều kiện» kèm lý do. Dấu chọn, ghi chú "
               "được giữ lại qua mỗi lần tổng hợp."],
        mark_column="mark",
    )
    kept = carry_over(accepted, result.staff, STAFF_KEYS)
    rejected = SheetData(
        S_REJECTED, "SÁNG KIẾN ĐỀ XUẤT KHÔNG ĐỦ ĐIỀU KIỆN (kèm lý do)",
        [Column("Mã sáng kiến", "id", 16), Column("Đơn vị cấp trên", "district", 26, "long"),
         Column("Thứ tự chọn", "rank", 7, "int"), Column("CĐCS", "unit_name", 28, "long"),
         Column("Tên sáng kiến", "title", 36, "long"), Column("Tác giả", "author", 20),
         Column("Lý do", "reason", 70, "long"), *STAFF_COLUMNS],
        [[n.get("id"), n.get("district_name"), n.get("rank"), n.get("unit_name"), n.get("title"), n.get("author"),
          reason, "", ""] for n in result.rejected for reason in n["reasons"]],
        notes=["Mỗi dòng một lý do; một sáng kiến có thể có nhiều dòng. Xoá nội dung cột "
               f"«{STAFF_COLUMNS[0].header}» rồi tổng hợp lại khi khiếu nại, tranh chấp đã được giải quyết."],
    )
    carry_over(rejected, {k: {**v, "mark": ""} for k, v in result.staff.items()}, STAFF_KEYS)
    on_rejected = {n.get("id") for n in result.rejected}
    result.marks = [m for m in kept if not any(f" {rid} " in m for rid in on_rejected)] + [
        f"Dấu chọn của sáng kiến {rid} ('{v.get('title') or ''}') ở trang «{S_ACCEPTED}» không giữ được: sáng kiến "
        f"nay ở trang «{S_REJECTED}»." for rid, v in result.staff.items() if v.get("mark") and rid in on_rejected]

    chase_rows = []
    for d in result.districts:
        if d.source == "missing":
            state = "Chưa gửi hồ sơ, gói dữ liệu hay báo cáo CĐCS nào"
        elif d.source == "raw":
            state = "Chỉ gửi tệp báo cáo CĐCS, chưa gửi hồ sơ (Tờ trình, Bảng tổng hợp, gói dữ liệu)"
        elif d.late or d.missing_files:
            state = "; ".join(filter(None, ["Hồ sơ gửi muộn" if d.late else "",
                                             ("Thiếu " + ", ".join(d.missing_files)) if d.missing_files else ""]))
        else:
            state = ""
        cdcs_missing = sum(1 for u in result.units if u.get("district_code") == d.code and u.get("status") == "missing")
        if not state and cdcs_missing:
            state = f"Đã gửi hồ sơ; còn {cdcs_missing} CĐCS chưa gửi báo cáo"
        if state or cdcs_missing:
            chase_rows.append([d.code, d.name, state, cdcs_missing, d.contact, d.phone, d.email])
    chase = SheetData(
        S_CHASE, "DANH SÁCH CẦN ĐÔN ĐỐC",
        [Column("Mã", "code", 7), Column("Đơn vị cấp trên", "name", 34, "long"), Column("Tình trạng", "state", 46, "long"),
         Column("Số CĐCS chưa gửi", "cdcs_missing", 10, "int"), Column("Người liên hệ", "contact", 20),
         Column("Điện thoại", "phone", 13), Column("Email", "email", 26)],
        chase_rows,
    )
    issues = issue_sheet(result.issues)
    l_rows = [[d.code, d.name, SOURCE_LABELS[d.source], d.ledger["rows_read"], d.ledger["rows_consolidated"],
               d.ledger["rows_rejected"], len(d.initiatives), "Có" if d.balanced and
               d.ledger["rows_consolidated"] == len(d.initiatives) else "Không"] for d in result.districts]
    l_rows.append(["", "TOÀN TỈNH", "", led["rows_read"], led["rows_consolidated"], led["rows_rejected"],
                   len(result.initiatives), "Có" if result.balanced else "Không"])
    ledger = SheetData(
        S_LEDGER, "SỔ CÂN ĐỐI: DÒNG ĐỌC TỪ CĐCS = TỔNG HỢP + BỊ LOẠI; TOÀN TỈNH = TỔNG CÁC ĐƠN VỊ",
        [Column("Mã", "code", 7), Column("Đơn vị cấp trên", "name", 34, "long"), Column("Nguồn", "source", 16),
         Column("Dòng đã đọc", "rows_read", 10, "int"), Column("Dòng tổng hợp", "rows_consolidated", 10, "int"),
         Column("Dòng bị loại", "rows_rejected", 10, "int"), Column("Sáng kiến nhận được", "received", 10, "int"),
         Column("Cân đối", "balanced", 8)],
        l_rows,
    )
    files = SheetData(S_FILES, "MỌI TỆP TRONG THƯ MỤC HỒ SƠ VÀ CÁCH XỬ LÝ", [
        Column("Tệp", "path", 44, "long"), Column("Xử lý", "role", 30), Column("Đơn vị", "unit", 10),
        Column("Lý do", "reason", 70, "long")],
        [[f.path, FILE_ROLES[f.role], f.unit or "", f.reason or ""] for f in result.files],
        notes=[f"{len(result.files)} tệp; không tệp nào bị bỏ qua mà không ghi lý do."])
    return [summary, districts, charts, fields, accepted, rejected, chase, issues, ledger, files]


def staff_from_grids(grids: dict[str, list[list[Any]] | None]) -> dict[str, dict[str, str]]:
    """What staff typed on the selection sheets («Đề nghị TLĐ», «Không đủ điều kiện») of a province workbook,
    by initiative id; the accepted sheet's input wins over a repeated id's on the rejected sheet."""
    out: dict[str, dict[str, str]] = {}
    for name in (S_REJECTED, S_ACCEPTED):
        sheet = next(s for s in _selection_sheets_layout() if s.name == name)
        out.update(staff_input(grids.get(name), sheet, STAFF_KEYS))
    return out


def _selection_sheets_layout() -> list[SheetData]:
    acc = [Column(FINAL_MARK, "mark", 8), Column("Mã sáng kiến", "id", 16), Column("Tên sáng kiến", "title", 36),
           *STAFF_COLUMNS]
    rej = [Column("Mã sáng kiến", "id", 16), Column("Tên sáng kiến", "title", 36), *STAFF_COLUMNS]
    return [SheetData(S_ACCEPTED, "", acc, []), SheetData(S_REJECTED, "", rej, [])]


def previous_staff(path: Path | None) -> dict[str, dict[str, str]]:
    """What staff typed on the selection sheets of the province workbook at ``path`` (empty when none)."""
    try:
        if path is None or not path.is_file():
            return {}
        wb = open_workbook(path)
        names = [n for n in (S_ACCEPTED, S_REJECTED) if wb.has_sheet(n)]
        return staff_from_grids(wb.grids(*names)) if names else {}
    except (WorkbookRefused, OSError):
        return {}


def issue_sheet(issues) -> SheetData:
    """Every issue of a province or national run, one per row."""
    return SheetData(
        S_ISSUES, "LỖI VÀ CẢNH BÁO",
        [Column("Tệp / đơn vị", "path", 34, "long"), Column("Mức", "severity", 9),
         Column("Mã lỗi", "code", 18, hidden=True),  # a machine key (English): kept for reading back, not shown
         Column("Trang", "sheet", 12), Column("Ô", "cell", 7), Column("Nội dung", "message", 80, "long")],
        [[i.path, "Lỗi" if i.severity.value == "error" else "Cảnh báo", i.code, i.sheet, i.cell, i.message]
         for i in issues],
    )


def write_province_workbook(result: ProvinceResult, path: str | Path) -> Path:
    """Write the province workbook of ``result`` to ``path`` (atomically); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_sheets(province_sheets(result), path, title=f"Tổng hợp sáng kiến – {result.registry.province}")
    return path
