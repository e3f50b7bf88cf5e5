"""Item 9: a province's plan (its registry's «Thông tin») layered over the national program: names, place,
e-mail, deadlines, quotas and targets of the province; a plan that contradicts the program is an error
before anything is written."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from typer.testing import CliRunner

from addin.cdcs.template.files import build_template
from addin.cli import app
from addin.registry import parse_registry
from validators.campaign import load_campaign
from validators.plan import PlanError, ProvincePlan, apply_plan


def _sheets(info: list[list]) -> dict[str, list[list]]:
    return {
        "Thông tin": info,
        "Cấp trên": [["Mã", "Tên"], ["BL", "Liên đoàn Lao động thành phố Bảo Lộc"]],
        "CĐCS": [["Mã", "Tên", "Mã cấp trên", "Khối"], ["BL001", "Công đoàn cơ sở Trường Tiểu học A", "BL",
                                                        "Hành chính sự nghiệp"]],
    }


def test_another_province_is_named_by_its_own_plan(tmp_path):
    campaign = load_campaign()
    reg = parse_registry(_sheets([["Tỉnh", "Lâm Đồng"], ["Mã tỉnh", "LDO"], ["Email nhận hồ sơ", "ld@example.vn"],
                                  ["Hạn gửi hồ sơ về tỉnh", "08/04/2021"], ["Chỉ tiêu: initiatives", 300],
                                  ["Số sáng kiến mỗi đơn vị cấp trên đề nghị tối đa", 3]]))
    camp = apply_plan(campaign, reg.province_plan)
    assert camp.issuer == "Liên đoàn Lao động tỉnh Lâm Đồng" and camp.place == "Lâm Đồng"
    assert camp.dossier_email == "ld@example.vn"
    assert camp.deadlines.district_dossier_before == dt.date(2021, 4, 8)
    assert camp.target("initiatives").target == 300 and camp.rules.district_nomination_max == 3
    assert camp.fields == campaign.fields and camp.deadlines.entry_close == campaign.deadlines.entry_close
    unit = reg.cdcs[0]
    path = build_template(camp, unit, reg.districts[0], tmp_path / "BL001.xlsx")
    with zipfile.ZipFile(path) as z:
        text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    assert "Lâm Đồng" in text and "Đắk Nông" not in text


def test_the_home_province_keeps_the_campaign_as_it_is():
    campaign = load_campaign()
    assert apply_plan(campaign, ProvincePlan(province="Đắk Nông")) == campaign
    assert apply_plan(campaign, ProvincePlan()) == campaign
    other = apply_plan(campaign, ProvincePlan(province="Lâm Đồng"))
    assert other.dossier_email == ""  # never Đắk Nông's e-mail for another province


def test_a_plan_that_contradicts_the_program_is_an_error_before_anything_is_written(tmp_path):
    campaign = load_campaign()
    with pytest.raises(PlanError, match="ngoài thời gian"):
        apply_plan(campaign, ProvincePlan(province="Lâm Đồng", district_dossier_before=dt.date(2021, 6, 1)))
    with pytest.raises(PlanError, match="khong-co"):
        apply_plan(campaign, ProvincePlan(province="Lâm Đồng", targets={"khong-co": 1}))
    import openpyxl

    wb = openpyxl.Workbook()
    for n, (name, rows) in enumerate(_sheets([["Tỉnh", "Lâm Đồng"], ["Hạn gửi hồ sơ về tỉnh", "01/06/2021"]]).items()):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = name
        for r in rows:
            ws.append(r)
    reg = tmp_path / "ds.xlsx"
    wb.save(reg)
    out = tmp_path / "mau"
    res = CliRunner().invoke(app, ["templates", "--registry", str(reg), "--out", str(out)])
    assert res.exit_code == 2 and "không khớp" in res.output
    assert not out.exists()


def test_excel_writes_no_absolute_build_path(tmp_path):
    """Item 11: ``sangkien excel --campaign c.toml`` writes the campaign's path relative to the workbooks."""
    import shutil
    from pathlib import Path

    src = Path(__file__).parent / "data" / "campaign-other.toml"
    camp = tmp_path / "cau-hinh" / "dot.toml"
    camp.parent.mkdir()
    shutil.copy(src, camp)
    out = tmp_path / "bang-tinh"
    res = CliRunner().invoke(app, ["excel", "--campaign", str(camp), "--out", str(out)])
    assert res.exit_code == 0, res.output
    for book in out.glob("*.xlsm"):
        with zipfile.ZipFile(book) as z:
            text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        assert str(tmp_path) not in text and "../../cau-hinh/dot.toml" in text


