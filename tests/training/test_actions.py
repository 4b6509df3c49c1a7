"""Training actions: the nomination → enrolment → attendance → completion flow, and each conflict
rule refused with its code and a message naming the reason."""

from __future__ import annotations

import datetime as dt

import pytest

from sdmkesos.competency.models import Assessment
from sdmkesos.competency.queries import current_profile
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import AuditEvent, EducationLevel, Organisation
from sdmkesos.training import actions
from sdmkesos.training.models import Attendance, Feedback, Nomination

from . import factories as f

D = dt.date


@pytest.fixture
def setup(users):
    jatim = users["jatim"]
    prog = f.programme(jatim)
    place = f.venue(jatim)
    return {"actor": jatim, "programme": prog, "venue": place,
            "batch": f.batch(jatim, prog, place=place)}


def nominate(actor, batch, person):
    return actions.do_nominate(actor=actor, channel="web", batch=batch, person=person)


def enrolled(actor, batch, person):
    n = nominate(actor, batch, person)
    actions.do_decide_nomination(actor=actor, channel="web", nomination=n, approve=True)
    return actions.do_enrol(actor=actor, channel="web", nomination=n)


def test_full_flow_updates_competency(setup, make_person, users):
    actor, batch = setup["actor"], setup["batch"]
    person = make_person("35.07", category="psm")
    n = nominate(users["kabmalang"], batch, person)
    assert n.status == "diusulkan" and n.nominated_by.code == "DINSOS-35.07"
    n = actions.do_decide_nomination(actor=actor, channel="web", nomination=n, approve=True)
    n = actions.do_enrol(actor=actor, channel="web", nomination=n)
    assert n.status == "terdaftar"
    session = actions.do_add_session(actor=actor, channel="web", batch=batch, date=D(2026, 7, 6),
                                     topic="Asesmen", jp=8)
    actions.do_record_attendance(actor=actor, channel="web", session=session,
                                 statuses={n.pk: "hadir"})
    assert Attendance.objects.get(nomination=n, session=session).status == "hadir"
    actions.do_record_scores(actor=actor, channel="web", nomination=n, pre_test=55,
                             post_test=85)
    n = actions.do_complete(actor=actor, channel="web", nomination=n, passed=True,
                            completed_on=D(2026, 7, 10), certificate_number="PDPS/1/2026")
    assert n.status == "lulus" and n.post_test == 85
    levels = current_profile(person, D(2026, 8, 1))
    assert levels == {"PS.01": 3, "RS.03": 3}
    made = Assessment.objects.filter(person=person, method="training")
    assert made.count() == 2 and made.first().valid_until == D(2031, 7, 10)
    actions_logged = set(AuditEvent.objects.filter(object_id=str(n.pk),
                                                   object_type="training.nomination")
                         .values_list("action", flat=True))
    assert {"nomination.create", "nomination.approve", "nomination.enrol", "nomination.scores",
            "nomination.complete"} <= actions_logged
    assert AuditEvent.objects.filter(action="training.complete", object_id=str(person.pk)).exists()


def test_completion_never_lowers_a_higher_level(setup, make_person, users):
    from sdmkesos.competency import actions as comp_actions
    from sdmkesos.competency.models import Competency

    actor, batch = setup["actor"], setup["batch"]
    person = make_person("35.07", category="psm")
    comp_actions.do_record_assessment(actor=actor, channel="web", person=person,
                                      competency=Competency.objects.get(code="PS.01"), level=4,
                                      method="assessor", assessed_on=D(2026, 1, 5),
                                      today=D(2026, 1, 5))
    n = enrolled(actor, batch, person)
    actions.do_complete(actor=actor, channel="web", nomination=n, passed=True,
                        completed_on=D(2026, 7, 10))
    assert current_profile(person, D(2026, 8, 1)) == {"PS.01": 4, "RS.03": 3}


def test_failed_participant_gets_no_competency(setup, make_person):
    actor, batch = setup["actor"], setup["batch"]
    person = make_person("35.07", category="psm")
    n = enrolled(actor, batch, person)
    n = actions.do_complete(actor=actor, channel="web", nomination=n, passed=False)
    assert n.status == "tidak_lulus" and not Assessment.objects.filter(person=person).exists()


