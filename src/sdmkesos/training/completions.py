"""Public read function of the training app for the supply projection (``planning``): who
finishes a degree scholarship or a training programme, and in which year.

The caller passes the people to look at (already scoped with ``restrict`` and narrowed to a
region), the years, and the scholarship schemes / programmes that count. Nothing here is scoped
again: the scope is the caller's ``people`` queryset.

- **Scholarships**: scholars with status *diterima*, *sedang studi* or *lulus*. The year of
  finishing is the year of ``end_date`` (actual for *lulus*, expected otherwise) or, when no end
  date is recorded, the scheme's intake year plus the nominal length of the degree
  (``NOMINAL_YEARS``). ``expected`` is true unless the scholar has graduated. Applicants,
  rejected and dropped scholars do not count.
- **Training**: nominations with status *lulus* (finished on ``completed_on``, or the batch's end
  date when not recorded) and, as expected completions, nominations *disetujui* or *terdaftar* in
  a batch that is not cancelled (finishing at the batch's end date). Proposed and wait-listed
  nominations do not count.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import (
    BatchStatus,
    DegreeLevel,
    Nomination,
    NominationStatus,
    Scholar,
    ScholarStatus,
)

# Nominal study length in years, counted from the intake year (D4: 4 years; applied master's:
# 2; profession programme: 1). Used only when a scholar has no end date.
NOMINAL_YEARS: dict[str, int] = {DegreeLevel.D4: 4, DegreeLevel.S2: 2, DegreeLevel.PROFESSION: 1}

SCHOLAR_STATUSES = (ScholarStatus.SELECTED, ScholarStatus.STUDYING, ScholarStatus.GRADUATED)
TRAINEE_STATUSES = (NominationStatus.APPROVED, NominationStatus.ENROLLED,
                    NominationStatus.COMPLETED)


@dataclass(frozen=True)
class Completion:
    person_id: int
    year: int
    source: str  # "scholarship" or "training"
    source_id: int  # the scholarship scheme's or the programme's id
    label: str  # scheme name and intake year, or programme code and batch number
    expected: bool  # not finished yet (expected finishing year)


def completions(people: QuerySet[Any], *, first_year: int, last_year: int,
                schemes: Collection[int] = (), programmes: Collection[int] = ()
                ) -> list[Completion]:
    """Completions of ``people`` finishing in ``first_year``..``last_year`` (inclusive) in the
    given scholarship schemes and training programmes (ids)."""
    out: list[Completion] = []
    if schemes:
        rows = Scholar.objects.filter(
            person__in=people, scheme_id__in=list(schemes), status__in=SCHOLAR_STATUSES
        ).values_list("person_id", "scheme_id", "scheme__name", "scheme__intake_year",
                      "scheme__degree", "status", "end_date")
        for pid, sid, name, intake, degree, status, end in rows:
            year = end.year if end else intake + NOMINAL_YEARS.get(degree, 4)
            if first_year <= year <= last_year:
                out.append(Completion(pid, year, "scholarship", sid, f"{name} ({intake})",
                                      status != ScholarStatus.GRADUATED))
    if programmes:
        nominations = Nomination.objects.filter(
            person__in=people, batch__programme_id__in=list(programmes),
            status__in=TRAINEE_STATUSES).exclude(batch__status=BatchStatus.CANCELLED)
        for pid, prog_id, code, number, status, done, end in nominations.values_list(
                "person_id", "batch__programme_id", "batch__programme__code", "batch__number",
                "status", "completed_on", "batch__end_date"):
            finished = status == NominationStatus.COMPLETED
            year = (done or end).year if finished else end.year
            if first_year <= year <= last_year:
                out.append(Completion(pid, year, "training", prog_id,
                                      f"{code} angkatan {number}", not finished))
    out.sort(key=lambda c: (c.year, c.source != "scholarship", c.person_id, c.source_id))
    return out


def completed_programmes(person_id: int) -> frozenset[str]:
    """Codes of the programmes ``person_id`` has completed (passed), for eligibility checks."""
    return frozenset(Nomination.objects.filter(
        person_id=person_id, status=NominationStatus.COMPLETED).values_list(
            "batch__programme__code", flat=True))
