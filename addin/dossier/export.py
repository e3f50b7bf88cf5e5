"""Dossier export (hồ sơ gửi tỉnh): after staff marked their choices on the district workbook's ``Đề xuất``
sheet, write (a) the *Bảng tổng hợp tóm tắt sáng kiến* (print-ready A4 landscape workbook), (b) the
*Tờ trình* (.docx) and (c) the package workbook the province reads.

The choice is refused (``DossierError``, Vietnamese message) when more than ``district_nomination_max``
rows are marked, or a marked row is not an eligible consolidated initiative (unknown id, rejected, not
nominated by its CĐCS, over the CĐCS's quota, or with a complaint / dispute).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from addin.io.gate.workbook import WorkbookRefused, open_workbook
from addin.district import workbook as dw
from addin.district.records import status_of_label
from addin.sheets import fit
from addin.sheets.model import FIXED_CREATED
from addin.sheets.reader import read_pairs, read_rows
from addin.sheets.writer import settle_calculation
from addin.io.atomic import atomic_path
from addin.io.cells import cell_text
from addin.dossier.package import Package, write_package
from addin.registry import Registry
from addin.io.sanitize import is_formula_like, safe_cell_text
from validators.text.names import safe_code
from validators.campaign import Campaign
from validators.errors import ErrorCode, SangkienError

# Widths (characters) chosen so the table fits one landscape A4 page wide at about 10.5 pt (12 pt scaled):
# wider, it would print under 8 pt.
SUMMARY_COLUMNS = (("STT", 6), ("Tên sáng kiến", 28), ("Tác giả", 18), ("Đơn vị", 22), ("Lĩnh vực", 18),
                   ("Tóm tắt", 56), ("Giá trị làm lợi (đồng)", 16))


class DossierError(SangkienError):
    """The dossier cannot be exported as marked: Vietnamese message for the staff."""


@dataclass
class DossierResult:
    district_code: str
    selected: list[dict[str, Any]]
    summary_path: Path
    to_trinh_path: Path
    package_path: Path
    files: list[Path] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"district": self.district_code, "selected": [r["id"] for r in self.selected],
                "files": [str(p) for p in self.files]}


def _yes(v: Any) -> bool:
    return isinstance(v, str) and v.strip() == "Có"


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return None


def _int(v: Any) -> int | None:
    if isinstance(v, bool) or v is None or v == "":
        return None
    if isinstance(v, (int, float)):
        return int(v) if float(v).is_integer() else v  # type: ignore[return-value]
    return None



def _read_district_workbook(path: Path) -> dict[str, list[list[Any]]]:
    if not path.is_file():
        raise DossierError(ErrorCode.DISTRICT_WORKBOOK_NOT_FOUND, path=path)
    needed = (dw.S_META, dw.S_NOMINATIONS, dw.S_INITIATIVES, dw.S_UNITS, dw.S_SUMMARY)
    try:
        wb = open_workbook(path)
        missing = [s for s in needed if not wb.has_sheet(s)]
        if missing:
            raise DossierError(ErrorCode.DISTRICT_WORKBOOK_SHEETS_MISSING, name=path.name, items=', '.join(missing))
        return wb.grids(*needed)
    except WorkbookRefused as refused:
        raise DossierError(ErrorCode.DISTRICT_WORKBOOK_UNREADABLE, name=path.name, message=refused.issue.message) from refused


def _place(district_name: str, default: str) -> str:
    m = re.match(r"(?i)^liên đoàn lao động (?:huyện|thành phố|thị xã|quận)\s+(.+)$", district_name.strip())
    return m.group(1) if m else default


def export_dossier(
    district_workbook_path: str | Path,
    out_dir: str | Path,
    campaign: Campaign,
    registry: Registry,
    *,
    signed_on: dt.date | None = None,
    sheets: dict[str, list[list[Any]]] | None = None,
) -> DossierResult:
    """Check the marked choices and write the three dossier files into ``out_dir``. ``sheets``: the
    workbook's sheets already read as grids (the Excel button reads the open, possibly unsaved workbook)."""
    from addin.documents.letter_text import Nomination, district_to_trinh
    from addin.documents.to_trinh import write_to_trinh

    path = Path(district_workbook_path)
    grids = sheets if sheets is not None else _read_district_workbook(path)
    meta = {k: cell_text(v) for k, v in read_pairs(grids[dw.S_META], "Khoá").items()}
    if meta.get("kind") != dw.WORKBOOK_KIND:
        raise DossierError(ErrorCode.DISTRICT_WORKBOOK_NOT_OURS, name=path.name)
    if meta.get("campaign_id") != campaign.id:
        raise DossierError(ErrorCode.DISTRICT_WORKBOOK_CAMPAIGN, name=path.name, value=meta.get('campaign_id'), expected=campaign.id)
    code = meta.get("district_code", "")
    if code not in registry.district_by_code:
        raise DossierError(ErrorCode.DISTRICT_WORKBOOK_UNKNOWN_DISTRICT, code=code)
    district = registry.district_by_code[code]
    signed_on = signed_on or dt.date.today()
    max_n = campaign.rules.district_nomination_max

    noms = read_rows(grids[dw.S_NOMINATIONS], dw.NOMINATION_COLUMNS)
    marked = [r for r in noms if cell_text(r.get("mark"))]
    if len(marked) > max_n:
        raise DossierError(ErrorCode.DOSSIER_TOO_MANY_MARKS, count=len(marked), sheet=dw.S_NOMINATIONS, max_n=max_n)
    rows = read_rows(grids[dw.S_INITIATIVES], dw.INITIATIVE_COLUMNS)
    by_id: dict[str, dict[str, Any]] = {}
    for r in rows:
        if cell_text(r.get("state")) == "Tổng hợp":
            by_id[cell_text(r.get("id"))] = r
    selected: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for m in marked:
        rid = cell_text(m.get("id"))
        title = cell_text(m.get("title"))
        r = by_id.get(rid)
        if rid in seen:
            problems.append(f"sáng kiến {rid} được chọn hai lần")
        elif r is None:
            problems.append(f"'{title or rid}' ({rid}) không có trong danh sách sáng kiến được tổng hợp")
        elif _yes(r.get("disputed")):
            problems.append(f"'{title}' ({rid}) đang có khiếu nại, tranh chấp")
        elif not _yes(r.get("nominated")):
            problems.append(f"'{title}' ({rid}) không được CĐCS đề xuất cấp trên")
        elif _yes(r.get("over_quota")) or not _yes(r.get("eligible")):
            problems.append(f"'{title}' ({rid}) không đủ điều kiện đề xuất (vượt số lượng CĐCS được phân bổ)")
        else:
            selected.append(r)
        seen.add(rid)
    if problems:
        raise DossierError(ErrorCode.DOSSIER_MARKS_INVALID, problems="; ".join(problems))

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    safe = safe_code(code)
    summary_path = out / f"bang-tong-hop-tom-tat-sang-kien-{safe}.xlsx"
    to_trinh_path = out / f"to-trinh-{safe}.docx"
    package_path = out / f"goi-du-lieu-{safe}.xlsx"

    write_summary_table(summary_path, campaign, f"LĐLĐ tỉnh {registry.province}", district.name, selected,
                        signed_on)
    nominations = [Nomination(title=cell_text(r.get("title")), authors=_authors(r), unit=cell_text(r.get("unit_name")),
                              field=cell_text(r.get("field")), summary=cell_text(r.get("description")),
                              benefit=_int(r.get("benefit"))) for r in selected]
    letter = district_to_trinh(campaign.name, registry.province, district.name,
                               _place(district.name, campaign.place), signed_on, nominations)
    write_to_trinh(letter, to_trinh_path)

    summary = read_pairs(grids[dw.S_SUMMARY], "Mục")
    ledger = {k: int(_int(summary.get(dw.SUMMARY_KEYS[k])) or 0)
              for k in ("rows_read", "rows_consolidated", "rows_rejected", "rows_cut")}
    province_code = meta.get("province_code") or registry.province_code
    units = read_rows(grids[dw.S_UNITS], dw.UNIT_COLUMNS)
    pkg = Package(
        stamp={"campaign_id": campaign.id, "level": "district", "code": code, "name": district.name,
               "parent_code": province_code, "province_code": province_code, "export_date": signed_on.isoformat(),
               "summary_file": summary_path.name, "to_trinh_file": to_trinh_path.name,
               "source_workbook": path.name, "own_propagated": meta.get("own_propagated", ""),
               "own_movement": meta.get("own_movement", "")},
        initiatives=[_package_row(r, code, province_code) for r in rows if cell_text(r.get("state")) == "Tổng hợp"],
        units=[_unit_row(u, code, province_code) for u in units],
        nominations=[{"rank": n, **_package_row(r, code, province_code)} for n, r in enumerate(selected, start=1)],
        ledger=ledger,
    )
    write_package(pkg, package_path)
    return DossierResult(code, selected, summary_path, to_trinh_path, package_path,
                         [summary_path, to_trinh_path, package_path])


