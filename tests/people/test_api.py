"""The registry API: list/filter/paginate, masking, create/update/delete with audit, sub-records."""

from __future__ import annotations

import datetime as dt

import pytest

from sdmkesos.core.identifiers import encode_nik
from sdmkesos.core.models import AuditEvent, EducationLevel, FieldOfStudy, Organisation
from sdmkesos.people import actions
from sdmkesos.people.models import EmploymentRecord, Person
from tests.api_helpers import as_user

BIRTH = dt.date(1990, 5, 17)
NIK = encode_nik("35", "07", "01", BIRTH, "P", 12)


def _new(**extra):
    return {"nik": NIK, "name": "Siti Aminah", "sex": "P", "birth_date": BIRTH.isoformat(),
            "birth_place": "Malang", "organisation": "DINSOS-35.07", "category": "tksk",
            "employment_status": "non_asn", "position": "Pendamping", **extra}


def _events(person_id, action=None):
    qs = AuditEvent.objects.filter(object_type="people.person", object_id=str(person_id))
    return qs.filter(action=action) if action else qs


# --- list, filters, paging ------------------------------------------------------------------


def test_list_is_scoped_and_complete(users, make_person):
    mine = make_person("35.07", name="Budi Santoso", sex="L", civil_servant=True,
                       phone="0811", email="budi@example.org")
    make_person("35.73")
    make_person("32.04")
    body = as_user(users["kabmalang"]).get("/persons").json()
    regions = {p["region_code"] for p in body["items"]}
    assert regions == {"35.07"} and body["count"] == 2  # Budi + the worker fixture's person
    item = next(p for p in body["items"] if p["id"] == mine.pk)
    assert item["nik"] == mine.nik and item["nip"] == mine.nip
    assert item["sex"] == "L" and item["birth_date"] == "1985-03-14"
    assert item["birth_place"] == "Malang"
    assert item["organisation"] == {"id": mine.organisation_id, "code": "DINSOS-35.07",
                                    "name": mine.organisation.name}
    assert item["category"] == "pekerja_sosial" and item["position"] == "Staf"
    assert item["phone"] == "0811" and item["email"] == "budi@example.org"
    for key in ("employment_status", "education_level", "field_of_study", "kesos_background",
                "domicile_region_code"):
        assert key in item
    assert as_user(users["jatim"]).get("/persons").json()["count"] == 3
    assert as_user(users["nasional"]).get("/persons").json()["count"] == 4


def test_pagination(users, make_person):
    for i in range(7):
        make_person("35.07", name=f"Anggota {i:02d}")
    client = as_user(users["kabmalang"])
    first = client.get("/persons", {"name": "Anggota", "limit": 3}).json()
    second = client.get("/persons", {"name": "Anggota", "limit": 3, "offset": 3}).json()
    last = client.get("/persons", {"name": "Anggota", "limit": 3, "offset": 6}).json()
    assert first["count"] == second["count"] == last["count"] == 7
    names = [p["name"] for page in (first, second, last) for p in page["items"]]
    assert names == [f"Anggota {i:02d}" for i in range(7)]
    assert client.get("/persons", {"limit": 501}).status_code == 200  # capped at 500
    assert client.get("/persons", {"offset": -1}).status_code == 400


def test_filters(users, make_person):
    client = as_user(users["nasional"])
    a = make_person("35.07", name="Ahmad Kesos", category="tksk", civil_servant=True)
    b = make_person("35.73", name="Bunga Lestari", category="tagana")
    c = make_person("32.04", name="Cahya Dewi", category="tksk")
    actions.do_add_education(
        actor=users["nasional"], channel="api", person=a,
        data={"level": EducationLevel.objects.get(code="d4"),
              "field": FieldOfStudy.objects.filter(is_kesos=True).first()})
    a.refresh_from_db()

    def ids(**params):
        response = client.get("/persons", params)
        assert response.status_code == 200, response.content
        return {p["id"] for p in response.json()["items"]}

    assert ids(nik=a.nik) == {a.pk}
    assert ids(nik=a.nik[:12]) >= {a.pk}
    assert ids(nip=a.nip) == {a.pk}
    assert ids(name="bunga") == {b.pk}
    assert ids(q="cahya") == {c.pk}
    assert ids(q=a.nik) == {a.pk}
    assert ids(region="35", category="tksk") == {a.pk}
    assert ids(region="35.73") == {b.pk}
    assert b.pk not in ids(region="35.7")  # a dotted code, not a string prefix
    assert ids(category="tksk") == {a.pk, c.pk}
    assert ids(organisation="DINSOS-32.04") == {c.pk}
    assert ids(organisation=str(c.organisation_id)) == {c.pk}
    assert c.pk in ids(organisation="DINSOS-32")  # includes the sub-organisations
    assert ids(education_level="d4") == {a.pk}
    assert ids(field_of_study=a.field_of_study.code) == {a.pk}
    assert ids(kesos="true") == {a.pk}
    assert a.pk not in ids(kesos="false") and b.pk in ids(kesos="false")
    assert ids(organisation="NO-SUCH-ORG") == set()


