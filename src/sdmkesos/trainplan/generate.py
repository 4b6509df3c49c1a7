"""A realistic synthetic instance: volunteers (relawan sosial) of East Java's 38 kab/kota, five
programmes, twelve venues, twenty trainers (widyaiswara), one year of weekly periods.

Numbers are plausible, not official: people per kab/kota roughly follow population, current
levels are skewed low (most volunteers have never been assessed), costs are of the order of
2026 provincial training budgets (rupiah). Seeded, so the same arguments give the same file.
"""

from __future__ import annotations

import datetime as dt
import random

from sdmkesos.trainplan.geo import JATIM_SEATS
from sdmkesos.trainplan.model import (
    Gap,
    Instance,
    Period,
    Person,
    Programme,
    Rule,
    Trainer,
    Travel,
    Venue,
)

__all__ = ["CATEGORY_WEIGHTS", "example_instance", "weekly_periods"]

# relative population weight of each kab/kota (rounded, for a plausible spread of volunteers)
_POPULATION = {
    "35.01": 6, "35.02": 9, "35.03": 7, "35.04": 11, "35.05": 12, "35.06": 16, "35.07": 27,
    "35.08": 11, "35.09": 25, "35.10": 17, "35.11": 8, "35.12": 7, "35.13": 12, "35.14": 16,
    "35.15": 21, "35.16": 11, "35.17": 13, "35.18": 11, "35.19": 7, "35.20": 6, "35.21": 9,
    "35.22": 13, "35.23": 12, "35.24": 13, "35.25": 13, "35.26": 10, "35.27": 10, "35.28": 9,
    "35.29": 11, "35.71": 3, "35.72": 2, "35.73": 9, "35.74": 2, "35.75": 2, "35.76": 1,
    "35.77": 2, "35.78": 29, "35.79": 2,
}

CATEGORY_WEIGHTS = {"tksk": 1.5, "pendamping_pkh": 1.3, "tagana": 1.2, "psm": 1.0,
                    "karang_taruna": 0.8}
_CATEGORY_SHARE = {"tksk": 0.08, "pendamping_pkh": 0.27, "tagana": 0.15, "psm": 0.35,
                   "karang_taruna": 0.15}
# required level per competency, per category
_REQUIRED = {
    "tksk": {"T.PS.01": 2, "T.RS.01": 2, "M.05": 2},
    "pendamping_pkh": {"T.PKH.01": 2, "T.PS.01": 2, "M.05": 2},
    "tagana": {"T.BN.01": 2, "T.PS.01": 1, "M.05": 1},
    "psm": {"T.PS.01": 2, "T.RS.01": 1, "M.05": 1},
    "karang_taruna": {"T.PS.01": 1, "T.BN.01": 1, "M.05": 1},
}
_EDUCATION = [("SMP", 0.1), ("SMA", 0.55), ("D3", 0.1), ("S1", 0.23), ("S2", 0.02)]

# (id, name, kab/kota, seats, rooms)
_VENUES = [
    ("UPT-PTKS-MLG", "UPT Pelatihan dan Pengembangan Kesejahteraan Sosial Malang", "35.73", 30, 3),
    ("DINSOS-JATIM", "Dinas Sosial Provinsi Jawa Timur, Surabaya", "35.78", 40, 2),
    ("BALAI-MADIUN", "Balai Diklat Madiun", "35.77", 30, 1),
    ("BALAI-KEDIRI", "Gedung Diklat Kota Kediri", "35.71", 30, 1),
    ("BALAI-JEMBER", "Gedung Diklat Jember", "35.09", 30, 1),
    ("BALAI-BWI", "Gedung Pertemuan Banyuwangi", "35.10", 25, 1),
    ("BALAI-BJN", "Gedung Diklat Bojonegoro", "35.22", 25, 1),
    ("BALAI-PMK", "Gedung Diklat Pamekasan", "35.28", 25, 1),
    ("BALAI-PROB", "Gedung Pertemuan Kota Probolinggo", "35.74", 25, 1),
    ("BALAI-TA", "Gedung Diklat Tulungagung", "35.04", 25, 1),
    ("BALAI-LMG", "Gedung Diklat Lamongan", "35.24", 25, 1),
    ("BALAI-SMP", "Gedung Pertemuan Sumenep", "35.29", 25, 1),
]


def weekly_periods(start: dt.date, end: dt.date,
                   skip: tuple[tuple[dt.date, dt.date], ...] = ()) -> list[Period]:
    """Monday-to-Friday periods from the first Monday on/after ``start`` up to ``end``, leaving
    out the weeks that touch a ``skip`` range (holidays)."""
    monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    out = []
    while monday + dt.timedelta(days=4) <= end:
        friday = monday + dt.timedelta(days=4)
        if not any(a <= friday and monday <= b for a, b in skip):
            iso = monday.isocalendar()
            out.append(Period(f"{iso.year}-W{iso.week:02d}", monday, friday))
        monday += dt.timedelta(days=7)
    return out


