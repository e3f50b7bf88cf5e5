"""Province consolidation on a small real province: five districts of the sample registry, five CĐCS each,
real CĐCS workbooks → district consolidation → marked choices → dossiers; then the province summary, its
nomination checks, the raw-CĐCS fallback, the ledger, the workbook, and the roll-up to a national summary."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import shutil
import zipfile
from pathlib import Path

import pytest

from addin.district.consolidate import consolidate_district
from addin.district.records import DistrictSettings
from addin.district.workbook import write_district_workbook
from addin.dossier.export import export_dossier
from addin.dossier.package import read_package, write_package
from addin.province.consolidate import consolidate_province, summary_lines
from addin.province.letters import write_province_package
from addin.province.national import consolidate_national
from addin.registry import Registry
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import valid_initiative, valid_unit_answers
from addin.sample.registry import build_sample_registry
from addin.sample.staff import mark_choices
from addin.cdcs.template.files import generate_templates, template_path_for
from validators.campaign import load_campaign

RUN = dt.datetime(2021, 4, 15, 10, 0, 0)
ON_TIME = dt.date(2021, 4, 8)
LATE = dt.date(2021, 4, 12)
# CJ: on time, complete (its package later gets a disputed and an unknown, third nomination)
# DM: dossier late; KN: Tờ trình missing; GN: sent raw CĐCS workbooks only; TD: sent nothing.
DISTRICTS = ("CJ", "DM", "KN", "GN", "TD")
PER_DISTRICT = 5
SENT = 4  # units 0..3 send, unit 4 never does
INIT_COUNTS = (2, 1, 1, 3)  # per sending unit; the last row of unit 3 is invalid (description too long)


def small_registry() -> Registry:
    full = build_sample_registry()
    districts = tuple(d for d in full.districts if d.code in DISTRICTS)
    cdcs = tuple(c for d in districts for c in full.cdcs_of(d.code)[:PER_DISTRICT])
    return Registry(province=full.province, province_code=full.province_code, districts=districts, cdcs=cdcs)


def unit_data(campaign, c, n: int, rng: random.Random):
    answers = valid_unit_answers(campaign, c, rng)
    answers["NGAY_GUI"] = dt.date(2021, 4, 1)
    answers["NGAY_KY_KE_HOACH"] = dt.date(2021, 3, 1)
    if n == 1:
        answers["DA_TUYEN_TRUYEN"] = "Không"
    if n == 2:
        answers["KH_CO_KHEN_THUONG"] = "Không"
    if n == 3:
        answers["PHONG_TRAO_DAC_THU"] = None
    rows = []
    for i in range(INIT_COUNTS[n]):
        r = valid_initiative(campaign, c, rng, number=i + 1, nominated=(i == 0 and n in (0, 1)))
        r["Tên sáng kiến"] = f"Sáng kiến {c.code} số {i + 1}"
        r["Đã cập nhật phần mềm TLĐ"] = "Có" if i == 0 else "Không"
        r["Ngày bắt đầu áp dụng"] = dt.date(2021, 5, 10) if (n == 0 and i == 1) else dt.date(2021, 3, 15)
        r["Khiếu nại, tranh chấp"] = "Không"
        if n == 3 and i == 2:
            r["Tóm tắt nội dung"] = "x" * (campaign.rules.description_max_chars + 5)
        rows.append(r)
    return answers, rows


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    campaign, registry = load_campaign(), small_registry()
    root = tmp_path_factory.mktemp("province")
    tpl = root / "tpl"
    generate_templates(campaign, registry, tpl, include_blank=False)
    inbox, dossiers = root / "hop-thu", root / "ho-so"
    rng = random.Random(11)
    rows_written = 0
    for code in DISTRICTS:
        if code == "TD":
            continue
        for n, c in enumerate(registry.cdcs_of(code)[:SENT]):
            answers, rows = unit_data(campaign, c, n, rng)
            rows_written += len(rows)
            src = template_path_for(tpl, c)
            target = inbox / code / src.name
            target.parent.mkdir(parents=True, exist_ok=True)
            fast_fill_workbook(src, target, answers, rows)
    for code in ("CJ", "DM", "KN"):
        result = consolidate_district(inbox / code, code, campaign, registry, settings=DistrictSettings(), now=RUN)
        assert len(result.nominations) == 2
        wb = write_district_workbook(result, root / "tong-hop" / f"{code}.xlsx")
        marked = mark_choices(wb, root / "tong-hop" / f"{code}-chon.xlsx",
                              [r.id for r in result.nominations][: 2 if code == "CJ" else 1])
        export_dossier(marked, dossiers / code, campaign, registry, signed_on=LATE if code == "DM" else ON_TIME)
    (next((dossiers / "KN").glob("to-trinh-*.docx"))).unlink()
    # CJ: a disputed second nomination (and its row) and a third one that is not in the package
    pkg_path = next((dossiers / "CJ").glob("goi-du-lieu-*.xlsx"))
    pkg = read_package(pkg_path)
    disputed_id = pkg.nominations[1]["id"]
    pkg.nominations[1]["disputed"] = True
    next(r for r in pkg.initiatives if r["id"] == disputed_id)["disputed"] = True
    pkg.nominations.append({**pkg.nominations[0], "id": "CJ999-deadbeef", "title": "Không có thật", "rank": 3})
    write_package(pkg, pkg_path)
    # GN: the district forwarded its CĐCS workbooks as they came
    shutil.copytree(inbox / "GN", dossiers / "GN")
    result = consolidate_province(dossiers, campaign, registry, now=RUN)
    return campaign, registry, result, root, rows_written, disputed_id


def ind(result, key):
    return result.indicator(key)


def test_districts_sources_and_chase_list(province):
    _, _, result, *_ = province
    src = {d.code: d.source for d in result.districts}
    assert src == {"GN": "raw", "CJ": "package", "DM": "package", "KN": "package", "TD": "missing"}
    assert [d.code for d in result.missing] == ["TD"]
    gn = next(d for d in result.districts if d.code == "GN")
    assert gn.raw_files == SENT and len(gn.initiatives) == 6 and not gn.nominations
    assert any(i.code == "district-raw-fallback" for i in result.issues)
    assert any(i.code == "district-missing" and "Tuy Đức" in i.message for i in result.issues)
    # the dossier's own Bảng tổng hợp next to each package is never taken for a CĐCS workbook
    assert not any(i.code == "folder-ignored" for i in result.issues)


def test_province_indicators_hand_computed(province):
    _, _, result, *_ = province
    # 25 CĐCS, 16 sent (4 districts × units 0..3), 24 initiatives consolidated; "công đoàn các cấp": 12 of the
    # 25 CĐCS and none of the 5 district unions (none recorded its own propagation or movement) = 12 / 30
    expected = {
        "initiatives": (750, 24, False), "initiatives_at_deadline": (750, 20, False),
        "cdcs_with_initiative_pct": (100, 64.0, False), "propagated_pct": (100, 40.0, False),
        "specific_movement_pct": (100, 40.0, False), "signed_plan_pct": (100, 64.0, False),
        "plan_goals_pct": (100, 100.0, True), "plan_rewards_pct": (100, 75.0, False),
        "entered_tld_pct": (100, 66.7, False), "initiatives_per_cdcs": (1, 0.96, False),
    }
    for key, (target, actual, met) in expected.items():
        i = ind(result, key)
        assert (i.target, i.actual, i.met) == (target, actual, met), key
    assert ind(result, "initiatives").gap == 726
    assert ind(result, "plan_goals_pct").gap == 0
    assert result.at_deadline == 20
    cj = next(d for d in result.districts if d.code == "CJ")
    per = {i.key: (i.target, i.actual, i.met) for i in cj.indicators}
    assert per["initiatives"] == (5, 6, True)  # 1 per CĐCS × 5 CĐCS
    assert per["cdcs_with_initiative_pct"] == (100, 80.0, False)
    assert per["propagated_pct"] == (100, 60.0, False)
    assert per["plan_rewards_pct"] == (100, 75.0, False)
    td = next(d for d in result.districts if d.code == "TD")
    assert {i.key: i.actual for i in td.indicators}["initiatives"] == 0
    assert sum(n for _, n in result.by_field) == 24 and sum(n for _, n in result.by_bloc) == 24


def test_summary_writes_numbers_the_vietnamese_way(province):
    _, _, result, *_ = province
    lines = summary_lines(result)
    label = ind(result, "entered_tld_pct").label
    assert f"  - {label}: 66,7 / 100 (còn thiếu 33,3)" in lines
    assert f"  - {ind(result, 'initiatives_per_cdcs').label}: 0,96 / 1 (còn thiếu 0,04)" in lines


def test_nominations_accepted_and_rejected(province):
    campaign, _, result, _, _, disputed_id = province
    assert [n["district_code"] for n in result.accepted] == ["CJ"]
    rej = {n["id"]: n for n in result.rejected}
    assert len(rej) == 4
    assert rej[disputed_id]["reason"] == "Sáng kiến có khiếu nại, tranh chấp"
    unknown = rej["CJ999-deadbeef"]["reasons"]
    assert unknown[0].startswith("Vượt quá 2 sáng kiến") and "không có trong danh sách" in unknown[1]
    dm = next(n for n in result.rejected if n["district_code"] == "DM")
    both = " (phải đến trước ngày 10/04/2021 bằng đường bưu điện và đồng thời qua email)"
    assert dm["reasons"] == [f"Hồ sơ nhận ngày 12/04/2021 (qua bưu điện và email), không trước hạn 10/04/2021{both}"]
    kn = next(n for n in result.rejected if n["district_code"] == "KN")
    assert kn["reason"].startswith("Hồ sơ không đầy đủ: thiếu Tờ trình (to-trinh-KN.docx)")
    # the received override: DM's dossier actually arrived on 09/04 → accepted
    again = consolidate_province(result.dossiers_dir, campaign, result.registry, now=RUN,
                                 received={"DM": dt.date(2021, 4, 9)})
    assert sorted(n["district_code"] for n in again.accepted) == ["CJ", "DM"]
    # item 8: both channels are needed on time; the one late or missing is named
    for by_channel, why in (((dt.date(2021, 4, 9), None), "Hồ sơ qua email chưa nhận"),
                            ((dt.date(2021, 4, 12), dt.date(2021, 4, 9)), "Hồ sơ qua bưu điện nhận ngày 12/04/2021")):
        one = consolidate_province(result.dossiers_dir, campaign, result.registry, now=RUN, received={"DM": by_channel})
        (dm,) = [n for n in one.rejected if n["district_code"] == "DM"]
        assert len(dm["reasons"]) == 1 and dm["reason"].startswith(why)


def test_ledger_balances_from_cdcs_rows(province):
    _, _, result, _, rows_written, _ = province
    led = result.ledger
    assert led == {"rows_read": rows_written, "rows_consolidated": 24, "rows_rejected": 4, "rows_cut": 0}
    assert rows_written == 28 and result.balanced
    assert led["rows_consolidated"] == len(result.initiatives)
    assert all(d.balanced for d in result.districts)
    assert not any(i.code == "ledger-unbalanced" for i in result.issues)


def test_json_contract(province):
    _, _, result, *_ = province
    data = json.loads(json.dumps(result.as_json(), ensure_ascii=False, default=str))
    keys = {i["key"] for i in data["indicators"]}
    assert {"initiatives", "cdcs_with_initiative_pct", "propagated_pct", "specific_movement_pct", "signed_plan_pct",
            "plan_goals_pct", "plan_rewards_pct", "entered_tld_pct"} <= keys
    for i in data["indicators"]:
        assert {"key", "label", "target", "actual", "met"} <= set(i)
    assert all("reason" in r for r in data["nominations"]["rejected"])
    assert data["ledger"] == {"rows_read": 28, "rows_consolidated": 24, "rows_rejected": 4, "rows_cut": 0}
    assert data["missing"] == ["TD"] and len(data["districts"]) == 5
    assert result.exit_code == 1


def test_workbook(province, tmp_path):
    from python_calamine import CalamineWorkbook

    from addin.province.workbook import write_province_workbook

    _, _, result, *_ = province
    path = write_province_workbook(result, tmp_path / "tinh.xlsx")
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names[0] == "Tổng hợp tỉnh"
    assert wb.sheet_names[1:] == ["Theo đơn vị", "Biểu đồ đơn vị", "Lĩnh vực, khối", "Đề nghị TLĐ", "Không đủ điều kiện",
                                  "Đôn đốc", "Lỗi", "Sổ cân đối", "Tệp"]
    flat = lambda s: [c for row in wb.get_sheet_by_name(s).to_python() for c in row]  # noqa: E731
    assert "Đề nghị TLĐ biểu dương" in " ".join(str(c) for c in flat("Đề nghị TLĐ"))
    assert "Hồ sơ không đầy đủ: thiếu Tờ trình (to-trinh-KN.docx)" in flat("Không đủ điều kiện")
    assert "Liên đoàn Lao động huyện Tuy Đức" in flat("Đôn đốc")
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 3
        series = [z.read(n).count(b"<c:ser>") for n in charts]
        assert sorted(series) == [1, 1, 2]  # initiatives and target side by side, per district
    assert path.read_bytes() == write_province_workbook(result, tmp_path / "again.xlsx").read_bytes()


def test_national_rollup_three_provinces(province, tmp_path):
    campaign, registry, result, *_ = province
    out = tmp_path / "quoc-gia"
    for n in range(1, 4):
        reg = registry.model_copy(update={"province_code": f"P{n}", "province": f"Tỉnh số {n}"})
        res = dataclasses.replace(result, registry=reg)
        write_province_package(res, out / f"P{n}" / f"goi-du-lieu-P{n}.xlsx", signed_on=dt.date(2021, 4, 19),
                               with_letters=(n == 1))
    assert (out / "P1" / "to-trinh-P1.docx").is_file()
    shutil.copy(next((result.dossiers_dir / "CJ").glob("goi-du-lieu-*.xlsx")), out / "district.xlsx")
    nat = consolidate_national(out, campaign)
    assert [p.code for p in nat.provinces] == ["P1", "P2", "P3"]
    assert nat.ledger == {"rows_read": 84, "rows_consolidated": 72, "rows_rejected": 12, "rows_cut": 0} and nat.balanced
    vals = {i.key: (i.target, i.actual) for i in nat.indicators}
    assert vals["initiatives"] == (75, 72)  # 1 per CĐCS × 75 CĐCS
    assert vals["cdcs_with_initiative_pct"] == (100, 64.0)
    assert vals["plan_rewards_pct"] == (100, 75.0)
    # item 10: the nominations are checked one level up too: P2 and P3 sent no letters, and repeat P1's ids
    assert len(nat.accepted) == 1 and len(nat.rejected) == 2
    assert all("thiếu Tờ trình" in n["reason"] and "đã được Tỉnh số 1 đề nghị" in n["reason"] for n in nat.rejected)
    assert nat.as_json()["nominations"]["rejected"][0]["reason"]
    assert any(i.code == "package-invalid" for i in nat.issues)  # the district package is not a province's
    assert nat.as_json()["ledger"]["rows_read"] == 84
    # the three packages hold the same 24 initiatives: each is one group of three copies, one per province
    assert len(nat.duplicates) == 24 and all(g.provinces == ["P1", "P2", "P3"] for g in nat.duplicates)
    assert sorted(i for g in nat.duplicates for i in g.ids) == sorted([r["id"] for r in result.initiatives] * 3)


def test_raw_fallback_found_by_content_and_bad_folders(province, tmp_path):
    from addin.province.records import ProvinceError

    campaign, registry, result, *_ = province
    root = tmp_path / "ho-so"
    shutil.copytree(result.dossiers_dir, root)
    (root / "GN").rename(root / "thu gui ve tu Gia Nghia")  # folder not named by code: district from the files
    (root / "ghi-chu.xlsx").write_bytes(b"not a workbook")
    again = consolidate_province(root, campaign, registry, now=RUN)
    gn = next(d for d in again.districts if d.code == "GN")
    assert gn.source == "raw" and gn.ledger == {"rows_read": 7, "rows_consolidated": 6, "rows_rejected": 1, "rows_cut": 0}
    assert again.ledger == result.ledger
    assert [i.path for i in again.issues if i.code == "file-ignored"] == ["ghi-chu.xlsx"]
    assert {f.path: f.role for f in again.files}["ghi-chu.xlsx"] == "ignored"
    empty = tmp_path / "trong"
    empty.mkdir()
    assert consolidate_province(empty, campaign, registry, now=RUN).exit_code == 2
    with pytest.raises(ProvinceError):
        consolidate_province(tmp_path / "khong-co", campaign, registry)


def test_raw_district_files_reuse_their_checks_on_a_rerun(province, tmp_path):
    campaign, registry, result, *_ = province
    cache = tmp_path / "cache"
    first = consolidate_province(result.dossiers_dir, campaign, registry, now=RUN, cache_dir=cache)
    again = consolidate_province(result.dossiers_dir, campaign, registry, now=RUN, cache_dir=cache)
    gn = next(d for d in again.districts if d.code == "GN")
    assert next(d for d in first.districts if d.code == "GN").reused_files == 0
    assert gn.reused_files == gn.raw_files == SENT
    assert f"{SENT} tệp CĐCS gửi thẳng không đổi, dùng lại kết quả kiểm tra của lần tổng hợp trước." in summary_lines(again)
    assert again.as_json() == first.as_json() == result.as_json()  # the same figures, issues and nominations


def test_flat_dossier_at_root(province, tmp_path):
    campaign, registry, result, *_ = province
    for f in (result.dossiers_dir / "CJ").iterdir():
        shutil.copy(f, tmp_path / f.name)
    flat = consolidate_province(tmp_path, campaign, registry, now=RUN)
    cj = next(d for d in flat.districts if d.code == "CJ")
    assert cj.source == "package" and cj.complete and not cj.late
    assert not any(i.code == "folder-ignored" for i in flat.issues)
    assert [d.code for d in flat.missing] == ["GN", "DM", "KN", "TD"]


@pytest.mark.libreoffice
def test_province_workbook_renders_to_pdf_with_its_charts(province, tmp_path):
    """LibreOffice renders every sheet, charts included: their titles are in the PDF's text."""
    import shutil
    import subprocess

    from addin.io.libreoffice import convert_all
    from addin.province.workbook import write_province_workbook

    _, _, result, *_ = province
    path = write_province_workbook(result, tmp_path / "tinh.xlsx")
    (pdf,) = convert_all([path], "pdf", tmp_path / "pdf", timeout=180)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          encoding="utf-8", timeout=60).stdout
    for title in ("Số sáng kiến so với mục tiêu theo đơn vị", "% mục tiêu sáng kiến theo đơn vị",
                  "Số sáng kiến theo lĩnh vực", "Tỷ lệ CĐCS có ít nhất 01 sáng kiến", "Mục tiêu"):
        assert title in text, title


