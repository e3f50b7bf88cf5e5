"""District consolidation on a realistic synthetic district: ~100 CĐCS, most valid, some missing, some with
the typical mistakes, one resubmitted, one late, one from another district, one of an unknown unit, one
junk file, a duplicate initiative across two units, and nominations over and within quota."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
from pathlib import Path

import openpyxl
import pytest

from addin.district.consolidate import consolidate_district
from addin.district.records import DistrictError, DistrictSettings
from addin.sheets.model import MARK_HEADER
from addin.district.workbook import INITIATIVE_COLUMNS, S_CHASE, S_ERRORS, S_FILES, S_INITIATIVES, S_NOMINATIONS, S_STATS, S_SUMMARY, S_UNITS
from addin.district.workbook import write_district_workbook
from validators.rules.counting import compute_indicators
from addin.registry import Cdcs, District, Registry
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import fill_workbook, valid_initiative, valid_unit_answers
from addin.sample.mistakes import MISTAKES, apply_mistake
from addin.cdcs.template.files import build_template, generate_templates
from validators.campaign import load_campaign

RUN = dt.datetime(2021, 4, 9, 8, 30, 0)
D, OTHER = "HX", "HY"
N_UNITS = 100
MISSING = set(range(90, 100))
# Over-quota nominations have their own unit below (OVER_QUOTA), with expectations of their own.
_MISTAKES = [m for m in MISTAKES if m[0] != "nominations-over-quota"]
MISTAKE_UNITS = {80 + i: key for i, (key, _, _) in enumerate(_MISTAKES)}  # 80..89
assert max(MISTAKE_UNITS) < min(MISSING), "more mistakes than units set aside for them"
RESUBMITTED, LATE, DUP_A, DUP_B, OVER_QUOTA, QUOTA_2, COMMEND, DISPUTED = 5, 6, 10, 11, 12, 13, 20, 21
TAMPERED, NO_SEND_DATE = 30, 31


def _registry(campaign) -> Registry:
    districts = (
        District(code=D, name="Liên đoàn Lao động huyện Hòa Xuân", kind="LĐLĐ huyện", contact="Trần Văn Bình",
                 phone="0261000001", email="ldld.hx@example.vn"),
        District(code=OTHER, name="Liên đoàn Lao động huyện Yên Hà", kind="LĐLĐ huyện"),
    )
    cdcs = [Cdcs(code=f"{D}{n:03d}", name=f"Công đoàn cơ sở Đơn vị số {n} Hòa Xuân", parent=D,
                 bloc=campaign.blocs[n % 2], members=20 + n, contact=f"Người liên hệ {n}",
                 phone=f"09{n:08d}", email=f"cdcs{n}@example.vn") for n in range(N_UNITS)]
    cdcs += [Cdcs(code=f"{OTHER}{n:03d}", name=f"Công đoàn cơ sở Yên Hà {n}", parent=OTHER, bloc=campaign.blocs[0],
                  members=30) for n in range(3)]
    return Registry(province="Đắk Nông", province_code="DNO", districts=districts, cdcs=tuple(cdcs))


def sha_tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def check_ledger(result) -> None:
    ledger = result.as_json()["ledger"]
    assert ledger["rows_read"] == ledger["rows_consolidated"] + ledger["rows_rejected"]
    for f in result.files:
        assert f.rows_read == f.rows_consolidated + f.rows_rejected, f.name
    assert ledger["rows_read"] == len(result.initiatives)
    assert ledger["rows_consolidated"] == sum(1 for r in result.initiatives if r.consolidated)
    assert all(r.reason for r in result.initiatives if not r.consolidated)


class World:
    pass


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    campaign = load_campaign()
    registry = _registry(campaign)
    root = tmp_path_factory.mktemp("district")
    tpl_dir = root / "templates"
    generate_templates(campaign, registry, tpl_dir, include_blank=False)
    tpl = {p.name.split(" - ")[0]: p for p in tpl_dir.rglob("*.xlsx")}
    inbox = root / "inbox"
    inbox.mkdir()
    rng = random.Random(2021)
    w = World()
    w.campaign, w.registry, w.root, w.inbox = campaign, registry, root, inbox
    w.titles = {}

    def unit_of(code):
        return registry.cdcs_by_code[code]

    def make(code, n_rows, *, name=None, folder=inbox, unit_over=None, rows_over=None, mistake=None,
             nominate=(0,), fill=fill_workbook):
        c = unit_of(code)
        unit = valid_unit_answers(campaign, c, rng)
        rows = [valid_initiative(campaign, c, rng, number=i + 1, nominated=i in nominate) for i in range(n_rows)]
        if rows_over:
            rows_over(rows)
        if unit_over:
            unit.update(unit_over)
        if mistake:
            apply_mistake(mistake, unit, rows, rng)
        out = folder / (name or tpl[code].name)
        fill(tpl[code], out, unit, rows)
        return rows

    for n in range(N_UNITS):
        code = f"{D}{n:03d}"
        if n in MISSING:
            continue
        if n in MISTAKE_UNITS:
            make(code, 2, mistake=MISTAKE_UNITS[n])
        elif n == RESUBMITTED:
            (inbox / "gui-lai").mkdir()
            make(code, 2, name="ban-cu.xlsx", unit_over={"NGAY_GUI": dt.date(2021, 3, 20)})
            make(code, 3, folder=inbox / "gui-lai", unit_over={"NGAY_GUI": dt.date(2021, 3, 25)})
        elif n == LATE:
            make(code, 1, unit_over={"NGAY_GUI": dt.date(2021, 4, 8)})
        elif n == DUP_A:
            w.dup = make(code, 2)[1]
        elif n == DUP_B:
            def copy_dup(rows):
                rows[0]["Tên sáng kiến"] = w.dup["Tên sáng kiến"].upper()
                rows[0]["Tác giả"] = w.dup["Tác giả"]
            make(code, 2, rows_over=copy_dup)
        elif n in (OVER_QUOTA, QUOTA_2):
            make(code, 3, nominate=(0, 2))
        elif n == COMMEND:
            def same_author(rows):
                for k in ("Tác giả", "Năm sinh", "Giới tính"):
                    rows[1][k] = rows[0][k]
            make(code, 2, rows_over=same_author)
        elif n == TAMPERED:
            make(code, 2, unit_over={"TEN_DON_VI": "Công đoàn cơ sở Tên đã bị sửa"})
        elif n == NO_SEND_DATE:
            make(code, 1, unit_over={"NGAY_GUI": None})
            late = dt.datetime(2021, 4, 7, 10, 0).timestamp()
            for p in inbox.glob(f"{code} - *.xlsx"):
                os.utime(p, (late, late))
        elif n == DISPUTED:
            def dispute(rows):
                rows[1]["Khiếu nại, tranh chấp"] = "Có"
            w.disputed_title = make(code, 2, rows_over=dispute)[1]["Tên sáng kiến"]
        else:
            # The plain units through the XML filler (tests/test_fastfill.py: the same cells and report as
            # openpyxl's); every special case above is saved by openpyxl, as a user's tool would.
            make(code, 1 + n % 3, fill=fast_fill_workbook)
    make(f"{OTHER}001", 2)  # another district's unit
    stranger = Cdcs(code="ZZ999", name="Công đoàn cơ sở Không có trong danh sách", parent=D, bloc=campaign.blocs[0])
    st = build_template(campaign, stranger, registry.district_by_code[D], root / "ZZ999.xlsx")
    fill_workbook(st, inbox / "ZZ999 - la.xlsx", valid_unit_answers(campaign, stranger, rng),
                  [valid_initiative(campaign, stranger, rng, number=1)])
    (inbox / "rac.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook at all")
    (inbox / "ghi-chu.txt").write_text("not a workbook, listed")
    (inbox / f"{D}092 bao cao.pdf").write_bytes(b"%PDF-1.4 a missing unit's report as a pdf")
    (inbox / "danh-sach.csv").write_text(f"Mã,Tên\n{D}093,Công đoàn cơ sở Đơn vị số 93\n", encoding="utf-8")

    w.before = sha_tree(inbox)
    w.calls = []
    w.settings = DistrictSettings(quotas={f"{D}{QUOTA_2:03d}": 2})
    w.result = consolidate_district(inbox, D, campaign, registry, settings=w.settings,
                                    progress=lambda *a: w.calls.append(a), now=RUN)
    w.workbook = write_district_workbook(w.result, root / "out" / "tong-hop.xlsx")
    return w


def unit(w, n, district=D):
    code = f"{district}{n:03d}"
    return next(u for u in w.result.units if u.code == code)


def test_statuses(world):
    r = world.result
    check_ledger(r)
    assert len(r.expected_units) == N_UNITS
    for n in MISSING:
        assert unit(world, n).status == "missing"
    for n, key in MISTAKE_UNITS.items():
        expected = "valid" if key == "text-date-and-nfd" else "errors"
        assert unit(world, n).status == expected, key
    assert unit(world, 0).status == "valid"
    assert unit(world, LATE).late and unit(world, LATE).status == "valid"
    assert not unit(world, 0).late
    res = unit(world, RESUBMITTED)
    assert res.resubmitted and res.file == f"gui-lai/{res.file.split('/')[-1]}" and res.superseded == ["ban-cu.xlsx"]
    assert res.initiatives == 3
    foreign = unit(world, 1, OTHER)
    assert foreign.status == "foreign"
    roles = {f.name: f.role for f in r.files}
    assert roles["ban-cu.xlsx"] == "superseded"
    assert roles["rac.xlsx"] == "unreadable"
    assert roles["ZZ999 - la.xlsx"] == "unknown"
    assert sum(1 for v in roles.values() if v == "foreign") == 1
    # every file is listed: a non-workbook with its reason, attached to the unit its name names
    files = {f["path"]: f for f in r.as_json()["files"]}
    assert files["ghi-chu.txt"]["role"] == "not-workbook" and files["ghi-chu.txt"]["unit"] is None
    assert "không thuộc đơn vị nào" in files["ghi-chu.txt"]["reason"]
    pdf = files[f"{D}092 bao cao.pdf"]
    assert pdf["role"] == "not-workbook" and pdf["unit"] == f"{D}092" and ".pdf" in pdf["reason"]
    u92 = unit(world, 92)
    assert u92.status == "missing" and u92.status_label == "Đã gửi tệp .pdf, chưa gửi biểu mẫu"
    assert files["danh-sach.csv"]["unit"] == f"{D}093"  # named in its content
    assert len(files) == sum(1 for p in world.inbox.rglob("*") if p.is_file())
    # counts
    statuses = [u.status for u in r.expected_units]
    assert statuses.count("missing") == 10
    # nine mistakes with errors + the unit over its quota + the tampered identity
    assert statuses.count("errors") == 9 + 1 + 1
    assert statuses.count("valid") == N_UNITS - 10 - 11
    tampered = unit(world, TAMPERED)
    assert tampered.status == "errors" and tampered.initiatives == 0 and tampered.rows_rejected == 2
    assert all("đã bị sửa" in x.reason for x in r.initiatives if x.unit_code == tampered.code)
    nosend = unit(world, NO_SEND_DATE)
    assert nosend.status == "valid" and nosend.late and nosend.sent_on == dt.date(2021, 4, 7)


def test_rejected_rows_kept_with_reason(world):
    r = world.result
    rejected = [x for x in r.initiatives if not x.consolidated]
    by_file = {x.file for x in rejected}
    assert "ban-cu.xlsx" in by_file and "ZZ999 - la.xlsx" in by_file
    assert any(x.unit_code.startswith(OTHER) for x in rejected)
    old = [x for x in rejected if x.file == "ban-cu.xlsx"]
    assert len(old) == 2 and all("gửi lại" in x.reason for x in old)
    assert all("không có trong danh sách" in x.reason for x in rejected if x.file == "ZZ999 - la.xlsx")
    errs = [x for x in rejected if x.unit_code == f"{D}{80:03d}"]  # long description
    assert errs and all(x.reason.startswith("Dòng có lỗi") for x in errs)


def test_ids_are_stable_and_unique(world, tmp_path):
    r = world.result
    ids = [x.id for x in r.initiatives if x.consolidated]
    assert len(ids) == len(set(ids))
    again = consolidate_district(world.inbox, D, world.campaign, world.registry, settings=world.settings, now=RUN)
    assert [x.id for x in again.initiatives] == [x.id for x in r.initiatives]
    assert all(x.id.startswith(x.unit_code + "-") for x in r.initiatives)


def test_duplicates_flagged_on_both(world):
    a, b = f"{D}{DUP_A:03d}", f"{D}{DUP_B:03d}"
    dups = [x for x in world.result.initiatives if x.duplicate_of and x.unit_code in (a, b)
            and any(o.startswith((a, b)) and not o.startswith(x.unit_code) for o in x.duplicate_of)]
    assert {x.unit_code for x in dups} == {a, b}
    assert all(x.consolidated for x in dups)
    assert dups[0].id.split("-")[1] == dups[1].id.split("-")[1]  # same title/author hash, whatever the case
    codes = [i for i in world.result.issues if i.code == "duplicate-initiative"]
    assert len(codes) == sum(1 for x in world.result.initiatives if x.duplicate_of)
    assert all(i.severity.value == "warning" for i in codes)
    assert {i.path for i in codes} >= {x.file for x in dups}


def test_nomination_quota(world):
    r = world.result
    over = [x for x in r.initiatives if x.over_quota]
    assert [x.unit_code for x in over] == [f"{D}{OVER_QUOTA:03d}"]
    assert over[0].row == max(x.row for x in r.initiatives if x.unit_code == over[0].unit_code and x.item.nominated)
    q2 = [x for x in r.nominations if x.unit_code == f"{D}{QUOTA_2:03d}"]
    assert len(q2) == 2 and unit(world, QUOTA_2).status == "valid"
    assert all(x.eligible and x.item.nominated and not x.item.disputed for x in r.nominations)
    assert not any(x.unit_code.startswith(OTHER) for x in r.nominations)


def test_commendation(world):
    c = [c for c in world.result.commendations if f"{D}{COMMEND:03d}" in c.units]
    assert len(c) == 1 and c[0].count == 2


def test_json_contract(world):
    data = json.loads(json.dumps(world.result.as_json(), ensure_ascii=False))
    assert data["district"] == D
    assert set(data["ledger"]) >= {"rows_read", "rows_consolidated", "rows_rejected"}
    for u in data["units"]:
        assert set(u) >= {"code", "status", "late", "resubmitted", "initiatives"}
        assert u["status"] in {"valid", "errors", "missing", "foreign"}
    for i in data["issues"]:
        assert set(i) >= {"code", "severity", "sheet", "cell", "field", "value", "message", "path"}
        assert i["path"]
    keys = {i["key"] for i in data["indicators"]}
    assert keys >= {"initiatives", "cdcs_with_initiative_pct", "propagated_pct", "specific_movement_pct",
                    "signed_plan_pct", "plan_goals_pct", "plan_rewards_pct", "entered_tld_pct"}
    assert world.result.exit_code == 1


def test_progress_and_inputs_untouched(world):
    calls = world.calls
    assert calls and calls[-1][0] == calls[-1][1] == len(world.result.workbooks)
    assert [c[0] for c in calls] == list(range(1, len(calls) + 1))
    assert sha_tree(world.inbox) == world.before


def test_indicators(world):
    ind = {i.key: i for i in world.result.indicators}
    assert ind["initiatives"].target == N_UNITS * 1
    assert ind["initiatives"].actual == world.result.ledger["rows_consolidated"]
    assert not ind["initiatives"].met or ind["initiatives"].actual >= N_UNITS
    with_init = ind["cdcs_with_initiative_pct"]
    assert with_init.denominator == N_UNITS and 0 < with_init.actual < 100
    assert ind["propagated_pct"].actual < 100  # missing units count as not propagated
    assert ind["plan_goals_pct"].denominator == ind["signed_plan_pct"].numerator


def test_indicators_unit(campaign):
    from validators.models import Initiative, UnitReport

    a = Initiative(row=4, title="A", entered_tld=True)
    b = Initiative(row=5, title="B", entered_tld=False)
    u1 = UnitReport(unit_code="X1", propagated=True, plan_signed=True, plan_has_goals=True, plan_has_rewards=False,
                    specific_movement="PT", initiatives=(a, b))
    u2 = UnitReport(unit_code="X2", propagated=False, plan_signed=False)
    ind = {i.key: i for i in compute_indicators([u1, u2], [a, b], 4, campaign)}
    assert ind["initiatives"].target == 4 and ind["initiatives"].actual == 2 and not ind["initiatives"].met
    assert ind["cdcs_with_initiative_pct"].actual == 25.0
    assert ind["propagated_pct"].actual == 25.0
    assert ind["plan_goals_pct"].actual == 100.0 and ind["plan_goals_pct"].met
    assert ind["plan_rewards_pct"].actual == 0.0
    assert ind["entered_tld_pct"].actual == 50.0
    prov = {i.key: i for i in compute_indicators([u1], [a], 1, campaign, scope="province")}
    assert prov["initiatives"].target == campaign.target("initiatives").target


def test_workbook_read_back(world):
    wb = openpyxl.load_workbook(world.workbook)
    for s in (S_SUMMARY, S_UNITS, S_INITIATIVES, S_NOMINATIONS, S_STATS, S_CHASE, S_ERRORS, S_FILES):
        assert s in wb.sheetnames
    summary = {row[0]: row[1] for row in wb[S_SUMMARY].iter_rows(min_row=4, values_only=True) if row[0]}
    led = world.result.ledger
    assert summary["Số dòng sáng kiến đã đọc"] == led["rows_read"]
    assert summary["Số dòng được tổng hợp"] + summary["Số dòng bị loại (có lý do)"] == led["rows_read"]
    assert summary["Thời điểm tổng hợp"] == RUN
    assert summary["CĐCS chưa gửi"] == 10
    ws = wb[S_NOMINATIONS]
    header = [c.value for c in ws[6]]
    assert header[0] == MARK_HEADER
    assert ws["B4"].value.startswith("=SUMPRODUCT") and "2" in ws["A4"].value
    assert ws.conditional_formatting
    n_rows = sum(1 for row in ws.iter_rows(min_row=7, values_only=True) if row[1])
    assert n_rows == len(world.result.nominations)
    chase = wb[S_CHASE]
    chased = {row[0] for row in chase.iter_rows(min_row=5, values_only=True) if row[0]}
    assert {f"{D}{n:03d}" for n in MISSING} <= chased and f"{D}{80:03d}" in chased
    errors = wb[S_ERRORS]
    links = [c.hyperlink for row in errors.iter_rows(min_row=4) for c in row[:1] if c.hyperlink]
    assert links and all(not str(h.target).startswith(("http", "=")) for h in links)
    assert wb[S_STATS]._charts or True  # openpyxl does not load charts; checked in the xml below
    import zipfile
    with zipfile.ZipFile(world.workbook) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())
        sheets_xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    # the only formula is ours
    assert sheets_xml.count("<f>") == 1


def test_hostile_cell_text_is_a_string(world, tmp_path):
    campaign, registry = world.campaign, world.registry
    inbox = tmp_path / "in"
    inbox.mkdir()
    c = registry.cdcs_by_code[f"{D}000"]
    rng = random.Random(1)
    tpl = build_template(campaign, c, registry.district_by_code[D], tmp_path / "t.xlsx")
    row = valid_initiative(campaign, c, rng, number=1)
    row["Tên sáng kiến"] = '+HYPERLINK("http://evil.example","click")'
    row["Ghi chú"] = "@SUM(A1)"
    fill_workbook(tpl, inbox / "a.xlsx", valid_unit_answers(campaign, c, rng), [row])
    res = consolidate_district(inbox, D, campaign, registry, now=RUN)
    check_ledger(res)
    out = write_district_workbook(res, tmp_path / "o.xlsx")
    import zipfile
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert xml.count("<f>") == 1
    wb = openpyxl.load_workbook(out)
    at = {c.key: n for n, c in enumerate(INITIATIVE_COLUMNS)}
    titles = [r[at["title"]] for r in wb[S_INITIATIVES].iter_rows(min_row=4, values_only=True)]
    assert '+HYPERLINK("http://evil.example","click")' in titles
    assert "@SUM(A1)" in [r[at["note"]] for r in wb[S_INITIATIVES].iter_rows(min_row=4, values_only=True)]


def test_deterministic_bytes(world, tmp_path):
    again = consolidate_district(world.inbox, D, world.campaign, world.registry, settings=world.settings, now=RUN)
    out = world.workbook.parent / "tong-hop-2.xlsx"
    write_district_workbook(again, out)
    assert out.read_bytes() == world.workbook.read_bytes()
    later = consolidate_district(world.inbox, D, world.campaign, world.registry, settings=world.settings,
                                 now=RUN + dt.timedelta(hours=1))
    write_district_workbook(later, out)
    assert out.read_bytes() != world.workbook.read_bytes()  # only the labelled run time differs
    out.unlink()


def test_deadline_setting_and_empty_inbox(world, tmp_path):
    res = consolidate_district(world.inbox, D, world.campaign, world.registry,
                               settings=DistrictSettings(deadline=dt.date(2021, 3, 1)), now=RUN)
    check_ledger(res)
    assert sum(u.late for u in res.expected_units) > 50
    empty = tmp_path / "empty"
    empty.mkdir()
    res = consolidate_district(empty, D, world.campaign, world.registry, now=RUN)
    check_ledger(res)
    assert res.exit_code == 2 and all(u.status == "missing" for u in res.units)
    write_district_workbook(res, tmp_path / "empty.xlsx")
    with pytest.raises(DistrictError):
        consolidate_district(empty, "NOPE", world.campaign, world.registry)
    with pytest.raises(DistrictError):
        consolidate_district(tmp_path / "none", D, world.campaign, world.registry)


def test_everything_valid_exit_zero(world, tmp_path):
    campaign, registry = world.campaign, world.registry
    small = Registry(province="X", districts=(registry.district_by_code[D],),
                     cdcs=tuple(registry.cdcs_of(D)[:2]))
    inbox = tmp_path / "in"
    inbox.mkdir()
    src = {p.name.split(" - ")[0]: p for p in world.inbox.glob("*.xlsx")}
    for c in small.cdcs:
        shutil.copy2(src[c.code], inbox / src[c.code].name)
    res = consolidate_district(inbox, D, campaign, small, now=RUN)
    check_ledger(res)
    assert res.exit_code == 0 and [u.status for u in res.units] == ["valid", "valid"]



def test_commendation_counts_a_duplicate_once(campaign):
    """Item 4: a person's initiative sent twice (flagged as a duplicate) is one initiative, not two."""
    from addin.district.records import InitiativeRow
    from addin.district.rows import commendations
    from validators.models import Initiative

    def row(rid, unit, title):
        item = Initiative.model_construct(row=4, title=title, author="Nguyễn Văn An", birth_year=1980)
        return InitiativeRow(id=rid, unit_code=unit, unit_name="", file="f.xlsx", sheet="Sáng kiến", row=4, item=item,
                             consolidated=True)

    rows = [row("A-1", "A", "Máy tách hạt"), row("A-2", "A", "Quy trình mới"), row("B-1", "B", "MÁY TÁCH HẠT")]
    (c,) = commendations(rows, campaign)
    assert c.count == 2 and sorted(c.titles) == ["Máy tách hạt", "Quy trình mới"]


