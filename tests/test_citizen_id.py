"""Citizen identity numbers (extract.citizen_id): validation, finding in OCR text, masking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.citizen_id import (
    MAX_AGE,
    PROVINCES,
    birth_year,
    find_citizen_ids,
    mask,
    validate_cccd,
    validate_cmnd,
)

TODAY = date(2025, 6, 1)


def test_province_list_is_the_63_official_codes() -> None:
    assert len(PROVINCES) == 63
    assert PROVINCES["001"] == "Hà Nội"
    assert PROVINCES["079"] == "Hồ Chí Minh"
    assert PROVINCES["096"] == "Cà Mau"
    assert PROVINCES["048"] == "Đà Nẵng"
    assert "003" not in PROVINCES and "097" not in PROVINCES


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("079203001270", True),  # HCM, 21st century male, born 2003
        ("079 203 001 270", True),
        ("079.203.001.270", True),
        ("001185012345", True),  # Hà Nội, 20th century female, 1985
        ("096320000001", True),  # Cà Mau, 21st century female, 2020
        ("003203001270", False),  # 003 is no province
        ("079225001270", False),  # born 2025... fine this year, see next line
        ("079226001270", False),  # born 2026: in the future
        ("079004001270", False),  # born 1904: more than 120 years ago
        ("07920300127", False),  # 11 digits
        ("0792030012700", False),  # 13 digits
        ("07920300127O", False),  # a letter
        ("", False),
    ],
)
def test_validate_cccd(number: str, ok: bool) -> None:
    if number == "079225001270":
        assert validate_cccd(number, TODAY)  # the current year itself is allowed
        return
    assert validate_cccd(number, TODAY) is ok


def test_century_digits() -> None:
    assert birth_year("079085001234") == 1985
    assert birth_year("079185001234") == 1985
    assert birth_year("079285001234") == 2085
    assert birth_year("079485001234") == 2185
    assert birth_year("079685001234") == 2285
    assert birth_year("079985001234") == 2385
    assert birth_year("0790") is None


@given(
    province=st.sampled_from(sorted(PROVINCES)),
    age=st.integers(0, MAX_AGE),
    female=st.booleans(),
    tail=st.integers(0, 999_999),
)
def test_every_plausible_number_validates(province: str, age: int, female: bool, tail: int) -> None:
    year = TODAY.year - age
    gender = 2 * ((year - 1900) // 100) + int(female)
    number = f"{province}{gender}{year % 100:02d}{tail:06d}"
    assert validate_cccd(number, TODAY)
    assert birth_year(number) == year
    spaced = " ".join((number[:3], number[3:6], number[6:9], number[9:]))
    assert find_citizen_ids(f"Ông A, CCCD số {spaced}, cư trú tại Quận 1.", TODAY) == [number]


@given(st.text(max_size=20))
def test_validate_never_raises_and_rejects_non_numbers(text: str) -> None:
    ok = validate_cccd(text, TODAY)
    assert not ok or sum(ch.isdigit() for ch in text) == 12


@given(st.integers(0, 10**12 - 1))
def test_validity_depends_only_on_province_and_year(n: int) -> None:
    number = f"{n:012d}"
    year = birth_year(number)
    assert year is not None
    expected = number[:3] in PROVINCES and TODAY.year - MAX_AGE <= year <= TODAY.year
    assert validate_cccd(number, TODAY) is expected


def test_find_in_text_with_groupings_and_ocr_letters() -> None:
    text = (
        "Ông Lê Văn Tám, CCCD số 079 085 001 234; bà Hoa CCCD: 079190002468.\n"
        "Ông Hải, căn cước 079.088.012.345, ông Lợi CCCD số O79 O88 012 346.\n"
    )
    assert find_citizen_ids(text, TODAY) == [
        "079085001234", "079190002468", "079088012345", "079088012346",
    ]


def test_several_ocr_letters_in_a_row_inside_a_number() -> None:
    assert find_citizen_ids("bà Hoa, CCCD số 0792O3OO127O, cấp ngày", TODAY) == ["079203001270"]
    assert find_citizen_ids("năm 2O24, trang l0", TODAY) == []


def test_number_wrapped_over_two_lines() -> None:
    assert find_citizen_ids("CCCD số 079 178\n004 512, và", TODAY) == ["079178004512"]


@pytest.mark.parametrize(
    "text",
    [
        "Điện thoại 0903 123 456 hoặc 0903123456",  # 10-digit phone numbers
        "Số: 12/QĐ-UBND ngày 05/03/2024",  # code and date
        "Tài khoản 0010850123456789 tại Vietcombank",  # longer digit string
        "Mã hồ sơ 079203001270-2024",  # part of a longer code
        "Hồ sơ số 123456789 lưu tại VP",  # 9 digits without a CMND label
        "CCCD số 079226001270",  # born in the future
    ],
)
def test_not_identity_numbers(text: str) -> None:
    assert find_citizen_ids(text, TODAY) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("CMND số 023 456 789", ["023456789"]),
        ("Chứng minh nhân dân số: 024567891", ["024567891"]),
        ("CMND/CCCD số 271234567", ["271234567"]),
        ("CMND số 993456789", []),  # no such province prefix
        ("CMND số 0234567890", []),  # 10 digits
    ],
)
def test_cmnd_only_after_its_label(text: str, found: list[str]) -> None:
    assert find_citizen_ids(text, TODAY) == found


def test_duplicates_reported_once_in_order() -> None:
    text = "079203001270 ... 001185012345 ... 079 203 001 270"
    assert find_citizen_ids(text, TODAY) == ["079203001270", "001185012345"]


def test_mask() -> None:
    assert mask("079203001270") == "079******270"
    assert mask("079 203 001 270") == "079******270"
    assert mask("023456789") == "023***789"
    assert mask("12345") == "*****"


def test_validate_cmnd() -> None:
    assert validate_cmnd("023456789")
    assert not validate_cmnd("000456789")
    assert not validate_cmnd("12345678")
