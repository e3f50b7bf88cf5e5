"""The «Đơn vị» sheet: one labelled input cell per unit field, with its defined name, hint and data validation.
"""

from __future__ import annotations

from addin.cdcs.template.layout import (
    LIST_NAMES,
    TEXT_LIMITS,
    abs_ref,
    fmt_date,
    fmt_int,
    nfc,
    quote_sheet,
    unit_cell,
)
from addin.cdcs.template.style import (
    BORDER,
    DATE_FORMAT,
    HEADER_BG,
    INPUT_BG,
    LOCKED_BG,
    MONEY_FORMAT,
    Slot,
    add_validation,
    page_setup,
    text_height,
    title_rows,
)
from addin.io.cells import cell_ref
from validators import layout as L
from validators.campaign import Campaign
from validators.rules.table import PHONE_LENGTHS


def unit_hint(campaign: Campaign, f: L.Field) -> str:
    r, d = campaign.rules, campaign.deadlines
    if f.locked:
        return "Điền sẵn theo danh sách đơn vị, ô đã khoá."
    if f.name == "KHOI":
        return "Chọn " + " hoặc ".join(campaign.blocs) + " (đã điền sẵn nếu có trong danh sách đơn vị)."
    if f.name == "SO_DOAN_VIEN":
        return f"Số nguyên từ 1 đến {fmt_int(r.max_members_per_unit)}, ví dụ 45."
    if f.name == "NGAY_KY_KE_HOACH":
        return (f"dd/mm/yyyy, từ {fmt_date(d.campaign_start)} đến {fmt_date(r.application_end)}; "
                "bắt buộc nếu đã ký kế hoạch.")
    if f.name == "NGAY_GUI":
        return (f"dd/mm/yyyy, ngày gửi tệp cho công đoàn cấp trên (hạn: {fmt_date(d.cdcs_submission_default)}), "
                "không sau hôm nay.")
    if f.kind == L.Kind.YES_NO:
        return "Chọn Có hoặc Không."
    if f.kind == L.Kind.EMAIL:
        return "Không bắt buộc, ví dụ congdoan@example.vn."
    if f.name == "PHONG_TRAO_DAC_THU":
        return "Không bắt buộc; để trống nếu đơn vị chưa tổ chức phong trào thi đua đặc thù."
    if f.name == "NGUOI_LAP":
        return "Họ và tên người lập báo cáo."
    if f.kind == L.Kind.PHONE:
        return f"{' hoặc '.join(map(str, PHONE_LENGTHS))} chữ số, bắt đầu bằng 0, ví dụ 0912345678."
    return f.hint


def unit_validation(campaign: Campaign, f: L.Field) -> dict:
    r, d = campaign.rules, campaign.deadlines
    if f.locked:
        return {"validate": "any", "input_title": "Ô đã khoá",
                "input_message": "Thông tin điền sẵn theo danh sách đơn vị. Nếu sai, báo công đoàn cấp trên."}
    if f.kind == L.Kind.CHOICE:
        return {"validate": "list", "source": f"={LIST_NAMES[f.choices]}",
                "input_title": "Chọn trong danh sách",
                "input_message": "Bấm mũi tên ▼ và chọn: " + "; ".join(campaign.blocs) + ".",
                "error_title": "Giá trị không hợp lệ",
                "error_message": "Chỉ được chọn: " + "; ".join(campaign.blocs) + "."}
    if f.kind == L.Kind.YES_NO:
        return {"validate": "list", "source": f"={LIST_NAMES['yes_no']}",
                "input_title": "Chọn Có hoặc Không", "input_message": "Bấm mũi tên ▼ và chọn Có hoặc Không.",
                "error_title": "Giá trị không hợp lệ", "error_message": "Chỉ được chọn Có hoặc Không."}
    if f.kind == L.Kind.INT:
        return {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": "=DM_DOAN_VIEN_TOI_DA",
                "input_title": "Nhập số nguyên",
                "input_message": f"Số đoàn viên hiện có, từ 1 đến {fmt_int(r.max_members_per_unit)}.",
                "error_title": "Số không hợp lệ",
                "error_message": f"Nhập số nguyên từ 1 đến {fmt_int(r.max_members_per_unit)}, không kèm chữ."}
    if f.name == "NGAY_KY_KE_HOACH":
        window = f"từ {fmt_date(d.campaign_start)} đến {fmt_date(r.application_end)}"
        return {"validate": "date", "criteria": "between", "minimum": "=DM_BAT_DAU", "maximum": "=DM_AP_DUNG_DEN",
                "input_title": "Nhập ngày dd/mm/yyyy",
                "input_message": f"Ngày ký kế hoạch với thủ trưởng/người sử dụng lao động, {window}.",
                "error_title": "Ngày không hợp lệ",
                "error_message": f"Nhập ngày dạng dd/mm/yyyy {window}. Nếu máy báo lỗi với ngày đúng, "
                                 "nhập dạng 2021-03-15."}
    if f.kind == L.Kind.DATE:
        return {"validate": "date", "criteria": ">=", "value": "=DM_BAT_DAU",
                "input_title": "Nhập ngày dd/mm/yyyy",
                "input_message": f"Ngày gửi báo cáo, từ {fmt_date(d.campaign_start)} trở đi.",
                "error_title": "Ngày không hợp lệ",
                "error_message": f"Nhập ngày dạng dd/mm/yyyy, từ {fmt_date(d.campaign_start)} trở đi."}
    if f.kind == L.Kind.PHONE:
        return {"validate": "length", "criteria": "between", "minimum": "=DM_DT_TOI_THIEU",
                "maximum": "=DM_DT_TOI_DA", "input_title": "Số điện thoại",
                "input_message": "Nhập đủ các chữ số, kể cả số 0 ở đầu, ví dụ 0912345678.",
                "error_title": "Số điện thoại không hợp lệ",
                "error_message": f"Số điện thoại dài từ {TEXT_LIMITS['phone_min']} đến "
                                 f"{TEXT_LIMITS['phone_max']} ký tự."}
    if f.kind == L.Kind.EMAIL:
        c = unit_cell(f.name)
        return {"validate": "custom", "value": f'=AND(ISNUMBER(FIND("@",{c})),LEN({c})<=DM_EMAIL_TOI_DA)',
                "input_title": "Email (không bắt buộc)", "input_message": "Ví dụ: congdoan@example.vn.",
                "error_title": "Email không hợp lệ",
                "error_message": "Email phải có ký tự @, ví dụ congdoan@example.vn."}
    limit = "DM_PHONG_TRAO_TOI_DA" if f.name == "PHONG_TRAO_DAC_THU" else "DM_TEN_NGUOI_TOI_DA"
    n = TEXT_LIMITS["movement" if f.name == "PHONG_TRAO_DAC_THU" else "person_name"]
    return {"validate": "length", "criteria": "<=", "value": f"={limit}",
            "input_title": "Nhập văn bản", "input_message": unit_hint(campaign, f),
            "error_title": "Quá dài", "error_message": f"Tối đa {n} ký tự."}


