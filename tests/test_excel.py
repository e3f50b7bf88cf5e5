"""The Excel buttons without Excel: the committed .xlsm files (build, macros, wiring, xlwings version,
LibreOffice), and each button's Python side driven through xlwings' own remote Book with the payload Excel's
VBA client would send for the real workbook; the recorded actions are replayed onto that workbook and the
test looks at what the user would see (result sheets, message box), against the CLI's own output."""

from __future__ import annotations

import os

# xlwings' remote Book (an xlwings PRO engine) runs here under its noncommercial licence, in this test session
# only; the buttons in Excel go through open-source RunPython and need no key. xlwings registers its engines
# when first imported, so the key is set before any import of it.
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"

import datetime as dt  # noqa: E402
import io  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

import openpyxl  # noqa: E402
import pytest  # noqa: E402
from oletools.olevba import VBA_Parser  # noqa: E402

from addin.district import workbook as dw  # noqa: E402
from addin.province import workbook as pw  # noqa: E402
from addin.district.consolidate import consolidate_district  # noqa: E402
from addin.district.records import DistrictSettings  # noqa: E402
from addin.district.result import summary_lines  # noqa: E402
from addin.dossier.export import export_dossier  # noqa: E402
from addin.excel import buttons  # noqa: E402
from addin.excel import layout as L  # noqa: E402
from addin.excel.build import (MACRO_FILE, build_workbooks, district_file_name, province_file_name,  # noqa: E402
                               write_shipped_workbooks)
from addin.excel.launchers import LAUNCHER_SUFFIXES  # noqa: E402
from addin.excel.doctor import embedded_modules, embedded_xlwings_version, run_checks  # noqa: E402
from addin.excel.progress import StatusProgress, progress_message, status_bar_sink  # noqa: E402
from addin.dossier.package import read_package  # noqa: E402
from addin.province.consolidate import consolidate_province  # noqa: E402
from addin.province.consolidate import summary_lines as province_summary_lines  # noqa: E402
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import valid_initiative, valid_unit_answers  # noqa: E402
from addin.sample.staff import mark_choices  # noqa: E402
from addin.cdcs.template.files import generate_templates, template_path_for  # noqa: E402
from excel_client import Replay, name_cells, payload, set_name_value  # noqa: E402

xw = pytest.importorskip("xlwings")

RUN = dt.datetime(2021, 4, 15, 10, 0, 0)
ON_TIME = dt.date(2021, 4, 8)
LATE = dt.date(2021, 4, 12)
INJECTION = '=HYPERLINK("http://example.invalid","bấm vào đây")'
PHONE = "0912345678"


@pytest.fixture(scope="module")
def shipped(repo_root) -> Path:
    return repo_root / "workbook_templates"


def district_xlsm(shipped: Path, registry, code: str) -> Path:
    return shipped / "district" / district_file_name(registry.district(code))


def province_xlsm(shipped: Path, registry) -> Path:
    return shipped / "province" / province_file_name(registry)


class Session:
    """One workbook open in "Excel": the user's edits, clicks, and what comes back."""

    def __init__(self, xlsm: Path):
        self.path = xlsm
        # Where "Excel" has the workbook open: its own folder, so what a button writes beside the workbook
        # (the re-run cache) never lands in the repository or the shipped templates.
        self.folder = Path(tempfile.mkdtemp(prefix="sangkien-excel-"))
        self.wb = openpyxl.load_workbook(xlsm, keep_vba=True)
        self.version = embedded_xlwings_version(embedded_modules(xlsm))  # the VBA client sends its own version
        self.status: list[str | None] = []
        self.alerts: list[tuple[str, str, str]] = []

    def fork(self) -> "Session":
        """The same open workbook in another session, so a test's edits stay its own."""
        other = Session.__new__(Session)
        other.path, other.version, other.status, other.alerts = self.path, self.version, [], []
        other.folder = Path(tempfile.mkdtemp(prefix="sangkien-excel-"))
        buffer = io.BytesIO()
        self.wb.save(buffer)
        other.wb = openpyxl.load_workbook(buffer, keep_vba=True)
        return other

    def set(self, name: str, value) -> None:
        set_name_value(self.wb, name, value)

    def click(self, function, book_name: str | None = None, **kwargs) -> list[dict]:
        book = xw.Book(json=payload(self.wb, book_name or str(self.folder / self.path.name), self.version))
        function(book, status=self.status.append, **kwargs)
        actions = book.json()["actions"]
        self.alerts += Replay(self.wb).run(actions).alerts
        return actions

    @property
    def alert(self) -> tuple[str, str, str]:
        return self.alerts[-1]

    def values(self, sheet: str) -> list[list]:
        ws = self.wb[sheet]
        return [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)]


