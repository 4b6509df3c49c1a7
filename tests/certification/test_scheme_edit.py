"""Editing a scheme (administrators): units, eligibility, validity; the unit-line parser
(property-tested); who may edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from sdmkesos.certification import actions
from sdmkesos.certification.models import Certificate, Scheme
from sdmkesos.certification.schemes import UnitLineError, format_units, parse_units
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import AuditEvent

CODE = st.text(st.characters(whitelist_categories=("Lu", "Nd"), whitelist_characters=".-_"),
               min_size=1, max_size=30)
TITLE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                              blacklist_characters="|\x85"), min_size=1, max_size=200).map(
    lambda t: " ".join(t.split())).filter(bool)


@given(st.lists(st.tuples(CODE, TITLE), max_size=12, unique_by=lambda u: u[0].casefold()))
def test_units_round_trip(units: list[tuple[str, str]]) -> None:
    assert parse_units(format_units(units)) == units


@given(CODE, TITLE, TITLE)
def test_duplicate_codes_refused(code: str, first: str, second: str) -> None:
    with pytest.raises(UnitLineError) as exc:
        parse_units(f"{code} | {first}\n\n{code.lower()} | {second}")
    assert exc.value.line == 3


@pytest.mark.parametrize("line", ["PSG.01", "PSG 01 | Judul", "| Judul", "PSG.01 |",
                                  "X" * 31 + " | Judul", "A | " + "j" * 201])
def test_bad_lines_refused(line: str) -> None:
    with pytest.raises(UnitLineError):
        parse_units(line)


def edit(actor: Any, scheme: Scheme, **changes: Any) -> Scheme:
    data: dict[str, Any] = {
        "name": scheme.name, "category_code": scheme.category_code,
        "validity_years": scheme.validity_years, "eligibility": dict(scheme.eligibility),
        "units": [(u.code, u.title) for u in scheme.units.all()],
        "needs_confirmation": scheme.needs_confirmation, "is_active": scheme.is_active}
    data.update(changes)
    return actions.do_update_scheme(actor=actor, channel="web", scheme=scheme, **data)


@pytest.mark.django_db
def test_admin_edits_units_eligibility_and_validity(admin: Any) -> None:
    scheme = Scheme.objects.get(code="APS")
    rules = {**scheme.eligibility, "min_practice_hours": 750}
    edit(admin, scheme, validity_years=4, eligibility=rules, needs_confirmation=False,
         units=[("APS.01", "Menerapkan kode etik"), ("APS.05", "Unit baru")])
    scheme.refresh_from_db()
    assert scheme.validity_years == 4 and scheme.eligibility["min_practice_hours"] == 750
    assert [(u.code, u.title) for u in scheme.units.all()] == [
        ("APS.01", "Menerapkan kode etik"), ("APS.05", "Unit baru")]
    event = AuditEvent.objects.get(action="scheme.update")
    assert set(event.changes) >= {"validity_years", "eligibility", "units",
                                  "needs_confirmation"}


@pytest.mark.django_db
def test_refusals(admin: Any, users: dict[str, Any]) -> None:
    scheme = Scheme.objects.get(code="APS")
    with pytest.raises(DomainError) as exc:
        edit(users["jatim"], scheme, validity_years=4)
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError):
        edit(admin, scheme, validity_years=0)
    with pytest.raises(DomainError):
        edit(admin, scheme, units=[])
    with pytest.raises(DomainError):
        edit(admin, scheme, eligibility={"umur": 30})


@pytest.mark.django_db
def test_assessed_unit_cannot_be_removed(admin: Any,
                                         certify: Callable[..., Certificate]) -> None:
    cert = certify()
    scheme = cert.scheme
    units = [(u.code, u.title) for u in scheme.units.all()]
    with pytest.raises(DomainError) as exc:
        edit(admin, scheme, units=units[1:])
    assert exc.value.code == "unit_in_use"
    edit(admin, scheme, units=[(units[0][0], "Judul baru"), *units[1:]])  # renaming is fine
    assert scheme.units.get(code=units[0][0]).title == "Judul baru"
    cert.refresh_from_db()  # the issued credential is untouched
    assert cert.credential["credentialSubject"]["certificate"]["units"][0]["title"] == units[0][1]


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_pages_and_permissions(admin: Any, users: dict[str, Any]) -> None:
    listing = web(users["jatim"]).get("/sertifikasi/skema/")
    assert listing.status_code == 200 and "PSG.01" in listing.content.decode()
    assert "/sertifikasi/skema/PSG/ubah/" not in listing.content.decode()
    assert "/sertifikasi/skema/PSG/ubah/" in web(admin).get("/sertifikasi/skema/").content.decode()
    assert web(users["jatim"]).get("/sertifikasi/skema/PSG/ubah/").status_code == 403
    assert web(users["jatim"]).post("/sertifikasi/skema/PSG/ubah/", {}).status_code == 403
    assert web(users["viewer"]).get("/sertifikasi/skema/PSG/ubah/").status_code == 403
    assert Client().get("/sertifikasi/skema/PSG/ubah/").status_code == 302
    assert Client().get("/sertifikasi/skema/").status_code == 302
    page = web(admin).get("/sertifikasi/skema/PSG/ubah/")
    assert page.status_code == 200 and "PSG.01 | " in page.content.decode()
    form = {"name": "Pekerja Sosial Generalis", "category_code": "pekerja_sosial",
            "validity_years": "5", "min_education": "d4",
            "fields_of_study": "pekerjaan_sosial, kesejahteraan_sosial",
            "min_practice_hours": "1200", "required_training": "Diklat Dasar Peksos",
            "membership_required": "on", "units": "PSG.01 | Kode etik\nPSG.02 | Asesmen",
            "is_active": "on"}
    assert web(admin).post("/sertifikasi/skema/PSG/ubah/", form).status_code == 302
    scheme = Scheme.objects.get(code="PSG")
    assert scheme.validity_years == 5 and scheme.units.count() == 2
    assert scheme.eligibility == {"min_education": "d4",
                                  "fields": ["pekerjaan_sosial", "kesejahteraan_sosial"],
                                  "min_practice_hours": 1200,
                                  "required_training": ["Diklat Dasar Peksos"],
                                  "membership_required": True}
    bad = web(admin).post("/sertifikasi/skema/PSG/ubah/",
                          {**form, "units": "PSG 01 | x", "fields_of_study": "astrologi"})
    assert bad.status_code == 400
    assert "astrologi" in bad.content.decode() and "Baris 1" in bad.content.decode()
