"""Fill a generated CĐCS workbook the way a user would (openpyxl: open, type values, save under a new name),
and invent valid, realistic answers for it. Used by the tests, the demo and the benchmarks.

All people, units and initiatives produced here are invented SAMPLE data.
"""

from __future__ import annotations

import datetime as _dt
import random
from copy import copy
from pathlib import Path

import openpyxl

from addin.io.atomic import atomic_path
from addin.registry import Cdcs
from addin.sample.registry import DN as ENTERPRISE_BLOC, person, phone
from validators import layout as L
from validators.campaign import Campaign

_LABEL = {f.key: f.label for f in L.INITIATIVE_FIELDS}


# ------------------------------------------------------------------------------------------------------------
# Filling a workbook
# ------------------------------------------------------------------------------------------------------------
class FillError(ValueError):
    """The workbook is not a CĐCS template, or a name / column asked for does not exist."""


def fill_workbook(
    template_path: str | Path,
    out_path: str | Path,
    unit: dict[str, object],
    rows: list[dict[str, object]],
) -> Path:
    """Write ``unit`` (defined name -> value) and ``rows`` (table header label -> value, one dict per
    initiative, written from the first data row down) into a copy of ``template_path`` saved at ``out_path``.

    Values are written as given (dates, numbers, text, or deliberately wrong values), like a user typing or
    pasting, so data validation does not stop them. Rows past the prepared ones extend the table, with the
    cell formats of the last prepared row, as Excel does when a user types just below a table.
    """
    wb = openpyxl.load_workbook(template_path)
    for name, value in unit.items():
        defined = wb.defined_names.get(name)
        if defined is None:
            raise FillError(f"no defined name {name!r} in {template_path}")
        destinations = list(defined.destinations)
        if len(destinations) != 1:
            raise FillError(f"defined name {name!r} does not point to one cell")
        sheet, coord = destinations[0]
        wb[sheet][coord.replace("$", "")].value = value

    ws = wb[L.SHEET_INITIATIVES]
    if L.TABLE_NAME not in ws.tables:
        raise FillError(f"no table {L.TABLE_NAME!r} on sheet {L.SHEET_INITIATIVES!r}")
    table = ws.tables[L.TABLE_NAME]
    min_col, header_row, max_col, last_row = openpyxl.utils.cell.range_boundaries(table.ref)
    columns = {ws.cell(header_row, c).value: c for c in range(min_col, max_col + 1)}
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise FillError(f"unknown column(s) {sorted(unknown)}; the table has {list(columns)}")
    new_last = max(last_row, header_row + len(rows))
    if new_last != last_row:
        # Style first: openpyxl gives a date typed into an unstyled cell its own yyyy-mm-dd format.
        for r in range(last_row + 1, new_last + 1):
            for c in range(min_col, max_col + 1):
                ws.cell(r, c)._style = copy(ws.cell(last_row, c)._style)
        letter = openpyxl.utils.get_column_letter
        ref = f"{letter(min_col)}{header_row}:{letter(max_col)}{new_last}"
        table.ref = ref
        if table.autoFilter is not None:
            table.autoFilter.ref = ref
    for i, row in enumerate(rows):
        for label, value in row.items():
            ws.cell(header_row + 1 + i, columns[label]).value = value
    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        wb.save(tmp)
    return out_path


