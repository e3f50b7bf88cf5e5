"""The national roll-up (tổng hợp toàn quốc): province packages → the national summary with the same
indicators, counted by the same rules as a province's, and the same initiative sent by several units, across
provinces or inside one (``addin.province.duplicates``). Each package is reduced to its counts, indicators,
nominations and a few bytes a row for the duplicate check as soon as it is read, so memory holds one package's
rows at a time (2 million initiatives fit an office PC)."""

from __future__ import annotations

import itertools
from collections import Counter, abc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from addin.dossier.package import Package
from addin.province.duplicates import DuplicateGroup, DuplicateIndex
from addin.province.records import (LEDGER_KEYS, FileRecord, Progress, ProvinceError, ProvinceIndicator, nom_json,
                                    rel)
from addin.province.scan import iter_packages, list_files, mark_letters, newest
from addin.province.tally import rows_indicators
from validators.campaign import Campaign
from validators.issues import Issue, IssueCode, make_issue
from validators.models import Initiative
from validators.rules.counting import counts_by
from validators.errors import ErrorCode

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
    nominations: list[dict[str, Any]]  # accepted
    issues: list[Issue]
    files: list[FileRecord] = field(default_factory=list)  # every file under the folder
    rejected: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[DuplicateGroup] = field(default_factory=list)  # the same initiative sent by several units

    @property
    def accepted(self) -> list[dict[str, Any]]:
        return self.nominations

    @property
    def exit_code(self) -> int:
        """2 nothing could be read; 1 completed with rejections or errors; 0 else."""
        if not self.provinces:
            return 2
        return 1 if self.rejected or any(i.severity.value == "error" for i in self.issues) else 0

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
                "nominations": {"accepted": [nom_json(n) | {"province_code": n.get("province_code")}
                                             for n in self.nominations],
                                "rejected": [nom_json(n) | {"province_code": n.get("province_code"),
                                                            "reason": n["reason"], "reasons": n["reasons"]}
                                             for n in self.rejected]},
                "ledger": self.ledger, "balanced": self.balanced,
                "provinces": [p.as_json() for p in self.provinces],
                "by_field": [{"field": k, "initiatives": n} for k, n in self.by_field],
                "by_bloc": [{"bloc": k, "initiatives": n} for k, n in self.by_bloc],
                "files": [f.as_json() for f in self.files], "duplicates": [g.as_json() for g in self.duplicates],
                "issues": [i.as_json(with_path=True) for i in self.issues]}


