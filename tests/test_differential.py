"""The self-check and the validator agree: hundreds of filled CĐCS workbooks (each rule's boundary on both
sides, the mistakes users make, decomposed Vietnamese text, invisible and bidirectional marks, the same
initiative twice, random combinations), written as a user's Excel saves them (openpyxl: formulas without
cached results), recalculated by LibreOffice headless; for every file ``KIEM_TRA_SO_LOI`` is 0 exactly when
``sangkien validate`` finds no error, and every error's cell is red on the flag sheet. Most files use a
campaign with fewer flagged rows (same formulas); some the real template.

Fast enough for every CI run (it took eight minutes and more): openpyxl saves each template once and the files
are that save with the user's values patched into the cell XML (a sample is also filled with openpyxl and
must read the same); one LibreOffice process recalculates the whole corpus and writes each sheet as CSV while
this process validates the files; the two sheets needed are read back from the CSV. The phases' times are
printed with the counts."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import time
import tomllib
import unicodedata
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest

from addin.cdcs.template.files import build_template
from addin.cdcs.template.layout import COUNT_NAME, FLAG_UNIT_COL, SHEET_FLAGS, check_cell, column_of
from addin.cdcs.validate import validate_file
from addin.io.cells import column_letter, parse_ref
from addin.io.xmltext import xml_text
from addin.io.libreoffice import recalculated_sheets
from addin.registry import Cdcs, District
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import fill_workbook, valid_initiative, valid_unit_answers
from validators import layout as L
from validators.campaign import Campaign, load_campaign
from hostile_corpus import sheet_part

pytestmark = pytest.mark.libreoffice
_CACHED = re.compile(rb"</f><v>[^<]")  # a formula with a cached result (openpyxl writes an empty <v></v>)
UNIT = Cdcs(code="CJ001", name="Công đoàn cơ sở Trường Tiểu học Kim Đồng", parent="CJ", bloc="Hành chính sự nghiệp",
            members=40, contact="Nguyễn Thị Lan", phone="0912345678", email="kimdong@example.vn")
DISTRICT = District(code="CJ", name="Liên đoàn Lao động huyện Cư Jút")
LABEL = {f.key: f.label for f in L.INITIATIVE_FIELDS}


def small_campaign(tmp: Path) -> Campaign:
    data = tomllib.loads((Path(__file__).parent.parent / "validators/campaigns/tld-75-nghin-2021.toml")
                        .read_text(encoding="utf-8"))
    data["rules"]["max_initiatives_per_unit"] = 6  # six flagged rows: the same formulas, a light recalculation
    return Campaign.model_validate(data)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def text_of(n: int, decomposed: bool = False) -> str:
    """``n`` characters after NFC, many of them Vietnamese letters with tone marks."""
    base = ("Cải tiến quy trình ghi chép sổ sách kế toán giúp tiết kiệm thời gian và giấy tờ. " * 40)[:n]
    return nfd(base) if decomposed else base


def cases(campaign: Campaign) -> list[tuple[str, dict, dict]]:
    """(category, unit-cell changes, first-row changes by field key); a change of None clears the cell."""
    r, d = campaign.rules, campaign.deadlines
    y0, y1 = campaign.author_birth_year_range
    today = dt.date.today()
    day = dt.timedelta(days=1)
    out: list[tuple[str, dict, dict]] = [("valid", {}, {})]

    def row(cat, **kw):
        out.append((cat, {}, kw))

    def unit(cat, **kw):
        out.append((cat, kw, {}))

    # -- boundaries, both sides ------------------------------------------------------------------------
    for n in (r.title_max_chars, r.title_max_chars + 1):
        row("boundary: title", title=text_of(n))
        row("nfd: title", title=text_of(n, True))
    for n in (r.description_max_chars, r.description_max_chars + 1):
        row("boundary: description", description=text_of(n))
        row("nfd: description", description=text_of(n, True))
    row("nfd: description", description=text_of(980, True))
    row("nfd: description", description="  " + text_of(r.description_max_chars) + " \u200b ")
    for v in (y0, y0 - 1, y1, y1 + 1):
        row("boundary: birth year", birth_year=v)
    for v in (r.application_start, r.application_start - day, r.application_end, r.application_end + day):
        row("boundary: applied on", applied_on=v)
    for v in (d.campaign_start, d.campaign_start - day, r.application_end, r.application_end + day):
        unit("boundary: plan signed on", NGAY_KY_KE_HOACH=v)
    for v in (d.campaign_start, d.campaign_start - day, today, today + day):
        unit("boundary: sent on", NGAY_GUI=v)
    for v in (1, 0, r.max_members_per_unit, r.max_members_per_unit + 1):
        unit("boundary: members", SO_DOAN_VIEN=v)
    for v in (0, 1, 10**6, 10**6 + 1):
        row("boundary: stt", stt=v)
    for v in (0, -1):
        row("boundary: benefit", benefit=v)
    # -- the mistakes of the issue -------------------------------------------------------------------
    for v in ("09123", "abcdefghij", "0912 345 678", "+84912345678", 912345678, "02613123456", "0912.345.6789",
              "84912345678", "(0261) 3123 456", "091234567a"):
        unit("mistake: phone", DIEN_THOAI=v)
        row("mistake: phone", phone=v)
    for v in ("a@", "a@b.vn", "a b@c.vn", "a@b..vn", "a@b.vn.", "a_b.c@d-e.vn", "a@b_c.vn", "@b.vn", "a@@b.vn",
              "congdoan@example", None):
        unit("mistake: email", EMAIL=v)
    for v in (1985.5, "1985", "1.985", "abc", " 1985 ", "85", dt.date(1985, 3, 2), "1985.0"):
        row("mistake: birth year", birth_year=v)
    unit("mistake: sent date", NGAY_GUI=dt.date(2030, 1, 1))
    unit("mistake: sent date", NGAY_GUI=None)
    for v in ("\u00a0", "\u200b", " \u00a0 ", "\ufeff"):
        row("mistake: invisible author", author=v)
        unit("mistake: invisible reporter", NGUOI_LAP=v)
    # Invisible and bidirectional marks in a dropdown column (pasted from the web, a PDF, an RTL document):
    # the validator removes them with a warning, so the sheet must show «Lưu ý», not an error.
    yes, field0, bloc0, gender0 = "Có", campaign.fields[0], campaign.blocs[0], campaign.genders[0]
    for mark in ("\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
                 "\u2068", "\u2069", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u061c"):
        row("invisible: choice", assessed=yes + mark, gender=mark + gender0)
    row("invisible: choice", field=f"\u2067{field0}\u2069", bloc=f"\u202b{bloc0}\u202c")
    row("invisible: choice", field="\u200e3", nominated="\u200fKhông", disputed="Không\u2060")
    row("invisible: choice", gender="N\u200bữ", bloc="Doanh\u00a0nghiệp\u200e")
    row("invisible: choice", entered_tld="\u202eCó")
    row("invisible: choice", field=f"{field0}\u202f", gender="\u2007Nam")
    row("invisible: choice", author="\u200e\u200f", title=None)
    row("invisible: choice", author="\u2066\u2069")
    row("invisible: choice", birth_year="1985\u200e", phone="\u202a0912345678\u202c")
    unit("invisible: choice", KHOI=f"\u200e{UNIT.bloc}", DA_TUYEN_TRUYEN="Không\u200f")
    unit("invisible: choice", DA_KY_KE_HOACH="\u2068Có\u2069", KH_CO_MUC_TIEU="Có\u202e")
    unit("invisible: choice", NGUOI_LAP="\u202e")
    for v in ("a", 1.5, "1", " 2 ", "1.000", None):
        row("mistake: stt", stt=v)
    for k, v in (("gender", "co"), ("gender", "nu"), ("gender", "NỮ"), ("gender", "Nữ "), ("gender", "x"),
                 ("bloc", "Doanh Nghiệp"), ("bloc", "Doanh nghiep"), ("bloc", "DN"), ("bloc", "doanh  nghiệp"),
                 ("field", "3"), ("field", 3), ("field", "3."), ("field", 6), ("field", "Sản xuất"),
                 ("field", "san xuat co gia tri lam loi cao"), ("field", "3 - An toàn")):
        row("mistake: spelling", **{k: v})
    for v in ("co", "x", "Co roi", "khong", "k", 1, 0, 2, "CÓ", "Yes", "không có"):
        row("mistake: yes/no", assessed=v)
        unit("mistake: yes/no", DA_TUYEN_TRUYEN=v)
    for v in ("1.500.000 đồng", "1.500.000 đ", "1500000đ", "1,5 triệu", "1.50.000", "1 500 000", "-1.000",
              "1.500.000 VNĐ", "abc"):
        row("mistake: money", benefit=v)
    for v in ("15/03/2021", "2021-03-15", "15-03-2021", "31/02/2021", "15/13/2021", "15/3/21", "ngày 15/03/2021",
              "1/3/2021", "15.03.2021"):
        row("mistake: text date", applied_on=v)
        unit("mistake: text date", NGAY_KY_KE_HOACH=v)
    unit("mistake: plan", DA_KY_KE_HOACH="Có", NGAY_KY_KE_HOACH=None)
    unit("mistake: plan", DA_KY_KE_HOACH="Không", NGAY_KY_KE_HOACH=None)
    unit("mistake: plan", DA_KY_KE_HOACH="co", NGAY_KY_KE_HOACH=None)
    row("mistake: row without title", title=None)
    row("mistake: row without title", title="\u00a0")
    row("mistake: nominated disputed", nominated="Có", disputed="Có")
    row("mistake: nominated disputed", nominated="x", disputed="co")
    for k in ("author", "gender", "field", "bloc", "description", "applied_on", "assessed", "position"):
        row("mistake: required empty", **{k: None})
    return out


def user_saved(template: Path, out: Path) -> tuple[Path, tuple[str, int, int]]:
    """The template as a user's Excel save reaches the district through openpyxl: every formula without a
    cached result (LibreOffice must compute them all). Each corpus file is this file with the user's values
    patched into its cell XML (``fast_fill_workbook``): the same bytes openpyxl would write for those cells,
    without an openpyxl load and save per file. Also where KIEM_TRA_SO_LOI is (sheet, row, column)."""
    wb = openpyxl.load_workbook(template)
    assert COUNT_NAME in wb.defined_names  # the contract name is in the workbook
    sheet, ref = next(iter(wb.defined_names[COUNT_NAME].destinations))
    wb.save(out)
    return out, (sheet, *parse_ref(ref))


def corpus_specs(campaign: Campaign, rng: random.Random, n_random: int) -> list[tuple[str, dict, dict, int]]:
    """(category, unit-cell changes, first-row changes, number of rows) of every corpus file."""
    pool = cases(campaign)
    specs = [(cat, u, r, 2) for cat, u, r in pool]
    # Several initiatives: over the quota, too few (none), too many (flagged rows + 1), the same one twice.
    specs += [("rows: nominations over quota", {}, {"nominated": "Có"}, 3), ("rows: none", {}, {}, 0),
              ("rows: too many", {}, {}, campaign.rules.max_initiatives_per_unit + 1)]
    specs += [(f"rows: repeated {how}", {}, {}, 3) for how in REPEATS]
    specs += [(f"header: {how}", {}, {}, 2) for how in HEADERS]
    unit_changes = [(cat, u) for cat, u, _ in pool if u]
    row_changes = [(cat, r) for cat, _, r in pool if r]
    for _ in range(n_random):
        u: dict = {}
        r: dict = {}
        for _k in range(rng.randint(1, 4)):
            if rng.random() < 0.4:
                u.update(rng.choice(unit_changes)[1])
            else:
                r.update(rng.choice(row_changes)[1])
        specs.append(("random combination", u, r, rng.randint(1, 3)))
    return specs


# How the third row repeats the first (the same initiative twice, a warning): the sheet notes the copies
# typed alike; the validator also those typed without accents.
REPEATS = {
    "exactly": (lambda t: t, True),
    "in capitals": (str.upper, True),
    "without accents": (lambda t: "".join(c for c in nfd(t) if not unicodedata.combining(c)).replace("đ", "d"), False),
}


# A header cell of the table as a user may leave it (column, new text or None for emptied, renamed or deleted
# label: an error on both sides; the others are the same label to the reader and to the sheet).
HEADERS = {
    "renamed": ("author", "Người thực hiện"),
    "emptied": ("description", None),
    "renamed optional": ("note", "Ghi chú khác"),
    "in capitals": ("author", "TÁC GIẢ"),
    "without accents": ("field", "Linh vuc"),
    "with extra spaces": ("applied_on", "  Ngày bắt đầu   áp dụng "),
    "in NFD": ("title", unicodedata.normalize("NFD", "Tên sáng kiến")),
}


def with_header(path: Path, key: str, text: str | None) -> None:
    """Rewrite the header cell of column ``key`` in ``path`` (an inline string, or an empty cell)."""
    ref = f"{column_letter(column_of(key))}{L.TABLE_HEADER_ROW}".encode()
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    part = sheet_part(parts, L.SHEET_INITIATIVES)
    cell = re.compile(rb'<c r="' + ref + rb'"( s="\d+")?[^>]*?(?:/>|>.*?</c>)', re.S)
    assert len(cell.findall(parts[part])) == 1

    def new(m: re.Match) -> bytes:
        if text is None:
            return b'<c r="' + ref + b'"' + (m.group(1) or b"") + b"/>"
        return (b'<c r="' + ref + b'"' + (m.group(1) or b"") + b' t="inlineStr"><is><t xml:space="preserve">'
                + xml_text(text).encode() + b"</t></is></c>")

    parts[part] = cell.sub(new, parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)


def corpus_files(campaign: Campaign, base: Path, out: Path, specs, real: bool = False,
                 fill=fast_fill_workbook) -> list[tuple[str, Path]]:
    base_rng = random.Random(1)
    items = []
    for i, (cat, u, r, n) in enumerate(specs):
        answers = valid_unit_answers(campaign, UNIT, base_rng)
        answers["NGAY_GUI"] = min(answers["NGAY_GUI"], dt.date.today())
        answers.update(u)
        rows = [valid_initiative(campaign, UNIT, base_rng, number=j + 1, nominated=False) for j in range(n)]
        for row in rows:
            row[LABEL["disputed"]] = "Không"
        if rows:
            rows[-1 if "quota" in cat else 0].update({LABEL[k]: v for k, v in r.items()})
        if "quota" in cat:
            for row in rows:
                row[LABEL["nominated"]] = "Có"
        if cat.startswith("rows: repeated"):
            how = REPEATS[cat.removeprefix("rows: repeated ")][0]
            rows[2].update({LABEL["title"]: how(rows[0][LABEL["title"]]), LABEL["author"]: rows[0][LABEL["author"]]})
        path = out / f"{'r' if real else 's'}{i:04d}.xlsx"
        fill(base, path, answers, rows)
        if cat.startswith("header: "):
            with_header(path, *HEADERS[cat.removeprefix("header: ")])
        items.append((f"real template: {cat}" if real else cat, path))
    return items


def flag_location(issue) -> tuple[int, int] | None:
    """The flag sheet cell (1-based row, column) of an issue's input cell."""
    if not issue.cell or issue.code in ("header-missing", "header-moved"):
        return None  # the header check of «Kiểm tra» counts these (test below)
    row, col = parse_ref(issue.cell)
    if issue.sheet == L.SHEET_UNIT:
        return row, FLAG_UNIT_COL
    if issue.sheet == L.SHEET_INITIATIVES:
        return row, col
    return None


