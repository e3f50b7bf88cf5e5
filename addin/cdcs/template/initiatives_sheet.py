"""The «Sáng kiến» sheet: the ``SangKien`` table of the contract, its column formats and data validations.
"""

from __future__ import annotations

from addin.cdcs.template.flags import MARKS_NAME
from addin.cdcs.template.layout import (
    DATA_FIRST_ROW,
    DATA_LAST_ROW,
    LIST_NAMES,
    TEXT_LIMITS,
    column_of,
    fmt_date,
    fmt_int,
    nfc,
)
from addin.cdcs.template.style import (
    DATE_FORMAT,
    MONEY_FORMAT,
    add_validation,
    ensure_ok,
    page_setup,
    title_rows,
)
from addin.io.cells import cell_ref
from validators import layout as L
from validators.campaign import Campaign


def initiative_format(fmt, f: L.Field):
    props = dict(valign="top")
    if f.kind == L.Kind.DATE:
        props.update(num_format=DATE_FORMAT, align="center")
    elif f.kind == L.Kind.MONEY:
        props.update(num_format=MONEY_FORMAT)
    elif f.kind in (L.Kind.YEAR, L.Kind.INT):
        props.update(num_format="0", align="center")
    elif f.kind == L.Kind.PHONE:
        # Text, so a leading 0 survives. Only here: a text-formatted cell in Excel shows "####" once it
        # holds more than 255 characters, which a description or a note easily does.
        props.update(num_format="@")
    elif f.kind in (L.Kind.YES_NO,):
        props.update(align="center")
    if f.kind in (L.Kind.TEXT, L.Kind.LONG_TEXT, L.Kind.CHOICE):
        props.update(text_wrap=True)
    return fmt(**props)


def initiative_validation(campaign: Campaign, f: L.Field) -> dict:
    r = campaign.rules
    y_min, y_max = campaign.author_birth_year_range
    title = f.label[:32]
    if f.kind == L.Kind.CHOICE or f.kind == L.Kind.YES_NO:
        values = L.YES_NO if f.kind == L.Kind.YES_NO else getattr(campaign, f.choices)
        name = LIST_NAMES["yes_no" if f.kind == L.Kind.YES_NO else f.choices]
        shown = "; ".join(values)
        prompt = "Bấm mũi tên ▼ và chọn: " + shown + "."
        if len(prompt) > 255:
            prompt = "Bấm mũi tên ▼ và chọn một giá trị trong danh sách."
        error = "Chỉ được chọn một giá trị trong danh sách: " + shown + "."
        if len(error) > 255:
            error = "Chỉ được chọn một giá trị trong danh sách thả xuống (bấm mũi tên ▼)."
        extra = {
            "nominated": " Chọn Có cho sáng kiến giới thiệu lên công đoàn cấp trên.",
            "disputed": " Có = đang có khiếu nại về nội dung, kết quả hoặc tranh chấp quyền tác giả.",
            "entered_tld": " Có = đã cập nhật vào phần mềm của Tổng Liên đoàn.",
            "assessed": " Có = đã được chuyên môn đánh giá, thẩm định.",
        }.get(f.key, "")
        return {"validate": "list", "source": f"={name}", "input_title": title,
                "input_message": (prompt + extra)[:255], "error_title": "Giá trị không hợp lệ",
                "error_message": error}
    if f.kind == L.Kind.LONG_TEXT:
        n = fmt_int(r.description_max_chars)
        return {"validate": "custom", "value": "=" + _nfc_within(f, "DM_GIOI_HAN_TOM_TAT"), "input_title": title,
                "input_message": f"Tóm tắt nội dung sáng kiến, tối đa {n} ký tự (giới hạn của phần mềm Tổng "
                                 "Liên đoàn). Có thể soạn trong Word rồi dán vào.",
                "error_title": "Tóm tắt quá dài",
                "error_message": f"Tóm tắt nội dung tối đa {n} ký tự. Hãy rút gọn rồi nhập lại."}
    if f.kind == L.Kind.DATE:
        window = f"từ {fmt_date(r.application_start)} đến {fmt_date(r.application_end)}"
        return {"validate": "date", "criteria": "between", "minimum": "=DM_AP_DUNG_TU",
                "maximum": "=DM_AP_DUNG_DEN", "input_title": title,
                "input_message": f"Ngày bắt đầu áp dụng thực tế, dạng dd/mm/yyyy, {window}.",
                "error_title": "Ngày không hợp lệ",
                "error_message": f"Nhập ngày dạng dd/mm/yyyy {window}. Nếu máy báo lỗi với ngày đúng, "
                                 "nhập dạng 2021-03-15."}
    if f.kind == L.Kind.YEAR:
        return {"validate": "integer", "criteria": "between", "minimum": "=DM_NAM_SINH_TU",
                "maximum": "=DM_NAM_SINH_DEN", "input_title": title,
                "input_message": f"Năm sinh của tác giả, 4 chữ số, từ {y_min} đến {y_max}.",
                "error_title": "Năm sinh không hợp lệ",
                "error_message": f"Nhập năm sinh 4 chữ số từ {y_min} đến {y_max}."}
    if f.kind == L.Kind.MONEY:
        return {"validate": "decimal", "criteria": ">=", "value": 0, "input_title": title,
                "input_message": "Số tiền làm lợi ước tính (đồng), chỉ nhập chữ số, ví dụ 1500000. "
                                 "Để trống nếu không tính được.",
                "error_title": "Số tiền không hợp lệ",
                "error_message": "Nhập số không âm, chỉ gồm chữ số, không kèm chữ «đồng»."}
    if f.kind == L.Kind.PHONE:
        return {"validate": "length", "criteria": "between", "minimum": "=DM_DT_TOI_THIEU",
                "maximum": "=DM_DT_TOI_DA", "input_title": title,
                "input_message": "Số điện thoại của tác giả (không bắt buộc), nhập đủ số 0 ở đầu.",
                "error_title": "Số điện thoại không hợp lệ",
                "error_message": f"Số điện thoại dài từ {TEXT_LIMITS['phone_min']} đến "
                                 f"{TEXT_LIMITS['phone_max']} ký tự."}
    if f.kind == L.Kind.INT:  # STT
        return {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": "=DM_SK_TOI_DA",
                "input_title": title, "input_message": "Số thứ tự của sáng kiến: 1, 2, 3…",
                "error_title": "Số thứ tự không hợp lệ",
                "error_message": f"Nhập số nguyên từ 1 đến {fmt_int(r.max_initiatives_per_unit)}."}
    limits = {
        "title": ("DM_GIOI_HAN_TEN", r.title_max_chars, "Tên sáng kiến, ngắn gọn, rõ nội dung."),
        "author": ("DM_TEN_NGUOI_TOI_DA", TEXT_LIMITS["person_name"], "Họ và tên tác giả chính."),
        "position": ("DM_CHUC_VU_TOI_DA", TEXT_LIMITS["position"], "Chức vụ hoặc nghề nghiệp của tác giả."),
        "coauthors": ("DM_DONG_TAC_GIA_TOI_DA", TEXT_LIMITS["coauthors"],
                      "Họ tên các đồng tác giả, cách nhau bởi dấu phẩy; để trống nếu không có."),
        "note": ("DM_GHI_CHU_TOI_DA", TEXT_LIMITS["note"], "Ghi chú thêm (không bắt buộc)."),
    }
    name, n, prompt = limits[f.key]
    if f.key == "title":  # a campaign limit: counted as the validator counts it (after NFC)
        return {"validate": "custom", "value": "=" + _nfc_within(f, name), "input_title": title,
                "input_message": f"{prompt} Tối đa {fmt_int(n)} ký tự.", "error_title": "Quá dài",
                "error_message": f"«{f.label}» tối đa {fmt_int(n)} ký tự."}
    return {"validate": "length", "criteria": "<=", "value": f"={name}", "input_title": title,
            "input_message": f"{prompt} Tối đa {fmt_int(n)} ký tự.", "error_title": "Quá dài",
            "error_message": f"«{f.label}» tối đa {fmt_int(n)} ký tự."}