def test_national_rollup_streams_packages_with_the_same_figures_as_all_rows(province, tmp_path):
    """Each package is reduced as it is read: the figures equal those computed over every row of every
    package at once (the straightforward way, which does not fit in memory at national scale)."""
    from validators.rules.counting import counts_by
    from addin.dossier.package import read_package
    from addin.province.tally import rows_indicators

    campaign, registry, result, *_ = province
    out = tmp_path / "quoc-gia"
    for n in range(1, 4):
        reg = registry.model_copy(update={"province_code": f"P{n}", "province": f"Tỉnh số {n}"})
        write_province_package(dataclasses.replace(result, registry=reg), out / f"goi-P{n}.xlsx",
                               signed_on=dt.date(2021, 4, 19), with_letters=False)
    nat = consolidate_national(out, campaign)
    pkgs = [read_package(p) for p in sorted(out.glob("goi-*.xlsx"))]
    units = [[u for u in k.units if u.get("status") != "foreign"] for k in pkgs]
    rows = [r for k in pkgs for r in k.initiatives]
    per = [rows_indicators(u, k.initiatives, len(u), campaign, scope="national") for u, k in zip(units, pkgs)]
    with_init = sum(next(i.numerator for i in inds if i.key == "cdcs_with_initiative_pct") for inds, _ in per)
    whole, at = rows_indicators([u for us in units for u in us], rows, sum(map(len, units)), campaign,
                                scope="national", with_initiative=with_init, at_deadline=sum(a for _, a in per))
    assert nat.indicators == whole and nat.at_deadline == at
    assert [p.indicators for p in nat.provinces] == [inds for inds, _ in per]
    assert nat.by_field == counts_by([r.get("field") for r in rows], campaign.fields)
    assert nat.by_bloc == counts_by([r.get("bloc") for r in rows], campaign.blocs)
    assert [p.initiatives for p in nat.provinces] == [len(k.initiatives) for k in pkgs]
    every = [n["id"] for k in pkgs for n in k.nominations]  # no letters: all checked, none lost
    assert sorted(n["id"] for n in nat.accepted + nat.rejected) == sorted(every) and nat.balanced


