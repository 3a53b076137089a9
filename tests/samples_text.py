"""Sample administrative documents (NĐ 30/2020 layout) as OCR text, with ground truth.

Each sample is rendered the way ``pdftotext -layout`` or a column-aware OCR
would give it: agency block and national motto side by side, "Số:" beside the
place and date, centred type line and summary, and the recipients list beside
the signature block. :func:`degrade` then turns a sample into what a cheaper
OCR pass gives: columns merged into one line, long lines wrapped, dropped or
wrong diacritics ("S6:", "QUYÉT", "ngảy"), spaces around "/" and "-", and a
few random letters wrong. It is seeded, so every run sees the same text.

Names, numbers and identity numbers are invented.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
LEFT_W = 40
RIGHT_AT = 44
RIGHT_W = 46
PAGE_W = 90


@dataclass(frozen=True)
class Spec:
    """The parts of a document, from which its text is rendered."""

    organ: tuple[str, ...]
    code: str
    place_date: str
    type_line: str | None
    subject: tuple[str, ...]
    body: tuple[str, ...]
    receivers: tuple[str, ...]
    sign: tuple[str, ...]
    name: str
    signed_mark: bool = True
    left_sign: tuple[str, ...] = ()  # a second signature on the left (biên bản)
    left_name: str = ""


@dataclass(frozen=True)
class Sample:
    """A rendered document and the metadata it must yield."""

    name: str
    text: str
    expected: dict[str, str]
    citizen_ids: tuple[str, ...] = field(default=())


def _row(left: str, right: str) -> str:
    return (left.center(LEFT_W).ljust(RIGHT_AT) + right.center(RIGHT_W)).rstrip()


def _header(spec: Spec) -> list[str]:
    organ = list(spec.organ)
    rows = [_row(organ[0], MOTTO[0]), _row(organ[1] if len(organ) > 1 else "", MOTTO[1])]
    rows += [_row(line, "") for line in organ[2:]]
    rows.append(_row("-" * 12, "-" * 26))
    rows.append(_row(spec.code, spec.place_date))
    if spec.type_line is None:  # công văn: the summary sits under the number
        rows += [_row(line, "") for line in spec.subject]
    rows.append("")
    if spec.type_line is not None:
        rows.append(spec.type_line.center(PAGE_W).rstrip())
        rows += [line.center(PAGE_W).rstrip() for line in spec.subject]
        rows.append(("-" * 14).center(PAGE_W).rstrip())
        rows.append("")
    return rows


def _signature(spec: Spec) -> list[str]:
    right = [*spec.sign, "(Đã ký)" if spec.signed_mark else "", "", "", spec.name]
    if spec.left_sign:
        left = [*spec.left_sign, "", "", "", spec.left_name]
        return ["", *(_row(a, b) for a, b in zip(left, right, strict=True))]
    left_col = list(spec.receivers) + [""] * max(0, len(right) - len(spec.receivers))
    right += [""] * (len(left_col) - len(right))
    rows = zip(left_col, right, strict=True)
    return ["", *((a.ljust(RIGHT_AT) + b.center(RIGHT_W)).rstrip() for a, b in rows)]


def render(spec: Spec) -> str:
    """The document as laid-out text."""
    return "\n".join([*_header(spec), *spec.body, *_signature(spec)]) + "\n"


def _sample(name: str, spec: Spec, expected: dict[str, str], ids: tuple[str, ...] = ()) -> Sample:
    return Sample(name, render(spec), expected, ids)


_RECEIVERS = ("Nơi nhận:", "- Như Điều 3;", "- UBND Quận 1 (để b/c);", "- Lưu: VT, VP.")

SAMPLES: tuple[Sample, ...] = (
    _sample(
        "quyet_dinh_phuong",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "PHƯỜNG BẾN NGHÉ"),
            code="Số: 12/QĐ-UBND",
            place_date="Phường Bến Nghé, ngày 05 tháng 3 năm 2024",
            type_line="QUYẾT ĐỊNH",
            subject=("Về việc công nhận Tổ hòa giải khu phố 3",),
            body=(
                "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ".center(PAGE_W).rstrip(),
                "",
                "    Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                "    Căn cứ Luật Hòa giải ở cơ sở ngày 20 tháng 6 năm 2013;",
                "    Xét đề nghị của Công chức Tư pháp - Hộ tịch phường Bến Nghé,",
                "",
                "QUYẾT ĐỊNH:".center(PAGE_W).rstrip(),
                "",
                "    Điều 1. Công nhận Tổ hòa giải khu phố 3 gồm các ông (bà) có tên sau đây:",
                "    - Ông Lê Văn Tám, sinh năm 1985, CCCD số 079 085 001 234, Tổ trưởng;",
                "    - Bà Nguyễn Thị Hoa, sinh năm 1990, CCCD số 079190002468, Tổ viên.",
                "    Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
                "    Điều 3. Chánh Văn phòng Ủy ban nhân dân phường, Công chức Tư pháp - Hộ tịch và"
                " các cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
            ),
            receivers=_RECEIVERS,
            sign=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
            name="Nguyễn Văn An",
        ),
        {
            "organ_name": "Ủy ban nhân dân phường Bến Nghé",
            "code_number": "12",
            "code_notation": "QĐ-UBND",
            "issued_date": "2024-03-05",
            "type_name": "Quyết định",
            "subject": "Về việc công nhận Tổ hòa giải khu phố 3",
            "signer_position": "Chủ tịch",
            "signer_authority": "TM. Ủy ban nhân dân",
            "signer_name": "Nguyễn Văn An",
        },
        ("079085001234", "079190002468"),
    ),
    _sample(
        "quyet_dinh_qppl_thanh_pho",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"),
            code="Số: 45/2024/QĐ-UBND",
            place_date="Thành phố Hồ Chí Minh, ngày 15 tháng 10 năm 2024",
            type_line="QUYẾT ĐỊNH",
            subject=(
                "Ban hành Quy định về quản lý, sử dụng một phần hè phố",
                "ngoài mục đích giao thông trên địa bàn Thành phố Hồ Chí Minh",
            ),
            body=(
                "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH".center(PAGE_W).rstrip(),
                "",
                "    Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                "    Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015;",
                "    Theo đề nghị của Giám đốc Sở Giao thông vận tải tại Tờ trình"
                " số 1520/TTr-SGTVT.",
                "",
                "QUYẾT ĐỊNH:".center(PAGE_W).rstrip(),
                "",
                "    Điều 1. Ban hành kèm theo Quyết định này Quy định về quản lý, sử dụng"
                " một phần hè phố ngoài mục đích giao thông.",
                "    Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày 25 tháng 10 năm 2024.",
            ),
            receivers=("Nơi nhận:", "- Như Điều 3;", "- Bộ Tư pháp (Cục KTVB);", "- Lưu: VT, ĐT."),
            sign=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            name="Trần Thị Bình",
        ),
        {
            "organ_name": "Ủy ban nhân dân Thành phố Hồ Chí Minh",
            "code_number": "45",
            "code_notation": "QĐ-UBND",
            "issued_date": "2024-10-15",
            "type_name": "Quyết định",
            "subject": "Ban hành Quy định về quản lý, sử dụng một phần hè phố ngoài mục đích giao"
            " thông trên địa bàn Thành phố Hồ Chí Minh",
            "signer_position": "Phó Chủ tịch",
            "signer_authority": "TM. Ủy ban nhân dân / KT. Chủ tịch",
            "signer_name": "Trần Thị Bình",
        },
    ),
    _sample(
        "ke_hoach_phuong",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "PHƯỜNG BẾN THÀNH"),
            code="Số: 87/KH-UBND",
            place_date="Phường Bến Thành, ngày 20 tháng 01 năm 2024",
            type_line="KẾ HOẠCH",
            subject=("Triển khai công tác cải cách hành chính năm 2024",),
            body=(
                "    Thực hiện Kế hoạch số 15/KH-UBND ngày 10 tháng 01 năm 2024 của Ủy ban nhân dân"
                " Quận 1 về cải cách hành chính năm 2024, Ủy ban nhân dân phường Bến Thành xây"
                " dựng Kế hoạch như sau:",
                "    I. MỤC ĐÍCH, YÊU CẦU",
                "    1. Nâng cao chất lượng giải quyết thủ tục hành chính cho người dân.",
                "    II. NỘI DUNG THỰC HIỆN",
                "    Niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa của phường.",
            ),
            receivers=("Nơi nhận:", "- UBND Quận 1;", "- Đảng ủy phường;", "- Lưu: VT."),
            sign=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            name="Lê Hoàng Nam",
        ),
        {
            "organ_name": "Ủy ban nhân dân phường Bến Thành",
            "code_number": "87",
            "code_notation": "KH-UBND",
            "issued_date": "2024-01-20",
            "type_name": "Kế hoạch",
            "subject": "Triển khai công tác cải cách hành chính năm 2024",
            "signer_position": "Phó Chủ tịch",
            "signer_authority": "KT. Chủ tịch",
            "signer_name": "Lê Hoàng Nam",
        },
    ),
    _sample(
        "to_trinh_phuong",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "PHƯỜNG CẦU KHO"),
            code="Số: 05/TTr-UBND",
            place_date="Phường Cầu Kho, ngày 08 tháng 4 năm 2024",
            type_line="TỜ TRÌNH",
            subject=(
                "Về việc đề nghị phê duyệt danh sách hộ nghèo, hộ cận nghèo",
                "năm 2024",
            ),
            body=(
                "Kính gửi: Ủy ban nhân dân Quận 1.".center(PAGE_W).rstrip(),
                "",
                "    Căn cứ Nghị định số 07/2021/NĐ-CP ngày 27 tháng 01 năm 2021 của Chính phủ quy"
                " định chuẩn nghèo đa chiều giai đoạn 2022 - 2025;",
                "    Ủy ban nhân dân phường Cầu Kho kính trình Ủy ban nhân dân Quận 1 xem xét, phê"
                " duyệt danh sách gồm 42 hộ nghèo và 17 hộ cận nghèo.",
                "    Đại diện hộ: bà Huỳnh Thị Mai, CMND số 024 567 891, điện thoại 0903 123 456.",
            ),
            receivers=("Nơi nhận:", "- Như trên;", "- Lưu: VT, LĐTBXH."),
            sign=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
            name="Phạm Minh Tuấn",
            signed_mark=False,
        ),
        {
            "organ_name": "Ủy ban nhân dân phường Cầu Kho",
            "code_number": "05",
            "code_notation": "TTr-UBND",
            "issued_date": "2024-04-08",
            "type_name": "Tờ trình",
            "subject": "Về việc đề nghị phê duyệt danh sách hộ nghèo, hộ cận nghèo năm 2024",
            "signer_position": "Chủ tịch",
            "signer_authority": "TM. Ủy ban nhân dân",
            "signer_name": "Phạm Minh Tuấn",
        },
        ("024567891",),
    ),
    _sample(
        "thong_bao_quan",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "QUẬN 1"),
            code="Số: 132/TB-UBND",
            place_date="Quận 1, ngày 12 tháng 6 năm 2024",
            type_line="THÔNG BÁO",
            subject=(
                "Kết luận của Chủ tịch Ủy ban nhân dân Quận 1 tại cuộc họp",
                "giao ban công tác quản lý đô thị tháng 6 năm 2024",
            ),
            body=(
                "    Ngày 10 tháng 6 năm 2024, Chủ tịch Ủy ban nhân dân Quận 1 chủ trì cuộc họp"
                " giao ban công tác quản lý đô thị với các phường.",
                "    Sau khi nghe báo cáo, Chủ tịch Ủy ban nhân dân Quận 1 kết luận như sau:",
                "    1. Các phường tăng cường kiểm tra trật tự lòng đường, hè phố.",
            ),
            receivers=("Nơi nhận:", "- UBND 10 phường;", "- Phòng QLĐT;", "- Lưu: VT."),
            sign=("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
            name="Võ Thị Thu Hà",
        ),
        {
            "organ_name": "Ủy ban nhân dân Quận 1",
            "code_number": "132",
            "code_notation": "TB-UBND",
            "issued_date": "2024-06-12",
            "type_name": "Thông báo",
            "subject": "Kết luận của Chủ tịch Ủy ban nhân dân Quận 1 tại cuộc họp giao ban công tác"
            " quản lý đô thị tháng 6 năm 2024",
            "signer_position": "Chánh Văn phòng",
            "signer_authority": "TL. Chủ tịch",
            "signer_name": "Võ Thị Thu Hà",
        },
    ),
    _sample(
        "bao_cao_phuong_so",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "PHƯỜNG 15"),
            code="Số: 214/BC-UBND",
            place_date="Phường 15, ngày 25 tháng 9 năm 2023",
            type_line="BÁO CÁO",
            subject=(
                "Kết quả thực hiện công tác phòng, chống dịch bệnh sốt xuất huyết",
                "9 tháng đầu năm 2023",
            ),
            body=(
                "    I. KẾT QUẢ THỰC HIỆN",
                "    1. Công tác tuyên truyền: tổ chức 24 buổi tuyên truyền tại các khu phố.",
                "    2. Công tác giám sát: phát hiện và xử lý 12 ổ dịch, không có trường hợp"
                " tử vong.",
                "    II. PHƯƠNG HƯỚNG QUÝ IV NĂM 2023",
            ),
            receivers=("Nơi nhận:", "- UBND Quận 10;", "- Trung tâm Y tế Quận 10;", "- Lưu: VT."),
            sign=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            name="Đặng Quốc Bảo",
        ),
        {
            "organ_name": "Ủy ban nhân dân Phường 15",
            "code_number": "214",
            "code_notation": "BC-UBND",
            "issued_date": "2023-09-25",
            "type_name": "Báo cáo",
            "subject": "Kết quả thực hiện công tác phòng, chống dịch bệnh sốt xuất huyết 9 tháng"
            " đầu năm 2023",
            "signer_position": "Phó Chủ tịch",
            "signer_authority": "TM. Ủy ban nhân dân / KT. Chủ tịch",
            "signer_name": "Đặng Quốc Bảo",
        },
    ),
    _sample(
        "cong_van_phuong",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "PHƯỜNG NGUYỄN THÁI BÌNH"),
            code="Số: 356/UBND-VP",
            place_date="Phường Nguyễn Thái Bình, ngày 02 tháng 8 năm 2024",
            type_line=None,
            subject=("V/v tăng cường công tác phòng cháy,", "chữa cháy tại khu dân cư"),
            body=(
                "Kính gửi: Ban điều hành các khu phố.".center(PAGE_W).rstrip(),
                "",
                "    Thực hiện Công văn số 1234/UBND-ĐT ngày 25 tháng 7 năm 2024 của Ủy ban"
                " nhân dân Quận 1, Ủy ban nhân dân phường đề nghị Ban điều hành các khu phố"
                " rà soát các hộ kinh doanh có nguy cơ cháy nổ.",
                "    Đầu mối liên hệ: ông Nguyễn Văn Hải, CCCD số 079.088.012.345, điện thoại"
                " 028 3829 1234.",
            ),
            receivers=("Nơi nhận:", "- Như trên;", "- Công an phường;", "- Lưu: VT."),
            sign=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            name="Huỳnh Thanh Tùng",
        ),
        {
            "organ_name": "Ủy ban nhân dân phường Nguyễn Thái Bình",
            "code_number": "356",
            "code_notation": "UBND-VP",
            "issued_date": "2024-08-02",
            "type_name": "Công văn",
            "subject": "tăng cường công tác phòng cháy, chữa cháy tại khu dân cư",
            "signer_position": "Phó Chủ tịch",
            "signer_authority": "KT. Chủ tịch",
            "signer_name": "Huỳnh Thanh Tùng",
        },
        ("079088012345",),
    ),
    _sample(
        "giay_moi_phuong",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "PHƯỜNG ĐA KAO"),
            code="Số: 41/GM-UBND",
            place_date="Phường Đa Kao, ngày 14 tháng 11 năm 2024",
            type_line="GIẤY MỜI",
            subject=("Dự họp triển khai công tác bầu cử Trưởng khu phố nhiệm kỳ 2024 - 2027",),
            body=(
                "    Ủy ban nhân dân phường Đa Kao trân trọng kính mời:",
                "    - Bí thư Chi bộ, Trưởng khu phố các khu phố 1, 2, 3, 4;",
                "    Thời gian: 08 giờ 00, ngày 18 tháng 11 năm 2024.",
                "    Địa điểm: Hội trường Ủy ban nhân dân phường, số 45 Đinh Tiên Hoàng.",
            ),
            receivers=("Nơi nhận:", "- Như thành phần mời;", "- Lưu: VT."),
            sign=("TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
            name="Ngô Thị Mỹ Linh",
        ),
        {
            "organ_name": "Ủy ban nhân dân phường Đa Kao",
            "code_number": "41",
            "code_notation": "GM-UBND",
            "issued_date": "2024-11-14",
            "type_name": "Giấy mời",
            "subject": "Dự họp triển khai công tác bầu cử Trưởng khu phố nhiệm kỳ 2024 - 2027",
            "signer_position": "Phó Chánh Văn phòng",
            "signer_authority": "TL. Chủ tịch / KT. Chánh Văn phòng",
            "signer_name": "Ngô Thị Mỹ Linh",
        },
    ),
    _sample(
        "bien_ban_phuong",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "PHƯỜNG TÂN ĐỊNH"),
            code="Số: 09/BB-UBND",
            place_date="Phường Tân Định, ngày 03 tháng 7 năm 2024",
            type_line="BIÊN BẢN",
            subject=("Họp xét duyệt hồ sơ đề nghị hỗ trợ người có hoàn cảnh khó khăn",),
            body=(
                "    Hôm nay, vào lúc 14 giờ 00 ngày 03 tháng 7 năm 2024, tại trụ sở Ủy ban nhân"
                " dân phường Tân Định.",
                "    I. THÀNH PHẦN THAM DỰ",
                "    1. Ông Nguyễn Văn Hùng - Phó Chủ tịch Ủy ban nhân dân phường, chủ trì;",
                "    2. Bà Lê Thị Thanh Hương - Công chức Văn hóa - Xã hội, thư ký.",
                "    II. NỘI DUNG",
                "    Xét hồ sơ của bà Trần Thị Lan, CCCD số 079 178 004 512, và ông Phan Văn Lợi,"
                " CMND số 023 456 789.",
                "    Biên bản kết thúc lúc 16 giờ 00 cùng ngày.",
            ),
            receivers=(),
            sign=("CHỦ TRÌ",),
            name="Nguyễn Văn Hùng",
            signed_mark=False,
            left_sign=("THƯ KÝ",),
            left_name="Lê Thị Thanh Hương",
        ),
        {
            "organ_name": "Ủy ban nhân dân phường Tân Định",
            "code_number": "09",
            "code_notation": "BB-UBND",
            "issued_date": "2024-07-03",
            "type_name": "Biên bản",
            "subject": "Họp xét duyệt hồ sơ đề nghị hỗ trợ người có hoàn cảnh khó khăn",
            "signer_position": "Chủ trì",
            "signer_name": "Nguyễn Văn Hùng",
        },
        ("079178004512", "023456789"),
    ),
    _sample(
        "thong_bao_phong_tnmt",
        Spec(
            organ=("ỦY BAN NHÂN DÂN QUẬN 1", "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG"),
            code="Số: 76/TB-TNMT",
            place_date="Quận 1, ngày 30 tháng 5 năm 2024",
            type_line="THÔNG BÁO",
            subject=("Về việc thu hồi đất để thực hiện dự án chỉnh trang đô thị",),
            body=(
                "    Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;",
                "    Phòng Tài nguyên và Môi trường Quận 1 thông báo đến các hộ gia đình, cá nhân"
                " có đất bị thu hồi.",
            ),
            receivers=(
                "Nơi nhận:", "- UBND Quận 1 (để b/c);", "- UBND phường Cầu Ông Lãnh;", "- Lưu: VT.",
            ),
            sign=("KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"),
            name="Bùi Đức Thắng",
        ),
        {
            "organ_name": "Phòng Tài nguyên và Môi trường",
            "organ_parent": "Ủy ban nhân dân Quận 1",
            "code_number": "76",
            "code_notation": "TB-TNMT",
            "issued_date": "2024-05-30",
            "type_name": "Thông báo",
            "subject": "Về việc thu hồi đất để thực hiện dự án chỉnh trang đô thị",
            "signer_position": "Phó Trưởng phòng",
            "signer_authority": "KT. Trưởng phòng",
            "signer_name": "Bùi Đức Thắng",
        },
    ),
    _sample(
        "thong_bao_cong_an",
        Spec(
            organ=("CÔNG AN QUẬN 3", "CÔNG AN PHƯỜNG VÕ THỊ SÁU"),
            code="Số: 58/TB-CAP",
            place_date="Phường Võ Thị Sáu, ngày 10 tháng 02 năm 2025",
            type_line="THÔNG BÁO",
            subject=("Về việc tiếp nhận hồ sơ đăng ký thường trú",),
            body=(
                "    Công an phường Võ Thị Sáu thông báo đến công dân có hồ sơ đăng ký thường trú:",
                "    Ông Trịnh Văn Long, sinh năm 1990, CCCD số 079090012345, đến nhận kết quả.",
            ),
            receivers=("Nơi nhận:", "- Công an Quận 3;", "- Lưu: HS."),
            sign=("TRƯỞNG CÔNG AN PHƯỜNG",),
            name="Trương Minh Khoa",
        ),
        {
            "organ_name": "Công an phường Võ Thị Sáu",
            "organ_parent": "Công an Quận 3",
            "code_number": "58",
            "code_notation": "TB-CAP",
            "issued_date": "2025-02-10",
            "type_name": "Thông báo",
            "subject": "Về việc tiếp nhận hồ sơ đăng ký thường trú",
            "signer_position": "Trưởng Công an phường",
            "signer_name": "Trương Minh Khoa",
        },
        ("079090012345",),
    ),
    _sample(
        "ke_hoach_so_tu_phap",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", "SỞ TƯ PHÁP"),
            code="Số: 2150/KH-STP",
            place_date="TP. Hồ Chí Minh, ngày 28 tháng 02 năm 2024",
            type_line="KẾ HOẠCH",
            subject=("Phổ biến, giáo dục pháp luật năm 2024",),
            body=(
                "    Thực hiện Quyết định số 123/QĐ-UBND ngày 15 tháng 01 năm 2024 của Ủy ban nhân"
                " dân Thành phố, Sở Tư pháp ban hành Kế hoạch phổ biến, giáo dục pháp luật"
                " như sau:",
                "    I. MỤC ĐÍCH, YÊU CẦU",
            ),
            receivers=("Nơi nhận:", "- UBND Thành phố;", "- Bộ Tư pháp;", "- Lưu: VT, PBGDPL."),
            sign=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
            name="Đỗ Thanh Sơn",
        ),
        {
            "organ_name": "Sở Tư pháp",
            "organ_parent": "Ủy ban nhân dân Thành phố Hồ Chí Minh",
            "code_number": "2150",
            "code_notation": "KH-STP",
            "issued_date": "2024-02-28",
            "type_name": "Kế hoạch",
            "subject": "Phổ biến, giáo dục pháp luật năm 2024",
            "signer_position": "Phó Giám đốc",
            "signer_authority": "KT. Giám đốc",
            "signer_name": "Đỗ Thanh Sơn",
        },
    ),
    _sample(
        "quyet_dinh_xa",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "XÃ TÂN NHỰT"),
            code="Số: 318/QĐ-UBND",
            place_date="Tân Nhựt, ngày 16 tháng 12 năm 2022",
            type_line="QUYẾT ĐỊNH",
            subject=(
                "Về việc phê duyệt danh sách hỗ trợ kinh phí sửa chữa nhà ở cho hộ gia đình",
                "chính sách trên địa bàn xã Tân Nhựt năm 2022",
            ),
            body=(
                "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ TÂN NHỰT".center(PAGE_W).rstrip(),
                "",
                "    Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                "    Xét đề nghị của Công chức Văn hóa - Xã hội xã,",
            ),
            receivers=("Nơi nhận:", "- Như Điều 3;", "- UBND huyện Bình Chánh;", "- Lưu: VT."),
            sign=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            name="Hồ Văn Phúc",
        ),
        {
            "organ_name": "Ủy ban nhân dân xã Tân Nhựt",
            "code_number": "318",
            "code_notation": "QĐ-UBND",
            "issued_date": "2022-12-16",
            "type_name": "Quyết định",
            "subject": "Về việc phê duyệt danh sách hỗ trợ kinh phí sửa chữa nhà ở cho hộ gia đình"
            " chính sách trên địa bàn xã Tân Nhựt năm 2022",
            "signer_position": "Phó Chủ tịch",
            "signer_authority": "TM. Ủy ban nhân dân / KT. Chủ tịch",
            "signer_name": "Hồ Văn Phúc",
        },
    ),
    _sample(
        "bao_cao_thu_duc",
        Spec(
            organ=("ỦY BAN NHÂN DÂN", "THÀNH PHỐ THỦ ĐỨC"),
            code="Số: 1875/BC-UBND",
            place_date="Thủ Đức, ngày 29 tháng 02 năm 2024",
            type_line="BÁO CÁO",
            subject=("Tình hình kinh tế - xã hội tháng 02 năm 2024",),
            body=(
                "    I. TÌNH HÌNH KINH TẾ",
                "    Tổng thu ngân sách nhà nước trên địa bàn đạt 18% dự toán năm.",
            ),
            receivers=("Nơi nhận:", "- UBND Thành phố;", "- Lưu: VT, TH."),
            sign=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
            name="Hoàng Tùng",
        ),
        {
            "organ_name": "Ủy ban nhân dân thành phố Thủ Đức",
            "code_number": "1875",
            "code_notation": "BC-UBND",
            "issued_date": "2024-02-29",
            "type_name": "Báo cáo",
            "subject": "Tình hình kinh tế - xã hội tháng 02 năm 2024",
            "signer_position": "Chủ tịch",
            "signer_authority": "TM. Ủy ban nhân dân",
            "signer_name": "Hoàng Tùng",
        },
    ),
    _sample(
        "nghi_quyet_hdnd",
        Spec(
            organ=("HỘI ĐỒNG NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"),
            code="Số: 17/2023/NQ-HĐND",
            place_date="Thành phố Hồ Chí Minh, ngày 08 tháng 12 năm 2023",
            type_line="NGHỊ QUYẾT",
            subject=("Về chính sách hỗ trợ người lao động trên địa bàn Thành phố",),
            body=(
                "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH".center(PAGE_W).rstrip(),
                "KHÓA X, KỲ HỌP THỨ MƯỜI HAI".center(PAGE_W).rstrip(),
                "",
                "    Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
            ),
            receivers=("Nơi nhận:", "- Ủy ban Thường vụ Quốc hội;", "- Lưu: VT."),
            sign=("CHỦ TỊCH",),
            name="Nguyễn Thị Lệ",
        ),
        {
            "organ_name": "Hội đồng nhân dân Thành phố Hồ Chí Minh",
            "code_number": "17",
            "code_notation": "NQ-HĐND",
            "issued_date": "2023-12-08",
            "type_name": "Nghị quyết",
            "subject": "Về chính sách hỗ trợ người lao động trên địa bàn Thành phố",
            "signer_position": "Chủ tịch",
            "signer_name": "Nguyễn Thị Lệ",
        },
    ),
)


# --- Degradation -----------------------------------------------------------------

_CONFUSIONS = (
    ("ố", "6"), ("ố", "ô"), ("Ố", "Ô"), ("ô", "6"), ("đ", "d"), ("Đ", "D"), ("ế", "é"),
    ("Ế", "É"), ("ệ", "ê"), ("à", "ả"), ("á", "à"), ("ơ", "o"), ("ư", "u"), ("m", "rn"),
    ("0", "O"), ("1", "l"), ("ậ", "â"), ("ọ", "o"), ("ă", "ã"), ("ờ", "ở"), ("ị", "i"),
)
_LABELS = ("S6:", "Sô:", "So:", "Số :", "SỐ:", "S6 :")
_WRAP_AT = 72


def strip_marks(text: str) -> str:
    """Drop Vietnamese diacritics (keeps case, đ -> d)."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).replace("đ", "d").replace("Đ", "D")


