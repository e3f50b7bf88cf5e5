"""Data rows written as XML by our code and spliced into the ``<sheetData>`` XlsxWriter writes at close.

Why: XlsxWriter spends ~10 µs on a cell (``write_*`` → a cell tuple → a dict of rows → attribute lists and
escaping at close); a district of 1,000 initiatives has ~35,000 of them, most of the time of its workbook.
``RowStream`` takes a sheet's data cells instead, turns each into the bytes XlsxWriter would have written for
it (``<c r="B9" s="7" t="s"><v>12</v></c>``, ``<c r="C9" s="8"><v>45123</v></c>``, ``<c r="D9" s="7"/>``) and
writes them in row order when XlsxWriter writes the sheet's rows. Everything else (banners, header, widths,
validation, conditional formats, autofilter, panes, print setup, defined names, the mark counter, and any cell
handed to XlsxWriter directly: links, or a value this module leaves to it) stays XlsxWriter's, in the same
``<row>`` when they share one.

The workbook is the same byte for byte as writing every cell with XlsxWriter (tests/test_stream_writer.py):

* a string goes into XlsxWriter's shared-string table when it is "written", in the same order as
  ``write_string`` would have added it, so ``sharedStrings.xml`` (and its escaping of control characters,
  ``_xHHHH_`` literals and surrounding spaces) is XlsxWriter's own;
* a style is its ``Format``'s xf index, asked for (``Format._get_xf_index``) while the rows are written, cell
  by cell, in the order XlsxWriter's ``_write_cell`` asks: the indices (and ``styles.xml``) do not change;
* numbers and dates are written with XlsxWriter's own formatting (``%.16G``, ``_convert_date_time``);
* ``<row>`` tags come from XlsxWriter's ``_write_row`` (heights set with ``set_row`` as before), the spans
  and the ``<dimension>`` cover these cells as if XlsxWriter had stored them.

This relies on private parts of XlsxWriter 3.3.1 (pinned exactly in pyproject.toml): ``Worksheet._write_rows``
(replaced on the instance), ``_write_row``, ``_write_empty_row``, ``_write_cell``, ``_check_dimensions``,
``_convert_date_time``, ``table``, ``row_info``, ``comments``, ``dim_*``, ``fh``, ``str_table`` and
``SharedStringTable._get_shared_string_index``. tests/test_stream_writer.py pins the source of each (a changed
XlsxWriter fails there first, loudly) and compares whole workbooks with those written cell by cell.

A sheet with charts is not streamed: XlsxWriter reads the charted cells back from its own table.
"""

from __future__ import annotations

import datetime as dt
from math import isinf, isnan
from typing import Any

from xlsxwriter.utility import xl_col_to_name

# XlsxWriter's limit on a string (UTF-16 units); a longer one is truncated by ``write_string`` (left to it).
_STRMAX_HALF = 32767 // 2

XLSXWRITER_VERSION = "3.3.1"


