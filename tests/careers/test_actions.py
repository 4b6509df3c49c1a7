"""Careers actions and queries against the database: reference loading, positions, credit points
(hand-worked), promotion eligibility and retirement at the boundaries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sdmkesos.careers import actions, queries
from sdmkesos.careers.models import (
    CareerPosition,
    CreditEntry,
    JfLevel,
    JfPosition,
    JfRank,
    RatingLevel,
)
from sdmkesos.careers.reference import current_rules, load_jf_reference
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import AuditEvent, EmploymentStatus
from sdmkesos.people.models import Person

pytestmark = pytest.mark.django_db


def test_load_is_idempotent_and_keeps_corrections(jf, users):
    assert JfLevel.objects.count() == 7 and JfRank.objects.count() == 17
    assert JfPosition.objects.count() == 2 and RatingLevel.objects.count() == 5
    level = JfLevel.objects.get(code="terampil")
    actions.do_update_level(actor=users["nasional"], channel="web", level=level,
                            data={"coefficient": "6"})
    assert load_jf_reference() == {"ranks": 0, "levels": 0, "positions": 0, "ratings": 0}
    assert JfLevel.objects.get(code="terampil").coefficient == Decimal("6")
    assert current_rules().level("terampil").coefficient == Decimal("6")
    assert AuditEvent.objects.filter(action="careers.level.update").count() == 1


def test_level_correction_is_validated_and_admin_only(jf, users):
    level = JfLevel.objects.get(code="ahli_muda")
    with pytest.raises(DomainError) as err:
        actions.do_update_level(actor=users["jatim"], channel="web", level=level,
                                data={"coefficient": "30"})
    assert err.value.code == "forbidden"
    with pytest.raises(DomainError) as err:
        actions.do_update_level(actor=users["nasional"], channel="web", level=level,
                                data={"coefficient": "0"})
    assert err.value.code == "invalid_rules" and err.value.field == "coefficient"
    with pytest.raises(DomainError) as err:
        actions.do_update_level(actor=users["nasional"], channel="web", level=level,
                                data={"ak_next_level": None})
    assert err.value.code == "invalid_rules"  # next_level set, threshold removed
    assert JfLevel.objects.get(code="ahli_muda").coefficient == Decimal("25")


def test_rating_percent_must_keep_order(jf, users):
    baik = RatingLevel.objects.get(code="baik")
    with pytest.raises(DomainError):
        actions.do_update_rating_percent(actor=users["nasional"], channel="web", rating=baik,
                                         percent="160")
    actions.do_update_rating_percent(actor=users["nasional"], channel="web", rating=baik,
                                     percent="110")
    assert current_rules().rating("baik").percent == Decimal("110")


def _data(**kw):
    base = {"kind": "functional", "jf": JfPosition.objects.get(code="pekerja_sosial"),
            "level": JfLevel.objects.get(code="ahli_pertama"),
            "rank": JfRank.objects.get(code="III/a"), "tmt": dt.date(2020, 1, 1)}
    base.update(kw)
    return base


def test_add_position_validates_rank_and_closes_previous(jf, users, make_person):
    person = make_person("35.07", civil_servant=True)
    with pytest.raises(ValidationFailed) as err:
        actions.do_add_position(actor=users["kabmalang"], channel="web", person=person,
                                data=_data(rank=JfRank.objects.get(code="IV/a")))
    assert [e.code for e in err.value.errors] == ["rank_outside_level"]
    first = actions.do_add_position(actor=users["kabmalang"], channel="web", person=person,
                                    data=_data())
    second = actions.do_add_position(actor=users["kabmalang"], channel="web", person=person,
                                     data=_data(rank=JfRank.objects.get(code="III/b"),
                                                tmt=dt.date(2022, 4, 1)))
    first.refresh_from_db()
    assert first.end_date == dt.date(2022, 3, 31) and second.is_current
    assert AuditEvent.objects.filter(action="career.position.add",
                                     object_id=str(person.pk)).count() == 2


def test_add_position_out_of_scope_and_read_only(jf, users, make_person):
    person = make_person("35.07")
    for who, code in (("jabar", "out_of_scope"), ("viewer", "forbidden"),
                      ("pekerja", "forbidden")):
        with pytest.raises(DomainError) as err:
            actions.do_add_position(actor=users[who], channel="web", person=person, data=_data())
        assert err.value.code == code
    assert not CareerPosition.objects.exists()


def test_credit_hand_worked_and_running_total(jf, users, make_person, jf_position):
    person = make_person("35.07", civil_servant=True)
    pos = jf_position(person, opening_ak=Decimal("10"))
    a = actions.do_add_credit(actor=users["kabmalang"], channel="web", position=pos, year=2021,
                              rating="sangat_baik")
    assert a.credit_points == Decimal("18.750")  # 150% x 12.5
    b = actions.do_add_credit(actor=users["kabmalang"], channel="web", position=pos, year=2022,
                              rating="Baik", months=6)
    assert b.credit_points == Decimal("6.250")  # 100% x 12.5 x 6/12
    c = actions.do_add_credit(actor=users["kabmalang"], channel="web", position=pos, year=2023,
                              rating="butuh_perbaikan", months=1)
    assert c.credit_points == Decimal("0.781")  # 75% x 12.5 / 12 = 0.78125 -> half up
    summary = queries.career_summary(person)
    assert [r.cumulative_rank for r in summary.credits] == [
        Decimal("28.750"), Decimal("35.000"), Decimal("35.781")]
    assert summary.rank_ak == Decimal("35.781")
    with pytest.raises(DomainError) as err:
        actions.do_add_credit(actor=users["kabmalang"], channel="web", position=pos, year=2021,
                              rating="baik")
    assert err.value.code == "credit_exists"
    with pytest.raises(DomainError) as err:
        actions.do_add_credit(actor=users["kabmalang"], channel="web", position=pos, year=2024,
                              rating="baik", months=13)
    assert err.value.field == "months"


def test_level_total_spans_rank_promotions(jf, users, make_person, jf_position):
    person = make_person("35.07", civil_servant=True)
    p1 = jf_position(person, "ahli_muda", "III/c", tmt=dt.date(2018, 1, 1),
                     end_date=dt.date(2020, 12, 31))
    p2 = jf_position(person, "ahli_muda", "III/d", tmt=dt.date(2021, 1, 1))
    for year, pos in ((2018, p1), (2019, p1), (2020, p1), (2021, p2), (2022, p2)):
        CreditEntry.objects.create(person=person, position=pos, year=year, rating="sangat_baik",
                                   credit_points=Decimal("37.5"))
    summary = queries.career_summary(person)
    assert summary.rank_ak == Decimal("75")  # since III/d
    assert summary.level_ak == Decimal("187.5")  # in Ahli Muda
    el = summary.eligibility
    assert el is not None
    assert el.next_rank.reason_codes == ("rank_ceiling", "insufficient_credit_points")
    assert el.next_level.shortfall == Decimal("12.5")


def test_promotion_boundary_exactly_at_threshold(jf, users, make_person, jf_position):
    person = make_person("35.07", civil_servant=True)
    pos = jf_position(person, opening_ak=Decimal("50"))  # Ahli Pertama: 50 for next rank
    CreditEntry.objects.create(person=person, position=pos, year=2020, rating="baik",
                               credit_points=Decimal("0.000") + Decimal("0"))
    el = queries.career_summary(person).eligibility
    assert el is not None and el.next_rank.eligible and el.next_rank.target == "III/b"
    pos.opening_ak = Decimal("49.999")
    pos.save()
    el = queries.career_summary(person).eligibility
    assert el is not None and not el.next_rank.eligible
    assert el.next_rank.reason_codes == ("insufficient_credit_points",)


def test_next_level_needs_competency_test_flag(jf, users, make_person, jf_position):
    person = make_person("35.07", civil_servant=True)
    pos = jf_position(person, rank="III/b", opening_ak=Decimal("100"), vacancy_available=True)
    CreditEntry.objects.create(person=person, position=pos, year=2024, rating="baik",
                               credit_points=Decimal("12.5"))
    el = queries.career_summary(person).eligibility
    assert el is not None and el.next_level.reason_codes == ("competency_test_not_passed",)
    with pytest.raises(ValidationFailed):  # the date is required with the flag
        actions.do_update_position(actor=users["kabmalang"], channel="web", position=pos,
                                   data={"competency_test_passed": True})
    actions.do_update_position(actor=users["kabmalang"], channel="web", position=pos,
                               data={"competency_test_passed": True,
                                     "competency_test_date": dt.date(2025, 2, 1)})
    rows = queries.eligibility_list(Person.objects.filter(pk=person.pk), only_eligible=True)
    assert len(rows) == 1 and rows[0].eligibility is not None
    assert rows[0].eligibility.next_level.eligible and rows[0].eligibility.next_level.target \
        == "ahli_muda"


def test_low_rating_blocks_promotion(jf, make_person, jf_position):
    person = make_person("35.07", civil_servant=True)
    pos = jf_position(person, opening_ak=Decimal("60"))
    CreditEntry.objects.create(person=person, position=pos, year=2024, rating="butuh_perbaikan",
                               credit_points=Decimal("9.375"))
    el = queries.career_summary(person).eligibility
    assert el is not None and el.next_rank.reason_codes == ("rating_too_low",)


@pytest.mark.parametrize(("birth", "level", "today", "years", "expected"), [
    # Ahli Muda: BUP 58; born 1968-05-10 -> pension 2026-06-01
    (dt.date(1968, 5, 10), "ahli_muda", dt.date(2025, 6, 1), 1, True),
    (dt.date(1968, 5, 10), "ahli_muda", dt.date(2025, 5, 31), 1, False),  # 2026-05-31 < start
    (dt.date(1968, 5, 10), "ahli_muda", dt.date(2026, 6, 1), 1, False),  # already retired
    (dt.date(1968, 5, 10), "ahli_muda", dt.date(2026, 5, 31), 1, True),
    # Ahli Madya: BUP 60 -> 2028-06-01
    (dt.date(1968, 5, 10), "ahli_madya", dt.date(2025, 6, 1), 2, False),
    (dt.date(1968, 5, 10), "ahli_madya", dt.date(2025, 6, 1), 3, True),
    # Ahli Utama: 65 -> 2033-06-01
    (dt.date(1968, 5, 10), "ahli_utama", dt.date(2028, 6, 1), 5, True),
    (dt.date(1968, 5, 10), "ahli_utama", dt.date(2028, 5, 31), 5, False),
])
def test_retirement_boundaries(jf, make_person, jf_position, birth, level, today, years,
                               expected):
    person = make_person("35.07", birth_date=birth, civil_servant=True)
    rank = {"ahli_muda": "III/c", "ahli_madya": "IV/a", "ahli_utama": "IV/d"}[level]
    jf_position(person, level, rank)
    found = queries.retirements(Person.objects.filter(pk=person.pk), years=years, today=today)
    assert bool(found) is expected
    if found:
        assert found[0].age == {"ahli_muda": 58, "ahli_madya": 60, "ahli_utama": 65}[level]


def test_retirement_default_for_pns_without_record(jf, make_person):
    pns = make_person("35.07", birth_date=dt.date(1968, 12, 3), civil_servant=True,
                      employment_status=EmploymentStatus.objects.get(code="pns"))
    make_person("35.07", birth_date=dt.date(1968, 12, 3))  # volunteer: no BUP
    found = queries.retirements(Person.objects.all(), years=1, today=dt.date(2026, 1, 1))
    assert [r.person.pk for r in found] == [pns.pk]
    assert found[0].date == dt.date(2027, 1, 1) and found[0].basis == "administrative:assumed"


def test_eligibility_list_reads_in_batches(jf, make_person, jf_position,
                                           django_assert_max_num_queries):
    for i in range(6):
        person = make_person("35.07", civil_servant=True)
        pos = jf_position(person, opening_ak=Decimal(10 * i))
        CreditEntry.objects.create(person=person, position=pos, year=2024, rating="baik",
                                   credit_points=Decimal("12.5"))
    current_rules()  # warm nothing: the list reads the rules itself
    with django_assert_max_num_queries(10):
        rows = queries.eligibility_list(Person.objects.all())
    assert len(rows) == 6
    assert sorted(r.rank_ak for r in rows) == [Decimal("12.5") + 10 * i for i in range(6)]
    eligible = [r for r in rows if r.eligibility and r.eligibility.next_rank.eligible]
    assert sorted(r.rank_ak for r in eligible) == [Decimal("52.5"), Decimal("62.5")]
    assert rows[:2] == eligible  # eligible first
