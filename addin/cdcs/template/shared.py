"""Shared formulas for the flag sheet: each flag column holds one formula translated down hundreds of rows;
SpreadsheetML can store it once (``<f t="shared" ref=… si=…>``) and let the other cells point at it, as Excel
itself saves such columns. XlsxWriter writes every cell in full, so the part is rewritten here: the template
stays small (the formulas are long) and every application reads the same formulas.
"""

from __future__ import annotations

import re

from addin.io.cells import column_index

_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*)><f>(.*?)</f>')


def share_formulas(data: bytes, first_row: int, last_row: int, skip_columns: frozenset[int]) -> bytes:
    """``data`` (a worksheet part) with the formulas of rows first_row..last_row, column by column, shared.

    The caller guarantees that in each column the formulas are the first row's translated down (relative
    references only where they move with the row)."""
    ids: dict[bytes, int] = {}

    def one(m: re.Match) -> bytes:
        col, row = m.group(1), int(m.group(2))
        if not first_row <= row <= last_row or column_index(col) in skip_columns or last_row == first_row:
            return m.group(0)
        head = b'<c r="' + col + m.group(2) + b'"' + m.group(3) + b">"
        if col not in ids:
            if row != first_row:
                raise RuntimeError(f"shared formula of column {col!r} does not start on row {first_row}")
            ids[col] = len(ids)
            ref = col + str(first_row).encode() + b":" + col + str(last_row).encode()
            return head + b'<f t="shared" ref="' + ref + b'" si="' + str(ids[col]).encode() + b'">' + m.group(4) + b"</f>"
        return head + b'<f t="shared" si="' + str(ids[col]).encode() + b'"/>'

    return _CELL.sub(one, data)
