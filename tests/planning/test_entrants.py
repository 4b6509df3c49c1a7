"""Supply projection entrants read from the real training and scholarship records (made through
the training actions), separated from the scenario's typed-in entrants; the sources of entrants
(reference data) and their pages and API for in-scope and out-of-scope users."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import AuditEvent, Organisation, Region, WorkforceCategory
from sdmkesos.planning import actions, queries
from sdmkesos.planning.models import EntrantSource
from sdmkesos.training import actions as training
from sdmkesos.training.models import ScholarStatus
from tests.api_helpers import as_user
from tests.training import factories as f

pytestmark = pytest.mark.django_db

Y = dt.date.today().year
D = dt.date


def _cat(code: str = "pekerja_sosial") -> WorkforceCategory:
    return WorkforceCategory.objects.get(code=code)


def _enrol(actor, batch, person, *, complete_on=None):
    n = training.do_nominate(actor=actor, channel="web", batch=batch, person=person)
    training.do_decide_nomination(actor=actor, channel="web", nomination=n, approve=True)
    n = training.do_enrol(actor=actor, channel="web", nomination=n)
    if complete_on is not None:
        n = training.do_complete(actor=actor, channel="web", nomination=n, passed=True,
                                 completed_on=complete_on)
    return n


def _scholar(actor, scheme, person, status, end=None):
    s = training.do_add_scholar(actor=actor, channel="web", scheme=scheme, person=person)
    return training.do_set_scholar_status(actor=actor, channel="web", scholar=s, status=status,
                                          end_date=end)


def _scheme(actor, name, intake):
    poltek = Organisation.objects.get(code="POLTEKESOS")
    return training.do_save_scheme(actor=actor, channel="web", data={
        "name": name, "degree": "d4", "institution": poltek,
        "study_programme": "Pekerjaan Sosial", "sponsor": "Kemensos", "intake_year": intake,
        "quota": 10, "organisation": poltek})


@pytest.fixture
def records(users, make_person):
    """Training and scholarship records in Jawa Timur (35.07) and Jawa Barat (32.04)."""
    admin = users["nasional"]
    prog = f.programme(admin, code="PJF-PEKSOS", categories=(), competencies={})
    other = f.programme(admin, code="TEKNIS-LAIN", categories=(), competencies={})
    batch_now = f.batch(admin, prog, start=D(Y, 7, 6), end=D(Y, 7, 10), capacity=10)
    batch_next = f.batch(admin, prog, start=D(Y + 1, 3, 2), end=D(Y + 1, 3, 6), capacity=10)
    batch_other = f.batch(admin, other, start=D(Y, 8, 3), end=D(Y, 8, 7), capacity=10)
    people = {
        "t1": make_person("35.07", name="T1 lulus pelatihan", category="asn_dinsos"),
        "t2": make_person("35.07", name="T2 terdaftar tahun depan", category="psm"),
        "t3": make_person("35.07", name="T3 baru diusulkan", category="psm"),
        "t4": make_person("35.07", name="T4 sudah peksos"),
        "t5": make_person("32.04", name="T5 Jabar", category="asn_dinsos"),
        "t6": make_person("35.07", name="T6 program lain", category="asn_dinsos"),
        "s1": make_person("35.07", name="S1 studi", category="asn_dinsos"),
        "s2": make_person("35.07", name="S2 lulus", category="asn_dinsos"),
        "s3": make_person("35.07", name="S3 berhenti", category="asn_dinsos"),
        "s4": make_person("35.07", name="S4 selesai nanti", category="asn_dinsos"),
    }
    _enrol(admin, batch_now, people["t1"], complete_on=D(Y, 7, 10))
    _enrol(admin, batch_next, people["t2"])
    training.do_nominate(actor=admin, channel="web", batch=batch_next, person=people["t3"])
    _enrol(admin, batch_now, people["t4"], complete_on=D(Y, 7, 10))
    _enrol(admin, batch_now, people["t5"], complete_on=D(Y, 7, 10))
    _enrol(admin, batch_other, people["t6"], complete_on=D(Y, 8, 7))
    scheme = _scheme(admin, "Beasiswa D4 Peksos", Y - 3)  # no end date: Y - 3 + 4 = Y + 1
    _scholar(admin, scheme, people["s1"], ScholarStatus.STUDYING)
    _scholar(admin, scheme, people["s2"], ScholarStatus.GRADUATED, end=D(Y, 8, 31))
    _scholar(admin, scheme, people["s3"], ScholarStatus.DROPPED)
    _scholar(admin, scheme, people["s4"], ScholarStatus.STUDYING, end=D(Y + 5, 8, 31))
    # T1 also studies: counted once, in the earlier year (training in Y)
    _scholar(admin, scheme, people["t1"], ScholarStatus.STUDYING, end=D(Y + 2, 8, 31))
    unmapped = _scheme(admin, "Beasiswa S2 lain", Y - 1)
    _scholar(admin, unmapped, make_person("35.07", category="asn_dinsos"),
             ScholarStatus.STUDYING, end=D(Y, 12, 31))
    actions.do_add_entrant_source(actor=admin, channel="web", category=_cat(), scheme=scheme)
    actions.do_add_entrant_source(actor=admin, channel="web", category=_cat(), programme=prog)
    return {"people": people, "scheme": scheme, "programme": prog, "other": other}


def _scenario(user, region="35.07", *, from_records=True, entrants=2, name="Dasar"):
    return actions.do_save_scenario(actor=user, channel="web", data={
        "name": name, "region": Region.objects.get(code=region), "category": _cat(),
        "start_year": Y, "years": 3, "attrition_rate": Decimal(0),
        "entrants_per_year": Decimal(entrants), "entrants_from_records": from_records,
        "need_override": Decimal(10), "need_growth_rate": Decimal(0)})


def test_entrants_from_records_by_year_and_source(users, records):
    user = users["kabmalang"]
    p = queries.scenario_projection(user, _scenario(user))
    people = records["people"]
    # in post: the users fixture's worker and T4 (already pekerja sosial: not an entrant)
    assert p.current == 2
    by_person = {e.person_id: e for e in p.entrants}
    assert set(by_person) == {people[k].pk for k in ("t1", "t2", "s1", "s2")}
    assert (by_person[people["t1"].pk].source, by_person[people["t1"].pk].year,
            by_person[people["t1"].pk].expected) == ("training", Y, False)
    assert (by_person[people["t2"].pk].year, by_person[people["t2"].pk].expected) == (Y + 1,
                                                                                     True)
    assert (by_person[people["s1"].pk].source, by_person[people["s1"].pk].year,
            by_person[people["s1"].pk].expected) == ("scholarship", Y + 1, True)
    assert (by_person[people["s2"].pk].year, by_person[people["s2"].pk].expected) == (Y, False)
    assert by_person[people["s1"].pk].label == f"Beasiswa D4 Peksos ({Y - 3})"
    # by hand: Y: 2 + 1 graduate + 1 trainee + 2 typed = 6; Y+1: 6 + 1 + 1 + 2 = 10;
    # Y+2: 10 + 0 + 0 + 2 = 12
    assert [(r.graduates, r.trainees, r.scenario_entrants, r.entrants, r.end)
            for r in p.rows] == [(1, 1, 2, 4, 6), (1, 1, 2, 4, 10), (0, 0, 2, 2, 12)]
    assert [r.gap for r in p.rows] == [4, 0, -2]


def test_records_can_be_left_out_and_scenarios_compared(users, records):
    user = users["kabmalang"]
    base = queries.scenario_projection(user, _scenario(user, from_records=False, entrants=0))
    plus = queries.scenario_projection(user, _scenario(user, entrants=50, name="+50"))
    assert base.entrants == [] and [r.end for r in base.rows] == [2, 2, 2]
    assert [r.end for r in plus.rows] == [54, 106, 156]
    chart = queries.chart([base, plus])
    parts = [[g["part"] for g in b["segments"]] for b in chart["bars"]]
    assert parts[3] == ["staff", "graduates", "trainees", "scenario"]  # "+50", year Y
    assert parts[0] == ["staff"]


def test_entrants_follow_the_users_scope(users, records):
    # Jawa Barat sees its own trainee (T5), not Jawa Timur's
    jabar = queries.scenario_projection(users["jabar"], _scenario(users["jabar"], "32"))
    assert [e.name for e in jabar.entrants] == ["T5 Jabar"]
    assert [r.trainees for r in jabar.rows] == [1, 0, 0]
    # a province operator of Jawa Timur sees the same 35.07 entrants as the district
    jatim = queries.scenario_projection(users["jatim"], _scenario(users["jatim"], "35"))
    assert len(jatim.entrants) == 4


def test_no_sources_no_entrants(users, records):
    EntrantSource.objects.all().delete()
    p = queries.scenario_projection(users["kabmalang"], _scenario(users["kabmalang"]))
    assert p.entrants == [] and [r.entrants for r in p.rows] == [2, 2, 2]


def test_entrant_sources_kept_by_the_national_admin(users, records):
    with pytest.raises(DomainError) as err:
        actions.do_add_entrant_source(actor=users["jatim"], channel="web", category=_cat(),
                                      programme=records["other"])
    assert err.value.code == "forbidden"
    with pytest.raises(Exception) as both:
        actions.do_add_entrant_source(actor=users["nasional"], channel="web",
                                      category=_cat(), scheme=records["scheme"],
                                      programme=records["other"])
    assert both.value.errors[0].field == "scheme"
    row = actions.do_add_entrant_source(actor=users["nasional"], channel="web",
                                        category=_cat("tksk"), programme=records["other"])
    assert AuditEvent.objects.filter(action="planning.entrant_source.create",
                                     object_id=str(row.pk)).exists()
    actions.do_delete_entrant_source(actor=users["nasional"], channel="web", source=row)
    assert AuditEvent.objects.filter(action="planning.entrant_source.delete").exists()


@pytest.mark.parametrize(("role", "status", "sees_form"), [
    ("nasional", 200, True), ("jatim", 200, False), ("kabmalang", 200, False),
    ("viewer", 200, False), ("bbppks", 200, False), ("pekerja", 403, False)])
def test_entrant_sources_page_per_role(client, users, records, role, status, sees_form):
    client.force_login(users[role])
    response = client.get(reverse("planning:entrant_sources"))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "PJF-PEKSOS" in body and "Beasiswa D4 Peksos" in body
        assert ('name="programme"' in body) == sees_form
    post = client.post(reverse("planning:entrant_sources"),
                       {"category": _cat("tksk").pk, "programme": records["other"].pk})
    assert post.status_code == (302 if role == "nasional" else 403)


def test_projection_page_shows_the_sources(client, users, records):
    scenario = _scenario(users["kabmalang"])
    client.force_login(users["kabmalang"])
    body = client.get(reverse("planning:projection") + f"?s={scenario.pk}").content.decode()
    assert "S1 studi" in body and "T1 lulus pelatihan" in body and "T5 Jabar" not in body
    assert 'data-part="graduates"' in body and 'data-part="trainees"' in body
    assert "Masuk: lulusan" in body and "Masuk: skenario" in body
    # out of scope: Jawa Barat cannot open Jawa Timur's scenario (it is not listed)
    client.force_login(users["jabar"])
    body = client.get(reverse("planning:projection") + f"?s={scenario.pk}").content.decode()
    assert "S1 studi" not in body


def test_api_projection_and_sources(users, records):
    admin = as_user(users["nasional"])
    listed = admin.get("/api/v1/planning/entrant-sources")
    assert listed.status_code == 200 and {r["source"] for r in listed.json()} == {
        "scholarship", "training"}
    made = admin.post("/api/v1/planning/entrant-sources", {
        "category": "tksk", "programme": "TEKNIS-LAIN"})
    assert made.status_code == 201 and made.json()["programme"] == "TEKNIS-LAIN"
    jatim = as_user(users["jatim"])
    assert jatim.post("/api/v1/planning/entrant-sources", {
        "category": "tksk", "scheme_id": records["scheme"].pk}).status_code == 403
    assert jatim.delete(f"/api/v1/planning/entrant-sources/{made.json()['id']}"
                        ).status_code == 403
    assert as_user(users["pekerja"]).get("/api/v1/planning/entrant-sources").status_code == 403
    assert admin.delete(f"/api/v1/planning/entrant-sources/{made.json()['id']}"
                        ).status_code == 204
    kab = as_user(users["kabmalang"])
    out = kab.post("/api/v1/planning/scenarios", {
        "name": "API", "region": "35.07", "category": "pekerja_sosial", "start_year": Y,
        "years": 2, "entrants_per_year": 2, "need_override": 10})
    assert out.status_code == 201
    body = out.json()
    assert body["entrants_from_records"] is True
    assert [(y["graduates"], y["trainees"], y["scenario_entrants"]) for y in body["years"]] == [
        (1, 1, 2), (1, 1, 2)]
    assert {e["source"] for e in body["entrants"]} == {"scholarship", "training"}
    other = as_user(users["kabbandung"]).get(f"/api/v1/planning/scenarios/{body['scenario_id']}")
    assert other.status_code == 404
