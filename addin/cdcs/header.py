"""The header row of the initiatives table against the contract: every one of its labels, in its order.

The reader finds columns by label, so a file still reads when a column moved; what the contract fixes but a
file lost must still be said, once per column and at the cell where it should be:

* a label not found (the column renamed or deleted) is one ``header-missing`` error at the header cell where
  the label was expected, quoting what that cell holds now; the rows then carry no redundant issue for it;
* a column found out of order is one ``header-moved`` warning at its own header cell (its values are read).

"Out of order" is measured against the longest run of columns still in contract order, so deleting or
inserting one column (everything after it shifts) moves nothing, and swapping two columns moves one.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from addin.io.cells import cell_ref
from validators.issues import Issue, IssueCode, make_issue
from validators.layout import INITIATIVE_FIELDS, SHEET_INITIATIVES
from validators.text.normalize import clean_text

_SHOWN_CHARS = 60


def header_issues(header_row: int, line: list[Any], columns: dict[str, int]) -> list[Issue]:
    """Issues of a header row (1-based ``header_row``, its values ``line``) whose labels were found at
    ``columns`` (field key -> 1-based column)."""
    found = [(i, columns[f.key]) for i, f in enumerate(INITIATIVE_FIELDS) if f.key in columns]
    in_order = _longest_increasing(found)
    issues: list[Issue] = []
    for i, f in enumerate(INITIATIVE_FIELDS):
        if f.key not in columns:
            col = _expected_column(i, in_order)
            cell = cell_ref(header_row, col)
            issues.append(make_issue(IssueCode.HEADER_MISSING, sheet=SHEET_INITIATIVES, cell=cell, field=f.key,
                                     label=f.label, detail=_holds(cell, line, col)))
        elif i not in in_order:
            before = [j for j in in_order if j < i]
            where = f"ngay sau cột '{INITIATIVE_FIELDS[before[-1]].label}'" if before else "đầu bảng"
            issues.append(make_issue(IssueCode.HEADER_MOVED, sheet=SHEET_INITIATIVES,
                                     cell=cell_ref(header_row, columns[f.key]), field=f.key, label=f.label,
                                     detail=where))
    return issues


def _longest_increasing(found: list[tuple[int, int]]) -> dict[int, int]:
    """Field index -> column of the longest run of fields whose columns increase in contract order."""
    tails: list[int] = []  # tails[k]: smallest last column of a run of length k + 1
    tail_at: list[int] = []  # position in ``found`` of that last element
    parent = [-1] * len(found)
    for pos, (_, col) in enumerate(found):
        k = bisect_left(tails, col)
        if k == len(tails):
            tails.append(col)
            tail_at.append(pos)
        else:
            tails[k], tail_at[k] = col, pos
        parent[pos] = tail_at[k - 1] if k else -1
    out: dict[int, int] = {}
    pos = tail_at[-1] if tail_at else -1
    while pos >= 0:
        out[found[pos][0]] = found[pos][1]
        pos = parent[pos]
    return out


def _expected_column(index: int, in_order: dict[int, int]) -> int:
    """Where field ``index`` belongs: after the nearest column before it that is in order, else before the
    nearest one after it."""
    before = [j for j in in_order if j < index]
    if before:
        j = max(before)
        return in_order[j] + (index - j)
    after = min(j for j in in_order if j > index)
    return max(1, in_order[after] - (after - index))


def _holds(cell: str, line: list[Any], col: int) -> str:
    value = line[col - 1] if col - 1 < len(line) else None
    text = clean_text(value)[0] if value is not None else ""
    if not text:
        return f"ô tiêu đề {cell} để trống"
    if len(text) > _SHOWN_CHARS:
        text = text[: _SHOWN_CHARS - 1] + "…"
    return f"ô tiêu đề {cell} ghi '{text}'"
