"""Pools of plausible Vietnamese names for the sample data. Invented: no real person or unit is meant."""

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý", "Trịnh", "Đinh", "Lương", "Mai", "Tạ", "Cao"]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Xuân", "Thanh", "Công", "Đình", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Phương", "Bích", "Diệu"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phong", "Quân",
              "Sơn", "Thắng", "Toàn", "Tuấn", "Việt", "Vinh", "Đạt", "Hiếu", "Lộc", "Trung"]
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga",
                "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Vân", "Yến"]
# Names of the M'Nông, Ê Đê and other peoples of the Central Highlands, as they appear on staff lists.
HIGHLAND_MALE = ["Y Khu Knul", "Y Thịnh Niê", "Điểu Xuân", "Y Bhin Byă", "Điểu K'Rê"]
HIGHLAND_FEMALE = ["H'Bliu Niê", "H'Loan Mlô", "Thị Nga K'Long", "H'Nhi Byă", "Thị Hòa Điểu"]

COMMUNES = {
    "Gia Nghĩa": ["Nghĩa Đức", "Nghĩa Thành", "Nghĩa Phú", "Nghĩa Tân", "Nghĩa Trung", "Quảng Thành",
                  "Đắk Nia", "Đắk R'Moan"],
    "Cư Jút": ["Ea T'Ling", "Đắk Wil", "Ea Pô", "Nam Dong", "Đắk Drông", "Tâm Thắng", "Cư K'Nia", "Trúc Sơn"],
    "Đắk Mil": ["Đắk Mil", "Đắk Lao", "Đắk R'La", "Đắk Gằn", "Đức Mạnh", "Đắk N'Drót", "Long Sơn", "Đắk Sắk",
                "Thuận An", "Đức Minh"],
    "Đắk Song": ["Đức An", "Đắk Môl", "Đắk Hòa", "Nam Bình", "Thuận Hà", "Thuận Hạnh", "Đắk N'Drung",
                 "Nâm N'Jang", "Trường Xuân"],
    "Đắk R'Lấp": ["Kiến Đức", "Quảng Tín", "Đắk Wer", "Nhân Cơ", "Kiến Thành", "Nghĩa Thắng", "Đạo Nghĩa",
                  "Đắk Sin", "Hưng Bình", "Đắk Ru", "Nhân Đạo"],
    "Đắk Glong": ["Quảng Khê", "Đắk Plao", "Đắk Ha", "Đắk R'Măng", "Quảng Hòa", "Đắk Som", "Quảng Sơn"],
    "Krông Nô": ["Đắk Mâm", "Đắk Sôr", "Nam Xuân", "Đắk Drô", "Nam Đà", "Tân Thành", "Đắk Nang", "Đức Xuyên",
                 "Quảng Phú", "Nâm Nung", "Nâm N'Đir", "Buôn Choáh"],
    "Tuy Đức": ["Đắk Búk So", "Quảng Tâm", "Đắk R'Tíh", "Đắk Ngo", "Quảng Trực", "Quảng Tân"],
}

# Patterns of grassroots units by bloc; {c} is a commune, {p} a person's name, {w} a brand word.
SCHOOLS = ["Trường Mầm non {w}", "Trường Tiểu học {p}", "Trường THCS {p}", "Trường Mẫu giáo {w}",
           "Trường Tiểu học và THCS {p}"]
PUBLIC_BODIES = ["Trạm Y tế xã {c}", "UBND xã {c}", "Đảng ủy xã {c}", "Hội Nông dân xã {c}",
                 "Trường Mầm non xã {c}"]
DISTRICT_BODIES = ["Phòng Giáo dục và Đào tạo", "Phòng Tài chính - Kế hoạch", "Phòng Tài nguyên và Môi trường",
                   "Trung tâm Y tế", "Bảo hiểm xã hội", "Kho bạc Nhà nước", "Chi cục Thuế khu vực",
                   "Văn phòng HĐND và UBND", "Phòng Nông nghiệp và Phát triển nông thôn",
                   "Trung tâm Văn hóa - Thể thao", "Ban Quản lý dự án đầu tư xây dựng",
                   "Hạt Kiểm lâm", "Phòng Lao động - Thương binh và Xã hội"]