def recalculated(sheets: dict[str, Path], count_at: tuple[str, int, int]) -> tuple[object, list[list], list[list]]:
    """What LibreOffice computed: KIEM_TRA_SO_LOI, the flag sheet and the «Kiểm tra» sheet, from its CSV of
    each sheet (raw values from A1; numbers as numbers)."""
    grids = {}
    for name in (SHEET_FLAGS, L.SHEET_CHECK, count_at[0]):
        with open(sheets[unicodedata.normalize("NFC", name)], encoding="utf-8", newline="") as fh:
            grids[name] = [[_number(v) for v in line] for line in csv.reader(fh)]
    sheet, row, col = count_at
    return cell(grids[sheet], row, col), grids[SHEET_FLAGS], grids[L.SHEET_CHECK]


def _number(text: str) -> object:
    try:
        return float(text)
    except ValueError:
        return text


def cell(grid: list[list], row: int, col: int) -> object:
    return grid[row - 1][col - 1] if row - 1 < len(grid) and col - 1 < len(grid[row - 1]) else None


def test_self_check_agrees_with_the_validator(tmp_path, record_property):
    clock = {"start": time.perf_counter()}
    small = small_campaign(tmp_path)
    real = load_campaign()
    rng = random.Random(13)
    corpus: list[tuple[str, Path, Campaign]] = []
    src = tmp_path / "src"
    src.mkdir()
    count_at: dict[int, tuple[str, int, int]] = {}
    for campaign, n_random, is_real in ((small, 100, False), (real, 2, True)):
        template = build_template(campaign, UNIT, DISTRICT, tmp_path / f"tpl-{int(is_real)}.xlsx")
        base, count_at[id(campaign)] = user_saved(template, tmp_path / f"base-{int(is_real)}.xlsx")
        specs = corpus_specs(campaign, rng, n_random)
        if is_real:  # the real template: a sample of the cases (its 500 flagged rows recalculate slowly)
            specs = specs[:: max(1, len(specs) // 8)]
        items = corpus_files(campaign, base, src, specs, real=is_real)
        corpus += [(cat, p, campaign) for cat, p in items]
        if not is_real:
            # The patched files read as the files openpyxl writes from the template: a sample filled both ways.
            sample = specs[:: len(specs) // 4]
            (tmp_path / "openpyxl").mkdir()
            (tmp_path / "patched").mkdir()
            slow = corpus_files(campaign, template, tmp_path / "openpyxl", sample, fill=fill_workbook)
            fast = corpus_files(campaign, base, tmp_path / "patched", sample)
            for (_, a), (_, b) in zip(slow, fast, strict=True):
                assert validate_file(a, campaign).flat() == validate_file(b, campaign).flat()
    for _, path, _ in corpus:
        with zipfile.ZipFile(path) as zf:  # no cached result anywhere: LibreOffice computes every formula
            assert not any(_CACHED.search(zf.read(n)) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    clock["corpus"] = time.perf_counter()

    # One LibreOffice process recalculates the whole corpus while this one validates it.
    out = tmp_path / "recalc"
    paths = [p for _, p, _ in corpus]
    with ThreadPoolExecutor(1) as pool:
        job = pool.submit(recalculated_sheets, paths, out, timeout=900)
        reports = [validate_file(p, campaign) for _, p, campaign in corpus]
        clock["validated"] = time.perf_counter()
        done = job.result()
    clock["recalculated"] = time.perf_counter()
    assert len(done) == len(paths)

    by_cat: Counter = Counter()
    agree = 0
    problems = []
    for (cat, src_path, campaign), report, recalc in zip(corpus, reports, done):
        by_cat[cat.split(":")[0]] += 1
        errors = [i for i in report.issues if i.severity.value == "error"]
        count, flags, checks = recalculated(recalc, count_at[id(campaign)])
        too_many = cell(checks, *parse_ref(check_cell("too_many_initiatives")))
        unflagged = [f"{i.code}@{i.cell}" for i in errors
                     if (loc := flag_location(i)) and cell(flags, *loc) != 2
                     and not (i.code == "too-many-rows" and too_many > 0)]
        # The same initiative twice, typed alike: «Lưu ý» on the second copy's title (a warning, never counted).
        repeated = [f"{i.code}@{i.cell}" for i in report.issues if i.code == "duplicate-initiative"
                    and REPEATS.get(cat.rpartition("rows: repeated ")[2], (None, False))[1]
                    and cell(flags, *flag_location(i)) != 1]
        # Each label missing from the header: one error of the reader, one count of the sheet's header check.
        missing = sum(1 for i in errors if i.code == "header-missing")
        header_count = cell(checks, *parse_ref(check_cell("header")))
        if header_count != missing:
            unflagged.append(f"header check {header_count!r} for {missing} missing label(s)")
        same = isinstance(count, (int, float)) and (count == 0) == (not errors)
        if same and not unflagged and not repeated:
            agree += 1
        else:
            problems.append(f"{cat} {src_path.name}: {COUNT_NAME}={count!r}, validator errors="
                            f"{[(i.code.value, i.cell, i.value) for i in errors][:4]}, unflagged={unflagged[:4]}"
                            f"{', not noted: ' + str(repeated) if repeated else ''}")
        if "rows: repeated" in cat and not any(i.code == "duplicate-initiative" for i in report.issues):
            problems.append(f"{cat} {src_path.name}: the validator does not see the initiative entered twice")
    clock["compared"] = time.perf_counter()
    phases = (f"corpus {clock['corpus'] - clock['start']:.0f} s, validation {clock['validated'] - clock['corpus']:.0f} s"
              f" (during recalculation), LibreOffice {clock['recalculated'] - clock['corpus']:.0f} s in one process,"
              f" read back {clock['compared'] - clock['recalculated']:.0f} s")
    summary = (f"differential corpus: {len(corpus)} workbooks ("
               + ", ".join(f"{k} {v}" for k, v in sorted(by_cat.items())) + f"); agreement {agree}/{len(corpus)}; "
               + phases)
    print(summary)
    record_property("run_summary", summary)
    assert len(corpus) >= 300
    assert not problems, "\n".join(problems[:40])
