"""The national roll-up reads packages as data (issue 17): each package is read with only the columns the
national summary uses (``NATIONAL_KEYS``; the other columns still checked for cells of the wrong type) and
reduced where it is read, in a pool when it pays. The result must be the reference's, the straightforward read
(``consolidate_national(..., reference=True)``: serial, every row typed and kept until its package is reduced),
key for key, on a folder of everything a national folder may hold: packages with and without letters, a
superseded one, a district's, packages edited by hand (wrong types, blank lines, unknown words), unreadable ones
and files that are not workbooks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import zipfile

import openpyxl
import pytest

from addin.dossier.package import INITIATIVE_COLUMNS, read_package
from addin.province.letters import write_province_package
from addin.province.national import NATIONAL_KEYS, consolidate_national
from addin.io.gate.limits import Limits
from addin.io.gate.ooxml import sheets_by_name
from test_province import province  # noqa: F401 - the fixture: a small real province with its dossiers


def _header(ws, first: str) -> tuple[int, dict[str, int]]:
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == first)
    return header, {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}


def _retype(path) -> None:
    """A province package edited by hand in Excel: wrong types in read and unread columns, blank lines, a
    whitespace-only line, words the reader does not know."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Sáng kiến"]
    h, cols = _header(ws, "Mã sáng kiến")
    edits = {1: {"Năm sinh": "một chín tám mươi", "Giá trị làm lợi (đồng)": "nhiều lắm", "Đã thẩm định": "Yes"},
             2: {"Đề xuất cấp trên": 5, "Dòng nguồn": "x", "Đã cập nhật phần mềm TLĐ": "có rồi"},
             3: {"Ngày bắt đầu áp dụng": "hôm qua", "Tên sáng kiến": 12345, "Tác giả": "   "},
             4: {"Lĩnh vực": "Lĩnh vực lạ", "Khối": 7, "Khiếu nại, tranh chấp": "Không rõ", "Năm sinh": 1980.5},
             5: {"Tóm tắt nội dung": True, "Ghi chú": dt.datetime(2021, 3, 1), "Mã đơn vị": 42}}
    for k, values in edits.items():
        for label, v in values.items():
            ws.cell(h + k, cols[label]).value = v
    ws.insert_rows(h + 3, 2)  # two blank lines inside the table
    ws.cell(h + 3, cols["Ghi chú"]).value = "   "  # a line holding only spaces is blank too
    units = wb["Đơn vị"]
    h, cols = _header(units, "Mã tỉnh")
    units.cell(h + 1, cols["Tình trạng"]).value = "Đang chờ"
    units.cell(h + 2, cols["Tính vào chỉ tiêu"]).value = "Có lẽ"
    units.cell(h + 3, cols["Ngày gửi"]).value = "10001-01-01"
    wb.save(path)