def test_ineligible_nominee_refused_naming_reasons(setup, make_person, users):
    person = make_person("35.07", category="tagana")
    with pytest.raises(DomainError) as exc:
        nominate(users["kabmalang"], setup["batch"], person)
    assert exc.value.code == "ineligible_nominee"
    assert "tagana" in exc.value.message and person.name in exc.value.message
    assert not Nomination.objects.filter(person=person).exists()


def test_eligibility_education_asn_and_prerequisite(setup, make_person, users):
    actor = setup["actor"]
    advanced = f.programme(actor, code="LANJUT", competencies={"PS.02": 4},
                           min_education=EducationLevel.objects.get(code="d4"), asn_only=True)
    advanced.prerequisites.set([setup["programme"]])
    b = f.batch(actor, advanced, start=D(2026, 9, 1), end=D(2026, 9, 4))
    person = make_person("35.07", category="pekerja_sosial")
    with pytest.raises(DomainError) as exc:
        nominate(users["kabmalang"], b, person)
    message = exc.value.message
    assert "pendidikan minimal D4" in message and "khusus ASN" in message
    assert "PDPS" in message


def test_participant_overlap_refused(setup, make_person, users):
    actor = setup["actor"]
    other_prog = f.programme(actor, code="TAGANA-DASAR", categories=())
    other = f.batch(actor, other_prog, start=D(2026, 7, 9), end=D(2026, 7, 12))
    person = make_person("35.07", category="psm")
    enrolled(actor, setup["batch"], person)
    with pytest.raises(DomainError) as exc:
        nominate(users["kabmalang"], other, person)
    assert exc.value.code == "participant_overlap"
    assert "2026-07-06" in exc.value.message
    later = f.batch(actor, other_prog, start=D(2026, 7, 11), end=D(2026, 7, 12))
    assert nominate(users["kabmalang"], later, person).status == "diusulkan"


def test_over_capacity_waitlist_and_promotion(setup, make_person):
    actor, batch = setup["actor"], setup["batch"]
    a, b, c = (make_person("35.07", category="psm") for _ in range(3))
    na, nb = enrolled(actor, batch, a), enrolled(actor, batch, b)
    nc = enrolled(actor, batch, c)
    assert (na.status, nb.status, nc.status) == ("terdaftar", "terdaftar", "daftar_tunggu")
    assert nc.waitlist_position == 1
    actions.do_withdraw(actor=actor, channel="web", nomination=na, note="sakit")
    nc.refresh_from_db()
    assert nc.status == "terdaftar" and nc.waitlist_position is None


def test_batch_full_without_waitlist_refused(setup, make_person):
    actor = setup["actor"]
    batch = f.batch(actor, setup["programme"], start=D(2026, 10, 5), end=D(2026, 10, 6),
                    capacity=1, allow_waitlist=False)
    enrolled(actor, batch, make_person("35.07", category="psm"))
    with pytest.raises(DomainError) as exc:
        enrolled(actor, batch, make_person("35.07", category="psm"))
    assert exc.value.code == "batch_full" and "1 peserta" in exc.value.message


def test_capacity_over_venue_and_below_enrolled_refused(setup, make_person):
    actor = setup["actor"]
    small = f.venue(actor, capacity=10)
    with pytest.raises(DomainError) as exc:
        f.batch(actor, setup["programme"], start=D(2026, 11, 2), end=D(2026, 11, 3),
                capacity=25, place=small)
    assert exc.value.code == "over_venue_capacity"
    batch = setup["batch"]
    enrolled(actor, batch, make_person("35.07", category="psm"))
    enrolled(actor, batch, make_person("35.07", category="psm"))
    with pytest.raises(DomainError) as exc:
        actions.do_save_batch(actor=actor, channel="web", batch=batch, data={"capacity": 1})
    assert exc.value.code == "capacity_below_enrolled"


