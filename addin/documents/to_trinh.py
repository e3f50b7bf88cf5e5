"""The *Tờ trình* (formal submission letter of a union's standing committee) as a Word document.

Used by district-level unions (LĐLĐ huyện / thành phố, công đoàn ngành) to put their nominated initiatives
before the province, and by the province to put its selection before Tổng Liên đoàn.  The layout follows the
Vietnamese administrative format (Nghị định 30/2020/NĐ-CP, Phụ lục I) as trade unions use it:

* A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Times New Roman throughout, with
  the East Asian and complex-script font slots set too so Word / LibreOffice do not substitute a font for
  the Vietnamese letters; language vi-VN; page numbers (centred, top) from page 2 on.
* heading: a borderless two-column table: parent body (regular) over the issuing body (bold) over a short
  rule, then "Số: .../TTr-..." | Quốc hiệu (bold) over Tiêu ngữ (bold, underlined), then the italic
  place/date line, the number line and the date line on one level (second row).
* "TỜ TRÌNH" and the subject line centred in bold, a short rule; "Kính gửi: ..."; the basis ("Căn cứ ...")
  in italics; the body justified with a first-line indent; the nominations as a numbered list and as a
  compact table (STT, Tên sáng kiến, Tác giả, Đơn vị, Lĩnh vực, Giá trị làm lợi (đồng)); the closing.
* foot: a borderless two-column table: "Nơi nhận:" (bold italic 12 pt) and the recipients (11 pt) | the
  signer block (bold, centred), room for the hand signature and seal, the signer's name.

Every string may come from a workbook a user filled in, so it is written only as plain text in runs:
python-docx escapes XML; :func:`clean_text` also removes characters XML 1.0 forbids (and C1 controls,
non-characters, lone surrogates) and normalises to NFC; nothing from the data ever becomes a field, a
hyperlink or a style.  The only field in the file is our own PAGE number in the page header.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from addin.io.atomic import atomic_path

__all__ = [
    "Nomination",
    "ToTrinh",
    "build_document",
    "clean_text",
    "district_to_trinh",
    "format_vnd",
    "nominations_from",
    "province_to_trinh",
    "vn_date_line",
    "write_to_trinh",
]

FONT = "Times New Roman"
LANG = "vi-VN"

# Page (Nghị định 30/2020, Phụ lục I, mục I.3)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH_MM = 210 - 30 - 15  # 165 mm

# Sizes
SIZE_BODY = Pt(14)
SIZE_HEAD = Pt(13)  # parent body, issuing body, number line, Quốc hiệu
SIZE_MOTTO = Pt(14)  # Tiêu ngữ, date line
SIZE_TABLE = Pt(12)
SIZE_RECIPIENTS_LABEL = Pt(12)
SIZE_RECIPIENTS = Pt(11)

FIRST_LINE_INDENT = Mm(12.7)
PARAGRAPH_SPACE = Pt(6)

# Column widths (mm), each table adds up to the text width.
HEAD_COLUMNS = (64, TEXT_WIDTH_MM - 64)
FOOT_COLUMNS = (80, TEXT_WIDTH_MM - 80)
NOMINATION_COLUMNS = (12, 39, 30, 30, 27, 27)
NOMINATION_HEADERS = ("STT", "Tên sáng kiến", "Tác giả", "Đơn vị", "Lĩnh vực", "Giá trị làm lợi (đồng)")

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOC_KIND = "TỜ TRÌNH"

TLD_PARENT = "TỔNG LĐLĐ VIỆT NAM"
TLD_FULL = "Tổng Liên đoàn Lao động Việt Nam"
TLD_PRESIDIUM = "Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam"


# ---------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Nomination:
    """One nominated initiative, as it appears in the letter."""

    title: str
    authors: str
    unit: str
    field: str
    summary: str
    benefit: int | None  # giá trị làm lợi, đồng; None = not stated / not measurable in money


@dataclass(frozen=True)
class ToTrinh:
    """Everything printed in the letter; plain values only (the writer does all formatting)."""

    parent_body: str  # cơ quan chủ quản, e.g. "LĐLĐ TỈNH ĐẮK NÔNG"
    issuing_body: str  # e.g. "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT"
    number_symbol: str  # e.g. "Số:      /TTr-LĐLĐ" (number left blank, filled in by hand)
    place: str
    signed_on: date
    title: str  # trích yếu: "Về việc ..."
    recipient: str  # "Kính gửi: ..."
    basis: list[str]  # "Căn cứ ..." paragraphs
    body_intro: str
    nominations: list[Nomination]
    body_closing: str
    signer_title_lines: list[str]  # ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"]
    signer_name: str  # "" leaves the space for a hand-written name
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận:" lines


# ---------------------------------------------------------------------------------------------------------
# Text helpers (reused elsewhere)
# ---------------------------------------------------------------------------------------------------------
# Characters that XML 1.0 forbids (C0 controls except TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF) plus the
# ones it merely discourages but that never belong in a letter (DEL and C1 controls).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")


def clean_text(value: object, *, multiline: bool = False, strip: bool = True) -> str:
    """``value`` as safe plain text: NFC, no character XML 1.0 forbids, no control character.

    Single-line text (the default) has line breaks and tabs turned into spaces; ``multiline`` keeps line
    breaks as ``\\n`` and drops empty lines.  Inner spacing is kept as typed (the number line relies on it);
    ends are stripped unless ``strip`` is false.
    """
    if value is None:
        return ""
    text = _LINE_BREAKS.sub("\n", str(value))
    text = _UNSAFE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if multiline:
        lines = (line.replace("\t", " ").strip() for line in text.split("\n"))
        return "\n".join(line for line in lines if line)
    text = text.replace("\n", " ").replace("\t", " ")
    return text.strip() if strip else text


def format_vnd(n: int | float | Decimal | None) -> str:
    """An amount in đồng with dot thousands separators, as Vietnamese documents write it: ``1.500.000``.

    ``None`` gives ``""``; fractions of a đồng are rounded half-up.
    """
    if n is None:
        return ""
    if isinstance(n, bool):
        raise TypeError("format_vnd needs a number, not a bool")
    value = int(Decimal(str(n)).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def vn_date_line(place: str, d: date) -> str:
    """The place/date line: ``"Cư Jút, ngày 05 tháng 4 năm 2021"``.

    Nghị định 30/2020 (Phụ lục I, mục II.5.b): a day below 10 and the months 1 and 2 take a leading zero.
    """
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    place = clean_text(place)
    when = f"ngày {day} tháng {month} năm {d.year}"
    return f"{place}, {when}" if place else when


def _quote(name: str) -> str:
    """A programme name in Vietnamese double quotes, whatever quotes it came with."""
    name = clean_text(name).strip("\"“”'‘’ ")
    return f"“{name}”"


def _upper(text: str) -> str:
    return unicodedata.normalize("NFC", clean_text(text).upper())


# ---------------------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------------------
_UNION_PREFIXES = ("liên đoàn lao động", "công đoàn", "lđlđ", "cđ")


def _province_label(province_name: str) -> str:
    """"Đắk Nông" -> "tỉnh Đắk Nông"; "thành phố Hà Nội" / "Tỉnh Đắk Nông" keep their own prefix."""
    name = clean_text(province_name)
    low = name.lower()
    for prefix in ("tỉnh ", "thành phố "):
        if low.startswith(prefix):
            return prefix + name[len(prefix):]
    return f"tỉnh {name}"


def _union_name(name: str) -> str:
    """The full name of a district-level union; a bare place gets "Liên đoàn Lao động" in front."""
    name = clean_text(name)
    if name.lower().startswith(_UNION_PREFIXES):
        if name.lower().startswith("lđlđ "):
            return "Liên đoàn Lao động " + name[5:]
        return name
    return f"Liên đoàn Lao động {name}"


def _union_symbol(union_name: str) -> str:
    """The issuing body's part of the document symbol (LĐLĐ, CĐN, CĐVC, CĐ)."""
    low = union_name.lower()
    if low.startswith("liên đoàn lao động"):
        return "LĐLĐ"
    if low.startswith("công đoàn ngành"):
        return "CĐN"
    if low.startswith("công đoàn viên chức"):
        return "CĐVC"
    return "CĐ"


