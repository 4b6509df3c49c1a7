"""Training rules as pure Python (no Django): date overlap, eligibility, trainer availability and
load. ``training.actions`` feeds them from the database and turns problems into DomainErrors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field


def overlaps(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> bool:
    """Two inclusive date ranges share at least one day."""
    return a_start <= b_end and b_start <= a_end


def days(start: dt.date, end: dt.date) -> int:
    return (end - start).days + 1


@dataclass(frozen=True)
class PersonFacts:
    category: str | None = None
    education_rank: int | None = None
    is_asn: bool = False
    completed_programmes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Eligibility:
    categories: frozenset[str] = frozenset()  # empty: any category
    min_education_rank: int | None = None
    min_education_name: str = ""
    asn_only: bool = False
    prerequisites: frozenset[str] = frozenset()  # programme codes that must be completed


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict[str, str] = field(default_factory=dict)


def eligibility_problems(person: PersonFacts, rules: Eligibility) -> list[Problem]:
    """Every reason the person may not join; empty when eligible."""
    out: list[Problem] = []
    if rules.categories and person.category not in rules.categories:
        out.append(Problem("ineligible_category", {
            "category": person.category or "-",
            "allowed": ", ".join(sorted(rules.categories))}))
    if rules.min_education_rank is not None and (
            person.education_rank is None or person.education_rank < rules.min_education_rank):
        out.append(Problem("ineligible_education", {"level": rules.min_education_name}))
    if rules.asn_only and not person.is_asn:
        out.append(Problem("ineligible_asn"))
    missing = sorted(rules.prerequisites - person.completed_programmes)
    if missing:
        out.append(Problem("ineligible_prerequisite", {"programmes": ", ".join(missing)}))
    return out


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    available: bool = True


def availability_problem(windows: Iterable[Window], start: dt.date, end: dt.date) -> str | None:
    """``trainer_unavailable`` when an unavailable window overlaps [start, end], or when the
    trainer declared available windows and none covers the whole range; else None."""
    windows = list(windows)
    if any(not w.available and overlaps(w.start, w.end, start, end) for w in windows):
        return "trainer_unavailable"
    open_windows = [w for w in windows if w.available]
    if open_windows and not any(w.start <= start and end <= w.end for w in open_windows):
        return "trainer_unavailable"
    return None


def days_in_year(ranges: Iterable[tuple[dt.date, dt.date]], year: int) -> int:
    """Teaching days falling in ``year`` (ranges may span a new year)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    total = 0
    for start, end in ranges:
        lo, hi = max(start, first), min(end, last)
        if lo <= hi:
            total += days(lo, hi)
    return total
