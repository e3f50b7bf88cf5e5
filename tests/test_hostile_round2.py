"""Hostile input, second round: what the district corpus (tests/hostile_corpus.py) cannot show by rows alone.

The annotated copy keeps no live content and bounds its memory; outputs never land on inputs; a forged cache
entry is not believed; write failures and native stderr never reach the user as tracebacks; FIFOs are listed,
never opened; a province folder of tampered packages, retyped cells, a FIFO and a zip bomb still consolidates
with an issue for each; and a bounded fuzz pass over zip members and sheet XML finds nothing that escapes the
gate (an exception out of ``inspect_bytes`` or the reader, or a process abort).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.cdcs.annotate import AnnotateError, annotate_copy
from addin.cdcs.cache import CACHE_DIR_NAME
from addin.cdcs.reader import file_modified, read_submission
from addin.cdcs.validate import validate_and_annotate, validate_file
from addin.district.consolidate import consolidate_district
from addin.district.records import UNREADABLE
from addin.district.run import run_district
from addin.dossier.package import read_package, write_package
from addin.io.atomic import OutputWriteError, atomic_path
from addin.io.gate.inspect import inspect_bytes
from addin.io.names import visible_name
from addin.io.outputs import OutputOverInput
from addin.province.consolidate import consolidate_province
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import valid_initiative, valid_unit_answers
from addin.cdcs.template.files import generate_templates
from hostile_corpus import _live_content, parts_of_bytes, sheet_part, zip_bytes
from test_province import RUN as PROVINCE_RUN
from test_province import province  # noqa: F401 - the fixture: a small real province with its dossiers
from validators import layout as L
from validators.campaign import load_campaign
from addin.registry import Cdcs, District, Registry

RUN = dt.datetime(2021, 4, 9, 8, 30, 0)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A district HX of four CĐCS, their filled workbooks (two rows each) and the campaign."""
    campaign = load_campaign()
    districts = (District(code="HX", name="Liên đoàn Lao động huyện Hòa Xuân", kind="LĐLĐ huyện"),)
    cdcs = tuple(Cdcs(code=f"HX{n:03d}", name=f"Công đoàn cơ sở số {n}", parent="HX", bloc=campaign.blocs[n % 2],
                      members=30) for n in range(4))
    registry = Registry(province="Đắk Nông", province_code="DNO", districts=districts, cdcs=cdcs)
    root = tmp_path_factory.mktemp("round2")
    tpl = root / "tpl"
    generate_templates(campaign, registry, tpl, district_code="HX", include_blank=False)
    rng = random.Random(12)
    files = {}
    for c in cdcs:
        src = next(p for p in tpl.rglob("*.xlsx") if p.name.startswith(c.code))
        out = root / "src" / f"{c.code}.xlsx"
        out.parent.mkdir(exist_ok=True)
        rows = [dict(valid_initiative(campaign, c, rng, number=k + 1), **{"Đã thẩm định": L.YES}) for k in range(2)]
        fast_fill_workbook(src, out, valid_unit_answers(campaign, c, rng), rows)
        files[c.code] = out.read_bytes()
    return campaign, registry, files


def _inbox(tmp_path: Path, files: dict[str, bytes]) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for code, data in files.items():
        (inbox / f"{code} - bao cao.xlsx").write_bytes(data)
    return inbox


# --- the annotated copy ----------------------------------------------------------------------------------------
LIVE = re.compile(rb"WEBSERVICE|cmd\|| /C calc|evil\.example", re.I)


