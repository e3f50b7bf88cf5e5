"""The gate in front of every parser: addin.io.gate.inspect.inspect_file and its helpers.

Every hostile or broken file here is built in a temporary folder from real bytes (zipfile, XlsxWriter,
openpyxl, a minimal OLE2 writer below, LibreOffice when installed). Each refusal is checked for its code
and for a Vietnamese message that names the problem.

Set SANGKIEN_PROBE_CALAMINE=1 to also run the hostile samples through python-calamine in a child process
with a memory limit: that is how the load-bearing checks were found (see the module docstring of
addin.io.gate.scan), and how to re-check them after upgrading python-calamine.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.io.gate.limits import CorruptFile, Inspection, Limits, UnsafeFile

from addin.io.gate.inspect import inspect_bytes, inspect_file

from addin.io.gate.xmlsafe import open_member_capped, safe_parse, xml_parser
from validators.issues import CATALOGUE, Severity

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
SHEET_NAME = "Sáng kiến"


# ------------------------------------------------------------------------------------------------------------
# Builders
# ------------------------------------------------------------------------------------------------------------
def _xlsxwriter_book(path: Path, rows: int = 20, cols: int = 18, sheet: str = SHEET_NAME) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    for r in range(rows):
        for c in range(cols):
            ws.write(r, c, f"ô {r}-{c}" if c % 2 else r * c)
    wb.close()
    return path


@pytest.fixture(scope="session")
def base_book(tmp_path_factory) -> Path:
    return _xlsxwriter_book(tmp_path_factory.mktemp("safety") / "base.xlsx")


@pytest.fixture(scope="session")
def base_parts(base_book: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(base_book) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _zip(path: Path, parts: dict[str, bytes] | list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> Path:
    items = parts.items() if isinstance(parts, dict) else parts
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in items:
            zf.writestr(name, data)
    return path


def _sheet(rows: bytes, before_root: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + before_root
            + b'<worksheet xmlns="' + MAIN_NS.encode() + b'"><sheetData>' + rows + b"</sheetData></worksheet>")


def _with(parts: dict[str, bytes], **replace: bytes) -> dict[str, bytes]:
    out = dict(parts)
    for key, data in replace.items():
        out[{"sheet": SHEET, "sst": "xl/sharedStrings.xml", "workbook": "xl/workbook.xml"}[key]] = data
    return out


def _patch_central(data: bytes, member: str, *, file_size: int | None = None, flags: int | None = None,
                   offset_of: str | None = None) -> bytes:
    """Rewrite fields of ``member``'s central-directory entry (and local header), as a forger would."""
    b = bytearray(data)
    offsets = {}
    i = 0
    while (i := b.find(b"PK\x01\x02", i)) >= 0:
        nlen = struct.unpack_from("<H", b, i + 28)[0]
        offsets[bytes(b[i + 46:i + 46 + nlen]).decode()] = (i, struct.unpack_from("<I", b, i + 42)[0])
        i += 4
    cd, local = offsets[member]
    if file_size is not None:
        struct.pack_into("<I", b, cd + 24, file_size)
        struct.pack_into("<I", b, local + 22, file_size)
    if flags is not None:
        struct.pack_into("<H", b, cd + 8, flags)
        struct.pack_into("<H", b, local + 6, flags)
    if offset_of is not None:
        struct.pack_into("<I", b, cd + 42, offsets[offset_of][1])
    return bytes(b)


from ole import cfb as _cfb  # noqa: E402  (shared with the hostile corpus)


