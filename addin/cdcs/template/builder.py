"""The CĐCS workbook: one .xlsx per grassroots union, pre-filled from the registry, filled in by hand.

The workbook follows the contract in ``validators.layout`` (sheets, defined names, the ``SangKien`` table,
the stamp). Everything a user reads is Vietnamese; every campaign number comes from the ``Campaign`` and
sits in the hidden ``Danh mục`` sheet, which the data validations and the ``Kiểm tra`` formulas reference.

Speed: a province sends out thousands of these files, identical except for a handful of cells. XlsxWriter
builds the workbook once per campaign with those cells left as formatted blanks ("slots"); each unit's
file is then assembled from the pre-compressed zip members, re-rendering only the few parts that hold a
slot (unit, check and stamp sheets, shared strings, document properties). The blank template goes through
the same path with empty values, so a unit's file and the blank template can never drift apart.

Determinism: fixed document dates (from the campaign), fixed zip timestamps and a fixed member order, so
the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence
from xml.etree import ElementTree

import xlsxwriter

from addin.io.atomic import atomic_path, write_bytes_fast
from addin.io.zipwriter import ZipMember, deflate, zip_bytes
from addin.io.cells import cell_ref, column_letter, parse_ref
from addin.registry import Cdcs, District, Registry, RegistryError
from validators import layout as L
from validators.text.names import ascii_name
from validators.campaign import Campaign

BLANK_FILE_NAME = "mau-trang.xlsx"

# Sheet order of the workbook; XlsxWriter numbers the parts xl/worksheets/sheetN.xml in this order.
SHEET_ORDER = (L.SHEET_GUIDE, L.SHEET_UNIT, L.SHEET_INITIATIVES, L.SHEET_CHECK, L.SHEET_LISTS, L.SHEET_META)

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
_LIST_COLUMNS = {"fields": 0, "blocs": 1, "genders": 2, "yes_no": 3}
YES_NAME = "DM_CO"  # the cell holding "Có"
_PARAM_LABEL_COL, _PARAM_VALUE_COL = 5, 6  # 0-based: F, G


def _params(campaign: Campaign) -> list[tuple[str, str, object]]:
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
    ]


# --- the "Kiểm tra" sheet -----------------------------------------------------------------------------------
CHECK_COUNT_COL = 3  # C: the count of each check (for "initiatives": the number entered, not an error count)
CHECK_STATUS_COL = 4  # D
CHECK_UNIT_LINE_ROW = 3
CHECK_HEADER_ROW = 7
CHECK_FIRST_ROW = 8
STATUS_OK = "Đạt"
STATUS_FIX = "Cần sửa"
OVERALL_OK = "Sẵn sàng gửi"

_REQUIRED_INITIATIVE_KEYS = tuple(f.key for f in L.INITIATIVE_FIELDS if f.required and f.key != "title")
# Order of the error checks on the sheet; each counts problems, and their sum is the "total" row.
_PROBLEM_KEYS: tuple[str, ...] = (
    "too_few_initiatives",
    "too_many_initiatives",
    "unit_missing",
    "unit_invalid",
    "plan_date_missing",
    "missing_title",
    *(f"missing_{k}" for k in _REQUIRED_INITIATIVE_KEYS),
    "title_too_long",
    "description_too_long",
    "date_outside_window",
    "birth_year_invalid",
    "field_invalid",
    "bloc_invalid",
    "gender_invalid",
    "yes_no_invalid",
    "benefit_invalid",
    "nominated_disputed",
    "nominations_over_quota",
)
CHECK_ROWS: dict[str, int] = {
    "initiatives": 4,  # C4 = number of initiatives entered (rows with a title); information only
    "total": 5,  # C5 = total number of problems; D5 = "Sẵn sàng gửi" / "Chưa đạt – còn N lỗi"
    **{key: CHECK_FIRST_ROW + i for i, key in enumerate(_PROBLEM_KEYS)},
}
CHECK_LAST_ROW = CHECK_FIRST_ROW + len(_PROBLEM_KEYS) - 1


def check_cell(key: str) -> str:
    """A1 reference, on the ``Kiểm tra`` sheet, of the count of check ``key``."""
    return cell_ref(CHECK_ROWS[key], CHECK_COUNT_COL)


# ------------------------------------------------------------------------------------------------------------
# Small helpers
# ------------------------------------------------------------------------------------------------------------
def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _d(value: _dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _n(value: int) -> str:
    """Vietnamese thousands separator: 1000 -> '1.000'."""
    return f"{value:,}".replace(",", ".")


def _q(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _abs(row: int, col: int) -> str:
    return f"${column_letter(col)}${row}"


def _unit_ref(name: str) -> str:
    """Absolute reference of a unit input cell, e.g. 'Đơn vị'!$C$8."""
    row = L.UNIT_FIRST_ROW + [f.name for f in L.UNIT_FIELDS].index(name)
    return f"{_q(L.SHEET_UNIT)}!{_abs(row, L.UNIT_VALUE_COL)}"


def unit_cell(name: str) -> str:
    """A1 reference (no sheet) of the ``Đơn vị`` input cell with defined name ``name``."""
    row = L.UNIT_FIRST_ROW + [f.name for f in L.UNIT_FIELDS].index(name)
    return cell_ref(row, L.UNIT_VALUE_COL)


def _col_of(key: str) -> int:
    """1-based column of an initiative field."""
    return [f.key for f in L.INITIATIVE_FIELDS].index(key) + 1


def _rng(key: str) -> str:
    """Absolute range of an initiative column over the validated rows (no structured references: the
    formulas must also compute in LibreOffice and WPS)."""
    c = _col_of(key)
    return f"{_q(L.SHEET_INITIATIVES)}!{_abs(DATA_FIRST_ROW, c)}:{_abs(DATA_LAST_ROW, c)}"


def _list_cells(name: str, n: int) -> list[str]:
    col = _LIST_COLUMNS[name] + 1
    return [f"{_q(L.SHEET_LISTS)}!{_abs(r, col)}" for r in range(2, 2 + n)]


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel reads "_xHHHH_" in cell text as an escaped character; a literal one must have its "_" escaped.
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _xml_escape(value: str) -> str:
    value = _ILLEGAL_XML.sub("", _nfc(value))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_text(value: str) -> str:
    """Cell text for SpreadsheetML, where "_xHHHH_" is itself an escape."""
    return _xml_escape(_EXCEL_ESCAPE.sub(r"_x005F_\1", value))


# ------------------------------------------------------------------------------------------------------------
# The check formulas
# ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Check:
    key: str
    label: str
    formula: str  # without the leading "="
    fix: str


def _nonempty(x: str) -> str:
    return f"(LEN(TRIM({x}))>0)"


def _empty(x: str) -> str:
    return f"(LEN(TRIM({x}))=0)"


def _in_list(x: str, cells: Sequence[str]) -> str:
    """1 if TRIM(x) equals one list cell exactly (EXACT: case and diacritics matter, as for the validator),
    else 0. Works on a range inside SUMPRODUCT."""
    return "(" + "+".join(f"EXACT(TRIM({x}),{c})" for c in cells) + ")"


def _checks(campaign: Campaign) -> list[_Check]:
    r, d = campaign.rules, campaign.deadlines
    lists = {
        "fields": _list_cells("fields", len(campaign.fields)),
        "blocs": _list_cells("blocs", len(campaign.blocs)),
        "genders": _list_cells("genders", len(campaign.genders)),
        "yes_no": _list_cells("yes_no", len(L.YES_NO)),
    }
    init_count = check_cell("initiatives")
    title = _rng("title")
    by_key = {f.key: f for f in L.INITIATIVE_FIELDS}
    y_min, y_max = campaign.author_birth_year_range

    # Unit sheet: required cells left empty, and values a paste could have slipped past the validation.
    required_unit = [f.name for f in L.UNIT_FIELDS if f.required]
    unit_missing = "+".join(_empty(_unit_ref(n)) for n in required_unit)
    invalid_terms = []
    for f in L.UNIT_FIELDS:
        x = _unit_ref(f.name)
        # Nested IFs, not AND(ISNUMBER(x), x=INT(x), ...): AND evaluates every argument, and INT of a text
        # is #VALUE!, which would poison the whole sum. IF evaluates only the branch it takes.
        if f.kind == L.Kind.CHOICE:
            test = f"IF({_in_list(x, lists[f.choices])}>0,0,1)"
        elif f.kind == L.Kind.YES_NO:
            test = f"IF({_in_list(x, lists['yes_no'])}>0,0,1)"
        elif f.kind == L.Kind.INT:
            test = f"IF(ISNUMBER({x}),IF(AND({x}>=1,{x}<=DM_DOAN_VIEN_TOI_DA,{x}=INT({x})),0,1),1)"
        elif f.name == "NGAY_KY_KE_HOACH":
            test = f"IF(ISNUMBER({x}),IF(AND({x}>=DM_BAT_DAU,{x}<DM_AP_DUNG_DEN+1),0,1),1)"
        elif f.kind == L.Kind.DATE:
            test = f"IF(ISNUMBER({x}),IF({x}>=DM_BAT_DAU,0,1),1)"
        elif f.kind == L.Kind.EMAIL:
            test = f'IF(ISNUMBER(FIND("@",{x})),0,1)'
        else:
            continue
        # Single cells: IF is safe here (the array caveat below applies only inside SUMPRODUCT).
        invalid_terms.append(f"IF({_empty(x)},0,{test})")
    unit_invalid = "+".join(invalid_terms)

    # Inside SUMPRODUCT, IF does not evaluate arrays in Excel 2010 without Ctrl+Shift+Enter, and INT/VALUE
    # on text raise #VALUE!: so the formulas below use only booleans multiplied together, LEN/TRIM/EXACT,
    # ISNUMBER, and comparisons (which never fail, text vs number just compares as larger).
    def count(expr: str) -> str:
        return f"SUMPRODUCT({expr})"

    def in_list_problems(key: str, list_name: str) -> str:
        x = _rng(key)
        return f"{_nonempty(x)}*({_in_list(x, lists[list_name])}=0)"

    def not_number_or(x: str, bad: str) -> str:
        return f"{_nonempty(x)}*(1-ISNUMBER({x}))+ISNUMBER({x})*(({bad})>0)"

    content_keys = [f.key for f in L.INITIATIVE_FIELDS if f.key not in L.NON_CONTENT_KEYS and f.key != "title"]
    others = "&".join(_rng(k) for k in content_keys)
    fields_text = "; ".join(campaign.fields)
    yes_no_keys = [f.key for f in L.INITIATIVE_FIELDS if f.kind == L.Kind.YES_NO]

    checks = [
        _Check(
            "too_few_initiatives",
            f"Số sáng kiến còn thiếu so với mức tối thiểu ({r.min_initiatives_per_unit:02d} sáng kiến/CĐCS)",
            f"MAX(0,DM_SK_TOI_THIEU-{init_count})",
            "Nhập thêm sáng kiến vào trang «Sáng kiến».",
        ),
        _Check(
            "too_many_initiatives",
            f"Số sáng kiến vượt quá {_n(r.max_initiatives_per_unit)} dòng của một CĐCS",
            f"MAX(0,{init_count}-DM_SK_TOI_DA)",
            "Xoá các dòng thừa hoặc trùng.",
        ),
        _Check(
            "unit_missing",
            "Thông tin đơn vị, cam kết bắt buộc còn để trống",
            unit_missing,
            "Điền đủ các ô nền vàng trên trang «Đơn vị» (trừ các ô ghi «không bắt buộc»).",
        ),
        _Check(
            "unit_invalid",
            "Ô trên trang «Đơn vị» có giá trị không hợp lệ",
            unit_invalid,
            "Chọn giá trị trong danh sách; ngày nhập dd/mm/yyyy; số đoàn viên là số nguyên.",
        ),
        _Check(
            "plan_date_missing",
            "Đã ký kế hoạch = «Có» nhưng chưa nhập ngày ký",
            f"IF(AND(EXACT(TRIM({_unit_ref('DA_KY_KE_HOACH')}),{YES_NAME}),"
            f"{_empty(_unit_ref('NGAY_KY_KE_HOACH'))}),1,0)",
            "Nhập ngày ký kế hoạch trên trang «Đơn vị».",
        ),
        _Check(
            "missing_title",
            "Dòng đã có thông tin nhưng chưa có Tên sáng kiến",
            count(f"{_empty(title)}*(LEN(TRIM({others}))>0)"),
            "Nhập Tên sáng kiến, hoặc xoá hết nội dung của dòng thừa.",
        ),
        *(
            _Check(
                f"missing_{k}",
                f"Sáng kiến chưa nhập «{by_key[k].label}»",
                count(f"{_nonempty(title)}*{_empty(_rng(k))}"),
                f"Nhập cột «{by_key[k].label}» cho mọi sáng kiến.",
            )
            for k in _REQUIRED_INITIATIVE_KEYS
        ),
        _Check(
            "title_too_long",
            f"Tên sáng kiến dài quá {_n(r.title_max_chars)} ký tự",
            count(f"--(LEN({title})>DM_GIOI_HAN_TEN)"),
            "Rút gọn tên sáng kiến.",
        ),
        _Check(
            "description_too_long",
            f"Tóm tắt nội dung dài quá {_n(r.description_max_chars)} ký tự",
            count(f"--(LEN({_rng('description')})>DM_GIOI_HAN_TOM_TAT)"),
            f"Rút gọn phần tóm tắt (phần mềm Tổng Liên đoàn nhận tối đa {_n(r.description_max_chars)} ký tự).",
        ),
        _Check(
            "date_outside_window",
            f"Ngày bắt đầu áp dụng không phải ngày hoặc ngoài khoảng {_d(r.application_start)} – "
            f"{_d(r.application_end)}",
            count(not_number_or(x := _rng("applied_on"), f"({x}<DM_AP_DUNG_TU)+({x}>=DM_AP_DUNG_DEN+1)")),
            "Nhập ngày dạng dd/mm/yyyy trong thời gian của Chương trình.",
        ),
        _Check(
            "birth_year_invalid",
            f"Năm sinh không phải số hoặc ngoài khoảng {y_min} – {y_max}",
            count(not_number_or(x := _rng("birth_year"), f"({x}<DM_NAM_SINH_TU)+({x}>DM_NAM_SINH_DEN)")),
            "Nhập năm sinh 4 chữ số, ví dụ 1985.",
        ),
        _Check(
            "field_invalid",
            "«Lĩnh vực» không đúng danh sách",
            count(in_list_problems("field", "fields")),
            "Chọn một trong các lĩnh vực: " + fields_text + ".",
        ),
        _Check(
            "bloc_invalid",
            "«Khối» không đúng danh sách",
            count(in_list_problems("bloc", "blocs")),
            "Chọn " + " hoặc ".join(f"«{b}»" for b in campaign.blocs) + ".",
        ),
        _Check(
            "gender_invalid",
            "«Giới tính» không đúng danh sách",
            count(in_list_problems("gender", "genders")),
            "Chọn " + " hoặc ".join(f"«{g}»" for g in campaign.genders) + ".",
        ),
        _Check(
            "yes_no_invalid",
            "Cột Có/Không có giá trị khác «Có», «Không»",
            "+".join(count(in_list_problems(k, "yes_no")) for k in yes_no_keys),
            "Các cột " + ", ".join(f"«{by_key[k].label}»" for k in yes_no_keys) + ": chọn Có hoặc Không.",
        ),
        _Check(
            "benefit_invalid",
            "Giá trị làm lợi không phải số hoặc là số âm",
            count(not_number_or(x := _rng("benefit"), f"{x}<0")),
            "Nhập số tiền bằng chữ số, không kèm chữ «đồng», ví dụ 1500000.",
        ),
        _Check(
            "nominated_disputed",
            "Sáng kiến đề xuất cấp trên nhưng đang có khiếu nại, tranh chấp",
            count(f"EXACT(TRIM({_rng('nominated')}),{YES_NAME})*EXACT(TRIM({_rng('disputed')}),{YES_NAME})"),
            "Không đề xuất sáng kiến đang có khiếu nại, tranh chấp: chọn «Không» ở cột Đề xuất cấp trên.",
        ),
        _Check(
            "nominations_over_quota",
            f"Số sáng kiến đề xuất cấp trên vượt quá {r.default_cdcs_nomination_quota:02d}",
            f"MAX(0,SUMPRODUCT(--EXACT(TRIM({_rng('nominated')}),{YES_NAME}))-DM_DE_XUAT_TOI_DA)",
            "Chỉ chọn «Có» ở cột Đề xuất cấp trên cho số sáng kiến được phân bổ "
            "(trừ khi công đoàn cấp trên có hướng dẫn khác).",
        ),
    ]
    assert tuple(c.key for c in checks) == _PROBLEM_KEYS
    return checks


def _pristine_counts(campaign: Campaign, values: dict[str, str]) -> dict[str, int]:
    """What the check formulas compute on a freshly generated file (no initiative, unit answers empty
    except the pre-filled cells). Written as cached results because LibreOffice, by default, shows cached
    results of an .xlsx without recalculating."""
    counts = {k: 0 for k in _PROBLEM_KEYS}
    counts["too_few_initiatives"] = campaign.rules.min_initiatives_per_unit
    counts["unit_missing"] = sum(1 for f in L.UNIT_FIELDS if f.required and not values.get(f.name))
    counts["initiatives"] = 0
    counts["total"] = sum(counts[k] for k in _PROBLEM_KEYS)
    return counts


def _overall(total: int) -> str:
    return OVERALL_OK if total == 0 else f"Chưa đạt – còn {total} lỗi"


def _unit_line(values: dict[str, str]) -> str:
    if not values.get("MA_DON_VI"):
        return "Đơn vị: (chưa có mã đơn vị)"
    return f"Đơn vị: {values.get('TEN_DON_VI', '')} – mã {values['MA_DON_VI']}"


# ------------------------------------------------------------------------------------------------------------
# Building the prepared workbook with XlsxWriter
# ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Slot:
    """A cell whose content differs per unit: written by XlsxWriter as a formatted blank, rendered later."""

    name: str
    sheet: str
    ref: str
    kind: str  # "text" | "number_formula" | "string_formula"
    formula: str = ""


_DOC_TITLE_SENTINEL = "@@SANGKIEN_DOC_TITLE@@"


class _Formats:
    """Cell formats, created once per distinct set of properties."""

    def __init__(self, wb: xlsxwriter.Workbook):
        self._wb = wb
        self._cache: dict[tuple, object] = {}

    def __call__(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self._cache:
            self._cache[key] = self._wb.add_format(props)
        return self._cache[key]


_BORDER = {"border": 1, "border_color": "#A6A6A6"}
_INPUT_BG = "#FFF2CC"
_LOCKED_BG = "#E7E6E6"
_HEADER_BG = "#1F4E78"
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0"


def _ok(code: int, what: str) -> None:
    if code not in (0, None):
        raise RuntimeError(f"XlsxWriter refused {what} (code {code})")


def _dv(ws, first_row: int, first_col: int, last_row: int, last_col: int, opts: dict) -> None:
    # Excel's limits; XlsxWriter would only warn and drop the validation.
    for key, limit in (("input_title", 32), ("error_title", 32), ("input_message", 255), ("error_message", 255)):
        if len(opts.get(key, "")) > limit:
            raise ValueError(f"data validation {key} longer than {limit}: {opts[key]!r}")
    opts = {k: (_nfc(v) if isinstance(v, str) else v) for k, v in opts.items()}
    _ok(ws.data_validation(first_row, first_col, last_row, last_col, opts), "a data validation")


def _text_height(text: str, width_chars: float, line_pt: float = 15.75) -> float:
    """Row height for wrapped text. Excel does not grow rows to wrapped text in files it did not lay out."""
    lines = 0
    for para in text.split("\n"):
        lines += max(1, -(-len(para) // max(1, int(width_chars * 1.05))))
    return round(lines * line_pt + 3, 2)


def _properties(campaign: Campaign) -> dict:
    return {
        "title": _DOC_TITLE_SENTINEL,
        "subject": _nfc(f"Chương trình “{campaign.name}” – báo cáo của công đoàn cơ sở"),
        "author": campaign.issuer,
        "company": campaign.issuer,
        "category": "Biểu mẫu công đoàn cơ sở",
        "keywords": _nfc(f"sáng kiến; CĐCS; {campaign.id}"),
        "comments": _nfc(
            f"Biểu mẫu phiên bản {L.TEMPLATE_VERSION}, đợt thi đua {campaign.id}. "
            "Tệp được tạo tự động từ danh sách đơn vị; không cần macro."
        ),
        # Fixed, campaign-derived: the same inputs must give the same bytes.
        "created": _dt.datetime.combine(campaign.deadlines.campaign_start, _dt.time(0, 0)),
    }


def _doc_title(campaign: Campaign, values: dict[str, str]) -> str:
    base = f"Báo cáo Chương trình “{campaign.name}”"
    if values.get("TEN_DON_VI"):
        return f"{base} – {values['TEN_DON_VI']}"
    return f"{base} – biểu mẫu trắng"


def _build_xlsx(campaign: Campaign) -> tuple[bytes, list[_Slot]]:
    """The workbook for ``campaign`` with every per-unit cell left as a formatted blank."""
    buf = io.BytesIO()
    slots: list[_Slot] = []
    with warnings.catch_warnings():
        # XlsxWriter reports refused input (too-long messages, bad ranges) only as warnings: fail instead.
        warnings.simplefilter("error")
        wb = xlsxwriter.Workbook(
            buf,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_format_properties": {"font_name": FONT_NAME, "font_size": FONT_SIZE},
                # Metrics of Times New Roman 12 (8 px digits, 21 px rows), so column widths come out right.
                "default_column_width": 72,
                "default_row_height": 21,
            },
        )
        wb.set_properties(_properties(campaign))
        fmt = _Formats(wb)
        sheets = {name: wb.add_worksheet(name) for name in SHEET_ORDER}
        _write_lists(campaign, wb, sheets[L.SHEET_LISTS], fmt)
        _write_guide(campaign, sheets[L.SHEET_GUIDE], fmt)
        _write_unit(campaign, wb, sheets[L.SHEET_UNIT], fmt, slots)
        _write_initiatives(campaign, sheets[L.SHEET_INITIATIVES], fmt)
        _write_check(campaign, sheets[L.SHEET_CHECK], fmt, slots)
        _write_meta(campaign, wb, sheets[L.SHEET_META], fmt, slots)
        sheets[L.SHEET_GUIDE].activate()
        wb.close()
    return buf.getvalue(), slots


def _title_rows(ws, fmt, last_col: int, title: str, subtitle: str, subtitle_height: float = 21) -> None:
    ws.merge_range(0, 0, 0, last_col, _nfc(title),
                   fmt(bold=True, font_size=14, font_color=_HEADER_BG, align="center", valign="vcenter"))
    ws.set_row(0, 26)
    ws.merge_range(1, 0, 1, last_col, _nfc(subtitle),
                   fmt(italic=True, align="center", valign="vcenter", text_wrap=True))
    ws.set_row(1, subtitle_height)


def _write_lists(campaign: Campaign, wb, ws, fmt) -> None:
    head = fmt(bold=True, bg_color="#DDEBF7", **_BORDER)
    lists = {"fields": campaign.fields, "blocs": campaign.blocs, "genders": campaign.genders, "yes_no": L.YES_NO}
    titles = {"fields": "Lĩnh vực", "blocs": "Khối", "genders": "Giới tính", "yes_no": "Có/Không"}
    for key, col in _LIST_COLUMNS.items():
        ws.write_string(0, col, titles[key], head)
        for i, value in enumerate(lists[key]):
            ws.write_string(1 + i, col, _nfc(value))
        c = column_letter(col + 1)
        wb.define_name(LIST_NAMES[key], f"={_q(L.SHEET_LISTS)}!${c}$2:${c}${1 + len(lists[key])}")
    wb.define_name(YES_NAME, f"={_q(L.SHEET_LISTS)}!$D${2 + L.YES_NO.index(L.YES)}")
    ws.write_string(0, _PARAM_LABEL_COL, "Thông số của đợt thi đua (dùng trong kiểm tra, không sửa)", head)
    ws.write_string(0, _PARAM_VALUE_COL, "Giá trị", head)
    date_fmt = fmt(num_format=DATE_FORMAT, align="left")
    for i, (name, label, value) in enumerate(_params(campaign), start=1):
        ws.write_string(i, _PARAM_LABEL_COL, _nfc(label))
        if isinstance(value, _dt.date):
            ws.write_datetime(i, _PARAM_VALUE_COL, _dt.datetime.combine(value, _dt.time()), date_fmt)
        else:
            ws.write_number(i, _PARAM_VALUE_COL, value, fmt(align="left"))
        wb.define_name(name, f"={_q(L.SHEET_LISTS)}!{_abs(i + 1, _PARAM_VALUE_COL + 1)}")
    ws.set_column(0, 0, 60)
    ws.set_column(1, 3, 20)
    ws.set_column(_PARAM_LABEL_COL, _PARAM_LABEL_COL, 55)
    ws.set_column(_PARAM_VALUE_COL, _PARAM_VALUE_COL, 14)
    ws.protect("", {"format_columns": True})
    ws.hide()


def _guide_text(campaign: Campaign) -> list[tuple[str, str]]:
    """(style, text) paragraphs of the instructions; style: h (heading), p (paragraph), b (bullet)."""
    r, d = campaign.rules, campaign.deadlines
    y_min, y_max = campaign.author_birth_year_range
    fields = [("b", f"{i}. {name}") for i, name in enumerate(campaign.fields, start=1)]
    blocs = " hoặc ".join(f"«{b}»" for b in campaign.blocs)
    return [
        ("h", "1. Biểu mẫu dùng để làm gì"),
        ("p", f"Công đoàn cơ sở (CĐCS) dùng biểu mẫu này để báo cáo công đoàn cấp trên trực tiếp cơ sở việc triển "
              f"khai Chương trình “{campaign.name}” và danh sách sáng kiến của đơn vị. Công đoàn cấp trên tổng hợp "
              f"các tệp gửi về và gửi hồ sơ đề xuất về {campaign.issuer}."),
        ("p", "Mỗi CĐCS nhận một tệp riêng, đã điền sẵn mã, tên đơn vị và công đoàn cấp trên. Không dùng tệp của "
              "đơn vị khác; không sao chép các trang tính sang tệp khác."),
        ("p", "Có thể mở bằng Microsoft Excel 2010 trở lên, LibreOffice Calc hoặc WPS Spreadsheets. Tệp không có "
              "macro, không cần cài thêm phần mềm."),
        ("h", "2. Các bước thực hiện"),
        ("b", "Bước 1 – Trang «Đơn vị»: nhập các ô nền vàng (thông tin người lập báo cáo và các cam kết triển khai "
              "Chương trình). Các ô nền xám đã điền sẵn và được khoá."),
        ("b", "Bước 2 – Trang «Sáng kiến»: mỗi sáng kiến nhập trên một dòng của bảng, bắt đầu từ dòng "
              f"{DATA_FIRST_ROW}. Bảng tự mở rộng khi nhập tiếp vào dòng ngay dưới bảng."),
        ("b", "Bước 3 – Trang «Kiểm tra»: xem kết quả kiểm tra tự động. Chỉ gửi khi dòng KẾT LUẬN hiện "
              f"«{OVERALL_OK}» (mọi dòng kiểm tra đều «{STATUS_OK}»); dòng nào «{STATUS_FIX}» thì sửa theo "
              "hướng dẫn ở cột «Cách sửa»."),
        ("b", f"Bước 4 – Lưu tệp (định dạng .xlsx) và gửi cho công đoàn cấp trên chậm nhất ngày "
              f"{_d(d.cdcs_submission_default)}, hoặc theo thời hạn công đoàn cấp trên thông báo."),
        ("h", "3. Quy định của Chương trình"),
        ("p", f"Sáng kiến thuộc một trong {len(campaign.fields)} lĩnh vực (cột «Lĩnh vực», chọn đúng tên):"),
        *fields,
        ("b", f"Khối: {blocs}."),
        ("b", f"Tên sáng kiến tối đa {_n(r.title_max_chars)} ký tự. Tóm tắt nội dung tối đa "
              f"{_n(r.description_max_chars)} ký tự (giới hạn của phần mềm Tổng Liên đoàn); có thể soạn trong "
              "Word rồi dán vào ô."),
        ("b", "Sáng kiến có thể được nghiên cứu, đề xuất từ trước nhưng phải bắt đầu áp dụng thực tế trong thời "
              f"gian từ {_d(r.application_start)} đến {_d(r.application_end)} (cột «Ngày bắt đầu áp dụng»)."),
        ("b", f"Mỗi CĐCS có ít nhất {r.min_initiatives_per_unit:02d} sáng kiến. Năm sinh của tác giả từ {y_min} "
              f"đến {y_max}."),
        ("b", "Cột «Đề xuất cấp trên»: chọn «Có» cho sáng kiến xuất sắc, tiêu biểu giới thiệu lên công đoàn cấp "
              f"trên, không quá {r.default_cdcs_nomination_quota:02d} sáng kiến, trừ khi công đoàn cấp trên phân "
              "bổ số lượng khác."),
        ("b", "Không đề xuất sáng kiến đang có khiếu nại về nội dung, kết quả đã được công nhận hoặc có tranh "
              "chấp về quyền tác giả (cột «Khiếu nại, tranh chấp» = «Có»)."),
        ("b", f"Sáng kiến cần được cập nhật vào phần mềm của {campaign.issuer_parent}; thời gian cập nhật cao "
              f"điểm từ {_d(d.entry_peak_start)} đến {_d(d.entry_close)}, phần mềm tự động đóng khi hết ngày "
              f"{_d(d.entry_close)}. Đã cập nhật thì chọn «Có» ở cột «Đã cập nhật phần mềm TLĐ»."),
        ("b", f"Công đoàn cấp trên gửi hồ sơ đề xuất về {campaign.issuer} trước ngày "
              f"{_d(d.district_dossier_before)}, vì vậy cần gửi báo cáo đúng hạn."),
        ("h", "4. Cách nhập dữ liệu"),
        ("b", "Ô có danh sách chọn: bấm vào ô, bấm mũi tên ▼ bên phải và chọn một giá trị. Không gõ giá trị khác "
              "danh sách; nếu gõ sai, chương trình báo lỗi và yêu cầu nhập lại."),
        ("b", f"Ngày nhập theo dạng dd/mm/yyyy, ví dụ 15/03/{campaign.year}. Nếu nhập đúng mà vẫn bị báo lỗi (máy "
              "tính cài định dạng ngày kiểu tháng/ngày/năm), hãy nhập theo dạng năm-tháng-ngày, ví dụ "
              f"{campaign.year}-03-15."),
        ("b", "Số tiền và số lượng nhập bằng chữ số, không kèm chữ «đồng», ví dụ 1500000; bảng tự hiển thị "
              "1.500.000."),
        ("b", "Số điện thoại nhập đủ các chữ số, kể cả số 0 ở đầu (các ô này đã được định dạng kiểu văn bản)."),
        ("b", "Khi dán (Paste) dữ liệu từ nơi khác, chương trình không kiểm tra ngay: hãy dùng «Dán giá trị» "
              "(Paste Special → Values) và xem lại trang «Kiểm tra»."),
        ("h", "5. Lưu ý quan trọng"),
        ("b", "Không đổi tên, xoá hoặc thêm trang tính; không đổi tên, xoá, chèn hay đổi thứ tự cột của bảng sáng "
              "kiến; không xoá dòng tiêu đề của bảng."),
        ("b", "Không sửa các ô đã khoá (mã, tên đơn vị, công đoàn cấp trên). Nếu thông tin đã điền sẵn bị sai, "
              "báo công đoàn cấp trên để được gửi lại biểu mẫu."),
        ("b", "Lưu tệp dạng Excel Workbook (.xlsx). Không lưu thành .xls, .ods, .csv hay PDF; không đặt mật khẩu "
              "mở tệp. Có thể đổi tên tệp nhưng nên giữ mã đơn vị ở đầu tên tệp."),
        ("b", "Trang «Kiểm tra» chỉ giúp đơn vị tự rà soát; công đoàn cấp trên sẽ kiểm tra lại toàn bộ khi nhận "
              "tệp và thông báo nếu cần bổ sung."),
    ]


def _write_guide(campaign: Campaign, ws, fmt) -> None:
    width = 110
    _title_rows(ws, fmt, 1, "HƯỚNG DẪN ĐIỀN BIỂU MẪU BÁO CÁO SÁNG KIẾN",
                f"Chương trình “{campaign.name}” – {campaign.issuer}", 36)
    styles = {
        "h": fmt(bold=True, font_color=_HEADER_BG, valign="vcenter"),
        "p": fmt(text_wrap=True, valign="top"),
        "b": fmt(text_wrap=True, valign="top", indent=1),
    }
    row = 3
    for style, text in _guide_text(campaign):
        text = _nfc(text)
        ws.write_string(row, 1, text, styles[style])
        ws.set_row(row, 24 if style == "h" else _text_height(text, width - (4 if style == "b" else 0)))
        row += 1
    ws.set_column(0, 0, 3)
    ws.set_column(1, 1, width)
    ws.hide_gridlines(2)
    ws.set_tab_color("#70AD47")
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")
    ws.protect("", {"format_columns": True, "format_rows": True})


def _unit_hint(campaign: Campaign, f: L.Field) -> str:
    r, d = campaign.rules, campaign.deadlines
    if f.locked:
        return "Điền sẵn theo danh sách đơn vị, ô đã khoá."
    if f.name == "KHOI":
        return "Chọn " + " hoặc ".join(campaign.blocs) + " (đã điền sẵn nếu có trong danh sách đơn vị)."
    if f.name == "SO_DOAN_VIEN":
        return f"Số nguyên từ 1 đến {_n(r.max_members_per_unit)}, ví dụ 45."
    if f.name == "NGAY_KY_KE_HOACH":
        return (f"dd/mm/yyyy, từ {_d(d.campaign_start)} đến {_d(r.application_end)}; "
                "bắt buộc nếu đã ký kế hoạch.")
    if f.name == "NGAY_GUI":
        return f"dd/mm/yyyy, ngày gửi tệp cho công đoàn cấp trên (hạn: {_d(d.cdcs_submission_default)})."
    if f.kind == L.Kind.YES_NO:
        return "Chọn Có hoặc Không."
    if f.kind == L.Kind.EMAIL:
        return "Không bắt buộc, ví dụ congdoan@example.vn."
    if f.name == "PHONG_TRAO_DAC_THU":
        return "Không bắt buộc; để trống nếu đơn vị chưa tổ chức phong trào thi đua đặc thù."
    if f.name == "NGUOI_LAP":
        return "Họ và tên người lập báo cáo."
    return f.hint


def _unit_validation(campaign: Campaign, f: L.Field) -> dict:
    r, d = campaign.rules, campaign.deadlines
    if f.locked:
        return {"validate": "any", "input_title": "Ô đã khoá",
                "input_message": "Thông tin điền sẵn theo danh sách đơn vị. Nếu sai, báo công đoàn cấp trên."}
    if f.kind == L.Kind.CHOICE:
        return {"validate": "list", "source": f"={LIST_NAMES[f.choices]}",
                "input_title": "Chọn trong danh sách",
                "input_message": "Bấm mũi tên ▼ và chọn: " + "; ".join(campaign.blocs) + ".",
                "error_title": "Giá trị không hợp lệ",
                "error_message": "Chỉ được chọn: " + "; ".join(campaign.blocs) + "."}
    if f.kind == L.Kind.YES_NO:
        return {"validate": "list", "source": f"={LIST_NAMES['yes_no']}",
                "input_title": "Chọn Có hoặc Không", "input_message": "Bấm mũi tên ▼ và chọn Có hoặc Không.",
                "error_title": "Giá trị không hợp lệ", "error_message": "Chỉ được chọn Có hoặc Không."}
    if f.kind == L.Kind.INT:
        return {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": "=DM_DOAN_VIEN_TOI_DA",
                "input_title": "Nhập số nguyên",
                "input_message": f"Số đoàn viên hiện có, từ 1 đến {_n(r.max_members_per_unit)}.",
                "error_title": "Số không hợp lệ",
                "error_message": f"Nhập số nguyên từ 1 đến {_n(r.max_members_per_unit)}, không kèm chữ."}
    if f.name == "NGAY_KY_KE_HOACH":
        window = f"từ {_d(d.campaign_start)} đến {_d(r.application_end)}"
        return {"validate": "date", "criteria": "between", "minimum": "=DM_BAT_DAU", "maximum": "=DM_AP_DUNG_DEN",
                "input_title": "Nhập ngày dd/mm/yyyy",
                "input_message": f"Ngày ký kế hoạch với thủ trưởng/người sử dụng lao động, {window}.",
                "error_title": "Ngày không hợp lệ",
                "error_message": f"Nhập ngày dạng dd/mm/yyyy {window}. Nếu máy báo lỗi với ngày đúng, "
                                 "nhập dạng 2021-03-15."}
    if f.kind == L.Kind.DATE:
        return {"validate": "date", "criteria": ">=", "value": "=DM_BAT_DAU",
                "input_title": "Nhập ngày dd/mm/yyyy",
                "input_message": f"Ngày gửi báo cáo, từ {_d(d.campaign_start)} trở đi.",
                "error_title": "Ngày không hợp lệ",
                "error_message": f"Nhập ngày dạng dd/mm/yyyy, từ {_d(d.campaign_start)} trở đi."}
    if f.kind == L.Kind.PHONE:
        return {"validate": "length", "criteria": "between", "minimum": "=DM_DT_TOI_THIEU",
                "maximum": "=DM_DT_TOI_DA", "input_title": "Số điện thoại",
                "input_message": "Nhập đủ các chữ số, kể cả số 0 ở đầu, ví dụ 0912345678.",
                "error_title": "Số điện thoại không hợp lệ",
                "error_message": f"Số điện thoại dài từ {TEXT_LIMITS['phone_min']} đến "
                                 f"{TEXT_LIMITS['phone_max']} ký tự."}
    if f.kind == L.Kind.EMAIL:
        c = unit_cell(f.name)
        return {"validate": "custom", "value": f'=AND(ISNUMBER(FIND("@",{c})),LEN({c})<=DM_EMAIL_TOI_DA)',
                "input_title": "Email (không bắt buộc)", "input_message": "Ví dụ: congdoan@example.vn.",
                "error_title": "Email không hợp lệ",
                "error_message": "Email phải có ký tự @, ví dụ congdoan@example.vn."}
    limit = "DM_PHONG_TRAO_TOI_DA" if f.name == "PHONG_TRAO_DAC_THU" else "DM_TEN_NGUOI_TOI_DA"
    n = TEXT_LIMITS["movement" if f.name == "PHONG_TRAO_DAC_THU" else "person_name"]
    return {"validate": "length", "criteria": "<=", "value": f"={limit}",
            "input_title": "Nhập văn bản", "input_message": _unit_hint(campaign, f),
            "error_title": "Quá dài", "error_message": f"Tối đa {n} ký tự."}


def _write_unit(campaign: Campaign, wb, ws, fmt, slots: list[_Slot]) -> None:
    _title_rows(ws, fmt, 3, "THÔNG TIN ĐƠN VỊ VÀ KẾT QUẢ TRIỂN KHAI CHƯƠNG TRÌNH",
                f"Chương trình “{campaign.name}” – năm {campaign.year}")
    head = fmt(bold=True, font_color="#FFFFFF", bg_color=_HEADER_BG, align="center", valign="vcenter",
               text_wrap=True, **_BORDER)
    header_row = L.UNIT_FIRST_ROW - 2  # 0-based row just above the first field
    for col, text in enumerate(("STT", "Nội dung", "Thông tin của đơn vị", "Hướng dẫn")):
        ws.write_string(header_row, col, text, head)
    ws.set_row(header_row, 24)
    label_fmt = fmt(text_wrap=True, valign="vcenter", **_BORDER)
    label_req = fmt(text_wrap=True, valign="vcenter", bold=True, **_BORDER)
    num_fmt = fmt(align="center", valign="vcenter", **_BORDER)
    hint_fmt = fmt(italic=True, font_color="#595959", font_size=11, text_wrap=True, valign="vcenter", **_BORDER)
    widths = {"label": 56, "value": 46, "hint": 42}
    for i, f in enumerate(L.UNIT_FIELDS):
        row0 = L.UNIT_FIRST_ROW - 1 + i
        col0 = L.UNIT_VALUE_COL - 1
        ws.write_number(row0, 0, i + 1, num_fmt)
        ws.write_string(row0, L.UNIT_LABEL_COL - 1, _nfc(f.label + (" (*)" if f.required else "")),
                        label_req if f.required else label_fmt)
        hint = _nfc(_unit_hint(campaign, f))
        ws.write_string(row0, col0 + 1, hint, hint_fmt)
        props = dict(valign="vcenter", text_wrap=True, bg_color=_LOCKED_BG if f.locked else _INPUT_BG,
                     locked=f.locked, **_BORDER)
        if f.kind == L.Kind.DATE:
            props.update(num_format=DATE_FORMAT, align="center")
        elif f.kind == L.Kind.INT:
            props.update(num_format=MONEY_FORMAT, align="center")
        elif f.kind == L.Kind.PHONE:
            props.update(num_format="@")
        elif f.kind in (L.Kind.YES_NO, L.Kind.CHOICE):
            props.update(align="center")
        cell_fmt = fmt(**props)
        ref = cell_ref(row0 + 1, col0 + 1)
        ws.write_blank(row0, col0, None, cell_fmt)
        if f.locked or f.name == "KHOI":
            slots.append(_Slot(f.name, L.SHEET_UNIT, ref, "text"))
        wb.define_name(f.name, f"={_q(L.SHEET_UNIT)}!{_abs(row0 + 1, col0 + 1)}")
        _dv(ws, row0, col0, row0, col0, _unit_validation(campaign, f))
        # Rows cannot grow with the per-unit value (the template is shared): leave two lines for names.
        value_lines = 2 if f.name in ("TEN_DON_VI", "TEN_CAP_TREN", "PHONG_TRAO_DAC_THU") else 1
        ws.set_row(row0, max(_text_height(f.label, widths["label"]), _text_height(hint, widths["hint"] * 1.1),
                             value_lines * 15.75 + 3, 21))
    note_row = L.UNIT_FIRST_ROW - 1 + len(L.UNIT_FIELDS) + 1
    ws.merge_range(note_row, 0, note_row, 3,
                   "(*) Bắt buộc. Ô nền vàng: đơn vị nhập; ô nền xám: điền sẵn, đã khoá. Sau khi nhập, xem trang "
                   "«Kiểm tra».", fmt(italic=True, text_wrap=True, valign="top"))
    ws.set_row(note_row, 36)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, widths["label"])
    ws.set_column(2, 2, widths["value"])
    ws.set_column(3, 3, widths["hint"])
    ws.freeze_panes(header_row + 1, 0)
    ws.set_tab_color("#FFC000")
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")
    # No password: the sheet is protected against slips, a user who knows what he does can unprotect it.
    ws.protect("", {"format_columns": True, "format_rows": True})


def _initiative_formats(fmt, f: L.Field):
    props = dict(valign="top")
    if f.kind == L.Kind.DATE:
        props.update(num_format=DATE_FORMAT, align="center")
    elif f.kind == L.Kind.MONEY:
        props.update(num_format=MONEY_FORMAT)
    elif f.kind in (L.Kind.YEAR, L.Kind.INT):
        props.update(num_format="0", align="center")
    elif f.kind == L.Kind.PHONE:
        # Text, so a leading 0 survives. Only here: a text-formatted cell in Excel shows "####" once it
        # holds more than 255 characters, which a description or a note easily does.
        props.update(num_format="@")
    elif f.kind in (L.Kind.YES_NO,):
        props.update(align="center")
    if f.kind in (L.Kind.TEXT, L.Kind.LONG_TEXT, L.Kind.CHOICE):
        props.update(text_wrap=True)
    return fmt(**props)


def _initiative_validation(campaign: Campaign, f: L.Field) -> dict:
    r = campaign.rules
    y_min, y_max = campaign.author_birth_year_range
    title = f.label[:32]
    if f.kind == L.Kind.CHOICE or f.kind == L.Kind.YES_NO:
        values = L.YES_NO if f.kind == L.Kind.YES_NO else getattr(campaign, f.choices)
        name = LIST_NAMES["yes_no" if f.kind == L.Kind.YES_NO else f.choices]
        shown = "; ".join(values)
        prompt = "Bấm mũi tên ▼ và chọn: " + shown + "."
        if len(prompt) > 255:
            prompt = "Bấm mũi tên ▼ và chọn một giá trị trong danh sách."
        error = "Chỉ được chọn một giá trị trong danh sách: " + shown + "."
        if len(error) > 255:
            error = "Chỉ được chọn một giá trị trong danh sách thả xuống (bấm mũi tên ▼)."
        extra = {
            "nominated": " Chọn Có cho sáng kiến giới thiệu lên công đoàn cấp trên.",
            "disputed": " Có = đang có khiếu nại về nội dung, kết quả hoặc tranh chấp quyền tác giả.",
            "entered_tld": " Có = đã cập nhật vào phần mềm của Tổng Liên đoàn.",
            "assessed": " Có = đã được chuyên môn đánh giá, thẩm định.",
        }.get(f.key, "")
        return {"validate": "list", "source": f"={name}", "input_title": title,
                "input_message": (prompt + extra)[:255], "error_title": "Giá trị không hợp lệ",
                "error_message": error}
    if f.kind == L.Kind.LONG_TEXT:
        n = _n(r.description_max_chars)
        return {"validate": "length", "criteria": "<=", "value": "=DM_GIOI_HAN_TOM_TAT", "input_title": title,
                "input_message": f"Tóm tắt nội dung sáng kiến, tối đa {n} ký tự (giới hạn của phần mềm Tổng "
                                 "Liên đoàn). Có thể soạn trong Word rồi dán vào.",
                "error_title": "Tóm tắt quá dài",
                "error_message": f"Tóm tắt nội dung tối đa {n} ký tự. Hãy rút gọn rồi nhập lại."}
    if f.kind == L.Kind.DATE:
        window = f"từ {_d(r.application_start)} đến {_d(r.application_end)}"
        return {"validate": "date", "criteria": "between", "minimum": "=DM_AP_DUNG_TU",
                "maximum": "=DM_AP_DUNG_DEN", "input_title": title,
                "input_message": f"Ngày bắt đầu áp dụng thực tế, dạng dd/mm/yyyy, {window}.",
                "error_title": "Ngày không hợp lệ",
                "error_message": f"Nhập ngày dạng dd/mm/yyyy {window}. Nếu máy báo lỗi với ngày đúng, "
                                 "nhập dạng 2021-03-15."}
    if f.kind == L.Kind.YEAR:
        return {"validate": "integer", "criteria": "between", "minimum": "=DM_NAM_SINH_TU",
                "maximum": "=DM_NAM_SINH_DEN", "input_title": title,
                "input_message": f"Năm sinh của tác giả, 4 chữ số, từ {y_min} đến {y_max}.",
                "error_title": "Năm sinh không hợp lệ",
                "error_message": f"Nhập năm sinh 4 chữ số từ {y_min} đến {y_max}."}
    if f.kind == L.Kind.MONEY:
        return {"validate": "decimal", "criteria": ">=", "value": 0, "input_title": title,
                "input_message": "Số tiền làm lợi ước tính (đồng), chỉ nhập chữ số, ví dụ 1500000. "
                                 "Để trống nếu không tính được.",
                "error_title": "Số tiền không hợp lệ",
                "error_message": "Nhập số không âm, chỉ gồm chữ số, không kèm chữ «đồng»."}
    if f.kind == L.Kind.PHONE:
        return {"validate": "length", "criteria": "between", "minimum": "=DM_DT_TOI_THIEU",
                "maximum": "=DM_DT_TOI_DA", "input_title": title,
                "input_message": "Số điện thoại của tác giả (không bắt buộc), nhập đủ số 0 ở đầu.",
                "error_title": "Số điện thoại không hợp lệ",
                "error_message": f"Số điện thoại dài từ {TEXT_LIMITS['phone_min']} đến "
                                 f"{TEXT_LIMITS['phone_max']} ký tự."}
    if f.kind == L.Kind.INT:  # STT
        return {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": "=DM_SK_TOI_DA",
                "input_title": title, "input_message": "Số thứ tự của sáng kiến: 1, 2, 3…",
                "error_title": "Số thứ tự không hợp lệ",
                "error_message": f"Nhập số nguyên từ 1 đến {_n(r.max_initiatives_per_unit)}."}
    limits = {
        "title": ("DM_GIOI_HAN_TEN", r.title_max_chars, "Tên sáng kiến, ngắn gọn, rõ nội dung."),
        "author": ("DM_TEN_NGUOI_TOI_DA", TEXT_LIMITS["person_name"], "Họ và tên tác giả chính."),
        "position": ("DM_CHUC_VU_TOI_DA", TEXT_LIMITS["position"], "Chức vụ hoặc nghề nghiệp của tác giả."),
        "coauthors": ("DM_DONG_TAC_GIA_TOI_DA", TEXT_LIMITS["coauthors"],
                      "Họ tên các đồng tác giả, cách nhau bởi dấu phẩy; để trống nếu không có."),
        "note": ("DM_GHI_CHU_TOI_DA", TEXT_LIMITS["note"], "Ghi chú thêm (không bắt buộc)."),
    }
    name, n, prompt = limits[f.key]
    return {"validate": "length", "criteria": "<=", "value": f"={name}", "input_title": title,
            "input_message": f"{prompt} Tối đa {_n(n)} ký tự.", "error_title": "Quá dài",
            "error_message": f"«{f.label}» tối đa {_n(n)} ký tự."}


def _write_initiatives(campaign: Campaign, ws, fmt) -> None:
    r = campaign.rules
    ncols = len(L.INITIATIVE_FIELDS)
    _title_rows(
        ws, fmt, 10, f"DANH SÁCH SÁNG KIẾN – CHƯƠNG TRÌNH “{campaign.name.upper()}”",
        "Mỗi dòng một sáng kiến. Các ô có mũi tên ▼: chọn trong danh sách. Tóm tắt nội dung tối đa "
        f"{_n(r.description_max_chars)} ký tự; ngày bắt đầu áp dụng từ {_d(r.application_start)} đến "
        f"{_d(r.application_end)}. Không đổi tên, xoá hay chèn cột.", 36)
    header_fmt = fmt(bold=True, text_wrap=True, align="center", valign="vcenter")
    columns = []
    first0 = L.TABLE_HEADER_ROW - 1
    for c, f in enumerate(L.INITIATIVE_FIELDS):
        cell_fmt = _initiative_formats(fmt, f)
        columns.append({"header": _nfc(f.label), "header_format": header_fmt, "format": cell_fmt})
        # Column format: rows typed below the prepared ones get the same number format in Excel/LibreOffice.
        ws.set_column(c, c, f.width, cell_fmt)
        # XlsxWriter applies a table column's format only to data it writes: write the blanks ourselves,
        # so the prepared rows carry it (and tools like openpyxl keep it when filling).
        for row0 in range(first0 + 1, first0 + 1 + L.TABLE_PREPARED_ROWS):
            ws.write_blank(row0, c, None, cell_fmt)
        _dv(ws, DATA_FIRST_ROW - 1, c, DATA_LAST_ROW - 1, c, _initiative_validation(campaign, f))
    _ok(ws.add_table(first0, 0, first0 + L.TABLE_PREPARED_ROWS, ncols - 1, {
        "name": L.TABLE_NAME,
        "style": "Table Style Medium 2",
        "columns": columns,
        "autofilter": True,
    }), "the initiatives table")
    ws.set_row(first0, 48)
    ws.freeze_panes(L.TABLE_HEADER_ROW, 2)
    ws.set_tab_color("#4472C4")
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(first0)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.3, right=0.3, top=0.5, bottom=0.5)
    ws.set_footer("&CTrang &P/&N")


def _write_check(campaign: Campaign, ws, fmt, slots: list[_Slot]) -> None:
    _title_rows(ws, fmt, 4, "KIỂM TRA TRƯỚC KHI GỬI",
                "Trang này tự động kiểm tra dữ liệu đã nhập (không cần sửa gì ở đây). Chỉ gửi khi KẾT LUẬN là "
                f"«{OVERALL_OK}».", 36)
    unit_line_fmt = fmt(bold=True, align="center", valign="vcenter")
    unit_line = (
        f'IF(LEN(TRIM({_unit_ref("MA_DON_VI")}))=0,"Đơn vị: (chưa có mã đơn vị)",'
        f'"Đơn vị: "&{_unit_ref("TEN_DON_VI")}&" – mã "&{_unit_ref("MA_DON_VI")})'
    )
    ws.merge_range(CHECK_UNIT_LINE_ROW - 1, 0, CHECK_UNIT_LINE_ROW - 1, 4, None, unit_line_fmt)
    slots.append(_Slot("check_unit_line", L.SHEET_CHECK, cell_ref(CHECK_UNIT_LINE_ROW, 1), "string_formula",
                       unit_line))
    label = fmt(text_wrap=True, valign="vcenter", **_BORDER)
    bold_label = fmt(bold=True, text_wrap=True, valign="vcenter", **_BORDER)
    count_fmt = fmt(bold=True, align="center", valign="vcenter", num_format="#,##0", **_BORDER)
    status_fmt = fmt(bold=True, align="center", valign="vcenter", **_BORDER)
    fix_fmt = fmt(italic=True, font_size=11, font_color="#595959", text_wrap=True, valign="vcenter", **_BORDER)
    center = fmt(align="center", valign="vcenter", **_BORDER)
    c0, s0 = CHECK_COUNT_COL - 1, CHECK_STATUS_COL - 1
    counts = _pristine_counts(campaign, {})  # static cells only: the unit-dependent ones are slots

    # Information line and the overall conclusion, above the table of checks.
    init_row = CHECK_ROWS["initiatives"] - 1
    ws.write_string(init_row, 1, "Số sáng kiến đã nhập (dòng có Tên sáng kiến)", bold_label)
    ws.write_formula(init_row, c0, f"=SUMPRODUCT({_nonempty(_rng('title'))}*1)", count_fmt, 0)
    ws.merge_range(init_row, s0, init_row, s0 + 1,
                   f"Tối thiểu {campaign.rules.min_initiatives_per_unit:02d} sáng kiến/CĐCS", fix_fmt)
    total_row = CHECK_ROWS["total"] - 1
    ws.write_string(total_row, 1, "KẾT LUẬN (tổng số lỗi)", bold_label)
    total_formula = f"SUM({cell_ref(CHECK_FIRST_ROW, CHECK_COUNT_COL)}:{cell_ref(CHECK_LAST_ROW, CHECK_COUNT_COL)})"
    ws.write_blank(total_row, c0, None, count_fmt)
    slots.append(_Slot("check_total", L.SHEET_CHECK, cell_ref(total_row + 1, CHECK_COUNT_COL), "number_formula",
                       total_formula))
    total_ref = cell_ref(total_row + 1, CHECK_COUNT_COL)
    overall = f'IF({total_ref}=0,"{OVERALL_OK}","Chưa đạt – còn "&{total_ref}&" lỗi")'
    ws.merge_range(total_row, s0, total_row, s0 + 1, None, status_fmt)
    slots.append(_Slot("check_overall", L.SHEET_CHECK, cell_ref(total_row + 1, CHECK_STATUS_COL),
                       "string_formula", overall))
    ws.set_row(total_row, 26)

    head = fmt(bold=True, font_color="#FFFFFF", bg_color=_HEADER_BG, align="center", valign="vcenter",
               text_wrap=True, **_BORDER)
    for col, text in enumerate(("STT", "Nội dung kiểm tra", "Số lỗi", "Kết quả", "Cách sửa")):
        ws.write_string(CHECK_HEADER_ROW - 1, col, text, head)
    for i, check in enumerate(_checks(campaign)):
        row0 = CHECK_ROWS[check.key] - 1
        assert row0 == CHECK_FIRST_ROW - 1 + i
        ws.write_number(row0, 0, i + 1, center)
        ws.write_string(row0, 1, _nfc(check.label), label)
        status = f'IF({cell_ref(row0 + 1, CHECK_COUNT_COL)}=0,"{STATUS_OK}","{STATUS_FIX}")'
        if check.key == "unit_missing":
            ws.write_blank(row0, c0, None, count_fmt)
            ws.write_blank(row0, s0, None, status_fmt)
            slots.append(_Slot("check_unit_missing", L.SHEET_CHECK, cell_ref(row0 + 1, CHECK_COUNT_COL),
                               "number_formula", check.formula))
            slots.append(_Slot("check_unit_missing_status", L.SHEET_CHECK, cell_ref(row0 + 1, CHECK_STATUS_COL),
                               "string_formula", status))
        else:
            n = counts[check.key]
            ws.write_formula(row0, c0, "=" + check.formula, count_fmt, n)
            ws.write_formula(row0, s0, "=" + status, status_fmt, STATUS_OK if n == 0 else STATUS_FIX)
        fix = _nfc(check.fix)
        ws.write_string(row0, 4, fix, fix_fmt)
        ws.set_row(row0, max(_text_height(check.label, 50), _text_height(fix, 52 * 1.1, 15), 21))

    green = fmt(bg_color="#C6EFCE", font_color="#006100")
    red = fmt(bg_color="#FFC7CE", font_color="#9C0006")
    count_letter, status_letter = column_letter(CHECK_COUNT_COL), column_letter(CHECK_STATUS_COL)
    status_range = f"{status_letter}{CHECK_FIRST_ROW}:{status_letter}{CHECK_LAST_ROW}"
    ws.conditional_format(status_range, {"type": "cell", "criteria": "==", "value": f'"{STATUS_OK}"',
                                         "format": green})
    ws.conditional_format(status_range, {"type": "cell", "criteria": "==", "value": f'"{STATUS_FIX}"',
                                         "format": red})
    count_range = f"{count_letter}{CHECK_FIRST_ROW}:{count_letter}{CHECK_LAST_ROW}"
    ws.conditional_format(count_range, {"type": "cell", "criteria": ">", "value": 0, "format": red})
    total_abs = _abs(total_row + 1, CHECK_COUNT_COL)
    overall_range = f"{count_letter}{total_row + 1}:{column_letter(CHECK_STATUS_COL + 1)}{total_row + 1}"
    ws.conditional_format(overall_range, {"type": "formula", "criteria": f"={total_abs}=0", "format": green})
    ws.conditional_format(overall_range, {"type": "formula", "criteria": f"={total_abs}>0", "format": red})
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 50)
    ws.set_column(2, 2, 9)
    ws.set_column(3, 3, 12)
    ws.set_column(4, 4, 52)
    ws.freeze_panes(CHECK_HEADER_ROW, 0)
    ws.set_tab_color("#C00000")
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")
    ws.protect("", {"format_columns": True, "format_rows": True})


def _write_meta(campaign: Campaign, wb, ws, fmt, slots: list[_Slot]) -> None:
    text = fmt(num_format="@")
    labels = {"template_version": "Phiên bản biểu mẫu", "campaign_id": "Đợt thi đua", "unit_code": "Mã đơn vị"}
    values = {"template_version": L.TEMPLATE_VERSION, "campaign_id": campaign.id}
    for key, ref in L.STAMP_CELLS.items():
        row, col = parse_ref(ref)
        ws.write_string(row - 1, col - 2, labels[key])
        if key == "unit_code":
            ws.write_blank(row - 1, col - 1, None, text)
            slots.append(_Slot("stamp_unit_code", L.SHEET_META, ref, "text"))
        else:
            ws.write_string(row - 1, col - 1, values[key], text)
        wb.define_name(L.STAMP_NAMES[key], f"={_q(L.SHEET_META)}!{_abs(row, col)}")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 30)
    ws.protect("")
    # Very hidden: not listed in Excel's "Unhide" dialog, so the stamp is not changed by accident.
    ws.very_hidden()


# ------------------------------------------------------------------------------------------------------------
# The prepared template: pre-compressed zip members plus slots
# ------------------------------------------------------------------------------------------------------------
# 1980-01-01 00:00, the zip epoch: the same for every file and run.
@dataclass(frozen=True)
class _Member:
    name: str
    # Static member: raw deflate stream, crc and size, computed once.
    deflated: bytes = b""
    crc: int = 0
    size: int = 0
    # Member with slots: bytes pieces and slot names, in order.
    pieces: tuple[bytes | str, ...] = ()


class PreparedTemplate:
    """The workbook of one campaign, ready to be stamped for any unit in well under a millisecond."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        xlsx, slots = _build_xlsx(campaign)
        self._slots = {s.name: s for s in slots}
        self._styles: dict[str, str] = {}  # slot name -> style index XlsxWriter gave the blank cell
        part_of_sheet = {name: f"xl/worksheets/sheet{i}.xml" for i, name in enumerate(SHEET_ORDER, start=1)}
        by_part: dict[str, list[_Slot]] = {}
        for s in slots:
            by_part.setdefault(part_of_sheet[s.sheet], []).append(s)
        members: list[_Member] = []
        with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
            for info in zf.infolist():
                data = zf.read(info)
                if info.filename in by_part:
                    pieces = self._split_cells(data, by_part[info.filename])
                elif info.filename == "xl/sharedStrings.xml":
                    pieces = self._split_shared_strings(data)
                elif info.filename == "docProps/core.xml":
                    pieces = self._split_sentinel(data)
                else:
                    members.append(_Member(info.filename, deflate(data), zlib.crc32(data), len(data)))
                    continue
                members.append(_Member(info.filename, pieces=pieces))
        if len(members) != len({m.name for m in members}) or not any(m.name == "xl/sharedStrings.xml"
                                                                       for m in members):
            raise RuntimeError("unexpected workbook parts from XlsxWriter")
        self._members = tuple(members)

    def _split_cells(self, data: bytes, slots: list[_Slot]) -> tuple[bytes | str, ...]:
        spans = []
        for s in slots:
            pattern = re.compile(rb'<c r="' + s.ref.encode() + rb'" s="(\d+)"/>')
            found = list(pattern.finditer(data))
            if len(found) != 1:
                raise RuntimeError(f"slot {s.name}: expected one blank cell {s.ref}, found {len(found)}")
            self._styles[s.name] = found[0].group(1).decode()
            spans.append((found[0].start(), found[0].end(), s.name))
        spans.sort()
        pieces: list[bytes | str] = []
        pos = 0
        for start, end, name in spans:
            pieces += [data[pos:start], name]
            pos = end
        pieces.append(data[pos:])
        return tuple(pieces)

    def _split_shared_strings(self, data: bytes) -> tuple[bytes | str, ...]:
        # Per-unit text goes into the shared string table, as Excel itself would store it: every reader
        # (openpyxl included, which ignores the _xHHHH_ escape in inline strings) then reads it back exactly.
        head = re.search(rb'count="(\d+)" uniqueCount="(\d+)"', data)
        end = data.rfind(b"</sst>")
        if head is None or end < 0:
            raise RuntimeError("unexpected shared strings part from XlsxWriter")
        self._sst_count, self._sst_unique = int(head.group(1)), int(head.group(2))
        root = ElementTree.fromstring(data)
        ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        self._sst_index: dict[str, int] = {}
        for i, si in enumerate(root.findall(f"{ns}si")):
            self._sst_index.setdefault("".join(t.text or "" for t in si.iter(f"{ns}t")), i)
        if len(self._sst_index) > self._sst_unique:
            raise RuntimeError("shared strings count mismatch")
        return data[: head.start()], "sst_counts", data[head.end(): end], "sst_extra", data[end:]

    @staticmethod
    def _split_sentinel(data: bytes) -> tuple[bytes | str, ...]:
        sentinel = _DOC_TITLE_SENTINEL.encode()
        if data.count(sentinel) != 1:
            raise RuntimeError("document title placeholder not found exactly once in docProps/core.xml")
        before, after = data.split(sentinel)
        return before, "doc_title", after

    # -- rendering --------------------------------------------------------------------------------------
    def slot_values(self, unit: Cdcs | None, district: District | None) -> dict[str, object]:
        """Cell values of the slots for ``unit`` (None: the blank template)."""
        identity = unit_identity(self.campaign, unit, district)
        counts = _pristine_counts(self.campaign, identity)
        values: dict[str, object] = dict(identity)
        values.update(
            stamp_unit_code=identity["MA_DON_VI"],
            check_unit_line=_unit_line(identity),
            check_unit_missing=counts["unit_missing"],
            check_unit_missing_status=STATUS_OK if counts["unit_missing"] == 0 else STATUS_FIX,
            check_total=counts["total"],
            check_overall=_overall(counts["total"]),
        )
        return values

    def _rendered_pieces(self, unit: Cdcs | None, district: District | None) -> dict[str, str]:
        values = self.slot_values(unit, district)
        out: dict[str, str] = {}
        index = dict(self._sst_index)
        extra: list[str] = []
        refs = 0
        for name, slot in self._slots.items():
            style, value = self._styles[name], values[name]
            if slot.kind == "text":
                text = "" if value is None else _nfc(str(value))
                if not text:
                    out[name] = f'<c r="{slot.ref}" s="{style}"/>'
                    continue
                if len(text) > 32767:
                    raise ValueError(f"cell text longer than Excel's 32,767 characters: {text[:60]}…")
                if text not in index:
                    index[text] = self._sst_unique + len(extra)
                    extra.append(f'<si><t xml:space="preserve">{_xml_text(text)}</t></si>')
                refs += 1
                out[name] = f'<c r="{slot.ref}" s="{style}" t="s"><v>{index[text]}</v></c>'
            elif slot.kind == "number_formula":
                out[name] = f'<c r="{slot.ref}" s="{style}"><f>{_xml_escape(slot.formula)}</f><v>{int(value)}</v></c>'
            else:
                out[name] = (f'<c r="{slot.ref}" s="{style}" t="str"><f>{_xml_escape(slot.formula)}</f>'
                             f"<v>{_xml_text(str(value))}</v></c>")
        out["sst_counts"] = f'count="{self._sst_count + refs}" uniqueCount="{self._sst_unique + len(extra)}"'
        out["sst_extra"] = "".join(extra)
        out["doc_title"] = _xml_escape(_doc_title(self.campaign, unit_identity(self.campaign, unit, district)))
        return out

    def render(self, unit: Cdcs | None, district: District | None = None) -> bytes:
        """The .xlsx bytes for ``unit`` (None: the blank template)."""
        rendered = self._rendered_pieces(unit, district)
        members = []
        for m in self._members:
            if m.pieces:
                raw = b"".join(p if isinstance(p, bytes) else rendered[p].encode("utf-8") for p in m.pieces)
                members.append(ZipMember.from_data(m.name, raw))
            else:
                members.append(ZipMember(m.name, m.deflated, m.crc, m.size))
        return zip_bytes(members)


