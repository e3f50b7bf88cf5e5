"""A hostile district inbox (tests/hostile_corpus.py): consolidation never crashes, accounts for every file and
row, gives each file what its Case expects (the refusal code, the issue at its sheet and cell, the rows
consolidated), never alters its inputs, and writes a workbook with no unit-supplied formula or outside
hyperlink; the counts by category are printed at the end of the run (conftest). Plus a property test of the
row ledger against the written errors sheet, annotated copies, and an atomic-output test with SIGKILL."""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import os
import pickle
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: each xdist worker builds its own corpus
    fcntl = None

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.district.consolidate import consolidate_district
from addin.district.records import USED
from addin.sheets.model import Column
from addin.district.workbook import S_ERRORS, S_NOMINATIONS, S_SUMMARY
from addin.district.workbook import SUMMARY_KEYS, write_district_workbook
from addin.sheets.reader import read_pairs, read_rows
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import valid_initiative, valid_unit_answers
from addin.cdcs.template.files import generate_templates
from conftest import hash_files
from hostile_corpus import DISTRICT, FORMULAS, build_corpus, make_registry
from validators.campaign import load_campaign
from validators.issues import MAX_VALUE_CHARS

ROOT = Path(__file__).resolve().parent.parent
RUN = dt.datetime(2021, 4, 9, 8, 30, 0)
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
                 "ĂÂĐÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ")


class Corpus:
    pass


@contextlib.contextmanager
def _exclusive(lock: Path):
    """Hold ``lock`` (POSIX advisory lock; a no-op elsewhere) while building what xdist workers share."""
    with open(lock, "w") as fh:
        if fcntl is not None:
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, worker_id) -> Corpus:
    """Built once per run: with xdist the first worker builds it under a lock, the other reuses it (the
    generator is deterministic, and the tests only read the inbox)."""
    c = Corpus()
    c.campaign = load_campaign()
    c.registry = make_registry(c.campaign)
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if worker_id != "master" and fcntl is not None else base
    c.root = shared / "hostile-corpus"
    with _exclusive(shared / "hostile-corpus.lock"):
        cases = c.root / "cases.pickle"
        if not cases.exists():
            shutil.rmtree(c.root, ignore_errors=True)
            files = build_corpus(c.root, c.campaign, c.registry, DISTRICT)
            cases.write_bytes(pickle.dumps(files))
        c.files = pickle.loads(cases.read_bytes())
    c.work = tmp_path_factory.mktemp("hostile-out")  # this worker's outputs
    c.inbox = c.root / "inbox"
    c.counts = collections.Counter(case.category for case in c.files.values())
    return c


def _is_vietnamese(text: str) -> bool:
    return any(ch in VIETNAMESE for ch in text)


def _expectation_failures(corpus, result) -> list[str]:
    """Every way a file's outcome differs from its Case (empty when all match)."""
    issues_of = collections.defaultdict(list)
    for i in result.issues:
        issues_of[i.path].append(i)
    failures = []
    for f in result.files:
        case = corpus.files[Path(f.path)]
        got = {(i.code, i.sheet, i.cell) for i in issues_of[f.name]} | {(i.code, i.sheet, i.cell) for i in f.report.issues}
        codes = {c for c, _s, _c in got}
        where = f"{case.category} {f.name}"
        if case.refused:
            errors = [i.code for i in f.report.issues if i.severity.value == "error"]
            if f.report.readable or not errors or errors[0] not in case.refused or f.rows_read:
                failures.append(f"{where}: expected refused with one of {sorted(case.refused)}, got "
                                f"readable={f.report.readable} rows={f.rows_read} errors={errors[:3]}")
        for code, sheet, cell in case.codes:
            hit = any(c == code and (sheet is None or s == sheet) and (cell is None or x == cell) for c, s, x in got)
            if not hit:
                failures.append(f"{where}: missing {code} at {sheet}!{cell}; got {sorted(got, key=str)[:8]}")
        if case.role is not None and f.role != case.role:
            failures.append(f"{where}: role {f.role}, expected {case.role} ({f.reason})")
        if case.rows is not None and f.rows_consolidated != case.rows:
            failures.append(f"{where}: {f.rows_consolidated} rows consolidated, expected {case.rows}; "
                            f"errors {sorted(c for c in codes)}")
        if case.category in CLEAN and any(i.severity.value == "error" for i in f.report.issues):
            failures.append(f"{where}: unexpected errors {[(i.code, i.cell) for i in f.report.issues][:5]}")
    return failures


