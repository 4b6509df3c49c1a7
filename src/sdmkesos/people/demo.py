"""Synthetic, realistic demo workers: the generator behind ``sdmkesos demo`` and the benchmarks.

Two halves:

* The generator (:class:`Catalogue`, :func:`generate`) is pure Python: no Django imports, no
  database. Given the reference data (regions, organisations, code lists) in a :class:`Catalogue`
  and a seed, it yields :class:`DemoPerson` objects, always the same ones for the same seed and
  catalogue (and calendar year: ages are counted from 1 January of the reference year).
* The seeding functions at the end (:func:`seed_demo`, :func:`ensure_demo_users`, ...) write them
  with ``bulk_create`` and import Django models lazily, so importing this module needs no settings.

Demo people are recognisable by their NIK: the 4-digit sequence is ``9901``-``9999``
(:data:`DEMO_NIK_REGEX`; real sequences count up from 0001 per birth date and kecamatan and never
get near that), which is how ``sdmkesos demo`` finds and ``--reset`` deletes them.
Their e-mail addresses use the reserved ``.example`` top-level domain.

What the data looks like (see ``docs`` and the domain primer): people in every province, weighted by
population (Jawa Barat, Jawa Timur, Jawa Tengah largest) with extra weight on Kabupaten Malang;
volunteers (PSM, TKSK, Tagana, ...) and Pendamping PKH the majority, ASN and functional positions
fewer; employment status consistent with the category; a province-dependent minority (about 25-35%)
with a peksos/kesos education; NIKs that encode the region of registration, birth date and sex; PNS
NIPs with a TMT CPNS after age 18.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from faker import Faker

from sdmkesos.core.identifiers import encode_nik, encode_nip

if TYPE_CHECKING:
    from sdmkesos.core.models import User

    from .models import Person

DEMO_PASSWORD = "sdmkesos-demo"
DEMO_SEQ_BASE = 9900  # demo NIK sequences are 9901-9999
DEMO_NIK_REGEX = r"^[0-9]{12}99[0-9]{2}$"
DEFAULT_PERSONS = 20_000
DEFAULT_SEED = 2025

T = TypeVar("T")

# --------------------------------------------------------------------------------------------
# Reference data the generator needs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgInfo:
    code: str
    type: str
    region: str | None  # the organisation's own region
    managing_region: str | None  # Organisation.managing_region_code (None: national body)


@dataclass
class Catalogue:
    """Reference data, in a stable order. Build it with :func:`catalogue_from_database` or by
    hand (tests)."""

    provinces: dict[str, str]  # "35" -> "Jawa Timur"
    regencies: dict[str, str]  # "35.07" -> "Kabupaten Malang"
    districts: dict[str, list[tuple[str, str]]]  # "35.07" -> [("35.07.01", "Donomulyo"), ...]
    organisations: dict[str, OrgInfo]  # by code
    categories: frozenset[str]
    statuses: frozenset[str]
    levels: dict[str, int]  # education level code -> rank
    fields: dict[str, bool]  # field of study code -> is_kesos

    def __post_init__(self) -> None:
        self.regencies_by_province: dict[str, list[str]] = defaultdict(list)
        for code in self.regencies:
            self.regencies_by_province[code[:2]].append(code)
        self.units_by_province: dict[str, list[str]] = defaultdict(list)
        for org in self.organisations.values():
            if org.type in _UNIT_TYPES and org.managing_region:
                self.units_by_province[org.managing_region[:2]].append(org.code)
        self.national_orgs = [o.code for o in self.organisations.values()
                              if o.managing_region is None and o.code in _NATIONAL_ORG_WEIGHTS]


# --------------------------------------------------------------------------------------------
# The generated records
# --------------------------------------------------------------------------------------------


@dataclass
class DemoEducation:
    level: str
    field: str | None
    institution: str
    graduation_year: int
    field_text: str = ""


@dataclass
class DemoPerson:
    nik: str
    nip: str | None
    name: str
    sex: str
    birth_place: str
    birth_date: dt.date
    phone: str
    email: str
    address: str
    domicile_region: str | None
    organisation: str  # organisation code
    region: str | None  # managing region (the organisation's managing_region_code)
    position: str
    category: str
    employment_status: str
    start_date: dt.date
    education: list[DemoEducation] = field(default_factory=list)
    # Derived from ``education`` (as people.actions.refresh_current does); set by the generator.
    education_level: str | None = None
    field_of_study: str | None = None
    kesos_background: bool = False

    @property
    def region_prov(self) -> str:
        return self.region[:2] if self.region else ""

    @property
    def region_kab(self) -> str:
        return self.region[:5] if self.region and len(self.region) >= 5 else ""


def derive_education(person: DemoPerson, ranks: Mapping[str, int],
                     kesos_fields: Mapping[str, bool]) -> None:
    """Highest education (by rank, then latest graduation, then last entered) and the
    peksos/kesos flag (any record in a kesos field), as ``refresh_current`` derives them."""
    if not person.education:
        person.education_level = person.field_of_study = None
        person.kesos_background = False
        return
    best = max(enumerate(person.education),
               key=lambda ie: (ranks.get(ie[1].level, 0), ie[1].graduation_year, ie[0]))[1]
    person.education_level = best.level
    person.field_of_study = best.field
    person.kesos_background = any(kesos_fields.get(e.field or "", False)
                                  for e in person.education)


# --------------------------------------------------------------------------------------------
# Weights and word lists
# --------------------------------------------------------------------------------------------

# Population 2024 in millions (BPS projections, rounded); the workforce follows it roughly.
PROVINCE_WEIGHTS: dict[str, float] = {
    "11": 5.5, "12": 15.6, "13": 5.8, "14": 6.7, "15": 3.7, "16": 8.8, "17": 2.1, "18": 9.4,
    "19": 1.5, "21": 2.2, "31": 10.7, "32": 50.3, "33": 37.9, "34": 3.8, "35": 45.0, "36": 12.4,
    "51": 4.4, "52": 5.6, "53": 5.6, "61": 5.6, "62": 2.8, "63": 4.2, "64": 4.0, "65": 0.7,
    "71": 2.7, "72": 3.1, "73": 9.4, "74": 2.8, "75": 1.2, "76": 1.5, "81": 1.9, "82": 1.4,
    "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.4, "95": 1.4, "96": 0.6,
}
NATIONAL_SHARE = 0.025  # staff of Kemensos, Poltekesos and the BBPPKS
MALANG = "35.07"
MALANG_SHARE_OF_JATIM = 0.12  # Kabupaten Malang gets a good number (demo user kabmalang)

# Share with a peksos/kesos background per province: 25-35%, stable per province code, a little
# higher around the schools of social work (Bandung, Jakarta, Yogyakarta, Malang).
_KESOS_OVERRIDES = {"32": 0.35, "31": 0.34, "34": 0.34, "35": 0.32, "95": 0.25, "93": 0.25}


def province_kesos_share(code: str) -> float:
    if code in _KESOS_OVERRIDES:
        return _KESOS_OVERRIDES[code]
    return 0.25 + (zlib.crc32(code.encode()) % 1000) / 1000 * 0.10


_UNIT_TYPES = frozenset({"upt", "panti", "balai"})
_NATIONAL_ORG_WEIGHTS: dict[str, float] = {
    "KEMENSOS": 8, "KEMENSOS-SETJEN": 8, "KEMENSOS-REHSOS": 10, "KEMENSOS-DAYASOS": 8,
    "KEMENSOS-LINJAMSOS": 8, "KEMENSOS-BP3S": 4, "KEMENSOS-PUSDIKLATBANGPROF": 5,
    "POLTEKESOS": 10, "BBPPKS-1": 6, "BBPPKS-2": 6, "BBPPKS-3": 6, "BBPPKS-4": 5, "BBPPKS-5": 5,
    "BBPPKS-6": 4, "UNIV-UNPAD": 1, "UNIV-UI": 1, "UNIV-UMM": 1, "UNIV-UNBORNEO": 0.5,
}

# Workforce category by the type of the employing organisation.
_CATEGORY_WEIGHTS: dict[str, dict[str, float]] = {
    "dinsos_kabkota": {
        "psm": 27, "pendamping_pkh": 20, "tagana": 11, "tksk": 10, "relawan_sosial": 8,
        "karang_taruna": 6, "asn_dinsos": 10, "pekerja_sosial": 2.5, "penyuluh_sosial": 1.5,
        "sakti_peksos": 2, "trc": 2,
    },
    "dinsos_provinsi": {
        "asn_dinsos": 42, "tagana": 14, "trc": 6, "pekerja_sosial": 9, "penyuluh_sosial": 6,
        "pendamping_pkh": 8, "relawan_sosial": 7, "sakti_peksos": 6, "widyaiswara": 2,
    },
    "unit": {"asn_dinsos": 45, "pekerja_sosial": 33, "relawan_sosial": 10, "sakti_peksos": 10,
             "widyaiswara": 2},
    "kementerian": {"asn_kemensos": 70, "pekerja_sosial": 14, "penyuluh_sosial": 10,
                    "pendamping_pkh": 6},
    "bbppks": {"asn_kemensos": 50, "widyaiswara": 40, "pekerja_sosial": 10},
    "poltekesos": {"dosen": 60, "asn_kemensos": 35, "widyaiswara": 5},
    "universitas": {"dosen": 100},
}
_ORG_TYPE_GROUP = {"upt": "unit", "panti": "unit", "balai": "unit",
                   "unit_kementerian": "kementerian", "kementerian": "kementerian"}

# (share of women, min age, max age, employment status weights, kesos multiplier, program start)
_CATEGORY_PROFILE: dict[str, tuple[float, int, int, dict[str, float], float, int]] = {
    "psm": (0.55, 22, 64, {"relawan": 1}, 0.75, 1985),
    "tksk": (0.30, 22, 60, {"relawan": 1}, 1.0, 2009),
    "tagana": (0.25, 20, 50, {"relawan": 1}, 0.55, 2004),
    "trc": (0.30, 22, 50, {"relawan": 1}, 0.6, 2015),
    "karang_taruna": (0.45, 20, 40, {"relawan": 1}, 0.6, 1990),
    "relawan_sosial": (0.50, 20, 64, {"relawan": 1}, 0.8, 1990),
    "pendamping_pkh": (0.60, 23, 55, {"non_asn": 1}, 1.35, 2007),
    "sakti_peksos": (0.65, 23, 50, {"non_asn": 1}, 2.8, 2009),
    "asn_dinsos": (0.50, 22, 58, {"pns": 78, "pppk": 22}, 0.85, 1985),
    "asn_kemensos": (0.50, 22, 58, {"pns": 85, "pppk": 15}, 1.1, 1985),
    "pekerja_sosial": (0.60, 23, 58, {"pns": 75, "pppk": 25}, 2.6, 1990),
    "penyuluh_sosial": (0.50, 23, 58, {"pns": 80, "pppk": 20}, 1.8, 1990),
    "widyaiswara": (0.40, 32, 64, {"pns": 1}, 1.6, 1990),
    "dosen": (0.50, 27, 64, {"pns": 80, "pppk": 20}, 2.6, 1990),
}
_VOLUNTEER_LEVELS: dict[str, float] = {
    "sd": 2, "smp": 6, "sma": 52, "d1": 2, "d3": 9, "s1": 28, "s2": 1}
_EDUCATION_WEIGHTS: dict[str, dict[str, float]] = {
    "psm": _VOLUNTEER_LEVELS, "tksk": {"sma": 45, "d3": 12, "s1": 40, "s2": 3},
    "tagana": {"smp": 8, "sma": 62, "d3": 8, "s1": 22},
    "trc": {"sma": 50, "d3": 10, "s1": 38, "s2": 2},
    "karang_taruna": {"smp": 6, "sma": 56, "d3": 8, "s1": 30},
    "relawan_sosial": _VOLUNTEER_LEVELS,
    "pendamping_pkh": {"d3": 14, "d4": 6, "s1": 76, "s2": 4},
    "sakti_peksos": {"d4": 45, "s1": 50, "s2": 5},
    "asn_dinsos": {"sma": 12, "d3": 10, "d4": 4, "s1": 54, "s2": 19, "s3": 1},
    "asn_kemensos": {"sma": 6, "d3": 8, "d4": 8, "s1": 52, "s2": 24, "s3": 2},
    "pekerja_sosial": {"d3": 5, "d4": 38, "s1": 37, "profesi": 4, "s2": 12, "s2_terapan": 4},
    "penyuluh_sosial": {"d3": 5, "d4": 20, "s1": 55, "s2": 20},
    "widyaiswara": {"s1": 8, "s2": 72, "s2_terapan": 5, "s3": 15},
    "dosen": {"s2": 55, "s2_terapan": 10, "s3": 35},
}
# Youngest age (on the reference date) at which each level can have been completed.
_LEVEL_AGE = {"sd": 12, "smp": 15, "sma": 18, "d1": 19, "d2": 20, "d3": 21, "d4": 22, "s1": 22,
              "profesi": 24, "s2": 25, "s2_terapan": 26, "s3": 30}
# Years after the youngest age at which people finish (study delays, later master's degrees).
_EXTRA_YEARS = {"s1": (0, 3), "d4": (0, 1), "s2": (1, 14), "s2_terapan": (2, 12), "s3": (3, 18),
                "profesi": (0, 4)}
_TERTIARY = frozenset({"d1", "d2", "d3", "d4", "s1", "profesi", "s2", "s2_terapan", "s3"})
_POSTGRAD = frozenset({"profesi", "s2", "s2_terapan", "s3"})

_KESOS_FIELDS = {"kesejahteraan_sosial": 38, "pekerjaan_sosial": 36, "rehabilitasi_sosial": 8,
                 "perlindungan_jaminan_sosial": 8, "penyuluhan_sosial": 10}
_OTHER_FIELDS = {"administrasi_negara": 14, "ekonomi": 12, "pendidikan": 12, "agama": 9,
                 "hukum": 7, "ilmu_pemerintahan": 7, "sosiologi": 6, "psikologi": 6,
                 "akuntansi": 5, "kesehatan_masyarakat": 5, "teknik_informatika": 5,
                 "pertanian": 5, "keperawatan": 4, "lainnya": 3}
_LAINNYA_TEXT = ["Teknik Sipil", "Ilmu Komunikasi", "Hubungan Internasional", "Sastra Inggris",
                 "Manajemen Informatika", "Perikanan", "Kehutanan", "Peternakan"]

_BACHELOR_DEGREE = {
    "administrasi_negara": "S.AP.", "ekonomi": "S.E.", "pendidikan": "S.Pd.", "agama": "S.Ag.",
    "hukum": "S.H.", "ilmu_pemerintahan": "S.IP.", "sosiologi": "S.Sos.", "psikologi": "S.Psi.",
    "akuntansi": "S.Ak.", "kesehatan_masyarakat": "S.KM.", "teknik_informatika": "S.Kom.",
    "pertanian": "S.P.", "keperawatan": "S.Kep.",
}
_MASTER_DEGREE = {
    "administrasi_negara": "M.AP.", "ekonomi": "M.M.", "pendidikan": "M.Pd.", "hukum": "M.H.",
    "psikologi": "M.Psi.", "kesehatan_masyarakat": "M.Kes.", "kesejahteraan_sosial": "M.Kesos.",
    "akuntansi": "M.Ak.", "teknik_informatika": "M.Kom.",
}

_KESOS_SCHOOLS = {
    "11": "UIN Ar-Raniry Banda Aceh", "12": "Universitas Sumatera Utara",
    "13": "UIN Imam Bonjol Padang", "16": "UIN Raden Fatah Palembang",
    "17": "Universitas Bengkulu", "31": "Universitas Indonesia",
    "32": "Universitas Padjadjaran", "33": "Universitas Islam Negeri Walisongo Semarang",
    "34": "UIN Sunan Kalijaga Yogyakarta", "35": "Universitas Muhammadiyah Malang",
    "36": "UIN Syarif Hidayatullah Jakarta", "52": "Universitas Muhammadiyah Mataram",
    "73": "Universitas Muhammadiyah Makassar", "71": "Universitas Sam Ratulangi",
}
_UNIVERSITIES = {
    "11": ["Universitas Syiah Kuala", "Universitas Malikussaleh"],
    "12": ["Universitas Sumatera Utara", "Universitas Negeri Medan"],
    "13": ["Universitas Andalas", "Universitas Negeri Padang"], "14": ["Universitas Riau"],
    "15": ["Universitas Jambi"], "16": ["Universitas Sriwijaya"], "17": ["Universitas Bengkulu"],
    "18": ["Universitas Lampung"], "19": ["Universitas Bangka Belitung"],
    "21": ["Universitas Maritim Raja Ali Haji"],
    "31": ["Universitas Negeri Jakarta", "Universitas Indonesia"],
    "32": ["Universitas Padjadjaran", "Universitas Pendidikan Indonesia",
           "Universitas Pasundan"],
    "33": ["Universitas Diponegoro", "Universitas Negeri Semarang",
           "Universitas Jenderal Soedirman", "Universitas Sebelas Maret"],
    "34": ["Universitas Gadjah Mada", "Universitas Negeri Yogyakarta"],
    "35": ["Universitas Brawijaya", "Universitas Airlangga", "Universitas Negeri Malang",
           "Universitas Jember", "Universitas Negeri Surabaya"],
    "36": ["Universitas Sultan Ageng Tirtayasa"], "51": ["Universitas Udayana"],
    "52": ["Universitas Mataram"], "53": ["Universitas Nusa Cendana"],
    "61": ["Universitas Tanjungpura"], "62": ["Universitas Palangka Raya"],
    "63": ["Universitas Lambung Mangkurat"], "64": ["Universitas Mulawarman"],
    "65": ["Universitas Borneo Tarakan"], "71": ["Universitas Sam Ratulangi"],
    "72": ["Universitas Tadulako"], "73": ["Universitas Hasanuddin", "Universitas Negeri Makassar"],
    "74": ["Universitas Halu Oleo"], "75": ["Universitas Negeri Gorontalo"],
    "76": ["Universitas Sulawesi Barat"], "81": ["Universitas Pattimura"],
    "82": ["Universitas Khairun"], "91": ["Universitas Cenderawasih"],
    "92": ["Universitas Papua"], "93": ["Universitas Musamus"],
    "94": ["Universitas Cenderawasih"], "95": ["Universitas Cenderawasih"],
    "96": ["Universitas Papua"],
}
# Provinces where the Hajj titles (H., Hj.) are rare.
_FEW_HAJJ = frozenset({"51", "53", "71", "81", "91", "92", "93", "94", "95", "96"})
_MOBILE_PREFIXES = ["0811", "0812", "0813", "0821", "0822", "0852", "0853", "0814", "0815",
                    "0816", "0855", "0856", "0857", "0858", "0817", "0818", "0819", "0859",
                    "0877", "0878", "0895", "0896", "0897", "0898", "0881", "0882"]

_JF_SKILL = ["Terampil", "Mahir", "Penyelia"]
_JF_EXPERT = ["Ahli Pertama", "Ahli Muda", "Ahli Madya", "Ahli Utama"]
_POSITIONS: dict[str, dict[str, float]] = {
    "asn_dinsos": {
        "Staf Pelaksana": 26, "Pengadministrasi Umum": 10, "Pengelola Data dan Informasi": 8,
        "Analis Kebijakan": 5, "Penata Laporan Keuangan": 5, "Pengelola Bantuan Sosial": 8,
        "Pengelola Pemberdayaan Masyarakat": 5, "Pramu Sosial": 4,
        "Kepala Seksi Rehabilitasi Sosial": 3, "Kepala Seksi Pemberdayaan Sosial": 3,
        "Kepala Seksi Perlindungan dan Jaminan Sosial": 3, "Kepala Subbagian Umum": 2,
        "Kepala Bidang Rehabilitasi Sosial": 1.5, "Kepala Bidang Pemberdayaan Sosial": 1.5,
        "Kepala Bidang Perlindungan dan Jaminan Sosial": 1.5,
    },
    "asn_kemensos": {
        "Staf Pelaksana": 20, "Analis Kebijakan Ahli Pertama": 8, "Analis Kebijakan Ahli Muda": 6,
        "Pranata Komputer": 6, "Penyusun Program dan Anggaran": 8, "Pengelola Keuangan": 8,
        "Analis Rehabilitasi Sosial": 8, "Analis Pemberdayaan Masyarakat": 6,
        "Pranata Hubungan Masyarakat": 4, "Arsiparis": 4, "Kepala Subbagian Tata Usaha": 3,
        "Kepala Bagian Umum": 1,
    },
    "pendamping_pkh": {"Pendamping Sosial PKH": 86, "Koordinator Kabupaten/Kota PKH": 7,
                       "Administrator Pangkalan Data PKH": 7},
    "tagana": {"Anggota Tagana": 88, "Koordinator Tagana": 7, "Komandan Regu Tagana": 5},
    "trc": {"Anggota Tim Reaksi Cepat": 90, "Koordinator Tim Reaksi Cepat": 10},
    "psm": {"Pekerja Sosial Masyarakat": 92, "Ketua IPSM Kecamatan": 8},
    "karang_taruna": {"Pengurus Karang Taruna": 80, "Ketua Karang Taruna Desa/Kelurahan": 20},
    "relawan_sosial": {"Relawan Sosial": 100},
    "sakti_peksos": {"Sakti Peksos": 100},
    "dosen": {"Dosen (Asisten Ahli)": 30, "Dosen (Lektor)": 40, "Dosen (Lektor Kepala)": 24,
              "Guru Besar": 6},
}


class _Picker:
    """Weighted choice over a fixed table, by bisection on cumulative weights."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, table: Mapping[T, float] | Sequence[tuple[T, float]]) -> None:
        pairs = list(table.items()) if isinstance(table, Mapping) else list(table)
        pairs = [(k, w) for k, w in pairs if w > 0]
        if not pairs:
            raise ValueError("nothing to pick from")
        self.items = [k for k, _w in pairs]
        self.cum: list[float] = []
        running = 0.0
        for _k, w in pairs:
            running += w
            self.cum.append(running)
        self.total = running

    def __call__(self, rng: random.Random) -> Any:
        from bisect import bisect_right

        return self.items[min(bisect_right(self.cum, rng.random() * self.total),
                              len(self.items) - 1)]


