"""Read-side helpers shared by pages, the API, exports and the dashboard. Every function takes
querysets already restricted by the caller, or restricts them itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from sdmkesos.core.scoping import VIEW
from sdmkesos.training.models import PlacementStatus, ScholarStatus

from . import lifecycle
from .choices import DeliveryKind
from .models import ActionItem, Agreement, Appointment, Meeting, PactText

SCHOLAR_DELIVERED = (ScholarStatus.SELECTED, ScholarStatus.STUDYING, ScholarStatus.GRADUATED)
PLACEMENT_DELIVERED = (PlacementStatus.ONGOING, PlacementStatus.DONE)


def linked_deliveries(links: Any) -> list[dict[str, Any]]:
    """One row per linked record, computed from the record itself: people trained (completed
    participants of a batch), scholars (selected, studying or graduated), field placements
    (ongoing or done), certificates issued (for the applications of an assessment event); the
    budget realised (the link's own amount if given, else the batch's completed participants x
    the programme's cost per participant, or the event's application fees) and the year."""
    from sdmkesos.certification.models import Application, Certificate
    from sdmkesos.training.models import Nomination, NominationStatus, Scholar

    links = list(links.select_related("batch__programme", "scheme", "placement__host",
                                      "event", "party"))
    ids = [lk.pk for lk in links]
    completed = dict(Nomination.objects.filter(
        batch__agreement_link__in=ids, status=NominationStatus.COMPLETED)
        .values_list("batch__agreement_link").annotate(n=Count("id")).order_by())
    scholars = dict(Scholar.objects.filter(
        scheme__agreement_link__in=ids, status__in=SCHOLAR_DELIVERED)
        .values_list("scheme__agreement_link").annotate(n=Count("id")).order_by())
    certified = dict(Certificate.objects.filter(application__event__agreement_link__in=ids)
                     .values_list("application__event__agreement_link")
                     .annotate(n=Count("id")).order_by())
    fees = dict(Application.objects.filter(event__agreement_link__in=ids)
                .values_list("event__agreement_link").annotate(t=Sum("fee")).order_by())
    rows = []
    for lk in links:
        computed = Decimal(0)
        if lk.batch is not None:
            people = completed.get(lk.pk, 0)
            computed = Decimal(people) * (lk.batch.programme.cost_per_participant or 0)
            year, date = lk.batch.start_date.year, lk.batch.end_date
        elif lk.scheme is not None:
            people = scholars.get(lk.pk, 0)
            year, date = lk.scheme.intake_year, None
        elif lk.placement is not None:
            people = 1 if lk.placement.status in PLACEMENT_DELIVERED else 0
            year, date = lk.placement.start_date.year, lk.placement.end_date
        else:
            people = certified.get(lk.pk, 0)
            computed = Decimal(fees.get(lk.pk) or 0)
            year, date = lk.event.date.year, lk.event.date
        rows.append({"link": lk, "id": lk.pk, "kind": lk.kind, "title": _title(lk),
                     "target_id": lk.target.pk, "people": people, "year": year,
                     "date": date, "party": lk.party.name if lk.party else None,
                     "party_id": lk.party_id,
                     "budget": lk.budget if lk.budget is not None else computed,
                     "budget_given": lk.budget is not None})
    return rows


def _title(link: Any) -> str:
    """What the agreement page names a linked record by: a placement by its host office and
    month, not by the student (people who see the agreement need not see the student)."""
    if link.placement is not None:
        p = link.placement
        return f"{p.host.name} ({p.start_date:%m/%Y})"
    return str(link.target)


def _year(date: dt.date | None) -> int | None:
    return date.year if date else None


def delivery_summary(agreement: Agreement,
                     linked: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Planned vs delivered per kind of delivery: people and budget, with the ratio. Delivered
    sums the linked records (``linked_deliveries``), the research activities (counted as
    activities) and the delivery rows entered by hand."""
    if linked is None:
        linked = linked_deliveries(agreement.links.all())
    planned = {r["kind"]: r for r in agreement.plans.values("kind").annotate(
        people=Sum("people"), budget=Sum("budget"))}
    delivered: dict[str, dict[str, Any]] = {}
    for r in agreement.deliveries.values("kind").annotate(
            people=Sum("people"), budget=Sum("budget"), n=Count("id")):
        delivered[r["kind"]] = {"people": r["people"] or 0, "budget": r["budget"] or Decimal(0),
                                "n": r["n"], "linked": 0}
    for row in linked:
        d = delivered.setdefault(row["kind"], {"people": 0, "budget": Decimal(0), "n": 0,
                                               "linked": 0})
        d["people"] += row["people"]
        d["budget"] += row["budget"]
        d["n"] += 1
        d["linked"] += 1
    research = agreement.research.count()
    if research:
        d = delivered.setdefault(DeliveryKind.RESEARCH, {"people": 0, "budget": Decimal(0),
                                                         "n": 0, "linked": 0})
        d["n"] += research
        d["linked"] += research
    out = []
    for kind, label in DeliveryKind.choices:
        p, dk = planned.get(kind), delivered.get(kind)
        if p is None and dk is None:
            continue
        pp, dp = (p or {}).get("people") or 0, (dk or {}).get("people") or 0
        out.append({"kind": kind, "label": str(label), "planned_people": pp,
                    "delivered_people": dp, "activities": (dk or {}).get("n") or 0,
                    "linked": (dk or {}).get("linked") or 0,
                    "planned_budget": (p or {}).get("budget") or Decimal(0),
                    "delivered_budget": (dk or {}).get("budget") or Decimal(0),
                    "ratio": lifecycle.delivery_ratio(pp, dp)})
    return out


