"""Sheets measured on demand (issue 17): the gate leaves a worksheet's extent check until a parser asks for that
sheet, when the workbook names its sheets' parts beyond doubt; otherwise every sheet is checked up front.

What must hold: no sheet reaches python-calamine unmeasured (a far cell in a sheet that is read is refused
exactly as before, with the same issue); a file whose only far cell is in a sheet nobody reads is read; any
doubt about which part a sheet name leads to means the old, eager check."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from addin.cdcs.reader import read_submission
from addin.cdcs.validate import validate_file
from addin.io.gate.inspect import inspect_file
from addin.io.gate.limits import Limits
from addin.io.gate.ooxml import sheets_by_name
from addin.io.gate.workbook import WorkbookRefused, open_workbook
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import sample_initiatives, valid_unit_answers
from validators import layout as L

from mail_samples import zipped

FAR = b'<row r="1048576"><c r="XFD1048576"><v>7</v></c></row></sheetData>'


@pytest.fixture(scope="module")
def filled(tmp_path_factory, unit_template, campaign, sample_unit) -> Path:
    rng = random.Random(17)
    unit = sample_unit[0]
    return fast_fill_workbook(unit_template, tmp_path_factory.mktemp("ondemand") / "filled.xlsx",
                              valid_unit_answers(campaign, unit, rng), sample_initiatives(campaign, unit, rng, 3))


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    path.write_bytes(zipped(parts))
    return path


def _part_of(parts: dict[str, bytes], sheet: str) -> str:
    with zipfile.ZipFile(io.BytesIO(zipped(parts))) as zf:
        by_name = {i.filename.casefold(): i for i in zf.infolist()}
        mapping = sheets_by_name(zf, by_name, Limits())
    assert mapping is not None
    return next(n for n in parts if n.casefold() == mapping[sheet])


def _with_far_cell(parts: dict[str, bytes], sheet: str) -> dict[str, bytes]:
    out = dict(parts)
    part = _part_of(parts, sheet)
    assert b"</sheetData>" in out[part]
    out[part] = out[part].replace(b"</sheetData>", FAR, 1)
    return out


def test_our_workbook_defers_every_sheet_and_the_reader_measures_only_what_it_reads(filled):
    wb = open_workbook(filled, sheets_on_demand=True)
    assert set(wb.inspection.sheet_parts) == set(wb.sheet_names)
    assert set(wb.inspection.deferred_sheets) == set(wb.sheet_names)
    wb.check_sheets(L.SHEET_INITIATIVES)
    assert L.SHEET_INITIATIVES not in wb._deferred and L.SHEET_UNIT in wb._deferred
    assert open_workbook(filled).inspection.deferred_sheets == {}  # the default: every sheet checked up front


@pytest.mark.parametrize("sheet", [L.SHEET_UNIT, L.SHEET_INITIATIVES, L.SHEET_META])
def test_far_cell_in_a_sheet_that_is_read_is_refused_as_before(filled, tmp_path, sheet, campaign, registry):
    path = _zip(tmp_path / "far.xlsx", _with_far_cell(_parts(filled), sheet))
    eager = inspect_file(path)
    assert eager.issue is not None and eager.issue.code == "file-sheet-too-large"
    sub = read_submission(path)
    assert sub.fatal and [i.as_json() for i in sub.issues] == [eager.issue.as_json()]
    report = validate_file(path, campaign, registry)
    assert [(i.code, i.sheet, i.cell) for i in report.issues] == [("file-sheet-too-large", sheet, "XFD1048576")]


@pytest.mark.parametrize("sheet", ["Cờ kiểm tra", "Hướng dẫn", "Danh mục"])
def test_far_cell_in_a_sheet_nobody_reads_no_longer_refuses_the_file(filled, tmp_path, sheet, campaign, registry):
    """The policy of issue 17: the cap protects the parser's grid; a sheet never parsed allocates none."""
    path = _zip(tmp_path / "far.xlsx", _with_far_cell(_parts(filled), sheet))
    assert inspect_file(path).issue.code == "file-sheet-too-large"  # the eager check still sees it
    before = validate_file(filled, campaign, registry)
    after = validate_file(path, campaign, registry)
    assert after.valid and after.flat() == before.flat()
    wb = open_workbook(path, sheets_on_demand=True)
    with pytest.raises(WorkbookRefused) as refused:  # asking for that sheet still measures it first
        wb.grid(sheet)
    assert (refused.value.issue.code, refused.value.issue.sheet) == ("file-sheet-too-large", sheet)


