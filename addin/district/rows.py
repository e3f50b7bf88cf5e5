"""Phase 3 of a district consolidation: every initiative row read, with a stable id, consolidated or
rejected with its reason; nominations beyond a CĐCS's quota; the same initiative sent twice; the people to
commend.

* Row ids: ``<unit code>-<8 hex of sha1(fold(title)|fold(author))>``, ``-2``, ``-3`` … for repeats in row
  order within the file; ``<unit code>-D<row>`` when the title is blank. Same file → same ids on every run.
* A row is *consolidated* when it has no error and its file is usable (the winning file of one of the
  district's CĐCS, with no file-level blocking error). Rows read = consolidated + rejected, per file.
* Commendation counts a person's *distinct* initiatives: a copy flagged as a duplicate is one initiative."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from addin.district.records import BLOCKING_CODES, USED, Commendation, FileEntry, InitiativeRow
from validators.campaign import Campaign
from validators.issues import Issue, IssueCode, Severity, make_issue
from validators.layout import SHEET_INITIATIVES
from validators.models import Initiative
from validators.rules.counting import row_counts
from validators.rules.identity import initiative_key
from validators.text.normalize import fold


def row_id(code: str, item: Initiative, seen: dict[str, int]) -> str:
    if not item.title:
        return f"{code}-D{item.row}"
    digest = hashlib.sha1(f"{fold(item.title)}|{fold(item.author or '')}".encode()).hexdigest()[:8]
    base = f"{code}-{digest}"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def build_rows(files: list[FileEntry]) -> tuple[list[InitiativeRow], dict[str, list[InitiativeRow]]]:
    """Every row of every readable workbook, consolidated or rejected (all rows, then the rows by file)."""
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
            r = InitiativeRow(id=row_id(code, item, seen), unit_code=code, unit_name=unit_name, file=f.name,
                              sheet=SHEET_INITIATIVES, row=item.row, item=item)
            if not usable:
                r.reason = file_reason
            elif not item.valid:
                msgs = [i.message for i in rep.issues if i.row == item.row and i.severity is Severity.ERROR] or [
                    i.message for i in rep.issues if i.row is None and i.severity is Severity.ERROR]  # a lost column
                r.reason = "Dòng có lỗi: " + ("; ".join(msgs) if msgs else "xem trang Lỗi")
            else:
                r.consolidated = True
            mine.append(r)
        f.rows_consolidated = sum(1 for r in mine if row_counts(r.consolidated))
        f.rows_rejected = len(mine) - f.rows_consolidated + rep.stats.rows_cut  # rows past the limit: rejected
        rows.extend(mine)
        rows_of[f.name] = mine
    return rows, rows_of


def mark_over_quota(files: list[FileEntry], rows_of: dict[str, list[InitiativeRow]], quotas: dict[str, int],
                    default_quota: int) -> list[Issue]:
    """The nominations of a CĐCS beyond its quota (in row order)."""
    extra: list[Issue] = []
    for f in files:
        if f.role != USED or f.name not in rows_of:
            continue
        quota = quotas.get(f.unit_code or "", default_quota)
        nominated = [r for r in rows_of[f.name] if r.item.nominated]
        for r in nominated[quota:]:
            r.over_quota = True
            extra.append(make_issue(IssueCode.NOMINATION_BEYOND_QUOTA, sheet=SHEET_INITIATIVES, field="nominated",
                                    value=r.item.title or "", limit=quota, row=r.row).with_path(f.name))
    return extra


def mark_duplicates(files: list[FileEntry], rows_of: dict[str, list[InitiativeRow]], expected_codes: set[str],
                    ) -> list[Issue]:
    """The same initiative (``validators.rules.duplicates``) sent by several of the district's own units:
    every copy is linked to the others (``duplicate_of``) and flagged against the copies in other files. Copies
    inside one file are already flagged by the file's own validation, as ``validate`` flags them."""
    extra: list[Issue] = []
    groups: dict[tuple[str, str], list[InitiativeRow]] = defaultdict(list)
    for f in files:
        if f.role == USED and f.unit_code in expected_codes:
            for r in rows_of.get(f.name, []):
                key = initiative_key(r.item.title, r.item.author)
                if key:
                    groups[key].append(r)
    for group in groups.values():
        if len(group) < 2:
            continue
        for r in group:
            others = [o for o in group if o is not r]
            r.duplicate_of = [o.id for o in others]
            elsewhere = [o for o in others if o.file != r.file]
            if not elsewhere:
                continue
            where = "; ".join(f"{o.unit_code} ({o.file}, dòng {o.row})" for o in elsewhere)
            extra.append(make_issue(IssueCode.DUPLICATE_INITIATIVE, sheet=SHEET_INITIATIVES, field="title",
                                    value=r.item.title, author=r.item.author, other=where, row=r.row)
                         .with_path(r.file))
    return extra


def commendations(accepted: list[InitiativeRow], campaign: Campaign) -> list[Commendation]:
    """People with at least ``commendation_min_initiatives`` distinct consolidated initiatives (by author
    name without accents or case, and birth year); a duplicated initiative counts once."""
    people: dict[tuple[str, int | None], dict[str, InitiativeRow]] = defaultdict(dict)
    for r in accepted:
        if r.item.author:
            people[(fold(r.item.author), r.item.birth_year)].setdefault(fold(r.item.title or r.id), r)
    out = [
        Commendation(author=rs[0].item.author or "", birth_year=rs[0].item.birth_year, count=len(rs),
                     units=sorted({r.unit_code for r in rs}), titles=[r.item.title or "" for r in rs])
        for rs in (list(d.values()) for d in people.values()) if len(rs) >= campaign.rules.commendation_min_initiatives
    ]
    out.sort(key=lambda c: (-c.count, fold(c.author), c.birth_year or 0))
    return out
