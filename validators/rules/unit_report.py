"""The campaign's rules applied to one unit's submission. Every failure is collected; nothing stops early.

Input: a ``RawSubmission`` (what the reader found) and the ``Campaign``; output: the typed ``UnitReport``
(None when the structure is too broken) and the list of issues, each pointing at a sheet and cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from validators.campaign import Campaign
from validators.issues import Issue, IssueCode, make_issue
from validators.layout import (
    INITIATIVE_FIELDS,
    NO,
    NON_CONTENT_KEYS,
    SHEET_INITIATIVES,
    SHEET_UNIT,
    TEMPLATE_VERSION,
    UNIT_FIELDS,
    YES,
    Field,
    Kind,
)
from validators.models import Initiative, RawCell, RawSubmission, UnitReport
from validators.rules.duplicates import in_file_duplicates
from validators.rules.table import FieldRule, nfc_length, parse_cell, rule_table
from validators.text import normalize as nz
from validators.text.legacy_text import LegacyEvidence, fix_legacy, legacy_evidence

_LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC)", "tcvn3-upper": "TCVN3 (ABC, chữ hoa)", "vni": "VNI"}


@dataclass(frozen=True)
class ExpectedUnit:
    """What the registry says about the unit this file should belong to."""

    code: str
    name: str
    parent_code: str
    parent_name: str


def _fmt(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


class _Checker:
    """Parses and checks cells against one campaign, appending issues to a shared list."""

    def __init__(self, campaign: Campaign, issues: list[Issue], raw: RawSubmission | None = None):
        self.campaign = campaign
        self.issues = issues
        # Legacy text: the cell's font (lazy lookup) and the whole file's encoding (pooled on first need).
        self.fonts = raw.fonts if raw is not None else None
        self._raw = raw
        self._pooled: list[LegacyEvidence] = []
        self.table = rule_table(campaign)
        self.rules = {r.key: r for r in self.table.initiatives} | {r.field.name: r for r in self.table.unit}
        self.year_min, self.year_max = campaign.author_birth_year_range

    def rule(self, f: Field) -> FieldRule:
        return self.rules[f.name] if f.name else self.rules[f.key]

    def add(self, code: str, f: Field, cell: RawCell, value: Any = None, **params: Any) -> None:
        self.issues.append(
            make_issue(code, sheet=cell.sheet, cell=cell.cell, field=f.key, value=value, label=f.label, **params)
        )

    def value(self, f: Field, cell: RawCell | None) -> Any:
        """The typed value of one cell, or None (missing or wrong, with an issue when it matters)."""
        if cell is None or nz.is_blank(cell.value):
            if f.required and cell is not None:
                self.add(IssueCode.REQUIRED_MISSING, f, cell)
            return None
        raw = cell.value
        try:
            parsed, changed = self._parse(f, raw, cell)
        except nz.Unparseable:
            self._unparseable(f, cell, raw)
            return None
        if changed:
            self._normalised(f, cell, raw, parsed, changed)
        return parsed if self._in_range(f, cell, parsed) else None

    def _parse(self, f: Field, raw: Any, cell: RawCell | None = None) -> tuple[Any, bool]:
        kind = f.kind
        if kind in (Kind.TEXT, Kind.LONG_TEXT):
            # Before clean_text: TCVN3 uses the soft hyphen (which cleaning removes) for the letter "ư".
            font = self.fonts.at(cell.sheet, cell.cell) if self.fonts is not None and cell is not None else None
            fixed, encoding = fix_legacy(raw, font, pooled=self.pooled_evidence) if isinstance(raw, str) else (raw, None)
            text, changed = nz.clean_text(fixed, multiline=kind is Kind.LONG_TEXT)
            return text, encoding or changed  # the encoding's name tells _normalised what was done
        value, changed = parse_cell(self.rule(f), raw)
        return (value == YES if kind is Kind.YES_NO else value), changed

    def pooled_evidence(self) -> LegacyEvidence:
        """Legacy-text evidence of all the submission's text cells together, gathered once."""
        if not self._pooled:
            raw = self._raw
            cells = [] if raw is None else [*raw.unit.values(), *(c for r in raw.rows for c in r.cells.values())]
            self._pooled.append(legacy_evidence(c.value for c in cells))
        return self._pooled[0]

    def _unparseable(self, f: Field, cell: RawCell, raw: Any) -> None:
        kind = f.kind
        if kind is Kind.CHOICE:
            self.add(IssueCode.VALUE_NOT_ALLOWED, f, cell, raw, allowed="; ".join(self.rule(f).values))
        elif kind is Kind.YES_NO:
            self.add(IssueCode.VALUE_NOT_ALLOWED, f, cell, raw, allowed=f"{YES}; {NO}")
        elif kind is Kind.DATE:
            self.add(IssueCode.DATE_INVALID, f, cell, raw)
        elif kind is Kind.YEAR:
            self.add(IssueCode.BIRTH_YEAR_INVALID, f, cell, raw, min=self.year_min, max=self.year_max)
        elif kind in (Kind.INT, Kind.MONEY):
            self.add(IssueCode.NUMBER_INVALID, f, cell, raw)
        elif kind is Kind.PHONE:
            self.add(IssueCode.PHONE_INVALID, f, cell, raw)
        elif kind is Kind.EMAIL:
            self.add(IssueCode.EMAIL_INVALID, f, cell, raw)
        else:
            self.add(IssueCode.VALUE_NOT_ALLOWED, f, cell, raw, allowed="")

    def _normalised(self, f: Field, cell: RawCell, raw: Any, parsed: Any, how: bool | str) -> None:
        kind = f.kind
        if kind in (Kind.TEXT, Kind.LONG_TEXT):
            if isinstance(how, str):
                self.add(IssueCode.NORMALIZED_LEGACY_TEXT, f, cell, raw, encoding=_LEGACY_NAMES[how], normalized=parsed)
            else:
                self.add(IssueCode.NORMALIZED_TEXT, f, cell, raw)
        elif kind is Kind.DATE:
            self.add(IssueCode.NORMALIZED_DATE, f, cell, raw, normalized=_fmt(parsed))
        elif kind in (Kind.INT, Kind.MONEY, Kind.YEAR):
            shown = f"{int(parsed):,}".replace(",", ".") if parsed == int(parsed) else str(parsed)
            self.add(IssueCode.NORMALIZED_NUMBER, f, cell, raw, normalized=shown)
        elif kind is Kind.YES_NO:
            self.add(IssueCode.NORMALIZED_CHOICE, f, cell, raw, normalized=YES if parsed else NO)
        elif kind in (Kind.CHOICE, Kind.PHONE, Kind.EMAIL):
            self.add(IssueCode.NORMALIZED_CHOICE, f, cell, raw, normalized=parsed)

    def _in_range(self, f: Field, cell: RawCell, v: Any) -> bool:
        rule = self.rule(f)
        if rule.max_chars is not None and nfc_length(v) > rule.max_chars:
            code = IssueCode.DESCRIPTION_TOO_LONG if f.kind is Kind.LONG_TEXT else IssueCode.TEXT_TOO_LONG
            self.add(code, f, cell, v, length=nfc_length(v), limit=rule.max_chars)
            return False
        if f.kind is Kind.YEAR and not self.year_min <= v <= self.year_max:
            self.add(IssueCode.BIRTH_YEAR_INVALID, f, cell, v, min=self.year_min, max=self.year_max)
            return False
        if f.kind is Kind.MONEY and v < 0:
            self.add(IssueCode.BENEFIT_NEGATIVE, f, cell, v)
            return False
        if f.kind is Kind.INT and rule.number_range is not None:
            lo, hi = rule.number_range
            if not lo <= v <= hi:
                self.add(IssueCode.NUMBER_OUT_OF_RANGE, f, cell, v, min=lo, max=hi)
                return False
        if rule.date_window is not None:
            lo, hi = rule.date_window
            if not lo <= v <= hi:
                self.add(IssueCode(rule.window_code), f, cell, v, start=_fmt(lo), end=_fmt(hi))
                return False
        return True


