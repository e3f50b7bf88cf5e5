"""Where things are in the generated CĐCS workbook beyond the contract (validators.layout): sheet order, the
rows the checks scan, the «Danh mục» lists and campaign parameters, the «Kiểm tra» rows; and the small
reference helpers every sheet builder uses, so a cell address is computed in one place.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata

from addin.io.cells import cell_ref, column_letter
from validators import layout as L
from validators.campaign import Campaign
from validators.rules.table import STT_MAX
from validators.text.normalize import fold

BLANK_FILE_NAME = "mau-trang.xlsx"

# Sheet order of the workbook; XlsxWriter numbers the parts xl/worksheets/sheetN.xml in this order.
SHEET_FLAGS = "Cờ kiểm tra"  # hidden: one flag per input cell (see flags.py)
SHEET_ORDER = (L.SHEET_GUIDE, L.SHEET_UNIT, L.SHEET_INITIATIVES, L.SHEET_CHECK, L.SHEET_LISTS, SHEET_FLAGS, L.SHEET_META)

FONT_NAME = "Times New Roman"
FONT_SIZE = 12

# Rows of the initiatives sheet that carry validation and that the check formulas scan (1-based).
DATA_FIRST_ROW = L.TABLE_HEADER_ROW + 1
DATA_LAST_ROW = L.TABLE_HEADER_ROW + L.VALIDATED_ROWS

# Form-level length limits for free-text cells. They are not campaign rules (the campaign limits only the
# title and the description); they only stop pasted garbage early, so they are generous.
TEXT_LIMITS = {
    "person_name": 120,
    "position": 150,
    "coauthors": 500,
    "note": 1000,
    "movement": 255,
    "email": 100,
    "phone_min": 9,
    "phone_max": 20,
}

# --- the hidden "Danh mục" sheet: dropdown lists (columns A-D) and parameters (F label, G value) ---------
LIST_NAMES = {"fields": "DM_LINH_VUC", "blocs": "DM_KHOI", "genders": "DM_GIOI_TINH", "yes_no": "DM_CO_KHONG"}
LIST_COLUMNS = {"fields": 0, "blocs": 1, "genders": 2, "yes_no": 3}
YES_NAME = "DM_CO"  # the cell holding "Có"
PARAM_LABEL_COL, PARAM_VALUE_COL = 5, 6  # 0-based: F, G


def params(campaign: Campaign) -> list[tuple[str, str, object]]:
    """(defined name, Vietnamese label, value) of every number the validations and checks use."""
    r, d = campaign.rules, campaign.deadlines
    y_min, y_max = campaign.author_birth_year_range
    return [
        ("DM_GIOI_HAN_TOM_TAT", "Số ký tự tối đa của Tóm tắt nội dung", r.description_max_chars),
        ("DM_GIOI_HAN_TEN", "Số ký tự tối đa của Tên sáng kiến", r.title_max_chars),
        ("DM_AP_DUNG_TU", "Ngày bắt đầu áp dụng: sớm nhất", r.application_start),
        ("DM_AP_DUNG_DEN", "Ngày bắt đầu áp dụng: muộn nhất", r.application_end),
        ("DM_NAM_SINH_TU", "Năm sinh tác giả: nhỏ nhất", y_min),
        ("DM_NAM_SINH_DEN", "Năm sinh tác giả: lớn nhất", y_max),
        ("DM_DOAN_VIEN_TOI_DA", "Số đoàn viên tối đa của một CĐCS", r.max_members_per_unit),
        ("DM_BAT_DAU", "Ngày bắt đầu Chương trình", d.campaign_start),
        ("DM_DE_XUAT_TOI_DA", "Số sáng kiến CĐCS được đề xuất lên cấp trên", r.default_cdcs_nomination_quota),
        ("DM_SK_TOI_THIEU", "Số sáng kiến tối thiểu của một CĐCS", r.min_initiatives_per_unit),
        ("DM_SK_TOI_DA", "Số sáng kiến tối đa của một CĐCS", r.max_initiatives_per_unit),
        ("DM_TEN_NGUOI_TOI_DA", "Số ký tự tối đa của họ tên", TEXT_LIMITS["person_name"]),
        ("DM_CHUC_VU_TOI_DA", "Số ký tự tối đa của chức vụ, nghề nghiệp", TEXT_LIMITS["position"]),
        ("DM_DONG_TAC_GIA_TOI_DA", "Số ký tự tối đa của Đồng tác giả", TEXT_LIMITS["coauthors"]),
        ("DM_GHI_CHU_TOI_DA", "Số ký tự tối đa của Ghi chú", TEXT_LIMITS["note"]),
        ("DM_PHONG_TRAO_TOI_DA", "Số ký tự tối đa của tên phong trào", TEXT_LIMITS["movement"]),
        ("DM_EMAIL_TOI_DA", "Số ký tự tối đa của email", TEXT_LIMITS["email"]),
        ("DM_DT_TOI_THIEU", "Số ký tự tối thiểu của số điện thoại", TEXT_LIMITS["phone_min"]),
        ("DM_DT_TOI_DA", "Số ký tự tối đa của số điện thoại", TEXT_LIMITS["phone_max"]),
        ("DM_STT_TOI_DA", "Số thứ tự lớn nhất", STT_MAX),
    ]


# --- the hidden flag sheet: one flag (0 đạt, 1 lưu ý, 2 lỗi) per input cell, at the input's own address ---
FLAG_CONTENT_COL = len(L.INITIATIVE_FIELDS) + 1  # 1 when the row holds an initiative (any column but STT)
FLAG_NOMINATED_COL = FLAG_CONTENT_COL + 1  # 1 when the row's «Đề xuất cấp trên» reads as «Có»
FLAG_UNIT_COL = FLAG_NOMINATED_COL + 1  # flags of the «Đơn vị» cells, on their rows
FLAG_UNIT_TEXT_COL = FLAG_UNIT_COL + 1  # their cleaned text
FLAG_UNIT_AUX_COL = FLAG_UNIT_TEXT_COL + 1  # their intermediate value (digits, date text…), where a rule needs one
FLAG_TEXT_OFFSET = FLAG_UNIT_AUX_COL  # cleaned text of initiative column c sits in column c + offset
FLAG_AUX_OFFSET = FLAG_TEXT_OFFSET + len(L.INITIATIVE_FIELDS)  # and its intermediate in column c + this
ERROR, WARNING = 2, 1


def flag_rows(max_initiatives: int) -> int:
    """Rows of the table that carry flags: the campaign's most initiatives (more is an error anyway)."""
    return min(L.VALIDATED_ROWS, max_initiatives)


