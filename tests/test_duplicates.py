"""The same initiative entered twice in one file: ``validate`` and ``district`` report the same issue (one
warning, same code, at the title cell of the second copy), from the one rule in ``validators.rules``; copies
in different files of the district are still flagged on each copy."""

from __future__ import annotations

import random
import unicodedata

import pytest
from openpyxl import load_workbook

from addin.cdcs.template.files import build_template
from addin.cdcs.validate import validate_file
from addin.district.consolidate import consolidate_district
from addin.sample.fill import fill_workbook, valid_initiative, valid_unit_answers
from validators.layout import SHEET_INITIATIVES as SK, TABLE_HEADER_ROW as HR


@pytest.fixture
def twice(tmp_path, campaign, sample_unit, unit_template):
    """A valid file whose third row repeats the first, typed in capitals with extra spaces and no accents."""
    unit, _ = sample_unit
    rng = random.Random(5)
    rows = [valid_initiative(campaign, unit, rng, number=i + 1, nominated=False) for i in range(3)]
    title, author = rows[0]["Tên sáng kiến"], rows[0]["Tác giả"]
    plain = "".join(c for c in unicodedata.normalize("NFD", title) if not unicodedata.combining(c))
    rows[2].update({"Tên sáng kiến": "  " + plain.upper().replace("Đ", "D").replace("đ", "d") + " ", "Tác giả": author})
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return fill_workbook(unit_template, inbox / f"{unit.code}.xlsx", valid_unit_answers(campaign, unit, rng), rows)


def _dups(issues):
    return [(i.sheet, i.cell, i.code, i.severity.value) for i in issues if i.code == "duplicate-initiative"]


def test_validate_and_district_flag_the_second_copy_alike(twice, campaign, registry, sample_unit):
    unit, district = sample_unit
    report = validate_file(twice, campaign, registry)
    second = (SK, f"B{HR + 3}", "duplicate-initiative", "warning")
    assert _dups(report.issues) == [second]
    assert f"dòng {HR + 1}" in next(i for i in report.issues if i.code == "duplicate-initiative").message
    assert report.valid  # a warning: the district keeps both copies to check

    result = consolidate_district(twice.parent, district.code, campaign, registry)
    assert _dups(i for i in result.issues if i.path == twice.name) == [second]
    rows = [r for r in result.initiatives if r.file == twice.name]
    assert [bool(r.duplicate_of) for r in rows] == [True, False, True]


def test_copies_in_two_files_are_flagged_against_the_other_file(twice, campaign, registry, sample_unit, tmp_path):
    unit, district = sample_unit
    neighbour = next(c for c in registry.cdcs_of(district.code) if c.code != unit.code)
    template = build_template(campaign, neighbour, district, tmp_path / "neighbour-template.xlsx")
    rng = random.Random(6)
    first = read_rows(twice)[0]
    rows = [first, valid_initiative(campaign, neighbour, rng, number=2, nominated=False)]
    theirs = fill_workbook(template, twice.parent / f"{neighbour.code}.xlsx", valid_unit_answers(campaign, neighbour, rng),
                           rows)
    result = consolidate_district(twice.parent, district.code, campaign, registry)
    flagged = [i for i in result.issues if i.code == "duplicate-initiative"]
    mine = [i for i in flagged if i.path == twice.name]
    assert [i.cell for i in mine if i.cell] == [f"B{HR + 3}"]  # the in-file copy, as validate reports it
    across = [i for i in flagged if not i.cell]
    assert sorted(i.path for i in across) == sorted([twice.name, twice.name, theirs.name])
    assert all(theirs.name in i.message for i in across if i.path == twice.name)
    assert all(twice.name in i.message and neighbour.code not in i.message for i in across if i.path == theirs.name)


def read_rows(path):
    """The table rows of a filled workbook, as header label -> value."""
    wb = load_workbook(path)
    ws = wb[SK]
    labels = [c.value for c in ws[HR]]
    return [dict(zip(labels, (c.value for c in line))) for line in ws.iter_rows(min_row=HR + 1) if line[1].value]