def validate_submission(
    raw: RawSubmission,
    campaign: Campaign,
    *,
    expected: ExpectedUnit | None = None,
    known_units: Callable[[str], ExpectedUnit | None] | None = None,
    nomination_quota: int | Mapping[str, int] | None = None,
) -> tuple[UnitReport | None, list[Issue]]:
    """Check one submission against the campaign. ``expected`` pins the unit this file must belong to;
    otherwise ``known_units`` looks the stamped unit up in the registry (None → unknown unit).
    ``nomination_quota`` is one quota, or per-unit quotas by unit code (the code is known only once read);
    the campaign's default applies to a unit without one."""
    issues: list[Issue] = list(raw.issues)
    if raw.fatal:
        return None, issues
    check = _Checker(campaign, issues, raw)
    _check_stamp(raw, campaign, issues)

    unit_values: dict[str, Any] = {}
    for f in UNIT_FIELDS:
        cell = raw.unit.get(f.name)
        if cell is None:
            issues.append(make_issue(IssueCode.NAME_MISSING, sheet=SHEET_UNIT, field=f.key, label=f.label, name=f.name))
            continue
        unit_values[f.key] = check.value(f, cell)

    # The stamp, not the editable (password-less) code cell, says which unit a file belongs to.
    code = raw.stamp.get("unit_code") or unit_values.get("unit_code")
    if expected is None and known_units is not None and code:
        expected = known_units(code)
        if expected is None:
            cell = raw.unit.get("MA_DON_VI")
            issues.append(
                make_issue(IssueCode.UNIT_UNKNOWN, sheet=SHEET_UNIT, cell=cell.cell if cell else None, field="unit_code",
                           value=code)
            )
    if expected is not None:
        _check_identity(raw, unit_values, expected, issues)
    _check_commitments(raw, unit_values, issues)

    initiatives = _check_rows(raw, check, issues)
    issues.extend(in_file_duplicates(raw.rows, initiatives))
    default_quota = campaign.rules.default_cdcs_nomination_quota
    if isinstance(nomination_quota, Mapping):
        quota = nomination_quota.get(code or "", default_quota)
    else:
        quota = default_quota if nomination_quota is None else nomination_quota
    _check_nominations(raw, initiatives, quota, issues)
    if len(initiatives) < campaign.rules.min_initiatives_per_unit:
        issues.append(
            make_issue(IssueCode.NO_INITIATIVES, sheet=SHEET_INITIATIVES, field="initiatives", value=len(initiatives),
                       min=campaign.rules.min_initiatives_per_unit)
        )
    if code:
        unit_values["unit_code"] = code
    report = UnitReport(
        **unit_values,
        template_version=raw.stamp.get("template_version"),
        campaign_id=raw.stamp.get("campaign_id"),
        initiatives=tuple(initiatives),
    )
    return report, issues


