"""Staff input survives every re-run: the marks and notes staff typed into a selection sheet (the district's
«Đề xuất», the province's «Đề nghị TLĐ») are read from the workbook about to be rewritten and put back on
the rows of the same initiative id. A mark whose initiative is no longer on the sheet (it stopped qualifying,
or its file is gone) cannot be put back: it is reported, never dropped silently."""

from __future__ import annotations

from typing import Any

from addin.io.cells import cell_text
from addin.sheets.model import SheetData
from addin.sheets.reader import read_rows


def staff_input(grid: list[list[Any]] | None, sheet: SheetData, keys: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """What staff typed in the ``keys`` columns of an earlier version of ``sheet``, by initiative id (with its
    title, to name a mark that cannot be kept). Rows where staff typed nothing are left out."""
    if not grid:
        return {}
    try:
        rows = read_rows(grid, sheet.columns)
    except (ValueError, KeyError, IndexError):  # not our sheet any more: nothing to carry over
        return {}
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        rid = cell_text(r.get("id"))
        typed = {k: cell_text(r.get(k)) for k in keys}
        if rid and any(typed.values()):
            out[rid] = typed | {"title": cell_text(r.get("title"))}
    return out


def carry_over(sheet: SheetData, previous: dict[str, dict[str, str]], keys: tuple[str, ...]) -> list[str]:
    """Put ``previous`` input back on ``sheet``'s rows by id; return a Vietnamese line for each that found
    no row."""
    index = {c.key: n for n, c in enumerate(sheet.columns)}
    id_col = index["id"]
    placed: set[str] = set()
    for row in sheet.rows:
        rid = cell_text(row[id_col])
        typed = previous.get(rid)
        if typed is None:
            continue
        for k in keys:
            if k in index and typed.get(k) and not cell_text(row[index[k]]):
                row[index[k]] = typed[k]
        placed.add(rid)
    lost = []
    for rid, typed in previous.items():
        if rid not in placed:
            what = "Dấu chọn" if typed.get("mark") else "Ghi chú"
            lost.append(f"{what} của sáng kiến {rid} ('{typed.get('title') or ''}') ở trang «{sheet.name}» không "
                        "giữ được: sáng kiến không còn đủ điều kiện hoặc không còn trong các tệp. Hãy chọn lại.")
    return lost