def test_identity_from_the_stamp(world, tmp_path):
    """Item 3: a code typed over the locked cell does not move the file: it stays its stamped unit's file,
    with an error worded "ô ghi X, biểu mẫu của đơn vị Y"; the other unit is still missing."""
    campaign, registry = world.campaign, world.registry
    a, b = registry.cdcs_by_code[f"{D}000"], registry.cdcs_by_code[f"{D}001"]
    tpl = build_template(campaign, a, registry.district_by_code[D], tmp_path / "a.xlsx")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rng = random.Random(3)
    answers = valid_unit_answers(campaign, a, rng) | {"MA_DON_VI": b.code}
    fill_workbook(tpl, inbox / "a.xlsx", answers, [valid_initiative(campaign, a, rng, number=1)])
    r = consolidate_district(inbox, D, campaign, registry, now=RUN, workers=1)
    (f,) = r.files
    assert f.unit_code == a.code
    units = {u.code: u for u in r.units}
    assert units[a.code].status == "errors" and units[b.code].status == "missing"
    msg = next(i.message for i in r.issues if i.code == "unit-mismatch")
    assert f"ô ghi {b.code}, biểu mẫu của đơn vị {a.code}" in msg


def test_staff_marks_and_notes_survive_a_rerun(world, tmp_path):
    """Item 2: marks and notes on «Đề xuất» are carried over by initiative id when «Tổng hợp» runs again; a
    mark whose initiative no longer qualifies (its file was taken out) is reported, never dropped silently."""
    from addin.sample.staff import mark_choices

    noms = world.result.nominations
    keep, gone = noms[0], next(r for r in noms if r.unit_code != noms[0].unit_code)
    path = mark_choices(world.workbook, tmp_path / "tong-hop.xlsx", [keep.id, gone.id])
    wb = openpyxl.load_workbook(path)
    ws = wb[S_NOMINATIONS]
    head = next(r for r in range(1, 15) if ws.cell(r, 1).value == MARK_HEADER)
    note_col = next(c for c in range(1, ws.max_column + 1) if ws.cell(head, c).value == "Ghi chú của cán bộ")
    row_of = {ws.cell(r, 2).value: r for r in range(head + 1, ws.max_row + 1)}
    ws.cell(row_of[keep.id], note_col).value = "Đã thẩm định lại"
    wb.save(path)

    inbox = tmp_path / "inbox"
    shutil.copytree(world.inbox, inbox)
    (inbox / next(f.name for f in world.result.files if f.name == gone.file)).unlink()
    again = consolidate_district(inbox, D, world.campaign, world.registry, settings=world.settings, now=RUN, workers=1)
    write_district_workbook(again, path)
    ws = openpyxl.load_workbook(path)[S_NOMINATIONS]
    row_of = {ws.cell(r, 2).value: r for r in range(head + 1, ws.max_row + 1)}
    assert ws.cell(row_of[keep.id], 1).value == "x"
    assert ws.cell(row_of[keep.id], note_col).value == "Đã thẩm định lại"
    assert gone.id not in row_of
    assert len(again.marks) == 1 and gone.id in again.marks[0] and "không giữ được" in again.marks[0]
    assert again.as_json()["marks_not_kept"] == again.marks


