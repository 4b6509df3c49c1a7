"""Small builders for training tests (through the actions, as a user would)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sdmkesos.competency.models import Competency
from sdmkesos.core.models import Organisation, Region, WorkforceCategory
from sdmkesos.training import actions
from sdmkesos.training.models import Batch, Programme, Trainer, Venue

D = dt.date
JULY_6, JULY_10 = D(2026, 7, 6), D(2026, 7, 10)


def programme(actor: Any, code: str = "PDPS", org: str = "UPT-PTKS-MALANG",
              categories: tuple[str, ...] = ("psm", "tksk", "pekerja_sosial"),
              competencies: dict[str, int] | None = None, **data: Any) -> Programme:
    comps = competencies if competencies is not None else {"PS.01": 3, "RS.03": 3}
    return actions.do_save_programme(
        actor=actor, channel="web",
        data={"code": code, "name": f"Pelatihan {code}", "type": "teknis", "jp": 40, "days": 5,
              "cost_per_participant": 2_500_000,
              "organisation": Organisation.objects.get(code=org), **data},
        competencies={Competency.objects.get(code=c): lvl for c, lvl in comps.items()},
        categories=list(WorkforceCategory.objects.filter(code__in=categories)))


def venue(actor: Any, org: str = "UPT-PTKS-MALANG", region: str = "35.73",
          capacity: int = 30) -> Venue:
    return actions.do_save_venue(actor=actor, channel="web", data={
        "name": f"Aula {org}", "venue_region": Region.objects.get(code=region),
        "capacity": capacity, "organisation": Organisation.objects.get(code=org)})


def trainer(actor: Any, name: str = "Widyaiswara Uji", org: str = "UPT-PTKS-MALANG",
            **data: Any) -> Trainer:
    return actions.do_save_trainer(actor=actor, channel="web", data={
        "name": name, "kind": "widyaiswara", "organisation": Organisation.objects.get(code=org),
        **data})


def batch(actor: Any, prog: Programme, start: dt.date = JULY_6,
          end: dt.date = JULY_10, capacity: int = 2, place: Venue | None = None,
          **data: Any) -> Batch:
    return actions.do_save_batch(actor=actor, channel="web", data={
        "programme": prog, "start_date": start, "end_date": end, "capacity": capacity,
        "venue": place, "status": "dibuka", **data})
