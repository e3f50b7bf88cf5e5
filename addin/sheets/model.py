"""A neutral, tabular description of a workbook's sheets (``SheetData``): plain values (text, numbers, dates,
booleans, ``Link``) and formatting intents (column kind and width, the staff's mark column and its maximum,
charts). The CLI writes it with XlsxWriter (``addin.sheets.writer``) and the Excel button with xlwings, so the
two skins show the same sheets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any



# Workbooks we write carry this creation time: the same content gives the same bytes.
FIXED_CREATED = dt.datetime(2021, 1, 1)

MARK_HEADER = "Chọn (x)"


@dataclass(frozen=True)
class Link:
    """A link to a file of ours (a unit's workbook): shown as ``text``."""

    text: str
    target: Path


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    width: float = 14
    kind: str = "auto"  # auto | text | long | int | money | pct | date | datetime | link
    hidden: bool = False  # a machine key (status, issue code) kept for reading back, not shown nor printed
    # On paper too. A sheet too wide to print legibly (>= 8 pt) on one page width prints only its leading
    # columns marked so (the print area); the columns after them stay on screen. See ``SheetData.printed``.
    printed: bool = True


@dataclass(frozen=True)
class ChartSpec:
    title: str
    category_col: str  # column keys
    value_col: str
    first: int  # data-row indexes (0-based, inclusive)
    last: int
    anchor_col: int = 5
    series: int = 1  # value columns plotted side by side: value_col and the ones right after it

    def __post_init__(self) -> None:
        # Several series are named by their header cells, so they plot from the first data row.
        if self.series > 1 and self.first != 0:
            raise ValueError("a chart of several series starts at the first data row")


@dataclass
class SheetData:
    name: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    mark_column: str | None = None  # key of the column staff fill in
    mark_max: int | None = None
    charts: list[ChartSpec] = field(default_factory=list)
    hidden: bool = False
    landscape: bool = True

    def __post_init__(self) -> None:
        # The print area is one block of columns from the first: the printed columns come first.
        shown = [c for c in self.columns if not c.hidden]
        first_off = next((n for n, c in enumerate(shown) if not c.printed), len(shown))
        if any(c.printed for c in shown[first_off:]):
            raise ValueError(f"{self.name}: the printed columns must come before the ones left on screen")

    @property
    def printed(self) -> int:
        """How many leading columns are printed (all of them unless some are left on screen)."""
        return next((n for n, c in enumerate(self.columns) if not c.printed and not c.hidden), len(self.columns))

    @property
    def mark_counter_label(self) -> str:
        """The label of the count of marked rows, above the table (both writers)."""
        cap = f" (tối đa {self.mark_max})" if self.mark_max is not None else ""
        return f"Số sáng kiến đã chọn{cap}:"

    @property
    def header_row(self) -> int:
        """0-based row of the column headers (title, notes, the mark counter, a blank row above it)."""
        return 1 + len(self.notes) + (1 if self.mark_column else 0) + 1


def _yn(v: bool | None) -> str:
    return "" if v is None else ("Có" if v else "Không")


# ------------------------------------------------------------------------------------------------------
# The sheets of a district result
