"""Demo data for the competency and training pages: a few programmes, venues, trainers and
batches, sample assessments and nominations of demo workers. Goes through the actions (so it is
audited and checked like any user's work). Skipped when programme PDPS already exists."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sdmkesos.competency import actions as competency_actions
from sdmkesos.competency.models import Competency
from sdmkesos.competency.queries import StandardIndex
from sdmkesos.competency.reference import load_competency_dictionary
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import EducationLevel, Organisation, Region, WorkforceCategory
from sdmkesos.people.models import Person

from . import actions
from .models import Programme

CH = Channel.CLI
PROGRAMMES: list[tuple[Any, ...]] = [
    ("PDPS", "Pelatihan Dasar Pekerjaan Sosial", "teknis", "klasikal", 40, 5, "UPT-PTKS-MALANG",
     1_750_000, ["psm", "tksk", "relawan_sosial", "karang_taruna", "pendamping_pkh",
                 "pekerja_sosial"], {"RS.02": 3, "RS.03": 3, "PS.01": 2}, {}),
    ("TAGANA-DASAR", "Diklat Dasar Tagana", "teknis", "klasikal", 32, 4, "UPT-PTKS-MALANG",
     1_400_000, ["tagana", "trc"], {"RS.11": 3, "RS.12": 2, "RS.13": 2}, {}),
    ("P2K2", "Pelatihan Fasilitator P2K2/FDS", "teknis", "blended", 48, 6,
     "KEMENSOS-PUSDIKLATBANGPROF", 3_200_000, ["pendamping_pkh"], {"RS.21": 3, "RS.22": 2}, {}),
    ("JF-PEKSOS", "Diklat Fungsional Pekerja Sosial Ahli", "fungsional", "klasikal", 120, 15,
     "POLTEKESOS", 9_500_000, ["pekerja_sosial", "asn_dinsos"],
     {"PS.01": 3, "PS.02": 3, "PS.03": 3, "PS.05": 3, "PS.08": 3}, {"min_education": "d4",
                                                                     "asn_only": True}),
    ("PKP", "Pelatihan Kepemimpinan Pengawas", "kepemimpinan", "blended", 200, 25, "BBPPKS-1",
     12_000_000, [], {"M.01": 3, "M.02": 3, "M.04": 3, "M.06": 3, "M.08": 3},
     {"asn_only": True}),
]
VENUES = [("Aula UPT PTKS Malang", "UPT-PTKS-MALANG", "35.73", 40),
          ("Kampus BBPPKS Regional I Padang", "BBPPKS-1", "13.71", 60),
          ("Kampus Poltekesos Bandung", "POLTEKESOS", "32.73", 80)]
TRAINERS = [("Dra. Sri Wahyuni, M.Si", "widyaiswara", "UPT-PTKS-MALANG", "35.73"),
            ("Agus Setiawan, S.Sos", "fasilitator", "UPT-PTKS-MALANG", "35.07"),
            ("Dr. Hendra Gunawan", "dosen", "POLTEKESOS", "32.73"),
            ("Rina Marlina, M.Kesos", "widyaiswara", "BBPPKS-1", "13.71")]


def seed_training_demo(actor: Any, *, seed: int = 7, assessments: int = 400) -> dict[str, int]:
    load_competency_dictionary()
    if Programme.objects.filter(code="PDPS").exists():
        return {"skipped": 1}
    rng = random.Random(seed)
    org = {o.code: o for o in Organisation.objects.filter(code__in={
        *(p[6] for p in PROGRAMMES), *(v[1] for v in VENUES), *(t[2] for t in TRAINERS)})}
    comps = {c.code: c for c in Competency.objects.all()}
    cats = {c.code: c for c in WorkforceCategory.objects.all()}
    progs = {}
    for code, name, kind, mode, jp, days, provider, cost, categories, levels, extra in PROGRAMMES:
        data: dict[str, Any] = {"code": code, "name": name, "type": kind, "mode": mode, "jp": jp,
                                "days": days, "organisation": org[provider],
                                "cost_per_participant": cost}
        if "min_education" in extra:
            data["min_education"] = EducationLevel.objects.get(code=extra["min_education"])
        data["asn_only"] = extra.get("asn_only", False)
        progs[code] = actions.do_save_programme(
            actor=actor, channel=CH, data=data,
            competencies={comps[c]: lvl for c, lvl in levels.items()},
            categories=[cats[c] for c in categories if c in cats])
    venues = {}
    for name, owner, region, capacity in VENUES:
        venues[owner] = actions.do_save_venue(actor=actor, channel=CH, data={
            "name": name, "organisation": org[owner], "capacity": capacity,
            "venue_region": Region.objects.get(code=region)})
    trainers = [actions.do_save_trainer(actor=actor, channel=CH, data={
        "name": name, "kind": kind, "organisation": org[owner],
        "home_region": Region.objects.get(code=region), "max_days_per_year": 90})
        for name, kind, owner, region in TRAINERS]
    year = dt.date.today().year
    plan = [("PDPS", "UPT-PTKS-MALANG", dt.date(year, 3, 2), 30, [0, 1]),
            ("PDPS", "UPT-PTKS-MALANG", dt.date(year, 9, 7), 30, [0]),
            ("TAGANA-DASAR", "UPT-PTKS-MALANG", dt.date(year, 5, 11), 35, [1]),
            ("JF-PEKSOS", "POLTEKESOS", dt.date(year, 7, 6), 40, [2]),
            ("PKP", "BBPPKS-1", dt.date(year, 8, 3), 40, [3])]
    batches = []
    for code, place, start, capacity, trainer_ix in plan:
        prog = progs[code]
        batch = actions.do_save_batch(actor=actor, channel=CH, data={
            "programme": prog, "venue": venues[place], "start_date": start,
            "end_date": start + dt.timedelta(days=prog.days - 1), "capacity": capacity,
            "funding_source": "apbd" if place == "UPT-PTKS-MALANG" else "apbn",
            "status": "dibuka"})
        for i in range(prog.days):
            actions.do_add_session(actor=actor, channel=CH, batch=batch,
                                   date=start + dt.timedelta(days=i), topic=f"Hari {i + 1}",
                                   jp=prog.jp // prog.days)
        for ix in trainer_ix:
            actions.do_assign_trainer(actor=actor, channel=CH, batch=batch,
                                      trainer=trainers[ix])
        batches.append(batch)
    counts = {"programmes": len(progs), "venues": len(venues), "trainers": len(trainers),
              "batches": len(batches), "assessments": 0, "nominations": 0}
    # Sample assessments of East Java workers against their standards.
    index = StandardIndex()
    people = list(Person.objects.filter(region_prov="35").order_by("id")[:assessments])
    today = dt.date.today()
    for person in people:
        standard = index.for_person(person.position, person.category_id)
        if standard is None:
            continue
        for code, required in standard.required.items():
            if rng.random() < 0.4:
                continue
            level = max(1, min(5, required + rng.choice([-2, -1, -1, 0, 0, 1])))
            competency_actions.do_record_assessment(
                actor=actor, channel=CH, person=person, competency=comps[code], level=level,
                method=rng.choice(["supervisor", "assessor", "test"]),
                assessed_on=today - dt.timedelta(days=rng.randint(30, 900)))
            counts["assessments"] += 1
    # Nominations of Kabupaten/Kota Malang volunteers to the first PDPS batch.
    first = batches[0]
    for person in Person.objects.filter(region_prov="35", category__code__in=[
            "psm", "tksk", "relawan_sosial"]).order_by("id")[:25]:
        try:
            nomination = actions.do_nominate(actor=actor, channel=CH, batch=first,
                                             person=person)
            actions.do_decide_nomination(actor=actor, channel=CH, nomination=nomination,
                                         approve=True)
            actions.do_enrol(actor=actor, channel=CH, nomination=nomination)
            counts["nominations"] += 1
        except DomainError:
            continue
    return counts
