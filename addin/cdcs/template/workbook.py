"""Assembly of the whole workbook of one campaign with XlsxWriter: every sheet in contract order, per-unit cells
left as formatted blanks ("slots") for the prepared renderer; also the hidden «Danh mục» lists and the
very hidden stamp sheet, which are small.
"""

from __future__ import annotations

import datetime as _dt
import io
import warnings

import xlsxwriter

from addin.cdcs.template.check_sheet import write_check
from addin.cdcs.template.flag_sheet import highlight_inputs, write_flags
from addin.cdcs.template.flags import INVISIBLE_NAMES, MARKS_NAME
from addin.cdcs.template.guide import write_guide
from addin.cdcs.template.initiatives_sheet import write_initiatives
from addin.cdcs.template.layout import (
    FONT_NAME,
    FONT_SIZE,
    HEADER_SPELLING_COL,
    LIST_COLUMNS,
    LIST_NAMES,
    PARAM_LABEL_COL,
    PARAM_VALUE_COL,
    SHEET_FLAGS,
    SHEET_ORDER,
    SPECIAL_COL,
    SPELLING_FIRST_COL,
    SPELLING_NAMES,
    YES_NAME,
    abs_ref,
    header_spellings,
    nfc,
    params,
    quote_sheet,
)
from addin.cdcs.template.style import BORDER, DATE_FORMAT, Formats, Slot, doc_properties
from addin.cdcs.template.unit_sheet import write_unit
from addin.io.cells import column_letter, parse_ref
from validators import layout as L
from validators.campaign import Campaign
from validators.rules.table import (
    COMBINING_MARKS,
    INVISIBLE,
    SPACE_LIKE,
    RuleTable,
    rule_table,
)


def build_xlsx(campaign: Campaign) -> tuple[bytes, list[Slot]]:
    """The workbook for ``campaign`` with every per-unit cell left as a formatted blank."""
    buf = io.BytesIO()
    slots: list[Slot] = []
    table = rule_table(campaign)
    with warnings.catch_warnings():
        # XlsxWriter reports refused input (too-long messages, bad ranges) only as warnings: fail instead.
        warnings.simplefilter("error")
        wb = xlsxwriter.Workbook(
            buf,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_format_properties": {"font_name": FONT_NAME, "font_size": FONT_SIZE},
                # Metrics of Times New Roman 12 (8 px digits, 21 px rows), so column widths come out right.
                "default_column_width": 72,
                "default_row_height": 21,
            },
        )
        wb.set_properties(doc_properties(campaign))
        fmt = Formats(wb)
        sheets = {name: wb.add_worksheet(name) for name in SHEET_ORDER}
        write_lists(campaign, table, wb, sheets[L.SHEET_LISTS], fmt)
        write_guide(campaign, sheets[L.SHEET_GUIDE], fmt)
        write_unit(campaign, wb, sheets[L.SHEET_UNIT], fmt, slots)
        write_initiatives(campaign, sheets[L.SHEET_INITIATIVES], fmt)
        write_check(campaign, table, wb, sheets[L.SHEET_CHECK], fmt, slots)
        write_flags(table, sheets[SHEET_FLAGS], fmt, slots)
        highlight_inputs(table, sheets[L.SHEET_UNIT], sheets[L.SHEET_INITIATIVES], fmt)
        write_meta(campaign, wb, sheets[L.SHEET_META], fmt, slots)
        sheets[L.SHEET_GUIDE].activate()
        wb.close()
    return buf.getvalue(), slots


def write_lists(campaign: Campaign, table: RuleTable, wb, ws, fmt) -> None:
    head = fmt(bold=True, bg_color="#DDEBF7", **BORDER)
    lists = {"fields": campaign.fields, "blocs": campaign.blocs, "genders": campaign.genders, "yes_no": L.YES_NO}
    titles = {"fields": "Lĩnh vực", "blocs": "Khối", "genders": "Giới tính", "yes_no": "Có/Không"}
    for key, col in LIST_COLUMNS.items():
        ws.write_string(0, col, titles[key], head)
        for i, value in enumerate(lists[key]):
            ws.write_string(1 + i, col, nfc(value))
        c = column_letter(col + 1)
        wb.define_name(LIST_NAMES[key], f"={quote_sheet(L.SHEET_LISTS)}!${c}$2:${c}${1 + len(lists[key])}")
    wb.define_name(YES_NAME, f"={quote_sheet(L.SHEET_LISTS)}!$D${2 + L.YES_NO.index(L.YES)}")
    ws.write_string(0, PARAM_LABEL_COL, "Thông số của đợt thi đua (dùng trong kiểm tra, không sửa)", head)
    ws.write_string(0, PARAM_VALUE_COL, "Giá trị", head)
    date_fmt = fmt(num_format=DATE_FORMAT, align="left")
    for i, (name, label, value) in enumerate(params(campaign), start=1):
        ws.write_string(i, PARAM_LABEL_COL, nfc(label))
        if isinstance(value, _dt.date):
            ws.write_datetime(i, PARAM_VALUE_COL, _dt.datetime.combine(value, _dt.time()), date_fmt)
        else:
            ws.write_number(i, PARAM_VALUE_COL, value, fmt(align="left"))
        wb.define_name(name, f"={quote_sheet(L.SHEET_LISTS)}!{abs_ref(i + 1, PARAM_VALUE_COL + 1)}")
    write_spellings(table, wb, ws, head)
    ws.set_column(0, 0, 60)
    ws.set_column(1, 3, 20)
    ws.set_column(PARAM_LABEL_COL, PARAM_LABEL_COL, 55)
    ws.set_column(PARAM_VALUE_COL, PARAM_VALUE_COL, 14)
    ws.protect("", {"format_columns": True})
    ws.hide()


