"""The Tờ trình generator: content, administrative layout, safety of user text, rendering in LibreOffice."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import unicodedata
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.documents.letter_text import NOMINATION_HEADERS
from addin.documents.letter_text import Nomination, ToTrinh, clean_text, district_to_trinh, format_vnd, province_to_trinh, vn_date_line
from addin.documents.to_trinh import write_to_trinh

CAMPAIGN = "75 nghìn sáng kiến, vượt khó, phát triển"
HOSTILE_TITLE = '<b>&"x"</b>'
FORMULA_TITLE = '=HYPERLINK("http://evil.example/?q=1","Bấm vào đây")'
AUTHOR_1 = "Nguyễn Thị Ngọc Ánh, Trần Văn Đức"
AUTHOR_2 = "Y Đhăm Ê Ban"

NOMINATIONS = [
    Nomination(
        title=f"Cải tiến lò sấy cà phê tiết kiệm điện {HOSTILE_TITLE}",
        authors=AUTHOR_1,
        unit="Công ty TNHH MTV Cà phê Đức Lập",
        field="Sản xuất có giá trị làm lợi cao",
        summary="Lắp đặt hệ thống sấy\x07 kết hợp năng lượng mặt trời, giảm 30% điện năng.\nÁp dụng từ tháng 3.",
        benefit=1_500_000,
    ),
    Nomination(
        title=FORMULA_TITLE,
        authors=AUTHOR_2,
        unit="Trường THCS Nguyễn Du, xã Ea Pô",
        field="Cải cách hành chính, xây dựng Đảng và hệ thống chính trị, quản lý, điều hành",
        summary="Số hoá hồ sơ học sinh; tiết kiệm giấy, mực in.",
        benefit=None,
    ),
]
TITLES_CLEAN = [clean_text(n.title) for n in NOMINATIONS]


def _district() -> ToTrinh:
    return district_to_trinh(CAMPAIGN, "Đắk Nông", "Liên đoàn Lao động huyện Cư Jút", "Cư Jút", date(2021, 4, 5),
                             NOMINATIONS)


def _province() -> ToTrinh:
    return province_to_trinh(CAMPAIGN, "Đắk Nông", "Đắk Nông", date(2021, 2, 8), NOMINATIONS,
                             signer_name="Đinh Trọng Nhương")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("to_trinh")
    paths = {"district": out / "to-trinh-huyen.docx", "province": out / "to-trinh-tinh.docx"}
    write_to_trinh(_district(), paths["district"])
    write_to_trinh(_province(), paths["province"])
    return paths


# ---------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------
def _cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


def _body_paragraphs(document) -> list:
    return list(document.paragraphs)


def _find_paragraph(paragraphs, needle: str):
    for p in paragraphs:
        if needle in p.text:
            return p
    raise AssertionError(f"no paragraph contains {needle!r}: {[p.text for p in paragraphs]}")


def _all_runs(document):
    for p in document.paragraphs:
        yield from p.runs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield from p.runs


def _xml(path: Path, member: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(member).decode("utf-8")


# ---------------------------------------------------------------------------------------------------------
# helpers of the module
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (999, "999"), (1000, "1.000"), (1_500_000, "1.500.000"), (1_234_567_890, "1.234.567.890"),
     (-2500, "-2.500"), (None, ""), (Decimal("1500000.5"), "1.500.001"), (2_000_000.0, "2.000.000")],
)
def test_format_vnd(value, expected):
    assert format_vnd(value) == expected


def test_format_vnd_refuses_bool():
    with pytest.raises(TypeError):
        format_vnd(True)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2021, 4, 5), "Cư Jút, ngày 05 tháng 4 năm 2021"),
        (date(2021, 2, 8), "Cư Jút, ngày 08 tháng 02 năm 2021"),
        (date(2021, 1, 15), "Cư Jút, ngày 15 tháng 01 năm 2021"),
        (date(2021, 3, 10), "Cư Jút, ngày 10 tháng 3 năm 2021"),
        (date(2021, 12, 31), "Cư Jút, ngày 31 tháng 12 năm 2021"),
    ],
)
def test_vn_date_line_leading_zeros_as_the_decree_says(d, expected):
    assert vn_date_line("Cư Jút", d) == expected


def test_clean_text_strips_what_xml_forbids_and_normalises():
    nfd = unicodedata.normalize("NFD", "Nguyễn Đức Thắng")
    assert clean_text(nfd) == "Nguyễn Đức Thắng"
    assert clean_text("a\x00b\x07c\x1fd\x7fe\x85f\ufffeg\ud800h") == "abcde fgh"
    assert clean_text(" dòng 1\r\ndòng 2\t ") == "dòng 1 dòng 2"
    assert clean_text("dòng 1\r\n\r\n dòng 2 ", multiline=True) == "dòng 1\ndòng 2"
    assert clean_text(None) == ""
    assert clean_text("Số:      /TTr-LĐLĐ") == "Số:      /TTr-LĐLĐ"  # the room for the number is kept


# ---------------------------------------------------------------------------------------------------------
# builders
# ---------------------------------------------------------------------------------------------------------
def test_district_builder_fields():
    d = _district()
    assert d.parent_body == "LĐLĐ TỈNH ĐẮK NÔNG"
    assert d.issuing_body == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT"
    assert d.number_symbol.startswith("Số:") and d.number_symbol.endswith("/TTr-LĐLĐ")
    assert re.fullmatch(r"Số:\s{3,}/TTr-LĐLĐ", d.number_symbol)  # number left blank for the hand
    assert d.recipient == "Kính gửi: Ban Thường vụ Liên đoàn Lao động tỉnh Đắk Nông"
    assert any(f"“{CAMPAIGN}”" in b and "Kế hoạch" in b for b in d.basis)
    assert all(b.startswith("Căn cứ") for b in d.basis)
    assert d.signer_title_lines == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"]
    assert d.signer_name == ""
    assert d.recipients[0] == "- Như trên;" and d.recipients[-1].endswith(".")
    assert "02 sáng kiến" in d.body_intro


def test_province_builder_fields():
    p = _province()
    assert p.parent_body == "TỔNG LĐLĐ VIỆT NAM"
    assert p.issuing_body == "LIÊN ĐOÀN LAO ĐỘNG TỈNH ĐẮK NÔNG"
    assert p.recipient == "Kính gửi: Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam"
    assert p.number_symbol.endswith("/TTr-LĐLĐ")
    assert any(f"“{CAMPAIGN}”" in b for b in p.basis)
    assert p.signer_name == "Đinh Trọng Nhương"


def test_builders_carry_no_campaign_numbers():
    """Everything campaign-specific comes in as arguments: with a campaign name without digits, the only
    digits in the text are the nomination count."""
    for doc in (
        district_to_trinh("Sáng kiến vì cộng đồng", "Đắk Nông", "Liên đoàn Lao động huyện Krông Nô", "Krông Nô",
                          date(2022, 5, 9), NOMINATIONS[:1]),
        province_to_trinh("Sáng kiến vì cộng đồng", "Đắk Nông", "Gia Nghĩa", date(2022, 5, 9), NOMINATIONS[:1]),
    ):
        texts = [doc.parent_body, doc.issuing_body, doc.number_symbol, doc.title, doc.recipient, *doc.basis,
                 doc.body_closing, *doc.signer_title_lines, *doc.recipients]
        assert not any(re.search(r"\d", t) for t in texts), texts
        assert re.findall(r"\d+", doc.body_intro) == ["01"]


@pytest.mark.parametrize(
    ("name", "issuing", "symbol"),
    [
        ("Công đoàn ngành Giáo dục tỉnh Đắk Nông", "CÔNG ĐOÀN NGÀNH GIÁO DỤC TỈNH ĐẮK NÔNG", "/TTr-CĐN"),
        ("Công đoàn Viên chức tỉnh Đắk Nông", "CÔNG ĐOÀN VIÊN CHỨC TỈNH ĐẮK NÔNG", "/TTr-CĐVC"),
        ("huyện Đắk R'Lấp", "LIÊN ĐOÀN LAO ĐỘNG HUYỆN ĐẮK R'LẤP", "/TTr-LĐLĐ"),
        ("LĐLĐ thành phố Gia Nghĩa", "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ GIA NGHĨA", "/TTr-LĐLĐ"),
    ],
)
def test_district_builder_names_any_district_level_union(name, issuing, symbol):
    d = district_to_trinh(CAMPAIGN, "tỉnh Đắk Nông", name, "Gia Nghĩa", date(2021, 4, 5), NOMINATIONS)
    assert d.issuing_body == issuing
    assert d.number_symbol.endswith(symbol)
    assert d.parent_body == "LĐLĐ TỈNH ĐẮK NÔNG"  # "tỉnh" is not doubled


# ---------------------------------------------------------------------------------------------------------
# the written document
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["district", "province"])
def test_document_has_every_block(written, kind):
    doc = _district() if kind == "district" else _province()
    document = Document(str(written[kind]))
    paragraphs = _body_paragraphs(document)
    assert len(document.tables) == 3
    head, noms, foot = document.tables

    # heading
    left, right = _cell_text(head.cell(0, 0)), _cell_text(head.cell(0, 1))
    assert left.split("\n")[:2] == [doc.parent_body, doc.issuing_body]
    assert right.split("\n") == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert _cell_text(head.cell(1, 0)) == doc.number_symbol
    assert _cell_text(head.cell(1, 1)) == vn_date_line(doc.place, doc.signed_on)
    if kind == "district":
        assert _cell_text(head.cell(1, 1)) == "Cư Jút, ngày 05 tháng 4 năm 2021"
    else:
        assert _cell_text(head.cell(1, 1)) == "Đắk Nông, ngày 08 tháng 02 năm 2021"

    # title, subject, recipient, basis
    texts = [p.text for p in paragraphs]
    i = texts.index("TỜ TRÌNH")
    assert texts[i + 1] == doc.title
    kinh_gui = _find_paragraph(paragraphs, "Kính gửi:")
    assert kinh_gui.text == doc.recipient
    for line in doc.basis:
        p = _find_paragraph(paragraphs, line)
        assert all(r.italic for r in p.runs)

    # nominations: in the numbered list and in the table
    for n, (nom, title) in enumerate(zip(NOMINATIONS, TITLES_CLEAN), start=1):
        item = _find_paragraph(paragraphs, f"{n}. Sáng kiến: ")
        assert item.text == f"{n}. Sáng kiến: “{title}”"
        row = [_cell_text(c) for c in noms.rows[n].cells]
        assert row[:5] == [str(n), title, nom.authors, nom.unit, nom.field]
    assert [_cell_text(c) for c in noms.rows[0].cells] == list(NOMINATION_HEADERS)
    assert _cell_text(noms.rows[1].cells[5]) == "1.500.000"
    assert _cell_text(noms.rows[2].cells[5]) == ""  # no benefit stated
    assert _cell_text(noms.rows[3].cells[0]) == "Tổng cộng" and _cell_text(noms.rows[3].cells[5]) == "1.500.000"
    assert _find_paragraph(paragraphs, "- Giá trị làm lợi: ").text == "- Giá trị làm lợi: 1.500.000 đồng"
    assert _find_paragraph(paragraphs, AUTHOR_2).text == f"- Tác giả: {AUTHOR_2}"
    # a multi-line summary is one paragraph per line (no stretched justified line)
    assert _find_paragraph(paragraphs, "- Tóm tắt nội dung: Lắp đặt").text.endswith("giảm 30% điện năng.")
    assert "Áp dụng từ tháng 3." in texts

    # closing and foot
    assert _find_paragraph(paragraphs, "kính trình").text == doc.body_closing
    foot_left, foot_right = foot.rows[0].cells
    assert foot_left.paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in foot_left.paragraphs[1:]] == doc.recipients
    sign = [p.text for p in foot_right.paragraphs]
    assert sign[:2] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"]
    assert sign[-1] == doc.signer_name  # "" for the district: the space is left for the hand
    assert foot_right.paragraphs[-1].paragraph_format.space_before >= Pt(60)


def test_text_formatting(written):
    document = Document(str(written["district"]))
    head, noms, foot = document.tables
    parent, issuing = head.cell(0, 0).paragraphs[:2]
    assert not parent.runs[0].bold and issuing.runs[0].bold
    national, motto = head.cell(0, 1).paragraphs
    assert national.runs[0].bold and motto.runs[0].bold and motto.runs[0].underline
    assert head.cell(1, 1).paragraphs[0].runs[0].italic
    # a short rule under the issuing body: an empty paragraph with a bottom border, indented on both sides
    rule = head.cell(0, 0).paragraphs[2]
    assert rule.text == "" and rule._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    assert rule.paragraph_format.left_indent > 0 and rule.paragraph_format.right_indent > 0

    paragraphs = document.paragraphs
    title = _find_paragraph(paragraphs, "TỜ TRÌNH")
    assert title.alignment == 1 and title.runs[0].bold  # centred
    intro = _find_paragraph(paragraphs, "Thực hiện")
    assert intro.alignment == 3 and intro.paragraph_format.first_line_indent > Mm(9)  # justified, indented

    label, *recipients = foot.rows[0].cells[0].paragraphs
    assert label.runs[0].bold and label.runs[0].italic and label.runs[0].font.size == Pt(12)
    assert all(r.font.size == Pt(11) for p in recipients for r in p.runs)
    assert all(r.bold for p in foot.rows[0].cells[1].paragraphs for r in p.runs)
    assert [c.paragraphs[0].runs[0].bold for c in noms.rows[0].cells] == [True] * 6

    # borderless heading and foot, ruled nominations table
    for table, val in ((head, "nil"), (foot, "nil"), (noms, "single")):
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.get(qn("w:val")) for b in borders} == {val}


def test_every_run_is_times_new_roman_in_every_slot(written):
    document = Document(str(written["province"]))
    runs = list(_all_runs(document))
    assert len(runs) > 40
    for run in runs:
        fonts = run._r.rPr.find(qn("w:rFonts"))
        assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
        assert not any(k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib)
        assert Pt(11) <= run.font.size <= Pt(14)
    # defaults too, so text Word adds later is alike
    styles = _xml(written["province"], "word/styles.xml")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)
    assert 'w:ascii="Times New Roman"' in defaults and 'w:cs="Times New Roman"' in defaults
    assert "Theme" not in defaults and 'w:val="vi-VN"' in defaults


@pytest.mark.parametrize("kind", ["district", "province"])
def test_page_setup_a4_and_margins(written, kind):
    section = Document(str(written[kind])).sections[0]
    assert section.page_width.twips == Mm(210).twips and section.page_height.twips == Mm(297).twips
    assert section.page_width < section.page_height  # portrait
    assert section.top_margin.twips == Mm(20).twips and section.bottom_margin.twips == Mm(20).twips
    assert section.left_margin.twips == Mm(30).twips and section.right_margin.twips == Mm(15).twips
    assert section.different_first_page_header_footer  # page number from page 2 only


@pytest.mark.parametrize("kind", ["district", "province"])
def test_user_text_stays_plain_text(written, kind):
    xml = _xml(written[kind])
    # the hostile strings are there, escaped, as literal text
    assert "&lt;b&gt;&amp;\"x\"&lt;/b&gt;" in xml or "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;" in xml
    assert "<b>" not in xml
    assert "=HYPERLINK(" in xml
    # nothing turned into a field, a hyperlink or an external relationship
    for tag in ("w:hyperlink", "w:fldSimple", "w:instrText", "w:fldChar"):
        assert f"<{tag}" not in xml
    rels = _xml(written[kind], "word/_rels/document.xml.rels")
    assert "hyperlink" not in rels and 'TargetMode="External"' not in rels
    # the control character is gone, the text around it kept
    assert "\x07" not in xml and "Lắp đặt hệ thống sấy kết hợp" in xml
    texts = "\n".join(r.text for r in _all_runs(Document(str(written[kind]))))
    assert FORMULA_TITLE in texts


def test_page_number_is_our_only_field(written):
    with zipfile.ZipFile(written["district"]) as zf:
        headers = [n for n in zf.namelist() if re.fullmatch(r"word/header\d+\.xml", n)]
        fields = "".join(zf.read(n).decode() for n in headers)
    assert fields.count("<w:instrText") == 1 and " PAGE " in fields


def test_write_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "to-trinh.docx"
    write_to_trinh(_district(), target)
    before = target.read_bytes()

    def boom(self, data):
        with open(self, "wb") as fh:
            fh.write(data[: len(data) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", boom)
    with pytest.raises(OSError):
        write_to_trinh(_province(), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["to-trinh.docx"]


def test_same_letter_same_bytes_dated_the_signing_day(written, tmp_path):
    again = tmp_path / "again.docx"
    write_to_trinh(_district(), again)
    assert again.read_bytes() == written["district"].read_bytes()
    with zipfile.ZipFile(again) as z:
        assert {i.date_time for i in z.infolist()} == {(2021, 4, 5, 0, 0, 0)}
        assert "<dcterms:modified" in (core := z.read("docProps/core.xml").decode())
        assert "2021-04-05T00:00:00Z</dcterms:modified>" in core and "2021-04-05T00:00:00Z</dcterms:created>" in core


def test_no_nominations_still_writes_a_letter(tmp_path):
    doc = district_to_trinh(CAMPAIGN, "Đắk Nông", "Liên đoàn Lao động huyện Tuy Đức", "Tuy Đức", date(2021, 4, 9),
                            [])
    write_to_trinh(doc, tmp_path / "x.docx")
    document = Document(str(tmp_path / "x.docx"))
    assert len(document.tables) == 2  # heading and foot, no nominations table
    assert "00 sáng kiến" in "\n".join(p.text for p in document.paragraphs)


_ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(_ANY_CHAR, max_size=60), benefit=st.one_of(st.none(), st.integers(-10**12, 10**15)))
def test_any_user_text_gives_a_readable_file(tmp_path, text, benefit):
    nom = Nomination(title=text, authors=text, unit=text, field=text, summary=text, benefit=benefit)
    doc = district_to_trinh(text, text, text, text, date(2021, 4, 5), [nom, nom], signer_name=text)
    doc = ToTrinh(**{**doc.__dict__, "recipients": [text], "basis": [text, *doc.basis]})
    path = tmp_path / "fuzz.docx"
    write_to_trinh(doc, path)
    document = Document(str(path))
    cleaned = clean_text(text)
    assert _cell_text(document.tables[1].rows[1].cells[1]) == cleaned
    assert _cell_text(document.tables[1].rows[1].cells[5]) == format_vnd(benefit)


# ---------------------------------------------------------------------------------------------------------
# LibreOffice rendering
# ---------------------------------------------------------------------------------------------------------
def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
    """Run with a timeout, killing the whole process group (soffice starts soffice.bin under it)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"timed out after {timeout} s: {cmd[0]}")
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


@pytest.mark.libreoffice
def test_libreoffice_renders_pdf(written, tmp_path):
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("soffice (LibreOffice) is not installed")
    profile = (tmp_path / "lo-profile").as_uri()
    result = _run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                   "--outdir", str(tmp_path), str(written["district"])], timeout=180)
    pdf = tmp_path / (written["district"].stem + ".pdf")
    assert pdf.exists(), result.stderr.decode(errors="replace")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000

    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        info = _run([pdfinfo, str(pdf)], timeout=60).stdout.decode()
        w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
        assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1  # A4 portrait

    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not checked")
    text = _run([pdftotext, "-layout", "-enc", "UTF-8", str(pdf), "-"], timeout=60).stdout.decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    flat = " ".join(text.split())
    assert "TỜ TRÌNH" in text
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "Nguyễn Thị Ngọc Ánh" in flat
    assert "Cư Jút, ngày 05 tháng 4 năm 2021" in flat
    assert "1.500.000" in text
