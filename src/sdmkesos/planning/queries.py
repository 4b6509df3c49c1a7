"""Read-side of planning: WISN results of saved inputs, need per region, supply projections,
placement ranking and the heads-of-unit flag. Callers pass the user; every read goes through
``restrict``."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from sdmkesos.careers import queries as careers_queries
from sdmkesos.certification import lookup as certification_queries
from sdmkesos.competency import queries as competency_queries
from sdmkesos.competency.gaps import current_levels
from sdmkesos.core.models import EducationLevel, FieldOfStudy, Organisation, OrganisationType
from sdmkesos.core.scoping import VIEW, region_q
from sdmkesos.people.models import EducationRecord, Person
from sdmkesos.training import completions as training_completions

from . import placement, projection, wisn
from .models import EntrantSource, Scenario, StaffingNorm, UnitHead, WisnInputSet


def wisn_result(row: WisnInputSet) -> wisn.WisnResult | None:
    try:
        return wisn.calculate(wisn.parse_input(row.data))
    except wisn.WisnInputError:
        return None


def norm_need(norm: StaffingNorm) -> float:
    """units / per x staff (e.g. 1 pekerja sosial per 10,000 people)."""
    return float(norm.units) / float(norm.per) * float(norm.staff)


def _in_region(qs: QuerySet[Any], code: str, spec: Any) -> QuerySet[Any]:
    return qs.filter(region_q(spec, (code,)))


@dataclass
class Need:
    wisn: float
    norms: float
    wisn_rows: int
    norm_rows: int

    @property
    def total(self) -> float:
        return self.wisn + self.norms


def region_need(user: Any, region: str, category_id: int, year: int | None = None) -> Need:
    """Need in ``region`` (and below) for a category: required staff of the latest WISN input of
    each organisation plus the norm-based need of the latest norms (organisations with WISN
    data are not counted again through a norm)."""
    rows = _in_region(WisnInputSet.objects.restrict(user, VIEW), region, WisnInputSet.scope)
    rows = rows.filter(category_id=category_id)
    if year:
        rows = rows.filter(year__lte=year)
    latest: dict[int, WisnInputSet] = {}
    for row in rows.order_by("organisation_id", "-year"):
        latest.setdefault(row.organisation_id, row)
    total_wisn = 0.0
    for row in latest.values():
        result = wisn_result(row)
        if result is not None:
            total_wisn += result.required_staff
    norms = _in_region(StaffingNorm.objects.restrict(user, VIEW), region, StaffingNorm.scope)
    norms = norms.filter(category_id=category_id).exclude(organisation_id__in=list(latest))
    if year:
        norms = norms.filter(year__lte=year)
    newest: dict[tuple[Any, ...], StaffingNorm] = {}
    for norm in norms.order_by("-year", "-id"):
        newest.setdefault((norm.organisation_id, norm.region_id, norm.basis, norm.unit_label),
                          norm)
    return Need(total_wisn, sum(norm_need(n) for n in newest.values()), len(latest), len(newest))


@dataclass(frozen=True)
class Entrant:
    """Someone entering the category's supply from the training or scholarship records."""

    person_id: int
    name: str
    region_code: str | None
    year: int
    source: str  # "scholarship" (graduate) or "training" (trainee)
    label: str
    expected: bool


MAX_ENTRANTS_LISTED = 500


def recorded_entrants(user: Any, region: str, category_id: int, first_year: int,
                      last_year: int) -> list[Entrant]:
    """People in the user's scope managed in ``region`` (and below) who finish a scholarship
    scheme or training programme that qualifies for the category (``EntrantSource``) in
    ``first_year``..``last_year``. People already of the category are not counted (they are in
    the current staff); someone finishing several counts once, in the earliest year (a
    scholarship before a training in the same year)."""
    sources = list(EntrantSource.objects.filter(category_id=category_id).values_list(
        "scheme_id", "programme_id"))
    if not sources:
        return []
    people = Person.objects.restrict(user, VIEW).exclude(category_id=category_id)
    if region:
        people = people.filter(region_q(Person.scope, (region,)))
    found = training_completions.completions(
        people, first_year=first_year, last_year=last_year,
        schemes={s for s, _p in sources if s}, programmes={p for _s, p in sources if p})
    first: dict[int, training_completions.Completion] = {}
    for c in found:
        first.setdefault(c.person_id, c)
    facts = {pid: (name, code) for pid, name, code in Person.objects.filter(
        pk__in=list(first)).values_list("id", "name", "region_id")}
    return [Entrant(c.person_id, facts[c.person_id][0], facts[c.person_id][1], c.year,
                    c.source, c.label, c.expected) for c in first.values()]


@dataclass
class Projection:
    scenario: Scenario
    current: int
    need: float
    need_source: str
    rows: list[projection.YearRow]
    entrants: list[Entrant] = field(default_factory=list)