def _programmes() -> list[Programme]:
    volunteers = ("tksk", "pendamping_pkh", "tagana", "psm", "karang_taruna")
    return [
        Programme("PDPS", "Pelatihan Dasar Pekerjaan Sosial", {"T.PS.01": 2}, 5,
                  cost_per_participant=3_200_000, fixed_cost_per_batch=6_000_000,
                  min_batch=15, max_batch=30, trainers_per_batch=1,
                  eligibility=(Rule(field="category", in_=volunteers),)),
        Programme("TAGANA-DASAR", "Pelatihan Dasar Taruna Siaga Bencana", {"T.BN.01": 2}, 5,
                  cost_per_participant=3_500_000, fixed_cost_per_batch=8_000_000,
                  min_batch=15, max_batch=30, trainers_per_batch=1,
                  eligibility=(Rule(field="category", in_=("tagana", "karang_taruna")),)),
        Programme("P2K2", "Pelatihan Fasilitator P2K2 (FDS) PKH", {"T.PKH.01": 2}, 4,
                  cost_per_participant=2_800_000, fixed_cost_per_batch=5_000_000,
                  min_batch=15, max_batch=30, trainers_per_batch=1,
                  eligibility=(Rule(field="category", in_=("pendamping_pkh",)),)),
        Programme("REHSOS", "Pelatihan Pendampingan Rehabilitasi Sosial", {"T.RS.01": 2}, 5,
                  cost_per_participant=3_400_000, fixed_cost_per_batch=6_000_000,
                  min_batch=12, max_batch=25, trainers_per_batch=1,
                  eligibility=(Rule(field="category", in_=("tksk", "psm")),
                               Rule(competency="T.PS.01", min_level=1))),
        Programme("PELAYANAN-PUBLIK", "Pelatihan Pelayanan Publik (Manajerial M.05)",
                  {"M.05": 2}, 3, cost_per_participant=1_800_000,
                  fixed_cost_per_batch=4_000_000, min_batch=20, max_batch=40,
                  trainers_per_batch=1,
                  eligibility=(Rule(field="attributes.education",
                                    in_=("SMA", "D3", "S1", "S2")),)),
    ]


def example_instance(people: int = 9000, *, seed: int = 2027, year: int = 2027,
                     budget: float | None = 15_000_000_000.0, trainers: int = 20,
                     venues: int = 12) -> Instance:
    rng = random.Random(seed)
    skip = ((dt.date(year, 1, 1), dt.date(year, 1, 3)),
            (dt.date(year, 3, 8), dt.date(year, 3, 19)),  # Idulfitri and cuti bersama
            (dt.date(year, 12, 20), dt.date(year, 12, 31)))
    periods = weekly_periods(dt.date(year, 1, 4), dt.date(year, 12, 31), skip)
    period_ids = [p.id for p in periods]
    programmes = _programmes()

    chosen_venues = []
    for vid, name, region, seats, rooms in _VENUES[:venues]:
        closed = set(rng.sample(period_ids, 4))  # used for other events
        chosen_venues.append(Venue(vid, name, region, seats, rooms,
                                   available=tuple(p for p in period_ids if p not in closed)))

    teach = [("PDPS", "REHSOS"), ("PDPS", "PELAYANAN-PUBLIK"), ("TAGANA-DASAR", "PDPS"),
             ("P2K2", "PELAYANAN-PUBLIK"), ("P2K2", "PDPS"), ("REHSOS", "PELAYANAN-PUBLIK"),
             ("TAGANA-DASAR", "PELAYANAN-PUBLIK")]
    trainer_list = []
    for j in range(trainers):
        progs = teach[j % len(teach)]
        away = set(rng.sample(period_ids, rng.randint(6, 14)))  # leave, other duties
        trainer_list.append(Trainer(
            id=f"WI-{j + 1:02d}", name=f"Widyaiswara {j + 1:02d}", programmes=progs,
            available=tuple(p for p in period_ids if p not in away),
            max_batches=rng.randint(14, 20), max_days=rng.choice((70, 80, 90)),
            fee_per_day=rng.choice((900_000, 1_000_000, 1_200_000)),
            region=chosen_venues[j % len(chosen_venues)].region))

    regions = list(_POPULATION)
    weights = [_POPULATION[r] for r in regions]
    cats = list(_CATEGORY_SHARE)
    cat_weights = [_CATEGORY_SHARE[c] for c in cats]
    edus = [e for e, _ in _EDUCATION]
    edu_weights = [w for _, w in _EDUCATION]
    person_list = []
    for i in range(people):
        category = rng.choices(cats, cat_weights)[0]
        gaps = {}
        for comp, req in _REQUIRED[category].items():
            current = min(req, rng.choices((0, 1, 2), (0.5, 0.35, 0.15))[0])
            gaps[comp] = Gap(current, req)
        person_list.append(Person(
            id=f"P{i + 1:05d}", region=rng.choices(regions, weights)[0], category=category,
            gaps=gaps, attributes={"education": rng.choices(edus, edu_weights)[0],
                                   "employment_status": "relawan"}))
    assert set(_POPULATION) == set(JATIM_SEATS)
    return Instance(
        name=f"Relawan sosial Jawa Timur {year} ({people} orang)", people=tuple(person_list),
        programmes=tuple(programmes), venues=tuple(chosen_venues), trainers=tuple(trainer_list),
        periods=tuple(periods), budget=budget,
        travel=Travel(cost_per_km=1_500, fixed=150_000, road_factor=1.3, max_km=250),
        category_weights=dict(CATEGORY_WEIGHTS))