@pytest.mark.parametrize("variant", [0, 1, 2])
def test_annotated_copy_keeps_no_live_content(small, tmp_path, variant):
    campaign, registry, files = small
    src = tmp_path / "HX000 - live.xlsx"
    data = _live_content(files["HX000"], variant)
    # a wrong value too, so that the copy has something to mark
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb[L.SHEET_INITIATIVES]["D4"] = "một chín tám mươi"
    wb.save(src)
    assert LIVE.search(b"".join(zipfile.ZipFile(src).read(n) for n in zipfile.ZipFile(src).namelist()))
    report = validate_file(src, campaign, registry)
    copy = annotate_copy(src, report, tmp_path / "out")
    with zipfile.ZipFile(copy) as z:
        # cell text may quote anything (a link's address shown as text is data); nothing else may
        everything = b"".join(re.sub(rb"<t[^>]*>[^<]*</t>", b"", z.read(n)) for n in z.namelist()
                              if not n.endswith("sharedStrings.xml"))
        assert not [n for n in z.namelist() if "externalLink" in n or n.endswith(".bin")]
    assert not LIVE.search(everything), LIVE.search(everything)
    assert b'TargetMode="External"' not in everything
    out = openpyxl.load_workbook(copy)
    authors = {c.comment.author for ws in out.worksheets for row in ws.iter_rows() for c in row if c.comment}
    assert authors == {"sangkien"}  # ours only: the sender's note is gone
    assert "MA_DON_VI" in out.defined_names  # plain references stay
    check = [c for row in out[L.SHEET_CHECK].iter_rows() for c in row if c.data_type == "f"]
    assert len(check) >= 30  # the template's own checks stay live


def test_annotated_copy_memory_is_bounded(small, tmp_path):
    """600,000 cell styles: refused for the copy (openpyxl would take gigabytes), read by validate."""
    campaign, registry, files = small
    parts = parts_of_bytes(files["HX001"])
    styles = parts["xl/styles.xml"]
    rng = random.Random(5)
    xfs = b"".join(b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="%d"/>'
                   % (rng.randrange(50), rng.randrange(10**6)) for _ in range(599_000))  # not a bomb: varied
    styles = re.sub(rb'<cellXfs count="\d+">', lambda m: b'<cellXfs count="600000">' + xfs, styles, count=1)
    parts["xl/styles.xml"] = styles
    src = tmp_path / "HX001 - styles.xlsx"
    src.write_bytes(zip_bytes(parts))
    report = validate_file(src, campaign, registry)
    assert report.readable
    with pytest.raises(AnnotateError, match="quá nhiều ô hoặc định dạng"):
        annotate_copy(src, report, tmp_path / "out")


# --- outputs never over inputs ---------------------------------------------------------------------------------
def test_outputs_over_inputs_are_refused(small, tmp_path):
    campaign, registry, files = small
    inbox = _inbox(tmp_path, files)
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}
    with pytest.raises(OutputOverInput, match="thư mục đang đọc"):
        run_district(inbox, "HX", campaign, registry, workbook=inbox / "HX000 - bao cao.xlsx", now=RUN)
    with pytest.raises(OutputOverInput, match="thư mục đang đọc"):
        validate_and_annotate([inbox], campaign, registry, annotate_dir=inbox, workers=1)
    # a file named like another file's marked copy, both given one by one: the copy is not written over it
    bad = inbox / "HX000 - bao cao.xlsx"
    wb = openpyxl.load_workbook(bad)
    wb[L.SHEET_INITIATIVES]["D4"] = "80"
    wb.save(bad)
    before[bad.name] = bad.read_bytes()
    clash = inbox / "HX000 - bao cao - danh dau loi.xlsx"
    clash.write_bytes(files["HX001"])
    before[clash.name] = clash.read_bytes()
    run = validate_and_annotate([bad, clash], campaign, registry, annotate_dir=inbox, workers=1)
    assert any("đang được kiểm tra" in f for f in run.annotate_failures)
    assert {p.name: p.read_bytes() for p in inbox.iterdir()} == before


