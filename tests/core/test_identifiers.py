"""NIK and NIP validation (sdmkesos.core.identifiers): pure Python, no database."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sdmkesos.core.identifiers import (
    ISSUE_CODES,
    IdentifierIssue,
    NikResult,
    NipResult,
    encode_nik,
    encode_nip,
    load_provinces,
    load_regency_codes,
    normalize_nik,
    normalize_nip,
    normalize_sex,
    validate_nik,
    validate_nip,
)

TODAY = date(2025, 6, 15)
PROVINCE_CODES = sorted(load_provinces())
NON_PROVINCE_CODES = [f"{n:02d}" for n in range(100) if f"{n:02d}" not in load_provinces()]

sexes = st.sampled_from(["L", "P"])
province_codes = st.sampled_from(PROVINCE_CODES)
two_digit_parts = st.integers(min_value=1, max_value=99)
nik_sequences = st.integers(min_value=1, max_value=9999)
nip_sequences = st.integers(min_value=1, max_value=999)
ascii_digits = st.text(alphabet="0123456789", min_size=1, max_size=40)


def nik(ddmmyy: str, *, province: str = "35", sequence: str = "0001") -> str:
    """A NIK in Sidoarjo (35.15) with the given date part."""
    return f"{province}1501{ddmmyy}{sequence}"


def error_codes(result: NikResult | NipResult) -> set[str]:
    return {issue.code for issue in result.errors}


# --------------------------------------------------------------------------------------------
# Province data
# --------------------------------------------------------------------------------------------


def test_provinces_loaded_from_bundled_csv() -> None:
    provinces = load_provinces()
    assert len(provinces) == 38
    assert provinces["11"] == "Aceh"
    assert provinces["35"] == "Jawa Timur"
    assert load_provinces() is provinces  # cached


def test_regency_codes_are_dotted() -> None:
    codes = load_regency_codes()
    assert len(codes) == 514
    assert "35.07" in codes


# --------------------------------------------------------------------------------------------
# NIK: round trips
# --------------------------------------------------------------------------------------------


@given(
    province=province_codes,
    regency=two_digit_parts,
    district=two_digit_parts,
    birth=st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)),
    sex=sexes,
    sequence=nik_sequences,
)
def test_nik_round_trip(
    province: str, regency: int, district: int, birth: date, sex: str, sequence: int
) -> None:
    number = encode_nik(province, regency, district, birth, sex, sequence)
    assert len(number) == 16 and number.isdigit()
    result = validate_nik(number, sex=sex, birth_date=birth, today=TODAY)
    assert result.valid, result.issues
    assert result.issues == []
    assert result.nik == number
    assert result.birth_date == birth
    assert result.sex == sex
    assert result.province_code == province
    assert result.province == load_provinces()[province]
    assert result.regency_code == f"{province}.{regency:02d}"
    assert result.district_code == f"{province}.{regency:02d}.{district:02d}"
    assert result.sequence == f"{sequence:04d}"


@given(
    today=st.dates(min_value=date(1990, 1, 1), max_value=date(2150, 12, 31)),
    days_before=st.integers(min_value=0, max_value=99 * 365),
    sex=sexes,
)
def test_nik_century_is_the_one_not_in_the_future(today: date, days_before: int, sex: str) -> None:
    birth = today - timedelta(days=days_before)
    result = validate_nik(encode_nik("35", "07", "01", birth, sex, 1), today=today)
    assert result.valid, result.issues
    assert result.birth_date == birth
    assert result.birth_date <= today


@given(birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), sex=sexes)
def test_nik_day_field_has_40_added_for_women(birth: date, sex: str) -> None:
    number = encode_nik("35", "07", "01", birth, sex, 1)
    day_field = int(number[6:8])
    if sex == "P":
        assert day_field == birth.day + 40
        assert 41 <= day_field <= 71
    else:
        assert day_field == birth.day
        assert 1 <= day_field <= 31


def test_nik_woman_decoded() -> None:
    result = validate_nik("3507015708850003", today=TODAY)
    assert result.valid
    assert result.sex == "P"
    assert result.birth_date == date(1985, 8, 17)


def test_nik_two_digit_year_uses_today() -> None:
    assert validate_nik(nik("010125"), today=TODAY).birth_date == date(2025, 1, 1)
    # 1 December 2025 would be in the future on 15 June 2025, so it is 1925.
    assert validate_nik(nik("011225"), today=TODAY).birth_date == date(1925, 12, 1)
    assert validate_nik(nik("010126"), today=TODAY).birth_date == date(1926, 1, 1)


def test_nik_recorded_birth_date_settles_the_century() -> None:
    result = validate_nik(nik("010120"), birth_date=date(1920, 1, 1), today=TODAY)
    assert result.valid
    assert result.issues == []
    assert result.birth_date == date(1920, 1, 1)


def test_nik_accepts_datetime_arguments() -> None:
    result = validate_nik(
        nik("010190"), birth_date=datetime(1990, 1, 1, 8, 30), today=datetime(2025, 1, 1, 12)
    )
    assert result.valid and result.issues == []


# --------------------------------------------------------------------------------------------
# NIK: rejections
# --------------------------------------------------------------------------------------------


@given(
    head=ascii_digits,
    tail=ascii_digits,
    bad=st.characters(
        codec="utf-8",
        exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc", "Cf"),
        exclude_characters="0123456789.,-\u2010\u2011\u2012\u2013\u2014\u2212eE",
    ),
)
def test_nik_with_a_non_digit_is_rejected(head: str, tail: str, bad: str) -> None:
    assume(not bad.isspace())
    result = validate_nik(head + bad + tail, today=TODAY)
    assert not result.valid
    assert result.codes == ["nik_not_digits"]
    assert bad in str(result.issues[0].params["chars"])
    assert repr(bad) in result.issues[0].message_id


@given(st.text(max_size=40))
def test_nik_any_text_gives_a_result_never_an_exception(text: str) -> None:
    result = validate_nik(text, today=TODAY)
    if result.valid:
        assert len(result.nik) == 16 and result.nik.isascii() and result.nik.isdigit()
    else:
        assert result.errors
    assert set(result.codes) <= ISSUE_CODES


@given(ascii_digits)
def test_nik_wrong_length_is_rejected(digits: str) -> None:
    assume(len(digits) != 16)
    result = validate_nik(digits, today=TODAY)
    assert not result.valid
    expected = "nik_possibly_truncated" if len(digits) == 15 else "nik_not_16_digits"
    assert result.codes == [expected]
    assert result.birth_date is None and result.province is None


def test_nik_empty() -> None:
    assert validate_nik("", today=TODAY).codes == ["nik_empty"]
    assert validate_nik(None, today=TODAY).codes == ["nik_empty"]
    assert validate_nik(" '  ", today=TODAY).codes == ["nik_empty"]


@pytest.mark.parametrize(
    ("ddmmyy", "reason"),
    [
        ("310290", "no_such_date"),  # 31 February
        ("300290", "no_such_date"),
        ("290201", "no_such_date"),  # not a leap year
        ("710290", "no_such_date"),  # woman, 31 February
        ("320190", "day_out_of_range"),
        ("400190", "day_out_of_range"),
        ("720190", "day_out_of_range"),
        ("000190", "day_out_of_range"),
        ("991290", "day_out_of_range"),
        ("011390", "month_out_of_range"),
        ("010090", "month_out_of_range"),
        ("451390", "month_out_of_range"),
        ("351390", "day_and_month_out_of_range"),
    ],
)
def test_nik_invalid_birth_date(ddmmyy: str, reason: str) -> None:
    result = validate_nik(nik(ddmmyy), today=TODAY)
    assert not result.valid
    assert result.codes == ["nik_invalid_birth_date"]
    issue = result.issues[0]
    assert issue.params["reason"] == reason
    assert issue.params["day"] == int(ddmmyy[:2])
    assert issue.params["month"] == int(ddmmyy[2:4])
    assert result.birth_date is None
    assert result.province == "Jawa Timur"  # the rest is still decoded


def test_nik_invalid_birth_date_message_names_day_and_month() -> None:
    issue = validate_nik(nik("451390"), today=TODAY).issues[0]
    assert issue.message_id.startswith("Tanggal lahir dalam NIK tidak valid (hari 45, bulan 13)")
    assert issue.message_en.startswith("Invalid birth date in the NIK (day 45, month 13)")
    woman = validate_nik(nik("710290"), today=TODAY).issues[0]
    assert "31 Februari 1990 tidak ada" in woman.message_id


@given(day_field=st.integers(min_value=0, max_value=99), month=st.integers(0, 99))
def test_nik_day_and_month_fields_outside_their_ranges_are_rejected(
    day_field: int, month: int
) -> None:
    assume(not (1 <= day_field <= 31 or 41 <= day_field <= 71) or not 1 <= month <= 12)
    result = validate_nik(nik(f"{day_field:02d}{month:02d}80"), today=TODAY)
    assert not result.valid
    assert "nik_invalid_birth_date" in error_codes(result)


def test_nik_leap_days() -> None:
    assert validate_nik(nik("290200"), today=TODAY).birth_date == date(2000, 2, 29)
    assert validate_nik(nik("690296"), today=TODAY).birth_date == date(1996, 2, 29)


@pytest.mark.parametrize("province", ["99", "00", "10", "20", "37"])
def test_nik_unknown_province_is_rejected(province: str) -> None:
    result = validate_nik(nik("010190", province=province), today=TODAY)
    assert not result.valid
    assert result.codes == ["nik_unknown_province"]
    assert result.issues[0].params == {"province_code": province}
    assert result.province is None
    assert result.birth_date == date(1990, 1, 1)


@given(province=st.sampled_from(NON_PROVINCE_CODES))
def test_nik_every_code_outside_the_list_is_an_unknown_province(province: str) -> None:
    result = validate_nik(nik("010190", province=province), today=TODAY)
    assert error_codes(result) == {"nik_unknown_province"}


def test_nik_caller_supplied_provinces() -> None:
    custom = {"99": "Provinsi Uji"}
    result = validate_nik(nik("010190", province="99"), provinces=custom, today=TODAY)
    assert result.valid and result.province == "Provinsi Uji"
    assert not validate_nik(nik("010190"), provinces=custom, today=TODAY).valid


def test_nik_sequence_zero_is_rejected() -> None:
    result = validate_nik(nik("010190", sequence="0000"), today=TODAY)
    assert not result.valid
    assert result.codes == ["nik_sequence_zero"]


def test_nik_collects_several_errors() -> None:
    result = validate_nik("9901013102900000", today=TODAY)
    assert error_codes(result) == {
        "nik_unknown_province",
        "nik_invalid_birth_date",
        "nik_sequence_zero",
    }


# --------------------------------------------------------------------------------------------
# NIK: warnings
# --------------------------------------------------------------------------------------------


@given(birth=st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)), sex=sexes)
def test_nik_sex_mismatch_is_a_warning_not_an_error(birth: date, sex: str) -> None:
    other = "P" if sex == "L" else "L"
    result = validate_nik(encode_nik("35", 7, 1, birth, sex, 1), sex=other, today=TODAY)
    assert result.valid
    assert result.codes == ["nik_sex_mismatch"]
    assert result.issues[0].severity == "warning"
    assert result.sex == sex


def test_nik_sex_accepts_usual_spellings() -> None:
    assert validate_nik(nik("410190"), sex="Perempuan", today=TODAY).issues == []
    assert validate_nik(nik("410190"), sex="laki-laki", today=TODAY).codes == ["nik_sex_mismatch"]
    with pytest.raises(ValueError):
        validate_nik(nik("410190"), sex="X", today=TODAY)


def test_nik_birth_date_mismatch_is_a_warning() -> None:
    result = validate_nik(nik("010190"), birth_date=date(1990, 1, 2), today=TODAY)
    assert result.valid
    assert result.codes == ["nik_birth_date_mismatch"]
    issue = result.issues[0]
    assert issue.severity == "warning"
    assert issue.params == {"nik_birth_date": "1990-01-01", "birth_date": "1990-01-02"}
    assert "01-01-1990" in issue.message_id and "02-01-1990" in issue.message_id
    assert result.birth_date == date(1990, 1, 1)


def test_nik_unknown_regency_is_only_a_warning_and_only_when_asked() -> None:
    old_code = "3599014101900001"  # 35.99 does not exist (any more)
    assert validate_nik(old_code, today=TODAY).issues == []
    result = validate_nik(old_code, known_regencies=load_regency_codes(), today=TODAY)
    assert result.valid
    assert result.codes == ["nik_district_unknown"]
    assert result.issues[0].severity == "warning"
    assert result.issues[0].params == {"regency_code": "35.99"}
    known = validate_nik("3507014101900001", known_regencies={"3507"}, today=TODAY)
    assert known.issues == []


# --------------------------------------------------------------------------------------------
# NIK: Excel damage and normalisation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["3.50701410190001E+15", "3,50701E+15", "3.50701e+15", " 3.5E+15 ", "350701410190001"]
)
def test_nik_possibly_truncated_by_excel(raw: str) -> None:
    result = validate_nik(raw, today=TODAY)
    assert not result.valid
    assert result.codes == ["nik_possibly_truncated"]
    assert "Excel" in result.issues[0].message_id
    assert "Excel" in result.issues[0].message_en


@given(st.integers(min_value=10**14, max_value=10**15 - 1))
def test_nik_any_15_digits_possibly_truncated(number: int) -> None:
    assert validate_nik(number, today=TODAY).codes == ["nik_possibly_truncated"]


@pytest.mark.parametrize(
    "raw",
    [
        "3507014101900001",
        " 3507014101900001 ",
        "'3507014101900001",
        "\u20193507014101900001",
        "3507 0141 0190 0001",
        "35.07.01.410190.0001",
        "35-07-01-410190-0001",
        "3507014101900001.0",
        "3507014101900001,00",
        "3507\u00a00141\u200b01900001",
        3507014101900001,
        3507014101900001.0,
    ],
)
def test_normalize_nik(raw: str | int | float) -> None:
    assert normalize_nik(raw) == "3507014101900001"
    assert validate_nik(raw, today=TODAY).valid


def test_normalize_nik_keeps_scientific_notation_and_none() -> None:
    assert normalize_nik("3.50701410190001e+15") == "3.50701410190001E+15"
    assert normalize_nik(None) == ""


@given(
    province=province_codes,
    birth=st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)),
    sex=sexes,
    sequence=nik_sequences,
    separator=st.sampled_from(["", " ", ".", "-"]),
)
def test_nik_formatting_does_not_matter(
    province: str, birth: date, sex: str, sequence: int, separator: str
) -> None:
    number = encode_nik(province, 1, 1, birth, sex, sequence)
    spaced = separator.join([number[0:2], number[2:4], number[4:6], number[6:12], number[12:]])
    assert normalize_nik(spaced) == number
    assert normalize_nik("'" + spaced) == number
    assert normalize_nik(int(number)) == number


# --------------------------------------------------------------------------------------------
# NIK: output shapes
# --------------------------------------------------------------------------------------------


def test_nik_to_json() -> None:
    data = validate_nik("3507015708850003", sex="L", today=TODAY).to_json()
    assert data == {
        "nik": "3507015708850003",
        "valid": True,
        "errors": [
            {
                "code": "nik_sex_mismatch",
                "message": data["errors"][0]["message"],
                "severity": "warning",
                "params": {"nik_sex": "P", "sex": "L"},
            }
        ],
        "province_code": "35",
        "province": "Jawa Timur",
        "birth_date": "1985-08-17",
        "sex": "P",
    }
    assert data["errors"][0]["message"].startswith("Jenis kelamin menurut NIK (perempuan)")
    english = validate_nik("3507015708850003", sex="L", today=TODAY).to_json(lang="en")
    assert english["errors"][0]["message"].startswith("The sex encoded in the NIK (female)")
    json.dumps(data)


def test_nik_to_json_of_undecodable_number() -> None:
    data = validate_nik("12ab", today=TODAY).to_json("en")
    assert data["valid"] is False
    assert data["errors"][0]["code"] == "nik_not_digits"
    assert "province_code" not in data and "birth_date" not in data and "sex" not in data


def test_issue_is_frozen_and_messages_exist_in_both_languages() -> None:
    issue = validate_nik(nik("310290"), today=TODAY).issues[0]
    assert isinstance(issue, IdentifierIssue)
    with pytest.raises(dataclasses.FrozenInstanceError):
        issue.code = "other"  # type: ignore[misc]
    assert issue.message("id") == issue.message_id
    assert issue.message("en-us") == issue.message_en
    assert issue.message_id != issue.message_en


# --------------------------------------------------------------------------------------------
# NIP
# --------------------------------------------------------------------------------------------

NIP_TODAY = date(2026, 1, 1)


@st.composite
def nip_parts(draw: st.DrawFn) -> tuple[date, date, str, int]:
    birth = draw(st.dates(min_value=date(1940, 1, 1), max_value=date(2005, 12, 31)))
    tmt_year = draw(st.integers(min_value=max(1950, birth.year + 18), max_value=2026))
    tmt = date(tmt_year, draw(st.integers(1, 12)), 1)
    return birth, tmt, draw(sexes), draw(nip_sequences)


@given(nip_parts())
def test_nip_round_trip(parts: tuple[date, date, str, int]) -> None:
    birth, tmt, sex, sequence = parts
    number = encode_nip(birth, tmt, sex, sequence)
    assert len(number) == 18 and number.isdigit()
    result = validate_nip(number, sex=sex, birth_date=birth, today=NIP_TODAY)
    assert result.valid, result.issues
    assert result.issues == []
    assert result.birth_date == birth
    assert result.tmt_cpns == tmt
    assert result.sex == sex
    assert result.sequence == f"{sequence:03d}"
    assert number[14] == ("1" if sex == "L" else "2")


def test_nip_decoded() -> None:
    result = validate_nip("19800101 200501 2 003", today=NIP_TODAY)
    assert result.valid
    assert result.nip == "198001012005012003"
    assert result.birth_date == date(1980, 1, 1)
    assert result.tmt_cpns == date(2005, 1, 1)
    assert result.sex == "P"
    assert result.sequence == "003"
    assert result.to_json() == {
        "nip": "198001012005012003",
        "valid": True,
        "errors": [],
        "birth_date": "1980-01-01",
        "tmt_cpns": "2005-01-01",
        "sex": "P",
    }


@pytest.mark.parametrize(
    "raw",
    [
        "198001012005011001",
        "19800101 200501 1 001",
        "'198001012005011001",
        "19800101.200501.1.001",
        198001012005011001,
    ],
)
def test_normalize_nip(raw: str | int) -> None:
    assert normalize_nip(raw) == "198001012005011001"


@given(ascii_digits)
def test_nip_wrong_length_is_rejected(digits: str) -> None:
    assume(len(digits) != 18)
    assert validate_nip(digits, today=NIP_TODAY).codes == ["nip_not_18_digits"]


@given(
    head=st.text(alphabet="0123456789", min_size=1, max_size=17),
    bad=st.sampled_from(list("abcxyzO/#+_*")),
)
def test_nip_with_a_non_digit_is_rejected(head: str, bad: str) -> None:
    result = validate_nip(head + bad + "1", today=NIP_TODAY)
    assert result.codes == ["nip_not_digits"]


def test_nip_empty_and_excel_notation() -> None:
    assert validate_nip("", today=NIP_TODAY).codes == ["nip_empty"]
    assert validate_nip("1.98001012005011E+17", today=NIP_TODAY).codes == ["nip_possibly_truncated"]


@pytest.mark.parametrize(
    ("tmt", "reason"),
    [
        ("200513", "month_out_of_range"),
        ("200500", "month_out_of_range"),
        ("194912", "year_out_of_range"),
        ("202801", "year_out_of_range"),  # after next year
        ("199001", "too_young"),  # born 1980: 10 years old
    ],
)
def test_nip_invalid_tmt_cpns(tmt: str, reason: str) -> None:
    result = validate_nip(f"19800101{tmt}1001", today=NIP_TODAY)
    assert not result.valid
    assert result.codes == ["nip_invalid_tmt_cpns"]
    assert result.issues[0].params["reason"] == reason
    assert result.birth_date == date(1980, 1, 1)


def test_nip_tmt_month_13_message() -> None:
    issue = validate_nip("198001012005131001", today=NIP_TODAY).issues[0]
    assert "bulan 13 tidak ada" in issue.message_id
    assert "month 13 does not exist" in issue.message_en


def test_nip_tmt_next_year_is_allowed() -> None:
    assert validate_nip("198001012027011001", today=date(2026, 6, 1)).valid


@pytest.mark.parametrize(
    ("birth", "reason"),
    [
        ("19800230", "no_such_date"),
        ("19801301", "month_out_of_range"),
        ("19800100", "no_such_date"),
        ("18990101", "year_out_of_range"),
        ("20300101", "in_future"),
    ],
)
def test_nip_invalid_birth_date(birth: str, reason: str) -> None:
    result = validate_nip(f"{birth}2005011001", today=NIP_TODAY)
    assert "nip_invalid_birth_date" in error_codes(result)
    issue = next(i for i in result.issues if i.code == "nip_invalid_birth_date")
    assert issue.params["reason"] == reason
    assert result.birth_date is None


@given(digit=st.sampled_from(list("03456789")))
def test_nip_gender_digit_must_be_1_or_2(digit: str) -> None:
    result = validate_nip(f"19800101200501{digit}001", today=NIP_TODAY)
    assert not result.valid
    assert result.codes == ["nip_invalid_gender_digit"]
    assert result.issues[0].params == {"digit": digit}
    assert result.sex is None


def test_nip_gender_digit_3_message() -> None:
    issue = validate_nip("198001012005013001", today=NIP_TODAY).issues[0]
    assert issue.code == "nip_invalid_gender_digit"
    assert issue.message_id.endswith("bukan 3.")


def test_nip_sequence_zero_is_rejected() -> None:
    result = validate_nip("198001012005011000", today=NIP_TODAY)
    assert not result.valid
    assert result.codes == ["nip_sequence_zero"]


@given(nip_parts(), st.integers(min_value=1, max_value=3650))
def test_nip_birth_date_mismatch(parts: tuple[date, date, str, int], shift: int) -> None:
    birth, tmt, sex, sequence = parts
    recorded = birth + timedelta(days=shift)
    result = validate_nip(
        encode_nip(birth, tmt, sex, sequence), birth_date=recorded, today=NIP_TODAY
    )
    assert not result.valid
    assert result.codes == ["nip_birth_date_mismatch"]
    assert result.issues[0].params == {
        "nip_birth_date": birth.isoformat(),
        "birth_date": recorded.isoformat(),
    }
    assert result.birth_date == birth


@given(nip_parts())
def test_nip_sex_mismatch_is_a_warning(parts: tuple[date, date, str, int]) -> None:
    birth, tmt, sex, sequence = parts
    other = "P" if sex == "L" else "L"
    result = validate_nip(encode_nip(birth, tmt, sex, sequence), sex=other, today=NIP_TODAY)
    assert result.valid
    assert result.codes == ["nip_sex_mismatch"]
    assert result.issues[0].severity == "warning"


@given(st.text(max_size=30))
def test_nip_any_text_gives_a_result_never_an_exception(text: str) -> None:
    result = validate_nip(text, today=NIP_TODAY)
    assert result.valid or result.errors
    assert set(result.codes) <= ISSUE_CODES


# --------------------------------------------------------------------------------------------
# Encoders and helpers
# --------------------------------------------------------------------------------------------


def test_encode_nik_accepts_dotted_codes() -> None:
    birth = date(1985, 8, 17)
    assert encode_nik("35", "35.07", "35.07.01", birth, "P", 3) == "3507015708850003"
    assert encode_nik(35, 7, 1, birth, "P", "0003") == "3507015708850003"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("35", "36.07", "01", date(1985, 1, 1), "L", 1), "does not lie"),
        (("35", "07", "01", date(1985, 1, 1), "L", 0), "sequence"),
        (("35", "07", "01", date(1985, 1, 1), "L", 10000), "sequence"),
        (("350", "07", "01", date(1985, 1, 1), "L", 1), "province_code"),
        (("35", "07", "01", date(1985, 1, 1), "", 1), "sex"),
    ],
)
def test_encode_nik_rejects_parts_that_do_not_fit(args: tuple[object, ...], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        encode_nik(*args)  # type: ignore[arg-type]


def test_encode_nip() -> None:
    assert encode_nip(date(1980, 1, 1), date(2005, 1, 15), "L", 1) == "198001012005011001"
    with pytest.raises(ValueError, match="sequence"):
        encode_nip(date(1980, 1, 1), date(2005, 1, 1), "L", 1000)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("L", "L"),
        ("p", "P"),
        ("Laki-laki", "L"),
        ("PEREMPUAN", "P"),
        ("Pria", "L"),
        ("Wanita", "P"),
        ("M", "L"),
        ("F", "P"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_sex(raw: str | None, expected: str | None) -> None:
    assert normalize_sex(raw) == expected


def test_every_code_renders_in_both_languages() -> None:
    samples: list[NikResult | NipResult] = [
        validate_nik(
            value,
            sex="L",
            birth_date=date(1970, 1, 1),
            known_regencies=load_regency_codes(),
            today=TODAY,
        )
        for value in [
            "",
            "x",
            "123",
            "350701410190001",
            "3.5E+15",
            "990101453590 0000",
            "3599014101900001",
            "3507017102900001",
            "3507013213900001",
        ]
    ] + [
        validate_nip(value, sex="P", birth_date=date(1970, 1, 1), today=NIP_TODAY)
        for value in [
            "",
            "x",
            "123",
            "1.9E+17",
            "198002302005133000",
            "198001011990011001",
            "197001012005011001",
            "18990101202801 1 001",
            "203001012005011001",
            "198013012005011001",
        ]
    ]
    seen: set[str] = set()
    for result in samples:
        for issue in result.issues:
            seen.add(issue.code)
            assert issue.message_id and issue.message_en
            assert "{" not in issue.message_id and "{" not in issue.message_en
    assert seen == ISSUE_CODES
