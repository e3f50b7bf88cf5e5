"""The national roll-up (tổng hợp toàn quốc): province packages → the national summary with the same
indicators, counted by the same rules as a province's, and the same initiative sent by several units, across
provinces or inside one (``addin.province.duplicates``). Each package is reduced to its counts, indicators,
nominations and a few bytes a row for the duplicate check as soon as it is read, so memory holds one package's
rows at a time (2 million initiatives fit an office PC).

Packages are read as data (issue 17): only the initiative columns the summary counts (``NATIONAL_KEYS``, as
typed columns), each package read and reduced in a pool worker, the results merged here in path order. The
straightforward read stays as ``consolidate_national(..., reference=True)``; ``tests/test_national_read.py``
holds the two equal."""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import Counter, abc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from addin.cdcs.validate import find_workbooks
from addin.dossier.package import Package, Stamped
from addin.io.names import visible_name
from addin.io.parallel import Crashed, Raised, run_jobs
from addin.province.duplicates import DigestedRows, DuplicateGroup, DuplicateIndex, digest_columns
from addin.province.records import (LEDGER_KEYS, FileRecord, Progress, ProvinceError, ProvinceIndicator, nom_json, rel)
from addin.province.scan import iter_packages, list_files, mark_letters, newest, read_one, settle
from addin.province.tally import count_at_deadline, count_units_with_initiative, rows_indicators
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


def _nomination_reasons(p: Path, pkg: Package, *, ids: set | None = None, disputed: set | None = None) -> None:
    """The checks a nomination passes while its package's rows are at hand: the province's dossier is complete
    (its Tờ trình and Bảng tổng hợp beside the package), the nomination is one of the province's consolidated
    initiatives, with no complaint or dispute. Each nomination gets its ``reasons`` (empty when it passes)."""
    if ids is None or disputed is None:  # (given by a reader of columns)
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


def _entry(p: Path, pkg: Package, campaign: Campaign) -> ProvinceEntry:
    """The package reduced to what the national summary reads, from its rows as dicts (the reference)."""
    units = [u for u in pkg.units if u.get("status") != "foreign"]
    inits = pkg.initiatives
    _nomination_reasons(p, pkg)
    e = ProvinceEntry(code=pkg.code, name=str(pkg.stamp.get("name") or pkg.code), package_path=p,
                      initiatives=len(inits), units=[{k: u.get(k) for k in _NATIONAL_UNIT_KEYS} for u in units],
                      nominations=pkg.nominations, ledger={k: int(pkg.ledger.get(k, 0)) for k in LEDGER_KEYS},
                      expected=len(units), entered_tld=sum(1 for r in inits if r.get("entered_tld")),
                      by_field=Counter(r.get("field") for r in inits), by_bloc=Counter(r.get("bloc") for r in inits))
    e.indicators, e.at_deadline = rows_indicators(units, inits, e.expected, campaign, scope="national")
    return e


def _entry_of_columns(p: Path, pkg: Package, campaign: Campaign) -> ProvinceEntry:
    """``_entry`` over a package whose initiatives were read as columns (``ColumnRows``): the same counts,
    each over the one or two columns it reads, without a dict per row; the indicators count the initiatives
    through a ``_Tally`` (all they read of them: how many, how many entered in TLĐ's software), not one
    ``Initiative`` object per row."""
    cols = pkg.initiatives.columns  # type: ignore[attr-defined]
    n = len(pkg.initiatives)
    ids, unit_codes = cols["id"], cols["unit_code"]
    units = [u for u in pkg.units if u.get("status") != "foreign"]
    _nomination_reasons(p, pkg, ids=set(ids), disputed={i for i, d in zip(ids, cols["disputed"]) if d})
    e = ProvinceEntry(code=pkg.code, name=str(pkg.stamp.get("name") or pkg.code), package_path=p,
                      initiatives=n, units=[{k: u.get(k) for k in _NATIONAL_UNIT_KEYS} for u in units],
                      nominations=pkg.nominations, ledger={k: int(pkg.ledger.get(k, 0)) for k in LEDGER_KEYS},
                      expected=len(units), entered_tld=sum(1 for v in cols["entered_tld"] if v),
                      by_field=Counter(cols["field"]), by_bloc=Counter(cols["bloc"]))
    at = count_at_deadline(units, unit_codes, cols["applied_on"], campaign.deadlines.entry_close)
    e.indicators, e.at_deadline = rows_indicators(units, (), e.expected, campaign, scope="national",
                                                  with_initiative=count_units_with_initiative(units, unit_codes),
                                                  at_deadline=at, items=_Tally(n, e.entered_tld))
    return e


def _reduce_province(p: Path, pkg: Package, campaign: Campaign, index: DuplicateIndex) -> _Reduced:
    """The reference reduction (``consolidate_national(..., reference=True)``): every row typed and kept
    until the package is reduced, the indicators counted over ``Initiative`` objects."""
    e = _entry(p, pkg, campaign)
    return _Reduced(pkg.stamp, pkg.code, e, index.add(pkg.code, pkg.initiatives))


# What the national summary reads of an initiative row: the indicators (unit, field, bloc, entered in TLĐ's
# software, date of application), the nominations' checks (id, dispute) and the identity rule of the
# duplicates (title, author). The other columns are still checked for cells of the wrong type, not kept.
NATIONAL_KEYS = ("id", "unit_code", "title", "author", "field", "bloc", "applied_on", "entered_tld", "disputed")


@dataclass
class _Done(Stamped):
    """A package read and reduced in a worker: all the parent keeps of it (its rows stay in the worker)."""

    stamp: dict[str, Any]
    issues: list[Issue]
    entry: ProvinceEntry | None  # None: not a package of the level asked for
    digested: DigestedRows | None


