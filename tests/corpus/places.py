"""Names of places and people for the realistic corpus (data only, no logic).

Sources, transcribed by hand (subsets, not complete gazetteers):

- ``HCMC_WARDS_2025``, ``HCMC_COMMUNES_2025``: commune-level units of Ho Chi
  Minh City from 1 July 2025, Nghị quyết 1685/NQ-UBTVQH15 of 16 June 2025
  (sắp xếp các đơn vị hành chính cấp xã của Thành phố Hồ Chí Minh năm 2025),
  which also merged Bình Dương and Bà Rịa - Vũng Tàu into the city.
- ``HCMC_DISTRICTS_OLD`` and ``HCMC_OLD_WARDS``: districts and some wards of the
  city before 2025 (Quận 2, 9 and Thủ Đức became Thành phố Thủ Đức in 2021,
  Nghị quyết 1111/NQ-UBTVQH14).
- ``PROVINCES_2025``: the 34 provinces and cities of Nghị quyết 202/2025/QH15;
  ``PROVINCES_1990S``: provinces that existed in the 1990s and were split in
  1996-1997 (Nghị quyết of the Quốc hội khóa IX, kỳ họp 10).
- ``SURNAMES``, ``MIDDLE_*``, ``GIVEN_*``: the most frequent Vietnamese
  surnames and common middle and given names.
"""

from __future__ import annotations

HCMC_WARDS_2025: tuple[str, ...] = (
    "Sài Gòn", "Tân Định", "Bến Thành", "Cầu Ông Lãnh", "Bàn Cờ", "Xuân Hòa", "Nhiêu Lộc",
    "Xóm Chiếu", "Khánh Hội", "Vĩnh Hội", "Chợ Quán", "An Đông", "Chợ Lớn", "Bình Tây",
    "Bình Tiên", "Bình Phú", "Phú Lâm", "Tân Thuận", "Phú Thuận", "Tân Mỹ", "Tân Hưng",
    "Chánh Hưng", "Phú Định", "Bình Đông", "Diên Hồng", "Vườn Lài", "Hòa Hưng", "Minh Phụng",
    "Bình Thới", "Hòa Bình", "Phú Thọ", "Đông Hưng Thuận", "Trung Mỹ Tây", "Tân Thới Hiệp",
    "Thới An", "An Phú Đông", "An Lạc", "Tân Tạo", "Bình Tân", "Bình Trị Đông",
    "Bình Hưng Hòa", "Gia Định", "Bình Thạnh", "Bình Lợi Trung", "Thạnh Mỹ Tây", "Bình Quới",
    "Hạnh Thông", "An Nhơn", "Gò Vấp", "An Hội Đông", "Thông Tây Hội", "An Hội Tây",
    "Đức Nhuận", "Cầu Kiệu", "Phú Nhuận", "Tân Sơn Hòa", "Tân Sơn Nhất", "Tân Hòa", "Bảy Hiền",
    "Tân Bình", "Tân Sơn", "Tây Thạnh", "Tân Sơn Nhì", "Phú Thọ Hòa", "Tân Phú", "Phú Thạnh",
    "Hiệp Bình", "Thủ Đức", "Tam Bình", "Linh Xuân", "Tăng Nhơn Phú", "Long Bình",
    "Long Phước", "Long Trường", "Cát Lái", "Bình Trưng", "Phước Long", "An Khánh",
    "Thủ Dầu Một", "Phú Lợi", "Chánh Hiệp", "Dĩ An", "Đông Hòa", "Tân Đông Hiệp", "Thuận An",
    "Thuận Giao", "Lái Thiêu", "Bến Cát", "Tân Uyên", "Vũng Tàu", "Tam Thắng", "Rạch Dừa",
    "Phước Thắng", "Bà Rịa", "Long Hương", "Phú Mỹ",
)
HCMC_COMMUNES_2025: tuple[str, ...] = (
    "Vĩnh Lộc", "Tân Vĩnh Lộc", "Bình Lợi", "Tân Nhựt", "Bình Chánh", "Hưng Long",
    "Bình Hưng", "Bình Khánh", "An Thới Đông", "Cần Giờ", "Củ Chi", "Tân An Hội", "Thái Mỹ",
    "An Nhơn Tây", "Nhuận Đức", "Phú Hòa Đông", "Bình Mỹ", "Đông Thạnh", "Hóc Môn",
    "Xuân Thới Sơn", "Bà Điểm", "Nhà Bè", "Hiệp Phước", "Thạnh An",
)
# Person-named units print "Phường …" in the date line (NĐ 30 Phụ lục I); none of the
# 2025 names above are, the old ones below sometimes are.
HCMC_DISTRICTS_OLD: tuple[str, ...] = (
    "Quận 1", "Quận 3", "Quận 4", "Quận 5", "Quận 6", "Quận 7", "Quận 8", "Quận 10",
    "Quận 11", "Quận 12", "Quận Bình Thạnh", "Quận Gò Vấp", "Quận Phú Nhuận", "Quận Tân Bình",
    "Quận Tân Phú", "Quận Bình Tân", "Huyện Củ Chi", "Huyện Hóc Môn", "Huyện Bình Chánh",
    "Huyện Nhà Bè", "Huyện Cần Giờ",
)
# (ward, district) before 2025; numbered wards are real ("Phường 12, Quận 10").
HCMC_OLD_WARDS: tuple[tuple[str, str], ...] = (
    ("Bến Nghé", "Quận 1"), ("Đa Kao", "Quận 1"), ("Tân Định", "Quận 1"),
    ("Bến Thành", "Quận 1"), ("Cầu Kho", "Quận 1"), ("Võ Thị Sáu", "Quận 3"),
    ("Phường 9", "Quận 3"), ("Phường 14", "Quận 3"), ("Phường 12", "Quận 10"),
    ("Phường 6", "Quận 8"), ("Tân Thuận Đông", "Quận 7"), ("Tân Phong", "Quận 7"),
    ("Phường 11", "Quận Bình Thạnh"), ("Phường 25", "Quận Bình Thạnh"),
    ("Phường 17", "Quận Gò Vấp"), ("Phường 7", "Quận Phú Nhuận"),
    ("Phường 2", "Quận Tân Bình"), ("Tân Sơn Nhì", "Quận Tân Phú"),
    ("Bình Trị Đông A", "Quận Bình Tân"), ("Thảo Điền", "Thành phố Thủ Đức"),
    ("Linh Trung", "Thành phố Thủ Đức"), ("Hiệp Bình Chánh", "Thành phố Thủ Đức"),
)
PROVINCES_2025: tuple[str, ...] = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh",
    "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)