def _nfc_within(f: L.Field, limit: str) -> str:
    """Data validation of a campaign length limit: characters after NFC (combining marks not counted), edge
    spaces trimmed; relative to the first validated cell of the column."""
    x = cell_ref(DATA_FIRST_ROW, column_of(f.key))
    return f'LEN(TRIM({x}))-SUMPRODUCT(LEN({x})-LEN(SUBSTITUTE({x},{MARKS_NAME},"")))<={limit}'


def write_initiatives(campaign: Campaign, ws, fmt) -> None:
    r = campaign.rules
    ncols = len(L.INITIATIVE_FIELDS)
    title_rows(  # over the columns of the first page across (to «Khối»), so that print does not cut it
        ws, fmt, 9, f"DANH SÁCH SÁNG KIẾN – CHƯƠNG TRÌNH “{campaign.name.upper()}”",
        "Mỗi dòng một sáng kiến. Các ô có mũi tên ▼: chọn trong danh sách. Tóm tắt nội dung tối đa "
        f"{fmt_int(r.description_max_chars)} ký tự; ngày bắt đầu áp dụng từ {fmt_date(r.application_start)} đến "
        f"{fmt_date(r.application_end)}. Không đổi tên, xoá hay chèn cột.", 36)
    header_fmt = fmt(bold=True, text_wrap=True, align="center", valign="vcenter")
    columns = []
    first0 = L.TABLE_HEADER_ROW - 1
    for c, f in enumerate(L.INITIATIVE_FIELDS):
        cell_fmt = initiative_format(fmt, f)
        columns.append({"header": nfc(f.label), "header_format": header_fmt, "format": cell_fmt})
        # Column format: rows typed below the prepared ones get the same number format in Excel/LibreOffice.
        ws.set_column(c, c, f.width, cell_fmt)
        # XlsxWriter applies a table column's format only to data it writes: write the blanks ourselves,
        # so the prepared rows carry it (and tools like openpyxl keep it when filling).
        for row0 in range(first0 + 1, first0 + 1 + L.TABLE_PREPARED_ROWS):
            ws.write_blank(row0, c, None, cell_fmt)
        add_validation(ws, DATA_FIRST_ROW - 1, c, DATA_LAST_ROW - 1, c, initiative_validation(campaign, f))
    ensure_ok(ws.add_table(first0, 0, first0 + L.TABLE_PREPARED_ROWS, ncols - 1, {
        "name": L.TABLE_NAME,
        "style": "Table Style Medium 2",
        "columns": columns,
        "autofilter": True,
    }), "the initiatives table")
    ws.set_row(first0, 48)
    ws.freeze_panes(L.TABLE_HEADER_ROW, 2)
    ws.set_tab_color("#4472C4")
    # 18 columns in the contract's order cannot fit one legible page width, and none can be left off paper
    # (a print area is one block of columns): two pages across at 8 pt, the STT on both (with the title too,
    # «Ghi chú» alone would spill onto a third page).
    page_setup(ws, [f.width for f in L.INITIATIVE_FIELDS], landscape=True, title_rows=(first0, first0),
               key_columns=1)
