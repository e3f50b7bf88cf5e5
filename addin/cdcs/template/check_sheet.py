"""The «Kiểm tra» sheet: the checks laid out with counts, status and how to fix, and the overall conclusion.
"""

from __future__ import annotations

from addin.cdcs.template.checks import build_checks, nonempty, pristine_counts
from addin.cdcs.template.layout import (
    CHECK_COUNT_COL,
    CHECK_FIRST_ROW,
    CHECK_HEADER_ROW,
    CHECK_LAST_ROW,
    CHECK_ROWS,
    CHECK_STATUS_COL,
    CHECK_UNIT_LINE_ROW,
    OVERALL_OK,
    STATUS_FIX,
    STATUS_OK,
    abs_ref,
    column_range,
    nfc,
    unit_ref,
)
from addin.cdcs.template.style import BORDER, HEADER_BG, Slot, text_height, title_rows
from addin.io.cells import cell_ref, column_letter
from validators import layout as L
from validators.campaign import Campaign


def write_check(campaign: Campaign, ws, fmt, slots: list[Slot]) -> None:
    title_rows(ws, fmt, 4, "KIỂM TRA TRƯỚC KHI GỬI",
                "Trang này tự động kiểm tra dữ liệu đã nhập (không cần sửa gì ở đây). Chỉ gửi khi KẾT LUẬN là "
                f"«{OVERALL_OK}».", 36)
    unit_line_fmt = fmt(bold=True, align="center", valign="vcenter")
    unit_line = (
        f'IF(LEN(TRIM({unit_ref("MA_DON_VI")}))=0,"Đơn vị: (chưa có mã đơn vị)",'
        f'"Đơn vị: "&{unit_ref("TEN_DON_VI")}&" – mã "&{unit_ref("MA_DON_VI")})'
    )
    ws.merge_range(CHECK_UNIT_LINE_ROW - 1, 0, CHECK_UNIT_LINE_ROW - 1, 4, None, unit_line_fmt)
    slots.append(Slot("check_unit_line", L.SHEET_CHECK, cell_ref(CHECK_UNIT_LINE_ROW, 1), "string_formula",
                       unit_line))
    label = fmt(text_wrap=True, valign="vcenter", **BORDER)
    bold_label = fmt(bold=True, text_wrap=True, valign="vcenter", **BORDER)
    count_fmt = fmt(bold=True, align="center", valign="vcenter", num_format="#,##0", **BORDER)
    status_fmt = fmt(bold=True, align="center", valign="vcenter", **BORDER)
    fix_fmt = fmt(italic=True, font_size=11, font_color="#595959", text_wrap=True, valign="vcenter", **BORDER)
    center = fmt(align="center", valign="vcenter", **BORDER)
    c0, s0 = CHECK_COUNT_COL - 1, CHECK_STATUS_COL - 1
    counts = pristine_counts(campaign, {})  # static cells only: the unit-dependent ones are slots

    # Information line and the overall conclusion, above the table of checks.
    init_row = CHECK_ROWS["initiatives"] - 1
    ws.write_string(init_row, 1, "Số sáng kiến đã nhập (dòng có Tên sáng kiến)", bold_label)
    ws.write_formula(init_row, c0, f"=SUMPRODUCT({nonempty(column_range('title'))}*1)", count_fmt, 0)
    ws.merge_range(init_row, s0, init_row, s0 + 1,
                   f"Tối thiểu {campaign.rules.min_initiatives_per_unit:02d} sáng kiến/CĐCS", fix_fmt)
    total_row = CHECK_ROWS["total"] - 1
    ws.write_string(total_row, 1, "KẾT LUẬN (tổng số lỗi)", bold_label)
    total_formula = f"SUM({cell_ref(CHECK_FIRST_ROW, CHECK_COUNT_COL)}:{cell_ref(CHECK_LAST_ROW, CHECK_COUNT_COL)})"
    ws.write_blank(total_row, c0, None, count_fmt)
    slots.append(Slot("check_total", L.SHEET_CHECK, cell_ref(total_row + 1, CHECK_COUNT_COL), "number_formula",
                       total_formula))
    total_ref = cell_ref(total_row + 1, CHECK_COUNT_COL)
    overall = f'IF({total_ref}=0,"{OVERALL_OK}","Chưa đạt – còn "&{total_ref}&" lỗi")'
    ws.merge_range(total_row, s0, total_row, s0 + 1, None, status_fmt)
    slots.append(Slot("check_overall", L.SHEET_CHECK, cell_ref(total_row + 1, CHECK_STATUS_COL),
                       "string_formula", overall))
    ws.set_row(total_row, 26)

    head = fmt(bold=True, font_color="#FFFFFF", bg_color=HEADER_BG, align="center", valign="vcenter",
               text_wrap=True, **BORDER)
    for col, text in enumerate(("STT", "Nội dung kiểm tra", "Số lỗi", "Kết quả", "Cách sửa")):
        ws.write_string(CHECK_HEADER_ROW - 1, col, text, head)
    for i, check in enumerate(build_checks(campaign)):
        row0 = CHECK_ROWS[check.key] - 1
        assert row0 == CHECK_FIRST_ROW - 1 + i
        ws.write_number(row0, 0, i + 1, center)
        ws.write_string(row0, 1, nfc(check.label), label)
        status = f'IF({cell_ref(row0 + 1, CHECK_COUNT_COL)}=0,"{STATUS_OK}","{STATUS_FIX}")'
        if check.key == "unit_missing":
            ws.write_blank(row0, c0, None, count_fmt)
            ws.write_blank(row0, s0, None, status_fmt)
            slots.append(Slot("check_unit_missing", L.SHEET_CHECK, cell_ref(row0 + 1, CHECK_COUNT_COL),
                               "number_formula", check.formula))
            slots.append(Slot("check_unit_missing_status", L.SHEET_CHECK, cell_ref(row0 + 1, CHECK_STATUS_COL),
                               "string_formula", status))
        else:
            n = counts[check.key]
            ws.write_formula(row0, c0, "=" + check.formula, count_fmt, n)
            ws.write_formula(row0, s0, "=" + status, status_fmt, STATUS_OK if n == 0 else STATUS_FIX)
        fix = nfc(check.fix)
        ws.write_string(row0, 4, fix, fix_fmt)
        ws.set_row(row0, max(text_height(check.label, 50), text_height(fix, 52 * 1.1, 15), 21))

    green = fmt(bg_color="#C6EFCE", font_color="#006100")
    red = fmt(bg_color="#FFC7CE", font_color="#9C0006")
    count_letter, status_letter = column_letter(CHECK_COUNT_COL), column_letter(CHECK_STATUS_COL)
    status_range = f"{status_letter}{CHECK_FIRST_ROW}:{status_letter}{CHECK_LAST_ROW}"
    ws.conditional_format(status_range, {"type": "cell", "criteria": "==", "value": f'"{STATUS_OK}"',
                                         "format": green})
    ws.conditional_format(status_range, {"type": "cell", "criteria": "==", "value": f'"{STATUS_FIX}"',
                                         "format": red})
    count_range = f"{count_letter}{CHECK_FIRST_ROW}:{count_letter}{CHECK_LAST_ROW}"
    ws.conditional_format(count_range, {"type": "cell", "criteria": ">", "value": 0, "format": red})
    total_abs = abs_ref(total_row + 1, CHECK_COUNT_COL)
    overall_range = f"{count_letter}{total_row + 1}:{column_letter(CHECK_STATUS_COL + 1)}{total_row + 1}"
    ws.conditional_format(overall_range, {"type": "formula", "criteria": f"={total_abs}=0", "format": green})
    ws.conditional_format(overall_range, {"type": "formula", "criteria": f"={total_abs}>0", "format": red})
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 50)
    ws.set_column(2, 2, 9)
    ws.set_column(3, 3, 12)
    ws.set_column(4, 4, 52)
    ws.freeze_panes(CHECK_HEADER_ROW, 0)
    ws.set_tab_color("#C00000")
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&CTrang &P/&N")
    ws.protect("", {"format_columns": True, "format_rows": True})
