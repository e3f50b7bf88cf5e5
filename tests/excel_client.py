"""A stand-in for Excel's side of a button click, for tests without Excel: the request payload built from a
workbook exactly as xlwings' VBA client builds it (``addin/Remote.bas``: ``RunRemotePython``), and the replay
of the actions a button recorded on xlwings' remote ``Book`` (``book.json()``) onto that workbook, applied
the way Excel applies them (a leading apostrophe is Excel's quote prefix, a leading ``=`` a formula, an ISO
date string a date).

The workbook is an openpyxl ``Workbook`` (loaded with ``keep_vba=True`` from a real .xlsm): the test edits it
as the user would, sends it, replays, and looks at what the user would see.
"""

from __future__ import annotations

import datetime as dt
import re
from copy import copy
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")


def _json_value(cell) -> Any:
    # WebHelpers.ConvertToJson: dates as ISO with a Z, empty cells as null
    if cell.data_type == "f":
        return None  # a formula: Excel sends its value, which openpyxl does not compute
    v = cell.value
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return v


def set_name_value(wb: Workbook, name: str, value: Any) -> None:
    """Type ``value`` into the cell of the workbook-scoped defined name ``name``."""
    ((sheet, coord),) = list(wb.defined_names[name].destinations)
    wb[sheet][coord.replace("$", "")].value = value


def name_cells(wb: Workbook, name: str):
    ((sheet, coord),) = list(wb.defined_names[name].destinations)
    return wb[sheet][coord.replace("$", "")]


def payload(wb: Workbook, book_name: str, version: str, *, active_sheet: int = 0) -> dict[str, Any]:
    """The JSON the VBA client posts for ``wb`` (its ``XLWINGS_VERSION`` is ``version``)."""
    sheets = wb.worksheets
    index = {ws.title: i for i, ws in enumerate(sheets)}
    names = []
    for name, dn in wb.defined_names.items():
        dests = list(dn.destinations)
        if len(dests) != 1 or dests[0][0] not in index:
            continue  # not a range of one sheet: RefersToRange fails, the client skips it
        sheet, coord = dests[0]
        names.append({"name": name, "sheet_index": index[sheet], "address": coord.replace("$", ""),
                      "book_scope": True, "scope_sheet_name": None, "scope_sheet_index": None})
    out_sheets = []
    for ws in sheets:
        if ws.max_row == 1 and ws.max_column == 1 and ws.cell(1, 1).value is None:
            values = [[]]
        else:
            values = [[_json_value(c) for c in row]
                      for row in ws.iter_rows(min_row=1, max_row=ws.max_row, min_col=1, max_col=ws.max_column)]
        out_sheets.append({"name": ws.title, "pictures": [], "tables": [], "values": values})
    return {"client": "VBA", "version": version,
            "book": {"name": book_name, "active_sheet_index": active_sheet, "selection": "A1"},
            "names": names, "sheets": out_sheets}


def _cells(ws, a: dict):
    r0, c0 = a["start_row"] + 1, a["start_column"] + 1
    for r in range(r0, r0 + a["row_count"]):
        for c in range(c0, c0 + a["column_count"]):
            yield ws.cell(r, c)


def _excel_value(cell, v: Any) -> None:
    if v == "" or v is None:
        cell.value = None
    elif isinstance(v, str) and v.startswith("'"):
        cell.value = v[1:]
        cell.data_type = "s"  # Excel's quote prefix: text, even when it starts with "="
        cell.quotePrefix = True
    elif isinstance(v, str) and _ISO.match(v):
        cell.value = dt.datetime.fromisoformat(v)  # WebHelpers.ParseIso
    else:
        cell.value = v


