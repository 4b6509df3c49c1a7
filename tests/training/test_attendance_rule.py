"""The programme's minimum attendance: a pass below it is refused with a message naming the
attendance; a fail is still recorded; no rule at 0 or without sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sdmkesos.core.errors import DomainError
from sdmkesos.training import actions
from sdmkesos.training.models import Nomination

from . import factories as f

D = dt.date


@pytest.fixture
def enrolled(users, make_person):
    admin = users["nasional"]
    prog = f.programme(admin, min_attendance=80)
    batch = f.batch(admin, prog, capacity=5)
    sessions = [actions.do_add_session(actor=admin, channel="cli", batch=batch,
                                       date=D(2026, 7, 6 + i)) for i in range(5)]
    people = [make_person("35.07", category="psm", name=f"Peserta {i}") for i in range(2)]
    noms = []
    for person in people:
        n = actions.do_nominate(actor=admin, channel="cli", batch=batch, person=person)
        actions.do_decide_nomination(actor=admin, channel="cli", nomination=n, approve=True)
        noms.append(actions.do_enrol(actor=admin, channel="cli", nomination=n))
    for i, session in enumerate(sessions):
        actions.do_record_attendance(actor=admin, channel="cli", session=session, statuses={
            noms[0].pk: "hadir" if i < 3 else "sakit",  # 3 of 5: 60 %
            noms[1].pk: "hadir" if i < 4 else "alpa"})  # 4 of 5: 80 %
    return {"admin": admin, "programme": prog, "batch": batch, "noms": noms}


def test_pass_below_minimum_refused(enrolled):
    admin, (low, ok) = enrolled["admin"], enrolled["noms"]
    with pytest.raises(DomainError) as refused:
        actions.do_complete(actor=admin, channel="cli", nomination=low, passed=True)
    assert refused.value.code == "attendance_below_minimum"
    assert "3 dari 5 sesi (60%)" in refused.value.message and "80%" in refused.value.message
    low.refresh_from_db()
    assert low.status == "terdaftar"
    actions.do_complete(actor=admin, channel="cli", nomination=low, passed=False)
    actions.do_complete(actor=admin, channel="cli", nomination=ok, passed=True)
    assert Nomination.objects.get(pk=ok.pk).status == "lulus"


def test_no_rule_at_zero(enrolled):
    admin = enrolled["admin"]
    prog = enrolled["programme"]
    actions.do_save_programme(actor=admin, channel="cli", data={"min_attendance": 0},
                              programme=prog)
    low = enrolled["noms"][0]
    actions.do_complete(actor=admin, channel="cli", nomination=low, passed=True)
    assert Nomination.objects.get(pk=low.pk).status == "lulus"


def test_result_page_and_api_show_the_refusal(client, users, enrolled):
    from tests.api_helpers import as_user

    low = enrolled["noms"][0]
    client.force_login(users["jatim"])  # manages the UPT PTKS Malang
    r = client.post(reverse("training:result", args=[low.pk]),
                    {"outcome": "1", "c-passed": "1", "c-completed_on": "2026-07-10"})
    assert r.status_code == 200 and "di bawah kehadiran minimal" in r.content.decode()
    page = client.get(reverse("training:programme", args=["PDPS"])).content.decode()
    assert 'id="min-attendance">80%' in page
    api = as_user(users["jatim"])
    r = api.post(f"/training/nominations/{low.pk}/complete", {"passed": True})
    assert r.status_code == 409 and r.json()["code"] == "attendance_below_minimum", r.json()
    assert api.get("/training/programmes/PDPS").json()["min_attendance"] == 80
    # Outside the organiser's scope: Jawa Barat's operator cannot complete anyone.
    r = as_user(users["jabar"]).post(f"/training/nominations/{low.pk}/complete",
                                     {"passed": True})
    assert r.status_code in (403, 404)