def write_unit(campaign: Campaign, wb, ws, fmt, slots: list[Slot]) -> None:
    title_rows(ws, fmt, 3, "THÔNG TIN ĐƠN VỊ VÀ KẾT QUẢ TRIỂN KHAI CHƯƠNG TRÌNH",
                f"Chương trình “{campaign.name}” – năm {campaign.year}")
    head = fmt(bold=True, font_color="#FFFFFF", bg_color=HEADER_BG, align="center", valign="vcenter",
               text_wrap=True, **BORDER)
    header_row = L.UNIT_FIRST_ROW - 2  # 0-based row just above the first field
    for col, text in enumerate(("STT", "Nội dung", "Thông tin của đơn vị", "Hướng dẫn")):
        ws.write_string(header_row, col, text, head)
    ws.set_row(header_row, 24)
    label_fmt = fmt(text_wrap=True, valign="vcenter", **BORDER)
    label_req = fmt(text_wrap=True, valign="vcenter", bold=True, **BORDER)
    num_fmt = fmt(align="center", valign="vcenter", **BORDER)
    hint_fmt = fmt(italic=True, font_color="#595959", font_size=11, text_wrap=True, valign="vcenter", **BORDER)
    widths = {"label": 56, "value": 46, "hint": 42}
    for i, f in enumerate(L.UNIT_FIELDS):
        row0 = L.UNIT_FIRST_ROW - 1 + i
        col0 = L.UNIT_VALUE_COL - 1
        ws.write_number(row0, 0, i + 1, num_fmt)
        ws.write_string(row0, L.UNIT_LABEL_COL - 1, nfc(f.label + (" (*)" if f.required else "")),
                        label_req if f.required else label_fmt)
        hint = nfc(unit_hint(campaign, f))
        ws.write_string(row0, col0 + 1, hint, hint_fmt)
        props = dict(valign="vcenter", text_wrap=True, bg_color=LOCKED_BG if f.locked else INPUT_BG,
                     locked=f.locked, **BORDER)
        if f.kind == L.Kind.DATE:
            props.update(num_format=DATE_FORMAT, align="center")
        elif f.kind == L.Kind.INT:
            props.update(num_format=MONEY_FORMAT, align="center")
        elif f.kind == L.Kind.PHONE:
            props.update(num_format="@")
        elif f.kind in (L.Kind.YES_NO, L.Kind.CHOICE):
            props.update(align="center")
        cell_fmt = fmt(**props)
        ref = cell_ref(row0 + 1, col0 + 1)
        ws.write_blank(row0, col0, None, cell_fmt)
        if f.locked or f.name == "KHOI":
            slots.append(Slot(f.name, L.SHEET_UNIT, ref, "text"))
        wb.define_name(f.name, f"={quote_sheet(L.SHEET_UNIT)}!{abs_ref(row0 + 1, col0 + 1)}")
        add_validation(ws, row0, col0, row0, col0, unit_validation(campaign, f))
        # Rows cannot grow with the per-unit value (the template is shared): leave two lines for names.
        value_lines = 2 if f.name in ("TEN_DON_VI", "TEN_CAP_TREN", "PHONG_TRAO_DAC_THU") else 1
        ws.set_row(row0, max(text_height(f.label, widths["label"]), text_height(hint, widths["hint"] * 1.1),
                             value_lines * 15.75 + 3, 21))
    note_row = L.UNIT_FIRST_ROW - 1 + len(L.UNIT_FIELDS) + 1
    ws.merge_range(note_row, 0, note_row, 3,
                   "(*) Bắt buộc. Ô nền vàng: đơn vị nhập; ô nền xám: điền sẵn, đã khoá. Sau khi nhập, xem trang "
                   "«Kiểm tra».", fmt(italic=True, text_wrap=True, valign="top"))
    ws.set_row(note_row, 36)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, widths["label"])
    ws.set_column(2, 2, widths["value"])
    ws.set_column(3, 3, widths["hint"])
    ws.freeze_panes(header_row + 1, 0)
    ws.set_tab_color("#FFC000")
    page_setup(ws, [5, widths["label"], widths["value"], widths["hint"]], landscape=True,
               title_rows=(header_row, header_row))
    # No password: the sheet is protected against slips, a user who knows what he does can unprotect it.
    ws.protect("", {"format_columns": True, "format_rows": True})
