"""Write the library's neutral sheet description (``SheetData``, the same list the CLI's XlsxWriter writer
takes) into an open workbook through xlwings: values in bulk, one call per row block, then the formats the
CLI writer gives each column kind, the staff's mark counter, links to the units' files and the charts.

Every text cell is written with Excel's quote prefix (a leading apostrophe, which Excel stores as a flag
and never shows): a unit's text that looks like a formula, a number (a phone number's leading 0) or a date
stays exactly the text it was. The only formula is our own mark counter.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Sequence

from addin.sheets.model import Link, SheetData

from addin.sheets import fit
from addin.sheets.writer import UNWRAPPED_KINDS, column_widths, file_url, header_height, print_layout, row_heights
from addin.io.sanitize import safe_cell_text

NUMBER_FORMATS = {"money": "#,##0", "pct": "0.0", "date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm:ss",
                  "int": "0"}
HEADER_COLOR = "#DDEBF7"
TITLE_SIZE = 13


def cell_value(value: Any) -> Any:
    """A Python value as the cell should hold it (bulk write)."""
    if isinstance(value, Link):
        value = value.text
    value = safe_cell_text(value)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "'" + ("Có" if value else "Không")
    if isinstance(value, (int, float, dt.datetime)):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return "'" + str(value)


def _matrix(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    return [[cell_value(row[c]) if c < len(row) else None for c in range(width)] for row in rows]


def replace_sheet(book, name: str, after) -> Any:
    """Delete the sheet ``name`` if the workbook has one, then add an empty one after ``after``."""
    existing = {s.name.casefold(): s for s in book.sheets}
    old = existing.get(name.casefold())
    if old is not None:
        if old.name == after.name:
            raise ValueError(name)
        alerts = book.app.display_alerts
        book.app.display_alerts = False  # Excel asks before deleting a sheet
        try:
            old.delete()
        finally:
            book.app.display_alerts = alerts
    return book.sheets.add(name=name, after=after)


def write_sheet(ws, sd: SheetData, *, links_base: Path | None) -> None:
    """Write one ``SheetData`` into the empty sheet ``ws``."""
    from xlwings.utils import col_name

    width = len(sd.columns)
    top = [[cell_value(sd.title)]] + [[cell_value(n)] for n in sd.notes]
    ws.range((1, 1)).value = top
    ws.range((1, 1)).font.bold = True
    ws.range((1, 1)).font.size = TITLE_SIZE
    if sd.notes:
        ws.range((2, 1), (1 + len(sd.notes), 1)).font.italic = True
    hr = sd.header_row + 1  # 1-based
    first, last = hr + 1, hr + max(len(sd.rows), 1)
    header = ws.range((hr, 1), (hr, width))
    header.value = [[cell_value(c.header) for c in sd.columns]]
    header.font.bold = True
    header.color = HEADER_COLOR
    header.wrap_text = True
    if sd.rows:
        ws.range((first, 1)).value = _matrix(sd.rows, width)
    widths = column_widths(sd)  # measured as the CLI writer measures them (addin.sheets.fit)
    for c, col in enumerate(sd.columns, start=1):
        ws.range((1, c)).column_width = widths[c - 1]
        body = ws.range((first, c), (last, c))
        if col.kind in NUMBER_FORMATS:
            body.number_format = NUMBER_FORMATS[col.kind]
        if col.kind not in UNWRAPPED_KINDS:
            body.wrap_text = True
    ws.range((1, 1), (last, width)).font.name = fit.FONT_NAME
    header.row_height = header_height(sd, widths)
    for r, height in enumerate(row_heights(sd, widths)):
        if height is not None:
            ws.range((first + r, 1)).row_height = height
    if sd.rows:
        _links(ws, sd, first, links_base)
    if sd.mark_column:
        mc = next(i for i, col in enumerate(sd.columns, start=1) if col.key == sd.mark_column)
        counter_row = 2 + len(sd.notes)
        letter = col_name(mc)
        ws.range((counter_row, 1)).value = cell_value(sd.mark_counter_label)
        ws.range((counter_row, 1)).font.bold = True
        counter = ws.range((counter_row, 2))
        counter.formula = f"=SUMPRODUCT(--(LEN(TRIM(${letter}${first}:${letter}${last}))>0))"
        counter.font.bold = True
        ws.range((first, mc), (last, mc)).color = "#FFF2CC"  # the one column staff fill in
    keys = [c.key for c in sd.columns]
    for n, ch in enumerate(sd.charts):
        ci, vi = keys.index(ch.category_col) + 1, keys.index(ch.value_col) + 1
        chart = ws.charts.add(left=0, top=0, width=540, height=300, chart_type="column_clustered",
                              name=f"Biểu đồ {n + 1}", anchor=ws.range((hr, ch.anchor_col + 1)))
        if ch.series == 1:
            chart.set_source_data(ws.range((first + ch.first, vi), (first + ch.last, vi)), plot_by="columns")
        else:  # with the header row, so each series is named after its column
            chart.set_source_data(ws.range((hr, vi), (first + ch.last, vi + ch.series - 1)), plot_by="columns")
        chart.set_x_axis_values(ws.range((first + ch.first, ci), (first + ch.last, ci)))
        chart.title = ch.title
    ws.freeze_panes.freeze_at(ws.range((hr + 1, 1)))
    _print_setup(ws, sd, widths)


def _print_setup(ws, sd: SheetData, widths: list[float]) -> None:
    """The CLI writer's page plan and print area (``print_layout``), through Excel's PageSetup (Windows Excel;
    other engines keep theirs)."""
    from xlwings.utils import col_name

    layout = print_layout(sd, widths)
    plan = layout.plan
    try:
        ps = ws.api.PageSetup
        ps.PaperSize = 9  # xlPaperA4
        ps.Orientation = 2 if plan.landscape else 1  # xlLandscape / xlPortrait
        first, last = layout.title_rows
        ps.PrintTitleRows = f"${first + 1}:${last + 1}"
        ps.LeftFooter, ps.RightFooter = "&A", "Trang &P/&N"
        if layout.columns < len(sd.columns):  # the columns for paper; the rest stay on screen
            ps.PrintArea = f"$A$1:${col_name(layout.columns)}${layout.last_row + 1}"
        if plan.fit_width:
            ps.Zoom = False
            ps.FitToPagesWide, ps.FitToPagesTall = 1, False
        else:
            ps.Zoom = plan.scale
            ps.PrintTitleColumns = f"$A:${col_name(plan.repeat_columns)}"
            ps.Order = 2  # xlOverThenDown
    except Exception:  # noqa: BLE001 - printing setup is a courtesy; the sheet itself is written
        pass


def _links(ws, sd: SheetData, first: int, base: Path | None) -> None:
    if base is None:
        return
    for r, row in enumerate(sd.rows):
        for c, value in enumerate(row):
            if isinstance(value, Link):
                url = file_url(value.target, base)
                text = cell_value(value.text)
                if url is not None and isinstance(text, str):
                    ws.range((first + r, c + 1)).add_hyperlink(url.removeprefix("external:"), text[1:])


def write_result_sheets(book, sheets: Sequence[SheetData], *, after: str, links_base: Path | None = None) -> None:
    """Replace (or add) each sheet of ``sheets`` in ``book``, in order, right after the sheet ``after``."""
    prev = book.sheets[after]
    first = None
    for sd in sheets:
        ws = replace_sheet(book, sd.name, prev)
        write_sheet(ws, sd, links_base=links_base)
        if sd.hidden:
            ws.visible = False
        first = first or ws
        prev = ws
    if first is not None:
        first.activate()  # the user lands on the summary, not on the last sheet added


def read_grid(sheet) -> list[list[Any]]:
    """The sheet's values from A1 to the end of its used range, as rows (what calamine gives the CLI)."""
    last = sheet.used_range.last_cell
    grid = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
    return [list(row) for row in grid]
