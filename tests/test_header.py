"""A contract column renamed, deleted or moved in a user's workbook: one issue, at the header cell where the
label belongs (renamed, deleted: an error quoting what the cell holds now) or where it went (moved: a
warning, its values still read); no follow-up issue on any row. Real .xlsx files edited with openpyxl as a
user edits them in Excel (the Table's columns follow the header)."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.table import TableColumn

from addin.cdcs.header import header_issues
from addin.cdcs.validate import validate_file
from addin.io.cells import column_letter
from addin.sample.fill import fill_workbook, valid_initiative, valid_unit_answers
from validators.layout import INITIATIVE_FIELDS, SHEET_INITIATIVES as SK, TABLE_HEADER_ROW as HR

COL = {f.label: i + 1 for i, f in enumerate(INITIATIVE_FIELDS)}


@pytest.fixture
def filled(tmp_path, campaign, sample_unit, unit_template) -> Path:
    unit, _ = sample_unit
    rng = random.Random(13)
    rows = [valid_initiative(campaign, unit, rng, number=i + 1, nominated=False) for i in range(3)]
    return fill_workbook(unit_template, tmp_path / "filled.xlsx", valid_unit_answers(campaign, unit, rng), rows)


def edit(path: Path, change) -> Path:
    """Apply ``change(ws)`` to «Sáng kiến», then make the Table follow its header as Excel does."""
    wb = load_workbook(path)
    ws = wb[SK]
    change(ws)
    table = next(iter(ws.tables.values()))
    labels = [c.value for c in ws[HR] if c.value is not None]
    last_row = table.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    table.ref = f"A{HR}:{column_letter(len(labels))}{last_row}"
    table.autoFilter.ref = table.ref
    table.tableColumns = [TableColumn(id=i + 1, name=str(v)) for i, v in enumerate(labels)]
    wb.save(path)
    return path


def errors(report) -> list:
    return [i for i in report.issues if i.severity.value == "error"]


def test_renamed_required_column_is_one_error_at_its_header_cell(filled, campaign, registry):
    def rename(ws):
        ws.cell(HR, COL["Tác giả"]).value = "Người thực hiện"

    report = validate_file(edit(filled, rename), campaign, registry)
    assert report.flat() == [(SK, f"C{HR}", "header-missing")]
    issue = report.issues[0]
    assert "'Tác giả'" in issue.message and "'Người thực hiện'" in issue.message and f"C{HR}" in issue.message
    assert issue.message == unicodedata.normalize("NFC", issue.message)
    assert not report.valid and report.stats.rows_read == 3 and report.stats.rows_valid == 0


def test_deleted_optional_column_does_not_pass(filled, campaign, registry):
    report = validate_file(edit(filled, lambda ws: ws.delete_cols(COL["Đồng tác giả"])), campaign, registry)
    assert report.flat() == [(SK, f"H{HR}", "header-missing")]
    assert "'Đồng tác giả'" in report.issues[0].message and "'Lĩnh vực'" in report.issues[0].message
    assert not report.valid and report.stats.rows_valid == 3  # the rows lost nothing they need


def test_deleted_required_column_and_an_empty_header_cell(filled, campaign, registry):
    def change(ws):
        ws.delete_cols(COL["Lĩnh vực"])
        ws.cell(HR, COL["Ghi chú"] - 1).value = None  # «Ghi chú», now in Q, cleared

    report = validate_file(edit(filled, change), campaign, registry)
    assert report.flat() == [(SK, f"I{HR}", "header-missing"), (SK, f"Q{HR}", "header-missing")]
    assert "để trống" in report.issues[1].message
    assert report.stats.rows_valid == 0 and not any(i.code == "required-missing" for i in report.issues)


def test_reordered_columns_are_one_warning_each_and_read(filled, campaign, registry):
    before = validate_file(filled, campaign, registry)

    def swap(ws):
        a, b = COL["Năm sinh"], COL["Giới tính"]
        for r in range(HR, ws.max_row + 1):
            x, y = ws.cell(r, a), ws.cell(r, b)
            x.value, y.value = y.value, x.value

    report = validate_file(edit(filled, swap), campaign, registry)
    assert report.flat() == [(SK, f"E{HR}", "header-moved")]
    assert report.valid and report.unit.initiatives == before.unit.initiatives


def test_a_column_moved_far_is_the_only_one_moved():
    labels = [f.label for f in INITIATIVE_FIELDS]
    line = labels[1:] + [labels[0]]  # STT moved to the end: the others shift, but keep their order
    columns = {f.key: line.index(f.label) + 1 for f in INITIATIVE_FIELDS}
    assert [(i.cell, i.code) for i in header_issues(HR, line, columns)] == [(f"R{HR}", "header-moved")]
    line = labels[:5] + ["Cột thêm"] + labels[5:]  # a column inserted: nothing moved, nothing missing
    columns = {f.key: line.index(f.label) + 1 for f in INITIATIVE_FIELDS}
    assert header_issues(HR, line, columns) == []
