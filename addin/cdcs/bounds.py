"""Values no output can hold, caught where they are read: a cell's number beyond 15 digits, infinite or NaN.

A spreadsheet number keeps 15 significant digits; a «Giá trị làm lợi» typed as 400 nines passed every check as
text-that-parses, then made the district's workbook writer fail and the whole batch stop. Such a value is an
error at its cell (``value-too-large``) and is replaced by a marker the rules reject as not a number, so its row
is never consolidated and no writer ever sees it.
"""

from __future__ import annotations

import re
from typing import Any

from addin.io.sanitize import MAX_NUMBER
from validators.issues import IssueCode, make_issue
from validators.layout import INITIATIVE_FIELDS, UNIT_FIELDS, Kind
from validators.models import RawSubmission


_NUMERIC_KINDS = {Kind.INT, Kind.YEAR, Kind.MONEY}
_DIGITS = re.compile(r"\d")
_TOO_LARGE = "(số quá lớn)"


def bound_numbers(sub: RawSubmission) -> None:
    """A number beyond what a spreadsheet holds (15 digits), infinite or NaN, in a numeric column or cell, is
    an error at its cell; the value is replaced by a marker the rules reject, so the row can never be
    consolidated with a number the outputs would round, or fail to write (a 400-digit «Giá trị làm lợi»)."""
    cells = [(f, c) for f in UNIT_FIELDS if (c := sub.unit.get(f.name)) is not None]
    cells += [(f, row.cells[f.key]) for row in sub.rows for f in INITIATIVE_FIELDS if f.key in row.cells]
    for f, cell in cells:
        if f.kind not in _NUMERIC_KINDS and not isinstance(cell.value, float):
            continue
        detail = _out_of_bounds(cell.value)
        if detail is None:
            continue
        sub.issues.append(make_issue(IssueCode.VALUE_TOO_LARGE, sheet=cell.sheet, cell=cell.cell, field=f.key,
                                     value=_quoted(cell.value), label=f.label, detail=detail))
        cell.value = _TOO_LARGE


def _out_of_bounds(value: Any) -> str | None:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "không phải là số hữu hạn"
        return "vượt 15 chữ số" if abs(value) >= MAX_NUMBER else None
    if isinstance(value, int) and not isinstance(value, bool):
        return "vượt 15 chữ số" if abs(value) >= MAX_NUMBER else None
    if isinstance(value, str) and len(_DIGITS.findall(value[:100_000])) > 15:
        return f"{len(_DIGITS.findall(value[:100_000]))} chữ số, tối đa 15"
    return None


def _quoted(value: Any) -> str:
    text = str(value) if not isinstance(value, float) else repr(value)
    return text if len(text) <= 60 else text[:40] + f"… ({len(text)} ký tự)"