# ------------------------------------------------------------------------------------------------------------
# Invented, valid answers
# ------------------------------------------------------------------------------------------------------------
# Five themes, matching the five fields of the 2021 campaign in order. Another campaign's field i uses theme
# i mod 5: the texts stay plausible and the field value is always one the campaign accepts.
_THEME_TITLES: tuple[tuple[str, ...], ...] = (
    (  # production with high benefit
        "Cải tiến hệ thống sấy cà phê bằng lò đốt trấu tiết kiệm nhiên liệu",
        "Lắp bộ biến tần cho động cơ bơm nước tưới, giảm điện năng tiêu thụ",
        "Thay băng tải thủ công bằng băng tải con lăn tại khâu đóng bao",
        "Cải tiến khuôn ép gạch không nung, tăng năng suất ca làm việc",
        "Tận dụng nhiệt thải lò hơi để gia nhiệt nước cấp",
        "Bố trí lại dây chuyền sơ chế hạt điều, giảm thời gian chờ giữa các công đoạn",
        "Chế tạo máy tách vỏ mắc ca bán tự động",
        "Cải tiến quy trình bảo dưỡng định kỳ máy xúc, giảm thời gian dừng máy",
        "Sử dụng cảm biến độ ẩm để điều khiển thời gian sấy hạt tiêu",
        "Gia công lại trục vít tải bị mòn thay vì mua mới",
        "Cải tiến bộ phận cấp liệu máy nghiền đá, chống kẹt vật liệu",
        "Ứng dụng phần mềm quản lý kho vật tư, giảm tồn kho chậm luân chuyển",
        "Thu hồi nước ngưng để tái sử dụng cho lò hơi",
        "Lắp tụ bù công suất phản kháng cho trạm biến áp nhà máy",
        "Cải tiến cách xếp hàng trên xe tải, tăng khối lượng vận chuyển mỗi chuyến",
        "Chuyển đèn chiếu sáng nhà xưởng sang đèn LED kết hợp cảm biến chuyển động",
        "Cải tiến máy rửa cà phê tươi, giảm lượng nước sử dụng",
        "Tự chế đồ gá hàn kết cấu thép, giảm sai số lắp ráp",
        "Tối ưu lịch chạy máy nén khí theo phụ tải thực tế",
        "Phục hồi bánh răng hộp số bằng phương pháp hàn đắp",
        "Sắp xếp lại tuyến thu gom mủ cao su, rút ngắn quãng đường vận chuyển",
        "Cải tiến vòi phun thuốc bảo vệ thực vật, giảm lượng thuốc sử dụng",
    ),
    (  # new product
        "Sản xuất phân hữu cơ vi sinh từ vỏ cà phê",
        "Chế biến cà phê rang xay đóng gói mang thương hiệu địa phương",
        "Sản xuất trà mãng cầu sấy khô từ nông sản của hợp tác xã",
        "Phát triển sản phẩm bơ sấy giòn từ bơ quả loại hai",
        "Chế tạo bếp đun cải tiến dùng củi tiết kiệm cho hộ gia đình",
        "Sản xuất gạch lát sân từ xỉ than và phế thải xây dựng",
        "Chế biến mắc ca tẩm vị đóng hộp",
        "Sản xuất than sinh học từ lõi ngô và vỏ điều",
        "Làm nước rửa tay sát khuẩn từ nguyên liệu thảo dược",
        "Phát triển mật ong rừng đóng chai có truy xuất nguồn gốc",
        "Sản xuất chậu trồng cây từ mụn dừa và xơ cà phê",
        "Chế tạo máy gieo hạt cầm tay cho vườn ươm",
        "Sản xuất tinh dầu sả chanh bằng nồi chưng cất tự chế",
        "Thiết kế bộ đồ dùng dạy học bằng vật liệu tái chế",
        "Chế biến măng le rừng đóng túi hút chân không",
        "Sản xuất giá thể trồng rau từ phân trùn quế",
        "Phát triển dòng sản phẩm cà phê túi lọc tiện dụng",
        "Chế tạo thiết bị cảnh báo mực nước tràn cho bể chứa",
        "Sản xuất ván ép từ phế phẩm gỗ rừng trồng",
        "Chế biến bột sắn dây nguyên chất đóng gói",
    ),
    (  # occupational safety and health, environment
        "Lắp che chắn an toàn cho các bộ truyền động hở tại phân xưởng",
        "Xây dựng hệ thống thu gom, xử lý nước thải sơ chế cà phê",
        "Lắp quạt hút bụi cục bộ tại khu vực nghiền, sàng",
        "Thiết kế biển báo nguy hiểm song ngữ Việt – M'Nông tại công trường",
        "Cải tiến giá kệ chứa hóa chất, chống đổ vỡ và rò rỉ",
        "Lắp hệ thống báo cháy tự động cho kho nguyên liệu",
        "Thay thế dung môi độc hại bằng dung môi gốc nước trong khâu sơn",
        "Phân loại rác thải tại nguồn ở khu nhà ăn và văn phòng",
        "Thiết kế lan can, dây cứu sinh cho công việc trên mái nhà xưởng",
        "Xây dựng quy trình khóa – treo thẻ khi sửa chữa thiết bị điện",
        "Trồng cây xanh cách ly quanh khu vực lò sấy",
        "Cải tiến bao che máy cưa, giảm tiếng ồn tại xưởng gỗ",
        "Lắp đặt vòi rửa mắt khẩn cấp tại khu pha chế hóa chất",
        "Tổ chức mạng lưới an toàn, vệ sinh viên theo từng tổ sản xuất",
        "Ủ phân compost từ rác hữu cơ của bếp ăn tập thể",
        "Làm mái che nắng, giảm nhiệt độ khu vực làm việc ngoài trời",
        "Thay bóng đèn sợi đốt bằng đèn tiết kiệm năng lượng tại trường học",
        "Xây dựng bể lắng thu hồi bùn từ khu rửa xe, máy",
        "Gắn cảm biến khí gas rò rỉ tại bếp ăn",
        "Lập bản đồ rủi ro an toàn lao động cho từng vị trí việc làm",
    ),
    (  # administrative reform, party and political system, management
        "Ứng dụng mã QR tra cứu tiến độ giải quyết hồ sơ hành chính",
        "Số hóa hồ sơ hộ tịch lưu trữ tại bộ phận một cửa",
        "Xây dựng quy trình tiếp nhận văn bản đến qua phần mềm quản lý văn bản",
        "Lập nhóm Zalo hướng dẫn người dân chuẩn bị hồ sơ trước khi đến nộp",
        "Chuẩn hóa biểu mẫu báo cáo thống kê định kỳ của đơn vị",
        "Áp dụng chữ ký số trong ban hành văn bản nội bộ",
        "Xây dựng bảng chấm điểm thi đua công khai hằng tháng",
        "Sắp xếp lại kho lưu trữ hồ sơ theo danh mục điện tử",
        "Tổ chức sinh hoạt chi bộ chuyên đề theo hình thức trực tuyến kết hợp",
        "Lập sổ tay hướng dẫn nghiệp vụ cho công chức mới tuyển dụng",
        "Ứng dụng bảng tính dùng chung để theo dõi tiến độ công việc được giao",
        "Rút gọn quy trình thanh toán công tác phí bằng chứng từ điện tử",
        "Triển khai lịch tiếp công dân công khai trên trang thông tin điện tử",
        "Xây dựng kho dữ liệu đoàn viên công đoàn trên máy tính",
        "Đổi mới cách lấy ý kiến đoàn viên bằng phiếu khảo sát trực tuyến",
        "Lập quy trình phối hợp giải quyết đơn thư giữa các bộ phận",
        "Tự động hóa tổng hợp báo cáo tuần bằng biểu mẫu trực tuyến",
        "Xây dựng bộ câu hỏi thường gặp về thủ tục đất đai",
        "Tổ chức họp giao ban không giấy tờ",
        "Áp dụng phần mềm quản lý tài sản công tại đơn vị",
    ),
    (  # for the community: health, education
        "Thiết kế góc học tập STEM từ vật liệu tái chế cho học sinh tiểu học",
        "Tổ chức lớp học tiếng Việt cho trẻ em dân tộc thiểu số trước khi vào lớp 1",
        "Xây dựng thư viện xanh ngoài trời cho học sinh",
        "Ứng dụng tin nhắn nhắc lịch tiêm chủng cho phụ huynh",
        "Tổ chức khám sàng lọc bệnh không lây nhiễm cho người cao tuổi tại thôn, bon",
        "Biên soạn tài liệu giáo dục giới tính phù hợp lứa tuổi học sinh THCS",
        "Lập tủ thuốc cộng đồng tại nhà văn hóa thôn",
        "Dạy bơi an toàn cho học sinh mùa hè",
        "Xây dựng mô hình bữa ăn bán trú đủ chất cho học sinh vùng khó khăn",
        "Thiết kế bài giảng điện tử dùng chung cho tổ chuyên môn",
        "Tư vấn dinh dưỡng cho bà mẹ mang thai qua nhóm trực tuyến",
        "Tổ chức câu lạc bộ đọc sách cho học sinh nội trú",
        "Sắp xếp quy trình tiếp đón bệnh nhân, giảm thời gian chờ khám",
        "Ứng dụng phần mềm quản lý hồ sơ sức khỏe học sinh",
        "Hướng dẫn sơ cấp cứu ban đầu cho giáo viên và nhân viên nhà trường",
        "Xây dựng vườn rau trong trường làm nơi học tập trải nghiệm",
        "Tổ chức tủ sách dùng chung cho con em đoàn viên",
        "Làm mô hình trực quan dạy học môn Khoa học tự nhiên",
        "Lập điểm tư vấn tâm lý học đường",
        "Triển khai khám bệnh lưu động cho người dân vùng sâu, vùng xa",
    ),
)