def _number_line(symbol: str) -> str:
    # Six spaces: room to write the number by hand, as the printed forms leave it.
    return f"Số:      /TTr-{symbol}"


def _count(n: int) -> str:
    return f"{n:02d}"


DEFAULT_SIGNER_LINES = ("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH")


def district_to_trinh(
    campaign_name: str,
    province_name: str,
    district_name: str,
    place: str,
    signed_on: date,
    nominations: Sequence[Nomination],
    *,
    signer_name: str = "",
    signer_title_lines: Sequence[str] = DEFAULT_SIGNER_LINES,
    symbol: str | None = None,
    basis: Sequence[str] | None = None,
    recipients: Sequence[str] | None = None,
) -> ToTrinh:
    """The letter of a district-level union's standing committee to the province's.

    ``district_name`` is the union's full name as in the registry ("Liên đoàn Lao động huyện Cư Jút",
    "Công đoàn ngành Giáo dục tỉnh Đắk Nông"); ``province_name`` the province ("Đắk Nông").
    """
    union = _union_name(district_name)
    province = _province_label(province_name)
    province_union = f"Liên đoàn Lao động {province}"
    programme = f"Chương trình {_quote(campaign_name)}"
    n = len(nominations)
    return ToTrinh(
        parent_body=_upper(f"LĐLĐ {province}"),
        issuing_body=_upper(union),
        number_symbol=_number_line(symbol or _union_symbol(union)),
        place=clean_text(place),
        signed_on=signed_on,
        title=f"Về việc đề nghị xét chọn, biểu dương sáng kiến tiêu biểu trong {programme}",
        recipient=f"Kính gửi: Ban Thường vụ {province_union}",
        basis=list(basis) if basis is not None else [
            "Căn cứ Điều lệ Công đoàn Việt Nam;",
            f"Căn cứ Kế hoạch của Ban Thường vụ {province_union} về triển khai {programme};",
            "Căn cứ kết quả tổng hợp, xét chọn sáng kiến của các công đoàn cơ sở trực thuộc,",
        ],
        body_intro=(
            f"Thực hiện Kế hoạch của Ban Thường vụ {province_union} về triển khai {programme}, "
            f"Ban Thường vụ {union} đã triển khai, hướng dẫn các công đoàn cơ sở trực thuộc tổ chức thực "
            f"hiện. Qua tổng hợp, xét chọn, Ban Thường vụ {union} đề nghị Ban Thường vụ {province_union} "
            f"xét chọn, biểu dương {_count(n)} sáng kiến tiêu biểu sau:"
        ),
        nominations=list(nominations),
        body_closing=(
            f"Hồ sơ kèm theo gồm: Bảng tổng hợp tóm tắt sáng kiến. Ban Thường vụ {union} kính trình "
            f"Ban Thường vụ {province_union} xem xét, quyết định./."
        ),
        signer_title_lines=list(signer_title_lines),
        signer_name=clean_text(signer_name),
        recipients=list(recipients) if recipients is not None else ["- Như trên;", "- Lưu: VT."],
    )