def test_every_file_listed_raw_files_anywhere_and_duplicates_across_districts(province, tmp_path):
    """Items 1, 6, 7: CĐCS files put straight at the top of the folder are grouped by their stamped district
    (not by folder); a raw file of a district that sent a package is listed as not used; every file under
    the folder is in ``files`` with its role; the same initiative from two districts is flagged on both."""
    campaign, registry, result, *_ = province
    root = tmp_path / "ho-so"
    shutil.copytree(result.dossiers_dir, root)
    for f in sorted((root / "GN").iterdir()):
        f.rename(root / f.name)  # 750 returned CĐCS workbooks straight into the folder
    (root / "GN").rmdir()
    cj_raw = next((result.dossiers_dir.parent / "hop-thu" / "CJ").glob("*.xlsx"))
    shutil.copy(cj_raw, root / "CJ" / cj_raw.name)  # CJ sent a package: its raw file is listed, not used
    (root / "anh-chup.jpg").write_bytes(b"\xff\xd8\xff photo")
    gn_row = next(r for r in result.initiatives if r["district_code"] == "GN")
    pkg_path = next((root / "CJ").glob("goi-du-lieu-*.xlsx"))
    pkg = read_package(pkg_path)
    pkg.initiatives[0] |= {"title": gn_row["title"], "author": gn_row["author"]}
    write_package(pkg, pkg_path)

    again = consolidate_province(root, campaign, registry, now=RUN)
    gn = next(d for d in again.districts if d.code == "GN")
    before = next(d for d in result.districts if d.code == "GN")
    assert gn.source == "raw" and gn.raw_files == SENT and gn.ledger == before.ledger
    assert again.ledger == result.ledger
    files = {f.path: f for f in again.files}
    on_disk = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert sorted(files) == on_disk
    roles = {k: f.role for k, f in files.items()}
    assert roles[f"CJ/{cj_raw.name}"] == "raw-not-used" and "gói dữ liệu" in files[f"CJ/{cj_raw.name}"].reason
    assert roles["anh-chup.jpg"] == "not-workbook"
    assert sum(1 for r in roles.values() if r == "raw") == SENT
    assert {"package", "dossier", "raw", "raw-not-used", "not-workbook"} <= set(roles.values())
    (dup,) = again.as_json()["duplicates"]
    assert sorted(dup["districts"]) == ["CJ", "GN"] and len(dup["ids"]) == 2
    assert all(r.get("duplicate_of") for r in again.initiatives if r["id"] in dup["ids"])
    assert any(f"{len(again.files)} tệp trong thư mục" in line for line in summary_lines(again))


