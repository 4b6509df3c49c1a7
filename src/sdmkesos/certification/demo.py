"""Demo certificates for ``sdmkesos demo`` (to be called by the lead's demo command):
``seed_certificates`` issues real, verifiable certificates to some demo workers (a few
suspended, revoked or expiring soon); ``delete_for_people`` removes the certification rows of
people about to be deleted (``demo --reset``), since certificates protect their person."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from sdmkesos.people.models import Person

from . import actions, issuing
from .models import (
    Application,
    Assessor,
    Certificate,
    Evidence,
    ProfessionalRegistration,
    Scheme,
    UnitResult,
)

SCHEME_BY_CATEGORY = {"pekerja_sosial": "PSG", "sakti_peksos": "PSG", "penyuluh_sosial": "PYS",
                      "psm": "RLS", "tagana": "RLS", "trc": "RLS", "tksk": "APS",
                      "pendamping_pkh": "APS"}


def seed_certificates(people: QuerySet[Person], count: int = 60, seed: int = 1) -> int:
    """Issue up to ``count`` certificates to ``people`` whose category has a scheme."""
    actions.do_init_key(actor=None, channel="system")
    rng = random.Random(seed)
    schemes = {s.code: s for s in Scheme.objects.all()}
    candidates = list(people.filter(category__code__in=SCHEME_BY_CATEGORY)
                      .exclude(certificates__isnull=False).select_related("category")
                      .order_by("id")[: count * 3])
    rng.shuffle(candidates)
    today = dt.date.today()
    issued = 0
    with transaction.atomic():
        for person in candidates[:count]:
            scheme = schemes[SCHEME_BY_CATEGORY[person.category.code]]  # type: ignore[union-attr]
            back = rng.choice([0, 30, 200, 400, 900, scheme.validity_years * 365 - 40])
            cert = actions._issue(actor="demo", channel="system", person=person, scheme=scheme,
                                  application=None,
                                  valid_from=today - dt.timedelta(days=back))
            roll = rng.random()
            if roll < 0.05:
                cert.status = "revoked"
                cert.status_reason = "Contoh pencabutan (demo)"
            elif roll < 0.10:
                cert.status = "suspended"
                cert.status_reason = "Contoh pembekuan (demo)"
            cert.save(update_fields=["status", "status_reason"])
            issued += 1
        for number in issuing.all_list_numbers():
            issuing.rebuild_status_lists(number)
    return issued


def delete_for_people(people: QuerySet[Person]) -> dict[str, Any]:
    """Delete every certification row of ``people`` (demo reset only)."""
    ids = list(people.values_list("id", flat=True))
    with transaction.atomic():
        regs = ProfessionalRegistration.objects.filter(person_id__in=ids).delete()[0]
        certs = Certificate.objects.filter(person_id__in=ids)
        Certificate.objects.filter(renewed_from__in=certs).update(renewed_from=None)
        n_certs = certs.delete()[0]
        apps = Application.objects.filter(person_id__in=ids)
        Application.objects.filter(previous__in=apps).update(previous=None)
        UnitResult.objects.filter(application__in=apps).delete()
        for item in Evidence.objects.filter(application__in=apps):
            item.file.delete(save=False)
        n_apps = apps.delete()[0]
        Assessor.objects.filter(person_id__in=ids).delete()
        for number in issuing.all_list_numbers():
            issuing.rebuild_status_lists(number)
    return {"certificates": n_certs, "applications": n_apps, "registrations": regs}


def seed_demo() -> dict[str, int]:
    """`sdmkesos demo`: certificates for some demo workers (idempotent: people who already hold
    one are skipped)."""
    from sdmkesos.people.demo import demo_people

    return {"sertifikat": seed_certificates(demo_people())}
