"""XlsxWriter for ``SheetData``: one place for number formats, header styles, links and the mark column, so
every workbook we write (district, province, packages) looks and reads the same."""

from __future__ import annotations

import copy
import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from addin.io.atomic import atomic_path
from addin.io.names import visible_name
from addin.io.sanitize import is_formula_like, safe_cell_text
from addin.sheets import fit
from addin.sheets.model import FIXED_CREATED, Link, SheetData
from addin.sheets.stream import RowStream


# ------------------------------------------------------------------------------------------------------
# XlsxWriter writer for SheetData
# ------------------------------------------------------------------------------------------------------
class _Formats:
    def __init__(self, wb):
        self.wb = wb
        self.cache: dict[tuple, Any] = {}
        self._cells: dict[tuple, Any] = {}

    def get(self, **props) -> Any:
        props = {"font_name": fit.FONT_NAME, "font_size": fit.BODY_SIZE} | props
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            self.cache[key] = self.wb.add_format(props)
        return self.cache[key]

    def cell(self, style: str, wrap: bool, num_format: str | None = None) -> Any:
        """The format of a data cell, built once per (style, wrap, number format): tens of thousands of
        cells share a handful of formats, and building the properties per cell was most of the write."""
        key = (style, wrap, num_format)
        f = self._cells.get(key)
        if f is None:
            props: dict[str, Any] = {"valign": "top", "border": 1, "border_color": "#BFBFBF"}
            if wrap:
                props["text_wrap"] = True
            if style == "link":
                props.update(font_color="#0563C1", underline=1)
            elif style == "quote":
                props["quote_prefix"] = True
            elif style in ("date", "datetime"):
                props.update(num_format=_NUM_FORMATS[style], align="left")
            elif style == "number":
                props["num_format"] = num_format
            f = self._cells[key] = self.get(**props)
        return f


_CHART_SIZE = (600, 300)  # pixels: two charts one under the other fit a landscape page
_CHART_ROWS = 22  # rows a chart takes, with room: LibreOffice draws default rows lower than 20 px
UNWRAPPED_KINDS = ("int", "money", "pct", "date", "datetime")
_NUM_FORMATS = {"money": "#,##0", "pct": "0.0", "date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm:ss",
                "int": "0"}


def file_url(target: Path, base: Path) -> str | None:
    """A safe relative (else absolute) external link, or None when the path cannot be linked safely.

    A relative link is written with forward slashes (``../hop-thu/CJ/x.xlsx``): a hyperlink's target is a URI,
    which Excel on Windows and Mac and LibreOffice all resolve; ``..\\hop-thu\\…`` opens only in Excel on
    Windows."""
    try:
        rel = os.path.relpath(os.path.abspath(target), os.path.abspath(base))
    except ValueError:  # another drive on Windows
        rel = os.path.abspath(target)
    if any(ch in rel for ch in "#\"<>|*?\n\r\t") or len(rel) > 250 or visible_name(rel) != rel:
        return None  # a name with stray bytes or control characters cannot be linked safely: text only
    if not os.path.isabs(rel):
        rel = rel.replace(os.sep, "/")
    return "external:" + rel


@lru_cache(maxsize=4096)
def _file_url(target: Path, base: Path, cwd: str) -> str | None:
    """``file_url``, once per file (a unit's workbook is linked from several sheets); ``cwd``: relative paths
    are resolved against it."""
    return file_url(target, base)


@lru_cache(maxsize=1)
def _relative_url_class():
    from xlsxwriter.url import Url

    class RelativeUrl(Url):
        """XlsxWriter's ``external:`` link, keeping a relative target's forward slashes (XlsxWriter turns every
        ``/`` into ``\\`` in the relationship it writes)."""

        def _target(self) -> str:
            target = super()._target()
            return target if target.startswith("file:") else target.replace("\\", "/")

    return RelativeUrl


def _file_link(url: str, text: str):
    """A new link object a cell (XlsxWriter's ``write_url`` keeps it), copied from the one parsed for the same
    URL and text: parsing (``Url.__init__``'s regular expressions) was most of a link's cost."""
    return copy.copy(_parsed_link(url, text))


@lru_cache(maxsize=4096)
def _parsed_link(url: str, text: str):
    link = _relative_url_class()(url)
    link.text = text
    return link


