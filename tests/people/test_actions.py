"""The write path: actions validate, check scope before and after, and audit every change."""

from __future__ import annotations

import datetime as dt

import pytest

from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.identifiers import encode_nik
from sdmkesos.core.models import (
    AuditEvent,
    EducationLevel,
    FieldOfStudy,
    Organisation,
    WorkforceCategory,
)
from sdmkesos.people import actions
from sdmkesos.people.models import Person


def _data(region: str = "35.07", **extra):
    org = Organisation.objects.get(code=f"DINSOS-{region}")
    return {"nik": encode_nik("35", "07", "01", dt.date(1990, 5, 17), "P", 12),
            "name": "Siti Aminah", "sex": "P", "birth_date": dt.date(1990, 5, 17),
            "birth_place": "Malang", "organisation": org, **extra}


def test_create_writes_person_and_audit(users):
    person = actions.do_create_person(actor=users["kabmalang"], channel="web", data=_data())
    assert person.region_id == "35.07" and person.region_prov == "35"
    assert person.region_kab == "35.07"
    event = AuditEvent.objects.get(object_type="people.person", object_id=str(person.pk))
    assert event.action == "create" and event.channel == "web"
    assert event.actor == users["kabmalang"]
    assert event.changes["name"] == [None, "Siti Aminah"]


def test_create_outside_scope_is_refused_and_leaves_nothing(users):
    with pytest.raises(DomainError) as err:
        actions.do_create_person(actor=users["kabmalang"], channel="web",
                                 data=_data("35.78"))
    assert err.value.code == "move_out_of_scope"
    assert not Person.objects.filter(name="Siti Aminah").exists()
    assert not AuditEvent.objects.filter(object_type="people.person", action="create").exists()


def test_read_only_roles_cannot_create(users):
    for role in ("viewer", "bbppks", "pekerja"):
        with pytest.raises(DomainError) as err:
            actions.do_create_person(actor=users[role], channel="web", data=_data())
        assert err.value.code == "forbidden"


def test_duplicate_nik_names_the_holder(users):
    actions.do_create_person(actor=users["nasional"], channel="api", data=_data())
    with pytest.raises(ValidationFailed) as err:
        actions.do_create_person(actor=users["nasional"], channel="api",
                                 data=_data(name="Orang Lain"))
    codes = {e.code: e for e in err.value.errors}
    assert "nik_taken" in codes
    assert "Siti Aminah" in codes["nik_taken"].message


def test_invalid_nik_is_refused_with_identifier_code(users):
    data = _data()
    data["nik"] = "3507015517900012"  # day 55 - 40 = 15 is fine for women; use month 17 instead
    data["nik"] = "3507015717900012"
    with pytest.raises(ValidationFailed) as err:
        actions.do_create_person(actor=users["nasional"], channel="api", data=data)
    assert err.value.errors[0].field == "nik"
    assert err.value.errors[0].code.startswith("nik_")


def test_update_records_before_and_after(users, make_person):
    person = make_person("35.07", phone="0811")
    changes = actions.do_update_person(actor=users["jatim"], channel="web", person=person,
                                       data={"phone": "0812-3456"})
    assert changes == {"phone": ["0811", "0812-3456"]}
    event = AuditEvent.objects.filter(object_id=str(person.pk), action="update").get()
    assert event.changes == {"phone": ["0811", "0812-3456"]}
    # An update that changes nothing writes nothing.
    assert actions.do_update_person(actor=users["jatim"], channel="web", person=person,
                                    data={"phone": "0812-3456"}) == {}
    assert AuditEvent.objects.filter(object_id=str(person.pk), action="update").count() == 1


def test_moving_out_of_scope_is_refused_and_rolled_back(users, make_person):
    person = make_person("35.07")
    other = Organisation.objects.get(code="DINSOS-35.78")
    with pytest.raises(DomainError) as err:
        actions.do_update_person(actor=users["kabmalang"], channel="web", person=person,
                                 data={"organisation": other})
    assert err.value.code == "move_out_of_scope"
    person.refresh_from_db()
    assert person.region_id == "35.07"
    # The province operator may move it within the province.
    actions.do_update_person(actor=users["jatim"], channel="web", person=person,
                             data={"organisation": other})
    person.refresh_from_db()
    assert person.region_id == "35.78" and person.region_kab == "35.78"


def test_out_of_scope_update_is_refused(users, make_person):
    person = make_person("32.04")
    with pytest.raises(DomainError) as err:
        actions.do_update_person(actor=users["kabmalang"], channel="web", person=person,
                                 data={"phone": "1"})
    assert err.value.code == "out_of_scope"


def test_employment_moves_current_assignment_and_closes_previous(users, make_person):
    person = make_person("35.07")
    upt = Organisation.objects.get(code="UPT-PTKS-MALANG")  # under Dinsos Jatim, in Kota Malang
    actions.do_add_employment(
        actor=users["jatim"], channel="web", person=person,
        data={"organisation": upt, "position": "Instruktur",
              "category": WorkforceCategory.objects.get(code="widyaiswara"),
              "start_date": dt.date(2024, 1, 1)})
    person.refresh_from_db()
    assert person.organisation == upt and person.position == "Instruktur"
    assert person.region_id == "35.73"
    jobs = list(person.employment.order_by("start_date"))
    assert jobs[0].end_date == dt.date(2023, 12, 31) and jobs[1].end_date is None
    assert AuditEvent.objects.filter(object_id=str(person.pk), action="employment.add").exists()


def test_education_sets_highest_level_and_kesos_flag(users, make_person):
    person = make_person("35.07")
    assert not person.kesos_background
    actions.do_add_education(actor=users["kabmalang"], channel="web", person=person,
                             data={"level": EducationLevel.objects.get(code="sma")})
    record = actions.do_add_education(
        actor=users["kabmalang"], channel="web", person=person,
        data={"level": EducationLevel.objects.get(code="d4"),
              "field": FieldOfStudy.objects.get(code="pekerjaan_sosial"),
              "institution": "Poltekesos Bandung", "graduation_year": 2012})
    person.refresh_from_db()
    assert person.education_level.code == "d4" and person.kesos_background
    actions.do_delete_education(actor=users["kabmalang"], channel="web", record=record)
    person.refresh_from_db()
    assert person.education_level.code == "sma" and not person.kesos_background


def test_delete_is_audited(users, make_person):
    person = make_person("35.07")
    pk = person.pk
    actions.do_delete_person(actor=users["kabmalang"], channel="web", person=person)
    assert not Person.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(object_id=str(pk), action="delete")
    assert event.changes["nik"][1] is None


def test_audit_events_are_append_only(users, make_person):
    person = make_person("35.07")
    actions.do_update_person(actor=users["jatim"], channel="web", person=person,
                             data={"phone": "1"})
    event = AuditEvent.objects.filter(action="update").first()
    with pytest.raises(RuntimeError):
        event.save()
