"""Eligibility of a candidate for a scheme: pure rules, no Django.

Rules (a scheme's ``eligibility`` JSON): ``min_education`` (an education level code),
``fields`` (accepted fields of study; empty: any), ``min_practice_hours``,
``required_training`` (names of trainings that must be completed), ``membership_required``
(membership of the professional association, IPSPI for social workers).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

EDUCATION_ORDER = ["sd", "smp", "sma", "d1", "d2", "d3", "d4", "s1", "profesi", "s2",
                   "s2_terapan", "s3"]
# D4 and S1 are the same level (KKNI 6); S2 and S2 terapan too.
EDUCATION_RANK = {"sd": 1, "smp": 2, "sma": 3, "d1": 4, "d2": 5, "d3": 6, "d4": 7, "s1": 7,
                  "profesi": 8, "s2": 9, "s2_terapan": 9, "s3": 10}


@dataclass(frozen=True)
class Candidate:
    education_levels: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    practice_hours: int = 0
    trainings: tuple[str, ...] = ()
    member: bool = False


@dataclass(frozen=True)
class Unmet:
    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


def _norm(items: Iterable[str]) -> set[str]:
    return {" ".join(str(i).lower().split()) for i in items}


def check(rules: dict[str, Any], candidate: Candidate) -> list[Unmet]:
    """Every unmet criterion (empty list: eligible)."""
    unmet: list[Unmet] = []
    need = rules.get("min_education")
    best = max((EDUCATION_RANK.get(lv, 0) for lv in candidate.education_levels), default=0)
    if need and best < EDUCATION_RANK.get(need, 0):
        unmet.append(Unmet("education_too_low",
                           f"Pendidikan minimal {need.upper()} belum terpenuhi.",
                           {"required": need}))
    fields = rules.get("fields") or []
    if fields and not set(fields) & set(candidate.fields):
        unmet.append(Unmet("field_not_accepted",
                           "Bidang studi harus salah satu dari: " + ", ".join(fields) + ".",
                           {"accepted": fields}))
    hours = int(rules.get("min_practice_hours") or 0)
    if candidate.practice_hours < hours:
        unmet.append(Unmet("practice_hours_short",
                           f"Jam praktik {candidate.practice_hours} kurang dari {hours}.",
                           {"required": hours, "actual": candidate.practice_hours}))
    missing = sorted(_norm(rules.get("required_training") or []) - _norm(candidate.trainings))
    if missing:
        unmet.append(Unmet("training_missing",
                           "Pelatihan wajib belum diikuti: " + ", ".join(missing) + ".",
                           {"missing": missing}))
    if rules.get("membership_required") and not candidate.member:
        unmet.append(Unmet("membership_required",
                           "Wajib menjadi anggota organisasi profesi (IPSPI).", {}))
    return unmet