# Categories read as they are: no error may be reported (warnings about the fixes are expected).
CLEAN = {"valid", "legacy-text", "legacy-text-font", "unicode-oddities", "macro-xlsm", "reordered-columns",
         "table-to-range", "blank-rows-and-extra-columns", "libreoffice-xlsx", "libreoffice-xls"}


def _summary(corpus, result) -> str:
    """Files, refused files, rows read and consolidated, by category."""
    table = collections.defaultdict(lambda: [0, 0, 0, 0])
    for f in result.files:
        t = table[corpus.files[Path(f.path)].category]
        t[0] += 1
        t[1] += not f.report.readable
        t[2] += f.rows_read
        t[3] += f.rows_consolidated
    lines = [f"  {'category':30s} {'files':>5s} {'refused':>7s} {'rows read':>9s} {'consolidated':>12s}"]
    lines += [f"  {k:30s} {v[0]:5d} {v[1]:7d} {v[2]:9d} {v[3]:12d}" for k, v in sorted(table.items())]
    total = [sum(v[i] for v in table.values()) for i in range(4)]
    lines.append(f"  {'total':30s} {total[0]:5d} {total[1]:7d} {total[2]:9d} {total[3]:12d}")
    return f"hostile corpus: {len(corpus.files)} files in {len(table)} categories\n" + "\n".join(lines)


