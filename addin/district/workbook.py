"""The district workbook's sheets, built from a ``DistrictResult`` as ``SheetData`` (``addin.sheets.model``).

Every value from a unit is written as a string cell (quote prefix when it looks like a formula); the only
formulas in the workbook are our own (the count of marked nominations). The same result gives the same
bytes: the workbook's creation time is fixed and the run time is one labelled cell on ``Tổng hợp``."""

from __future__ import annotations

from pathlib import Path

from addin.io.gate.workbook import WorkbookRefused, open_workbook
from addin.sheets.marks import carry_over, staff_input
from addin.sheets.model import ChartSpec, Column, Link, MARK_HEADER, SheetData, _yn
from addin.sheets.writer import write_sheets

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
    "files": "Số tệp trong thư mục",
    "rows_read": "Số dòng sáng kiến đã đọc",
    "rows_consolidated": "Số dòng được tổng hợp",
    "rows_rejected": "Số dòng bị loại (có lý do)",
    "rows_cut": "Trong đó: dòng vượt giới hạn số dòng, bị loại không kiểm tra",
    "balanced": "Cân đối: đọc = tổng hợp + loại",
    "nomination_max": "Số sáng kiến tối đa được đề xuất lên tỉnh",
}


STAFF_KEYS = ("mark", "staff_note")  # what staff type on «Đề xuất»: kept across re-runs by initiative id