# --- the cache is authenticated --------------------------------------------------------------------------------
def test_forged_cache_entry_is_not_believed(small, tmp_path, monkeypatch):
    monkeypatch.setenv("SANGKIEN_KEY_DIR", str(tmp_path / "khoa"))
    campaign, registry, files = small
    inbox = _inbox(tmp_path, files)
    bad = inbox / "HX002 - bao cao.xlsx"
    wb = openpyxl.load_workbook(bad)
    wb[L.SHEET_INITIATIVES]["D4"] = "một chín tám mươi"
    wb.save(bad)
    cache = tmp_path / "out" / CACHE_DIR_NAME
    fresh = consolidate_district(inbox, "HX", campaign, registry, now=RUN, cache_dir=cache)
    assert any(not f.report.valid for f in fresh.files)
    (cache_file,) = cache.glob("*.json")
    body = json.loads(cache_file.read_text(encoding="utf-8"))
    forged = next(e for e in body["entries"] if not e["report"]["valid"])
    forged["report"]["valid"] = True
    forged["report"]["issues"] = []
    cache_file.write_text(json.dumps(body), encoding="utf-8")
    again = consolidate_district(inbox, "HX", campaign, registry, now=RUN, cache_dir=cache)
    assert again.reused_files == len(again.files) - 1 and "không xác thực được" in again.cache.problem
    assert [f.report.valid for f in again.files] == [f.report.valid for f in fresh.files]
    assert again.ledger == fresh.ledger
    assert not list(cache.glob("*.key")) and (tmp_path / "khoa" / "cache.key").is_file()  # the key is elsewhere


# --- values, names and times ---------------------------------------------------------------------------------
def test_out_of_range_times_and_odd_names_never_raise():
    assert file_modified(253402300800.0 + 400 * 86400) is None  # "modified in year 10001"
    assert file_modified(float("nan")) is None and file_modified(-1e18) is None
    assert visible_name("a\udcffb\x1b[2J\u202ec.xlsx") == "a\\xffb\\x1b[2J\\u202ec.xlsx"
    assert visible_name("Báo cáo Hòa Xuân.xlsx") == "Báo cáo Hòa Xuân.xlsx"


def test_district_writes_a_400_digit_amount_and_an_undecodable_name(small, tmp_path):
    campaign, registry, files = small
    inbox = _inbox(tmp_path, {})
    wb = openpyxl.load_workbook(io.BytesIO(files["HX000"]))
    col = [f.label for f in L.INITIATIVE_FIELDS].index("Giá trị làm lợi (đồng)") + 1
    wb[L.SHEET_INITIATIVES].cell(L.TABLE_HEADER_ROW + 1, col).value = "9" * 400
    wb.save(inbox / "HX000.xlsx")
    odd = Path(os.fsdecode(os.fsencode(str(inbox)) + b"/HX001 \xff\x1b[31m.xlsx"))
    odd.write_bytes(files["HX001"])
    result = run_district(inbox, "HX", campaign, registry, workbook=tmp_path / "out" / "tong-hop.xlsx", now=RUN)
    assert (tmp_path / "out" / "tong-hop.xlsx").is_file()
    json.dumps(result.as_json(), ensure_ascii=False).encode("utf-8")  # every name encodable
    assert any(f.name == "HX001 \\xff\\x1b[31m.xlsx" and f.rows_consolidated == 2 for f in result.files)
    assert any(i.code == "value-too-large" for i in result.issues + [i for f in result.files for i in f.report.issues])
    assert result.ledger["rows_consolidated"] == 3


