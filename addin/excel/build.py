"""Build the macro-enabled district and province workbooks (.xlsm).

Route (reproducible on any OS, no Excel): the VBA project is the one the pinned xlwings ships in
``quickstart_standalone.xlsm`` (its ``xlwings`` module, the ``Dictionary`` class it needs, the document
modules); ``pyopenvba`` drops the quickstart's sample ``Module1`` and adds ``macros/SangKien.bas``, and
``vbaproject.spec_exact`` makes its streams exact to [MS-OVBA]; XlsxWriter
then writes the workbook around that ``vbaProject.bin`` with the sheets and form buttons of this module.
Both steps are deterministic, so the committed workbooks are compared byte for byte with a fresh build.

Sheets: ``Bắt đầu`` (buttons, how-to), ``Cấu hình`` (folders, deadline, signing day, per-unit table; each
value a workbook-scoped defined name from ``layout``), one placeholder per result sheet (the buttons replace
them with what the CLI writes), ``Nhật ký`` (technical details of failures), the hidden ``xlwings.conf``
(interpreter and PYTHONPATH of the README's setup) and the very hidden stamp ``_sangkien_xlsm``.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.util
import io
import shutil
import sys
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from addin import PROJECT_ROOT
from addin.district import workbook as dw
from addin.province import workbook as pw
from addin.io.atomic import atomic_path
from addin.sheets.writer import settle_calculation
from addin.excel import layout as L
from addin.excel.launchers import LAUNCHER_SUFFIXES, write_launchers
from addin.excel.vbaproject import spec_exact
from addin.registry import District, Registry
from validators.text.names import ascii_name
from addin.cdcs.template.files import district_folder_name
from validators.campaign import Campaign, load_campaign

FIXED_CREATED = dt.datetime(2021, 1, 1)
FORMAT_VERSION = "1"
MACROS_DIR = PROJECT_ROOT / "macros"
MACRO_FILE = MACROS_DIR / f"{L.MACRO_MODULE}.bas"
# The quickstart's sample module; ours replaces it.
_QUICKSTART_MODULE = "Module1"

DISTRICT_RESULT_SHEETS = (dw.S_SUMMARY, dw.S_UNITS, dw.S_INITIATIVES, dw.S_NOMINATIONS, dw.S_COMMEND,
                          dw.S_INDICATORS, dw.S_STATS, dw.S_CHASE, dw.S_ERRORS, dw.S_FILES)
PROVINCE_RESULT_SHEETS = (pw.S_SUMMARY, pw.S_DISTRICTS, pw.S_CHARTS, pw.S_FIELDS, pw.S_ACCEPTED, pw.S_REJECTED,
                          pw.S_CHASE, pw.S_ISSUES, pw.S_LEDGER)


class BuildError(RuntimeError):
    """The workbooks cannot be built here (xlwings' files or our macros are missing)."""


def xlwings_dir() -> Path:
    spec = importlib.util.find_spec("xlwings")  # found without importing it: the build needs no Excel
    if spec is None or not spec.submodule_search_locations:
        raise BuildError("Chưa cài xlwings trong môi trường Python này.")
    return Path(list(spec.submodule_search_locations)[0])


def xlwings_version() -> str:
    return importlib.metadata.version("xlwings")


def macro_source() -> str:
    if not MACRO_FILE.is_file():
        raise BuildError(f"Không tìm thấy mã VBA {MACRO_FILE}: hãy chạy từ thư mục mã nguồn của sangkien.")
    text = MACRO_FILE.read_text(encoding="ascii")
    return text.replace("\r\n", "\n").replace("\n", "\r\n")  # VBA stores CRLF


@lru_cache(maxsize=1)
def vba_project_bytes() -> bytes:
    """``vbaProject.bin``: xlwings' standalone project with our module instead of the quickstart sample."""
    from pyopenvba import ExcelFile

    source = xlwings_dir() / "quickstart_standalone.xlsm"
    if not source.is_file():
        raise BuildError(f"Không tìm thấy {source.name} trong gói xlwings {xlwings_version()}.")
    with tempfile.TemporaryDirectory() as tmp:
        work, out = Path(tmp) / "in.xlsm", Path(tmp) / "out.xlsm"
        shutil.copyfile(source, work)
        with ExcelFile(work) as wb:
            project = wb.vba_project()
            if _QUICKSTART_MODULE in project.module_names():
                project.delete_module(_QUICKSTART_MODULE)
            project.add_module(L.MACRO_MODULE, macro_source())
            wb.save(out)
        with zipfile.ZipFile(out) as z:
            return spec_exact(z.read("xl/vbaProject.bin"))


# ------------------------------------------------------------------------------------------------------
# Workbook
# ------------------------------------------------------------------------------------------------------
def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


_NO_MACRO_DOOR = (
    "Nút không chạy được (macro bị chặn, WPS, LibreOffice, Excel cho Mac)? Lưu tệp này (Ctrl+S), đóng lại, rồi bấm "
    "đúp vào tệp cùng tên đuôi .cmd (Windows) hoặc .command (Mac) bên cạnh: chọn 1 để tổng hợp, 2 để xuất; kết quả "
    "được ghi thành bảng tổng hợp .xlsx cạnh tệp này (cấp huyện: đánh dấu x ở bảng đó, lưu lại rồi chọn 2).")


def _howto(kind: str, campaign: Campaign) -> list[str]:
    if kind == "district":
        n = campaign.rules.district_nomination_max
        return [
            "CÁCH DÙNG",
            "1. Lưu các tệp báo cáo CĐCS nhận được (qua email, Zalo, USB…) vào thư mục ghi ở trang «Cấu hình» "
            "(mặc định: thư mục «bao-cao-cdcs» cạnh tệp này). Có thể để trong thư mục con; tệp gốc không bị sửa.",
            "2. Kiểm tra trang «Cấu hình»: hạn nộp của CĐCS, số lượng sáng kiến mỗi CĐCS được đề xuất.",
            "3. Bấm «Tổng hợp»: mọi tệp được đọc, kiểm tra và tổng hợp vào các trang kết quả (Tổng hợp, Đơn vị, "
            "Sáng kiến, Đề xuất, Khen thưởng, Chỉ tiêu, Thống kê, Đôn đốc, Lỗi, Tệp). Thanh trạng thái của Excel "
            "cho biết tiến độ; cuối cùng một hộp thông báo tóm tắt kết quả.",
            f"4. Ở trang «Đề xuất», đánh dấu x vào cột «{dw.MARK_HEADER}» cho tối đa {n} sáng kiến đề nghị lên tỉnh.",
            "5. Bấm «Xuất hồ sơ gửi tỉnh»: Bảng tổng hợp tóm tắt sáng kiến, Tờ trình (.docx) và gói dữ liệu được ghi "
            "vào thư mục kết quả. In, ký Tờ trình và gửi tỉnh qua bưu điện và email "
            f"trước ngày {_d(campaign.deadlines.district_dossier_before)}.",
            "6. Bấm «Mở thư mục» để mở thư mục kết quả. Lưu tệp này (Ctrl+S) để giữ kết quả tổng hợp.",
            "Nút bấm cần Python và sangkien đã cài trên máy theo hướng dẫn «Cài đặt trên Windows» trong README. "
            "Nếu Excel báo macro bị chặn: đóng tệp, bấm chuột phải vào tệp → Properties → đánh dấu Unblock → OK.",
            _NO_MACRO_DOOR,
        ]
    return [
        "CÁCH DÙNG",
        "1. Lưu hồ sơ các đơn vị cấp trên gửi về vào thư mục ghi ở trang «Cấu hình» (mặc định: «ho-so-cac-don-vi» "
        "cạnh tệp này), mỗi đơn vị một thư mục con (gói dữ liệu .xlsx, Tờ trình, Bảng tổng hợp).",
        "2. Ở trang «Cấu hình», ghi ngày tỉnh thực nhận hồ sơ của từng đơn vị (dấu bưu điện hoặc email); "
        f"hồ sơ hợp lệ phải đến trước ngày {_d(campaign.deadlines.district_dossier_before)}.",
        "3. Bấm «Tổng hợp toàn tỉnh»: kết quả so với từng chỉ tiêu của kế hoạch, toàn tỉnh và từng đơn vị; "
        "danh sách đề nghị TLĐ, lý do từng hồ sơ không đủ điều kiện, danh sách đơn vị cần đôn đốc.",
        "4. Bấm «Xuất danh sách đề nghị TLĐ»: Bảng tổng hợp tóm tắt sáng kiến, Tờ trình gửi Tổng Liên đoàn (.docx) "
        "và gói dữ liệu cấp tỉnh được ghi vào thư mục kết quả.",
        "5. Bấm «Mở thư mục» để mở thư mục kết quả. Lưu tệp này (Ctrl+S) để giữ kết quả tổng hợp.",
        "Nút bấm cần Python và sangkien đã cài trên máy theo hướng dẫn «Cài đặt trên Windows» trong README. "
        "Nếu Excel báo macro bị chặn: đóng tệp, bấm chuột phải vào tệp → Properties → đánh dấu Unblock → OK.",
        _NO_MACRO_DOOR,
    ]


def build_workbook(
    kind: str,
    campaign: Campaign,
    registry: Registry,
    path: str | Path,
    *,
    district_code: str | None = None,
    campaign_ref: str = "",
    registry_ref: str = "",
    project_dir: str = L.DEFAULT_PROJECT_DIR,
) -> Path:
    """Write the ``kind`` ("district" or "province") workbook to ``path`` (atomically), pre-filled from
    ``registry``. ``campaign_ref`` / ``registry_ref`` are written in the configuration as the buttons will
    load them (empty: the default campaign, the sample registry)."""
    import xlsxwriter

    if kind not in L.WORKBOOK_KINDS:
        raise ValueError(kind)
    district: District | None = registry.district(district_code) if kind == "district" else None
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
        title = (f"Tổng hợp sáng kiến – {district.name}" if district
                 else f"Tổng hợp sáng kiến toàn tỉnh – {registry.province}")
        wb.set_properties({"title": title, "created": FIXED_CREATED, "author": "sangkien"})
        settle_calculation(wb)  # no formulas: nothing to recalculate, no save prompt on close
        wb.add_vba_project(io.BytesIO(vba_project_bytes()), is_stream=True)
        wb.set_vba_name("ThisWorkbook")
        f = _formats(wb)
        start = wb.add_worksheet(L.S_START)
        _write_start(start, f, kind, campaign, registry, district)
        config = wb.add_worksheet(L.S_CONFIG)
        if district is not None:
            _write_district_config(wb, config, f, campaign, registry, district, campaign_ref, registry_ref)
        else:
            _write_province_config(wb, config, f, campaign, registry, campaign_ref, registry_ref)
        for name in (DISTRICT_RESULT_SHEETS if kind == "district" else PROVINCE_RESULT_SHEETS):
            ws = wb.add_worksheet(name)
            ws.write_string(0, 0, f"Chưa có kết quả. Bấm nút «{L.BUTTONS[kind][0].caption}» ở trang «{L.S_START}».",
                            f["note"])
            ws.set_column(0, 0, 60)
        log = wb.add_worksheet(L.S_LOG)
        log.write_string(0, 0, "NHẬT KÝ LỖI KHI CHẠY NÚT BẤM (gửi trang này cho bộ phận hỗ trợ nếu cần)", f["title"])
        log.write_row(1, 0, ["Thời điểm", "Nút", "Nội dung", "Chi tiết kỹ thuật"], f["head"])
        log.set_column(0, 1, 20)
        log.set_column(2, 2, 60)
        log.set_column(3, 3, 100)
        conf = wb.add_worksheet(L.S_XLWINGS)
        _write_xlwings_conf(conf, project_dir)
        conf.hide()
        stamp = wb.add_worksheet(L.S_STAMP)
        rows = [("kind", kind), ("format", FORMAT_VERSION), ("campaign_id", campaign.id),
                ("code", district.code if district else registry.province_code),
                ("xlwings_version", xlwings_version())]
        for r, (k, v) in enumerate(rows):
            stamp.write_string(r, 0, k)
            stamp.write_string(r, 1, v)
        wb.define_name(L.N_KIND, f"='{L.S_STAMP}'!$B$1")
        stamp.very_hidden()
        start.activate()
        wb.close()
    return path


def _formats(wb) -> dict:
    return {
        "title": wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F4E79"}),
        "sub": wb.add_format({"italic": True, "font_color": "#404040"}),
        "head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                               "valign": "vcenter"}),
        "label": wb.add_format({"bold": True, "border": 1, "valign": "top", "text_wrap": True}),
        "locked": wb.add_format({"border": 1, "bg_color": "#F2F2F2", "valign": "top"}),
        "input": wb.add_format({"border": 1, "bg_color": "#FFF2CC", "locked": False, "valign": "top"}),
        "date": wb.add_format({"border": 1, "bg_color": "#FFF2CC", "locked": False, "num_format": "dd/mm/yyyy",
                               "align": "left"}),
        "int": wb.add_format({"border": 1, "bg_color": "#FFF2CC", "locked": False, "num_format": "0"}),
        "cell": wb.add_format({"border": 1, "valign": "top"}),
        "note": wb.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"}),
        "step": wb.add_format({"text_wrap": True, "valign": "top"}),
        "bold": wb.add_format({"bold": True}),
    }


def _print_setup(ws) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide


def _write_start(ws, f, kind: str, campaign: Campaign, registry: Registry, district: District | None) -> None:
    ws.set_column(0, 0, 2)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 2, 2)
    ws.set_column(3, 3, 100)
    ws.hide_gridlines(2)
    _print_setup(ws)
    who = district.name if district else f"Liên đoàn Lao động tỉnh {registry.province}"
    level = "CẤP HUYỆN, NGÀNH" if district else "CẤP TỈNH"
    ws.write_string(0, 1, f"TỔNG HỢP SÁNG KIẾN {level} – {who.upper()}", f["title"])
    ws.write_string(1, 1, f"Chương trình «{campaign.name}» ({campaign.id}).", f["sub"])
    for n, button in enumerate(L.BUTTONS[kind]):
        ws.insert_button(3 + 3 * n, 1, {"macro": button.macro, "caption": button.caption,
                                        "width": 230, "height": 40})
    for r, line in enumerate(_howto(kind, campaign), start=3):
        ws.write_string(r, 3, line, f["bold"] if r == 3 else f["step"])
        ws.set_row(r, 48 if r > 3 else 18)


