"""Printed sheets as a reader sees them: each kind of output rendered to PDF by LibreOffice headless and read
back word by word (``pdftotext -bbox``): no text under 8 pt, no text printed over another row's text, the
header labels whole, page counts within bounds. The measuring itself (``addin.sheets.fit``) is tested on its
own first."""

from __future__ import annotations

import random
import re
import shutil

import pytest
from openpyxl import load_workbook

from addin.cdcs.annotate import ISSUES_SHEET, annotate_copy
from addin.cdcs.validate import validate_file
from addin.sample.fill import fill_workbook, valid_initiative, valid_unit_answers
from addin.sheets import fit
from addin.sheets.model import Column, SheetData
from addin.sheets.writer import write_sheets
from validators.issues import Severity

from pdf_render import overlaps, render, render_all, smallest

needs_lo = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                              reason="LibreOffice and poppler are needed to render")


def test_widths_are_measured_with_vietnamese_letters():
    # Letters with hook, dot below or horn are drawn wider by the fallback font: never measured narrower.
    assert fit.text_width("Hợp đồng") > fit.text_width("Hop dong")
    assert fit.text_width("MMMM") > fit.text_width("iiii") * 2
    assert fit.text_width("Số", bold=True) > fit.text_width("Số")


def test_wrapping_counts_lines():
    area = fit.text_area(20)
    assert fit.wrapped_lines("ngắn", area) == 1
    long = "Cải tiến quy trình tiếp nhận hồ sơ một cửa " * 10
    n = fit.wrapped_lines(long, area)
    assert 10 <= n <= 40
    assert fit.wrapped_lines(long, fit.text_area(40)) < n
    assert fit.wrapped_lines("a\nb\nc", area) == 3
    assert fit.row_height(3) > fit.row_height(1) and fit.row_height(1000) == 409


def test_fitted_width_keeps_header_words_and_caps_long_text():
    w = fit.fit_width("Số sáng kiến được công nhận", ["1", "2"], maximum=30)
    assert fit.text_area(w) >= fit.longest_word("Số sáng kiến được công nhận", bold=True)
    assert fit.fit_width("Tóm tắt", ["Tăng năng suất " * 40], maximum=50) == 50  # wraps within one row
    # Text that would need more than a row's 409 pt at the maximum width widens until it fits: in print it
    # would otherwise spill over the rows below.
    long = "Giảm thời gian chờ của người dân " * 100
    w = fit.fit_width("Tóm tắt", [long], maximum=50)
    assert w > 50 and fit.row_height(fit.lines_in(long, w)) < 409


def test_page_plan():
    assert fit.page_plan([10, 20, 30]) == fit.PagePlan(False, True, None, 0)
    assert fit.page_plan([40] * 4).landscape
    wide = fit.page_plan([20] * 30, key_columns=2)
    assert not wide.fit_width and wide.scale * fit.BODY_SIZE / 100 >= fit.MIN_PRINT_SIZE and wide.repeat_columns == 2


def _screen_and_paper() -> SheetData:
    long_text = "Cải tiến quy trình tiếp nhận hồ sơ của đoàn viên, rút ngắn thời gian giải quyết. " * 10
    columns = [Column("STT", "n", 5, "int"), Column("Tên sáng kiến", "t", 30, "long")] + \
        [Column(f"Cột giấy {i}", f"p{i}", 12) for i in range(12)] + \
        [Column("Mã lỗi", "code", 10, hidden=True), Column("Tóm tắt nội dung", "d", 60, "long", printed=False)] + \
        [Column(f"Cột màn hình {i}", f"s{i}", 14, printed=False) for i in range(8)]
    rows = [[r, f"Sáng kiến {r}", *[f"giá trị {i}" for i in range(12)], "x", long_text,
             *[f"liên hệ {i}" for i in range(8)]] for r in range(1, 6)]
    return SheetData("Rộng", "Danh sách", columns, rows)


def test_printed_columns_come_first():
    sd = _screen_and_paper()
    assert sd.printed == 15  # the hidden machine key inside the print area takes no room
    with pytest.raises(ValueError):
        SheetData("x", "x", [Column("A", "a", printed=False), Column("B", "b")], [])


