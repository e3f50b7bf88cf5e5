"""District consolidation (tổng hợp cấp huyện / ngành): every file in an inbox folder is read, every
returned CĐCS workbook validated, matched to the district's expected CĐCS and consolidated; nothing read is
ever lost, and every other file is listed with its reason.

``consolidate_district`` runs named phases, each in its own module:

1. ``reading.read_inbox``: every file, workbooks checked (re-run cache, process pool);
2. ``roles.assign_roles``: used / superseded / foreign / unknown / unreadable / not a workbook, lateness;
3. ``rows``: row ids, consolidated or rejected, quotas, duplicates, commendations;
4. unit statuses (below) and the indicators, counted by ``validators.rules.counting`` — the same rules the
   province and the national roll-up apply to the district's package.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from addin.cdcs.validate import Progress, skipped_files
from addin.district.reading import inputs_fingerprint, open_cache, read_inbox
from addin.district.records import NOT_WORKBOOK, DistrictError, DistrictSettings, FileEntry, UnitStatus
from addin.district.result import DistrictResult
from addin.district.roles import assign_roles
from addin.district.rows import build_rows, commendations, mark_duplicates, mark_over_quota
from addin.registry import Cdcs, Registry
from validators.campaign import Campaign
from validators.issues import Issue
from validators.rules.counting import compute_indicators, counts_by, row_counts, unit_counts
from validators.errors import ErrorCode


def _unit_statuses(registry: Registry, expected: list[Cdcs], files: list[FileEntry],
                   by_unit: dict[str, list[FileEntry]], winners: dict[str, FileEntry], settings: DistrictSettings,
                   default_quota: int) -> list[UnitStatus]:
    """The expected CĐCS in registry order, then the other districts' units whose files came in."""
    attached: dict[str, list[str]] = defaultdict(list)
    for f in files:
        if f.role == NOT_WORKBOOK and f.attached_to:
            attached[f.attached_to].append(f.name)

    def status_of(c: Cdcs, status_if_none: str) -> UnitStatus:
        u = UnitStatus(code=c.code, name=c.name, bloc=c.bloc, contact=c.contact, phone=c.phone, email=c.email,
                       parent_code=c.parent, quota=settings.quotas.get(c.code, default_quota),
                       other_files=attached.get(c.code, []))
        win = winners.get(c.code)
        if win is None:
            u.status = status_if_none
            return u
        group = by_unit[c.code]
        u.status = "valid" if win.report.valid else "errors"
        u.late = win.late
        u.resubmitted = len(group) > 1
        u.file = win.name
        u.superseded = [g.name for g in group[:-1]]
        u.initiatives = win.rows_consolidated
        u.rows_read = win.rows_read
        u.rows_rejected = win.rows_rejected
        u.errors, u.warnings = win.report.stats.errors, win.report.stats.warnings
        u.sent_on = win.effective_date
        u.sent_via = "email" if win.received else ""
        u.report = win.report.unit
        u.counted = unit_counts(u.status, not win.blocked)
        return u

    expected_codes = {c.code for c in expected}
    units = [status_of(c, "missing") for c in expected]
    for code in sorted(c for c in winners if c not in expected_codes):
        u = status_of(registry.cdcs_by_code[code], "foreign")
        u.status, u.counted = "foreign", False
        units.append(u)
    return units


def _issues_in_file_order(files: list[FileEntry], extra: list[Issue], inbox: Path) -> list[Issue]:
    extra_by_path: dict[str, list[Issue]] = defaultdict(list)
    for i in extra:
        extra_by_path[i.path or ""].append(i)
    issues: list[Issue] = []
    for f in files:
        issues.extend(f.report.issues)
        issues.extend(extra_by_path.get(f.name, []))
    return issues + skipped_files([inbox])  # hidden, lock-named or extension-less files holding a workbook


def consolidate_district(
    inbox: str | Path,
    district_code: str,
    campaign: Campaign,
    registry: Registry,
    *,
    settings: DistrictSettings | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    cache_dir: str | Path | None = None,
    workers: int | None = None,
    only: list[Path] | None = None,
) -> DistrictResult:
    """Read, validate and consolidate every file under ``inbox`` for district ``district_code``.

    One unreadable or hostile file never stops the batch; input files are only read. ``now`` is the run
    time written in the workbook (default: the current time, to the second). With ``cache_dir``, files
    unchanged since the last run there reuse their validation report (``addin.cdcs.cache``). The others are
    checked in a process pool when there are enough of them (``addin.io.parallel``; ``workers=1``: serially).
    ``only``: consolidate just these workbooks under ``inbox`` (the province's raw CĐCS files of one district)."""
    settings = settings or DistrictSettings()
    inbox = Path(inbox)
    if district_code not in registry.district_by_code:
        raise DistrictError(ErrorCode.DISTRICT_UNKNOWN_IN_RUN, district_code=district_code, items=', '.join(registry.district_by_code))
    if not inbox.exists():
        raise DistrictError(ErrorCode.INBOX_NOT_FOUND, inbox=inbox)
    unknown = sorted(set(settings.quotas) - {c.code for c in registry.cdcs_of(district_code)})
    if unknown:
        raise DistrictError(ErrorCode.QUOTA_UNKNOWN_UNIT, district_code=district_code, items=', '.join(unknown))
    district = registry.district_by_code[district_code]
    deadline = settings.deadline or campaign.deadlines.cdcs_submission_default
    run_time = (now or dt.datetime.now()).replace(microsecond=0)
    default_quota = campaign.rules.default_cdcs_nomination_quota
    expected = registry.cdcs_of(district_code)
    expected_codes = {c.code for c in expected}
    cache = open_cache(cache_dir, district_code, campaign, registry, settings) if cache_dir is not None else None

    files = read_inbox(inbox, campaign, registry, settings, cache, progress, workers, only)
    by_unit, winners, extra = assign_roles(files, registry, expected_codes, deadline)
    rows, rows_of = build_rows(files)
    extra += mark_over_quota(files, rows_of, settings.quotas, default_quota)
    extra += mark_duplicates(files, rows_of, expected_codes)
    units = _unit_statuses(registry, expected, files, by_unit, winners, settings, default_quota)

    accepted = [r for r in rows if row_counts(r.consolidated)]
    entered = defaultdict(int)
    for r in accepted:
        entered[r.unit_code] += bool(r.item.entered_tld)
    for u in units:
        u.entered_tld = entered.get(u.code, 0)
    reports = [u.report for u in units if u.counted and u.report is not None]
    units_with = len({r.unit_code for r in accepted if r.unit_code in expected_codes})
    indicators = compute_indicators(reports, [r.item for r in accepted], len(expected), campaign,
                                    units_with_initiative=units_with)
    return DistrictResult(
        district=district, campaign=campaign, registry=registry, deadline=deadline, run_time=run_time,
        units=units, files=files, initiatives=rows, issues=_issues_in_file_order(files, extra, inbox),
        commendations=commendations(accepted, campaign), indicators=indicators,
        by_field=counts_by([r.item.field for r in accepted], campaign.fields),
        by_bloc=counts_by([r.item.bloc for r in accepted], campaign.blocs),
        inbox=inbox, cache=cache, own_propagated=settings.own_propagated, own_movement=settings.own_movement,
        inputs=inputs_fingerprint(cache, files, inbox, district_code, deadline, settings) if cache is not None else "",
    )
