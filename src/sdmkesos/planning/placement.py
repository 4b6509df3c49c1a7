"""Placement ranking (pure Python, no Django): how well a candidate fits a vacancy.

Points (``WEIGHTS``, 100 at most):

- ``field`` (education field) 35: one of the candidate's fields of study is among the vacancy's
  fields; 20 when the vacancy asks for a peksos/kesos field and the candidate has another
  peksos/kesos field (``KESOS_FIELD``); otherwise 0;
- ``education`` 15: the highest level reaches the vacancy's minimum (or none is asked);
- ``category`` 10: the vacancy's workforce category (or none is asked);
- ``competency`` 20: against the vacancy's competency standard (required level per competency),
  the share of the required levels the candidate's current levels (latest valid assessments)
  cover: Σ min(current, required) / Σ required x 20, rounded half up. Left out when the vacancy
  has no standard;
- ``certification`` 15: 10 for a valid competency certificate of one of the vacancy's schemes,
  3 for a valid STR, 2 for a valid SIPPS. Left out when the vacancy names no scheme;
- ``region`` 5: the candidate is managed in the vacancy's region (or below it), or none is asked.

``Score.parts`` holds the points per part, ``Score.maximum`` what each part could give, and
``Score.details`` the facts behind them (competencies met, certificate, registrations).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

WEIGHTS = {"field": 35, "education": 15, "category": 10, "competency": 20,
           "certification": 15, "region": 5}
KESOS_FIELD = 20  # another peksos/kesos field when one is asked
CERTIFICATE, STR, SIPPS = 10, 3, 2


@dataclass(frozen=True)
class Vacancy:
    fields: frozenset[str] = frozenset()
    kesos_fields: frozenset[str] = frozenset()  # which of ``fields`` are peksos/kesos fields
    min_education_rank: int = 0
    category: str | None = None
    region: str | None = None
    standard: Mapping[str, int] | None = None  # competency code -> required level
    schemes: frozenset[str] | None = None  # certification scheme codes that count
    standard_label: str | None = None


@dataclass(frozen=True)
class Candidate:
    key: int
    fields: frozenset[str]
    kesos: bool
    education_rank: int
    category: str | None
    region: str | None
    levels: Mapping[str, int] = field(default_factory=dict)  # current level per competency
    certificates: frozenset[str] = frozenset()  # schemes with a valid certificate
    registrations: frozenset[str] = frozenset()  # valid "str" / "sipps"


@dataclass(frozen=True)
class Score:
    total: int
    parts: dict[str, int] = field(default_factory=dict)
    maximum: dict[str, int] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def _in_region(code: str | None, region: str | None) -> bool:
    return bool(code and region and (code == region or code.startswith(region + ".")))


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def competency_match(standard: Mapping[str, int], levels: Mapping[str, int]
                     ) -> tuple[int, int, int, int]:
    """(levels covered, levels required, competencies met, competencies in the standard)."""
    required = sum(standard.values())
    covered = sum(min(levels.get(code, 0), need) for code, need in standard.items())
    met = sum(1 for code, need in standard.items() if levels.get(code, 0) >= need)
    return covered, required, met, len(standard)


def score(vacancy: Vacancy, c: Candidate) -> Score:
    parts: dict[str, int] = {}
    details: dict[str, Any] = {}
    if vacancy.fields and c.fields & vacancy.fields:
        parts["field"] = WEIGHTS["field"]
    elif vacancy.kesos_fields and c.kesos:
        parts["field"] = KESOS_FIELD
    else:
        parts["field"] = 0
    parts["education"] = (WEIGHTS["education"]
                          if c.education_rank >= vacancy.min_education_rank else 0)
    parts["category"] = (WEIGHTS["category"]
                         if vacancy.category is None or c.category == vacancy.category else 0)
    if vacancy.standard:
        covered, required, met, count = competency_match(vacancy.standard, c.levels)
        parts["competency"] = _half_up(Decimal(covered) * WEIGHTS["competency"] / required
                                       ) if required else 0
        details["competency"] = {"covered": covered, "required": required, "met": met,
                                 "competencies": count}
    if vacancy.schemes is not None:
        held = sorted(c.certificates & vacancy.schemes)
        parts["certification"] = ((CERTIFICATE if held else 0)
                                  + (STR if "str" in c.registrations else 0)
                                  + (SIPPS if "sipps" in c.registrations else 0))
        details["certification"] = {"schemes": held,
                                    "registrations": sorted(c.registrations)}
    parts["region"] = (WEIGHTS["region"] if vacancy.region is None
                       or _in_region(c.region, vacancy.region) else 0)
    return Score(sum(parts.values()), parts, {k: WEIGHTS[k] for k in parts}, details)


def rank(vacancy: Vacancy, candidates: Collection[Candidate], limit: int = 50
         ) -> list[tuple[Candidate, Score]]:
    """Best first; ties by key (stable, reproducible)."""
    scored = [(c, score(vacancy, c)) for c in candidates]
    scored.sort(key=lambda cs: (-cs[1].total, cs[0].key))
    return scored[:limit]