def test_sample_staff_marks_only_the_mark_cells_and_the_counter(world, tmp_path):
    """The demo's staff step edits the sheet XML as Excel would save it: "x" in the chosen rows' mark cells,
    the counter's result, every other part of the workbook byte for byte as written."""
    import zipfile

    from addin.sample.staff import mark_choices

    chosen = [r.id for r in world.result.nominations][:2]
    path = mark_choices(world.workbook, tmp_path / "chon.xlsx", chosen)
    wb = openpyxl.load_workbook(path)
    ws = wb[S_NOMINATIONS]
    head = next(r for r in range(1, 15) if ws.cell(r, 1).value == MARK_HEADER)
    marks = {ws.cell(r, 2).value: ws.cell(r, 1).value for r in range(head + 1, ws.max_row + 1)}
    assert {k for k, v in marks.items() if v == "x"} == set(chosen) and len(chosen) == 2
    assert all(v in (None, "x") for v in marks.values())
    values = openpyxl.load_workbook(path, data_only=True)[S_NOMINATIONS]
    counter = next(c for row in ws.iter_rows(max_row=head) for c in row if str(c.value or "").startswith("=SUMPRODUCT"))
    assert values[counter.coordinate].value == 2
    with zipfile.ZipFile(world.workbook) as before, zipfile.ZipFile(path) as after:
        assert before.namelist() == after.namelist()
        changed = [n for n in before.namelist() if before.read(n) != after.read(n)]
    assert len(changed) == 1 and changed[0].startswith("xl/worksheets/")


