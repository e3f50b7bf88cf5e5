"""The door that needs no macro, and the rest of what real office PCs need: the ``.sh`` launcher built beside a
district workbook, run for real on an inbox, reads the workbook's own saved configuration and writes what
``sangkien district`` writes; ``--export`` writes the dossier from the staff's marks. Also: the launchers'
texts and the e-mail .zip, xlwings' own ``prepare_sys_path`` on a OneDrive workbook path with our
``xlwings.conf``, doctor's warning on paths with diacritics, forward-slash links and no forced recalculation.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.district.consolidate import consolidate_district
from addin.district.records import DistrictSettings
from addin.district.result import summary_lines
from addin.district import workbook as dw
from addin.excel import layout as L
from addin.excel.build import build_workbooks
from addin.excel.doctor import ASCII_ADVICE, ascii_path_check
from addin.excel.launchers import LAUNCHER_SUFFIXES
from addin.io.gate.workbook import open_workbook
from addin.sample.staff import mark_choices
from excel_client import name_cells
from test_excel import RUN, fill_inbox, sample_templates  # noqa: F401 - the fixture is used by name

SANGKIEN = Path(sys.prefix) / "bin" / "sangkien"


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory, campaign, registry) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("bang tinh")  # a space in the folder, as in "Documents\SangKien 2021"
    district, province = build_workbooks(campaign, registry, out, district_code="TD", include_province=True)
    return district, province


@pytest.fixture(scope="module")
def td_workbook(workbooks) -> Path:
    return workbooks[0]


def _launch(script: Path, *args: str, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SANGKIEN_HOME",)}
    env["SANGKIEN_HOME"] = str(home)
    return subprocess.run([str(script), *args], capture_output=True, text=True, encoding="utf-8", env=env,
                          stdin=subprocess.DEVNULL, timeout=600)


@pytest.mark.skipif(not SANGKIEN.is_file() or sys.platform == "win32", reason="needs the sangkien script of a venv")
def test_sh_launchers_run_a_district_and_the_province_from_the_workbooks_configuration(
        workbooks, td_workbook, sample_templates, campaign, registry, tmp_path):  # noqa: F811
    folder = td_workbook.parent
    inbox = folder / L.DEFAULT_INBOX["district"]  # the configuration's default: relative to the workbook
    fill_inbox(campaign, registry, "TD", inbox, sample_templates, 4, seed=5)
    first = registry.cdcs_of("TD")[0].code
    wb = openpyxl.load_workbook(td_workbook, keep_vba=True)  # the staff edit «Cấu hình» and save
    next(row for row in name_cells(wb, L.N_TABLE) if row[0].value == first)[2].value = 2
    name_cells(wb, L.N_SIGNED_ON).value = dt.datetime(2021, 4, 8)
    wb.save(td_workbook)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".venv").symlink_to(sys.prefix)  # where the launcher looks: $SANGKIEN_HOME/.venv/bin/sangkien

    sh = td_workbook.with_suffix(".sh")
    done = _launch(sh, "--no-open", home=home)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    settings = DistrictSettings(deadline=campaign.deadlines.cdcs_submission_default,
                                quotas={c.code: 1 for c in registry.cdcs_of("TD")} | {first: 2})
    expected = consolidate_district(inbox, "TD", campaign, registry, settings=settings, now=RUN)
    for line in summary_lines(expected):
        if "giây" not in line:
            assert line in done.stdout
    result = folder / "tong-hop-TD.xlsx"
    assert f"Bảng tổng hợp: {result}" in done.stdout and "Xong" in done.stdout
    assert done.returncode == expected.exit_code
    sheets = open_workbook(result).grids(dw.S_UNITS, dw.S_NOMINATIONS)
    assert sum(1 for r in expected.nominations if r.unit_code == first) == 2  # quota 2 from the saved sheet
    flat = [str(v) for row in sheets[dw.S_NOMINATIONS] for v in row]
    assert sum(1 for r in expected.nominations if r.id in flat) == len(expected.nominations)
    assert (folder / ".sangkien-cache").is_dir()  # the same cache the button keeps beside the workbook

    chosen = [r.id for r in expected.nominations][:2]
    mark_choices(result, result, chosen)  # staff mark x on «Đề xuất» and save
    done = _launch(sh, "--export", "--no-open", home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    out = folder / L.DEFAULT_OUTPUT
    files = sorted(p.name for p in out.iterdir())
    assert files == ["bang-tong-hop-tom-tat-sang-kien-TD.xlsx", "goi-du-lieu-TD.xlsx", "to-trinh-TD.docx"]
    assert "Đã chọn 2 sáng kiến" in done.stdout and all(f in done.stdout for f in files)
    for name in files[:2]:  # the .xlsx of the dossier: no recalculation forced on open, no save prompt on close
        with zipfile.ZipFile(out / name) as z:
            assert "fullCalcOnLoad" not in z.read("xl/workbook.xml").decode(), name

    # the province: the district's dossier in its default folder, the province launcher with --export
    province = workbooks[1]
    dossiers = province.parent / L.DEFAULT_INBOX["province"] / "TD"
    dossiers.mkdir(parents=True)
    for f in out.iterdir():
        (dossiers / f.name).write_bytes(f.read_bytes())
    done = _launch(province.with_suffix(".sh"), "--export", "--no-open", home=home)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert "Danh sách đề nghị TLĐ đã ghi vào thư mục" in done.stdout
    assert (province.parent / f"tong-hop-tinh-{registry.province_code}.xlsx").is_file()
    written = sorted(p.name for p in (province.parent / L.DEFAULT_OUTPUT).iterdir())
    assert len(written) == 3 and all(n in done.stdout for n in written)


def test_run_without_a_consolidation_says_what_to_do(td_workbook, tmp_path):
    from typer.testing import CliRunner

    from addin.cli import app

    copy = tmp_path / td_workbook.name
    copy.write_bytes(td_workbook.read_bytes())
    res = CliRunner().invoke(app, ["run", str(copy), "--export", "--no-open"])
    assert res.exit_code == 2 and "hãy chạy «Tổng hợp» trước" in " ".join(res.output.split())
    res = CliRunner().invoke(app, ["run", str(copy), "--no-open"])
    assert res.exit_code == 2 and "Không tìm thấy thư mục báo cáo" in " ".join(res.output.split())


def test_launcher_texts_and_the_zip(td_workbook, tmp_path, registry, campaign):
    from typer.testing import CliRunner

    from addin.cli import app

    name = td_workbook.name
    cmd = td_workbook.with_suffix(".cmd").read_bytes()
    assert cmd.count(b"\r\n") == cmd.count(b"\n") and cmd.startswith(b"@echo off\r\nchcp 65001")
    assert f'run "%~dp0{name}" --launcher %*'.encode() in cmd
    assert rb'set "SANGKIEN_EXE=%USERPROFILE%\sangkien\.venv\Scripts\sangkien.exe"' in cmd
    block = re.search(rb"\(\r\n.*?\r\n\)", cmd, re.S)
    assert block is None  # the not-found message has brackets: never inside a ( ) block
    for suffix in (".sh", ".command"):
        path = td_workbook.with_suffix(suffix)
        assert path.stat().st_mode & 0o111 and path.read_bytes().startswith(b"#!/bin/sh\n")
        assert subprocess.run(["sh", "-n", str(path)]).returncode == 0
    res = CliRunner().invoke(app, ["excel", "--out", str(tmp_path), "--zip", "--project-dir", r"D:\Cong cu\sangkien"])
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(tmp_path / "sangkien-bang-tinh.zip") as z:
        infos = {i.filename: i for i in z.infolist()}
        assert len(infos) == 12 * (1 + len(LAUNCHER_SUFFIXES))
        for n, info in infos.items():
            assert z.read(n) == (tmp_path / n).read_bytes()
            if n.endswith((".sh", ".command")):
                assert info.external_attr >> 16 == 0o100755, n
        cmd = z.read(next(n for n in infos if n.endswith(".cmd")))
        assert rb'set "SANGKIEN_EXE=D:\Cong cu\sangkien\.venv\Scripts\sangkien.exe"' in cmd


def test_prepare_sys_path_accepts_a_onedrive_workbook(td_workbook, monkeypatch):
    """What xlwings' VBA sends RunPython (xlwings.bas: AddExcelDir;ActiveFullName;ThisFullName;3 OneDrive
    settings;PYTHONPATH) for a workbook in a OneDrive-synced Documents folder, through xlwings' own code."""
    from xlwings.utils import prepare_sys_path

    conf = {row[0]: row[1] for row in open_workbook(td_workbook).grid(L.S_XLWINGS)}
    assert conf["ADD_WORKBOOK_TO_PYTHONPATH"] == "false"
    url = "https://d.docs.live.net/0a1b2c3d4e5f/Documents/SangKien/" + td_workbook.name
    project = "/home/nguyen/sangkien"
    args = ";".join([conf["ADD_WORKBOOK_TO_PYTHONPATH"], url, url, "", "", "", project])
    monkeypatch.setattr(sys, "path", list(sys.path))
    prepare_sys_path(args)
    assert sys.path[0] == project
    with pytest.raises(Exception):  # noqa: B017 - what xlwings does with the default "true": its own error
        prepare_sys_path(";".join(["true", url, url, "", "", "", project]))


