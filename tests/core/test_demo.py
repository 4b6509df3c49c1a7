"""`sdmkesos demo`: deterministic, valid, realistic synthetic workers and the demo users."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from sdmkesos.core.identifiers import validate_nik, validate_nip
from sdmkesos.core.models import AuditEvent, Organisation, User
from sdmkesos.people.actions import refresh_current
from sdmkesos.people.demo import (
    DEMO_PASSWORD,
    Catalogue,
    catalogue_from_database,
    demo_people,
    generate,
    quotas,
)
from sdmkesos.people.models import Person

TODAY = dt.date(2025, 6, 1)
VOLUNTEERS = {"psm", "tagana", "trc", "karang_taruna", "relawan_sosial", "tksk"}
ASN_AND_JF = {"asn_dinsos", "asn_kemensos", "pekerja_sosial", "penyuluh_sosial", "widyaiswara",
              "dosen"}


@pytest.fixture(scope="module")
def catalogue(django_db_setup: Any, django_db_blocker: Any) -> Catalogue:
    # Tests without a database mark run last (pytest-django's order), possibly after a
    # transactional test in the same xdist worker flushed the reference data: reload it then.
    from sdmkesos.core.reference import setup_reference_data

    with django_db_blocker.unblock():
        if not Organisation.objects.filter(code="DINSOS-35.07").exists():
            setup_reference_data()
        return catalogue_from_database()


def code_of(org: Organisation | None) -> str | None:
    return org.code if org is not None else None


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def test_same_seed_same_people_other_seed_other_people(catalogue: Catalogue) -> None:
    first = list(generate(catalogue, 300, seed=11, today=TODAY))
    again = list(generate(catalogue, 300, seed=11, today=TODAY))
    other = list(generate(catalogue, 300, seed=12, today=TODAY))
    assert [(p.nik, p.name, p.nip, p.organisation) for p in first] == [
        (p.nik, p.name, p.nip, p.organisation) for p in again]
    assert [p.nik for p in first] != [p.nik for p in other]


def test_identifiers_are_valid_unique_and_consistent(catalogue: Catalogue) -> None:
    people = list(generate(catalogue, 1500, seed=3, today=TODAY))
    assert len({p.nik for p in people}) == len(people)
    nips = [p.nip for p in people if p.nip]
    assert len(set(nips)) == len(nips) > 50
    for p in people:
        nik = validate_nik(p.nik, sex=p.sex, birth_date=p.birth_date, today=TODAY)
        assert nik.valid and not nik.issues, (p.nik, nik.codes)
        assert nik.sex == p.sex and nik.birth_date == p.birth_date
        assert p.domicile_region and p.nik[:6] == p.domicile_region.replace(".", "")
        age = (TODAY - p.birth_date).days / 365.2425
        assert 20 <= age < 65
        if p.employment_status == "pns":
            assert p.nip, p
        if p.nip:
            nip = validate_nip(p.nip, sex=p.sex, birth_date=p.birth_date, today=TODAY)
            assert nip.valid and not nip.issues, (p.nip, nip.codes)
            assert nip.tmt_cpns is not None
            assert (nip.tmt_cpns.year - p.birth_date.year) * 12 + (
                nip.tmt_cpns.month - p.birth_date.month) > 18 * 12


def test_mix_of_categories_statuses_and_backgrounds(catalogue: Catalogue) -> None:
    people = list(generate(catalogue, 3000, seed=5, today=TODAY))
    categories = Counter(p.category for p in people)
    volunteers = sum(categories[c] for c in VOLUNTEERS) + categories["pendamping_pkh"]
    asn = sum(categories[c] for c in ASN_AND_JF)
    assert volunteers > len(people) / 2 > asn > len(people) / 20
    for p in people:
        if p.category in ASN_AND_JF:
            assert p.employment_status in {"pns", "pppk"}
        elif p.category in VOLUNTEERS:
            assert p.employment_status == "relawan"
        elif p.category == "pendamping_pkh":
            assert p.employment_status == "non_asn"
    share = sum(p.kesos_background for p in people) / len(people)
    assert 0.22 <= share <= 0.38
    by_province: dict[str, list[bool]] = {}
    for p in people:
        by_province.setdefault(p.region_prov, []).append(p.kesos_background)
    shares = {k: sum(v) / len(v) for k, v in by_province.items() if len(v) >= 100}
    assert max(shares.values()) - min(shares.values()) > 0.02  # varies by province
    assert any(p.name.startswith(("Drs.", "Dra.", "H. ", "Hj. ")) for p in people)
    assert any(", S.Sos." in p.name for p in people)


def test_every_province_has_people(catalogue: Catalogue) -> None:
    people = list(generate(catalogue, 600, seed=2025, today=TODAY))
    provinces = Counter(p.region_prov for p in people if p.region_prov)
    assert set(provinces) == set(catalogue.provinces)
    assert provinces["35"] > provinces["32"] / 2 and provinces["32"] > provinces["65"]
    assert any(p.region_kab == "35.07" for p in people)
    assert any(p.region is None for p in people)  # staff of national bodies


def test_quotas_split_exactly_with_minimum() -> None:
    # two each first, the rest (4) by weight, remainders to the largest fractions
    assert quotas(10, {"a": 1, "b": 1, "c": 8}, minimum=2) == {"a": 3, "b": 2, "c": 5}
    assert quotas(2, {"a": 1, "b": 1, "c": 8}, minimum=2) == {"a": 0, "b": 0, "c": 2}
    assert sum(quotas(999, {"a": 1.5, "b": 2.5, "c": 3}).values()) == 999


@pytest.mark.django_db
def test_demo_command_seeds_users_and_is_idempotent() -> None:
    out = run_demo("--persons", "300", "--seed", "9")
    assert "sdmkesos-demo" in out and "Open http://127.0.0.1:8000" in out
    assert demo_people().count() == 300
    assert AuditEvent.objects.filter(action="demo.seed").count() == 1
    niks = sorted(demo_people().values_list("nik", flat=True))

    users = {u.username: u for u in User.objects.filter(
        username__in=["nasional", "jatim", "kabmalang", "bbppks-padang", "pekerja"])}
    assert {u: users[u].role for u in users} == {
        "nasional": "national_admin", "jatim": "province_operator",
        "kabmalang": "district_operator", "bbppks-padang": "bbppks", "pekerja": "worker"}
    assert code_of(users["nasional"].organisation) == "KEMENSOS"
    assert list(users["jatim"].scope_regions.values_list("code", flat=True)) == ["35"]
    assert code_of(users["jatim"].organisation) == "DINSOS-35"
    assert list(users["kabmalang"].scope_regions.values_list("code", flat=True)) == ["35.07"]
    assert code_of(users["kabmalang"].organisation) == "DINSOS-35.07"
    assert set(users["bbppks-padang"].scope_regions.values_list("code", flat=True)) == set(
        Organisation.objects.get(code="BBPPKS-1").service_regions.values_list("code", flat=True)
    ) == {"11", "12", "13", "14", "15", "16", "17", "21"}
    assert code_of(users["bbppks-padang"].scope_organisation) == "BBPPKS-1"
    assert users["nasional"].check_password(DEMO_PASSWORD)
    worker_person = Person.objects.get(user=users["pekerja"])
    assert worker_person.region_kab == "35.07"

    visible = {name: Person.objects.restrict(user).count() for name, user in users.items()}
    assert visible["nasional"] == 300
    assert 0 < visible["kabmalang"] < visible["jatim"] < 300
    assert 0 < visible["bbppks-padang"] < 300
    assert visible["pekerja"] == 1

    out = run_demo("--persons", "300", "--seed", "9")
    assert "already exist" in out
    assert demo_people().count() == 300
    assert User.objects.filter(username__in=users).count() == 5
    assert AuditEvent.objects.filter(action="demo.seed").count() == 1

    run_demo("--persons", "300", "--seed", "9", "--reset")
    assert sorted(demo_people().values_list("nik", flat=True)) == niks
    assert Person.objects.filter(user__username="pekerja").count() == 1


@pytest.mark.django_db
def test_denormalised_fields_are_what_refresh_current_derives() -> None:
    run_demo("--persons", "300", "--seed", "4")
    people = list(demo_people().select_related("organisation"))
    assert len(people) == 300
    for person in people:
        assert refresh_current(person) == {}, person.nik
        assert person.employment.filter(end_date__isnull=True).count() == 1
        assert person.education.exists()