def unit_identity(campaign: Campaign, unit: Cdcs | None, district: District | None) -> dict[str, str]:
    """The pre-filled cells of ``Đơn vị`` for ``unit`` (all empty for the blank template)."""
    if unit is None:
        return {"MA_DON_VI": "", "TEN_DON_VI": "", "MA_CAP_TREN": "", "TEN_CAP_TREN": "", "KHOI": ""}
    if district is not None and district.code != unit.parent:
        raise ValueError(f"unit {unit.code} belongs to {unit.parent}, not to {district.code}")
    bloc = _nfc(unit.bloc.strip())
    return {
        "MA_DON_VI": _nfc(unit.code),
        "TEN_DON_VI": _nfc(unit.name),
        "MA_CAP_TREN": _nfc(unit.parent),
        "TEN_CAP_TREN": _nfc(district.name) if district else "",
        # Only a value the dropdown accepts: a registry bloc outside the campaign list is left for the user.
        "KHOI": bloc if bloc in campaign.blocs else "",
    }


@lru_cache(maxsize=4)
def prepare(campaign: Campaign) -> PreparedTemplate:
    """The prepared template of ``campaign`` (built once per campaign and process)."""
    return PreparedTemplate(campaign)


# ------------------------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------------------------
def build_template(campaign: Campaign, unit: Cdcs | None, district: District | None, path: str | Path) -> Path:
    """Write the workbook of ``unit`` (or the blank template if ``unit`` is None) to ``path``."""
    path = Path(path)
    data = prepare(campaign).render(unit, district)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def build_blank(campaign: Campaign, path: str | Path) -> Path:
    """Write the blank template (no unit pre-filled) to ``path``."""
    return build_template(campaign, None, None, path)