def _config_rows(ws, wb, f, rows: Sequence[tuple[str, str | None, object, str, str]]) -> int:
    """(label, defined name, value, format key, note) from row 2; returns the next free row."""
    ws.set_column(0, 0, 38)
    ws.set_column(1, 1, 46)
    ws.set_column(2, 2, 70)
    ws.write_row(1, 0, ["Mục", "Giá trị", "Ghi chú"], f["head"])
    _print_setup(ws)
    r = 2
    for label, name, value, fmt, note in rows:
        ws.write_string(r, 0, label, f["label"])
        if isinstance(value, dt.date):
            ws.write_datetime(r, 1, dt.datetime(value.year, value.month, value.day), f[fmt])
            ws.data_validation(r, 1, r, 1, {
                "validate": "date", "criteria": ">", "value": dt.datetime(2000, 1, 1),
                "input_title": "Ngày", "input_message": "Nhập ngày dạng dd/mm/yyyy.",
                "error_title": "Ngày không hợp lệ", "error_message": "Nhập ngày dạng dd/mm/yyyy, ví dụ 05/04/2021."})
        elif value is None:
            ws.write_blank(r, 1, None, f[fmt])
        else:
            ws.write_string(r, 1, str(value), f[fmt])
        ws.write_string(r, 2, note, f["note"])
        if len(note) > 80:
            ws.set_row(r, 30)  # two wrapped lines of the note
        if name:
            wb.define_name(name, f"='{L.S_CONFIG}'!$B${r + 1}")
        r += 1
    return r + 1


