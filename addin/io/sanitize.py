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


# Largest magnitude written as a number: Excel keeps 15 significant digits.
MAX_NUMBER = 10**15


def _fits_number(value: int | float | Decimal) -> bool:
    try:
        if isinstance(value, float) and value != value:
            return False
        return -MAX_NUMBER < value < MAX_NUMBER
    except (TypeError, ArithmeticError):  # Decimal NaN compares with an error
        return False


def _number_text(value: int | float | Decimal) -> str:
    try:
        text = format(value, "f") if isinstance(value, Decimal) and value.is_finite() else str(value)
    except ValueError:  # an int past Python's digit limit for str()
        return "(số quá lớn)"
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def is_formula_like(text: str) -> bool:
    return bool(_TRIGGER.match(text)) and not _NUMBER.fullmatch(text)


def safe_cell_text(value: Any) -> Any:
    """A value ready for a spreadsheet cell: numbers and dates pass; text loses control characters and is
    capped to what a cell holds. Whether it needs a quote prefix is ``is_formula_like``."""
    if value is None or isinstance(value, (bool, dt.date, dt.datetime)):
        return value
    if isinstance(value, (int, float, Decimal)):
        # What a spreadsheet number holds: 15 significant digits, finite. Beyond that (a 400-digit amount,
        # an infinity) a writer would fail or round silently: the value goes out as its text instead.
        if not _fits_number(value):
            return _number_text(value)
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        return value
    text = _CONTROL.sub("", str(value))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


# Functions a copy of a unit's workbook may keep live: pure calculations on its own cells (those of the
# template's Kiểm tra sheet and their plain neighbours). Anything else (HYPERLINK, WEBSERVICE, FILTERXML,
# INDIRECT, CALL, RTD, INFO ...) could reach outside the workbook and is turned into text.
INERT_FUNCTIONS = frozenset("""
ABS AND AVERAGE COUNT COUNTA COUNTBLANK COUNTIF COUNTIFS DATE DAY EXACT FIND IF IFERROR INT ISBLANK ISERROR
ISNUMBER ISTEXT LEFT LEN LOWER MAX MID MIN MONTH NOT OR RIGHT ROUND SEARCH SUBSTITUTE SUM SUMIF SUMIFS
SUMPRODUCT TEXT TRIM UPPER VALUE YEAR
""".split())
_FUNCTION = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
_STRING = re.compile(r'"(?:[^"]|"")*"')


def formula_is_inert(formula: str) -> bool:
    """True when ``formula`` only calculates on the workbook's own cells: every function is in
    INERT_FUNCTIONS, and there is no external reference ("[book]"), DDE ("app|topic!item") or name call."""
    code = _STRING.sub('""', formula)  # text inside quotes is data, not code
    if "[" in code or "|" in code:
        return False
    return all(name.upper() in INERT_FUNCTIONS for name in _FUNCTION.findall(code))
