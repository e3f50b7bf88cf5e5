"""What district staff do by hand in the sample runs: mark their choices on the district workbook.

The mark is put into the sheet's XML directly (an "x" in the mark cell, and the counter's cached result), as
Excel would save it, instead of a load and save through openpyxl: that round trip took a third of a second
per district in the demo and rewrote parts it does not understand (the charts lost their label sizes)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from addin.district.workbook import S_NOMINATIONS
from addin.io.atomic import atomic_path
from addin.io.gate.limits import Limits
from addin.io.gate.ooxml import sheets_by_name
from addin.io.gate.workbook import open_workbook
from addin.io.zipwriter import ZipMember, zip_bytes
from addin.sheets.model import MARK_HEADER

_COUNTER = re.compile(rb'(<c r="[A-Z]+\d+"[^>]*><f>SUMPRODUCT\(--\(LEN\(TRIM\([^<]*</f><v>)[^<]*(</v>)')
_TYPE = re.compile(rb'\s+t="[^"]*"')


def _mark_cell(xml: bytes, row: int) -> bytes:
    """``xml`` with "x" in cell A``row`` (replacing what it held, keeping its style)."""
    cell = re.compile(rb'<c r="A%d"([^>]*?)(?:/>|>.*?</c>)' % row, re.S)
    found = cell.search(xml)
    if found is not None:
        attrs = _TYPE.sub(b"", found.group(1)).rstrip(b"/")
        marked = b'<c r="A%d"%s t="inlineStr"><is><t>x</t></is></c>' % (row, attrs)
        return xml[:found.start()] + marked + xml[found.end():]
    start = re.search(rb'<row r="%d"[^>]*?(/?)>' % row, xml)
    if start is None:
        raise ValueError(f"no row {row} in {S_NOMINATIONS}")
    mark = b'<c r="A%d" t="inlineStr"><is><t>x</t></is></c>' % row
    if start.group(1):  # an empty row element
        return xml[:start.start()] + b'<row r="%d">' % row + mark + b"</row>" + xml[start.end():]
    return xml[:start.end()] + mark + xml[start.end():]


def mark_choices(src: Path, dst: Path, ids: list[str]) -> Path:
    """Copy the district workbook and put an "x" in the mark column of the given initiative ids."""
    src, dst = Path(src), Path(dst)
    grid = open_workbook(src).grid(S_NOMINATIONS)
    header = next(i for i, row in enumerate(grid[:15]) if row and row[0] == MARK_HEADER)
    wanted = set(ids)
    rows = [i + 1 for i, row in enumerate(grid) if i > header and len(row) > 1 and row[1] in wanted]
    marked = {i + 1 for i, row in enumerate(grid) if i > header and row and str(row[0] or "").strip()} | set(rows)
    data = src.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        part = sheets_by_name(zf, {i.filename.casefold(): i for i in zf.infolist()}, Limits())[S_NOMINATIONS]
        members = []
        for info in zf.infolist():
            body = zf.read(info)
            if info.filename.casefold() == part:
                for row in rows:
                    body = _mark_cell(body, row)
                body = _COUNTER.sub(lambda m: m.group(1) + str(len(marked)).encode() + m.group(2), body, count=1)
            members.append(ZipMember.from_data(info.filename, body))
    with atomic_path(dst) as tmp:
        Path(tmp).write_bytes(zip_bytes(members))
    return dst