_THEME_PROBLEMS: tuple[tuple[str, ...], ...] = (
    (
        "Trước đây khâu này làm thủ công, tốn nhiều nhân lực và thường xuyên phải dừng máy.",
        "Chi phí nhiên liệu và điện năng chiếm tỷ trọng lớn trong giá thành sản phẩm.",
        "Thiết bị cũ hoạt động kém hiệu quả, hao hụt nguyên liệu cao vào mùa vụ.",
        "Năng suất lao động của tổ sản xuất thấp hơn kế hoạch do thời gian chờ giữa các công đoạn kéo dài.",
    ),
    (
        "Nguồn phụ phẩm nông nghiệp tại địa phương rất lớn nhưng chưa được tận dụng, chủ yếu bỏ đi hoặc đốt.",
        "Sản phẩm của đơn vị chủ yếu bán ở dạng thô nên giá trị thấp, phụ thuộc thương lái.",
        "Thị trường có nhu cầu về sản phẩm sạch, có nguồn gốc rõ ràng nhưng địa phương chưa có sản phẩm phù hợp.",
        "Đơn vị phải mua sản phẩm tương tự từ nơi khác với giá cao, chất lượng không ổn định.",
    ),
    (
        "Khu vực làm việc tiềm ẩn nguy cơ tai nạn lao động, đã xảy ra một số sự cố nhỏ.",
        "Bụi, tiếng ồn và nhiệt độ cao ảnh hưởng đến sức khỏe người lao động.",
        "Chất thải chưa được thu gom, xử lý đúng quy định, gây ô nhiễm môi trường xung quanh.",
        "Người lao động chưa có thói quen nhận diện mối nguy trước khi làm việc.",
    ),
    (
        "Thời gian giải quyết hồ sơ còn kéo dài, người dân phải đi lại nhiều lần.",
        "Việc tổng hợp, báo cáo làm thủ công trên giấy, dễ sai sót và mất nhiều thời gian.",
        "Hồ sơ lưu trữ nhiều, sắp xếp chưa khoa học nên tra cứu khó khăn.",
        "Việc theo dõi, đánh giá kết quả công việc của cán bộ, công chức chưa cụ thể, thiếu công khai.",
    ),
    (
        "Nhiều học sinh, người dân ở vùng sâu, vùng xa còn thiếu điều kiện tiếp cận dịch vụ y tế, giáo dục.",
        "Học sinh dân tộc thiểu số gặp khó khăn về tiếng Việt, ảnh hưởng đến kết quả học tập.",
        "Tỷ lệ người dân được tư vấn, chăm sóc sức khỏe ban đầu tại cơ sở còn thấp.",
        "Đồ dùng dạy học còn thiếu, chưa đáp ứng yêu cầu của chương trình giáo dục phổ thông mới.",
    ),
)

