"""The «Kiểm tra» formulas: one count per check, written only with functions Excel 2010, LibreOffice and WPS
all compute (no dynamic arrays, no IF over arrays inside SUMPRODUCT).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from addin.cdcs.template.layout import (
    OVERALL_OK,
    PROBLEM_KEYS,
    REQUIRED_INITIATIVE_KEYS,
    YES_NAME,
    check_cell,
    column_range,
    fmt_date,
    fmt_int,
    list_cells,
    unit_ref,
)
from validators import layout as L
from validators.campaign import Campaign


# ------------------------------------------------------------------------------------------------------------
# The check formulas
# ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    key: str
    label: str
    formula: str  # without the leading "="
    fix: str


def nonempty(x: str) -> str:
    return f"(LEN(TRIM({x}))>0)"


def empty(x: str) -> str:
    return f"(LEN(TRIM({x}))=0)"


def in_list(x: str, cells: Sequence[str]) -> str:
    """1 if TRIM(x) equals one list cell exactly (EXACT: case and diacritics matter, as for the validator),
    else 0. Works on a range inside SUMPRODUCT."""
    return "(" + "+".join(f"EXACT(TRIM({x}),{c})" for c in cells) + ")"


def build_checks(campaign: Campaign) -> list[Check]:
    r, d = campaign.rules, campaign.deadlines
    lists = {
        "fields": list_cells("fields", len(campaign.fields)),
        "blocs": list_cells("blocs", len(campaign.blocs)),
        "genders": list_cells("genders", len(campaign.genders)),
        "yes_no": list_cells("yes_no", len(L.YES_NO)),
    }
    init_count = check_cell("initiatives")
    title = column_range("title")
    by_key = {f.key: f for f in L.INITIATIVE_FIELDS}
    y_min, y_max = campaign.author_birth_year_range

    # Unit sheet: required cells left empty, and values a paste could have slipped past the validation.
    required_unit = [f.name for f in L.UNIT_FIELDS if f.required]
    unit_missing = "+".join(empty(unit_ref(n)) for n in required_unit)
    invalid_terms = []
    for f in L.UNIT_FIELDS:
        x = unit_ref(f.name)
        # Nested IFs, not AND(ISNUMBER(x), x=INT(x), ...): AND evaluates every argument, and INT of a text
        # is #VALUE!, which would poison the whole sum. IF evaluates only the branch it takes.
        if f.kind == L.Kind.CHOICE:
            test = f"IF({in_list(x, lists[f.choices])}>0,0,1)"
        elif f.kind == L.Kind.YES_NO:
            test = f"IF({in_list(x, lists['yes_no'])}>0,0,1)"
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
        invalid_terms.append(f"IF({empty(x)},0,{test})")
    unit_invalid = "+".join(invalid_terms)

    # Inside SUMPRODUCT, IF does not evaluate arrays in Excel 2010 without Ctrl+Shift+Enter, and INT/VALUE
    # on text raise #VALUE!: so the formulas below use only booleans multiplied together, LEN/TRIM/EXACT,
    # ISNUMBER, and comparisons (which never fail, text vs number just compares as larger).
    def count(expr: str) -> str:
        return f"SUMPRODUCT({expr})"

    def in_list_problems(key: str, list_name: str) -> str:
        x = column_range(key)
        return f"{nonempty(x)}*({in_list(x, lists[list_name])}=0)"

    def not_number_or(x: str, bad: str) -> str:
        return f"{nonempty(x)}*(1-ISNUMBER({x}))+ISNUMBER({x})*(({bad})>0)"

    content_keys = [f.key for f in L.INITIATIVE_FIELDS if f.key not in L.NON_CONTENT_KEYS and f.key != "title"]
    others = "&".join(column_range(k) for k in content_keys)
    fields_text = "; ".join(campaign.fields)
    yes_no_keys = [f.key for f in L.INITIATIVE_FIELDS if f.kind == L.Kind.YES_NO]

    checks = [
        Check(
            "too_few_initiatives",
            f"Số sáng kiến còn thiếu so với mức tối thiểu ({r.min_initiatives_per_unit:02d} sáng kiến/CĐCS)",
            f"MAX(0,DM_SK_TOI_THIEU-{init_count})",
            "Nhập thêm sáng kiến vào trang «Sáng kiến».",
        ),
        Check(
            "too_many_initiatives",
            f"Số sáng kiến vượt quá {fmt_int(r.max_initiatives_per_unit)} dòng của một CĐCS",
            f"MAX(0,{init_count}-DM_SK_TOI_DA)",
            "Xoá các dòng thừa hoặc trùng.",
        ),
        Check(
            "unit_missing",
            "Thông tin đơn vị, cam kết bắt buộc còn để trống",
            unit_missing,
            "Điền đủ các ô nền vàng trên trang «Đơn vị» (trừ các ô ghi «không bắt buộc»).",
        ),
        Check(
            "unit_invalid",
            "Ô trên trang «Đơn vị» có giá trị không hợp lệ",
            unit_invalid,
            "Chọn giá trị trong danh sách; ngày nhập dd/mm/yyyy; số đoàn viên là số nguyên.",
        ),
        Check(
            "plan_date_missing",
            "Đã ký kế hoạch = «Có» nhưng chưa nhập ngày ký",
            f"IF(AND(EXACT(TRIM({unit_ref('DA_KY_KE_HOACH')}),{YES_NAME}),"
            f"{empty(unit_ref('NGAY_KY_KE_HOACH'))}),1,0)",
            "Nhập ngày ký kế hoạch trên trang «Đơn vị».",
        ),
        Check(
            "missing_title",
            "Dòng đã có thông tin nhưng chưa có Tên sáng kiến",
            count(f"{empty(title)}*(LEN(TRIM({others}))>0)"),
            "Nhập Tên sáng kiến, hoặc xoá hết nội dung của dòng thừa.",
        ),
        *(
            Check(
                f"missing_{k}",
                f"Sáng kiến chưa nhập «{by_key[k].label}»",
                count(f"{nonempty(title)}*{empty(column_range(k))}"),
                f"Nhập cột «{by_key[k].label}» cho mọi sáng kiến.",
            )
            for k in REQUIRED_INITIATIVE_KEYS
        ),
        Check(
            "title_too_long",
            f"Tên sáng kiến dài quá {fmt_int(r.title_max_chars)} ký tự",
            count(f"--(LEN({title})>DM_GIOI_HAN_TEN)"),
            "Rút gọn tên sáng kiến.",
        ),
        Check(
            "description_too_long",
            f"Tóm tắt nội dung dài quá {fmt_int(r.description_max_chars)} ký tự",
            count(f"--(LEN({column_range('description')})>DM_GIOI_HAN_TOM_TAT)"),
            f"Rút gọn phần tóm tắt (phần mềm Tổng Liên đoàn nhận tối đa {fmt_int(r.description_max_chars)} ký tự).",
        ),
        Check(
            "date_outside_window",
            f"Ngày bắt đầu áp dụng không phải ngày hoặc ngoài khoảng {fmt_date(r.application_start)} – "
            f"{fmt_date(r.application_end)}",
            count(not_number_or(x := column_range("applied_on"), f"({x}<DM_AP_DUNG_TU)+({x}>=DM_AP_DUNG_DEN+1)")),
            "Nhập ngày dạng dd/mm/yyyy trong thời gian của Chương trình.",
        ),
        Check(
            "birth_year_invalid",
            f"Năm sinh không phải số hoặc ngoài khoảng {y_min} – {y_max}",
            count(not_number_or(x := column_range("birth_year"), f"({x}<DM_NAM_SINH_TU)+({x}>DM_NAM_SINH_DEN)")),
            "Nhập năm sinh 4 chữ số, ví dụ 1985.",
        ),
        Check(
            "field_invalid",
            "«Lĩnh vực» không đúng danh sách",
            count(in_list_problems("field", "fields")),
            "Chọn một trong các lĩnh vực: " + fields_text + ".",
        ),
        Check(
            "bloc_invalid",
            "«Khối» không đúng danh sách",
            count(in_list_problems("bloc", "blocs")),
            "Chọn " + " hoặc ".join(f"«{b}»" for b in campaign.blocs) + ".",
        ),
        Check(
            "gender_invalid",
            "«Giới tính» không đúng danh sách",
            count(in_list_problems("gender", "genders")),
            "Chọn " + " hoặc ".join(f"«{g}»" for g in campaign.genders) + ".",
        ),
        Check(
            "yes_no_invalid",
            "Cột Có/Không có giá trị khác «Có», «Không»",
            "+".join(count(in_list_problems(k, "yes_no")) for k in yes_no_keys),
            "Các cột " + ", ".join(f"«{by_key[k].label}»" for k in yes_no_keys) + ": chọn Có hoặc Không.",
        ),
        Check(
            "benefit_invalid",
            "Giá trị làm lợi không phải số hoặc là số âm",
            count(not_number_or(x := column_range("benefit"), f"{x}<0")),
            "Nhập số tiền bằng chữ số, không kèm chữ «đồng», ví dụ 1500000.",
        ),
        Check(
            "nominated_disputed",
            "Sáng kiến đề xuất cấp trên nhưng đang có khiếu nại, tranh chấp",
            count(f"EXACT(TRIM({column_range('nominated')}),{YES_NAME})*EXACT(TRIM({column_range('disputed')}),{YES_NAME})"),
            "Không đề xuất sáng kiến đang có khiếu nại, tranh chấp: chọn «Không» ở cột Đề xuất cấp trên.",
        ),
        Check(
            "nominations_over_quota",
            f"Số sáng kiến đề xuất cấp trên vượt quá {r.default_cdcs_nomination_quota:02d}",
            f"MAX(0,SUMPRODUCT(--EXACT(TRIM({column_range('nominated')}),{YES_NAME}))-DM_DE_XUAT_TOI_DA)",
            "Chỉ chọn «Có» ở cột Đề xuất cấp trên cho số sáng kiến được phân bổ "
            "(trừ khi công đoàn cấp trên có hướng dẫn khác).",
        ),
    ]
    assert tuple(c.key for c in checks) == PROBLEM_KEYS
    return checks


def pristine_counts(campaign: Campaign, values: dict[str, str]) -> dict[str, int]:
    """What the check formulas compute on a freshly generated file (no initiative, unit answers empty
    except the pre-filled cells). Written as cached results because LibreOffice, by default, shows cached
    results of an .xlsx without recalculating."""
    counts = {k: 0 for k in PROBLEM_KEYS}
    counts["too_few_initiatives"] = campaign.rules.min_initiatives_per_unit
    counts["unit_missing"] = sum(1 for f in L.UNIT_FIELDS if f.required and not values.get(f.name))
    counts["initiatives"] = 0
    counts["total"] = sum(counts[k] for k in PROBLEM_KEYS)
    return counts


def overall_text(total: int) -> str:
    return OVERALL_OK if total == 0 else f"Chưa đạt – còn {total} lỗi"


def unit_line_text(values: dict[str, str]) -> str:
    if not values.get("MA_DON_VI"):
        return "Đơn vị: (chưa có mã đơn vị)"
    return f"Đơn vị: {values.get('TEN_DON_VI', '')} – mã {values['MA_DON_VI']}"