def test_province_smaller_points(province, tmp_path):
    """Item 11: «Đôn đốc» says why a district that sent its dossier is still chased; the selection sheet has no
    "tối đa None"; the Bảng tổng hợp of the province names TLĐ above it; --received for an unknown code is an
    error; a 2023 campaign's guide gives a 2023 example date."""
    from python_calamine import CalamineWorkbook

    from addin.province.records import ProvinceError
    from addin.province.workbook import write_province_workbook

    campaign, registry, result, *_ = province
    path = write_province_workbook(result, tmp_path / "tinh.xlsx")
    wb = CalamineWorkbook.from_path(str(path))
    chase = wb.get_sheet_by_name("Đôn đốc").to_python()
    cj = next(r for r in chase if r and r[0] == "CJ")
    assert cj[2].startswith("Đã gửi hồ sơ; còn ") and "CĐCS chưa gửi" in cj[2]
    flat = " ".join(str(c) for row in wb.get_sheet_by_name("Đề nghị TLĐ").to_python() for c in row)
    assert "None" not in flat
    write_province_package(result, tmp_path / "p" / "goi.xlsx", signed_on=dt.date(2021, 4, 19))
    summary = next((tmp_path / "p").glob("bang-tong-hop-*.xlsx"))
    top = CalamineWorkbook.from_path(str(summary)).get_sheet_by_index(0).to_python()[0][0]
    assert top == "TỔNG LĐLĐ VIỆT NAM"
    with pytest.raises(ProvinceError, match="XX"):
        consolidate_province(result.dossiers_dir, campaign, registry, received={"XX": dt.date(2021, 4, 1)})


