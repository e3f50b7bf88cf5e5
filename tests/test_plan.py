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
