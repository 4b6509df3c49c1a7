"""Read-side helpers shared by pages, the API, exports and the dashboard. Every function takes
querysets already restricted by the caller, or restricts them itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from sdmkesos.core.scoping import VIEW

from . import lifecycle
from .choices import DeliveryKind
from .models import ActionItem, Agreement, Appointment, Meeting, PactText


def delivery_summary(agreement: Agreement) -> list[dict[str, Any]]:
    """Planned vs delivered per kind of delivery: people and budget, with the ratio."""
    planned = {r["kind"]: r for r in agreement.plans.values("kind").annotate(
        people=Sum("people"), budget=Sum("budget"))}
    delivered = {r["kind"]: r for r in agreement.deliveries.values("kind").annotate(
        people=Sum("people"), budget=Sum("budget"), n=Count("id"))}
    out = []
    for kind, label in DeliveryKind.choices:
        p, d = planned.get(kind), delivered.get(kind)
        if p is None and d is None:
            continue
        pp, dp = (p or {}).get("people") or 0, (d or {}).get("people") or 0
        out.append({"kind": kind, "label": str(label), "planned_people": pp,
                    "delivered_people": dp, "activities": (d or {}).get("n") or 0,
                    "planned_budget": (p or {}).get("budget") or Decimal(0),
                    "delivered_budget": (d or {}).get("budget") or Decimal(0),
                    "ratio": lifecycle.delivery_ratio(pp, dp)})
    return out


def funding_total(agreement: Agreement) -> Decimal:
    return agreement.funding.aggregate(t=Sum("amount"))["t"] or Decimal(0)


def overdue_q(today: dt.date | None = None) -> Q:
    today = today or dt.date.today()
    return Q(due_date__lt=today) & ~Q(status__in=lifecycle.CLOSED_ACTION_STATUSES)


def previous_actions(meeting: Meeting, user: Any) -> QuerySet[ActionItem]:
    """The previous meeting's action items the user may see (the next meeting opens with
    their status)."""
    if meeting.previous_id is None:
        return ActionItem.objects.none()
    return (ActionItem.objects.restrict(user, VIEW)
            .filter(resolution__meeting_id=meeting.previous_id)
            .select_related("resolution").prefetch_related("owners__organisation")
            .order_by("resolution__number", "id"))


def pending_signatures(user: Any) -> QuerySet[Appointment]:
    """Appointments (in the user's scope) whose official has not signed the current text."""
    text = PactText.current()
    qs = Appointment.objects.restrict(user, VIEW).select_related("organisation")
    if text is None:
        return qs.none()
    return qs.exclude(signatures__text=text)


def dashboard(user: Any, today: dt.date | None = None,
              province: str | None = None) -> dict[str, Any]:
    """Agreements (by status, delivery vs plan) and action items (open, overdue, done), by
    province (or, given ``province``, by its kab/kota), all within the user's scope."""
    today = today or dt.date.today()
    agreements = Agreement.objects.restrict(user, VIEW)
    party_key, owner_key = "parties__region_prov", "owners__region_prov"
    if province:
        party_key, owner_key = "parties__region_kab", "owners__region_kab"
    by_status = dict(agreements.values_list("status").annotate(n=Count("id")).order_by())
    plan = Agreement.objects.filter(pk__in=agreements.values("pk")).aggregate(
        p=Sum("plans__people"))["p"] or 0
    delivered = Agreement.objects.filter(pk__in=agreements.values("pk")).aggregate(
        d=Sum("deliveries__people"))["d"] or 0
    by_region: dict[str, dict[str, Any]] = {}
    grouped = agreements.filter(**{f"{party_key}__gt": ""})
    if province:
        grouped = grouped.filter(parties__region_prov=province)
    for prov, status, n in (grouped.values_list(party_key, "status")
                            .annotate(n=Count("id", distinct=True)).order_by()):
        row = by_region.setdefault(prov, {"region": prov, "agreements": 0, "active": 0,
                                          "expiring": 0, "open": 0, "overdue": 0, "done": 0})
        row["agreements"] += n
        if status in ("active", "extended"):
            row["active"] += n
        if status == "expiring":
            row["expiring"] += n
    items = ActionItem.objects.restrict(user, VIEW)
    overdue = overdue_q(today)
    action_counts = items.aggregate(
        open=Count("id", filter=~Q(status__in=lifecycle.CLOSED_ACTION_STATUSES)),
        overdue=Count("id", filter=overdue), done=Count("id", filter=Q(status="done")))
    owned = items.filter(**{f"{owner_key}__gt": ""})
    if province:
        owned = owned.filter(owners__region_prov=province)
    for prov, open_n, overdue_n, done_n in (
            owned.values_list(owner_key)
            .annotate(o=Count("id", filter=~Q(status__in=lifecycle.CLOSED_ACTION_STATUSES),
                                distinct=True),
                      v=Count("id", filter=overdue, distinct=True),
                      d=Count("id", filter=Q(status="done"), distinct=True)).order_by()):
        row = by_region.setdefault(prov, {"region": prov, "agreements": 0, "active": 0,
                                          "expiring": 0, "open": 0, "overdue": 0, "done": 0})
        row.update(open=open_n, overdue=overdue_n, done=done_n)
    from sdmkesos.core.models import Region

    names = dict(Region.objects.filter(code__in=list(by_region)).values_list("code", "name"))
    regions = sorted(by_region.values(), key=lambda r: r["region"])
    for row in regions:
        row["name"] = names.get(row["region"], row["region"])
    return {"agreements": {"total": sum(by_status.values()), "by_status": by_status,
                           "planned_people": plan, "delivered_people": delivered,
                           "ratio": lifecycle.delivery_ratio(plan, delivered)},
            "actions": action_counts, "regions": regions}