PROVINCES_1990S: tuple[str, ...] = (
    "Sông Bé", "Minh Hải", "Quảng Nam - Đà Nẵng", "Hà Bắc", "Hải Hưng", "Nam Hà", "Vĩnh Phú",
    "Bắc Thái", "Đồng Nai", "Long An", "Tiền Giang", "Bến Tre", "Cửu Long", "Tây Ninh",
)
SURNAMES: tuple[str, ...] = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai", "Tạ", "Châu", "Quách", "Thái",
    "Cao", "Tôn", "Lưu", "Từ", "La", "Kiều",
)
MIDDLE_MALE: tuple[str, ...] = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Hoàng",
                                "Tấn", "Trọng", "Xuân", "Đình", "Ngọc", "Phước")
MIDDLE_FEMALE: tuple[str, ...] = ("Thị", "Ngọc", "Thanh", "Thu", "Thị Kim", "Mỹ", "Bảo",
                                  "Thị Ngọc", "Thị Thu", "Hồng", "Thùy", "Phương")
GIVEN_MALE: tuple[str, ...] = (
    "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quang",
    "Sơn", "Thành", "Trung", "Tuấn", "Việt", "Đạt", "Lộc", "Nghĩa", "Hiếu", "Tùng", "Khoa",
    "Thắng", "Vinh", "Toàn", "Huy", "Lực", "Châu", "Hưng", "Trí",
)
GIVEN_FEMALE: tuple[str, ...] = (
    "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Tâm", "Thảo",
    "Trang", "Vân", "Yến", "Ánh", "Diệp", "Nhung", "Thủy", "Trâm", "Uyên", "Bình", "Xuân",
    "Loan", "Quyên", "Tuyết", "Hằng", "Oanh", "Duyên",
)
