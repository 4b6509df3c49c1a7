"""Fixtures of the certification tests: a signing key in a temporary directory, people who
meet a scheme's rules, assessors from other offices, and a helper running the whole flow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sdmkesos.certification import actions
from sdmkesos.certification.models import Application, Assessor, Certificate, Scheme
from sdmkesos.core.models import EducationLevel, FieldOfStudy, Organisation
from sdmkesos.people.models import EducationRecord, Person

PUBLIC_URL = "https://sertifikat.sdmkesos.test"
DID = "did:web:sertifikat.sdmkesos.test"


@pytest.fixture
def signing(settings: Any, tmp_path: Path, db: Any) -> Path:
    settings.SDMKESOS_SIGNING_KEY_DIR = str(tmp_path / "keys")
    settings.SDMKESOS_PUBLIC_URL = PUBLIC_URL
    settings.MEDIA_ROOT = tmp_path / "media"
    actions.do_init_key(actor=None, channel="cli")
    return tmp_path / "keys"


def qualify(person: Person, level: str = "d4", field: str = "pekerjaan_sosial") -> Person:
    EducationRecord.objects.create(person=person, level=EducationLevel.objects.get(code=level),
                                   field=FieldOfStudy.objects.get(code=field),
                                   institution="Poltekesos Bandung", graduation_year=2010)
    return person


@pytest.fixture
def psg() -> Scheme:
    return Scheme.objects.get(code="PSG")


@pytest.fixture
def make_assessor(make_person: Callable[..., Person], psg: Scheme) -> Callable[..., Assessor]:
    counter = iter(range(1, 1000))

    def make(region: str = "35.07", organisation: str | None = "DINSOS-35.73", *,
             user: Any = None, schemes: list[Scheme] | None = None) -> Assessor:
        person = make_person(region, organisation=organisation)
        return actions.do_create_assessor(
            actor=None if False else _admin(), channel="web", person=person,
            registration_number=f"MET.000.{next(counter):05d}.2025", schemes=schemes or [psg],
            active_from=dt.date(2025, 1, 1), active_until=dt.date(2030, 12, 31), user=user)

    return make


def _admin() -> Any:
    from sdmkesos.core.choices import Role
    from sdmkesos.core.models import User

    user, _ = User.objects.get_or_create(username="lsp-admin", defaults={
        "role": Role.NATIONAL_ADMIN})
    return user


@pytest.fixture
def admin() -> Any:
    return _admin()


@pytest.fixture
def certify(make_person: Callable[..., Person], make_assessor: Callable[..., Assessor],
            make_user: Callable[..., Any], psg: Scheme,
            signing: Path) -> Callable[..., Certificate]:
    """Run the whole flow for a new person in ``region`` and return the certificate."""

    def run(region: str = "35.07", person: Person | None = None) -> Certificate:
        admin = _admin()
        person = person or qualify(make_person(region))
        assessor_user = make_user(f"asesor{Person.objects.count()}", "province_operator",
                                  regions=[region[:2]])
        assessor = make_assessor(region, organisation="DINSOS-35.73", user=assessor_user)
        app = actions.do_submit_application(actor=admin, channel="web", person=person,
                                            scheme=psg, practice_hours=1500, is_member=True)
        event = actions.do_create_event(
            actor=admin, channel="web", scheme=psg, title="Uji PSG", date=dt.date(2026, 3, 2),
            place="UPT Malang", organisation=Organisation.objects.get(code=f"DINSOS-{region}"))
        actions.do_assign_assessor(actor=admin, channel="web", event=event, assessor=assessor)
        actions.do_add_candidate(actor=admin, channel="web", event=event, application=app)
        for unit in psg.units.all():
            actions.do_record_result(actor=assessor_user, channel="web", application=app,
                                     unit=unit, method="portfolio", verdict="K",
                                     assessor=assessor)
        actions.do_recommend(actor=assessor_user, channel="web", application=app, verdict="K")
        _app, cert = actions.do_decide(actor=admin, channel="web",
                                       application=Application.objects.get(pk=app.pk),
                                       verdict="K")
        assert cert is not None
        return cert

    return run


@pytest.fixture(autouse=True)
def _fresh_verification_state() -> Any:
    """Each test starts with empty per-process verification caches and rate counters."""
    from sdmkesos.certification import issuing, middleware, ratelimit, verification

    middleware.reset()
    verification.clear()
    ratelimit.reset()
    issuing._snapshot.invalidate()
    yield
    verification.clear()
    ratelimit.reset()
    issuing._snapshot.invalidate()
