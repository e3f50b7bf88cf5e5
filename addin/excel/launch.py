"""``sangkien run WORKBOOK.xlsm [--export]``: what a button does, without Excel running a macro.

The launchers beside each workbook (``launchers``) call this. It reads the workbook's saved «Cấu hình»
(``saved.SavedBook``, through the gate), makes the same library call as the button — ``run_district``,
``export_dossier``, ``run_province`` — writes the result workbook next to the .xlsm (the button writes the
same sheets into the .xlsm itself; a macro-free door cannot), opens it, and ends with a Vietnamese message.

District: the first run writes ``tong-hop-<mã>.xlsx``; staff mark x on its «Đề xuất» sheet, save it, and
``--export`` turns those marks into the dossier (the same call as ``sangkien dossier``). Province: the run
writes ``tong-hop-tinh-<mã>.xlsx``; ``--export`` writes the province package and letters as well.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from addin.excel.config import ButtonConfig, ConfigError, read_any_config
from addin.excel.saved import SavedBook
from validators.text.names import safe_code
from validators.errors import ErrorCode

Opener = Callable[[Path], None]
Progress = Callable[..., None]


@dataclass
class Launch:
    """What a run did: the lines to show, the file or folder to open, the exit status (as the CLI's)."""

    lines: list[str]
    opened: Path | None = None
    exit_code: int = 0
    files: list[Path] = field(default_factory=list)


def district_result_path(xlsm: Path, cfg: ButtonConfig) -> Path:
    return xlsm.parent / f"tong-hop-{safe_code(cfg.code)}.xlsx"


def province_result_path(xlsm: Path, cfg: ButtonConfig) -> Path:
    return xlsm.parent / f"tong-hop-tinh-{safe_code(cfg.code or cfg.registry.province)}.xlsx"


def run_workbook(xlsm: str | Path, *, export: bool = False, progress: Progress | None = None,
                 now: dt.datetime | None = None) -> Launch:
    """Run the workbook's main button (``export``: its export button) from its saved configuration."""
    xlsm = Path(xlsm).absolute()
    if not xlsm.is_file():
        raise ConfigError(ErrorCode.LAUNCH_WORKBOOK_NOT_FOUND, xlsm=xlsm)
    cfg = read_any_config(SavedBook(xlsm))
    if cfg.kind == "district":
        return _district_export(xlsm, cfg) if export else _district(xlsm, cfg, progress, now)
    if cfg.kind == "province":
        return _province(xlsm, cfg, export, progress, now)
    raise ConfigError(ErrorCode.LAUNCH_NOT_OUR_WORKBOOK, name=xlsm.name)


def _district(xlsm: Path, cfg: ButtonConfig, progress: Progress | None, now: dt.datetime | None) -> Launch:
    from addin.district.records import DistrictSettings
    from addin.district.result import summary_lines
    from addin.district.run import run_district
    from addin.district.workbook import S_NOMINATIONS

    out = district_result_path(xlsm, cfg)
    result = run_district(cfg.inbox, cfg.code, cfg.campaign, cfg.registry, workbook=out, progress=progress, now=now,
                          settings=DistrictSettings(deadline=cfg.deadline, quotas=cfg.quotas,
                                                    own_propagated=cfg.own_propagated, own_movement=cfg.own_movement))
    n = cfg.campaign.rules.district_nomination_max
    lines = [*summary_lines(result), "", f"Thư mục đã đọc: {cfg.inbox}", f"Bảng tổng hợp: {out}",
             f"Tiếp theo: trong bảng tổng hợp, đánh dấu x tối đa {n} sáng kiến ở trang «{S_NOMINATIONS}», lưu lại "
             "(Ctrl+S), rồi chạy «Xuất hồ sơ gửi tỉnh» (chọn 2 trong trình chạy, hoặc lệnh "
             f"sangkien run \"{xlsm.name}\" --export)."]
    return Launch(lines, opened=out, exit_code=result.exit_code, files=[out])


def _district_export(xlsm: Path, cfg: ButtonConfig) -> Launch:
    from addin.dossier.export import export_dossier

    marked = district_result_path(xlsm, cfg)
    if not marked.is_file():
        raise ConfigError(ErrorCode.LAUNCH_NO_RESULT_YET, name=marked.name)
    result = export_dossier(marked, cfg.output, cfg.campaign, cfg.registry, signed_on=cfg.signed_on)
    camp = cfg.campaign
    lines = [f"Đã chọn {len(result.selected)} sáng kiến. Hồ sơ gửi tỉnh đã ghi vào thư mục: {cfg.output}",
             *(f"  - {Path(p).name}" for p in result.files), "",
             f"In và ký Tờ trình, gửi tỉnh qua bưu điện và email {camp.dossier_email} trước ngày "
             f"{camp.deadlines.district_dossier_before:%d/%m/%Y}."]
    return Launch(lines, opened=cfg.output, files=list(result.files))


def _province(xlsm: Path, cfg: ButtonConfig, export: bool, progress: Progress | None,
              now: dt.datetime | None) -> Launch:
    from addin.excel.buttons import province_package_path
    from addin.province.consolidate import summary_lines
    from addin.province.run import run_province

    out = province_result_path(xlsm, cfg)
    package = province_package_path(cfg) if export else None
    done = run_province(cfg.inbox, cfg.campaign, cfg.registry, workbook=out, package=package,
                        signed_on=cfg.signed_on, received=cfg.received, progress=progress, now=now)
    lines = [*summary_lines(done.result), "", f"Thư mục đã đọc: {cfg.inbox}", f"Bảng tổng hợp cấp tỉnh: {out}"]
    if export:
        lines += [f"Danh sách đề nghị TLĐ đã ghi vào thư mục: {cfg.output}",
                  *(f"  - {p.name}" for p in done.package_files)]
    else:
        lines.append("Tiếp theo: chạy «Xuất danh sách đề nghị TLĐ» (chọn 2 trong trình chạy, hoặc lệnh "
                     f"sangkien run \"{xlsm.name}\" --export).")
    return Launch(lines, opened=cfg.output if export else out, exit_code=done.result.exit_code,
                  files=[out, *done.package_files])
