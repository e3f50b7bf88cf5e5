"""The «Kiểm tra» sheet: the overall conclusion (its error count is the contract's ``KIEM_TRA_SO_LOI``), then
one row per check with its errors, «Lưu ý», result, the first offending rows and how to fix.
"""

from __future__ import annotations

from addin.cdcs.template.checks import (
    build_checks,
    content_count,
    pristine_counts,
    status_formula,
)
from addin.cdcs.template.layout import (
    CHECK_COUNT_COL,
    CHECK_FIRST_ROW,
    CHECK_FIX_COL,
    CHECK_HEADER_ROW,
    CHECK_LAST_ROW,
    CHECK_ROWS,
    CHECK_STATUS_COL,
    CHECK_UNIT_LINE_ROW,
    CHECK_WARN_COL,
    CHECK_WHERE_COL,
    COUNT_NAME,
    OVERALL_OK,
    STATUS_FIX,
    STATUS_NOTE,
    STATUS_OK,
    abs_ref,
    nfc,
    quote_sheet,
    unit_ref,
)
from addin.cdcs.template.style import BORDER, HEADER_BG, Slot, text_height, title_rows
from addin.io.cells import cell_ref, column_letter
from validators import layout as L
from validators.campaign import Campaign
from validators.rules.table import RuleTable


def _range(col: int) -> str:
    return f"{cell_ref(CHECK_FIRST_ROW, col)}:{cell_ref(CHECK_LAST_ROW, col)}"