# --- non-regular files -----------------------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifo_named_like_a_workbook_is_listed_never_opened(small, tmp_path):
    campaign, registry, files = small
    inbox = _inbox(tmp_path, {"HX000": files["HX000"]})
    os.mkfifo(inbox / "HX001 - treo.xlsx")
    code = ("import datetime as dt, pickle, sys; from addin.district.consolidate import consolidate_district;"
            "c, r, inbox = pickle.load(sys.stdin.buffer);"
            "res = consolidate_district(inbox, 'HX', c, r, now=dt.datetime(2021, 4, 9));"
            "print([(f.name, f.role) for f in res.files])")
    import pickle

    done = subprocess.run([sys.executable, "-c", code], input=pickle.dumps((campaign, registry, inbox)),
                          capture_output=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"('HX001 - treo.xlsx', '{UNREADABLE}')" in done.stdout.decode()


# --- write failures and stderr ---------------------------------------------------------------------------------
def test_write_failures_are_a_vietnamese_sentence(tmp_path):
    target = tmp_path / "la-thu-muc.xlsx"
    target.mkdir()
    with pytest.raises(OutputWriteError, match="Không ghi được tệp 'la-thu-muc.xlsx'"):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"x")
    assert not list(tmp_path.glob(".*.tmp"))
    full = tmp_path / "day"
    full.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(full)], capture_output=True)
    if mounted.returncode != 0:
        return  # needs root: the permission and lock messages share the same path
    try:
        with pytest.raises(OutputWriteError, match="ổ đĩa đã đầy"):
            with atomic_path(full / "tong-hop.xlsx") as tmp:
                tmp.write_bytes(b"x" * 100_000)
        assert not list(full.iterdir())
    finally:
        subprocess.run(["umount", str(full)], capture_output=True)


def test_temporary_files_of_a_killed_run_are_removed_by_the_next_write(tmp_path):
    target = tmp_path / "tong-hop.xlsx"
    stale = tmp_path / ".tong-hop.ab12cd.xlsx.tmp"  # what atomic_path leaves when the process is killed
    fresh = tmp_path / ".tong-hop.ef34gh.xlsx.tmp"  # another run writing right now: left alone
    other = tmp_path / ".khac.ab12cd.xlsx.tmp"
    for p in (stale, fresh, other):
        p.write_bytes(b"PK")
    hour_ago = dt.datetime.now().timestamp() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"ok")
    assert target.read_bytes() == b"ok" and not stale.exists() and fresh.exists() and other.exists()


