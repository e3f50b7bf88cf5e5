"""What the build and the buttons agree on: sheet names, the defined names of the configuration cells,
the macros behind each button. Plain data, no xlwings."""

from __future__ import annotations

from dataclasses import dataclass

S_START = "Bắt đầu"
S_CONFIG = "Cấu hình"
S_LOG = "Nhật ký"
S_XLWINGS = "xlwings.conf"  # the name xlwings' VBA module looks for
S_STAMP = "_sangkien_xlsm"

WORKBOOK_KINDS = ("district", "province")

# Configuration cells: workbook-scoped defined names on the "Cấu hình" sheet.
N_KIND = "SK_LOAI_BANG_TINH"
N_CODE = "SK_MA_DON_VI"
N_NAME = "SK_TEN_DON_VI"
N_CAMPAIGN = "SK_DOT_THI_DUA"
N_REGISTRY = "SK_DANH_SACH_DON_VI"
N_INBOX = "SK_THU_MUC_NHAN"
N_OUTPUT = "SK_THU_MUC_KET_QUA"
N_DEADLINE = "SK_HAN_NOP"
N_SIGNED_ON = "SK_NGAY_KY"
N_OWN_PROPAGATED = "SK_DA_TUYEN_TRUYEN"  # district: its own propagation (Có/Không), optional cell
N_OWN_MOVEMENT = "SK_PHONG_TRAO_DAC_THU"  # district: its own specific movement, optional cell
N_TABLE = "SK_BANG_DON_VI"  # per-CĐCS quotas (district) / dossier receipt days (province)

MACRO_MODULE = "SangKien"


@dataclass(frozen=True)
class Button:
    caption: str
    macro: str  # a Sub of macros/SangKien.bas
    function: str  # the Python function of addin.excel.buttons it runs


BUTTONS = {
    "district": (
        Button("Tổng hợp", "SangKien_TongHopHuyen", "district_consolidate"),
        Button("Xuất hồ sơ gửi tỉnh", "SangKien_XuatHoSo", "district_export_dossier"),
        Button("Mở thư mục", "SangKien_MoThuMuc", "open_output_folder"),
    ),
    "province": (
        Button("Tổng hợp toàn tỉnh", "SangKien_TongHopTinh", "province_consolidate"),
        Button("Xuất danh sách đề nghị TLĐ", "SangKien_XuatDanhSachTLD", "province_export_tld"),
        Button("Mở thư mục", "SangKien_MoThuMuc", "open_output_folder"),
    ),
}

# Defaults written into a new workbook; relative folders are next to the workbook.
DEFAULT_INBOX = {"district": "bao-cao-cdcs", "province": "ho-so-cac-don-vi"}
DEFAULT_OUTPUT = "ket-qua"
# Where the README's setup puts the project; xlwings expands %VARS% in its configuration sheet.
DEFAULT_PROJECT_DIR = r"%USERPROFILE%\sangkien"
