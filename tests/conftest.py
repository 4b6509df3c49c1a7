"""Shared fixtures: reference data loaded once per test database, users of every role, people."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from sdmkesos.core.choices import Role
from sdmkesos.core.identifiers import encode_nik, encode_nip
from sdmkesos.core.models import Organisation, User, WorkforceCategory
from sdmkesos.core.reference import setup_reference_data

PASSWORD = "rahasia-uji-123"

# Property tests run on a shared, sometimes loaded machine (CI, parallel workers): no per-example
# deadline, so a slow moment is never mistaken for a failure.
hypothesis_settings.register_profile("sdmkesos", deadline=None)
hypothesis_settings.load_profile("sdmkesos")


@pytest.fixture(scope="session", autouse=True)
def _fast_hashing() -> None:
    # Argon2 is the production hasher (tests/core/test_auth.py); tests use MD5 for speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.Argon2PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        setup_reference_data()


@pytest.fixture
def reference(transactional_db: Any) -> None:
    """For transactional tests (live server, browser): the flush between tests empties the
    database, so load the reference data again when it is missing."""
    if not Organisation.objects.filter(code="DINSOS-35.07").exists():
        setup_reference_data()


@pytest.fixture(autouse=True)
def _private_cache(settings: Any) -> Any:
    """Each test gets an empty in-memory cache (the file cache is shared between processes)."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "tests"}}
    cache.clear()


@pytest.fixture(autouse=True)
def _indonesian_after_each_test() -> Any:
    yield
    translation.activate(settings.LANGUAGE_CODE)


_seq = itertools.count(1)


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(username: str, role: str, *, regions: list[str] | tuple[str, ...] = (),
             organisation: str | None = None, scope_organisation: str | None = None) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD, role=role)
        if organisation:
            user.organisation = Organisation.objects.get(code=organisation)
        if scope_organisation:
            user.scope_organisation = Organisation.objects.get(code=scope_organisation)
        user.save()
        if regions:
            user.scope_regions.set(regions)
        return user

    return make


@pytest.fixture
def make_person(db: Any) -> Callable[..., Any]:
    """A person managed by the Dinas Sosial of ``region`` (or by ``organisation``), with a valid
    NIK (and NIP if ``civil_servant``). Created directly: fixtures are not the subject here."""
    from sdmkesos.people.actions import refresh_current
    from sdmkesos.people.models import EmploymentRecord, Person

    def make(region: str = "35.07", *, organisation: str | None = None, name: str | None = None,
             sex: str = "P", birth_date: dt.date = dt.date(1985, 3, 14),
             civil_servant: bool = False, category: str = "pekerja_sosial",
             **fields: Any) -> Person:
        n = next(_seq)
        org = Organisation.objects.get(code=organisation or f"DINSOS-{region}")
        nik_region = region if region.count(".") >= 1 else f"{region}.01"
        nik = encode_nik(nik_region[:2], nik_region[:5], "01", birth_date, sex, n % 9999 + 1)
        person = Person(nik=nik, name=name or f"Pekerja Uji {n}", sex=sex, birth_date=birth_date,
                        birth_place="Malang", **fields)
        if civil_servant:
            person.nip = encode_nip(birth_date, dt.date(2010, 3, 1), sex, n % 999 + 1)
        person.save()
        EmploymentRecord.objects.create(
            person=person, organisation=org, position="Staf",
            category=WorkforceCategory.objects.get(code=category),
            start_date=dt.date(2015, 1, 1))
        refresh_current(person)
        return person

    return make


@pytest.fixture
def users(make_user: Callable[..., User], make_person: Callable[..., Any]) -> dict[str, User]:
    """One user of every role (the demo's), plus out-of-scope peers."""
    worker_person = make_person("35.07", name="Siti Pekerja")
    worker = make_user("pekerja", Role.WORKER)
    worker_person.user = worker
    worker_person.save(update_fields=["user"])
    return {
        "nasional": make_user("nasional", Role.NATIONAL_ADMIN, organisation="KEMENSOS"),
        "jatim": make_user("jatim", Role.PROVINCE_OPERATOR, regions=["35"],
                           organisation="DINSOS-35"),
        "kabmalang": make_user("kabmalang", Role.DISTRICT_OPERATOR, regions=["35.07"],
                               organisation="DINSOS-35.07"),
        "bbppks": make_user("bbppks-padang", Role.BBPPKS,
                            regions=["11", "12", "13", "14", "15", "16", "17", "21"],
                            organisation="BBPPKS-1", scope_organisation="BBPPKS-1"),
        "viewer": make_user("pembaca-jatim", Role.VIEWER, regions=["35"]),
        "pekerja": worker,
        "jabar": make_user("jabar", Role.PROVINCE_OPERATOR, regions=["32"],
                           organisation="DINSOS-32"),
        "kabbandung": make_user("kabbandung", Role.DISTRICT_OPERATOR, regions=["32.04"],
                                organisation="DINSOS-32.04"),
    }


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                               "QUEUES": ["default"]}}


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Run background tasks inside the call that enqueues them (instead of the database queue
    that `sdmkesos db_worker` drains)."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def make_pair(make_person: Callable[..., Any]) -> Callable[..., Any]:
    """dedup: two people (in ``region`` / ``other_region``) proposed as a candidate pair through
    the action the linkage run uses."""

    def make(region: str = "35.07", other_region: str | None = None, *,
             probability: float = 0.97, name: str = "Siti Aminah") -> Any:
        from sdmkesos.dedup.actions import do_record_pairs
        from sdmkesos.dedup.linkage import Pair
        from sdmkesos.dedup.models import CandidatePair

        left = make_person(region, name=name)
        right = make_person(other_region or region, name=f"Hj. {name}, S.Sos")
        do_record_pairs(actor=None, channel="system",
                        pairs=[Pair(str(left.pk), str(right.pk), probability)])
        return CandidatePair.objects.get(left_pid=min(left.pk, right.pk),
                                         right_pid=max(left.pk, right.pk))

    return make


@pytest.fixture(scope="session")
def competency_dictionary(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The competency dictionary (competency.reference), loaded once per test database."""
    from sdmkesos.competency.reference import load_competency_dictionary

    with django_db_blocker.unblock():
        load_competency_dictionary()