def _common_rows(campaign: Campaign, campaign_ref: str, registry_ref: str) -> list[tuple]:
    return [
        ("Đợt thi đua", L.N_CAMPAIGN, campaign_ref or campaign.id, "input",
         f"{campaign.name}. Mã đợt thi đua, hoặc đường dẫn tệp cấu hình .toml của đợt khác."),
        ("Tệp danh sách đơn vị", L.N_REGISTRY, registry_ref or None, "input",
         "Đường dẫn tệp danh sách đơn vị (.xlsx) của tỉnh. Để trống: danh sách MẪU Đắk Nông (dữ liệu hư cấu)."),
    ]


def _write_district_config(wb, ws, f, campaign: Campaign, registry: Registry, district: District,
                           campaign_ref: str, registry_ref: str) -> None:
    ws.write_string(0, 0, f"CẤU HÌNH – {district.name.upper()}", f["title"])
    rows = [
        ("Mã đơn vị cấp trên", L.N_CODE, district.code, "locked", "Theo danh sách đơn vị; không sửa."),
        ("Tên đơn vị cấp trên", L.N_NAME, district.name, "locked", ""),
        *_common_rows(campaign, campaign_ref, registry_ref),
        ("Thư mục nhận báo cáo CĐCS", L.N_INBOX, L.DEFAULT_INBOX["district"], "input",
         "Thư mục chứa các tệp CĐCS gửi về (kể cả thư mục con). Đường dẫn tương đối tính từ thư mục của tệp này."),
        ("Thư mục ghi hồ sơ gửi tỉnh", L.N_OUTPUT, L.DEFAULT_OUTPUT, "input",
         "Nơi ghi Bảng tổng hợp tóm tắt sáng kiến, Tờ trình và gói dữ liệu."),
        ("Hạn nộp báo cáo của CĐCS", L.N_DEADLINE, campaign.deadlines.cdcs_submission_default, "date",
         "Tệp gửi sau ngày này được đánh dấu «gửi muộn»."),
        ("Ngày ký Tờ trình", L.N_SIGNED_ON, None, "date", "Để trống: ngày xuất hồ sơ."),
        ("Đơn vị đã tự tổ chức tuyên truyền Chương trình", L.N_OWN_PROPAGATED, None, "input",
         "Có / Không: công đoàn cấp trên tự tuyên truyền (tính vào chỉ tiêu 100% công đoàn các cấp của tỉnh)."),
        ("Phong trào thi đua đặc thù của đơn vị", L.N_OWN_MOVEMENT, None, "input",
         "Tên phong trào thi đua đặc thù của chính đơn vị cấp trên; để trống: chưa có."),
    ]
    r = _config_rows(ws, wb, f, rows)
    quota = campaign.rules.default_cdcs_nomination_quota
    _unit_table(wb, ws, f, r, "SỐ LƯỢNG SÁNG KIẾN MỖI CĐCS ĐƯỢC ĐỀ XUẤT LÊN CẤP TRÊN (PHÂN BỔ)",
                ["Mã CĐCS", "Tên CĐCS", "Số lượng được đề xuất"],
                [(u.code, u.name) for u in registry.cdcs_of(district.code)],
                lambda row: ws.write_number(row, 2, quota, f["int"]),
                {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 1000,
                 "error_title": "Số lượng không hợp lệ", "error_message": "Nhập số nguyên từ 0 trở lên."})


