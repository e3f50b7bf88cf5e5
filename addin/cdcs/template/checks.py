"""The «Kiểm tra» checks: one row for the «Đơn vị» sheet, one per initiative column, and the number of
initiatives; each counts the errors and «Lưu ý» of the flag sheet and names the first offending rows, so the
counts, the highlighted cells and the validator follow the one rule table. Only functions Excel 2010,
LibreOffice and WPS all compute: COUNTIF, SUMPRODUCT (which evaluates SMALL over an array without
Ctrl+Shift+Enter), no dynamic arrays, no TEXTJOIN.
"""

from __future__ import annotations

from dataclasses import dataclass

from addin.cdcs.template.layout import (
    CHECK_COUNT_COL,
    CHECK_WARN_COL,
    DATA_FIRST_ROW,
    DATA_LAST_ROW,
    FLAG_CONTENT_COL,
    FLAG_UNIT_COL,
    HEADER_CHECK_LAST_COL,
    HEADER_SPELLING_COL,
    LISTED_ROWS,
    PROBLEM_KEYS,
    SHEET_FLAGS,
    STATUS_FIX,
    STATUS_NOTE,
    STATUS_OK,
    abs_ref,
    column_of,
    flag_rows,
    fmt_int,
    nfc,
    quote_sheet,
)
from addin.io.cells import cell_ref, column_letter
from validators import layout as L
from validators.campaign import Campaign
from validators.layout import Kind
from validators.rules.table import PHONE_LENGTHS, RuleTable, rule_table

_FAR = 1_000_000


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    errors: str  # formula without "=": the number of errors
    warnings: str  # formula: the number of «Lưu ý» ("0" when the check has none)
    where: str  # formula: the first offending rows / cells ("" when none)
    fix: str


def flag_range(table: RuleTable, col: int, unit: bool = False) -> str:
    first, last = (L.UNIT_FIRST_ROW, L.UNIT_FIRST_ROW + len(L.UNIT_FIELDS) - 1) if unit else \
        (DATA_FIRST_ROW, DATA_FIRST_ROW + flag_rows(table.max_initiatives) - 1)
    c = column_letter(col)
    return f"{quote_sheet(SHEET_FLAGS)}!${c}${first}:${c}${last}"


def _where(rng: str, errors: str, prefix: str, item: str = "") -> str:
    """'dòng 5, 9, 12 …' (or 'ô C5, C8'): the first rows whose flag is an error, else a «Lưu ý»."""
    target = f"IF({errors}>0,2,1)"
    count = f"COUNTIF({rng},{target})"

    def kth(k: int) -> str:
        return f"SUMPRODUCT(SMALL(ROW({rng})+({rng}<>{target})*{_FAR},{k}))"

    parts = f'"{prefix}{item}"&{kth(1)}'
    for k in range(2, LISTED_ROWS + 1):
        parts += f'&IF({count}>={k},", {item}"&{kth(k)},"")'
    parts += f'&IF({count}>{LISTED_ROWS}," …","")'
    return f'IF({count}=0,"",{parts})'


def content_count(table: RuleTable) -> str:
    """Initiatives entered: flagged rows holding one, plus any typed below the flagged rows."""
    flagged = f"SUM({flag_range(table, FLAG_CONTENT_COL)})"
    below = DATA_FIRST_ROW + flag_rows(table.max_initiatives)
    if below > DATA_LAST_ROW:
        return flagged
    sk = quote_sheet(L.SHEET_INITIATIVES)
    lens = "+".join(f"LEN({sk}!${column_letter(c)}${below}:${column_letter(c)}${DATA_LAST_ROW})"
                    for c in range(2, len(L.INITIATIVE_FIELDS) + 1))
    return f"{flagged}+SUMPRODUCT(--(({lens})>0))"


def _column_fix(campaign: Campaign, table: RuleTable, key: str) -> str:
    rule = table.column(key)
    f = rule.field
    need = "Bắt buộc với mọi sáng kiến. " if f.required else ""
    if f.kind in (Kind.TEXT, Kind.LONG_TEXT):
        repeated = (" Sáng kiến trùng tên và tác giả với một dòng phía trên được đánh dấu «Lưu ý» (cấp trên kiểm tra"
                    " cả cách viết khác dấu).") if key == "title" else ""
        return need + (f"Tối đa {fmt_int(rule.max_chars)} ký tự (đếm như phần mềm Tổng Liên đoàn)."
                       if rule.max_chars else "Ô có khoảng trắng thừa hoặc ký tự ẩn được đánh dấu «Lưu ý».") + repeated
    if f.kind in (Kind.CHOICE, Kind.YES_NO):
        extra = {"nominated": f" Đề xuất tối đa {table.nomination_quota:02d} sáng kiến; không đề xuất sáng kiến đang "
                              "có khiếu nại, tranh chấp."}.get(key, "")
        return need + "Chọn trong danh sách: " + "; ".join(rule.values) + "." + extra
    if f.kind is Kind.YEAR:
        lo, hi = rule.number_range
        return need + f"Năm sinh là số nguyên 4 chữ số, từ {lo} đến {hi}."
    if f.kind is Kind.INT:
        return "Để trống hoặc nhập số nguyên (1, 2, 3…)."
    if f.kind is Kind.MONEY:
        return "Để trống hoặc nhập số tiền không âm bằng chữ số, ví dụ 1500000."
    if f.kind is Kind.DATE:
        lo, hi = rule.date_window
        return need + f"Ngày dạng dd/mm/yyyy, từ {lo:%d/%m/%Y} đến {hi:%d/%m/%Y}."
    if f.kind is Kind.PHONE:
        return f"Để trống hoặc nhập số điện thoại {' hoặc '.join(map(str, PHONE_LENGTHS))} chữ số, bắt đầu bằng 0."
    return ""


