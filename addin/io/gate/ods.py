"""OpenDocument spreadsheets: the extent of every table in content.xml (repeated rows and columns included), bounded like the OOXML sheets."""

from __future__ import annotations

import zipfile
from typing import Any


from addin.io.cells import column_letter
from addin.io.gate.limits import Inspection, Limits, MiB, _CHUNK, _num, _refuse, _short_name
from addin.io.gate.members import _Member, _read_capped, _scan_members
from validators.issues import IssueCode


# ---- ODF --------------------------------------------------------------------------------------------------
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _scan_ods(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], by_name: dict[str, zipfile.ZipInfo],
              limits: Limits) -> Inspection:
    manifest = by_name.get("meta-inf/manifest.xml")
    if manifest is not None and b"encryption-data" in _read_capped(zf, manifest, 4 * MiB):
        raise _refuse(IssueCode.FILE_ENCRYPTED)
    has_macros = any(k.startswith(("basic/", "scripts/")) for k in by_name)
    active = ["embedded-objects"] if any(k.startswith("object ") for k in by_name) else []

    def on_member(m: _Member, head: bytes, tag: bytes | None) -> None:
        if m.key == "content.xml":
            _check_ods_extent(m, head, limits)

    _scan_members(zf, infos, limits, (), on_member)
    return Inspection("ods", None, has_macros=has_macros, active_content=active)


def _check_ods_extent(m: _Member, head: bytes, limits: Limits) -> None:
    """ODS repeats rows and cells by attribute (number-rows-repeated="1048576"): compute each table's grid.

    LibreOffice writes huge repeats of *empty* cells to fill the sheet; like calamine, only repeats that
    carry a value or text count. Parsed with expat, no DTD allowed (the prolog check already refused one).
    """
    import xml.parsers.expat as expat

    p = expat.ParserCreate(namespace_separator=" ")
    st: dict[str, Any] = {"table": None, "row": 0, "max_row": 0, "max_col": 0, "col": 0, "row_max": 0,
                          "rrep": 1, "crep": 1, "cell": False, "content": False, "depth": 0}
    t_table, t_row = f"{_TABLE_NS} table", f"{_TABLE_NS} table-row"
    t_cells = (f"{_TABLE_NS} table-cell", f"{_TABLE_NS} covered-table-cell")
    a_rrep, a_crep = f"{_TABLE_NS} number-rows-repeated", f"{_TABLE_NS} number-columns-repeated"
    a_vtype, a_name = f"{_OFFICE_NS} value-type", f"{_TABLE_NS} name"

    def rep(attrs: dict, key: str) -> int:
        try:
            return max(1, int(attrs.get(key, "1")))
        except ValueError:
            raise _refuse(IssueCode.FILE_CORRUPT, detail="'content.xml' có số lặp không hợp lệ") from None

    def start(name: str, attrs: dict) -> None:
        if st["cell"]:
            st["content"] = True  # any child (text:p, annotation...) makes the cell non-empty
            st["depth"] += 1
            return
        if name == t_table:
            st.update(table=attrs.get(a_name, ""), row=0, max_row=0, max_col=0)
        elif name == t_row:
            st.update(rrep=rep(attrs, a_rrep), col=0, row_max=0)
        elif name in t_cells:
            st.update(cell=True, crep=rep(attrs, a_crep), content=a_vtype in attrs, depth=0)

    def end(name: str) -> None:
        if st["cell"]:
            if st["depth"]:
                st["depth"] -= 1
                return
            if st["content"]:
                st["row_max"] = st["col"] + st["crep"]
            st["col"] += st["crep"]
            st["cell"] = False
        elif name == t_row:
            if st["row_max"]:
                st["max_row"] = st["row"] + st["rrep"]
                st["max_col"] = max(st["max_col"], st["row_max"])
            st["row"] += st["rrep"]
        elif name == t_table:
            cells = st["max_row"] * st["max_col"]
            if cells > limits.max_sheet_cells:
                far = f"{column_letter(st['max_col'])}{st['max_row']}"
                raise _refuse(IssueCode.FILE_SHEET_TOO_LARGE, detail=f"trang '{_short_name(st['table'], 30)}' tới ô {far}",
                              sheet=st["table"], value=_num(cells), limit=_num(limits.max_sheet_cells))

    def no_dtd(*_a: Any) -> None:
        raise _refuse(IssueCode.FILE_UNSAFE, detail="'content.xml' có khai báo DTD/ENTITY (bom XML)")

    p.StartElementHandler, p.EndElementHandler = start, end
    p.StartDoctypeDeclHandler = p.EntityDeclHandler = no_dtd
    p.ExternalEntityRefHandler = no_dtd
    data = head
    try:
        while data:
            p.Parse(data, False)
            data = m.read(_CHUNK)
        p.Parse(b"", True)
    except expat.ExpatError:
        raise _refuse(IssueCode.FILE_CORRUPT, detail="'content.xml' không phải XML hợp lệ") from None