_THEME_METHODS: tuple[tuple[str, ...], ...] = (
    (
        "Tổ kỹ thuật khảo sát hiện trạng, đo đạc thông số vận hành và đề xuất phương án cải tiến.",
        "Thiết bị được chế tạo, lắp đặt bằng vật tư sẵn có tại đơn vị, thử nghiệm trong một tháng trước khi áp dụng chính thức.",
        "Quy trình vận hành mới được ban hành và tập huấn cho toàn bộ công nhân trực tiếp sản xuất.",
        "Kết quả được theo dõi hằng ngày bằng sổ nhật ký vận hành và so sánh với cùng kỳ năm trước.",
    ),
    (
        "Nhóm tác giả nghiên cứu công thức, thử nghiệm nhiều mẻ nhỏ để chọn quy trình phù hợp.",
        "Sản phẩm được kiểm nghiệm chất lượng tại cơ quan chuyên môn và thiết kế bao bì, nhãn mác.",
        "Đơn vị phối hợp với hợp tác xã để bảo đảm nguồn nguyên liệu ổn định.",
        "Sản phẩm được giới thiệu tại hội chợ nông sản và trên các kênh bán hàng trực tuyến.",
    ),
    (
        "Ban chấp hành công đoàn phối hợp với bộ phận an toàn khảo sát, đánh giá rủi ro từng vị trí.",
        "Giải pháp được thiết kế đơn giản, dễ thi công, sử dụng vật liệu sẵn có tại địa phương.",
        "Người lao động được hướng dẫn, huấn luyện và ký cam kết thực hiện quy định mới.",
        "Mạng lưới an toàn, vệ sinh viên kiểm tra định kỳ và báo cáo hằng tháng.",
    ),
    (
        "Bộ phận chuyên môn rà soát toàn bộ quy trình, loại bỏ các bước trùng lặp, không cần thiết.",
        "Giải pháp sử dụng các phần mềm miễn phí, dễ dùng, không phát sinh chi phí đầu tư lớn.",
        "Cán bộ, công chức được tập huấn và có hướng dẫn bằng hình ảnh dán tại nơi làm việc.",
        "Kết quả được công khai để người dân và đoàn viên cùng theo dõi, góp ý.",
    ),
    (
        "Nhà trường, trạm y tế phối hợp với thôn, bon và chi hội phụ huynh tổ chức thực hiện.",
        "Tài liệu được biên soạn ngắn gọn, nhiều hình ảnh, phù hợp với người đọc ở địa phương.",
        "Hoạt động được tổ chức định kỳ hằng tuần, có sổ theo dõi và đánh giá sau mỗi tháng.",
        "Đoàn viên công đoàn tham gia đóng góp ngày công và vật liệu để triển khai.",
    ),
)

