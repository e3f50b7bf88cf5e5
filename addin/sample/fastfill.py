"""Fill a generated CĐCS workbook by writing the values straight into its XML parts: the same signature and
semantics as ``addin.sample.fill.fill_workbook`` (openpyxl), about twenty times faster, for the demo and the
benchmarks that fill hundreds or thousands of sample workbooks.

The template zip is read once; only the parts that change are rewritten (the ``Đơn vị`` and ``Sáng kiến``
sheets, the table part when rows go past the prepared ones, ``styles.xml`` only if a date lands in a cell
without a date format); every other member is copied as its compressed bytes. Values are written like a
user typing them: text as inline strings (a leading "=" stays text), dates as serial numbers in the cell's
own date style, numbers plain, booleans as ``t="b"``, None as an empty cell keeping its style. The cached
results of the ``Kiểm tra`` formulas are dropped and ``fullCalcOnLoad`` is set, so Excel and LibreOffice
recompute the counts on open."""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from addin.sample.fill import FillError
from addin.io.atomic import write_bytes_fast
from addin.io.cells import column_index
from addin.io.zipwriter import ZipMember, zip_bytes
from validators import layout as L
from addin.sample.xlsxparts import _CALC_PR, _EPOCH_1900, _EPOCH_1904, _NAME_REF, _NS, _REF_ATTR, _R_ID, _Sheet, _Source, _Styles, _TABLE_REL, _range_bounds, _ref, _rels, _stripped_check, _workbook_part