def test_hostile_corpus(corpus, request):
    counts = "\n".join(f"  {k:30s} {v}" for k, v in sorted(corpus.counts.items()))
    ctx = f"corpus by category:\n{counts}"
    assert len(corpus.files) >= 200, ctx
    all_inbox = [p for p in corpus.inbox.rglob("*") if p.is_file()]
    before = hash_files(all_inbox)

    t = time.monotonic()
    result = consolidate_district(corpus.inbox, DISTRICT, corpus.campaign, corpus.registry, now=RUN)
    print(f"consolidated in {time.monotonic() - t:.1f}s; ledger {result.ledger}")
    summary = _summary(corpus, result)
    request.node.user_properties.append(("run_summary", summary))  # printed at the end of the run (conftest)
    print(summary)

    # every file accounted for, with a role and (unless used) a reason
    by_path = {Path(f.path).resolve(): f for f in result.files}
    missing = [(corpus.files[p].category, p.name) for p in corpus.files if p.resolve() not in by_path]
    assert not missing, f"files not in result.files: {missing}\n{ctx}"
    assert len(result.files) == len(corpus.files)
    failures = _expectation_failures(corpus, result)
    assert not failures, "\n".join(failures)
    for f in result.files:
        cat = corpus.files[Path(f.path)].category
        assert f.role, (cat, f.name)
        if f.role != USED:
            assert f.reason and _is_vietnamese(f.reason), (cat, f.name, f.role, f.reason)
        assert f.rows_read == f.rows_consolidated + f.rows_rejected, (cat, f.name, f.rows_read)
    led = result.ledger
    assert led["rows_read"] == led["rows_consolidated"] + led["rows_rejected"], (led, ctx)
    assert led["rows_read"] == len(result.initiatives) + led["rows_cut"], ctx
    assert led["rows_consolidated"] == sum(r.consolidated for r in result.initiatives), ctx
    assert led["rows_cut"] == 3000 - corpus.campaign.rules.max_initiatives_per_unit, led
    (too_many,) = [i for i in result.issues if i.code == "too-many-rows"]
    assert too_many.value == 3000 and "3000" in too_many.message.replace(".", ""), too_many.message
    # a 1 MB description is quoted, not copied whole, into the report (JSON, errors sheet)
    huge = [i for i in result.issues if i.code == "description-too-long" and "huge-description" in (i.path or "")]
    assert len(huge) == 3 and all(len(i.value) == MAX_VALUE_CHARS and i.value.endswith("…") for i in huge)

    # every rejected row has a reason, and is in the issues (file + row) or its file has a reason, or its file
    # lost a required column (one header-missing issue at the header cell, given as every row's reason)
    issue_rows = {(i.path, i.row) for i in result.issues}
    lost_column = {i.path: i.message for i in result.issues if i.code == "header-missing"}
    file_by_name = {f.name: f for f in result.files}
    for r in result.initiatives:
        if r.consolidated:
            continue
        assert r.reason, (r.file, r.row)
        f = file_by_name[r.file]
        explained = r.file in lost_column and lost_column[r.file] in r.reason
        assert (r.file, r.row) in issue_rows or f.reason or f.blocked or explained, \
            (corpus.files[Path(f.path)].category, r.file, r.row, r.reason)
    for i in result.issues:
        assert i.message and _is_vietnamese(i.message), (i.code, i.path, i.message)

    after = hash_files(all_inbox)
    assert after == before, "an input file changed"
    assert sorted(p for p in corpus.inbox.rglob("*") if p.is_file()) == sorted(all_inbox), "inbox content changed"

    # --- the district workbook ----------------------------------------------------------------------------
    out = write_district_workbook(result, corpus.work / "out" / "tong-hop.xlsx")
    with zipfile.ZipFile(out) as z:
        sheets = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
        rels = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/_rels/")}
    formulas = [(n, m) for n, x in sheets.items() for m in re.findall(r"<f\b[^>]*>.*?</f>|<f\b[^>]*/>", x, re.S)]
    assert len(formulas) == 1 and "SUMPRODUCT" in formulas[0][1], formulas[:5]
    for n, x in rels.items():
        for target, mode in re.findall(r'Target="([^"]*)"(?:[^>]*TargetMode="([^"]*)")?', x):
            if "hyperlink" not in x:
                continue
            assert not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target), (n, target)
            assert not target.startswith(("/", "\\\\")) and ":" not in target, (n, target)
    summary = read_pairs(CalamineWorkbook.from_path(str(out)).get_sheet_by_name(S_SUMMARY).to_python(), "Mục")
    assert summary[SUMMARY_KEYS["rows_cut"]] == led["rows_cut"], summary  # the cut rows are in the ledger sheet
    assert summary[SUMMARY_KEYS["rows_read"]] == led["rows_read"]
    wb = openpyxl.load_workbook(out)
    strings, formula_cells = set(), []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formula_cells.append((ws.title, cell.coordinate))
                elif isinstance(cell.value, str):
                    strings.add(cell.value)
                if cell.hyperlink is not None:
                    tgt = str(cell.hyperlink.target or "")
                    assert not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", tgt) and not tgt.startswith(("/", "\\")), tgt
    assert formula_cells == [(S_NOMINATIONS, "B4")], formula_cells
    stored = [f for f in FORMULAS if f.strip() in {s.strip() for s in strings}]
    assert "@SUM(1)" in stored and "+cmd|' /C calc'!A0" in stored and "-2+3" in stored, stored


# The errors sheet as written by district_sheets (header labels are what is read back).
ERROR_COLUMNS = [Column("Tệp", "file"), Column("Mã đơn vị", "unit_code"), Column("Trang", "sheet"), Column("Ô", "cell"),
                 Column("Dòng", "row"), Column("Mức độ", "severity"), Column("Mã lỗi", "code"), Column("Nội dung", "message")]