def province_to_trinh(
    campaign_name: str,
    province_name: str,
    place: str,
    signed_on: date,
    nominations: Sequence[Nomination],
    *,
    signer_name: str = "",
    signer_title_lines: Sequence[str] = DEFAULT_SIGNER_LINES,
    basis: Sequence[str] | None = None,
    recipients: Sequence[str] | None = None,
) -> ToTrinh:
    """The letter of the province's standing committee to the Presidium of Tổng Liên đoàn."""
    province = _province_label(province_name)
    province_union = f"Liên đoàn Lao động {province}"
    programme = f"Chương trình {_quote(campaign_name)}"
    n = len(nominations)
    return ToTrinh(
        parent_body=TLD_PARENT,
        issuing_body=_upper(province_union),
        number_symbol=_number_line("LĐLĐ"),
        place=clean_text(place),
        signed_on=signed_on,
        title=f"Về việc đề nghị biểu dương sáng kiến tiêu biểu trong {programme}",
        recipient=f"Kính gửi: {TLD_PRESIDIUM}",
        basis=list(basis) if basis is not None else [
            "Căn cứ Điều lệ Công đoàn Việt Nam;",
            f"Căn cứ hướng dẫn của {TLD_FULL} về việc tổ chức {programme};",
            f"Căn cứ Kế hoạch của Ban Thường vụ {province_union} về triển khai {programme};",
            "Căn cứ hồ sơ đề nghị của các liên đoàn lao động huyện, thành phố, công đoàn ngành và tương đương,",
        ],
        body_intro=(
            f"Thực hiện hướng dẫn của {TLD_FULL} về tổ chức {programme}, Ban Thường vụ {province_union} "
            f"đã ban hành kế hoạch và triển khai đến các cấp công đoàn trong {province}. Trên cơ sở hồ sơ đề "
            f"nghị của các liên đoàn lao động huyện, thành phố, công đoàn ngành và tương đương, Ban Thường vụ "
            f"{province_union} đã xét chọn và đề nghị {TLD_PRESIDIUM} biểu dương {_count(n)} sáng kiến tiêu "
            f"biểu sau:"
        ),
        nominations=list(nominations),
        body_closing=(
            f"Hồ sơ kèm theo gồm: Bảng tổng hợp tóm tắt sáng kiến. Ban Thường vụ {province_union} kính trình "
            f"{TLD_PRESIDIUM} xem xét, biểu dương./."
        ),
        signer_title_lines=list(signer_title_lines),
        signer_name=clean_text(signer_name),
        recipients=list(recipients) if recipients is not None else ["- Như trên;", "- Lưu: VT."],
    )