def test_guide_example_date_follows_the_campaign(tmp_path):
    from addin.cdcs.template.files import build_blank

    other = load_campaign(Path(__file__).parent / "data" / "campaign-other.toml")
    path = build_blank(other, tmp_path / "blank.xlsx")
    with zipfile.ZipFile(path) as z:
        text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    assert f"15/03/{other.year}" in text and "15/03/2021" not in text


def test_national_verb(province, tmp_path):
    """Item 10: ``sangkien national FOLDER --out --json``: the province's JSON shape one level up, a workbook."""
    from typer.testing import CliRunner

    from addin.cli import app

    campaign, registry, result, *_ = province
    out = tmp_path / "quoc-gia"
    write_province_package(result, out / "DNO" / "goi-du-lieu-DNO.xlsx", signed_on=dt.date(2021, 4, 19))
    (out / "ghi-chu.txt").write_text("not a package")
    book = tmp_path / "toan-quoc.xlsx"
    res = CliRunner().invoke(app, ["national", str(out), "--out", str(book), "--json"])
    assert res.exit_code in (0, 1), res.output
    data = json.loads(res.stdout)
    assert {"indicators", "nominations", "ledger", "files", "duplicates"} <= set(data)
    assert {"accepted", "rejected"} <= set(data["nominations"])
    assert {f["path"]: f["role"] for f in data["files"]}["ghi-chu.txt"] == "not-workbook"
    assert data["ledger"] == result.ledger
    assert len(data["nominations"]["accepted"]) == len(result.accepted)
    from python_calamine import CalamineWorkbook

    assert CalamineWorkbook.from_path(str(book)).sheet_names[0] == "Tổng hợp toàn quốc"


