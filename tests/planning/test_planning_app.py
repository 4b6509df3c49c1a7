"""Planning against the database: saved WISN inputs (hand-worked, edge cases), norms, scenario
projections from the registry, placement, heads of units; pages and API for every role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from sdmkesos.careers.reference import load_jf_reference
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import (
    AuditEvent,
    EducationLevel,
    EmploymentStatus,
    FieldOfStudy,
    Organisation,
    Region,
    WorkforceCategory,
)
from sdmkesos.people.models import EducationRecord
from sdmkesos.planning import actions, queries
from sdmkesos.planning.models import Scenario, UnitHead, WisnInputSet
from tests.api_helpers import as_user

pytestmark = pytest.mark.django_db

# AWT = (260 - (16 + 12 + 5 + 7)) x 8 = 1760 h; SW = 1760 x 60 / 60 = 1760; 1056 / 1760 = 0.6
BASE = {"working_days": 260, "public_holidays": 16, "annual_leave": 12, "sick_leave": 5,
        "other_leave": 7, "hours_per_day": 8, "current_staff": 0,
        "service_activities": [{"name": "Asesmen", "annual_volume": 1056,
                                "minutes_per_unit": 60}]}


def _cat(code="pekerja_sosial"):
    return WorkforceCategory.objects.get(code=code)


def _org(code="DINSOS-35.07"):
    return Organisation.objects.get(code=code)


def test_wisn_no_support_zero_staff(users):
    row = actions.do_save_wisn(actor=users["kabmalang"], channel="web", organisation=_org(),
                               category=_cat(), year=2025, data=BASE)
    result = queries.wisn_result(row)
    assert result is not None
    assert result.available_working_time == 1760
    assert result.category_allowance_factor == 1  # no support activities
    assert result.individual_allowance_factor == 0
    assert result.required_staff == pytest.approx(0.6)
    assert result.wisn_difference == pytest.approx(-0.6)
    assert result.wisn_ratio == 0 and result.status == "shortage"
    assert row.region_id == "35.07" and row.region_kab == "35.07"


def test_wisn_with_allowances_and_registry_staff(users, make_person):
    make_person("35.07")
    make_person("35.07")  # users fixture adds one more pekerja_sosial in DINSOS-35.07
    data = {**BASE, "support_activities": [{"name": "Rapat", "percent": 10}],
            "additional_activities": [{"name": "Supervisi", "hours_per_year": 176,
                                       "staff": 1}]}
    row = actions.do_save_wisn(actor=users["kabmalang"], channel="api", organisation=_org(),
                               category=_cat(), year=2025, data=data, staff_from_registry=True)
    result = queries.wisn_result(row)
    assert result is not None
    # CAF = 1 / (1 - 0.10) = 1.1111; IAF = 176 / 1760 = 0.1; 0.6 x 1.1111 + 0.1 = 0.7667
    assert result.category_allowance_factor == pytest.approx(1 / 0.9)
    assert result.required_staff == pytest.approx(0.6 / 0.9 + 0.1)
    assert row.data["current_staff"] == 3 and result.status == "surplus"
    # saving again replaces the same row
    again = actions.do_save_wisn(actor=users["kabmalang"], channel="api", organisation=_org(),
                                 category=_cat(), year=2025, data=BASE)
    assert again.pk == row.pk and WisnInputSet.objects.count() == 1
    assert AuditEvent.objects.filter(action="planning.wisn.update").count() == 1


def test_wisn_errors_name_the_field(users):
    bad = {**BASE, "service_activities": [{"name": "x", "annual_volume": 1,
                                           "minutes_per_unit": 0}]}
    with pytest.raises(ValidationFailed) as err:
        actions.do_save_wisn(actor=users["kabmalang"], channel="web", organisation=_org(),
                             category=_cat(), year=2025, data=bad)
    assert err.value.errors[0].field == "service_activities[0].minutes_per_unit"
    with pytest.raises(DomainError) as derr:  # another province's office
        actions.do_save_wisn(actor=users["kabmalang"], channel="web",
                             organisation=_org("DINSOS-32.04"), category=_cat(), year=2025,
                             data=BASE)
    assert derr.value.code == "move_out_of_scope"
    with pytest.raises(DomainError):
        actions.do_save_wisn(actor=users["viewer"], channel="web", organisation=_org(),
                             category=_cat(), year=2025, data=BASE)
    assert not WisnInputSet.objects.exists()


def test_region_need_from_wisn_and_norms(users):
    actions.do_save_wisn(actor=users["jatim"], channel="web", organisation=_org(),
                         category=_cat(), year=2025, data=BASE)
    actions.do_save_norm(actor=users["jatim"], channel="web", data={
        "region": Region.objects.get(code="35.78"), "category": _cat(), "basis": "population",
        "units": Decimal("3000000"), "staff": Decimal(1), "per": Decimal("10000"),
        "year": 2025, "unit_label": "penduduk"})
    need = queries.region_need(users["jatim"], "35", _cat().pk, 2025)
    assert need.wisn == pytest.approx(0.6) and need.norms == pytest.approx(300)
    assert queries.region_need(users["kabmalang"], "35", _cat().pk).norms == 0  # out of scope
    with pytest.raises(ValidationFailed):
        actions.do_save_norm(actor=users["jatim"], channel="web", data={
            "region": Region.objects.get(code="35.78"), "category": _cat(),
            "basis": "population", "units": Decimal(1), "staff": Decimal(1),
            "per": Decimal(0), "year": 2025})


def test_scenario_projection_from_registry(users, make_person):
    load_jf_reference()
    start = dt.date.today().year + 1
    pns = EmploymentStatus.objects.get(code="pns")
    # pension 1 April of the start year: BUP 58 (no career record, PNS)
    make_person("35.07", birth_date=dt.date(start - 58, 3, 10), civil_servant=True,
                employment_status=pns)
    make_person("35.07", birth_date=dt.date(1990, 1, 1))
    # users fixture: one more pekerja_sosial in 35.07 -> 3 in the registry
    scenario = actions.do_save_scenario(actor=users["kabmalang"], channel="web", data={
        "name": "Dasar", "region": Region.objects.get(code="35.07"), "category": _cat(),
        "start_year": start, "years": 2, "attrition_rate": Decimal(0),
        "entrants_per_year": Decimal(2), "need_override": Decimal(5),
        "need_growth_rate": Decimal(0)})
    p = queries.scenario_projection(users["kabmalang"], scenario)
    assert p.current == 3 and p.need_source == "manual"
    assert [(r.retirements, r.end, r.gap) for r in p.rows] == [(1, 4, 1), (0, 6, -1)]
    chart = queries.chart([p])
    assert len(chart["bars"]) == 2 and chart["years"][0]["year"] == start
    with pytest.raises(ValidationFailed) as err:
        actions.do_save_scenario(actor=users["kabmalang"], channel="web", data={
            "name": "", "region": Region.objects.get(code="35.07"), "category": _cat(),
            "start_year": start, "years": 6, "attrition_rate": Decimal(120),
            "entrants_per_year": Decimal(0)})
    assert {e.field for e in err.value.errors} == {"name", "years", "attrition_rate"}


def test_placement_ranking_in_scope(users, make_person):
    s1 = EducationLevel.objects.get(code="s1")
    peksos = FieldOfStudy.objects.get(code="pekerjaan_sosial")
    good = make_person("35.07", name="Cocok")
    EducationRecord.objects.create(person=good, level=s1, field=peksos)
    good.kesos_background, good.education_level = True, s1
    good.save()
    far = make_person("32.04", name="Jabar Cocok")
    EducationRecord.objects.create(person=far, level=s1, field=peksos)
    vacancy = queries.vacancy_from(["pekerjaan_sosial"], "s1", "pekerja_sosial", "35.07")
    ranked = queries.placement_candidates(users["jatim"], vacancy)
    assert ranked[0][0] == good and ranked[0][1].total == 65
    assert far not in [p for p, _s in ranked]


def test_heads_flag(users, make_person):
    head = make_person("35.07", name="Kepala Bukan Kesos", position="Kepala Dinas")
    actions.do_set_head(actor=users["kabmalang"], channel="web", organisation=_org(),
                        person=head)
    make_person("35.78", name="Kepala Kota", position="Kepala Dinas Sosial",
                kesos_background=True)
    rows = queries.head_rows(users["jatim"])
    by_org = {r.organisation.code: r for r in rows}
    assert by_org["DINSOS-35.07"].status == "not_kesos" and by_org["DINSOS-35.07"].recorded
    assert queries.head_rows(users["jabar"]) == []
    assert [r.organisation.code for r in queries.head_rows(users["jatim"], only_flagged=True)
            ] == ["DINSOS-35.07"]
    with pytest.raises(DomainError):
        actions.do_set_head(actor=users["jabar"], channel="web", organisation=_org(),
                            person=head)
    assert UnitHead.objects.count() == 1


# --- pages and API for every role -------------------------------------------------------------

CASES = {
    "nasional": ("DINSOS-35.07", None),
    "jatim": ("DINSOS-35.78", "DINSOS-32.04"),
    "kabmalang": ("DINSOS-35.07", "DINSOS-35.78"),
    "bbppks": ("DINSOS-13.71", "DINSOS-35.07"),
    "viewer": ("DINSOS-35.07", "DINSOS-32.04"),
    "jabar": ("DINSOS-32.04", "DINSOS-35.07"),
    "kabbandung": ("DINSOS-32.04", "DINSOS-32.73"),
    "pekerja": (None, "DINSOS-35.07"),
}
WRITERS = {"nasional", "jatim", "kabmalang", "jabar", "kabbandung"}


def _seed(org_code):
    org = _org(org_code)
    row = WisnInputSet(organisation=org, category=_cat(), year=2025, data=BASE)
    row.set_region(org.managing_region_code)
    row.save()
    scenario = Scenario(name=f"S {org_code}", category=_cat(), start_year=2030, years=2,
                        need_override=Decimal(3))
    scenario.set_region(org.managing_region_code)
    scenario.save()
    return row, scenario


@pytest.mark.parametrize("role", sorted(CASES))
def test_planning_role_matrix(client, users, role):
    user = users[role]
    inside_org, outside_org = CASES[role]
    inside = _seed(inside_org) if inside_org else None
    outside = _seed(outside_org) if outside_org else None
    client.force_login(user)
    api = as_user(user)
    if role == "pekerja":
        assert client.get(reverse("planning:index")).status_code == 403
        assert api.get("/planning/wisn").status_code == 403
        assert outside is not None
        assert client.get(reverse("planning:wisn", args=[outside[0].pk])).status_code == 403
        return
    assert inside is not None
    index = client.get(reverse("planning:index"))
    assert index.status_code == 200
    html = index.content.decode()
    assert _org(inside_org).name in html
    if outside:
        assert _org(outside_org).name not in html
        assert client.get(reverse("planning:wisn", args=[outside[0].pk])).status_code == 404
        assert api.get(f"/planning/wisn/{outside[0].pk}").status_code == 404
        assert api.get(f"/planning/scenarios/{outside[1].pk}").status_code == 404
    page = client.get(reverse("planning:wisn", args=[inside[0].pk]))
    assert page.status_code == 200 and 'id="required-staff"' in page.content.decode()
    assert [r["id"] for r in api.get("/planning/wisn").json()] == [inside[0].pk]
    proj = client.get(reverse("planning:projection"), {"s": [inside[1].pk]})
    assert proj.status_code == 200 and "projection-chart" in proj.content.decode()
    assert api.get(f"/planning/scenarios/{inside[1].pk}").json()["need"] == 3
    assert client.get(reverse("planning:placement"), {"fields_of_study": "pekerjaan_sosial"}
                      ).status_code == 200
    assert client.get(reverse("planning:heads")).status_code == 200
    # writes
    form = {"organisation": _org(inside_org).pk, "category": _cat().pk, "year": "2026",
            "working_days": "260", "public_holidays": "16", "annual_leave": "12",
            "sick_leave": "5", "other_leave": "7", "hours_per_day": "8", "days_per_week": "5",
            "current_staff": "2", "service_activities": "Asesmen | 1056 | 60",
            "support_activities": "Rapat | 10 | %", "additional_activities": ""}
    response = client.post(reverse("planning:wisn_add"), form)
    api_response = api.post("/planning/wisn", {"organisation": inside_org, "category":
                                               "pekerja_sosial", "year": 2027, "data": BASE})
    if role in WRITERS:
        assert response.status_code == 302, response.content.decode()[:2000]
        saved = WisnInputSet.objects.get(year=2026)
        assert saved.data["support_activities"] == [{"name": "Rapat", "percent": 10.0}]
        assert api_response.status_code == 201
        assert api_response.json()["result"]["required_staff"] == 0.6
    else:
        assert response.status_code == 403 and api_response.status_code == 403
        assert not WisnInputSet.objects.filter(year__in=[2026, 2027]).exists()


def test_wisn_form_shows_field_errors(client, users):
    client.force_login(users["kabmalang"])
    response = client.post(reverse("planning:wisn_add"), {
        "organisation": _org().pk, "category": _cat().pk, "year": "2026", "working_days": "10",
        "public_holidays": "16", "annual_leave": "0", "sick_leave": "0", "other_leave": "0",
        "hours_per_day": "8", "days_per_week": "5", "service_activities": "Asesmen | 10 | 0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "minutes_per_unit harus lebih besar dari 0" in html
    response = client.post(reverse("planning:wisn_add"), {
        "organisation": _org().pk, "category": _cat().pk, "year": "2026", "working_days": "10",
        "public_holidays": "16", "annual_leave": "0", "sick_leave": "0", "other_leave": "0",
        "hours_per_day": "8", "days_per_week": "5", "service_activities": "Asesmen | 10 | 5"})
    assert response.status_code == 400 and "Waktu kerja tersedia" in response.content.decode()
    assert not WisnInputSet.objects.exists()


def test_planning_api_norms_scenarios_heads(users, make_person):
    api = as_user(users["jatim"])
    norm = api.post("/planning/norms", {"region": "35.78", "category": "tksk",
                                        "basis": "service_unit", "unit_label": "kecamatan",
                                        "units": 31, "staff": 1, "per": 1, "year": 2025})
    assert norm.status_code == 201 and norm.json()["need"] == 31
    assert api.post("/planning/norms", {"region": "32.04", "category": "tksk",
                                        "basis": "service_unit", "units": 1, "per": 1,
                                        "year": 2025}).status_code == 403
    sc = api.post("/planning/scenarios", {"name": "+50 lulusan", "region": "35.78",
                                          "category": "tksk", "start_year": 2030, "years": 3,
                                          "entrants_per_year": 50})
    assert sc.status_code == 201, sc.json()
    body = sc.json()
    assert body["need"] == 31 and body["need_source"] == "wisn:0+norm:1"
    assert [y["end"] for y in body["years"]] == [50, 100, 150]
    head = make_person("35.07", name="Kepala", position="Kepala Dinas")
    r = api.post("/planning/heads", {"organisation": "DINSOS-35.07", "person_id": head.pk})
    assert r.status_code == 201 and r.json()["status"] == "not_kesos"
    assert [h["organisation"] for h in api.get("/planning/heads", {"flagged": True}).json()] \
        == [_org().name]
    ranked = api.get("/planning/placement", {"category": "pekerja_sosial"}).json()
    assert all(c["parts"]["category"] == 10 for c in ranked)


def test_saved_wisn_matches_the_command(users, tmp_path, capsys):
    """The web/API result is the command's output for the same document."""
    import json

    from django.core.management import call_command

    data = {**BASE, "support_activities": [{"name": "Rapat", "hours_per_week": 2},
                                           {"name": "Laporan", "minutes_per_day": 30}],
            "additional_activities": [{"name": "Supervisi", "hours_per_year": 100,
                                       "staff": 2}], "current_staff": 3}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    call_command("wisn", str(path))
    printed = json.loads(capsys.readouterr().out)
    row = actions.do_save_wisn(actor=users["kabmalang"], channel="api", organisation=_org(),
                               category=_cat(), year=2025, data=data)
    api = as_user(users["kabmalang"]).get(f"/planning/wisn/{row.pk}").json()
    assert api["result"] == printed


def test_delete_is_scoped_and_audited(client, users):
    row, scenario = _seed("DINSOS-35.07")
    client.force_login(users["viewer"])
    assert client.post(reverse("planning:delete", args=["wisn", row.pk])).status_code == 403
    client.force_login(users["jabar"])
    assert client.post(reverse("planning:delete", args=["wisn", row.pk])).status_code == 404
    client.force_login(users["kabmalang"])
    assert client.post(reverse("planning:delete", args=["skenario", scenario.pk])
                       ).status_code == 302
    assert client.post(reverse("planning:delete", args=["wisn", row.pk])).status_code == 302
    assert not WisnInputSet.objects.exists() and not Scenario.objects.exists()
    assert AuditEvent.objects.filter(action__in=["planning.wisninputset.delete",
                                                 "planning.scenario.delete"]).count() == 2
