"""Reading a province (or national) folder: which workbooks are packages of the expected level, recognised
by content (the package stamp sheet), never by name; the newest package of a unit wins. Each file's role is
recorded as it is decided, so the ledger lists every file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Collection, Iterator

from addin.cdcs.validate import find_workbooks
from addin.dossier.package import S_STAMP, Package, PackageError, read_package
from addin.io.gate.workbook import GatedWorkbook, WorkbookRefused, open_workbook, sheet_names_of
from addin.province.records import FileRecord, Progress, as_date, rel
from validators.campaign import Campaign
from validators.issues import Issue, IssueCode, make_issue
from addin.io.names import visible_name


def is_package(path: Path) -> bool:
    """Cheap check by content: the workbook has the package stamp sheet."""
    return S_STAMP in sheet_names_of(path)  # a file the gate refuses is simply not a package


def _opened_package(path: Path) -> GatedWorkbook | None:
    """The workbook through the gate when it is a package (``is_package``), else None; opened once, so the
    gate's scan of a province package (several MB of sheet XML) is not done again by ``read_package``."""
    try:
        # Sheets measured when read: a CĐCS workbook in a raw district folder is only looked at for its sheet
        # names here (its 1.2 MB formula sheet is not inflated), a package's sheets all are, by read_package.
        wb = open_workbook(path, sheets_on_demand=True)
    except WorkbookRefused:
        return None  # a file the gate refuses is simply not a package
    return wb if S_STAMP in wb.sheet_names else None


def read_one(p: Path, root: Path, campaign: Campaign, initiative_keys: Collection[str] | None = None,
             as_columns: bool = False) -> Package | Issue | None:
    """One workbook of a folder: its package (``read_package``; ``initiative_keys`` and ``as_columns``, its
    ``initiative_columns``, as there), the ``package-invalid`` issue (with its path) of a package that cannot be
    read, or None for a workbook that is not a package."""
    wb = _opened_package(p)
    if wb is None:
        return None
    name = rel(p, root)
    try:
        pkg = read_package(p, campaign_id=campaign.id, workbook=wb, initiative_keys=initiative_keys,
                           initiative_columns=as_columns)
    except PackageError as exc:
        return make_issue(IssueCode.PACKAGE_INVALID, detail=str(exc)).with_path(name)
    return pkg


def settle(p: Path, root: Path, read: Package | Issue | None, level: str, issues: list[Issue],
           others: list[Path], files: dict[str, FileRecord] | None) -> bool:
    """What ``read_one`` found, recorded in path order: a workbook that is not a package goes to ``others``,
    a package's cell issues and a refusal (unreadable, or not of ``level``) to ``issues``, a refusal to
    ``files`` too. True for a package of ``level``."""
    if read is None:
        others.append(p)
        return False
    name = rel(p, root)
    if isinstance(read, Issue):
        issue = read
    else:
        issues.extend(i.with_path(name) for i in read.issues)  # cells not of their column's type (package-cell)
        if read.level == level:
            return True
        issue = make_issue(IssueCode.PACKAGE_INVALID, value=read.code,
                           detail=f"gói của cấp '{read.level}', cần gói cấp '{level}'.").with_path(name)
    issues.append(issue)
    if files is not None:
        files[name] = FileRecord(name, "package-invalid", None, issue.message)
    return False


def iter_packages(root: Path, campaign: Campaign, level: str, issues: list[Issue], others: list[Path],
                  progress: Progress | None = None, files: dict[str, FileRecord] | None = None,
                  ) -> Iterator[tuple[Path, Package]]:
    """The packages of ``level`` under ``root``, one at a time (a caller can reduce each one and let its
    rows go); workbooks that are not packages go to ``others``; a refused package is an issue and, with
    ``files``, a ledger record."""
    paths = find_workbooks([root])
    for n, p in enumerate(paths, start=1):
        if progress:
            progress(n, len(paths), visible_name(p.name))
        read = read_one(p, root, campaign)
        if settle(p, root, read, level, issues, others, files):
            yield p, read  # type: ignore[misc]


def newest(pairs: list[tuple[Path, Package]], root: Path, issues: list[Issue],
           files: dict[str, FileRecord] | None = None) -> dict[str, tuple[Path, Package]]:
    """The newest package of each unit (export date, then path); the others are listed as superseded."""
    by_code: dict[str, list[tuple[Path, Package]]] = {}
    for p, pkg in pairs:
        by_code.setdefault(pkg.code, []).append((p, pkg))
    out = {}
    for code, group in by_code.items():
        group.sort(key=lambda t: (as_date(t[1].stamp.get("export_date")) or dt.date.min, str(t[0])))
        out[code] = group[-1]
        for p, _ in group[:-1]:
            issue = make_issue(IssueCode.PACKAGE_SUPERSEDED, value=code, other=rel(group[-1][0], root))
            issues.append(issue.with_path(rel(p, root)))
            if files is not None:
                files[rel(p, root)] = FileRecord(rel(p, root), "package-superseded", code, issue.message)
    return out


def list_files(root: Path, files: dict[str, FileRecord], others: list[Path], why: str) -> list[FileRecord]:
    """Every file under ``root``, in path order: those already given a role, workbooks left over (``why``
    they were not used) and every other file (not a workbook)."""
    from addin.cdcs.validate import find_other_files

    for p in others:
        files.setdefault(rel(p, root), FileRecord(rel(p, root), "ignored", None, why))
    for p in find_other_files(root):
        kind = p.suffix.lower() or "(không đuôi)"
        files.setdefault(rel(p, root), FileRecord(rel(p, root), "not-workbook", None, f"Không phải bảng tính ({kind})."))
    return [files[k] for k in sorted(files)]


def mark_letters(package: Path, stamp: dict, root: Path, code: str, files: dict[str, FileRecord]) -> set[Path]:
    """The Tờ trình and Bảng tổng hợp a package's stamp names, beside it: recorded as the dossier's letters
    (never taken for a unit's workbook). Returns their paths."""
    found = set()
    for key in ("to_trinh_file", "summary_file"):
        fname = str(stamp.get(key) or "").strip()
        p = package.parent / fname
        if fname and Path(fname).name == fname and p.is_file():
            files[rel(p, root)] = FileRecord(rel(p, root), "dossier", code, None)
            found.add(p)
    return found