def test_print_area_is_the_printed_columns_in_both_writers(tmp_path):
    from types import SimpleNamespace

    from addin.excel.sheets import _print_setup
    from addin.sheets.writer import column_widths, print_layout, row_heights

    sd = _screen_and_paper()
    widths = column_widths(sd)
    layout = print_layout(sd, widths)
    assert layout.plan.fit_width and layout.plan.landscape  # the printed columns fit one page at >= 8 pt
    assert fit.page_plan(widths).fit_width is False  # all of them would not
    # The summary left on screen does not make the printed rows tall.
    assert all(h is None or h < 40 for h in row_heights(sd, widths))
    path = tmp_path / "a.xlsx"
    write_sheets([sd], path)
    ws = load_workbook(path)["Rộng"]
    assert ws.print_area == "'Rộng'!$A$1:$O$8"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$3"  # the title, the blank row and the headers
    excel = SimpleNamespace(api=SimpleNamespace(PageSetup=SimpleNamespace()))
    _print_setup(excel, sd, widths)
    ps = excel.api.PageSetup
    assert ps.PrintArea == ws.print_area.split("!")[1] and ps.PrintTitleRows == ws.print_title_rows
    assert ps.FitToPagesWide == 1
    assert ps.Orientation == 2 and ps.PaperSize == 9


def _check(pages, headers=(), max_pages=None, skip_overlap=()):
    assert pages
    assert smallest(pages) >= fit.MIN_PRINT_SIZE, smallest(pages)
    for n, page in enumerate(pages):
        if n not in skip_overlap:
            assert not overlaps(page), (n, overlaps(page)[:3])
    text = "".join("".join(w.text for w in p.words) for p in pages)
    for h in headers:  # every word of the label whole (a wrapped label has its words on several lines)
        for word in h.split():
            assert word in text, (h, word)  # pdftotext splits a word where a fallback glyph starts: no spaces
    if max_pages is not None:
        assert len(pages) <= max_pages, len(pages)


@needs_lo
def test_written_sheets_print_legibly(tmp_path):
    names = ["Nguyễn Thị Kim Đồng", "Trần Hữu Phước", "Lê Ngọc Ánh"]
    long_text = "Cải tiến quy trình tiếp nhận, xử lý hồ sơ của đoàn viên, rút ngắn thời gian giải quyết. " * 12
    wide = SheetData("Rộng", "Danh sách nhiều cột", [Column("STT", "n", 5, "int")] +
                     [Column(f"Cột số {i} có nhãn dài", f"c{i}", 14) for i in range(24)],
                     [[r] + [f"{names[r % 3]} {i}" for i in range(24)] for r in range(1, 30)])
    wrapped = SheetData("Đề xuất", "Sáng kiến đề xuất", [
        Column("Mã", "id", 10), Column("Tên sáng kiến", "t", 30, "long"), Column("Tác giả", "a", 16),
        Column("Tóm tắt nội dung", "d", 60, "long"), Column("Hành chính sự nghiệp", "b", 10)],
        [[f"SK{r}", "Sáng kiến " + long_text[: 30 * r], names[r % 3], long_text[: 90 * r], "Có"] for r in range(1, 9)])
    path = tmp_path / "sheets.xlsx"
    write_sheets([wide, wrapped], path)
    pages = render(path, tmp_path / "pdf")
    _check(pages, headers=["Tên sáng kiến", "Tóm tắt nội dung", "Hành chính sự nghiệp", "Kim Đồng", "Cột số 23 có nhãn dài"],
           max_pages=20)


@pytest.fixture
def bad_file(tmp_path, campaign, sample_unit, unit_template):
    """A CĐCS file with about 45 errors, one of them on a 1,200-character value."""
    unit, _ = sample_unit
    rng = random.Random(3)
    rows = [valid_initiative(campaign, unit, rng) for _ in range(15)]
    for n, row in enumerate(rows):
        row["Lĩnh vực"] = "Khác" if n else "Lĩnh vực " * 150
        row["Năm sinh"] = "năm " + str(n)
        row["Số điện thoại"] = "12345"
    return fill_workbook(unit_template, tmp_path / "loi.xlsx", valid_unit_answers(campaign, unit, rng), rows)


@needs_lo
def test_annotated_copy_is_short(tmp_path, bad_file, campaign, registry):
    report = validate_file(bad_file, campaign, registry)
    errors = [i for i in report.issues if i.severity is Severity.ERROR]
    assert 40 <= len(errors) <= 60, len(errors)
    copy = annotate_copy(bad_file, report, tmp_path / "out")
    wb = load_workbook(copy)
    ws = wb[ISSUES_SHEET]
    text = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("-" in t and t.islower() and " " not in t for t in text)  # no issue code such as number-invalid
    assert max(len(t) for t in text) < 400
    links = [c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink is not None]
    assert len(links) == len([i for i in report.issues if i.cell])
    assert all(loc.startswith("'") and "!" in loc for loc in links)
    for name in wb.sheetnames[1:]:  # render the errors sheet alone
        del wb[name]
    alone = tmp_path / "alone.xlsx"
    wb.save(alone)
    _check(render(alone, tmp_path / "pdf"), headers=["Cần sửa", "Giá trị đang có"], max_pages=2)


