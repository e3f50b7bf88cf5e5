"""District consolidation (tổng hợp cấp huyện / ngành): every returned CĐCS workbook in an inbox folder is
read, validated, matched to the district's expected CĐCS and consolidated; nothing read is ever lost.

Design (see also the module docs of ``district_workbook`` and ``indicators``):

* A file is matched to a unit by its unit code (``FileReport.unit_code``: the ``MA_DON_VI`` cell, else the
  stamp). A code of another district makes the file *foreign* (listed, not consolidated); a code unknown to
  the registry, or no code / an unreadable file, is listed with its reason.
* Two or more files of one unit: the newest wins by (sent date: the e-mail's receipt time when the mail
  manifest of ``addin.mail`` vouches for the file, else ``NGAY_GUI``, else the file's modification date),
  then receipt or modification time, then path; the others are *superseded*, listed and their rows rejected.
* *late*: the effective sent date (the same: e-mail receipt, ``NGAY_GUI``, file date) is after the deadline
  (``DistrictSettings.deadline``, default ``campaign.deadlines.cdcs_submission_default``).
* A row is *consolidated* when it has no error and its file is usable: the winning file of one of the
  district's CĐCS, with none of the file-level blocking errors (``BLOCKING_CODES``). Every other row read is
  *rejected* with a reason. Ledger: rows read = consolidated + rejected, per file and in total.
* Row ids: ``<unit code>-<8 hex of sha1(fold(title)|fold(author))>``, ``-2``, ``-3`` … for repeats in row
  order within the file; ``<unit code>-D<row>`` when the title is blank. Same file → same ids on every run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validators.text.names import safe_code
from validators.rules.counting import Indicator, compute_indicators, counts_by
from addin.io.parallel import Crashed, Raised, run_jobs
from addin.cdcs.reader import file_modified
from addin.io.names import visible_name
from addin.registry import Cdcs, District, Registry
from addin.cdcs.cache import ReportCache, context_key, file_sha256
from addin.io.gate.limits import Limits
from addin.mail.manifest import MANIFEST_NAME, received_times
from addin.cdcs.validate import Progress, failed_report, find_workbooks, skipped_files, validate_job
from validators.text.vnformat import vn_number
from validators.campaign import Campaign
from validators.errors import SangkienError
from validators.issues import Issue, IssueCode, Severity, make_issue
from validators.layout import SHEET_INITIATIVES, SHEET_UNIT
from validators.models import Initiative, UnitReport
from validators.text.normalize import fold
from validators.report import FileReport

BLOCKING_CODES = frozenset({IssueCode.CAMPAIGN_MISMATCH, IssueCode.UNIT_MISMATCH, IssueCode.IDENTITY_CHANGED, IssueCode.TEMPLATE_UNKNOWN, IssueCode.UNIT_UNKNOWN})

# File roles
USED, SUPERSEDED, FOREIGN, UNKNOWN, UNREADABLE, NO_CODE = "used", "superseded", "foreign", "unknown", "unreadable", "no-code"
ROLE_LABELS = {
    USED: "Tổng hợp",
    SUPERSEDED: "Bị thay bằng tệp gửi lại",
    FOREIGN: "Thuộc đơn vị cấp trên khác",
    UNKNOWN: "Mã đơn vị không có trong danh sách",
    UNREADABLE: "Không đọc được",
    NO_CODE: "Không xác định được đơn vị",
}
STATUS_LABELS = {"valid": "Hợp lệ", "errors": "Có lỗi", "missing": "Chưa gửi", "foreign": "Đơn vị khác"}


class DistrictError(SangkienError):
    """The consolidation cannot run (unknown district, missing inbox): Vietnamese message."""


@dataclass
class DistrictSettings:
    deadline: dt.date | None = None  # default: campaign.deadlines.cdcs_submission_default
    quotas: dict[str, int] = field(default_factory=dict)  # CĐCS code -> nomination quota


@dataclass
class FileEntry:
    path: Path  # as found on disk
    name: str  # shown: relative to the inbox, with "/" separators
    report: FileReport
    modified: dt.datetime | None
    received: dt.datetime | None = None  # when its e-mail reached the mailbox (addin.mail manifest): the evidence
    role: str = USED
    reason: str = ""
    blocked: bool = False  # a file-level blocking error
    late: bool = False
    rows_consolidated: int = 0
    rows_rejected: int = 0
    reused: bool = False  # the report came from the re-run cache (file unchanged)

    @property
    def unit_code(self) -> str | None:
        return self.report.unit_code

    @property
    def sent_on(self) -> dt.date | None:
        return self.report.unit.sent_on if self.report.unit else None

    @property
    def effective_date(self) -> dt.date | None:
        if self.received is not None:
            return self.received.date()
        return self.sent_on or (self.modified.date() if self.modified else None)

    @property
    def rows_read(self) -> int:
        return self.report.stats.rows_read

    def order_key(self) -> tuple:
        return (self.effective_date or dt.date.min, self.received or self.modified or dt.datetime.min, self.name)


@dataclass
class UnitStatus:
    code: str
    name: str
    bloc: str = ""
    contact: str = ""
    phone: str = ""
    email: str = ""
    status: str = "missing"  # valid | errors | missing | foreign
    late: bool = False
    resubmitted: bool = False
    initiatives: int = 0  # consolidated rows
    rows_read: int = 0
    rows_rejected: int = 0
    errors: int = 0
    warnings: int = 0
    file: str = ""
    superseded: list[str] = field(default_factory=list)
    sent_on: dt.date | None = None
    sent_via: str = ""  # "email" when sent_on is the e-mail's receipt date
    report: UnitReport | None = None
    parent_code: str = ""
    quota: int = 0

    def as_json(self) -> dict[str, Any]:
        r = self.report
        return {
            "code": self.code, "status": self.status, "late": self.late, "resubmitted": self.resubmitted,
            "initiatives": self.initiatives, "name": self.name, "file": self.file or None,
            "superseded": list(self.superseded), "rows_read": self.rows_read, "rows_rejected": self.rows_rejected,
            "errors": self.errors, "warnings": self.warnings,
            "sent_on": self.sent_on.isoformat() if self.sent_on else None, "sent_via": self.sent_via or None,
            "commitments": None if r is None else {
                "propagated": r.propagated, "plan_signed": r.plan_signed,
                "plan_signed_on": r.plan_signed_on.isoformat() if r.plan_signed_on else None,
                "plan_has_goals": r.plan_has_goals, "plan_has_rewards": r.plan_has_rewards,
                "specific_movement": r.specific_movement,
            },
        }


@dataclass
class InitiativeRow:
    id: str
    unit_code: str
    unit_name: str
    file: str
    sheet: str
    row: int
    item: Initiative
    consolidated: bool = False
    reason: str = ""
    duplicate_of: list[str] = field(default_factory=list)  # ids of the other copies
    over_quota: bool = False

    @property
    def eligible(self) -> bool:
        """May be chosen by the district for the province: consolidated, nominated by its CĐCS within its
        quota, with no complaint or dispute."""
        return bool(self.consolidated and self.item.nominated and not self.item.disputed and not self.over_quota)


@dataclass
class Commendation:
    author: str
    birth_year: int | None
    count: int
    units: list[str]
    titles: list[str]


@dataclass
class DistrictResult:
    district: District
    campaign: Campaign
    registry: Registry
    deadline: dt.date
    run_time: dt.datetime
    units: list[UnitStatus]  # expected CĐCS in registry order, then foreign units
    files: list[FileEntry]
    initiatives: list[InitiativeRow]
    issues: list[Issue]  # every issue, each with its file path
    commendations: list[Commendation]
    indicators: list[Indicator]
    by_field: list[tuple[str, int]]
    by_bloc: list[tuple[str, int]]
    inbox: Path
    cache: ReportCache | None = field(default=None, repr=False)  # the re-run cache, when one is used
    inputs: str = ""  # fingerprint of the inputs (cache only): an unchanged workbook need not be rewritten
    workbook_kept: bool = False  # set by write_district_workbook when it left an unchanged workbook as it was

    @property
    def reused_files(self) -> int:
        return sum(1 for f in self.files if f.reused)

    @property
    def ledger(self) -> dict[str, int]:
        read = sum(f.rows_read for f in self.files)
        return {
            "rows_read": read,
            "rows_consolidated": sum(f.rows_consolidated for f in self.files),
            "rows_rejected": sum(f.rows_rejected for f in self.files),
            "rows_cut": sum(f.report.stats.rows_cut for f in self.files),  # part of rows_rejected
        }

    @property
    def expected_units(self) -> list[UnitStatus]:
        return [u for u in self.units if u.status != "foreign"]

    @property
    def nominations(self) -> list[InitiativeRow]:
        return [r for r in self.initiatives if r.eligible]

    @property
    def readable_files(self) -> int:
        return sum(1 for f in self.files if f.report.readable)

    @property
    def exit_code(self) -> int:
        """0 every expected CĐCS sent a valid file and no file has errors; 1 completed with data errors or
        missing units; 2 nothing could be read."""
        if not self.files or self.readable_files == 0:
            return 2
        if any(u.status in ("errors", "missing") for u in self.expected_units):
            return 1
        return 1 if any(not f.report.valid for f in self.files) else 0

    def as_json(self) -> dict[str, Any]:
        return {
            "district": self.district.code,
            "district_name": self.district.name,
            "campaign": self.campaign.id,
            "deadline": self.deadline.isoformat(),
            "run_time": self.run_time.isoformat(timespec="seconds"),
            "units": [u.as_json() for u in self.units],
            "ledger": self.ledger,
            "files": [
                {"path": f.name, "unit_code": f.unit_code, "role": f.role, "reason": f.reason or None,
                 "valid": f.report.valid, "late": f.late, "rows_read": f.rows_read,
                 "received": f.received.isoformat() if f.received else None,
                 "time_source": "email" if f.received else ("sent_date" if f.sent_on else "file_time"),
                 "rows_consolidated": f.rows_consolidated, "rows_rejected": f.rows_rejected}
                for f in self.files
            ],
            "nominations": [r.id for r in self.nominations],
            "duplicates": sorted({r.id for r in self.initiatives if r.duplicate_of}),
            "commendations": [
                {"author": c.author, "birth_year": c.birth_year, "initiatives": c.count, "units": c.units}
                for c in self.commendations
            ],
            "indicators": [i.as_json() for i in self.indicators],
            "issues": [i.as_json(with_path=True) for i in self.issues],
            "cache": None if self.cache is None else {
                "reused_files": self.reused_files, "checked_files": len(self.files) - self.reused_files,
                "workbook_kept": self.workbook_kept, "problem": self.cache.problem,
            },
        }


def _display_name(path: Path, inbox: Path) -> str:
    try:
        return visible_name(path.relative_to(inbox).as_posix())
    except ValueError:
        return visible_name(path.name)


def _cached_entry(path: Path, name: str, cache: ReportCache) -> FileEntry | None:
    """The entry of a file unchanged since the cache's run: unchanged bytes under the same name and context
    have the same report (the modification time is read again)."""
    try:
        sha = file_sha256(path, Limits().max_file_bytes)
        report = cache.get(sha, name, file_modified(path.stat().st_mtime)) if sha is not None else None
    except OSError:
        return None
    if report is None:
        return None
    return FileEntry(path=path, name=name, report=report, modified=report.modified, reused=True)


def open_cache(cache_dir: str | Path, district_code: str, campaign: Campaign, registry: Registry,
               settings: DistrictSettings) -> ReportCache:
    """The re-run cache of one district's consolidation, in ``cache_dir``."""
    context = context_key("district", campaign, registry, sorted(settings.quotas.items()))
    return ReportCache(Path(cache_dir) / f"{safe_code(district_code)}.json", context)


