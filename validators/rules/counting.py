"""The campaign's indicators (chỉ tiêu) computed from unit reports and initiatives, for one district or a
whole province: a pure function of the data and the campaign's targets, reused at every level.

Denominators (documented choices):

* ``cdcs_with_initiative_pct``, ``propagated_pct``, ``specific_movement_pct``, ``signed_plan_pct``: over the
  *expected* CĐCS (from the registry), so a unit that sent nothing counts as "not done".
* ``plan_goals_pct``, ``plan_rewards_pct``: over the signed plans ("100% of those plans have ..."); 0 when
  no plan is signed.
* ``entered_tld_pct``: over the accepted initiatives; 0 when there are none.
* ``initiatives``: the accepted initiatives. Its target is the campaign's ``initiatives`` count when
  ``scope="province"``; for any smaller scope (a district) it is the per-CĐCS target
  (``initiatives_per_cdcs``) times the number of expected CĐCS, because the province total of 750 is
  exactly 1 per CĐCS over the province's ~750 CĐCS.
* ``initiatives_per_cdcs``: accepted initiatives / expected CĐCS.

A percentage is rounded to one decimal; ``met`` compares the unrounded value with the target.

Which units and rows count is decided here once (:func:`unit_counts`, :func:`row_counts`) and used by the
district, the province (from a package or from raw CĐCS files) and the national roll-up, so two levels never
give two numbers for the same district.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Sequence

from validators.campaign import Campaign
from validators.models import Initiative, UnitReport


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    target: float
    actual: float
    met: bool
    kind: str = "pct"  # count | pct | ratio
    numerator: int | None = None
    denominator: int | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


COUNTED_STATUSES = ("valid", "errors")


def unit_counts(status: str | None, counted: bool | None = None) -> bool:
    """A unit's commitments count when it sent a file that was consolidated (status ``valid`` or ``errors``)
    and that file was usable: not blocked by another campaign's stamp, another unit's form, an unknown
    template or unit (``counted`` False, as the district decided and wrote in its package). ``counted`` None
    (a package from before that column) leaves the status alone to decide."""
    return status in COUNTED_STATUSES and counted is not False


def row_counts(consolidated: bool | None) -> bool:
    """An initiative row counts when it was consolidated (no error, from a usable file of an own unit)."""
    return bool(consolidated)


def _pct(num: int, den: int) -> float:
    return 100.0 * num / den if den else 0.0


def compute_indicators(
    units: Sequence[UnitReport],
    initiatives: Sequence[Initiative],
    expected_units: int,
    campaign: Campaign,
    *,
    scope: str = "district",
    units_with_initiative: int | None = None,
    upper: Sequence[UnitReport] = (),
    upper_expected: int = 0,
) -> list[Indicator]:
    """Indicators for ``units`` (one report per CĐCS that submitted a usable file) and ``initiatives``
    (the accepted ones) against ``expected_units`` CĐCS. Targets missing from the campaign are skipped.
    ``units_with_initiative`` overrides the count of CĐCS with an accepted initiative (when the initiatives
    are not the objects of ``units``, e.g. read back from a package). ``upper``: the district-level unions'
    own reports (propagation, specific movement) out of ``upper_expected`` such unions: the plan's "100% công
    đoàn các cấp" counts them with the CĐCS in ``propagated_pct`` and ``specific_movement_pct``."""
    n_init = len(initiatives)
    expected = max(expected_units, 0)
    if units_with_initiative is None:  # by identity: the initiatives are those of the unit reports
        with_initiative = sum(1 for u in units if any(True for _ in _accepted_of(u, initiatives)))
    else:
        with_initiative = units_with_initiative
    signed = [u for u in units if u.plan_signed]
    values: dict[str, tuple[float, int | None, int | None]] = {
        "initiatives": (float(n_init), n_init, None),
        "initiatives_per_cdcs": (n_init / expected if expected else 0.0, n_init, expected),
        "cdcs_with_initiative_pct": (_pct(with_initiative, expected), with_initiative, expected),
        "propagated_pct": _ratio(sum(1 for u in (*units, *upper) if u.propagated), expected + upper_expected),
        "specific_movement_pct": _ratio(sum(1 for u in (*units, *upper) if u.has_specific_movement),
                                        expected + upper_expected),
        "signed_plan_pct": _ratio(len(signed), expected),
        "plan_goals_pct": _ratio(sum(1 for u in signed if u.plan_has_goals), len(signed)),
        "plan_rewards_pct": _ratio(sum(1 for u in signed if u.plan_has_rewards), len(signed)),
        "entered_tld_pct": _ratio(sum(1 for i in initiatives if i.entered_tld), n_init),
    }
    out: list[Indicator] = []
    for t in campaign.targets:
        if t.key not in values:
            continue
        actual, num, den = values[t.key]
        target = float(t.target)
        if t.key == "initiatives" and scope != "province":
            try:
                per = float(campaign.target("initiatives_per_cdcs").target)
            except KeyError:
                per = 1.0
            target = per * expected
        met = actual >= target - 1e-9
        shown = round(actual, 1) if t.kind == "pct" else (round(actual, 2) if t.kind == "ratio" else actual)
        # "Số sáng kiến toàn tỉnh" is the province's own label: a district or the nation has its own total.
        label = t.label if scope == "province" else t.label.replace(" toàn tỉnh", "")
        out.append(Indicator(t.key, label, target, shown, met, t.kind, num, den))
    return out


def _ratio(num: int, den: int) -> tuple[float, int, int]:
    return _pct(num, den), num, den


def _accepted_of(unit: UnitReport, initiatives: Sequence[Initiative]) -> Iterable[Initiative]:
    ids = {id(i) for i in initiatives}
    return (i for i in unit.initiatives if id(i) in ids)


def counts_by(values: Iterable[str | None], categories: Sequence[str], *, other: str = "Khác") -> list[tuple[str, int]]:
    """Counts per category, in the campaign's order; values outside the list go to ``other`` (if any)."""
    c = Counter(values)
    rows = [(cat, c.get(cat, 0)) for cat in categories]
    rest = sum(n for k, n in c.items() if k not in categories)
    if rest:
        rows.append((other, rest))
    return rows