def write_spellings(table: RuleTable, wb, ws, head) -> None:
    """The characters the flags clean away, the combining marks they count out, and every list's spellings."""
    lists = quote_sheet(L.SHEET_LISTS)
    ws.write_string(0, SPECIAL_COL, "Ký tự coi như khoảng trắng / bỏ qua", head)
    for i, (name, ch) in enumerate(zip(INVISIBLE_NAMES, (*SPACE_LIKE, *INVISIBLE))):
        ws.write_string(1 + i, SPECIAL_COL, ch)
        wb.define_name(name, f"={lists}!{abs_ref(2 + i, SPECIAL_COL + 1)}")
    ws.write_string(0, SPECIAL_COL + 1, "Dấu tổ hợp (đếm ký tự)", head)
    for i, ch in enumerate(COMBINING_MARKS):
        ws.write_string(1 + i, SPECIAL_COL + 1, ch)
    c = column_letter(SPECIAL_COL + 2)
    wb.define_name(MARKS_NAME, f"={lists}!${c}$2:${c}${1 + len(COMBINING_MARKS)}")
    rules = {"yes_no": table.column("assessed"), "fields": table.column("field"), "blocs": table.column("bloc"),
             "genders": table.column("gender")}
    spellings = {key: sorted(rule.spellings) for key, rule in rules.items()}
    spellings["yes"] = sorted(k for k, v in rules["yes_no"].spellings.items() if v == L.YES)
    titles = {"yes_no": "Cách viết Có/Không", "yes": "Cách viết «Có»", "fields": "Cách viết Lĩnh vực",
              "blocs": "Cách viết Khối", "genders": "Cách viết Giới tính"}
    for j, key in enumerate(SPELLING_NAMES):
        col = SPELLING_FIRST_COL + j
        ws.write_string(0, col, titles[key], head)
        for i, s in enumerate(spellings[key]):
            ws.write_string(1 + i, col, s)
        c = column_letter(col + 1)
        wb.define_name(SPELLING_NAMES[key][1], f"={lists}!${c}$2:${c}${1 + len(spellings[key])}")
        ws.set_column(col, col, 24)
    ws.write_string(0, HEADER_SPELLING_COL, "Tiêu đề cột của bảng «Sáng kiến» (cách viết được nhận)", head)
    for i, f in enumerate(L.INITIATIVE_FIELDS):
        for k, spelling in enumerate(header_spellings(f.label)):
            ws.write_string(1 + i, HEADER_SPELLING_COL + k, spelling)
    ws.set_column(HEADER_SPELLING_COL, HEADER_SPELLING_COL + 2, 24)


def write_meta(campaign: Campaign, wb, ws, fmt, slots: list[Slot]) -> None:
    text = fmt(num_format="@")
    labels = {"template_version": "Phiên bản biểu mẫu", "campaign_id": "Đợt thi đua", "unit_code": "Mã đơn vị"}
    values = {"template_version": L.TEMPLATE_VERSION, "campaign_id": campaign.id}
    for key, ref in L.STAMP_CELLS.items():
        row, col = parse_ref(ref)
        ws.write_string(row - 1, col - 2, labels[key])
        if key == "unit_code":
            ws.write_blank(row - 1, col - 1, None, text)
            slots.append(Slot("stamp_unit_code", L.SHEET_META, ref, "text"))
        else:
            ws.write_string(row - 1, col - 1, values[key], text)
        wb.define_name(L.STAMP_NAMES[key], f"={quote_sheet(L.SHEET_META)}!{abs_ref(row, col)}")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 30)
    ws.protect("")
    # Very hidden: not listed in Excel's "Unhide" dialog, so the stamp is not changed by accident.
    ws.very_hidden()