def scenario_projection(user: Any, scenario: Scenario, today: dt.date | None = None
                        ) -> Projection:
    """Current staff of the category in the region (registry, in the user's scope), pensions
    starting in each projection year (BUP), the scenario's attrition and entrants, against the
    need (manual, or WISN + norms of the region)."""
    now = today or dt.date.today()
    region = scenario.region_id or ""
    people = Person.objects.restrict(user, VIEW).filter(category_id=scenario.category_id)
    if region:
        people = people.filter(region_q(Person.scope, (region,)))
    current = people.count()
    start = dt.date(scenario.start_year, 1, 1)
    base = max(start, now) if scenario.start_year <= now.year else start
    retirees = careers_queries.retirements(people, years=scenario.years, today=base)
    per_year = careers_queries.retirement_counts_by_year(retirees, base, scenario.years)
    if scenario.need_override is not None:
        need, source = float(scenario.need_override), "manual"
    else:
        found = region_need(user, region, scenario.category_id, scenario.start_year)
        need, source = found.total, f"wisn:{found.wisn_rows}+norm:{found.norm_rows}"
    last_year = scenario.start_year + scenario.years - 1
    entrants = (recorded_entrants(user, region, scenario.category_id, scenario.start_year,
                                  last_year) if scenario.entrants_from_records else [])
    graduates = [0.0] * scenario.years
    trainees = [0.0] * scenario.years
    for e in entrants:
        (graduates if e.source == "scholarship" else trainees)[e.year - scenario.start_year] += 1
    rows = projection.project(
        current=current, retirements=per_year, attrition_rate=float(scenario.attrition_rate),
        entrants_per_year=float(scenario.entrants_per_year), need=need,
        start_year=scenario.start_year, need_growth_rate=float(scenario.need_growth_rate),
        graduates=graduates, trainees=trainees)
    return Projection(scenario, current, need, source, rows, entrants)


# Shade of a bar segment: staff carried over is solid; entrants from the records and the
# scenario's typed-in entrants are lighter shades of the scenario's colour.
SEGMENT_OPACITY = {"staff": 1.0, "graduates": 0.65, "trainees": 0.45, "scenario": 0.25}


def chart(projections: list[Projection], width: int = 640, height: int = 220) -> dict[str, Any]:
    """Geometry of an inline SVG bar chart: supply at the end of each year per scenario (bars)
    and the need (a tick per scenario and year)."""
    values = [r.end for p in projections for r in p.rows] + [
        r.need for p in projections for r in p.rows]
    top = max([*values, 1.0])
    scale = (height - 30) / top
    years = sorted({r.year for p in projections for r in p.rows})
    groups = max(1, len(years))
    group_w = (width - 40) / groups
    bar_w = max(4.0, (group_w - 10) / max(1, len(projections)))
    colours = ["#0b5e7e", "#1f8a70", "#d9822b", "#7b4fa0", "#b23a48", "#4d7c0f"]
    bars = []
    for si, p in enumerate(projections):
        for r in p.rows:
            gi = years.index(r.year)
            x = 40 + gi * group_w + 5 + si * bar_w
            h = r.end * scale
            # Stacked from the bottom: staff carried over, then the entrants by source.
            segments = []
            base = height - 20.0
            for part, value in (("staff", r.end - r.entrants), ("graduates", r.graduates),
                                ("trainees", r.trainees), ("scenario", r.scenario_entrants)):
                if value <= 0:
                    continue
                seg_h = value * scale
                base -= seg_h
                segments.append({"part": part, "y": round(base, 1), "h": round(seg_h, 1),
                                 "opacity": SEGMENT_OPACITY[part],
                                 "label": f"{p.scenario.name} {r.year} {part}: {value:.1f}"})
            bars.append({"x": round(x, 1), "y": round(height - 20 - h, 1),
                         "w": round(bar_w - 2, 1), "x2": round(x + bar_w - 2, 1),
                         "h": round(h, 1), "colour": colours[si % 6], "segments": segments,
                         "need_y": round(height - 20 - r.need * scale, 1),
                         "label": f"{p.scenario.name} {r.year}: {r.end:.1f} / {r.need:.1f}"})
    return {"width": width, "height": height, "bars": bars, "top": math.ceil(top),
            "axis_y": height - 20,
            "years": [{"year": y, "x": round(40 + i * group_w + group_w / 2, 1)}
                      for i, y in enumerate(years)],
            "legend": [{"name": p.scenario.name, "colour": colours[i % 6]}
                       for i, p in enumerate(projections)]}


# --- placement -----------------------------------------------------------------------------------


