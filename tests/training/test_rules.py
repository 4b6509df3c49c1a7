"""Pure training rules: overlap, eligibility, trainer availability and load."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sdmkesos.training.rules import (
    Eligibility,
    PersonFacts,
    Window,
    availability_problem,
    days_in_year,
    eligibility_problems,
    overlaps,
)

D = dt.date


def test_overlap_is_inclusive():
    assert overlaps(D(2026, 3, 1), D(2026, 3, 5), D(2026, 3, 5), D(2026, 3, 9))
    assert not overlaps(D(2026, 3, 1), D(2026, 3, 4), D(2026, 3, 5), D(2026, 3, 9))


dates = st.dates(D(2026, 1, 1), D(2026, 12, 31))


@given(dates, dates, dates, dates)
def test_overlap_symmetric_and_matches_day_sets(a, b, c, d):
    a, b = sorted((a, b))
    c, d = sorted((c, d))
    assert overlaps(a, b, c, d) == overlaps(c, d, a, b)
    first = {a + dt.timedelta(n) for n in range((b - a).days + 1)}
    assert overlaps(a, b, c, d) == any(c <= x <= d for x in first)


def test_eligibility_reasons():
    rules = Eligibility(categories=frozenset({"pekerja_sosial"}), min_education_rank=50,
                        min_education_name="D4", asn_only=True,
                        prerequisites=frozenset({"PDPS"}))
    codes = [p.code for p in eligibility_problems(PersonFacts("tagana", 30, False), rules)]
    assert codes == ["ineligible_category", "ineligible_education", "ineligible_asn",
                     "ineligible_prerequisite"]
    ok = PersonFacts("pekerja_sosial", 51, True, frozenset({"PDPS"}))
    assert eligibility_problems(ok, rules) == []
    assert eligibility_problems(PersonFacts(), Eligibility()) == []


def test_availability_windows():
    start, end = D(2026, 5, 4), D(2026, 5, 8)
    assert availability_problem([], start, end) is None
    assert availability_problem([Window(D(2026, 5, 1), D(2026, 5, 31))], start, end) is None
    assert availability_problem([Window(D(2026, 5, 6), D(2026, 5, 31))], start, end)
    blocked = [Window(D(2026, 1, 1), D(2026, 12, 31)), Window(D(2026, 5, 8), D(2026, 5, 8),
                                                             available=False)]
    assert availability_problem(blocked, start, end) == "trainer_unavailable"


def test_days_in_year_splits_new_year():
    ranges = [(D(2025, 12, 30), D(2026, 1, 2)), (D(2026, 3, 1), D(2026, 3, 3))]
    assert days_in_year(ranges, 2026) == 5
    assert days_in_year(ranges, 2025) == 2