def test_trainer_double_booked(setup):
    actor = setup["actor"]
    t = f.trainer(actor)
    actions.do_assign_trainer(actor=actor, channel="web", batch=setup["batch"], trainer=t)
    other = f.batch(actor, setup["programme"], start=D(2026, 7, 10), end=D(2026, 7, 14))
    with pytest.raises(DomainError) as exc:
        actions.do_assign_trainer(actor=actor, channel="web", batch=other, trainer=t)
    assert exc.value.code == "trainer_double_booked"
    assert t.name in exc.value.message
    # Moving the first batch away frees the trainer.
    actions.do_save_batch(actor=actor, channel="web", batch=setup["batch"],
                          data={"start_date": D(2026, 6, 1), "end_date": D(2026, 6, 5)})
    actions.do_assign_trainer(actor=actor, channel="web", batch=other, trainer=t)
    # ... and moving it back onto the second is refused.
    with pytest.raises(DomainError) as exc:
        actions.do_save_batch(actor=actor, channel="web", batch=setup["batch"],
                              data={"start_date": D(2026, 7, 6), "end_date": D(2026, 7, 10)})
    assert exc.value.code == "trainer_double_booked"


def test_trainer_availability_and_load(setup):
    actor = setup["actor"]
    t = f.trainer(actor, max_days_per_year=6)
    actions.do_add_availability(actor=actor, channel="web", trainer=t, start_date=D(2026, 7, 8),
                                end_date=D(2026, 7, 8), available=False, note="cuti")
    with pytest.raises(DomainError) as exc:
        actions.do_assign_trainer(actor=actor, channel="web", batch=setup["batch"], trainer=t)
    assert exc.value.code == "trainer_unavailable"
    b1 = f.batch(actor, setup["programme"], start=D(2026, 8, 3), end=D(2026, 8, 6))
    b2 = f.batch(actor, setup["programme"], start=D(2026, 9, 7), end=D(2026, 9, 9))
    actions.do_assign_trainer(actor=actor, channel="web", batch=b1, trainer=t)
    with pytest.raises(DomainError) as exc:
        actions.do_assign_trainer(actor=actor, channel="web", batch=b2, trainer=t)
    assert exc.value.code == "trainer_overloaded" and "7 hari" in exc.value.message


def test_session_outside_batch_refused(setup):
    with pytest.raises(DomainError) as exc:
        actions.do_add_session(actor=setup["actor"], channel="web", batch=setup["batch"],
                               date=D(2026, 7, 20))
    assert exc.value.code == "session_outside_batch"


def test_scope_rules(setup, make_person, users):
    batch = setup["batch"]
    malang = make_person("35.07", category="psm")
    with pytest.raises(DomainError) as exc:
        nominate(users["kabbandung"], batch, malang)
    assert exc.value.code == "out_of_scope"
    with pytest.raises(DomainError):
        nominate(users["viewer"], batch, malang)
    n = nominate(users["kabmalang"], batch, malang)
    # Kabupaten Malang does not run the UPT (Kota Malang) batch.
    with pytest.raises(DomainError) as exc:
        actions.do_decide_nomination(actor=users["kabmalang"], channel="web", nomination=n,
                                     approve=True)
    assert exc.value.code == "not_manager"
    # ... but may withdraw its own nominee.
    actions.do_withdraw(actor=users["kabmalang"], channel="web", nomination=n)
    with pytest.raises(DomainError) as exc:
        f.programme(users["jabar"], code="X1")
    assert exc.value.code == "not_manager"


def test_bbppks_manages_its_own_batches(users, make_person):
    bbppks = users["bbppks"]
    prog = f.programme(bbppks, code="BIMTEK-SUMBAR", org="BBPPKS-1", categories=())
    batch = f.batch(bbppks, prog, start=D(2026, 5, 4), end=D(2026, 5, 6))
    assert batch.organisation.code == "BBPPKS-1" and batch.region_id is None
    person = make_person("13.71", category="psm")
    n = nominate(users["nasional"], batch, person)
    actions.do_decide_nomination(actor=bbppks, channel="web", nomination=n, approve=True)
    with pytest.raises(DomainError):
        f.programme(bbppks, code="BUKAN", org="UPT-PTKS-MALANG")