# --- «Danh mục»: the characters and spellings the flags read -----------------------------------------------
SPECIAL_COL = 8  # 0-based I: NBSP and the invisible characters (DM_KT_1..), J: the combining marks (DM_DAU)
SPELLING_FIRST_COL = 10  # 0-based K..: the accepted spellings of each list (case-insensitive)
SPELLING_NAMES = {  # list -> (exact values, accepted spellings)
    "yes_no": ("DM_CO_KHONG", "DM_CK_CACH_VIET"),
    "yes": ("DM_CO", "DM_CO_CACH_VIET"),
    "fields": ("DM_LINH_VUC", "DM_LV_CACH_VIET"),
    "blocs": ("DM_KHOI", "DM_KHOI_CACH_VIET"),
    "genders": ("DM_GIOI_TINH", "DM_GT_CACH_VIET"),
}

# The labels of the initiatives table, as the reader accepts them (case and edge spaces aside, which the check
# ignores itself): as written, in NFD, without accents. 0-based columns P, Q, R; one row per label.
HEADER_SPELLING_COL = SPELLING_FIRST_COL + len(SPELLING_NAMES)
HEADER_CHECK_LAST_COL = 52  # AZ: the header row is searched this far (inserted columns move labels right)

# --- the "Kiểm tra" sheet -----------------------------------------------------------------------------------
COUNT_NAME = "KIEM_TRA_SO_LOI"  # contract: the number of errors (warnings excluded); 0 = «Sẵn sàng gửi»
CHECK_COUNT_COL = 3  # C: errors of each check (for "initiatives": the number entered)
CHECK_WARN_COL = 4  # D: warnings («Lưu ý»)
CHECK_STATUS_COL = 5  # E
CHECK_WHERE_COL = 6  # F: the first offending rows / cells
CHECK_FIX_COL = 7  # G
CHECK_UNIT_LINE_ROW = 3
CHECK_HEADER_ROW = 8
CHECK_FIRST_ROW = 9
STATUS_OK = "Đạt"
STATUS_FIX = "Cần sửa"
STATUS_NOTE = "Lưu ý"
OVERALL_OK = "Sẵn sàng gửi"
LISTED_ROWS = 3  # offending rows named per check ("dòng 5, 9, 12 …")