def _check_stamp(raw: RawSubmission, campaign: Campaign, issues: list[Issue]) -> None:
    version = raw.stamp.get("template_version")
    if version and version != TEMPLATE_VERSION:
        issues.append(make_issue(IssueCode.TEMPLATE_VERSION, value=version, expected=TEMPLATE_VERSION))
    campaign_id = raw.stamp.get("campaign_id")
    if campaign_id and campaign_id != campaign.id:
        issues.append(make_issue(IssueCode.CAMPAIGN_MISMATCH, value=campaign_id, expected=campaign.id))
    elif not campaign_id and version:
        # Our template always stamps its campaign: a blank one was erased (the stamp sheet is very hidden).
        issues.append(make_issue(IssueCode.CAMPAIGN_MISSING, expected=campaign.id))


def _check_identity(
    raw: RawSubmission, values: dict[str, Any], expected: ExpectedUnit, issues: list[Issue]
) -> None:
    """The locked cells against the unit the file belongs to (the stamped one, or the one pinned by the
    caller): an edited cell is an error worded "ô ghi X, biểu mẫu của đơn vị Y"."""
    stamped = raw.stamp.get("unit_code")
    truth = {
        "unit_code": expected.code,
        "unit_name": expected.name,
        "parent_code": expected.parent_code,
        "parent_name": expected.parent_name,
    }
    for f in UNIT_FIELDS:
        if not f.locked or f.key not in values or values[f.key] is None:
            continue
        if nz.fold(values[f.key]) != nz.fold(truth[f.key]):
            cell = raw.unit[f.name]
            code = IssueCode.UNIT_MISMATCH if f.key == "unit_code" else IssueCode.IDENTITY_CHANGED
            issues.append(
                make_issue(code, sheet=cell.sheet, cell=cell.cell, field=f.key, value=values[f.key],
                           label=f.label, expected=truth[f.key], unit=expected.code)
            )
    if stamped and stamped != expected.code:
        cell = raw.unit.get("MA_DON_VI")
        if not any(i.code is IssueCode.UNIT_MISMATCH for i in issues):
            issues.append(
                make_issue(IssueCode.UNIT_MISMATCH, sheet=SHEET_UNIT, cell=cell.cell if cell else None,
                           field="unit_code", value=values.get("unit_code") or stamped, unit=stamped,
                           detail=f" Tệp không phải biểu mẫu của đơn vị {expected.code}.")
            )


