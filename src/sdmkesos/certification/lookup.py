"""Public read functions of the certification app for other apps (placement ranking in
``planning``): who holds a valid certificate of which scheme, and a valid STR / SIPPS, on a day.
Callers pass person ids they have already scoped (``Person.objects.restrict``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from .choices import CertificateStatus
from .models import Certificate, ProfessionalRegistration, Scheme


def schemes_for_category(category_code: str | None) -> frozenset[str]:
    """Codes of the active schemes linked to a workforce category (``Scheme.category_code``)."""
    if not category_code:
        return frozenset()
    return frozenset(Scheme.objects.filter(category_code=category_code, is_active=True)
                     .values_list("code", flat=True))


def valid_certificates(person_ids: Collection[int], schemes: Collection[str],
                       day: dt.date) -> dict[int, set[str]]:
    """Per person, the schemes (of ``schemes``) with an active certificate valid on ``day``
    (not suspended or revoked, ``valid_from`` ≤ day ≤ ``valid_until``)."""
    out: dict[int, set[str]] = {}
    if not person_ids or not schemes:
        return out
    for pid, code in Certificate.objects.filter(
            person_id__in=list(person_ids), scheme__code__in=list(schemes),
            status=CertificateStatus.ACTIVE, valid_from__lte=day, valid_until__gte=day,
    ).values_list("person_id", "scheme__code"):
        out.setdefault(pid, set()).add(code)
    return out


def valid_registrations(person_ids: Collection[int], day: dt.date) -> dict[int, set[str]]:
    """Per person, the kinds (``str``, ``sipps``) of registrations valid on ``day``."""
    out: dict[int, set[str]] = {}
    if not person_ids:
        return out
    for pid, kind in ProfessionalRegistration.objects.filter(
            person_id__in=list(person_ids), valid_from__lte=day, valid_until__gte=day,
    ).values_list("person_id", "kind"):
        out.setdefault(pid, set()).add(kind)
    return out