def _trim(grid: list[list]) -> list[list]:
    rows = [list(r) for r in grid]
    width = max((i + 1 for r in rows for i, v in enumerate(r) if v not in (None, "")), default=0)
    rows = [r[:width] + [None] * (width - len(r)) for r in rows]
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    return rows


def cli_values(path: Path, sheet: str) -> list[list]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)]


def assert_same_sheet(session: Session, cli_path: Path, sheet: str, skip_rows: tuple[int, ...] = ()) -> None:
    mine, cli = _trim(session.values(sheet)), _trim(cli_values(cli_path, sheet))
    mine = [r for i, r in enumerate(mine) if i not in skip_rows]
    cli = [r for i, r in enumerate(cli) if i not in skip_rows]
    width = max(len(mine[0]) if mine else 0, len(cli[0]) if cli else 0)
    pad = lambda g: [r + [None] * (width - len(r)) for r in g]  # noqa: E731
    assert pad(mine) == pad(cli), sheet


# ------------------------------------------------------------------------------------------------------
# The committed workbooks
# ------------------------------------------------------------------------------------------------------
def test_committed_workbooks_are_up_to_date(tmp_path, shipped, registry):
    fresh = write_shipped_workbooks(tmp_path)
    assert len(fresh) == len(registry.districts) + 1 == 12
    kinds = (".xlsm", *LAUNCHER_SUFFIXES)
    committed = sorted(p.relative_to(shipped) for sub in ("district", "province") for p in (shipped / sub).iterdir()
                       if p.suffix in kinds)
    assert committed == sorted(p.with_suffix(k).relative_to(tmp_path) for p in fresh for k in kinds)
    for rel in committed:  # XlsxWriter, pyopenvba and the launcher texts are deterministic: byte-identical
        assert (tmp_path / rel).read_bytes() == (shipped / rel).read_bytes(), rel
        assert os.access(shipped / rel, os.X_OK) == (rel.suffix in (".sh", ".command")), rel


def test_macros_are_ascii_one_runpython_line_each():
    text = MACRO_FILE.read_bytes()
    assert all(b < 128 for b in text)
    subs = re.findall(r"Public Sub (\w+)\(\)\r?\n(.*?)\r?\nEnd Sub", text.decode(), re.S)
    assert {name for name, _ in subs} == {b.macro for kind in L.BUTTONS.values() for b in kind}
    for name, body in subs:
        m = re.fullmatch(r'\s*RunPython "import addin\.excel\.buttons; addin\.excel\.buttons\.(\w+)\(\)"', body)
        assert m, name
        assert callable(getattr(buttons, m.group(1))), name
        assert any(b.macro == name and b.function == m.group(1) for kind in L.BUTTONS.values() for b in kind)