_THEME_RESULTS: tuple[tuple[str, ...], ...] = (
    (
        "Sau {m} tháng áp dụng, năng suất tăng khoảng {p}%, chi phí sản xuất giảm rõ rệt.",
        "Giá trị làm lợi ước tính khoảng {v} triệu đồng mỗi năm.",
        "Thời gian dừng máy giảm {p}%, người lao động bớt vất vả hơn.",
    ),
    (
        "Sản phẩm đã có {k} đơn đặt hàng, mang lại thu nhập thêm cho người lao động.",
        "Doanh thu từ sản phẩm mới ước đạt {v} triệu đồng trong năm đầu.",
        "Sản phẩm được khách hàng đánh giá cao, dự kiến mở rộng sản xuất.",
    ),
    (
        "Từ khi áp dụng, đơn vị không để xảy ra tai nạn lao động tại khu vực này.",
        "Nồng độ bụi và tiếng ồn giảm xuống dưới mức cho phép, môi trường làm việc cải thiện rõ.",
        "Lượng chất thải phải xử lý giảm khoảng {p}%, cảnh quan sạch đẹp hơn.",
    ),
    (
        "Thời gian giải quyết hồ sơ rút ngắn khoảng {p}%, người dân hài lòng hơn.",
        "Mỗi tháng tiết kiệm khoảng {k} giờ làm việc và nhiều giấy tờ in ấn.",
        "Việc tra cứu, tổng hợp nhanh, chính xác; sai sót trong báo cáo giảm hẳn.",
    ),
    (
        "Đã có hơn {k} học sinh, người dân được hưởng lợi từ giải pháp.",
        "Tỷ lệ học sinh đạt yêu cầu tăng {p}% so với năm học trước.",
        "Mô hình được địa phương đánh giá cao và đề nghị nhân rộng.",
    ),
)

