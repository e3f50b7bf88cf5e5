"""The records of a district consolidation: one per file, per unit, per initiative row, per person to
commend, with the labels staff read for each role and status. Kept apart from the phases that fill them so
the workbook, the dossier and the province can read them without importing the consolidation itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validators.errors import SangkienError
from validators.issues import IssueCode
from validators.models import Initiative, UnitReport
from validators.report import FileReport

BLOCKING_CODES = frozenset({IssueCode.CAMPAIGN_MISMATCH, IssueCode.UNIT_MISMATCH, IssueCode.IDENTITY_CHANGED,
                            IssueCode.TEMPLATE_UNKNOWN, IssueCode.UNIT_UNKNOWN})

# File roles
USED, SUPERSEDED, FOREIGN, UNKNOWN, UNREADABLE, NO_CODE = "used", "superseded", "foreign", "unknown", "unreadable", "no-code"
NOT_WORKBOOK = "not-workbook"
ROLE_LABELS = {
    USED: "Tổng hợp",
    SUPERSEDED: "Bị thay bằng tệp gửi lại",
    FOREIGN: "Thuộc đơn vị cấp trên khác",
    UNKNOWN: "Mã đơn vị không có trong danh sách",
    UNREADABLE: "Không đọc được",
    NO_CODE: "Không xác định được đơn vị",
    NOT_WORKBOOK: "Không phải biểu mẫu (không đọc)",
}
STATUS_LABELS = {"valid": "Hợp lệ", "errors": "Có lỗi", "missing": "Chưa gửi", "foreign": "Đơn vị khác"}


def status_of_label(label: str) -> str:
    """The status code of a «Tình trạng» cell as the district workbook shows it (users read words, not codes)."""
    label = label.strip()
    code = next((k for k, v in STATUS_LABELS.items() if v == label), None)
    return code or ("missing" if label.startswith("Đã gửi tệp") else label)


class DistrictError(SangkienError):
    """The consolidation cannot run (unknown district, missing inbox): Vietnamese message."""


@dataclass
class DistrictSettings:
    deadline: dt.date | None = None  # default: campaign.deadlines.cdcs_submission_default
    quotas: dict[str, int] = field(default_factory=dict)  # CĐCS code -> nomination quota
    # The district-level union's own commitments (counted by the province in "100% công đoàn các cấp")
    own_propagated: bool | None = None
    own_movement: str = ""


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
    attached_to: str | None = None  # a file that is not a workbook: the unit its name names

    @property
    def unit_code(self) -> str | None:
        return self.report.unit_code if self.role != NOT_WORKBOOK else self.attached_to

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

    def as_json(self) -> dict[str, Any]:
        return {"path": self.name, "role": self.role, "unit": self.unit_code, "unit_code": self.unit_code,
                "reason": self.reason or None, "valid": self.report.valid, "late": self.late,
                "rows_read": self.rows_read, "rows_consolidated": self.rows_consolidated,
                "rows_rejected": self.rows_rejected, "received": self.received.isoformat() if self.received else None,
                "time_source": "email" if self.received else ("sent_date" if self.sent_on else "file_time")}


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
    entered_tld: int = 0  # of its consolidated initiatives, those entered in TLĐ's software
    counted: bool = False  # its commitments count toward the indicators (validators.rules.counting.unit_counts)
    other_files: list[str] = field(default_factory=list)  # files it sent that are not workbooks

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS[self.status]
        if self.status == "missing" and self.other_files:
            kinds = ", ".join(sorted({Path(f).suffix.lower() or "không đuôi" for f in self.other_files}))
            label = f"Đã gửi tệp {kinds}, chưa gửi biểu mẫu"
        return label

    def as_json(self) -> dict[str, Any]:
        r = self.report
        return {
            "code": self.code, "status": self.status, "late": self.late, "resubmitted": self.resubmitted,
            "initiatives": self.initiatives, "name": self.name, "file": self.file or None,
            "superseded": list(self.superseded), "rows_read": self.rows_read, "rows_rejected": self.rows_rejected,
            "errors": self.errors, "warnings": self.warnings, "counted": self.counted,
            "entered_tld": self.entered_tld,
            "other_files": list(self.other_files),
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