def delivery_by_party_year(agreement: Agreement,
                           linked: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Per paying party and year: the funding pledged (funding rows) and what was delivered
    (linked records and hand-entered rows naming that party): people per kind and budget
    realised. Rows without a party are grouped under ``party=None``."""
    if linked is None:
        linked = linked_deliveries(agreement.links.all())
    names = {p.pk: p.name for p in agreement.parties.all()}
    table: dict[tuple[int | None, int | None], dict[str, Any]] = {}

    def row(party_id: int | None, year: int | None) -> dict[str, Any]:
        return table.setdefault((party_id, year), {
            "party_id": party_id, "party": names.get(party_id) if party_id else None,
            "year": year, "funded": Decimal(0), "realised": Decimal(0),
            "people": {kind: 0 for kind in DeliveryKind.values}})

    for f in agreement.funding.all():
        row(f.party_id, f.year)["funded"] += f.amount
    for d in linked:
        r = row(d["party_id"], d["year"])
        r["people"][d["kind"]] += d["people"]
        r["realised"] += d["budget"]
    for dv in agreement.deliveries.all():
        r = row(dv.party_id, _year(dv.date))
        r["people"][dv.kind] += dv.people
        r["realised"] += dv.budget
    out = sorted(table.values(), key=lambda r: (r["party"] is None, r["party"] or "",
                                                r["year"] or 0))
    labels = dict(DeliveryKind.choices)
    for r in out:
        r["people_total"] = sum(r["people"].values())
        r["breakdown"] = [(str(labels[k]), n) for k, n in r["people"].items() if n]
    return out


def linked_people_total(agreements: Any) -> int:
    """People delivered through linked records, over a queryset of agreements (dashboard)."""
    from sdmkesos.certification.models import Certificate
    from sdmkesos.training.models import FieldPlacement, Nomination, NominationStatus, Scholar

    ids = agreements.values("pk")
    return (Nomination.objects.filter(batch__agreement_link__agreement__in=ids,
                                      status=NominationStatus.COMPLETED).count()
            + Scholar.objects.filter(scheme__agreement_link__agreement__in=ids,
                                     status__in=SCHOLAR_DELIVERED).count()
            + FieldPlacement.objects.filter(agreement_link__agreement__in=ids,
                                            status__in=PLACEMENT_DELIVERED).count()
            + Certificate.objects.filter(
                application__event__agreement_link__agreement__in=ids).count())


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
    delivered = (Agreement.objects.filter(pk__in=agreements.values("pk")).aggregate(
        d=Sum("deliveries__people"))["d"] or 0) + linked_people_total(agreements)
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
