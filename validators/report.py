"""The validation report: plain data (valid, stats, issues). Rendering it is someone else's job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from validators.issues import Issue, Severity
from validators.models import UnitReport


class FileStats(BaseModel):
    model_config = ConfigDict(frozen=True)

    rows_read: int = 0  # non-blank rows of the initiatives table, including those past the row limit
    rows_cut: int = 0  # rows past the row limit (too-many-rows): read, not checked, rejected
    rows_valid: int = 0
    rows_with_errors: int = 0
    errors: int = 0
    warnings: int = 0


class FileReport(BaseModel):
    """Everything known about one input file after validation."""

    model_config = ConfigDict(frozen=True)

    path: str
    valid: bool
    unit_code: str | None = None
    unit: UnitReport | None = None
    issues: tuple[Issue, ...] = ()
    stats: FileStats = FileStats()
    sha256: str | None = None
    modified: dt.datetime | None = None  # the file's modification time: the tie-breaker between resubmissions

    @classmethod
    def build(cls, path: str, unit: UnitReport | None, issues: list[Issue], *, unit_code: str | None = None,
              sha256: str | None = None, modified: dt.datetime | None = None, rows_cut: int = 0) -> "FileReport":
        issues = [i if i.path == path else i.with_path(path) for i in issues]
        errors = sum(1 for i in issues if i.severity is Severity.ERROR)
        rows = unit.initiatives if unit else ()
        rows_cut = rows_cut if unit is not None else 0
        stats = FileStats(
            rows_read=len(rows) + rows_cut,
            rows_cut=rows_cut,
            rows_valid=sum(1 for r in rows if r.valid),
            rows_with_errors=sum(1 for r in rows if not r.valid) + rows_cut,
            errors=errors,
            warnings=len(issues) - errors,
        )
        return cls(
            path=path,
            valid=unit is not None and errors == 0,
            unit_code=unit.unit_code if unit and unit.unit_code else unit_code,
            unit=unit,
            issues=tuple(issues),
            stats=stats,
            sha256=sha256,
            modified=modified,
        )

    @property
    def readable(self) -> bool:
        return self.unit is not None

    def flat(self) -> list[tuple[str | None, str | None, str]]:
        """(sheet, cell, code) triples: the shape golden tests compare."""
        return [(i.sheet, i.cell, i.code) for i in self.issues]

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "valid": self.valid,
            "unit_code": self.unit_code,
            "stats": self.stats.model_dump(),
            "issues": [i.as_json() for i in self.issues],
        }
