"""Pure gap arithmetic: which assessment counts, expiry, gaps, aggregates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sdmkesos.competency.gaps import (
    AssessmentFact,
    Gap,
    aggregate,
    current_levels,
    person_gaps,
    valid_until,
)

DAY = dt.date(2026, 6, 1)


def test_latest_valid_assessment_counts():
    facts = [AssessmentFact("M.01", 2, dt.date(2024, 1, 1), 1),
             AssessmentFact("M.01", 4, dt.date(2025, 1, 1), 2),
             AssessmentFact("M.01", 1, dt.date(2025, 1, 1), 3)]  # same day, later id wins
    assert current_levels(facts, DAY) == {"M.01": 1}


def test_expired_and_voided_do_not_count_older_valid_one_does():
    facts = [AssessmentFact("PS.01", 2, dt.date(2020, 1, 1), 1),
             AssessmentFact("PS.01", 4, dt.date(2021, 1, 1), 2, valid_until=dt.date(2026, 1, 1)),
             AssessmentFact("PS.01", 5, dt.date(2025, 1, 1), 3, voided=True)]
    assert current_levels(facts, DAY) == {"PS.01": 2}
    assert current_levels(facts, dt.date(2025, 12, 31)) == {"PS.01": 4}


def test_future_assessment_ignored():
    assert current_levels([AssessmentFact("M.02", 3, dt.date(2027, 1, 1))], DAY) == {}


def test_valid_until_month_arithmetic():
    assert valid_until(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert valid_until(dt.date(2024, 3, 15), 60) == dt.date(2029, 3, 15)
    assert valid_until(dt.date(2024, 3, 15), None) is None


def test_person_gaps_never_negative_and_unassessed_is_zero():
    gaps = {g.competency: g for g in person_gaps({"M.01": 3, "M.02": 2, "PS.01": 3},
                                                 {"M.01": 4, "M.02": 1})}
    assert gaps["M.01"].gap == 0 and not gaps["M.01"].below
    assert gaps["M.02"].gap == 1
    assert gaps["PS.01"] == Gap("PS.01", 3, 0, 3)


def test_aggregate_counts_people_once():
    rows = [("35", 1, Gap("M.01", 3, 1, 2)), ("35", 1, Gap("M.02", 2, 2, 0)),
            ("35", 2, Gap("M.01", 3, 3, 0)), ("32", 3, Gap("M.01", 3, 0, 3))]
    out = {a.key: a for a in aggregate(rows)}
    assert out["35"].people == 2 and out["35"].below == 1 and out["35"].gap_sum == 2
    assert out["35"].below_share == 0.5 and out["35"].items == 3
    assert [a.key for a in aggregate(rows)] == ["32", "35"]  # largest total gap first


levels = st.integers(1, 5)


@given(st.dictionaries(st.sampled_from(["A", "B", "C", "D"]), levels),
       st.dictionaries(st.sampled_from(["A", "B", "C", "E"]), levels))
def test_gap_is_required_minus_current_clamped(required, current):
    for gap in person_gaps(required, current):
        assert gap.gap == max(0, required[gap.competency] - current.get(gap.competency, 0))
        assert 0 <= gap.gap <= 5


@given(st.lists(st.tuples(st.integers(0, 3000), levels, st.booleans()), max_size=12))
def test_current_level_is_from_a_valid_fact(items):
    base = dt.date(2020, 1, 1)
    facts = [AssessmentFact("X", lvl, base + dt.timedelta(days=d), i, voided=v)
             for i, (d, lvl, v) in enumerate(items)]
    got = current_levels(facts, DAY).get("X")
    valid = [f for f in facts if not f.voided and f.assessed_on <= DAY]
    if not valid:
        assert got is None
    else:
        assert got == max(valid, key=lambda f: (f.assessed_on, f.order)).level