def _inputs_fingerprint(cache: ReportCache, files: list["FileEntry"], inbox: Path, district_code: str,
                        deadline: dt.date) -> str:
    """Everything the district workbook is made from, run time excepted (files by name, content and time)."""
    parts = [cache.context, district_code, deadline.isoformat(), str(inbox.resolve())]
    for f in files:
        # A refused file's report carries no hash: its bytes (or, unreadable, its size and time) stand in.
        content = f.report.sha256 or file_sha256(f.path, Limits().max_file_bytes)
        if content is None:
            try:
                st = f.path.stat()
                content = f"{st.st_size}:{st.st_mtime_ns}"
            except OSError:
                content = "?"
        parts.append(f"{f.name}\x00{content}\x00{f.modified}\x00{f.received}")
    return hashlib.sha256("\x01".join(parts).encode()).hexdigest()


def _failed_entry(path: Path, name: str, failure: BaseException | Raised | Crashed) -> FileEntry:
    return FileEntry(path=path, name=name, report=failed_report(name, failure), modified=None)


def _row_id(code: str, item: Initiative, seen: dict[str, int]) -> str:
    if not item.title:
        return f"{code}-D{item.row}"
    digest = hashlib.sha1(f"{fold(item.title)}|{fold(item.author or '')}".encode()).hexdigest()[:8]
    base = f"{code}-{digest}"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


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
) -> DistrictResult:
    """Read, validate and consolidate every workbook under ``inbox`` for district ``district_code``.

    One unreadable or hostile file never stops the batch; input files are only read. ``now`` is the run
    time written in the workbook (default: the current time, to the second). With ``cache_dir``, files
    unchanged since the last run there reuse their validation report (``addin.cdcs.cache``). The others are
    checked in a process pool when there are enough of them (``addin.io.parallel``; ``workers=1``: serially)."""
    settings = settings or DistrictSettings()
    inbox = Path(inbox)
    if district_code not in registry.district_by_code:
        raise DistrictError(
            f"Mã đơn vị cấp trên '{district_code}' không có trong danh sách đơn vị. "
            f"Các mã có: {', '.join(registry.district_by_code)}"
        )
    if not inbox.exists():
        raise DistrictError(f"Không tìm thấy thư mục báo cáo: {inbox}")
    district = registry.district_by_code[district_code]
    deadline = settings.deadline or campaign.deadlines.cdcs_submission_default
    run_time = (now or dt.datetime.now()).replace(microsecond=0)
    default_quota = campaign.rules.default_cdcs_nomination_quota
    expected = registry.cdcs_of(district_code)
    expected_codes = {c.code for c in expected}

    # 1. read and validate every file ---------------------------------------------------------------
    paths = find_workbooks([inbox]) if inbox.is_dir() else [inbox]
    names = [_display_name(path, inbox) for path in paths]
    cache = open_cache(cache_dir, district_code, campaign, registry, settings) if cache_dir is not None else None
    found: dict[int, FileEntry] = {}
    done = 0

    def record(i: int, entry: FileEntry) -> None:
        nonlocal done
        found[i] = entry
        done += 1
        if progress:
            progress(done, len(paths), visible_name(paths[i].name))

    for i, (path, name) in enumerate(zip(paths, names)):
        hit = _cached_entry(path, name, cache) if cache is not None else None
        if hit is not None:
            record(i, hit)
    todo = [i for i in range(len(paths)) if i not in found]
    jobs = [(paths[i], names[i]) for i in todo]
    # One hostile file never stops the batch: a job that raises, or whose process dies, is that file's error.
    for k, report in run_jobs(validate_job, jobs, (campaign, registry, settings.quotas), workers=workers):
        i = todo[k]
        if isinstance(report, FileReport):
            if cache is not None:
                cache.put(report)
            record(i, FileEntry(path=paths[i], name=names[i], report=report, modified=report.modified))
        else:
            record(i, _failed_entry(paths[i], names[i], report))
    files = [found[i] for i in range(len(paths))]
    by_mail = received_times(inbox) if inbox.is_dir() else {}
    for f in files:
        f.received = by_mail.get(f.name)
    if cache is not None and cache.dirty:
        try:
            cache.save()
        except OSError:
            cache.problem = "không ghi được bộ nhớ đệm"  # the run itself is complete without it

    extra: list[Issue] = []  # issues this consolidation adds

    # 2. roles: unreadable / no code / unknown / foreign / (own unit) ------------------------------
    by_unit: dict[str, list[FileEntry]] = defaultdict(list)
    for f in files:
        rep = f.report
        f.blocked = any(i.code in BLOCKING_CODES for i in rep.issues)
        if not rep.readable:
            f.role = UNREADABLE
            first = next((i for i in rep.issues if i.severity is Severity.ERROR), None)
            f.reason = first.message if first else ROLE_LABELS[UNREADABLE]
        elif not f.unit_code:
            f.role, f.reason = NO_CODE, ROLE_LABELS[NO_CODE]
        elif f.unit_code not in registry.cdcs_by_code:
            f.role = UNKNOWN
            f.reason = make_issue(IssueCode.UNIT_UNKNOWN, value=f.unit_code).message
        else:
            by_unit[f.unit_code].append(f)

    # 3. resubmissions: newest wins -----------------------------------------------------------------
    winners: dict[str, FileEntry] = {}
    for code, group in by_unit.items():
        group.sort(key=FileEntry.order_key)
        win = group[-1]
        winners[code] = win
        for old in group[:-1]:
            old.role = SUPERSEDED
            old.reason = f"{ROLE_LABELS[SUPERSEDED]} {win.name}"
            extra.append(make_issue(IssueCode.FILE_SUPERSEDED, other=win.name).with_path(old.name))
        if code not in expected_codes:
            for f in group:
                parent = registry.cdcs_by_code[code].parent
                if f.role != SUPERSEDED:
                    f.role = FOREIGN
                    f.reason = make_issue(IssueCode.UNIT_FOREIGN, value=code, other=parent).message
                extra.append(make_issue(IssueCode.UNIT_FOREIGN, sheet=SHEET_UNIT, value=code, other=parent).with_path(f.name))

    for f in files:
        eff = f.effective_date
        f.late = f.report.readable and eff is not None and eff > deadline
        if f.late and f.role == USED:
            via = f" (thư điện tử đến hộp thư lúc {f.received:%H:%M %d/%m/%Y})" if f.received else ""
            extra.append(make_issue(IssueCode.SUBMISSION_LATE, value=eff, deadline=deadline, via=via).with_path(f.name))

    # 4. rows: ids, consolidated / rejected ---------------------------------------------------------
    rows: list[InitiativeRow] = []
    rows_of: dict[str, list[InitiativeRow]] = {}
    for f in files:
        rep = f.report
        if not rep.readable:
            continue
        code = f.unit_code or "F" + hashlib.sha1(f.name.encode()).hexdigest()[:6]
        unit_name = (rep.unit.unit_name if rep.unit else None) or ""
        usable = f.role == USED and not f.blocked
        file_reason = "" if usable else (
            "Tệp có lỗi nên không tổng hợp được: "
            + "; ".join(dict.fromkeys(i.message for i in rep.issues if i.code in BLOCKING_CODES))
            if f.role == USED else f.reason
        )
        seen: dict[str, int] = {}
        mine: list[InitiativeRow] = []
        for item in rep.unit.initiatives:
            r = InitiativeRow(id=_row_id(code, item, seen), unit_code=code, unit_name=unit_name, file=f.name,
                              sheet=SHEET_INITIATIVES, row=item.row, item=item)
            if not usable:
                r.reason = file_reason
            elif not item.valid:
                msgs = [i.message for i in rep.issues if i.row == item.row and i.severity is Severity.ERROR]
                r.reason = "Dòng có lỗi: " + ("; ".join(msgs) if msgs else "xem trang Lỗi")
            else:
                r.consolidated = True
            mine.append(r)
        f.rows_consolidated = sum(1 for r in mine if r.consolidated)
        f.rows_rejected = len(mine) - f.rows_consolidated + rep.stats.rows_cut  # rows past the limit: rejected
        rows.extend(mine)
        rows_of[f.name] = mine

    # 5. nominations over quota (in row order, those beyond the unit's quota) -----------------------
    for f in files:
        if f.role != USED or f.name not in rows_of:
            continue
        quota = settings.quotas.get(f.unit_code or "", default_quota)
        nominated = [r for r in rows_of[f.name] if r.item.nominated]
        for r in nominated[quota:]:
            r.over_quota = True
            extra.append(make_issue(IssueCode.NOMINATION_BEYOND_QUOTA, sheet=SHEET_INITIATIVES, field="nominated",
                                    value=r.item.title or "", limit=quota, row=r.row).with_path(f.name))

    # 6. duplicates among the files of the district's own units -----------------------------------
    groups: dict[tuple[str, str], list[InitiativeRow]] = defaultdict(list)
    for f in files:
        if f.role == USED and f.unit_code in expected_codes:
            for r in rows_of.get(f.name, []):
                if r.item.title and r.item.author:
                    groups[(fold(r.item.title), fold(r.item.author))].append(r)
    for group in groups.values():
        if len(group) < 2:
            continue
        for r in group:
            others = [o for o in group if o is not r]
            r.duplicate_of = [o.id for o in others]
            where = "; ".join(f"{o.unit_code} ({o.file}, dòng {o.row})" for o in others)
            extra.append(make_issue(IssueCode.DUPLICATE_INITIATIVE, sheet=SHEET_INITIATIVES, field="title",
                                    value=r.item.title, author=r.item.author, other=where, row=r.row)
                         .with_path(r.file))

    # 7. unit statuses --------------------------------------------------------------------------------
    def status_of(c: Cdcs, status_if_none: str) -> UnitStatus:
        u = UnitStatus(code=c.code, name=c.name, bloc=c.bloc, contact=c.contact, phone=c.phone, email=c.email,
                       parent_code=c.parent, quota=settings.quotas.get(c.code, default_quota))
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
        return u

    units = [status_of(c, "missing") for c in expected]
    for code in sorted(c for c in winners if c not in expected_codes):
        u = status_of(registry.cdcs_by_code[code], "foreign")
        u.status = "foreign"
        units.append(u)

    # 8. all issues, in file order -------------------------------------------------------------------
    issues: list[Issue] = []
    extra_by_path: dict[str, list[Issue]] = defaultdict(list)
    for i in extra:
        extra_by_path[i.path or ""].append(i)
    for f in files:
        issues.extend(f.report.issues)
        issues.extend(extra_by_path.get(f.name, []))
    issues.extend(skipped_files([inbox]))  # hidden, lock-named or extension-less files holding a workbook

    # 9. commendations, statistics, indicators ------------------------------------------------------
    accepted = [r for r in rows if r.consolidated]
    people: dict[tuple[str, int | None], list[InitiativeRow]] = defaultdict(list)
    for r in accepted:
        if r.item.author:
            people[(fold(r.item.author), r.item.birth_year)].append(r)
    commendations = [
        Commendation(author=rs[0].item.author or "", birth_year=rs[0].item.birth_year, count=len(rs),
                     units=sorted({r.unit_code for r in rs}), titles=[r.item.title or "" for r in rs])
        for rs in people.values() if len(rs) >= campaign.rules.commendation_min_initiatives
    ]
    commendations.sort(key=lambda c: (-c.count, fold(c.author), c.birth_year or 0))
    reports = [u.report for u in units if u.status != "foreign" and u.report is not None
               and winners[u.code].blocked is False]
    units_with = len({r.unit_code for r in accepted if r.unit_code in expected_codes})
    indicators = compute_indicators(reports, [r.item for r in accepted], len(expected), campaign,
                                    units_with_initiative=units_with)
    return DistrictResult(
        district=district, campaign=campaign, registry=registry, deadline=deadline, run_time=run_time,
        units=units, files=files, initiatives=rows, issues=issues, commendations=commendations,
        indicators=indicators,
        by_field=counts_by([r.item.field for r in accepted], campaign.fields),
        by_bloc=counts_by([r.item.bloc for r in accepted], campaign.blocs),
        inbox=inbox,
        cache=cache,
        inputs=_inputs_fingerprint(cache, files, inbox, district_code, deadline) if cache is not None else "",
    )


