"""Province consolidation (tổng hợp cấp tỉnh): every district dossier under a folder is read, matched to the
registry, measured against every campaign target, and its nominations checked; and the same roll-up one
level up (province packages → national summary).

Design (documented choices):

* **What is read.** Every workbook under ``dossiers_dir`` whose sheets include the package stamp sheet is
  read with :func:`addin.dossier.package.read_package` (recognised by content, never by name). A top-level
  sub-folder that holds no package but holds workbooks is a district that sent its CĐCS workbooks instead:
  it is consolidated on the fly with :func:`addin.district.consolidate.consolidate_district` (its district is the
  folder's name when that is a district code, else the parent of the first CĐCS found in it) and marked
  ``source="raw"``; such a district has no nominations. Two packages of one district: the newest
  (export date, then path) wins, the other is listed. A district of the registry with nothing is
  ``missing`` and goes on the chase list.
* **Units.** The province's unit rows are the registry's CĐCS, in registry order, each taken from its own
  district's data (a district package lists its missing CĐCS too); a CĐCS of a missing district is
  ``missing``. A unit counts for the commitments when its status is ``valid`` or ``errors``.
* **Indicators** (:func:`validators.rules.counting.compute_indicators`, the same function as at district level) over
  the expected CĐCS of the registry; ``gap`` = what is still missing to reach the target (0 when met).
  ``initiatives_at_deadline`` counts the initiatives whose known dates (the CĐCS's sent date and the
  start-of-application date) are all on or before ``deadlines.entry_close``; ``initiatives`` counts all.
* **Nominations** of a district are accepted when: the dossier was received strictly before
  ``deadlines.district_dossier_before`` (``received[code]`` if given, else the package's export date); the
  Tờ trình and Bảng tổng hợp named in the stamp exist next to the package; its rank is within
  ``rules.district_nomination_max``; it has no complaint / dispute (on the nomination or its initiative row);
  it is one of the package's consolidated (validated) initiatives; it was not already nominated by another
  district. Every failed condition is one reason; the rejected row carries them joined by "; ".
* **Ledger**: the province ledger is the sum of the district ledgers (package or raw consolidation); each
  district ledger must balance (read = consolidated + rejected) and its consolidated count must equal the
  initiative rows it sent.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, abc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from addin.io.gate.workbook import sheet_names_of
from validators.text.names import code_key, safe_code
from validators.rules.counting import COUNTED_STATUSES, Indicator, compute_indicators, counts_by, unit_counts
from addin.dossier.package import S_STAMP, Package, PackageError, read_package, write_package
from addin.registry import Registry
from addin.cdcs.validate import find_workbooks
from validators.text.vnformat import vn_number
from validators.campaign import Campaign
from validators.errors import SangkienError
from validators.issues import Issue, IssueCode, Severity, make_issue
from validators.models import Initiative, UnitReport

Progress = Callable[[int, int, str], None]

SOURCE_LABELS = {"package": "Gói dữ liệu", "raw": "Tệp CĐCS (tỉnh tổng hợp thay)", "missing": "Chưa gửi"}
AT_DEADLINE_KEY = "initiatives_at_deadline"
LEDGER_KEYS = ("rows_read", "rows_consolidated", "rows_rejected", "rows_cut")  # rows_cut: part of rows_rejected


class ProvinceError(SangkienError):
    """The consolidation cannot run (missing folder): Vietnamese message."""


def vn_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _as_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str) and v.strip():
        try:
            return dt.date.fromisoformat(v.strip()[:10])
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProvinceIndicator:
    key: str
    label: str
    target: float
    actual: float
    met: bool
    gap: float
    kind: str = "pct"
    numerator: int | None = None
    denominator: int | None = None

    @classmethod
    def of(cls, i: Indicator) -> "ProvinceIndicator":
        gap = 0.0 if i.met else max(0.0, float(i.target) - float(i.actual))
        gap = round(gap, 1) if i.kind == "pct" else (round(gap, 2) if i.kind == "ratio" else gap)
        return cls(i.key, i.label, float(i.target), float(i.actual), bool(i.met), gap, i.kind, i.numerator,
                   i.denominator)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "target": self.target, "actual": self.actual,
                "met": self.met, "gap": self.gap, "kind": self.kind, "numerator": self.numerator,
                "denominator": self.denominator}


@dataclass
class DistrictEntry:
    code: str
    name: str
    source: str = "missing"  # package | raw | missing
    package_path: Path | None = None
    folder: Path | None = None
    received: dt.date | None = None
    late: bool = False
    missing_files: list[str] = field(default_factory=list)
    initiatives: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)
    nominations: list[dict[str, Any]] = field(default_factory=list)
    ledger: dict[str, int] = field(default_factory=lambda: {k: 0 for k in LEDGER_KEYS})
    expected: int = 0
    indicators: list[ProvinceIndicator] = field(default_factory=list)
    at_deadline: int = 0
    contact: str = ""
    phone: str = ""
    email: str = ""
    raw_files: int = 0
    reused_files: int = 0  # raw CĐCS files whose checks came from the re-run cache

    @property
    def complete(self) -> bool:
        return self.source == "package" and not self.missing_files

    @property
    def balanced(self) -> bool:
        led = self.ledger
        return led["rows_read"] == led["rows_consolidated"] + led["rows_rejected"]

    def indicator(self, key: str) -> ProvinceIndicator | None:
        return next((i for i in self.indicators if i.key == key), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "source": self.source,
            "package": self.package_path.name if self.package_path else None,
            "received": self.received.isoformat() if self.received else None, "late": self.late,
            "complete": self.complete, "missing_files": list(self.missing_files),
            "expected_cdcs": self.expected, "initiatives": len(self.initiatives),
            "initiatives_at_deadline": self.at_deadline, "nominations": len(self.nominations),
            "ledger": dict(self.ledger), "balanced": self.balanced,
            "indicators": [i.as_json() for i in self.indicators],
        }


@dataclass
class ProvinceResult:
    campaign: Campaign
    registry: Registry
    dossiers_dir: Path
    run_time: dt.datetime
    districts: list[DistrictEntry]
    initiatives: list[dict[str, Any]]
    units: list[dict[str, Any]]
    indicators: list[ProvinceIndicator]
    at_deadline: int
    by_field: list[tuple[str, int]]
    by_bloc: list[tuple[str, int]]
    accepted: list[dict[str, Any]]
    rejected: list[dict[str, Any]]
    issues: list[Issue]
    level: str = "province"

    @property
    def ledger(self) -> dict[str, int]:
        return {k: sum(d.ledger[k] for d in self.districts) for k in LEDGER_KEYS}

    @property
    def balanced(self) -> bool:
        led = self.ledger
        return (led["rows_read"] == led["rows_consolidated"] + led["rows_rejected"]
                and led["rows_consolidated"] == len(self.initiatives))

    @property
    def missing(self) -> list[DistrictEntry]:
        return [d for d in self.districts if d.source == "missing"]

    @property
    def exit_code(self) -> int:
        """2 nothing could be read; 1 completed with missing districts, rejections or errors; 0 else."""
        if not any(d.source != "missing" for d in self.districts):
            return 2
        if self.missing or self.rejected or any(i.severity is Severity.ERROR for i in self.issues):
            return 1
        return 0

    def indicator(self, key: str) -> ProvinceIndicator | None:
        return next((i for i in self.indicators if i.key == key), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "province": self.registry.province,
            "province_code": self.registry.province_code,
            "campaign": self.campaign.id,
            "run_time": self.run_time.isoformat(timespec="seconds"),
            "indicators": [i.as_json() for i in self.indicators],
            "nominations": {"accepted": [_nom_json(n) for n in self.accepted],
                            "rejected": [_nom_json(n) | {"reason": n["reason"], "reasons": n["reasons"]}
                                         for n in self.rejected]},
            "ledger": self.ledger,
            "balanced": self.balanced,
            "districts": [d.as_json() for d in self.districts],
            "missing": [d.code for d in self.missing],
            "by_field": [{"field": k, "initiatives": n} for k, n in self.by_field],
            "by_bloc": [{"bloc": k, "initiatives": n} for k, n in self.by_bloc],
            "issues": [i.as_json(with_path=True) for i in self.issues],
        }


_NOM_KEYS = ("id", "district_code", "unit_code", "unit_name", "title", "author", "field", "bloc", "rank")


def _nom_json(n: dict[str, Any]) -> dict[str, Any]:
    out = {k: n.get(k) for k in _NOM_KEYS}
    out["benefit"] = int(n["benefit"]) if isinstance(n.get("benefit"), (int, float)) else None
    return out


# ---------------------------------------------------------------------------------------------------------
# Indicators from package rows (any level)
# ---------------------------------------------------------------------------------------------------------
def _unit_report(u: dict[str, Any]) -> UnitReport:
    return UnitReport.model_construct(
        unit_code=u.get("unit_code"), propagated=u.get("propagated"), plan_signed=u.get("plan_signed"),
        plan_has_goals=u.get("plan_has_goals"), plan_has_rewards=u.get("plan_has_rewards"),
        specific_movement=u.get("specific_movement") or None, initiatives=())


def _initiative(r: dict[str, Any]) -> Initiative:
    return Initiative.model_construct(row=int(r.get("source_row") or 0), entered_tld=r.get("entered_tld"),
                                      field=r.get("field"), bloc=r.get("bloc"))


def counted_at(r: dict[str, Any], sent_on: dt.date | None, close: dt.date) -> bool:
    """Counted at the entry deadline: every known date (CĐCS sent date, start of application) ≤ ``close``."""
    dates = [d for d in (sent_on, _as_date(r.get("applied_on"))) if d is not None]
    return all(d <= close for d in dates)


def rows_indicators(units: Sequence[dict[str, Any]], initiatives: Sequence[dict[str, Any]], expected: int,
                    campaign: Campaign, *, scope: str, with_initiative: int | None = None,
                    at_deadline: int | None = None, items: Sequence[Initiative] | None = None,
                    ) -> tuple[list[ProvinceIndicator], int]:
    """Indicators over package rows: ``units`` are the expected units' rows (status decides whether a unit
    reported), ``initiatives`` the consolidated rows. Returns (indicators, initiatives at the deadline).
    Unit codes are unique within one package only: over several packages pass ``with_initiative`` and
    ``at_deadline`` summed from each package's own call, and ``items`` (e.g. a ``_Tally``) instead of rows."""
    counted = [u for u in units if unit_counts(u.get("status"), u.get("counted"))]
    if with_initiative is None:
        codes = {u.get("unit_code") for u in units}
        with_initiative = len({r.get("unit_code") for r in initiatives if r.get("unit_code") in codes})
    inds = compute_indicators([_unit_report(u) for u in counted],
                              items if items is not None else [_initiative(r) for r in initiatives],
                              expected, campaign, scope=scope, units_with_initiative=with_initiative)
    close = campaign.deadlines.entry_close
    if at_deadline is None:
        sent = {u.get("unit_code"): _as_date(u.get("sent_on")) for u in units}
        at_deadline = sum(1 for r in initiatives if counted_at(r, sent.get(r.get("unit_code")), close))
    at = at_deadline
    out = [ProvinceIndicator.of(i) for i in inds]
    init = next((i for i in out if i.key == "initiatives"), None)
    if init is not None:
        target = init.target
        met = at >= target - 1e-9
        out.insert(out.index(init) + 1, ProvinceIndicator(
            AT_DEADLINE_KEY, f"{init.label} tính đến hạn {vn_date(close)}", target, float(at), met,
            0.0 if met else target - at, "count", at, None))
    return out, at


