"""Filling a generated workbook like a user (openpyxl), and the invented valid answers."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

import openpyxl
import pytest

from addin.sample.fill import FillError, fill_workbook, sample_initiatives, valid_initiative, valid_unit_answers
from validators import layout as L

LAB = {f.key: f.label for f in L.INITIATIVE_FIELDS}


def _contract_snapshot(path) -> dict:
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_INITIATIVES]
    table = ws.tables[L.TABLE_NAME]
    return {
        "sheets": [(s.title, s.sheet_state) for s in wb],
        "names": {n: list(d.destinations) for n, d in wb.defined_names.items()},
        "table_columns": [c.name for c in table.tableColumns],
        "table_style": table.tableStyleInfo.name,
        "validations": {
            sheet: sorted((str(dv.sqref), dv.type, dv.formula1, dv.formula2, dv.prompt, dv.error)
                          for dv in wb[sheet].data_validations.dataValidation)
            for sheet in (L.SHEET_UNIT, L.SHEET_INITIATIVES)
        },
        "unit_protected": wb[L.SHEET_UNIT].protection.sheet,
        "check_formulas": [c.value for row in wb[L.SHEET_CHECK].iter_rows() for c in row],
        "conditional_formats": len(list(wb[L.SHEET_CHECK].conditional_formatting)),
        "stamp": [wb[L.SHEET_META][ref].value for ref in L.STAMP_CELLS.values()],
    }


def test_fill_round_trip_keeps_the_contract(tmp_path, unit_template, campaign, sample_unit):
    unit, _ = sample_unit
    rng = random.Random(3)
    answers = valid_unit_answers(campaign, unit, rng)
    rows = sample_initiatives(campaign, unit, rng, 3)
    out = fill_workbook(unit_template, tmp_path / "filled.xlsx", answers, rows)

    before, after = _contract_snapshot(unit_template), _contract_snapshot(out)
    assert after == before
    wb = openpyxl.load_workbook(out)
    ws = wb[L.SHEET_INITIATIVES]
    assert ws.tables[L.TABLE_NAME].ref == f"A{L.TABLE_HEADER_ROW}:R{L.TABLE_HEADER_ROW + L.TABLE_PREPARED_ROWS}"
    for name, value in answers.items():
        (sheet, ref), = wb.defined_names[name].destinations
        got = wb[sheet][ref.replace("$", "")].value
        assert (got.date() if isinstance(got, dt.datetime) else got) == value, name
    col = {f.label: i + 1 for i, f in enumerate(L.INITIATIVE_FIELDS)}
    for i, row in enumerate(rows):
        r = L.TABLE_HEADER_ROW + 1 + i
        for label, value in row.items():
            cell = ws.cell(r, col[label])
            got = cell.value.date() if isinstance(cell.value, dt.datetime) else cell.value
            assert got == value, (r, label)
        assert ws.cell(r, col[LAB["applied_on"]]).number_format == "dd/mm/yyyy"
        assert isinstance(ws.cell(r, col[LAB["phone"]]).value, str)
    assert wb[L.SHEET_UNIT]["C4"].value == unit.code


def test_rows_past_the_prepared_ones_extend_the_table(tmp_path, blank_template, campaign, registry):
    unit = registry.cdcs[10]
    n = L.TABLE_PREPARED_ROWS + 7
    rows = sample_initiatives(campaign, unit, random.Random(5), n)
    out = fill_workbook(blank_template, tmp_path / "many.xlsx", {}, rows)
    ws = openpyxl.load_workbook(out)[L.SHEET_INITIATIVES]
    table = ws.tables[L.TABLE_NAME]
    last = L.TABLE_HEADER_ROW + n
    assert table.ref == f"A{L.TABLE_HEADER_ROW}:R{last}"
    assert table.autoFilter.ref == table.ref
    date_col = [f.key for f in L.INITIATIVE_FIELDS].index("applied_on") + 1
    money_col = [f.key for f in L.INITIATIVE_FIELDS].index("benefit") + 1
    assert ws.cell(last, date_col).number_format == "dd/mm/yyyy"
    assert ws.cell(last, money_col).number_format == "#,##0"
    assert ws.cell(last, 2).value == rows[-1][LAB["title"]]


def test_wrong_values_are_written_as_given(tmp_path, blank_template):
    rows = [{LAB["title"]: "Sáng kiến thử", LAB["applied_on"]: "15/03/2021", LAB["birth_year"]: "một chín tám",
             LAB["benefit"]: -5, LAB["field"]: "Lĩnh vực khác"}]
    out = fill_workbook(blank_template, tmp_path / "wrong.xlsx", {"SO_DOAN_VIEN": "abc"}, rows)
    wb = openpyxl.load_workbook(out)
    ws = wb[L.SHEET_INITIATIVES]
    r = L.TABLE_HEADER_ROW + 1
    values = {f.label: ws.cell(r, i + 1).value for i, f in enumerate(L.INITIATIVE_FIELDS)}
    assert values[LAB["applied_on"]] == "15/03/2021"
    assert values[LAB["birth_year"]] == "một chín tám"
    assert values[LAB["benefit"]] == -5
    assert values[LAB["author"]] is None
    assert wb[L.SHEET_UNIT]["C9"].value == "abc"


def test_unknown_names_and_columns_are_refused(tmp_path, blank_template):
    with pytest.raises(FillError, match="KHONG_CO"):
        fill_workbook(blank_template, tmp_path / "x.xlsx", {"KHONG_CO": 1}, [])
    with pytest.raises(FillError, match="Cột lạ"):
        fill_workbook(blank_template, tmp_path / "x.xlsx", {}, [{"Cột lạ": 1}])
    assert not (tmp_path / "x.xlsx").exists()


def test_valid_unit_answers(campaign, registry):
    rng = random.Random(11)
    d, r = campaign.deadlines, campaign.rules
    unlocked = {f.name for f in L.UNIT_FIELDS if not f.locked}
    for unit in registry.cdcs[::25]:
        a = valid_unit_answers(campaign, unit, rng)
        assert set(a) == unlocked
        assert a["KHOI"] in campaign.blocs
        assert isinstance(a["SO_DOAN_VIEN"], int) and 1 <= a["SO_DOAN_VIEN"] <= r.max_members_per_unit
        assert all(a[n] in L.YES_NO for n in ("DA_TUYEN_TRUYEN", "DA_KY_KE_HOACH", "KH_CO_MUC_TIEU",
                                               "KH_CO_KHEN_THUONG"))
        assert d.campaign_start <= a["NGAY_KY_KE_HOACH"] <= r.application_end
        assert a["NGAY_KY_KE_HOACH"] <= a["NGAY_GUI"] <= d.cdcs_submission_default
        assert a["DIEN_THOAI"].isdigit() and a["DIEN_THOAI"].startswith("0")
        assert "@" in a["EMAIL"] and a["NGUOI_LAP"] and a["PHONG_TRAO_DAC_THU"]


def test_valid_initiatives(campaign, registry):
    rng = random.Random(12)
    r = campaign.rules
    y_min, y_max = campaign.author_birth_year_range
    required = {f.label for f in L.INITIATIVE_FIELDS if f.required}
    titles, fields = set(), set()
    for unit in registry.cdcs[::3]:
        row = valid_initiative(campaign, unit, rng)
        assert set(row) == set(L.INITIATIVE_LABELS)
        assert all(row[label] not in (None, "") for label in required)
        assert row[LAB["field"]] in campaign.fields
        assert row[LAB["bloc"]] in campaign.blocs
        assert row[LAB["gender"]] in campaign.genders
        assert 0 < len(row[LAB["title"]]) <= r.title_max_chars
        desc = row[LAB["description"]]
        assert 200 <= len(desc) <= min(900, r.description_max_chars)
        assert unicodedata.is_normalized("NFC", desc) and unicodedata.is_normalized("NFC", row[LAB["title"]])
        assert r.application_start <= row[LAB["applied_on"]] <= r.application_end
        assert y_min <= row[LAB["birth_year"]] <= y_max
        assert row[LAB["benefit"]] is None or (isinstance(row[LAB["benefit"]], int) and row[LAB["benefit"]] >= 0)
        assert row[LAB["disputed"]] == L.NO and row[LAB["nominated"]] == L.NO
        assert all(row[LAB[k]] in L.YES_NO for k in ("assessed", "entered_tld"))
        assert row[LAB["phone"]].isdigit()
        titles.add(row[LAB["title"]])
        fields.add(row[LAB["field"]])
    assert fields == set(campaign.fields)  # every field shows up in a province-sized sample
    assert len(titles) > 60


def test_sample_initiatives_are_numbered_and_respect_the_quota(campaign, registry):
    rows = sample_initiatives(campaign, registry.cdcs[0], random.Random(1), 4)
    assert [r[LAB["stt"]] for r in rows] == [1, 2, 3, 4]
    nominated = sum(r[LAB["nominated"]] == L.YES for r in rows)
    assert nominated == min(4, campaign.rules.default_cdcs_nomination_quota)


def test_same_seed_same_sample(campaign, registry):
    unit = registry.cdcs[42]
    assert sample_initiatives(campaign, unit, random.Random(9), 5) == sample_initiatives(
        campaign, unit, random.Random(9), 5)
    assert valid_unit_answers(campaign, unit, random.Random(9)) == valid_unit_answers(campaign, unit,
                                                                                       random.Random(9))
