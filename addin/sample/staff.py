"""What district staff do by hand in the sample runs: mark their choices on the district workbook."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from addin.sheets.model import MARK_HEADER
from addin.district.workbook import S_NOMINATIONS


def mark_choices(src: Path, dst: Path, ids: list[str]) -> Path:
    """Copy the district workbook and put an "x" in the mark column of the given initiative ids."""
    if Path(src) != Path(dst):
        shutil.copy2(src, dst)
    wb = openpyxl.load_workbook(dst)
    ws = wb[S_NOMINATIONS]
    header_row = next(r for r in range(1, 15) if ws.cell(r, 1).value == MARK_HEADER)
    for r in range(header_row + 1, ws.max_row + 1):
        if ws.cell(r, 2).value in ids:
            ws.cell(r, 1).value = "x"
    wb.save(dst)
    return Path(dst)