# ------------------------------------------------------------------------------------------------------------
# Property: random rows for 1–3 units
# ------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_world(tmp_path_factory):
    campaign = load_campaign()
    registry = make_registry(campaign, n_units=3)
    tpl_dir = tmp_path_factory.mktemp("prop-templates")
    generate_templates(campaign, registry, tpl_dir, district_code=DISTRICT, include_blank=False)
    tpl = {p.name.split(" - ")[0]: p for p in tpl_dir.rglob("*.xlsx")}
    return campaign, registry, tpl


BAD_VALUES = {
    "Tên sáng kiến": [None, "", 12345, "x" * 3000, "=1+1"],
    "Tác giả": [None, "  ", 3.5, "A" * 500],
    "Năm sinh": [None, "không rõ", 1800, 2100, "1.980", 19.5],
    "Giới tính": [None, "Không rõ", "nam", 1],
    "Lĩnh vực": [None, "Lĩnh vực lạ", 7],
    "Khối": [None, "Khối lạ"],
    "Tóm tắt nội dung": [None, "ngắn", "dài " * 2000],
    "Ngày bắt đầu áp dụng": [None, "31/02/2021", "ngày mai", dt.date(1990, 1, 1), dt.date(2030, 1, 1), 12345, "15/03/2021"],
    "Giá trị làm lợi (đồng)": ["1.500.000 đ", -5, "nhiều", 10**15],
    "Đã thẩm định": ["Có lẽ", 1, None],
    "Đề xuất cấp trên": ["Có", "có", "x", None],
    "Khiếu nại, tranh chấp": ["Có", "?", None],
}


@st.composite
def inboxes(draw):
    n_units = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**31))
    units = []
    for _u in range(n_units):
        n_rows = draw(st.integers(0, 6))
        mutations = []
        for i in range(n_rows):
            keys = draw(st.lists(st.sampled_from(sorted(BAD_VALUES)), max_size=3, unique=True))
            mutations.append({k: draw(st.sampled_from(BAD_VALUES[k])) for k in keys})
        blank_rows = draw(st.lists(st.integers(0, max(0, n_rows - 1)), max_size=2)) if n_rows else []
        units.append((mutations, blank_rows))
    return seed, units


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=inboxes())
def test_ledger_property(small_world, data):
    campaign, registry, tpl = small_world
    seed, units = data
    rng = random.Random(seed)
    codes = [c for c in registry.cdcs if c.parent == DISTRICT]
    with tempfile.TemporaryDirectory() as d:
        inbox = Path(d) / "in"
        inbox.mkdir()
        for (mutations, blank_rows), c in zip(units, codes):
            rows = []
            for i, m in enumerate(mutations):
                r = valid_initiative(campaign, c, rng, number=i + 1)
                r.update(m)
                rows.append(r)
            for b in blank_rows:  # a wholly blank row in the middle
                rows[b] = {k: None for k in rows[b]}
            fast_fill_workbook(tpl[c.code], inbox / tpl[c.code].name, valid_unit_answers(campaign, c, rng), rows)
        result = consolidate_district(inbox, DISTRICT, campaign, registry, now=RUN)
        book = write_district_workbook(result, Path(d) / "tong-hop.xlsx")
        grid = CalamineWorkbook.from_path(str(book)).get_sheet_by_name(S_ERRORS).to_python()
    led = result.ledger
    assert led["rows_read"] == led["rows_consolidated"] + led["rows_rejected"]
    assert led["rows_read"] == len(result.initiatives)
    for f in result.files:
        assert f.rows_read == f.rows_consolidated + f.rows_rejected, f.name
    # every rejected row is on the workbook's errors sheet (read back): by its row, or its file's own error
    sheet = read_rows(grid, ERROR_COLUMNS)
    assert len(sheet) == len(result.issues)
    error_rows = {(e["file"], int(e["row"])) for e in sheet if e["row"] not in (None, "")}
    error_files = {e["file"] for e in sheet if e["severity"] == "Lỗi" and e["row"] in (None, "")}
    files = {f.name: f for f in result.files}
    for r in result.initiatives:
        if not r.consolidated:
            assert r.reason, (r.file, r.row)
            assert (r.file, r.row) in error_rows or (files[r.file].reason and r.file in error_files), (r.file, r.row, r.reason)