_NATIONAL_UNIT_KEYS = ("unit_code", "status", "counted", "propagated", "plan_signed", "plan_has_goals", "plan_has_rewards",
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
    """What ``_newest`` needs of a package (its stamp and code), the entry made of it, and its number in the
    duplicate index."""

    stamp: dict[str, Any]
    code: str
    entry: ProvinceEntry
    indexed: int


def _nomination_reasons(p: Path, pkg: Package) -> None:
    """The checks a nomination passes while its package's rows are at hand: the province's dossier is complete
    (its Tờ trình and Bảng tổng hợp beside the package), the nomination is one of the province's consolidated
    initiatives, with no complaint or dispute. Each nomination gets its ``reasons`` (empty when it passes)."""
    ids = {r.get("id") for r in pkg.initiatives}
    disputed = {r.get("id") for r in pkg.initiatives if r.get("disputed")}
    missing = []
    for key, label in (("to_trinh_file", "Tờ trình"), ("summary_file", "Bảng tổng hợp tóm tắt sáng kiến")):
        fname = str(pkg.stamp.get(key) or "").strip()
        if not fname or Path(fname).name != fname or not (p.parent / fname).is_file():
            missing.append(f"{label} ({fname})" if fname else label)
    for n in pkg.nominations:
        reasons = [f"Hồ sơ của tỉnh không đầy đủ: thiếu {', '.join(missing)}"] if missing else []
        if n.get("id") not in ids:
            reasons.append("Sáng kiến không có trong danh sách sáng kiến đã được tổng hợp của tỉnh")
        if n.get("disputed") or n.get("id") in disputed:
            reasons.append("Sáng kiến có khiếu nại, tranh chấp")
        n["reasons"] = reasons
        n.setdefault("province_code", pkg.stamp.get("province_code") or pkg.code)


def _reduce_province(p: Path, pkg: Package, campaign: Campaign, index: DuplicateIndex) -> _Reduced:
    units = [u for u in pkg.units if u.get("status") != "foreign"]
    inits = pkg.initiatives
    _nomination_reasons(p, pkg)
    e = ProvinceEntry(code=pkg.code, name=str(pkg.stamp.get("name") or pkg.code), package_path=p,
                      initiatives=len(inits), units=[{k: u.get(k) for k in _NATIONAL_UNIT_KEYS} for u in units],
                      nominations=pkg.nominations, ledger={k: int(pkg.ledger.get(k, 0)) for k in LEDGER_KEYS},
                      expected=len(units), entered_tld=sum(1 for r in inits if r.get("entered_tld")),
                      by_field=Counter(r.get("field") for r in inits), by_bloc=Counter(r.get("bloc") for r in inits))
    e.indicators, e.at_deadline = rows_indicators(units, inits, e.expected, campaign, scope="national")
    return _Reduced(pkg.stamp, pkg.code, e, index.add(pkg.code, inits))


_LISTED = 3  # copies named in a duplicate's message; the JSON and the «Sáng kiến trùng» sheet list them all


def _duplicate_issue(g: DuplicateGroup) -> Issue:
    """One warning per group (not per copy: a group may have dozens), naming where its copies are."""
    places = [f"{p} ({u})" for p, u in zip(g.provinces, g.units)]
    more = len(places) - _LISTED
    detail = ", ".join(places[:_LISTED]) + (f" và {more} bản khác" if more > 0 else "")
    return make_issue(IssueCode.DUPLICATE_GROUP, field="title", value=g.title, author=g.author, count=len(places),
                      detail=detail).with_path(", ".join(dict.fromkeys(g.provinces)))


def consolidate_national(packages_dir: str | Path, campaign: Campaign, *, progress: Progress | None = None,
                         ) -> NationalResult:
    """The national summary from the province packages under ``packages_dir`` (same reader). Expected CĐCS
    of a province = its package's unit rows; the initiative target is per CĐCS (``scope`` other than the
    province's own, whose 750 is one province's number). Each package is reduced to its counts, indicators
    and nominations as soon as it is read, so memory holds one package's rows at a time."""
    root = Path(packages_dir)
    if not root.is_dir():
        raise ProvinceError(ErrorCode.NATIONAL_FOLDER_NOT_FOUND, root=root)
    issues: list[Issue] = []
    files: dict[str, FileRecord] = {}
    others: list[Path] = []
    index = DuplicateIndex()
    reduced = [(p, _reduce_province(p, pkg, campaign, index))
               for p, pkg in iter_packages(root, campaign, "province", issues, others, progress, files)]
    newest_ = newest(reduced, root, issues, files)  # type: ignore[arg-type]  # only .stamp and .code are read
    provinces, used = [], set()
    for code in sorted(newest_):
        p, red = newest_[code]
        e = red.entry
        used.add(red.indexed)
        led = e.ledger
        if led["rows_read"] != led["rows_consolidated"] + led["rows_rejected"] or led["rows_consolidated"] != e.initiatives:
            issues.append(make_issue(IssueCode.LEDGER_UNBALANCED, value=e.name, detail=f"đọc {led['rows_read']}, tổng hợp "
                                     f"{led['rows_consolidated']}, bị loại {led['rows_rejected']}, gửi "
                                     f"{e.initiatives} sáng kiến").with_path(rel(p, root)))
        provinces.append(e)
        files[rel(p, root)] = FileRecord(rel(p, root), "package", code, None)
        mark_letters(p, red.stamp, root, code, files)
    ledger_files = list_files(root, files, others, "không phải gói dữ liệu cấp tỉnh.")
    units = [u for e in provinces for u in e.units]
    tally = _Tally(sum(e.initiatives for e in provinces), sum(e.entered_tld for e in provinces))
    with_init = sum(next((i.numerator or 0 for i in e.indicators if i.key == "cdcs_with_initiative_pct"), 0)
                    for e in provinces)
    indicators, at = rows_indicators(units, (), len(units), campaign, scope="national", with_initiative=with_init,
                                     at_deadline=sum(e.at_deadline for e in provinces), items=tally)
    accepted, rejected, seen = [], [], {}
    for e in provinces:
        for n in e.nominations:
            reasons = list(n.get("reasons") or [])
            if n.get("id") in seen:
                reasons.append(f"Sáng kiến đã được {seen[n.get('id')]} đề nghị")
            if reasons:
                rejected.append(n | {"reasons": reasons, "reason": "; ".join(reasons)})
                issues.append(make_issue(IssueCode.NOMINATION_REJECTED, value=n.get("title") or n.get("id"),
                                         detail="; ".join(reasons)).with_path(e.package_path.name))
            else:
                seen[n.get("id")] = e.name
                accepted.append(n)
    duplicates = index.groups(used)
    issues.extend(_duplicate_issue(g) for g in duplicates)
    fields = sum((e.by_field for e in provinces), Counter())
    blocs = sum((e.by_bloc for e in provinces), Counter())
    return NationalResult(campaign=campaign, provinces=provinces, indicators=indicators, at_deadline=at,
                          by_field=counts_by(fields.elements(), campaign.fields),
                          by_bloc=counts_by(blocs.elements(), campaign.blocs),
                          nominations=accepted, rejected=rejected, issues=issues, files=ledger_files,
                          duplicates=duplicates)


