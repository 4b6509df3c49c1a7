"""Read-side of careers: a person's running AK total and eligibility, the promotion list and the
retirement list. Callers pass querysets already restricted to the user (``restrict``).

This module is also the public query module other apps (planning) use for retirements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from sdmkesos.people.models import Person

from . import rules as R
from .models import CareerPosition, CreditEntry, PositionKind, Skp, SkpStatus
from .reference import current_rules

#: BUP of people without a career record whose status is ASN: an administrative position.
DEFAULT_KIND = "administrative"


@dataclass
class CreditRow:
    entry: CreditEntry
    cumulative_rank: Decimal
    cumulative_level: Decimal


@dataclass
class CareerSummary:
    person: Person
    positions: list[CareerPosition]
    current: CareerPosition | None
    credits: list[CreditRow]
    rank_ak: Decimal
    level_ak: Decimal
    latest_rating: str | None
    eligibility: R.Eligibility | None
    retirement_age: int | None
    retirement_date: dt.date | None
    retirement_basis: str
    notes: list[str] = field(default_factory=list)


def _level_run(positions: list[CareerPosition], current: CareerPosition) -> list[CareerPosition]:
    """The spells of the current level, back to the appointment to it (oldest first)."""
    ordered = sorted(positions, key=lambda p: (p.tmt, p.pk))
    run: list[CareerPosition] = []
    for pos in reversed(ordered[: ordered.index(current) + 1]):
        if pos.kind != PositionKind.FUNCTIONAL or pos.level_id != current.level_id:
            break
        run.append(pos)
    return list(reversed(run))


EVALUATED = (SkpStatus.EVALUATED, SkpStatus.ACKNOWLEDGED)


def latest_skps(person_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """person id -> (year, final rating) of the latest evaluated SKP."""
    out: dict[int, tuple[int, str]] = {}
    for pid, year, rating in (Skp.objects.filter(person_id__in=list(person_ids),
                                                 status__in=EVALUATED)
                              .exclude(final_rating="").order_by("person_id", "-year")
                              .values_list("person_id", "year", "final_rating")):
        out.setdefault(pid, (year, rating))
    return out


def latest_rating(person: Person, credits: Iterable[CreditEntry] = (),
                  skp: tuple[int, str] | bool | None = False) -> str | None:
    """The latest final SKP rating (evaluated), else the latest credit entry's rating.
    ``skp``: the (year, rating) already looked up (None: no SKP), or False to look it up."""
    if skp is False:
        skp = latest_skps([person.pk]).get(person.pk)
    entries = sorted(credits, key=lambda e: (e.year, e.pk))
    if isinstance(skp, tuple) and (not entries or skp[0] >= entries[-1].year):
        return skp[1]
    return entries[-1].rating if entries else None


def retirement_for(person: Person, current: CareerPosition | None,
                   rules: R.CareerRules) -> tuple[int | None, dt.date | None, str]:
    """(age, pension start, basis) for a person; basis is the position kind used."""
    try:
        if current is not None and current.kind == PositionKind.FUNCTIONAL and current.level:
            age = R.retirement_age("functional", current.level.code, rules=rules)
            basis = f"functional:{current.level.code}"
        elif current is not None:
            age = R.retirement_age(current.kind, rules=rules)
            basis = current.kind
        elif person.employment_status is not None and person.employment_status.code == "pns":
            age = R.retirement_age(DEFAULT_KIND, rules=rules)
            basis = f"{DEFAULT_KIND}:assumed"
        else:
            return None, None, "none"
    except R.CareerRuleError:
        return None, None, "none"
    return age, R.retirement_date(person.birth_date, age), basis


def career_summary(person: Person, *, rules: R.CareerRules | None = None,
                   positions: list[CareerPosition] | None = None,
                   entries: list[CreditEntry] | None = None,
                   skp: tuple[int, str] | bool | None = False) -> CareerSummary:
    """A person's career; ``positions``/``entries``/``skp`` may be passed already loaded (see
    :func:`eligibility_list`)."""
    rs = rules or current_rules()
    if positions is None:
        positions = list(CareerPosition.objects.filter(person=person)
                         .select_related("jf", "level", "rank").order_by("tmt", "id"))
    current_list = [p for p in positions if p.end_date is None]
    current = current_list[-1] if current_list else None
    if entries is None:
        entries = list(CreditEntry.objects.filter(person=person).select_related("position")
                       .order_by("year", "id"))
    by_pk = {p.pk: p for p in positions}
    for entry in entries:  # share the position objects (no query per entry)
        if entry.position_id in by_pk:
            entry.position = by_pk[entry.position_id]
    # Running totals: per rank (opening of the spell + its entries) and per level run.
    rows: list[CreditRow] = []
    by_position: dict[int, Decimal] = {}
    level_totals: dict[int, Decimal] = {}
    for pos in positions:
        if pos.kind == PositionKind.FUNCTIONAL:
            run = _level_run(positions, pos)
            first = run[0]
            level_totals.setdefault(first.pk, Decimal(first.opening_ak))
    for entry in entries:
        pos = entry.position
        by_position.setdefault(pos.pk, Decimal(pos.opening_ak))
        by_position[pos.pk] += entry.credit_points
        run_start = _level_run(positions, next(p for p in positions if p.pk == pos.pk))[0]
        level_totals[run_start.pk] = level_totals.get(run_start.pk, Decimal(0)) \
            + entry.credit_points
        rows.append(CreditRow(entry, by_position[pos.pk], level_totals[run_start.pk]))
    rank_ak = level_ak = Decimal(0)
    eligibility = None
    rating = latest_rating(person, entries, skp)
    notes: list[str] = []
    if current is not None and current.kind == PositionKind.FUNCTIONAL and current.level:
        rank_ak = by_position.get(current.pk, Decimal(current.opening_ak))
        run_start = _level_run(positions, current)[0]
        level_ak = level_totals.get(run_start.pk, Decimal(run_start.opening_ak))
        try:
            eligibility = R.promotion_eligibility(
                current.level.code, rank_ak, rating,
                competency_test_passed=current.competency_test_passed,
                vacancy=current.vacancy_available,
                current_rank=current.rank.code if current.rank else None,
                level_ak=level_ak, rules=rs)
        except R.CareerRuleError as err:
            notes.append(err.message_id)
    age, date, basis = retirement_for(person, current, rs)
    return CareerSummary(person=person, positions=positions, current=current, credits=rows,
                         rank_ak=rank_ak, level_ak=level_ak, latest_rating=rating,
                         eligibility=eligibility, retirement_age=age, retirement_date=date,
                         retirement_basis=basis, notes=notes)


def current_functional(persons: QuerySet[Person]) -> QuerySet[CareerPosition]:
    return (CareerPosition.objects.filter(person__in=persons.values("pk"),
                                          end_date__isnull=True,
                                          kind=PositionKind.FUNCTIONAL, level__isnull=False)
            .select_related("person", "person__organisation", "jf", "level", "rank"))


def eligibility_list(persons: QuerySet[Person], *, only_eligible: bool = False,
                     limit: int = 500) -> list[CareerSummary]:
    """Career summaries of JF holders among ``persons`` (already restricted), eligible first."""
    rs = current_rules()
    out = []
    holders = list(current_functional(persons).order_by("person__name", "person_id")[:limit])
    ids = [pos.person_id for pos in holders]
    positions: dict[int, list[CareerPosition]] = {}
    for p in CareerPosition.objects.filter(person_id__in=ids).select_related(
            "jf", "level", "rank").order_by("tmt", "id"):
        positions.setdefault(p.person_id, []).append(p)
    entries: dict[int, list[CreditEntry]] = {}
    for e in CreditEntry.objects.filter(person_id__in=ids).order_by("year", "id"):
        entries.setdefault(e.person_id, []).append(e)
    skps = latest_skps(ids)
    for pos in holders:
        summary = career_summary(pos.person, rules=rs, positions=positions.get(pos.person_id, []),
                                 entries=entries.get(pos.person_id, []),
                                 skp=skps.get(pos.person_id))
        el = summary.eligibility
        if el is None:
            continue
        if only_eligible and not (el.next_rank.eligible or el.next_level.eligible):
            continue
        out.append(summary)
    out.sort(key=lambda s: (not (s.eligibility and (s.eligibility.next_rank.eligible
                                                    or s.eligibility.next_level.eligible)),
                            s.person.name))
    return out


@dataclass
class Retiree:
    person: Person
    age: int
    date: dt.date
    basis: str


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retirements(persons: QuerySet[Person], *, years: int, today: dt.date | None = None,
                category: str | None = None) -> list[Retiree]:
    """People among ``persons`` whose pension starts after ``today`` and within ``years`` years,
    soonest first. Candidates are narrowed by birth date (retirement ages are 1..120, but the
    rules' highest age bounds the window)."""
    rs = current_rules()
    now = today or dt.date.today()
    ages = [lv.retirement_age for lv in rs.levels] + [
        k.age for k in rs.position_kinds if k.age is not None]
    oldest, youngest = max(ages), min(ages)
    # pension start = first of the month after reaching the age: born after now - (age+1) years
    lo = add_years(now, -(oldest + 1))
    hi = add_years(now, -(youngest - years))
    qs = persons.filter(birth_date__gt=lo, birth_date__lte=hi)
    if category:
        qs = qs.filter(category__code=category)
    qs = qs.select_related("organisation", "employment_status", "category")
    people = list(qs[:20000])
    current = {p.person_id: p for p in CareerPosition.objects.filter(
        person__in=[p.pk for p in people], end_date__isnull=True)
        .select_related("level").order_by("tmt", "id")}
    out = []
    for person in people:
        age, date, basis = retirement_for(person, current.get(person.pk), rs)
        if age is None or date is None:
            continue
        if R.retiring_within(person.birth_date, age, now, years):
            out.append(Retiree(person, age, date, basis))
    out.sort(key=lambda r: (r.date, r.person.name))
    return out


def retirement_counts_by_year(retirees: Iterable[Retiree], today: dt.date, years: int
                              ) -> list[int]:
    """How many pensions start in year 1, 2, ... ``years`` after ``today``."""
    counts = [0] * years
    for r in retirees:
        for i in range(years):
            if r.date <= add_years(today, i + 1):
                counts[i] += 1
                break
    return counts


def group_by_organisation(retirees: Iterable[Retiree]) -> list[tuple[Any, list[Retiree]]]:
    groups: dict[Any, list[Retiree]] = {}
    for r in retirees:
        groups.setdefault(r.person.organisation, []).append(r)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), str(kv[0] or "")))


def group_by_region(retirees: Iterable[Retiree]) -> list[tuple[str, str, int]]:
    """(kab/kota code, name, count) of the managing regions (the province when the person is
    managed at province level), most retirements first."""
    from sdmkesos.core.models import Region

    counts: dict[str, int] = {}
    for r in retirees:
        code = r.person.region_kab or r.person.region_prov or ""
        counts[code] = counts.get(code, 0) + 1
    names = dict(Region.objects.filter(code__in=[c for c in counts if c])
                 .values_list("code", "name"))
    return sorted(((c, names.get(c, ""), n) for c, n in counts.items()),
                  key=lambda t: (-t[2], t[0]))
