"""The base of every named error the library raises on purpose, and the catalogue of their messages.

An error a user can act on (a bad configuration, an unreadable registry, a folder that does not exist) is a
``SangkienError`` subclass carrying an ``ErrorCode`` and its parameters; the Vietnamese sentence is rendered
from the one catalogue below, so the CLI, the Excel buttons and the JSON report all say the same thing and a
test can check that every raise supplies every placeholder (``tests/test_messages.py``). Codes are stable:
add new ones, never rename.
"""

from __future__ import annotations

import string
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    # the campaign file
    CAMPAIGN_NOT_FOUND = "campaign-not-found"
    CAMPAIGN_UNREADABLE = "campaign-unreadable"
    CAMPAIGN_INVALID = "campaign-invalid"
    # LibreOffice, used to recalculate and render
    LIBREOFFICE_MISSING = "libreoffice-missing"
    LIBREOFFICE_SOURCE_MISSING = "libreoffice-source-missing"
    LIBREOFFICE_SAME_NAMES = "libreoffice-same-names"
    LIBREOFFICE_OVERWRITE = "libreoffice-overwrite"
    LIBREOFFICE_FAILED = "libreoffice-failed"
    LIBREOFFICE_TIMEOUT = "libreoffice-timeout"
    LIBREOFFICE_NO_OUTPUT = "libreoffice-no-output"
    PLAN_MISMATCH = "plan-mismatch"
    PLAN_FILE_NOT_FOUND = "plan-file-not-found"
    PLAN_FILE_TYPE = "plan-file-type"
    PLAN_FILE_UNREADABLE = "plan-file-unreadable"
    PLAN_FILE_INVALID = "plan-file-invalid"
    PLAN_FILE_OTHER_PROVINCE = "plan-file-other-province"
    REGISTRY_CODES_DIFFER_IN_CASE = "registry-codes-differ-in-case"
    DOSSIER_MARKS_INVALID = "dossier-marks-invalid"
    PACKAGE_CAMPAIGN = "package-campaign"
    DOSSIER_TOO_MANY_MARKS = "dossier-too-many-marks"
    # registry, workbooks, packages, folders, mail, the Excel configuration
    PACKAGE_NOT_A_PACKAGE = "package-not-a-package"
    PACKAGE_FORMAT = "package-format"
    PACKAGE_UNREADABLE = "package-unreadable"
    PACKAGE_STAMP = "package-stamp"
    PACKAGE_LEDGER = "package-ledger"
    PACKAGE_INCOMPLETE = "package-incomplete"
    DISTRICT_WORKBOOK_NOT_FOUND = "district-workbook-not-found"
    DISTRICT_WORKBOOK_NOT_OURS = "district-workbook-not-ours"
    DISTRICT_WORKBOOK_CAMPAIGN = "district-workbook-campaign"
    DISTRICT_WORKBOOK_UNKNOWN_DISTRICT = "district-workbook-unknown-district"
    DISTRICT_WORKBOOK_SHEETS_MISSING = "district-workbook-sheets-missing"
    DISTRICT_WORKBOOK_UNREADABLE = "district-workbook-unreadable"
    NATIONAL_FOLDER_NOT_FOUND = "national-folder-not-found"
    PROVINCE_FOLDER_NOT_FOUND = "province-folder-not-found"
    RECEIVED_UNKNOWN_DISTRICT = "received-unknown-district"
    MAIL_CERTIFICATE = "mail-certificate"
    MAIL_CONNECT = "mail-connect"
    MAIL_DISCONNECTED = "mail-disconnected"
    MAIL_SERVER_ERROR = "mail-server-error"
    MAIL_LOGIN = "mail-login"
    MAIL_ONE_SOURCE = "mail-one-source"
    MAIL_MBOX_NOT_FOUND = "mail-mbox-not-found"
    MAIL_EML_NOT_FOUND = "mail-eml-not-found"
    ANNOTATE_TOO_LARGE = "annotate-too-large"
    ANNOTATE_UNSUPPORTED = "annotate-unsupported"
    ANNOTATE_OVER_INPUT = "annotate-over-input"
    ANNOTATE_NOT_XLSX = "annotate-not-xlsx"
    ANNOTATE_REFUSED = "annotate-refused"
    ANNOTATE_UNREADABLE = "annotate-unreadable"
    REGISTRY_HAS_ERRORS = "registry-has-errors"
    REGISTRY_NOT_FOUND = "registry-not-found"
    REGISTRY_UNREADABLE = "registry-unreadable"
    DISTRICT_UNKNOWN = "district-unknown"
    DISTRICT_UNKNOWN_IN_RUN = "district-unknown-in-run"
    INBOX_NOT_FOUND = "inbox-not-found"
    QUOTA_UNKNOWN_UNIT = "quota-unknown-unit"
    WORKBOOK_UNREADABLE = "workbook-unreadable"
    CONFIG_NOT_A_DATE = "config-not-a-date"
    CONFIG_EMPTY = "config-empty"
    CONFIG_ONEDRIVE_PATH = "config-onedrive-path"
    CONFIG_WRONG_WORKBOOK = "config-wrong-workbook"
    CONFIG_NAME_MISSING = "config-name-missing"
    CONFIG_QUOTA_INVALID = "config-quota-invalid"
    LAUNCH_NOT_OUR_WORKBOOK = "launch-not-our-workbook"
    LAUNCH_WORKBOOK_NOT_FOUND = "launch-workbook-not-found"
    LAUNCH_NO_RESULT_YET = "launch-no-result-yet"


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.CAMPAIGN_NOT_FOUND: "Không có đợt thi đua '{name}'. Các đợt có sẵn: {known}",
    ErrorCode.CAMPAIGN_UNREADABLE: "Không đọc được tệp cấu hình đợt thi đua {source}: {detail}",
    ErrorCode.CAMPAIGN_INVALID: "Tệp cấu hình đợt thi đua {source} không hợp lệ: {detail}",
    ErrorCode.LIBREOFFICE_MISSING: "Không tìm thấy LibreOffice (soffice). Hãy cài LibreOffice để dùng chức năng này.",
    ErrorCode.LIBREOFFICE_SOURCE_MISSING: "Không tìm thấy tệp: {path}",
    ErrorCode.LIBREOFFICE_SAME_NAMES: "Các tệp cần chuyển đổi phải có tên khác nhau.",
    ErrorCode.LIBREOFFICE_OVERWRITE: "Thư mục đầu ra trùng thư mục tệp nguồn cùng định dạng: tệp nguồn sẽ bị ghi đè.",
    ErrorCode.LIBREOFFICE_FAILED: "LibreOffice không chuyển đổi được tệp (mã thoát {status}). Hãy đóng mọi cửa sổ "
                                  "LibreOffice đang mở rồi thử lại; nếu vẫn lỗi, gửi nhật ký lỗi cho người hỗ trợ.",
    ErrorCode.LIBREOFFICE_TIMEOUT: "LibreOffice không phản hồi sau {seconds} giây.",
    ErrorCode.LIBREOFFICE_NO_OUTPUT: "LibreOffice không tạo được tệp: {files}",
    ErrorCode.PACKAGE_CAMPAIGN: "Gói dữ liệu {name} thuộc đợt thi đua '{value}', không phải '{campaign_id}'.",
    ErrorCode.DOSSIER_TOO_MANY_MARKS: "Đã đánh dấu chọn {count} sáng kiến trong trang '{sheet}', vượt quá {max_n} sáng kiến mỗi đơn vị cấp trên được đề nghị lên tỉnh. Hãy bỏ bớt dấu x rồi xuất lại hồ sơ.",
    ErrorCode.REGISTRY_CODES_DIFFER_IN_CASE: "Mã đơn vị '{code}' và '{other}' chỉ khác nhau chữ hoa/chữ thường; hãy sửa danh sách đơn vị để mỗi mã là duy nhất.",
    ErrorCode.PLAN_MISMATCH: "Kế hoạch của tỉnh {province} không khớp với chương trình '{campaign}': {problems}.",
    ErrorCode.PLAN_FILE_NOT_FOUND: "Không tìm thấy tệp kế hoạch {path}.",
    ErrorCode.PLAN_FILE_TYPE: "Tệp kế hoạch {path} phải là tệp .toml hoặc bảng tính .xlsx (có trang «Thông tin»).",
    ErrorCode.PLAN_FILE_UNREADABLE: "Không đọc được tệp kế hoạch {path}: {message}",
    ErrorCode.PLAN_FILE_INVALID: "Tệp kế hoạch {path} có lỗi: {problems}. Hãy sửa tệp rồi chạy lại.",
    ErrorCode.PLAN_FILE_OTHER_PROVINCE: "Tệp kế hoạch {path} là của tỉnh {plan}, còn danh sách đơn vị là của tỉnh "
                                        "{registry}: hãy dùng tệp kế hoạch của đúng tỉnh.",
    ErrorCode.DOSSIER_MARKS_INVALID: "Không thể xuất hồ sơ: {problems}. Hãy bỏ dấu chọn các sáng kiến này.",
    ErrorCode.PACKAGE_NOT_A_PACKAGE: "Tệp {name} không phải gói dữ liệu của chương trình (thiếu trang {items}).",
    ErrorCode.PACKAGE_FORMAT: "Tệp {name}: định dạng gói '{value}' không được hỗ trợ.",
    ErrorCode.PACKAGE_UNREADABLE: "Không đọc được gói dữ liệu {name}: {message}",
    ErrorCode.PACKAGE_STAMP: "Gói dữ liệu {name}: dấu gói thiếu hoặc sai '{key}'.",
    ErrorCode.PACKAGE_LEDGER: "Gói dữ liệu {name}: sổ cân đối ghi '{value}' ở mục '{label}', không phải số dòng.",
    ErrorCode.PACKAGE_INCOMPLETE: "Gói dữ liệu {name} không đầy đủ: trang '{key}' có {count} dòng, dấu gói ghi {declared} dòng.",
    ErrorCode.DISTRICT_WORKBOOK_NOT_FOUND: "Không tìm thấy bảng tổng hợp cấp huyện: {path}",
    ErrorCode.DISTRICT_WORKBOOK_NOT_OURS: "Tệp {name} không phải bảng tổng hợp cấp huyện do chương trình tạo.",
    ErrorCode.DISTRICT_WORKBOOK_CAMPAIGN: "Bảng tổng hợp {name} thuộc đợt thi đua '{value}', không phải đợt '{expected}'.",
    ErrorCode.DISTRICT_WORKBOOK_UNKNOWN_DISTRICT: "Mã đơn vị cấp trên '{code}' của bảng tổng hợp không có trong danh sách đơn vị.",
    ErrorCode.DISTRICT_WORKBOOK_SHEETS_MISSING: "Tệp {name} không phải bảng tổng hợp cấp huyện do chương trình tạo (thiếu trang {items}).",
    ErrorCode.DISTRICT_WORKBOOK_UNREADABLE: "Không đọc được bảng tổng hợp {name}: {message}",
    ErrorCode.NATIONAL_FOLDER_NOT_FOUND: "Không tìm thấy thư mục gói dữ liệu các tỉnh: {root}",
    ErrorCode.PROVINCE_FOLDER_NOT_FOUND: "Không tìm thấy thư mục hồ sơ: {root}",
    ErrorCode.RECEIVED_UNKNOWN_DISTRICT: "Ngày nhận hồ sơ cho mã đơn vị cấp trên không có trong danh sách: {items}. Các mã có: {known}",
    ErrorCode.MAIL_CERTIFICATE: "Chứng chỉ TLS của máy chủ thư {host} không hợp lệ ({verify_message}): không kết nối.",
    ErrorCode.MAIL_CONNECT: "Không kết nối được máy chủ thư {host}:{port} ({exc}).",
    ErrorCode.MAIL_DISCONNECTED: "Mất kết nối với máy chủ thư {host} ({exc}); chạy lại lệnh để lấy tiếp.",
    ErrorCode.MAIL_SERVER_ERROR: "Máy chủ thư {host} báo lỗi: {exc}.",
    ErrorCode.MAIL_LOGIN: "Máy chủ thư {host} từ chối đăng nhập của '{user}': kiểm tra tên đăng nhập và mật khẩu ứng dụng (Gmail: mật khẩu ứng dụng 16 ký tự, không phải mật khẩu thường).",
    ErrorCode.MAIL_ONE_SOURCE: "Chọn đúng một nguồn thư: --imap, --mbox hoặc --eml.",
    ErrorCode.MAIL_MBOX_NOT_FOUND: "Không tìm thấy tệp hộp thư: {mbox}",
    ErrorCode.MAIL_EML_NOT_FOUND: "Không tìm thấy thư mục thư: {eml}",
    ErrorCode.ANNOTATE_TOO_LARGE: "Không tạo bản đánh dấu lỗi cho {name}: tệp có quá nhiều ô hoặc định dạng (vượt mức của một báo cáo CĐCS); các lỗi vẫn được liệt kê trong kết quả kiểm tra.",
    ErrorCode.ANNOTATE_UNSUPPORTED: "Không tạo được bản đánh dấu lỗi cho {shown}: chỉ hỗ trợ tệp .xlsx/.xlsm đọc được.",
    ErrorCode.ANNOTATE_OVER_INPUT: "Không tạo bản đánh dấu lỗi cho {shown}: tệp {target} là một tệp đang được kiểm tra; hãy chọn thư mục khác cho bản đánh dấu lỗi.",
    ErrorCode.ANNOTATE_NOT_XLSX: "Không tạo được bản đánh dấu lỗi cho {shown}: chỉ hỗ trợ tệp .xlsx/.xlsm đọc được.",
    ErrorCode.ANNOTATE_REFUSED: "Không tạo được bản đánh dấu lỗi cho {shown}: {message}",
    ErrorCode.ANNOTATE_UNREADABLE: "Không tạo được bản đánh dấu lỗi cho {shown}: chương trình ghi bản sao không mở được tệp ({name}).",
    ErrorCode.REGISTRY_HAS_ERRORS: "Danh sách đơn vị {source} có {count} lỗi:\n{lines}{more}",
    ErrorCode.REGISTRY_NOT_FOUND: "Không tìm thấy tệp danh sách đơn vị: {source}",
    ErrorCode.REGISTRY_UNREADABLE: "Không đọc được tệp danh sách đơn vị {source}: {message}",
    ErrorCode.DISTRICT_UNKNOWN: "Mã đơn vị cấp trên '{code}' không có trong danh sách đơn vị. Các mã có: {items}",
    ErrorCode.DISTRICT_UNKNOWN_IN_RUN: "Mã đơn vị cấp trên '{district_code}' không có trong danh sách đơn vị. Các mã có: {items}",
    ErrorCode.INBOX_NOT_FOUND: "Không tìm thấy thư mục báo cáo: {inbox}",
    ErrorCode.QUOTA_UNKNOWN_UNIT: "Số lượng đề xuất cho mã CĐCS không thuộc {district_code}: {items}.",
    ErrorCode.WORKBOOK_UNREADABLE: "Không đọc được bảng tính {name}: {exc}",
    ErrorCode.CONFIG_NOT_A_DATE: "Giá trị '{value}' ở {where} không phải ngày: nhập theo dạng {date_forms}.",
    ErrorCode.CONFIG_EMPTY: "Chưa điền {where}.",
    ErrorCode.CONFIG_ONEDRIVE_PATH: "Bảng tính đang mở trực tiếp từ OneDrive/SharePoint nên không có thư mục trên máy: hãy ghi đường dẫn đầy đủ (ví dụ C:\\SangKien\\{text}) ở {where}, hoặc lưu bảng tính vào một thư mục trên máy rồi mở lại.",
    ErrorCode.CONFIG_WRONG_WORKBOOK: "Nút này dành cho bảng tính {expected}, nhưng tệp này là bảng tính {value}.",
    ErrorCode.CONFIG_NAME_MISSING: "Bảng tính thiếu {where} ({name}). Hãy dùng bảng tính do sangkien tạo (lệnh sangkien excel) thay vì bản đã sửa cấu trúc.",
    ErrorCode.CONFIG_QUOTA_INVALID: "Số lượng đề xuất của CĐCS {code} ('{value}', bảng phân bổ ở trang {sheet}) phải là số nguyên từ 0 trở lên.",
    ErrorCode.LAUNCH_NOT_OUR_WORKBOOK: "{name} không phải bảng tính có nút bấm của sangkien (lệnh sangkien excel tạo ra).",
    ErrorCode.LAUNCH_WORKBOOK_NOT_FOUND: "Không tìm thấy bảng tính {xlsm}.",
    ErrorCode.LAUNCH_NO_RESULT_YET: "Chưa có bảng tổng hợp {name} cạnh bảng tính: hãy chạy «Tổng hợp» trước, đánh dấu x các sáng kiến chọn ở trang «Đề xuất», lưu lại, rồi xuất hồ sơ.",
}


def placeholders(template: str) -> set[str]:
    """The named fields of a message template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class SangkienError(Exception):
    """A problem the user can act on (bad configuration, unreadable registry, …), not a bug.

    Raised as ``SomeError(ErrorCode.X, **params)``: ``code`` and ``params`` stay on the exception for reports;
    ``str(exc)`` is the Vietnamese sentence. A subclass not yet moved to the catalogue may still pass the
    finished sentence (then ``code`` is None)."""

    def __init__(self, code: ErrorCode | str, /, **params: Any) -> None:
        if isinstance(code, ErrorCode):
            self.code: ErrorCode | None = code
            self.params = params
            message = MESSAGES[code].format(**params)
        else:
            self.code, self.params, message = None, params, code
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self)
