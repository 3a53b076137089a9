"""What a synthetic administrative document says (no imaging here).

Eight kinds of Nghị định 30/2020 documents issued by a HCMC ward People's
Committee or a city department, with seeded names, numbers and dates. The
wording follows real ward paperwork closely enough that Tesseract's
Vietnamese model meets the words, diacritics and layouts it will meet in a
real dossier. :meth:`DocSpec.truth_fields` is the metadata an extractor
should find, with values exactly as printed (e.g. ``code_number`` "05").
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Para:
    """A body paragraph; ``bold_words`` leading words are bold ("Điều 1.")."""

    text: str
    style: str = "regular"  # regular | bold | italic | bold_italic
    align: str = "justify"  # justify | left | center
    indent: bool = True
    bold_words: int = 0


@dataclass(frozen=True)
class Organ:
    """The issuing organ and the words that depend on it."""

    parent: str  # header line 1: "ỦY BAN NHÂN DÂN" or "UBND THÀNH PHỐ HỒ CHÍ MINH"
    name: str  # header line 2 (bold): "PHƯỜNG BẾN NGHÉ" or "SỞ TƯ PHÁP"
    organ_name: str  # the issuing organ: "ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ", "SỞ TƯ PHÁP"
    prose: str  # in running text: "Ủy ban nhân dân phường Bến Nghé"
    abbrev: str  # in the notation: "UBND", "STP"
    place: str  # place in the date line: "Bến Nghé", "Thành phố Hồ Chí Minh"
    superior: str  # "Ủy ban nhân dân Quận 1"
    head: str  # "CHỦ TỊCH" / "GIÁM ĐỐC"
    deputy: str  # "PHÓ CHỦ TỊCH" / "PHÓ GIÁM ĐỐC"
    collective: str  # "ỦY BAN NHÂN DÂN" (signs "TM."), "" for a department
    ward: str  # "phường Bến Nghé" or "" for a department


@dataclass(frozen=True)
class DocSpec:
    """A whole document: header, body, footer and the truth about it."""

    kind: str
    organ: Organ
    code_number: str
    code_notation: str
    issued: date
    type_name: str  # "Quyết định"; "Công văn" for a letter (which prints no type line)
    type_line: str  # "QUYẾT ĐỊNH" or ""
    subject: str  # trích yếu as printed, on one line ("Về việc …" or "V/v …")
    recipient_line: str  # "Kính gửi: …" or ""
    body: tuple[Para, ...]
    recipients: tuple[str, ...]  # "Nơi nhận:" items; empty for a biên bản
    signer_lines: tuple[str, ...]  # e.g. ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    signer_name: str
    citizen_ids: tuple[str, ...]
    seal: bool
    secretary: tuple[str, str] | None = None  # a biên bản's second signer (title, name)

    @property
    def signer_position(self) -> str:
        return self.signer_lines[-1]

    @property
    def date_line(self) -> str:
        return f"{self.organ.place}, {vn_date(self.issued)}"

    def truth_fields(self) -> dict[str, object]:
        """The NĐ 30 metadata in the conventions of ``extract.metadata`` (its docstring).

        Names in NĐ 30 capitalisation ("Ủy ban nhân dân phường Bến Nghé"),
        ``signer_position`` as "Phó Chủ tịch" (its authority lines, "KT. Chủ tịch",
        in ``signer_authority``, empty when there are none), a letter's subject
        without its "V/v"; ``organ_parent`` only when the block names a parent
        agency. ``printed`` keeps every value exactly as it is on the page.
        """
        fields: dict[str, object] = {
            "organ_name": self.organ.prose,
            "code_number": self.code_number,
            "code_notation": self.code_notation,
            "issued_date": self.issued.isoformat(),
            "type_name": self.type_name,
            "subject": self.subject.removeprefix("V/v "),
            "signer_position": nd30_case(self.signer_lines[-1]),
            "signer_authority": " / ".join(nd30_case(line) for line in self.signer_lines[:-1]),
            "signer_name": self.signer_name,
            "citizen_ids": list(self.citizen_ids),
            "printed": {
                "organ_lines": [self.organ.parent, self.organ.name],
                "number_line": f"Số: {self.code_number}/{self.code_notation}",
                "date_line": self.date_line,
                "type_line": self.type_line,
                "subject": self.subject,
                "signer_lines": list(self.signer_lines),
            },
        }
        if not self.organ.ward:
            fields["organ_parent"] = "Ủy ban nhân dân Thành phố Hồ Chí Minh"
        return fields


# ---------------------------------------------------------------------- vocabulary

# ward -> its superior before 2025 (the new 2025 wards answer to the city)
WARDS: dict[str, str] = {
    "Bến Nghé": "Quận 1", "Đa Kao": "Quận 1", "Tân Định": "Quận 1", "Bến Thành": "Quận 1",
    "Cầu Ông Lãnh": "Quận 1", "Phạm Ngũ Lão": "Quận 1", "Nguyễn Thái Bình": "Quận 1",
    "Cô Giang": "Quận 1", "Cầu Kho": "Quận 1", "Nguyễn Cư Trinh": "Quận 1",
    "Sài Gòn": "Thành phố Hồ Chí Minh", "Tân Hưng": "Quận 7", "Tân Thuận Đông": "Quận 7",
    "Thảo Điền": "Thành phố Thủ Đức", "Xuân Hòa": "Thành phố Hồ Chí Minh",
}
# Wards named after a person print their full name in the date line (NĐ 30, Phụ lục I).
_PERSON_WARDS = {"Phạm Ngũ Lão", "Nguyễn Thái Bình", "Cô Giang", "Nguyễn Cư Trinh"}

DEPARTMENTS: dict[str, str] = {  # name in running text -> abbreviation in the notation
    "Sở Tư pháp": "STP", "Sở Nội vụ": "SNV", "Sở Tài chính": "STC", "Sở Y tế": "SYT",
    "Sở Giáo dục và Đào tạo": "SGDĐT", "Sở Xây dựng": "SXD",
    "Sở Tài nguyên và Môi trường": "STNMT", "Sở Lao động - Thương binh và Xã hội": "SLĐTBXH",
    "Sở Văn hóa và Thể thao": "SVHTT", "Sở Kế hoạch và Đầu tư": "SKHĐT",
}

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh")
MALE_MIDDLE = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Hoàng", "Tấn")
FEMALE_MIDDLE = ("Thị", "Ngọc", "Thanh", "Thu", "Thị Kim", "Mỹ", "Bảo", "Thị Ngọc")
MALE_GIVEN = ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc",
              "Quang", "Sơn", "Thành", "Trung", "Tuấn", "Việt", "Đạt", "Được", "Lộc", "Nghĩa")
FEMALE_GIVEN = ("Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Tâm",
                "Thảo", "Trang", "Vân", "Yến", "Ánh", "Diệp", "Nhung", "Thủy", "Trâm", "Uyên")
STREETS = ("Lê Lợi", "Nguyễn Huệ", "Đồng Khởi", "Hai Bà Trưng", "Lý Tự Trọng", "Nguyễn Du",
           "Pasteur", "Nam Kỳ Khởi Nghĩa", "Trần Hưng Đạo", "Điện Biên Phủ",
           "Nguyễn Thị Minh Khai", "Cách Mạng Tháng Tám", "Võ Văn Tần", "Lê Thánh Tôn",
           "Tôn Đức Thắng", "Nguyễn Đình Chiểu", "Trần Quang Khải", "Đinh Tiên Hoàng")
KINDS = ("quyet_dinh", "ke_hoach", "to_trinh", "thong_bao", "bao_cao", "cong_van",
         "giay_moi", "bien_ban")
_TYPES = {  # kind -> (type name, abbreviation in the notation)
    "quyet_dinh": ("Quyết định", "QĐ"), "ke_hoach": ("Kế hoạch", "KH"),
    "to_trinh": ("Tờ trình", "TTr"), "thong_bao": ("Thông báo", "TB"),
    "bao_cao": ("Báo cáo", "BC"), "cong_van": ("Công văn", ""),
    "giay_moi": ("Giấy mời", "GM"), "bien_ban": ("Biên bản", "BB"),
}
_LETTER_UNITS = ("VP", "TP", "VX", "KT", "ĐT")


# ------------------------------------------------------------------------- helpers


def vn_date(d: date) -> str:
    """NĐ 30 style: days under 10 and months 1–2 get a leading zero."""
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {day} tháng {month} năm {d.year}"


def vn_upper(text: str) -> str:
    return text.upper()


def nd30_case(line: str) -> str:
    """ "KT. PHÓ CHỦ TỊCH" -> "KT. Phó Chủ tịch", "TM. ỦY BAN NHÂN DÂN" -> "TM. Ủy ban nhân dân"."""
    prefix = ""
    for mark in ("KT. ", "TM. ", "TL. ", "TUQ. "):
        if line.startswith(mark):
            prefix, line = mark, line[len(mark):]
    text = line.lower()
    if text.startswith("phó "):
        return f"{prefix}Phó {text[4:].capitalize()}"
    return prefix + text.capitalize()


@dataclass(frozen=True)
class Person:
    name: str
    title: str  # "Ông" / "Bà"
    born: int
    cccd: str
    address: str


def person_name(rng: random.Random, *, female: bool) -> str:
    middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
    given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
    return f"{rng.choice(SURNAMES)} {middle} {given}"


def citizen(rng: random.Random, ward: str) -> Person:
    """A citizen with a CCCD consistent with sex and birth year (079 = HCMC)."""
    female = rng.random() < 0.5
    born = rng.randint(1955, 2004)
    century_sex = (0 if born < 2000 else 2) + (1 if female else 0)
    cccd = f"079{century_sex}{born % 100:02d}{rng.randint(0, 999999):06d}"
    street = rng.choice(STREETS)
    place = ward or f"phường {rng.choice(list(WARDS))}"
    address = f"số {rng.randint(2, 250)} đường {street}, {place}, Thành phố Hồ Chí Minh"
    return Person(person_name(rng, female=female), "Bà" if female else "Ông", born, cccd, address)


def make_organ(rng: random.Random) -> Organ:
    if rng.random() < 0.7:
        ward = rng.choice(list(WARDS))
        place = f"Phường {ward}" if ward in _PERSON_WARDS else ward
        return Organ(
            parent="ỦY BAN NHÂN DÂN", name=f"PHƯỜNG {vn_upper(ward)}",
            organ_name=f"ỦY BAN NHÂN DÂN PHƯỜNG {vn_upper(ward)}",
            prose=f"Ủy ban nhân dân phường {ward}", abbrev="UBND", place=place,
            superior=f"Ủy ban nhân dân {WARDS[ward]}", head="CHỦ TỊCH", deputy="PHÓ CHỦ TỊCH",
            collective="ỦY BAN NHÂN DÂN", ward=f"phường {ward}",
        )
    prose = rng.choice(list(DEPARTMENTS))
    name = vn_upper(prose)
    return Organ(
        parent="UBND THÀNH PHỐ HỒ CHÍ MINH", name=name, organ_name=name, prose=prose,
        abbrev=DEPARTMENTS[prose], place="Thành phố Hồ Chí Minh",
        superior="Ủy ban nhân dân Thành phố Hồ Chí Minh", head="GIÁM ĐỐC",
        deputy="PHÓ GIÁM ĐỐC", collective="", ward="",
    )


def _area(organ: Organ) -> str:
    return f"trên địa bàn {organ.ward}" if organ.ward else "trên địa bàn Thành phố"


# --------------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class _Content:
    subject: str
    body: tuple[Para, ...]
    citizen_ids: tuple[str, ...] = ()
    recipient_line: str = ""


def _legal_bases(rng: random.Random, organ: Organ) -> list[Para]:
    bases = [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức "
        "chính quyền địa phương ngày 22 tháng 11 năm 2019;",
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác "
        "văn thư;",
        "Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ về thực hiện "
        "thủ tục hành chính trên môi trường điện tử;",
    ]
    chosen = bases[: rng.randint(2, 4)]
    proposer = ("Công chức Văn phòng - Thống kê phường" if organ.ward
                else "Chánh Văn phòng Sở")
    chosen.append(f"Theo đề nghị của {proposer}.")
    return [Para(text, style="italic") for text in chosen]


def _quyet_dinh(rng: random.Random, organ: Organ, year: int) -> _Content:
    person = citizen(rng, organ.ward)
    with_citizen = rng.random() < 0.6
    if with_citizen:
        subject = rng.choice((
            "Về việc hỗ trợ kinh phí cho hộ gia đình có hoàn cảnh khó khăn",
            "Về việc công nhận Tổ trưởng Tổ dân phố",
            "Về việc cấp lại bản chính giấy khai sinh cho công dân",
        ))
        article1 = (
            f"Điều 1. Chấp thuận đối với {person.title.lower()} {person.name}, sinh năm "
            f"{person.born}, số định danh cá nhân {person.cccd}, thường trú tại {person.address}, "
            f"nội dung {subject[8:].lower()} theo hồ sơ đã nộp ngày {rng.randint(1, 28)} "
            f"tháng {rng.randint(1, 12)} năm {year}."
        )
    else:
        subject = rng.choice((
            f"Về việc thành lập Tổ công tác kiểm tra trật tự xây dựng {_area(organ)}",
            f"Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong phong trào "
            f"thi đua năm {year}",
            f"Về việc ban hành Quy chế làm việc của cơ quan năm {year}",
        ))
        article1 = (
            f"Điều 1. {subject[8:9].upper()}{subject[9:]}, gồm các thành viên và nội dung theo "
            "danh sách đính kèm Quyết định này."
        )
    authority = (f"{organ.head} {organ.organ_name}" if organ.ward
                 else f"GIÁM ĐỐC {organ.name}")
    body = [Para(authority, style="bold", align="center", indent=False)]
    body += _legal_bases(rng, organ)
    body.append(Para("QUYẾT ĐỊNH:", style="bold", align="center", indent=False))
    body.append(Para(article1, bold_words=2))
    body.append(Para("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", bold_words=2))
    body.append(Para(
        f"Điều 3. Chánh Văn phòng, Trưởng các bộ phận có liên quan của {organ.prose} và các cá "
        "nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.", bold_words=2))
    ids = (person.cccd,) if with_citizen else ()
    return _Content(subject, tuple(body), ids)


def _sections(rng: random.Random, organ: Organ, year: int, topic: str) -> list[Para]:
    """I./II./III. sections shared by plans and reports."""
    paras = [
        Para("I. MỤC ĐÍCH, YÊU CẦU", style="bold", indent=True),
        Para(f"1. Tổ chức thực hiện có hiệu quả {topic} {_area(organ)}, nâng cao chất lượng "
             "phục vụ người dân và doanh nghiệp."),
        Para("2. Phân công cụ thể nhiệm vụ cho từng bộ phận, cán bộ, công chức; bảo đảm tiến độ, "
             "chất lượng và đúng quy định của pháp luật."),
        Para("II. NỘI DUNG THỰC HIỆN", style="bold", indent=True),
        Para(f"1. Rà soát, cập nhật số liệu về {topic} đến hết ngày {rng.randint(10, 28)} tháng "
             f"{rng.randint(1, 12)} năm {year}; tổng hợp kết quả, báo cáo {organ.superior}."),
        Para(f"2. Tuyên truyền, phổ biến đến {rng.randint(12, 95)} khu phố, tổ dân phố; vận động "
             "người dân tích cực tham gia, phản ánh kịp thời những khó khăn, vướng mắc."),
        Para(f"3. Kinh phí thực hiện: {rng.randint(15, 480)}.000.000 đồng từ nguồn ngân sách "
             f"năm {year} đã được giao."),
        Para("III. TỔ CHỨC THỰC HIỆN", style="bold", indent=True),
        Para("Các bộ phận chuyên môn căn cứ nội dung trên triển khai thực hiện; định kỳ hằng "
             "tháng báo cáo kết quả về Văn phòng để tổng hợp./."),
    ]
    if rng.random() < 0.5:
        del paras[5]
    return paras


_TOPICS = ("công tác chuyển đổi số", "công tác cải cách hành chính",
           "công tác phòng, chống dịch bệnh sốt xuất huyết", "công tác phòng cháy, chữa cháy",
           "công tác bảo vệ môi trường", "công tác chứng thực và hộ tịch")


def _ke_hoach(rng: random.Random, organ: Organ, year: int) -> _Content:
    topic = rng.choice(_TOPICS)
    subject = f"Triển khai thực hiện {topic} {_area(organ)} năm {year}"
    return _Content(subject, tuple(_sections(rng, organ, year, topic)))


def _bao_cao(rng: random.Random, organ: Organ, year: int) -> _Content:
    topic = rng.choice(_TOPICS)
    period = rng.choice(("6 tháng đầu năm", "9 tháng", "quý I", "năm"))
    subject = f"Kết quả thực hiện {topic} {period} {year}"
    body = [
        Para(f"Thực hiện chỉ đạo của {organ.superior}, {organ.prose} báo cáo kết quả thực hiện "
             f"{topic} {period} {year} như sau:"),
        Para("I. KẾT QUẢ THỰC HIỆN", style="bold"),
        Para(f"1. Đã tiếp nhận {rng.randint(120, 2400)} hồ sơ, giải quyết đúng hạn "
             f"{rng.randint(90, 100)}%; không có hồ sơ trễ hạn kéo dài."),
        Para(f"2. Tổ chức {rng.randint(2, 15)} buổi tuyên truyền với {rng.randint(150, 900)} "
             "lượt người tham dự; phát hành tài liệu đến các khu phố."),
        Para("II. KHÓ KHĂN, VƯỚNG MẮC", style="bold"),
        Para("Nhân sự còn thiếu so với khối lượng công việc; một số hồ sơ lưu trữ giấy đã cũ, "
             "xuống cấp, cần được số hóa để bảo quản lâu dài."),
        Para("III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", style="bold"),
        Para(f"Tiếp tục đẩy mạnh {topic}; hoàn thành số hóa hồ sơ trước ngày 31 tháng 12 năm "
             f"{year}./."),
    ]
    return _Content(subject, tuple(body))


def _to_trinh(rng: random.Random, organ: Organ, year: int) -> _Content:
    amount = rng.randint(25, 850)
    subject = rng.choice((
        f"Về việc đề nghị phê duyệt dự toán kinh phí tổ chức Tết Nguyên đán năm {year}",
        "Về việc đề nghị hỗ trợ kinh phí sửa chữa nhà ở cho hộ nghèo",
        f"Về việc đề nghị bổ sung biên chế công chức năm {year}",
    ))
    body = [
        Para(f"Căn cứ Kế hoạch số {rng.randint(10, 300)}/KH-UBND ngày {rng.randint(1, 28)} "
             f"tháng {rng.randint(1, 12)} năm {year} của {organ.superior};"),
        Para(f"Căn cứ tình hình thực tế {_area(organ)}, {organ.prose} kính trình "
             f"{organ.superior} xem xét nội dung sau:"),
        Para(f"1. Tổng kinh phí đề nghị: {amount}.000.000 đồng (bằng chữ: {amount} triệu đồng)."),
        Para("2. Nguồn kinh phí: ngân sách địa phương và nguồn vận động xã hội hóa."),
        Para(f"{organ.prose} kính trình {organ.superior} xem xét, phê duyệt./."),
    ]
    return _Content(subject, tuple(body), recipient_line=f"Kính gửi: {organ.superior}.")


def _thong_bao(rng: random.Random, organ: Organ, year: int) -> _Content:
    month = rng.randint(1, 12)
    subject = rng.choice((
        f"Về việc tiếp công dân định kỳ tháng {month} năm {year}",
        f"Về việc tạm ngưng tiếp nhận hồ sơ trực tuyến để nâng cấp hệ thống tháng {month}",
        f"Kết luận của lãnh đạo tại cuộc họp giao ban tháng {month} năm {year}",
    ))
    body = [
        Para(f"{organ.prose} thông báo đến các cơ quan, tổ chức và Nhân dân {_area(organ)} "
             "nội dung như sau:"),
        Para(f"1. Thời gian: từ {rng.randint(7, 9)} giờ 00 đến 11 giờ 30, ngày "
             f"{rng.randint(1, 28)} tháng {month} năm {year}."),
        Para(f"2. Địa điểm: Bộ phận Một cửa, số {rng.randint(2, 180)} đường "
             f"{rng.choice(STREETS)}."),
        Para("3. Người dân mang theo Căn cước công dân và giấy tờ có liên quan khi đến làm "
             "việc./."),
    ]
    return _Content(subject, tuple(body))


def _cong_van(rng: random.Random, organ: Organ, year: int) -> _Content:
    person = citizen(rng, organ.ward)
    if rng.random() < 0.5:
        subject = "V/v xác minh thông tin cư trú của công dân"
        ask = (f"đề nghị quý cơ quan phối hợp xác minh thông tin cư trú của {person.title.lower()} "
               f"{person.name}, sinh năm {person.born}, số Căn cước công dân {person.cccd}, "
               f"địa chỉ {person.address}.")
        ids: tuple[str, ...] = (person.cccd,)
    else:
        subject = f"V/v tăng cường công tác phòng cháy, chữa cháy mùa khô năm {year}"
        ask = ("đề nghị các đơn vị rà soát phương án phòng cháy, chữa cháy, kiểm tra thiết bị "
               "và tổ chức diễn tập trước ngày 30 tháng 4.")
        ids = ()
    body = [
        Para(f"Thực hiện chỉ đạo của {organ.superior}, {organ.prose} {ask}"),
        Para("Văn bản trả lời xin gửi về Văn phòng trước ngày "
             f"{rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {year} để tổng hợp."),
        Para("Trân trọng./."),
    ]
    recipient = rng.choice((organ.superior, "Công an phường", "Các khu phố"))
    return _Content(subject, tuple(body), ids, recipient_line=f"Kính gửi: {recipient}.")


def _giay_moi(rng: random.Random, organ: Organ, year: int) -> _Content:
    subject = rng.choice((
        f"Dự họp triển khai công tác phòng, chống thiên tai năm {year}",
        f"Tham dự Hội nghị sơ kết công tác 6 tháng đầu năm {year}",
        "Dự buổi đối thoại với Nhân dân về thủ tục hành chính",
    ))
    guest = citizen(rng, organ.ward)
    body = [
        Para(f"{organ.prose} trân trọng kính mời {guest.title} {guest.name} đến dự."),
        Para(f"Thời gian: {rng.randint(7, 15)} giờ 30, ngày {rng.randint(1, 28)} tháng "
             f"{rng.randint(1, 12)} năm {year}."),
        Para(f"Địa điểm: Hội trường {organ.prose}, số {rng.randint(2, 180)} đường "
             f"{rng.choice(STREETS)}."),
        Para("Rất mong quý đại biểu tham dự đúng thời gian./."),
    ]
    return _Content(subject, tuple(body))


def _bien_ban(rng: random.Random, organ: Organ, year: int) -> _Content:
    subject = rng.choice((
        "Họp xét duyệt hồ sơ đề nghị hỗ trợ hộ gia đình khó khăn",
        "Kiểm tra hiện trạng công trình xây dựng",
        f"Họp Tổ dân phố số {rng.randint(1, 60)} về công tác vệ sinh môi trường",
    ))
    chair = person_name(rng, female=rng.random() < 0.5)
    person = citizen(rng, organ.ward)
    body = [
        Para(f"Hôm nay, vào lúc {rng.randint(8, 16)} giờ 00, ngày {rng.randint(1, 28)} tháng "
             f"{rng.randint(1, 12)} năm {year}, tại trụ sở {organ.prose}."),
        Para("I. THÀNH PHẦN THAM DỰ", style="bold"),
        Para(f"1. Chủ trì: ông/bà {chair}, {organ.deputy.lower()}."),
        Para(f"2. Đại diện hộ gia đình: {person.title.lower()} {person.name}, số định danh cá "
             f"nhân {person.cccd}."),
        Para("II. NỘI DUNG", style="bold"),
        Para("Các thành viên đã xem xét hồ sơ, thống nhất nội dung và kiến nghị cấp có thẩm "
             "quyền giải quyết theo quy định."),
        Para("Biên bản kết thúc vào lúc 11 giờ 00 cùng ngày, đã đọc lại cho mọi người cùng "
             "nghe và thống nhất ký tên./."),
    ]
    return _Content(subject, tuple(body), (person.cccd,))


# Extra tasks that make some documents run onto a second page.
_EXTRA = (
    "Tăng cường kiểm tra, giám sát việc thực hiện nhiệm vụ được giao; kịp thời phát hiện, "
    "chấn chỉnh những sai sót trong quá trình giải quyết hồ sơ của người dân.",
    "Niêm yết công khai thủ tục hành chính, mức thu phí, lệ phí và thời hạn giải quyết tại "
    "Bộ phận tiếp nhận và trả kết quả.",
    "Bố trí cán bộ có chuyên môn phù hợp để hướng dẫn người dân nộp hồ sơ trực tuyến mức độ "
    "toàn trình trên Cổng Dịch vụ công quốc gia.",
    "Phối hợp với Ban điều hành khu phố rà soát, thống kê các trường hợp thuộc diện hộ nghèo, "
    "hộ cận nghèo, người cao tuổi neo đơn trên địa bàn.",
    "Thực hiện số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực theo quy định "
    "tại Nghị định số 107/2021/NĐ-CP của Chính phủ.",
    "Đẩy mạnh tuyên truyền bằng nhiều hình thức như loa truyền thanh, tờ rơi, mạng xã hội và "
    "các buổi sinh hoạt tổ dân phố.",
    "Rà soát, sắp xếp kho lưu trữ cơ quan; lập danh mục hồ sơ có thời hạn bảo quản vĩnh viễn "
    "để giao nộp vào Lưu trữ lịch sử.",
    "Định kỳ hằng quý tổ chức họp rút kinh nghiệm, đánh giá kết quả thực hiện và đề xuất "
    "khen thưởng các tập thể, cá nhân tiêu biểu.",
    "Bảo đảm an toàn, an ninh thông tin trong quá trình vận hành hệ thống; không để lộ, lọt "
    "thông tin cá nhân của công dân.",
    "Phân công lãnh đạo trực tiếp phụ trách từng lĩnh vực, chịu trách nhiệm trước cấp trên "
    "về kết quả thực hiện nhiệm vụ.",
    "Chuẩn bị đầy đủ cơ sở vật chất, trang thiết bị, máy quét và đường truyền phục vụ công tác "
    "chuyển đổi số.",
    "Tổng hợp khó khăn, vướng mắc phát sinh, báo cáo kịp thời để được hướng dẫn, tháo gỡ.",
)


def _with_extra(rng: random.Random, body: tuple[Para, ...]) -> tuple[Para, ...]:
    """Sometimes add 8–12 tasks before the closing paragraph (a two-page document)."""
    if rng.random() >= 0.35:
        return body
    picked = rng.sample(_EXTRA, rng.randint(8, 12))
    extra = tuple(Para(f"{chr(ord('a') + k)}) {text}") for k, text in enumerate(picked))
    return (*body[:-1], *extra, body[-1])


_MAKERS: dict[str, Callable[[random.Random, Organ, int], _Content]] = {
    "quyet_dinh": _quyet_dinh, "ke_hoach": _ke_hoach, "to_trinh": _to_trinh,
    "thong_bao": _thong_bao, "bao_cao": _bao_cao, "cong_van": _cong_van,
    "giay_moi": _giay_moi, "bien_ban": _bien_ban,
}


# ------------------------------------------------------------------------ document


def _signer(rng: random.Random, organ: Organ, kind: str) -> tuple[tuple[str, ...], str]:
    name = person_name(rng, female=rng.random() < 0.4)
    if kind == "bien_ban":
        return ("CHỦ TRÌ",), name
    if rng.random() < 0.5:
        return (f"KT. {organ.head}", organ.deputy), name
    if organ.collective and kind != "quyet_dinh":
        return (f"TM. {organ.collective}", organ.head), name
    return (organ.head,), name


def _recipients(organ: Organ, kind: str) -> tuple[str, ...]:
    if kind == "bien_ban":
        return ()
    first = "- Như Điều 3;" if kind == "quyet_dinh" else "- Như trên;"
    return (first, f"- {organ.superior} (để b/c);", "- Lãnh đạo cơ quan;", "- Lưu: VT.")


def make_document(rng: random.Random, kind: str | None = None) -> DocSpec:
    """One document of ``kind`` (random when None), all choices drawn from ``rng``."""
    kind = kind or rng.choice(KINDS)
    organ = make_organ(rng)
    issued = date(rng.randint(2016, 2024), rng.randint(1, 12), rng.randint(1, 28))
    content = _MAKERS[kind](rng, organ, issued.year)
    type_name, type_abbrev = _TYPES[kind]
    number = rng.randint(1, 450)
    if kind == "cong_van":
        notation = f"{organ.abbrev}-{rng.choice(_LETTER_UNITS)}"
    else:
        notation = f"{type_abbrev}-{organ.abbrev}"
    signer_lines, signer_name = _signer(rng, organ, kind)
    secretary = ("THƯ KÝ", person_name(rng, female=True)) if kind == "bien_ban" else None
    return DocSpec(
        kind=kind, organ=organ, code_number=f"{number:02d}", code_notation=notation,
        issued=issued, type_name=type_name,
        type_line="" if kind == "cong_van" else vn_upper(type_name),
        subject=content.subject, recipient_line=content.recipient_line,
        body=_with_extra(rng, content.body),
        recipients=_recipients(organ, kind), signer_lines=signer_lines,
        signer_name=signer_name, citizen_ids=content.citizen_ids,
        seal=kind != "bien_ban" and rng.random() < 0.6, secretary=secretary,
    )
