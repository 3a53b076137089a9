"""Realistic Vietnamese ward-document text for benchmarks (deterministic per seed)."""

from __future__ import annotations

import random

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Đức", "Thu", "Kim", "Hoàng"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hạnh", "Hoa", "Hùng", "Lan", "Linh", "Mai", "Nam",
         "Nhung", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Đạt"]
WARDS = ["Bến Nghé", "Đa Kao", "Tân Định", "Bến Thành", "Cầu Ông Lãnh", "Phạm Ngũ Lão",
         "Nguyễn Thái Bình", "Cô Giang", "Cầu Kho", "Sài Gòn", "Tân Hưng", "Bình Thạnh"]
STREETS = ["Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Điện Biên Phủ", "Võ Văn Tần",
           "Nam Kỳ Khởi Nghĩa", "Trần Hưng Đạo", "Cách Mạng Tháng Tám", "Pasteur"]
TYPES = [("QUYẾT ĐỊNH", "QĐ"), ("KẾ HOẠCH", "KH"), ("TỜ TRÌNH", "TTr"), ("THÔNG BÁO", "TB"),
         ("BÁO CÁO", "BC"), ("GIẤY MỜI", "GM"), ("BIÊN BẢN", "BB")]
SUBJECTS = [
    "Về việc cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Về việc xử phạt vi phạm hành chính trong lĩnh vực trật tự đô thị",
    "Về việc công nhận hộ gia đình văn hóa năm",
    "Về việc thành lập tổ công tác kiểm tra an toàn thực phẩm",
    "Về việc hỗ trợ hộ nghèo, hộ cận nghèo trên địa bàn phường",
    "Về việc chỉnh lý biến động đất đai",
    "Về việc tổ chức ngày hội đại đoàn kết toàn dân tộc",
    "Về việc đăng ký thường trú, tạm trú của công dân",
]
SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Xét đề nghị của Trưởng Công an phường và Công chức Địa chính - Xây dựng;",
    "Giao Văn phòng Ủy ban nhân dân phường phối hợp với các đơn vị có liên quan triển khai thực hiện.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Chánh Văn phòng, Trưởng Ban Quản lý khu phố và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành.",
    "Thời gian thực hiện từ ngày ký đến hết ngày 31 tháng 12 năm nay.",
    "Kinh phí thực hiện từ nguồn ngân sách phường được phân bổ theo quy định.",
    "Đề nghị các tổ dân phố tuyên truyền, vận động nhân dân chấp hành nghiêm các quy định.",
    "Báo cáo kết quả về Ủy ban nhân dân phường trước ngày 15 hàng tháng để tổng hợp.",
]


def name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def cccd(rng: random.Random) -> str:
    return f"079{rng.choice('0123')}{rng.randint(0, 99):02d}{rng.randint(0, 999999):06d}"


def document(rng: random.Random, pages: int) -> tuple[dict[str, str], list[str]]:
    """Metadata and the OCR text of each page of one plausible ward document."""
    type_line, abbr = rng.choice(TYPES)
    ward = rng.choice(WARDS)
    number = rng.randint(1, 999)
    year = rng.randint(1995, 2025)
    subject = rng.choice(SUBJECTS)
    meta = {"type_name": type_line.capitalize(), "code_number": str(number),
            "code_notation": f"{abbr}-UBND", "issued_date": f"{year}-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}", "organ_name": f"Ủy ban nhân dân phường {ward}",
            "subject": subject, "signer_position": "Chủ tịch", "signer_name": name(rng)}
    texts = []
    for page in range(pages):
        lines = []
        if page == 0:
            lines += [f"ỦY BAN NHÂN DÂN PHƯỜNG {ward.upper()}", f"Số: {number}/{abbr}-UBND",
                      f"Phường {ward}, ngày {meta['issued_date'][8:]} tháng "
                      f"{meta['issued_date'][5:7]} năm {year}", type_line, subject]
        for _ in range(rng.randint(10, 16)):
            sentence = rng.choice(SENTENCES)
            if rng.random() < 0.3:
                sentence += (f" Ông/bà {name(rng)}, CCCD số {cccd(rng)}, thường trú tại số "
                             f"{rng.randint(1, 300)} đường {rng.choice(STREETS)}.")
            lines.append(sentence)
        texts.append("\n".join(lines))
    return meta, texts
