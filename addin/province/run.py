"""``run_province``: the one library call behind ``sangkien province`` and both province buttons.

The skins give the folder, the received dates and the workbook the run writes; the cache placement, the
result workbook and the province package (with its Tờ trình and Bảng tổng hợp) are decided here once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from addin.cdcs.cache import cache_dir_beside
from addin.io.outputs import refuse_output_over_inputs
from addin.province.consolidate import consolidate_province
from addin.province.letters import province_letter_paths, write_province_package
from addin.province.records import Progress, ProvinceResult
from addin.province.workbook import previous_staff, write_province_workbook
from addin.registry import Registry
from validators.campaign import Campaign


@dataclass
class ProvinceRun:
    result: ProvinceResult
    package_files: list[Path] = field(default_factory=list)  # the package and its letters, when written


def run_province(
    folder: str | Path,
    campaign: Campaign,
    registry: Registry,
    *,
    workbook: str | Path | None = None,
    write_workbook: bool = True,
    package: str | Path | None = None,
    signed_on: dt.date | None = None,
    received: dict[str, Any] | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    staff: dict[str, dict[str, str]] | None = None,
) -> ProvinceRun:
    """Consolidate the district dossiers under ``folder``; write the province workbook (when asked) and, with
    ``package``, the province package for the national roll-up with its letters beside it. Staff input on the
    selection sheets (marks, complaints, notes) is read from ``workbook`` before it is rewritten, unless the
    skin gives it (``staff``: the button reads the open workbook)."""
    target = Path(workbook) if workbook is not None else None
    refuse_output_over_inputs(target if write_workbook else None, [folder], what="bảng tổng hợp")
    refuse_output_over_inputs(package, [folder], what="gói dữ liệu")
    if staff is None:
        staff = previous_staff(target)
    cache_dir = cache_dir_beside(target) if use_cache else None
    result = consolidate_province(folder, campaign, registry, received=received, progress=progress, now=now,
                                  cache_dir=cache_dir, staff=staff)
    run = ProvinceRun(result)
    if target is not None and write_workbook:
        write_province_workbook(result, target)
    if package is not None:
        written = write_province_package(result, package, signed_on=signed_on)
        run.package_files = [*province_letter_paths(registry, written), written]
    return run