@pytest.mark.skipif(os.name != "posix", reason="descriptor 2 diversion is POSIX")
def test_native_stderr_goes_to_a_log_not_the_console(tmp_path):
    log = tmp_path / "native.log"
    code = ("import os, sys; from pathlib import Path; from addin.io.native_stderr import divert_native_stderr;"
            f"divert_native_stderr(Path({str(log)!r}));"
            "os.write(2, b\"thread '<unnamed>' panicked at src/xlsx.rs\\n\");"
            "print('Lỗi: tệp hỏng', file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, cwd=ROOT)
    assert "Lỗi: tệp hỏng" in done.stderr.decode() and b"panicked" not in done.stderr
    assert b"panicked" in log.read_bytes()


# --- a hostile province folder ---------------------------------------------------------------------------------
def test_tampered_packages_and_hostile_files_at_the_province(province, tmp_path):  # noqa: F811
    campaign, registry, result, *_ = province
    root = tmp_path / "ho-so"
    shutil.copytree(result.dossiers_dir, root)
    cj_path = next((root / "CJ").glob("goi-du-lieu-*.xlsx"))
    cj = read_package(cj_path)
    other = registry.cdcs_of("DM")[0]
    extra = dict(cj.initiatives[0], id="DM-them-1", unit_code=other.code, title="Dòng của huyện khác")
    unknown = dict(cj.initiatives[0], id="CJ-la-1", unit_code="KHONGCO", title="Đơn vị lạ")
    copy = dict(cj.initiatives[1])
    not_proposed = next(r for r in cj.initiatives if not r.get("nominated"))
    cj.initiatives += [extra, unknown, copy]
    cj.nominations.append(dict(not_proposed, rank=2))
    cj.ledger = dict(cj.ledger, rows_consolidated=len(cj.initiatives), rows_read=cj.ledger["rows_read"] + 3)
    cj.stamp["to_trinh_file"] = cj_path.name
    write_package(cj, cj_path)
    # DM's package retyped by hand: a year, a date, a rank, a count as text
    dm_path = next((root / "DM").glob("goi-du-lieu-*.xlsx"))
    wb = openpyxl.load_workbook(dm_path)
    ws = wb["Sáng kiến"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Mã sáng kiến")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    retyped_row = header + 1
    ws.cell(retyped_row, cols["Năm sinh"]).value = "một chín tám mươi"
    ws.cell(retyped_row, cols["Ngày bắt đầu áp dụng"]).value = "hôm qua"
    wb["Đề xuất"].cell(header + 1, 1).value = "nhất"
    wb.save(dm_path)
    dm = read_package(dm_path)
    # KN's package restamped as CJ's and left in KN's folder: it must not replace CJ's data
    kn_path = next((root / "KN").glob("goi-du-lieu-*.xlsx"))
    kn = read_package(kn_path)
    kn.stamp["code"] = "CJ"
    kn.stamp["export_date"] = "2021-04-09"
    write_package(kn, kn_path)
    # a FIFO and a zip bomb among the raw CĐCS files of GN
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "GN" / "treo.xlsx")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (300 * 2**20) + b"</worksheet>")
    (root / "GN" / "bom.xlsx").write_bytes(bomb.getvalue())

    again = consolidate_province(root, campaign, registry, now=PROVINCE_RUN)
    codes = {}
    for i in again.issues:
        codes.setdefault(i.code.value, []).append(i)
    assert len(codes["package-foreign-row"]) == 2
    assert len(codes["package-duplicate-id"]) == 1
    assert codes["package-self-reference"][0].value == cj_path.name
    assert any("Tờ trình" in i.message for i in codes["dossier-incomplete"] if "CJ" in (i.path or ""))
    assert len(codes["nomination-not-proposed"]) == 1
    assert {(i.sheet, i.row, i.field) for i in codes["package-cell"]} >= {
        ("Sáng kiến", retyped_row, "birth_year"), ("Sáng kiến", retyped_row, "applied_on"),
        ("Đề xuất", header + 1, "rank")}
    assert dm.issues
    assert codes["package-wrong-folder"]
    cj_entry = next(d for d in again.districts if d.code == "CJ")
    assert {r["unit_code"] for r in cj_entry.initiatives} <= {c.code for c in registry.cdcs_of("CJ")}
    assert len(cj_entry.initiatives) == len({r["id"] for r in cj_entry.initiatives})
    assert not any(n["id"] == not_proposed["id"] for n in again.accepted)
    assert any(i.code.value == "file-unsafe" or "bom.xlsx" in (i.path or "") for i in again.issues)
    json.dumps(again.as_json(), ensure_ascii=False, default=str)


# --- fuzz: zip members and sheet XML ---------------------------------------------------------------------------
_BASE: dict[str, bytes] = {}


def _base_parts(small) -> dict[str, bytes]:
    if not _BASE:
        _BASE.update(parts_of_bytes(small[2]["HX003"]))
    return dict(_BASE)


_TAGS = [b'<c r="A1"><v>1</v></c>', b'<c r="XFD1048576"><v>1</v></c>', b'<c><v>2</v></c>', b'<row r="1048576">',
         b"<row>", b"</row>", b'<c r="ZZ99999" t="s"><v>0</v></c>', b"<!DOCTYPE x>", b"<![CDATA[<c r='XFD9'>]]>",
         b'<x:c r="B2"><x:v>3</x:v></x:c>', b"\x00", b"\xff\xfe", b'<c r="A1" r="XFD1048576"><v>1</v></c>',
         b"<sheetData>", b"</sheetData>", b'<dimension ref="A1:XFD1048576"/>', b'<c r="B3" s="9"/>']


@settings(max_examples=int(os.environ.get("SANGKIEN_FUZZ_EXAMPLES", "100")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 64), st.sampled_from(_TAGS) | st.binary(max_size=40)),
                     min_size=1, max_size=6))
