"""Phase 2 of a district consolidation: what each file is for.

* A workbook belongs to the unit its stamp names (``FileReport.unit_code``); a unit of another district
  makes it *foreign*, a code unknown to the registry *unknown*, no code / an unreadable file is listed with
  its reason.
* Two or more files of one unit: the newest wins by (sent date ``NGAY_GUI``, else the file's modification
  date), then modification time, then path; the others are *superseded*.
* *late*: the effective sent date is after the deadline.
* A file that is not a workbook is *not-workbook*; when its name (or, for a small text file, its content)
  carries the code of one of the district's CĐCS (``CJ019.pdf``, ``CJ019 - bao cao.docx``) it is attached to
  that unit, which is then shown as having
  sent a document but not the form, instead of being chased as if it had sent nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from addin.district.records import (BLOCKING_CODES, FOREIGN, NO_CODE, NOT_WORKBOOK, ROLE_LABELS, SUPERSEDED,
                                    UNKNOWN, UNREADABLE, FileEntry)
from addin.registry import Registry
from validators.issues import Issue, IssueCode, Severity, make_issue
from validators.layout import SHEET_UNIT
from validators.text.names import code_key


TEXT_SUFFIXES = (".txt", ".csv")
TEXT_MAX_BYTES = 1 << 20  # a unit's note or list; anything larger is not read


def _codes_in(text: str, own: dict[str, str]) -> str | None:
    return next((own[k] for t in re.split(r"[^0-9A-Za-z]+", text) if t and (k := code_key(t)) in own), None)


def _attach(f: FileEntry, own: dict[str, str]) -> None:
    hit = _codes_in(f.path.stem, own)
    if hit is None and f.path.suffix.lower() in TEXT_SUFFIXES:  # a plain-text file may name its unit inside
        try:
            if f.path.stat().st_size <= TEXT_MAX_BYTES:
                hit = _codes_in(f.path.read_bytes().decode("utf-8", "ignore"), own)
        except OSError:
            pass
    f.attached_to = hit
    kind = f.path.suffix.lower() or "(không đuôi)"
    if f.path.name.startswith("~$"):
        f.reason = "Tệp tạm của Excel khi đang mở một bảng tính, không phải báo cáo."
    elif hit:
        f.reason = f"Không phải bảng tính ({kind}): {hit} đã gửi tệp {kind}, chưa gửi biểu mẫu."
    else:
        f.reason = (f"Không phải bảng tính ({kind}) và tên tệp không có mã CĐCS nào của đơn vị: "
                    "không thuộc đơn vị nào.")


def assign_roles(files: list[FileEntry], registry: Registry, expected_codes: set[str], deadline: dt.date,
                 ) -> tuple[dict[str, list[FileEntry]], dict[str, FileEntry], list[Issue]]:
    """Set every file's role, reason, blocked and late flags. Returns (the workbooks of each unit, oldest
    first; the winning workbook of each unit; the issues this phase adds)."""
    extra: list[Issue] = []
    own = {code_key(c): c for c in expected_codes}
    by_unit: dict[str, list[FileEntry]] = defaultdict(list)
    for f in files:
        rep = f.report
        if f.role == NOT_WORKBOOK:
            _attach(f, own)
            continue
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
            parent = registry.cdcs_by_code[code].parent
            for f in group:
                if f.role != SUPERSEDED:
                    f.role = FOREIGN
                    f.reason = make_issue(IssueCode.UNIT_FOREIGN, value=code, other=parent).message
                extra.append(make_issue(IssueCode.UNIT_FOREIGN, sheet=SHEET_UNIT, value=code, other=parent)
                             .with_path(f.name))

    for f in files:
        eff = f.effective_date
        f.late = f.report.readable and eff is not None and eff > deadline
        if f.late and f.role == "used":
            via = f" (thư điện tử đến hộp thư lúc {f.received:%H:%M %d/%m/%Y})" if f.received else ""
            extra.append(make_issue(IssueCode.SUBMISSION_LATE, value=eff, deadline=deadline, via=via)
                         .with_path(f.name))
    return by_unit, winners, extra
