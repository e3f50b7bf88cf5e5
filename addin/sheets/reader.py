"""Reading back sheets we wrote: a header row found by its first label, rows as dicts keyed by column, and
key/value pairs (stamps). Values come from the gate's grid; nothing here opens a file."""

from __future__ import annotations

from typing import Any, Sequence

from addin.sheets.model import Column


# ------------------------------------------------------------------------------------------------------
# Reading a sheet back (calamine): used by the dossier export
# ------------------------------------------------------------------------------------------------------
def read_table(grid: list[list[Any]], first_header: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Find the header row (its first cell is ``first_header``) and return (headers, rows as dicts by header).
    Rows stop at the first fully blank row."""
    for r, row in enumerate(grid):
        if row and isinstance(row[0], str) and row[0].strip() == first_header:
            headers = [str(h).strip() if h is not None else "" for h in row]
            out = []
            for data in grid[r + 1:]:
                if all(v is None or v == "" for v in data):
                    break
                out.append({h: (data[i] if i < len(data) else None) for i, h in enumerate(headers) if h})
            return headers, out
    return [], []


def read_rows(grid: list[list[Any]], columns: Sequence[Column]) -> list[dict[str, Any]]:
    """Rows of a table written from ``columns``, as dicts by column key (missing columns give None)."""
    _, rows = read_table(grid, columns[0].header)
    by_label = {c.header: c.key for c in columns}
    return [{by_label[h]: v for h, v in row.items() if h in by_label} | {c.key: row.get(c.header) for c in columns
                                                                          if c.header not in row} for row in rows]


def read_pairs(grid: list[list[Any]], first_header: str) -> dict[str, Any]:
    """A two-column key/value table as a dict."""
    _, rows = read_table(grid, first_header)
    out: dict[str, Any] = {}
    for row in rows:
        vals = list(row.values())
        if vals and vals[0] is not None:
            out[str(vals[0]).strip()] = vals[1] if len(vals) > 1 else None
    return out
