"""The gate's one pass over a worksheet (``_bounded_in_one_pass``) must give the verdict of the exact measure.

The pass bounds a sheet's grid from the lengths of its references (three row digits: at most 999; two column
letters: at most ZZ) instead of measuring every cell; a sheet the bound cannot clear is measured exactly.
So for any sheet the gate refuses exactly when its value cells span more than ``max_sheet_cells``, whether
the cheap bound or the exact measure decided: this file checks that on generated sheets, with caps around
the real extent, and that the one pass really decides the common case (the CĐCS template's formula sheet,
columns A..BB over 500 rows) without the exact measure.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from addin.io.cells import column_letter
from addin.io.gate import ooxml
from addin.io.gate.inspect import inspect_bytes
from addin.io.gate.limits import Limits

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>",
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>",
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="' + MAIN_NS + b'" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b"</Relationships>",
}


def _book(cells: list[tuple[int, int, bool]]) -> bytes:
    """A workbook whose one sheet holds these (row, column, has a value) cells, rows in order."""
    by_row: dict[int, list[tuple[int, bool]]] = {}
    for r, c, valued in cells:
        by_row.setdefault(r, []).append((c, valued))
    rows = []
    for r in sorted(by_row):
        tags = []
        for c, valued in sorted(set(by_row[r])):
            ref = f"{column_letter(c)}{r}".encode()
            tags.append(b'<c r="%s"><v>1</v></c>' % ref if valued else b'<c r="%s" s="1"/>' % ref)
        rows.append(b'<row r="%d">%s</row>' % (r, b"".join(tags)))
    sheet = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="' + MAIN_NS
             + b'"><sheetData>' + b"".join(rows) + b"</sheetData></worksheet>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in {**_PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _exact(cells: list[tuple[int, int, bool]]) -> int:
    valued = [(r, c) for r, c, v in cells if v]
    if not valued:
        return 0
    return max(r for r, _ in valued) * max(c for _, c in valued)


_ROW = st.one_of(st.integers(1, 30), st.integers(1, 1200), st.integers(1, 120_000), st.integers(1, 1_048_576))
_COL = st.one_of(st.integers(1, 26), st.integers(1, 80), st.integers(1, 800), st.integers(1, 16_384))
_CELLS = st.lists(st.tuples(_ROW, _COL, st.booleans()), min_size=1, max_size=12)


@settings(max_examples=120, deadline=None)
@given(cells=_CELLS, slack=st.sampled_from([-1, 0, 1, 10**6]))
def test_verdict_is_the_exact_measure(cells, slack):
    extent = _exact(cells)
    cap = max(1, extent + slack)
    result = inspect_bytes(_book(cells), Limits(max_sheet_cells=cap))
    if extent > cap:
        assert result.issue is not None and result.issue.code == "file-sheet-too-large", (extent, cap, result)
    else:
        assert result.ok, (extent, cap, result.issue)


def test_a_wide_formula_sheet_is_cleared_in_one_pass(monkeypatch):
    """500 rows x columns A..BB (the template's «Cờ kiểm tra»): the bound (999 x 702) clears it, so the
    exact measure, which walks every cell, never runs."""
    cells = [(r, c, True) for r in range(4, 504) for c in (1, 2, 27, 54)]

    def exact_measure(*_args):
        raise AssertionError("the exact measure ran")

    monkeypatch.setattr(ooxml, "_canonical_extent", exact_measure)
    monkeypatch.setattr(ooxml, "_replay_extent", exact_measure)
    assert inspect_bytes(_book(cells), Limits()).ok


def test_the_bound_defers_to_the_exact_measure():
    """Formatting out to XFD9999 bounds the grid at 9,999 x 18,278 cells: over the cap, so the exact measure
    decides, and it leaves formatting-only cells out: the file is read."""
    cells = [(1, 1, True), (9999, 16_384, False), (40, 3, True)]
    assert inspect_bytes(_book(cells), Limits()).ok
    refused = inspect_bytes(_book(cells + [(9999, 16_384, True)]), Limits())
    assert refused.issue is not None and refused.issue.code == "file-sheet-too-large"
    assert refused.issue.cell == "XFD9999"



# The one-pass bound before the odd-tag and the wider-reference searches became one (issue 17), kept as the
# reference: the merged search must give the same verdict on every sheet, odd tags anywhere included.
_REF_PARTS = re.compile(rb"([A-Z]{1,3}+)(\d{1,7}+)")


def _wider_reference(letters: int, digits: int) -> re.Pattern[bytes]:
    alternatives = []
    if letters < 3:
        alternatives.append(rb"[A-Z]{%d}" % (letters + 1))
    if digits < 7:
        alternatives.append(rb"[A-Z]{1,3}+\d{%d}" % (digits + 1))
    return re.compile(rb'<c r="(?:' + b"|".join(alternatives) + rb")")


def _bounded_reference(blocks: list[bytes], cap: int) -> bool:
    digits = letters = 0
    for b in blocks:
        if ooxml._ODD_C_ANY.search(b) or ooxml._ODD_ROW_ANY.search(b) or ooxml._PREFIXED.search(b):
            return False
        pos = 0
        while letters < 3 or digits < 7:
            found = _wider_reference(letters, digits).search(b, pos)
            if found is None:
                break
            ref = _REF_PARTS.match(b, found.start() + 6)
            if ref is None:
                return False
            letters, digits = max(letters, len(ref.group(1))), max(digits, len(ref.group(2)))
            pos = found.end()
    return (10 ** digits - 1) * (0, 26, 702, 18_278)[letters] <= cap


_ODD_FORMS = [b'<c r="%s" r="XFD9">', b"<c r='%s'>", b'<c r = "%s">', b'<c\tr="%s">', b"<c>", b'<x:c r="%s">',
              b'<c s="1" r="%s">', b'<c r="%s" t=">">', b'<c r="%s" s=\'1\'>', b'<c r="%s"/ >', b'<cx r="%s">']


class _Bytes:
    name = "sheet"

    def __init__(self, data: bytes, chunk: int):
        self.data, self.pos, self.chunk = data, 0, chunk

    def read(self, n: int) -> bytes:
        out = self.data[self.pos:self.pos + min(n, self.chunk)]
        self.pos += len(out)
        return out


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(st.tuples(_ROW, _COL, st.sampled_from([None] * 6 + list(range(len(_ODD_FORMS))))),
                      min_size=0, max_size=14),
       cap=st.sampled_from([1, 25, 999 * 26, 5_000_000, 10**12]), chunk=st.sampled_from([97, 131, 4096, 1 << 20]))
def test_merged_search_gives_the_reference_verdict(cells, cap, chunk):
    body = b"".join(
        (b'<row r="%d"><c r="%s"><v>1</v></c></row>' if form is None else b'<row r="%d">' + _ODD_FORMS[form] + b"</row>")
        % ((r, f"{column_letter(c)}{r}".encode()) if form is None or b"%s" in _ODD_FORMS[form] else (r,))
        for r, c, form in cells)
    data = b'<worksheet xmlns="' + MAIN_NS + b'"><sheetData>' + body + b"</sheetData></worksheet>"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ooxml, "_CHUNK", chunk)  # blocks cut anywhere: a tag may straddle two
        first = _Bytes(data, chunk)
        reference = _bounded_reference(list(ooxml._blocks(first, first.read(chunk))), cap)
        second = _Bytes(data, chunk)
        assert ooxml._bounded_in_one_pass(second, second.read(chunk), cap) == reference