def test_feedback_by_participant(setup, users):
    actor = setup["actor"]
    worker_person = users["pekerja"].person
    n = enrolled(actor, setup["batch"], worker_person)
    fb = actions.do_submit_feedback(actor=users["pekerja"], channel="web", nomination=n,
                                    rating=5, trainer_rating=4, comments="Bermanfaat")
    assert Feedback.objects.get(pk=fb.pk).rating == 5
    with pytest.raises(DomainError) as exc:
        actions.do_submit_feedback(actor=users["pekerja"], channel="web", nomination=n, rating=4)
    assert exc.value.code == "feedback_exists"
    with pytest.raises(DomainError) as exc:
        actions.do_submit_feedback(actor=users["kabbandung"], channel="web", nomination=n,
                                   rating=1)
    assert exc.value.code == "not_participant"


def test_scholarship_quota_and_placement(users, make_person):
    actor = users["nasional"]
    scheme = actions.do_save_scheme(actor=actor, channel="web", data={
        "name": "Beasiswa D4 Peksos", "degree": "d4",
        "institution": Organisation.objects.get(code="POLTEKESOS"),
        "study_programme": "Pekerjaan Sosial", "sponsor": "Kemensos", "intake_year": 2026,
        "quota": 1, "organisation": Organisation.objects.get(code="POLTEKESOS")})
    a = actions.do_add_scholar(actor=users["kabmalang"], channel="web", scheme=scheme,
                               person=make_person("35.07"))
    b = actions.do_add_scholar(actor=users["kabmalang"], channel="web", scheme=scheme,
                               person=make_person("35.07"))
    actions.do_set_scholar_status(actor=actor, channel="web", scholar=a, status="diterima")
    with pytest.raises(DomainError) as exc:
        actions.do_set_scholar_status(actor=actor, channel="web", scholar=b, status="diterima")
    assert exc.value.code == "quota_full"
    placement = actions.do_save_placement(actor=users["kabmalang"], channel="web", data={
        "student_name": "Mahasiswa Uji", "institution": Organisation.objects.get(
            code="POLTEKESOS"), "host": Organisation.objects.get(code="DINSOS-35.07"),
        "start_date": D(2026, 8, 1), "end_date": D(2026, 9, 30)})
    assert placement.region_kab == "35.07"
    with pytest.raises(DomainError):
        actions.do_save_placement(actor=users["kabbandung"], channel="web", data={
            "student_name": "X", "institution": Organisation.objects.get(code="POLTEKESOS"),
            "host": Organisation.objects.get(code="DINSOS-35.07"),
            "start_date": D(2026, 8, 1), "end_date": D(2026, 9, 30)})


def test_planner_gap_rows(setup, make_person, users):
    from sdmkesos.training.queries import catalogue, gap_rows

    actor = setup["actor"]
    psm = make_person("35.07", category="psm", name="Relawan Tanpa Pelatihan")
    tagana = make_person("35.07", category="tagana", name="Tagana Uji")
    rows = [r for r in gap_rows(actor, competency="RS.03")
            if r.person_id in (psm.pk, tagana.pk)]
    by_person = {r.person_id: r for r in rows}
    assert by_person[psm.pk].programmes == ("PDPS",) and not by_person[psm.pk].in_training
    assert by_person[psm.pk].home_region == "35.07" and by_person[psm.pk].province == "35"
    assert tagana.pk not in by_person  # the Tagana standard does not ask for RS.03
    tagana_rows = [r for r in gap_rows(actor) if r.person_id == tagana.pk]
    assert tagana_rows and all(r.programmes == () for r in tagana_rows)
    nominate(users["kabmalang"], setup["batch"], psm)
    again = next(r for r in gap_rows(actor, competency="RS.03") if r.person_id == psm.pk)
    assert again.in_training
    assert not [r for r in gap_rows(users["jabar"]) if r.person_id == psm.pk]
    data = catalogue(2026)
    assert data["programmes"][0]["levels"] == {"PS.01": 3, "RS.03": 3}
    assert data["venues"][0]["capacity"] == 30