# ---------------------------------------------------------------------------------------------------------
# Low-level OOXML helpers
# ---------------------------------------------------------------------------------------------------------
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_fonts(rPr, size: Pt | None = None) -> None:
    """Times New Roman in all four font slots (theme fonts removed), language vi-VN, size for both
    Latin and complex scripts."""
    rFonts = rPr.find(qn("w:rFonts"))
    if rFonts is None:
        rFonts = OxmlElement("w:rFonts")
        rPr.insert(0, rFonts)
    for attr in _THEME_FONT_ATTRS:
        rFonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rFonts.set(qn(attr), FONT)
    if size is not None:
        half_points = str(int(round(size.pt * 2)))
        for tag in ("w:sz", "w:szCs"):
            el = rPr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rPr.append(el)
            el.set(qn("w:val"), half_points)
    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rPr.append(lang)
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)
    lang.set(qn("w:bidi"), "ar-SA")
    _sort_rpr(rPr)


# Schema order of the rPr children we touch (CT_RPr is a sequence: order matters to strict readers).
_RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
    "em", "lang", "eastAsianLayout", "specVanish", "oMath",
]


def _sort_rpr(rPr) -> None:
    rank = {qn(f"w:{t}"): i for i, t in enumerate(_RPR_ORDER)}
    children = list(rPr)
    children.sort(key=lambda el: rank.get(el.tag, len(rank)))
    for el in children:
        rPr.append(el)


def _add_run(paragraph, text: object, *, size: Pt = SIZE_BODY, bold: bool = False, italic: bool = False,
             underline: bool = False):
    """Append ``text`` (cleaned, single line, ends kept) as one plain run."""
    run = paragraph.add_run(clean_text(text, strip=False))
    run.bold = bold or None
    run.italic = italic or None
    if underline:
        run.underline = True
    _set_fonts(run._r.get_or_add_rPr(), size)
    if bold:  # bold for complex-script characters too, so every character of the line is alike
        run._r.get_or_add_rPr().append(OxmlElement("w:bCs"))
    if italic:
        run._r.get_or_add_rPr().append(OxmlElement("w:iCs"))
    _sort_rpr(run._r.get_or_add_rPr())
    return run


