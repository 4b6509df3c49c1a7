"""Certification reports, every one read through ``restrict(user, "view")``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from sdmkesos.core.models import Region
from sdmkesos.people.models import Person

from .choices import CertificateStatus
from .models import AssessmentEvent, Assessor, Certificate

EXPIRY_DAYS = 90


def _valid_certificates(today: dt.date) -> Any:
    return Certificate.objects.filter(status=CertificateStatus.ACTIVE, valid_from__lte=today,
                                      valid_until__gte=today)


def certified_share(user: Any, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per province and workforce category: workers, workers holding a valid certificate,
    share (percent)."""
    today = today or timezone.localdate()
    certified = _valid_certificates(today).filter(person=OuterRef("pk"))
    rows = (Person.objects.restrict(user, "view")
            .annotate(has_cert=Exists(certified))
            .values("region_prov", "category__code", "category__name")
            .annotate(total=Count("id"), certified=Count("id", filter=Q(has_cert=True)))
            .order_by("region_prov", "category__name"))
    names = dict(Region.objects.filter(level=1).values_list("code", "name"))
    out = []
    for r in rows:
        out.append({"region": r["region_prov"], "region_name": names.get(r["region_prov"], ""),
                    "category": r["category__code"] or "", "category_name":
                    r["category__name"] or "", "total": r["total"],
                    "certified": r["certified"],
                    "share": round(100 * r["certified"] / r["total"], 1) if r["total"] else 0.0})
    return out


def expiring(user: Any, *, days: int = EXPIRY_DAYS, today: dt.date | None = None) -> Any:
    today = today or timezone.localdate()
    return (Certificate.objects.restrict(user, "view")
            .filter(status=CertificateStatus.ACTIVE, valid_until__gte=today,
                    valid_until__lte=today + dt.timedelta(days=days))
            .select_related("person", "scheme").order_by("valid_until", "id"))


def assessor_workload(user: Any, *, since: dt.date | None = None) -> list[dict[str, Any]]:
    """Per assessor: events and candidates assessed (since a date, default one year)."""
    since = since or timezone.localdate() - dt.timedelta(days=365)
    events = AssessmentEvent.objects.filter(date__gte=since)
    rows = (Assessor.objects.restrict(user, "view").select_related("person")
            .annotate(events_count=Count("assignments__event", distinct=True,
                                         filter=Q(assignments__event__in=events)),
                      candidates_count=Count("assignments__event__applications", distinct=True,
                                             filter=Q(assignments__event__in=events)))
            .order_by("-candidates_count", "person__name"))
    return [{"assessor": a.person.name, "registration_number": a.registration_number,
             "region": a.region_id or "", "events": a.events_count,
             "candidates": a.candidates_count, "active_until": a.active_until.isoformat()}
            for a in rows]
