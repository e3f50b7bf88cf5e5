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


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.CAMPAIGN_NOT_FOUND: "Không có đợt thi đua '{name}'. Các đợt có sẵn: {known}",
    ErrorCode.CAMPAIGN_UNREADABLE: "Không đọc được tệp cấu hình đợt thi đua {source}: {detail}",
    ErrorCode.CAMPAIGN_INVALID: "Tệp cấu hình đợt thi đua {source} không hợp lệ: {detail}",
    ErrorCode.LIBREOFFICE_MISSING: "Không tìm thấy LibreOffice (soffice). Hãy cài LibreOffice để dùng chức năng này.",
    ErrorCode.LIBREOFFICE_SOURCE_MISSING: "Không tìm thấy tệp: {path}",
    ErrorCode.LIBREOFFICE_SAME_NAMES: "Các tệp cần chuyển đổi phải có tên khác nhau.",
    ErrorCode.LIBREOFFICE_OVERWRITE: "Thư mục đầu ra trùng thư mục tệp nguồn cùng định dạng: tệp nguồn sẽ bị ghi đè.",
    ErrorCode.LIBREOFFICE_FAILED: "LibreOffice lỗi (mã {status}): {detail}",
    ErrorCode.LIBREOFFICE_TIMEOUT: "LibreOffice không phản hồi sau {seconds} giây.",
    ErrorCode.LIBREOFFICE_NO_OUTPUT: "LibreOffice không tạo được tệp: {files}",
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
