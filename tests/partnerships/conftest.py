"""Fixtures for the partnership tests: an agreement between Kemensos and a province, a meeting
with a resolution and an action item owned by a district's Dinas Sosial."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sdmkesos.core.models import Organisation, User
from sdmkesos.partnerships import actions


@pytest.fixture
def admin(users: dict[str, User]) -> User:
    return users["nasional"]


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


@pytest.fixture
def make_agreement(users: dict[str, User]) -> Any:
    def make(region: str = "35", *, kind: str = "mou", number: str | None = None,
             actor: User | None = None, **data: Any) -> Any:
        actor = actor or users["nasional"]
        number = number or f"NK-{region}-{kind}-{make.n}"
        make.n += 1
        return actions.do_create_agreement(
            actor=actor, channel="web",
            data={"kind": kind, "number": number, "title": f"Kerja sama {region}",
                  "scopes": ["education"], **data},
            parties=[{"organisation": org("KEMENSOS"), "signatory_name": "Menteri Sosial",
                      "signatory_position": "Menteri Sosial"},
                     {"organisation": org(f"DINSOS-{region}"),
                      "signatory_name": "Gubernur", "signatory_position": "Gubernur"}])

    make.n = 1  # type: ignore[attr-defined]
    return make


@pytest.fixture
def make_meeting(users: dict[str, User]) -> Any:
    def make(owner_region: str = "35.07", *, organiser: str = "BBPPKS-1",
             start: dt.date = dt.date(2018, 4, 10), due: dt.date | None = dt.date(2018, 12, 31),
             ) -> Any:
        admin = users["nasional"]
        meeting = actions.do_create_meeting(
            actor=admin, channel="web",
            data={"title": f"Rakor {start.year}", "organiser": org(organiser),
                  "start_date": start, "end_date": start + dt.timedelta(days=3),
                  "kind": "rakorbang"})
        res = actions.do_add_resolution(actor=admin, channel="web", meeting=meeting,
                                        text="Dinas sosial memberi kesempatan studi lanjut.")
        item = actions.do_create_action(
            actor=admin, channel="web", resolution=res,
            data={"title": "Usulkan pegawai untuk studi lanjut", "due_date": due},
            owners=[org(f"DINSOS-{owner_region}")])
        return meeting, res, item

    return make


# --- records of the training and certification apps, created directly (they are fixtures here:
# the subject is how an agreement counts them, not how those apps create them) ---------------

_seq = iter(range(1, 100000))


def make_batch(org_code: str = "UPT-PTKS-MALANG", *, start: dt.date = dt.date(2024, 7, 1),
               cost: int = 1_000_000, people: list[Any] = (), status: str = "lulus") -> Any:
    """A finished batch whose ``people`` have nomination ``status`` (lulus = completed)."""
    from sdmkesos.training.models import Batch, Nomination, Programme

    n = next(_seq)
    prog = Programme(code=f"PRG-{n}", name=f"Program {n}", type="teknis", jp=40,
                     cost_per_participant=cost)
    prog.set_managing(org(org_code))
    prog.save()
    batch = Batch(programme=prog, number=1, name=f"Angkatan Uji {n}", start_date=start,
                  end_date=start + dt.timedelta(days=4), capacity=30, status="selesai")
    batch.set_managing(org(org_code))
    batch.save()
    for person in people:
        Nomination.objects.create(batch=batch, person=person, status=status)
    return batch


def make_scheme(org_code: str = "POLTEKESOS", *, year: int = 2024,
                scholars: dict[Any, str] | None = None) -> Any:
    from sdmkesos.training.models import Scholar, ScholarshipScheme

    n = next(_seq)
    scheme = ScholarshipScheme(name=f"Beasiswa D4 {n}", degree="d4",
                               institution=org("POLTEKESOS"), study_programme="Pekerjaan Sosial",
                               sponsor="Pemprov", funding_source="apbd", intake_year=year,
                               quota=10)
    scheme.set_managing(org(org_code))
    scheme.save()
    for person, status in (scholars or {}).items():
        Scholar.objects.create(scheme=scheme, person=person, status=status)
    return scheme


def make_placement(region: str = "35.07", *, status: str = "selesai",
                   start: dt.date = dt.date(2024, 3, 1)) -> Any:
    from sdmkesos.core.models import region_parts
    from sdmkesos.training.models import FieldPlacement

    row = FieldPlacement(student_name=f"Mahasiswa {next(_seq)}", institution=org("POLTEKESOS"),
                         host=org(f"DINSOS-{region}"), region_id=region, start_date=start,
                         end_date=start + dt.timedelta(days=60), status=status)
    row.region_prov, row.region_kab = region_parts(region)
    row.save()
    return row


def make_event(region: str = "35.07", *, certified: list[Any] = (), fee: int = 500_000,
               date: dt.date = dt.date(2024, 5, 20)) -> Any:
    """An assessment event with one application per person in ``certified``, each with a
    certificate."""
    from sdmkesos.certification.models import (
        Application,
        AssessmentEvent,
        Certificate,
        IssuerKey,
        Scheme,
    )

    scheme = Scheme.objects.get(code="PSG")
    event = AssessmentEvent(scheme=scheme, title=f"Uji kompetensi {next(_seq)}", date=date,
                            place="TUK Malang", organisation=org(f"DINSOS-{region}"))
    event.set_region(region)
    event.save()
    key, _ = IssuerKey.objects.get_or_create(kid="uji-kunci",
                                             defaults={"public_key_multibase": "z-uji"})
    for person in certified:
        n = next(_seq)
        app = Application(person=person, scheme=scheme, fee=fee, event=event, status="decided",
                          organisation=event.organisation)
        app.set_region(region)
        app.save()
        cert = Certificate(public_id=f"P{n:08d}", number=f"SERT-{n}", person=person,
                           scheme=scheme, application=app, valid_from=date,
                           valid_until=date + dt.timedelta(days=365 * 3), status_index=n,
                           key=key, credential={}, organisation=event.organisation)
        cert.set_region(region)
        cert.save()
    return event
