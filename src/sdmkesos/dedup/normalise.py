"""Normalising Indonesian person data for record linkage. Pure Python, no Django.

Names as offices type them carry titles and degrees ("Drs. H. Moch. Ali, S.Sos, M.Si"), old and
new spellings (Soekarno/Sukarno, Djoko/Joko, Tjahjo/Cahyo), and many written forms of a few very
common name parts (Muhammad/Muhamad/Mochammad/Moh./M., Siti/Sitti, Nur/Nurul/Noer). ``name_key``
folds these into one canonical form; ``name_tokens`` gives its parts so that dropped or swapped
parts can still be compared.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Titles written before the name (religious, academic, professional, traditional).
PREFIX_TITLES = frozenset({
    "h", "hj", "hajjah", "haji", "kh", "drs", "dra", "dr", "drg", "ir", "prof", "ust", "ustadz",
    "ustadzah", "tgh", "tgk", "teuku", "raden", "rd", "rr", "r", "ny", "nn", "tn", "bpk", "ibu",
    "bapak", "sdr", "sdri", "apt", "ns", "bd", "hc", "ners",
})
# Degrees (gelar) written after the name, compared with their dots and spaces removed.
DEGREES = frozenset({
    "ssos", "sksos", "skesos", "strsos", "sst", "sstp", "ssi", "skom", "spd", "spdi", "sh",
    "shi", "se", "sag", "sip", "sikom", "spsi", "skm", "skep", "sked", "sfarm", "sgz", "st",
    "sp", "spt", "shut", "sthi", "sth", "ssn", "ss", "sn", "sds", "sak", "sa", "sm", "sei",
    "sthum", "ssy", "sgk", "sosi", "skg", "mm", "msi", "mkes", "mpd", "mag", "mh", "mt",
    "msc", "mba", "mkom", "map", "mpsi", "mkm", "me", "mhum", "msos", "mikom", "mpdi", "mse",
    "mtr", "amd", "amdkep", "amdkeb", "amk", "ama", "amdkes", "ak", "cpa", "phd", "mphil",
    "dsc", "drpd", "ba", "bsc", "ma", "spk", "spog", "spa", "sppd", "mtrsos", "mksos",
    "ssosi", "ssit", "amdpar", "amdtrsos", "dipl", "spsikolog", "psikolog", "cht",
})
# Written forms of very common name parts, folded to one canonical form.
TOKEN_VARIANTS: dict[str, str] = {}
for _canon, _forms in {
    "muhammad": ("muhammad", "muhamad", "muhammmad", "mohammad", "mohamad", "mohammed",
                 "mochammad", "mochamad", "mokhammad", "mokhamad", "muchammad", "muchamad",
                 "mukhammad", "muhamat", "muhammat", "mohamat", "moch", "moh", "mochd",
                 "muh", "mhd", "mhmd", "mohd", "muhd", "md", "mu", "mochamat", "m"),
    "siti": ("siti", "sitti", "sity", "st"),
    "nur": ("nur", "nurul", "noer", "noor", "nuur", "nurl"),
    "abdul": ("abdul", "abd", "abdoel", "abdu"),
    "ahmad": ("ahmad", "achmad", "akhmad", "ahmat", "achmat", "akhmat", "ahmed", "amad",
              "hmad"),
    "abdullah": ("abdullah", "abdulah", "abdollah"),
    "rahman": ("rahman", "rachman", "rakhman", "rahmat", "rachmat", "rakhmat"),
    "fatimah": ("fatimah", "fatima", "fatma", "fathimah"),
    "yusuf": ("yusuf", "jusuf", "yoesoef", "joesoef", "yusup", "yusof"),
    "hidayat": ("hidayat", "hidajat"),
    "syaiful": ("syaiful", "saiful", "syaifu", "saifoel", "syaifullah", "saifullah"),
    "zainal": ("zainal", "zaenal", "jainal"),
    "sri": ("sri", "srie"),
    "dwi": ("dwi", "dui"),
    "tri": ("tri", "trie"),
    "eko": ("eko", "ekko"),
    "i": ("i", "i."),
    "ni": ("ni",),
    "putu": ("putu", "ptu"),
    "komang": ("komang", "kmg"),
    "ketut": ("ketut", "ktut"),
}.items():
    for _form in _forms:
        TOKEN_VARIANTS[_form] = _canon

# Parts so common that sharing them says little; blocking and token overlap ignore them.
COMMON_TOKENS = frozenset({
    "muhammad", "siti", "nur", "abdul", "ahmad", "sri", "dwi", "tri", "eko", "i", "ni", "putu",
    "made", "kadek", "komang", "ketut", "gede", "ayu", "luh", "nyoman", "wayan", "ade", "bin",
    "binti", "al", "el", "dewi", "rahma", "rizki", "putri", "indah",
})

_OLD_SPELLING = (
    ("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh"),
    ("ph", "f"), ("dh", "d"), ("th", "t"), ("q", "k"), ("z", "s"), ("v", "f"),
)
_DOUBLE = re.compile(r"(.)\1+")
_NON_LETTER = re.compile(r"[^a-z ]+")


def fold_ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=100_000)
def spelling_key(token: str) -> str:
    """Old spellings to new (oe→u, dj→j, tj→c, ...), doubled letters collapsed, h after a vowel
    at the end dropped (Fatimah/Fatima)."""
    out, previous = token, ""
    while out != previous:  # to a fixed point: "zj" → "sj" → "sy"
        previous = out
        for old, new in _OLD_SPELLING:
            out = out.replace(old, new)
        out = _DOUBLE.sub(r"\1", out)
    if len(out) > 3 and out.endswith("h") and out[-2] in "aeiou":
        out = out[:-1]
    if len(out) > 2 and out.endswith("y") and out[-2] not in "aeiou":
        out = out[:-1] + "i"  # Rizky/Rizki, Hendy/Hendi
    return out


def _compact(word: str) -> str:
    return re.sub(r"[^a-z]", "", word)


def name_tokens(name: str | None) -> list[str]:
    """The name's parts, titles and degrees removed, variants folded, in written order."""
    if not name:
        return []
    return list(_name_tokens(str(name)))


