"""The streamed data rows (``addin.sheets.stream``) give the same workbook as XlsxWriter cell by cell.

Every workbook ``write_sheets`` writes in the demo (districts, dossier packages, the province workbook and
package) and the national roll-up of the demo's package is written twice, streamed (what the commands do)
and with ``writer.STREAM_ROWS = False`` (every cell through XlsxWriter, as before the stream): the files are
the same bytes, and openpyxl and python-calamine read the same cells, styles and sheet settings from both.
Hostile values (formula-like text, control characters, ``_x0041_`` literals, 32,767-character and astral
strings, spaces around, NFD, huge and non-finite numbers, dates, None, "", booleans, links safe and not) and
generated rows go the same way. LibreOffice prints both variants of a district workbook to the same text.
The private parts of XlsxWriter the stream relies on are pinned by their source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings, strategies as st
from python_calamine import CalamineWorkbook

from addin.sheets import writer
from addin.sheets.model import ChartSpec, Column, Link, SheetData
from test_layout_equivalence import assert_same_layout

# --- XlsxWriter's private parts the stream relies on (addin/sheets/stream.py) --------------------------------
PINNED = {
    "Worksheet._write_rows": "ff324f891cab3bdf",
    "Worksheet._calculate_spans": "752d7d74d88d0c84",
    "Worksheet._write_row": "fa96c44e39f3910b",
    "Worksheet._write_empty_row": "48a9566dcc29528f",
    "Worksheet._write_cell": "31d1fc8c46bdc681",
    "Worksheet._check_dimensions": "abed6735b78bb179",
    "Worksheet._convert_date_time": "07112668f48c79d3",
    "Worksheet._write_sheet_data": "e1b56854700d8ce2",
    "Worksheet._write_string": "5cd6d3669c967730",
    "Worksheet._write_number": "e1497fda1452f7d6",
    "Worksheet._write_blank": "02740e63055a8c85",
    "Worksheet._write_datetime": "e82ec02353e99454",
    "Worksheet._write_dimension": "4f7f4a444e296e96",
    "SharedStringTable._get_shared_string_index": "3f7cbd86e1e5689b",
    "Format._get_xf_index": "02c40c6cc5ebb76c",
    "XMLwriter._xml_string_element": "4b4669202e108cac",
    "XMLwriter._xml_number_element": "19208bbec2d01be9",
    "XMLwriter._xml_empty_tag": "1ddc10e33caacd8d",
}


def test_the_xlsxwriter_internals_the_stream_copies_are_unchanged():
    """A new XlsxWriter (its pin in pyproject.toml moved) must fail here first: addin/sheets/stream.py writes
    what these methods write and replaces ``Worksheet._write_rows`` on its sheets."""
    from xlsxwriter.format import Format
    from xlsxwriter.sharedstrings import SharedStringTable
    from xlsxwriter.worksheet import Worksheet
    from xlsxwriter.xmlwriter import XMLwriter

    from addin.sheets.stream import XLSXWRITER_VERSION

    assert xlsxwriter.__version__ == XLSXWRITER_VERSION
    classes = {c.__name__: c for c in (Worksheet, SharedStringTable, Format, XMLwriter)}
    changed = []
    for name, digest in PINNED.items():
        cls, method = name.split(".")
        source = inspect.getsource(getattr(classes[cls], method))
        if hashlib.sha256(source.encode()).hexdigest()[:16] != digest:
            changed.append(name)
    assert not changed, f"XlsxWriter changed {changed}: check addin/sheets/stream.py against them, then re-pin"


# --- reading a workbook as every reader sees it ---------------------------------------------------------------
def _style(cell) -> tuple:
    f, a, b, fill = cell.font, cell.alignment, cell.border, cell.fill
    return (cell.number_format, cell.quotePrefix, cell.protection.locked,
            (f.name, f.sz, f.b, f.i, f.u, f.strike, f.color.rgb if f.color is not None else None),
            (fill.fill_type, getattr(fill.fgColor, "rgb", None), getattr(fill.bgColor, "rgb", None)),
            tuple((getattr(b, s).style, getattr(getattr(b, s).color, "rgb", None))
                  for s in ("left", "right", "top", "bottom")),
            (a.horizontal, a.vertical, a.wrap_text, a.indent))


def openpyxl_view(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    view: dict = {"sheets": wb.sheetnames,
                  "names": sorted((n, d.attr_text, d.localSheetId) for n, d in wb.defined_names.items()),
                  "title": wb.properties.title}
    for ws in wb.worksheets:
        cells = {c.coordinate: (c.value, c.data_type, _style(c), c.hyperlink.target if c.hyperlink else None)
                 for row in ws.iter_rows() for c in row if c.value is not None or c.has_style}
        view[ws.title] = {
            "cells": cells,
            "dimension": ws.dimensions,
            "state": ws.sheet_state,
            "rows": {r: (d.height, d.customHeight, d.hidden) for r, d in ws.row_dimensions.items()},
            "cols": {k: (d.width, d.hidden) for k, d in ws.column_dimensions.items()},
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": sorted((str(v.sqref), v.type, v.formula1, v.error, v.errorTitle)
                                  for v in ws.data_validations.dataValidation),
            "conditional": sorted((str(rng.sqref), r.type, tuple(r.formula or ()), r.operator,
                                   (r.dxf.font.color.rgb if r.dxf and r.dxf.font and r.dxf.font.color else None),
                                   (r.dxf.fill.bgColor.rgb if r.dxf and r.dxf.fill else None))
                                  for rng in ws.conditional_formatting for r in rng.rules),
            "freeze": ws.freeze_panes,
            "autofilter": ws.auto_filter.ref,
            "print": (ws.print_area, ws.print_title_rows, ws.print_title_cols, ws.page_setup.orientation,
                      ws.page_setup.paperSize, ws.page_setup.scale, ws.page_setup.fitToWidth,
                      ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage
                      if ws.sheet_properties.pageSetUpPr else None, ws.oddFooter.left.text, ws.oddFooter.right.text,
                      tuple(b.id for b in ws.row_breaks.brk)),
            "charts": len(ws._charts),
            "names": sorted((n, d.attr_text) for n, d in ws.defined_names.items()),
        }
    return view


def calamine_view(path: Path) -> dict:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: [[(type(v).__name__, v) for v in row] for row in wb.get_sheet_by_name(name).to_python()]
            for name in wb.sheet_names}


def assert_same_workbook(streamed: Path, cells: Path) -> dict:
    assert streamed.read_bytes() == cells.read_bytes(), f"{streamed.name}: not the same bytes"
    a, b = openpyxl_view(streamed), openpyxl_view(cells)
    assert a == b
    assert any(v["cells"] for k, v in a.items() if isinstance(v, dict) and "cells" in v)
    assert calamine_view(streamed) == calamine_view(cells)
    return a


def write_both(sheets, folder: Path, stem: str, **kwargs) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    streamed, cells = folder / f"{stem}.xlsx", folder / f"{stem}-cells.xlsx"
    writer.write_sheets(sheets, streamed, **kwargs)
    writer.STREAM_ROWS = False
    try:
        writer.write_sheets(sheets, cells, **kwargs)
    finally:
        writer.STREAM_ROWS = True
    return streamed, cells


# --- the demo's workbooks, each written both ways ----------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_pairs(tmp_path_factory):
    """Run the demo and the national roll-up of its province package; each ``write_sheets`` call also writes
    the same sheets cell by cell. Returns (label, streamed copy, cells, sheets) per call."""
    import addin.district.workbook
    import addin.dossier.package
    import addin.province.national_run
    import addin.province.workbook
    from addin.demo import run_demo
    from addin.province.national_run import run_national
    from validators.campaign import load_campaign

    root = tmp_path_factory.mktemp("stream-demo")
    real = writer.write_sheets
    pairs = []

    def both(sheets, path, *, title="", links_base=None):
        real(sheets, path, title=title, links_base=links_base)
        n = len(pairs)
        kept = root / "pairs" / f"{n:02d}-{Path(path).stem}.xlsx"
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, kept)  # the demo may replace it later
        cells = kept.with_name(kept.stem + "-cells.xlsx")
        writer.STREAM_ROWS = False
        try:
            real(sheets, cells, title=title, links_base=links_base if links_base is not None else Path(path).parent)
        finally:
            writer.STREAM_ROWS = True
        pairs.append((Path(path).relative_to(root).as_posix(), kept, cells, sheets))

    with pytest.MonkeyPatch.context() as mp:
        for module in (addin.district.workbook, addin.dossier.package, addin.province.workbook,
                       addin.province.national_run):
            mp.setattr(module, "write_sheets", both)
        demo = run_demo(root / "demo")
        national = root / "demo" / "toan-quoc"
        national.mkdir()
        shutil.copy(demo.province_files[1], national)
        run_national(national, load_campaign(), workbook=root / "demo" / "tong-hop-toan-quoc.xlsx")
    return pairs


def test_every_demo_workbook_is_the_same_streamed(demo_pairs):
    labels = [label for label, *_ in demo_pairs]
    assert any(label.startswith("demo/tong-hop/") for label in labels), labels  # district workbooks
    assert any(label.startswith("demo/ho-so/") for label in labels), labels  # district dossier packages
    assert "demo/tong-hop-tinh.xlsx" in labels and any(label.startswith("demo/gui-tld/") for label in labels)
    assert "demo/tong-hop-toan-quoc.xlsx" in labels
    streamed_sheets = 0
    read: set[str] = set()
    for label, streamed, cells, sheets in demo_pairs:
        assert streamed.read_bytes() == cells.read_bytes(), f"{label}: not the same bytes"
        streamed_sheets += sum(1 for sd in sheets if sd.rows and not sd.charts)
        kind = label.split("/")[1]  # tong-hop, ho-so, tong-hop-tinh.xlsx, gui-tld, tong-hop-toan-quoc.xlsx
        if kind not in read:  # read back through both readers: the first of each kind of workbook
            read.add(kind)
            view = assert_same_workbook(streamed, cells)
            if kind == "tong-hop":  # links to the units' files sit in streamed rows, merged in column order
                linked = [k for k, v in view.items() if isinstance(v, dict) and "cells" in v
                          and any(c[3] for c in v["cells"].values())]
                assert linked, "no hyperlink in the district workbook"
    assert streamed_sheets > 20 and len(read) >= 5, read


def test_the_demo_layout_matches_the_previous_layout(demo_pairs):
    for _label, _s, _c, sheets in demo_pairs:
        for sd in sheets:
            assert_same_layout(sd)


@pytest.mark.libreoffice
def test_libreoffice_prints_both_variants_of_a_district_workbook_alike(demo_pairs, tmp_path):
    from addin.io.libreoffice import convert_all

    label, streamed, cells, sheets = next(p for p in demo_pairs if p[0].startswith("demo/tong-hop/"))
    assert sum(len(sd.rows) for sd in sheets) > 50
    a, b = tmp_path / "streamed.xlsx", tmp_path / "cells.xlsx"
    shutil.copyfile(streamed, a)
    shutil.copyfile(cells, b)
    pdfs = convert_all([a, b], "pdf", tmp_path / "pdf", recalc=False)
    texts = [subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True, check=True).stdout
             for p in pdfs]
    assert texts[0] == texts[1]
    assert "Sáng kiến".encode() in texts[0] or "SÁNG KIẾN".encode() in texts[0]


# --- hostile values ------------------------------------------------------------------------------------------
HOSTILE = [
    "=1+1", "+SUM(1)", "-1+2", "@SUM(1,2)", "\t=1+1", "\r=2+2", " =cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\")",
    "-12", "+3", "-1.5", "a\x00b\x01c\x1fd\x7fe", "_x0041_", "x_x000D_y", "_xFFFF_", "\ufffe\uffff",
    "x" * 32_767, "😀" * 17_000, "é" * 40_000, "  hai đầu có dấu cách  ", " ", "\n", "dòng 1\ndòng 2\r\ndòng 3",
    unicodedata.normalize("NFD", "Tiếng Việt có dấu"), "<b>&amp;\"'</b>", "<r>rich?</r>", "Có", "Không",
    10**15 - 1, 10**15, -(10**15) + 1, 10**400, 2**63, 0, -0.0, 1.5, 1e-300, 123456.789, float("nan"),
    float("inf"), -float("inf"), Decimal("1.25"), Decimal("12"), Decimal("NaN"), True, False, None, "",
    dt.date(2021, 4, 20), dt.date(1900, 3, 1), dt.date(9999, 12, 31), dt.datetime(2021, 4, 20, 23, 59, 59),
    dt.datetime(2021, 2, 1, 0, 0, 0, 500_000),
]
FORMULA_LIKE = ["=1+1", "+SUM(1)", "-1+2", "@SUM(1,2)", "\t=1+1", "\r=2+2", " =cmd|' /C calc'!A0",
                "=HYPERLINK(\"http://x\")"]
_KIND_CYCLE = ("auto", "text", "long", "int", "money", "pct", "date", "datetime")


def _readable(v, kind):
    """A number far past the last date (9999-12-31) in a date column panics python-calamine (chrono): keep
    such numbers out of date columns (they are in the others)."""
    if kind in ("date", "datetime") and isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) > 10**5:
        return str(v)
    return v


def _hostile_sheets(base: Path) -> list[SheetData]:
    base.mkdir(parents=True, exist_ok=True)
    (base / "don vi.xlsx").write_bytes(b"")
    links = [Link("Tệp của đơn vị", base / "don vi.xlsx"), Link("=1+1", base / "don vi.xlsx"),
             Link("bad#name", base / "a#b.xlsx"), Link("\x01ctl", base / "x.xlsx"), Link("", base / "y.xlsx")]
    columns = [Column(f"Cột {k}", f"k{i}", 20, k) for i, k in enumerate(_KIND_CYCLE)]
    columns.append(Column("Tệp", "link", 30, "link"))
    columns.append(Column("Mã", "code", 10, "text", hidden=True))
    rows = []
    for i, v in enumerate(HOSTILE):
        row = [_readable(HOSTILE[(i + j) % len(HOSTILE)], k) for j, k in enumerate(_KIND_CYCLE)]
        row.append(links[i % len(links)])
        row.append(f"M{i}")
        rows.append(row)
    rows.append([])  # an empty row
    rows.append(["ngắn"])  # a short one
    marked = SheetData("Đề xuất", "ĐỀ XUẤT", [Column("Chọn (x)", "mark", 8, "text")] + columns[:4],
                       [["x" if i % 3 == 0 else None] + r[:4] for i, r in enumerate(rows)],
                       notes=["Ghi chú một", "Ghi chú hai"], mark_column="mark", mark_max=2)
    charted = SheetData("Thống kê", "THỐNG KÊ", [Column("Lĩnh vực", "f", 30, "text"), Column("Số", "n", 10, "int")],
                        [["=A", 3], ["B", 5], ["C\x01", 0]], charts=[ChartSpec("Số sáng kiến", "f", "n", 0, 2)])
    return [SheetData("Dữ liệu", "DỮ LIỆU «khó»", columns, rows, notes=["=không phải công thức"]), marked, charted,
            SheetData("Trống", "TRỐNG", columns[:3], [])]


def test_hostile_values_are_written_the_same_streamed(tmp_path):
    base = tmp_path / "links"
    sheets = _hostile_sheets(base)
    streamed, cells = write_both(sheets, tmp_path / "out", "hostile", title="Thử", links_base=base.parent)
    assert_same_workbook(streamed, cells)

    # And what they are, read back: text that looks like a formula is text with the quote prefix, never a
    # formula; control characters are gone, literal _xHHHH_ kept; booleans are Có/Không; numbers, dates.
    # Values through python-calamine (openpyxl leaves Excel's _xHHHH_ escapes undecoded), styles through openpyxl.
    ws = openpyxl.load_workbook(streamed)["Dữ liệu"]
    hr = sheets[0].header_row + 1  # 1-based header row
    first = [ws.cell(r, 1) for r in range(hr + 1, hr + 1 + len(HOSTILE))]
    grid = CalamineWorkbook.from_path(str(streamed)).get_sheet_by_name("Dữ liệu").to_python(skip_empty_area=False)
    shown = {i: grid[hr + i][0] for i in range(len(HOSTILE))}
    assert all(c.data_type != "f" for c in first)

    def at(v):
        return next(i for i, h in enumerate(HOSTILE) if type(h) is type(v) and h == v)

    for v in FORMULA_LIKE:
        i = at(v)
        assert first[i].quotePrefix and shown[i] == v, v
    for v in ("-12", "+3", "-1.5"):  # signed numbers as text are no formulas: no prefix needed, still text
        assert shown[at(v)] == v
    assert shown[at("a\x00b\x01c\x1fd\x7fe")] == "abcde"
    assert shown[at("_x0041_")] == "_x0041_" and shown[at("x_x000D_y")] == "x_x000D_y"
    assert shown[at(True)] == "Có" and shown[at(False)] == "Không"
    assert shown[at(None)] == "" and shown[at("")] == ""
    assert shown[at(10**15 - 1)] == 10**15 - 1
    assert shown[at(10**15)] == str(10**15)  # past 15 digits: its text
    assert shown[at(10**400)] == str(10**400)
    assert shown[at(float("inf"))] == "inf"
    assert shown[at(dt.date(2021, 4, 20))] == dt.date(2021, 4, 20)
    assert shown[at("  hai đầu có dấu cách  ")] == "  hai đầu có dấu cách  "
    assert shown[at("x" * 32_767)] == "x" * 31_999 + "…"  # capped to what a cell holds
    assert first[at(unicodedata.normalize("NFD", "Tiếng Việt có dấu"))].value == unicodedata.normalize(
        "NFD", "Tiếng Việt có dấu")
    links = [ws.cell(r, len(_KIND_CYCLE) + 1).hyperlink for r in range(hr + 1, hr + 6)]
    assert links[0] is not None and links[0].target == "links/don%20vi.xlsx"  # relative, forward slashes
    assert links[1] is None and links[2] is None  # formula-like text, a name that cannot be linked safely: text
    assert [link.target for link in (links[3], links[4])] == ["links/x.xlsx", "links/y.xlsx"]


_LINKS = [Link("tệp", Path("/tmp/hop-thu/a b.xlsx")), Link("=x", Path("/tmp/c.xlsx")), Link("d", Path("/tmp/d#.xlsx"))]
rows_strategy = st.lists(
    st.lists(st.one_of(st.none(), st.just(""), st.text(max_size=30), st.sampled_from(HOSTILE[:40] + _LINKS),
                       st.integers(-10**17, 10**17), st.floats(), st.booleans(), st.dates(), st.datetimes()),
             max_size=6),
    max_size=45)  # rows of every length over several blocks of 16 rows (XlsxWriter's spans)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows_strategy, st.lists(st.sampled_from(_KIND_CYCLE), min_size=6, max_size=6))
def test_generated_rows_are_the_same_streamed(tmp_path, rows, kinds):
    columns = [Column(f"C{i}", f"c{i}", 12, k) for i, k in enumerate(kinds)]
    sheets = [SheetData("A", "a", columns, rows), SheetData("B", "b", columns[:2], [r[:2] for r in rows])]
    streamed, cells = write_both(sheets, tmp_path / "gen", "g")
    assert streamed.read_bytes() == cells.read_bytes()


def test_ragged_rows_over_blocks_of_sixteen_rows_keep_xlsxwriters_spans(tmp_path):
    """A block of 16 rows narrower than the one before it (a regression: the stream once carried the previous
    block's last column over)."""
    columns = [Column(f"C{i}", f"c{i}", 12, "auto") for i in range(6)]
    for rows in ([[]] * 13 + [[None]], [["x"] * 6] * 20 + [[1]] + [[]] * 20 + [["a", "b"]], [[None, "", 0]] * 40):
        streamed, cells = write_both([SheetData("A", "a", columns, rows)], tmp_path, "ragged")
        assert streamed.read_bytes() == cells.read_bytes(), rows
