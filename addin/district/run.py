"""``run_district``: the one library call behind ``sangkien district`` and the «Tổng hợp» button.

Both skins give the inbox, the district, the settings and the workbook the run writes (the CLI's output file,
the button's own .xlsm); the policy that used to live in each skin lives here once: where the re-run cache
sits, and writing the result workbook when the skin asks for a file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from addin.cdcs.cache import cache_dir_beside
from addin.cdcs.validate import Progress
from addin.district.consolidate import consolidate_district
from addin.district.records import DistrictSettings
from addin.district.result import DistrictResult
from addin.district.workbook import write_district_workbook
from addin.io.outputs import refuse_output_over_inputs
from addin.registry import Registry
from validators.campaign import Campaign


def run_district(
    inbox: str | Path,
    district_code: str,
    campaign: Campaign,
    registry: Registry,
    *,
    workbook: str | Path | None = None,
    write_workbook: bool = True,
    settings: DistrictSettings | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> DistrictResult:
    """Consolidate ``inbox`` for ``district_code``; the re-run cache sits beside ``workbook``, which is
    written (XlsxWriter) when ``write_workbook`` (the button writes its sheets through Excel instead)."""
    target = Path(workbook) if workbook is not None else None
    if district_code in registry.district_by_code:  # an unknown code is named first, by consolidate_district
        refuse_output_over_inputs(target if write_workbook else None, [inbox], what="bảng tổng hợp")
    cache_dir = cache_dir_beside(target) if use_cache else None
    result = consolidate_district(inbox, district_code, campaign, registry, settings=settings, progress=progress,
                                  now=now, cache_dir=cache_dir)
    if target is not None and write_workbook:
        write_district_workbook(result, target)
    return result