# ---------------------------------------------------------------------------------------------------------
# Reading the dossiers folder
# ---------------------------------------------------------------------------------------------------------
def _is_package(path: Path) -> bool:
    """Cheap check by content: the workbook has the package stamp sheet."""
    return S_STAMP in sheet_names_of(path)  # a file the gate refuses is simply not a package


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def scan_packages(root: Path, campaign: Campaign, level: str, progress: Progress | None = None,
                  ) -> tuple[list[tuple[Path, Package]], list[Path], list[Issue]]:
    """(packages of ``level``, workbooks that are not packages, issues) under ``root``."""
    others: list[Path] = []
    issues: list[Issue] = []
    found = list(iter_packages(root, campaign, level, issues, others, progress))
    return found, others, issues


def iter_packages(root: Path, campaign: Campaign, level: str, issues: list[Issue], others: list[Path],
                  progress: Progress | None = None) -> Iterator[tuple[Path, Package]]:
    """``scan_packages`` one package at a time, so that a caller can reduce each one and let its rows go."""
    paths = find_workbooks([root])
    for n, p in enumerate(paths, start=1):
        if progress:
            progress(n, len(paths), p.name)
        if not _is_package(p):
            others.append(p)
            continue
        name = _rel(p, root)
        try:
            pkg = read_package(p, campaign_id=campaign.id)
        except PackageError as exc:
            issues.append(make_issue(IssueCode.PACKAGE_INVALID, detail=str(exc)).with_path(name))
            continue
        if pkg.level != level:
            issues.append(make_issue(IssueCode.PACKAGE_INVALID, value=pkg.code,
                                     detail=f"gói của cấp '{pkg.level}', cần gói cấp '{level}'.").with_path(name))
            continue
        yield p, pkg


