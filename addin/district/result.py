"""What a district consolidation returns (``DistrictResult``): its JSON report, its ledger, its exit status,
and the short Vietnamese summary the command line and the «Tổng hợp» button print."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from addin.cdcs.cache import ReportCache
from addin.district.records import (NOT_WORKBOOK, ROLE_LABELS, SUPERSEDED, USED, Commendation, FileEntry,
                                    InitiativeRow, UnitStatus)
from addin.registry import District, Registry
from validators.campaign import Campaign
from validators.issues import Issue
from validators.rules.counting import Indicator
from validators.text.vnformat import vn_number
from addin.mail.manifest import MANIFEST_NAME


@dataclass
class DistrictResult:
    district: District
    campaign: Campaign
    registry: Registry
    deadline: dt.date
    run_time: dt.datetime
    units: list[UnitStatus]  # expected CĐCS in registry order, then foreign units
    files: list[FileEntry]  # every file under the inbox: workbooks, then the others
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
    marks: list[str] = field(default_factory=list)  # set by write_district_workbook: staff marks it could not keep
    own_propagated: bool | None = None  # the district union's own propagation of the program
    own_movement: str = ""  # and its own specific emulation movement

    @property
    def reused_files(self) -> int:
        return sum(1 for f in self.files if f.reused)

    @property
    def workbooks(self) -> list[FileEntry]:
        return [f for f in self.files if f.role != NOT_WORKBOOK]

    @property
    def ledger(self) -> dict[str, int]:
        return {
            "rows_read": sum(f.rows_read for f in self.files),
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
        if not self.workbooks or self.readable_files == 0:
            return 2
        if any(u.status in ("errors", "missing") for u in self.expected_units):
            return 1
        return 1 if any(not f.report.valid for f in self.workbooks) else 0

    def as_json(self) -> dict[str, Any]:
        return {
            "district": self.district.code,
            "district_name": self.district.name,
            "campaign": self.campaign.id,
            "deadline": self.deadline.isoformat(),
            "run_time": self.run_time.isoformat(timespec="seconds"),
            "units": [u.as_json() for u in self.units],
            "ledger": self.ledger,
            "files": [f.as_json() for f in self.files],
            "nominations": [r.id for r in self.nominations],
            "duplicates": sorted({r.id for r in self.initiatives if r.duplicate_of}),
            "commendations": [
                {"author": c.author, "birth_year": c.birth_year, "initiatives": c.count, "units": c.units}
                for c in self.commendations
            ],
            "indicators": [i.as_json() for i in self.indicators],
            "issues": [i.as_json(with_path=True) for i in self.issues],
            "marks_not_kept": list(self.marks),
            "own": {"propagated": self.own_propagated, "specific_movement": self.own_movement or None},
            "cache": None if self.cache is None else {
                "reused_files": self.reused_files, "checked_files": len(self.workbooks) - self.reused_files,
                "workbook_kept": self.workbook_kept, "problem": self.cache.problem,
            },
        }


def files_line(files: list[FileEntry]) -> str:
    """"82 tệp: 80 bảng tính, 2 tệp khác (.docx, .pdf)" — every file counted, none summarised away."""
    others = [f for f in files if f.role == NOT_WORKBOOK]
    kinds = Counter(f.path.suffix.lower() or "không đuôi" for f in others)
    tail = f", {len(others)} tệp khác ({', '.join(sorted(kinds))})" if others else ""
    return f"{vn_number(len(files))} tệp: {vn_number(len(files) - len(others))} bảng tính{tail}"


def summary_lines(result: DistrictResult) -> list[str]:
    """A short Vietnamese summary of a consolidation, for the command line and the add-in's status bar."""
    exp = result.expected_units
    n = {s: sum(1 for u in exp if u.status == s) for s in ("valid", "errors", "missing")}
    led = result.ledger
    lines = [
        f"{result.district.name} ({result.district.code}): {len(exp)} CĐCS trực thuộc, {files_line(result.files)}.",
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
    for m in result.marks:
        lines.append(f"  ! {m}")
    for f in result.files:
        if f.role not in (USED, SUPERSEDED):
            lines.append(f"  - {f.name}: {ROLE_LABELS[f.role]}. {f.reason}")
    return lines