def settle_calculation(wb) -> None:
    """No recalculation forced on open: Excel would then mark the workbook changed and ask to save it on
    every close. Only for workbooks whose every formula was written with its result (XlsxWriter otherwise
    stores 0 and relies on ``fullCalcOnLoad``). ``calcId`` is the one Excel 2019, 2021 and Microsoft 365
    write, so they do not recalculate a file "last calculated by an older Excel" either."""
    wb.calc_on_load = False
    wb.calc_id = 191029


def cell_content(value: Any, kind: str, base: Path | None) -> tuple[str, Any, str, str | None]:
    """What ``value`` becomes in a cell of a column of ``kind``: ``(how, what, style, number format)``, the one
    mapping both ways of writing cells use (``write_cell``). ``how`` is ``"link"`` (``what``: the URL and the
    text; if the link cannot be written, the text instead), ``"text"``, ``"number"``, ``"date"`` (``what``: a
    datetime) or ``"blank"``; ``style`` and the number format name the cell's format (``_Formats.cell``)."""
    if value.__class__ is str:  # most cells
        return _text_content(value)
    if isinstance(value, Link):
        text = safe_cell_text(value.text)
        url = _file_url(value.target, base, os.getcwd()) if base is not None else None
        if url is not None and not is_formula_like(text):
            return "link", (url, text), "link", None
        return cell_content(text, kind, None)
    value = safe_cell_text(value)
    if value is None or value == "":
        return "blank", None, "plain", None
    if isinstance(value, bool):
        return "text", "Có" if value else "Không", "plain", None
    if isinstance(value, (int, float)):
        return "number", value, "number", _NUM_FORMATS.get(kind) or ("0" if float(value).is_integer() else "0.0")
    if isinstance(value, dt.datetime):
        return "date", value, "datetime", None
    if isinstance(value, dt.date):
        return "date", dt.datetime(value.year, value.month, value.day), "date", None
    return _text_content(str(value))


def _text_content(value: str) -> tuple[str, Any, str, str | None]:
    text = safe_cell_text(value)
    if text == "":
        return "blank", None, "plain", None
    return "text", text, "quote" if is_formula_like(text) else "plain", None


class _Cells:
    """Cells written through XlsxWriter, one ``write_*`` each (sheets with charts, and the reference path)."""

    def __init__(self, ws):
        self.ws = ws

    def put(self, r: int, c: int, how: str, what: Any, cell_format) -> None:
        if how == "text":
            self.ws.write_string(r, c, what, cell_format)
        elif how == "number":
            self.ws.write_number(r, c, what, cell_format)
        elif how == "date":
            self.ws.write_datetime(r, c, what, cell_format)
        else:
            self.ws.write_blank(r, c, None, cell_format)


# Data rows of sheets without charts go through ``addin.sheets.stream``: the same workbook, byte for byte, its
# cells in about half the CPU time (benchmarks/writer.py). False writes every cell through XlsxWriter, for the
# tests that compare the two (tests/test_stream_writer.py).
STREAM_ROWS = True


def write_cell(cells, r: int, c: int, value: Any, kind: str, fmt: _Formats, base: Path | None, wrap: bool = False) -> None:
    """Write ``value`` at (r, c) into ``cells`` (``_Cells`` or ``stream.RowStream``): links through XlsxWriter
    (they need its relationships), the rest as ``cells`` writes them."""
    how, what, style, nf = cell_content(value, kind, base)
    if how == "link":
        url, text = what
        if cells.ws.write_url(r, c, _file_link(url, text), fmt.cell("link", wrap)) == 0:
            return
        how, what, style, nf = cell_content(text, kind, None)
    cells.put(r, c, how, what, fmt.cell(style, wrap, nf))


