"""Synthetic Indonesian people with noisy duplicates and known ground truth. No Django.

Used by ``bench/dedup.py`` and the tests. Names follow common Indonesian patterns (Javanese,
Sundanese, Muslim compound names, Batak family names, Balinese birth-order names, single names);
duplicates carry the noise real registries show: spelling variants of common name parts, old
spellings, titles and degrees, dropped or swapped parts, typos, day/month swaps and typos in the
birth date, region moves, NIK typos or missing NIK.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass

from .normalise import LinkRecord

MALE = ["Agus", "Budi", "Joko", "Bambang", "Slamet", "Hendra", "Rizki", "Fajar", "Andi", "Dedi",
        "Eko", "Heru", "Iwan", "Wahyu", "Yudi", "Arif", "Rudi", "Adi", "Bayu", "Dian", "Fikri",
        "Hasan", "Ilham", "Irfan", "Kurnia", "Lukman", "Nanang", "Rahmat", "Ridwan", "Sigit",
        "Taufik", "Teguh", "Wawan", "Yusuf", "Zainal", "Gilang", "Aditya", "Dimas", "Reza",
        "Fauzi", "Hadi", "Imam", "Junaedi", "Mulyadi", "Suparman", "Sutrisno", "Supriyadi",
        "Sugeng", "Darmawan", "Firmansyah", "Hidayat", "Jamaluddin", "Khairul", "Mahmud",
        "Nasrul", "Rusdi", "Syamsul", "Umar", "Usman", "Zulkifli", "Ardi", "Bagus", "Cahyo",
        "Danang", "Endang", "Galih", "Haris", "Indra", "Jefri", "Krisna", "Lutfi", "Miftah",
        "Nur Hadi", "Prasetyo", "Rangga", "Surya", "Tri", "Wisnu", "Yogi", "Arief", "Soleh"]
FEMALE = ["Ayu", "Dewi", "Sri", "Wati", "Yuni", "Rina", "Lestari", "Fitri", "Nurul", "Indah",
          "Putri", "Rahayu", "Dian", "Eka", "Intan", "Kartika", "Lina", "Maya", "Novi", "Ratna",
          "Sari", "Tuti", "Umi", "Wulan", "Yanti", "Aminah", "Fatimah", "Khadijah", "Aisyah",
          "Zahra", "Annisa", "Anggun", "Bunga", "Citra", "Desi", "Endah", "Fransiska", "Gita",
          "Hana", "Ika", "Juwita", "Kurniasih", "Lia", "Mega", "Nia", "Okta", "Puspita", "Rini",
          "Suci", "Tika", "Utami", "Vina", "Winda", "Yulia", "Zulaikha", "Handayani", "Sumarni",
          "Suryani", "Mardiyah", "Hartini", "Ernawati", "Nining", "Ratih", "Susanti", "Wahyuni",
          "Rohmah", "Safitri", "Mulyani", "Purwanti", "Setyowati", "Sulastri", "Rosita"]
SURNAME = ["Santoso", "Wibowo", "Setiawan", "Prasetyo", "Saputra", "Hidayat", "Kurniawan",
           "Nugroho", "Susanto", "Gunawan", "Purnomo", "Hartono", "Wijaya", "Siregar",
           "Nasution", "Harahap", "Lubis", "Simanjuntak", "Sitompul", "Hutapea", "Sinaga",
           "Pardede", "Silalahi", "Pohan", "Tanjung", "Ramadhan", "Firdaus", "Maulana",
           "Pratama", "Permana", "Suryadi", "Sudrajat", "Hermawan", "Kusuma", "Utomo",
           "Sudarsono", "Suharto", "Wahyudi", "Purba", "Manurung", "Tambunan", "Effendi",
           "Syahputra", "Hakim", "Rahman", "Iskandar", "Suparno", "Sugiarto", "Triyono"]
FEMALE_SECOND = ["Lestari", "Rahayu", "Handayani", "Wulandari", "Puspitasari", "Rahmawati",
                 "Kusumawati", "Susanti", "Anggraini", "Fitriani", "Maharani", "Permatasari",
                 "Novitasari", "Wahyuningsih", "Setyaningsih", "Kurniasari", "Damayanti",
                 "Oktaviani", "Safitri", "Yuliani", "Nuraini", "Hasanah", "Aminah", "Zahro"]
BALI_MALE = ["I Made", "I Wayan", "I Ketut", "I Nyoman", "I Putu", "I Gede", "I Komang"]
BALI_FEMALE = ["Ni Luh", "Ni Made", "Ni Wayan", "Ni Ketut", "Ni Putu", "Ni Komang"]
BALI_GIVEN = ["Sudarsana", "Suastika", "Artawan", "Wirawan", "Arsana", "Sukadana", "Mahendra",
              "Astiti", "Sriasih", "Darmayanti", "Widiantari", "Suarjana", "Budiasa"]
PLACES = ["Jakarta", "Surabaya", "Bandung", "Medan", "Semarang", "Makassar", "Palembang",
          "Malang", "Yogyakarta", "Surakarta", "Denpasar", "Padang", "Pekanbaru", "Banjarmasin",
          "Pontianak", "Manado", "Kupang", "Mataram", "Jember", "Kediri", "Blitar",
          "Banyuwangi", "Sidoarjo", "Gresik", "Lamongan", "Tuban", "Bojonegoro", "Madiun",
          "Ponorogo", "Tulungagung", "Pasuruan", "Probolinggo", "Lumajang", "Bondowoso",
          "Situbondo", "Pamekasan", "Sumenep", "Bangkalan", "Sampang", "Garut", "Tasikmalaya",
          "Cirebon", "Bogor", "Bekasi", "Depok", "Sukabumi", "Cianjur", "Purwakarta",
          "Karawang", "Subang", "Indramayu", "Kuningan", "Majalengka", "Sumedang", "Ciamis",
          "Tegal", "Brebes", "Pekalongan", "Batang", "Kendal", "Demak", "Kudus", "Jepara",
          "Pati", "Rembang", "Blora", "Grobogan", "Klaten", "Boyolali", "Sragen", "Wonogiri",
          "Magelang", "Temanggung", "Wonosobo", "Purworejo", "Kebumen", "Banyumas", "Cilacap",
          "Purbalingga", "Banjarnegara", "Sleman", "Bantul", "Gunungkidul", "Kulon Progo",
          "Aceh Besar", "Pidie", "Bireuen", "Deli Serdang", "Tapanuli Utara", "Toba",
          "Simalungun", "Asahan", "Labuhanbatu", "Bukittinggi", "Payakumbuh", "Solok",
          "Jambi", "Bengkulu", "Lampung Selatan", "Metro", "Serang", "Tangerang", "Cilegon",
          "Pandeglang", "Lebak", "Ambon", "Ternate", "Jayapura", "Sorong", "Kendari", "Palu",
          "Gorontalo", "Bima", "Sumbawa", "Ende", "Maumere", "Samarinda", "Balikpapan"]
TITLES = ["Drs.", "Dra.", "H.", "Hj.", "Ir.", "Dr."]
DEGREES = ["S.Sos", "S.Kom", "S.Pd", "S.E.", "S.H.", "M.Si", "M.M.", "S.Tr.Sos", "A.Md",
           "S.Kesos", "M.Kes", "S.Ag"]
PROVINCES = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34",
             "35", "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74",
             "75", "76", "81", "82", "91", "92", "93", "94", "95", "96"]
VARIANTS = {
    "Muhammad": ["Muhamad", "Mochammad", "Moch.", "Moh.", "M.", "Mohammad", "Muh.", "Mochamad"],
    "Siti": ["Sitti", "St."],
    "Nur": ["Nurul", "Noer"],
    "Nurul": ["Nur"],
    "Ahmad": ["Achmad", "Akhmad"],
    "Abdul": ["Abd.", "Abdoel"],
    "Yusuf": ["Jusuf", "Yusup"],
    "Susanto": ["Soesanto"],
    "Sudarsono": ["Soedarsono"],
    "Suharto": ["Soeharto"],
    "Suparno": ["Soeparno"],
    "Joko": ["Djoko"],
    "Cahyo": ["Tjahyo"],
    "Rizki": ["Rizky", "Rizqi"],
    "Fitri": ["Fitry"],
    "Rahmat": ["Rachmat"],
    "Arief": ["Arif"],
    "Fatimah": ["Fatima"],
    "Hidayat": ["Hidajat"],
}
NIK_DIGITS = "0123456789"


@dataclass
class SyntheticSet:
    records: list[LinkRecord]
    true_pairs: set[tuple[str, str]]
    entities: int


def _given_name(rng: random.Random, sex: str) -> str:
    roll = rng.random()
    if roll < 0.06:
        return f"{rng.choice(BALI_MALE if sex == 'L' else BALI_FEMALE)} {rng.choice(BALI_GIVEN)}"
    if sex == "L":
        parts = []
        if rng.random() < 0.3:
            parts.append(rng.choice(["Muhammad", "Muhammad", "Ahmad", "Abdul", "Nur"]))
        parts.append(rng.choice(MALE))
        if rng.random() < 0.25:
            parts.append(rng.choice(MALE))
        if rng.random() < 0.7:
            parts.append(rng.choice(SURNAME))
        return " ".join(parts)
    parts = []
    if rng.random() < 0.3:
        parts.append(rng.choice(["Siti", "Siti", "Sri", "Nur", "Dwi", "Nurul"]))
    parts.append(rng.choice(FEMALE))
    if rng.random() < 0.7:
        parts.append(rng.choice(FEMALE_SECOND if rng.random() < 0.7 else SURNAME))
    return " ".join(parts)


def _decorate(rng: random.Random, name: str, sex: str) -> str:
    if rng.random() < 0.5:
        title = rng.choice(["Drs.", "H.", "Ir.", "Dr."] if sex == "L" else ["Dra.", "Hj.", "Dr."])
        name = f"{title} {name}"
    if rng.random() < 0.7:
        name = f"{name}, {', '.join(rng.sample(DEGREES, rng.choice([1, 1, 2])))}"
    return name


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + rng.choice("aiueonrst") + text[i + 1:]
    if kind < 0.7:
        return text[:i] + text[i + 1:]
    if kind < 0.85 and i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + text[i] + text[i:]


def _noisy_name(rng: random.Random, name: str, sex: str) -> str:
    parts = name.split()
    parts = [rng.choice(VARIANTS[p]) if p in VARIANTS and rng.random() < 0.6 else p
             for p in parts]
    roll = rng.random()
    if roll < 0.08 and len(parts) >= 3:
        del parts[rng.randrange(1, len(parts))]  # a part dropped
    elif roll < 0.12 and len(parts) >= 2:
        parts = parts[1:] + parts[:1]  # parts swapped
    out = " ".join(parts)
    if rng.random() < 0.2:
        out = _typo(rng, out)
    if rng.random() < 0.3:
        out = _decorate(rng, out, sex)
    if rng.random() < 0.3:
        out = out.upper()
    return out


def _nik(rng: random.Random, region: str, birth: dt.date, sex: str, taken: set[str]) -> str:
    prov, kab = region.split(".")
    day = birth.day + (40 if sex == "P" else 0)
    while True:
        nik = (f"{prov}{kab}{rng.randint(1, 30):02d}{day:02d}{birth.month:02d}"
               f"{birth.year % 100:02d}{rng.randint(1, 9999):04d}")
        if nik not in taken:
            taken.add(nik)
            return nik


def _nik_typo(rng: random.Random, nik: str) -> str:
    i = rng.randrange(len(nik))
    if rng.random() < 0.7:
        return nik[:i] + rng.choice(NIK_DIGITS.replace(nik[i], "")) + nik[i + 1:]
    i = min(i, len(nik) - 2)
    return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2:]


def _date_noise(rng: random.Random, birth: dt.date) -> dt.date:
    roll = rng.random()
    if roll < 0.06 and birth.day <= 12 and birth.day != birth.month:
        return birth.replace(day=birth.month, month=birth.day)
    if roll < 0.16:
        text = birth.strftime("%Y%m%d")
        for _ in range(10):
            i = rng.choice([2, 3, 5, 6, 7])
            candidate = text[:i] + rng.choice(NIK_DIGITS) + text[i + 1:]
            try:
                new = dt.date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:]))
            except ValueError:
                continue
            if new != birth:
                return new
    return birth


def _place_noise(rng: random.Random, place: str) -> str | None:
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.25:
        return f"{rng.choice(['Kab.', 'Kota', 'KAB.'])} {place}"
    if roll < 0.3:
        return _typo(rng, place)
    if roll < 0.4:
        return place.upper()
    return place


def generate(n: int, *, duplicate_share: float = 0.1, seed: int = 1) -> SyntheticSet:
    """``n`` records of which about ``duplicate_share`` are noisy copies of another record."""
    rng = random.Random(seed)
    n_dup = int(n * duplicate_share)
    n_orig = n - n_dup
    kabs = [f"{p}.{k:02d}" for p in PROVINCES for k in range(1, 21)]
    taken: set[str] = set()
    originals: list[tuple[str, str, dt.date, str, str, str]] = []
    records: list[LinkRecord] = []
    start = dt.date(1960, 1, 1).toordinal()
    span = dt.date(2003, 12, 31).toordinal() - start
    for i in range(n_orig):
        sex = "L" if rng.random() < 0.5 else "P"
        name = _given_name(rng, sex)
        birth = dt.date.fromordinal(start + rng.randrange(span))
        place = rng.choice(PLACES)
        region = rng.choice(kabs)
        nik = _nik(rng, region, birth, sex, taken)
        shown = _decorate(rng, name, sex) if rng.random() < 0.15 else name
        originals.append((name, sex, birth, place, region, nik))
        records.append(LinkRecord(str(i + 1), shown, birth, place, sex, nik, region))
    clusters: dict[int, list[str]] = {}
    for j in range(n_dup):
        k = rng.randrange(n_orig)
        name, sex, birth, place, region, nik = originals[k]
        roll = rng.random()
        if roll < 0.45:
            dup_nik: str | None = nik
        elif roll < 0.7:
            dup_nik = _nik_typo(rng, nik)
        elif roll < 0.92:
            dup_nik = None
        else:
            dup_nik = _nik(rng, region, birth, sex, taken)  # a second NIK (re-registered)
        roll = rng.random()
        if roll < 0.15:
            prov = region.split(".")[0]
            dup_region = f"{prov}.{rng.randint(1, 20):02d}"
        elif roll < 0.27:
            dup_region = rng.choice(kabs)
        else:
            dup_region = region
        dup_sex: str | None = sex if rng.random() > 0.05 else None
        record_id = str(n_orig + j + 1)
        records.append(LinkRecord(record_id, _noisy_name(rng, name, sex), _date_noise(rng, birth),
                                  _place_noise(rng, place), dup_sex, dup_nik, dup_region))
        clusters.setdefault(k + 1, [str(k + 1)]).append(record_id)
    true_pairs: set[tuple[str, str]] = set()
    for members in clusters.values():
        for a, b in itertools.combinations(sorted(members, key=int), 2):
            true_pairs.add((a, b))
    rng.shuffle(records)
    return SyntheticSet(records, true_pairs, n_orig)


def score(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    """Pairwise precision, recall and F1 (pairs ordered by numeric id)."""
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"true_positives": tp, "false_positives": len(predicted) - tp,
            "false_negatives": len(truth) - tp, "precision": precision, "recall": recall,
            "f1": f1}
