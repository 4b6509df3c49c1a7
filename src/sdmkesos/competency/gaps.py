"""Gap arithmetic, pure Python (no Django): which assessment counts, the gap per competency, and
aggregates. ``competency.queries`` feeds it from the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AssessmentFact:
    competency: str
    level: int
    assessed_on: dt.date
    order: int = 0  # tie-break on the same day (the database id: later wins)
    valid_until: dt.date | None = None
    voided: bool = False

    def valid_on(self, day: dt.date) -> bool:
        return not self.voided and (self.valid_until is None or self.valid_until >= day)


def valid_until(assessed_on: dt.date, validity_months: int | None) -> dt.date | None:
    """The expiry of an assessment made on ``assessed_on`` (None: never expires). Month
    arithmetic clamps the day (31 Jan + 1 month = 28/29 Feb)."""
    if not validity_months:
        return None
    month0 = assessed_on.month - 1 + validity_months
    year, month = assessed_on.year + month0 // 12, month0 % 12 + 1
    for day in (assessed_on.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def current_levels(facts: Iterable[AssessmentFact], day: dt.date) -> dict[str, int]:
    """Per competency, the level of the latest assessment valid on ``day`` (made on or before
    it). An expired or voided latest assessment does not fall back to an older one only if the
    older one is still valid itself."""
    best: dict[str, AssessmentFact] = {}
    for fact in facts:
        if fact.assessed_on > day or not fact.valid_on(day):
            continue
        seen = best.get(fact.competency)
        if seen is None or (fact.assessed_on, fact.order) > (seen.assessed_on, seen.order):
            best[fact.competency] = fact
    return {code: fact.level for code, fact in best.items()}


@dataclass(frozen=True)
class Gap:
    competency: str
    required: int
    current: int  # 0: never validly assessed
    gap: int

    @property
    def below(self) -> bool:
        return self.gap > 0


def person_gaps(required: Mapping[str, int], current: Mapping[str, int]) -> list[Gap]:
    """Required minus assessed, per competency of the standard (never negative)."""
    out = []
    for code, need in required.items():
        have = current.get(code, 0)
        out.append(Gap(code, need, have, max(0, need - have)))
    return out


@dataclass
class Aggregate:
    key: str
    people: int = 0
    below: int = 0  # people below standard on at least one competency
    gap_sum: int = 0  # sum of level gaps
    items: int = 0  # person-competency pairs assessed against a standard
    below_items: int = 0
    _people_seen: set[int] = field(default_factory=set, repr=False)
    _below_seen: set[int] = field(default_factory=set, repr=False)

    def add(self, person_id: int, gap: Gap) -> None:
        if person_id not in self._people_seen:
            self._people_seen.add(person_id)
            self.people += 1
        self.items += 1
        self.gap_sum += gap.gap
        if gap.below:
            self.below_items += 1
            if person_id not in self._below_seen:
                self._below_seen.add(person_id)
                self.below += 1

    @property
    def below_share(self) -> float:
        return self.below / self.people if self.people else 0.0

    @property
    def mean_gap(self) -> float:
        return self.gap_sum / self.items if self.items else 0.0


def aggregate(rows: Iterable[tuple[str, int, Gap]]) -> list[Aggregate]:
    """Group (key, person id, gap) rows by key; largest total gap first."""
    groups: dict[str, Aggregate] = {}
    for key, person_id, gap in rows:
        groups.setdefault(key, Aggregate(key)).add(person_id, gap)
    return sorted(groups.values(), key=lambda a: (-a.gap_sum, a.key))