def test_doctor_warns_on_paths_with_diacritics():
    bad = ascii_path_check({"Python": r"C:\Users\Nguyễn Văn A\sangkien\.venv\Scripts\python.exe"})
    assert bad.ok is False and "Nguyễn Văn A" in bad.detail and ASCII_ADVICE in bad.detail
    assert ascii_path_check({"Python": r"C:\sangkien\.venv\Scripts\python.exe"}).ok is True


def test_outputs_link_with_forward_slashes_and_need_no_recalculation(sample_templates, campaign,  # noqa: F811
                                                                   registry, tmp_path):
    inbox = tmp_path / "hop thu" / "TD"
    fill_inbox(campaign, registry, "TD", inbox, sample_templates, 2, seed=3)
    result = consolidate_district(inbox, "TD", campaign, registry, now=RUN)
    path = dw.write_district_workbook(result, tmp_path / "ket-qua" / "tong-hop.xlsx")
    with zipfile.ZipFile(path) as z:
        rels = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".rels") and "worksheets" in n)
        targets = re.findall(r'Target="([^"]+)" TargetMode="External"', rels)
        assert targets and all(t.startswith("../hop%20thu/TD/") and "\\" not in t for t in targets)
        assert "fullCalcOnLoad" not in z.read("xl/workbook.xml").decode()
        noms = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert any("<f>SUMPRODUCT" in z.read(n).decode() for n in noms)  # the counter, with its result
    (fresh,) = build_workbooks(campaign, registry, tmp_path / "xlsm", district_code="TD", include_province=False)
    with zipfile.ZipFile(fresh) as z:
        assert "fullCalcOnLoad" not in z.read("xl/workbook.xml").decode()
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))


@pytest.mark.libreoffice
def test_a_workbook_saved_by_libreoffice_keeps_its_configuration(td_workbook, tmp_path, registry):
    """WPS and LibreOffice users edit «Cấu hình» there and save as .xlsm; the launcher reads what they saved."""
    from addin.excel.config import read_config
    from addin.excel.saved import SavedBook
    from addin.io.libreoffice import convert_all

    edited = tmp_path / "td.xlsm"
    wb = openpyxl.load_workbook(td_workbook, keep_vba=True)
    name_cells(wb, L.N_DEADLINE).value = dt.datetime(2021, 4, 10)
    name_cells(wb, L.N_INBOX).value = "thu muc khac"
    wb.save(edited)
    (saved,) = convert_all([edited], "xlsm:Calc MS Excel 2007 VBA XML", tmp_path / "lo", timeout=300, recalc=False)
    cfg = read_config(SavedBook(saved), "district")
    assert (cfg.code, cfg.deadline, cfg.inbox) == ("TD", dt.date(2021, 4, 10), saved.parent / "thu muc khac")
    assert sorted(cfg.quotas) == sorted(c.code for c in registry.cdcs_of("TD"))