# ------------------------------------------------------------------------------------------------------------
# Atomic output under SIGKILL
# ------------------------------------------------------------------------------------------------------------
_CHILD = r"""
import os, pickle, sys, time
sys.path[:0] = [{root!r}, {tests!r}]
from addin.district.workbook import write_district_workbook
with open({result!r}, "rb") as fh:  # the consolidation of the corpus, made once by the test
    res = pickle.load(fh)
res.run_time = res.run_time.replace(year=2022)  # a workbook other than the previous one
slow = float(sys.argv[1])
if slow:
    real = os.fsync
    def fsync(fd):
        time.sleep(slow)
        return real(fd)
    os.fsync = fsync
print("WRITING", flush=True)
write_district_workbook(res, {out!r})
print("DONE", flush=True)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_atomic_output_survives_sigkill(corpus):
    result = consolidate_district(corpus.inbox, DISTRICT, corpus.campaign, corpus.registry, now=RUN)
    outdir = corpus.work / "atomic"
    out = write_district_workbook(result, outdir / "tong-hop.xlsx")
    previous = out.read_bytes()
    pickled = corpus.work / "result.pickle"
    pickled.write_bytes(pickle.dumps(result))
    code = _CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"), result=str(pickled), out=str(out))
    rng = random.Random(9)
    killed = 0
    for attempt in range(5):
        delay = rng.uniform(0, 0.3)
        slow = 0.4 if attempt % 2 else 0.0
        proc = subprocess.Popen([sys.executable, "-c", code, str(slow)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            line = proc.stdout.readline()
            assert line.strip() == "WRITING", (line, proc.stderr.read())
            time.sleep(delay)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                killed += 1
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        data = out.read_bytes()
        # whole: either the previous bytes or a complete new workbook (child finished first)
        assert data == previous or proc.returncode == 0, (attempt, delay, proc.returncode)
        wb = openpyxl.load_workbook(out, read_only=True)
        assert wb.sheetnames
        wb.close()
        for p in outdir.iterdir():
            if p == out:
                continue
            assert p.name.startswith(".") and p.name.endswith(".tmp"), p.name
            assert not p.name.endswith(".xlsx"), p.name
    assert killed >= 3, killed


BIG = {"thousands-of-rows": None, "huge-description": None, "far-cell": None}


def test_annotated_copies_of_the_corpus(corpus, tmp_path):
    """`validate --annotate` on one readable file of every category: a copy with the issues, or a clear
    refusal; never an exception, and the inputs untouched. (The big files are left out for time: openpyxl
    takes seconds on them; a run over the whole corpus took 40 s with no failure.)"""
    from addin.cdcs.annotate import ISSUES_SHEET, AnnotateError, annotate_copy
    from addin.cdcs.validate import validate_file

    first: dict[str, Path] = {}
    for path, case in corpus.files.items():
        if not case.refused and case.category not in first | BIG:
            first[case.category] = path
    before = hash_files(first.values())
    made = 0
    for category, path in sorted(first.items()):
        report = validate_file(path, corpus.campaign, corpus.registry)
        rewritable = report.readable and path.suffix in (".xlsx", ".xlsm")
        try:
            copy = annotate_copy(path, report, tmp_path / category)
        except AnnotateError as exc:
            assert not rewritable, (category, exc)
            continue
        wb = openpyxl.load_workbook(copy, read_only=True)
        assert wb.sheetnames[0] == ISSUES_SHEET, category
        assert not [n for n in zipfile.ZipFile(copy).namelist() if n.endswith(".bin")], category  # no macro
        wb.close()
        made += 1
    assert made >= 15, made
    assert hash_files(first.values()) == before