def test_region_filter_below_regency_level(users, make_person):
    person = make_person("35.07")
    district = "35.07.01"
    Person.objects.filter(pk=person.pk).update(region_id=district)
    body = as_user(users["nasional"]).get("/persons", {"region": district}).json()
    assert [p["id"] for p in body["items"]] == [person.pk]
    assert as_user(users["nasional"]).get("/persons", {"region": "35.07"}).json()["count"] >= 1


# --- masking --------------------------------------------------------------------------------


@pytest.mark.parametrize("role,masked", [("viewer", True), ("bbppks", True), ("jatim", False),
                                         ("kabmalang", False), ("nasional", False),
                                         ("pekerja", False)])
def test_nik_masking(users, make_person, role, masked):
    person = make_person("13.71") if role == "bbppks" else users["pekerja"].person
    client = as_user(users[role])
    item = client.get(f"/persons/{person.pk}").json()
    if masked:
        assert item["nik"] == person.nik[:6] + "*" * 10
        assert person.nik[6:] not in item["nik"]
    else:
        assert item["nik"] == person.nik
    # The NIK filter still works on the real number.
    listed = client.get("/persons", {"nik": person.nik}).json()
    assert [p["id"] for p in listed["items"]] == [person.pk]
    assert listed["items"][0]["nik"] == item["nik"]


def test_history_masks_nik_for_masked_roles(users):
    response = as_user(users["nasional"]).post("/persons", _new())
    person_id = response.json()["id"]
    viewer = as_user(users["viewer"]).get(f"/persons/{person_id}/history").json()
    create = next(e for e in viewer["items"] if e["action"] == "create")
    assert create["changes"]["nik"] == [None, NIK[:6] + "*" * 10]
    full = as_user(users["jatim"]).get(f"/persons/{person_id}/history").json()
    assert next(e for e in full["items"] if e["action"] == "create")["changes"]["nik"] == [
        None, NIK]


# --- detail ---------------------------------------------------------------------------------


