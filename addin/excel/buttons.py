"""The Python side of the workbook buttons (``macros/SangKien.bas`` runs them through xlwings' RunPython).

Each function takes the clicked workbook (``book=None``: ``xw.Book.caller()``), reads its ``Cấu hình``
sheet, runs the same library call as the CLI, writes the same result sheets into the workbook, shows
progress in the status bar and ends with a Vietnamese message box. A named library error becomes that
message; anything else becomes a short apology with the technical details on the ``Nhật ký`` sheet. No
rule or computation lives here.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from addin.excel import layout as L
from addin.excel.config import ButtonConfig, read_any_config, read_config
from addin.excel.progress import Sink, StatusProgress, status_bar_sink
from addin.excel.sheets import cell_value, read_grid, write_result_sheets
from validators.errors import SangkienError

TITLE = "sangkien"
LOG_TEXT_MAX = 32000  # an Excel cell holds 32,767 characters


@dataclass
class Run:
    book: Any
    sink: Sink | None

    def show(self, message: str | None) -> None:
        if self.sink is not None:
            self.sink(message)

    def progress(self, verb: str = "Đang đọc", noun: str = "tệp") -> StatusProgress | None:
        return StatusProgress(self.sink, verb, noun) if self.sink is not None else None

    def alert(self, message: str, critical: bool = False) -> None:
        self.book.app.alert(message, TITLE, mode="critical" if critical else "info")


def _caller(book):
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


@contextmanager
def _button(book, label: str, status: Sink | None) -> Iterator[Run]:
    book = _caller(book)
    run = Run(book, status if status is not None else status_bar_sink(book.app))
    _set_screen_updating(book, False)
    try:
        yield run
    except SangkienError as exc:
        run.alert(f"{exc}\n\nHãy sửa theo hướng dẫn trên (trang «{L.S_CONFIG}» hoặc thư mục tệp) rồi bấm lại nút "
                  f"«{label}».", critical=True)
    except Exception as exc:  # noqa: BLE001 - a bug of ours: a sentence for the user, details on the log sheet
        logged = _log_failure(book, label, exc)
        where = f"Chi tiết kỹ thuật đã ghi ở trang «{L.S_LOG}»" if logged else "Không ghi được chi tiết kỹ thuật"
        run.alert(f"Lỗi không mong đợi khi chạy nút «{label}» ({type(exc).__name__}: {exc}).\n\n"
                  f"Các tệp báo cáo không bị thay đổi. {where}: hãy lưu bảng tính và gửi cho bộ phận hỗ trợ.",
                  critical=True)
    finally:
        _set_screen_updating(book, True)
        run.show(None)


def _set_screen_updating(book, on: bool) -> None:
    try:
        book.app.screen_updating = on
    except Exception:  # noqa: BLE001 - a cosmetic setting must never fail a button
        pass


def _log_failure(book, label: str, exc: BaseException) -> bool:
    try:
        sheet = book.sheets[L.S_LOG]
        row = len(read_grid(sheet)) + 1
        detail = "".join(traceback.format_exception(exc))[-LOG_TEXT_MAX:]
        sheet.range((row, 1)).value = [[dt.datetime.now().replace(microsecond=0), cell_value(label),
                                        cell_value(f"{type(exc).__name__}: {exc}"), cell_value(detail)]]
        sheet.range((row, 1)).number_format = "dd/mm/yyyy hh:mm:ss"
        return True
    except Exception:  # noqa: BLE001 - the message box must still come
        return False


def _files_list(paths) -> str:
    return "\n".join(f"  - {Path(p).name}" for p in paths)


# ------------------------------------------------------------------------------------------------------
# District workbook
# ------------------------------------------------------------------------------------------------------
def district_consolidate(book=None, *, status: Sink | None = None, now: dt.datetime | None = None) -> None:
    """«Tổng hợp»: read, validate and consolidate the inbox; the district sheets go into the workbook."""
    from addin.district.records import DistrictSettings
    from addin.district.result import summary_lines
    from addin.district.run import run_district
    from addin.district.workbook import S_NOMINATIONS, district_sheets

    with _button(book, "Tổng hợp", status) as run:
        cfg = read_config(run.book, "district")
        run.show(f"Đang tìm tệp trong {cfg.inbox}…")
        result = run_district(cfg.inbox, cfg.code, cfg.campaign, cfg.registry, workbook=_own_path(run, cfg),
                              write_workbook=False, progress=run.progress(), now=now,
                              settings=DistrictSettings(deadline=cfg.deadline, quotas=cfg.quotas,
                                                        own_propagated=cfg.own_propagated,
                                                        own_movement=cfg.own_movement))
        run.show("Đang ghi kết quả vào bảng tính…")
        names = {s.name for s in run.book.sheets}
        previous = read_grid(run.book.sheets[S_NOMINATIONS]) if S_NOMINATIONS in names else None
        write_result_sheets(run.book, district_sheets(result, previous), after=L.S_CONFIG, links_base=cfg.base)
        max_n = cfg.campaign.rules.district_nomination_max
        run.alert("\n".join(summary_lines(result)) + f"\n\nThư mục đã đọc: {cfg.inbox}\n"
                  f"Chi tiết lỗi từng tệp: trang «Lỗi»; CĐCS cần đôn đốc: trang «Đôn đốc».\n"
                  f"Tiếp theo: đánh dấu x tối đa {max_n} sáng kiến ở trang «{S_NOMINATIONS}», "
                  "rồi bấm «Xuất hồ sơ gửi tỉnh». Nhớ lưu bảng tính (Ctrl+S).")


def district_export_dossier(book=None, *, status: Sink | None = None) -> None:
    """«Xuất hồ sơ gửi tỉnh»: the staff's marks on ``Đề xuất`` (read from the open workbook, saved or not)
    become the dossier files in the output folder."""
    from addin.district import workbook as dw
    from addin.dossier.export import export_dossier

    with _button(book, "Xuất hồ sơ gửi tỉnh", status) as run:
        cfg = read_config(run.book, "district")
        names = {s.name for s in run.book.sheets}
        needed = (dw.S_META, dw.S_NOMINATIONS, dw.S_INITIATIVES, dw.S_UNITS, dw.S_SUMMARY)
        missing = [n for n in needed if n not in names]
        if missing:
            first = ("Chưa có kết quả tổng hợp trong bảng tính này" if dw.S_META in missing else
                     f"Bảng tính thiếu trang {', '.join(f'«{n}»' for n in missing)} của kết quả tổng hợp")
            run.alert(f"{first}: hãy bấm «Tổng hợp» trước, đánh dấu x các sáng kiến chọn ở trang "
                      f"«{dw.S_NOMINATIONS}», rồi bấm «Xuất hồ sơ gửi tỉnh».", critical=True)
            return
        run.show("Đang đọc các sáng kiến đã chọn…")
        grids = {name: read_grid(run.book.sheets[name]) for name in needed}
        run.show("Đang ghi hồ sơ…")
        result = export_dossier(Path(run.book.fullname), cfg.output, cfg.campaign, cfg.registry,
                                signed_on=cfg.signed_on, sheets=grids)
        camp = cfg.campaign
        run.alert(f"Đã chọn {len(result.selected)} sáng kiến. Hồ sơ gửi tỉnh đã ghi vào thư mục:\n{cfg.output}\n"
                  f"{_files_list(result.files)}\n\nIn và ký Tờ trình, gửi tỉnh qua bưu điện và email "
                  f"{camp.dossier_email} trước ngày {camp.deadlines.district_dossier_before:%d/%m/%Y}.")


# ------------------------------------------------------------------------------------------------------
# Province workbook
# ------------------------------------------------------------------------------------------------------
def _own_path(run: Run, cfg: ButtonConfig) -> Path | None:
    """The button's workbook on disk (the re-run cache sits beside it, as the CLI keeps it beside its output);
    None when Excel reports a web location (OneDrive) rather than a folder."""
    return cfg.base / Path(run.book.fullname).name if cfg.base is not None else None


def _province_result(run: Run, cfg: ButtonConfig, now: dt.datetime | None, package: Path | None = None):
    from addin.province.run import run_province
    from addin.province.workbook import S_ACCEPTED, S_REJECTED, province_sheets, staff_from_grids

    run.show(f"Đang tìm hồ sơ trong {cfg.inbox}…")
    names = {s.name for s in run.book.sheets}
    staff = staff_from_grids({n: read_grid(run.book.sheets[n]) for n in (S_ACCEPTED, S_REJECTED) if n in names})
    done = run_province(cfg.inbox, cfg.campaign, cfg.registry, workbook=_own_path(run, cfg), write_workbook=False,
                        package=package, signed_on=cfg.signed_on, received=cfg.received,
                        progress=run.progress(), now=now, staff=staff)
    run.show("Đang ghi kết quả vào bảng tính…")
    write_result_sheets(run.book, province_sheets(done.result), after=L.S_CONFIG, links_base=cfg.base)
    return done


def province_consolidate(book=None, *, status: Sink | None = None, now: dt.datetime | None = None) -> None:
    """«Tổng hợp toàn tỉnh»: every district dossier against every target; the province sheets go into
    the workbook."""
    from addin.province.consolidate import summary_lines
    from addin.province.workbook import S_ACCEPTED, S_CHASE, S_REJECTED

    with _button(book, "Tổng hợp toàn tỉnh", status) as run:
        cfg = read_config(run.book, "province")
        result = _province_result(run, cfg, now).result
        run.alert("\n".join(summary_lines(result)) + f"\n\nThư mục đã đọc: {cfg.inbox}\n"
                  f"Danh sách đề nghị: trang «{S_ACCEPTED}»; lý do không xét: trang «{S_REJECTED}»; "
                  f"đơn vị cần đôn đốc: trang «{S_CHASE}».\nTiếp theo: bấm «Xuất danh sách đề nghị TLĐ». "
                  "Nhớ lưu bảng tính (Ctrl+S).")


def province_package_path(cfg: ButtonConfig) -> Path:
    from validators.text.names import safe_code

    return cfg.output / f"goi-du-lieu-tinh-{safe_code(cfg.registry.province_code or cfg.registry.province)}.xlsx"


def province_export_tld(book=None, *, status: Sink | None = None, now: dt.datetime | None = None) -> None:
    """«Xuất danh sách đề nghị TLĐ»: consolidate again (the sheets stay what is exported), then write the
    province package with its Tờ trình and Bảng tổng hợp into the output folder."""
    with _button(book, "Xuất danh sách đề nghị TLĐ", status) as run:
        cfg = read_config(run.book, "province")
        done = _province_result(run, cfg, now, package=province_package_path(cfg))
        result, files = done.result, done.package_files
        run.alert(f"Danh sách đề nghị TLĐ: {len(result.accepted)} sáng kiến; không đủ điều kiện: "
                  f"{len(result.rejected)}. Đã ghi vào thư mục:\n{cfg.output}\n{_files_list(files)}\n\n"
                  "In và ký Tờ trình, gửi Tổng Liên đoàn kèm Bảng tổng hợp; cập nhật danh sách vào phần mềm TLĐ.")


# ------------------------------------------------------------------------------------------------------
# Both workbooks
# ------------------------------------------------------------------------------------------------------
def open_in_file_manager(folder: Path) -> None:
    if sys.platform == "win32":
        os.startfile(folder)  # type: ignore[attr-defined]  # noqa: S606 - Explorer on our own folder
    else:
        subprocess.Popen(["open" if sys.platform == "darwin" else "xdg-open", str(folder)])  # noqa: S603


def open_output_folder(book=None, *, status: Sink | None = None,
                       opener: Callable[[Path], None] = open_in_file_manager) -> None:
    """«Mở thư mục»: the output folder in Explorer (created if it does not exist yet)."""
    with _button(book, "Mở thư mục", status) as run:
        cfg = read_any_config(run.book)
        cfg.output.mkdir(parents=True, exist_ok=True)
        opener(cfg.output)