class RowStream:
    """The data cells of one worksheet, written by ``put`` in row order (and, within a row, column order)."""

    def __init__(self, ws):
        self.ws = ws
        # Per row, its cells flat: column, format, body, column, format, body... (one list a row, not a tuple a
        # cell: the garbage collector would walk tens of thousands of them).
        self.rows: dict[int, list] = {}
        self._sst = ws.str_table._get_shared_string_index
        self._row = -1
        self._cells: list = []
        self._widest = -1
        ws._write_rows = self._write_rows  # the instance's own: XlsxWriter calls it from _write_sheet_data

    # -- what the writer calls -------------------------------------------------------------------------
    def put(self, r: int, c: int, how: str, what: Any, fmt) -> None:
        """A cell, as ``write_string`` / ``write_number`` / ``write_datetime`` / ``write_blank`` would take it."""
        if how == "text":
            if len(what) > _STRMAX_HALF:  # may need XlsxWriter's UTF-16 truncation: its own cell
                self.ws.write_string(r, c, what, fmt)
                return
            body = f' t="s"><v>{self._sst(what)}</v></c>'
        elif how == "number":
            if what.__class__ not in (int, float) or isnan(what) or isinf(what):
                self.ws.write_number(r, c, what, fmt)  # its error cells, Fractions: its own
                return
            body = f"><v>{what:.16G}</v></c>"
        elif how == "date":
            if what.__class__ is not dt.datetime:
                self.ws.write_datetime(r, c, what, fmt)
                return
            body = f"><v>{self.ws._convert_date_time(what):.16G}</v></c>"
        elif how == "blank":
            body = "/>"
        else:
            raise ValueError(how)
        if r != self._row:  # the dimension as XlsxWriter keeps it: once for a row, again for a wider column
            self._cells = self.rows.setdefault(r, [])
            self._row = r
            self.ws._check_dimensions(r, c)
            self._widest = max(self._widest, c)
        elif c > self._widest:
            self.ws._check_dimensions(r, c)
            self._widest = c
        self._cells += (c, fmt, body)

    # -- what XlsxWriter calls at close --------------------------------------------------------------------
    def _spans(self) -> dict[int, str]:
        """XlsxWriter's ``_calculate_spans`` over its cells and these."""
        ws = self.ws
        spans: dict[int, str] = {}
        span_min = span_max = None
        for row_num in range(ws.dim_rowmin, ws.dim_rowmax + 1):
            cols = []
            table_row = ws.table.get(row_num)
            if table_row:
                cols.extend(table_row)
            mine = self.rows.get(row_num)
            if mine:
                cols.append(mine[0])
                cols.append(mine[-3])
            comments = ws.comments.get(row_num)
            if comments:
                cols.extend(comments)
            if cols:
                lo, hi = min(cols), max(cols)
                if span_min is None:  # the first cells of a block of 16 rows
                    span_min, span_max = lo, hi
                else:
                    span_min, span_max = min(span_min, lo), max(span_max, hi)
            if (row_num + 1) % 16 == 0 or row_num == ws.dim_rowmax:
                if span_min is not None:
                    spans[row_num // 16] = f"{span_min + 1}:{span_max + 1}"
                    span_min = None
        return spans

    def _write_rows(self) -> None:
        """XlsxWriter's ``Worksheet._write_rows``, with these rows' cells merged into theirs."""
        ws = self.ws
        spans = self._spans()
        write = ws.fh.write
        table, row_info, comments, ours = ws.table, ws.row_info, ws.comments, self.rows
        xf: dict[int, int] = {}
        letters = [xl_col_to_name(c) for c in range(ws.dim_colmax + 1)]
        for row_num in range(ws.dim_rowmin, ws.dim_rowmax + 1):
            mine = ours.get(row_num)
            cells = table.get(row_num)
            if not mine:
                if row_num in row_info or row_num in comments or cells:
                    span = spans.get(row_num // 16)
                    if cells:
                        ws._write_row(row_num, span, row_info.get(row_num))
                        for col_num in sorted(cells):
                            ws._write_cell(row_num, col_num, cells[col_num])
                        write("</row>")
                    else:
                        ws._write_empty_row(row_num, span, row_info.get(row_num))
                continue
            ws._write_row(row_num, spans.get(row_num // 16), row_info.get(row_num))
            rn = str(row_num + 1)
            theirs = sorted(cells) if cells else ()
            t = 0
            out = []
            cell = iter(mine)
            for col_num, fmt, body in zip(cell, cell, cell):
                while t < len(theirs) and theirs[t] < col_num:  # a cell of XlsxWriter's (a link) before this one
                    if out:
                        write("".join(out))
                        out.clear()
                    ws._write_cell(row_num, theirs[t], cells[theirs[t]])
                    t += 1
                key = id(fmt)
                index = xf.get(key)
                if index is None:  # asked for in XlsxWriter's order: the first cell of each format
                    index = xf[key] = fmt._get_xf_index()
                out.append(f'<c r="{letters[col_num]}{rn}" s="{index}"{body}')
            if out:
                write("".join(out))
            for col_num in theirs[t:]:
                ws._write_cell(row_num, col_num, cells[col_num])
            write("</row>")