def placement_candidates(user: Any, vacancy: placement.Vacancy, *, region: str | None = None,
                         limit: int = 50, pool: int = 3000, today: dt.date | None = None
                         ) -> list[tuple[Person, placement.Score]]:
    """Candidates in the user's scope (optionally in ``region``) ranked for the vacancy. The
    pool is people with a matching field of study, a peksos/kesos background or the vacancy's
    category (at most ``pool`` of them). Their current competency levels (latest valid
    assessments, competency app), valid certificates of the vacancy's schemes and valid STR /
    SIPPS (certification app) on ``today`` are read in a fixed number of queries."""
    today = today or dt.date.today()
    qs = Person.objects.restrict(user, VIEW)
    if region:
        qs = qs.filter(region_q(Person.scope, (region,)))
    match = Q(pk__in=[])
    if vacancy.fields:
        match |= Q(education__field__code__in=list(vacancy.fields))
    if vacancy.kesos_fields:
        match |= Q(kesos_background=True)
    if vacancy.category:
        match |= Q(category__code=vacancy.category)
    if not (vacancy.fields or vacancy.kesos_fields or vacancy.category):
        match = Q()
    people = list(qs.filter(match).distinct().select_related(
        "education_level", "category", "organisation")[:pool])
    ids = [p.pk for p in people]
    fields: dict[int, set[str]] = {}
    for pid, code in EducationRecord.objects.filter(
            person__in=ids, field__isnull=False).values_list("person_id", "field__code"):
        fields.setdefault(pid, set()).add(code)
    levels: dict[int, dict[str, int]] = {}
    if vacancy.standard:
        levels = {pid: current_levels(facts, today)
                  for pid, facts in competency_queries.facts_for(ids).items()}
    certificates: dict[int, set[str]] = {}
    registrations: dict[int, set[str]] = {}
    if vacancy.schemes is not None:
        certificates = certification_queries.valid_certificates(ids, vacancy.schemes, today)
        registrations = certification_queries.valid_registrations(ids, today)
    by_pk = {p.pk: p for p in people}
    candidates = [placement.Candidate(
        key=p.pk, fields=frozenset(fields.get(p.pk, set())), kesos=p.kesos_background,
        education_rank=p.education_level.rank if p.education_level else 0,
        category=p.category.code if p.category else None, region=p.region_id,
        levels=levels.get(p.pk, {}), certificates=frozenset(certificates.get(p.pk, set())),
        registrations=frozenset(registrations.get(p.pk, set())))
        for p in people]
    return [(by_pk[c.key], s) for c, s in placement.rank(vacancy, candidates, limit)]


def vacancy_from(fields: list[str], min_level: str | None, category: str | None,
                 region: str | None, *, standard: str | None = None,
                 schemes: list[str] | None = None) -> placement.Vacancy:
    """The vacancy. Its competency standard is ``standard`` (a job standard's code) or else the
    active standard of ``category``; its certification schemes are ``schemes`` or else the
    active schemes of ``category``."""
    kesos = set(FieldOfStudy.objects.filter(code__in=fields, is_kesos=True)
                .values_list("code", flat=True))
    rank = 0
    if min_level:
        level = EducationLevel.objects.filter(code=min_level).first()
        rank = level.rank if level else 0
    found = competency_queries.standard_for(code=standard, category=category)
    scheme_codes = (frozenset(schemes) if schemes
                    else certification_queries.schemes_for_category(category)
                    if category else None)
    return placement.Vacancy(fields=frozenset(fields), kesos_fields=frozenset(kesos),
                             min_education_rank=rank, category=category or None,
                             region=region or None,
                             standard=dict(found.required) if found else None,
                             standard_label=f"{found.code} {found.name}" if found else None,
                             schemes=scheme_codes or None)


# --- heads of units ------------------------------------------------------------------------------

HEADED_TYPES = (OrganisationType.DINSOS_PROVINCE, OrganisationType.DINSOS_REGENCY,
                OrganisationType.UPT, OrganisationType.BALAI, OrganisationType.PANTI)


@dataclass
class HeadRow:
    organisation: Organisation
    head: Person | None
    recorded: bool  # from UnitHead (else guessed from a "Kepala ..." position in the registry)

    @property
    def status(self) -> str:
        if self.head is None:
            return "unknown"
        return "kesos" if self.head.kesos_background else "not_kesos"


def head_rows(user: Any, *, region: str | None = None, only_flagged: bool = False,
              limit: int = 1000) -> list[HeadRow]:
    """Organisations (Dinas Sosial, UPT, balai, panti) in the user's scope and their heads;
    flagged when the head has no peksos/kesos education background."""
    orgs = Organisation.objects.filter(type__in=HEADED_TYPES, is_national=False)
    spec = WisnInputSet.scope
    heads = UnitHead.objects.restrict(user, VIEW).select_related("person", "organisation")
    people = Person.objects.restrict(user, VIEW)
    if region:
        heads = heads.filter(region_q(spec, (region,)))
        people = people.filter(region_q(Person.scope, (region,)))
    recorded = {h.organisation_id: h.person for h in heads}
    guessed: dict[int, Person] = {}
    for person in people.filter(position__istartswith="kepala").exclude(
            organisation_id__in=list(recorded)).order_by("-id")[:limit]:
        if person.organisation_id is not None:
            guessed.setdefault(person.organisation_id, person)
    visible = set(recorded) | set(guessed)
    rows = []
    for org in orgs.filter(pk__in=visible).order_by("name"):
        head = recorded.get(org.pk) or guessed.get(org.pk)
        row = HeadRow(org, head, org.pk in recorded)
        if not only_flagged or row.status == "not_kesos":
            rows.append(row)
    return rows


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))