# ------------------------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------------------------
def fast_fill_workbook(
    template_path: str | Path,
    out_path: str | Path,
    unit: dict[str, object],
    rows: list[dict[str, object]],
) -> Path:
    """``fill_workbook`` without openpyxl: write ``unit`` (defined name -> value) and ``rows`` (table header
    label -> value, one dict per initiative from the first data row down) into a copy of ``template_path``
    saved at ``out_path``. Rows past the prepared ones extend the table with the formats of its last row.
    Raises ``FillError`` for an unknown defined name or column, or a value no cell can hold."""
    src = _Source(Path(template_path).read_bytes())
    wb_part = _workbook_part(src)
    wb_xml = src.read(wb_part)
    root = ElementTree.fromstring(wb_xml)
    targets = {rid: target for rid, _typ, target in _rels(src, wb_part)}
    sheet_parts: dict[str, str] = {}
    for sh in root.iter(f"{_NS}sheet"):
        part = targets.get(sh.get(_R_ID, ""))
        if part:
            sheet_parts[sh.get("name", "")] = part
    pr = root.find(f"{_NS}workbookPr")
    epoch = _EPOCH_1904 if pr is not None and pr.get("date1904") in ("1", "true") else _EPOCH_1900
    names: dict[str, str] = {}
    for dn in root.iter(f"{_NS}definedName"):
        if dn.get("localSheetId") is None:
            names[dn.get("name", "")] = (dn.text or "").strip()

    sheets: dict[str, _Sheet] = {}

    def sheet(name: str) -> _Sheet:
        part = sheet_parts.get(name)
        if part is None:
            raise FillError(f"no sheet {name!r} in {template_path}")
        if part not in sheets:
            sheets[part] = _Sheet(src.read(part))
        return sheets[part]

    # --- the unit cells, by defined name
    for name, value in unit.items():
        ref = names.get(name)
        if ref is None:
            raise FillError(f"no defined name {name!r} in {template_path}")
        m = _NAME_REF.match(ref)
        if m is None:
            raise FillError(f"defined name {name!r} does not point to one cell")
        sheet_name = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
        sheet(sheet_name).set(int(m.group(4)), column_index(m.group(3)), value)

    # --- the initiatives table
    init_part = sheet_parts.get(L.SHEET_INITIATIVES)
    table_part = table_xml = None
    if init_part is not None:
        for _id, typ, target in _rels(src, init_part):
            if typ == _TABLE_REL and target in src.by_name:
                data = src.read(target)
                troot = ElementTree.fromstring(data)
                if L.TABLE_NAME in (troot.get("name"), troot.get("displayName")):
                    table_part, table_xml = target, (data, troot)
                    break
    if table_xml is None:
        raise FillError(f"no table {L.TABLE_NAME!r} on sheet {L.SHEET_INITIATIVES!r}")
    tdata, troot = table_xml
    min_col, header_row, max_col, last_row = _range_bounds(troot.get("ref", ""))
    labels = [tc.get("name") for tc in troot.iter(f"{_NS}tableColumn")]
    columns = {label: min_col + i for i, label in enumerate(labels)}
    if len(labels) != max_col - min_col + 1:
        raise FillError("table columns do not match the table range")
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise FillError(f"unknown column(s) {sorted(unknown)}; the table has {labels}")
    ws = sheet(L.SHEET_INITIATIVES)
    new_last = max(last_row, header_row + len(rows))
    new_table = None
    if new_last != last_row:
        template_cells = ws.cells(last_row)
        styles_of_last = {c: (template_cells[c][0] if c in template_cells else ws.col_styles.get(c))
                          for c in range(min_col, max_col + 1)}
        for r in range(last_row + 1, new_last + 1):
            ws.new_row_styles[r] = styles_of_last
            ws.edits.setdefault(r, {})
        ref = _ref(min_col, header_row, max_col, new_last).encode()
        new_table = _REF_ATTR.sub(lambda m: m.group(1) + ref + m.group(3), tdata)
    for i, row in enumerate(rows):
        for label, value in row.items():
            ws.set(header_row + 1 + i, columns[label], value)

    # --- styles (only read when a date/time is written), workbook calcPr
    styles_part = next((t for _i, typ, t in _rels(src, wb_part) if typ.endswith("/styles")), None)
    needs_styles = any(isinstance(v, (_dt.date, _dt.time, _dt.timedelta))
                       for s in sheets.values() for cols in s.edits.values() for v in cols.values())
    if needs_styles and styles_part is None:
        raise FillError("workbook without styles part")
    styles = _Styles(src.read(styles_part)) if needs_styles else _Styles(b"")

    replaced: dict[str, bytes] = {part: s.render(styles, epoch) for part, s in sheets.items() if s.edits}
    if new_table is not None:
        replaced[table_part] = new_table
    if styles.changed:
        replaced[styles_part] = styles.render()
    calc = _CALC_PR.search(wb_xml)
    if calc is None or b'fullCalcOnLoad="1"' not in calc.group(0):
        if calc is None:
            end = wb_xml.rfind(b"</workbook>")
            anchor = min((i for i in (wb_xml.find(t) for t in (b"<oleSize", b"<customWorkbookViews", b"<pivotCaches",
                                                              b"<smartTagPr", b"<smartTagTypes", b"<webPublishing",
                                                              b"<fileRecoveryPr", b"<webPublishObjects",
                                                              b"<extLst")) if i >= 0), default=end)
            wb_xml = wb_xml[:anchor] + b'<calcPr fullCalcOnLoad="1"/>' + wb_xml[anchor:]
        else:
            tag = re.sub(rb'\sfullCalcOnLoad="[^"]*"', b"", calc.group(0))
            tag = tag[:7] + b' fullCalcOnLoad="1"' + tag[7:]
            wb_xml = wb_xml[: calc.start()] + tag + wb_xml[calc.end():]
        replaced[wb_part] = wb_xml
    check_part = sheet_parts.get(L.SHEET_CHECK)

    members = []
    for info in src.infos:
        name = info.filename
        if name in replaced:
            raw = replaced[name]
            members.append(ZipMember.from_data(name, raw))
        elif name == check_part:
            members.append(ZipMember(name, *_stripped_check(src, info)))
        elif info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            members.append(ZipMember(name, src.raw(info), info.CRC, info.file_size, info.compress_type))
        else:
            members.append(ZipMember.from_data(name, src.zf.read(info)))
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_fast(out, zip_bytes(members))
    return out
