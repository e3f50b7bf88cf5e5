"""Legacy TCVN3/VNI text recognised by the cell's font in real workbooks (addin/io/cell_fonts.py): cell styles,
rich-text runs, a LibreOffice round trip; and a normal file never has its styles parsed."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

from addin.io.cell_fonts import CellFonts
from addin.io.libreoffice import convert
from addin.cdcs.reader import read_submission
from addin.sample.fastfill import fast_fill_workbook
from addin.sample.fill import valid_initiative, valid_unit_answers
from addin.cdcs.validate import validate_file
from validators import layout as L
from hostile_corpus import MAIN_NS, parts_of_bytes, sheet_part, zip_bytes
from validators.text.legacy_text import from_unicode

# Real sentences and names, each typed in a legacy font. "stats" says whether the text alone (no font)
# is enough for the statistical detection: the short names are not, only the font tells.
TITLE_VNI = "Cải tiến quy trình hàn ống thép giảm hao hụt vật tư"
TITLE_TCVN3 = "Sáng kiến sắp xếp lại kho vật tư, rút ngắn thời gian cấp phát cho công nhân"
AUTHOR_VNI = "Lê Thị Mai"  # "Leâ Thò Mai": undecided without the font
POSITION_VNI = "Bác sĩ"  # "Baùc só": undecided without the font
AUTHOR_TCVN3 = "Tú Anh"  # "Tó Anh": undecided without the font
RICH_TCVN3 = "Hồ Thu"  # "Hå Thu", in a rich-text run with the .VnTime font
COL = {f.key: openpyxl.utils.get_column_letter(i) for i, f in enumerate(L.INITIATIVE_FIELDS, start=1)}
R1, R2, R3 = (L.TABLE_HEADER_ROW + n for n in (1, 2, 3))


def _filled(tmp_path: Path, unit_template: Path, campaign, sample_unit) -> Path:
    unit, _district = sample_unit
    rng = random.Random(6)
    rows = [valid_initiative(campaign, unit, rng, number=i + 1) for i in range(3)]
    rows[0].update({"Tên sáng kiến": from_unicode(TITLE_VNI, "vni"), "Tác giả": from_unicode(AUTHOR_VNI, "vni"),
                    "Chức vụ, nghề nghiệp": from_unicode(POSITION_VNI, "vni")})
    rows[1].update({"Tên sáng kiến": from_unicode(TITLE_TCVN3, "tcvn3"), "Tác giả": from_unicode(AUTHOR_TCVN3, "tcvn3")})
    # row 3: the same short VNI name, in the template's own (Unicode) font: must stay as typed
    rows[2].update({"Tác giả": from_unicode(AUTHOR_VNI, "vni"), "Ghi chú": "Nguyễn Văn An"})
    plain = tmp_path / "plain.xlsx"
    fast_fill_workbook(unit_template, plain, valid_unit_answers(campaign, unit, rng), rows)
    wb = openpyxl.load_workbook(plain)
    ws = wb[L.SHEET_INITIATIVES]
    for key in ("title", "author", "position"):
        ws[f"{COL[key]}{R1}"].font = Font(name="VNI-Times", size=12)
    for key in ("title", "author"):
        ws[f"{COL[key]}{R2}"].font = Font(name=".VnTime", size=12)
    ws[f"{COL['note']}{R3}"].font = Font(name=".VnTime")  # Unicode text in a legacy font: left alone
    ws[f"{COL['coauthors']}{R2}"].value = CellRichText(
        TextBlock(InlineFont(rFont=".VnTime"), from_unicode(RICH_TCVN3, "tcvn3")))
    inline = tmp_path / "inline.xlsx"
    wb.save(inline)
    out = tmp_path / "fonts.xlsx"
    out.write_bytes(_rich_text_shared(inline.read_bytes(), f"{COL['coauthors']}{R2}"))
    return out


def _rich_text_shared(data: bytes, ref: str) -> bytes:
    """openpyxl writes rich text inline; Excel, LibreOffice and WPS put it in the shared strings part."""
    parts = parts_of_bytes(data)
    part = sheet_part(parts, L.SHEET_INITIATIVES)
    m = re.search(rb'<c r="%s"([^>]*?) t="inlineStr"><is>(.*?)</is></c>' % ref.encode(), parts[part], re.S)
    parts[part] = parts[part].replace(m.group(0), b'<c r="%s"%s t="s"><v>0</v></c>' % (ref.encode(), m.group(1)))
    assert "xl/sharedStrings.xml" not in parts
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + MAIN_NS
                                     + b'" count="1" uniqueCount="1"><si>' + m.group(2) + b"</si></sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", (
        b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="/xl/sharedStrings.xml"/></Relationships>'))
    return zip_bytes(parts)


def _check(path: Path, campaign, registry) -> None:
    report = validate_file(path, campaign, registry)
    rows = {i.row: i for i in report.unit.initiatives}
    assert rows[R1].title == TITLE_VNI
    assert rows[R1].author == AUTHOR_VNI
    assert rows[R1].position == POSITION_VNI
    assert rows[R2].title == TITLE_TCVN3
    assert rows[R2].author == AUTHOR_TCVN3
    assert rows[R2].coauthors == RICH_TCVN3
    # no font, too little evidence, and a file mixing TCVN3 and VNI has no file-wide encoding: kept as typed
    assert rows[R3].author == from_unicode(AUTHOR_VNI, "vni")
    assert rows[R3].note == "Nguyễn Văn An"
    legacy = {(i.sheet, i.cell): i for i in report.issues if i.code == "normalized-legacy-text"}
    expected = {(L.SHEET_INITIATIVES, f"{COL[k]}{r}") for k, r in (
        ("title", R1), ("author", R1), ("position", R1), ("title", R2), ("author", R2), ("coauthors", R2))}
    assert set(legacy) == expected, sorted(legacy)
    assert "VNI" in legacy[(L.SHEET_INITIATIVES, f"{COL['author']}{R1}")].message
    assert "TCVN3" in legacy[(L.SHEET_INITIATIVES, f"{COL['author']}{R2}")].message


def test_legacy_text_by_cell_font(tmp_path, unit_template, campaign, registry, sample_unit):
    path = _filled(tmp_path, unit_template, campaign, sample_unit)
    before = path.read_bytes()
    _check(path, campaign, registry)
    assert path.read_bytes() == before


@pytest.mark.libreoffice
def test_legacy_fonts_survive_a_libreoffice_round_trip(tmp_path, unit_template, campaign, registry, sample_unit):
    src = _filled(tmp_path, unit_template, campaign, sample_unit)
    out = convert(src, "xlsx", tmp_path / "lo")
    with zipfile.ZipFile(out) as z:  # really LibreOffice's own styles part, not ours
        assert b"VNI-Times" in z.read("xl/styles.xml")
        assert b"LibreOffice" in z.read("docProps/app.xml")
    _check(out, campaign, registry)


def test_normal_file_never_parses_styles(tmp_path, unit_template, campaign, registry, sample_unit):
    unit, _ = sample_unit
    rng = random.Random(1)
    path = tmp_path / "normal.xlsx"
    rows = [valid_initiative(campaign, unit, rng, number=1)]
    rows[0]["Ghi chú"] = "Sáng kiến được Hội đồng thẩm định đánh giá cao"
    # Unicode made only of letters Latin-1 has: it passes the cheap gate, yet nothing looks legacy
    rows[0].update({"Tác giả": "Lê Thanh Hùng", "Chức vụ, nghề nghiệp": "Giáo viên"})
    fast_fill_workbook(unit_template, path, valid_unit_answers(campaign, unit, rng), rows)
    raw = read_submission(path)
    assert isinstance(raw.fonts, CellFonts)
    report = validate_file(path, campaign, registry)
    assert report.valid, report.issues
    from validators.rules.unit_report import validate_submission
    validate_submission(raw, campaign)
    assert raw.fonts._loaded is False  # nothing looked legacy, so the file was never opened for its fonts


def test_cell_fonts_on_a_damaged_styles_part(tmp_path, unit_template):
    # A lookup on a file whose styles part is not XML: no font, no exception (the statistics still run).
    with zipfile.ZipFile(unit_template) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/styles.xml"] = b"<styleSheet><fonts><font><name val='.VnTime'"
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(bad, "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)
    fonts = CellFonts(bad.read_bytes())
    assert fonts.font(L.SHEET_INITIATIVES, "B4") is None
    assert fonts.at(L.SHEET_INITIATIVES, "B4")() is None


@pytest.mark.parametrize("rest_in_vni", [True, False])
def test_short_name_takes_the_file_encoding(tmp_path, unit_template, campaign, registry, sample_unit, rest_in_vni):
    """No font anywhere: a short VNI name is converted when the rest of the file is VNI, kept otherwise."""
    unit, _ = sample_unit
    rng = random.Random(3)
    rows = [valid_initiative(campaign, unit, rng, number=1)]
    rows[0]["Tác giả"] = from_unicode(AUTHOR_VNI, "vni")
    if rest_in_vni:
        rows[0]["Tên sáng kiến"] = from_unicode(TITLE_VNI, "vni")
        rows[0]["Tóm tắt nội dung"] = from_unicode(str(rows[0]["Tóm tắt nội dung"]), "vni")
    path = tmp_path / "vni.xlsx"
    fast_fill_workbook(unit_template, path, valid_unit_answers(campaign, unit, rng), rows)
    (row,) = validate_file(path, campaign, registry).unit.initiatives
    assert row.author == (AUTHOR_VNI if rest_in_vni else from_unicode(AUTHOR_VNI, "vni"))