def _header_check() -> Check:
    """Each label of the table missing from its header row (renamed or deleted): one error per label, as the
    reader gives one ``header-missing`` per label. A label counts as present written as on «Danh mục» (as is,
    NFD or without accents), in any case, with any edge or doubled spaces, in any column."""
    row = L.TABLE_HEADER_ROW
    header = f"{quote_sheet(L.SHEET_INITIATIVES)}!$A${row}:${column_letter(HEADER_CHECK_LAST_COL)}${row}"
    lists = quote_sheet(L.SHEET_LISTS)

    def missing(i: int) -> str:
        found = "+".join(f"(TRIM({header})={lists}!{abs_ref(2 + i, HEADER_SPELLING_COL + 1 + k)})" for k in range(3))
        return f"(SUMPRODUCT(--({found}))=0)"

    errors = "+".join(missing(i) for i in range(len(L.INITIATIVE_FIELDS)))
    names = "&".join(f'IF({missing(i)},"«{nfc(f.label)}» ","")' for i, f in enumerate(L.INITIATIVE_FIELDS))
    return Check("header", f"Tiêu đề các cột của bảng «Sáng kiến» (dòng {row})", f"SUMPRODUCT({errors})", "0",
                 f"TRIM({names})",
                 "Không đổi tên, không xoá cột của bảng: khôi phục tiêu đề đúng như mẫu (Ctrl+Z, hoặc chép từ "
                 "biểu mẫu trống).")


def build_checks(campaign: Campaign, table: RuleTable | None = None) -> list[Check]:
    table = table or rule_table(campaign)
    r = campaign.rules
    unit_rng = flag_range(table, FLAG_UNIT_COL, unit=True)
    unit_err = f"COUNTIF({unit_rng},2)"
    checks = [Check(
        "unit", "Trang «Đơn vị»: ô bắt buộc còn trống hoặc giá trị không hợp lệ", unit_err,
        f"COUNTIF({unit_rng},1)", _where(unit_rng, unit_err, "ô ", column_letter(L.UNIT_VALUE_COL)),
        f"Sửa các ô được tô màu trên trang «Đơn vị»; ngày ký kế hoạch bắt buộc khi đã ký; ngày gửi từ "
        f"{campaign.deadlines.campaign_start:%d/%m/%Y} đến hôm nay.",
    )]
    checks.append(_header_check())
    for f in L.INITIATIVE_FIELDS:
        rng = flag_range(table, column_of(f.key))
        err = f"COUNTIF({rng},2)"
        checks.append(Check(f"col_{f.key}", f"Cột «{f.label}»", err, f"COUNTIF({rng},1)", _where(rng, err, "dòng "),
                            _column_fix(campaign, table, f.key)))
    count = content_count(table)
    checks += [
        Check("too_few_initiatives",
              f"Số sáng kiến còn thiếu so với mức tối thiểu ({r.min_initiatives_per_unit:02d} sáng kiến/CĐCS)",
              f"MAX(0,DM_SK_TOI_THIEU-({count}))", "0", '""', "Nhập thêm sáng kiến vào trang «Sáng kiến»."),
        Check("too_many_initiatives", f"Số sáng kiến vượt quá {fmt_int(r.max_initiatives_per_unit)} dòng của một CĐCS",
              f"MAX(0,({count})-DM_SK_TOI_DA)", "0", '""', "Xoá các dòng thừa hoặc trùng."),
    ]
    assert tuple(c.key for c in checks) == PROBLEM_KEYS
    return checks


def status_formula(row: int) -> str:
    e, w = cell_ref(row, CHECK_COUNT_COL), cell_ref(row, CHECK_WARN_COL)
    return f'IF({e}>0,"{STATUS_FIX}",IF({w}>0,"{STATUS_NOTE}","{STATUS_OK}"))'


# --- what the formulas give on a freshly generated file (cached results; LibreOffice shows them as saved) --
def pristine_unit_flags(values: dict[str, str]) -> list[int]:
    out = []
    for f in L.UNIT_FIELDS:
        filled = bool(values.get(f.name))
        out.append(0 if filled else 2 if f.required else 1 if f.name == "NGAY_GUI" else 0)
    return out


def pristine_counts(campaign: Campaign, values: dict[str, str]) -> dict[str, int]:
    flags = pristine_unit_flags(values)
    counts = {k: 0 for k in PROBLEM_KEYS}
    counts["unit"] = flags.count(2)
    counts["unit_warnings"] = flags.count(1)
    counts["too_few_initiatives"] = campaign.rules.min_initiatives_per_unit
    counts["initiatives"] = 0
    counts["total"] = sum(counts[k] for k in PROBLEM_KEYS)
    counts["warnings"] = counts["unit_warnings"]
    return counts


def pristine_where(campaign: Campaign, values: dict[str, str]) -> str:
    flags = pristine_unit_flags(values)
    target = 2 if 2 in flags else 1
    rows = [L.UNIT_FIRST_ROW + i for i, f in enumerate(flags) if f == target]
    if not rows:
        return ""
    c = column_letter(L.UNIT_VALUE_COL)
    text = "ô " + ", ".join(f"{c}{r}" for r in rows[:LISTED_ROWS])
    return text + (" …" if len(rows) > LISTED_ROWS else "")


def overall_text(total: int) -> str:
    return "Sẵn sàng gửi" if total == 0 else f"Chưa đạt – còn {total} lỗi"


def unit_line_text(values: dict[str, str]) -> str:
    if not values.get("MA_DON_VI"):
        return "Đơn vị: (chưa có mã đơn vị)"
    return f"Đơn vị: {values.get('TEN_DON_VI', '')} – mã {values['MA_DON_VI']}"