def _newest(pairs: list[tuple[Path, Package]], root: Path, issues: list[Issue]) -> dict[str, tuple[Path, Package]]:
    by_code: dict[str, list[tuple[Path, Package]]] = {}
    for p, pkg in pairs:
        by_code.setdefault(pkg.code, []).append((p, pkg))
    out = {}
    for code, group in by_code.items():
        group.sort(key=lambda t: (_as_date(t[1].stamp.get("export_date")) or dt.date.min, str(t[0])))
        out[code] = group[-1]
        for p, _ in group[:-1]:
            issues.append(make_issue(IssueCode.PACKAGE_SUPERSEDED, value=code, other=_rel(group[-1][0], root))
                          .with_path(_rel(p, root)))
    return out


def _raw_district(folder: Path, files: list[Path], registry: Registry) -> str | None:
    codes = {code_key(c): c for c in registry.district_by_code}
    hit = codes.get(code_key(folder.name))
    if hit:
        return hit
    from addin.cdcs.reader import read_submission

    for f in files[:5]:
        try:
            raw = read_submission(f, max_rows=1)
        except Exception:  # noqa: BLE001
            continue
        code = raw.stamp.get("unit_code")
        cell = raw.unit.get("MA_DON_VI")
        if cell is not None and isinstance(cell.value, str) and cell.value.strip():
            code = cell.value.strip()
        if code in registry.cdcs_by_code:
            return registry.cdcs_by_code[code].parent
    return None


