"""A district's package checked against itself and the registry before the province counts a single row.

A package is a workbook anyone can edit between the district and the province. Its counts alone prove
nothing: rows can be added for another district's CĐCS or for a unit nobody knows, copied with the same ids,
the package restamped as another district's (so that it replaces that district's data), its stamp made to
name the package itself as the Tờ trình, a nomination added that no CĐCS proposed, and the counts edited to
match. Each of those is an issue on the package here, and the rows concerned are left out, so the ledger
check that follows (rows consolidated against rows sent) shows the difference too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from addin.dossier.package import S_INIT, S_NOMS, S_UNITS, Package
from addin.io.names import visible_name
from addin.registry import Registry
from validators.issues import Issue, IssueCode, make_issue
from validators.text.names import code_key

_FILE_KEYS = (("to_trinh_file", "Tờ trình"), ("summary_file", "Bảng tổng hợp tóm tắt sáng kiến"))


def check_packages(pairs: list[tuple[Path, Package]], root: Path, registry: Registry,
                   issues: list[Issue]) -> list[tuple[Path, Package]]:
    """The district packages that may be used, each with the rows that belong to it; issues appended."""
    kept = []
    for path, pkg in pairs:
        name = _rel(path, root)
        found: list[Issue] = []  # the package's own cell issues are reported where it is read
        if pkg.code in registry.district_by_code and _usable(path, pkg, root, registry, found):
            kept.append((path, pkg))
        issues.extend(i.with_path(name) for i in found)
    return kept


def _rel(path: Path, root: Path) -> str:
    try:
        return visible_name(path.relative_to(root).as_posix())
    except ValueError:
        return visible_name(path.name)


def _usable(path: Path, pkg: Package, root: Path, registry: Registry, issues: list[Issue]) -> bool:
    code = pkg.code
    district = registry.district_by_code[code]
    # A package for X replaces only X: one lying in the folder of another district is not X's.
    try:
        top = path.relative_to(root).parts[0] if len(path.relative_to(root).parts) > 1 else None
    except ValueError:
        top = None
    by_key = {code_key(c): c for c in registry.district_by_code}
    folder_code = by_key.get(code_key(top)) if top else None
    if folder_code is not None and folder_code != code:
        issues.append(make_issue(IssueCode.PACKAGE_WRONG_FOLDER, value=district.name,
                                 other=registry.district_by_code[folder_code].name))
        return False
    own = {c.code for c in registry.cdcs_of(code)}
    at = _row_numbers(pkg)
    pkg.initiatives = _own_rows(pkg, S_INIT, pkg.initiatives, code, own, registry, issues, at)
    pkg.units = _own_rows(pkg, S_UNITS, pkg.units, code, own, registry, issues, at)
    pkg.nominations = _own_rows(pkg, S_NOMS, pkg.nominations, code, own, registry, issues, at)
    pkg.initiatives = _unique(S_INIT, pkg.initiatives, "id", issues, at)
    pkg.units = _unique(S_UNITS, pkg.units, "unit_code", issues, at)
    pkg.nominations = _unique(S_NOMS, pkg.nominations, "id", issues, at)
    _recount_units(pkg, issues, district.name)
    _proposed_only(pkg, issues)
    for key, label in _FILE_KEYS:
        fname = str(pkg.stamp.get(key) or "").strip()
        if fname and fname.casefold() == path.name.casefold():
            issues.append(make_issue(IssueCode.PACKAGE_SELF_REFERENCE, value=visible_name(fname), detail=label))
            pkg.stamp[key] = ""  # the province then reports the document as missing from the dossier
    return True


def _row_numbers(pkg: Package) -> dict[int, int]:
    """id(row) -> its sheet row, for the rows as read (the lists are filtered below)."""
    at: dict[int, int] = {}
    for sheet, rows in ((S_INIT, pkg.initiatives), (S_UNITS, pkg.units), (S_NOMS, pkg.nominations)):
        at.update((id(r), n) for r, n in zip(rows, pkg.rows_at.get(sheet) or []))
    return at


def _own_rows(pkg: Package, sheet: str, rows: list[dict[str, Any]], code: str, own: set[str],
              registry: Registry, issues: list[Issue], at: dict[int, int]) -> list[dict[str, Any]]:
    kept = []
    for i, row in enumerate(rows):
        unit = str(row.get("unit_code") or "")
        district = str(row.get("district_code") or code)
        problem = None
        if district != code:
            problem = f"dòng ghi của đơn vị cấp trên '{visible_name(district)}'"
        elif sheet == S_UNITS and row.get("status") == "foreign":
            problem = None  # a foreign file the district listed: its unit row is informative only
        if problem is None and unit not in own and not (sheet == S_UNITS and row.get("status") == "foreign"):
            other = registry.cdcs_by_code.get(unit)
            problem = (f"CĐCS '{visible_name(unit)}' thuộc '{other.parent}', không thuộc đơn vị gửi gói" if other
                       else f"CĐCS '{visible_name(unit)}' không có trong danh sách đơn vị")
        if problem:
            issues.append(make_issue(IssueCode.PACKAGE_FOREIGN_ROW, sheet=sheet, row=at.get(id(row)),
                                     value=unit, other=pkg.stamp.get("name") or code, detail=problem))
        else:
            kept.append(row)
    return kept


def _unique(sheet: str, rows: list[dict[str, Any]], key: str, issues: list[Issue],
            at: dict[int, int]) -> list[dict[str, Any]]:
    first: dict[str, int | None] = {}
    kept = []
    for i, row in enumerate(rows):
        ident = row.get(key)
        if ident in (None, ""):
            kept.append(row)
            continue
        if ident in first:
            issues.append(make_issue(IssueCode.PACKAGE_DUPLICATE_ID, sheet=sheet, row=at.get(id(row)),
                                     value=ident, other=first[ident] if first[ident] is not None else "trước"))
            continue
        first[ident] = at.get(id(row))
        kept.append(row)
    return kept


def _recount_units(pkg: Package, issues: list[Issue], name: str) -> None:
    """Each unit's count of initiatives is what the package's rows say, not what its unit row claims."""
    counts: dict[str, int] = {}
    for row in pkg.initiatives:
        counts[str(row.get("unit_code"))] = counts.get(str(row.get("unit_code")), 0) + 1
    wrong = []
    for u in pkg.units:
        actual = counts.get(str(u.get("unit_code")), 0)
        if (u.get("initiatives") or 0) != actual:
            wrong.append(f"{u.get('unit_code')}: ghi {u.get('initiatives') or 0}, có {actual} dòng")
            u["initiatives"] = actual
    if wrong:
        issues.append(make_issue(IssueCode.LEDGER_UNBALANCED, value=name,
                                 detail="số sáng kiến của đơn vị không khớp các dòng gửi kèm (" + "; ".join(wrong[:5])
                                 + ("; …" if len(wrong) > 5 else "") + "), đã tính lại theo các dòng"))


def _proposed_only(pkg: Package, issues: list[Issue]) -> None:
    """A nomination must be one of the initiatives its CĐCS proposed to the level above."""
    by_id = {r.get("id"): r for r in pkg.initiatives}
    kept = []
    for n in pkg.nominations:
        init = by_id.get(n.get("id"))
        if init is not None and not init.get("nominated"):
            issues.append(make_issue(IssueCode.NOMINATION_NOT_PROPOSED, value=n.get("title") or n.get("id")))
            continue
        kept.append(n)
    pkg.nominations = kept