@lru_cache(maxsize=500_000)
def _name_tokens(name: str) -> tuple[str, ...]:
    text = fold_ascii(name).lower().replace("`", "'")
    # Everything after the first comma is degrees: "Budi Santoso, S.Sos., M.Si".
    head = text.split(",", 1)[0]
    words = [w for w in re.split(r"\s+", head.strip()) if _compact(w)]
    if not words:
        return ()
    # Titles before the name, while more words follow ("H. Ahmad", "Drs Ahmad").
    while len(words) > 1 and _compact(words[0]) in PREFIX_TITLES:
        words.pop(0)
    # Degrees after the name: dotted ones anywhere ("S.Sos", "M.Si"), bare ones at the end
    # ("Budi Santoso SE").
    words = [words[0]] + [w for w in words[1:]
                          if not (_compact(w) in DEGREES and ("." in w or len(_compact(w)) >= 4))]
    while len(words) > 1 and _compact(words[-1]) in DEGREES:
        words.pop()
    tokens: list[str] = []
    for word in words:
        # "Abdul.Rahman", "Nur-Aini": split on inner punctuation.
        for part in _NON_LETTER.sub(" ", word.replace("'", "")).split():
            canon = TOKEN_VARIANTS.get(part)
            if canon is None:
                canon = spelling_key(part)
                canon = TOKEN_VARIANTS.get(canon, canon)
            tokens.append(canon)
    return tuple(tokens)


def name_key(name: str | None) -> str:
    return " ".join(name_tokens(name))


def distinctive_tokens(tokens: list[str]) -> list[str]:
    """Name parts that are not among the very common ones (used for blocking and overlap)."""
    return [t for t in tokens if t not in COMMON_TOKENS and len(t) > 1]


def place_key(place: str | None) -> str:
    """Birth place folded: 'Kab. Malang', 'KOTA MALANG', 'Malang' → 'malang'."""
    if not place:
        return ""
    return _place_key(str(place))


@lru_cache(maxsize=50_000)
def _place_key(place: str) -> str:
    text = fold_ascii(place).lower()
    text = re.sub(r"^\s*(kabupaten|kab\.?|kota administrasi|kota adm\.?|kota|kodya)\s+", "", text)
    text = _NON_LETTER.sub(" ", text)
    return " ".join(spelling_key(w) for w in text.split())


def nik_key(nik: str | None) -> str:
    """16 digits or '' (missing or unusable)."""
    if not nik:
        return ""
    digits = re.sub(r"\D", "", str(nik))
    return digits if len(digits) == 16 and set(digits) != {"0"} else ""


def sex_key(sex: str | None) -> str:
    if not sex:
        return ""
    value = str(sex).strip().upper()[:1]
    return value if value in ("L", "P") else ""


def date_key(value: dt.date | str | None) -> str:
    """ISO date string or ''."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return ""


def swapped_date_key(iso: str) -> str:
    """The date with day and month swapped, when that is also a date ('' otherwise)."""
    if not iso:
        return ""
    year, month, day = iso.split("-")
    if month == day or int(day) > 12:
        return ""
    return f"{year}-{day}-{month}"


@dataclass(frozen=True)
class LinkRecord:
    """One record to link: ``record_id`` is the caller's id (person id, sheet record id)."""

    record_id: str
    name: str
    birth_date: dt.date | str | None = None
    birth_place: str | None = None
    sex: str | None = None
    nik: str | None = None
    region: str | None = None  # managing region code (any level) or a region name


def prepare(record: LinkRecord) -> dict[str, object]:
    """The linkage columns of one record."""
    tokens = name_tokens(record.name)
    distinct = distinctive_tokens(tokens)
    dob = date_key(record.birth_date)
    region = (record.region or "").strip()
    if region and not region[0].isdigit():
        region = place_key(region)
    prov = region.split(".")[0] if region and region[0].isdigit() else ""
    kab = ".".join(region.split(".")[:2]) if prov else region
    nik = nik_key(record.nik)
    return {
        "unique_id": str(record.record_id),
        "name_key": " ".join(tokens) or None,
        "name_sorted": " ".join(sorted(tokens)) or None,
        "name_tokens": distinct or tokens or None,
        "name_first": (distinct[0] if distinct else (tokens[0] if tokens else None)),
        "name_last": (distinct[-1] if distinct else (tokens[-1] if tokens else None)),
        "dob": dob or None,
        "dob_swap": swapped_date_key(dob) or None,
        "dob_year": dob[:4] or None,
        "birth_place": place_key(record.birth_place) or None,
        "sex": sex_key(record.sex) or None,
        "nik": nik or None,
        "nik_head": nik[:12] or None,  # region + birth date digits
        "nik_tail": nik[6:] or None,  # birth date + sequence digits
        "nik_region_seq": (nik[:6] + nik[12:]) or None,  # region + sequence digits
        "region_prov": prov or None,
        "region_kab": kab or None,
    }