def test_province_staff_input_survives_reruns_and_a_complaint_rejects(province, tmp_path):
    """Items 2 and 8: the final mark and notes on «Đề nghị TLĐ» are kept by initiative id across re-runs; a
    complaint or authorship dispute recorded there by province staff rejects the nomination with its text as
    the reason, and stays recorded on «Không đủ điều kiện» on every later run."""
    import openpyxl

    from addin.province.run import run_province

    campaign, registry, result, *_ = province
    book = tmp_path / "tinh.xlsx"
    received = {"DM": dt.date(2021, 4, 9)}
    first = run_province(result.dossiers_dir, campaign, registry, workbook=book, received=received, now=RUN).result
    cj, dm = (next(n for n in first.accepted if n["district_code"] == c) for c in ("CJ", "DM"))

    def rows(path, sheet):
        ws = openpyxl.load_workbook(path)[sheet]
        head = next(r for r in range(1, 15) if ws.cell(r, 1).value in ("Chốt (x)", "Mã sáng kiến"))
        cols = {ws.cell(head, c).value: c for c in range(1, ws.max_column + 1)}
        return ws, head, cols

    wb = openpyxl.load_workbook(book)
    ws = wb["Đề nghị TLĐ"]
    _, head, cols = rows(book, "Đề nghị TLĐ")
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, cols["Mã sáng kiến"]).value == cj["id"]:
            ws.cell(r, 1).value = "x"
            ws.cell(r, cols["Ghi chú của cán bộ"]).value = "Trình Ban Thường vụ"
        if ws.cell(r, cols["Mã sáng kiến"]).value == dm["id"]:
            ws.cell(r, cols["Khiếu nại, tranh chấp khi xét chọn"]).value = "Đơn khiếu nại quyền tác giả ngày 15/4"
    wb.save(book)

    for _ in range(2):
        again = run_province(result.dossiers_dir, campaign, registry, workbook=book, received=received, now=RUN).result
        assert [n["id"] for n in again.accepted] == [cj["id"]]
        (rej,) = [n for n in again.rejected if n["id"] == dm["id"]]
        assert "Đơn khiếu nại quyền tác giả ngày 15/4" in rej["reason"]
        ws, head, cols = rows(book, "Đề nghị TLĐ")
        (r,) = [r for r in range(head + 1, ws.max_row + 1) if ws.cell(r, cols["Mã sáng kiến"]).value == cj["id"]]
        assert ws.cell(r, 1).value == "x" and ws.cell(r, cols["Ghi chú của cán bộ"]).value == "Trình Ban Thường vụ"
        ws, head, cols = rows(book, "Không đủ điều kiện")
        kept = {ws.cell(r, cols["Khiếu nại, tranh chấp khi xét chọn"]).value for r in range(head + 1, ws.max_row + 1)
                if ws.cell(r, cols["Mã sáng kiến"]).value == dm["id"]}
        assert kept == {"Đơn khiếu nại quyền tác giả ngày 15/4"}
        assert again.marks == []


