"""Validation and decoding of Indonesian personal identifiers: NIK and NIP.

Pure Python (no Django imports), so imports, the API, the CLI and the demo data generators can all
use it, and it is fast to test.

NIK (Nomor Induk Kependudukan, national ID, 16 digits): ``PP KK CC DDMMYY NNNN``

- ``PP`` province, ``KK`` kabupaten/kota (regency/city), ``CC`` kecamatan (district) where the
  person was first registered. The province is checked strictly; the regency and district are only
  checked leniently (a warning, and only when the caller supplies the known regency codes) because
  they may be codes from before a region was split or renamed.
- ``DDMMYY`` birth date; for women the day has 40 added (41-71). The two-digit year is resolved
  to the century that does not put the birth date in the future.
- ``NNNN`` sequence number, from 0001.

NIP (Nomor Induk Pegawai, civil servant number of a PNS, 18 digits): ``YYYYMMDD YYYYMM G NNN``
= birth date, start of CPNS status (TMT CPNS, year and month), gender digit (1 male, 2 female) and
a 3-digit sequence. (PPPK staff have an 18-digit number with other semantics; this module only
knows the PNS NIP.)

Each problem is an :class:`IdentifierIssue` with a stable ``code`` (also used in API responses,
import reports and the CLI), parameters, and a message in Indonesian and English. Issues of
severity ``"error"`` make the identifier invalid; ``"warning"`` issues do not.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Final, Literal, TypeAlias

__all__ = [
    "ISSUE_CODES",
    "IdentifierIssue",
    "NikResult",
    "NipResult",
    "encode_nik",
    "encode_nip",
    "load_provinces",
    "load_regency_codes",
    "normalize_nik",
    "normalize_nip",
    "normalize_sex",
    "validate_nik",
    "validate_nip",
]

Severity: TypeAlias = Literal["error", "warning"]
Sex: TypeAlias = Literal["L", "P"]
ParamValue: TypeAlias = str | int
RawIdentifier: TypeAlias = str | int | float | None

_PACKAGE: Final = __name__.rpartition(".")[0] or "sdmkesos.core"

NIK_LENGTH: Final = 16
NIP_LENGTH: Final = 18
NIP_MIN_TMT_YEAR: Final = 1950
NIP_MIN_BIRTH_YEAR: Final = 1900
NIP_MIN_AGE_AT_TMT: Final = 15
_WOMAN_DAY_OFFSET: Final = 40

# --------------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------------

_MONTHS_ID: Final = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_MONTHS_EN: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SEX_LABELS: Final[Mapping[str, tuple[str, str]]] = {
    "L": ("laki-laki", "male"),
    "P": ("perempuan", "female"),
}

_EXCEL_HINT_ID: Final = "Format kolom sebagai Teks lalu isi ulang dari dokumen aslinya."
_EXCEL_HINT_EN: Final = "Format the column as Text and re-enter the number from the source."

# code -> (Indonesian template, English template). Templates are str.format()ted with the issue's
# params plus derived values (see _context). A "{reason}" placeholder is filled from _REASONS.
_TEMPLATES: Final[Mapping[str, tuple[str, str]]] = {
    # NIK
    "nik_empty": ("NIK kosong.", "The NIK is empty."),
    "nik_not_digits": (
        "NIK hanya boleh berisi angka, tetapi memuat {chars_text}.",
        "The NIK must contain digits only, but contains {chars_text}.",
    ),
    "nik_not_16_digits": (
        "NIK harus 16 digit, tetapi berisi {length} digit.",
        "The NIK must have 16 digits, but has {length}.",
    ),
    "nik_possibly_truncated": ("{reason}", "{reason}"),
    "nik_unknown_province": (
        "Kode provinsi {province_code} pada NIK (2 digit pertama) tidak dikenal.",
        "Unknown province code {province_code} in the NIK (its first 2 digits).",
    ),
    "nik_district_unknown": (
        "Kode kabupaten/kota {regency_code} pada NIK tidak ada dalam daftar wilayah saat ini; "
        "mungkin kode lama sebelum pemekaran wilayah. Mohon diperiksa.",
        "Regency/city code {regency_code} in the NIK is not in the current list of regions; "
        "it may be an old code from before a region was split. Please check.",
    ),
    "nik_invalid_birth_date": (
        "Tanggal lahir dalam NIK tidak valid (hari {day}, bulan {month}): {reason}.",
        "Invalid birth date in the NIK (day {day}, month {month}): {reason}.",
    ),
    "nik_sequence_zero": (
        "Nomor urut pada NIK (4 digit terakhir) tidak boleh 0000.",
        "The sequence number in the NIK (its last 4 digits) cannot be 0000.",
    ),
    "nik_sex_mismatch": (
        "Jenis kelamin menurut NIK ({nik_sex_label}) berbeda dengan jenis kelamin yang diisi "
        "({sex_label}). Pada NIK perempuan, tanggal lahir ditambah 40.",
        "The sex encoded in the NIK ({nik_sex_label}) differs from the sex given ({sex_label}). "
        "For women, the NIK adds 40 to the day of birth.",
    ),
    "nik_birth_date_mismatch": (
        "Tanggal lahir menurut NIK ({nik_birth_date_text}) berbeda dengan tanggal lahir yang "
        "diisi ({birth_date_text}).",
        "The birth date encoded in the NIK ({nik_birth_date_text}) differs from the birth date "
        "given ({birth_date_text}).",
    ),
    # NIP
    "nip_empty": ("NIP kosong.", "The NIP is empty."),
    "nip_not_digits": (
        "NIP hanya boleh berisi angka, tetapi memuat {chars_text}.",
        "The NIP must contain digits only, but contains {chars_text}.",
    ),
    "nip_not_18_digits": (
        "NIP harus 18 digit, tetapi berisi {length} digit.",
        "The NIP must have 18 digits, but has {length}.",
    ),
    "nip_possibly_truncated": (
        "NIP tertulis sebagai angka Excel ({value}), sehingga digit terakhirnya hilang. "
        + _EXCEL_HINT_ID,
        "The NIP is written as an Excel number ({value}), so its last digits were lost. "
        + _EXCEL_HINT_EN,
    ),
    "nip_invalid_birth_date": (
        "Tanggal lahir dalam NIP (digit 1-8: {text}) tidak valid: {reason}.",
        "Invalid birth date in the NIP (digits 1-8: {text}): {reason}.",
    ),
    "nip_invalid_tmt_cpns": (
        "TMT CPNS dalam NIP (digit 9-14: {text}) tidak valid: {reason}.",
        "Invalid start of CPNS status (TMT CPNS) in the NIP (digits 9-14: {text}): {reason}.",
    ),
    "nip_invalid_gender_digit": (
        "Digit ke-15 NIP (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan), bukan {digit}.",
        "Digit 15 of the NIP (sex) must be 1 (male) or 2 (female), not {digit}.",
    ),
    "nip_sequence_zero": (
        "Nomor urut pada NIP (3 digit terakhir) tidak boleh 000. Jika NIP berasal dari Excel, "
        "3 digit terakhir mungkin hilang karena disimpan sebagai angka.",
        "The sequence number in the NIP (its last 3 digits) cannot be 000. If the NIP comes from "
        "Excel, the last 3 digits may have been lost by storing it as a number.",
    ),
    "nip_sex_mismatch": (
        "Jenis kelamin menurut NIP ({nip_sex_label}) berbeda dengan jenis kelamin yang diisi "
        "({sex_label}).",
        "The sex encoded in the NIP ({nip_sex_label}) differs from the sex given ({sex_label}).",
    ),
    "nip_birth_date_mismatch": (
        "Tanggal lahir menurut NIP ({nip_birth_date_text}) berbeda dengan tanggal lahir yang "
        "diisi ({birth_date_text}).",
        "The birth date encoded in the NIP ({nip_birth_date_text}) differs from the birth date "
        "given ({birth_date_text}).",
    ),
}

# (code, reason) -> (Indonesian, English): the "{reason}" part of a template.
_REASONS: Final[Mapping[tuple[str, str], tuple[str, str]]] = {
    ("nik_possibly_truncated", "scientific"): (
        "NIK tertulis sebagai angka Excel ({value}), sehingga digit terakhirnya kemungkinan besar "
        "hilang. " + _EXCEL_HINT_ID,
        "The NIK is written as an Excel number ({value}), so its last digit was probably lost. "
        + _EXCEL_HINT_EN,
    ),
    ("nik_possibly_truncated", "fifteen_digits"): (
        "NIK hanya {length} digit ({value}); kemungkinan digit terakhir hilang karena Excel "
        "menyimpannya sebagai angka. " + _EXCEL_HINT_ID,
        "The NIK has only {length} digits ({value}); Excel probably lost the last digit by storing "
        "it as a number. " + _EXCEL_HINT_EN,
    ),
    ("nik_invalid_birth_date", "day_out_of_range"): (
        "angka hari harus 01-31, atau 41-71 untuk perempuan (tanggal lahir + 40)",
        "the day must be 01-31, or 41-71 for women (day of birth + 40)",
    ),
    ("nik_invalid_birth_date", "month_out_of_range"): (
        "bulan harus 01-12",
        "the month must be 01-12",
    ),
    ("nik_invalid_birth_date", "day_and_month_out_of_range"): (
        "angka hari harus 01-31 (perempuan 41-71) dan bulan harus 01-12",
        "the day must be 01-31 (women 41-71) and the month 01-12",
    ),
    ("nik_invalid_birth_date", "no_such_date"): (
        "tanggal {real_day} {month_name} {year} tidak ada{female_note}",
        "{month_name} {real_day}, {year} does not exist{female_note}",
    ),
    ("nip_invalid_birth_date", "month_out_of_range"): (
        "bulan {month} tidak ada (harus 01-12)",
        "month {month} does not exist (must be 01-12)",
    ),
    ("nip_invalid_birth_date", "no_such_date"): (
        "tanggal {day} {month_name} {year} tidak ada",
        "{month_name} {day}, {year} does not exist",
    ),
    ("nip_invalid_birth_date", "year_out_of_range"): (
        "tahun lahir {year} tidak mungkin (paling awal {min_year})",
        "birth year {year} is not plausible (earliest {min_year})",
    ),
    ("nip_invalid_birth_date", "in_future"): (
        "tanggal lahir {date_text} belum terjadi",
        "the birth date {date_text} is in the future",
    ),
    ("nip_invalid_tmt_cpns", "month_out_of_range"): (
        "bulan {month} tidak ada (harus 01-12)",
        "month {month} does not exist (must be 01-12)",
    ),
    ("nip_invalid_tmt_cpns", "year_out_of_range"): (
        "tahun {year} tidak mungkin (harus antara {min_year} dan {max_year})",
        "year {year} is not plausible (must be between {min_year} and {max_year})",
    ),
    ("nip_invalid_tmt_cpns", "too_young"): (
        "tahun {year} kurang dari {min_age} tahun setelah tahun lahir {birth_year}",
        "year {year} is less than {min_age} years after the birth year {birth_year}",
    ),
}

_ISSUE_SEVERITIES: Final[Mapping[str, Severity]] = {
    "nik_sex_mismatch": "warning",
    "nik_district_unknown": "warning",
    "nik_birth_date_mismatch": "warning",
    "nip_sex_mismatch": "warning",
}

#: Every code this module can report.
ISSUE_CODES: Final[frozenset[str]] = frozenset(_TEMPLATES)


def _is_english(lang: str) -> bool:
    return lang.lower().startswith("en")


def _format_date(iso: str, english: bool) -> str:
    try:
        value = date.fromisoformat(iso)
    except ValueError:
        return iso
    if english:
        return value.isoformat()
    return value.strftime("%d-%m-%Y")


def _context(code: str, params: Mapping[str, ParamValue], english: bool) -> dict[str, Any]:
    """The values a template may use: the params plus language-specific renderings."""
    index = 1 if english else 0
    ctx: dict[str, Any] = dict(params)
    month = params.get("month")
    if isinstance(month, int) and 1 <= month <= 12:
        ctx["month_name"] = (_MONTHS_EN if english else _MONTHS_ID)[month - 1]
    for key, value in params.items():
        if key == "date" or key.endswith("birth_date"):
            ctx[f"{key}_text"] = _format_date(str(value), english)
        if key.endswith("sex") and str(value) in _SEX_LABELS:
            ctx[f"{key}_label"] = _SEX_LABELS[str(value)][index]
    chars = params.get("chars")
    if isinstance(chars, str):
        ctx["chars_text"] = ", ".join(repr(c) for c in chars)
    real_day = params.get("real_day")
    day = params.get("day")
    if isinstance(day, int) and isinstance(real_day, int) and day > _WOMAN_DAY_OFFSET:
        ctx["female_note"] = (
            f" (for women the NIK day is {day} = {real_day} + 40)"
            if english
            else f" (untuk perempuan angka hari {day} = tanggal {real_day} + 40)"
        )
    else:
        ctx["female_note"] = ""
    reason = params.get("reason")
    if isinstance(reason, str) and (code, reason) in _REASONS:
        ctx["reason"] = _REASONS[code, reason][index].format(**ctx)
    return ctx


def _render(code: str, params: Mapping[str, ParamValue]) -> tuple[str, str]:
    id_template, en_template = _TEMPLATES[code]
    return (
        id_template.format(**_context(code, params, english=False)),
        en_template.format(**_context(code, params, english=True)),
    )


@dataclass(frozen=True)
class IdentifierIssue:
    """One problem found in an identifier.

    ``code`` is stable (safe to match on in code, API clients and import reports); ``params`` holds
    the values the messages mention (JSON-serialisable: str and int only).
    """

    code: str
    message_id: str
    message_en: str
    params: dict[str, ParamValue] = field(default_factory=dict, hash=False)
    severity: Severity = "error"

    @classmethod
    def create(cls, code: str, /, **params: ParamValue) -> IdentifierIssue:
        """Build an issue with its messages and severity from the catalogue."""
        message_id, message_en = _render(code, params)
        return cls(
            code=code,
            message_id=message_id,
            message_en=message_en,
            params=params,
            severity=_ISSUE_SEVERITIES.get(code, "error"),
        )

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def message(self, lang: str = "id") -> str:
        """The message in ``lang`` ("id", the default, or "en"; "en-us" etc. also mean English)."""
        return self.message_en if _is_english(lang) else self.message_id

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message(lang),
            "severity": self.severity,
            "params": dict(self.params),
        }


_issue = IdentifierIssue.create


# --------------------------------------------------------------------------------------------
# Region data
# --------------------------------------------------------------------------------------------


def _read_region_csv(filename: str) -> list[dict[str, str]]:
    resource = resources.files(_PACKAGE) / "data" / "regions" / filename
    text = resource.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def load_provinces() -> Mapping[str, str]:
    """Province code ("35") -> name ("Jawa Timur"), from ``data/regions/provinces.csv``.

    Read on first use and cached; the mapping is read-only.
    """
    rows = _read_region_csv("provinces.csv")
    return MappingProxyType({row["code"].strip(): row["name"].strip() for row in rows})


@lru_cache(maxsize=1)
def load_regency_codes() -> frozenset[str]:
    """Current regency/city codes in dotted form ("35.07"), from ``data/regions/regencies.csv``.

    Suitable as ``known_regencies`` for :func:`validate_nik`.
    """
    return frozenset(row["code"].strip() for row in _read_region_csv("regencies.csv"))


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_DIGITS: Final = frozenset("0123456789")
_ZERO_WIDTH: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# Removed anywhere (besides whitespace and zero-width characters): dots, commas, dashes.
_SEPARATORS: Final = frozenset(".,-\u2010\u2011\u2012\u2013\u2014\u2212")
_APOSTROPHES: Final = "'\u2018\u2019`"
# Excel's display of a long number: "3.50701410190001E+15" (or with a decimal comma).
_SCIENTIFIC_RE: Final = re.compile(r"[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]{1,3}")
# A whole number written as a float: "3507014101900001.0".
_FLOAT_SUFFIX_RE: Final = re.compile(r"([0-9]+)[.,]0+")


def _clean_number(raw: RawIdentifier) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float):
        text = str(int(raw)) if raw.is_integer() else repr(raw)
    else:
        text = str(raw)
    text = "".join(c for c in text if not c.isspace() and c not in _ZERO_WIDTH)
    text = text.lstrip(_APOSTROPHES)
    if _SCIENTIFIC_RE.fullmatch(text):
        # Kept as is (not expanded): the digits it stood for are already lost.
        return text.upper()
    match = _FLOAT_SUFFIX_RE.fullmatch(text)
    if match:
        return match.group(1)
    return "".join(c for c in text if c not in _SEPARATORS)


def normalize_nik(raw: RawIdentifier) -> str:
    """Clean a NIK as typed or pasted: drop spaces, dots, commas, dashes, a leading apostrophe
    (Excel's text marker) and a float's ".0"; accept ints. ``None`` gives "".

    A number in Excel's scientific notation ("3.50701410190001E+15") is returned unexpanded, so
    that :func:`validate_nik` can report it as truncated. The result is not validated.
    """
    return _clean_number(raw)


def normalize_nip(raw: RawIdentifier) -> str:
    """Clean a NIP like :func:`normalize_nik` ("19800101 200501 1 001" -> "198001012005011001")."""
    return _clean_number(raw)


_SEX_ALIASES: Final[Mapping[str, Sex]] = {
    "L": "L",
    "LK": "L",
    "LAKI": "L",
    "LAKILAKI": "L",
    "PRIA": "L",
    "M": "L",
    "MALE": "L",
    "P": "P",
    "PR": "P",
    "PEREMPUAN": "P",
    "WANITA": "P",
    "F": "P",
    "FEMALE": "P",
    "W": "P",
}


def normalize_sex(value: str | None) -> Sex | None:
    """Sex as "L"/"P" from the usual spellings (L, P, Laki-laki, Perempuan, Pria, Wanita, M, F).

    ``None`` or blank gives ``None``; anything else raises ``ValueError``.
    """
    if value is None:
        return None
    key = re.sub(r"[\s\-._/]", "", value).upper()
    if not key:
        return None
    try:
        return _SEX_ALIASES[key]
    except KeyError:
        raise ValueError(f"unknown sex {value!r}: expected 'L' or 'P'") from None


def _non_digits(value: str) -> str:
    return "".join(dict.fromkeys(c for c in value if c not in _DIGITS))


def _plain_date(value: date) -> date:
    """A ``datetime`` (a ``date`` subclass that does not compare with dates) as its date."""
    return value.date() if isinstance(value, datetime) else value


def _optional_date(value: date | None) -> date | None:
    return None if value is None else _plain_date(value)


def _has_error(issues: list[IdentifierIssue]) -> bool:
    return any(issue.is_error for issue in issues)


# --------------------------------------------------------------------------------------------
# NIK
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NikResult:
    """The outcome of :func:`validate_nik`. Decoded fields are ``None`` when not decodable; they
    are filled in whenever possible, even if the NIK is invalid, so check ``valid`` first."""

    nik: str
    valid: bool
    issues: list[IdentifierIssue]
    province_code: str | None = None
    province: str | None = None
    regency_code: str | None = None
    district_code: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    sequence: str | None = None

    @property
    def errors(self) -> list[IdentifierIssue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def warnings(self) -> list[IdentifierIssue]:
        return [issue for issue in self.issues if not issue.is_error]

    @property
    def codes(self) -> list[str]:
        return [issue.code for issue in self.issues]

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        """``{"nik", "valid", "errors": [{code, message, severity, params}], ...}`` plus, when
        decoded, ``province_code``, ``province``, ``birth_date`` (ISO) and ``sex``."""
        data: dict[str, Any] = {
            "nik": self.nik,
            "valid": self.valid,
            "errors": [issue.to_json(lang) for issue in self.issues],
        }
        if self.province_code is not None:
            data["province_code"] = self.province_code
        if self.province is not None:
            data["province"] = self.province
        if self.birth_date is not None:
            data["birth_date"] = self.birth_date.isoformat()
        if self.sex is not None:
            data["sex"] = self.sex
        return data


def _resolve_century(yy: int, month: int, day: int, today: date) -> int:
    """The year ending in ``yy`` that does not put (month, day) after ``today``."""
    year = today.year - today.year % 100 + yy
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year


def _decode_nik_birth(
    field_value: str, today: date
) -> tuple[date | None, Sex | None, IdentifierIssue | None]:
    day_field, month, yy = int(field_value[0:2]), int(field_value[2:4]), int(field_value[4:6])
    sex: Sex | None = None
    real_day = day_field
    if 1 <= day_field <= 31:
        sex = "L"
    elif _WOMAN_DAY_OFFSET + 1 <= day_field <= _WOMAN_DAY_OFFSET + 31:
        sex = "P"
        real_day = day_field - _WOMAN_DAY_OFFSET
    day_ok = sex is not None
    month_ok = 1 <= month <= 12
    if not day_ok or not month_ok:
        reason = (
            "day_and_month_out_of_range"
            if not day_ok and not month_ok
            else "day_out_of_range"
            if not day_ok
            else "month_out_of_range"
        )
        issue = _issue(
            "nik_invalid_birth_date", day=day_field, month=month, yy=f"{yy:02d}", reason=reason
        )
        return None, sex, issue
    year = _resolve_century(yy, month, real_day, today)
    try:
        birth = date(year, month, real_day)
    except ValueError:
        issue = _issue(
            "nik_invalid_birth_date",
            day=day_field,
            month=month,
            yy=f"{yy:02d}",
            reason="no_such_date",
            real_day=real_day,
            year=year,
        )
        return None, sex, issue
    return birth, sex, None


def _nik_failure(nik: str, issue: IdentifierIssue) -> NikResult:
    return NikResult(nik=nik, valid=False, issues=[issue])


def validate_nik(
    nik: RawIdentifier,
    *,
    sex: str | None = None,
    birth_date: date | None = None,
    provinces: Mapping[str, str] | None = None,
    known_regencies: Collection[str] | None = None,
    today: date | None = None,
) -> NikResult:
    """Validate and decode a NIK.

    ``nik`` is normalised first (:func:`normalize_nik`). ``sex`` ("L"/"P" or a usual spelling, see
    :func:`normalize_sex`) and ``birth_date`` are the person's recorded values: a difference gives
    a warning. ``provinces`` (code -> name) defaults to the bundled list. ``known_regencies``
    (dotted "35.07" or plain "3507" codes, e.g. :func:`load_regency_codes`) enables the lenient
    regency check. ``today`` (default: today) resolves the two-digit birth year.
    """
    value = normalize_nik(nik)
    given_sex = normalize_sex(sex)
    given_birth = _optional_date(birth_date)
    reference = _optional_date(today) or date.today()

    if not value:
        return _nik_failure(value, _issue("nik_empty"))
    if _SCIENTIFIC_RE.fullmatch(value):
        return _nik_failure(
            value, _issue("nik_possibly_truncated", value=value, reason="scientific")
        )
    bad = _non_digits(value)
    if bad:
        return _nik_failure(value, _issue("nik_not_digits", chars=bad))
    if len(value) == NIK_LENGTH - 1:
        return _nik_failure(
            value,
            _issue(
                "nik_possibly_truncated",
                value=value,
                length=len(value),
                reason="fifteen_digits",
            ),
        )
    if len(value) != NIK_LENGTH:
        return _nik_failure(value, _issue("nik_not_16_digits", length=len(value)))

    issues: list[IdentifierIssue] = []
    pp, kk, cc, sequence = value[0:2], value[2:4], value[4:6], value[12:16]
    regency_code = f"{pp}.{kk}"
    province_map = load_provinces() if provinces is None else provinces
    province = province_map.get(pp)
    if province is None:
        issues.append(_issue("nik_unknown_province", province_code=pp))
    elif known_regencies is not None and not (
        regency_code in known_regencies or pp + kk in known_regencies
    ):
        issues.append(_issue("nik_district_unknown", regency_code=regency_code))

    decoded_birth, decoded_sex, birth_issue = _decode_nik_birth(value[6:12], reference)
    if birth_issue is not None:
        issues.append(birth_issue)
    if sequence == "0000":
        issues.append(_issue("nik_sequence_zero"))

    if given_sex is not None and decoded_sex is not None and given_sex != decoded_sex:
        issues.append(_issue("nik_sex_mismatch", nik_sex=decoded_sex, sex=given_sex))
    if given_birth is not None and decoded_birth is not None and given_birth != decoded_birth:
        same_except_century = given_birth.year % 100 == decoded_birth.year % 100 and (
            given_birth.month,
            given_birth.day,
        ) == (decoded_birth.month, decoded_birth.day)
        if same_except_century:
            # The NIK agrees; the recorded date tells which century the two digits mean.
            decoded_birth = given_birth
        else:
            issues.append(
                _issue(
                    "nik_birth_date_mismatch",
                    nik_birth_date=decoded_birth.isoformat(),
                    birth_date=given_birth.isoformat(),
                )
            )

    return NikResult(
        nik=value,
        valid=not _has_error(issues),
        issues=issues,
        province_code=pp,
        province=province,
        regency_code=regency_code,
        district_code=f"{regency_code}.{cc}",
        birth_date=decoded_birth,
        sex=decoded_sex,
        sequence=sequence,
    )


def _two_digits(value: str | int, what: str, *, prefix: str = "") -> str:
    """ "07", 7 or (with ``prefix`` "35") "35.07" -> "07"."""
    text = str(value).strip()
    if prefix and "." in text:
        head, _, text = text.rpartition(".")
        if head.replace(".", "") != prefix.replace(".", ""):
            raise ValueError(f"{what} {value!r} does not lie in {prefix}")
    if not (text.isascii() and text.isdigit()) or len(text) > 2:
        raise ValueError(f"{what} must be 1-2 digits, got {value!r}")
    return text.zfill(2)


def _required_sex(sex: str) -> Sex:
    value = normalize_sex(sex)
    if value is None:
        raise ValueError("sex is required")
    return value


def encode_nik(
    province_code: str | int,
    regency: str | int,
    district: str | int,
    birth_date: date,
    sex: str,
    sequence: int | str,
) -> str:
    """Build a NIK. ``regency`` may be "07", 7 or "35.07"; ``district`` "01", 1 or "35.07.01";
    ``sequence`` 1-9999. Raises ``ValueError`` for parts that do not fit."""
    pp = _two_digits(province_code, "province_code")
    kk = _two_digits(regency, "regency", prefix=pp)
    cc = _two_digits(district, "district", prefix=f"{pp}.{kk}")
    birth = _plain_date(birth_date)
    day = birth.day + (_WOMAN_DAY_OFFSET if _required_sex(sex) == "P" else 0)
    number = int(sequence)
    if not 1 <= number <= 9999:
        raise ValueError(f"NIK sequence must be 1-9999, got {sequence!r}")
    return f"{pp}{kk}{cc}{day:02d}{birth.month:02d}{birth.year % 100:02d}{number:04d}"


# --------------------------------------------------------------------------------------------
# NIP
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NipResult:
    """The outcome of :func:`validate_nip`; decoded fields as in :class:`NikResult`."""

    nip: str
    valid: bool
    issues: list[IdentifierIssue]
    birth_date: date | None = None
    tmt_cpns: date | None = None
    sex: Sex | None = None
    sequence: str | None = None

    @property
    def errors(self) -> list[IdentifierIssue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def warnings(self) -> list[IdentifierIssue]:
        return [issue for issue in self.issues if not issue.is_error]

    @property
    def codes(self) -> list[str]:
        return [issue.code for issue in self.issues]

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        """``{"nip", "valid", "errors": [...]}`` plus, when decoded, ``birth_date``,
        ``tmt_cpns`` (ISO, first of the month) and ``sex``."""
        data: dict[str, Any] = {
            "nip": self.nip,
            "valid": self.valid,
            "errors": [issue.to_json(lang) for issue in self.issues],
        }
        if self.birth_date is not None:
            data["birth_date"] = self.birth_date.isoformat()
        if self.tmt_cpns is not None:
            data["tmt_cpns"] = self.tmt_cpns.isoformat()
        if self.sex is not None:
            data["sex"] = self.sex
        return data


def _nip_failure(nip: str, issue: IdentifierIssue) -> NipResult:
    return NipResult(nip=nip, valid=False, issues=[issue])


def _decode_nip_birth(text: str, today: date) -> tuple[date | None, IdentifierIssue | None]:
    year, month, day = int(text[0:4]), int(text[4:6]), int(text[6:8])

    def problem(reason: str, **extra: ParamValue) -> IdentifierIssue:
        return _issue(
            "nip_invalid_birth_date",
            text=text,
            year=year,
            month=month,
            day=day,
            reason=reason,
            **extra,
        )

    if not 1 <= month <= 12:
        return None, problem("month_out_of_range")
    if year < NIP_MIN_BIRTH_YEAR:
        return None, problem("year_out_of_range", min_year=NIP_MIN_BIRTH_YEAR)
    try:
        birth = date(year, month, day)
    except ValueError:
        return None, problem("no_such_date")
    if birth > today:
        return None, problem("in_future", date=birth.isoformat())
    return birth, None


def _decode_nip_tmt(
    text: str, birth: date | None, today: date
) -> tuple[date | None, IdentifierIssue | None]:
    year, month = int(text[0:4]), int(text[4:6])
    max_year = today.year + 1

    def problem(reason: str, **extra: ParamValue) -> IdentifierIssue:
        return _issue(
            "nip_invalid_tmt_cpns", text=text, year=year, month=month, reason=reason, **extra
        )

    if not 1 <= month <= 12:
        return None, problem("month_out_of_range")
    tmt = date(year, month, 1) if year >= 1 else None
    if not NIP_MIN_TMT_YEAR <= year <= max_year:
        return tmt, problem("year_out_of_range", min_year=NIP_MIN_TMT_YEAR, max_year=max_year)
    if birth is not None and year < birth.year + NIP_MIN_AGE_AT_TMT:
        return tmt, problem("too_young", birth_year=birth.year, min_age=NIP_MIN_AGE_AT_TMT)
    return tmt, None


def validate_nip(
    nip: RawIdentifier,
    *,
    sex: str | None = None,
    birth_date: date | None = None,
    today: date | None = None,
) -> NipResult:
    """Validate and decode a (PNS) NIP.

    ``sex`` and ``birth_date`` are the person's recorded values: a different sex is a warning, a
    different birth date an error (the NIP encodes the full date). ``today`` (default: today)
    bounds plausible dates: birth not in the future, TMT CPNS between 1950 and next year and at
    least 15 years after the birth year.
    """
    value = normalize_nip(nip)
    given_sex = normalize_sex(sex)
    given_birth = _optional_date(birth_date)
    reference = _optional_date(today) or date.today()

    if not value:
        return _nip_failure(value, _issue("nip_empty"))
    if _SCIENTIFIC_RE.fullmatch(value):
        return _nip_failure(value, _issue("nip_possibly_truncated", value=value))
    bad = _non_digits(value)
    if bad:
        return _nip_failure(value, _issue("nip_not_digits", chars=bad))
    if len(value) != NIP_LENGTH:
        return _nip_failure(value, _issue("nip_not_18_digits", length=len(value)))

    issues: list[IdentifierIssue] = []
    birth, birth_issue = _decode_nip_birth(value[0:8], reference)
    if birth_issue is not None:
        issues.append(birth_issue)
    tmt, tmt_issue = _decode_nip_tmt(value[8:14], birth, reference)
    if tmt_issue is not None:
        issues.append(tmt_issue)

    digit = value[14]
    decoded_sex: Sex | None = "L" if digit == "1" else "P" if digit == "2" else None
    if decoded_sex is None:
        issues.append(_issue("nip_invalid_gender_digit", digit=digit))
    sequence = value[15:18]
    if sequence == "000":
        issues.append(_issue("nip_sequence_zero"))

    if given_birth is not None and birth is not None and given_birth != birth:
        issues.append(
            _issue(
                "nip_birth_date_mismatch",
                nip_birth_date=birth.isoformat(),
                birth_date=given_birth.isoformat(),
            )
        )
    if given_sex is not None and decoded_sex is not None and given_sex != decoded_sex:
        issues.append(_issue("nip_sex_mismatch", nip_sex=decoded_sex, sex=given_sex))

    return NipResult(
        nip=value,
        valid=not _has_error(issues),
        issues=issues,
        birth_date=birth,
        tmt_cpns=tmt,
        sex=decoded_sex,
        sequence=sequence,
    )


def encode_nip(birth_date: date, tmt_cpns: date, sex: str, sequence: int | str) -> str:
    """Build a NIP from the birth date, TMT CPNS (only year and month are used), sex and a
    sequence 1-999. Raises ``ValueError`` for parts that do not fit."""
    birth = _plain_date(birth_date)
    tmt = _plain_date(tmt_cpns)
    digit = "1" if _required_sex(sex) == "L" else "2"
    number = int(sequence)
    if not 1 <= number <= 999:
        raise ValueError(f"NIP sequence must be 1-999, got {sequence!r}")
    born = f"{birth.year:04d}{birth.month:02d}{birth.day:02d}"
    return f"{born}{tmt.year:04d}{tmt.month:02d}{digit}{number:03d}"