_CLOSING = (
    "Giải pháp dễ áp dụng, có thể nhân rộng tại các đơn vị có điều kiện tương tự.",
    "Chi phí thực hiện thấp, phù hợp với điều kiện của đơn vị.",
    "Sáng kiến đã được hội đồng khoa học của đơn vị đánh giá, công nhận.",
    "Đơn vị tiếp tục hoàn thiện và đề xuất áp dụng rộng rãi trong thời gian tới.",
)

_POSITIONS_DN = ("Công nhân vận hành máy", "Tổ trưởng sản xuất", "Kỹ sư cơ khí", "Kỹ thuật viên điện",
                 "Nhân viên kỹ thuật", "Quản đốc phân xưởng", "Nhân viên kiểm tra chất lượng", "Kế toán",
                 "Công nhân chế biến", "Thủ kho", "Trưởng phòng kỹ thuật", "Công nhân cơ khí")
_POSITIONS_HCSN = ("Giáo viên", "Phó Hiệu trưởng", "Kế toán", "Chuyên viên", "Bác sĩ", "Điều dưỡng", "Y sĩ",
                   "Văn thư", "Công chức địa chính", "Công chức tư pháp – hộ tịch", "Nhân viên thiết bị",
                   "Tổ trưởng chuyên môn", "Nhân viên y tế học đường")
_MOVEMENTS = ("Thi đua lao động giỏi, lao động sáng tạo", "Dạy tốt – học tốt",
              "Xanh – sạch – đẹp, bảo đảm an toàn, vệ sinh lao động", "Năng suất – chất lượng – hiệu quả",
              "Cải cách hành chính, hướng tới sự hài lòng của người dân", "Giỏi việc nước, đảm việc nhà",
              "Lương y như từ mẫu", "Đổi mới, sáng tạo trong dạy và học")
_NOTES = ("Đã áp dụng tại đơn vị", "Có thể nhân rộng", "Có hồ sơ kèm theo", "Đã báo cáo Ban Giám đốc")

# Theme weights by bloc: enterprises mostly produce, agencies and schools mostly reform and serve.
_WEIGHTS_ENTERPRISE = (0.35, 0.25, 0.25, 0.1, 0.05)
_WEIGHTS_PUBLIC = (0.03, 0.07, 0.2, 0.35, 0.35)


def _between(rng: random.Random, start: _dt.date, end: _dt.date) -> _dt.date:
    if end <= start:
        return start
    return start + _dt.timedelta(days=rng.randint(0, (end - start).days))


def _is_enterprise(bloc: str) -> bool:
    return bloc == ENTERPRISE_BLOC


def _bloc(campaign: Campaign, cdcs: Cdcs, rng: random.Random) -> str:
    return cdcs.bloc if cdcs.bloc in campaign.blocs else rng.choice(campaign.blocs)


def _gender(campaign: Campaign, gender: str, rng: random.Random) -> str:
    return gender if gender in campaign.genders else rng.choice(campaign.genders)


