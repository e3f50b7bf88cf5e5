"""Every problem the software reports is an ``Issue``: a stable code, a severity, where it is, and a
Vietnamese message rendered from one catalogue.

Codes are part of the public contract (JSON reports, golden tests): add new ones, never rename.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class _Entry(NamedTuple):
    severity: Severity
    template: str


class IssueCode(StrEnum):
    """The stable code of every issue (part of the JSON contract: add new ones, never rename)."""

    FILE_NOT_FOUND = "file-not-found"
    FILE_EMPTY = "file-empty"
    FILE_NOT_WORKBOOK = "file-not-workbook"
    FILE_CORRUPT = "file-corrupt"
    FILE_ENCRYPTED = "file-encrypted"
    FILE_TOO_LARGE = "file-too-large"
    FILE_UNSUPPORTED = "file-unsupported"
    FILE_UNSAFE = "file-unsafe"
    FILE_UNREADABLE = "file-unreadable"
    FILE_WRONG_TYPE = "file-wrong-type"
    FILE_SHEET_TOO_LARGE = "file-sheet-too-large"
    FILE_HAS_MACROS = "file-has-macros"
    FILE_ACTIVE_CONTENT = "file-active-content"
    SHEET_MISSING = "sheet-missing"
    HEADER_MISSING = "header-missing"
    HEADER_DUPLICATE = "header-duplicate"
    TABLE_MISSING = "table-missing"
    NAME_MISSING = "name-missing"
    TEMPLATE_UNKNOWN = "template-unknown"
    TEMPLATE_VERSION = "template-version"
    CAMPAIGN_MISMATCH = "campaign-mismatch"
    CAMPAIGN_MISSING = "campaign-missing"
    UNIT_UNKNOWN = "unit-unknown"
    UNIT_MISMATCH = "unit-mismatch"
    IDENTITY_CHANGED = "identity-changed"
    TOO_MANY_ROWS = "too-many-rows"
    REGISTRY_DUPLICATE_CODE = "registry-duplicate-code"
    REGISTRY_UNKNOWN_PARENT = "registry-unknown-parent"
    REGISTRY_EMPTY = "registry-empty"
    REQUIRED_MISSING = "required-missing"
    VALUE_NOT_ALLOWED = "value-not-allowed"
    TEXT_TOO_LONG = "text-too-long"
    DESCRIPTION_TOO_LONG = "description-too-long"
    DATE_INVALID = "date-invalid"
    DATE_OUT_OF_RANGE = "date-out-of-range"
    APPLICATION_DATE_OUTSIDE_WINDOW = "application-date-outside-window"
    NUMBER_INVALID = "number-invalid"
    NUMBER_OUT_OF_RANGE = "number-out-of-range"
    BENEFIT_NEGATIVE = "benefit-negative"
    BIRTH_YEAR_INVALID = "birth-year-invalid"
    PHONE_INVALID = "phone-invalid"
    EMAIL_INVALID = "email-invalid"
    NO_INITIATIVES = "no-initiatives"
    ROW_INCOMPLETE = "row-incomplete"
    NOMINATION_WITH_DISPUTE = "nomination-with-dispute"
    NOMINATIONS_OVER_QUOTA = "nominations-over-quota"
    NOMINATION_NOT_ASSESSED = "nomination-not-assessed"
    PLAN_DATE_MISSING = "plan-date-missing"
    PLAN_DETAILS_WITHOUT_PLAN = "plan-details-without-plan"
    SEND_DATE_MISSING = "send-date-missing"
    NORMALIZED_TEXT = "normalized-text"
    NORMALIZED_LEGACY_TEXT = "normalized-legacy-text"
    NORMALIZED_DATE = "normalized-date"
    NORMALIZED_NUMBER = "normalized-number"
    NORMALIZED_CHOICE = "normalized-choice"
    DUPLICATE_INITIATIVE = "duplicate-initiative"
    FILE_SUPERSEDED = "file-superseded"
    UNIT_FOREIGN = "unit-foreign"
    SUBMISSION_LATE = "submission-late"
    NOMINATION_BEYOND_QUOTA = "nomination-beyond-quota"
    PACKAGE_INVALID = "package-invalid"
    PACKAGE_UNKNOWN_UNIT = "package-unknown-unit"
    PACKAGE_SUPERSEDED = "package-superseded"
    DISTRICT_MISSING = "district-missing"
    DISTRICT_RAW_FALLBACK = "district-raw-fallback"
    FOLDER_IGNORED = "folder-ignored"
    FILE_IGNORED = "file-ignored"
    DOSSIER_LATE = "dossier-late"
    DOSSIER_INCOMPLETE = "dossier-incomplete"
    LEDGER_UNBALANCED = "ledger-unbalanced"
    NOMINATION_REJECTED = "nomination-rejected"
    MAIL_MALFORMED = "mail-malformed"
    MAIL_CHARSET = "mail-charset"
    MAIL_NO_ATTACHMENT = "mail-no-attachment"
    MAIL_ATTACHMENT_REFUSED = "mail-attachment-refused"
    MAIL_ATTACHMENT_DUPLICATE = "mail-attachment-duplicate"
    MAIL_ATTACHMENT_NOT_WORKBOOK = "mail-attachment-not-workbook"
    MAIL_UNREADABLE = "mail-unreadable"
    # -- hostile input, second round (issue 12) --
    SHEET_DUPLICATE = "sheet-duplicate"
    VALUE_TOO_LARGE = "value-too-large"
    FILE_DATE_INVALID = "file-date-invalid"
    PACKAGE_CELL = "package-cell"
    PACKAGE_FOREIGN_ROW = "package-foreign-row"
    PACKAGE_DUPLICATE_ID = "package-duplicate-id"
    PACKAGE_SELF_REFERENCE = "package-self-reference"
    PACKAGE_WRONG_FOLDER = "package-wrong-folder"
    NOMINATION_NOT_PROPOSED = "nomination-not-proposed"
    FILE_SKIPPED = "file-skipped"
    # -- one truth for the grassroots workbook (issue 13) --
    HEADER_MOVED = "header-moved"
    DUPLICATE_GROUP = "duplicate-group"


E, W = Severity.ERROR, Severity.WARNING

# code -> (severity, Vietnamese message template). Placeholders are filled from ``make_issue`` params;
# {label} is the Vietnamese name of the field or column, {value} the offending value as the user typed it.
CATALOGUE: dict[IssueCode, _Entry] = {
    # -- the file itself ---------------------------------------------------------------------------
    IssueCode.FILE_NOT_FOUND: _Entry(E, "Không tìm thấy tệp."),
    IssueCode.FILE_EMPTY: _Entry(E, "Tệp rỗng (0 byte): không phải là bảng tính Excel."),
    IssueCode.FILE_NOT_WORKBOOK: _Entry(E, "Tệp không phải là bảng tính Excel (.xlsx/.xlsm/.xls) hoặc đã bị hỏng."),
    IssueCode.FILE_CORRUPT: _Entry(E, "Tệp Excel bị hỏng, không đọc được: {detail}."),
    IssueCode.FILE_ENCRYPTED: _Entry(
        E, "Tệp được đặt mật khẩu mở tệp: hãy gỡ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại."
    ),
    IssueCode.FILE_TOO_LARGE: _Entry(E, "Tệp quá lớn ({detail}); giới hạn là {limit}. Tệp có thể chứa dữ liệu thừa hoặc độc hại."),
    IssueCode.FILE_UNSUPPORTED: _Entry(E, "Định dạng tệp {detail} không được hỗ trợ; hãy lưu lại dưới dạng .xlsx."),
    IssueCode.FILE_UNSAFE: _Entry(E, "Tệp có nội dung không an toàn ({detail}) nên bị từ chối, không đọc."),
    IssueCode.FILE_UNREADABLE: _Entry(E, "Không đọc được tệp: {detail}."),
    IssueCode.FILE_WRONG_TYPE: _Entry(
        E, "Tệp này là {detail}, không phải bảng tính Excel. Hãy gửi đúng tệp Excel (.xlsx) của biểu mẫu đã nhận."
    ),
    IssueCode.FILE_SHEET_TOO_LARGE: _Entry(
        E,
        "Vùng dữ liệu {detail} quá lớn ({value} ô, giới hạn {limit} ô). Hãy xoá các dòng, cột thừa ở ngoài vùng"
        " nhập liệu (chọn các dòng/cột đó > Xoá) rồi lưu và gửi lại.",
    ),
    IssueCode.FILE_HAS_MACROS: _Entry(
        W, "Tệp có chứa macro ({detail}). Chương trình không chạy macro, chỉ đọc dữ liệu; nên dùng đúng biểu mẫu .xlsx đã nhận."
    ),
    IssueCode.FILE_ACTIVE_CONTENT: _Entry(
        W, "Tệp có {detail}. Chương trình không mở hay chạy các nội dung này, chỉ đọc dữ liệu trong ô."
    ),
    # -- the workbook's structure -----------------------------------------------------------------
    IssueCode.SHEET_MISSING: _Entry(E, "Thiếu trang tính '{sheet}'. Hãy dùng đúng biểu mẫu được gửi, không đổi tên trang tính."),
    IssueCode.HEADER_MISSING: _Entry(
        E, "Trang '{sheet}' thiếu cột '{label}': {detail}. Không xoá hoặc đổi tên tiêu đề cột của biểu mẫu."
    ),
    IssueCode.HEADER_MOVED: _Entry(
        W, "Cột '{label}' (ô {cell}) bị đổi chỗ so với biểu mẫu; dữ liệu vẫn được đọc theo tiêu đề cột. Nên đưa cột"
        " về {detail}."
    ),
    IssueCode.HEADER_DUPLICATE: _Entry(W, "Cột '{label}' xuất hiện hai lần; chỉ đọc cột đầu tiên (ô {cell})."),
    IssueCode.TABLE_MISSING: _Entry(W, "Không thấy bảng Excel 'SangKien'; đã tìm bảng sáng kiến theo dòng tiêu đề."),
    IssueCode.NAME_MISSING: _Entry(E, "Không tìm thấy ô '{label}' (tên vùng {name}) trong trang 'Đơn vị'."),
    IssueCode.TEMPLATE_UNKNOWN: _Entry(
        E, "Tệp không phải biểu mẫu của chương trình (không có dấu nhận biết biểu mẫu). Hãy dùng biểu mẫu được gửi."
    ),
    IssueCode.TEMPLATE_VERSION: _Entry(W, "Biểu mẫu phiên bản {value}, khác phiên bản hiện hành {expected}."),
    IssueCode.CAMPAIGN_MISMATCH: _Entry(E, "Biểu mẫu thuộc đợt thi đua '{value}', không phải đợt '{expected}'."),
    IssueCode.CAMPAIGN_MISSING: _Entry(
        W, "Dấu đợt thi đua của biểu mẫu đã bị xoá; tệp được kiểm tra theo đợt '{expected}'. Hãy xác nhận với "
        "đơn vị rằng đây đúng là biểu mẫu của đợt này."
    ),
    IssueCode.UNIT_UNKNOWN: _Entry(E, "Mã đơn vị '{value}' không có trong danh sách đơn vị."),
    IssueCode.UNIT_MISMATCH: _Entry(E, "Mã đơn vị: ô ghi {value}, biểu mẫu của đơn vị {unit}.{detail} Không sửa các ô đã khoá."),
    IssueCode.IDENTITY_CHANGED: _Entry(E, "Ô '{label}' đã bị sửa: ô ghi '{value}', biểu mẫu của đơn vị {unit} ghi '{expected}'. Không sửa các ô đã khoá."),
    IssueCode.TOO_MANY_ROWS: _Entry(
        E, "Bảng có {value} dòng sáng kiến, vượt giới hạn {limit} dòng của một đơn vị; chỉ {limit} dòng đầu được "
        "kiểm tra, các dòng còn lại bị loại (có trong sổ cân đối)."
    ),
    # -- the unit registry -------------------------------------------------------------------------
    IssueCode.REGISTRY_DUPLICATE_CODE: _Entry(E, "Mã '{value}' bị trùng (đã có ở {other})."),
    IssueCode.REGISTRY_UNKNOWN_PARENT: _Entry(E, "Mã cấp trên '{value}' không có trong trang 'Cấp trên'."),
    IssueCode.REGISTRY_EMPTY: _Entry(E, "Danh sách đơn vị không có đơn vị cấp trên nào."),
    # -- a cell -----------------------------------------------------------------------------------------
    IssueCode.REQUIRED_MISSING: _Entry(E, "Chưa nhập '{label}'."),
    IssueCode.VALUE_NOT_ALLOWED: _Entry(E, "'{label}' = '{value}' không hợp lệ; chỉ được chọn: {allowed}."),
    IssueCode.TEXT_TOO_LONG: _Entry(E, "'{label}' dài {length} ký tự, vượt giới hạn {limit} ký tự."),
    IssueCode.DESCRIPTION_TOO_LONG: _Entry(
        E, "Tóm tắt nội dung dài {length} ký tự, vượt giới hạn {limit} ký tự của phần mềm Tổng Liên đoàn."
    ),
    IssueCode.DATE_INVALID: _Entry(E, "'{label}' = '{value}' không phải là ngày hợp lệ (nhập theo dạng dd/mm/yyyy)."),
    IssueCode.DATE_OUT_OF_RANGE: _Entry(E, "'{label}' = {value} nằm ngoài khoảng cho phép {start} – {end}."),
    IssueCode.APPLICATION_DATE_OUTSIDE_WINDOW: _Entry(
        E, "Ngày bắt đầu áp dụng {value} nằm ngoài thời gian của Chương trình ({start} – {end})."
    ),
    IssueCode.NUMBER_INVALID: _Entry(E, "'{label}' = '{value}' không phải là số."),
    IssueCode.NUMBER_OUT_OF_RANGE: _Entry(E, "'{label}' = {value} phải nằm trong khoảng {min} – {max}."),
    IssueCode.BENEFIT_NEGATIVE: _Entry(E, "Giá trị làm lợi {value} không được âm."),
    IssueCode.BIRTH_YEAR_INVALID: _Entry(E, "Năm sinh '{value}' không hợp lệ (phải là năm từ {min} đến {max})."),
    IssueCode.PHONE_INVALID: _Entry(E, "Số điện thoại '{value}' không hợp lệ (10 chữ số, bắt đầu bằng 0; hoặc +84)."),
    IssueCode.EMAIL_INVALID: _Entry(E, "Địa chỉ email '{value}' không hợp lệ."),
    # -- rules across cells ------------------------------------------------------------------------
    IssueCode.NO_INITIATIVES: _Entry(E, "Đơn vị mới nhập {value} sáng kiến; mỗi CĐCS cần có ít nhất {min} sáng kiến."),
    IssueCode.ROW_INCOMPLETE: _Entry(E, "Dòng {row} có dữ liệu nhưng chưa có tên sáng kiến."),
    IssueCode.NOMINATION_WITH_DISPUTE: _Entry(
        E, "Sáng kiến '{value}' đang có khiếu nại/tranh chấp nên không được đề xuất cấp trên."
    ),
    IssueCode.NOMINATIONS_OVER_QUOTA: _Entry(
        E, "Đơn vị đề xuất {value} sáng kiến, vượt số lượng cấp trên phân bổ ({limit})."
    ),
    IssueCode.NOMINATION_NOT_ASSESSED: _Entry(W, "Sáng kiến '{value}' được đề xuất cấp trên nhưng chưa được thẩm định."),
    IssueCode.PLAN_DATE_MISSING: _Entry(E, "Đã ký kế hoạch nhưng chưa nhập ngày ký."),
    IssueCode.PLAN_DETAILS_WITHOUT_PLAN: _Entry(
        W, "'{label}' = Có nhưng đơn vị chưa ký kế hoạch thực hiện Chương trình."
    ),
    IssueCode.SEND_DATE_MISSING: _Entry(W, "Chưa nhập ngày gửi báo cáo; dùng thời gian của tệp."),
    # -- safe normalisations (the value was read, and this is what we did) --------------------------
    IssueCode.NORMALIZED_TEXT: _Entry(W, "'{label}': đã chuẩn hoá chữ (Unicode dựng sẵn NFC, bỏ khoảng trắng thừa)."),
    IssueCode.NORMALIZED_LEGACY_TEXT: _Entry(
        W, "'{label}': chữ gõ bằng bảng mã cũ {encoding} đã được chuyển sang Unicode: '{normalized}'."
    ),
    IssueCode.NORMALIZED_DATE: _Entry(W, "'{label}': đã hiểu '{value}' là ngày {normalized}."),
    IssueCode.NORMALIZED_NUMBER: _Entry(W, "'{label}': đã hiểu '{value}' là số {normalized}."),
    IssueCode.NORMALIZED_CHOICE: _Entry(W, "'{label}': đã hiểu '{value}' là '{normalized}'."),
    # -- district consolidation (tổng hợp cấp huyện/ngành) -------------------------------------------
    IssueCode.DUPLICATE_INITIATIVE: _Entry(
        W, "Sáng kiến '{value}' (tác giả {author}) trùng với sáng kiến ở {other}; cả hai đều được giữ lại để kiểm tra."
    ),
    IssueCode.FILE_SUPERSEDED: _Entry(
        W, "Đơn vị đã gửi lại báo cáo; tệp này được thay bằng tệp mới hơn {other} nên không được tổng hợp."
    ),
    IssueCode.UNIT_FOREIGN: _Entry(
        W, "Tệp của đơn vị '{value}' thuộc công đoàn cấp trên '{other}', không thuộc đơn vị này: chỉ liệt kê, không tổng hợp."
    ),
    IssueCode.SUBMISSION_LATE: _Entry(W, "Báo cáo gửi ngày {value}{via}, sau hạn {deadline}."),
    IssueCode.NOMINATION_BEYOND_QUOTA: _Entry(
        W, "Sáng kiến '{value}' được đề xuất vượt số lượng cấp trên phân bổ ({limit}) nên không vào danh sách đề xuất."
    ),
    # -- province consolidation (tổng hợp cấp tỉnh) and the roll-up one level up -------------------------
    IssueCode.PACKAGE_INVALID: _Entry(E, "Gói dữ liệu không dùng được: {detail}"),
    IssueCode.PACKAGE_UNKNOWN_UNIT: _Entry(
        E, "Gói dữ liệu của đơn vị '{value}' không có trong danh sách đơn vị của cấp nhận: chỉ liệt kê, không tổng hợp."
    ),
    IssueCode.PACKAGE_SUPERSEDED: _Entry(
        W, "Đơn vị '{value}' gửi nhiều gói dữ liệu; gói này được thay bằng gói mới hơn {other} nên không được tổng hợp."
    ),
    IssueCode.DISTRICT_MISSING: _Entry(
        W, "Đơn vị cấp trên '{value}' chưa gửi hồ sơ, gói dữ liệu hay báo cáo CĐCS nào: cần đôn đốc."
    ),
    IssueCode.DISTRICT_RAW_FALLBACK: _Entry(
        W, "Đơn vị cấp trên '{value}' không gửi gói dữ liệu: đã tổng hợp trực tiếp {detail} tệp báo cáo của CĐCS;"
        " đơn vị này không có sáng kiến đề xuất."
    ),
    IssueCode.FOLDER_IGNORED: _Entry(W, "Thư mục '{value}' bị bỏ qua: {detail}"),
    IssueCode.FILE_IGNORED: _Entry(W, "Tệp '{value}' không được tổng hợp: {detail}"),
    IssueCode.DOSSIER_LATE: _Entry(
        E, "Hồ sơ của '{value}' nhận ngày {detail}, không trước hạn {deadline}: sáng kiến đề xuất không được xét."
    ),
    IssueCode.DOSSIER_INCOMPLETE: _Entry(E, "Hồ sơ của '{value}' không đầy đủ: thiếu {detail}."),
    IssueCode.LEDGER_UNBALANCED: _Entry(
        E, "Sổ cân đối của '{value}' không khớp: {detail}."
    ),
    IssueCode.NOMINATION_REJECTED: _Entry(W, "Sáng kiến '{value}' không được đề nghị biểu dương: {detail}."),
    IssueCode.DUPLICATE_GROUP: _Entry(
        W, "Sáng kiến '{value}' (tác giả {author}) được gửi {count} lần, ở tỉnh (CĐCS): {detail}. Các bản đều được"
        " giữ lại để kiểm tra."
    ),
    # -- files received by e-mail (sangkien mail) -------------------------------------------------------
    IssueCode.MAIL_MALFORMED: _Entry(W, "Thư có cấu trúc lỗi ({detail}); đã lấy được những gì đọc được."),
    IssueCode.MAIL_CHARSET: _Entry(W, "Thư khai sai bảng mã ({detail}); tên hoặc tiêu đề đã được đọc theo bảng mã đoán được."),
    IssueCode.MAIL_NO_ATTACHMENT: _Entry(W, "Thư không có tệp đính kèm nào."),
    IssueCode.MAIL_ATTACHMENT_REFUSED: _Entry(E, "Tệp đính kèm '{value}' bị từ chối, không lưu: {detail}."),
    IssueCode.MAIL_ATTACHMENT_DUPLICATE: _Entry(W, "Tệp đính kèm '{value}' trùng nội dung với tệp đã lưu {other}: không lưu lại."),
    IssueCode.MAIL_ATTACHMENT_NOT_WORKBOOK: _Entry(
        W, "Tệp đính kèm '{value}' không phải bảng tính ({detail}): đã lưu để xem, không tổng hợp."
    ),
    IssueCode.MAIL_UNREADABLE: _Entry(E, "Không đọc được thư: {detail}."),
    # -- hostile input, second round -------------------------------------------------------------------
    IssueCode.SHEET_DUPLICATE: _Entry(
        E, "Tệp có nhiều trang tính cùng tên '{sheet}' ({value}), có thể có trang bị ẩn. Hãy giữ một trang, xoá các "
        "trang trùng tên rồi gửi lại."
    ),
    IssueCode.VALUE_TOO_LARGE: _Entry(
        E, "Giá trị ô {cell} ({label}) quá lớn hoặc nằm ngoài khoảng cho phép ({detail}). Hãy nhập lại đúng giá trị."
    ),
    IssueCode.FILE_DATE_INVALID: _Entry(
        W, "Ngày sửa tệp ghi trong máy ({detail}) không hợp lệ; tệp được xem như không rõ ngày gửi."
    ),
    IssueCode.PACKAGE_CELL: _Entry(
        E, "Gói dữ liệu, trang '{sheet}' dòng {row} cột '{label}': giá trị '{value}' không đúng kiểu ({detail}); ô này "
        "không được dùng."
    ),
    IssueCode.PACKAGE_FOREIGN_ROW: _Entry(
        E, "Gói dữ liệu của '{other}', trang '{sheet}' dòng {row}: {detail}. Dòng này không được tổng hợp."
    ),
    IssueCode.PACKAGE_DUPLICATE_ID: _Entry(
        E, "Gói dữ liệu, trang '{sheet}' dòng {row}: mã '{value}' đã có ở dòng {other}; dòng chép lại không được tổng hợp."
    ),
    IssueCode.PACKAGE_SELF_REFERENCE: _Entry(
        E, "Gói dữ liệu ghi chính tệp gói '{value}' là {detail}: hồ sơ xem như thiếu văn bản này."
    ),
    IssueCode.PACKAGE_WRONG_FOLDER: _Entry(
        E, "Gói dữ liệu ghi của '{value}' nhưng nằm trong thư mục của '{other}': không dùng để thay dữ liệu của '{value}'."
    ),
    IssueCode.FILE_SKIPPED: _Entry(
        W, "Tệp có nội dung bảng tính nhưng không được đọc ({detail}). Nếu đây là báo cáo của đơn vị, hãy đổi tên "
        "thành tên thường có đuôi .xlsx rồi chạy lại."
    ),
    IssueCode.NOMINATION_NOT_PROPOSED: _Entry(
        E, "Sáng kiến '{value}' được đề nghị nhưng CĐCS không đề xuất sáng kiến này lên cấp trên: không được xét."
    ),
}


# An issue quotes the value it is about; a hostile cell can hold a megabyte, which no report needs whole
# (and an Excel cell holds 32,767 characters). Far above any campaign's description limit.
MAX_VALUE_CHARS = 5000


def _json_value(value: Any) -> Any:
    """Values in issues must survive JSON: dates become dd/mm/yyyy, decimals numbers, the rest text (cut
    at ``MAX_VALUE_CHARS``, ending in "…")."""
    if isinstance(value, str):
        return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, _dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if (value.hour, value.minute) != (0, 0) else value.strftime("%d/%m/%Y")
    if isinstance(value, _dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def _short(value: Any, limit: int = 80) -> str:
    text = "" if value is None else str(_json_value(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Issue(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: IssueCode
    severity: Severity
    sheet: str | None = None
    cell: str | None = None
    field: str | None = None
    value: Any = None
    message: str
    path: str | None = None
    row: int | None = None

    def with_path(self, path: str) -> "Issue":
        return self.model_copy(update={"path": path})

    def as_json(self, *, with_path: bool = False) -> dict[str, Any]:
        out = {
            "code": self.code.value,
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "field": self.field,
            "value": self.value,
            "message": self.message,
        }
        if with_path:
            out["path"] = self.path
        return out


def make_issue(
    code: IssueCode,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    field: str | None = None,
    value: Any = None,
    row: int | None = None,
    path: str | None = None,
    severity: Severity | None = None,
    **params: Any,
) -> Issue:
    entry = CATALOGUE[IssueCode(code)]  # a code outside the catalogue is a bug: ValueError here, not a blank message
    fmt = {k: _short(v) if k != "allowed" else v for k, v in params.items()}
    fmt.setdefault("value", _short(value))
    fmt.setdefault("sheet", sheet or "")
    fmt.setdefault("cell", cell or "")
    fmt.setdefault("row", row if row is not None else "")
    message = entry.template.format_map(_Missing(fmt))
    return Issue(
        code=IssueCode(code),
        severity=severity or entry.severity,
        sheet=sheet,
        cell=cell,
        field=field,
        value=_json_value(value),
        message=message,
        path=path,
        row=row,
    )


class _Missing(dict):
    def __missing__(self, key: str) -> str:  # a template never shows a raw KeyError to a user
        return ""
