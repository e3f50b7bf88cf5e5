"""The «Hướng dẫn» sheet: what the user reads first, written from the campaign's numbers so that the guide and
the checks never state different rules.
"""

from __future__ import annotations

from addin.cdcs.template.layout import (
    DATA_FIRST_ROW,
    OVERALL_OK,
    STATUS_FIX,
    STATUS_OK,
    fmt_date,
    fmt_int,
    nfc,
)
from addin.cdcs.template.style import HEADER_BG, page_setup, text_height, title_rows
from validators.campaign import Campaign
from validators.rules.table import PHONE_LENGTHS


def guide_text(campaign: Campaign) -> list[tuple[str, str]]:
    """(style, text) paragraphs of the instructions; style: h (heading), p (paragraph), b (bullet)."""
    r, d = campaign.rules, campaign.deadlines
    y_min, y_max = campaign.author_birth_year_range
    fields = [("b", f"{i}. {name}") for i, name in enumerate(campaign.fields, start=1)]
    blocs = " hoặc ".join(f"«{b}»" for b in campaign.blocs)
    return [
        ("h", "1. Biểu mẫu dùng để làm gì"),
        ("p", f"Công đoàn cơ sở (CĐCS) dùng biểu mẫu này để báo cáo công đoàn cấp trên trực tiếp cơ sở việc triển "
              f"khai Chương trình “{campaign.name}” và danh sách sáng kiến của đơn vị. Công đoàn cấp trên tổng hợp "
              f"các tệp gửi về và gửi hồ sơ đề xuất về {campaign.issuer}."),
        ("p", "Mỗi CĐCS nhận một tệp riêng, đã điền sẵn mã, tên đơn vị và công đoàn cấp trên. Không dùng tệp của "
              "đơn vị khác; không sao chép các trang tính sang tệp khác."),
        ("p", "Có thể mở bằng Microsoft Excel 2010 trở lên, LibreOffice Calc hoặc WPS Spreadsheets. Tệp không có "
              "macro, không cần cài thêm phần mềm."),
        ("h", "2. Các bước thực hiện"),
        ("b", "Bước 1 – Trang «Đơn vị»: nhập các ô nền vàng (thông tin người lập báo cáo và các cam kết triển khai "
              "Chương trình). Các ô nền xám đã điền sẵn và được khoá."),
        ("b", "Bước 2 – Trang «Sáng kiến»: mỗi sáng kiến nhập trên một dòng của bảng, bắt đầu từ dòng "
              f"{DATA_FIRST_ROW}. Bảng tự mở rộng khi nhập tiếp vào dòng ngay dưới bảng."),
        ("b", "Bước 3 – Trang «Kiểm tra»: xem kết quả kiểm tra tự động. Chỉ gửi khi dòng KẾT LUẬN hiện "
              f"«{OVERALL_OK}» (mọi dòng kiểm tra đều «{STATUS_OK}»); dòng nào «{STATUS_FIX}» thì sửa theo "
              "hướng dẫn ở cột «Cách sửa»."),
        ("b", f"Bước 4 – Lưu tệp (định dạng .xlsx) và gửi cho công đoàn cấp trên chậm nhất ngày "
              f"{fmt_date(d.cdcs_submission_default)}, hoặc theo thời hạn công đoàn cấp trên thông báo."),
        ("h", "3. Quy định của Chương trình"),
        ("p", f"Sáng kiến thuộc một trong {len(campaign.fields)} lĩnh vực (cột «Lĩnh vực», chọn đúng tên):"),
        *fields,
        ("b", f"Khối: {blocs}."),
        ("b", f"Tên sáng kiến tối đa {fmt_int(r.title_max_chars)} ký tự. Tóm tắt nội dung tối đa "
              f"{fmt_int(r.description_max_chars)} ký tự (giới hạn của phần mềm Tổng Liên đoàn); có thể soạn trong "
              "Word rồi dán vào ô."),
        ("b", "Sáng kiến có thể được nghiên cứu, đề xuất từ trước nhưng phải bắt đầu áp dụng thực tế trong thời "
              f"gian từ {fmt_date(r.application_start)} đến {fmt_date(r.application_end)} (cột «Ngày bắt đầu áp dụng»)."),
        ("b", f"Mỗi CĐCS có ít nhất {r.min_initiatives_per_unit:02d} sáng kiến. Năm sinh của tác giả từ {y_min} "
              f"đến {y_max}."),
        ("b", "Cột «Đề xuất cấp trên»: chọn «Có» cho sáng kiến xuất sắc, tiêu biểu giới thiệu lên công đoàn cấp "
              f"trên, không quá {r.default_cdcs_nomination_quota:02d} sáng kiến, trừ khi công đoàn cấp trên phân "
              "bổ số lượng khác."),
        ("b", "Không đề xuất sáng kiến đang có khiếu nại về nội dung, kết quả đã được công nhận hoặc có tranh "
              "chấp về quyền tác giả (cột «Khiếu nại, tranh chấp» = «Có»)."),
        ("b", f"Sáng kiến cần được cập nhật vào phần mềm của {campaign.issuer_parent}; thời gian cập nhật cao "
              f"điểm từ {fmt_date(d.entry_peak_start)} đến {fmt_date(d.entry_close)}, phần mềm tự động đóng khi hết ngày "
              f"{fmt_date(d.entry_close)}. Đã cập nhật thì chọn «Có» ở cột «Đã cập nhật phần mềm TLĐ»."),
        ("b", f"Công đoàn cấp trên gửi hồ sơ đề xuất về {campaign.issuer} trước ngày "
              f"{fmt_date(d.district_dossier_before)}, vì vậy cần gửi báo cáo đúng hạn."),
        ("h", "4. Cách nhập dữ liệu"),
        ("b", "Ô có danh sách chọn: bấm vào ô, bấm mũi tên ▼ bên phải và chọn một giá trị. Không gõ giá trị khác "
              "danh sách; nếu gõ sai, chương trình báo lỗi và yêu cầu nhập lại."),
        ("b", f"Ngày nhập theo dạng dd/mm/yyyy, ví dụ 15/03/{campaign.year}. Nếu nhập đúng mà vẫn bị báo lỗi (máy "
              "tính cài định dạng ngày kiểu tháng/ngày/năm), hãy nhập theo dạng năm-tháng-ngày, ví dụ "
              f"{campaign.year}-03-15."),
        ("b", "Số tiền và số lượng nhập bằng chữ số, không kèm chữ «đồng», ví dụ 1500000; bảng tự hiển thị "
              "1.500.000."),
        ("b", f"Số điện thoại: {' hoặc '.join(map(str, PHONE_LENGTHS))} chữ số, bắt đầu bằng 0, nhập đủ số 0 ở đầu "
              "(các ô này đã được định dạng kiểu văn bản); có thể viết cách bằng dấu cách, dấu chấm."),
        ("b", "Trang «Kiểm tra» tô đỏ ô sai và tô vàng ô «Lưu ý» trên trang «Đơn vị», «Sáng kiến», và ghi các dòng "
              "cần sửa. «Lưu ý» là cách viết công đoàn cấp trên vẫn đọc được (ví dụ «co», «1.500.000 đồng», ngày "
              f"gõ dạng chữ 15/03/{campaign.year}), không phải lỗi; nên sửa lại cho đúng mẫu."),
        ("b", "Số ký tự được đếm như phần mềm của Tổng Liên đoàn: chữ có dấu gõ kiểu tổ hợp (Unikey, bàn phím "
              "tiếng Việt của Windows) vẫn tính là một ký tự; khoảng trắng ở đầu, cuối ô không được tính."),
        ("b", "Khi dán (Paste) dữ liệu từ nơi khác, chương trình không kiểm tra ngay: hãy dùng «Dán giá trị» "
              "(Paste Special → Values) và xem lại trang «Kiểm tra»."),
        ("h", "5. Lưu ý quan trọng"),
        ("b", "Không đổi tên, xoá hoặc thêm trang tính; không đổi tên, xoá, chèn hay đổi thứ tự cột của bảng sáng "
              "kiến; không xoá dòng tiêu đề của bảng."),
        ("b", "Không sửa các ô đã khoá (mã, tên đơn vị, công đoàn cấp trên). Nếu thông tin đã điền sẵn bị sai, "
              "báo công đoàn cấp trên để được gửi lại biểu mẫu."),
        ("b", "Lưu tệp dạng Excel Workbook (.xlsx). Không lưu thành .xls, .ods, .csv hay PDF; không đặt mật khẩu "
              "mở tệp. Có thể đổi tên tệp nhưng nên giữ mã đơn vị ở đầu tên tệp."),
        ("b", "Trang «Kiểm tra» chỉ giúp đơn vị tự rà soát; công đoàn cấp trên sẽ kiểm tra lại toàn bộ khi nhận "
              "tệp và thông báo nếu cần bổ sung."),
    ]


def write_guide(campaign: Campaign, ws, fmt) -> None:
    width = 110
    title_rows(ws, fmt, 1, "HƯỚNG DẪN ĐIỀN BIỂU MẪU BÁO CÁO SÁNG KIẾN",
                f"Chương trình “{campaign.name}” – {campaign.issuer}", 36)
    styles = {
        "h": fmt(bold=True, font_color=HEADER_BG, valign="vcenter"),
        "p": fmt(text_wrap=True, valign="top"),
        "b": fmt(text_wrap=True, valign="top", indent=1),
    }
    row = 3
    for style, text in guide_text(campaign):
        text = nfc(text)
        ws.write_string(row, 1, text, styles[style])
        ws.set_row(row, 24 if style == "h" else text_height(text, width - (4 if style == "b" else 0)))
        row += 1
    ws.set_column(0, 0, 3)
    ws.set_column(1, 1, width)
    ws.hide_gridlines(2)
    ws.set_tab_color("#70AD47")
    page_setup(ws, [3, width], landscape=False)
    ws.protect("", {"format_columns": True, "format_rows": True})