def _rec(rtype: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", rtype, len(data)) + data


_BOF_GLOBALS = _rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
_BOF_SHEET = _rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
_EOF = _rec(0x000A)


def _number(row: int, col: int, value: float) -> bytes:
    return _rec(0x0203, struct.pack("<HHHd", row, col, 0x0F, value))


def _xls(sheet_records: bytes, *, globals_extra: bytes = b"", sheet_type: int = 0, streams: dict | None = None,
         storages: tuple[str, ...] = ()) -> bytes:
    """A BIFF8 workbook: globals (BOF, extras, one BOUNDSHEET, EOF) and one sheet substream."""
    name = "Sáng kiến".encode("utf-16-le")

    def bound(pos: int) -> bytes:
        return _rec(0x0085, struct.pack("<IBBBB", pos, 0, sheet_type, len(name) // 2, 1) + name)

    pos = len(_BOF_GLOBALS) + len(globals_extra) + len(bound(0)) + len(_EOF)
    stream = _BOF_GLOBALS + globals_extra + bound(pos) + _EOF + _BOF_SHEET + sheet_records + _EOF
    return _cfb({"Workbook": stream, **(streams or {})}, storages)


def _refused(result: Inspection, code: str, *words: str) -> str:
    assert result.kind is None, result
    assert result.issue is not None and result.issue.code == code, result.issue
    message = result.issue.message
    for word in words:
        assert word.lower() in message.lower(), message
    return message


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------------------------------------------------
# Files that pass
# ------------------------------------------------------------------------------------------------------------
def test_xlsxwriter_workbook_passes(base_book: Path) -> None:
    result = inspect_file(base_book)
    assert (result.kind, result.issue, result.has_macros, result.active_content) == ("xlsx", None, False, [])
    assert result.ok and result.warnings() == []


def test_openpyxl_workbook_passes(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    for r in range(1, 30):
        ws.append([r, f"Sáng kiến {r}", "Có", 1_500_000])
    wb.save(tmp_path / "op.xlsx")
    assert inspect_file(tmp_path / "op.xlsx") == Inspection("xlsx", None)


def test_generated_cdcs_template_passes(unit_template: Path) -> None:
    assert inspect_file(unit_template) == Inspection("xlsx", None)


def test_decided_by_content_not_by_name(base_book: Path, tmp_path: Path) -> None:
    renamed = shutil.copy(base_book, tmp_path / "bao-cao.xls")
    assert inspect_file(renamed).kind == "xlsx"
    pdf = _write(tmp_path, "bao-cao.xlsx", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    _refused(inspect_file(pdf), "file-wrong-type", "PDF")


def test_inspect_bytes_matches_inspect_file(base_book: Path) -> None:
    assert inspect_bytes(base_book.read_bytes()) == inspect_file(base_book)


def test_xlsm_with_vba_project_passes_with_macros(tmp_path: Path) -> None:
    import xlsxwriter

    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(_cfb({"PROJECT": b"ID=\"{00000000}\"\r\n", "dir": b"\x01\x00"}, storages=("VBA",)))
    wb = xlsxwriter.Workbook(str(tmp_path / "m.xlsm"))
    wb.add_worksheet(SHEET_NAME).write(0, 0, "x")
    wb.add_vba_project(str(vba))
    wb.close()
    result = inspect_file(tmp_path / "m.xlsm")
    assert (result.kind, result.issue, result.has_macros) == ("xlsx", None, True)
    (warning,) = result.warnings()
    assert warning.code == "file-has-macros" and warning.severity is Severity.WARNING
    assert "macro" in warning.message and "không chạy" in warning.message


def test_links_embedded_objects_and_activex_are_reported(base_parts: dict, base_book: Path, tmp_path: Path) -> None:
    link = b'<?xml version="1.0"?><externalLink xmlns="' + MAIN_NS.encode() + b'"/>'
    parts = {**base_parts,
             "xl/externalLinks/externalLink1.xml": link,
             "xl/embeddings/Microsoft_Word_Document.docx": base_book.read_bytes(),  # a nested zip, allowed here
             "xl/activeX/activeX1.xml": b'<?xml version="1.0"?><ax:ocx xmlns:ax="urn:x"/>',
             "xl/connections.xml": b'<?xml version="1.0"?><connections xmlns="' + MAIN_NS.encode() + b'"/>'}
    result = inspect_file(_zip(tmp_path / "active.xlsx", parts))
    assert result.kind == "xlsx" and result.issue is None
    assert result.active_content == ["external-links", "data-connections", "embedded-objects", "activex"]
    (warning,) = result.warnings()
    assert warning.code == "file-active-content" and "liên kết tới tệp khác" in warning.message


def test_far_column_and_cells_without_references_still_pass(base_parts: dict, tmp_path: Path) -> None:
    """The slower paths must not refuse ordinary data: a column past Z, a producer that omits r."""
    far_col = _sheet(b'<row r="1"><c r="A1"><v>1</v></c><c r="AB5"><v>2</v></c></row>'
                     b'<row r="150000"><c r="B150000"><v>3</v></c></row>')
    assert inspect_file(_zip(tmp_path / "ab.xlsx", _with(base_parts, sheet=far_col))).ok
    positional = _sheet(b"".join(b"<row>" + b"<c><v>1</v></c>" * 18 + b"</row>" for _ in range(50)))
    assert inspect_file(_zip(tmp_path / "pos.xlsx", _with(base_parts, sheet=positional))).ok


def test_utf16_custom_xml_part_passes(base_parts: dict, tmp_path: Path) -> None:
    """SharePoint writes customXml items in UTF-16: allowed outside the parts the reader parses."""
    item = '\ufeff<?xml version="1.0" encoding="utf-16"?><p:properties xmlns:p="urn:x"/>'.encode("utf-16-le")
    assert inspect_file(_zip(tmp_path / "cx.xlsx", {**base_parts, "customXml/item1.xml": item})).ok
    dtd = '\ufeff<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "b">]><p/>'.encode("utf-16-le")
    _refused(inspect_file(_zip(tmp_path / "cx2.xlsx", {**base_parts, "customXml/item1.xml": dtd})), "file-unsafe", "DTD")


# ------------------------------------------------------------------------------------------------------------
# The file itself
# ------------------------------------------------------------------------------------------------------------
def test_missing_file(tmp_path: Path) -> None:
    _refused(inspect_file(tmp_path / "khong-co.xlsx"), "file-not-found", "Không tìm thấy")


def test_directory(tmp_path: Path) -> None:
    _refused(inspect_file(tmp_path), "file-unreadable", "thư mục")


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
def test_fifo_and_device_are_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.xlsx")  # opening it would block forever
    _refused(inspect_file(tmp_path / "pipe.xlsx"), "file-unreadable", "không phải tệp thông thường")
    os.symlink("/dev/zero", tmp_path / "zero.xlsx")  # reading it would never end
    _refused(inspect_file(tmp_path / "zero.xlsx"), "file-unreadable", "không phải tệp thông thường")


def test_empty_file(tmp_path: Path) -> None:
    _refused(inspect_file(_write(tmp_path, "e.xlsx", b"")), "file-empty", "rỗng")


def test_too_large_is_decided_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    with open(big, "wb") as fh:
        fh.truncate(30 * 2**20)  # sparse: 30 MB on paper, nothing read
    message = _refused(inspect_file(big), "file-too-large", "quá lớn", "30,0 MB", "20,0 MB")
    assert "giới hạn" in message


def test_too_large_with_a_small_limit(base_book: Path) -> None:
    _refused(inspect_file(base_book, Limits(max_file_bytes=1000)), "file-too-large", "quá lớn")


@pytest.mark.parametrize(
    ("data", "code", "word"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "file-wrong-type", "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "file-wrong-type", "hình ảnh"),
        (b"Rar!\x1a\x07\x01\x00" + b"\0" * 64, "file-wrong-type", "RAR"),
        (b"MZ\x90\x00" + b"\0" * 64, "file-unsafe", "chương trình"),
        ("<html><head><meta charset='utf-8'></head><body><table><tr><td>Tên</td></tr></table></body></html>"
         .encode(), "file-unsupported", "HTML"),
        ('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:'
         'office:spreadsheet"/>'.encode(), "file-unsupported", "XML 2003"),
        ("STT,Tên sáng kiến,Tác giả\n1,Cải tiến quy trình,Nguyễn Văn A\n".encode(), "file-unsupported", "CSV"),
        ("STT;Tên;Ghi chú\n1;Tên;Có\n".encode("cp1258"), "file-unsupported", "CSV"),
        (bytes(range(256)) * 8, "file-not-workbook", "không phải là bảng tính"),
    ],
    ids=["pdf", "png", "rar", "exe", "html-as-xls", "spreadsheetml-2003", "csv", "csv-cp1258", "binary"],
)
def test_not_a_workbook(tmp_path: Path, data: bytes, code: str, word: str) -> None:
    _refused(inspect_file(_write(tmp_path, "f.xlsx", data)), code, word)


def test_word_document_renamed_xlsx(tmp_path: Path) -> None:
    docx = _zip(tmp_path / "to-trinh.xlsx", {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="urn:x"/>',
        "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="urn:w"/>',
    })
    message = _refused(inspect_file(docx), "file-wrong-type", "Word")
    assert "không phải bảng tính Excel" in message


def test_zipped_workbook_names_what_to_extract(base_book: Path, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "gui.zip", {"Bao cao CDCS.xlsx": base_book.read_bytes()})
    _refused(inspect_file(archive), "file-wrong-type", "ZIP", "Bao cao CDCS.xlsx")


def test_xlsb_is_unsupported(tmp_path: Path) -> None:
    xlsb = _zip(tmp_path / "b.xlsb", {"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"})
    _refused(inspect_file(xlsb), "file-unsupported", ".xlsb")


def test_truncated_download(base_book: Path, tmp_path: Path) -> None:
    data = base_book.read_bytes()
    _refused(inspect_file(_write(tmp_path, "half.xlsx", data[: len(data) // 2])), "file-corrupt", "không trọn vẹn")


def test_damaged_central_directory(base_book: Path, tmp_path: Path) -> None:
    data = bytearray(base_book.read_bytes())
    cd = data.find(b"PK\x01\x02")
    data[cd + 3] = 0x03  # the signature of a directory entry
    _refused(inspect_file(_write(tmp_path, "cd.xlsx", bytes(data))), "file-corrupt", "hỏng")


def test_crc_error_in_a_sheet(base_parts: dict, tmp_path: Path) -> None:
    path = _zip(tmp_path / "crc.xlsx", base_parts, method=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.find(b"<sheetData>") + 20
    data[at] ^= 0x01
    _refused(inspect_file(_write(tmp_path, "crc2.xlsx", bytes(data))), "file-corrupt", "CRC")


# ------------------------------------------------------------------------------------------------------------
# Zip bombs and hostile archives
# ------------------------------------------------------------------------------------------------------------
def test_member_declaring_one_gigabyte(base_book: Path, tmp_path: Path) -> None:
    forged = _patch_central(base_book.read_bytes(), SHEET, file_size=2**30)
    _refused(inspect_file(_write(tmp_path, "1gb.xlsx", forged)), "file-unsafe", "không an toàn", "tỉ lệ bất thường")


def test_real_high_ratio_member(base_parts: dict, tmp_path: Path) -> None:
    bomb = _sheet(b" " * (8 * 2**20))  # 8 MB inflating from ~8 KB
    _refused(inspect_file(_zip(tmp_path / "r.xlsx", _with(base_parts, sheet=bomb))), "file-unsafe", "tỉ lệ bất thường")


def test_declared_total_over_the_cap(base_book: Path) -> None:
    _refused(inspect_file(base_book, Limits(max_uncompressed_bytes=10_000)), "file-unsafe", "giải nén ra tới")


def test_three_thousand_members(base_parts: dict, tmp_path: Path) -> None:
    parts = list(base_parts.items()) + [(f"xl/media/image{i}.png", b"x") for i in range(3000)]
    _refused(inspect_file(_zip(tmp_path / "many.xlsx", parts)), "file-unsafe", "3010 thành phần", "2000")


@pytest.mark.parametrize("name", ["../../evil.txt", "/etc/passwd", "C:/Windows/evil.dll", "xl\\..\\..\\evil", "xl/a\x01b"])
def test_hostile_member_names(base_parts: dict, tmp_path: Path, name: str) -> None:
    with zipfile.ZipFile(tmp_path / "n.xlsx", "w") as zf:
        for n, d in base_parts.items():
            zf.writestr(n, d)
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # bypass zipfile's own sanitising of the name, as a hostile tool would
        zf.writestr(info, b"x")
    _refused(inspect_file(tmp_path / "n.xlsx"), "file-unsafe", "tên thành phần đáng ngờ")


def test_duplicate_member_names(base_parts: dict, tmp_path: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        parts = list(base_parts.items()) + [(SHEET.upper(), _sheet(b""))]
        path = _zip(tmp_path / "dup.xlsx", parts)
    _refused(inspect_file(path), "file-unsafe", "trùng tên")


def test_nested_archive(base_parts: dict, base_book: Path, tmp_path: Path) -> None:
    parts = {**base_parts, "xl/media/image1.png": base_book.read_bytes()}  # a zip named like a picture
    _refused(inspect_file(_zip(tmp_path / "nest.xlsx", parts)), "file-unsafe", "nén lồng")


def test_overlapping_members(base_parts: dict, tmp_path: Path) -> None:
    parts = {**base_parts, "docProps/extra.xml": base_parts["docProps/app.xml"]}
    data = _zip(tmp_path / "o.xlsx", parts).read_bytes()
    forged = _patch_central(data, "docProps/extra.xml", offset_of="docProps/app.xml")
    _refused(inspect_file(_write(tmp_path, "o2.xlsx", forged)), "file-unsafe", "chồng lên nhau")


def test_unusual_compression_method(base_parts: dict, tmp_path: Path) -> None:
    path = _zip(tmp_path / "bz.xlsx", base_parts, method=zipfile.ZIP_BZIP2)
    _refused(inspect_file(path), "file-unsafe", "kiểu nén lạ")


def test_zip_password(base_book: Path, tmp_path: Path) -> None:
    forged = _patch_central(base_book.read_bytes(), SHEET, flags=0x0001)
    _refused(inspect_file(_write(tmp_path, "zc.xlsx", forged)), "file-encrypted", "mật khẩu")


# ------------------------------------------------------------------------------------------------------------
# XML: entity bombs, external entities, prologs
# ------------------------------------------------------------------------------------------------------------
_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
           + b"]>\n")


@pytest.mark.parametrize("part", ["sst", "workbook", "sheet"])
def test_billion_laughs(base_parts: dict, tmp_path: Path, part: str) -> None:
    body = {"sst": b'<sst xmlns="' + MAIN_NS.encode() + b'" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>',
            "workbook": base_parts["xl/workbook.xml"].split(b"?>", 1)[1],
            "sheet": _sheet(b"").split(b"?>", 1)[1]}[part]
    path = _zip(tmp_path / "lol.xlsx", _with(base_parts, **{part: _LAUGHS + body}))
    _refused(inspect_file(path), "file-unsafe", "DTD/ENTITY")


def test_external_entity(base_parts: dict, tmp_path: Path) -> None:
    xxe = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           b'<sst xmlns="' + MAIN_NS.encode() + b'"><si><t>&e;</t></si></sst>')
    _refused(inspect_file(_zip(tmp_path / "xxe.xlsx", _with(base_parts, sst=xxe))), "file-unsafe", "DTD/ENTITY")


def test_doctype_hidden_after_a_comment(base_parts: dict, tmp_path: Path) -> None:
    sneaky = b'<?xml version="1.0"?><!-- <worksheet> --><!DOCTYPE x [<!ENTITY a "b">]>' + _sheet(b"").split(b"?>", 1)[1]
    _refused(inspect_file(_zip(tmp_path / "c.xlsx", _with(base_parts, sheet=sneaky))), "file-unsafe", "DTD")


def test_endless_prolog(base_parts: dict, tmp_path: Path) -> None:
    long = b'<?xml version="1.0"?>' + b"<!-- padding -->" * 10_000 + _sheet(b"").split(b"?>", 1)[1]
    _refused(inspect_file(_zip(tmp_path / "p.xlsx", _with(base_parts, sheet=long))), "file-unsafe", "dài bất thường")


def test_utf16_part(base_parts: dict, tmp_path: Path) -> None:
    utf16 = b"\xff\xfe" + _sheet(b"").decode().replace("UTF-8", "UTF-16").encode("utf-16-le")
    _refused(inspect_file(_zip(tmp_path / "u.xlsx", _with(base_parts, sheet=utf16))), "file-unsupported", "UTF-16")


# ------------------------------------------------------------------------------------------------------------
# Grids that would make calamine allocate billions of cells (it aborts the whole process)
# ------------------------------------------------------------------------------------------------------------
_A1 = b'<row r="1"><c r="A1"><v>1</v></c></row>'


def test_stray_value_in_the_last_cell(base_parts: dict, tmp_path: Path) -> None:
    sheet = _sheet(_A1 + b'<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>')
    result = inspect_file(_zip(tmp_path / "xfd.xlsx", _with(base_parts, sheet=sheet)))
    message = _refused(result, "file-sheet-too-large", SHEET_NAME, "XFD1048576", "giới hạn 5.000.000 ô", "xoá")
    assert "17.179.869.184" in message
    assert (result.issue.sheet, result.issue.cell) == (SHEET_NAME, "XFD1048576")


def test_accidental_value_in_the_last_row(base_parts: dict, tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c><c r="R%d"><v>1</v></c></row>' % (r, r, r) for r in range(1, 40))
    sheet = _sheet(rows + b'<row r="1048576"><c r="B1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    _refused(inspect_file(_zip(tmp_path / "r.xlsx", _with(base_parts, sheet=sheet))), "file-sheet-too-large", "R1048576")


@pytest.mark.parametrize(
    "rows",
    [
        _A1 + b'<row r="1048576"><c r="xfd1048576"><v>2</v></c></row>',  # lowercase reference
        _A1 + b"<row r='2000'><c r='XFD2000'><v>2</v></c></row>",  # single quotes
        _A1 + b'<row r = "2000"><c r = "XFD2000" ><v>2</v></c></row>',  # spaces around "="
        _A1 + b'<row r="2000"><c\tr="XFD2000"><v>2</v></c></row>',  # a tab
        _A1 + b'<row r="2000"><c r="A2000" r="XFD2000"><v>2</v></c></row>',  # repeated attribute: last wins
        _A1 + b'<row r="2000"><c r="A2000" t=">" r="XFD2000"><v>2</v></c></row>',  # ">" inside a value
        _A1 + b'<row r="1048576">' + b"<c><v>1</v></c>" * 40 + b"</row>",  # cells without references
        _A1 + b'<row r="1048576"/><row><c r="Z1048577"><v>1</v></c></row>',  # a row without reference
        _A1 + b'<x:row xmlns:x="' + MAIN_NS.encode() + b'" r="2000"><x:c r="XFD2000"><x:v>2</x:v></x:c></x:row>',
        _A1 + b'<row r="2000"><c r="ZZZZ2000"><v>2</v></c></row>',  # beyond Excel's grid
        _A1 + b'<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[</sheetData>]]></t></is></c></row>'
              b'<row r="2000"><c r="XFD2000"><v>2</v></c></row>',
    ],
    ids=["lowercase", "single-quotes", "spaces", "tab", "repeated-r", "gt-in-value", "positional-cells",
         "positional-row", "prefixed", "beyond-grid", "cdata"],
)
def test_far_cells_written_unusually(base_parts: dict, tmp_path: Path, rows: bytes) -> None:
    path = _zip(tmp_path / "odd.xlsx", _with(base_parts, sheet=_sheet(rows)))
    _refused(inspect_file(path), "file-sheet-too-large", "quá lớn")


@pytest.mark.parametrize(
    ("before_root", "code"),
    [(b"junk", "file-sheet-too-large"), (b"<foo/>", "file-sheet-too-large"),
     (b"<![CDATA[x]]>", "file-unsafe")],  # "<!" before the root is refused with the DTDs
    ids=["text", "element", "cdata"],
)
def test_far_cells_behind_a_hidden_root(base_parts: dict, tmp_path: Path, before_root: bytes, code: str) -> None:
    """calamine's XML reader accepts junk before the root (measured): the sheet is checked by its name."""
    sheet = _sheet(_A1 + b'<row r="2000"><c r="XFD2000"><v>2</v></c></row>', before_root=before_root)
    _refused(inspect_file(_zip(tmp_path / "h.xlsx", _with(base_parts, sheet=sheet))), code)


def test_table_covering_the_whole_sheet(base_parts: dict, tmp_path: Path) -> None:
    table = (b'<?xml version="1.0"?><table xmlns="' + MAIN_NS.encode() + b'" id="1" name="SangKien" '
             b'displayName="SangKien" ref="A1:XFD1048576"><tableColumns count="1"><tableColumn id="1" name="STT"/>'
             b"</tableColumns></table>")
    path = _zip(tmp_path / "t.xlsx", {**base_parts, "xl/tables/table1.xml": table})
    _refused(inspect_file(path), "file-sheet-too-large", "bảng 'SangKien'", "A1:XFD1048576")


def test_shared_strings_count_lie(base_parts: dict, tmp_path: Path) -> None:
    lie = base_parts["xl/sharedStrings.xml"].replace(b'uniqueCount="', b'uniqueCount="4000000000" x="', 1)
    _refused(inspect_file(_zip(tmp_path / "s.xlsx", {**base_parts, "xl/sharedStrings.xml": lie})),
             "file-unsafe", "chuỗi ký tự")


# ------------------------------------------------------------------------------------------------------------
# OLE2: encrypted OOXML, .xls
# ------------------------------------------------------------------------------------------------------------
def test_encrypted_ooxml_made_by_msoffcrypto(base_book: Path, tmp_path: Path) -> None:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    out = tmp_path / "matkhau.xlsx"
    with open(base_book, "rb") as src, open(out, "wb") as dst:
        OOXMLFile(src).encrypt("mat-khau", dst)
    assert msoffcrypto.olefile.isOleFile(str(out))
    _refused(inspect_file(out), "file-encrypted", "mật khẩu", "gỡ mật khẩu")


def test_encrypted_ooxml_envelope(tmp_path: Path) -> None:
    envelope = _cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x10" * 64},
                    storages=("\x06DataSpaces",))
    _refused(inspect_file(_write(tmp_path, "e.xlsx", envelope)), "file-encrypted", "mật khẩu")


def test_minimal_xls_passes(tmp_path: Path) -> None:
    data = _xls(_number(0, 0, 1.0) + _number(3, 17, 2.0))
    assert inspect_file(_write(tmp_path, "m.xls", data)) == Inspection("xls", None)


def test_xls_with_filepass_is_encrypted(tmp_path: Path) -> None:
    filepass = _rec(0x002F, struct.pack("<HHH", 0, 0x1234, 0x5678))  # XOR obfuscation header
    data = _xls(_number(0, 0, 1.0), globals_extra=filepass)
    _refused(inspect_file(_write(tmp_path, "p.xls", data)), "file-encrypted", "mật khẩu")


def test_xls_macros_and_links(tmp_path: Path) -> None:
    supbook = _rec(0x01AE, struct.pack("<HH", 1, 12) + b"\x00C:\\ngoai.xls")  # a reference to another workbook
    data = _xls(_number(0, 0, 1.0), globals_extra=supbook, storages=("_VBA_PROJECT_CUR",))
    result = inspect_file(_write(tmp_path, "m.xls", data))
    assert (result.kind, result.has_macros, result.active_content) == ("xls", True, ["external-links"])


def test_xls_dimensions_lie(tmp_path: Path) -> None:
    dims = _rec(0x0200, struct.pack("<IIHHH", 0, 0xFFFFFFFF, 0, 0xFFFF, 0))
    _refused(inspect_file(_write(tmp_path, "d.xls", _xls(dims + _number(0, 0, 1.0)))), "file-unsafe", "kích thước bất thường")


@pytest.mark.parametrize(
    "dims",
    [struct.pack("<IIHHH", 0xFFFF, 20, 0, 18, 0),  # first row after the last: calamine's subtraction wraps
     struct.pack("<HHHHH", 0, 0xFFFF, 0, 0xFFFF, 0)],  # the 10-byte (16-bit) form, found by fuzzing
    ids=["wrapping", "short-form"],
)
def test_xls_dimensions_calamine_would_reserve(tmp_path: Path, dims: bytes) -> None:
    data = _xls(_rec(0x0200, dims) + _number(0, 0, 1.0))
    _refused(inspect_file(_write(tmp_path, "w.xls", data)), "file-unsafe", "kích thước bất thường")


def test_xls_shared_strings_count_lie(tmp_path: Path) -> None:
    sst = _rec(0x00FC, struct.pack("<ii", 1, 2_000_000_000) + b"\x01\x00\x00A")
    _refused(inspect_file(_write(tmp_path, "s.xls", _xls(_number(0, 0, 1.0), globals_extra=sst))),
             "file-unsafe", "chuỗi ký tự")


def test_xls_stray_value_in_the_last_cell(tmp_path: Path) -> None:
    data = _xls(_number(0, 0, 1.0) + _number(65535, 255, 2.0))
    _refused(inspect_file(_write(tmp_path, "f.xls", data)), "file-sheet-too-large", "IV65536", SHEET_NAME)


@pytest.mark.parametrize(
    ("streams", "code", "word"),
    [({"WordDocument": b"\xec\xa5"}, "file-wrong-type", "Word"),
     ({"Book": _BOF_GLOBALS}, "file-unsupported", "Excel 5.0/95"),
     ({"Something": b"x"}, "file-not-workbook", "không phải")],
    ids=["doc", "biff5", "other"],
)
def test_other_ole_files(tmp_path: Path, streams: dict, code: str, word: str) -> None:
    _refused(inspect_file(_write(tmp_path, "o.xls", _cfb(streams))), code, word)


def test_damaged_ole(tmp_path: Path) -> None:
    data = _xls(_number(0, 0, 1.0))
    _refused(inspect_file(_write(tmp_path, "x.xls", data[:600])), "file-corrupt", "hỏng")


# ------------------------------------------------------------------------------------------------------------
# Files made by LibreOffice (real .xls, .ods, password-protected .xls)
# ------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lo_files(tmp_path_factory, base_book: Path) -> dict[str, Path]:
    from addin.io.libreoffice import convert_all

    out = tmp_path_factory.mktemp("lo")
    src = shutil.copy(base_book, out / "nguon.xlsx")
    xls = convert_all([src], "xls:MS Excel 97", out / "xls", recalc=False)[0]
    ods = convert_all([src], "ods", out / "ods", recalc=False)[0]
    return {"xls": xls, "ods": ods}


@pytest.mark.libreoffice
def test_real_xls_from_libreoffice(lo_files: dict) -> None:
    assert inspect_file(lo_files["xls"]) == Inspection("xls", None)


@pytest.mark.libreoffice
def test_real_ods_from_libreoffice(lo_files: dict) -> None:
    assert inspect_file(lo_files["ods"]) == Inspection("ods", None)


_UNO_ENCRYPT = r"""
import subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue
def pv(n, v):
    p = PropertyValue(); p.Name = n; p.Value = v; return p
src, dst, profile, pipe = sys.argv[1:5]
proc = subprocess.Popen(["soffice", "-env:UserInstallation=" + profile, "--headless", "--norestore",
                         "--accept=pipe,name=%s;urp;" % pipe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    ctx = uno.getComponentContext()
    resolver = ctx.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", ctx)
    for _ in range(120):
        try:
            remote = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    desktop = remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (pv("Hidden", True),))
    doc.storeToURL(uno.systemPathToFileUrl(dst), (pv("FilterName", "MS Excel 97"), pv("Password", "mat-khau")))
    doc.close(True)
finally:
    proc.terminate()
    proc.wait(30)
"""


@pytest.mark.libreoffice
def test_real_password_protected_xls(base_book: Path, tmp_path: Path) -> None:
    """LibreOffice writes an RC4 CryptoAPI FILEPASS record, as Excel does. Needs a Python with LibreOffice's
    UNO bridge (the system python3 on Debian/Ubuntu with python3-uno)."""
    python = shutil.which("python3", path="/usr/bin:/usr/local/bin")
    if python is None or subprocess.run([python, "-c", "import uno"], capture_output=True).returncode != 0:
        pytest.skip("no Python with the LibreOffice UNO bridge")
    out = tmp_path / "matkhau.xls"
    subprocess.run([python, "-c", _UNO_ENCRYPT, str(base_book), str(out), (tmp_path / "profile").as_uri(),
                    f"sangkien{os.getpid()}"], timeout=180, check=True, capture_output=True)
    _refused(inspect_file(out), "file-encrypted", "mật khẩu")


# ------------------------------------------------------------------------------------------------------------
# Helpers for the reader: capped reads, XML without DTDs
# ------------------------------------------------------------------------------------------------------------
def test_open_member_capped(base_book: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(base_book) as zf:
        assert open_member_capped(zf, "xl/workbook.xml", 1 << 20).startswith(b"<?xml")
        with pytest.raises(UnsafeFile) as exc:
            open_member_capped(zf, SHEET, 100)
        assert "giới hạn" in str(exc.value) and exc.value.issue.code == "file-unsafe"
        with pytest.raises(CorruptFile) as missing:
            open_member_capped(zf, "xl/khong-co.xml", 1 << 20)
        assert isinstance(missing.value, ValueError) and missing.value.issue.code == "file-corrupt"
    # A member that inflates to more than it declares: zipfile stops at the declared size, the CRC fails.
    forged = _patch_central(base_book.read_bytes(), SHEET, file_size=100)
    with zipfile.ZipFile(io.BytesIO(forged)) as zf, pytest.raises(CorruptFile):
        open_member_capped(zf, SHEET, 1 << 20)


def test_safe_parse() -> None:
    root = safe_parse(b'<workbook xmlns="' + MAIN_NS.encode() + b'"><sheets/></workbook>')
    assert root.tag == f"{{{MAIN_NS}}}workbook"
    with pytest.raises(UnsafeFile):
        safe_parse(_LAUGHS + b"<sst>&lol9;</sst>")
    with pytest.raises(UnsafeFile):
        safe_parse(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
    with pytest.raises(CorruptFile) as bad:
        safe_parse(b"<workbook><sheets></workbook>")
    assert isinstance(bad.value, ValueError)
    parser = xml_parser()
    parser.feed(b"<a><b/></a>")
    assert parser.close().tag == "a"


def test_new_catalogue_codes_are_vietnamese() -> None:
    for code in ("file-wrong-type", "file-sheet-too-large", "file-has-macros", "file-active-content"):
        template = CATALOGUE[code].template
        assert any(ch in template for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"), code


# ------------------------------------------------------------------------------------------------------------
# Never raises: random bytes and damaged workbooks
# ------------------------------------------------------------------------------------------------------------
def _check_total(result: Inspection) -> None:
    assert isinstance(result, Inspection)
    assert (result.kind is None) != (result.issue is None), result
    if result.issue is not None:
        assert result.issue.code in CATALOGUE and result.issue.message


_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])


@_FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise(data: bytes) -> None:
    _check_total(inspect_bytes(data))


@_FUZZ
@given(prefix=st.sampled_from([b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<?xml ", b""]),
       data=st.binary(max_size=4096))
def test_random_bytes_behind_magic_never_raise(prefix: bytes, data: bytes) -> None:
    _check_total(inspect_bytes(prefix + data))


def _mutations():
    return st.tuples(
        st.sampled_from(["flip", "truncate", "splice", "zero"]),
        st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=12),
    )


def _mutate(data: bytes, how: str, edits: list[tuple[float, int]]) -> bytes:
    b = bytearray(data)
    if how == "truncate":
        return bytes(b[: int(edits[0][0] * len(b))])
    for where, value in edits:
        i = int(where * len(b))
        if how == "flip":
            b[i] ^= 1 << (value % 8)
        elif how == "zero":
            b[i:i + value] = b"\0" * len(b[i:i + value])
        else:
            b[i:i] = bytes([value]) * (value % 7 + 1)
    return bytes(b)


@_FUZZ
@given(_mutations())
def test_damaged_xlsx_never_raises(base_book: Path, mutation) -> None:
    _check_total(inspect_bytes(_mutate(base_book.read_bytes(), *mutation)))


@_FUZZ
@given(_mutations())
def test_damaged_xls_never_raises(mutation) -> None:
    data = _xls(_number(0, 0, 1.0) + _number(2, 3, 4.0), globals_extra=_rec(0x01AE, struct.pack("<HH", 1, 0x0401)))
    _check_total(inspect_bytes(_mutate(data, *mutation)))


@_FUZZ
@given(_mutations())
def test_damaged_sheet_xml_never_raises(base_parts: dict, mutation) -> None:
    sheet = _mutate(base_parts[SHEET], *mutation)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in {**base_parts, SHEET: sheet}.items():
            zf.writestr(name, data)
    _check_total(inspect_bytes(buf.getvalue()))


# ------------------------------------------------------------------------------------------------------------
# Optional: what python-calamine does with the hostile samples when nothing stops them
# ------------------------------------------------------------------------------------------------------------
_CALAMINE_CHILD = r"""
import resource, sys
cap = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
for name in wb.sheet_names:
    wb.get_sheet_by_name(name).to_python()
"""


def _calamine_outcome(path: Path, memory: int = 2 * 2**30, timeout: float = 60) -> str:
    try:
        proc = subprocess.run([sys.executable, "-c", _CALAMINE_CHILD, str(path), str(memory)],
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    if proc.returncode < 0:
        return f"killed by signal {-proc.returncode}"
    return "ok" if proc.returncode == 0 else "error"


@pytest.mark.skipif(os.name != "posix" or not os.environ.get("SANGKIEN_PROBE_CALAMINE"),
                    reason="set SANGKIEN_PROBE_CALAMINE=1 to probe python-calamine (POSIX, slow)")
@pytest.mark.parametrize("sample", ["xfd1048576", "zzzz", "lowercase", "sst-unique", "xls-dimensions", "xls-column"])
def test_calamine_dies_on_what_inspection_refuses(base_parts: dict, tmp_path: Path, sample: str) -> None:
    """Each sample kills python-calamine (SIGABRT from Rust's allocation failure, nothing Python can catch);
    inspection must refuse each one. If calamine stops dying, the check may be relaxed, not removed."""
    sheets = {"xfd1048576": _A1 + b'<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>',
              "zzzz": _A1 + b'<row r="2000"><c r="ZZZZ2000"><v>2</v></c></row>',
              "lowercase": _A1 + b'<row r="1048576"><c r="xfd1048576"><v>2</v></c></row>'}
    if sample in sheets:
        path = _zip(tmp_path / "probe.xlsx", _with(base_parts, sheet=_sheet(sheets[sample])))
    elif sample == "sst-unique":
        lie = base_parts["xl/sharedStrings.xml"].replace(b'uniqueCount="', b'uniqueCount="4000000000" x="', 1)
        path = _zip(tmp_path / "probe.xlsx", {**base_parts, "xl/sharedStrings.xml": lie})
    elif sample == "xls-dimensions":
        path = _write(tmp_path, "probe.xls", _xls(_rec(0x0200, struct.pack("<IIHHH", 0, 0xFFFFFFFF, 0, 0xFFFF, 0))
                                                  + _number(0, 0, 1.0)))
    else:
        path = _write(tmp_path, "probe.xls", _xls(_number(0, 0, 1.0) + _number(65535, 65535, 2.0)))
    assert not inspect_file(path).ok
    assert _calamine_outcome(path) == "killed by signal 6"