__all__ = [
    "BLOCKING_CODES", "Commendation", "DistrictError", "DistrictResult", "DistrictSettings", "FileEntry",
    "InitiativeRow", "UnitStatus", "consolidate_district", "summary_lines",
]


def summary_lines(result: DistrictResult) -> list[str]:
    """A short Vietnamese summary of a consolidation, for the command line and the add-in's status bar."""
    exp = result.expected_units
    n = {s: sum(1 for u in exp if u.status == s) for s in ("valid", "errors", "missing")}
    led = result.ledger
    lines = [
        f"{result.district.name} ({result.district.code}): {len(exp)} CĐCS trực thuộc, {len(result.files)} tệp đã đọc.",
        f"Hợp lệ: {n['valid']} · Còn lỗi: {n['errors']} · Chưa gửi: {n['missing']} · "
        f"Gửi muộn: {sum(1 for u in exp if u.late)} · Gửi lại: {sum(1 for u in exp if u.resubmitted)}.",
        f"Sáng kiến: đọc {vn_number(led['rows_read'])} dòng = tổng hợp {vn_number(led['rows_consolidated'])} "
        f"+ bị loại {vn_number(led['rows_rejected'])}.",
        f"Sáng kiến đủ điều kiện đề xuất lên tỉnh: {len(result.nominations)} "
        f"(chọn tối đa {result.campaign.rules.district_nomination_max}).",
    ]
    if by_mail := sum(1 for f in result.files if f.received):
        lines.append(f"{by_mail} tệp nhận qua email: ngày gửi là lúc thư đến hộp thư (theo {MANIFEST_NAME}).")
    if result.reused_files:
        lines.append(f"{result.reused_files} tệp không đổi, dùng lại kết quả kiểm tra của lần tổng hợp trước.")
    elif result.cache is not None and result.cache.problem:
        lines.append(f"Kiểm tra lại mọi tệp, không dùng kết quả lần trước: {result.cache.problem}.")
    if result.workbook_kept:
        lines.append("Không có gì thay đổi: bảng tổng hợp giữ nguyên như lần tổng hợp trước.")
    others = [f for f in result.files if f.role not in (USED, SUPERSEDED)]
    for f in others:
        lines.append(f"  - {f.name}: {ROLE_LABELS[f.role]}. {f.reason}")
    return lines
