"""A saved .xlsm read the way the buttons read the open one, for the door that needs no macro.

When IT blocks macros or Office starting processes, or the spreadsheet program has no VBA (WPS free edition,
LibreOffice) or no RunPython (Excel for Mac without its own xlwings setup), the launcher beside the workbook
runs ``sangkien run``: it reads the «Cấu hình» the staff saved, through the gate
(``addin.io.gate.workbook.open_workbook``, never a parser directly), and hands ``config.read_config`` an
object that answers the few questions it asks an xlwings ``Book`` (``fullname``,
``names[NAME].refers_to_range.value``, ``.options(ndim=2).value``). So the launcher and the buttons share
one reading of the configuration, every message included.

Defined names come from the package's ``xl/workbook.xml`` (the parser the gate uses for XML, bounded); cells
from the gate's grid. The grids start at A1 of each sheet, where the build writes a title (``Cấu hình``) or
the first key (the stamp sheet).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from addin.io.cells import column_index
from addin.io.gate.workbook import GatedWorkbook, WorkbookRefused, open_workbook
from addin.io.gate.xmlsafe import open_member_capped, safe_parse
from addin.excel.config import ConfigError
from validators.errors import ErrorCode

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")
_MAX_WORKBOOK_XML = 4 * 2**20


@dataclass(frozen=True)
class CellRange:
    sheet: str
    top: int  # 0-based row
    left: int  # 0-based column
    bottom: int
    right: int


def parse_reference(text: str) -> CellRange | None:
    """``'Cấu hình'!$B$3`` or ``'Cấu hình'!$A$12:$C$20``; None for anything else (formulas, several areas)."""
    m = _REF.match(text.strip())
    if not m:
        return None
    sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
    c1, r1 = column_index(m.group(3)) - 1, int(m.group(4)) - 1
    c2 = column_index(m.group(5)) - 1 if m.group(5) else c1
    r2 = int(m.group(6)) - 1 if m.group(6) else r1
    return CellRange(sheet, r1, c1, r2, c2)


def defined_names(gw: GatedWorkbook) -> dict[str, CellRange]:
    """The workbook-scoped defined names that are one range of one sheet."""
    if gw.kind != "xlsx":
        return {}
    with zipfile.ZipFile(io.BytesIO(gw.data)) as zf:
        root = safe_parse(open_member_capped(zf, "xl/workbook.xml", _MAX_WORKBOOK_XML))
    out = {}
    for dn in root.iter(f"{_NS}definedName"):
        if dn.get("localSheetId") is None and dn.get("name") and dn.text:
            ref = parse_reference(dn.text)
            if ref is not None:
                out[dn.get("name")] = ref
    return out


class _Range:
    def __init__(self, book: "SavedBook", ref: CellRange, ndim: int | None = None) -> None:
        self._book, self._ref, self._ndim = book, ref, ndim

    def options(self, ndim: int | None = None) -> "_Range":
        return _Range(self._book, self._ref, ndim)

    @property
    def value(self) -> Any:
        grid = self._book.grid(self._ref.sheet)
        rows = [[(grid[r][c] if r < len(grid) and c < len(grid[r]) else "")
                 for c in range(self._ref.left, self._ref.right + 1)]
                for r in range(self._ref.top, self._ref.bottom + 1)]
        rows = [[None if v == "" else v for v in row] for row in rows]
        if self._ndim == 2 or (len(rows) > 1 and len(rows[0]) > 1):
            return rows
        flat = [v for row in rows for v in row]
        return flat[0] if len(flat) == 1 else flat


@dataclass
class _Name:
    refers_to_range: _Range


class SavedBook:
    """What ``config.read_config`` reads of a workbook, from the saved file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).absolute()
        try:
            self._gw = open_workbook(self.path)
        except WorkbookRefused as exc:
            raise ConfigError(ErrorCode.WORKBOOK_UNREADABLE, name=self.path.name, exc=exc) from None
        self._grids: dict[str, list[list[Any]]] = {}
        self.names = {name: _Name(_Range(self, ref)) for name, ref in defined_names(self._gw).items()}

    @property
    def fullname(self) -> str:
        return str(self.path)

    def grid(self, sheet: str) -> list[list[Any]]:
        if sheet not in self._grids:
            self._grids[sheet] = self._gw.grid(sheet, max_rows=10_000) if self._gw.has_sheet(sheet) else []
        return self._grids[sheet]
