"""Typed records of a unit's report and its initiatives, and the raw cells they are read from.

``RawSubmission`` is what a reader hands to the rules (values exactly as stored, with their location);
``UnitReport`` and ``Initiative`` are what the rules produce (normalised, typed values).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from validators.issues import Issue


@dataclass(slots=True)
class RawCell:
    value: Any
    sheet: str
    cell: str | None  # A1 reference; None when the cell could not be located


@dataclass(slots=True)
class RawRow:
    row: int  # 1-based worksheet row
    cells: dict[str, RawCell]  # by initiative field key


@dataclass
class RawSubmission:
    path: str
    stamp: dict[str, str | None] = field(default_factory=dict)  # template_version, campaign_id, unit_code
    unit: dict[str, RawCell] = field(default_factory=dict)  # by defined name (MA_DON_VI, ...)
    rows: list[RawRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # structural problems and reading fixes
    fatal: bool = False  # True when the structure is too broken to check the contents
    modified: dt.datetime | None = None  # file modification time, the tie-breaker between resubmissions
    sha256: str | None = None
    # Lazy font lookup ``.at(sheet, cell)`` for legacy-text detection (addin.io.cell_fonts); None when unknown.
    fonts: Any = None
    rows_cut: int = 0  # non-blank rows beyond the row limit: read, not checked, rejected (too-many-rows)


class Initiative(BaseModel):
    """One row of the initiatives table. Fields that could not be read are None and have an issue."""

    model_config = ConfigDict(frozen=True)

    row: int
    stt: int | None = None
    title: str | None = None
    author: str | None = None
    birth_year: int | None = None
    gender: str | None = None
    position: str | None = None
    phone: str | None = None
    coauthors: str | None = None
    field: str | None = None
    bloc: str | None = None
    description: str | None = None
    applied_on: dt.date | None = None
    benefit: Decimal | None = None
    assessed: bool | None = None
    entered_tld: bool | None = None
    nominated: bool | None = None
    disputed: bool | None = None
    note: str | None = None
    valid: bool = True  # no error on this row


class UnitReport(BaseModel):
    """A CĐCS's report: identity, commitments and initiatives."""

    model_config = ConfigDict(frozen=True)

    unit_code: str | None = None
    unit_name: str | None = None
    parent_code: str | None = None
    parent_name: str | None = None
    bloc: str | None = None
    members: int | None = None
    reporter: str | None = None
    phone: str | None = None
    email: str | None = None
    propagated: bool | None = None
    plan_signed: bool | None = None
    plan_signed_on: dt.date | None = None
    plan_has_goals: bool | None = None
    plan_has_rewards: bool | None = None
    specific_movement: str | None = None
    sent_on: dt.date | None = None
    template_version: str | None = None
    campaign_id: str | None = None
    initiatives: tuple[Initiative, ...] = ()

    @property
    def has_specific_movement(self) -> bool:
        return bool(self.specific_movement)