def _paragraph(container, text: object = "", *, align=WD_ALIGN_PARAGRAPH.LEFT, size: Pt = SIZE_BODY,
               bold: bool = False, italic: bool = False, underline: bool = False, first_line: Mm | None = None,
               before: Pt | None = Pt(0), after: Pt | None = Pt(0), keep_next: bool = False):
    """A paragraph of one run of ``text`` (cleaned, single line, stripped)."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    p.alignment = align
    fmt.space_before = before
    fmt.space_after = after
    fmt.line_spacing = 1.0
    if first_line is not None:
        fmt.first_line_indent = first_line
    if keep_next:
        fmt.keep_with_next = True
    # The paragraph mark has the size of the text, so an empty paragraph is as tall as a full one.
    _set_fonts(_mark_rpr(p), size)
    text = clean_text(text)
    if text:
        _add_run(p, text, size=size, bold=bold, italic=italic, underline=underline)
    return p


def _paragraphs(container, text: object, **kw) -> list:
    """One paragraph per line of a multi-line value (a line break inside a justified paragraph would
    stretch the line before it across the page)."""
    return [_paragraph(container, line, **kw) for line in clean_text(text, multiline=True).split("\n") if line]


def _mark_rpr(paragraph):
    pPr = paragraph._p.get_or_add_pPr()
    rPr = pPr.find(qn("w:rPr"))
    if rPr is None:
        rPr = OxmlElement("w:rPr")
        pPr.append(rPr)
    return rPr


def _short_rule(container, width_mm: float, column_mm: float, *, before: Pt = Pt(0), after: Pt = Pt(0)):
    """A centred horizontal rule ``width_mm`` long: an empty 1-pt paragraph whose bottom border runs
    between its indents (a plain paragraph border, so Word and LibreOffice draw it alike)."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    side = Mm(max(0.0, (column_mm - width_mm) / 2))
    fmt.left_indent = side
    fmt.right_indent = side
    fmt.space_before = before
    fmt.space_after = after
    fmt.line_spacing = Pt(2)
    pPr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")  # eighths of a point: 0.75 pt
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    # pBdr comes right after keepNext/keepLines/pageBreakBefore/framePr/widowControl/numPr/suppressLineNumbers
    # and before shd/tabs/spacing/ind/jc in CT_PPrBase.
    anchor = None
    for tag in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                "w:suppressOverlap", "w:jc"):
            anchor = pPr.find(qn(tag))
            if anchor is not None:
                break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        pPr.append(borders)
    _set_fonts(_mark_rpr(p), Pt(2))
    return p


def _table(container, widths_mm: Sequence[float], rows: int, *, borders: bool):
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblPr = table._tbl.tblPr
    layout = tblPr.find(qn("w:tblLayout"))  # python-docx adds it for autofit = False
    if layout is None:
        layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblW = tblPr.find(qn("w:tblW"))
    if tblW is None:
        tblW = OxmlElement("w:tblW")
        tblPr.append(tblW)
    tblW.set(qn("w:type"), "dxa")
    tblW.set(qn("w:w"), str(int(Mm(sum(widths_mm)).twips)))
    tbl_borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if borders:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        tbl_borders.append(el)
    # CT_TblPr order: tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize, tblStyleColBandSize, tblW,
    # jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
    jc = tblPr.find(qn("w:jc"))
    (jc if jc is not None else tblW).addnext(tbl_borders)
    tbl_borders.addnext(layout)
    if borders:  # narrow cell margins for the compact table
        mar = OxmlElement("w:tblCellMar")
        for edge, mm in (("left", 1.2), ("right", 1.2)):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:w"), str(int(Mm(mm).twips)))
            el.set(qn("w:type"), "dxa")
            mar.append(el)
        layout.addnext(mar)
    for i, w in enumerate(widths_mm):
        table.columns[i].width = Mm(w)
        for cell in table.columns[i].cells:
            cell.width = Mm(w)
    return table


def _cell_paragraph(cell, text: object = "", **kw):
    return _paragraph(cell, text, **kw)


def _drop_placeholders(table) -> None:
    """Remove the empty ``<w:p/>`` python-docx puts in every new cell, where the cell has content of ours
    (our paragraphs always carry properties, so the placeholders are the bare ones)."""
    for tc in table._tbl.iter(qn("w:tc")):
        paragraphs = tc.findall(qn("w:p"))
        for p in paragraphs:
            if len(paragraphs) > 1 and p.find(qn("w:pPr")) is None and p.find(qn("w:r")) is None:
                tc.remove(p)
                paragraphs.remove(p)