ENTERPRISES = ["Công ty TNHH {w}", "Công ty Cổ phần {w}", "Hợp tác xã Nông nghiệp {c}",
               "Công ty TNHH MTV Cà phê {w}", "Công ty Cổ phần Xây dựng {w}", "Chi nhánh Công ty Điện lực {w}",
               "Công ty TNHH Chế biến Nông sản {w}", "Công ty Lâm nghiệp {w}"]
BRAND = ["Hoa Sen", "Sao Mai", "Hướng Dương", "Phú Cường", "Thành Đạt", "Tân Phát", "Đại Thành", "Hưng Thịnh",
         "Nam Tây Nguyên", "Đắk Nông Xanh", "Bình Minh", "Trường Sơn", "Việt Tiến", "Phúc Lộc", "Hoàng Long",
         "Cao Nguyên", "Măng Non", "Họa Mi", "Sơn Ca", "Vành Khuyên", "Tuổi Thơ", "Hồng Phát", "Minh Phát"]
FAMOUS = ["Nguyễn Du", "Lê Quý Đôn", "Trần Phú", "Kim Đồng", "Lý Tự Trọng", "Chu Văn An", "Nguyễn Trãi",
          "Võ Thị Sáu", "Lê Lợi", "Phan Bội Châu", "Nguyễn Bỉnh Khiêm", "Trần Quốc Toản", "Hùng Vương",
          "N'Trang Lơng", "Nguyễn Tất Thành", "Lê Văn Tám", "Hoàng Văn Thụ", "Quang Trung"]
PROVINCE_SCHOOLS = ["Trường THPT {p}", "Trường Phổ thông Dân tộc nội trú {w}", "Trường THPT Chuyên Nguyễn Chí Thanh"]
HOSPITALS = ["Bệnh viện Đa khoa tỉnh", "Trung tâm Kiểm soát bệnh tật tỉnh", "Bệnh viện Y học cổ truyền",
             "Trạm Y tế {c}", "Phòng khám Đa khoa khu vực {c}", "Trung tâm Pháp y tỉnh", "Trung tâm Kiểm nghiệm thuốc, mỹ phẩm, thực phẩm",
             "Chi cục Dân số - Kế hoạch hóa gia đình", "Chi cục An toàn vệ sinh thực phẩm"]
PROVINCE_AGENCIES = ["Sở Tài chính", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Lao động - Thương binh và Xã hội",
                     "Sở Nông nghiệp và Phát triển nông thôn", "Sở Ngoại vụ", "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
                     "Thư viện tỉnh", "Bảo tàng tỉnh", "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch",
                     "Trung tâm Công nghệ thông tin và Truyền thông", "Ban Quản lý Công viên địa chất Đắk Nông",
                     "Chi cục Kiểm lâm", "Chi cục Thủy lợi", "Chi cục Chăn nuôi và Thú y",
                     "Chi cục Trồng trọt và Bảo vệ thực vật", "Trung tâm Phát triển quỹ đất",
                     "Văn phòng Đăng ký đất đai", "Trung tâm Dịch vụ việc làm", "Quỹ Bảo vệ và Phát triển rừng", "Sở Kế hoạch và Đầu tư", "Sở Tư pháp", "Sở Công Thương", "Sở Xây dựng",
                     "Sở Giao thông vận tải", "Sở Tài nguyên và Môi trường", "Sở Nội vụ", "Sở Khoa học và Công nghệ",
                     "Sở Văn hóa, Thể thao và Du lịch", "Sở Thông tin và Truyền thông", "Thanh tra tỉnh",
                     "Văn phòng UBND tỉnh", "Ban Dân tộc tỉnh", "Đài Phát thanh và Truyền hình tỉnh",
                     "Báo Đắk Nông", "Trường Chính trị tỉnh", "Quỹ Đầu tư phát triển tỉnh",
                     "Trung tâm Khuyến nông tỉnh", "Ban Quản lý các khu công nghiệp tỉnh"]