def write_rows(cells, first: int, rows: Sequence[Sequence[Any]], kinds: Sequence[tuple[str, bool]], fmt: _Formats,
               base: Path | None, heights: Sequence[float | None]) -> None:
    """``rows`` from row ``first`` into ``cells``, each value as ``write_cell`` writes it (a text's content and
    format worked out once per distinct text and wrapping), each row ``heights`` high (None: the default)."""
    texts: tuple[dict, dict] = ({}, {})  # not wrapped / wrapped: text -> (how, what, format)
    put, ws = cells.put, cells.ws
    for r, row in enumerate(rows, start=first):
        for c, ((kind, wrap), value) in enumerate(zip(kinds, row)):
            if value.__class__ is str:
                memo = texts[wrap]
                done = memo.get(value)
                if done is None:
                    how, what, style, nf = cell_content(value, kind, base)  # a text's content: not its column's kind
                    done = memo[value] = (how, what, fmt.cell(style, wrap, nf))
                put(r, c, *done)
            else:
                write_cell(cells, r, c, value, kind, fmt, base, wrap)
        if heights[r - first] is not None:
            ws.set_row(r, heights[r - first])


def write_sheets(sheets: Sequence[SheetData], path: Path, *, title: str = "", links_base: Path | None = None) -> None:
    """Write ``sheets`` to ``path`` (.xlsx) atomically, deterministically."""
    import xlsxwriter
    from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

    path = Path(path)
    base = links_base if links_base is not None else path.parent
    with atomic_path(path) as tmp:
        # in_memory: the XML parts are assembled in memory, not in temporary files zipped and deleted after
        # (a quarter of the write time on this machine). The parts are identical; only the zip entries' fixed
        # timestamps and permission bits differ from the temporary-file mode.
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False, "in_memory": True,
                                            "default_format_properties": {"font_name": fit.FONT_NAME,
                                                                          "font_size": fit.BODY_SIZE}})
        wb.set_properties({"title": title, "created": FIXED_CREATED, "author": "sangkien"})
        settle_calculation(wb)  # the one formula, the mark counter, is written with its result
        fmt = _Formats(wb)
        head = fmt.get(bold=True, text_wrap=True, valign="vcenter", align="center", bg_color="#DDEBF7", border=1)
        for sd in sheets:
            ws = wb.add_worksheet(sd.name)
            hr = sd.header_row
            widths = column_widths(sd)
            # Title and notes wrap within the table's width: text running past the last column would make
            # LibreOffice shrink the whole page to print it.
            banner_widths = widths[:sd.printed] if not sd.charts else [0.0]  # a chart sheet: the charts are the width
            wrap = bool(sd.charts) is False
            _banner(ws, 0, sd.title, banner_widths, fmt.get(bold=True, font_size=fit.TITLE_SIZE, text_wrap=wrap,
                                                            valign="top"), size=fit.TITLE_SIZE, bold=True)
            for n, note in enumerate(sd.notes, start=1):
                _banner(ws, n, note, banner_widths, fmt.get(italic=True, font_color="#404040", text_wrap=wrap,
                                                            valign="top"))
            for c, col in enumerate(sd.columns):
                ws.write_string(hr, c, col.header, head)
                ws.set_column(c, c, widths[c], None, {"hidden": True} if col.hidden else None)
            ws.set_row(hr, header_height(sd, widths))
            kinds = [(col.kind, col.kind not in UNWRAPPED_KINDS) for col in sd.columns]
            heights = row_heights(sd, widths)
            # Charted cells stay in XlsxWriter's table: it reads them back for the charts' cached values.
            cells = RowStream(ws) if STREAM_ROWS and not sd.charts else _Cells(ws)
            write_rows(cells, hr + 1, sd.rows, kinds, fmt, base, heights)
            last = hr + max(len(sd.rows), 1)
            if sd.mark_column:
                mc = next(i for i, col in enumerate(sd.columns) if col.key == sd.mark_column)
                first_cell = xl_rowcol_to_cell(hr + 1, mc, row_abs=True, col_abs=True)
                end = max(hr + 1 + len(sd.rows) - 1, hr + 1)
                last_cell = xl_rowcol_to_cell(end, mc, row_abs=True, col_abs=True)
                cr = 1 + len(sd.notes)
                ws.write_string(cr, 0, sd.mark_counter_label, fmt.get(bold=True))
                counter = xl_rowcol_to_cell(cr, 1)
                marked = sum(1 for row in sd.rows if mc < len(row) and str(row[mc] or "").strip())
                ws.write_formula(counter, f'=SUMPRODUCT(--(LEN(TRIM({first_cell}:{last_cell}))>0))',
                                 fmt.get(bold=True, border=1, align="center"), marked)  # its result: see below
                if sd.mark_max is not None:
                    ws.conditional_format(counter, {"type": "cell", "criteria": ">", "value": sd.mark_max,
                                                    "format": fmt.get(bold=True, font_color="#9C0006", bg_color="#FFC7CE")})
                    ws.write_string(cr, 2, f"Nếu ô bên cạnh có màu đỏ: đã chọn quá {sd.mark_max} sáng kiến.",
                                    fmt.get(italic=True, font_color="#9C0006"))
                if sd.rows:
                    ws.data_validation(hr + 1, mc, end, mc, {
                        "validate": "list", "source": ["x"], "error_title": "Chỉ nhập x",
                        "error_message": "Đánh dấu x để chọn sáng kiến; để trống nếu không chọn."})
                    ws.conditional_format(hr + 1, 0, end, len(sd.columns) - 1, {
                        "type": "formula", "criteria": f"=LEN(TRIM(${xl_col_to_name(mc)}{hr + 2}))>0",
                        "format": fmt.get(bg_color="#E2EFDA")})
            for n, ch in enumerate(sd.charts):
                keys = [c.key for c in sd.columns]
                chart = wb.add_chart({"type": "column"})
                ci, vi = keys.index(ch.category_col), keys.index(ch.value_col)
                for v in range(vi, vi + ch.series):
                    chart.add_series({
                        "name": ch.title if ch.series == 1 else [sd.name, hr, v],  # the column's header
                        "categories": [sd.name, hr + 1 + ch.first, ci, hr + 1 + ch.last, ci],
                        "values": [sd.name, hr + 1 + ch.first, v, hr + 1 + ch.last, v],
                        "data_labels": {"value": True, "category": False, "series_name": False,
                                        "font": {"size": 10}},
                    })
                chart.set_title({"name": ch.title, "name_font": {"size": 12}})
                chart.set_x_axis({"num_font": {"size": 10}})
                chart.set_y_axis({"num_font": {"size": 10}})
                chart.set_legend({"none": True} if ch.series == 1 else {"position": "bottom"})
                chart.set_size({"width": _CHART_SIZE[0], "height": _CHART_SIZE[1]})
                # Charts one under the other at the first one's column: side by side they would not fit a page.
                ws.insert_chart(hr + 1 + n * _CHART_ROWS, sd.charts[0].anchor_col, chart)  # below the repeated header
            if len(sd.charts) > 1:  # each chart whole on its page, never cut by a page break
                ws.set_h_pagebreaks([hr + 1 + n * _CHART_ROWS for n in range(1, len(sd.charts))])
            if sd.rows and not sd.mark_column and len(sd.columns) > 2:
                ws.autofilter(hr, 0, last, len(sd.columns) - 1)
            ws.freeze_panes(hr + 1, 0)
            print_setup(ws, sd, widths)
            if sd.hidden:
                ws.hide()
        wb.close()




