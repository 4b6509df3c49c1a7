"""SKP: plan, realisation, supervisor's evaluation, acknowledgement, who sees ratings, follow-up
proposals and the credit points that follow from the rating."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sdmkesos.careers import actions
from sdmkesos.careers.models import CreditEntry, FollowUp, Skp, SkpStatus
from sdmkesos.core.choices import Role
from sdmkesos.core.errors import DomainError, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(users, make_person, make_user, jf):
    """A supervisor and an employee in Kab. Malang, each with a worker account."""
    boss = make_person("35.07", name="Budi Atasan", civil_servant=True)
    boss.user = make_user("atasan", Role.WORKER)
    boss.save()
    staff = make_person("35.07", name="Siti Staf", civil_servant=True,
                        birth_date=dt.date(1990, 1, 1))
    staff.user = make_user("staf", Role.WORKER)
    staff.save()
    return {"boss": boss, "staff": staff, **users}


def _skp_with_result(team, year=2025):
    skp = actions.do_create_skp(actor=team["kabmalang"], channel="web", person=team["staff"],
                                year=year, supervisor=team["boss"])
    actions.do_add_result(actor=team["staff"].user, channel="web", skp=skp,
                          text="Asesmen PPKS terlaksana",
                          indicators=[("Jumlah asesmen", "120 kasus")])
    return skp


def test_full_cycle_and_visibility(team):
    skp = _skp_with_result(team)
    ind = skp.results.get().indicators.get()
    actions.do_add_realisation(actor=team["staff"].user, channel="web", indicator=ind, period=1,
                               realisation="35 kasus", evidence="https://arsip/laporan-t1.pdf")
    with pytest.raises(DomainError) as err:  # the employee cannot rate themself
        actions.do_evaluate(actor=team["staff"].user, channel="web", skp=skp,
                            results_rating="above", behaviour_rating="above")
    assert err.value.code == "forbidden"
    with pytest.raises(DomainError):  # HR cannot rate either: the supervisor does
        actions.do_evaluate(actor=team["kabmalang"], channel="web", skp=skp,
                            results_rating="above", behaviour_rating="above")
    with pytest.raises(DomainError) as err:
        actions.do_acknowledge(actor=team["staff"].user, channel="web", skp=skp)
    assert err.value.code == "skp_not_evaluated"
    actions.do_evaluate(actor=team["boss"].user, channel="web", skp=skp, results_rating="above",
                        behaviour_rating="meeting",
                        behaviours={"akuntabel": ("meeting", "tepat waktu")})
    assert skp.final_rating == "baik" and skp.status == SkpStatus.EVALUATED
    assert not FollowUp.objects.exists()
    with pytest.raises(DomainError):  # the supervisor cannot acknowledge for the employee
        actions.do_acknowledge(actor=team["boss"].user, channel="web", skp=skp)
    actions.do_acknowledge(actor=team["staff"].user, channel="web", skp=skp)
    assert skp.status == SkpStatus.ACKNOWLEDGED

    def sees(user):
        return actions.visible_skps(user).filter(pk=skp.pk).exists()

    # Visible: the person, the supervisor, HR in scope. Not: viewers, BBPPKS, HR out of scope,
    # other workers.
    assert sees(team["staff"].user) and sees(team["boss"].user)
    assert sees(team["kabmalang"]) and sees(team["jatim"]) and sees(team["nasional"])
    assert not sees(team["viewer"]) and not sees(team["bbppks"])
    assert not sees(team["jabar"]) and not sees(team["kabbandung"])
    assert not sees(team["pekerja"])


def test_low_rating_proposes_follow_up(team):
    skp = _skp_with_result(team)
    actions.do_evaluate(actor=team["boss"].user, channel="web", skp=skp, results_rating="below",
                        behaviour_rating="meeting")
    assert skp.final_rating == "butuh_perbaikan"
    follow = FollowUp.objects.get(skp=skp)
    assert follow.reason == "rating_butuh_perbaikan" and "Baik" in follow.proposal


def test_matrix_misconduct_cell(team):
    skp = _skp_with_result(team)
    actions.do_evaluate(actor=team["boss"].user, channel="web", skp=skp, results_rating="above",
                        behaviour_rating="below")
    assert skp.final_rating == "kurang"


def test_evaluation_converts_credit_points_pro_rata(team, jf_position):
    # Ahli Pertama from 1 July 2025: 6 months in 2025; Sangat Baik -> 150% x 12.5 x 6/12
    pos = jf_position(team["staff"], tmt=dt.date(2025, 7, 1))
    skp = _skp_with_result(team)
    actions.do_evaluate(actor=team["boss"].user, channel="web", skp=skp, results_rating="above",
                        behaviour_rating="above")
    entry = CreditEntry.objects.get(position=pos)
    assert entry.months == 6 and entry.credit_points == Decimal("9.375") and entry.skp == skp


def test_plan_rules(team):
    skp = _skp_with_result(team)
    with pytest.raises(DomainError) as err:
        actions.do_create_skp(actor=team["kabmalang"], channel="web", person=team["staff"],
                              year=2025)
    assert err.value.code == "skp_exists"
    with pytest.raises(ValidationFailed):
        actions.do_add_result(actor=team["staff"].user, channel="web", skp=skp, text="x",
                              indicators=[])
    # cascading: the parent must be the supervisor's result of the same year
    boss_skp = actions.do_create_skp(actor=team["kabmalang"], channel="web",
                                     person=team["boss"], year=2025)
    boss_result = actions.do_add_result(actor=team["kabmalang"], channel="web", skp=boss_skp,
                                        text="Layanan rehabilitasi sosial meningkat",
                                        indicators=[("Cakupan", "90%")])
    child = actions.do_add_result(actor=team["staff"].user, channel="web", skp=skp,
                                  text="Rehabilitasi 40 PPKS", indicators=[("PPKS", "40")],
                                  parent=boss_result)
    assert child.parent == boss_result
    with pytest.raises(DomainError) as derr:  # the staff member does not see the boss's SKP
        actions.do_add_result(actor=team["staff"].user, channel="web", skp=boss_skp, text="x",
                              indicators=[("a", "b")])
    assert derr.value.code == "not_found"
    with pytest.raises(ValidationFailed) as verr:  # a parent that is not the supervisor's
        actions.do_add_result(actor=team["kabmalang"], channel="web", skp=boss_skp, text="x",
                              indicators=[("a", "b")], parent=child)
    assert verr.value.errors[0].code == "parent_not_supervisor"
    with pytest.raises(DomainError):
        actions.do_add_result(actor=team["viewer"], channel="web", skp=skp, text="x",
                              indicators=[("a", "b")])


def test_workers_cannot_open_someone_elses_skp(team):
    with pytest.raises(DomainError):
        actions.do_create_skp(actor=team["staff"].user, channel="web", person=team["boss"],
                              year=2025)
    own = actions.do_create_skp(actor=team["staff"].user, channel="web", person=team["staff"],
                                year=2026, supervisor=team["boss"])
    assert Skp.objects.filter(pk=own.pk).exists()


def test_follow_up_for_a_competency_gap(team):
    follow = actions.do_propose_follow_up(
        actor=team["kabmalang"], channel="api", person=team["staff"], reason="competency_gap",
        proposal="Kesenjangan M.03 Komunikasi: level 2 dari 3", training="Pelatihan komunikasi")
    assert follow.person == team["staff"]
    with pytest.raises(DomainError):
        actions.do_propose_follow_up(actor=team["viewer"], channel="api", person=team["staff"],
                                     reason="competency_gap", proposal="x")
    with pytest.raises(ValidationFailed):
        actions.do_propose_follow_up(actor=team["kabmalang"], channel="api",
                                     person=team["staff"], reason="", proposal="")
