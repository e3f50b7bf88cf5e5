"""python-docx building blocks of the administrative format (Nghị định 30/2020/NĐ-CP, Phụ lục I): Times New
Roman in every font slot, runs and paragraphs, borderless layout tables, short rules, repeated header rows, page
numbers from page 2 and the A4 page. Data only ever becomes plain text in runs."""

from __future__ import annotations

from typing import Sequence

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from addin.documents.letter_text import FONT, LANG, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH, SIZE_BODY, SIZE_HEAD, clean_text


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


