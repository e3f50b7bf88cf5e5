"""Every problem the software reports is an ``Issue``: a stable code, a severity, where it is, and a
Vietnamese message rendered from one catalogue.

Codes are part of the public contract (JSON reports, golden tests): add new ones, never rename.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from enum import Enum
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class _Entry(NamedTuple):
    severity: Severity
    template: str


E, W = Severity.ERROR, Severity.WARNING

# code -> (severity, Vietnamese message template). Placeholders are filled from ``make_issue`` params;
# {label} is the Vietnamese name of the field or column, {value} the offending value as the user typed it.
CATALOGUE: dict[str, _Entry] = {
    # -- the file itself ---------------------------------------------------------------------------
    "file-not-found": _Entry(E, "Không tìm thấy tệp."),
    "file-empty": _Entry(E, "Tệp rỗng (0 byte): không phải là bảng tính Excel."),
    "file-not-workbook": _Entry(E, "Tệp không phải là bảng tính Excel (.xlsx/.xlsm/.xls) hoặc đã bị hỏng."),
    "file-corrupt": _Entry(E, "Tệp Excel bị hỏng, không đọc được: {detail}."),
    "file-encrypted": _Entry(
        E, "Tệp được đặt mật khẩu mở tệp: hãy gỡ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại."
    ),
    "file-too-large": _Entry(E, "Tệp quá lớn ({detail}); giới hạn là {limit}. Tệp có thể chứa dữ liệu thừa hoặc độc hại."),
    "file-unsupported": _Entry(E, "Định dạng tệp {detail} không được hỗ trợ; hãy lưu lại dưới dạng .xlsx."),
    "file-unsafe": _Entry(E, "Tệp có nội dung không an toàn ({detail}) nên bị từ chối, không đọc."),
    "file-unreadable": _Entry(E, "Không đọc được tệp: {detail}."),
    "file-wrong-type": _Entry(
        E, "Tệp này là {detail}, không phải bảng tính Excel. Hãy gửi đúng tệp Excel (.xlsx) của biểu mẫu đã nhận."
    ),
    "file-sheet-too-large": _Entry(
        E,
        "Vùng dữ liệu {detail} quá lớn ({value} ô, giới hạn {limit} ô). Hãy xoá các dòng, cột thừa ở ngoài vùng"
        " nhập liệu (chọn các dòng/cột đó > Xoá) rồi lưu và gửi lại.",
    ),
    "file-has-macros": _Entry(
        W, "Tệp có chứa macro ({detail}). Chương trình không chạy macro, chỉ đọc dữ liệu; nên dùng đúng biểu mẫu .xlsx đã nhận."
    ),
    "file-active-content": _Entry(
        W, "Tệp có {detail}. Chương trình không mở hay chạy các nội dung này, chỉ đọc dữ liệu trong ô."
    ),
    # -- the workbook's structure -----------------------------------------------------------------
    "sheet-missing": _Entry(E, "Thiếu trang tính '{sheet}'. Hãy dùng đúng biểu mẫu được gửi, không đổi tên trang tính."),
    "header-missing": _Entry(E, "Bảng sáng kiến thiếu cột '{label}'. Không xoá hoặc đổi tên tiêu đề cột."),
    "header-duplicate": _Entry(W, "Cột '{label}' xuất hiện hai lần; chỉ đọc cột đầu tiên (ô {cell})."),
    "table-missing": _Entry(W, "Không thấy bảng Excel 'SangKien'; đã tìm bảng sáng kiến theo dòng tiêu đề."),
    "name-missing": _Entry(E, "Không tìm thấy ô '{label}' (tên vùng {name}) trong trang 'Đơn vị'."),
    "template-unknown": _Entry(
        E, "Tệp không phải biểu mẫu của chương trình (không có dấu nhận biết biểu mẫu). Hãy dùng biểu mẫu được gửi."
    ),
    "template-version": _Entry(W, "Biểu mẫu phiên bản {value}, khác phiên bản hiện hành {expected}."),
    "campaign-mismatch": _Entry(E, "Biểu mẫu thuộc đợt thi đua '{value}', không phải đợt '{expected}'."),
    "campaign-missing": _Entry(
        W, "Dấu đợt thi đua của biểu mẫu đã bị xoá; tệp được kiểm tra theo đợt '{expected}'. Hãy xác nhận với "
        "đơn vị rằng đây đúng là biểu mẫu của đợt này."
    ),
    "unit-unknown": _Entry(E, "Mã đơn vị '{value}' không có trong danh sách đơn vị."),
    "unit-mismatch": _Entry(E, "Mã đơn vị trong ô ({value}) khác mã đơn vị của biểu mẫu ({expected})."),
    "identity-changed": _Entry(E, "Ô '{label}' đã bị sửa ({value}); giá trị đúng là '{expected}'. Không sửa các ô đã khoá."),
    "too-many-rows": _Entry(
        E, "Bảng có {value} dòng sáng kiến, vượt giới hạn {limit} dòng của một đơn vị; chỉ {limit} dòng đầu được "
        "kiểm tra, các dòng còn lại bị loại (có trong sổ cân đối)."
    ),
    # -- the unit registry -------------------------------------------------------------------------
    "registry-duplicate-code": _Entry(E, "Mã '{value}' bị trùng (đã có ở {other})."),
    "registry-unknown-parent": _Entry(E, "Mã cấp trên '{value}' không có trong trang 'Cấp trên'."),
    "registry-empty": _Entry(E, "Danh sách đơn vị không có đơn vị cấp trên nào."),
    # -- a cell -----------------------------------------------------------------------------------------
    "required-missing": _Entry(E, "Chưa nhập '{label}'."),
    "value-not-allowed": _Entry(E, "'{label}' = '{value}' không hợp lệ; chỉ được chọn: {allowed}."),
    "text-too-long": _Entry(E, "'{label}' dài {length} ký tự, vượt giới hạn {limit} ký tự."),
    "description-too-long": _Entry(
        E, "Tóm tắt nội dung dài {length} ký tự, vượt giới hạn {limit} ký tự của phần mềm Tổng Liên đoàn."
    ),
    "date-invalid": _Entry(E, "'{label}' = '{value}' không phải là ngày hợp lệ (nhập theo dạng dd/mm/yyyy)."),
    "date-out-of-range": _Entry(E, "'{label}' = {value} nằm ngoài khoảng cho phép {start} – {end}."),
    "application-date-outside-window": _Entry(
        E, "Ngày bắt đầu áp dụng {value} nằm ngoài thời gian của Chương trình ({start} – {end})."
    ),
    "number-invalid": _Entry(E, "'{label}' = '{value}' không phải là số."),
    "number-out-of-range": _Entry(E, "'{label}' = {value} phải nằm trong khoảng {min} – {max}."),
    "benefit-negative": _Entry(E, "Giá trị làm lợi {value} không được âm."),
    "birth-year-invalid": _Entry(E, "Năm sinh '{value}' không hợp lệ (phải là năm từ {min} đến {max})."),
    "phone-invalid": _Entry(E, "Số điện thoại '{value}' không hợp lệ (10 chữ số, bắt đầu bằng 0; hoặc +84)."),
    "email-invalid": _Entry(E, "Địa chỉ email '{value}' không hợp lệ."),
    # -- rules across cells ------------------------------------------------------------------------
    "no-initiatives": _Entry(E, "Đơn vị mới nhập {value} sáng kiến; mỗi CĐCS cần có ít nhất {min} sáng kiến."),
    "row-incomplete": _Entry(E, "Dòng {row} có dữ liệu nhưng chưa có tên sáng kiến."),
    "nomination-with-dispute": _Entry(
        E, "Sáng kiến '{value}' đang có khiếu nại/tranh chấp nên không được đề xuất cấp trên."
    ),
    "nominations-over-quota": _Entry(
        E, "Đơn vị đề xuất {value} sáng kiến, vượt số lượng cấp trên phân bổ ({limit})."
    ),
    "nomination-not-assessed": _Entry(W, "Sáng kiến '{value}' được đề xuất cấp trên nhưng chưa được thẩm định."),
    "plan-date-missing": _Entry(E, "Đã ký kế hoạch nhưng chưa nhập ngày ký."),
    "plan-details-without-plan": _Entry(
        W, "'{label}' = Có nhưng đơn vị chưa ký kế hoạch thực hiện Chương trình."
    ),
    "send-date-missing": _Entry(W, "Chưa nhập ngày gửi báo cáo; dùng thời gian của tệp."),
    # -- safe normalisations (the value was read, and this is what we did) --------------------------
    "normalized-text": _Entry(W, "'{label}': đã chuẩn hoá chữ (Unicode dựng sẵn NFC, bỏ khoảng trắng thừa)."),
    "normalized-legacy-text": _Entry(
        W, "'{label}': chữ gõ bằng bảng mã cũ {encoding} đã được chuyển sang Unicode: '{normalized}'."
    ),
    "normalized-date": _Entry(W, "'{label}': đã hiểu '{value}' là ngày {normalized}."),
    "normalized-number": _Entry(W, "'{label}': đã hiểu '{value}' là số {normalized}."),
    "normalized-choice": _Entry(W, "'{label}': đã hiểu '{value}' là '{normalized}'."),
    # -- district consolidation (tổng hợp cấp huyện/ngành) -------------------------------------------
    "duplicate-initiative": _Entry(
        W, "Sáng kiến '{value}' (tác giả {author}) trùng với sáng kiến đã gửi ở {other}; cả hai đều được giữ lại để kiểm tra."
    ),
    "file-superseded": _Entry(
        W, "Đơn vị đã gửi lại báo cáo; tệp này được thay bằng tệp mới hơn {other} nên không được tổng hợp."
    ),
    "unit-foreign": _Entry(
        W, "Tệp của đơn vị '{value}' thuộc công đoàn cấp trên '{other}', không thuộc đơn vị này: chỉ liệt kê, không tổng hợp."
    ),
    "submission-late": _Entry(W, "Báo cáo gửi ngày {value}, sau hạn {deadline}."),
    "nomination-beyond-quota": _Entry(
        W, "Sáng kiến '{value}' được đề xuất vượt số lượng cấp trên phân bổ ({limit}) nên không vào danh sách đề xuất."
    ),
    # -- province consolidation (tổng hợp cấp tỉnh) and the roll-up one level up -------------------------
    "package-invalid": _Entry(E, "Gói dữ liệu không dùng được: {detail}"),
    "package-unknown-unit": _Entry(
        E, "Gói dữ liệu của đơn vị '{value}' không có trong danh sách đơn vị của cấp nhận: chỉ liệt kê, không tổng hợp."
    ),
    "package-superseded": _Entry(
        W, "Đơn vị '{value}' gửi nhiều gói dữ liệu; gói này được thay bằng gói mới hơn {other} nên không được tổng hợp."
    ),
    "district-missing": _Entry(
        W, "Đơn vị cấp trên '{value}' chưa gửi hồ sơ, gói dữ liệu hay báo cáo CĐCS nào: cần đôn đốc."
    ),
    "district-raw-fallback": _Entry(
        W, "Đơn vị cấp trên '{value}' không gửi gói dữ liệu: đã tổng hợp trực tiếp {detail} tệp báo cáo của CĐCS;"
        " đơn vị này không có sáng kiến đề xuất."
    ),
    "folder-ignored": _Entry(W, "Thư mục '{value}' bị bỏ qua: {detail}"),
    "dossier-late": _Entry(
        E, "Hồ sơ của '{value}' nhận ngày {detail}, không trước hạn {deadline}: sáng kiến đề xuất không được xét."
    ),
    "dossier-incomplete": _Entry(E, "Hồ sơ của '{value}' không đầy đủ: thiếu {detail}."),
    "ledger-unbalanced": _Entry(
        E, "Sổ cân đối của '{value}' không khớp: {detail}."
    ),
    "nomination-rejected": _Entry(W, "Sáng kiến '{value}' không được đề nghị biểu dương: {detail}."),
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

    code: str
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
            "code": self.code,
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
    code: str,
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
    entry = CATALOGUE[code]
    fmt = {k: _short(v) if k != "allowed" else v for k, v in params.items()}
    fmt.setdefault("value", _short(value))
    fmt.setdefault("sheet", sheet or "")
    fmt.setdefault("cell", cell or "")
    fmt.setdefault("row", row if row is not None else "")
    message = entry.template.format_map(_Missing(fmt))
    return Issue(
        code=code,
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


def has_errors(issues: list[Issue]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)