def district_sheets(result, previous: list[list] | None = None) -> list[SheetData]:
    """The sheets of the district workbook, in order. ``previous``: the «Đề xuất» sheet of the workbook
    being rewritten (as a grid), whose marks and notes are carried over; the ones that cannot be are
    listed in ``result.marks``."""
    from addin.district.records import NOT_WORKBOOK, ROLE_LABELS
    from addin.district.result import files_line

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
        "files": files_line(result.files),
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
        unit_rows.append(_in_order(UNIT_COLUMNS, {
            "code": u.code, "name": u.name, "bloc": u.bloc, "status_label": u.status_label, "counted": _yn(u.counted),
            "late": u.late, "resubmitted": u.resubmitted, "initiatives": u.initiatives,
            "entered_tld_pct": round(100.0 * u.entered_tld / u.initiatives, 1) if u.initiatives else None,
            "rows_read": u.rows_read, "rows_rejected": u.rows_rejected, "errors": u.errors, "warnings": u.warnings,
            "sent_on": u.sent_on, "propagated": _yn(r.propagated) if r else "",
            "plan_signed": _yn(r.plan_signed) if r else "", "plan_signed_on": r.plan_signed_on if r else None,
            "plan_has_goals": _yn(r.plan_has_goals) if r else "", "plan_has_rewards": _yn(r.plan_has_rewards) if r else "",
            "specific_movement": (r.specific_movement or "") if r else "", "quota": u.quota, "contact": u.contact,
            "phone": u.phone, "email": u.email, "file": link(u.file) if u.file else "",
            "superseded": "; ".join(u.superseded),
        }))
    units_sheet = SheetData(S_UNITS, "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CĐCS", UNIT_COLUMNS, unit_rows)

    # A value a check refused is not in the row's item (it could not be read as its type): shown from the
    # issue that refused it, so a rejected row keeps what the unit typed, not only the reason.
    refused: dict[tuple[str, int], dict[str, object]] = {}
    for issue in result.issues:
        if issue.row is not None and issue.field and issue.value not in (None, "") and issue.severity.value == "error":
            refused.setdefault((issue.path or "", issue.row), {}).setdefault(issue.field, issue.value)
    init_keys = [c.key for c in INITIATIVE_COLUMNS]
    init_rows = []
    for r in result.initiatives:
        i = r.item
        shown = refused.get((r.file, r.row), {})
        init_rows.append(_in_order(INITIATIVE_COLUMNS, {
            "id": r.id, "unit_code": r.unit_code, "unit_name": r.unit_name, "stt": i.stt, "title": i.title or "",
            "author": i.author or "", "birth_year": i.birth_year, "gender": i.gender or "", "position": i.position or "",
            "phone": i.phone or "", "coauthors": i.coauthors or "", "field": i.field or "", "bloc": i.bloc or "",
            "description": i.description or "", "applied_on": i.applied_on, "benefit": i.benefit,
            "assessed": _yn(i.assessed), "entered_tld": _yn(i.entered_tld), "nominated": _yn(i.nominated),
            "disputed": _yn(i.disputed), "note": i.note or "", "state": "Tổng hợp" if r.consolidated else "Loại",
            "reason": r.reason, "duplicate_of": "; ".join(r.duplicate_of), "over_quota": _yn(r.over_quota),
            "eligible": _yn(r.eligible), "file": link(r.file), "sheet": r.sheet, "row": r.row,
        }))
        if shown:
            init_rows[-1] = [str(shown[k]) if k in shown and v in (None, "") else v
                             for k, v in zip(init_keys, init_rows[-1])]
    initiatives = SheetData(S_INITIATIVES, "DANH SÁCH SÁNG KIẾN ĐÃ ĐỌC (TỔNG HỢP VÀ BỊ LOẠI)", INITIATIVE_COLUMNS,
                            init_rows)

    max_n = camp.rules.district_nomination_max
    nom_rows = [_in_order(NOMINATION_COLUMNS, {
        "mark": "", "id": r.id, "unit_code": r.unit_code, "unit_name": r.unit_name, "title": r.item.title or "",
        "author": r.item.author or "", "field": r.item.field or "", "description": r.item.description or "",
        "benefit": r.item.benefit, "assessed": _yn(r.item.assessed), "file": link(r.file), "row": r.row,
        "staff_note": "",
    }) for r in result.nominations]
    nominations = SheetData(S_NOMINATIONS, "SÁNG KIẾN CÁC CĐCS ĐỀ XUẤT – CHỌN ĐỂ ĐỀ NGHỊ LÊN TỈNH", NOMINATION_COLUMNS, nom_rows, notes=[
        f"Đánh dấu x vào cột '{MARK_HEADER}' cho các sáng kiến đề nghị lên tỉnh: TỐI ĐA {max_n} sáng kiến.",
        "Chỉ liệt kê sáng kiến đủ điều kiện: hợp lệ, được CĐCS đề xuất trong số lượng phân bổ, không có "
        "khiếu nại, tranh chấp. Sau khi chọn: bấm «Xuất hồ sơ gửi tỉnh» (bảng tính có nút bấm), hoặc chạy lệnh "
        "sangkien dossier <tệp này> --out <thư mục>.",
    ], mark_column="mark", mark_max=max_n)
    result.marks = carry_over(nominations, staff_input(previous, nominations, STAFF_KEYS), STAFF_KEYS)

    commend = SheetData(S_COMMEND, "DANH SÁCH CÁ NHÂN CÓ NHIỀU SÁNG KIẾN (ĐỀ NGHỊ BIỂU DƯƠNG)", [
        Column("STT", "stt", 6, "int"), Column("Tác giả", "author", 24), Column("Năm sinh", "birth_year", 9, "int"),
        Column("Số sáng kiến", "count", 10, "int"), Column("Đơn vị", "units", 20), Column("Các sáng kiến", "titles", 80, "long"),
    ], [[n, c.author, c.birth_year, c.count, ", ".join(c.units), "; ".join(c.titles)]
        for n, c in enumerate(result.commendations, start=1)],
        notes=[f"Cá nhân có từ {camp.rules.commendation_min_initiatives} sáng kiến được tổng hợp trở lên "
               "(so theo tên tác giả không phân biệt dấu, hoa thường, và năm sinh)."])

    indicators = SheetData(S_INDICATORS, "KẾT QUẢ SO VỚI CHỈ TIÊU", [
        Column("Mã chỉ tiêu", "key", 22, "text", hidden=True), Column("Chỉ tiêu", "label", 60, "long"),
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
            chase_rows.append([u.code, u.name, u.status_label, u.errors, u.contact, u.phone, u.email,
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
        Column("Mã lỗi", "code", 20, "text", hidden=True), Column("Nội dung", "message", 90, "long"),
    ], err_rows)

    file_rows = [[link(f.name), f.unit_code or "", ROLE_LABELS[f.role], f.reason,
                  "" if f.role == NOT_WORKBOOK else _yn(f.report.valid), _yn(f.late),
                  f.effective_date, f.modified, f.received, f.rows_read, f.rows_consolidated, f.rows_rejected]
                 for f in result.files]
    file_rows.append(["Tổng cộng", "", "", "", "", "", None, None, None, ledger["rows_read"], ledger["rows_consolidated"],
                      ledger["rows_rejected"]])
    files = SheetData(S_FILES, "SỔ CÂN ĐỐI THEO TỆP: SỐ DÒNG ĐỌC = TỔNG HỢP + BỊ LOẠI", [
        Column("Tệp", "file", 34, "link"), Column("Mã đơn vị", "unit_code", 10), Column("Xử lý", "role", 24),
        Column("Lý do", "reason", 50, "long"), Column("Hợp lệ", "valid", 8), Column("Gửi muộn", "late", 9),
        Column("Ngày gửi (theo email, «Ngày gửi» hoặc ngày tệp)", "sent_on", 12, "date"),
        Column("Thời gian sửa tệp", "modified", 17, "datetime"), Column("Email đến hộp thư lúc", "received", 17, "datetime"),
        Column("Số dòng đọc", "rows_read", 9, "int"), Column("Số dòng tổng hợp", "rows_consolidated", 10, "int"),
        Column("Số dòng bị loại", "rows_rejected", 9, "int"),
    ], file_rows)

    reg = result.registry
    meta = SheetData(S_META, "sangkien", [Column("Khoá", "key", 20), Column("Giá trị", "value", 40)], [
        ["kind", WORKBOOK_KIND], ["format", WORKBOOK_FORMAT], ["campaign_id", camp.id],
        ["district_code", result.district.code], ["district_name", result.district.name],
        ["province", reg.province], ["province_code", reg.province_code],
        ["deadline", result.deadline.isoformat()],
        ["own_propagated", _yn(getattr(result, "own_propagated", None))],
        ["own_movement", getattr(result, "own_movement", "") or ""],
    ], hidden=True)
    return [summary, units_sheet, initiatives, nominations, commend, indicators, stats, chase, errors, files, meta]


NOMINATION_COLUMNS = [
    # The summary is what the meeting chooses on: the title, unit and field capped narrower (they wrap), so
    # that on one page width the summary gets the room and the rows stay short.
    Column(MARK_HEADER, "mark", 8, "text"), Column("Mã sáng kiến", "id", 16), Column("Đơn vị", "unit_name", 24),
    Column("Tên sáng kiến", "title", 30), Column("Tác giả", "author", 20),
    Column("Lĩnh vực", "field", 24), Column("Tóm tắt nội dung", "description", 60, "long"),
    Column("Giá trị làm lợi (đồng)", "benefit", 16, "money"), Column("Đã thẩm định", "assessed", 10),
    Column("Ghi chú của cán bộ", "staff_note", 30, "long"),
    # where the row comes from: on screen only (the meeting chooses on the content)
    Column("Mã đơn vị", "unit_code", 10, printed=False), Column("Tệp", "file", 24, "link", printed=False),
    Column("Dòng", "row", 7, "int", printed=False),
]

# The wide sheets print the columns a meeting reads (first, in the print area); the contact details, the
# long summaries and the bookkeeping stay on screen (``Column.printed``).
UNIT_COLUMNS = [
    Column("Mã đơn vị", "code", 10), Column("Tên CĐCS", "name", 40), Column("Tình trạng", "status_label", 12),
    Column("Tính vào chỉ tiêu", "counted", 9),
    Column("Gửi muộn", "late", 9), Column("Gửi lại", "resubmitted", 9),
    Column("Số sáng kiến được tổng hợp", "initiatives", 11, "int"),
    Column("% sáng kiến đã cập nhật phần mềm TLĐ", "entered_tld_pct", 11, "pct"),
    Column("Số lỗi", "errors", 7, "int"), Column("Ngày gửi", "sent_on", 11, "date"),
    Column("Đã tuyên truyền", "propagated", 10), Column("Đã ký kế hoạch", "plan_signed", 10),
    Column("Ngày ký kế hoạch", "plan_signed_on", 11, "date"), Column("KH có mục tiêu", "plan_has_goals", 10),
    Column("KH có khen thưởng", "plan_has_rewards", 10), Column("Phong trào đặc thù", "specific_movement", 24),
    Column("Số lượng được đề xuất", "quota", 9, "int"),
    *(Column(h, k, w, kind, printed=False) for h, k, w, kind in (
        ("Khối", "bloc", 16, "auto"), ("Số dòng đã đọc", "rows_read", 9, "int"),
        ("Số dòng bị loại", "rows_rejected", 9, "int"), ("Số cảnh báo", "warnings", 9, "int"),
        ("Người liên hệ", "contact", 18, "auto"), ("Điện thoại", "phone", 12, "text"), ("Email", "email", 22, "text"),
        ("Tệp", "file", 28, "link"), ("Tệp bị thay (gửi lại)", "superseded", 28, "auto"))),
]

INITIATIVE_COLUMNS = [
    Column("Mã sáng kiến", "id", 16, "text"), Column("Tên đơn vị", "unit_name", 30), Column("STT", "stt", 6, "int"),
    Column("Tên sáng kiến", "title", 40, "long"), Column("Tác giả", "author", 20), Column("Lĩnh vực", "field", 28),
    Column("Ngày bắt đầu áp dụng", "applied_on", 11, "date"), Column("Giá trị làm lợi (đồng)", "benefit", 15, "money"),
    Column("Đã thẩm định", "assessed", 9), Column("Đã cập nhật phần mềm TLĐ", "entered_tld", 10),
    Column("Đề xuất cấp trên", "nominated", 9), Column("Khiếu nại, tranh chấp", "disputed", 10),
    Column("Xử lý", "state", 10), Column("Lý do bị loại", "reason", 50, "long"),
    Column("Đủ điều kiện đề xuất", "eligible", 9),
    *(Column(h, k, w, kind, printed=False) for h, k, w, kind in (
        ("Mã đơn vị", "unit_code", 10, "text"), ("Khối", "bloc", 16, "auto"), ("Năm sinh", "birth_year", 9, "int"),
        ("Giới tính", "gender", 8, "auto"), ("Chức vụ, nghề nghiệp", "position", 18, "auto"),
        ("Số điện thoại", "phone", 12, "text"), ("Đồng tác giả", "coauthors", 20, "auto"),
        ("Tóm tắt nội dung", "description", 60, "long"), ("Ghi chú", "note", 18, "auto"),
        ("Trùng với", "duplicate_of", 22, "auto"), ("Vượt số lượng đề xuất", "over_quota", 9, "auto"),
        ("Tệp", "file", 28, "link"), ("Trang", "sheet", 10, "auto"), ("Dòng", "row", 7, "int"))),
]


def _in_order(columns: list[Column], values: dict) -> list:
    """A row's values in the order of ``columns`` (the sheets are built by key: their order is the layout's)."""
    return [values[c.key] for c in columns]


def previous_nominations(path: Path) -> list[list] | None:
    """The «Đề xuất» sheet of the workbook at ``path`` (staff may have marked it), None when there is none."""
    try:
        if not path.is_file():
            return None
        wb = open_workbook(path)
        return wb.grids(S_NOMINATIONS)[S_NOMINATIONS] if wb.has_sheet(S_NOMINATIONS) else None
    except (WorkbookRefused, OSError):
        return None


def write_district_workbook(result, path: str | Path) -> Path:
    """Write the district workbook of ``result`` to ``path`` (atomically); return the path.

    With a re-run cache (``consolidate_district(cache_dir=...)``): when nothing the workbook is made of has
    changed since the cache's last run and ``path`` is byte for byte the workbook written then, it is left
    as it is (its run time stays that of the earlier run) and ``result.workbook_kept`` is set. Staff's
    marks and notes on «Đề xuất» of the workbook being replaced are carried over (``district_sheets``)."""
    path = Path(path)
    cache = getattr(result, "cache", None)
    inputs = getattr(result, "inputs", "")
    if cache is not None and inputs and cache.workbook_unchanged(path, inputs):
        result.workbook_kept = True
        return path
    write_sheets(district_sheets(result, previous_nominations(path)), path, title=f"Tổng hợp sáng kiến – {result.district.name}")
    if cache is not None and inputs:
        try:
            cache.record_workbook(path, inputs, result.run_time)
        except OSError:
            cache.problem = "không ghi được bộ nhớ đệm"
    return path