def valid_unit_answers(campaign: Campaign, cdcs: Cdcs, rng: random.Random) -> dict[str, object]:
    """Answers for every unlocked cell of ``Đơn vị`` (defined name -> value) that pass every check."""
    r, d = campaign.rules, campaign.deadlines
    members = cdcs.members if cdcs.members and 1 <= cdcs.members <= r.max_members_per_unit else None
    signed = _between(rng, d.campaign_start, min(r.application_end, d.cdcs_submission_default))
    sent = _between(rng, signed, max(signed, d.cdcs_submission_default))
    answers: dict[str, object] = {
        "KHOI": _bloc(campaign, cdcs, rng),
        "SO_DOAN_VIEN": members or rng.randint(1, min(300, r.max_members_per_unit)),
        "NGUOI_LAP": cdcs.contact or person(rng)[0],
        "DIEN_THOAI": cdcs.phone or phone(rng),
        "EMAIL": cdcs.email or f"congdoan.{cdcs.code.lower()}@example.vn",
        "DA_TUYEN_TRUYEN": L.YES,
        "DA_KY_KE_HOACH": L.YES,
        "NGAY_KY_KE_HOACH": signed,
        "KH_CO_MUC_TIEU": L.YES,
        "KH_CO_KHEN_THUONG": L.YES,
        "PHONG_TRAO_DAC_THU": rng.choice(_MOVEMENTS),
        "NGAY_GUI": sent,
    }
    assert set(answers) == {f.name for f in L.UNIT_FIELDS if not f.locked}
    return answers


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _description(theme: int, title: str, rng: random.Random, limit: int) -> str:
    def fill(s: str) -> str:
        return s.format(m=rng.randint(1, 4), p=rng.randint(10, 45), v=rng.randint(15, 600), k=rng.randint(12, 400))

    methods = rng.sample(_THEME_METHODS[theme], k=rng.randint(1, len(_THEME_METHODS[theme])))
    results = rng.sample(_THEME_RESULTS[theme], k=rng.randint(1, len(_THEME_RESULTS[theme])))
    parts = [
        rng.choice(_THEME_PROBLEMS[theme]),
        f"Giải pháp: {_lower_first(title)}.",
        *methods,
        "Kết quả: " + _lower_first(" ".join(fill(s) for s in results)),
    ]
    if rng.random() < 0.6:
        parts.append(rng.choice(_CLOSING))
    cap = min(900, limit)
    while len(" ".join(parts)) > cap and len(parts) > 3:
        parts.pop(2)  # drop a method sentence first: problem, solution and result always stay
    text = " ".join(parts)
    for extra in _CLOSING:
        if len(text) >= 200:
            break
        if extra not in text and len(text) + 1 + len(extra) <= cap:
            text = f"{text} {extra}"
    return text[:cap]


def valid_initiative(campaign: Campaign, cdcs: Cdcs, rng: random.Random, *, number: int | None = None,
                     nominated: bool = False) -> dict[str, object]:
    """One initiative row (table header label -> value) that passes every check of ``campaign``."""
    r = campaign.rules
    bloc = _bloc(campaign, cdcs, rng)
    enterprise = _is_enterprise(bloc)
    theme = rng.choices(range(len(_THEME_TITLES)), _WEIGHTS_ENTERPRISE if enterprise else _WEIGHTS_PUBLIC)[0]
    field = campaign.fields[theme % len(campaign.fields)]
    title = rng.choice(_THEME_TITLES[theme])[: r.title_max_chars]
    author, gender = person(rng)
    y_min, y_max = campaign.author_birth_year_range
    birth = min(max(campaign.year - rng.randint(22, 58), y_min), y_max)
    coauthors = ", ".join(person(rng)[0] for _ in range(rng.choice((0, 0, 1, 1, 2, 3))))
    benefit: int | None = None
    if theme in (0, 1) or rng.random() < 0.15:
        benefit = rng.randint(5, 900) * 1_000_000 if theme in (0, 1) else rng.randint(1, 50) * 500_000
    row = {
        "stt": number,
        "title": title,
        "author": author,
        "birth_year": birth,
        "gender": _gender(campaign, gender, rng),
        "position": rng.choice(_POSITIONS_DN if enterprise else _POSITIONS_HCSN),
        "phone": phone(rng),
        "coauthors": coauthors or None,
        "field": field,
        "bloc": bloc,
        "description": _description(theme, title, rng, r.description_max_chars),
        "applied_on": _between(rng, r.application_start, r.application_end),
        "benefit": benefit,
        "assessed": L.YES if rng.random() < 0.85 else L.NO,
        "entered_tld": L.YES if rng.random() < 0.8 else L.NO,
        "nominated": L.YES if nominated else L.NO,
        "disputed": L.NO,
        "note": rng.choice(_NOTES) if rng.random() < 0.3 else None,
    }
    return {_LABEL[k]: v for k, v in row.items()}


def sample_initiatives(campaign: Campaign, cdcs: Cdcs, rng: random.Random, n: int) -> list[dict[str, object]]:
    """``n`` valid initiatives numbered 1..n; as many nominated as the default quota allows."""
    quota = campaign.rules.default_cdcs_nomination_quota
    return [valid_initiative(campaign, cdcs, rng, number=i + 1, nominated=i < quota) for i in range(n)]