def test_smaller_points(world, tmp_path):
    """Item 11: a district's initiative indicator is not labelled "toàn tỉnh"; a rejected row keeps the value
    that was refused in «Sáng kiến»; the share entered in TLĐ's software per CĐCS; --quota on the CLI (an
    unknown code is an error, not silently ignored)."""
    from typer.testing import CliRunner

    from addin.cli import app

    r = world.result
    init = next(i for i in r.indicators if i.key == "initiatives")
    assert "toàn tỉnh" not in init.label
    wb = openpyxl.load_workbook(world.workbook, read_only=True)
    rows = [list(x) for x in wb[S_INITIATIVES].iter_rows(values_only=True)]
    head = next(n for n, x in enumerate(rows) if x and x[0] == "Mã sáng kiến")
    col = {h: n for n, h in enumerate(rows[head])}
    refused = [x for x in rows[head + 1:] if x[col["Lĩnh vực"]] == "Sáng kiến kỹ thuật"]
    assert refused and all(x[col["Xử lý"]] == "Loại" for x in refused)
    units = [list(x) for x in wb[S_UNITS].iter_rows(values_only=True)]
    uhead = next(n for n, x in enumerate(units) if x and x[0] == "Mã đơn vị")
    assert "% sáng kiến đã cập nhật phần mềm TLĐ" in units[uhead]
    assert not {"valid", "errors", "missing", "foreign"} & {c for row in units for c in row}  # words, not codes
    assert all(u.entered_tld <= u.initiatives for u in r.units)

    from addin.sample.registry import build_sample_registry

    runner = CliRunner()
    empty = tmp_path / "hop-thu"
    empty.mkdir()
    sample = build_sample_registry()
    code = sample.districts[0].code
    own = sample.cdcs_of(code)[0].code
    args = ["district", str(empty), "--district", code, "--out", str(tmp_path / "th.xlsx"), "--json"]
    bad = runner.invoke(app, [*args, "--quota", "XX1=1"])
    assert bad.exit_code == 2 and "XX1" in bad.output
    ok = runner.invoke(app, [*args, "--quota", f"{own}=3"])
    assert ok.exit_code == 2 and "XX1" not in ok.output  # nothing to read, but the quota was accepted