_UNIT_PREFIXES = ("công đoàn cơ sở ", "cđcs ")


def _code_part(code: str, fallback: str) -> str:
    safe = ascii_name(code, 40).replace(" ", "-") or fallback
    if safe != code:
        # Lossy ("A/1" and "A-1" would meet): a short digest of the real code keeps names distinct while
        # staying a pure function of the unit, so a caller can find a unit's file without a listing.
        safe += "~" + hashlib.sha1(code.encode("utf-8")).hexdigest()[:6]
    return safe


def unit_file_name(unit: Cdcs) -> str:
    """``<code> - <short ASCII name>.xlsx``: sorts by code, readable, safe on every file system."""
    name = unit.name
    for prefix in _UNIT_PREFIXES:
        if name.lower().startswith(prefix):
            name = name[len(prefix):]
            break
    code = _code_part(unit.code, "don-vi")
    short = ascii_name(name)
    return f"{code} - {short}.xlsx" if short else f"{code}.xlsx"


def district_folder_name(code: str) -> str:
    return _code_part(code, "cap-tren")


def template_path_for(out_dir: str | Path, unit: Cdcs) -> Path:
    """Where ``generate_templates(..., out_dir)`` writes the workbook of ``unit``."""
    return Path(out_dir) / district_folder_name(unit.parent) / unit_file_name(unit)