def _decimal_int(v: Any) -> Any:
    if v is None:
        return None
    try:
        return int(v) if float(v).is_integer() else float(v)
    except (TypeError, ValueError):
        return None


def _rows_from_district_result(result, province_code: str) -> tuple[list[dict], list[dict]]:
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


# ---------------------------------------------------------------------------------------------------------
# Nominations
# ---------------------------------------------------------------------------------------------------------
def _check_nominations(d: DistrictEntry, campaign: Campaign, seen: dict[str, str],
                       accepted: list[dict], rejected: list[dict], issues: list[Issue]) -> None:
    max_n = campaign.rules.district_nomination_max
    before = campaign.deadlines.district_dossier_before
    by_id = {r.get("id"): r for r in d.initiatives}
    dossier_reasons: list[str] = []
    if d.late:
        dossier_reasons.append(f"Hồ sơ nhận ngày {vn_date(d.received) or '(không rõ)'}, không trước hạn "
                               f"{vn_date(before)} (phải đến trước ngày {vn_date(before)})")
    if d.missing_files:
        dossier_reasons.append("Hồ sơ không đầy đủ: thiếu " + ", ".join(d.missing_files))
    noms = sorted(d.nominations, key=lambda n: (n.get("rank") or 10**6))
    for pos, n in enumerate(noms, start=1):
        reasons = list(dossier_reasons)
        rid = n.get("id")
        init = by_id.get(rid)
        if pos > max_n:
            reasons.append(f"Vượt quá {max_n} sáng kiến mỗi đơn vị cấp trên được đề nghị (thứ tự chọn {pos})")
        if init is None:
            reasons.append("Sáng kiến không có trong danh sách sáng kiến đã được kiểm tra, tổng hợp của đơn vị")
        if n.get("disputed") or (init is not None and init.get("disputed")):
            reasons.append("Sáng kiến có khiếu nại, tranh chấp")
        if rid in seen:
            reasons.append(f"Sáng kiến đã được {seen[rid]} đề nghị")
        row = {**n, "district_code": n.get("district_code") or d.code, "district_name": d.name}
        if reasons:
            row["reasons"] = reasons
            row["reason"] = "; ".join(reasons)
            rejected.append(row)
            issues.append(make_issue(IssueCode.NOMINATION_REJECTED, value=n.get("title") or rid, detail=row["reason"])
                          .with_path(d.package_path.name if d.package_path else d.code))
        else:
            seen[rid] = d.name
            accepted.append(row)


