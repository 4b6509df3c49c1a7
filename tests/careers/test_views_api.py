"""Careers pages and API: every role with a person inside and one outside its scope; ratings
visible only to the person, supervisors and HR roles; writes refused for read-only roles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from sdmkesos.careers import actions
from sdmkesos.careers.models import CareerPosition, CreditEntry, JfLevel, Skp
from sdmkesos.core.choices import Role
from sdmkesos.core.models import AuditEvent
from tests.api_helpers import as_user

pytestmark = pytest.mark.django_db

# role -> (region of an in-scope person, region of an out-of-scope person)
CASES = {
    "nasional": ("35.07", None),
    "jatim": ("35.78", "32.04"),
    "kabmalang": ("35.07", "35.78"),
    "bbppks": ("13.71", "35.07"),
    "viewer": ("35.07", "32.04"),
    "pekerja": (None, "35.07"),
    "jabar": ("32.04", "35.07"),
    "kabbandung": ("32.04", "32.73"),
}
WRITERS = {"nasional", "jatim", "kabmalang", "jabar", "kabbandung"}
HR = WRITERS


@pytest.mark.parametrize("role", sorted(CASES))
def test_person_career_page_and_api_matrix(client, users, make_person, jf_position, role):
    from sdmkesos.people.models import Person

    user = users[role]
    inside_region, outside_region = CASES[role]
    inside = (Person.objects.get(user=user) if inside_region is None
              else make_person(inside_region, name="Dalam Lingkup", civil_servant=True))
    pos = jf_position(inside, opening_ak=Decimal("40"))
    CreditEntry.objects.create(person=inside, position=pos, year=2024, rating="butuh_perbaikan",
                               credit_points=Decimal("9.375"))
    outside = make_person(outside_region, name="Luar Lingkup") if outside_region else None
    client.force_login(user)

    page = client.get(reverse("careers:person", args=[inside.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "49,375" in html  # Indonesian decimal comma
    # The rating behind the credit points: HR and the person themself; not viewers/BBPPKS.
    assert ("Butuh Perbaikan" in html) is (role in HR or role == "pekerja")
    # reasons with Indonesian numbers (50.000 would read as fifty thousand)
    assert ("belum mencapai 50 (kurang 0,625)" in html) is (role in HR or role == "pekerja")
    api = as_user(user)
    body = api.get(f"/careers/persons/{inside.pk}").json()
    assert Decimal(body["rank_ak"]) == Decimal("49.375")
    assert (body["latest_rating"] == "butuh_perbaikan") is (role in HR or role == "pekerja")
    if outside is not None:
        assert client.get(reverse("careers:person", args=[outside.pk])).status_code == 404
        assert api.get(f"/careers/persons/{outside.pk}").status_code == 404

    # Writes: positions and credit points.
    before = CareerPosition.objects.count()
    form = {"kind": "functional", "jf": "", "level": "", "rank": "", "tmt": "2025-01-01"}
    response = client.post(reverse("careers:position_add", args=[inside.pk]), form)
    api_response = api.post(f"/careers/persons/{inside.pk}/credits",
                            {"position_id": pos.pk, "year": 2025, "rating": "baik"})
    if role in WRITERS:
        assert response.status_code == 400  # functional without JF/level/rank: inline errors
        assert "Wajib diisi" in response.content.decode()
        assert api_response.status_code == 201
        assert Decimal(api_response.json()["credit_points"]) == Decimal("12.5")
    else:
        assert response.status_code == 403 and api_response.status_code == 403
    assert CareerPosition.objects.count() == before

    # Eligibility list: HR only. Retirement list: every viewing role.
    elig = client.get(reverse("careers:eligibility"))
    assert elig.status_code == (200 if role in HR else 403)
    assert api.get("/careers/eligibility").status_code == (200 if role in HR else 403)
    assert client.get(reverse("careers:retirement")).status_code == 200
    assert client.get(reverse("careers:index")).status_code == 200
    assert client.get(reverse("careers:skp_list")).status_code == 200


def test_add_position_via_web_and_api(client, users, make_person, jf):
    person = make_person("35.07", civil_servant=True)
    client.force_login(users["kabmalang"])
    level = JfLevel.objects.get(code="ahli_pertama")
    from sdmkesos.careers.models import JfPosition, JfRank

    response = client.post(reverse("careers:position_add", args=[person.pk]), {
        "kind": "functional", "jf": JfPosition.objects.get(code="pekerja_sosial").pk,
        "level": level.pk, "rank": JfRank.objects.get(code="IV/a").pk, "tmt": "2024-01-01"})
    assert response.status_code == 400 and "di luar rentang" in response.content.decode()
    api = as_user(users["kabmalang"])
    created = api.post(f"/careers/persons/{person.pk}/positions", {
        "jf": "pekerja_sosial", "level": "ahli_pertama", "rank": "III/a", "tmt": "2024-01-01"})
    assert created.status_code == 201, created.json()
    bad = api.post(f"/careers/persons/{person.pk}/positions", {
        "jf": "pekerja_sosial", "level": "ahli_kepala", "rank": "III/a", "tmt": "2024-01-01"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "level"
    patched = api.patch(f"/careers/persons/{person.pk}/positions/{created.json()['id']}",
                        {"competency_test_passed": True, "competency_test_date": "2025-03-01"})
    assert patched.status_code == 200 and patched.json()["competency_test_passed"] is True


def test_rules_page_and_level_api_admin_only(client, users, jf):
    client.force_login(users["jatim"])
    assert client.get(reverse("careers:level_edit", args=["terampil"])).status_code == 403
    assert as_user(users["jatim"]).patch("/careers/levels/terampil",
                                         {"coefficient": "6"}).status_code == 403
    client.force_login(users["nasional"])
    response = client.post(reverse("careers:level_edit", args=["terampil"]), {
        "coefficient": "6", "ak_next_rank": "20", "ak_next_level": "60", "retirement_age": "58"})
    assert response.status_code == 302
    assert JfLevel.objects.get(code="terampil").coefficient == Decimal("6")
    api = as_user(users["nasional"])
    levels = api.get("/careers/levels").json()
    assert [lv["code"] for lv in levels][:3] == ["terampil", "mahir", "penyelia"]
    bad = api.patch("/careers/levels/mahir", {"ak_next_rank": "0"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_rules"


def test_retirement_page_lists_by_organisation(client, users, make_person, jf_position):
    today = dt.date.today()
    soon = make_person("35.07", name="Segera Pensiun", civil_servant=True,
                       birth_date=dt.date(today.year - 58, today.month, 1))
    jf_position(soon, "ahli_muda", "III/c")
    make_person("32.04", name="Jabar Pensiun", civil_servant=True,
                birth_date=dt.date(today.year - 58, today.month, 1))
    client.force_login(users["kabmalang"])
    html = client.get(reverse("careers:retirement"), {"years": "1"}).content.decode()
    assert "Segera Pensiun" in html and "Jabar Pensiun" not in html
    assert "35.07 " in html.split("retirement-regions")[1][:400]
    from sdmkesos.core.models import Organisation

    other = Organisation.objects.filter(region__code__startswith="35.07", is_national=False
                                        ).exclude(code="DINSOS-35.07").first()
    if other is not None:  # a unit in Kab. Malang that is not the Dinas Sosial: nobody there
        html = client.get(reverse("careers:retirement"),
                          {"years": "1", "organisation": other.pk}).content.decode()
        assert "Segera Pensiun" not in html
    dinsos = Organisation.objects.get(code="DINSOS-35.07")
    html = client.get(reverse("careers:retirement"),
                      {"years": "1", "organisation": dinsos.pk, "region": "35.07"}
                      ).content.decode()
    assert "Segera Pensiun" in html
    rows = as_user(users["kabmalang"]).get("/careers/retirements", {"years": 1}).json()
    assert [r["name"] for r in rows] == ["Segera Pensiun"]
    assert rows[0]["retirement_age"] == 58


@pytest.fixture
def skp_team(users, make_person, make_user, jf):
    boss = make_person("35.07", name="Budi Atasan", civil_servant=True)
    boss.user = make_user("atasan", Role.WORKER)
    boss.save()
    staff = make_person("35.07", name="Siti Staf", civil_servant=True)
    staff.user = make_user("staf", Role.WORKER)
    staff.save()
    skp = actions.do_create_skp(actor=users["kabmalang"], channel="web", person=staff,
                                year=2025, supervisor=boss)
    return {"boss": boss, "staff": staff, "skp": skp, **users}


def test_skp_web_flow_and_rating_visibility(client, skp_team):
    t = skp_team
    skp = t["skp"]
    client.force_login(t["staff"].user)
    url = reverse("careers:skp_action", args=[skp.pk, "result"])
    bad = client.post(url, {"text": "Asesmen", "indicators": ""})
    assert bad.status_code == 400
    assert client.post(url, {"text": "Asesmen PPKS", "indicators": "Jumlah asesmen | 120"}
                       ).status_code == 302
    ind = skp.results.get().indicators.get()
    assert client.post(reverse("careers:skp_action", args=[skp.pk, "realisation"]), {
        "indicator": ind.pk, "period": "1", "realisation": "30", "evidence": "BA-01"}
    ).status_code == 302
    # the employee cannot evaluate
    assert client.post(reverse("careers:skp_action", args=[skp.pk, "evaluate"]), {
        "results_rating": "above", "behaviour_rating": "above"}).status_code == 403
    client.force_login(t["boss"].user)
    assert client.post(reverse("careers:skp_action", args=[skp.pk, "evaluate"]), {
        "results_rating": "below", "behaviour_rating": "above", "b_akuntabel": "meeting"}
    ).status_code == 302
    skp.refresh_from_db()
    assert skp.final_rating == "butuh_perbaikan" and skp.follow_ups.count() == 1
    client.force_login(t["staff"].user)
    assert client.post(reverse("careers:skp_action", args=[skp.pk, "acknowledge"])
                       ).status_code == 302
    skp.refresh_from_db()
    assert skp.status == "acknowledged"
    assert AuditEvent.objects.filter(action__startswith="skp.").count() >= 5
    # The rating is not in the person's history, which every viewing role reads.
    client.force_login(t["viewer"])
    person_page = client.get(reverse("people:detail", args=[t["staff"].pk])).content.decode()
    assert "butuh_perbaikan" not in person_page and "final_rating" not in person_page
    history = as_user(t["viewer"]).get(f"/persons/{t['staff'].pk}/history").content.decode()
    assert "butuh_perbaikan" not in history and "skp." not in history
    assert AuditEvent.objects.filter(object_type="careers.skp", object_id=str(skp.pk),
                                     action="skp.evaluate").exists()

    for who, visible in (("staff", True), ("boss", True), ("kabmalang", True), ("jatim", True),
                         ("nasional", True), ("viewer", False), ("bbppks", False),
                         ("jabar", False), ("pekerja", False)):
        user = t[who].user if who in ("staff", "boss") else t[who]
        client.force_login(user)
        page = client.get(reverse("careers:skp", args=[skp.pk]))
        assert page.status_code == (200 if visible else 404), who
        if visible:
            assert "Butuh Perbaikan" in page.content.decode()
        listing = client.get(reverse("careers:skp_list")).content.decode()
        assert ("Siti Staf" in listing) is visible, who
        api = as_user(user)
        assert api.get(f"/careers/skp/{skp.pk}").status_code == (200 if visible else 404), who
        assert (len(api.get("/careers/skp").json()) == 1) is visible, who


def test_skp_api_flow(skp_team):
    t = skp_team
    staff_api = as_user(t["staff"].user)
    boss_api = as_user(t["boss"].user)
    skp = t["skp"]
    r = staff_api.post(f"/careers/skp/{skp.pk}/results", {
        "text": "Rehabilitasi sosial", "indicators": [{"text": "PPKS", "target": "40"}]})
    assert r.status_code == 201
    ind = r.json()["results"][0]["indicators"][0]["id"]
    assert staff_api.post(f"/careers/skp/{skp.pk}/realisations", {
        "indicator_id": ind, "period": 5, "realisation": "x"}).status_code == 400
    assert staff_api.post(f"/careers/skp/{skp.pk}/evaluate", {
        "results_rating": "above", "behaviour_rating": "above"}).status_code == 403
    done = boss_api.post(f"/careers/skp/{skp.pk}/evaluate", {
        "results_rating": "above", "behaviour_rating": "above"})
    assert done.status_code == 200 and done.json()["final_rating"] == "sangat_baik"
    assert staff_api.post(f"/careers/skp/{skp.pk}/acknowledge").json()["status"] == \
        "acknowledged"
    # a worker opens their own next SKP through the API; not someone else's
    own = staff_api.post("/careers/skp", {"person_id": t["staff"].pk, "year": 2026,
                                          "supervisor_id": t["boss"].pk})
    assert own.status_code == 201
    assert staff_api.post("/careers/skp", {"person_id": t["boss"].pk, "year": 2026}
                          ).status_code == 404
    assert Skp.objects.count() == 2


def test_skp_create_page_offers_colleagues_in_scope(client, users, make_person, jf):
    staff = make_person("35.07", name="Pegawai Baru", civil_servant=True)
    boss = make_person("35.07", name="Kepala Seksi", civil_servant=True)
    client.force_login(users["kabmalang"])
    page = client.get(reverse("careers:skp_create", args=[staff.pk])).content.decode()
    assert "Kepala Seksi" in page
    response = client.post(reverse("careers:skp_create", args=[staff.pk]),
                           {"year": "2025", "supervisor": str(boss.pk)})
    assert response.status_code == 302
    assert Skp.objects.get(person=staff).supervisor == boss
    bad = client.post(reverse("careers:skp_create", args=[staff.pk]),
                      {"year": "2026", "supervisor_id": "999999"})
    assert bad.status_code == 200 and "Data tidak ditemukan" in bad.content.decode()
    client.force_login(users["viewer"])
    assert client.post(reverse("careers:skp_create", args=[staff.pk]),
                       {"year": "2027"}).status_code == 403
    assert not Skp.objects.filter(year=2027).exists()
