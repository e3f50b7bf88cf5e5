"""Raw CĐCS workbooks found under the province folder — anywhere, the top level included — grouped by the
district their *stamp* names (the folder they lie in does not matter), and consolidated for a district that
sent no package with the district's own consolidation. A raw file of a district that did send a package is
listed as not used, older or newer than that package; a file whose district cannot be told is listed too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from addin.cdcs.reader import file_modified, read_submission
from addin.district.consolidate import consolidate_district
from addin.district.records import USED, DistrictSettings
from addin.district.result import DistrictResult
from addin.province.records import DistrictEntry, FileRecord, rel, vn_date
from addin.registry import Registry
from validators.campaign import Campaign
from validators.issues import Issue, IssueCode, make_issue


def stamped_unit(path: Path) -> str | None:
    """The unit a CĐCS workbook belongs to, by its stamp (else its code cell); None when unreadable."""
    try:
        raw = read_submission(path, max_rows=1)
    except Exception:  # noqa: BLE001 - a file that cannot be read has no unit; it is listed with that reason
        return None
    code = raw.stamp.get("unit_code")
    cell = raw.unit.get("MA_DON_VI")
    if not code and cell is not None and isinstance(cell.value, str) and cell.value.strip():
        code = cell.value.strip()
    return code or None


def group_raw(others: list[Path], root: Path, registry: Registry, skip: set[Path],
              files: dict[str, FileRecord], issues: list[Issue]) -> dict[str, list[Path]]:
    """The workbooks of ``others`` (not packages, not in ``skip``) by the district of their stamped unit."""
    groups: dict[str, list[Path]] = {}
    for f in others:
        if f in skip:
            continue
        name = rel(f, root)
        code = stamped_unit(f)
        unit = registry.cdcs_by_code.get(code or "")
        if unit is None:
            detail = (f"mã đơn vị '{code}' không có trong danh sách đơn vị." if code else
                      "không phải gói dữ liệu, cũng không phải báo cáo CĐCS đọc được (không xác định được đơn vị).")
            files[name] = FileRecord(name, "ignored", code, detail)
            issues.append(make_issue(IssueCode.FILE_IGNORED, value=name, detail=detail).with_path(name))
            continue
        groups.setdefault(unit.parent, []).append(f)
    return groups


def beside_package(paths: list[Path], d: DistrictEntry, root: Path, files: dict[str, FileRecord],
                   issues: list[Issue]) -> None:
    """Raw files of a district that sent a package: listed, older or newer than the package, not used."""
    exported = d.received
    for f in paths:
        name = rel(f, root)
        try:
            day = file_modified(f.stat().st_mtime).date()
        except OSError:
            day = None
        when = ("" if day is None or exported is None else
                " (tệp mới hơn gói dữ liệu: hãy yêu cầu gửi lại gói)" if day > exported else " (tệp cũ hơn gói dữ liệu)")
        detail = f"{d.name} đã gửi gói dữ liệu {d.package_path.name if d.package_path else ''} ngày " \
                 f"{vn_date(exported) or '(không rõ)'}: tổng hợp theo gói{when}."
        files[name] = FileRecord(name, "raw-not-used", d.code, detail)
        issues.append(make_issue(IssueCode.FILE_IGNORED, value=name, detail=detail).with_path(name))


def consolidate_raw(d: DistrictEntry, paths: list[Path], root: Path, campaign: Campaign, registry: Registry,
                    run_time: dt.datetime, cache_dir: str | Path | None, files: dict[str, FileRecord],
                    issues: list[Issue]) -> None:
    """A district that sent CĐCS workbooks instead of a package: consolidated here, the same way."""
    result = consolidate_district(root, d.code, campaign, registry, settings=DistrictSettings(), now=run_time,
                                  cache_dir=cache_dir, only=paths)
    d.source, d.raw_files, d.reused_files = "raw", len(result.files), result.reused_files
    d.folder = paths[0].parent
    d.initiatives, d.units = rows_from_district_result(result, registry.province_code)
    d.ledger = dict(result.ledger)
    issues.append(make_issue(IssueCode.DISTRICT_RAW_FALLBACK, value=d.name, detail=len(result.files)).with_path(d.code))
    issues.extend(result.issues)
    for f in result.files:
        files[f.name] = FileRecord(f.name, "raw" if f.role == USED else "raw-not-used", f.unit_code,
                                   f.reason or None)


def _decimal_int(v: Any) -> Any:
    if v is None:
        return None
    try:
        return int(v) if float(v).is_integer() else float(v)
    except (TypeError, ValueError):
        return None


def rows_from_district_result(result: DistrictResult, province_code: str) -> tuple[list[dict], list[dict]]:
    """The package rows (initiatives, units) of an on-the-fly district consolidation."""
    code = result.district.code
    inits = []
    for r in result.initiatives:
        if not r.consolidated:
            continue
        i = r.item
        inits.append({
            "id": r.id, "province_code": province_code, "district_code": code, "unit_code": r.unit_code,
            "unit_name": r.unit_name, "title": i.title, "author": i.author, "birth_year": i.birth_year,
            "gender": i.gender, "position": i.position, "coauthors": i.coauthors, "field": i.field,
            "bloc": i.bloc, "description": i.description, "applied_on": i.applied_on,
            "benefit": _decimal_int(i.benefit), "assessed": i.assessed, "entered_tld": i.entered_tld,
            "nominated": i.nominated, "disputed": i.disputed, "note": i.note, "source_file": r.file,
            "source_row": r.row,
        })
    units = []
    for u in result.units:
        rep = u.report
        units.append({
            "province_code": province_code, "district_code": code, "unit_code": u.code, "name": u.name,
            "bloc": u.bloc, "status": u.status, "counted": u.counted, "late": u.late, "resubmitted": u.resubmitted,
            "initiatives": u.initiatives, "rows_read": u.rows_read, "rows_rejected": u.rows_rejected,
            "sent_on": u.sent_on,
            "propagated": rep.propagated if rep else None, "plan_signed": rep.plan_signed if rep else None,
            "plan_signed_on": rep.plan_signed_on if rep else None,
            "plan_has_goals": rep.plan_has_goals if rep else None,
            "plan_has_rewards": rep.plan_has_rewards if rep else None,
            "specific_movement": (rep.specific_movement or "") if rep else "",
        })
    return inits, units


