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
    assert score(VACANCY, a).total == 65  # 35 field + 15 education + 10 category + 5 region
    assert score(VACANCY, b).parts == {"field": 20, "education": 0, "category": 10, "region": 5}
    assert score(VACANCY, c).total == 15  # only education; 35.071 is not inside 35.07
    assert [x.key for x, _s in rank(VACANCY, [c, b, a])] == [1, 2, 3]
    # without a standard or schemes, competency and certification are left out
    assert set(score(VACANCY, a).maximum) == {"field", "education", "category", "region"}


FULL = Vacancy(fields=frozenset({"pekerjaan_sosial"}),
               kesos_fields=frozenset({"pekerjaan_sosial"}), min_education_rank=51,
               category="pekerja_sosial", region="35.07",
               standard={"PS.01": 3, "PS.02": 4, "M.01": 3}, schemes=frozenset({"PSG"}))


def test_placement_with_competencies_and_certification_by_hand():
    # required levels 3 + 4 + 3 = 10
    d = Candidate(4, frozenset({"pekerjaan_sosial"}), True, 51, "pekerja_sosial", "35.07",
                  levels={"PS.01": 4, "PS.02": 2, "M.01": 3}, certificates=frozenset({"PSG"}),
                  registrations=frozenset({"str"}))
    e = Candidate(5, frozenset({"pekerjaan_sosial"}), True, 51, "pekerja_sosial", "35.07",
                  registrations=frozenset({"str", "sipps"}))
    f = Candidate(6, frozenset({"kesejahteraan_sosial"}), True, 51, "pekerja_sosial", "35.07",
                  levels={"PS.01": 3, "PS.02": 4, "M.01": 5},
                  certificates=frozenset({"PSG", "APS"}))
    sd = score(FULL, d)
    # covered min(4,3) + 2 + 3 = 8 of 10 -> 16; certificate 10 + STR 3 = 13
    assert sd.parts == {"field": 35, "education": 15, "category": 10, "competency": 16,
                        "certification": 13, "region": 5}
    assert sd.total == 94 and sd.maximum["competency"] == 20
    assert sd.details["competency"] == {"covered": 8, "required": 10, "met": 2,
                                        "competencies": 3}
    assert sd.details["certification"] == {"schemes": ["PSG"], "registrations": ["str"]}
    # no assessment, no certificate: STR 3 + SIPPS 2
    assert score(FULL, e).parts["competency"] == 0 and score(FULL, e).total == 70
    # 20 (other kesos field) + 15 + 10 + 20 (all levels covered) + 10 (APS does not count)
    assert score(FULL, f).total == 80 and score(FULL, f).details["certification"]["schemes"] \
        == ["PSG"]
    assert [x.key for x, _s in rank(FULL, [e, f, d])] == [4, 6, 5]


def test_placement_competency_points_round_half_up():
    v = Vacancy(standard={"A": 8})
    one = Candidate(1, frozenset(), False, 0, None, None, levels={"A": 1})
    assert score(v, one).parts["competency"] == 3  # 1/8 x 20 = 2.5
    assert score(v, Candidate(2, frozenset(), False, 0, None, None)).parts["competency"] == 0


@given(levels=st.dictionaries(st.sampled_from(["A", "B", "C"]), st.integers(0, 5)),
       required=st.dictionaries(st.sampled_from(["A", "B", "C"]), st.integers(1, 5),
                                min_size=1))
def test_placement_competency_points_bounded(levels, required):
    points = score(Vacancy(standard=required),
                   Candidate(1, frozenset(), False, 0, None, None, levels=levels))
    assert 0 <= points.parts["competency"] <= 20
    if all(levels.get(k, 0) >= v for k, v in required.items()):
        assert points.parts["competency"] == 20