@pytest.fixture(scope="module")
def national_folder(province, tmp_path_factory):  # noqa: F811
    campaign, registry, result, *_ = province
    out = tmp_path_factory.mktemp("national-read") / "quoc-gia"
    for n in range(1, 5):
        reg = registry.model_copy(update={"province_code": f"P{n}", "province": f"Tỉnh số {n}"})
        write_province_package(dataclasses.replace(result, registry=reg), out / f"P{n}" / f"goi-du-lieu-P{n}.xlsx",
                               signed_on=dt.date(2021, 4, 19), with_letters=(n == 1))
    older = registry.model_copy(update={"province_code": "P2", "province": "Tỉnh số 2"})
    write_province_package(dataclasses.replace(result, registry=older), out / "cu" / "goi-P2-cu.xlsx",
                           signed_on=dt.date(2021, 4, 10), with_letters=False)
    _retype(out / "P3" / "goi-du-lieu-P3.xlsx")
    wb = openpyxl.load_workbook(out / "P4" / "goi-du-lieu-P4.xlsx")  # a sheet deleted: not a package to use
    del wb["Đề xuất"]
    wb.save(out / "P4" / "goi-du-lieu-P4.xlsx")
    shutil.copy(next((result.dossiers_dir / "CJ").glob("goi-du-lieu-*.xlsx")), out / "district.xlsx")
    (out / "ghi-chu.txt").write_text("not a workbook", encoding="utf-8")
    (out / "hong.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with zipfile.ZipFile(out / "la.xlsx", "w") as z:  # a zip that is no workbook
        z.writestr("hello.txt", "x" * 1000)
    return campaign, out


def test_reduced_package_read_keeps_the_issues_of_the_whole_read(national_folder):
    _, out = national_folder
    path = out / "P3" / "goi-du-lieu-P3.xlsx"
    full, reduced = read_package(path), read_package(path, initiative_keys=NATIONAL_KEYS)
    assert reduced.issues == full.issues and reduced.rows_at == full.rows_at
    assert reduced.initiatives == [{k: r[k] for k in NATIONAL_KEYS} for r in full.initiatives]
    assert (reduced.units, reduced.nominations, reduced.stamp, reduced.ledger) == (
        full.units, full.nominations, full.stamp, full.ledger)
    fields = {i.field for i in full.issues if i.code == "package-cell" and i.sheet == "Sáng kiến"}
    # cells of columns the national summary never reads are still reported
    assert {"birth_year", "benefit", "assessed", "nominated", "source_row"} <= fields
    assert {"entered_tld", "applied_on", "disputed"} <= fields
    assert read_package(path, initiative_keys=()).initiatives == [{} for _ in full.initiatives]
    kinds = {c.key: c.kind for c in INITIATIVE_COLUMNS}
    assert all(kinds[k] in ("text", "long") for k in {c.key for c in INITIATIVE_COLUMNS} - set(NATIONAL_KEYS)
               - {"birth_year", "benefit", "assessed", "nominated", "source_row"})


@pytest.mark.parametrize("workers", [1, 2])
def test_national_read_as_data_equals_the_reference(national_folder, workers):
    campaign, out = national_folder
    seen: list[tuple[int, int, str]] = []
    reference = consolidate_national(out, campaign, reference=True)
    fast = consolidate_national(out, campaign, workers=workers, progress=lambda n, t, name: seen.append((n, t, name)))
    assert fast.as_json() == reference.as_json()
    assert fast.issues == reference.issues and fast.exit_code == reference.exit_code
    assert [n for n, _, _ in seen] == list(range(1, len(seen) + 1)) and seen[-1][0] == seen[-1][1]
    doc = fast.as_json()
    assert [p["code"] for p in doc["provinces"]] == ["P1", "P2", "P3"]
    codes = {i["code"] for i in doc["issues"]}
    assert {"package-cell", "package-invalid", "package-superseded", "nomination-rejected",
            "duplicate-group"} <= codes
    roles = {f["path"]: f["role"] for f in doc["files"]}
    assert roles["cu/goi-P2-cu.xlsx"] == "package-superseded" and roles["P4/goi-du-lieu-P4.xlsx"] == "package-invalid"
    assert roles["district.xlsx"] == "package-invalid" and roles["ghi-chu.txt"] == "not-workbook"
    assert roles["hong.xlsx"] == roles["la.xlsx"] == "ignored"


def test_duplicate_groups_looked_up_by_package_equal_copy_by_copy():
    """``DuplicateIndex.groups`` splits each package's packed ids once; the groups are those of looking every
    copy up one by one (the index's first form, kept here), superseded packages left out."""
    import random

    from addin.province.duplicates import DuplicateGroup, DuplicateIndex

    rng = random.Random(17)
    titles = ["Máy cắt cỏ", "may cat co", "Bếp tiết kiệm", "Sổ tay điện tử", "Quy trình mới", None]
    authors = ["Lê Văn A", "LE VAN A", "Trần B", "", None]
    index = DuplicateIndex()
    numbers = []
    for p in range(6):
        rows = [{"id": f"P{p}-{i}" + ("\x1f" if i == 3 else ""), "unit_code": f"U{rng.randint(1, 4)}" if i else None,
                 "title": rng.choice(titles), "author": rng.choice(authors)} for i in range(rng.randint(0, 25))]
        numbers.append(index.add(f"P{p}", rows))

    def copy_by_copy(used):
        out = []
        for title, author, refs in index._groups.values():
            g = DuplicateGroup(title, author)
            for ref in refs:
                package, row = ref >> 32, ref & 0xFFFFFFFF
                if package in used:
                    code, ids, units = index._packages[package]
                    g.provinces.append(code)
                    g.ids.append(ids[row])
                    g.units.append(units[row])
            if len(g.ids) > 1:
                out.append(g)
        return out

    for used in (set(numbers), {0, 2, 5}, {1}, set()):
        assert index.groups(used) == copy_by_copy(used)
    assert index.groups(set(numbers))


def _dies_on_p2(context, path):
    """``_read_and_reduce``, except that it kills its process on P2's newest package (module level: pickled)."""
    import os

    from addin.province.national import _read_and_reduce

    if path.endswith("goi-du-lieu-P2.xlsx"):
        os._exit(3)
    return _read_and_reduce(context, path)


def test_a_package_that_kills_its_reader_is_reported_and_the_others_counted(national_folder, monkeypatch):
    """A worker that dies on a package (a parser aborting the process) leaves that package out with an issue
    and a ledger record; every other file gets its result (``addin.io.parallel``'s recovery)."""
    from addin.io import parallel
    from addin.province import national

    campaign, out = national_folder
    real = parallel.run_jobs
    monkeypatch.setattr(national, "run_jobs", lambda fn, *a, **k: real(_dies_on_p2, *a, **k))
    got = consolidate_national(out, campaign, workers=2)
    roles = {f.path: f.role for f in got.files}
    assert roles["P2/goi-du-lieu-P2.xlsx"] == "package-invalid"
    assert [p.code for p in got.provinces] == ["P1", "P2", "P3"]  # P2 from its older package, now the newest
    assert roles["cu/goi-P2-cu.xlsx"] == "package"
    assert any(i.code == "package-invalid" and i.path == "P2/goi-du-lieu-P2.xlsx" for i in got.issues)


def test_unit_facts_count_as_unit_reports():
    """``rows_indicators`` hands units to ``compute_indicators`` as plain objects: the indicators are those of
    the pydantic ``UnitReport`` it built before, on every mix of answers."""
    import itertools
    import random

    from addin.province import tally
    from validators.campaign import load_campaign
    from validators.models import UnitReport

    campaign = load_campaign()
    rng = random.Random(5)
    answers = [True, False, None]
    units = [{"unit_code": f"U{i}", "status": rng.choice(["valid", "errors", "missing", None]),
              "counted": rng.choice(answers), "propagated": p, "plan_signed": s, "plan_has_goals": rng.choice(answers),
              "plan_has_rewards": rng.choice(answers), "specific_movement": rng.choice(["", None, "  ", "Phong trào"])}
             for i, (p, s) in enumerate(itertools.product(answers * 4, answers * 4))]
    rows = [{"unit_code": f"U{rng.randrange(len(units))}", "entered_tld": rng.choice(answers)} for _ in range(300)]

    def as_report(u):
        return UnitReport.model_construct(
            unit_code=u.get("unit_code"), propagated=u.get("propagated"), plan_signed=u.get("plan_signed"),
            plan_has_goals=u.get("plan_has_goals"), plan_has_rewards=u.get("plan_has_rewards"),
            specific_movement=u.get("specific_movement") or None, initiatives=())

    fast = tally.rows_indicators(units, rows, len(units), campaign, scope="national")
    try:
        tally._unit_report, before = as_report, tally._unit_report
        slow = tally.rows_indicators(units, rows, len(units), campaign, scope="national")
    finally:
        tally._unit_report = before
    assert fast == slow


def test_a_package_with_a_far_cell_is_an_unreadable_package_and_the_others_count(national_folder, tmp_path):
    """Folder scans open workbooks with sheets measured on demand (issue 17): a package whose «Sáng kiến»
    holds a value in XFD1048576 is measured when read_package reads it, refused there, and reported as an
    unreadable package at its path; nothing reaches the parser unmeasured and the other provinces count."""
    campaign, out = national_folder
    folder = tmp_path / "quoc-gia"
    shutil.copytree(out, folder)
    path = folder / "P1" / "goi-du-lieu-P1.xlsx"
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
        part = sheets_by_name(zf, {i.filename.casefold(): i for i in zf.infolist()}, Limits())["Sáng kiến"]
    name = next(n for n in parts if n.casefold() == part)
    parts[name] = parts[name].replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                                      b"</sheetData>", 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    result = consolidate_national(folder, campaign, workers=1).as_json()
    roles = {f["path"]: f["role"] for f in result["files"]}
    assert roles["P1/goi-du-lieu-P1.xlsx"] == "package-invalid"
    assert [p["code"] for p in result["provinces"]] == ["P2", "P3"]
    refused = [i for i in result["issues"] if i["path"] == "P1/goi-du-lieu-P1.xlsx"]
    assert refused and all(i["code"] == "package-invalid" for i in refused)
    assert any("Sáng kiến" in i["message"] for i in refused)  # the sheet named; the cell is in the detail
