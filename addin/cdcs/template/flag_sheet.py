"""The hidden flag sheet «Cờ kiểm tra»: the formulas of ``flags`` at the address of the input they judge, and the
conditional formatting that colours every offending input cell on «Đơn vị» and «Sáng kiến» from them.
"""

from __future__ import annotations

from addin.cdcs.template.checks import pristine_unit_flags
from addin.cdcs.template.flags import initiative_cells, unit_cells
from addin.cdcs.template.layout import (
    DATA_FIRST_ROW,
    FLAG_UNIT_COL,
    FLAG_UNIT_TEXT_COL,
    SHEET_FLAGS,
    flag_rows,
    quote_sheet,
)
from addin.cdcs.template.style import Slot
from addin.io.cells import cell_ref, column_letter, parse_ref
from validators import layout as L
from validators.rules.table import RuleTable

_PREFILLED = ("MA_DON_VI", "TEN_DON_VI", "MA_CAP_TREN", "TEN_CAP_TREN", "KHOI")  # per-unit: rendered as slots


# Below its first flagged row, the template stores each flag column as one shared formula (``shared``): the
# formula text XlsxWriter is given for those rows is never written, and preparing hundreds of long formulas
# (XlsxWriter runs some thirty regular expressions over each) is most of the time a template build takes.
SHARED_BELOW = "0"


def write_flags(table: RuleTable, ws, fmt, slots: list[Slot]) -> None:
    cell_fmt = fmt(num_format="0")
    rows = flag_rows(table.max_initiatives)
    for r in range(DATA_FIRST_ROW, DATA_FIRST_ROW + rows):
        for ref, formula in initiative_cells(table, r).items():
            row, col = parse_ref(ref)
            text = col > FLAG_UNIT_TEXT_COL
            shared = r > DATA_FIRST_ROW  # the first row's formula, moved down (share_formulas keeps only it)
            ws.write_formula(row - 1, col - 1, "=" + (SHARED_BELOW if shared else formula), cell_fmt,
                             "" if text else 0)
    pristine = dict(zip((f.name for f in L.UNIT_FIELDS), pristine_unit_flags({})))
    for ref, formula in unit_cells(table).items():
        row, col = parse_ref(ref)
        name = L.UNIT_FIELDS[row - L.UNIT_FIRST_ROW].name
        if name in _PREFILLED:
            ws.write_blank(row - 1, col - 1, None, cell_fmt)
            kind = "string_formula" if col == FLAG_UNIT_TEXT_COL else "number_formula"
            slots.append(Slot(f"flag_{col}_{name}", SHEET_FLAGS, ref, kind, formula))
        elif col == FLAG_UNIT_TEXT_COL:
            ws.write_formula(row - 1, col - 1, "=" + formula, cell_fmt, "")
        else:
            ws.write_formula(row - 1, col - 1, "=" + formula, cell_fmt, pristine[name])
    ws.hide()
    ws.protect("")


def highlight_inputs(table: RuleTable, unit_ws, initiatives_ws, fmt) -> None:
    """Red for an error, yellow for a «Lưu ý», on the input cells, read from the flag sheet."""
    red = fmt(bg_color="#FFC7CE", font_color="#9C0006")
    yellow = fmt(bg_color="#FFEB9C", font_color="#9C5700")
    flags = quote_sheet(SHEET_FLAGS)
    last_row = DATA_FIRST_ROW + flag_rows(table.max_initiatives) - 1
    rng = f"A{DATA_FIRST_ROW}:{column_letter(len(L.INITIATIVE_FIELDS))}{last_row}"
    for value, style in ((2, red), (1, yellow)):
        initiatives_ws.conditional_format(rng, {"type": "formula", "criteria": f"={flags}!A{DATA_FIRST_ROW}={value}",
                                                "format": style})
    first = L.UNIT_FIRST_ROW
    c = column_letter(L.UNIT_VALUE_COL)
    urng = f"{c}{first}:{c}{first + len(L.UNIT_FIELDS) - 1}"
    for value, style in ((2, red), (1, yellow)):
        unit_ws.conditional_format(urng, {"type": "formula",
                                          "criteria": f"={flags}!{cell_ref(first, FLAG_UNIT_COL)}={value}",
                                          "format": style})
