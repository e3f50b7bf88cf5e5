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
hyperlink or a style.  The only field in the file is our own PAGE number in the page header."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time
from pathlib import Path
from typing import Sequence

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from addin.io.atomic import atomic_path
from addin.documents.docx_parts import _add_run, _cant_split, _cell_paragraph, _drop_placeholders, _paragraph, _paragraphs, _repeat_header, _setup_page, _setup_styles, _short_rule, _table
from addin.documents.letter_text import DOC_KIND, FIRST_LINE_INDENT, FOOT_COLUMNS, HEAD_COLUMNS, LANG, NATIONAL_MOTTO, NATIONAL_NAME, NOMINATION_COLUMNS, NOMINATION_HEADERS, Nomination, PARAGRAPH_SPACE, SIZE_HEAD, SIZE_MOTTO, SIZE_RECIPIENTS, SIZE_RECIPIENTS_LABEL, SIZE_TABLE, TEXT_WIDTH_MM, ToTrinh, _upper, clean_text, format_vnd, vn_date_line


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


