"""``run_national``: the one library call behind ``sangkien national`` — province packages in, the national
roll-up out (its JSON has the province's shape, one level up), and its workbook: indicators, provinces,
nominations accepted and rejected with their reasons, the same initiative sent by several units (one row a
group, every copy named), every file and every issue."""

from __future__ import annotations

from pathlib import Path

from addin.province.national import NationalResult, consolidate_national
from addin.province.records import FILE_ROLES, Progress, roll_up_lines
from addin.province.workbook import indicator_table, issue_sheet
from addin.sheets.model import Column, SheetData
from addin.sheets.writer import write_sheets
from validators.campaign import Campaign
from validators.text.vnformat import vn_number

S_SUMMARY, S_PROVINCES, S_ACCEPTED, S_REJECTED, S_DUPLICATES, S_FILES = (
    "Tổng hợp toàn quốc", "Theo tỉnh", "Đề nghị biểu dương", "Không đủ điều kiện", "Sáng kiến trùng", "Tệp")


def national_sheets(result: NationalResult) -> list[SheetData]:
    camp = result.campaign
    led = result.ledger
    summary = SheetData(
        S_SUMMARY, f"TỔNG HỢP TOÀN QUỐC CHƯƠNG TRÌNH \"{camp.name.upper()}\"",
        *indicator_table(result.indicators),
        notes=[f"Số tỉnh đã gửi gói dữ liệu: {len(result.provinces)}.",
               f"Sáng kiến: đọc {led['rows_read']} dòng = tổng hợp {led['rows_consolidated']} + bị loại "
               f"{led['rows_rejected']} ({'cân đối' if result.balanced else 'KHÔNG cân đối'}).",
               f"Sáng kiến trùng (cùng tên và tác giả, do nhiều đơn vị gửi): {duplicates_text(result)}."],
        landscape=False)
    provinces = SheetData(
        S_PROVINCES, "KẾT QUẢ THEO TỈNH",
        [Column("Mã", "code", 8), Column("Tỉnh", "name", 28, "long"), Column("Số CĐCS", "expected", 9, "int"),
         Column("Sáng kiến", "initiatives", 10, "int"), Column("Đề nghị", "noms", 8, "int"),
         Column("Gói dữ liệu", "package", 30)],
        [[p.code, p.name, p.expected, p.initiatives, len(p.nominations), p.package_path.name]
         for p in result.provinces])
    nom_cols = [Column("Mã sáng kiến", "id", 16), Column("Tỉnh", "province", 10), Column("CĐCS", "unit_name", 28, "long"),
                Column("Tên sáng kiến", "title", 36, "long"), Column("Tác giả", "author", 20),
                Column("Lĩnh vực", "field", 24, "long")]

    def nom(n):
        return [n.get("id"), n.get("province_code"), n.get("unit_name"), n.get("title"), n.get("author"), n.get("field")]

    accepted = SheetData(S_ACCEPTED, "SÁNG KIẾN CÁC TỈNH ĐỀ NGHỊ BIỂU DƯƠNG", nom_cols, [nom(n) for n in result.accepted])
    rejected = SheetData(S_REJECTED, "SÁNG KIẾN KHÔNG ĐỦ ĐIỀU KIỆN (kèm lý do)",
                         [*nom_cols, Column("Lý do", "reason", 70, "long")],
                         [[*nom(n), r] for n in result.rejected for r in n["reasons"]],
                         notes=["Mỗi dòng một lý do; một sáng kiến có thể có nhiều dòng."])
    duplicates = SheetData(
        S_DUPLICATES, "SÁNG KIẾN TRÙNG: CÙNG TÊN VÀ TÁC GIẢ, DO NHIỀU ĐƠN VỊ GỬI",
        [Column("Nhóm", "group", 7, "int"), Column("Tên sáng kiến", "title", 36, "long"),
         Column("Tác giả", "author", 20), Column("Số bản", "count", 8, "int"),
         Column("Giữa các tỉnh", "across", 9), Column("Tỉnh", "provinces", 14, "long"),
         Column("CĐCS (theo thứ tự tỉnh)", "units", 24, "long"), Column("Mã sáng kiến", "ids", 34, "long")],
        [[n, g.title, g.author, len(g.ids), "Có" if g.across_provinces else "Không",
          ", ".join(dict.fromkeys(g.provinces)), ", ".join(f"{p}/{u}" for p, u in zip(g.provinces, g.units)),
          ", ".join(g.ids)] for n, g in enumerate(result.duplicates, start=1)],
        notes=["Mỗi dòng một sáng kiến có nhiều bản; các bản đều được tính vào số liệu, cần kiểm tra và loại bản chép."])
    files = SheetData(S_FILES, "MỌI TỆP TRONG THƯ MỤC", [
        Column("Tệp", "path", 40, "long"), Column("Xử lý", "role", 30), Column("Đơn vị", "unit", 10),
        Column("Lý do", "reason", 60, "long")],
        [[f.path, FILE_ROLES[f.role], f.unit or "", f.reason or ""] for f in result.files])
    return [summary, provinces, accepted, rejected, duplicates, files, issue_sheet(result.issues)]


def duplicates_text(result: NationalResult) -> str:
    """"3 nhóm (2 giữa các tỉnh, 1 trong một tỉnh)" or "không có"."""
    if not result.duplicates:
        return "không có"
    across = sum(1 for g in result.duplicates if g.across_provinces)
    return (f"{vn_number(len(result.duplicates))} nhóm ({vn_number(across)} giữa các tỉnh, "
            f"{vn_number(len(result.duplicates) - across)} trong một tỉnh)")


def summary_lines(result: NationalResult) -> list[str]:
    lines = [f"Toàn quốc: {len(result.provinces)} tỉnh đã gửi gói dữ liệu; {vn_number(len(result.files))} tệp trong thư mục.",
             *roll_up_lines(result, "province_code")]
    lines.append(f"Sáng kiến trùng giữa các đơn vị: {duplicates_text(result)}"
                 + (f" (xem trang «{S_DUPLICATES}»)." if result.duplicates else "."))
    for g in result.duplicates[:_LISTED]:
        places = [f"{p}/{u}" for p, u in zip(g.provinces, g.units)]
        lines.append(f"  - {g.title} ({g.author}): {len(places)} bản, {', '.join(places[:6])}"
                     + (" …" if len(places) > 6 else ""))
    if len(result.duplicates) > _LISTED:
        lines.append(f"  … và {vn_number(len(result.duplicates) - _LISTED)} nhóm khác.")
    for f in result.files:
        if f.role not in ("package", "dossier"):
            lines.append(f"  - {f.path}: {FILE_ROLES[f.role]}. {f.reason or ''}".rstrip())
    return lines


_LISTED = 10  # duplicate groups shown on the console; the workbook lists them all


def run_national(folder: str | Path, campaign: Campaign, *, workbook: str | Path | None = None,
                 progress: Progress | None = None) -> NationalResult:
    """Roll the province packages under ``folder`` up; write the national workbook to ``workbook`` if given."""
    result = consolidate_national(folder, campaign, progress=progress)
    if workbook is not None:
        path = Path(workbook)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_sheets(national_sheets(result), path, title="Tổng hợp sáng kiến toàn quốc")
    return result