def _authors(r: dict[str, Any]) -> str:
    a, co = cell_text(r.get("author")), cell_text(r.get("coauthors"))
    return f"{a}, {co}" if co else a


def _package_row(r: dict[str, Any], district_code: str, province_code: str) -> dict[str, Any]:
    yn = lambda k: None if not cell_text(r.get(k)) else _yes(r.get(k))  # noqa: E731
    return {
        "id": cell_text(r.get("id")), "province_code": province_code, "district_code": district_code,
        "unit_code": cell_text(r.get("unit_code")), "unit_name": cell_text(r.get("unit_name")),
        "title": cell_text(r.get("title")), "author": cell_text(r.get("author")), "birth_year": _int(r.get("birth_year")),
        "gender": cell_text(r.get("gender")), "position": cell_text(r.get("position")),
        "coauthors": cell_text(r.get("coauthors")), "field": cell_text(r.get("field")), "bloc": cell_text(r.get("bloc")),
        "description": cell_text(r.get("description")), "applied_on": _date(r.get("applied_on")),
        "benefit": _int(r.get("benefit")), "assessed": yn("assessed"), "entered_tld": yn("entered_tld"),
        "nominated": yn("nominated"), "disputed": yn("disputed"), "note": cell_text(r.get("note")),
        "source_file": cell_text(r.get("file")), "source_row": _int(r.get("row")),
    }


