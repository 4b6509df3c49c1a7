"""Cell parsers for office sheets. Pure Python: each returns the parsed value or raises
``CellError`` with a stable code and a reason a clerk understands (Indonesian and English)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

EXCEL_EPOCH = dt.date(1899, 12, 30)
MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
SEX = {
    "l": "L", "lk": "L", "laki-laki": "L", "laki laki": "L", "lakilaki": "L", "laki": "L",
    "pria": "L", "m": "L", "male": "L",
    "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "w": "P", "f": "P", "female": "P",
}


class CellError(Exception):
    def __init__(self, code: str, message_id: str, message_en: str) -> None:
        super().__init__(code)
        self.code = code
        self.message_id = message_id
        self.message_en = message_en

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang.startswith("en") else self.message_id


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if type(value) is str:
        return not value or value.isspace()
    return False


def text(value: Any) -> str:
    if type(value) is str:
        folded = " ".join(value.split())
        if folded[:1] == "'" and folded[1:2] in ("=", "+", "-", "@"):
            return folded[1:]  # undo the export's formula neutralisation
        return folded
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    folded = " ".join(str(value).split())
    if folded[:1] == "'" and folded[1:2] in ("=", "+", "-", "@"):
        return folded[1:]  # undo the export's formula neutralisation
    return folded


def parse_date(value: Any) -> dt.date:
    """Excel serials, dates, dd-mm-yyyy, dd/mm/yyyy, dd.mm.yyyy, yyyy-mm-dd and
    '17 Agustus 1990'."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 100000:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError("date_invalid", f"Tanggal tidak dikenali: {text(value)}",
                        f"Unrecognised date: {text(value)}")
    raw = text(value).strip()
    if raw.isdigit() and len(raw) <= 5:
        return parse_date(int(raw))
    m = _ISO_DATE.fullmatch(raw)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DMY_DATE.fullmatch(raw)
        if m:
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
        else:
            m = _NAMED_DATE.fullmatch(raw)
            if not m or m[2].lower() not in MONTHS:
                raise CellError(
                    "date_invalid",
                    f"Tanggal '{raw}' tidak dikenali; gunakan dd-mm-yyyy, misalnya 17-08-1990",
                    f"Date '{raw}' not recognised; use dd-mm-yyyy, e.g. 17-08-1990")
            d, mo, y = int(m[1]), MONTHS[m[2].lower()], int(m[3])
        if y < 100:
            y += 1900 if y > dt.date.today().year % 100 else 2000
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise CellError("date_invalid", f"Tanggal '{raw}' tidak ada di kalender",
                        f"Date '{raw}' does not exist") from None


def parse_sex(value: Any) -> str:
    key = text(value).strip().lower().rstrip(".")
    if key in SEX:
        return SEX[key]
    raise CellError("sex_invalid", f"Jenis kelamin '{text(value)}' tidak dikenali; isi L atau P",
                    f"Sex '{text(value)}' not recognised; use L or P")


def parse_identifier(value: Any, length: int, label: str) -> str:
    """A NIK (16) or NIP (18) as typed: numbers that Excel stored as floats lose digits beyond 15
    significant ones, so a numeric cell that long is refused with that reason."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        digits = str(int(value))
        if len(digits) >= 16:
            raise CellError(
                f"{label.lower()}_stored_as_number",
                f"{label} tersimpan sebagai angka di Excel; digit terakhir bisa hilang "
                f"({digits}). Format kolom sebagai Teks lalu ketik ulang.",
                f"{label} is stored as a number in Excel and may have lost its last digits "
                f"({digits}). Format the column as Text and re-enter it.")
        return digits
    raw = text(value).strip().lstrip("'").replace(" ", "").replace(".", "").replace("-", "")
    if _SCIENTIFIC.fullmatch(raw):
        raise CellError(
            f"{label.lower()}_stored_as_number",
            f"{label} tertulis dalam notasi ilmiah ({raw}); digit sudah hilang. "
            "Format kolom sebagai Teks lalu ketik ulang.",
            f"{label} is in scientific notation ({raw}); digits are lost. "
            "Format the column as Text and re-enter it.")
    return raw


def split_place_date(value: Any) -> tuple[str, dt.date]:
    """'Malang, 17-08-1990' or 'Malang / 17 Agustus 1990' → ('Malang', date)."""
    raw = text(value)
    m = re.fullmatch(r"\s*(.*?)\s*[,/;]\s*(.+?)\s*", raw)
    if not m:
        m = re.fullmatch(r"\s*(\D*?)\s+(\d.*?)\s*", raw)
    if not m:
        raise CellError("place_date_invalid",
                        f"'{raw}' bukan 'Tempat, tanggal lahir' (contoh: Malang, 17-08-1990)",
                        f"'{raw}' is not 'place, date of birth' (e.g. Malang, 17-08-1990)")
    return m[1].strip().title(), parse_date(m[2])


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_DMY_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})")
_NAMED_DATE = re.compile(r"(\d{1,2})[\s\-/.]+([A-Za-z]+)\.?[\s\-/.]+(\d{4})")
_SCIENTIFIC = re.compile(r"\d+(,\d+)?E\+\d+", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=8192)
def _fold(raw: str) -> str:
    return " ".join(_NON_ALNUM.sub(" ", raw.lower()).split())


def normalise_label(value: Any) -> str:
    """Header text folded for matching: lower case, punctuation to spaces."""
    return _fold(text(value))


REGION_PREFIXES = re.compile(
    r"^(kabupaten|kab\.?|kab|kota administrasi|kota adm\.?|kota|provinsi|prov\.?)\s+", re.I)


def region_key(name: str) -> tuple[str, str]:
    """('kota'|'kab'|'', folded name) for matching region names with their variants."""
    raw = " ".join(text(name).split())
    kind = ""
    m = REGION_PREFIXES.match(raw)
    if m:
        word = m[1].lower()
        kind = "kota" if word.startswith("kota") else "kab" if word.startswith("kab") else ""
        raw = raw[m.end():]
    return kind, normalise_label(raw)