def test_fuzz_sheet_xml(small, tmp_path, cuts):
    parts = _base_parts(small)
    sp = sheet_part(parts, L.SHEET_INITIATIVES)
    xml = parts[sp]
    for where, drop, insert in cuts:
        i = int(where * len(xml))
        xml = xml[:i] + insert + xml[i + drop:]
    parts[sp] = xml
    _read_never_raises(zip_bytes(parts), tmp_path)


@settings(max_examples=int(os.environ.get("SANGKIEN_FUZZ_EXAMPLES", "100")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(st.tuples(st.sampled_from(["drop", "rename", "replace", "add"]), st.integers(0, 40),
                              st.sampled_from(["xl/data/x.bin", "xl/worksheets/sheet9.xml", "xl/sharedStrings.xml",
                                               "xl/tables/table9.xml", "../evil.xml", "XL/Workbook.xml"]),
                              st.binary(max_size=200) | st.sampled_from(_TAGS)), min_size=1, max_size=4))
def test_fuzz_zip_members(small, tmp_path, ops):
    parts = _base_parts(small)
    for op, k, name, data in ops:
        keys = sorted(parts)
        victim = keys[k % len(keys)]
        if op == "drop" and len(parts) > 1:
            parts.pop(victim)
        elif op == "rename":
            parts[name] = parts.pop(victim)
        elif op == "replace":
            parts[victim] = data
        else:
            parts[name] = data
    _read_never_raises(zip_bytes(parts), tmp_path)


def _read_never_raises(data: bytes, tmp_path: Path) -> None:
    inspection = inspect_bytes(data)  # never raises: its contract
    assert inspection.ok or inspection.issue.message
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(data)
    sub = read_submission(path)  # never raises, never aborts: problems are issues
    assert sub.fatal or sub.rows is not None


def test_hidden_lock_named_and_extensionless_workbooks_are_named_not_skipped_silently(small, tmp_path):
    campaign, registry, files = small
    inbox = _inbox(tmp_path, {"HX000": files["HX000"]})
    (inbox / ".HX001.xlsx").write_bytes(files["HX001"])
    (inbox / "~$HX002.xlsx").write_bytes(files["HX002"])
    (inbox / "HX003 bao cao").write_bytes(files["HX003"])
    (inbox / "~$khoa.xlsx").write_bytes(b"\x0bNguyen Van A" + b" " * 150)  # a real Office lock file: nothing to say
    if hasattr(os, "mkfifo"):
        os.mkfifo(inbox / ".treo")
    result = consolidate_district(inbox, "HX", campaign, registry, now=RUN)
    skipped = sorted(i.path for i in result.issues if i.code.value == "file-skipped")
    assert skipped == [".HX001.xlsx", "HX003 bao cao", "~$HX002.xlsx"]
    run = validate_and_annotate([inbox], campaign, registry, workers=1)
    assert sorted(i["path"] for i in run.as_json()["skipped"]) == skipped


def test_retyped_cells_of_a_province_package_are_issues_at_the_national_level(province, tmp_path):  # noqa: F811
    from addin.province.letters import write_province_package
    from addin.province.national import consolidate_national

    campaign, registry, result, *_ = province
    path = write_province_package(result, tmp_path / "P1" / "goi-du-lieu-P1.xlsx", signed_on=dt.date(2021, 4, 19),
                                  with_letters=False)
    wb = openpyxl.load_workbook(path)
    ws = wb["Đơn vị"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Mã tỉnh")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    ws.cell(header + 1, cols["Số sáng kiến được tổng hợp"]).value = "mười hai"
    ws.cell(header + 2, cols["Ngày gửi"]).value = "10001-01-01"
    wb.save(path)
    nat = consolidate_national(tmp_path, campaign)
    cells = {(i.sheet, i.row, i.field) for i in nat.issues if i.code.value == "package-cell"}
    assert cells == {("Đơn vị", header + 1, "initiatives"), ("Đơn vị", header + 2, "sent_on")}
    assert [p.code for p in nat.provinces] == [registry.province_code]
