"""Indicators over package rows, at any level (a district's entry, the province, one province at the national
roll-up): the rows are turned into the domain's unit reports and initiatives and counted by
``validators.rules.counting`` — the same rules as the district's own count — plus the count of initiatives
known by the national software's closing date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from addin.province.records import ProvinceIndicator, as_date, vn_date
from validators.campaign import Campaign
from validators.models import Initiative, UnitReport
from validators.rules.counting import compute_indicators, unit_counts

AT_DEADLINE_KEY = "initiatives_at_deadline"


@dataclass(frozen=True, slots=True)
class _UnitFacts:
    """What ``compute_indicators`` reads of a ``UnitReport`` (given ``units_with_initiative``, as here), in a
    plain object: the national roll-up counts ~200,000 unit rows, and a pydantic ``model_construct`` costs
    ~30 µs each (its defaults), this ~1 µs."""

    unit_code: Any
    propagated: Any
    plan_signed: Any
    plan_has_goals: Any
    plan_has_rewards: Any
    specific_movement: Any
    initiatives: tuple = ()

    @property
    def has_specific_movement(self) -> bool:
        return bool(self.specific_movement)


def _unit_report(u: dict[str, Any]) -> UnitReport:
    return _UnitFacts(u.get("unit_code"), u.get("propagated"), u.get("plan_signed"),  # type: ignore[return-value]
                      u.get("plan_has_goals"), u.get("plan_has_rewards"), u.get("specific_movement") or None)


def _initiative(r: dict[str, Any]) -> Initiative:
    return Initiative.model_construct(row=int(r.get("source_row") or 0), entered_tld=r.get("entered_tld"),
                                      field=r.get("field"), bloc=r.get("bloc"))


def count_units_with_initiative(units: Sequence[dict[str, Any]], unit_codes: Iterable[Any]) -> int:
    """How many of ``units`` have at least one initiative (``unit_codes``: the initiatives' unit column)."""
    codes = {u.get("unit_code") for u in units}
    return len({c for c in unit_codes if c in codes})


def count_at_deadline(units: Sequence[dict[str, Any]], unit_codes: Iterable[Any], applied_on: Iterable[Any],
                close: dt.date) -> int:
    """Initiatives counted at the entry deadline: every known date (its CĐCS's sent date, its start of
    application) ≤ ``close``. Over the initiatives' unit and application-date columns, so a reader of rows and
    a reader of columns count by the one rule."""
    sent_ok = {}
    for u in units:
        sent = as_date(u.get("sent_on"))
        sent_ok[u.get("unit_code")] = sent is None or sent <= close
    n = 0
    for code, applied in zip(unit_codes, applied_on):
        if sent_ok.get(code, True):
            d = applied if applied.__class__ is dt.date else as_date(applied)
            n += d is None or d <= close
    return n


def rows_indicators(units: Sequence[dict[str, Any]], initiatives: Sequence[dict[str, Any]], expected: int,
                    campaign: Campaign, *, scope: str, with_initiative: int | None = None,
                    at_deadline: int | None = None, items: Sequence[Initiative] | None = None,
                    upper: Sequence[UnitReport] = ()) -> tuple[list[ProvinceIndicator], int]:
    """Indicators over package rows: ``units`` are the expected units' rows (``unit_counts`` decides whether
    a unit reported), ``initiatives`` the consolidated rows. Returns (indicators, initiatives at the deadline).
    Unit codes are unique within one package only: over several packages pass ``with_initiative`` and
    ``at_deadline`` summed from each package's own call, and ``items`` (e.g. a ``_Tally``) instead of rows.
    ``upper``: the district-level unions' own reports, counted with the CĐCS in the "công đoàn các cấp"
    indicators (the province's own count)."""
    counted = [u for u in units if unit_counts(u.get("status"), u.get("counted"))]
    if with_initiative is None:
        with_initiative = count_units_with_initiative(units, (r.get("unit_code") for r in initiatives))
    inds = compute_indicators([_unit_report(u) for u in counted],
                              items if items is not None else [_initiative(r) for r in initiatives],
                              expected, campaign, scope=scope, units_with_initiative=with_initiative,
                              upper=upper, upper_expected=len(upper))
    close = campaign.deadlines.entry_close
    at = at_deadline if at_deadline is not None else count_at_deadline(
        units, [r.get("unit_code") for r in initiatives], [r.get("applied_on") for r in initiatives], close)
    out = [ProvinceIndicator.of(i) for i in inds]
    init = next((i for i in out if i.key == "initiatives"), None)
    if init is not None:
        target = init.target
        met = at >= target - 1e-9
        out.insert(out.index(init) + 1, ProvinceIndicator(
            AT_DEADLINE_KEY, f"{init.label} tính đến hạn {vn_date(close)}", target, float(at), met,
            0.0 if met else target - at, "count", at, None))
    return out, at