# Order of the checks: the unit sheet, one per initiative column, then the counts of initiatives.
PROBLEM_KEYS: tuple[str, ...] = (
    "unit",
    "header",
    *(f"col_{f.key}" for f in L.INITIATIVE_FIELDS),
    "too_few_initiatives",
    "too_many_initiatives",
)
CHECK_ROWS: dict[str, int] = {
    "initiatives": 4,  # C4 = number of initiatives entered; information only
    "total": 5,  # C5 = number of errors (KIEM_TRA_SO_LOI); E5 = "Sẵn sàng gửi" / "Chưa đạt – còn N lỗi"
    "warnings": 6,  # C6 = number of «Lưu ý»
    **{key: CHECK_FIRST_ROW + i for i, key in enumerate(PROBLEM_KEYS)},
}
CHECK_LAST_ROW = CHECK_FIRST_ROW + len(PROBLEM_KEYS) - 1


def check_cell(key: str) -> str:
    """A1 reference, on the ``Kiểm tra`` sheet, of the count of check ``key``."""
    return cell_ref(CHECK_ROWS[key], CHECK_COUNT_COL)


# ------------------------------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------------------------------
def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def header_spellings(label: str) -> tuple[str, str, str]:
    """A table label as the reader accepts it: as written, in NFD, and without accents (its fold)."""
    return nfc(label), unicodedata.normalize("NFD", nfc(label)), fold(label)


def fmt_date(value: _dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def fmt_int(value: int) -> str:
    """Vietnamese thousands separator: 1000 -> '1.000'."""
    return f"{value:,}".replace(",", ".")


def quote_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def abs_ref(row: int, col: int) -> str:
    return f"${column_letter(col)}${row}"


def unit_ref(name: str) -> str:
    """Absolute reference of a unit input cell, e.g. 'Đơn vị'!$C$8."""
    row = L.UNIT_FIRST_ROW + [f.name for f in L.UNIT_FIELDS].index(name)
    return f"{quote_sheet(L.SHEET_UNIT)}!{abs_ref(row, L.UNIT_VALUE_COL)}"


def unit_cell(name: str) -> str:
    """A1 reference (no sheet) of the ``Đơn vị`` input cell with defined name ``name``."""
    row = L.UNIT_FIRST_ROW + [f.name for f in L.UNIT_FIELDS].index(name)
    return cell_ref(row, L.UNIT_VALUE_COL)


def column_of(key: str) -> int:
    """1-based column of an initiative field."""
    return [f.key for f in L.INITIATIVE_FIELDS].index(key) + 1


def column_range(key: str) -> str:
    """Absolute range of an initiative column over the validated rows (no structured references: the
    formulas must also compute in LibreOffice and WPS)."""
    c = column_of(key)
    return f"{quote_sheet(L.SHEET_INITIATIVES)}!{abs_ref(DATA_FIRST_ROW, c)}:{abs_ref(DATA_LAST_ROW, c)}"


def list_cells(name: str, n: int) -> list[str]:
    col = LIST_COLUMNS[name] + 1
    return [f"{quote_sheet(L.SHEET_LISTS)}!{abs_ref(r, col)}" for r in range(2, 2 + n)]