class Replay:
    """Apply ``book.json()`` actions to ``wb``; ``alerts`` collects the message boxes (prompt, title, mode)."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.alerts: list[tuple[str, str, str]] = []
        self.charts: dict[tuple[int, int], Any] = {}  # (sheet position, chart index) -> openpyxl chart

    def run(self, actions: list[dict[str, Any]]) -> "Replay":
        for a in actions:
            handler = getattr(self, "do_" + a["func"], None)
            if handler is None:
                raise NotImplementedError(f"replay of {a['func']}: {a}")
            handler(a, self.wb.worksheets[a["sheet_position"]] if a["sheet_position"] is not None else None)
        return self

    # sheets
    def do_addSheet(self, a, _):
        index, name = a["args"]
        self.wb.create_sheet(name, index)

    def do_sheetDelete(self, a, ws):
        self.wb.remove(ws)

    def do_setSheetVisibility(self, a, ws):
        ws.sheet_state = "visible" if a["args"][0] == "Visible" else "hidden"

    def do_activateSheet(self, a, _):
        self.wb.active = a["args"][0]

    def do_freezePaneAtRange(self, a, ws):
        ws.freeze_panes = a["args"][0].replace("$", "")

    # values
    def do_setValues(self, a, ws):
        for r, row in enumerate(a["values"]):
            for c, v in enumerate(row):
                _excel_value(ws.cell(a["start_row"] + 1 + r, a["start_column"] + 1 + c), v)

    def do_setFormula(self, a, ws):
        for r, row in enumerate(a["values"]):
            for c, v in enumerate(row):
                ws.cell(a["start_row"] + 1 + r, a["start_column"] + 1 + c).value = v

    def do_addHyperlink(self, a, ws):
        address, text = a["args"][0], a["args"][1]
        for cell in _cells(ws, a):
            cell.hyperlink = address
            cell.value = text

    # formats
    def do_setFontProperty(self, a, ws):
        prop, value = a["args"]
        for cell in _cells(ws, a):
            font = copy(cell.font)
            setattr(font, {"size": "sz", "bold": "b", "italic": "i"}.get(prop, prop), value)
            cell.font = Font(name=font.name, sz=font.sz, b=font.b, i=font.i, color=font.color, u=font.u)

    def do_setRangeColor(self, a, ws):
        color = a["args"][0].lstrip("#").upper()
        for cell in _cells(ws, a):
            cell.fill = PatternFill("solid", start_color=color, end_color=color)

    def do_setWrapText(self, a, ws):
        for cell in _cells(ws, a):
            al = copy(cell.alignment)
            cell.alignment = Alignment(horizontal=al.horizontal, vertical=al.vertical, wrap_text=bool(a["args"][0]))

    def do_setNumberFormat(self, a, ws):
        for cell in _cells(ws, a):
            cell.number_format = a["args"][0]

    def do_setColumnWidth(self, a, ws):
        for c in range(a["start_column"] + 1, a["start_column"] + 1 + a["column_count"]):
            ws.column_dimensions[get_column_letter(c)].width = a["args"][0]

    def do_setRowHeight(self, a, ws):
        for r in range(a["start_row"] + 1, a["start_row"] + 1 + a["row_count"]):
            ws.row_dimensions[r].height = a["args"][0]

    # charts
    def do_addChart(self, a, ws):
        name, _type, sheet, address, _l, _t, width, height, _plot, anchor, _style = a["args"]
        chart = BarChart()
        chart.type = "col"
        chart.width, chart.height = width / 28.35, height / 28.35  # points -> cm
        min_col, min_row, max_col, max_row = range_boundaries(address.replace("$", ""))
        # Excel takes a first row of text in the source range as the series' names (and shows a legend).
        titled = all(isinstance(self.wb[sheet].cell(min_row, c).value, str) for c in range(min_col, max_col + 1))
        chart.add_data(Reference(self.wb[sheet], min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row),
                       titles_from_data=titled)
        if not titled:
            chart.legend = None
        ws.add_chart(chart, (anchor or "A1").replace("$", ""))
        self.charts[(a["sheet_position"], len([k for k in self.charts if k[0] == a["sheet_position"]]))] = chart

    def do_setChartXAxisValues(self, a, ws):
        index, sheet, address = a["args"]
        min_col, min_row, max_col, max_row = range_boundaries(address.replace("$", ""))
        self.charts[(a["sheet_position"], index)].set_categories(
            Reference(self.wb[sheet], min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row))

    def do_setChartTitle(self, a, ws):
        index, title = a["args"][0], a["args"][1]
        self.charts[(a["sheet_position"], index)].title = title

    # the application
    def do_alert(self, a, _):
        prompt, title, _buttons, mode, _callback = a["args"]
        self.alerts.append((prompt, title, mode))

    def do_setScreenUpdating(self, a, _):
        pass  # nothing the user keeps seeing