def write_check(campaign: Campaign, table: RuleTable, wb, ws, fmt, slots: list[Slot]) -> None:
    last = CHECK_FIX_COL - 1
    title_rows(ws, fmt, last, "KIỂM TRA TRƯỚC KHI GỬI",
               "Trang này tự động kiểm tra dữ liệu đã nhập (không cần sửa gì ở đây); ô sai được tô đỏ, ô cần lưu ý "
               f"tô vàng trên trang «Đơn vị» và «Sáng kiến». Chỉ gửi khi KẾT LUẬN là «{OVERALL_OK}».", 36)
    unit_line = (
        f'IF(LEN(TRIM({unit_ref("MA_DON_VI")}))=0,"Đơn vị: (chưa có mã đơn vị)",'
        f'"Đơn vị: "&{unit_ref("TEN_DON_VI")}&" – mã "&{unit_ref("MA_DON_VI")})'
    )
    ws.merge_range(CHECK_UNIT_LINE_ROW - 1, 0, CHECK_UNIT_LINE_ROW - 1, last, None,
                   fmt(bold=True, align="center", valign="vcenter"))
    slots.append(Slot("check_unit_line", L.SHEET_CHECK, cell_ref(CHECK_UNIT_LINE_ROW, 1), "string_formula", unit_line))
    label = fmt(text_wrap=True, valign="vcenter", **BORDER)
    bold_label = fmt(bold=True, text_wrap=True, valign="vcenter", **BORDER)
    count_fmt = fmt(bold=True, align="center", valign="vcenter", num_format="#,##0", **BORDER)
    status_fmt = fmt(bold=True, align="center", valign="vcenter", **BORDER)
    fix_fmt = fmt(italic=True, font_size=11, font_color="#595959", text_wrap=True, valign="vcenter", **BORDER)
    where_fmt = fmt(font_size=11, text_wrap=True, valign="vcenter", **BORDER)
    center = fmt(align="center", valign="vcenter", **BORDER)
    c0, w0, s0 = CHECK_COUNT_COL - 1, CHECK_WARN_COL - 1, CHECK_STATUS_COL - 1
    counts = pristine_counts(campaign, {})

    init_row = CHECK_ROWS["initiatives"] - 1
    ws.write_string(init_row, 1, "Số sáng kiến đã nhập", bold_label)
    ws.write_formula(init_row, c0, "=" + content_count(table), count_fmt, 0)
    ws.merge_range(init_row, w0, init_row, last,
                   f"Tối thiểu {campaign.rules.min_initiatives_per_unit:02d} sáng kiến/CĐCS", fix_fmt)
    total_row = CHECK_ROWS["total"] - 1
    total_ref = cell_ref(total_row + 1, CHECK_COUNT_COL)
    ws.write_string(total_row, 1, "KẾT LUẬN (số lỗi cần sửa)", bold_label)
    ws.write_blank(total_row, c0, None, count_fmt)
    slots.append(Slot("check_total", L.SHEET_CHECK, total_ref, "number_formula",
                      f"SUM({_range(CHECK_COUNT_COL)})"))
    wb.define_name(COUNT_NAME, f"={quote_sheet(L.SHEET_CHECK)}!{abs_ref(total_row + 1, CHECK_COUNT_COL)}")
    ws.merge_range(total_row, w0, total_row, last, None, status_fmt)
    slots.append(Slot("check_overall", L.SHEET_CHECK, cell_ref(total_row + 1, CHECK_WARN_COL), "string_formula",
                      f'IF({total_ref}=0,"{OVERALL_OK}","Chưa đạt – còn "&{total_ref}&" lỗi")'))
    ws.set_row(total_row, 26)
    warn_row = CHECK_ROWS["warnings"] - 1
    ws.write_string(warn_row, 1, "Số ô cần lưu ý (không phải lỗi; công đoàn cấp trên tự hiểu cách viết này)", label)
    ws.write_blank(warn_row, c0, None, count_fmt)
    slots.append(Slot("check_warnings", L.SHEET_CHECK, cell_ref(warn_row + 1, CHECK_COUNT_COL), "number_formula",
                      f"SUM({_range(CHECK_WARN_COL)})"))
    ws.merge_range(warn_row, w0, warn_row, last,
                   "Trang này không kiểm tra được: mã, tên đơn vị so với danh sách của cấp trên, sáng kiến trùng "
                   "với đơn vị khác. Công đoàn cấp trên sẽ kiểm tra khi nhận tệp.", fix_fmt)
    ws.set_row(warn_row, 36)

    head = fmt(bold=True, font_color="#FFFFFF", bg_color=HEADER_BG, align="center", valign="vcenter",
               text_wrap=True, **BORDER)
    for col, text in enumerate(("STT", "Nội dung kiểm tra", "Số lỗi", "Lưu ý", "Kết quả", "Vị trí", "Cách sửa")):
        ws.write_string(CHECK_HEADER_ROW - 1, col, text, head)
    for i, check in enumerate(build_checks(campaign, table)):
        row0 = CHECK_ROWS[check.key] - 1
        ws.write_number(row0, 0, i + 1, center)
        ws.write_string(row0, 1, nfc(check.label), label)
        status = status_formula(row0 + 1)
        if check.key == "unit":
            for col, kind, formula in ((c0, "number_formula", check.errors), (s0, "string_formula", status),
                                       (w0, "number_formula", check.warnings),
                                       (CHECK_WHERE_COL - 1, "string_formula", check.where)):
                ws.write_blank(row0, col, None, where_fmt if col == CHECK_WHERE_COL - 1 else
                               status_fmt if col == s0 else count_fmt)
                slots.append(Slot(f"check_unit_{col}", L.SHEET_CHECK, cell_ref(row0 + 1, col + 1), kind, formula))
        else:
            n = counts[check.key]
            ws.write_formula(row0, c0, "=" + check.errors, count_fmt, n)
            ws.write_formula(row0, w0, "=" + check.warnings, count_fmt, 0)
            ws.write_formula(row0, s0, "=" + status, status_fmt, STATUS_OK if n == 0 else STATUS_FIX)
            ws.write_formula(row0, CHECK_WHERE_COL - 1, "=" + check.where, where_fmt, "")
        fix = nfc(check.fix)
        ws.write_string(row0, CHECK_FIX_COL - 1, fix, fix_fmt)
        ws.set_row(row0, max(text_height(check.label, 40), text_height(fix, 48 * 1.1, 15), 21))

    green = fmt(bg_color="#C6EFCE", font_color="#006100")
    red = fmt(bg_color="#FFC7CE", font_color="#9C0006")
    yellow = fmt(bg_color="#FFEB9C", font_color="#9C5700")
    status_range = _range(CHECK_STATUS_COL)
    for value, style in ((STATUS_OK, green), (STATUS_FIX, red), (STATUS_NOTE, yellow)):
        ws.conditional_format(status_range, {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": style})
    ws.conditional_format(_range(CHECK_COUNT_COL), {"type": "cell", "criteria": ">", "value": 0, "format": red})
    ws.conditional_format(_range(CHECK_WARN_COL), {"type": "cell", "criteria": ">", "value": 0, "format": yellow})
    total_abs = abs_ref(total_row + 1, CHECK_COUNT_COL)
    overall_range = f"{column_letter(CHECK_COUNT_COL)}{total_row + 1}:{column_letter(last + 1)}{total_row + 1}"
    ws.conditional_format(overall_range, {"type": "formula", "criteria": f"={total_abs}=0", "format": green})
    ws.conditional_format(overall_range, {"type": "formula", "criteria": f"={total_abs}>0", "format": red})
    for col, width in enumerate((5, 40, 8, 8, 10, 22, 48)):
        ws.set_column(col, col, width)
    ws.freeze_panes(CHECK_HEADER_ROW, 0)
    ws.set_tab_color("#C00000")
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")
    ws.protect("", {"format_columns": True, "format_rows": True})