def quotas(total: int, weights: Mapping[str, float], minimum: int = 0) -> dict[str, int]:
    """Split ``total`` by ``weights`` (largest remainder), giving each key at least ``minimum``
    when ``total`` allows it."""
    keys = list(weights)
    if not keys or total <= 0:
        return dict.fromkeys(keys, 0)
    floor_each = minimum if total >= minimum * len(keys) else 0
    rest = total - floor_each * len(keys)
    wsum = sum(weights.values())
    exact = {k: rest * weights[k] / wsum for k in keys}
    out = {k: floor_each + int(exact[k]) for k in keys}
    left = total - sum(out.values())
    for k in sorted(keys, key=lambda k: (-(exact[k] - int(exact[k])), k))[:left]:
        out[k] += 1
    return out


def _short_place(regency_name: str) -> str:
    for prefix in ("Kabupaten ", "Kota "):
        if regency_name.startswith(prefix):
            return regency_name[len(prefix):]
    return regency_name


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


class Generator:
    """Stateful so NIKs and NIPs stay unique across the whole run."""

    def __init__(self, catalogue: Catalogue, seed: int = DEFAULT_SEED, *,
                 today: dt.date | None = None, taken_niks: frozenset[str] = frozenset(),
                 taken_nips: frozenset[str] = frozenset()) -> None:
        self.cat = catalogue
        self.seed = seed
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.rng: random.Random = self.fake.random
        self.ref = dt.date((today or dt.date.today()).year, 1, 1)
        self.taken_niks = taken_niks
        self.taken_nips = taken_nips
        self._nik_seq: dict[str, int] = defaultdict(int)
        self._nip_seq: dict[str, int] = defaultdict(int)
        person = self.fake.provider("faker.providers.person")
        address = self.fake.provider("faker.providers.address")
        self.first_male: Sequence[str] = person.first_names_male
        self.first_female: Sequence[str] = person.first_names_female
        self.last_male: Sequence[str] = person.last_names_male
        self.last_female: Sequence[str] = person.last_names_female
        self.streets: Sequence[str] = address.streets

        cat = catalogue
        self.regency_pickers = {
            p: _Picker([(r, 2.0 + len(cat.districts.get(r, ()))
                         + (3 if cat.regencies[r].startswith("Kota ") else 0)) for r in regs])
            for p, regs in cat.regencies_by_province.items()}
        self.any_province = _Picker({p: w for p, w in PROVINCE_WEIGHTS.items()
                                     if p in cat.regencies_by_province})
        self.national_org = (_Picker({c: _NATIONAL_ORG_WEIGHTS[c] for c in cat.national_orgs})
                             if cat.national_orgs else None)
        self.category_pickers = {
            group: _Picker({c: w for c, w in table.items() if c in cat.categories})
            for group, table in _CATEGORY_WEIGHTS.items()
            if any(c in cat.categories for c in table)}
        self.status_pickers = {c: _Picker({s: w for s, w in prof[3].items() if s in cat.statuses})
                               for c, prof in _CATEGORY_PROFILE.items()
                               if any(s in cat.statuses for s in prof[3])}
        self.level_pickers = {c: _Picker({lv: w for lv, w in t.items() if lv in cat.levels})
                              for c, t in _EDUCATION_WEIGHTS.items()}
        self.kesos_field = _Picker({f: w for f, w in _KESOS_FIELDS.items()
                                    if cat.fields.get(f) is True})
        self.other_field = _Picker({f: w for f, w in _OTHER_FIELDS.items()
                                    if cat.fields.get(f) is False})
        self.position_pickers = {c: _Picker(t) for c, t in _POSITIONS.items()}
        # Normalise the kesos multipliers so a province's overall share is about its base share.
        kab = _CATEGORY_WEIGHTS["dinsos_kabkota"]
        self.kesos_norm = (sum(w * _CATEGORY_PROFILE[c][4] for c, w in kab.items())
                           / sum(kab.values()))

    # -- helpers -----------------------------------------------------------------------------

    def _weighted(self, table: Mapping[str, float]) -> str:
        return _Picker(table)(self.rng)

    def _org_group(self, org: OrgInfo) -> str:
        return _ORG_TYPE_GROUP.get(org.type, org.type)

    def _plan(self, total: int) -> list[tuple[str, str | None]]:
        """(province or "", forced regency or None) for each person, shuffled."""
        provinces = {p: w for p, w in PROVINCE_WEIGHTS.items()
                     if p in self.cat.regencies_by_province}
        national = round(total * NATIONAL_SHARE) if self.national_org and total >= 40 else 0
        per_province = quotas(total - national, provinces, minimum=2)
        plan: list[tuple[str, str | None]] = [("", None)] * national
        for prov, count in per_province.items():
            forced = 0
            if prov == MALANG[:2] and MALANG in self.cat.regencies and count:
                forced = max(1, round(count * MALANG_SHARE_OF_JATIM))
            plan.extend([(prov, MALANG)] * forced)
            plan.extend([(prov, None)] * (count - forced))
        self.rng.shuffle(plan)
        return plan

    def _pick_org(self, prov: str, regency: str | None) -> OrgInfo:
        cat = self.cat
        if not prov:
            assert self.national_org is not None
            return cat.organisations[self.national_org(self.rng)]
        r = self.rng.random()
        if regency is None and r < 0.86:
            regency = self.regency_pickers[prov](self.rng)
        if regency is not None:
            org = cat.organisations.get(f"DINSOS-{regency}")
            units = [u for u in cat.units_by_province.get(prov, ())
                     if cat.organisations[u].managing_region == regency]
            if units and self.rng.random() < 0.08:
                return cat.organisations[self.rng.choice(units)]
            if org is not None:
                return org
        units = cat.units_by_province.get(prov, [])
        if units and r > 0.97:
            return cat.organisations[self.rng.choice(units)]
        org = cat.organisations.get(f"DINSOS-{prov}")
        if org is None:
            raise LookupError(f"no Dinas Sosial organisation for province {prov}")
        return org

    def _birth_date(self, min_age: int, max_age: int) -> dt.date:
        # Age on the reference date (1 January) in [min_age, max_age]; max_age <= 64 keeps
        # everyone at most 64 years old all year.
        mode = min_age + (max_age - min_age) * 0.45
        years = self.rng.triangular(min_age, max_age, mode)
        days = int(years * 365.2425) + 1
        born = self.ref - dt.timedelta(days=days)
        if born.month == 2 and born.day == 29:  # keeps date arithmetic on years simple
            born = born.replace(day=28)
        return born

    def _registration(self, prov: str, regency: str | None) -> tuple[str, str]:
        """(district code, district name) where the NIK was issued."""
        cat, rng = self.cat, self.rng
        if not prov:
            prov = self.any_province(rng)
        if regency is None or rng.random() < 0.2:
            regency = self.regency_pickers[prov](rng) if rng.random() < 0.95 else (
                self.regency_pickers[self.any_province(rng)](rng))
        districts = cat.districts.get(regency) or [(f"{regency}.01", "")]
        return rng.choice(districts)

    def _nik(self, district: str, birth: dt.date, sex: str) -> str:
        for _attempt in range(50):
            prefix = encode_nik(district[:2], district[:5], district, birth, sex, 1)[:12]
            self._nik_seq[prefix] += 1
            seq = DEMO_SEQ_BASE + self._nik_seq[prefix]
            if seq > 9999:
                district = self.rng.choice(self.cat.districts[district[:5]])[0]
                continue
            nik = prefix + f"{seq:04d}"
            if nik not in self.taken_niks:
                return nik
        raise RuntimeError("could not find a free demo NIK")

    def _nip(self, birth: dt.date, tmt: dt.date, sex: str) -> str | None:
        for _attempt in range(20):
            prefix = encode_nip(birth, tmt, sex, 1)[:15]
            self._nip_seq[prefix] += 1
            seq = self._nip_seq[prefix]
            if seq > 999:
                return None
            nip = prefix + f"{seq:03d}"
            if nip not in self.taken_nips:
                return nip
        return None

    def _education(self, category: str, birth: dt.date, kesos: bool, prov: str,
                   birth_place: str) -> list[DemoEducation]:
        rng, cat = self.rng, self.cat
        age = self.ref.year - birth.year - 1
        level = self.level_pickers[category](rng)
        # Too young for that level: step down to what the age allows.
        while _LEVEL_AGE.get(level, 18) > age:
            level = {"s3": "s2", "s2_terapan": "s1", "s2": "s1", "profesi": "s1", "s1": "d3",
                     "d4": "d3", "d3": "sma", "d2": "sma", "d1": "sma"}.get(level, "sma")
        if level not in cat.levels:
            level = "sma" if "sma" in cat.levels else next(iter(cat.levels))
        kesos_secondary = kesos and level not in _TERTIARY and rng.random() < 0.5
        if kesos and level not in _TERTIARY and not kesos_secondary:
            level = "d3" if age < 23 else rng.choice(["d3", "d4", "s1", "s1"])

        records: list[DemoEducation] = []

        def grad_year(lv: str) -> int:
            extra_range = _EXTRA_YEARS.get(lv)
            extra = rng.randint(*extra_range) if extra_range else 0
            return min(birth.year + _LEVEL_AGE.get(lv, 18) + extra, self.ref.year - 1)

        def secondary(field_code: str | None, smk: bool = False) -> DemoEducation:
            school = "SMK" if smk else rng.choice(["SMA", "SMA", "SMA", "SMK", "MA"])
            field_code = field_code if field_code in cat.fields else None
            return DemoEducation("sma", field_code,
                                 f"{school} Negeri {rng.randint(1, 12)} {birth_place}",
                                 grad_year("sma"))

        def tertiary(lv: str, field_code: str) -> DemoEducation:
            kesos_field = cat.fields.get(field_code, False)
            year = grad_year(lv)
            if kesos_field and (lv in {"d4", "s2_terapan"} or rng.random() < 0.35):
                school = ("Politeknik Kesejahteraan Sosial Bandung" if year >= 2020
                          else "Sekolah Tinggi Kesejahteraan Sosial (STKS) Bandung")
            elif kesos_field and prov in _KESOS_SCHOOLS and rng.random() < 0.6:
                school = _KESOS_SCHOOLS[prov]
            elif rng.random() < 0.15:
                school = "Universitas Terbuka"
            else:
                school = rng.choice(_UNIVERSITIES.get(prov) or ["Universitas Terbuka"])
            text = rng.choice(_LAINNYA_TEXT) if field_code == "lainnya" else ""
            return DemoEducation(lv, field_code, school, year, text)

        if level not in _TERTIARY:
            if level == "sma":
                records.append(secondary("pekerjaan_sosial" if kesos_secondary else "umum",
                                         smk=kesos_secondary))
            else:
                school = f"{level.upper()} Negeri {rng.randint(1, 9)} {birth_place}"
                year = min(birth.year + _LEVEL_AGE[level], self.ref.year - 1)
                records.append(DemoEducation(level, None, school, year))
            return records

        if rng.random() < 0.3:
            records.append(secondary("umum"))
        first_field = self.kesos_field(rng) if kesos else self.other_field(rng)
        if level in _POSTGRAD:
            bachelor = "d4" if kesos and rng.random() < 0.4 and "d4" in cat.levels else "s1"
            records.append(tertiary(bachelor, first_field))
            if level == "s3" and "s2" in cat.levels:
                records.append(tertiary("s2", self.kesos_field(rng) if kesos and rng.random()
                                        < 0.6 else self.other_field(rng)))
            if level == "profesi":
                post_field = "pekerjaan_sosial" if kesos else first_field
            elif kesos and rng.random() < 0.6:
                post_field = self.kesos_field(rng)
            else:
                post_field = self.other_field(rng)
            records.append(tertiary(level, post_field))
        else:
            records.append(tertiary(level, first_field))
        return records

    def _name(self, sex: str, prov: str, birth: dt.date, education: list[DemoEducation]) -> str:
        rng = self.rng
        if sex == "L":
            first, last = rng.choice(self.first_male), rng.choice(self.last_male)
        else:
            first, last = rng.choice(self.first_female), rng.choice(self.last_female)
        r = rng.random()
        if r < 0.14:
            name = first
        elif r < 0.26:
            middle = rng.choice(self.first_male if sex == "L" else self.first_female)
            name = f"{first} {middle} {last}" if middle != first else f"{first} {last}"
        else:
            name = f"{first} {last}"
        if last == first:
            name = first
        prefixes: list[str] = []
        suffixes: list[str] = []
        age = self.ref.year - birth.year
        tertiary = [e for e in education if e.level in _TERTIARY]
        with_degrees = bool(tertiary) and rng.random() < 0.4
        if with_degrees:
            for e in tertiary:
                if e.level == "s3":
                    prefixes.insert(0, "Dr.")
                elif e.level in {"s1", "d4"}:
                    kesos = self.cat.fields.get(e.field or "", False)
                    if e.level == "s1" and e.graduation_year < 1993 and rng.random() < 0.7:
                        prefixes.append("Drs." if sex == "L" else "Dra.")
                    elif e.level == "d4":
                        suffixes.append("S.Tr.Sos." if kesos else "S.Tr.")
                    elif kesos:
                        suffixes.append("S.Sos.")
                    elif e.field in _BACHELOR_DEGREE:
                        suffixes.append(_BACHELOR_DEGREE[e.field])
                elif e.level == "d3":
                    suffixes.append("A.Md.")
                elif e.level in {"s2", "s2_terapan"}:
                    kesos = self.cat.fields.get(e.field or "", False)
                    if e.level == "s2_terapan":
                        suffixes.append("M.Tr.Sos." if kesos else "M.Tr.")
                    elif kesos:
                        suffixes.append(rng.choice(["M.Si.", "M.Kesos."]))
                    else:
                        suffixes.append(_MASTER_DEGREE.get(e.field or "", "M.Si."))
                elif e.level == "profesi" and e.field == "pekerjaan_sosial":
                    suffixes.append("Sp.Peksos.")
        if age >= 38 and rng.random() < (0.02 if prov in _FEW_HAJJ else 0.09):
            prefixes.insert(1 if prefixes[:1] == ["Dr."] else 0, "H." if sex == "L" else "Hj.")
        if prefixes:
            name = " ".join([*prefixes, name])
        if suffixes:
            name = name + ", " + ", ".join(suffixes)
        return name

    def _position(self, category: str, org: OrgInfo, level: str, age: int,
                  district_name: str) -> str:
        rng = self.rng
        if category in {"pekerja_sosial", "penyuluh_sosial", "widyaiswara"}:
            title = {"pekerja_sosial": "Pekerja Sosial", "penyuluh_sosial": "Penyuluh Sosial",
                     "widyaiswara": "Widyaiswara"}[category]
            if category != "widyaiswara" and level not in {"d4", "s1", "profesi", "s2",
                                                            "s2_terapan", "s3"}:
                grade = _JF_SKILL[min(2, max(0, (age - 23) // 10))]
            else:
                steps = [0, 0, 0, 1, 1, 1, 2, 2, 3] if age >= 45 else [0, 0, 0, 1, 1, 2]
                grade = _JF_EXPERT[rng.choice(steps) if age >= 30 else 0]
                if category == "widyaiswara":
                    grade = _JF_EXPERT[min(3, max(0, rng.choice([0, 1, 1, 2, 2, 3]) -
                                                  (1 if age < 40 else 0)))]
            return f"{title} {grade}"
        if category == "tksk":
            return f"TKSK Kecamatan {district_name}" if district_name else "TKSK"
        if category == "pendamping_pkh" and org.type == "dinsos_provinsi":
            return "Koordinator Wilayah PKH"
        if category == "asn_dinsos" and org.type in _UNIT_TYPES:
            return self._weighted({"Staf Pelaksana": 40, "Pramu Sosial": 20, "Pengasuh": 15,
                                   "Pengelola Layanan Rehabilitasi Sosial": 15,
                                   "Kepala Subbagian Tata Usaha": 5, "Kepala Seksi Pelayanan": 5})
        picker = self.position_pickers.get(category)
        return picker(rng) if picker else "Staf"

    def _start_date(self, category: str, birth: dt.date, education: list[DemoEducation],
                    tmt: dt.date | None) -> dt.date:
        rng = self.rng
        program = _CATEGORY_PROFILE.get(category, (0, 0, 0, {}, 0, 1990))[5]
        earliest_year = max(birth.year + 19, program,
                            max((e.graduation_year + 1 for e in education
                                 if e.level in _TERTIARY and category in _ASN_LIKE),
                                default=0))
        if tmt is not None:
            earliest_year = max(earliest_year, tmt.year)
        earliest_year = min(earliest_year, self.ref.year - 1)
        span_days = (self.ref - dt.date(earliest_year, 1, 1)).days
        # Current assignments are mostly recent: the later half of the span is likelier.
        offset = int(span_days * (1 - rng.random() ** 1.8))
        start = dt.date(earliest_year, 1, 1) + dt.timedelta(days=min(offset, span_days - 1))
        if tmt is not None and start < tmt:
            start = tmt
        return start

    def _tmt(self, birth: dt.date, education: list[DemoEducation]) -> dt.date:
        """TMT CPNS: after age 18 (and after the last degree, mostly), before age 36."""
        rng = self.rng
        finished = max((e.graduation_year for e in education), default=birth.year + 18)
        lo = max(birth.year + 19, finished + 1, 1980)
        hi = min(birth.year + 35, self.ref.year - 1)
        if lo > hi:
            lo = max(birth.year + 19, min(finished, hi))
            hi = max(hi, lo)
        year = rng.randint(lo, hi)
        month = rng.choice([1, 1, 2, 3, 3, 4, 6, 10, 12])
        tmt = dt.date(year, month, 1)
        if (year - birth.year) * 12 + month - birth.month < 18 * 12 + 1:
            tmt = dt.date(birth.year + 18 + (1 if birth.month == 12 else 0),
                          birth.month % 12 + 1, 1)
        return min(tmt, self.ref)

    # -- the generator -----------------------------------------------------------------------

    def person(self, prov: str, regency: str | None) -> DemoPerson:
        rng, cat = self.rng, self.cat
        org = self._pick_org(prov, regency)
        work_region = org.managing_region or org.region or ""
        prov = prov or work_region[:2]
        group = self._org_group(org)
        category = self.category_pickers[group if group in self.category_pickers
                                         else "dinsos_kabkota"](rng)
        share_women, min_age, max_age, _status, kesos_mult, _program = _CATEGORY_PROFILE[category]
        sex = "P" if rng.random() < share_women else "L"
        birth = self._birth_date(min_age, max_age)
        age = self.ref.year - birth.year

        district, district_name = self._registration(
            prov, work_region[:5] if len(work_region) >= 5 else None)
        reg_regency = district[:5]
        r = rng.random()
        if r < 0.7:
            birth_regency = reg_regency
        elif r < 0.93:
            birth_regency = self.regency_pickers[district[:2]](rng)
        else:
            birth_regency = self.regency_pickers[self.any_province(rng)](rng)
        birth_place = _short_place(cat.regencies[birth_regency])

        base = province_kesos_share(prov) if prov else 0.30
        kesos = rng.random() < min(0.95, base * kesos_mult / self.kesos_norm)
        education = self._education(category, birth, kesos, prov or district[:2], birth_place)
        status = self.status_pickers[category](rng) if category in self.status_pickers else (
            next(iter(sorted(cat.statuses))))

        nip = None
        tmt = None
        if status == "pns":
            tmt = self._tmt(birth, education)
            nip = self._nip(birth, tmt, sex)
        start = self._start_date(category, birth, education, tmt)
        if category == "tksk" and work_region[:5] != reg_regency and len(work_region) >= 5:
            district_name = rng.choice(cat.districts.get(work_region[:5]) or [("", "")])[1]
        highest = max(education, key=lambda e: (cat.levels.get(e.level, 0), e.graduation_year))
        position = self._position(category, org, highest.level, age, district_name)

        name = self._name(sex, prov or district[:2], birth, education)
        plain = name.split(",")[0].split()
        plain = [p for p in plain if not p.endswith(".")] or ["pekerja"]
        phone = ""
        if rng.random() < 0.75:
            phone = f"{rng.choice(_MOBILE_PREFIXES)}-0000-{rng.randint(0, 9999):04d}"
        email = ""
        if rng.random() < (0.55 if highest.level in _TERTIARY else 0.2):
            local = ".".join(plain[:2]).lower()
            email = f"{local}{rng.randint(1, 99)}@surel.example"
        address = ""
        if rng.random() < 0.8:
            kind = rng.choice(["Jl.", "Jl.", "Jl.", "Gg."])
            address = (f"{kind} {rng.choice(self.streets)} No. {rng.randint(1, 150)}, "
                       f"Kec. {district_name}") if district_name else (
                f"{kind} {rng.choice(self.streets)} No. {rng.randint(1, 150)}")

        person = DemoPerson(
            nik=self._nik(district, birth, sex), nip=nip, name=name, sex=sex,
            birth_place=birth_place, birth_date=birth, phone=phone, email=email,
            address=address, domicile_region=district, organisation=org.code,
            region=org.managing_region, position=position, category=category,
            employment_status=status, start_date=start, education=education)
        derive_education(person, cat.levels, cat.fields)
        return person

    def generate(self, total: int) -> Iterator[DemoPerson]:
        for prov, regency in self._plan(total):
            yield self.person(prov, regency)


_ASN_LIKE = frozenset({"asn_dinsos", "asn_kemensos", "pekerja_sosial", "penyuluh_sosial",
                       "widyaiswara", "dosen", "pendamping_pkh", "sakti_peksos"})


def generate(catalogue: Catalogue, total: int, seed: int = DEFAULT_SEED, *,
             today: dt.date | None = None, taken_niks: frozenset[str] = frozenset(),
             taken_nips: frozenset[str] = frozenset()) -> Iterator[DemoPerson]:
    """``total`` demo people, deterministic for (catalogue, seed, year of ``today``)."""
    return Generator(catalogue, seed, today=today, taken_niks=taken_niks,
                     taken_nips=taken_nips).generate(total)


# --------------------------------------------------------------------------------------------
# Writing them (Django)
# --------------------------------------------------------------------------------------------


def catalogue_from_database() -> Catalogue:
    from sdmkesos.core.models import (
        EducationLevel,
        EmploymentStatus,
        FieldOfStudy,
        Organisation,
        Region,
        WorkforceCategory,
    )

    districts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, name, parent in Region.objects.filter(level=3).order_by("code").values_list(
            "code", "name", "parent_id"):
        districts[parent].append((code, name))
    orgs = {o.code: OrgInfo(o.code, o.type, o.region_id, o.managing_region_code)
            for o in Organisation.objects.order_by("code")}
    return Catalogue(
        provinces=dict(Region.objects.filter(level=1).order_by("code")
                       .values_list("code", "name")),
        regencies=dict(Region.objects.filter(level=2).order_by("code")
                       .values_list("code", "name")),
        districts=dict(districts),
        organisations=orgs,
        categories=frozenset(WorkforceCategory.objects.values_list("code", flat=True)),
        statuses=frozenset(EmploymentStatus.objects.values_list("code", flat=True)),
        levels=dict(EducationLevel.objects.values_list("code", "rank")),
        fields=dict(FieldOfStudy.objects.values_list("code", "is_kesos")),
    )


@dataclass
class IdMaps:
    """Code → primary key of the reference rows, for writing generated people."""

    organisations: dict[str, int]
    categories: dict[str, int]
    statuses: dict[str, int]
    levels: dict[str, int]
    fields: dict[str, int]

    @classmethod
    def load(cls) -> IdMaps:
        from sdmkesos.core.models import (
            EducationLevel,
            EmploymentStatus,
            FieldOfStudy,
            Organisation,
            WorkforceCategory,
        )

        def ids(model: Any) -> dict[str, int]:
            return dict(model.objects.values_list("code", "pk"))

        return cls(ids(Organisation), ids(WorkforceCategory), ids(EmploymentStatus),
                   ids(EducationLevel), ids(FieldOfStudy))


def demo_people() -> Any:
    """The demo people already in the database (by their NIK sequence 9901-9999)."""
    from .models import Person

    return Person.objects.filter(nik__regex=DEMO_NIK_REGEX)


def reference_data_ready() -> bool:
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    from sdmkesos.core.models import Organisation

    try:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return False
        return Organisation.objects.filter(code=f"DINSOS-{MALANG}").exists()
    except DatabaseError:
        return False


@dataclass
class SeedReport:
    created: int = 0
    existing: int = 0
    deleted: int = 0
    skipped: bool = False
    education: int = 0
    seconds: float = 0.0
    by_province: dict[str, int] = field(default_factory=dict)


# Apps whose rows protect a person from deletion clear them first (demo reset only).
DEMO_RESET_MODULES = ("sdmkesos.certification.demo", "sdmkesos.training.demo",
                      "sdmkesos.competency.demo", "sdmkesos.careers.demo",
                      "sdmkesos.partnerships.demo", "sdmkesos.dedup.demo")


def delete_demo_people(batch: int = 5000) -> int:
    import importlib

    from .models import Person

    for module_name in DEMO_RESET_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                raise
            continue
        if hasattr(module, "delete_for_people"):
            module.delete_for_people(demo_people())
    deleted = 0
    while True:
        ids = list(demo_people().order_by().values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        Person.objects.filter(pk__in=ids).delete()
        deleted += len(ids)


@dataclass
class WriteCounts:
    persons: int = 0
    education: int = 0
    employment: int = 0
    by_province: dict[str, int] = field(default_factory=dict)


def _default_maker(f: Any, connection: Any) -> Callable[[], Any]:
    def make() -> Any:
        return f.get_db_prep_save(f.get_default(), connection)

    return make


class _Table:
    """A raw multi-row insert into one model's table: the given columns per row, every other
    concrete column at its default (``auto_now`` fields: now; ``db_default``: left to the
    database), so fields added to the models later keep working."""

    def __init__(self, model: Any, attnames: Sequence[str], connection: Any, *,
                 with_pk: bool) -> None:
        from django.db.models import Expression

        meta = model._meta
        self.connection = connection
        self.table = meta.db_table
        fields = [meta.get_field(a) for a in attnames]
        dummy = model()
        constant_columns: list[str] = []
        constants: list[Any] = []
        per_row_columns: list[str] = []
        self.per_row: list[Callable[[], Any]] = []
        for f in meta.concrete_fields:
            if f.primary_key or f.attname in attnames:
                continue
            if f.has_default() and callable(f.default):  # e.g. uuid4: a new value per row
                per_row_columns.append(f.column)
                self.per_row.append(_default_maker(f, connection))
                continue
            value = f.pre_save(dummy, True)
            if isinstance(value, Expression) or hasattr(value, "resolve_expression"):
                continue  # db_default: the database fills it in
            constant_columns.append(f.column)
            constants.append(f.get_db_prep_save(value, connection))
        self.constants = tuple(constants)
        self.columns = ([meta.pk.column] if with_pk else []) + [f.column for f in fields] + (
            constant_columns + per_row_columns)

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.per_row:
            rows = [row + self.constants + tuple(make() for make in self.per_row)
                    for row in rows]
        else:
            rows = [row + self.constants for row in rows]
        qn = self.connection.ops.quote_name
        cols = ", ".join(qn(c) for c in self.columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg 3 cursor: COPY is the fastest bulk path
                with raw.copy(f"COPY {qn(self.table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {qn(self.table)} ({cols}) VALUES ({marks})",
                                   rows)


PERSON_COLUMNS = [
    "nik", "nip", "name", "sex", "birth_place", "birth_date", "phone", "email", "address",
    "domicile_region_id", "region_id", "region_prov", "region_kab", "organisation_id", "position",
    "category_id", "employment_status_id", "education_level_id", "field_of_study_id",
    "kesos_background",
]
EDUCATION_COLUMNS = ["person_id", "level_id", "field_id", "field_text", "institution",
                     "graduation_year"]
EMPLOYMENT_COLUMNS = ["person_id", "organisation_id", "position", "category_id",
                      "employment_status_id", "start_date", "end_date"]


def _reserve_ids(connection: Any, table: str, count: int, state: dict[str, int]) -> list[int]:
    """Primary keys for ``count`` new rows. PostgreSQL: from the table's sequence (safe next to
    other writers); SQLite: after the current maximum (the write lock is held: IMMEDIATE)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [table, count])
            return [r[0] for r in cursor.fetchall()]
        if "next" not in state:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            state["next"] = cursor.fetchone()[0] + 1
    first = state["next"]
    state["next"] += count
    return list(range(first, first + count))


def write_people(people: Iterable[DemoPerson], *, ids: IdMaps | None = None, batch: int = 5000,
                 progress: Callable[[int], None] | None = None, using: str = "default",
                 ) -> WriteCounts:
    """Insert generated people with their education and (current) employment records: COPY on
    PostgreSQL, ``executemany`` on SQLite, ``bulk_create`` elsewhere. The denormalised
    registry columns are the ones ``people.actions.refresh_current`` derives (managing region
    via ``region_parts``, like ``Person.set_region``). Runs in one transaction."""
    from django.db import connections, transaction

    from sdmkesos.core.models import region_parts

    from .models import EducationRecord, EmploymentRecord, Person

    connection = connections[using]
    ids = ids or IdMaps.load()
    counts = WriteCounts()
    by_province: dict[str, int] = defaultdict(int)
    if connection.vendor not in {"postgresql", "sqlite"}:
        return _write_people_orm(people, ids=ids, batch=batch, progress=progress)
    persons = _Table(Person, PERSON_COLUMNS, connection, with_pk=True)
    education = _Table(EducationRecord, EDUCATION_COLUMNS, connection, with_pk=False)
    employment = _Table(EmploymentRecord, EMPLOYMENT_COLUMNS, connection, with_pk=False)
    date = connection.ops.adapt_datefield_value
    orgs, cats, statuses = ids.organisations, ids.categories, ids.statuses
    levels, fields_ = ids.levels, ids.fields
    state: dict[str, int] = {}
    with transaction.atomic(using=using):
        chunk: list[DemoPerson] = []

        def flush() -> None:
            pks = _reserve_ids(connection, persons.table, len(chunk), state)
            p_rows, ed_rows, em_rows = [], [], []
            for pk, p in zip(pks, chunk, strict=True):
                prov, kab = region_parts(p.region)
                p_rows.append((
                    pk, p.nik, p.nip, p.name, p.sex, p.birth_place, date(p.birth_date), p.phone,
                    p.email, p.address, p.domicile_region, p.region, prov, kab,
                    orgs[p.organisation], p.position, cats[p.category],
                    statuses[p.employment_status],
                    levels[p.education_level] if p.education_level else None,
                    fields_[p.field_of_study] if p.field_of_study else None,
                    p.kesos_background))
                for e in p.education:
                    ed_rows.append((pk, levels[e.level], fields_[e.field] if e.field else None,
                                    e.field_text, e.institution, e.graduation_year))
                em_rows.append((pk, orgs[p.organisation], p.position, cats[p.category],
                                statuses[p.employment_status], date(p.start_date), None))
                by_province[prov or "nasional"] += 1
            persons.insert(p_rows)
            education.insert(ed_rows)
            employment.insert(em_rows)
            counts.persons += len(p_rows)
            counts.education += len(ed_rows)
            counts.employment += len(em_rows)
            chunk.clear()
            if progress:
                progress(counts.persons)

        for p in people:
            chunk.append(p)
            if len(chunk) >= batch:
                flush()
        if chunk:
            flush()
    counts.by_province = dict(sorted(by_province.items()))
    return counts


def _write_people_orm(people: Iterable[DemoPerson], *, ids: IdMaps, batch: int,
                      progress: Callable[[int], None] | None) -> WriteCounts:
    """The portable (slower) path: ``bulk_create``."""
    from django.db import transaction

    from .models import EducationRecord, EmploymentRecord, Person

    counts = WriteCounts()
    by_province: dict[str, int] = defaultdict(int)
    chunk: list[DemoPerson] = []

    def flush() -> None:
        objs = Person.objects.bulk_create([to_person(p, ids) for p in chunk])
        education: list[EducationRecord] = []
        employment: list[EmploymentRecord] = []
        for p, obj in zip(chunk, objs, strict=True):
            for e in p.education:
                education.append(EducationRecord(
                    person_id=obj.pk, level_id=ids.levels[e.level],
                    field_id=ids.fields[e.field] if e.field else None, field_text=e.field_text,
                    institution=e.institution, graduation_year=e.graduation_year))
            employment.append(EmploymentRecord(
                person_id=obj.pk, organisation_id=ids.organisations[p.organisation],
                position=p.position, category_id=ids.categories[p.category],
                employment_status_id=ids.statuses[p.employment_status],
                start_date=p.start_date))
            by_province[p.region_prov or "nasional"] += 1
        EducationRecord.objects.bulk_create(education)
        EmploymentRecord.objects.bulk_create(employment)
        counts.persons += len(chunk)
        counts.education += len(education)
        counts.employment += len(employment)
        chunk.clear()
        if progress:
            progress(counts.persons)

    with transaction.atomic():
        for p in people:
            chunk.append(p)
            if len(chunk) >= batch:
                flush()
        if chunk:
            flush()
    counts.by_province = dict(sorted(by_province.items()))
    return counts


def to_person(p: DemoPerson, ids: IdMaps) -> Person:
    from .models import Person

    person = Person(
        nik=p.nik, nip=p.nip, name=p.name, sex=p.sex, birth_place=p.birth_place,
        birth_date=p.birth_date, phone=p.phone, email=p.email, address=p.address,
        domicile_region_id=p.domicile_region,
        organisation_id=ids.organisations[p.organisation], position=p.position,
        category_id=ids.categories[p.category],
        employment_status_id=ids.statuses[p.employment_status],
        education_level_id=ids.levels[p.education_level] if p.education_level else None,
        field_of_study_id=ids.fields[p.field_of_study] if p.field_of_study else None,
        kesos_background=p.kesos_background,
    )
    person.set_region(p.region)
    return person


def seed_demo(*, persons: int = DEFAULT_PERSONS, seed: int = DEFAULT_SEED, reset: bool = False,
              today: dt.date | None = None,
              progress: Callable[[str], None] | None = None) -> SeedReport:
    """Write ``persons`` demo people (with education and employment) unless demo people exist
    already (then nothing, unless ``reset``: delete them first). One audit event."""
    import time

    from django.db import transaction

    from sdmkesos.core import audit
    from sdmkesos.core.choices import Channel

    from .models import Person

    started = time.monotonic()
    report = SeedReport()
    with transaction.atomic():
        if reset:
            report.deleted = delete_demo_people()
        report.existing = demo_people().count()
        if report.existing:
            report.skipped = True
            return report
        catalogue = catalogue_from_database()
        taken_niks = frozenset(Person.objects.filter(nik__regex=DEMO_NIK_REGEX)
                               .values_list("nik", flat=True))
        taken_nips = frozenset(nip for nip in Person.objects.filter(nip__isnull=False)
                               .values_list("nip", flat=True) if nip)
        people = generate(catalogue, persons, seed, today=today, taken_niks=taken_niks,
                          taken_nips=taken_nips)
        counts = write_people(people, progress=(lambda n: progress(f"{n:,}/{persons:,}"))
                              if progress else None)
        report.created = counts.persons
        report.education = counts.education
        report.by_province = counts.by_province
        audit.record(actor=None, channel=Channel.SYSTEM, action="demo.seed",
                     object_type="people.person", object_id="demo",
                     changes={"counts": [None, {"persons": counts.persons,
                                                "education": counts.education,
                                                "employment": counts.employment,
                                                "deleted": report.deleted}]},
                     note=f"sdmkesos demo --persons {persons} --seed {seed}")
    report.seconds = time.monotonic() - started
    return report


# --------------------------------------------------------------------------------------------
# Demo users
# --------------------------------------------------------------------------------------------

SERVICE_REGIONS = ("*service*",)  # stands for the organisation's service regions


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation: str | None
    regions: tuple[str, ...] = ()
    scope_organisation: str | None = None
    label: str = ""


DEMO_USERS = [
    DemoUser("nasional", "national_admin", "KEMENSOS", label="seluruh Indonesia / nationwide"),
    DemoUser("jatim", "province_operator", "DINSOS-35", ("35",), label="35 Jawa Timur"),
    DemoUser("kabmalang", "district_operator", "DINSOS-35.07", ("35.07",),
             label="35.07 Kabupaten Malang"),
    DemoUser("bbppks-padang", "bbppks", "BBPPKS-1", SERVICE_REGIONS, "BBPPKS-1",
             label="BBPPKS-1 + wilayah layanan / service regions"),
    DemoUser("pekerja", "worker", None, label="data diri sendiri / own record"),
]


def scope_label(user: User) -> str:
    """``35.07 Kabupaten Malang``-style description of a user's scope."""
    from sdmkesos.core.scoping import scope_for

    scope = scope_for(user)
    if scope.unrestricted:
        return "seluruh Indonesia / nationwide"
    if scope.self_user_id is not None:
        return "data diri sendiri / own record"
    regions = list(user.scope_regions.order_by("code").values_list("code", "name"))
    parts = [f"{regions[0][0]} {regions[0][1]}"] if len(regions) == 1 else (
        [", ".join(code for code, _name in regions)] if regions else [])
    if user.scope_organisation is not None:
        parts.append(user.scope_organisation.code)
    return " + ".join(parts)


def ensure_demo_users(password: str = DEMO_PASSWORD) -> dict[str, User]:
    """Create or update the demo users (never duplicated) and link ``pekerja`` to a demo person
    managed in Kabupaten Malang."""
    from django.db import transaction

    from sdmkesos.core.models import Organisation, Region, User

    from .models import Person

    users: dict[str, User] = {}
    with transaction.atomic():
        for spec in DEMO_USERS:
            user = User.objects.filter(username=spec.username).first() or User(
                username=spec.username)
            user.role = spec.role
            user.is_active = True
            user.organisation = (Organisation.objects.get(code=spec.organisation)
                                 if spec.organisation else None)
            user.scope_organisation = (Organisation.objects.get(code=spec.scope_organisation)
                                       if spec.scope_organisation else None)
            user.set_password(password)
            user.save()
            if spec.regions == SERVICE_REGIONS:
                assert user.organisation is not None
                user.scope_regions.set(user.organisation.service_regions.all())
            else:
                user.scope_regions.set(Region.objects.filter(code__in=spec.regions))
            users[spec.username] = user
        worker = users["pekerja"]
        linked = Person.objects.filter(user=worker).first()
        if linked is None:
            candidate = (demo_people().filter(region_kab=MALANG, user__isnull=True)
                         .order_by("pk").first())
            if candidate is not None:
                candidate.user = worker
                candidate.save(update_fields=["user", "updated_at"])
                linked = candidate
        if linked is not None and not worker.first_name:
            worker.first_name = linked.name[:150]
            worker.save(update_fields=["first_name"])
    return users