def _noisy_word(word: str, rng: random.Random, drop: float, confuse: float) -> str:
    r = rng.random()
    if r < drop:
        return strip_marks(word)
    if r < drop + confuse:
        options = [(a, b) for a, b in _CONFUSIONS if a in word]
        if options:
            a, b = rng.choice(options)
            return word.replace(a, b, 1)
    return word


def _wrap(line: str, rng: random.Random) -> list[str]:
    out = []
    indent = len(line) - len(line.lstrip())
    while len(line) > _WRAP_AT and "   " not in line.strip() and indent <= 8:
        cut = line.rfind(" ", 0, rng.randint(45, _WRAP_AT))
        if cut <= 0:
            break
        out.append(line[:cut])
        line = line[cut + 1 :]
    return [*out, line]


def _random_errors(text: str, rng: random.Random, count: int) -> str:
    chars = list(text)
    letters = [i for i, ch in enumerate(chars) if ch.isalpha() and ch.islower()]
    for i in rng.sample(letters, min(count, len(letters))):
        chars[i] = rng.choice("abcdeghiklmnopqrstuvxy")
    return "".join(chars)


def degrade(
    text: str, seed: int, drop: float = 0.06, confuse: float = 0.05, errors: int = 2
) -> str:
    """A noisy OCR reading of ``text``, reproducible from ``seed``."""
    rng = random.Random(seed)
    lines = text.splitlines()
    if rng.random() < 0.75:  # Tesseract merged the two columns of each row
        lines = [" ".join(line.split()) for line in lines]
    lines = [part for line in lines for part in _wrap(line, rng)]
    out = []
    for line in lines:
        if rng.random() < 0.3:
            line = re.sub(r"(?<=\w)([/-])(?=\w)", r" \1 ", line)
        out.append(" ".join(_noisy_word(w, rng, drop, confuse) for w in line.split(" ")))
    noisy = "\n".join(out)
    if rng.random() < 0.5:
        noisy = noisy.replace("Số:", rng.choice(_LABELS), 1)
    return _random_errors(noisy, rng, errors)