# ---------------------------------------------------------------------------------------------------------
# Province
# ---------------------------------------------------------------------------------------------------------
def consolidate_province(
    dossiers_dir: str | Path,
    campaign: Campaign,
    registry: Registry,
    *,
    received: dict[str, dt.date] | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    cache_dir: str | Path | None = None,
) -> ProvinceResult:
    """Read every district dossier under ``dossiers_dir`` (see the module docs) and consolidate the province.
    With ``cache_dir``, a district that sent raw CĐCS files reuses the checks of the files unchanged since the
    last run there (``addin.cdcs.cache``), as ``sangkien district`` does."""
    from addin.district.consolidate import consolidate_district
    from addin.district.records import DistrictSettings

    root = Path(dossiers_dir)
    if not root.is_dir():
        raise ProvinceError(f"Không tìm thấy thư mục hồ sơ: {root}")
    received = dict(received or {})
    run_time = (now or dt.datetime.now()).replace(microsecond=0)
    issues: list[Issue] = []
    pairs, others, scan_issues = scan_packages(root, campaign, "district", progress)
    issues.extend(scan_issues)
    for p, pkg in pairs:
        if pkg.code not in registry.district_by_code:
            issues.append(make_issue(IssueCode.PACKAGE_UNKNOWN_UNIT, value=pkg.code).with_path(_rel(p, root)))
    newest = _newest([(p, k) for p, k in pairs if k.code in registry.district_by_code], root, issues)

    entries: dict[str, DistrictEntry] = {}
    for dist in registry.districts:
        entries[dist.code] = DistrictEntry(code=dist.code, name=dist.name, contact=dist.contact, phone=dist.phone,
                                           email=dist.email, expected=len(registry.cdcs_of(dist.code)))
    for code, (p, pkg) in newest.items():
        d = entries[code]
        d.source, d.package_path, d.folder = "package", p, p.parent
        d.initiatives = [r | {"district_code": r.get("district_code") or code} for r in pkg.initiatives]
        d.units, d.nominations, d.ledger = pkg.units, pkg.nominations, {k: int(pkg.ledger.get(k, 0)) for k in LEDGER_KEYS}
        d.received = received.get(code) or _as_date(pkg.stamp.get("export_date"))
        d.late = d.received is None or d.received >= campaign.deadlines.district_dossier_before
        for key, label in (("to_trinh_file", "Tờ trình"), ("summary_file", "Bảng tổng hợp tóm tắt sáng kiến")):
            fname = str(pkg.stamp.get(key) or "").strip()
            if not fname or not (p.parent / fname).is_file() or Path(fname).name != fname:
                d.missing_files.append(f"{label} ({fname})" if fname else label)
        name = _rel(p, root)
        if d.late:
            issues.append(make_issue(IssueCode.DOSSIER_LATE, value=d.name, detail=vn_date(d.received) or "(không rõ)",
                                     deadline=vn_date(campaign.deadlines.district_dossier_before)).with_path(name))
        if d.missing_files:
            issues.append(make_issue(IssueCode.DOSSIER_INCOMPLETE, value=d.name, detail=", ".join(d.missing_files))
                          .with_path(name))

    # raw CĐCS workbooks of districts that sent no package: grouped by top-level sub-folder
    package_tops = {_rel(p, root).split("/")[0] for p, _ in pairs if "/" in _rel(p, root)}
    groups: dict[str, list[Path]] = {}
    dossier_files = {(p.parent, str(k.stamp.get("summary_file") or "")) for p, k in pairs}
    for f in others:
        rel = _rel(f, root)
        if (f.parent, f.name) in dossier_files:  # a dossier's own Bảng tổng hợp
            continue
        if "/" not in rel:
            issues.append(make_issue(IssueCode.FOLDER_IGNORED, value=rel, detail="tệp để ngay trong thư mục hồ sơ, không "
                                     "thuộc thư mục của đơn vị cấp trên nào.").with_path(rel))
            continue
        top = rel.split("/")[0]
        if top not in package_tops:
            groups.setdefault(top, []).append(f)
    for top, files in sorted(groups.items()):
        folder = root / top
        code = _raw_district(folder, files, registry)
        if code is None:
            issues.append(make_issue(IssueCode.FOLDER_IGNORED, value=top, detail="không xác định được đơn vị cấp trên của "
                                     "các tệp trong thư mục.").with_path(top))
            continue
        d = entries[code]
        if d.source != "missing":
            issues.append(make_issue(IssueCode.FOLDER_IGNORED, value=top, detail=f"{d.name} đã có dữ liệu "
                                     f"({SOURCE_LABELS[d.source]}).").with_path(top))
            continue
        result = consolidate_district(folder, code, campaign, registry, settings=DistrictSettings(), now=run_time,
                                      cache_dir=cache_dir)
        d.source, d.folder, d.raw_files, d.reused_files = "raw", folder, len(result.files), result.reused_files
        d.initiatives, d.units = _rows_from_district_result(result, registry.province_code)
        d.ledger = dict(result.ledger)
        issues.append(make_issue(IssueCode.DISTRICT_RAW_FALLBACK, value=d.name, detail=len(result.files)).with_path(top))
        issues.extend(i.with_path(f"{top}/{i.path}") for i in result.issues)

    districts = list(entries.values())
    for d in districts:
        if d.source == "missing":
            issues.append(make_issue(IssueCode.DISTRICT_MISSING, value=d.name).with_path(d.code))
            continue
        led = d.ledger
        problems = []
        if not d.balanced:
            problems.append(f"đọc {led['rows_read']} dòng ≠ tổng hợp {led['rows_consolidated']} "
                            f"+ bị loại {led['rows_rejected']}")
        if led["rows_consolidated"] != len(d.initiatives):
            problems.append(f"ghi tổng hợp {led['rows_consolidated']} dòng nhưng gửi {len(d.initiatives)} sáng kiến")
        if problems:
            issues.append(make_issue(IssueCode.LEDGER_UNBALANCED, value=d.name, detail="; ".join(problems))
                          .with_path(d.package_path.name if d.package_path else d.code))

    # unit rows: registry CĐCS in order, from their own district's data
    own: dict[str, dict[str, Any]] = {}
    for d in districts:
        for u in d.units:
            code = u.get("unit_code")
            c = registry.cdcs_by_code.get(code or "")
            if c is not None and c.parent == d.code and u.get("status") != "foreign":
                own[code] = u
    units = []
    for c in registry.cdcs:
        units.append(own.get(c.code) or {
            "province_code": registry.province_code, "district_code": c.parent, "unit_code": c.code,
            "name": c.name, "bloc": c.bloc, "status": "missing", "initiatives": 0})
    units_of: dict[str, list[dict[str, Any]]] = {}
    for u in units:
        units_of.setdefault(u["district_code"], []).append(u)

    for d in districts:
        d.indicators, d.at_deadline = rows_indicators(units_of.get(d.code, []), d.initiatives, d.expected,
                                                      campaign, scope="district")
    initiatives = [r for d in districts for r in d.initiatives]
    indicators, at_deadline = rows_indicators(units, initiatives, len(registry.cdcs), campaign, scope="province")

    accepted: list[dict] = []
    rejected: list[dict] = []
    seen: dict[str, str] = {}
    for d in districts:
        if d.source == "package":
            _check_nominations(d, campaign, seen, accepted, rejected, issues)

    return ProvinceResult(
        campaign=campaign, registry=registry, dossiers_dir=root, run_time=run_time, districts=districts,
        initiatives=initiatives, units=units, indicators=indicators, at_deadline=at_deadline,
        by_field=counts_by([r.get("field") for r in initiatives], campaign.fields),
        by_bloc=counts_by([r.get("bloc") for r in initiatives], campaign.blocs),
        accepted=accepted, rejected=rejected, issues=issues,
    )