def test_district_unions_own_commitments_count_in_all_levels_indicators(province, tmp_path):
    """Item 8: a district-level union records its own propagation and specific movement (CLI options, kept in
    its workbook and package): the province counts it with the CĐCS in "100% công đoàn các cấp"."""
    campaign, registry, result, root, *_ = province
    inbox = root / "hop-thu" / "CJ"
    res = consolidate_district(inbox, "CJ", campaign, registry, now=RUN, workers=1,
                               settings=DistrictSettings(own_propagated=True, own_movement="Thi đua sáng tạo"))
    assert res.as_json()["own"] == {"propagated": True, "specific_movement": "Thi đua sáng tạo"}
    wb = write_district_workbook(res, tmp_path / "CJ.xlsx")
    marked = mark_choices(wb, tmp_path / "CJ-chon.xlsx", [r.id for r in res.nominations][:2])
    dossiers = tmp_path / "ho-so"
    shutil.copytree(result.dossiers_dir, dossiers)
    shutil.rmtree(dossiers / "CJ")
    export_dossier(marked, dossiers / "CJ", campaign, registry, signed_on=ON_TIME)
    again = consolidate_province(dossiers, campaign, registry, now=RUN)
    cj = next(d for d in again.districts if d.code == "CJ")
    assert cj.own_propagated is True and cj.own_movement == "Thi đua sáng tạo"
    for key in ("propagated_pct", "specific_movement_pct"):
        i = ind(again, key)
        assert (i.numerator, i.denominator) == (13, 30), key  # 12 CĐCS + the CJ union, of 25 CĐCS + 5 unions
    assert ind(again, "signed_plan_pct").denominator == 25  # a CĐCS-only indicator stays over the CĐCS


