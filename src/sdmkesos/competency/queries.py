"""Public read functions of the competency app: a person's current levels, gaps against the job
standard, and aggregates. Everything starts from ``Person.objects.restrict(user, "view")``.

Which standard applies to a person: an active standard whose ``position`` equals the person's
position (case-insensitive), otherwise the active standard of the person's workforce category;
people with neither have no gaps (they are counted as ``without_standard``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from sdmkesos.core.models import Organisation, Region, WorkforceCategory
from sdmkesos.core.scoping import VIEW, region_q
from sdmkesos.people.models import Person

from .gaps import Aggregate, AssessmentFact, Gap, aggregate, current_levels, person_gaps
from .models import Assessment, Competency, JobStandard

CHUNK = 1000


@dataclass(frozen=True)
class StandardView:
    code: str
    name: str
    required: dict[str, int]  # competency code → level


@dataclass(frozen=True)
class GapRow:
    person_id: int
    person_name: str
    region_code: str | None
    organisation_id: int | None
    category: str | None
    standard: str
    competency: str
    required: int
    current: int
    gap: int


class StandardIndex:
    """Active standards, by position (lower-case) and by category id."""

    def __init__(self) -> None:
        self.by_position: dict[str, StandardView] = {}
        self.by_category: dict[int, StandardView] = {}
        for std in JobStandard.objects.filter(is_active=True).prefetch_related(
                "items__competency").order_by("code"):
            view = StandardView(std.code, std.name, {
                i.competency.code: i.required_level for i in std.items.all()
                if i.competency.is_active})
            if std.position:
                self.by_position.setdefault(std.position.strip().lower(), view)
            elif std.category_id:
                self.by_category.setdefault(std.category_id, view)

    def for_person(self, position: str, category_id: int | None) -> StandardView | None:
        found = self.by_position.get((position or "").strip().lower())
        if found is None and category_id is not None:
            found = self.by_category.get(category_id)
        return found


def people(user: Any, *, region: str = "", organisation: Organisation | None = None,
           category: str = "") -> QuerySet[Person]:
    qs = Person.objects.restrict(user, VIEW)
    if region:
        qs = qs.filter(region_q(Person.scope, (region,)))
    if organisation is not None:
        qs = qs.filter(organisation__path__startswith=organisation.path)
    if category:
        qs = qs.filter(category__code=category)
    return qs


def facts_for(person_ids: list[int]) -> dict[int, list[AssessmentFact]]:
    out: dict[int, list[AssessmentFact]] = {pid: [] for pid in person_ids}
    rows = Assessment.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "competency__code", "level", "assessed_on", "id", "valid_until", "voided")
    for pid, code, level, on, pk, until, voided in rows:
        out[pid].append(AssessmentFact(code, level, on, pk, until, voided))
    return out


def current_profile(person: Person, today: dt.date | None = None) -> dict[str, int]:
    """The person's current level per competency (latest valid assessment)."""
    today = today or dt.date.today()
    return current_levels(facts_for([person.pk])[person.pk], today)


def person_gap_view(person: Person, today: dt.date | None = None,
                    ) -> tuple[StandardView | None, list[Gap], dict[str, int]]:
    """(the standard that applies, the gaps against it, the current levels)."""
    current = current_profile(person, today)
    standard = StandardIndex().for_person(person.position, person.category_id)
    gaps = person_gaps(standard.required, current) if standard else []
    return standard, gaps, current


def gap_rows(user: Any, *, region: str = "", organisation: Organisation | None = None,
             category: str = "", competency: str = "", only_below: bool = False,
             persons: QuerySet[Person] | None = None, today: dt.date | None = None,
             stats: dict[str, int] | None = None) -> Iterator[GapRow]:
    """One row per (person, competency of the person's standard) for the people ``user`` may
    view, filtered; ``only_below`` keeps the rows with a gap. ``stats`` (if given) receives
    ``people`` and ``without_standard`` counts."""
    today = today or dt.date.today()
    index = StandardIndex()
    base = persons if persons is not None else people(
        user, region=region, organisation=organisation, category=category)
    rows = base.order_by("id").values_list("id", "name", "region_id", "organisation_id",
                                       "category_id", "position")
    categories = dict(WorkforceCategory.objects.values_list("id", "code"))
    counts = {"people": 0, "without_standard": 0}
    batch: list[tuple[Any, ...]] = []

    def flush() -> Iterator[GapRow]:
        facts = facts_for([row[0] for row in batch])
        for pid, name, region_code, org_id, cat_id, position in batch:
            standard = index.for_person(position, cat_id)
            counts["people"] += 1
            if standard is None:
                counts["without_standard"] += 1
                continue
            required = standard.required
            if competency:
                if competency not in required:
                    continue
                required = {competency: required[competency]}
            for gap in person_gaps(required, current_levels(facts[pid], today)):
                if only_below and not gap.below:
                    continue
                yield GapRow(pid, name, region_code, org_id, categories.get(cat_id),
                             standard.code, gap.competency, gap.required, gap.current, gap.gap)

    for row in rows.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) >= CHUNK:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
    if stats is not None:
        stats.update(counts)


GROUPINGS = ("region", "province", "organisation", "category", "competency")


def gap_summary(user: Any, by: str = "region", **filters: Any) -> list[tuple[str, str,
                                                                               Aggregate]]:
    """Aggregates of ``gap_rows`` grouped ``by`` one of GROUPINGS: (key, label, aggregate)."""
    if by not in GROUPINGS:
        raise ValueError(by)

    def key(row: GapRow) -> str:
        if by == "region":
            return row.region_code or ""
        if by == "province":
            return (row.region_code or "")[:2]
        if by == "organisation":
            return str(row.organisation_id or "")
        if by == "category":
            return row.category or ""
        return row.competency

    groups = aggregate((key(r), r.person_id, Gap(r.competency, r.required, r.current, r.gap))
                       for r in gap_rows(user, **filters))
    keys = [g.key for g in groups if g.key]
    if by in ("region", "province"):
        labels = dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    elif by == "organisation":
        labels = {str(k): v for k, v in Organisation.objects.filter(
            pk__in=[int(k) for k in keys]).values_list("id", "name")}
    elif by == "category":
        labels = dict(WorkforceCategory.objects.filter(code__in=keys).values_list("code", "name"))
    else:
        labels = dict(Competency.objects.filter(code__in=keys).values_list("code", "name"))
    return [(g.key, labels.get(g.key, g.key or "-"), g) for g in groups]


def standard_for(*, code: str | None = None, category: str | None = None
                 ) -> StandardView | None:
    """The active job standard with ``code``, or else the active standard of the workforce
    category ``category`` (a code); None when there is none."""
    rows = JobStandard.objects.filter(is_active=True).prefetch_related("items__competency")
    if code:
        std = rows.filter(code=code).first()
    elif category:
        std = rows.filter(category__code=category, position="").order_by("code").first()
    else:
        return None
    if std is None:
        return None
    return StandardView(std.code, std.name, {i.competency.code: i.required_level
                                             for i in std.items.all() if i.competency.is_active})
