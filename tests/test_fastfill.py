"""The XML-level filler gives the same workbook contents, for the validator, as the openpyxl filler."""

from __future__ import annotations

import datetime as dt
import random
import zipfile

import openpyxl
import pytest

from addin.cdcs.reader import read_submission
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import FillError, fill_workbook, sample_initiatives, valid_unit_answers
from addin.sample.mistakes import MISTAKES, apply_mistake
from addin.cdcs.template.layout import CHECK_COUNT_COL, CHECK_ROWS
from addin.cdcs.validate import validate_file
from validators import layout as L

LAB = {f.key: f.label for f in L.INITIATIVE_FIELDS}
COL = {f.label: i + 1 for i, f in enumerate(L.INITIATIVE_FIELDS)}


def _answers(campaign, unit, seed: int, n: int = 4):
    rng = random.Random(seed)
    return valid_unit_answers(campaign, unit, rng), sample_initiatives(campaign, unit, rng, n)


def _both(tmp_path, template, unit, rows, tag: str = "x"):
    slow = fill_workbook(template, tmp_path / f"{tag}-openpyxl.xlsx", unit, rows)
    fast = fast_fill_workbook(template, tmp_path / f"{tag}-fast.xlsx", unit, rows)
    return slow, fast


def _same_report(slow, fast, campaign, registry):
    a, b = validate_file(slow, campaign, registry), validate_file(fast, campaign, registry)
    assert b.flat() == a.flat()
    assert b.unit == a.unit
    assert [i.message for i in b.issues] == [i.message for i in a.issues]
    return b


def _values(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: (c.value.date() if isinstance(c.value, dt.datetime) and c.is_date
                           and c.value.time() == dt.time() else c.value, c.number_format)
            for row in ws.iter_rows() for c in row if c.value is not None}


def test_valid_data_same_report_and_cells(tmp_path, unit_template, campaign, registry, sample_unit):
    unit, rows = _answers(campaign, sample_unit[0], 1, 5)
    slow, fast = _both(tmp_path, unit_template, unit, rows)
    report = _same_report(slow, fast, campaign, registry)
    assert report.valid and not report.flat()
    for sheet in (L.SHEET_UNIT, L.SHEET_INITIATIVES, L.SHEET_META):
        assert _values(fast, sheet) == _values(slow, sheet), sheet
    wb = openpyxl.load_workbook(fast)
    assert wb[L.SHEET_INITIATIVES].tables[L.TABLE_NAME].ref == "A3:R103"
    with zipfile.ZipFile(fast) as zf:
        assert zf.testzip() is None
        assert [i.filename for i in zf.infolist()] == [i.filename for i in zipfile.ZipFile(unit_template).infolist()]
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zf.infolist())
        assert b'fullCalcOnLoad="1"' in zf.read("xl/workbook.xml")
        check = zf.read("xl/worksheets/sheet4.xml")
        assert b"</f><v>" not in check  # stale cached counts dropped


def test_deterministic(tmp_path, unit_template, campaign, sample_unit):
    unit, rows = _answers(campaign, sample_unit[0], 2)
    a = fast_fill_workbook(unit_template, tmp_path / "a.xlsx", unit, rows).read_bytes()
    b = fast_fill_workbook(unit_template, tmp_path / "b.xlsx", unit, rows).read_bytes()
    assert a == b


@pytest.mark.parametrize("key", [k for k, _code, _fn in MISTAKES])
def test_every_mistake_same_report(tmp_path, unit_template, campaign, registry, sample_unit, key):
    unit, rows = _answers(campaign, sample_unit[0], 7)
    code = apply_mistake(key, unit, rows, random.Random(7))
    slow, fast = _both(tmp_path, unit_template, unit, rows, key)
    report = _same_report(slow, fast, campaign, registry)
    assert code in {i.code for i in report.issues}


def test_rows_beyond_the_prepared_ones(tmp_path, unit_template, blank_template, campaign, registry, sample_unit):
    n = 150
    unit, rows = _answers(campaign, sample_unit[0], 3, n)
    slow, fast = _both(tmp_path, unit_template, unit, rows)
    _same_report(slow, fast, campaign, registry)
    ws = openpyxl.load_workbook(fast)[L.SHEET_INITIATIVES]
    table = ws.tables[L.TABLE_NAME]
    last = L.TABLE_HEADER_ROW + n
    assert table.ref == f"A{L.TABLE_HEADER_ROW}:R{last}" and table.autoFilter.ref == table.ref
    assert ws.max_row == last
    assert ws.cell(last, COL[LAB["applied_on"]]).number_format == "dd/mm/yyyy"
    assert ws.cell(last, COL[LAB["benefit"]]).number_format == "#,##0"
    assert ws.cell(last, COL[LAB["title"]]).value == rows[-1][LAB["title"]]
    assert _values(fast, L.SHEET_INITIATIVES) == _values(slow, L.SHEET_INITIATIVES)
    # Blank template, empty unit dict, rows past the prepared ones: same as openpyxl too.
    slow, fast = _both(tmp_path, blank_template, {}, rows[:107], "blank")
    _same_report(slow, fast, campaign, registry)