def test_detail_out_of_scope_is_404(users, make_person):
    other = make_person("32.04")
    response = as_user(users["kabmalang"]).get(f"/persons/{other.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    missing = as_user(users["kabmalang"]).get("/persons/99999999")
    assert missing.status_code == 404 and missing.json() == response.json()


def test_worker_sees_only_own_person(users, make_person):
    other = make_person("35.07")
    client = as_user(users["pekerja"])
    body = client.get("/persons").json()
    assert [p["name"] for p in body["items"]] == ["Siti Pekerja"]
    assert client.get(f"/persons/{other.pk}").status_code == 404


# --- create ---------------------------------------------------------------------------------


def test_create_writes_person_and_audit(users):
    response = as_user(users["kabmalang"]).post("/persons", _new(phone="0812"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["nik"] == NIK and body["region_code"] == "35.07"
    assert body["organisation"]["code"] == "DINSOS-35.07"
    assert body["category"] == "tksk" and body["employment_status"] == "non_asn"
    person = Person.objects.get(pk=body["id"])
    assert person.region_kab == "35.07" and person.phone == "0812"
    event = _events(person.pk, "create").get()
    assert event.channel == "api" and event.actor == users["kabmalang"]
    assert event.changes["name"] == [None, "Siti Aminah"]
    assert event.changes["nik"] == [None, NIK]
    assert event.request_id  # the request id middleware's


def test_create_national_staff_without_region(users):
    response = as_user(users["nasional"]).post("/persons", _new(organisation="KEMENSOS"))
    assert response.status_code == 201, response.content
    assert response.json()["region_code"] is None


def test_create_by_region_and_domicile_codes(users):
    data = _new(organisation=None, region="35.07", domicile_region="35.07.01")
    response = as_user(users["jatim"]).post("/persons", data)
    assert response.status_code == 201, response.content
    assert response.json()["region_code"] == "35.07"
    assert response.json()["domicile_region_code"] == "35.07.01"


def test_create_unknown_codes_name_the_fields(users):
    data = _new(category="no_such", employment_status="nope", organisation="NO-ORG",
                domicile_region="99.99")
    response = as_user(users["kabmalang"]).post("/persons", data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    fields = {e["field"]: e["code"] for e in body["errors"]}
    assert fields == {"category": "unknown_code", "employment_status": "unknown_code",
                      "organisation": "unknown_code", "domicile_region": "unknown_region"}
    assert "no_such" in body["message"]
    assert not Person.objects.filter(nik=NIK).exists()


def test_create_missing_and_malformed_fields(users):
    client = as_user(users["kabmalang"])
    data = _new()
    del data["name"]
    response = client.post("/persons", {**data, "birth_date": "17-05-1990"})
    assert response.status_code == 400
    errors = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert errors == {"name": "required", "birth_date": "invalid_date"}
    response = client.post("/persons", _new(sex="X"))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_sex"
    response = client.post("/persons", _new(email="bukan-surel"))
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "email"
    response = client.post("/persons", _new(unknown_field=1))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "unknown_field"


def test_nik_taken_is_409_naming_the_holder(users):
    client = as_user(users["nasional"])
    assert client.post("/persons", _new()).status_code == 201
    response = client.post("/persons", _new(name="Orang Lain"))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "nik_taken"
    assert "Siti Aminah" in body["message"]
    assert body["errors"][0]["field"] == "nik"
    assert Person.objects.filter(nik=NIK).count() == 1


def test_nik_taken_outside_scope_does_not_name_the_holder(users, make_person):
    other = make_person("32.04", name="Orang Bandung")
    client = as_user(users["kabmalang"])
    response = client.post("/persons", _new(nik=other.nik, sex=other.sex,
                                            birth_date=other.birth_date.isoformat()))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "nik_taken_elsewhere" and "Orang Bandung" not in body["message"]


def test_invalid_nik_is_400_with_identifier_code(users):
    bad = "3507013205900001"  # day 32: no such birth date (women are 41-71)
    response = as_user(users["nasional"]).post("/persons", _new(nik=bad))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "nik_invalid_birth_date"
    assert body["errors"][0] == {**body["errors"][0], "field": "nik",
                                 "code": "nik_invalid_birth_date"}
    assert body["message"]


def test_create_outside_scope_is_403(users):
    response = as_user(users["kabmalang"]).post("/persons", _new(organisation="DINSOS-35.78"))
    assert response.status_code == 403
    assert response.json()["code"] == "move_out_of_scope"
    assert not Person.objects.filter(nik=NIK).exists()


@pytest.mark.parametrize("role", ["viewer", "bbppks", "pekerja"])
def test_read_only_roles_cannot_write(users, role):
    client = as_user(users[role])
    response = client.post("/persons", _new())
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    own = users["pekerja"].person
    if role == "pekerja" or role == "viewer":
        assert client.patch(f"/persons/{own.pk}", {"phone": "1"}).status_code == 403
        assert client.delete(f"/persons/{own.pk}").status_code == 403
    assert Person.objects.filter(pk=own.pk, phone="").exists()


# --- update ---------------------------------------------------------------------------------


def test_update_records_before_and_after(users, make_person):
    person = make_person("35.07", phone="0811")
    client = as_user(users["kabmalang"])
    response = client.patch(f"/persons/{person.pk}", {"phone": "0812-3456", "category": "psm"})
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "0812-3456" and response.json()["category"] == "psm"
    event = _events(person.pk, "update").get()
    assert event.channel == "api"
    assert event.changes["phone"] == ["0811", "0812-3456"]
    assert "category" in event.changes and "name" not in event.changes
    # Null clears an optional field.
    response = client.patch(f"/persons/{person.pk}", {"category": None, "phone": None})
    assert response.json()["category"] is None and response.json()["phone"] == ""
    # Nothing changed: no event.
    client.patch(f"/persons/{person.pk}", {"name": person.name})
    assert _events(person.pk, "update").count() == 2


def test_update_moving_out_of_scope_is_403_and_leaves_person(users, make_person):
    person = make_person("35.07")
    response = as_user(users["kabmalang"]).patch(f"/persons/{person.pk}",
                                                 {"organisation": "DINSOS-35.73"})
    assert response.status_code == 403
    assert response.json()["code"] == "move_out_of_scope"
    person.refresh_from_db()
    assert person.region_id == "35.07"
    assert not _events(person.pk, "update").exists()
    # The province operator may move it within the province.
    response = as_user(users["jatim"]).patch(f"/persons/{person.pk}",
                                             {"organisation": "DINSOS-35.73"})
    assert response.status_code == 200 and response.json()["region_code"] == "35.73"


def test_update_to_taken_nik_is_409(users, make_person):
    first = make_person("35.07", name="Pemegang NIK")
    second = make_person("35.07")
    response = as_user(users["kabmalang"]).patch(f"/persons/{second.pk}", {"nik": first.nik})
    assert response.status_code == 409
    assert "Pemegang NIK" in response.json()["message"]


def test_update_out_of_scope_is_404(users, make_person):
    other = make_person("32.04", phone="1")
    response = as_user(users["kabmalang"]).patch(f"/persons/{other.pk}", {"phone": "2"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.phone == "1"


# --- delete ---------------------------------------------------------------------------------


def test_delete_writes_audit(users, make_person):
    person = make_person("35.07")
    client = as_user(users["kabmalang"])
    response = client.delete(f"/persons/{person.pk}")
    assert response.status_code == 204
    assert not Person.objects.filter(pk=person.pk).exists()
    event = _events(person.pk, "delete").get()
    assert event.channel == "api" and event.changes["nik"] == [person.nik, None]
    assert client.get(f"/persons/{person.pk}").status_code == 404
    assert client.delete(f"/persons/{person.pk}").status_code == 404


def test_delete_out_of_scope_is_404(users, make_person):
    other = make_person("32.04")
    assert as_user(users["kabmalang"]).delete(f"/persons/{other.pk}").status_code == 404
    assert Person.objects.filter(pk=other.pk).exists()


# --- history and sub-records ----------------------------------------------------------------


def test_history_lists_events_newest_first(users):
    client = as_user(users["kabmalang"])
    person_id = client.post("/persons", _new()).json()["id"]
    client.patch(f"/persons/{person_id}", {"phone": "0813"})
    body = client.get(f"/persons/{person_id}/history").json()
    assert body["count"] == 2
    assert [e["action"] for e in body["items"]] == ["update", "create"]
    update = body["items"][0]
    assert update["actor"] == "kabmalang" and update["channel"] == "api"
    assert update["changes"] == {"phone": ["", "0813"]}
    assert update["at"]


def test_education_add_and_list(users, make_person):
    person = make_person("35.07")
    client = as_user(users["kabmalang"])
    kesos = FieldOfStudy.objects.filter(is_kesos=True).first()
    response = client.post(f"/persons/{person.pk}/education",
                           {"level": "s1", "field_of_study": kesos.code,
                            "institution": "Poltekesos Bandung", "graduation_year": 2012})
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "s1" and response.json()["field_of_study"] == kesos.code
    detail = client.get(f"/persons/{person.pk}").json()
    assert detail["education_level"] == "s1" and detail["kesos_background"] is True
    listed = client.get(f"/persons/{person.pk}/education").json()
    assert listed["count"] == 1 and listed["items"][0]["institution"] == "Poltekesos Bandung"
    event = _events(person.pk, "education.add").get()
    assert event.channel == "api" and event.changes["education"][0] is None
    bad = client.post(f"/persons/{person.pk}/education", {"level": "s9"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "level"


def test_employment_add_closes_previous_and_lists(users, make_person):
    person = make_person("35.07")
    client = as_user(users["jatim"])
    response = client.post(f"/persons/{person.pk}/employment",
                           {"organisation": "UPT-PTKS-MALANG", "position": "Instruktur",
                            "category": "widyaiswara", "start_date": "2024-01-01"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"]["code"] == "UPT-PTKS-MALANG" and body["is_current"] is True
    listed = client.get(f"/persons/{person.pk}/employment").json()
    assert listed["count"] == 2
    previous = next(r for r in listed["items"] if r["id"] != body["id"])
    assert previous["end_date"] == "2023-12-31" and previous["is_current"] is False
    detail = client.get(f"/persons/{person.pk}").json()
    assert detail["position"] == "Instruktur" and detail["region_code"] == "35.73"
    assert _events(person.pk, "employment.add").get().channel == "api"


def test_employment_to_out_of_scope_organisation_is_403(users, make_person):
    person = make_person("35.07")
    response = as_user(users["kabmalang"]).post(
        f"/persons/{person.pk}/employment", {"organisation": "DINSOS-32.04"})
    assert response.status_code == 403
    assert response.json()["code"] == "move_out_of_scope"
    assert EmploymentRecord.objects.filter(person=person).count() == 1


def test_employment_end_before_start_is_400(users, make_person):
    person = make_person("35.07")
    org = Organisation.objects.get(code="DINSOS-35.07")
    response = as_user(users["kabmalang"]).post(
        f"/persons/{person.pk}/employment",
        {"organisation": org.pk, "start_date": "2024-02-01", "end_date": "2024-01-01"})
    assert response.status_code == 400
    assert response.json()["code"] == "end_before_start"
    assert response.json()["errors"][0]["field"] == "end_date"
