"""Development follow-up end to end: a rating below Baik or a competency gap proposes
programmes from the training catalogue (training.queries.catalogue) that the person may join and
that close the gaps; hand-worked choice; pages and API for in-scope and out-of-scope users."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sdmkesos.careers import actions
from sdmkesos.careers.development import GapFact, suggest
from sdmkesos.careers.models import FollowUp
from sdmkesos.competency import actions as comp_actions
from sdmkesos.competency.models import Competency
from sdmkesos.core.choices import Role
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import AuditEvent
from sdmkesos.training.rules import PersonFacts
from tests.api_helpers import as_user
from tests.training import factories as f

TODAY = dt.date.today()


def _p(code, levels, *, cost=1000, categories=(), type_="teknis", asn_only=False,
       prerequisites=(), min_rank=None):
    return {"code": code, "name": f"Pelatihan {code}", "type": type_, "levels": levels,
            "cost_per_participant": cost, "eligible_categories": list(categories),
            "min_education_rank": min_rank, "asn_only": asn_only,
            "prerequisites": list(prerequisites)}


PEKSOS = PersonFacts(category="pekerja_sosial", education_rank=50, is_asn=False)
GAPS = [GapFact("PS.01", 3, 1), GapFact("PS.02", 3, 2), GapFact("M.01", 3, 3)]


def test_suggest_by_hand():
    catalogue = [
        _p("A", {"PS.01": 3}, cost=500),  # closes PS.01
        _p("B", {"PS.01": 3, "PS.02": 4}, cost=2000),  # closes both: first
        _p("C", {"PS.01": 3}, cost=100, asn_only=True),  # not ASN: left out
        _p("D", {"PS.02": 3}, cost=500, prerequisites=["X"]),  # prerequisite not done
        _p("E", {"PS.02": 2}),  # below the required level
        _p("F", {"M.01": 5}),  # M.01 has no gap
        _p("G", {"PS.02": 3}, cost=500, categories=["tksk"]),  # not for this category
        _p("H", {"PS.02": 3}, cost=500, min_rank=60),  # needs S2
        _p("I", {"PS.02": 3}, cost=400),
    ]
    assert [(s.code, s.closes) for s in suggest(catalogue, GAPS, PEKSOS)] == [
        ("B", ("PS.01", "PS.02")), ("I", ("PS.02",)), ("A", ("PS.01",))]
    done = PersonFacts(category="pekerja_sosial", education_rank=50,
                       completed_programmes=frozenset({"X"}))
    # one gap closed each: cheaper first (I 400), then by code (A, D at 500)
    assert [s.code for s in suggest(catalogue, GAPS, done, limit=5)] == ["B", "I", "A", "D"]


def test_suggest_without_gaps_uses_programmes_for_the_category():
    catalogue = [_p("T1", {}, cost=900, categories=["pekerja_sosial"]),
                 _p("T2", {}, cost=100, categories=["pekerja_sosial"], type_="fungsional"),
                 _p("L", {}, cost=50, categories=["pekerja_sosial"], type_="kepemimpinan"),
                 _p("ANY", {}, cost=10)]  # open to everyone: too general to propose
    assert [s.code for s in suggest(catalogue, [], PEKSOS)] == ["T2", "T1"]
    assert suggest(catalogue, [], PersonFacts()) == []


# --- against the database ------------------------------------------------------------------------



@pytest.fixture
def world(users, make_person, make_user, jf, competency_dictionary):
    boss = make_person("35.07", name="Budi Atasan", civil_servant=True)
    boss.user = make_user("atasan", Role.WORKER)
    boss.save()
    staff = make_person("35.07", name="Siti Staf", civil_servant=True)
    staff.user = make_user("staf", Role.WORKER)
    staff.save()
    admin = users["nasional"]
    # STD-PEKSOS asks PS.01 3, PS.02 3, PS.03 3, ... ; Siti has PS.01 at 1
    comp_actions.do_record_assessment(
        actor=admin, channel="web", person=staff, competency=Competency.objects.get(
            code="PS.01"), level=1, method="assessor", assessed_on=TODAY - dt.timedelta(days=9),
        today=TODAY)
    f.programme(admin, code="PDPS", competencies={"PS.01": 3, "RS.03": 3}, categories=())
    f.programme(admin, code="PS-LANJUT", competencies={"PS.01": 3, "PS.02": 3, "PS.03": 3},
                categories=("pekerja_sosial",))
    f.programme(admin, code="KHUSUS-ASN", competencies={"PS.01": 4, "PS.02": 4, "PS.03": 4,
                                                        "PS.04": 4}, asn_only=True,
                categories=())
    f.programme(admin, code="RENDAH", competencies={"PS.02": 2}, categories=())
    return {"boss": boss, "staff": staff, **users}


def _low_rated(world):
    skp = actions.do_create_skp(actor=world["kabmalang"], channel="web", person=world["staff"],
                                year=2026, supervisor=world["boss"])
    actions.do_add_result(actor=world["staff"].user, channel="web", skp=skp, text="Asesmen",
                          indicators=[("Jumlah", "100")])
    return actions.do_evaluate(actor=world["boss"].user, channel="web", skp=skp,
                               results_rating="below", behaviour_rating="meeting")


@pytest.mark.django_db
def test_low_rating_proposes_catalogue_programmes(world):
    skp = _low_rated(world)
    follow = FollowUp.objects.get(skp=skp)
    assert follow.reason == "rating_butuh_perbaikan"
    # PS-LANJUT closes PS.01..PS.03, PDPS only PS.01; KHUSUS-ASN: not ASN; RENDAH: below 3
    assert [p["code"] for p in follow.programmes] == ["PS-LANJUT", "PDPS"]
    assert follow.programmes[0]["closes"] == ["PS.01", "PS.02", "PS.03"]
    assert "PS.01 level 1 dari 3" in follow.proposal
    assert follow.training.startswith("PS-LANJUT Pelatihan PS-LANJUT")
    event = AuditEvent.objects.get(action="skp.follow_up.propose", object_id=str(follow.pk))
    assert event.changes["programmes"][1] == ["PS-LANJUT", "PDPS"]


@pytest.mark.django_db
def test_gap_follow_up_action_and_refusals(world, make_person):
    follow = actions.do_propose_gap_follow_up(actor=world["kabmalang"], channel="web",
                                              person=world["staff"])
    assert follow.reason == "competency_gap" and follow.skp is None
    assert [p["code"] for p in follow.programmes] == ["PS-LANJUT", "PDPS"]
    for who, code in (("viewer", "forbidden"), ("bbppks", "forbidden"),
                      ("kabbandung", "out_of_scope"), ("jabar", "out_of_scope")):
        with pytest.raises(DomainError) as err:
            actions.do_propose_gap_follow_up(actor=world[who], channel="web",
                                             person=world["staff"])
        assert err.value.code == code
    no_standard = make_person("35.07", category="asn_dinsos")
    with pytest.raises(DomainError) as err:
        actions.do_propose_gap_follow_up(actor=world["kabmalang"], channel="web",
                                         person=no_standard)
    assert err.value.code == "no_competency_gap"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [
    ("kabmalang", 302), ("jatim", 302), ("nasional", 302), ("viewer", 403), ("bbppks", 403),
    ("kabbandung", 404), ("jabar", 404), ("pekerja", 403)])
def test_gap_follow_up_page_per_role(client, world, role, status):
    client.force_login(world[role])
    response = client.post(reverse("careers:gap_follow_up", args=[world["staff"].pk]))
    assert response.status_code == status
    assert FollowUp.objects.exists() == (status == 302)
    if status == 302:
        page = client.get(reverse("careers:person", args=[world["staff"].pk])).content.decode()
        assert reverse("training:programme", args=["PS-LANJUT"]) in page


@pytest.mark.django_db
def test_skp_page_links_the_programmes(client, world):
    skp = _low_rated(world)
    client.force_login(world["staff"].user)
    page = client.get(reverse("careers:skp", args=[skp.pk])).content.decode()
    assert reverse("training:programme", args=["PDPS"]) in page


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [
    ("kabmalang", 201), ("nasional", 201), ("viewer", 403), ("kabbandung", 404),
    ("pekerja", 404)])
def test_gap_follow_up_api_per_role(world, role, status):
    out = as_user(world[role]).post(f"/careers/persons/{world['staff'].pk}/follow-ups")
    assert out.status_code == status
    if status == 201:
        assert [p["code"] for p in out.json()["programmes"]] == ["PS-LANJUT", "PDPS"]