def test_special_characters(tmp_path, unit_template, campaign, registry, sample_unit):
    unit, rows = _answers(campaign, sample_unit[0], 4, 3)
    tricky = "Cải tiến <máy> & \"bơm\" 'nước' – Đắk Nông ≥ 5% ngày 1/2; a]]>b"
    rows[0][LAB["title"]] = tricky
    rows[1][LAB["author"]] = "  Nguyễn Thị Ánh  "
    rows[2][LAB["note"]] = "a\x01b\x0bc"  # control characters: removed
    unit["PHONG_TRAO_DAC_THU"] = "Thi đua & <sáng tạo>"
    clean = [dict(r) for r in rows]
    clean[2][LAB["note"]] = "abc"  # openpyxl refuses control characters: compare with what is written
    slow = fill_workbook(unit_template, tmp_path / "slow.xlsx", unit, clean)
    fast = fast_fill_workbook(unit_template, tmp_path / "fast.xlsx", unit, rows)
    _same_report(slow, fast, campaign, registry)
    ws = openpyxl.load_workbook(fast)[L.SHEET_INITIATIVES]
    assert ws.cell(5, COL[LAB["author"]]).value == "  Nguyễn Thị Ánh  "
    assert ws.cell(6, COL[LAB["note"]]).value == "abc"
    assert read_submission(fast).rows[0].cells["title"].value == tricky
    assert ws.cell(4, COL[LAB["title"]]).value == tricky


def test_literal_excel_escape_is_kept(tmp_path, unit_template, campaign, sample_unit):
    # "_x0041_" typed in Excel stays "_x0041_" (stored as "_x005F_x0041_"); openpyxl's filler stores it raw,
    # so readers decode it to "A" there. The fast filler keeps what the user typed.
    unit, rows = _answers(campaign, sample_unit[0], 4, 1)
    rows[0][LAB["title"]] = "Mã _x0041_ và _X00e9_"
    fast = fast_fill_workbook(unit_template, tmp_path / "fast.xlsx", unit, rows)
    assert read_submission(fast).rows[0].cells["title"].value == "Mã _x0041_ và _X00e9_"


def test_leading_equals_stays_text(tmp_path, unit_template, campaign, registry, sample_unit):
    unit, rows = _answers(campaign, sample_unit[0], 5, 2)
    formula = '=HYPERLINK("http://evil.example/?q=1&x=2","Bấm vào đây")'
    rows[1][LAB["author"]] = formula
    unit["NGUOI_LAP"] = "=1+1"
    fast = fast_fill_workbook(unit_template, tmp_path / "eq.xlsx", unit, rows)
    with zipfile.ZipFile(fast) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet3.xml")
    raw = read_submission(fast)
    assert raw.rows[1].cells["author"].value == formula
    assert raw.unit["NGUOI_LAP"].value == "=1+1"
    ws = openpyxl.load_workbook(fast)[L.SHEET_INITIATIVES]
    assert ws.cell(5, COL[LAB["author"]]).value == formula
    validate_file(fast, campaign, registry)  # reads without error


def test_wrong_types_like_a_user(tmp_path, unit_template, campaign, registry, sample_unit):
    from decimal import Decimal

    unit, rows = _answers(campaign, sample_unit[0], 6, 3)
    unit["SO_DOAN_VIEN"] = "bốn mươi"
    unit["NGAY_GUI"] = "15/10/2022"
    unit["EMAIL"] = None
    unit["NGAY_KY_KE_HOACH"] = 44500  # a number typed into a date cell
    rows[0][LAB["birth_year"]] = "1980a"
    rows[0][LAB["benefit"]] = Decimal("1500000.5")
    rows[1][LAB["benefit"]] = 2.5e6
    rows[1][LAB["stt"]] = True
    rows[2][LAB["applied_on"]] = dt.datetime(2022, 5, 1, 8, 30)
    rows[2][LAB["phone"]] = 912345678  # a phone typed as a number
    rows[2][LAB["note"]] = dt.date(2022, 3, 4)  # a date into a text-formatted cell: gets a date format
    slow, fast = _both(tmp_path, unit_template, unit, rows)
    _same_report(slow, fast, campaign, registry)
    a, b = _values(slow, L.SHEET_INITIATIVES), _values(fast, L.SHEET_INITIATIVES)
    assert {k: v[0] for k, v in b.items()} == {k: v[0] for k, v in a.items()}
    assert openpyxl.load_workbook(fast)[L.SHEET_INITIATIVES]["R6"].is_date


def test_unknown_names_and_columns(tmp_path, unit_template):
    with pytest.raises(FillError):
        fast_fill_workbook(unit_template, tmp_path / "a.xlsx", {"KHONG_CO": 1}, [])
    with pytest.raises(FillError):
        fast_fill_workbook(unit_template, tmp_path / "b.xlsx", {"DM_CO_KHONG": 1}, [])
    with pytest.raises(FillError):
        fast_fill_workbook(unit_template, tmp_path / "c.xlsx", {}, [{"Cột lạ": 1}])
    with pytest.raises(FillError):
        fast_fill_workbook(unit_template, tmp_path / "d.xlsx", {}, [{LAB["title"]: object()}])
    assert not list(tmp_path.iterdir())


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_checks(tmp_path, unit_template, campaign, sample_unit):
    from addin.io.libreoffice import convert

    unit, rows = _answers(campaign, sample_unit[0], 8, 4)
    apply_mistake("long-description", unit, rows, random.Random(0))
    apply_mistake("nominated-with-dispute", unit, rows, random.Random(0))
    fast = fast_fill_workbook(unit_template, tmp_path / "in" / "mistakes.xlsx", unit, rows)
    out = convert(fast, "xlsx", tmp_path / "out")
    ws = openpyxl.load_workbook(out, data_only=True)[L.SHEET_CHECK]

    def count(key):
        return ws.cell(CHECK_ROWS[key], CHECK_COUNT_COL).value

    assert count("initiatives") == 4
    assert count("col_description") == 1
    assert count("col_nominated") == 1
    assert count("total") == 2
    assert count("col_title") == 0 and count("unit") == 0
