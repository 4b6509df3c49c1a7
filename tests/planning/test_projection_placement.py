"""Pure planning logic checked by hand: supply projection and placement scores."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdmkesos.planning.placement import Candidate, Vacancy, rank, score
from sdmkesos.planning.projection import ProjectionError, project


def test_projection_hand_worked():
    rows = project(current=100, retirements=[5, 3], attrition_rate=10, entrants_per_year=4,
                   need=110, start_year=2026)
    # Year 1: 100 - 5 = 95; 10% leave = 9.5; + 4 in = 89.5; gap 110 - 89.5 = 20.5
    assert rows[0].year == 2026 and rows[0].end == pytest.approx(89.5)
    assert rows[0].attrition == pytest.approx(9.5) and rows[0].gap == pytest.approx(20.5)
    # Year 2: 89.5 - 3 = 86.5; 8.65 leave; + 4 = 81.85; gap 28.15
    assert rows[1].start == pytest.approx(89.5) and rows[1].end == pytest.approx(81.85)
    assert rows[1].gap == pytest.approx(28.15)


def test_projection_need_growth_and_zero_staff():
    rows = project(current=0, retirements=[0, 0, 0], attrition_rate=0, entrants_per_year=50,
                   need=100, start_year=2026, need_growth_rate=10)
    assert [r.end for r in rows] == [50, 100, 150]
    assert [round(r.need, 4) for r in rows] == [110, 121, 133.1]
    assert rows[2].gap == pytest.approx(-16.9)


def test_projection_retirements_cannot_go_below_zero():
    rows = project(current=2, retirements=[5], attrition_rate=50, entrants_per_year=0, need=0,
                   start_year=2026)
    assert rows[0].end == 0 and rows[0].retirements == 2


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"retirements": []}, "years"),
    ({"retirements": [0] * 6}, "years"),
    ({"attrition_rate": 101}, "attrition_rate"),
    ({"current": -1}, "current"),
    ({"need_growth_rate": -100}, "need_growth_rate"),
])
def test_projection_refuses(kwargs, field):
    base = {"current": 10, "retirements": [1], "attrition_rate": 5, "entrants_per_year": 1,
            "need": 10, "start_year": 2026}
    with pytest.raises(ProjectionError) as err:
        project(**{**base, **kwargs})
    assert err.value.field == field


@given(current=st.floats(0, 1e5), rate=st.floats(0, 100), entrants=st.floats(0, 1e3),
       retire=st.lists(st.floats(0, 1e3), min_size=1, max_size=5))
def test_projection_is_a_stock_flow(current, rate, entrants, retire):
    rows = project(current=current, retirements=retire, attrition_rate=rate,
                   entrants_per_year=entrants, need=0, start_year=2026)
    for r in rows:
        assert r.end == pytest.approx(r.start - r.retirements - r.attrition + r.entrants,
                                      abs=1e-6)
        assert r.end >= 0


VACANCY = Vacancy(fields=frozenset({"pekerjaan_sosial"}),
                  kesos_fields=frozenset({"pekerjaan_sosial"}), min_education_rank=51,
                  category="pekerja_sosial", region="35.07")


def test_placement_scores_by_hand():
    a = Candidate(1, frozenset({"pekerjaan_sosial"}), True, 51, "pekerja_sosial", "35.07.01")
    b = Candidate(2, frozenset({"kesejahteraan_sosial"}), True, 42, "pekerja_sosial", "35.07")
    c = Candidate(3, frozenset({"hukum"}), False, 60, "asn_dinsos", "35.071")
    assert score(VACANCY, a).total == 90  # 50 field + 20 education + 15 category + 5 region
    assert score(VACANCY, b).parts == {"field": 30, "education": 0, "category": 15, "region": 5}
    assert score(VACANCY, c).total == 20  # only education; 35.071 is not inside 35.07
    assert [x.key for x, _s in rank(VACANCY, [c, b, a])] == [1, 2, 3]


def test_placement_uses_competency_and_certification_when_known():
    d = Candidate(4, frozenset({"pekerjaan_sosial"}), True, 51, "pekerja_sosial", "35.07",
                  competency_match=0.6, certified=True)
    assert score(VACANCY, d).parts["competency"] == 3
    assert score(VACANCY, d).total == 98