def generate_templates(
    campaign: Campaign,
    registry: Registry,
    out_dir: str | Path,
    *,
    district_code: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    include_blank: bool = True,
) -> list[Path]:
    """Write the blank template (``out_dir/mau-trang.xlsx``) and one workbook per CĐCS, in a sub-folder per
    district-level union (``out_dir/<district code>/<code> - <name>.xlsx``); only the CĐCS of
    ``district_code`` if given. Returns the paths written, blank first, then in registry order."""
    out = Path(out_dir)
    if district_code is not None:
        registry.district(district_code)  # raises RegistryError with the known codes
        units = registry.cdcs_of(district_code)
    else:
        units = list(registry.cdcs)
    targets = [(unit, template_path_for(out, unit)) for unit in units]
    # Checked before anything is written: codes differing only in case would share one file on Windows and
    # macOS disks, and one unit would silently get another's workbook.
    seen: dict[str, Cdcs] = {}
    for unit, path in targets:
        other = seen.setdefault(str(path).casefold(), unit)
        if other is not unit:
            raise RegistryError(f"Mã đơn vị '{other.code}' và '{unit.code}' chỉ khác nhau chữ hoa/chữ thường; "
                                "hãy sửa danh sách đơn vị để mỗi mã là duy nhất.")
    prepared = prepare(campaign)
    total = len(targets) + (1 if include_blank else 0)
    written: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    if include_blank:
        path = out / BLANK_FILE_NAME
        write_bytes_fast(path, prepared.render(None))
        written.append(path)
        if progress:
            progress(len(written), total)
    for folder in sorted({path.parent for _, path in targets}):
        folder.mkdir(parents=True, exist_ok=True)
    for unit, path in targets:
        write_bytes_fast(path, prepared.render(unit, registry.district_by_code.get(unit.parent)))
        written.append(path)
        if progress:
            progress(len(written), total)
    return written