def summary_lines(result: ProvinceResult) -> list[str]:
    led = result.ledger
    sent = sum(1 for d in result.districts if d.source != "missing")
    lines = [
        f"{result.registry.province}: {sent}/{len(result.districts)} đơn vị cấp trên đã gửi "
        f"({sum(1 for d in result.districts if d.source == 'raw')} gửi tệp CĐCS thay gói dữ liệu).",
        *([f"{reused} tệp CĐCS gửi thẳng không đổi, dùng lại kết quả kiểm tra của lần tổng hợp trước."]
          if (reused := sum(d.reused_files for d in result.districts)) else []),
        f"Sáng kiến: đọc {vn_number(led['rows_read'])} dòng = tổng hợp {vn_number(led['rows_consolidated'])} "
        f"+ bị loại {vn_number(led['rows_rejected'])} ({'cân đối' if result.balanced else 'KHÔNG cân đối'}).",
    ]
    for i in result.indicators:
        lines.append(f"  - {i.label}: {vn_number(i.actual)} / {vn_number(i.target)} "
                     f"{'(đạt)' if i.met else f'(còn thiếu {vn_number(i.gap)})'}")
    lines.append(f"Đề nghị biểu dương: {len(result.accepted)}; không đủ điều kiện: {len(result.rejected)}.")
    for n in result.rejected:
        lines.append(f"  - {n.get('title')} ({n.get('district_name')}): {n['reason']}")
    if result.missing:
        lines.append("Chưa gửi: " + ", ".join(f"{d.name} ({d.code})" for d in result.missing))
    return lines


# ---------------------------------------------------------------------------------------------------------
# Roll-up one level up
# ---------------------------------------------------------------------------------------------------------
def province_letter_paths(registry: Registry, package_path: str | Path) -> tuple[Path, Path]:
    """The Bảng tổng hợp and the Tờ trình that ``write_province_package`` writes next to the package."""
    code = safe_code(registry.province_code or safe_code(registry.province))
    folder = Path(package_path).parent
    return folder / f"bang-tong-hop-tom-tat-sang-kien-{code}.xlsx", folder / f"to-trinh-{code}.docx"