def _check_commitments(raw: RawSubmission, values: dict[str, Any], issues: list[Issue]) -> None:
    if values.get("plan_signed") and values.get("plan_signed_on") is None:
        cell = raw.unit.get("NGAY_KY_KE_HOACH")
        already = cell is not None and any(i.cell == cell.cell and i.sheet == cell.sheet for i in issues)
        if not already:
            issues.append(make_issue(IssueCode.PLAN_DATE_MISSING, sheet=SHEET_UNIT, cell=cell.cell if cell else None,
                                     field="plan_signed_on"))
    if values.get("plan_signed") is False:
        for f in UNIT_FIELDS:
            if f.key in ("plan_has_goals", "plan_has_rewards") and values.get(f.key):
                cell = raw.unit[f.name]
                issues.append(make_issue(IssueCode.PLAN_DETAILS_WITHOUT_PLAN, sheet=cell.sheet, cell=cell.cell, field=f.key,
                                         value=YES, label=f.label))
    sent = raw.unit.get("NGAY_GUI")
    if sent is not None and nz.is_blank(sent.value):
        issues.append(make_issue(IssueCode.SEND_DATE_MISSING, sheet=sent.sheet, cell=sent.cell, field="sent_on"))


def _check_rows(raw: RawSubmission, check: _Checker, issues: list[Issue]) -> list[Initiative]:
    initiatives: list[Initiative] = []
    title_field = next(f for f in INITIATIVE_FIELDS if f.key == "title")
    # A required column missing from the table is reported once, at its header cell (header-missing): no row
    # has that value, so no row is valid, but no row repeats the issue.
    absent = any(f.required and raw.rows and f.key not in raw.rows[0].cells for f in INITIATIVE_FIELDS)
    for raw_row in raw.rows:
        if all(nz.is_blank(c.value) for k, c in raw_row.cells.items() if k not in NON_CONTENT_KEYS):
            continue
        before = len(issues)
        values: dict[str, Any] = {}
        title_cell = raw_row.cells.get("title")
        if title_cell is not None and nz.is_blank(title_cell.value):
            issues.append(
                make_issue(IssueCode.ROW_INCOMPLETE, sheet=title_cell.sheet, cell=title_cell.cell, field="title",
                           row=raw_row.row, label=title_field.label)
            )
            title_cell = None  # reported once as an incomplete row, not again as a missing title
        for f in INITIATIVE_FIELDS:
            cell = raw_row.cells.get(f.key)
            if f.key == "title" and title_cell is None:
                continue
            values[f.key] = check.value(f, cell)
        if values.get("nominated") and values.get("disputed"):
            cell = raw_row.cells["nominated"]
            issues.append(make_issue(IssueCode.NOMINATION_WITH_DISPUTE, sheet=cell.sheet, cell=cell.cell, field="nominated",
                                     value=values.get("title") or "", row=raw_row.row))
        elif values.get("nominated") and values.get("assessed") is False:
            cell = raw_row.cells["nominated"]
            issues.append(make_issue(IssueCode.NOMINATION_NOT_ASSESSED, sheet=cell.sheet, cell=cell.cell, field="nominated",
                                     value=values.get("title") or "", row=raw_row.row))
        new = issues[before:]
        for i, issue in enumerate(new):
            if issue.row is None:
                new[i] = issue.model_copy(update={"row": raw_row.row})
        issues[before:] = new
        valid = not absent and not any(i.severity.value == "error" for i in new)
        initiatives.append(Initiative(row=raw_row.row, valid=valid, **values))
    return initiatives


def _check_nominations(raw: RawSubmission, initiatives: list[Initiative], quota: int, issues: list[Issue]) -> None:
    nominated = [i for i in initiatives if i.nominated]
    if len(nominated) <= quota:
        return
    first_over = nominated[quota]
    row = next(r for r in raw.rows if r.row == first_over.row)
    cell = row.cells.get("nominated")
    issues.append(
        make_issue(IssueCode.NOMINATIONS_OVER_QUOTA, sheet=SHEET_INITIATIVES, cell=cell.cell if cell else None,
                   field="nominated", value=len(nominated), limit=quota, row=first_over.row)
    )