def _doubt(parts: dict[str, bytes], how: str) -> dict[str, bytes]:
    """The same workbook with one thing about its sheets' parts left open to two readings."""
    out = dict(parts)
    wbx, rels = out["xl/workbook.xml"], out["xl/_rels/workbook.xml.rels"]
    if how == "duplicate-id":
        out["xl/_rels/workbook.xml.rels"] = rels.replace(b"</Relationships>", b'<Relationship Id="rId1" Type="x" '
                                                         b'Target="worksheets/sheet6.xml"/></Relationships>')
    elif how == "prefixed-sheet":
        out["xl/workbook.xml"] = wbx.replace(b"<sheet ", b'<x:sheet xmlns:x="urn:x" ', 1)
    elif how == "other-id-attribute":
        out["xl/workbook.xml"] = wbx.replace(b' r:id="', b' relationships:id="', 1)
    elif how == "extra-attribute":
        out["xl/workbook.xml"] = wbx.replace(b"<sheet ", b'<sheet foo="1" ', 1)
    elif how == "xl-prefixed-target":
        out["xl/_rels/workbook.xml.rels"] = rels.replace(b'Target="worksheets/', b'Target="xl/worksheets/', 1)
    elif how == "member-case":
        name = next(n for n in out if n.endswith("sheet1.xml") and "worksheets/" in n)
        out[name.replace("sheet1", "Sheet1")] = out.pop(name)
    elif how == "entity-in-name":
        out["xl/workbook.xml"] = wbx.replace(b'name="', b'name="&#65;', 1)
    elif how == "two-names-one-part":
        out["xl/_rels/workbook.xml.rels"] = rels.replace(b'Target="worksheets/sheet2.xml"', b'Target="worksheets/sheet6.xml"')
    elif how == "dot-segment":
        out["xl/_rels/workbook.xml.rels"] = rels.replace(b'Target="worksheets/', b'Target="./worksheets/', 1)
    else:
        raise AssertionError(how)
    assert out != parts, how
    return out


@pytest.mark.parametrize("how", ["duplicate-id", "prefixed-sheet", "other-id-attribute", "extra-attribute",
                                 "xl-prefixed-target", "member-case", "entity-in-name", "two-names-one-part",
                                 "dot-segment"])
def test_any_doubt_about_the_parts_means_every_sheet_is_checked_up_front(filled, tmp_path, how):
    doubtful = _doubt(_parts(filled), how)
    with zipfile.ZipFile(io.BytesIO(zipped(doubtful))) as zf:
        assert sheets_by_name(zf, {i.filename.casefold(): i for i in zf.infolist()}, Limits()) is None
    far = _with_far_cell(_parts(filled), "Cờ kiểm tra")
    path = _zip(tmp_path / f"{how}.xlsx", _doubt(far, how))
    with pytest.raises(WorkbookRefused) as refused:
        open_workbook(path, sheets_on_demand=True)
    assert refused.value.issue.code == "file-sheet-too-large", how


def test_every_sheet_read_on_demand_is_measured_first(filled, tmp_path):
    """Far cells in random sheets: reading any sheet through an on-demand workbook is refused exactly when
    that sheet has one, and never reaches the parser otherwise refused (the process would abort)."""
    parts = _parts(filled)
    names = open_workbook(filled).sheet_names
    rng = random.Random(2021)
    for n in range(12):
        far_in = set(rng.sample(names, rng.randint(0, 3)))
        mutated = parts
        for sheet in far_in:
            mutated = _with_far_cell(mutated, sheet)
        path = _zip(tmp_path / f"r{n}.xlsx", mutated)
        wb = open_workbook(path, sheets_on_demand=True)
        for sheet in rng.sample(names, len(names)):
            if sheet in far_in:
                with pytest.raises(WorkbookRefused):
                    wb.grid(sheet)
            else:
                wb.grid(sheet)