def _button_macros(path: Path) -> list[tuple[str, str]]:
    """(caption, macro) of every form button, from the sheets' VML drawings."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if n.startswith("xl/drawings/vmlDrawing")):
            vml = z.read(name).decode("utf-8")
            for shape in re.findall(r"<v:shape .*?</v:shape>", vml, re.S):
                if 'ObjectType="Button"' in shape:
                    caption = re.sub(r"<[^>]+>", "", re.search(r"<div[^>]*>(.*?)</div>", shape, re.S).group(1)).strip()
                    macro = re.search(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", shape).group(1)
                    out.append((caption, macro))
    return out


def test_olevba_lists_our_macros_and_every_button_is_wired(shipped):
    books = sorted((shipped / "district").glob("*.xlsm")) + sorted((shipped / "province").glob("*.xlsm"))
    for path in books:
        parser = VBA_Parser(str(path))
        try:
            modules = {Path(vba_filename).stem: code for _f, _s, vba_filename, code in parser.extract_macros()}
        finally:
            parser.close()
        assert {"xlwings", "Dictionary", L.MACRO_MODULE} <= set(modules), path.name
        assert "Module1" not in modules  # the quickstart's sample is gone
        ours = modules[L.MACRO_MODULE]
        body = lambda text: [ln for ln in text.replace("\r\n", "\n").strip().split("\n")  # noqa: E731
                             if not ln.startswith("Attribute ")]
        assert body(ours) == body(MACRO_FILE.read_text(encoding="ascii")), path.name  # the committed source
        subs = set(re.findall(r"Public Sub (\w+)\(\)", ours))
        kind = "district" if path.parent.name == "district" else "province"
        wired = _button_macros(path)
        assert wired == [(b.caption, b.macro) for b in L.BUTTONS[kind]], path.name
        assert {m for _, m in wired} <= subs
        version = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', modules["xlwings"]).group(1)
        assert version == xw.__version__, path.name


def test_config_and_xlwings_conf_are_prefilled(shipped, registry, campaign):
    wb = openpyxl.load_workbook(district_xlsm(shipped, registry, "TD"), keep_vba=True)
    assert wb.sheetnames[:2] == [L.S_START, L.S_CONFIG]
    assert name_cells(wb, L.N_CODE).value == "TD"
    assert name_cells(wb, L.N_KIND).value == "district"
    assert name_cells(wb, L.N_DEADLINE).value == dt.datetime.combine(campaign.deadlines.cdcs_submission_default,
                                                                      dt.time())
    table = [[c.value for c in row] for row in name_cells(wb, L.N_TABLE)]
    assert [r[0] for r in table] == [c.code for c in registry.cdcs_of("TD")]
    assert {r[2] for r in table} == {campaign.rules.default_cdcs_nomination_quota}
    conf = wb[L.S_XLWINGS]
    assert conf.sheet_state == "hidden"
    assert {conf.cell(r, 1).value: conf.cell(r, 2).value for r in (1, 2, 3, 4)} == {
        "INTERPRETER_WIN": r"%USERPROFILE%\sangkien\.venv\Scripts\pythonw.exe", "PYTHONPATH": r"%USERPROFILE%\sangkien",
        "ADD_WORKBOOK_TO_PYTHONPATH": "false", None: None}  # xlwings reads down to the first blank key
    assert wb[L.S_STAMP].sheet_state == "veryHidden"
    prov = openpyxl.load_workbook(province_xlsm(shipped, registry), keep_vba=True)
    assert [[c.value for c in row][0] for row in name_cells(prov, L.N_TABLE)] == [d.code for d in registry.districts]


@pytest.mark.libreoffice
def test_every_shipped_workbook_renders_to_pdf(shipped, tmp_path):
    from addin.io.libreoffice import convert_all

    books = sorted((shipped / "district").glob("*.xlsm")) + sorted((shipped / "province").glob("*.xlsm"))
    pdfs = convert_all(books, "pdf", tmp_path, timeout=300, recalc=False)
    assert len(pdfs) == len(books)
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF"), pdf.name
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdfs[-1]), "-"], capture_output=True, text=True).stdout
        assert "TỔNG HỢP SÁNG KIẾN CẤP TỈNH" in text and "CÁCH DÙNG" in text


# ------------------------------------------------------------------------------------------------------
# Progress
# ------------------------------------------------------------------------------------------------------
def test_progress_messages_through_the_callback():
    seen: list[str | None] = []
    cb = StatusProgress(seen.append)
    for done in (0, 123, 123, 750):
        cb(done, 750, "x.xlsx")
    cb(1234, 3000)
    assert seen == ["Đang đọc 0/750 tệp…", "Đang đọc 123/750 tệp…", "Đang đọc 750/750 tệp…",
                    "Đang đọc 1.234/3.000 tệp…"]
    assert progress_message(2, 11, "Đang đọc", "hồ sơ") == "Đang đọc 2/11 hồ sơ…"


def test_remote_engine_has_no_status_bar_sink(shipped, registry):
    session = Session(district_xlsm(shipped, registry, "TD"))
    book = xw.Book(json=payload(session.wb, session.path.name, session.version))
    assert status_bar_sink(book.app) is None


# ------------------------------------------------------------------------------------------------------
# District buttons
# ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_templates(tmp_path_factory, campaign, registry) -> Path:
    """Pre-filled CĐCS workbooks of the sample registry, made as a province would (``sangkien templates``)."""
    out = tmp_path_factory.mktemp("bieu-mau")
    generate_templates(campaign, registry, out, include_blank=False)
    return out


def fill_inbox(campaign, registry, code: str, inbox: Path, templates: Path, n_units: int, seed: int) -> None:
    """``n_units`` CĐCS of ``code`` return their workbook: unit 0 nominates 2 (quota 1 → over quota unless the
    district raises it), unit 1 sends after the default deadline, unit 2 has an invalid row, a formula-like
    title and a phone number with its leading zero."""
    rng = random.Random(seed)
    tpl = templates
    for n, c in enumerate(registry.cdcs_of(code)[:n_units]):
        answers = valid_unit_answers(campaign, c, rng)
        answers["NGAY_GUI"] = dt.date(2021, 4, 7) if n == 1 else dt.date(2021, 4, 1)
        rows = []
        for i in range(2 if n in (0, 2) else 1):
            r = valid_initiative(campaign, c, rng, number=i + 1, nominated=(n == 0 or i == 0))
            r["Tên sáng kiến"] = f"Sáng kiến {c.code} số {i + 1}"
            r["Khiếu nại, tranh chấp"] = "Không"
            rows.append(r)
        if n == 2:
            rows[0]["Tên sáng kiến"] = INJECTION
            rows[0]["Số điện thoại"] = PHONE
            rows[1]["Tóm tắt nội dung"] = "x" * (campaign.rules.description_max_chars + 1)
        src = template_path_for(tpl, c)
        fast_fill_workbook(src, inbox / src.name, answers, rows)


@pytest.fixture(scope="module")
def district_run(tmp_path_factory, shipped, sample_templates, campaign, registry):
    root = tmp_path_factory.mktemp("excel-district")
    inbox, out = root / "bao-cao", root / "ho-so"
    fill_inbox(campaign, registry, "TD", inbox, sample_templates, 4, seed=5)
    first = registry.cdcs_of("TD")[0].code
    session = Session(district_xlsm(shipped, registry, "TD"))
    session.set(L.N_INBOX, str(inbox))
    session.set(L.N_OUTPUT, str(out))
    session.set(L.N_DEADLINE, dt.datetime(2021, 4, 5))
    quota_cell = next(row[2] for row in name_cells(session.wb, L.N_TABLE) if row[0].value == first)
    quota_cell.value = 2  # the district lets its first CĐCS nominate two
    actions = session.click(buttons.district_consolidate, now=RUN)
    # what the CLI writes for the same inbox and settings
    settings = DistrictSettings(deadline=dt.date(2021, 4, 5), quotas={c.code: 1 for c in registry.cdcs_of("TD")})
    settings.quotas[first] = 2
    result = consolidate_district(inbox, "TD", campaign, registry, settings=settings, now=RUN)
    cli = dw.write_district_workbook(result, root / "cli" / "tong-hop-TD.xlsx")
    return session, result, cli, actions, root


def test_district_sheets_are_what_the_cli_writes(district_run):
    session, result, cli, _, _ = district_run
    sheets = dw.district_sheets(result)
    names = session.wb.sheetnames
    assert names[:2] == [L.S_START, L.S_CONFIG]
    assert names[2:2 + len(sheets)] == [s.name for s in sheets]  # placeholders replaced in place, in order
    assert names[2 + len(sheets):] == [L.S_LOG, L.S_XLWINGS, L.S_STAMP]
    assert session.wb[dw.S_META].sheet_state == "hidden"
    assert session.wb.active.title == dw.S_SUMMARY
    for sd in sheets:
        skip = (1 + len(sd.notes),) if sd.mark_column else ()  # the counter row: formula and its note differ
        assert_same_sheet(session, cli, sd.name, skip)
    noms = session.wb[dw.S_NOMINATIONS]
    counter = noms.cell(2 + len(sheets[3].notes), 2).value
    hr = sheets[3].header_row + 1
    assert counter == f"=SUMPRODUCT(--(LEN(TRIM($A${hr + 1}:$A${hr + len(result.nominations)}))>0))"
    assert len(session.wb[dw.S_STATS]._charts) == 1


def test_district_text_stays_text(district_run):
    session, result, *_ = district_run
    ws = session.wb[dw.S_INITIATIVES]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells[INJECTION].data_type == "s" and cells[INJECTION].quotePrefix  # never a formula
    assert cells[PHONE].quotePrefix  # the leading zero is kept
    assert any(r.item.title == INJECTION for r in result.initiatives)


def test_district_message_box_and_progress(district_run):
    session, result, _, actions, _ = district_run
    prompt, title, mode = session.alert
    assert (title, mode) == ("sangkien", "info")
    for line in summary_lines(result):
        assert line in prompt
    assert "Chưa gửi: " in prompt and f"trang «{dw.S_NOMINATIONS}»" in prompt
    n = len(result.files)
    reading = [m for m in session.status if m and m.startswith("Đang đọc")]
    assert reading[-1] == f"Đang đọc {n}/{n} tệp…" and len(reading) >= n
    assert session.status[-1] is None  # the status bar is given back to Excel
    assert sum(1 for a in actions if a["func"] == "alert") == 1


def test_second_click_reuses_the_checks_of_unchanged_files(district_run):
    session, result, *_ = district_run
    again = session.fork()
    again.folder = session.folder  # the same workbook, clicked again where it lies
    again.click(buttons.district_consolidate, now=RUN)
    n = len(result.files)
    assert (session.folder / ".sangkien-cache").is_dir()
    assert f"{n} tệp không đổi, dùng lại kết quả kiểm tra" in again.alert[0]
    for name in (dw.S_UNITS, dw.S_INITIATIVES):  # same results as the first click
        assert _trim(again.values(name)) == _trim(session.values(name))


def test_district_deadline_and_quota_come_from_the_config_sheet(district_run, registry):
    _, result, *_ = district_run
    by_code = {u.code: u for u in result.units}
    units = registry.cdcs_of("TD")
    assert by_code[units[1].code].late and not by_code[units[0].code].late
    assert sum(1 for r in result.nominations if r.unit_code == units[0].code) == 2  # quota 2 from the sheet


def test_dossier_from_the_marked_workbook_equals_the_cli_dossier(district_run, campaign, registry, tmp_path):
    clicked, result, cli, _, root = district_run
    session = clicked.fork()
    chosen = [r.id for r in result.nominations][:2]
    ws = session.wb[dw.S_NOMINATIONS]
    for row in ws.iter_rows():
        if row[1].value in chosen:
            row[0].value = "x"  # staff mark their choice (the workbook is not saved)
    session.set(L.N_SIGNED_ON, dt.datetime.combine(ON_TIME, dt.time()))
    session.click(buttons.district_export_dossier)
    prompt, _, mode = session.alert
    assert mode == "info" and "Đã chọn 2 sáng kiến" in prompt
    out = root / "ho-so"
    files = sorted(p.name for p in out.iterdir())
    assert files == ["bang-tong-hop-tom-tat-sang-kien-TD.xlsx", "goi-du-lieu-TD.xlsx", "to-trinh-TD.docx"]
    for name in files:
        assert name in prompt
    marked = mark_choices(cli, tmp_path / "chon.xlsx", chosen)
    expected = export_dossier(marked, tmp_path / "cli", campaign, registry, signed_on=ON_TIME)
    mine, theirs = read_package(out / "goi-du-lieu-TD.xlsx"), read_package(expected.package_path)
    assert mine.initiatives == theirs.initiatives and mine.units == theirs.units
    assert mine.nominations == theirs.nominations and [n["id"] for n in mine.nominations] == chosen
    assert mine.ledger == theirs.ledger == result.ledger
    assert {k: v for k, v in mine.stamp.items() if k != "source_workbook"} == \
        {k: v for k, v in theirs.stamp.items() if k != "source_workbook"}


def test_too_many_marks_is_a_readable_refusal(district_run, tmp_path):
    session = district_run[0].fork()  # the consolidated workbook, still open
    session.set(L.N_OUTPUT, str(tmp_path / "out"))
    ws = session.wb[dw.S_NOMINATIONS]
    hr = next(r for r in range(1, 12) if ws.cell(r, 1).value == dw.MARK_HEADER)
    for r in range(hr + 1, ws.max_row + 1):
        ws.cell(r, 1).value = "x"
    session.click(buttons.district_export_dossier)
    prompt, _, mode = session.alert
    assert mode == "critical" and "vượt quá 2" in prompt and "Traceback" not in prompt
    assert not (tmp_path / "out").exists()


def test_export_before_consolidation_says_what_to_do(shipped, registry, tmp_path):
    session = Session(district_xlsm(shipped, registry, "TD"))
    session.set(L.N_OUTPUT, str(tmp_path))
    session.click(buttons.district_export_dossier)
    prompt, _, mode = session.alert
    assert mode == "critical" and "bấm «Tổng hợp» trước" in prompt


@pytest.mark.parametrize("name, value, expected", [
    (L.N_INBOX, "/khong/co/thu-muc-nay", "Không tìm thấy thư mục báo cáo"),
    (L.N_DEADLINE, "31/02/2021", "không phải ngày"),
    (L.N_INBOX, None, "Chưa điền ô «Thư mục nhận tệp / hồ sơ»"),
    (L.N_CAMPAIGN, "dot-khong-co", "dot-khong-co"),
])
def test_config_mistakes_become_vietnamese_messages(shipped, registry, name, value, expected):
    session = Session(district_xlsm(shipped, registry, "TD"))
    session.set(name, value)
    actions = session.click(buttons.district_consolidate)
    prompt, _, mode = session.alert
    assert mode == "critical" and expected in prompt and "Traceback" not in prompt
    assert not any(a["func"] == "addSheet" for a in actions)  # nothing half-written


def test_workbook_opened_from_onedrive_needs_full_paths(shipped, registry):
    session = Session(district_xlsm(shipped, registry, "TD"))
    session.click(buttons.district_consolidate, book_name="https://d.docs.live.net/0a1b/SangKien/TD.xlsm")
    prompt, _, mode = session.alert
    assert mode == "critical" and "OneDrive/SharePoint" in prompt and "bao-cao-cdcs" in prompt


def test_a_district_button_on_the_province_workbook(shipped, registry):
    session = Session(province_xlsm(shipped, registry))
    session.click(buttons.district_consolidate)
    assert "bảng tính cấp huyện, ngành" in session.alert[0] and session.alert[2] == "critical"


def test_unexpected_failure_goes_to_the_log_sheet(shipped, sample_templates, registry, tmp_path, campaign):
    inbox = tmp_path / "in"
    fill_inbox(campaign, registry, "TD", inbox, sample_templates, 1, seed=2)
    session = Session(district_xlsm(shipped, registry, "TD"))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    session.set(L.N_INBOX, str(inbox))
    session.set(L.N_OUTPUT, str(blocker / "ho-so"))  # the output "folder" is under a file
    session.click(buttons.district_consolidate, now=RUN)
    ws = session.wb[dw.S_NOMINATIONS]
    hr = next(r for r in range(1, 12) if ws.cell(r, 1).value == dw.MARK_HEADER)
    ws.cell(hr + 1, 1).value = "x"
    session.click(buttons.district_export_dossier)
    prompt, _, mode = session.alert
    assert mode == "critical" and "Lỗi không mong đợi" in prompt and f"trang «{L.S_LOG}»" in prompt
    log = session.values(L.S_LOG)
    assert log[2][1] == "Xuất hồ sơ gửi tỉnh" and "Traceback" in log[2][3]
    assert isinstance(log[2][0], dt.datetime)


def test_open_output_folder(shipped, registry, tmp_path):
    session = Session(district_xlsm(shipped, registry, "TD"))
    session.set(L.N_OUTPUT, str(tmp_path / "ket-qua"))
    opened: list[Path] = []
    session.click(lambda book, **kw: buttons.open_output_folder(book, opener=opened.append, **kw))
    assert opened == [tmp_path / "ket-qua"] and opened[0].is_dir() and not session.alerts


# ------------------------------------------------------------------------------------------------------
# Province buttons: dossiers made with the district buttons
# ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def province_run(tmp_path_factory, shipped, sample_templates, campaign, registry):
    root = tmp_path_factory.mktemp("excel-province")
    dossiers = root / "ho-so-cac-don-vi"
    for seed, code in enumerate(("CJ", "DM")):
        inbox = root / "bao-cao" / code
        fill_inbox(campaign, registry, code, inbox, sample_templates, 3, seed=seed)
        d = Session(district_xlsm(shipped, registry, code))
        d.set(L.N_INBOX, str(inbox))
        d.set(L.N_OUTPUT, str(dossiers / code))
        d.set(L.N_SIGNED_ON, dt.datetime.combine(ON_TIME, dt.time()))
        d.click(buttons.district_consolidate, now=RUN)
        ws = d.wb[dw.S_NOMINATIONS]
        hr = next(r for r in range(1, 12) if ws.cell(r, 1).value == dw.MARK_HEADER)
        ws.cell(hr + 1, 1).value = "x"
        d.click(buttons.district_export_dossier)
        assert d.alert[2] == "info", d.alert
    session = Session(province_xlsm(shipped, registry))
    session.set(L.N_INBOX, str(dossiers))
    session.set(L.N_OUTPUT, str(root / "ket-qua"))
    session.set(L.N_SIGNED_ON, dt.datetime(2021, 4, 18))
    dm = next(row for row in name_cells(session.wb, L.N_TABLE) if row[0].value == "DM")
    dm[2].value = dt.datetime.combine(LATE, dt.time())  # the province received DM's dossier late
    session.click(buttons.province_consolidate, now=RUN)
    result = consolidate_province(dossiers, campaign, registry, received={"DM": LATE}, now=RUN)
    cli = pw.write_province_workbook(result, root / "cli" / "tong-hop-tinh.xlsx")
    return session, result, cli, root


def test_province_sheets_and_message(province_run):
    session, result, cli, _ = province_run
    sheets = pw.province_sheets(result)
    assert session.wb.sheetnames[2:2 + len(sheets)] == [s.name for s in sheets]
    for sd in sheets:
        assert_same_sheet(session, cli, sd.name)
    by_units, by_pct = session.wb[pw.S_CHARTS]._charts
    assert [len(by_units.series), len(by_pct.series)] == [2, 1]  # initiatives and target side by side
    assert [sr.tx.strRef.f for sr in by_units.series] == [f"'{pw.S_CHARTS}'!B3", f"'{pw.S_CHARTS}'!C3"]
    prompt, _, mode = session.alert
    assert mode == "info"
    for line in province_summary_lines(result):
        assert line in prompt
    assert [r["district_code"] for r in result.rejected] == ["DM"]  # late, from the config sheet's day
    assert any(m and m.startswith("Đang đọc") for m in session.status)


def test_province_export_to_tld(province_run):
    clicked, result, _, root = province_run
    session = clicked.fork()
    session.click(buttons.province_export_tld, now=RUN)
    prompt, _, mode = session.alert
    assert mode == "info" and f"{len(result.accepted)} sáng kiến" in prompt
    out = root / "ket-qua"
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 3 and all(n in prompt for n in names)
    package = read_package(next(out.glob("goi-du-lieu-tinh-*.xlsx")))
    assert package.stamp["level"] == "province" and package.stamp["export_date"] == "2021-04-18"
    assert [n["id"] for n in package.nominations] == [n["id"] for n in result.accepted]


@pytest.mark.libreoffice
def test_clicked_workbook_renders_to_pdf(district_run, tmp_path):
    from addin.io.libreoffice import convert_all

    session = district_run[0]
    saved = tmp_path / "clicked.xlsm"
    session.wb.save(saved)
    (pdf,) = convert_all([saved], "pdf", tmp_path / "pdf", timeout=300, recalc=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "SÁNG KIẾN CÁC CĐCS ĐỀ XUẤT" in text


# ------------------------------------------------------------------------------------------------------
# doctor and the build verb
# ------------------------------------------------------------------------------------------------------
def test_doctor_on_the_shipped_workbooks_and_a_stale_one(shipped, tmp_path):
    from pyopenvba import ExcelFile

    checks = run_checks()
    assert all(c.ok is not False for c in checks), [c for c in checks if c.ok is False]
    assert sum(1 for c in checks if c.label.endswith(".xlsm")) == 12
    stale = tmp_path / "cu.xlsm"
    shutil.copy(next((shipped / "district").glob("*.xlsm")), stale)
    with ExcelFile(stale) as wb:
        wb.set_module("xlwings", wb.get_module("xlwings").replace(f'"{xw.__version__}"', '"0.30.0"'))
        wb.save()
    (check,) = [c for c in run_checks([stale]) if c.label == "cu.xlsm"]
    assert check.ok is False and "0.30.0" in check.detail and "sangkien excel" in check.detail


def test_excel_verb_builds_for_a_given_registry_and_campaign(tmp_path, registry, campaign, repo_root):
    from typer.testing import CliRunner

    from addin.cli import app

    other = repo_root / "tests" / "data" / "campaign-other.toml"
    res = CliRunner().invoke(app, ["excel", "--out", str(tmp_path), "--district", "TD", "--campaign", str(other),
                                   "--project-dir", r"D:\Cong cu\sangkien"])
    assert res.exit_code == 0, res.output
    (path,) = (tmp_path / "district").glob("*.xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ref = name_cells(wb, L.N_CAMPAIGN).value  # relative to the workbook: no build-machine path (issue 14)
    assert not Path(ref).is_absolute() and (path.parent / ref).resolve() == other.resolve()
    assert name_cells(wb, L.N_REGISTRY).value is None
    assert wb[L.S_XLWINGS]["B1"].value == r"D:\Cong cu\sangkien\.venv\Scripts\pythonw.exe"
    res = CliRunner().invoke(app, ["doctor", "--json", str(path)])
    assert res.exit_code == 0, res.output
    assert build_workbooks(campaign, registry, tmp_path / "b", district_code="TD", include_province=False)