def _unit_table(wb, ws, f, r: int, title: str, headers: list[str], units: list[tuple[str, str]],
                write_value: Callable[[int], None], validation: dict) -> None:
    """The per-unit table under the settings: code and name locked, the third column staff fill in
    (``N_TABLE``)."""
    ws.write_string(r, 0, title, f["bold"])
    ws.write_row(r + 1, 0, headers, f["head"])
    first = r + 2
    for i, (code, name) in enumerate(units):
        ws.write_string(first + i, 0, code, f["locked"])
        ws.write_string(first + i, 1, name, f["locked"])
        write_value(first + i)
    last = first + max(len(units), 1) - 1
    ws.data_validation(first, 2, last, 2, validation)
    wb.define_name(L.N_TABLE, f"='{L.S_CONFIG}'!$A${first + 1}:$C${last + 1}")
    ws.freeze_panes(2, 0)


def _write_province_config(wb, ws, f, campaign: Campaign, registry: Registry,
                           campaign_ref: str, registry_ref: str) -> None:
    ws.write_string(0, 0, f"CẤU HÌNH – LIÊN ĐOÀN LAO ĐỘNG TỈNH {registry.province.upper()}", f["title"])
    rows = [
        ("Mã tỉnh", L.N_CODE, registry.province_code, "locked", "Theo danh sách đơn vị; không sửa."),
        ("Tỉnh", L.N_NAME, registry.province, "locked", ""),
        *_common_rows(campaign, campaign_ref, registry_ref),
        ("Thư mục hồ sơ các đơn vị gửi về", L.N_INBOX, L.DEFAULT_INBOX["province"], "input",
         "Mỗi đơn vị cấp trên một thư mục con. Đường dẫn tương đối tính từ thư mục của tệp này."),
        ("Thư mục ghi kết quả", L.N_OUTPUT, L.DEFAULT_OUTPUT, "input",
         "Nơi ghi danh sách đề nghị TLĐ: Bảng tổng hợp, Tờ trình, gói dữ liệu cấp tỉnh."),
        ("Hồ sơ phải đến tỉnh trước ngày", None, _d(campaign.deadlines.district_dossier_before), "locked",
         "Theo kế hoạch (cấu hình đợt thi đua)."),
        ("Ngày ký Tờ trình gửi TLĐ", L.N_SIGNED_ON, None, "date", "Để trống: ngày tổng hợp."),
    ]
    r = _config_rows(ws, wb, f, rows)
    _unit_table(wb, ws, f, r, "NGÀY TỈNH THỰC NHẬN HỒ SƠ CỦA TỪNG ĐƠN VỊ (để trống: theo ngày xuất trong gói dữ liệu)",
                ["Mã đơn vị cấp trên", "Tên đơn vị", "Ngày nhận hồ sơ"],
                [(d.code, d.name) for d in registry.districts],
                lambda row: ws.write_blank(row, 2, None, f["date"]),
                {"validate": "date", "criteria": ">", "value": dt.datetime(2000, 1, 1),
                 "error_title": "Ngày không hợp lệ", "error_message": "Nhập ngày dạng dd/mm/yyyy."})


