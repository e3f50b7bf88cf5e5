"""The «Lỗi cần sửa» sheet of the annotated copy: what the CĐCS must fix, printed on a page or two.

It goes back to the CĐCS on paper as often as on screen, so it is read like a letter: Vietnamese only (no
issue codes), one block per row of the unit's sheet (its cells in order), each cell a link to the place to fix,
values quoted short (a 1,200-character description is not repeated whole), and set up for A4 with the row
heights measured (``addin.sheets.fit``) so wrapped messages never print over each other."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.hyperlink import Hyperlink

from addin.io.cells import cell_text
from addin.io.sanitize import is_formula_like, safe_cell_text
from addin.sheets import fit
from validators.issues import Severity
from validators.report import FileReport

QUOTE_MAX = 40  # characters of a value quoted in the sheet
COLUMNS = (("Ô", 6), ("Cần sửa", 62), ("Giá trị đang có", 20))
_QUOTED = re.compile(r"'([^']{%d,})'" % (QUOTE_MAX + 1))
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")


def short(value: Any, limit: int = QUOTE_MAX) -> str:
    """A value as quoted in the sheet: its text on one line, cut to ``limit`` characters with «…»."""
    text = " ".join(cell_text(value).split()) if value is not None else ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _message(issue, seen: set[str]) -> str:
    """The issue's sentence: a long quoted value in its short form, a warning marked as such, and a tail
    already printed above (the list of allowed values after «; ») replaced by «như trên»."""
    msg = _QUOTED.sub(lambda m: "'" + short(m.group(1)) + "'", issue.message)
    head, sep, tail = msg.partition("; ")
    if sep and len(tail) > 40:
        if tail in seen:
            msg = f"{head}; {tail.split(':')[0]}: như trên." if ":" in tail else f"{head}; như trên."
        seen.add(tail)
    if issue.severity is not Severity.ERROR:
        msg = "Lưu ý: " + msg
    return msg if len(msg) <= 400 else msg[:399] + "…"


def _row_key(issue) -> tuple:
    m = _CELL.match(issue.cell or "")
    if not m:
        return (issue.sheet or "", 0, 0)
    letters, row = m.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return (issue.sheet or "", int(row), col)


def _font(**kw) -> Font:
    return Font(name=fit.FONT_NAME, size=kw.pop("size", fit.BODY_SIZE), **kw)


def build_error_sheet(wb, report: FileReport, name: str) -> Any:
    """Add the sheet ``name`` first in ``wb`` and fill it from ``report``."""
    ws = wb.create_sheet(name, 0)
    errors = sum(1 for i in report.issues if i.severity is Severity.ERROR)
    warnings = len(report.issues) - errors
    ws.append([f"Các lỗi cần sửa trước khi gửi lại ({errors} lỗi, {warnings} lưu ý)"])
    ws["A1"].font = _font(bold=True, size=fit.TITLE_SIZE)
    ws.append(["Bấm vào ô ở cột «Ô» để đến chỗ cần sửa; ô sai được tô màu và có ghi chú."])
    ws["A2"].font = _font(italic=True)
    header_row = 4
    ws.append([])
    ws.append([label for label, _ in COLUMNS])
    for c in range(1, len(COLUMNS) + 1):
        cell = ws.cell(header_row, c)
        cell.font, cell.fill, cell.border = _font(bold=True), _HEAD_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [w for _, w in COLUMNS]
    for col, w in zip("ABC", widths):
        ws.column_dimensions[col].width = w
    area = [fit.text_area(w) for w in widths]
    seen: set[str] = set()
    ordered = sorted(report.issues, key=lambda i: (_row_key(i), i.severity is not Severity.ERROR))
    for (sheet, row), group in groupby(ordered, key=lambda i: _row_key(i)[:2]):
        where = f"Trang «{sheet}», dòng {row}" if sheet and row else (f"Trang «{sheet}»" if sheet else "Toàn tệp")
        ws.append([where])
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(COLUMNS))
        ws.cell(r, 1).font, ws.cell(r, 1).fill = _font(bold=True), _GROUP_FILL
        for issue in group:
            values = [issue.cell or "", safe_cell_text(_message(issue, seen)), safe_cell_text(short(issue.value))]
            ws.append(values)
            r = ws.max_row
            for c, v in enumerate(values, start=1):
                cell = ws.cell(r, c)
                cell.data_type = "s"  # text as written, never a formula
                cell.quotePrefix = is_formula_like(str(v))
                cell.font, cell.border = _font(), _BORDER
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            if issue.sheet and issue.cell and issue.sheet in wb.sheetnames:
                link = ws.cell(r, 1)
                link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{issue.sheet}'!{issue.cell}",
                                           display=issue.cell)
                link.font = _font(color="0563C1", underline="single")
            lines = max(fit.wrapped_lines(str(v), a) for v, a in zip(values, area))
            ws.row_dimensions[r].height = fit.row_height(lines)
    _print_setup(ws, widths, header_row)
    return ws


def _print_setup(ws, widths: list[float], header_row: int) -> None:
    plan = fit.page_plan(widths)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if plan.landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    for side, inches in fit.PRINT_MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.left.text, ws.oddFooter.right.text = "&A", "Trang &P/&N"
    ws.freeze_panes = ws.cell(header_row + 1, 1)
