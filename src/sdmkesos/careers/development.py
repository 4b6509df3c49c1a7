"""Development follow-up (pure Python, no Django): which programmes of the training catalogue to
propose to someone rated below Baik or with a competency gap.

``suggest(programmes, gaps, person)`` takes the catalogue's programmes
(``training.queries.catalogue()["programmes"]``), the person's gaps below the job standard
(competency, required level, current level) and the person's facts for eligibility
(``training.rules.PersonFacts``):

- only programmes the person may join (``training.rules.eligibility_problems``: category,
  minimum education, ASN only, prerequisites completed);
- with gaps: programmes that bring at least one gap competency up to its required level
  (``levels[c] >= required``, as in ``training.queries.gap_rows``), most gaps closed first,
  then the cheaper, then by code;
- without gaps (a rating below Baik alone): technical and functional programmes open
  explicitly to the person's category, cheaper first, then by code;
- at most ``limit`` (3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sdmkesos.training.rules import Eligibility, PersonFacts, eligibility_problems

GENERAL_TYPES = ("teknis", "fungsional")


@dataclass(frozen=True)
class GapFact:
    competency: str
    required: int
    current: int


@dataclass(frozen=True)
class Suggestion:
    code: str
    name: str
    closes: tuple[str, ...]  # gap competencies it brings to the required level

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "closes": list(self.closes)}


def _eligible(programme: Mapping[str, Any], person: PersonFacts) -> bool:
    rules = Eligibility(categories=frozenset(programme.get("eligible_categories") or ()),
                        min_education_rank=programme.get("min_education_rank"),
                        asn_only=bool(programme.get("asn_only")),
                        prerequisites=frozenset(programme.get("prerequisites") or ()))
    return not eligibility_problems(person, rules)


def suggest(programmes: Iterable[Mapping[str, Any]], gaps: Sequence[GapFact],
            person: PersonFacts, limit: int = 3) -> list[Suggestion]:
    open_to = [p for p in programmes if _eligible(p, person)]
    below = [g for g in gaps if g.current < g.required]
    ranked: list[tuple[Any, Suggestion]] = []
    if below:
        for p in open_to:
            levels = p.get("levels") or {}
            closes = tuple(g.competency for g in below
                           if levels.get(g.competency, 0) >= g.required)
            if closes:
                ranked.append(((-len(closes), float(p.get("cost_per_participant") or 0),
                                p["code"]), Suggestion(p["code"], p["name"], closes)))
    else:
        for p in open_to:
            if (p.get("type") in GENERAL_TYPES and person.category
                    and person.category in (p.get("eligible_categories") or ())):
                ranked.append(((float(p.get("cost_per_participant") or 0), p["code"]),
                               Suggestion(p["code"], p["name"], ())))
    ranked.sort(key=lambda item: item[0])
    return [s for _k, s in ranked[:limit]]