# ------------------------------------------------------------------------------------------------------
# Measured layout (addin.sheets.fit): the xlwings writer uses the same three functions
# ------------------------------------------------------------------------------------------------------
def _maximum(col) -> float:
    return 50.0 if col.kind == "long" else max(28.0, min(col.width, 40.0))


def column_widths(sd: SheetData) -> list[float]:
    """Each column fitted to its header words and its values, up to a maximum (wider text wraps); on a sheet
    too wide for one legible page, the text columns narrowed in proportion (not below their header's longest
    word, nor below what keeps their longest value under the 409-point row limit)."""
    out, flexible, floors = [], [], []
    for c, col in enumerate(sd.columns):
        if col.hidden:  # takes no room on screen or paper
            out.append(0.0)
            flexible.append(False)
            floors.append(0.0)
            continue
        values = [row[c] for row in sd.rows if c < len(row)]
        out.append(fit.fit_width(col.header, values, maximum=_maximum(col), wraps=col.kind not in UNWRAPPED_KINDS))
        flexible.append(col.kind not in UNWRAPPED_KINDS)
        longest = max((len(str(getattr(v, "text", v))) for v in values if isinstance(v, str)), default=0)
        floor = fit.points_to_width(fit.longest_word(col.header, bold=True) + fit.CELL_PAD + 1)
        floors.append(max(floor, 36.0 if longest > 400 else 18.0 if longest > 100 else 12.0))
    # Only the printed columns are narrowed for paper; the ones left on screen keep their fitted widths.
    n = sd.printed
    squeezed = fit.squeeze(out[:n], flexible[:n], floors[:n]) + out[n:]
    # Too wide even narrowed: keep the fitted widths (shorter rows) and print pages side by side instead.
    return squeezed if fit.page_plan(squeezed[:n]).fit_width else out