def test_a_separate_plan_file_toml_or_xlsx_on_province_and_national(tmp_path):
    """Item 9: the province's plan in its own file (``--plan``, .toml or .xlsx with the «Thông tin» labels)
    over the registry's; TLĐ's national targets the same way; a bad file is a Vietnamese error, exit 2,
    before anything is written."""
    import json

    import openpyxl

    from addin.province.plan_file import national_campaign, province_campaign, read_plan_file
    from addin.registry import load_registry

    campaign, reg = load_campaign(), load_registry()
    toml = tmp_path / "ke-hoach.toml"
    toml.write_text(f'"Tỉnh" = "{reg.province}"\n"Hạn gửi hồ sơ về tỉnh" = 2021-04-08\n'
                    '"Số sáng kiến mỗi đơn vị cấp trên đề nghị tối đa" = 3\n"Chỉ tiêu: initiatives" = 900\n',
                    encoding="utf-8")
    wb = openpyxl.Workbook()
    wb.active.title = "Thông tin"
    for row in (["Hạn gửi hồ sơ về tỉnh", "08/04/2021"], ["Số sáng kiến mỗi đơn vị cấp trên đề nghị tối đa", 3],
                ["Chỉ tiêu: initiatives", 900], ["Ghi chú", "bản kế hoạch tháng 3"]):
        wb.active.append(row)
    xlsx = tmp_path / "ke-hoach.xlsx"
    wb.save(xlsx)
    for path in (toml, xlsx):
        camp = province_campaign(campaign, reg, path)
        assert camp.deadlines.district_dossier_before == dt.date(2021, 4, 8), path
        assert camp.rules.district_nomination_max == 3 and camp.target("initiatives").target == 900
        assert camp.target("propagated_pct").target == campaign.target("propagated_pct").target
    assert province_campaign(campaign, reg, None) == apply_plan(campaign, reg.province_plan)  # the default

    empty = tmp_path / "ho-so"
    empty.mkdir()
    res = CliRunner().invoke(app, ["province", str(empty), "--plan", str(toml), "--json", "--out", str(tmp_path / "t.xlsx")])
    assert res.exit_code == 2 and "Traceback" not in res.output  # no district sent anything
    data = json.loads(res.stdout)
    assert next(i for i in data["indicators"] if i["key"] == "initiatives")["target"] == 900

    def error(text: str, name: str = "sai.toml") -> str:
        bad = tmp_path / name
        bad.write_text(text, encoding="utf-8")
        out = tmp_path / f"{name}.xlsx"
        res = CliRunner().invoke(app, ["province", str(empty), "--plan", str(bad), "--out", str(out)])
        assert res.exit_code == 2 and "Traceback" not in res.output and not out.exists(), res.output
        return " ".join(res.output.split())

    assert "mục «Hạn gửi hồ sơ về tinh» không có trong kế hoạch" in error('"Hạn gửi hồ sơ về tinh" = 2021-04-08\n')
    assert "'Hạn gửi hồ sơ về tỉnh'" in error('"Hạn gửi hồ sơ về tỉnh" = "8 tháng 4"\n')
    assert "ngoài thời gian của chương trình" in error('"Hạn gửi hồ sơ về tỉnh" = 2021-07-01\n')
    assert "là của tỉnh Lâm Đồng" in error('"Tỉnh" = "Lâm Đồng"\n')
    assert "Không đọc được tệp kế hoạch" in error('"Tỉnh" = \n')
    assert "phải là tệp .toml hoặc bảng tính .xlsx" in error("Tỉnh: Đắk Nông\n", "ke-hoach.yaml")
    assert "Không tìm thấy tệp kế hoạch" in " ".join(CliRunner().invoke(
        app, ["province", str(empty), "--plan", str(tmp_path / "khong-co.toml")]).output.split())

    national = tmp_path / "toan-quoc.toml"
    national.write_text('"Chỉ tiêu: propagated_pct" = 90\n', encoding="utf-8")
    assert national_campaign(campaign, national).target("propagated_pct").target == 90
    assert national_campaign(campaign, None) == campaign
    with pytest.raises(PlanError, match="«Hạn gửi hồ sơ về tỉnh» không có trong kế hoạch"):
        national_campaign(campaign, toml)
    national.write_text('"Chỉ tiêu: khong-co" = 1\n', encoding="utf-8")
    with pytest.raises(PlanError, match="khong-co"):
        national_campaign(campaign, national)
    assert read_plan_file(xlsx).province == ""  # no «Tỉnh» line: the registry's province is used