def test_national_duplicates_across_provinces_and_inside_one(province, tmp_path):
    """The same initiative (same title and author, compared without accents, case or extra spaces: the rule of
    every level) sent by two provinces, and twice inside one province's package, is listed in the JSON, on
    «Lỗi» and «Sáng kiến trùng», and on the console; a superseded package's copies are not counted."""
    from python_calamine import CalamineWorkbook

    from addin.province.national_run import run_national, summary_lines

    campaign, registry, result, *_ = province
    out = tmp_path / "quoc-gia"
    paths = {}
    for n in (1, 2):
        reg = registry.model_copy(update={"province_code": f"P{n}", "province": f"Tỉnh số {n}"})
        paths[n] = write_province_package(dataclasses.replace(result, registry=reg), out / f"goi-P{n}.xlsx",
                                          signed_on=dt.date(2021, 4, 19), with_letters=False)
    # an older P2 package, superseded: all of its rows are copies of P1's, none may count
    write_province_package(dataclasses.replace(result, registry=registry.model_copy(update={"province_code": "P2"})),
                           out / "cu" / "goi-P2-cu.xlsx", signed_on=dt.date(2021, 4, 10), with_letters=False)
    p2 = read_package(paths[2])
    for r in p2.initiatives[1:]:  # P2's own initiatives, but the first one is also P1's
        r["title"] = f"{r['title']} – tỉnh 2"
    write_package(p2, paths[2])
    p1 = read_package(paths[1])
    src = p1.initiatives[1]
    other_unit = next(r["unit_code"] for r in p1.initiatives if r["unit_code"] != src["unit_code"])
    retyped = "  " + src["title"].upper().replace(" ", "  ") + " "
    p1.initiatives.append(dict(src, id=f"{other_unit}-chep", unit_code=other_unit, title=retyped,
                               author=src["author"].lower()))
    p1.ledger = dict(p1.ledger, rows_read=p1.ledger["rows_read"] + 1,
                     rows_consolidated=p1.ledger["rows_consolidated"] + 1)
    write_package(p1, paths[1])

    book = tmp_path / "toan-quoc.xlsx"
    nat = run_national(out, campaign, workbook=book)
    shared = p1.initiatives[0]
    groups = {tuple(g["ids"]): g for g in nat.as_json()["duplicates"]}
    assert groups == {
        (shared["id"], p2.initiatives[0]["id"]): {"ids": [shared["id"], p2.initiatives[0]["id"]],
                                                   "units": [shared["unit_code"]] * 2, "provinces": ["P1", "P2"]},
        (src["id"], f"{other_unit}-chep"): {"ids": [src["id"], f"{other_unit}-chep"],
                                            "units": [src["unit_code"], other_unit], "provinces": ["P1", "P1"]},
    }
    assert nat.ledger["rows_consolidated"] == 2 * len(result.initiatives) + 1 and nat.balanced
    issues = [i for i in nat.issues if i.code == "duplicate-group"]
    assert sorted(i.path for i in issues) == ["P1", "P1, P2"]
    cross = next(i for i in issues if i.path == "P1, P2")
    assert cross.message.startswith(f"Sáng kiến '{shared['title']}' (tác giả {shared['author']}) được gửi 2 lần")
    assert f"P1 ({shared['unit_code']}), P2 ({shared['unit_code']})" in cross.message
    lines = summary_lines(nat)
    assert "Sáng kiến trùng giữa các đơn vị: 2 nhóm (1 giữa các tỉnh, 1 trong một tỉnh) (xem trang «Sáng kiến trùng»)." in lines
    wb = CalamineWorkbook.from_path(str(book))
    dup_rows = wb.get_sheet_by_name("Sáng kiến trùng").to_python()
    listed = {str(r[7]) for r in dup_rows if r and r[0] in (1, 2, 1.0, 2.0)}
    assert listed == {f"{shared['id']}, {p2.initiatives[0]['id']}", f"{src['id']}, {other_unit}-chep"}
    errors = " ".join(str(c) for r in wb.get_sheet_by_name("Lỗi").to_python() for c in r)
    assert cross.message in errors

    # nothing in common: no group, and the console says so
    for r in p1.initiatives[1:]:
        r["title"] = f"{r['title']} – tỉnh 1"
    p1.initiatives.pop()
    p1.ledger = dict(p1.ledger, rows_read=p1.ledger["rows_read"] - 1,
                     rows_consolidated=p1.ledger["rows_consolidated"] - 1)
    p1.initiatives[0]["title"] = "Một sáng kiến chỉ tỉnh 1 có"
    write_package(p1, paths[1])
    alone = run_national(out, campaign)
    assert alone.duplicates == [] and alone.as_json()["duplicates"] == []
    assert "Sáng kiến trùng giữa các đơn vị: không có." in summary_lines(alone)


def test_duplicate_index_groups_copies_across_packages_with_the_levels_rule():
    """The national index, on plain rows: a copy inside one package and a third copy in the next package are
    one group; a row without an author is no one's copy; the province's own rule agrees on every pair."""
    from addin.province.duplicates import DuplicateIndex
    from validators.rules.identity import initiative_digest, initiative_key

    a = [{"id": "A1", "unit_code": "U1", "title": "Máy  cắt cỏ", "author": "Lê Văn A"},
         {"id": "A2", "unit_code": "U2", "title": "may cat co", "author": "LE VAN A"},
         {"id": "A3", "unit_code": "U3", "title": "Máy cắt cỏ", "author": None},
         {"id": "A4", "unit_code": "U4", "title": "Bếp tiết kiệm", "author": "Trần B"}]
    b = [{"id": "B1", "unit_code": "U1", "title": "Máy cắt cỏ ", "author": "Lê văn A"},
         {"id": "B2", "unit_code": "U9", "title": "Bếp tiết kiệm điện", "author": "Trần B"}]
    index = DuplicateIndex()
    first, second = index.add("P1", a), index.add("P2", b)
    (group,) = index.groups({first, second})
    assert group.as_json() == {"ids": ["A1", "A2", "B1"], "units": ["U1", "U2", "U1"], "provinces": ["P1", "P1", "P2"]}
    assert (group.title, group.author) == ("Máy  cắt cỏ", "Lê Văn A")  # as the first copy at hand typed it
    assert group.across_provinces
    assert [g.ids for g in index.groups({first})] == [["A1", "A2"]]  # P2 superseded: its copy does not count
    assert index.groups({second}) == []
    keys = {initiative_key(r["title"], r["author"]) for r in a[:2] + b[:1]}
    assert len(keys) == 1 and initiative_digest("Máy cắt cỏ", None) is None
