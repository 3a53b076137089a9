"""Citizen identity numbers (CCCD, 12 digits; old CMND, 9 digits) in OCR text.

A CCCD number (Thông tư 07/2016/TT-BCA, amended by Thông tư 59/2021/TT-BCA)
is: 3 digits for the province of birth registration, 1 digit for century and
sex (0/1: 20th century male/female, 2/3: 21st, 4/5: 22nd, 6/7: 23rd,
8/9: 24th), 2 digits for the year of birth and 6 random digits. There is no
check digit, so validation means: a known province code and a birth year that
is neither in the future nor more than 120 years ago.

A 9-digit CMND has no structure worth checking beyond its first two digits
(the issuing province, 01-38); a bare 9-digit run is far more likely to be
something else, so one is only taken when a "CMND" / "Chứng minh nhân dân"
label stands just before it.

Numbers are personal data: keep them out of logs and show them through
:func:`mask`.
"""

from __future__ import annotations

import re
from datetime import date
from types import MappingProxyType

from extract.vntext import fold

PROVINCES = MappingProxyType(
    {
        "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
        "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
        "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
        "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
        "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
        "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
        "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
        "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
        "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
        "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
        "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
        "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
        "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An",
        "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
        "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
        "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
    }
)

MAX_AGE = 120
_SEPARATORS = re.compile(r"[ .\-\n]")
# A run of digit groups joined by single spaces, dots or hyphens (or a line
# break, where OCR wrapped a long line inside the number).
_DIGIT_RUN = re.compile(r"(?<![\w/])(?<!\d[.\-])\d+(?:[ .\-\n]\d+)*(?![\w/])")
_CMND_LABEL = re.compile(
    r"(?:cmnd|cmtnd|chung minh nhan dan|chung minh thu)"
    r"(?:\s*/\s*(?:cccd|can cuoc cong dan))?\s*(?:so)?\s*[:.\-]?\s*$"
)
# OCR letters standing for digits inside a digit run ("0792O3001270"; up to three in a
# row, "0792O3OO127O").
_LOOKALIKE_INSIDE = re.compile(
    r"(?<=\d)[oil|]{1,3}(?=[ .]?\d)|(?<=\d[ .])[oil|](?=\d)|(?<!\w)o(?=\d\d)"
    r"|(?<=\d\d)[oil|](?!\w)"
)
_LOOKALIKE_DIGIT = str.maketrans({"o": "0", "i": "1", "l": "1", "|": "1"})


def _digits(text: str) -> str:
    return _SEPARATORS.sub("", text.strip())


def birth_year(number: str) -> int | None:
    """Year of birth encoded in a 12-digit CCCD number, or None if malformed."""
    digits = _digits(number)
    if len(digits) != 12 or not digits.isdigit():
        return None
    century = 1900 + 100 * (int(digits[3]) // 2)
    return century + int(digits[4:6])


def validate_cccd(number: str, today: date | None = None) -> bool:
    """True for a plausible 12-digit CCCD ("079 203 001 270" is accepted).

    ``today`` defaults to the current date; pass it to get a stable answer.
    """
    digits = _digits(number)
    year = birth_year(digits)
    if year is None or digits[:3] not in PROVINCES:
        return False
    this_year = (today or date.today()).year
    return this_year - MAX_AGE <= year <= this_year


def validate_cmnd(number: str) -> bool:
    """True for a 9-digit CMND whose province prefix (01-38) exists."""
    digits = _digits(number)
    return len(digits) == 9 and digits.isdigit() and 1 <= int(digits[:2]) <= 38


def find_citizen_ids(text: str, today: date | None = None) -> list[str]:
    """Valid CCCD numbers anywhere, and CMND numbers right after a CMND label.

    Digits may be grouped by spaces, dots or hyphens. A 12-digit group glued to
    other digit groups is still found on its own. Runs that are part of a
    date ("05/03/2024"), a code ("12/QĐ-UBND") or a longer word are skipped;
    a 10-digit phone number never matches either length. Order of first
    appearance, no duplicates.
    """
    found: list[str] = []
    folded = _LOOKALIKE_INSIDE.sub(lambda m: m.group().translate(_LOOKALIKE_DIGIT), fold(text))
    for m in _DIGIT_RUN.finditer(folded):
        for candidate in _candidates(m.group()):
            cccd = len(candidate) == 12 and validate_cccd(candidate, today)
            cmnd = len(candidate) == 9 and validate_cmnd(candidate)
            if cccd or (cmnd and _labelled(folded, m.start())):
                found.append(candidate)
    return list(dict.fromkeys(found))


def _labelled(folded: str, start: int) -> bool:
    return _CMND_LABEL.search(folded[max(0, start - 40) : start]) is not None


def _candidates(run: str) -> list[str]:
    """The whole run if it is 9 or 12 digits, else any 12-digit word of it.

    Groups joined by dots or hyphens are one number ("079203001270-2024" is a
    record code, not an identity number); a space or line break may separate
    two numbers ("079203001270 0903123456").
    """
    whole = _digits(run)
    if len(whole) in (9, 12):
        return [whole]
    return [g for g in run.split() if len(g) == 12 and g.isdigit()]


def mask(number: str) -> str:
    """Hide the middle of an identity number ("079203001270" -> "079******270")."""
    digits = _digits(number)
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]
