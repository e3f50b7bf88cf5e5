"""Values from units written into our outputs are data, never formulas, links or DDE.

A text starting with = + - @ (or a tab/CR before them) is a formula to Excel and LibreOffice when it is
typed, pasted or read from CSV (formula injection). In our workbooks such text is always stored as a string
cell with Excel's quote prefix (the hidden apostrophe), so it shows unchanged and stays text even when a
user edits the cell; in CSV it gets a visible apostrophe, the only guard CSV has.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

_TRIGGER = re.compile(r"^[\s]*[=+\-@\t\r|]")
_NUMBER = re.compile(r"\s*[+\-]?\d+([.,]\d+)*\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Excel's cell limit is 32,767 characters; a longer value would make the output unreadable.
MAX_CELL_CHARS = 32_000


def is_formula_like(text: str) -> bool:
    return bool(_TRIGGER.match(text)) and not _NUMBER.fullmatch(text)


def safe_cell_text(value: Any) -> Any:
    """A value ready for a spreadsheet cell: numbers and dates pass; text loses control characters and is
    capped to what a cell holds. Whether it needs a quote prefix is ``is_formula_like``."""
    if value is None or isinstance(value, (bool, int, float, dt.date, dt.datetime)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    text = _CONTROL.sub("", str(value))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def csv_safe(value: Any) -> str:
    text = "" if value is None else str(safe_cell_text(value))
    return "'" + text if is_formula_like(text) else text