def _write_xlwings_conf(ws, project_dir: str) -> None:
    # Read by xlwings' VBA (GetConfigFromSheet): keys in column A down to the first blank, values in B;
    # %VARIABLES% are expanded. pythonw.exe: no console window flashes on each click. PYTHONPATH already
    # points at the project, so the workbook's own folder is not added: for a workbook in a OneDrive-synced
    # folder Excel reports a web address, which xlwings' prepare_sys_path would try (and may fail, in English)
    # to map back to a local folder before any of our code runs.
    rows = [("INTERPRETER_WIN", project_dir + r"\.venv\Scripts\pythonw.exe"),
            ("PYTHONPATH", project_dir),
            ("ADD_WORKBOOK_TO_PYTHONPATH", "false")]
    for r, (k, v) in enumerate(rows):
        ws.write_string(r, 0, k)
        ws.write_string(r, 1, v)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 60)


# ------------------------------------------------------------------------------------------------------
# Sets of workbooks
# ------------------------------------------------------------------------------------------------------
def district_file_name(district: District) -> str:
    short = ascii_name(district.name)
    code = district_folder_name(district.code)
    return f"{code} - {short}.xlsm" if short else f"{code}.xlsm"


def province_file_name(registry: Registry) -> str:
    return f"tong-hop-tinh - {ascii_name(registry.province) or 'tinh'}.xlsm"