def _read_and_reduce(context: tuple[str, Campaign], path: str) -> _Done | Issue | None:
    """One workbook of the folder, read (only ``NATIONAL_KEYS`` of the initiatives) and reduced where it is
    read (a pool worker): what ``settle`` and the merge need."""
    root, campaign = context
    p = Path(path)
    read = read_one(p, Path(root), campaign, NATIONAL_KEYS, as_columns=True)
    if read is None or isinstance(read, Issue):
        return read
    if read.level != "province":
        return _Done(read.stamp, read.issues, None, None)
    cols = read.initiatives.columns  # type: ignore[attr-defined]
    return _Done(read.stamp, read.issues, _entry_of_columns(p, read, campaign),
                 digest_columns(cols["id"], cols["unit_code"], cols["title"], cols["author"]))


# The pool pays for the national roll-up from a few MB of workbooks (a province package of 31,000 initiatives
# is ~5 MB and takes ~1.5 s to read and reduce; starting a worker costs ~0.1 s forked, ~1.5 s spawned:
# ``benchmarks.pool``). Two workers at most: each holds one package's grid (~300 MB at 31,000 initiatives),
# and the roll-up must stay under 1 GiB.
POOL_BYTES_FORK = 2 * 2**20
POOL_BYTES_SPAWN = 16 * 2**20
MAX_WORKERS = 2


def national_workers(paths: list[Path]) -> int:
    """Workers worth starting to read ``paths``: 1 (here, serially) below the start method's threshold."""
    env = os.environ.get("SANGKIEN_WORKERS", "").strip()
    if env.isdigit():
        return min(max(1, int(env)), MAX_WORKERS)
    cpus = os.cpu_count() or 1
    if cpus < 2 or len(paths) < 2:
        return 1
    method = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0]
    size = 0
    for p in paths:
        try:
            size += p.stat().st_size
        except OSError:
            pass
    return 1 if size < (POOL_BYTES_FORK if method == "fork" else POOL_BYTES_SPAWN) else min(cpus, MAX_WORKERS)


def _read_all(root: Path, campaign: Campaign, index: DuplicateIndex, issues: list[Issue], others: list[Path],
              progress: Progress | None, files: dict[str, FileRecord], workers: int | None,
              ) -> list[tuple[Path, _Reduced]]:
    """Every workbook under ``root`` read and reduced (``_read_and_reduce``), in a pool when it pays, merged
    here in path order: the same issues, records and duplicate index as reading them one after another."""
    paths = find_workbooks([root])
    n_workers = national_workers(paths) if workers is None else max(1, workers)
    reduced = []
    jobs = [(str(p),) for p in paths]
    for n, got in run_jobs(_read_and_reduce, jobs, (str(root), campaign), workers=n_workers):
        p = paths[n]
        if progress:
            progress(n + 1, len(paths), visible_name(p.name))
        if isinstance(got, (Crashed, Raised)):  # the reader failed on this file (or its process died)
            what = got.name if isinstance(got, Raised) else "tiến trình đọc tệp bị dừng"
            got = make_issue(IssueCode.PACKAGE_INVALID, detail=f"không đọc được tệp ({what}).").with_path(rel(p, root))
        if settle(p, root, got, "province", issues, others, files):
            assert isinstance(got, _Done) and got.entry is not None and got.digested is not None
            reduced.append((p, _Reduced(got.stamp, got.code, got.entry, index.add_digested(got.code, got.digested))))
    return reduced


_LISTED = 3  # copies named in a duplicate's message; the JSON and the «Sáng kiến trùng» sheet list them all


def _duplicate_issue(g: DuplicateGroup) -> Issue:
    """One warning per group (not per copy: a group may have dozens), naming where its copies are."""
    places = [f"{p} ({u})" for p, u in zip(g.provinces[:_LISTED], g.units[:_LISTED])]
    more = len(g.provinces) - _LISTED
    detail = ", ".join(places) + (f" và {more} bản khác" if more > 0 else "")
    return make_issue(IssueCode.DUPLICATE_GROUP, field="title", value=g.title, author=g.author, count=len(g.provinces),
                      detail=detail).with_path(", ".join(dict.fromkeys(g.provinces)))


def consolidate_national(packages_dir: str | Path, campaign: Campaign, *, progress: Progress | None = None,
                         workers: int | None = None, reference: bool = False) -> NationalResult:
    """The national summary from the province packages under ``packages_dir`` (same reader). Expected CĐCS
    of a province = its package's unit rows; the initiative target is per CĐCS (``scope`` other than the
    province's own, whose 750 is one province's number). Each package is reduced to its counts, indicators
    and nominations as soon as it is read, so memory holds one package's rows at a time (one per worker:
    ``workers`` packages read at once, by default ``national_workers``; each read keeps only ``NATIONAL_KEYS``
    of the initiatives). ``reference``: the straightforward read (serial, every column typed and kept until the
    package is reduced), which gives the same result: the tests compare the two."""
    root = Path(packages_dir)
    if not root.is_dir():
        raise ProvinceError(ErrorCode.NATIONAL_FOLDER_NOT_FOUND, root=root)
    issues: list[Issue] = []
    files: dict[str, FileRecord] = {}
    others: list[Path] = []
    index = DuplicateIndex()
    if reference:  # every row of a package typed and kept until it is reduced, here: what the tests compare to
        reduced = [(p, _reduce_province(p, pkg, campaign, index))
                   for p, pkg in iter_packages(root, campaign, "province", issues, others, progress, files)]
    else:
        reduced = _read_all(root, campaign, index, issues, others, progress, files, workers)
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