def header_height(sd: SheetData, widths: Sequence[float]) -> float:
    lines = max((fit.wrapped_lines(col.header, fit.text_area(w), bold=True)
                 for col, w in zip(sd.columns, widths) if not col.hidden), default=1)
    return fit.row_height(lines)


def row_heights(sd: SheetData, widths: Sequence[float]) -> list[float | None]:
    """The height of each data row (None: one line, the default height is enough), from the printed columns:
    a long text left on screen only (a 1,000-character summary) shows its first lines and the rest in the
    formula bar, and does not make every printed row a third of a page high."""
    wrapping = [c for c, col in enumerate(sd.columns[:sd.printed]) if col.kind not in UNWRAPPED_KINDS and not col.hidden]
    out: list[float | None] = []
    for row in sd.rows:
        lines = max((fit.lines_in(row[c], widths[c]) for c in wrapping if c < len(row)), default=1)
        out.append(fit.row_height(lines) if lines > 1 else None)
    return out


def _banner(ws, row: int, text: str, widths: Sequence[float], cell_format, *, size: float = fit.BODY_SIZE,
            bold: bool = False) -> None:
    """A title or note line across the table's columns, wrapped, its row as tall as its lines."""
    shown = [w for w in widths if w > 0]
    if not shown:  # no width to wrap in: one line, running over what is beside it
        ws.write_string(row, 0, text, cell_format)
        return
    area = sum(fit.text_area(w) + fit.CELL_PAD for w in shown) - fit.CELL_PAD
    last = max(i for i, w in enumerate(widths) if w > 0)
    if last > 0:
        ws.merge_range(row, 0, row, last, text, cell_format)
    else:
        ws.write_string(row, 0, text, cell_format)
    ws.set_row(row, fit.row_height(fit.wrapped_lines(text, area, size, bold), size))


def key_columns(sd: SheetData) -> int:
    """Identifying columns repeated on every page across: the first, and the one after a row number."""
    first = sd.columns[0].header if sd.columns else ""
    return min(len(sd.columns), 2 if first in ("STT", "TT", "Dòng") else 1)


@dataclass(frozen=True)
class PrintLayout:
    plan: fit.PagePlan
    columns: int  # the print area's columns, from the first (the rest stay on screen)
    last_row: int  # 0-based, the print area's last row
    title_rows: tuple[int, int]  # 0-based, first and last, repeated at the top of every page


def print_layout(sd: SheetData, widths: Sequence[float]) -> PrintLayout:
    """How ``sd`` goes onto A4 (both writers): the printed columns, then the page plan of their widths."""
    n = sd.printed
    extent = list(widths[:n])
    if sd.charts:  # the charts right of their anchor column widen the printed area
        anchor = sd.charts[0].anchor_col
        extent = extent[:anchor] + [max(sum(extent[anchor:]), fit.points_to_width(_CHART_SIZE[0] * 0.75))]
    hr = sd.header_row
    # The title with the headers; when long notes sit above the headers, the headers alone (else they fill
    # every page).
    titles = (0, hr) if hr <= 3 else (hr, hr)
    return PrintLayout(fit.page_plan(extent, key_columns(sd)), n, hr + max(len(sd.rows), 1), titles)


def print_setup(ws, sd: SheetData, widths: Sequence[float]) -> None:
    """A4, landscape when wide, header rows repeated, one page wide only when legible, page numbers; a sheet
    whose columns are not all for paper prints the ones that are (its print area)."""
    layout = print_layout(sd, widths)
    plan = layout.plan
    ws.set_paper(9)
    if plan.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(**fit.PRINT_MARGINS)
    if layout.columns < len(sd.columns):
        ws.print_area(0, 0, layout.last_row, layout.columns - 1)
    if plan.fit_width:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(plan.scale)
        ws.repeat_columns(0, plan.repeat_columns - 1)
        ws.print_across()  # the parts of the same rows on consecutive pages
    ws.repeat_rows(*layout.title_rows)
    ws.set_footer(fit.FOOTER)