def build_workbooks(campaign: Campaign, registry: Registry, out_dir: str | Path, *, district_code: str | None = None,
                    campaign_ref: str = "", registry_ref: str = "", include_province: bool = True,
                    project_dir: str = L.DEFAULT_PROJECT_DIR,
                    progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """One district workbook per district-level union (or only ``district_code``) under ``out/district`` and,
    with ``include_province``, the province workbook under ``out/province``; beside each, its launchers
    (``launchers``: the same runs without a macro)."""
    out = Path(out_dir)
    districts = [registry.district(district_code)] if district_code else list(registry.districts)
    total = len(districts) + (1 if include_province else 0)
    written = []
    for d in districts:
        written.append(build_workbook("district", campaign, registry, out / "district" / district_file_name(d),
                                      district_code=d.code, campaign_ref=campaign_ref, registry_ref=registry_ref,
                                      project_dir=project_dir))
        if progress:
            progress(len(written), total)
    if include_province:
        written.append(build_workbook("province", campaign, registry, out / "province" / province_file_name(registry),
                                      campaign_ref=campaign_ref, registry_ref=registry_ref, project_dir=project_dir))
        if progress:
            progress(len(written), total)
    for path in written:
        write_launchers(path, project_dir)
    return written


def write_shipped_workbooks(root: str | Path | None = None) -> list[Path]:
    """Regenerate ``workbook_templates/district`` and ``workbook_templates/province`` for the sample registry;
    stale .xlsm files and launchers there are removed so the folders hold exactly the generated set."""
    from addin.sample.registry import build_sample_registry
    from addin.sample.shipped import default_shipped_root

    root = Path(root) if root is not None else default_shipped_root()
    written = build_workbooks(load_campaign(), build_sample_registry(), root)
    keep = set(written) | {p.with_suffix(s) for p in written for s in LAUNCHER_SUFFIXES}
    for sub in ("district", "province"):
        for stale in (root / sub).iterdir():
            if stale.suffix in (".xlsm", *LAUNCHER_SUFFIXES) and stale not in keep:
                stale.unlink()
    return written


def _main(argv: Sequence[str]) -> int:
    from addin.sample.shipped import default_shipped_root

    root = Path(argv[0]) if argv else default_shipped_root()
    paths = write_shipped_workbooks(root)
    print(f"Đã tạo {len(paths)} bảng tính có nút bấm trong {root}")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