def _rows_as_typed(path):
    """Give the filled rows of «Sáng kiến» the heights Excel gives a row as the user types wrapped text into
    it (openpyxl, which filled them, stores none, and LibreOffice does not grow rows on opening a file)."""
    from validators import layout as L

    wb = load_workbook(path)
    ws = wb[L.SHEET_INITIATIVES]
    size = 12.0  # the template's font
    for row in ws.iter_rows(min_row=L.TABLE_HEADER_ROW + 1):
        lines = 1
        for f, cell in zip(L.INITIATIVE_FIELDS, row):
            if isinstance(cell.value, str):
                area = 0.75 * (8 * f.width + 5) - fit.CELL_PAD
                lines = max(lines, fit.wrapped_lines(cell.value, area, size))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = fit.row_height(lines, size)
    wb.save(path)


@needs_lo
def test_cdcs_template_prints_legibly(tmp_path, campaign, sample_unit, unit_template):
    """The CĐCS workbook, blank and filled with the demo's sample data: every sheet on A4 at >= 8 pt, the
    18-column «Sáng kiến» two pages across (the STT on both), the others one page wide."""
    unit, _ = sample_unit
    rng = random.Random(7)
    n_rows = 12
    rows = [valid_initiative(campaign, unit, rng, number=n) for n in range(1, n_rows + 1)]
    filled = fill_workbook(unit_template, tmp_path / "filled.xlsx", valid_unit_answers(campaign, unit, rng), rows)
    _rows_as_typed(filled)
    blank_pages, pages = render_all([unit_template, filled], tmp_path / "pdf")
    for printed in (blank_pages, pages):
        _check(printed, headers=["Tên sáng kiến", "Tóm tắt nội dung", "Khiếu nại, tranh chấp", "Ghi chú",
                                 "Thông tin của đơn vị", "Hướng dẫn"])
    sheets = _sheet_pages(pages)
    assert len(sheets[_name("Đơn vị")]) == 1 and len(sheets[_name("Hướng dẫn")]) <= 3
    initiatives = [pages[n] for n in sheets[_name("Sáng kiến")]]
    # Two pages across per page down: the left part has the author's columns, the right one the summary's
    # and the amounts, the STT on both (the subtitle mentions «Tóm tắt nội dung»: headers unique to a part).
    assert len(initiatives) % 2 == 0, len(initiatives)
    for left, right in zip(initiatives[::2], initiatives[1::2]):
        assert "Chứcvụ" in _joined([left]) and "Giátrịlàmlợi" not in _joined([left])
        assert "Giátrịlàmlợi" in _joined([right]) and "Ghichú" in _joined([right]) and "STT" in _joined([right])
        assert "Chứcvụ" not in _joined([right])
    # A filled row is at most about 12 lines (a 1,000-character summary in its 60-wide column) at 8 pt:
    # at least 3 rows a page down.
    assert len(initiatives) <= 2 * (n_rows // 3 + 1), len(initiatives)
    assert len(pages) <= len(blank_pages) + len(initiatives), (len(pages), len(blank_pages))


# ------------------------------------------------------------------------------------------------------
# Every output kind of a real run (the demo), as printed
# ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_outputs(tmp_path_factory):
    from addin.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    return out


def _sheet_pages(pages):
    """Page numbers by the sheet name the footer prints at the bottom left (spaces removed: pdftotext splits
    a word where a letter comes from the fallback font)."""
    by_sheet: dict[str, list] = {}
    for n, page in enumerate(pages):
        if not page.words:
            continue
        bottom = max(w.y1 for w in page.words)
        name = "".join(w.text for w in page.words if w.y1 > bottom - 12 and w.x0 < 300)
        by_sheet.setdefault(name, []).append(n)
    return by_sheet


def _name(sheet: str) -> str:
    return sheet.replace(" ", "")


def _joined(pages) -> str:
    return "".join(w.text for p in pages for w in p.words)


@needs_lo
def test_district_workbook_prints_legibly(demo_outputs, tmp_path):
    from addin.district.workbook import INITIATIVE_COLUMNS, UNIT_COLUMNS

    workbooks = sorted((demo_outputs / "tong-hop").glob("??.xlsx"), key=lambda p: p.stat().st_size)
    smallest_wb, largest = workbooks[0], workbooks[-1]
    small_pages, pages = render_all([smallest_wb, largest], tmp_path)
    _check(small_pages, headers=["Số sáng kiến", "Tên CĐCS", "Tóm tắt nội dung", "Mã sáng kiến", "Nội dung"])
    sheets = _sheet_pages(small_pages)
    assert {_name(s) for s in ("Tổng hợp", "Đơn vị", "Sáng kiến", "Đề xuất", "Lỗi", "Tệp")} <= set(sheets), sorted(sheets)
    assert len(sheets[_name("Tổng hợp")]) == 1 and len(sheets[_name("Đề xuất")]) <= len(sheets[_name("Sáng kiến")])

    # The largest district: its wide sheets print the columns a meeting reads, one page wide, at >= 8 pt.
    _check(pages)
    wb = load_workbook(largest, read_only=True)
    n_init, n_units = wb["Sáng kiến"].max_row - 3, wb["Đơn vị"].max_row - 3
    sheets = _sheet_pages(pages)
    for name, columns, rows_per_page in (("Sáng kiến", INITIATIVE_COLUMNS, 8), ("Đơn vị", UNIT_COLUMNS, 12)):
        printed = [c for c in columns if c.printed]
        on_paper = [pages[n] for n in sheets[_name(name)]]
        # One page wide: every page shows the first and the last printed column's header (printed across,
        # the pages on the right would lack the first). The print area itself: test_print_area_* below.
        for page in on_paper:
            text = _joined([page])
            assert _name(printed[0].header) in text and _name(printed[-1].header) in text, (name, text[:200])
        # A printed row is at most five lines of the narrowed text columns (a field name, a title): with the
        # repeated title and headers, at least ``rows_per_page`` rows fit a landscape page at the 8 pt scale.
        n_rows = n_init if name == "Sáng kiến" else n_units
        assert len(on_paper) <= n_rows // rows_per_page + 1, (name, len(on_paper), n_rows)
    assert len(pages) <= (n_init // 8 + 1) + (n_units // 12 + 1) + 25, len(pages)  # + the other sheets


@needs_lo
def test_province_workbook_prints_legibly(demo_outputs, tmp_path):
    pages = render(demo_outputs / "tong-hop-tinh.xlsx", tmp_path)
    sheets = _sheet_pages(pages)
    # LibreOffice's PDF keeps the text of a chart cut by a page break, clipped out of sight but still read by
    # pdftotext: the chart pages are looked at as PNG instead (each chart whole on its own page).
    charts = [n for name, ns in sheets.items() if "Biểuđồ" in name or name.isdigit() for n in ns]
    _check(pages, headers=["Đơn vị cấp trên", "Tóm tắt nội dung", "Giá trị làm lợi (đồng)", "Lý do"], max_pages=40,
           skip_overlap=charts)
    assert len(sheets[_name("Tổng hợp tỉnh")]) == 1 and len(sheets[_name("Theo đơn vị")]) == 1
    assert len(charts) == 2  # two charts, each whole on its page


@needs_lo
def test_summary_tables_print_legibly(demo_outputs, tmp_path):
    tables = sorted((demo_outputs / "ho-so").rglob("bang-tong-hop-tom-tat-sang-kien-*.xlsx"))[:2]
    tables += sorted((demo_outputs / "gui-tld").glob("bang-tong-hop-tom-tat-sang-kien-*.xlsx"))
    for n, table in enumerate(tables):
        pages = render(table, tmp_path / str(n))
        _check(pages, headers=["Tên sáng kiến", "Tóm tắt", "Giá trị làm lợi (đồng)", "CHỦ TỊCH"],
               max_pages=3 if n < 2 else 20)


_MACHINE_CODE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$|^(?:valid|errors|missing|foreign|raw|package|true|false)$")


def test_visible_cells_have_no_machine_codes(demo_outputs):
    """What a reader sees is Vietnamese: an issue code (``dossier-late``) or a status key (``missing``) stays in
    a hidden column for reading back, never in a visible cell of the district and province workbooks."""
    found = []
    for path in [*sorted((demo_outputs / "tong-hop").glob("*.xlsx")), demo_outputs / "tong-hop-tinh.xlsx"]:
        wb = load_workbook(path, read_only=False)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and _MACHINE_CODE.match(c.value.strip()) \
                            and not ws.column_dimensions[c.column_letter].hidden:
                        found.append((path.name, ws.title, c.coordinate, c.value))
    assert not found, found[:10]
