"""Validation of real workbooks: generated templates filled with openpyxl as a user would, read back by the
reader, judged by the rules; golden flattened reports; the CLI's JSON equals the library's report; bad files
get one clear message each and never stop the batch; annotated copies leave the original untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from addin.cdcs.annotate import ISSUES_SHEET, annotate_copy
from addin.cli import app
from addin.sample.fill import fill_workbook, valid_initiative, valid_unit_answers
from addin.sample.mistakes import MISTAKES, apply_mistake
from addin.cdcs.validate import validate_file, validate_paths
from validators.campaign import load_campaign
from validators.layout import SHEET_INITIATIVES as SK, SHEET_UNIT as DV

runner = CliRunner()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def answers(campaign, sample_unit):
    unit, _ = sample_unit
    rng = random.Random(7)
    return valid_unit_answers(campaign, unit, rng), [valid_initiative(campaign, unit, rng) for _ in range(3)]


def fill(tmp_path, template, unit, rows, name="filled.xlsx") -> Path:
    return fill_workbook(template, tmp_path / name, unit, rows)


def test_valid_filled_workbook(tmp_path, campaign, registry, unit_template, answers):
    path = fill(tmp_path, unit_template, *answers)
    report = validate_file(path, campaign, registry)
    assert [i for i in report.issues if i.severity.value == "error"] == []
    assert report.valid and report.stats.rows_read == 3 and report.stats.rows_valid == 3
    assert report.unit.unit_code == registry.cdcs[0].code
    assert report.unit.initiatives[0].row == 4


def test_golden_report_for_known_mistakes(tmp_path, campaign, registry, unit_template, answers):
    unit, rows = answers
    unit.update({"DA_TUYEN_TRUYEN": None, "SO_DOAN_VIEN": "bốn mươi"})
    rows[0].update({"Tóm tắt nội dung": "x" * 1001, "Lĩnh vực": "Khác"})
    rows[1].update({"Ngày bắt đầu áp dụng": dt.date(2021, 7, 1), "Tác giả": None})
    rows[2].update({"Đề xuất cấp trên": "Có", "Khiếu nại, tranh chấp": "Có", "Giá trị làm lợi (đồng)": "1.500.000 đ"})
    report = validate_file(fill(tmp_path, unit_template, unit, rows), campaign, registry)
    assert report.flat() == [
        (DV, "C9", "number-invalid"),
        (DV, "C13", "required-missing"),
        (SK, "I4", "value-not-allowed"),
        (SK, "K4", "description-too-long"),
        (SK, "C5", "required-missing"),
        (SK, "L5", "application-date-outside-window"),
        (SK, "M6", "normalized-number"),
        (SK, "P6", "nomination-with-dispute"),
    ]
    assert not report.valid and report.stats.rows_with_errors == 3


@pytest.mark.parametrize("key, expected_code", [(k, c) for k, c, _ in MISTAKES])
def test_each_typical_mistake_is_caught(tmp_path, campaign, registry, unit_template, answers, key, expected_code):
    unit, rows = answers
    apply_mistake(key, unit, rows, random.Random(1))
    report = validate_file(fill(tmp_path, unit_template, unit, rows), campaign, registry)
    assert expected_code in [i.code for i in report.issues]


def test_rows_beyond_prepared_table_and_reordered_columns(tmp_path, campaign, registry, unit_template, answers):
    unit, _ = answers
    rng = random.Random(3)
    rows = [valid_initiative(campaign, registry.cdcs[0], rng) for _ in range(120)]
    path = fill(tmp_path, unit_template, unit, rows)
    # Move the "Ghi chú" and "STT" columns around and turn the table into a plain range, as users do.
    wb = load_workbook(path)
    ws = wb[SK]
    for t in list(ws.tables):
        del ws.tables[t]
    ws.move_range("A3:A200", cols=20)
    wb.save(path)
    report = validate_file(path, campaign, registry)
    assert report.stats.rows_read == 120
    assert [i.code for i in report.issues if i.severity.value == "error"] == []
    assert "table-missing" in [i.code for i in report.issues]


def test_another_campaign_and_another_unit(tmp_path, campaign, registry, unit_template, answers):
    path = fill(tmp_path, unit_template, *answers)
    other = load_campaign(Path(__file__).parent / "data" / "campaign-other.toml")
    assert "campaign-mismatch" in [i.code for i in validate_file(path, other, registry).issues]
    wb = load_workbook(path)
    wb[DV]["C4"].value = registry.cdcs[1].code  # someone typed over the locked unit code
    wb.save(tmp_path / "moved.xlsx")
    codes = [i.code for i in validate_file(tmp_path / "moved.xlsx", campaign, registry).issues]
    report = validate_file(tmp_path / "moved.xlsx", campaign, registry)
    assert "unit-mismatch" in codes and report.unit_code == registry.cdcs[0].code  # the stamp decides
    msg = next(i.message for i in report.issues if i.code == "unit-mismatch")
    assert f"ô ghi {registry.cdcs[1].code}, biểu mẫu của đơn vị {registry.cdcs[0].code}" in msg


@pytest.fixture
def bad_files(tmp_path) -> dict[str, Path]:
    files = {}
    (tmp_path / "empty.xlsx").write_bytes(b"")
    files["file-empty"] = tmp_path / "empty.xlsx"
    (tmp_path / "text.xlsx").write_text("Tên,Tác giả\nA,B\n", encoding="utf-8")
    files["file-unsupported"] = tmp_path / "text.xlsx"
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    files["file-corrupt"] = tmp_path / "broken.xlsx"
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    files["file-wrong-type"] = other
    return files


def test_bad_inputs_each_get_one_clear_message(bad_files, campaign, registry):
    for expected, path in bad_files.items():
        report = validate_file(path, campaign, registry)
        assert not report.readable and not report.valid
        assert len(report.issues) == 1, report.issues
        issue = report.issues[0]
        assert issue.path == str(path)
        assert issue.code == expected
        assert any(ch in issue.message for ch in "ăâêôơưđ")


def test_a_workbook_of_another_template(tmp_path, campaign, registry):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.active["A1"] = "Danh sách"
    wb.save(tmp_path / "x.xlsx")
    report = validate_file(tmp_path / "x.xlsx", campaign, registry)
    assert report.flat() == [(DV, None, "sheet-missing"), (SK, None, "sheet-missing")]


def test_cli_json_equals_library_report_and_batch_goes_on(tmp_path, campaign, registry, unit_template, answers,
                                                          bad_files):
    good = fill(tmp_path, unit_template, *answers, name="good.xlsx")
    paths = [good, *bad_files.values()]
    before = {p: sha(p) for p in paths}
    result = runner.invoke(app, ["validate", "--json", *map(str, paths)])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    library = validate_paths(paths, campaign, registry).as_json()
    assert data == json.loads(json.dumps(library, ensure_ascii=False, default=str))
    assert [f["valid"] for f in data["files"]] == [True, False, False, False, False]
    for issue in data["files"][1]["issues"]:
        assert set(issue) >= {"code", "severity", "sheet", "cell", "field", "value", "message"}
    assert {p: sha(p) for p in paths} == before, "input files must never change"


def test_cli_exit_codes(tmp_path, unit_template, answers, bad_files):
    good = fill(tmp_path, unit_template, *answers, name="good.xlsx")
    assert runner.invoke(app, ["validate", str(good)]).exit_code == 0
    only_bad = runner.invoke(app, ["validate", *map(str, bad_files.values())])
    assert only_bad.exit_code == 2
    assert runner.invoke(app, ["validate", str(tmp_path / "none.xlsx")]).exit_code == 2
    assert "Không tìm thấy" in runner.invoke(app, ["validate", str(tmp_path / "none.xlsx")]).output


def test_annotated_copy(tmp_path, campaign, registry, unit_template, answers):
    unit, rows = answers
    rows[0]["Lĩnh vực"] = "Khác"
    rows[1]["Tác giả"] = "=HYPERLINK(\"http://x\",\"bấm\")"
    path = fill(tmp_path, unit_template, unit, rows)
    before = sha(path)
    report = validate_file(path, campaign, registry)
    copy = annotate_copy(path, report, tmp_path / "out")
    assert sha(path) == before and copy != path
    wb = load_workbook(copy)
    assert wb.sheetnames[0] == ISSUES_SHEET
    cell = wb[SK]["I4"]
    assert "Lĩnh vực" in cell.comment.text and cell.fill.fgColor.rgb.endswith("FFC7CE")
    result = runner.invoke(app, ["validate", str(path), "--annotate", str(tmp_path / "cli")])
    assert result.exit_code == 1 and list((tmp_path / "cli").glob("*.xlsx"))