def write_province_package(result: ProvinceResult, path: str | Path, *, signed_on: dt.date | None = None,
                           with_letters: bool = True) -> Path:
    """Write the province's package (level ``province``, same format as a district's) to ``path``; with
    ``with_letters`` also the province's Tờ trình (.docx) and Bảng tổng hợp next to it, named in the stamp."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    reg, camp = result.registry, result.campaign
    signed_on = signed_on or result.run_time.date()
    code = reg.province_code or safe_code(reg.province)
    summary_name = to_trinh_name = ""
    if with_letters:
        from addin.dossier.export import write_summary_table
        from addin.documents.letter_text import province_to_trinh
        from addin.documents.to_trinh import write_to_trinh

        summary, letter = province_letter_paths(reg, path)
        write_summary_table(summary, camp, reg.province, f"Liên đoàn Lao động tỉnh {reg.province}", result.accepted,
                            signed_on)
        doc = province_to_trinh(camp.name, reg.province, camp.place, signed_on, _letter_noms(result.accepted))
        write_to_trinh(doc, letter)
        summary_name, to_trinh_name = summary.name, letter.name
    pkg = Package(
        stamp={"campaign_id": camp.id, "level": "province", "code": code, "name": reg.province,
               "parent_code": "TLD", "province_code": reg.province_code, "export_date": signed_on.isoformat(),
               "summary_file": summary_name, "to_trinh_file": to_trinh_name},
        initiatives=list(result.initiatives),
        units=list(result.units),
        nominations=[{**{k: v for k, v in n.items() if k not in ("reason", "reasons", "district_name")},
                      "rank": i} for i, n in enumerate(result.accepted, start=1)],
        ledger=result.ledger,
    )
    return write_package(pkg, path)


def _letter_noms(rows: Sequence[dict[str, Any]]):
    from addin.documents.letter_text import Nomination

    out = []
    for r in rows:
        authors = r.get("author") or ""
        if r.get("coauthors"):
            authors = f"{authors}, {r['coauthors']}"
        out.append(Nomination(title=r.get("title") or "", authors=authors, unit=r.get("unit_name") or "",
                              field=r.get("field") or "", summary=r.get("description") or "",
                              benefit=r["benefit"] if isinstance(r.get("benefit"), int) else None))
    return out


@dataclass
class ProvinceEntry:
    """One province package, reduced as soon as it is read: counts, indicators and nominations; its
    initiative rows are not kept (2 million of them would not fit an office PC's memory)."""

    code: str
    name: str
    package_path: Path
    initiatives: int  # consolidated initiatives in the package
    units: list[dict[str, Any]]  # expected units, only the fields the national indicators read
    nominations: list[dict[str, Any]]
    ledger: dict[str, int]
    expected: int
    indicators: list[ProvinceIndicator] = field(default_factory=list)
    at_deadline: int = 0
    entered_tld: int = 0  # initiatives entered in TLĐ's software
    by_field: Counter = field(default_factory=Counter)
    by_bloc: Counter = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "package": self.package_path.name,
                "expected_cdcs": self.expected, "initiatives": self.initiatives,
                "initiatives_at_deadline": self.at_deadline, "nominations": len(self.nominations),
                "ledger": dict(self.ledger), "indicators": [i.as_json() for i in self.indicators]}


@dataclass
class NationalResult:
    campaign: Campaign
    provinces: list[ProvinceEntry]
    indicators: list[ProvinceIndicator]
    at_deadline: int
    by_field: list[tuple[str, int]]
    by_bloc: list[tuple[str, int]]
    nominations: list[dict[str, Any]]
    issues: list[Issue]

    @property
    def ledger(self) -> dict[str, int]:
        return {k: sum(p.ledger[k] for p in self.provinces) for k in LEDGER_KEYS}

    @property
    def balanced(self) -> bool:
        led = self.ledger
        return (led["rows_read"] == led["rows_consolidated"] + led["rows_rejected"]
                and led["rows_consolidated"] == sum(p.initiatives for p in self.provinces))

    def as_json(self) -> dict[str, Any]:
        return {"level": "national", "campaign": self.campaign.id,
                "indicators": [i.as_json() for i in self.indicators],
                "nominations": {"accepted": [_nom_json(n) | {"province_code": n.get("province_code")}
                                             for n in self.nominations], "rejected": []},
                "ledger": self.ledger, "balanced": self.balanced,
                "provinces": [p.as_json() for p in self.provinces],
                "by_field": [{"field": k, "initiatives": n} for k, n in self.by_field],
                "by_bloc": [{"bloc": k, "initiatives": n} for k, n in self.by_bloc],
                "issues": [i.as_json(with_path=True) for i in self.issues]}


_NATIONAL_UNIT_KEYS = ("unit_code", "status", "propagated", "plan_signed", "plan_has_goals", "plan_has_rewards",
                       "specific_movement")


