"""The records of a province consolidation (one per district, per indicator, per file) and the result the
command line, the buttons and the workbook read; the same records serve the national roll-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from addin.registry import Registry
from validators.campaign import Campaign
from validators.errors import SangkienError
from validators.issues import Issue, Severity
from validators.rules.counting import Indicator
from validators.text.vnformat import vn_number

Progress = Callable[[int, int, str], None]

SOURCE_LABELS = {"package": "Gói dữ liệu", "raw": "Tệp CĐCS (tỉnh tổng hợp thay)", "missing": "Chưa gửi"}
LEDGER_KEYS = ("rows_read", "rows_consolidated", "rows_rejected", "rows_cut")  # rows_cut: part of rows_rejected

# Roles of the files under a province (or national) folder
FILE_ROLES = {
    "package": "Gói dữ liệu được tổng hợp",
    "package-superseded": "Gói dữ liệu bị thay bằng gói mới hơn",
    "package-invalid": "Gói dữ liệu không dùng được",
    "package-unknown": "Gói dữ liệu của đơn vị không có trong danh sách",
    "dossier": "Tờ trình / Bảng tổng hợp của hồ sơ",
    "raw": "Tệp CĐCS được tỉnh tổng hợp thay",
    "raw-not-used": "Tệp CĐCS không được tổng hợp",
    "ignored": "Không được tổng hợp",
    "not-workbook": "Không phải bảng tính (không đọc)",
}


class ProvinceError(SangkienError):
    """The consolidation cannot run (missing folder): Vietnamese message."""


def roll_up_lines(result: Any, origin_key: str) -> list[str]:
    """The console lines a province and the national roll-up share: the row ledger, every indicator, the
    nominations and each rejection's reason (its origin named by ``origin_key`` of the nomination)."""
    led = result.ledger
    lines = [f"Sáng kiến: đọc {vn_number(led['rows_read'])} dòng = tổng hợp {vn_number(led['rows_consolidated'])} "
             f"+ bị loại {vn_number(led['rows_rejected'])} ({'cân đối' if result.balanced else 'KHÔNG cân đối'})."]
    lines += [f"  - {i.label}: {vn_number(i.actual)} / {vn_number(i.target)} "
              f"{'(đạt)' if i.met else f'(còn thiếu {vn_number(i.gap)})'}" for i in result.indicators]
    lines.append(f"Đề nghị biểu dương: {len(result.accepted)}; không đủ điều kiện: {len(result.rejected)}.")
    lines += [f"  - {n.get('title')} ({n.get(origin_key)}): {n['reason']}" for n in result.rejected]
    return lines


def vn_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def as_date(v: Any) -> dt.date | None:
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


def rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


# Received dates by channel: the plan wants the dossier "by post and by email" before the deadline.
CHANNELS = ("post", "email")
CHANNEL_LABELS = {"post": "bưu điện", "email": "email"}
Received = "dt.date | tuple[dt.date | None, dt.date | None]"  # one day (both channels), or (post, email)


def channel_days(value: Any) -> dict[str, dt.date | None]:
    """The receipt day of each channel from a received value: one date is both channels the same day, a pair is
    (post, email), None in a pair is "not received by that channel"."""
    if isinstance(value, tuple):
        post, email = (list(value) + [None, None])[:2]
        return {"post": post, "email": email}
    return {"post": value, "email": value}


@dataclass
class FileRecord:
    """One file under the folder, with what was done with it."""

    path: str  # relative to the folder, "/" separators
    role: str
    unit: str | None = None
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "role": self.role, "unit": self.unit, "reason": self.reason}


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
    received: dt.date | None = None  # the later of the channels' days
    by_channel: dict[str, dt.date | None] = field(default_factory=dict)  # post / email -> day received
    received_email: dt.datetime | None = None  # when the package's e-mail reached the mailbox (sangkien mail)
    late_channels: list[str] = field(default_factory=list)  # channels missing or not before the deadline
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
    own_propagated: bool | None = None  # the district union's own commitments, from its package's stamp
    own_movement: str = ""

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
            "received_by": {k: (v.isoformat() if v else None) for k, v in self.by_channel.items()},
            "received_email": self.received_email.isoformat() if self.received_email else None,
            "late_channels": list(self.late_channels),
            "complete": self.complete, "missing_files": list(self.missing_files),
            "expected_cdcs": self.expected, "initiatives": len(self.initiatives),
            "initiatives_at_deadline": self.at_deadline, "nominations": len(self.nominations),
            "ledger": dict(self.ledger), "balanced": self.balanced,
            "indicators": [i.as_json() for i in self.indicators],
        }


_NOM_KEYS = ("id", "district_code", "unit_code", "unit_name", "title", "author", "field", "bloc", "rank")


def nom_json(n: dict[str, Any]) -> dict[str, Any]:
    out = {k: n.get(k) for k in _NOM_KEYS}
    out["benefit"] = int(n["benefit"]) if isinstance(n.get("benefit"), (int, float)) else None
    return out


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
    files: list[FileRecord] = field(default_factory=list)  # every file under the folder
    duplicates: list[dict[str, list[str]]] = field(default_factory=list)  # the same initiative, several districts
    staff: dict[str, dict[str, str]] = field(default_factory=dict)  # what staff typed on the selection sheets, by id
    marks: list[str] = field(default_factory=list)  # set by province_sheets: staff input it could not keep

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
            "nominations": {"accepted": [nom_json(n) for n in self.accepted],
                            "rejected": [nom_json(n) | {"reason": n["reason"], "reasons": n["reasons"]}
                                         for n in self.rejected]},
            "ledger": self.ledger,
            "balanced": self.balanced,
            "districts": [d.as_json() for d in self.districts],
            "missing": [d.code for d in self.missing],
            "by_field": [{"field": k, "initiatives": n} for k, n in self.by_field],
            "by_bloc": [{"bloc": k, "initiatives": n} for k, n in self.by_bloc],
            "files": [f.as_json() for f in self.files],
            "duplicates": [dict(d) for d in self.duplicates],
            "marks_not_kept": list(self.marks),
            "issues": [i.as_json(with_path=True) for i in self.issues],
        }
