"""The CĐCS workbook contract (DOMAIN.md), as data: sheet names, the unit cells with their defined names,
the initiatives table with its header labels, and the stamp that identifies template, campaign and unit.

The template generator writes exactly this, the reader reads exactly this, and the rules check the values
it describes. Labels are part of the contract with the users' files: never change them silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

TEMPLATE_VERSION = "1.0"

SHEET_GUIDE = "Hướng dẫn"
SHEET_UNIT = "Đơn vị"
SHEET_INITIATIVES = "Sáng kiến"
SHEET_CHECK = "Kiểm tra"
SHEET_LISTS = "Danh mục"  # hidden: dropdown lists and the campaign values the formulas use
SHEET_META = "_sangkien"  # very hidden: the stamp

TABLE_NAME = "SangKien"

YES, NO = "Có", "Không"
YES_NO = (YES, NO)


class Kind(str, Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"  # the description: limited by the campaign's description_max_chars
    CHOICE = "choice"  # one of a list: see ``Field.choices``
    YES_NO = "yes_no"
    INT = "int"
    YEAR = "year"
    MONEY = "money"
    DATE = "date"
    PHONE = "phone"
    EMAIL = "email"


@dataclass(frozen=True)
class Field:
    key: str  # English identifier used in code and JSON
    label: str  # Vietnamese label the user sees (the header / the label cell)
    kind: Kind
    required: bool = False
    # For CHOICE: which campaign list ("fields", "blocs", "genders").
    choices: str | None = None
    # Unit cells only: the workbook-scoped defined name, and whether the cell is pre-filled and locked.
    name: str | None = None
    locked: bool = False
    width: float = 14
    hint: str = ""


# --- sheet "Đơn vị": one input cell per field, in this order ----------------------------------------------
UNIT_FIELDS: tuple[Field, ...] = (
    Field("unit_code", "Mã đơn vị", Kind.TEXT, True, name="MA_DON_VI", locked=True),
    Field("unit_name", "Tên công đoàn cơ sở", Kind.TEXT, True, name="TEN_DON_VI", locked=True),
    Field("parent_code", "Mã công đoàn cấp trên", Kind.TEXT, True, name="MA_CAP_TREN", locked=True),
    Field("parent_name", "Tên công đoàn cấp trên", Kind.TEXT, True, name="TEN_CAP_TREN", locked=True),
    Field("bloc", "Khối", Kind.CHOICE, True, choices="blocs", name="KHOI", hint="Chọn trong danh sách"),
    Field("members", "Số đoàn viên", Kind.INT, True, name="SO_DOAN_VIEN", hint="Số nguyên, ví dụ 45"),
    Field("reporter", "Người lập báo cáo", Kind.TEXT, True, name="NGUOI_LAP"),
    Field("phone", "Số điện thoại", Kind.PHONE, True, name="DIEN_THOAI", hint="10 chữ số, ví dụ 0912345678"),
    Field("email", "Email", Kind.EMAIL, False, name="EMAIL"),
    Field("propagated", "Đã tuyên truyền, phổ biến Chương trình cho đoàn viên, người lao động", Kind.YES_NO, True,
          name="DA_TUYEN_TRUYEN"),
    Field("plan_signed", "Đã xây dựng, ký kết kế hoạch thực hiện Chương trình với thủ trưởng/người sử dụng lao động",
          Kind.YES_NO, True, name="DA_KY_KE_HOACH"),
    Field("plan_signed_on", "Ngày ký kế hoạch", Kind.DATE, False, name="NGAY_KY_KE_HOACH", hint="dd/mm/yyyy"),
    Field("plan_has_goals", "Kế hoạch có mục tiêu cụ thể", Kind.YES_NO, True, name="KH_CO_MUC_TIEU"),
    Field("plan_has_rewards", "Kế hoạch có cơ chế khuyến khích, động viên, khen thưởng", Kind.YES_NO, True,
          name="KH_CO_KHEN_THUONG"),
    Field("specific_movement", "Tên phong trào thi đua đặc thù của đơn vị (để trống nếu chưa có)", Kind.TEXT, False,
          name="PHONG_TRAO_DAC_THU"),
    Field("sent_on", "Ngày gửi báo cáo", Kind.DATE, False, name="NGAY_GUI", hint="dd/mm/yyyy"),
)
IDENTITY_NAMES = tuple(f.name for f in UNIT_FIELDS if f.locked)
UNIT_FIRST_ROW = 4  # row of the first field on "Đơn vị"; label in column B, input in column C
UNIT_LABEL_COL = 2
UNIT_VALUE_COL = 3

# --- sheet "Sáng kiến": the Excel Table "SangKien" ----------------------------------------------------------
INITIATIVE_FIELDS: tuple[Field, ...] = (
    Field("stt", "STT", Kind.INT, False, width=6),
    Field("title", "Tên sáng kiến", Kind.TEXT, True, width=34),
    Field("author", "Tác giả", Kind.TEXT, True, width=22),
    Field("birth_year", "Năm sinh", Kind.YEAR, True, width=9),
    Field("gender", "Giới tính", Kind.CHOICE, True, choices="genders", width=9),
    Field("position", "Chức vụ, nghề nghiệp", Kind.TEXT, True, width=20),
    Field("phone", "Số điện thoại", Kind.PHONE, False, width=14),
    Field("coauthors", "Đồng tác giả", Kind.TEXT, False, width=22),
    Field("field", "Lĩnh vực", Kind.CHOICE, True, choices="fields", width=30),
    Field("bloc", "Khối", Kind.CHOICE, True, choices="blocs", width=18),
    Field("description", "Tóm tắt nội dung", Kind.LONG_TEXT, True, width=60),
    Field("applied_on", "Ngày bắt đầu áp dụng", Kind.DATE, True, width=14),
    Field("benefit", "Giá trị làm lợi (đồng)", Kind.MONEY, False, width=16),
    Field("assessed", "Đã thẩm định", Kind.YES_NO, True, width=11),
    Field("entered_tld", "Đã cập nhật phần mềm TLĐ", Kind.YES_NO, True, width=13),
    Field("nominated", "Đề xuất cấp trên", Kind.YES_NO, True, width=11),
    Field("disputed", "Khiếu nại, tranh chấp", Kind.YES_NO, True, width=12),
    Field("note", "Ghi chú", Kind.TEXT, False, width=20),
)
INITIATIVE_LABELS = tuple(f.label for f in INITIATIVE_FIELDS)
INITIATIVE_FIELD_BY_LABEL = {f.label: f for f in INITIATIVE_FIELDS}
# Columns that do not make a row "filled in" on their own (STT is often pre-numbered by users).
NON_CONTENT_KEYS = frozenset({"stt"})
TABLE_HEADER_ROW = 3  # 1-based; rows 1-2 hold the title and a short how-to
TABLE_PREPARED_ROWS = 100  # empty, formatted, validated rows shipped in the table (it grows as users type)
VALIDATED_ROWS = 1000  # rows below the header that carry data validation and the self-check formulas

# --- the stamp (hidden sheet "_sangkien", workbook-scoped defined names) ------------------------------------
STAMP_NAMES = {
    "template_version": "SK_PHIEN_BAN_MAU",
    "campaign_id": "SK_DOT_THI_DUA",
    "unit_code": "SK_MA_DON_VI",
}
STAMP_CELLS = {"template_version": "B1", "campaign_id": "B2", "unit_code": "B3"}  # on SHEET_META
