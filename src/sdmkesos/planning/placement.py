"""Placement ranking (pure Python, no Django): how well a candidate fits a vacancy.

Points (100 at most):

- education field: 50 when one of the candidate's fields of study is among the vacancy's fields;
  30 when the vacancy asks for a peksos/kesos field and the candidate has another peksos/kesos
  field; otherwise 0;
- education level: 20 when the highest level reaches the vacancy's minimum (or none is asked);
- workforce category: 15 when it is the vacancy's category (or none is asked);
- competencies and certification: up to 10 (5 each) when such data is given for the candidate
  (``competency_match`` share 0..1 and ``certified``); ignored when unknown (None);
- region: 5 when the candidate is managed in the vacancy's region (or below it).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Vacancy:
    fields: frozenset[str] = frozenset()
    kesos_fields: frozenset[str] = frozenset()  # which of ``fields`` are peksos/kesos fields
    min_education_rank: int = 0
    category: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class Candidate:
    key: int
    fields: frozenset[str]
    kesos: bool
    education_rank: int
    category: str | None
    region: str | None
    competency_match: float | None = None
    certified: bool | None = None


@dataclass(frozen=True)
class Score:
    total: int
    parts: dict[str, int] = field(default_factory=dict)


def _in_region(code: str | None, region: str | None) -> bool:
    return bool(code and region and (code == region or code.startswith(region + ".")))


def score(vacancy: Vacancy, c: Candidate) -> Score:
    parts: dict[str, int] = {}
    if vacancy.fields and c.fields & vacancy.fields:
        parts["field"] = 50
    elif vacancy.kesos_fields and c.kesos:
        parts["field"] = 30
    else:
        parts["field"] = 0
    parts["education"] = 20 if c.education_rank >= vacancy.min_education_rank else 0
    parts["category"] = 15 if vacancy.category is None or c.category == vacancy.category else 0
    if c.competency_match is not None:
        parts["competency"] = round(5 * max(0.0, min(1.0, c.competency_match)))
    if c.certified is not None:
        parts["certification"] = 5 if c.certified else 0
    parts["region"] = 5 if vacancy.region is None or _in_region(c.region, vacancy.region) else 0
    return Score(sum(parts.values()), parts)


def rank(vacancy: Vacancy, candidates: Collection[Candidate], limit: int = 50
         ) -> list[tuple[Candidate, Score]]:
    """Best first; ties by key (stable, reproducible)."""
    scored = [(c, score(vacancy, c)) for c in candidates]
    scored.sort(key=lambda cs: (-cs[1].total, cs[0].key))
    return scored[:limit]