def _unit_row(u: dict[str, Any], district_code: str, province_code: str) -> dict[str, Any]:
    yn = lambda k: None if not cell_text(u.get(k)) else _yes(u.get(k))  # noqa: E731
    return {
        "province_code": province_code, "district_code": district_code, "unit_code": cell_text(u.get("code")),
        "name": cell_text(u.get("name")), "bloc": cell_text(u.get("bloc")),
        "status": status_of_label(cell_text(u.get("status_label"))),
        "counted": yn("counted"),
        "late": yn("late"), "resubmitted": yn("resubmitted"), "initiatives": _int(u.get("initiatives")),
        "rows_read": _int(u.get("rows_read")), "rows_rejected": _int(u.get("rows_rejected")),
        "sent_on": _date(u.get("sent_on")), "propagated": yn("propagated"), "plan_signed": yn("plan_signed"),
        "plan_signed_on": _date(u.get("plan_signed_on")), "plan_has_goals": yn("plan_has_goals"),
        "plan_has_rewards": yn("plan_has_rewards"), "specific_movement": cell_text(u.get("specific_movement")),
    }


def write_summary_table(path: Path, campaign: Campaign, parent: str, district_name: str,
                        selected: list[dict[str, Any]], signed_on: dt.date) -> Path:
    """The *Bảng tổng hợp tóm tắt sáng kiến*: A4 landscape, one page wide, header repeated, signature block.
    ``parent``: the level above the signing union, as its header names it ("LĐLĐ TỈNH …", "TỔNG LĐLĐ VIỆT NAM")."""
    import xlsxwriter

    from addin.documents.letter_text import format_vnd, vn_date_line

    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False,
                                            "default_format_properties": {"font_name": fit.FONT_NAME,
                                                                          "font_size": fit.BODY_SIZE}})
        wb.set_properties({"title": "Bảng tổng hợp tóm tắt sáng kiến", "created": FIXED_CREATED,
                           "author": "sangkien"})
        settle_calculation(wb)  # no formulas: opening and closing it asks nothing
        ws = wb.add_worksheet("Bảng tổng hợp")
        base = {"font_name": "Times New Roman", "font_size": 12}
        f = lambda **kw: wb.add_format(base | kw)  # noqa: E731
        center_b = f(bold=True, align="center", valign="vcenter", text_wrap=True)
        head = f(bold=True, align="center", valign="vcenter", text_wrap=True, border=1, bg_color="#F2F2F2")
        cell = f(valign="top", text_wrap=True, border=1)
        cell_q = f(valign="top", text_wrap=True, border=1, quote_prefix=True)
        cell_c = f(valign="top", align="center", border=1)
        italic_c = f(italic=True, align="center", valign="vcenter")
        n_cols = len(SUMMARY_COLUMNS)
        for c, (_, w) in enumerate(SUMMARY_COLUMNS):
            ws.set_column(c, c, w)
        ws.merge_range(0, 0, 0, 2, parent.upper(), f(align="center"))
        ws.merge_range(1, 0, 1, 2, district_name.upper(), f(bold=True, align="center", text_wrap=True))
        ws.merge_range(0, 4, 0, n_cols - 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", f(bold=True, align="center"))
        ws.merge_range(1, 4, 1, n_cols - 1, "Độc lập - Tự do - Hạnh phúc", f(bold=True, underline=1, align="center"))
        ws.set_row(1, 32)
        ws.merge_range(3, 0, 3, n_cols - 1, "BẢNG TỔNG HỢP TÓM TẮT SÁNG KIẾN", f(bold=True, font_size=14, align="center"))
        ws.merge_range(4, 0, 4, n_cols - 1, f"Chương trình \"{campaign.name}\" năm {campaign.year}", center_b)
        ws.merge_range(5, 0, 5, n_cols - 1, f"(Kèm theo Tờ trình của {district_name})", italic_c)
        hr = 7
        for c, (label, _) in enumerate(SUMMARY_COLUMNS):
            ws.write_string(hr, c, label, head)
        ws.set_row(hr, fit.row_height(max(fit.wrapped_lines(label, fit.text_area(w), size=12, bold=True)
                                          for label, w in SUMMARY_COLUMNS), size=12))
        total = 0
        for n, r in enumerate(selected, start=1):
            row = hr + n
            values = [cell_text(r.get("title")), _authors(r), cell_text(r.get("unit_name")), cell_text(r.get("field")),
                      cell_text(r.get("description"))]
            ws.write_number(row, 0, n, cell_c)
            for c, v in enumerate(values, start=1):
                v = safe_cell_text(v)
                ws.write_string(row, c, v, cell_q if is_formula_like(v) else cell)
            benefit = _int(r.get("benefit"))
            if isinstance(benefit, (int, float, Decimal)):
                total += int(benefit)
            ws.write_string(row, n_cols - 1, format_vnd(benefit) if benefit is not None else "", f(valign="top", align="right", border=1))
            lines = max(fit.wrapped_lines(v, fit.text_area(w), size=12)
                        for v, (_, w) in zip(values, SUMMARY_COLUMNS[1:]))
            ws.set_row(row, fit.row_height(lines, size=12))
        if not selected:
            ws.merge_range(hr + 1, 0, hr + 1, n_cols - 1, "(Không có sáng kiến được đề nghị)", italic_c)
        last = hr + max(len(selected), 1)
        ws.merge_range(last + 1, 0, last + 1, n_cols - 2, "Tổng cộng giá trị làm lợi", f(bold=True, align="right", border=1))
        ws.write_string(last + 1, n_cols - 1, format_vnd(total), f(bold=True, align="right", border=1))
        sig = last + 3
        ws.merge_range(sig, 0, sig, 2, "NGƯỜI LẬP BIỂU", f(bold=True, align="center"))
        ws.merge_range(sig, 4, sig, n_cols - 1, vn_date_line(_place(district_name, campaign.place), signed_on), italic_c)
        ws.merge_range(sig + 1, 4, sig + 1, n_cols - 1, "TM. BAN THƯỜNG VỤ", f(bold=True, align="center"))
        ws.merge_range(sig + 2, 4, sig + 2, n_cols - 1, "CHỦ TỊCH", f(bold=True, align="center"))
        ws.merge_range(sig + 1, 0, sig + 1, 2, "(Ký, ghi rõ họ tên)", italic_c)
        ws.merge_range(sig + 3, 4, sig + 3, n_cols - 1, "(Ký tên, đóng dấu)", italic_c)
        ws.set_landscape()
        ws.set_paper(9)
        ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
        ws.center_horizontally()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(hr)
        ws.print_area(0, 0, sig + 8, n_cols - 1)
        ws.set_footer("&CTrang &P/&N")  # one sheet: the page number alone, as on a letter
        wb.close()
    return Path(path)
