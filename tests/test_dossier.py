"""Dossier export from a district workbook after staff marked their choices: refusals and the happy path
(Bảng tổng hợp, Tờ trình, package), and the package format round trip."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from addin.district.consolidate import consolidate_district
from addin.district.records import DistrictSettings
from addin.sheets.model import MARK_HEADER
from addin.district.workbook import S_NOMINATIONS
from addin.district.workbook import write_district_workbook
from addin.dossier.export import DossierError, export_dossier
from addin.dossier.package import Package, PackageError, read_package, write_package
from addin.registry import Cdcs, District, Registry
from addin.sample.fill import fill_workbook, valid_initiative, valid_unit_answers
from addin.cdcs.template.files import generate_templates
from validators.campaign import load_campaign

RUN = dt.datetime(2021, 4, 6, 9, 0, 0)
SIGNED = dt.date(2021, 4, 7)
D = "CJ"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    campaign = load_campaign()
    registry = Registry(
        province="Đắk Nông", province_code="DNO",
        districts=(District(code=D, name="Liên đoàn Lao động huyện Cư Jút"),),
        cdcs=tuple(Cdcs(code=f"{D}{n:03d}", name=f"Công đoàn cơ sở Trường học số {n}", parent=D,
                        bloc=campaign.blocs[1], members=30) for n in range(8)),
    )
    root = tmp_path_factory.mktemp("dossier")
    generate_templates(campaign, registry, root / "tpl", include_blank=False)
    tpl = {p.name.split(" - ")[0]: p for p in (root / "tpl").rglob("*.xlsx")}
    inbox = root / "inbox"
    inbox.mkdir()
    rng = random.Random(7)
    for n, c in enumerate(registry.cdcs):
        rows = [valid_initiative(campaign, c, rng, number=i + 1, nominated=(i == 0)) for i in range(2)]
        if n == 1:  # a disputed initiative that was not nominated (valid, consolidated, never eligible)
            rows[1]["Khiếu nại, tranh chấp"] = "Có"
        if n == 2:  # over its quota of 1
            rows[1]["Đề xuất cấp trên"] = "Có"
        if n == 3:
            rows[0]["Tên sáng kiến"] = "+1+1 " + rows[0]["Tên sáng kiến"]
        fill_workbook(tpl[c.code], inbox / tpl[c.code].name, valid_unit_answers(campaign, c, rng), rows)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir()}
    result = consolidate_district(inbox, D, campaign, registry, settings=DistrictSettings(), now=RUN)
    ledger = result.ledger
    assert ledger["rows_read"] == ledger["rows_consolidated"] + ledger["rows_rejected"]
    wb_path = write_district_workbook(result, root / "tong-hop.xlsx")
    return campaign, registry, result, wb_path, root, inbox, before


def mark(src: Path, dst: Path, ids: list[str], *, replace_id: tuple[int, str] | None = None) -> Path:
    shutil.copy2(src, dst)
    wb = openpyxl.load_workbook(dst)
    ws = wb[S_NOMINATIONS]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == MARK_HEADER)
    if replace_id is not None:
        ws.cell(header_row + 1 + replace_id[0], 2).value = replace_id[1]
    for r in range(header_row + 1, ws.max_row + 1):
        if ws.cell(r, 2).value in ids:
            ws.cell(r, 1).value = "x"
    wb.save(dst)
    return dst


def test_refuses_more_than_max(setup, tmp_path):
    campaign, registry, result, wb_path, *_ = setup
    ids = [r.id for r in result.nominations][:3]
    assert len(ids) == 3
    with pytest.raises(DossierError, match="vượt quá 2"):
        export_dossier(mark(wb_path, tmp_path / "m.xlsx", ids), tmp_path / "out", campaign, registry, signed_on=SIGNED)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_refuses_disputed_and_not_eligible(setup, tmp_path):
    campaign, registry, result, wb_path, *_ = setup
    disputed = next(r for r in result.initiatives if r.item.disputed)
    assert disputed.consolidated and not disputed.eligible
    path = mark(wb_path, tmp_path / "d.xlsx", [disputed.id], replace_id=(0, disputed.id))
    with pytest.raises(DossierError, match="khiếu nại"):
        export_dossier(path, tmp_path / "out", campaign, registry, signed_on=SIGNED)
    over = next(r for r in result.initiatives if r.over_quota)
    path = mark(wb_path, tmp_path / "q.xlsx", [over.id], replace_id=(0, over.id))
    with pytest.raises(DossierError, match="không đủ điều kiện"):
        export_dossier(path, tmp_path / "out", campaign, registry, signed_on=SIGNED)
    path = mark(wb_path, tmp_path / "u.xlsx", ["CJ000-deadbeef"], replace_id=(0, "CJ000-deadbeef"))
    with pytest.raises(DossierError, match="không có trong danh sách"):
        export_dossier(path, tmp_path / "out", campaign, registry, signed_on=SIGNED)


def test_refuses_other_campaign_and_non_workbook(setup, tmp_path):
    campaign, registry, result, wb_path, *_ = setup
    other = campaign.model_copy(update={"id": "khac"})
    with pytest.raises(DossierError, match="đợt thi đua"):
        export_dossier(wb_path, tmp_path / "o", other, registry, signed_on=SIGNED)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"junk")
    with pytest.raises(DossierError):
        export_dossier(junk, tmp_path / "o", campaign, registry, signed_on=SIGNED)


@pytest.fixture(scope="module")
def exported(setup, tmp_path_factory):
    campaign, registry, result, wb_path, root, inbox, before = setup
    chosen = [r.id for r in result.nominations if r.unit_code in (f"{D}003", f"{D}004")]
    out = tmp_path_factory.mktemp("export")
    marked = mark(wb_path, out / "marked.xlsx", chosen)
    data = marked.read_bytes()
    res = export_dossier(marked, out / "ho-so", campaign, registry, signed_on=SIGNED)
    assert marked.read_bytes() == data  # the district workbook is only read
    return res, chosen, result, campaign


def test_happy_path(exported, setup):
    res, chosen, result, campaign = exported
    inbox, before = setup[5], setup[6]
    assert [r["id"] for r in res.selected] == chosen
    assert all(p.is_file() for p in res.files)
    # (a) Bảng tổng hợp
    wb = openpyxl.load_workbook(res.summary_path)
    ws = wb.active
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "BẢNG TỔNG HỢP TÓM TẮT SÁNG KIẾN" in texts
    assert "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT" in texts
    header = [c.value for c in ws[8]]
    assert header == ["STT", "Tên sáng kiến", "Tác giả", "Đơn vị", "Lĩnh vực", "Tóm tắt", "Giá trị làm lợi (đồng)"]
    titles = [ws.cell(9 + i, 2).value for i in range(2)]
    assert titles[0].startswith("+1+1 ") and ws.cell(9, 2).data_type == "s"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert any("CHỦ TỊCH" == t for t in texts)
    # (b) Tờ trình
    doc = Document(str(res.to_trinh_path))
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "TỜ TRÌNH" in body
    for r in res.selected:
        assert r["title"].strip() in body
    # (c) package
    pkg = read_package(res.package_path, campaign_id=campaign.id)
    assert pkg.level == "district" and pkg.code == D
    assert pkg.stamp["summary_file"] == res.summary_path.name and pkg.stamp["to_trinh_file"] == res.to_trinh_path.name
    assert pkg.stamp["export_date"] == SIGNED.isoformat()
    assert [n["id"] for n in pkg.nominations] == chosen and [n["rank"] for n in pkg.nominations] == [1, 2]
    assert len(pkg.initiatives) == result.ledger["rows_consolidated"]
    assert pkg.ledger == result.ledger
    assert all(r["district_code"] == D and r["province_code"] == "DNO" and r["unit_code"] for r in pkg.initiatives)
    assert {u["unit_code"] for u in pkg.units} == {c.code for c in setup[1].cdcs}
    u0 = next(u for u in pkg.units if u["unit_code"] == f"{D}000")
    assert u0["status"] == "valid" and u0["propagated"] is True and isinstance(u0["plan_signed_on"], dt.date)
    first = pkg.initiatives[0]
    assert isinstance(first["applied_on"], dt.date) and isinstance(first["birth_year"], int)
    # inputs untouched
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir()} == before


def test_export_deterministic(exported, tmp_path):
    res, chosen, result, campaign = exported
    marked = res.summary_path.parent.parent / "marked.xlsx"
    from addin.registry import Registry  # noqa: F401

    again = export_dossier(marked, tmp_path, campaign, _registry_of(result), signed_on=SIGNED)
    assert again.summary_path.read_bytes() == res.summary_path.read_bytes()
    assert again.package_path.read_bytes() == res.package_path.read_bytes()


def _registry_of(result):
    return result.registry


def test_package_round_trip_and_refusals(tmp_path):
    pkg = Package(
        stamp={"campaign_id": "c1", "level": "province", "code": "DNO", "name": "LĐLĐ tỉnh Đắk Nông",
               "parent_code": "VN", "province_code": "DNO", "export_date": "2021-04-19",
               "summary_file": "a.xlsx", "to_trinh_file": "b.docx"},
        initiatives=[{"id": "A-1", "province_code": "DNO", "district_code": "GN", "unit_code": "GN001",
                      "title": "@cmd", "benefit": 1500000, "applied_on": dt.date(2021, 3, 1), "assessed": True,
                      "disputed": False, "birth_year": 1980}],
        units=[{"province_code": "DNO", "district_code": "GN", "unit_code": "GN001", "status": "valid", "late": False}],
        nominations=[],
        ledger={"rows_read": 3, "rows_consolidated": 1, "rows_rejected": 2, "rows_cut": 0},
    )
    path = write_package(pkg, tmp_path / "p.xlsx")
    back = read_package(path)
    assert back.level == "province" and back.stamp["parent_code"] == "VN"
    row = back.initiatives[0]
    assert row["title"] == "@cmd" and row["benefit"] == 1500000 and row["applied_on"] == dt.date(2021, 3, 1)
    assert row["assessed"] is True and row["disputed"] is False and row["birth_year"] == 1980
    assert back.units[0]["late"] is False and back.ledger == pkg.ledger
    with pytest.raises(PackageError, match="đợt thi đua"):
        read_package(path, campaign_id="other")
    # a truncated package (a row deleted) is detected by the stamp's counts
    wb = openpyxl.load_workbook(path)
    ws = wb["Sáng kiến"]
    ws.delete_rows(ws.max_row)
    wb.save(tmp_path / "cut.xlsx")
    with pytest.raises(PackageError, match="không đầy đủ"):
        read_package(tmp_path / "cut.xlsx")
    (tmp_path / "x.xlsx").write_bytes(b"no")
    with pytest.raises(PackageError):
        read_package(tmp_path / "x.xlsx")


def test_package_sheets_read_in_vietnamese_and_old_packages_still_read(tmp_path):
    """A person reads the package: unit statuses as the district workbook's words, the stamp's lines by their
    Vietnamese names (the keys hidden), the level in words. The reader gives the contract's codes back, reads
    a package written before (English status codes, a two-column stamp), and flags a status it does not know."""
    from addin.district.records import STATUS_LABELS

    units = [{"province_code": "DNO", "district_code": "GN", "unit_code": f"GN00{n}", "status": code}
             for n, code in enumerate(STATUS_LABELS)]
    pkg = Package(stamp={"campaign_id": "c1", "level": "district", "code": "GN", "name": "LĐLĐ thành phố Gia Nghĩa",
                         "export_date": "2021-04-08", "own_propagated": "Có"},
                  units=units, ledger={"rows_read": 0, "rows_consolidated": 0, "rows_rejected": 0, "rows_cut": 0})
    path = write_package(pkg, tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(path)
    shown = [ws.cell(r, c).value for ws in (wb["Đơn vị"], wb["Thông tin gói"]) for r in range(1, ws.max_row + 1)
             for c in range(1, ws.max_column + 1) if not ws.column_dimensions[openpyxl.utils.get_column_letter(c)].hidden]
    for english in ("valid", "errors", "missing", "foreign", "district", "campaign_id", "export_date", "level"):
        assert english not in shown, english
    assert {"Hợp lệ", "Có lỗi", "Chưa gửi", "Đơn vị khác", "Công đoàn cấp trên trực tiếp cơ sở", "Mã đợt thi đua",
            "Đơn vị cấp trên đã tuyên truyền"} <= set(shown)
    back = read_package(path)
    assert [u["status"] for u in back.units] == list(STATUS_LABELS) and not back.issues
    assert back.level == "district" and back.stamp["export_date"] == "2021-04-08" and back.stamp["own_propagated"] == "Có"

    # a package written before: English codes in «Tình trạng», the stamp as key | value; one status retyped
    ws = wb["Đơn vị"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Mã tỉnh")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == "Tình trạng")
    for n, code in enumerate(STATUS_LABELS):
        ws.cell(header + 1 + n, col).value = code
    ws.cell(header + 1, col).value = "Đã duyệt"
    stamp = wb["Thông tin gói"]
    stamp.delete_cols(2)
    level_row = next(r for r in range(1, stamp.max_row + 1) if stamp.cell(r, 1).value == "level")
    stamp.cell(level_row, 2).value = "district"
    wb.save(tmp_path / "old.xlsx")
    old = read_package(tmp_path / "old.xlsx")
    assert old.level == "district" and old.code == "GN"
    assert [u["status"] for u in old.units] == [None, *list(STATUS_LABELS)[1:]]
    (issue,) = old.issues
    assert (issue.code, issue.sheet, issue.row, issue.field) == ("package-cell", "Đơn vị", header + 1, "status")
    assert "Đã duyệt" in issue.message and "Hợp lệ, Có lỗi, Chưa gửi, Đơn vị khác" in issue.message


@pytest.mark.libreoffice
def test_libreoffice_renders_pdf(exported, tmp_path):
    from addin.io.libreoffice import convert_all

    res = exported[0]
    (pdf_xlsx,) = convert_all([res.summary_path], "pdf", tmp_path / "x", timeout=120)
    (pdf_docx,) = convert_all([res.to_trinh_path], "pdf:writer_pdf_Export", tmp_path / "d", timeout=120)
    for pdf in (pdf_xlsx, pdf_docx):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 2000
    pages = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf_xlsx.read_bytes())
    assert pages and all(float(w) > float(h) for w, h in pages)  # landscape
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf_xlsx.read_bytes())) == 1