class _Tally(abc.Sequence):
    """``n`` initiatives of which ``entered`` were entered in TLĐ's software: all the indicators read of the
    rows, without the rows."""

    def __init__(self, n: int, entered: int):
        self.n, self.entered = n, entered

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):  # type: ignore[override]
        if not 0 <= i < self.n:
            raise IndexError(i)
        return _ENTERED if i < self.entered else _NOT_ENTERED

    def __iter__(self) -> Iterator[Initiative]:
        return itertools.chain(itertools.repeat(_ENTERED, self.entered),
                               itertools.repeat(_NOT_ENTERED, self.n - self.entered))


_ENTERED = Initiative.model_construct(row=0, entered_tld=True)
_NOT_ENTERED = Initiative.model_construct(row=0, entered_tld=False)


@dataclass
class _Reduced:
    """What ``_newest`` needs of a package (its stamp and code), and the entry made of it."""

    stamp: dict[str, Any]
    code: str
    entry: ProvinceEntry


def _reduce_province(p: Path, pkg: Package, campaign: Campaign) -> _Reduced:
    units = [u for u in pkg.units if u.get("status") != "foreign"]
    inits = pkg.initiatives
    e = ProvinceEntry(code=pkg.code, name=str(pkg.stamp.get("name") or pkg.code), package_path=p,
                      initiatives=len(inits), units=[{k: u.get(k) for k in _NATIONAL_UNIT_KEYS} for u in units],
                      nominations=pkg.nominations, ledger={k: int(pkg.ledger.get(k, 0)) for k in LEDGER_KEYS},
                      expected=len(units), entered_tld=sum(1 for r in inits if r.get("entered_tld")),
                      by_field=Counter(r.get("field") for r in inits), by_bloc=Counter(r.get("bloc") for r in inits))
    e.indicators, e.at_deadline = rows_indicators(units, inits, e.expected, campaign, scope="national")
    return _Reduced(pkg.stamp, pkg.code, e)


def consolidate_national(packages_dir: str | Path, campaign: Campaign, *, progress: Progress | None = None,
                         ) -> NationalResult:
    """The national summary from the province packages under ``packages_dir`` (same reader). Expected CĐCS
    of a province = its package's unit rows; the initiative target is per CĐCS (``scope`` other than the
    province's own, whose 750 is one province's number). Each package is reduced to its counts, indicators
    and nominations as soon as it is read, so memory holds one package's rows at a time."""
    root = Path(packages_dir)
    if not root.is_dir():
        raise ProvinceError(f"Không tìm thấy thư mục gói dữ liệu các tỉnh: {root}")
    issues: list[Issue] = []
    reduced = [(p, _reduce_province(p, pkg, campaign))
               for p, pkg in iter_packages(root, campaign, "province", issues, [], progress)]
    newest = _newest(reduced, root, issues)  # type: ignore[arg-type]  # only .stamp and .code are read
    provinces = []
    for code in sorted(newest):
        p, red = newest[code]
        e = red.entry
        led = e.ledger
        if led["rows_read"] != led["rows_consolidated"] + led["rows_rejected"] or led["rows_consolidated"] != e.initiatives:
            issues.append(make_issue(IssueCode.LEDGER_UNBALANCED, value=e.name, detail=f"đọc {led['rows_read']}, tổng hợp "
                                     f"{led['rows_consolidated']}, bị loại {led['rows_rejected']}, gửi "
                                     f"{e.initiatives} sáng kiến").with_path(_rel(p, root)))
        provinces.append(e)
    units = [u for e in provinces for u in e.units]
    tally = _Tally(sum(e.initiatives for e in provinces), sum(e.entered_tld for e in provinces))
    with_init = sum(next((i.numerator or 0 for i in e.indicators if i.key == "cdcs_with_initiative_pct"), 0)
                    for e in provinces)
    indicators, at = rows_indicators(units, (), len(units), campaign, scope="national", with_initiative=with_init,
                                     at_deadline=sum(e.at_deadline for e in provinces), items=tally)
    fields = sum((e.by_field for e in provinces), Counter())
    blocs = sum((e.by_bloc for e in provinces), Counter())
    return NationalResult(campaign=campaign, provinces=provinces, indicators=indicators, at_deadline=at,
                          by_field=counts_by(fields.elements(), campaign.fields),
                          by_bloc=counts_by(blocs.elements(), campaign.blocs),
                          nominations=[n for e in provinces for n in e.nominations], issues=issues)


__all__ = [
    "DistrictEntry", "NationalResult", "ProvinceEntry", "ProvinceError", "ProvinceIndicator", "ProvinceResult",
    "consolidate_national", "consolidate_province", "rows_indicators", "summary_lines", "write_province_package",
]