def _repeat_header(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    trPr.append(el)


def _cant_split(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    trPr.insert(0, OxmlElement("w:cantSplit"))


def _page_number_header(section) -> None:
    """Page numbers, centred at the top, from page 2 on (Nghị định 30/2020). Our own PAGE field."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an explicit, empty first-page header
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def fld(kind: str | None = None, instr: str | None = None):
        r = OxmlElement("w:r")
        rPr = OxmlElement("w:rPr")
        r.append(rPr)
        _set_fonts(rPr, SIZE_HEAD)
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
        else:
            el = OxmlElement("w:t")
            el.text = "2"
        r.append(el)
        p._p.append(r)

    fld("begin")
    fld(instr=" PAGE ")
    fld("separate")
    fld()
    fld("end")


def _setup_styles(document) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    _set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), SIZE_BODY)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    for name in ("Normal", "Table Grid", "Header", "Footer"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        _set_fonts(style.element.get_or_add_rPr(), SIZE_BODY if name == "Normal" else None)


def _setup_page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.gutter = Mm(0)
    _page_number_header(section)


# ---------------------------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------------------------
def _heading(document, doc: ToTrinh) -> None:
    left_w = HEAD_COLUMNS[0]
    table = _table(document, HEAD_COLUMNS, rows=2, borders=False)
    c = WD_ALIGN_PARAGRAPH.CENTER
    left, right = table.cell(0, 0), table.cell(0, 1)
    if clean_text(doc.parent_body):
        _cell_paragraph(left, _upper(doc.parent_body), align=c, size=SIZE_HEAD)
    _cell_paragraph(left, _upper(doc.issuing_body), align=c, size=SIZE_HEAD, bold=True)
    _short_rule(left, 22, left_w, before=Pt(1))
    _cell_paragraph(right, NATIONAL_NAME, align=c, size=SIZE_HEAD, bold=True)
    _cell_paragraph(right, NATIONAL_MOTTO, align=c, size=SIZE_MOTTO, bold=True, underline=True)
    # Row 2: the number line and the place/date line on one level.
    _cell_paragraph(table.cell(1, 0), doc.number_symbol, align=c, size=SIZE_HEAD, before=Pt(6))
    _cell_paragraph(table.cell(1, 1), vn_date_line(doc.place, doc.signed_on), align=c, size=SIZE_MOTTO,
                    italic=True, before=Pt(6))
    for row in table.rows:
        _cant_split(row)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    _drop_placeholders(table)


def _recipient_line(recipient: str) -> str:
    text = clean_text(recipient)
    if not text.lower().startswith("kính gửi"):
        text = f"Kính gửi: {text}"
    return text


def _nomination_list(document, nominations: Sequence[Nomination]) -> None:
    j = WD_ALIGN_PARAGRAPH.JUSTIFY
    for i, nom in enumerate(nominations, start=1):
        p = _paragraph(document, align=j, first_line=FIRST_LINE_INDENT, before=PARAGRAPH_SPACE, keep_next=True)
        _add_run(p, f"{i}. Sáng kiến: ")
        _add_run(p, f"“{clean_text(nom.title)}”", bold=True)
        details = [("Tác giả", nom.authors), ("Đơn vị", nom.unit), ("Lĩnh vực", nom.field)]
        if nom.benefit is not None:
            details.append(("Giá trị làm lợi", f"{format_vnd(nom.benefit)} đồng"))
        for label, value in details:
            value = clean_text(value)
            if not value:
                continue
            p = _paragraph(document, align=j, first_line=FIRST_LINE_INDENT, keep_next=True)
            _add_run(p, f"- {label}: ")
            _add_run(p, value)
        summary = clean_text(nom.summary, multiline=True).split("\n")
        if summary[0]:
            p = _paragraph(document, align=j, first_line=FIRST_LINE_INDENT)
            _add_run(p, "- Tóm tắt nội dung: ")
            _add_run(p, summary[0])
            for line in summary[1:]:
                _paragraph(document, line, align=j, first_line=FIRST_LINE_INDENT)


def _nomination_table(document, nominations: Sequence[Nomination]) -> None:
    table = _table(document, NOMINATION_COLUMNS, rows=1 + len(nominations), borders=True)
    c, l, r = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
    cell_kw = dict(size=SIZE_TABLE, before=Pt(2), after=Pt(2))
    header = table.rows[0]
    for cell, label in zip(header.cells, NOMINATION_HEADERS):
        _cell_paragraph(cell, label, align=c, bold=True, **cell_kw)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _repeat_header(header)
    _cant_split(header)
    for i, nom in enumerate(nominations, start=1):
        row = table.rows[i]
        _cant_split(row)
        values = (
            (str(i), c), (nom.title, l), (nom.authors, l), (nom.unit, l), (nom.field, l),
            (format_vnd(nom.benefit), r),
        )
        for cell, (value, align) in zip(row.cells, values):
            _cell_paragraph(cell, value, align=align, **cell_kw)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    benefits = [n.benefit for n in nominations if n.benefit is not None]
    if len(nominations) > 1 and benefits:
        row = table.add_row()
        _cant_split(row)
        label = row.cells[0].merge(row.cells[4])
        for p in label.paragraphs[1:]:
            p._p.getparent().remove(p._p)
        _cell_paragraph(label, "Tổng cộng", align=c, bold=True, **cell_kw)
        _cell_paragraph(row.cells[5], format_vnd(sum(benefits)), align=r, bold=True, **cell_kw)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _drop_placeholders(table)


def _foot(document, doc: ToTrinh) -> None:
    table = _table(document, FOOT_COLUMNS, rows=1, borders=False)
    row = table.rows[0]
    _cant_split(row)
    left, right = row.cells
    left.vertical_alignment = right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    _cell_paragraph(left, "Nơi nhận:", size=SIZE_RECIPIENTS_LABEL, bold=True, italic=True)
    for line in doc.recipients:
        line = clean_text(line)
        if line:
            _cell_paragraph(left, line, size=SIZE_RECIPIENTS)
    c = WD_ALIGN_PARAGRAPH.CENTER
    lines = [clean_text(t) for t in doc.signer_title_lines if clean_text(t)]
    for line in lines:
        _cell_paragraph(right, _upper(line), align=c, bold=True)
    name = clean_text(doc.signer_name)
    # Room for the hand signature and the seal (about 3 cm), kept even when the name is left blank.
    _cell_paragraph(right, name if name else "", align=c, bold=True, before=Pt(84))
    _drop_placeholders(table)


def build_document(doc: ToTrinh):
    """The letter as a python-docx ``Document`` (not saved)."""
    document = Document()
    _setup_styles(document)
    _setup_page(document)
    # The default template's body is empty: the heading table comes first.
    _heading(document, doc)

    c, j = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph(document, DOC_KIND, align=c, bold=True, before=Pt(18), keep_next=True)
    _paragraph(document, doc.title, align=c, bold=True, keep_next=True)
    _short_rule(document, 40, TEXT_WIDTH_MM, before=Pt(3), after=Pt(6))
    _paragraph(document, _recipient_line(doc.recipient), align=c, before=Pt(6), after=Pt(6))

    for line in doc.basis:
        if clean_text(line):
            _paragraph(document, line, align=j, italic=True, first_line=FIRST_LINE_INDENT, before=PARAGRAPH_SPACE)
    _paragraphs(document, doc.body_intro, align=j, first_line=FIRST_LINE_INDENT, before=PARAGRAPH_SPACE)
    if doc.nominations:
        _nomination_list(document, doc.nominations)
        _paragraph(document, "Tổng hợp các sáng kiến đề nghị:", align=j, first_line=FIRST_LINE_INDENT,
                   before=PARAGRAPH_SPACE, after=Pt(6), keep_next=True)
        _nomination_table(document, doc.nominations)
    _paragraphs(document, doc.body_closing, align=j, first_line=FIRST_LINE_INDENT, before=PARAGRAPH_SPACE,
                after=Pt(6), keep_next=True)
    _foot(document, doc)

    props = document.core_properties
    props.title = clean_text(f"Tờ trình {doc.title}")[:255]
    props.author = clean_text(doc.issuing_body)[:255]
    props.last_modified_by = props.author
    props.language = LANG
    props.comments = ""
    return document


def write_to_trinh(doc: ToTrinh, path: Path) -> None:
    """Write the letter to ``path`` (.docx), atomically: an interrupted run leaves the old file whole.

    The same letter gives the same bytes: python-docx stamps the save time into the core properties and
    every zip entry, so both are set to the signing day instead (a re-export is then recognisably the same
    file, and a changed one differs only where its content does)."""
    document = build_document(doc)
    signed = datetime.combine(doc.signed_on, time())
    document.core_properties.created = signed
    document.core_properties.modified = signed
    buffer = io.BytesIO()
    document.save(buffer)
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(_zip_dated(buffer.getvalue(), signed))


def _zip_dated(data: bytes, when: datetime) -> bytes:
    """The same zip with every entry dated ``when`` (entries, order and compression unchanged)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type, entry.external_attr = info.compress_type, info.external_attr
            dst.writestr(entry, src.read(info))
    return out.getvalue()


def nominations_from(rows: Iterable[dict]) -> list[Nomination]:
    """Convenience: nominations from dicts with the dataclass field names (extra keys ignored)."""
    keys = ("title", "authors", "unit", "field", "summary", "benefit")
    return [Nomination(**{k: row.get(k, None if k == "benefit" else "") for k in keys}) for row in rows]
