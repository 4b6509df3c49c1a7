"""Every change to training data: atomic, permission/scope-checked, audited.

Conflicts are refused with a DomainError naming the reason (codes in ``training.errors``):
a trainer in two overlapping batches, a trainer outside their availability or over their yearly
load, a participant in two overlapping batches, a batch over capacity (no waiting list) or over
its venue's capacity, an ineligible nominee. Checks run inside the transaction after locking
the batch row, so two concurrent enrolments cannot both take the last seat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from sdmkesos.competency import actions as competency_actions
from sdmkesos.competency.models import Competency
from sdmkesos.competency.queries import current_profile
from sdmkesos.core import audit
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import Organisation
from sdmkesos.core.scoping import CHANGE
from sdmkesos.people.models import Person

from . import rules
from .errors import err, reason_text
from .models import (
    Attendance,
    AttendanceStatus,
    Batch,
    BatchSession,
    BatchStatus,
    BatchTrainer,
    Feedback,
    FieldPlacement,
    Nomination,
    NominationStatus,
    Programme,
    ProgrammeCompetency,
    Scholar,
    ScholarshipScheme,
    ScholarStatus,
    Trainer,
    TrainerAvailability,
    Venue,
)
from .permissions import can_manage

# Lock only the row itself (PostgreSQL refuses FOR UPDATE on the nullable side of a join).
SELF = ("self",)
NS = NominationStatus
OVERLAP_STATUSES = (NS.NOMINATED, NS.APPROVED, NS.WAITLISTED, NS.ENROLLED, NS.COMPLETED,
                    NS.NOT_COMPLETED)
CLOSED_BATCH = (BatchStatus.FINISHED, BatchStatus.CANCELLED)
PROGRAMME_FIELDS = ["code", "name", "type", "mode", "jp", "days", "description",
                    "cost_per_participant", "min_education", "asn_only", "min_attendance",
                    "is_active", "organisation"]
VENUE_FIELDS = ["name", "venue_region", "address", "capacity", "daily_cost", "is_active",
                "organisation"]
TRAINER_FIELDS = ["name", "person", "kind", "home_region", "max_days_per_year", "is_active",
                  "organisation"]
BATCH_FIELDS = ["programme", "number", "name", "venue", "venue_region", "start_date", "end_date",
                "capacity", "allow_waitlist", "funding_source", "status", "organisation"]
NOMINATION_FIELDS = ["status", "waitlist_position", "pre_test", "post_test", "completed_on",
                     "certificate_number", "note"]


def _require_manager(actor: Any, organisation: Organisation | None) -> None:
    if organisation is None:
        raise ValidationFailed([DomainError("required", field="organisation")])
    if not can_manage(actor, organisation):
        raise err("not_manager", field="organisation", organisation=organisation.name)


def _apply(obj: Any, fields: list[str], data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = {} if obj.pk is None else audit.snapshot(obj, fields)
    for key, value in data.items():
        if key == "organisation":
            obj.set_managing(value)
        else:
            setattr(obj, key, value)
    return before


def _audit_save(actor: Any, channel: str, obj: Any, fields: list[str], before: dict[str, Any],
                creating: bool, action: str | None = None) -> dict[str, list[Any]]:
    after = audit.snapshot(obj, fields)
    changes = ({k: [None, v] for k, v in after.items() if v not in (None, "")} if creating
               else audit.diff(before, after))
    if changes:
        audit.record(actor=actor, channel=channel,
                     action=action or ("create" if creating else "update"), obj=obj,
                     changes=changes, region_code=getattr(obj, "region_id", "") or "")
    return changes


def _locked(model: Any, obj: Any) -> Any:
    return model.objects.select_for_update(of=SELF).get(pk=obj.pk)


# --- programmes -----------------------------------------------------------------------------


def do_save_programme(*, actor: Any, channel: str, data: dict[str, Any],
                      competencies: dict[Competency, int] | None = None,
                      categories: Iterable[Any] | None = None,
                      prerequisites: Iterable[Programme] | None = None,
                      programme: Programme | None = None) -> Programme:
    """Create or change a programme. ``competencies`` (competency → resulting level),
    ``categories`` (eligible workforce categories) and ``prerequisites`` replace the current
    sets when given."""
    with transaction.atomic():
        obj = _locked(Programme, programme) if programme else Programme()
        creating = obj.pk is None
        if not creating:
            _require_manager(actor, obj.organisation)
        before = _apply(obj, PROGRAMME_FIELDS, data)
        _require_manager(actor, obj.organisation if obj.organisation_id else None)
        errors = [DomainError("required", field=f) for f in ("code", "name", "type")
                  if not getattr(obj, f)]
        if not obj.jp:
            errors.append(DomainError("required", field="jp"))
        if obj.code and Programme.objects.filter(code=obj.code).exclude(pk=obj.pk).exists():
            errors.append(err("code_taken", field="code", value=obj.code))
        if obj.cost_per_participant is not None and Decimal(obj.cost_per_participant) < 0:
            errors.append(DomainError("invalid_value", field="cost_per_participant",
                                      message="Biaya tidak boleh negatif."))
        if not 0 <= int(obj.min_attendance or 0) <= 100:
            errors.append(err("attendance_percent_range", field="min_attendance",
                              value=obj.min_attendance))
        for comp, level in (competencies or {}).items():
            if not isinstance(level, int) or not 1 <= level <= 5:
                errors.append(err("level_range", field=f"competencies.{comp.code}", value=level))
        prereqs = list(prerequisites) if prerequisites is not None else None
        if prereqs and obj.pk and any(p.pk == obj.pk for p in prereqs):
            errors.append(DomainError("invalid_value", field="prerequisites",
                                      message="Program tidak boleh menjadi prasyarat dirinya."))
        if errors:
            raise ValidationFailed(errors)
        obj.save()
        changes = _audit_save(actor, channel, obj, PROGRAMME_FIELDS, before, creating)
        extra: dict[str, list[Any]] = {}
        if competencies is not None:
            old = {pc.competency.code: pc.resulting_level
                   for pc in obj.competencies.select_related("competency")}
            new = {c.code: level for c, level in competencies.items()}
            if old != new:
                obj.competencies.all().delete()
                ProgrammeCompetency.objects.bulk_create(
                    ProgrammeCompetency(programme=obj, competency=c, resulting_level=level)
                    for c, level in competencies.items())
                extra["competencies"] = [old, new]
        if categories is not None:
            cats = list(categories)
            old_c = sorted(obj.eligible_categories.values_list("code", flat=True))
            if old_c != sorted(c.code for c in cats):
                obj.eligible_categories.set(cats)
                extra["eligible_categories"] = [old_c, sorted(c.code for c in cats)]
        if prereqs is not None:
            old_p = sorted(obj.prerequisites.values_list("code", flat=True))
            if old_p != sorted(p.code for p in prereqs):
                obj.prerequisites.set(prereqs)
                extra["prerequisites"] = [old_p, sorted(p.code for p in prereqs)]
        if extra and not (creating and not changes):
            audit.record(actor=actor, channel=channel, action="programme.rules", obj=obj,
                         changes=extra, region_code=obj.region_id or "")
    return obj


# --- venues and trainers --------------------------------------------------------------------


def do_save_venue(*, actor: Any, channel: str, data: dict[str, Any],
                  venue: Venue | None = None) -> Venue:
    with transaction.atomic():
        obj = _locked(Venue, venue) if venue else Venue()
        creating = obj.pk is None
        if not creating:
            _require_manager(actor, obj.organisation)
        before = _apply(obj, VENUE_FIELDS, data)
        _require_manager(actor, obj.organisation if obj.organisation_id else None)
        errors = [DomainError("required", field=f) for f in ("name", "venue_region")
                  if not getattr(obj, f if f == "name" else f + "_id")]
        if not obj.capacity:
            errors.append(DomainError("required", field="capacity"))
        if errors:
            raise ValidationFailed(errors)
        obj.save()
        _audit_save(actor, channel, obj, VENUE_FIELDS, before, creating)
    return obj


def do_save_trainer(*, actor: Any, channel: str, data: dict[str, Any],
                    trainer: Trainer | None = None) -> Trainer:
    with transaction.atomic():
        obj = _locked(Trainer, trainer) if trainer else Trainer()
        creating = obj.pk is None
        if not creating:
            _require_manager(actor, obj.organisation)
        before = _apply(obj, TRAINER_FIELDS, data)
        _require_manager(actor, obj.organisation if obj.organisation_id else None)
        errors = [DomainError("required", field=f) for f in ("name", "kind")
                  if not getattr(obj, f)]
        if errors:
            raise ValidationFailed(errors)
        obj.save()
        _audit_save(actor, channel, obj, TRAINER_FIELDS, before, creating)
    return obj


def do_add_availability(*, actor: Any, channel: str, trainer: Trainer, start_date: dt.date,
                        end_date: dt.date, available: bool = True,
                        note: str = "") -> TrainerAvailability:
    if end_date < start_date:
        raise ValidationFailed([DomainError("end_before_start", field="end_date")])
    with transaction.atomic():
        current = _locked(Trainer, trainer)
        _require_manager(actor, current.organisation)
        window = TrainerAvailability.objects.create(trainer=current, start_date=start_date,
                                                    end_date=end_date, available=available,
                                                    note=note[:200])
        audit.record(actor=actor, channel=channel, action="trainer.availability", obj=current,
                     changes={"availability": [None, {"start": start_date.isoformat(),
                                                      "end": end_date.isoformat(),
                                                      "available": available}]},
                     region_code=current.region_id or "")
    return window


# --- batches --------------------------------------------------------------------------------


def _trainer_conflicts(trainer: Trainer, batch: Batch) -> None:
    """Raise if ``trainer`` cannot teach ``batch`` (double booking, availability, load)."""
    others = (Batch.objects.filter(trainer_links__trainer=trainer)
              .exclude(pk=batch.pk).exclude(status=BatchStatus.CANCELLED))
    clash = others.filter(start_date__lte=batch.end_date, end_date__gte=batch.start_date
                          ).order_by("start_date").first()
    if clash is not None:
        raise err("trainer_double_booked", field="trainer", trainer=trainer.name,
                  other=str(clash), start=clash.start_date.isoformat(),
                  end=clash.end_date.isoformat())
    windows = [rules.Window(w.start_date, w.end_date, w.available)
               for w in trainer.availability.all()]
    if rules.availability_problem(windows, batch.start_date, batch.end_date):
        raise err("trainer_unavailable", field="trainer", trainer=trainer.name,
                  start=batch.start_date.isoformat(), end=batch.end_date.isoformat())
    ranges = [*others.values_list("start_date", "end_date"), (batch.start_date, batch.end_date)]
    for year in range(batch.start_date.year, batch.end_date.year + 1):
        load = rules.days_in_year(ranges, year)
        if load > trainer.max_days_per_year:
            raise err("trainer_overloaded", field="trainer", trainer=trainer.name, days=load,
                      year=year, limit=trainer.max_days_per_year)


def _person_overlap(person: Person, batch: Batch) -> None:
    clash = (Nomination.objects.filter(person=person, status__in=OVERLAP_STATUSES,
                                       batch__start_date__lte=batch.end_date,
                                       batch__end_date__gte=batch.start_date)
             .exclude(batch=batch).exclude(batch__status=BatchStatus.CANCELLED)
             .select_related("batch__programme").first())
    if clash is not None:
        other = clash.batch
        raise err("participant_overlap", field="person", person=person.name, other=str(other),
                  start=other.start_date.isoformat(), end=other.end_date.isoformat())


def _seats_taken(batch: Batch) -> int:
    return batch.nominations.filter(status__in=(NS.ENROLLED, NS.COMPLETED,
                                                NS.NOT_COMPLETED)).count()


def do_save_batch(*, actor: Any, channel: str, data: dict[str, Any],
                  batch: Batch | None = None) -> Batch:
    """Create or change a batch. The organiser defaults to the programme's provider; the venue's
    region becomes the batch's region. Changing dates re-checks trainers and participants."""
    with transaction.atomic():
        obj: Batch = _locked(Batch, batch) if batch else Batch()
        creating = obj.pk is None
        if not creating:
            _require_manager(actor, obj.organisation)
            if obj.status in CLOSED_BATCH and data.get("status", obj.status) == obj.status:
                raise err("batch_closed", batch=str(obj), status=obj.get_status_display())
        data = dict(data)
        if creating and "organisation" not in data and data.get("programme") is not None:
            data["organisation"] = data["programme"].organisation
        before = _apply(obj, BATCH_FIELDS, data)
        _require_manager(actor, obj.organisation if obj.organisation_id else None)
        errors: list[DomainError] = []
        for name in ("programme", "start_date", "end_date"):
            if getattr(obj, name + "_id" if name == "programme" else name) is None:
                errors.append(DomainError("required", field=name))
        if not obj.capacity:
            errors.append(DomainError("required", field="capacity"))
        if errors:
            raise ValidationFailed(errors)
        if obj.end_date < obj.start_date:
            raise ValidationFailed([DomainError("end_before_start", field="end_date")])
        if not obj.number:
            top = Batch.objects.filter(programme=obj.programme).aggregate(n=Max("number"))["n"]
            obj.number = (top or 0) + 1
        elif Batch.objects.filter(programme=obj.programme, number=obj.number).exclude(
                pk=obj.pk).exists():
            raise err("number_taken", field="number", number=obj.number)
        if obj.venue is not None:
            if obj.venue_region_id is None:
                obj.venue_region_id = obj.venue.venue_region_id
            if obj.capacity > obj.venue.capacity:
                raise err("over_venue_capacity", field="capacity", capacity=obj.capacity,
                          venue=obj.venue.name, venue_capacity=obj.venue.capacity)
        if not creating:
            enrolled = _seats_taken(obj)
            if obj.capacity < enrolled:
                raise err("capacity_below_enrolled", field="capacity", capacity=obj.capacity,
                          enrolled=enrolled)
            dates_changed = (before["start_date"] != obj.start_date.isoformat()
                             or before["end_date"] != obj.end_date.isoformat())
            if dates_changed and obj.status != BatchStatus.CANCELLED:
                outside = obj.sessions.exclude(date__gte=obj.start_date, date__lte=obj.end_date
                                               ).first()
                if outside is not None:
                    raise err("session_outside_batch", field="start_date",
                              date=outside.date.isoformat(), start=obj.start_date.isoformat(),
                              end=obj.end_date.isoformat())
                for link in obj.trainer_links.select_related("trainer"):
                    _trainer_conflicts(link.trainer, obj)
                for nomination in obj.nominations.filter(status__in=OVERLAP_STATUSES
                                                         ).select_related("person"):
                    _person_overlap(nomination.person, obj)
        obj.save()
        _audit_save(actor, channel, obj, BATCH_FIELDS, before, creating)
    return obj


def _managed_batch(actor: Any, batch: Batch, *, open_only: bool = True) -> Batch:
    current: Batch = Batch.objects.select_for_update(of=SELF).select_related(
        "programme", "organisation").get(pk=batch.pk)
    _require_manager(actor, current.organisation)
    if open_only and current.status in CLOSED_BATCH:
        raise err("batch_closed", batch=str(current), status=current.get_status_display())
    return current


def do_add_session(*, actor: Any, channel: str, batch: Batch, date: dt.date, topic: str = "",
                   jp: int = 0) -> BatchSession:
    with transaction.atomic():
        current = _managed_batch(actor, batch)
        if not current.start_date <= date <= current.end_date:
            raise err("session_outside_batch", field="date", date=date.isoformat(),
                      start=current.start_date.isoformat(), end=current.end_date.isoformat())
        session = BatchSession.objects.create(batch=current, date=date, topic=topic[:200], jp=jp)
        audit.record(actor=actor, channel=channel, action="batch.session", obj=current,
                     changes={"session": [None, {"date": date.isoformat(), "topic": topic,
                                                 "jp": jp}]},
                     region_code=current.region_id or "")
    return session


def do_assign_trainer(*, actor: Any, channel: str, batch: Batch, trainer: Trainer,
                      role: str = "") -> BatchTrainer:
    with transaction.atomic():
        current = _managed_batch(actor, batch)
        locked_trainer = _locked(Trainer, trainer)
        if current.trainer_links.filter(trainer=locked_trainer).exists():
            return current.trainer_links.get(trainer=locked_trainer)
        _trainer_conflicts(locked_trainer, current)
        link = BatchTrainer.objects.create(batch=current, trainer=locked_trainer,
                                           role=role[:60])
        audit.record(actor=actor, channel=channel, action="batch.trainer", obj=current,
                     changes={"trainer": [None, locked_trainer.pk]},
                     region_code=current.region_id or "")
    return link


def do_remove_trainer(*, actor: Any, channel: str, link: BatchTrainer) -> None:
    with transaction.atomic():
        current = _managed_batch(actor, link.batch)
        audit.record(actor=actor, channel=channel, action="batch.trainer", obj=current,
                     changes={"trainer": [link.trainer_id, None]},
                     region_code=current.region_id or "")
        link.delete()


# --- nominations ----------------------------------------------------------------------------


def eligibility_reasons(person: Person, programme: Programme) -> list[str]:
    """Why ``person`` may not join ``programme`` (empty: eligible), as readable text."""
    from .completions import completed_programmes

    completed = completed_programmes(person.pk)
    status = person.employment_status
    facts = rules.PersonFacts(
        category=person.category.code if person.category else None,
        education_rank=person.education_level.rank if person.education_level else None,
        is_asn=bool(status and status.is_asn), completed_programmes=completed)
    minimum = programme.min_education
    spec = rules.Eligibility(
        categories=frozenset(programme.eligible_categories.values_list("code", flat=True)),
        min_education_rank=minimum.rank if minimum else None,
        min_education_name=minimum.name if minimum else "", asn_only=programme.asn_only,
        prerequisites=frozenset(programme.prerequisites.values_list("code", flat=True)))
    return [reason_text(p.code, p.params) for p in rules.eligibility_problems(facts, spec)]


def _check_eligible(person: Person, programme: Programme) -> None:
    reasons = eligibility_reasons(person, programme)
    if reasons:
        raise err("ineligible_nominee", field="person", person=person.name,
                  programme=programme.name, reasons="; ".join(reasons))


def _nomination_audit(actor: Any, channel: str, nomination: Nomination, action: str,
                      before: dict[str, Any], note: str = "") -> None:
    changes = audit.diff(before, audit.snapshot(nomination, NOMINATION_FIELDS))
    audit.record(actor=actor, channel=channel, action=action, obj=nomination, changes=changes,
                 note=note, region_code=nomination.person.region_id or "")


def do_nominate(*, actor: Any, channel: str, batch: Batch, person: Person,
                nominated_by: Organisation | None = None, note: str = "") -> Nomination:
    """An office puts one of its people forward. Needs ``change`` on the person."""
    with transaction.atomic():
        current_batch: Batch = Batch.objects.select_for_update(of=SELF).select_related(
            "programme").get(pk=batch.pk)
        if current_batch.status not in (BatchStatus.PLANNED, BatchStatus.OPEN):
            raise err("batch_closed", batch=str(current_batch),
                      status=current_batch.get_status_display())
        current = Person.objects.restrict(actor, CHANGE).select_related(
            "category", "education_level", "employment_status").filter(pk=person.pk).first()
        if current is None:
            raise DomainError("out_of_scope", field="person")
        if Nomination.objects.filter(batch=current_batch, person=current).exists():
            raise err("already_nominated", field="person", person=current.name)
        _check_eligible(current, current_batch.programme)
        _person_overlap(current, current_batch)
        nomination = Nomination.objects.create(
            batch=current_batch, person=current,
            nominated_by=nominated_by or current.organisation or getattr(actor, "organisation",
                                                                           None),
            note=note[:255])
        audit.record(actor=actor, channel=channel, action="nomination.create", obj=nomination,
                     changes={"batch": [None, current_batch.pk], "person": [None, current.pk],
                              "status": [None, nomination.status]},
                     region_code=current.region_id or "")
    return nomination


def _managed_nomination(actor: Any, nomination: Nomination, *expected: str,
                        open_only: bool = True) -> tuple[Nomination, Batch]:
    batch = _managed_batch(actor, nomination.batch, open_only=open_only)
    current: Nomination = Nomination.objects.select_for_update(of=SELF).select_related(
        "person__category", "person__education_level", "person__employment_status").get(
        pk=nomination.pk)
    if expected and current.status not in expected:
        raise err("wrong_status", field="status", status=current.get_status_display(),
                  expected=", ".join(str(NS(s).label) for s in expected))
    return current, batch


def do_decide_nomination(*, actor: Any, channel: str, nomination: Nomination, approve: bool,
                         note: str = "") -> Nomination:
    """The organiser approves (eligibility re-checked) or rejects a nomination."""
    with transaction.atomic():
        current, batch = _managed_nomination(actor, nomination, NS.NOMINATED)
        before = audit.snapshot(current, NOMINATION_FIELDS)
        if approve:
            _check_eligible(current.person, batch.programme)
            current.status = NS.APPROVED
        else:
            current.status = NS.REJECTED
        if note:
            current.note = note[:255]
        current.save()
        _nomination_audit(actor, channel, current,
                          "nomination.approve" if approve else "nomination.reject", before, note)
    return current


def do_enrol(*, actor: Any, channel: str, nomination: Nomination) -> Nomination:
    """Give an approved nominee a seat, or a waiting-list place when the batch is full (refused
    when the batch keeps no waiting list)."""
    with transaction.atomic():
        current, batch = _managed_nomination(actor, nomination, NS.APPROVED, NS.WAITLISTED)
        before = audit.snapshot(current, NOMINATION_FIELDS)
        _person_overlap(current.person, batch)
        if _seats_taken(batch) < batch.capacity:
            current.status = NS.ENROLLED
            current.waitlist_position = None
        elif current.status == NS.WAITLISTED:
            raise err("batch_full", batch=str(batch), capacity=batch.capacity)
        elif batch.allow_waitlist:
            top = batch.nominations.aggregate(n=Max("waitlist_position"))["n"]
            current.status = NS.WAITLISTED
            current.waitlist_position = (top or 0) + 1
        else:
            raise err("batch_full", batch=str(batch), capacity=batch.capacity)
        current.save()
        _nomination_audit(actor, channel, current, "nomination.enrol", before)
    return current


def _promote_waitlist(actor: Any, channel: str, batch: Batch) -> Nomination | None:
    if _seats_taken(batch) >= batch.capacity:
        return None
    for waiting in (batch.nominations.select_for_update(of=SELF).filter(status=NS.WAITLISTED)
                    .order_by("waitlist_position", "id")):
        before = audit.snapshot(waiting, NOMINATION_FIELDS)
        try:
            _person_overlap(waiting.person, batch)
        except DomainError:
            continue
        waiting.status = NS.ENROLLED
        waiting.waitlist_position = None
        waiting.save()
        _nomination_audit(actor, channel, waiting, "nomination.promote", before)
        return waiting
    return None


def do_withdraw(*, actor: Any, channel: str, nomination: Nomination,
                note: str = "") -> Nomination:
    """The nominating office (change on the person) or the organiser withdraws a nominee; a freed
    seat goes to the first on the waiting list."""
    with transaction.atomic():
        batch: Batch = Batch.objects.select_for_update(of=SELF).get(pk=nomination.batch_id)
        current: Nomination = Nomination.objects.select_for_update(of=SELF).get(pk=nomination.pk)
        office = Person.objects.restrict(actor, CHANGE).filter(pk=current.person_id).exists()
        if not office and not can_manage(actor, batch.organisation):
            raise DomainError("out_of_scope")
        if current.status not in ACTIVE_FOR_WITHDRAW:
            raise err("wrong_status", field="status", status=current.get_status_display(),
                      expected=", ".join(str(NS(s).label) for s in ACTIVE_FOR_WITHDRAW))
        before = audit.snapshot(current, NOMINATION_FIELDS)
        current.status = NS.WITHDRAWN
        current.waitlist_position = None
        if note:
            current.note = note[:255]
        current.save()
        _nomination_audit(actor, channel, current, "nomination.withdraw", before, note)
        _promote_waitlist(actor, channel, batch)
    return current


ACTIVE_FOR_WITHDRAW = (NS.NOMINATED, NS.APPROVED, NS.WAITLISTED, NS.ENROLLED)


def do_record_attendance(*, actor: Any, channel: str, session: BatchSession,
                         statuses: dict[int, str]) -> int:
    """Attendance of enrolled participants (nomination id → status) at one session."""
    with transaction.atomic():
        batch = _managed_batch(actor, session.batch, open_only=False)
        valid = set(AttendanceStatus.values)
        enrolled = set(batch.nominations.filter(status__in=(NS.ENROLLED, NS.COMPLETED,
                                                            NS.NOT_COMPLETED))
                       .values_list("id", flat=True))
        errors = []
        for nid, status in statuses.items():
            if status not in valid:
                errors.append(DomainError("invalid_value", field=f"attendance.{nid}",
                                          message=f"Status kehadiran tidak dikenal: {status}."))
            if nid not in enrolled:
                errors.append(err("wrong_status", field=f"attendance.{nid}", status="-",
                                  expected=str(NS.ENROLLED.label)))
        if errors:
            raise ValidationFailed(errors)
        for nid, status in statuses.items():
            Attendance.objects.update_or_create(nomination_id=nid, session=session,
                                                defaults={"status": status})
        audit.record(actor=actor, channel=channel, action="batch.attendance", obj=batch,
                     changes={"attendance": [None, {"session": session.pk,
                                                    "date": session.date.isoformat(),
                                                    "statuses": {str(k): v for k, v in
                                                                 statuses.items()}}]},
                     region_code=batch.region_id or "")
    return len(statuses)


def _score(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    if not Decimal(0) <= number <= Decimal(100):
        raise ValidationFailed([err("score_range", field=field)])
    return number


def do_record_scores(*, actor: Any, channel: str, nomination: Nomination,
                     pre_test: Any = None, post_test: Any = None) -> Nomination:
    with transaction.atomic():
        current, _batch = _managed_nomination(actor, nomination, NS.ENROLLED, NS.COMPLETED,
                                              NS.NOT_COMPLETED, open_only=False)
        before = audit.snapshot(current, NOMINATION_FIELDS)
        if pre_test is not None:
            current.pre_test = _score(pre_test, "pre_test")
        if post_test is not None:
            current.post_test = _score(post_test, "post_test")
        current.save()
        _nomination_audit(actor, channel, current, "nomination.scores", before)
    return current


def attendance_rate(nomination: Nomination, batch: Batch) -> tuple[int, int]:
    """(sessions attended ``hadir``, sessions of the batch)."""
    sessions = batch.sessions.count()
    present = Attendance.objects.filter(nomination=nomination, session__batch=batch,
                                        status=AttendanceStatus.PRESENT).count()
    return present, sessions


def _check_attendance(nomination: Nomination, batch: Batch) -> None:
    """A pass needs the programme's minimum attendance (share of the batch's sessions marked
    present; excused and sick count as absent). No rule when the minimum is 0 or the batch has
    no sessions."""
    minimum = batch.programme.min_attendance
    if not minimum:
        return
    present, sessions = attendance_rate(nomination, batch)
    if sessions and present * 100 < minimum * sessions:
        raise err("attendance_below_minimum", field="passed", person=nomination.person.name,
                  present=present, sessions=sessions,
                  percent=int(100 * present / sessions), minimum=minimum)


def do_complete(*, actor: Any, channel: str, nomination: Nomination, passed: bool,
                completed_on: dt.date | None = None, certificate_number: str = "",
                note: str = "") -> Nomination:
    """Record the outcome of an enrolled participant. A pass records the training on the person
    and, for each competency the programme develops, an assessment (method ``training``) at the
    programme's resulting level when that is above the person's current level."""
    completed_on = completed_on or dt.date.today()
    with transaction.atomic():
        current, batch = _managed_nomination(actor, nomination, NS.ENROLLED, open_only=False)
        if passed:
            _check_attendance(current, batch)
        before = audit.snapshot(current, NOMINATION_FIELDS)
        current.status = NS.COMPLETED if passed else NS.NOT_COMPLETED
        current.completed_on = completed_on if passed else None
        current.certificate_number = certificate_number[:80]
        if note:
            current.note = note[:255]
        current.save()
        _nomination_audit(actor, channel, current,
                          "nomination.complete" if passed else "nomination.fail", before, note)
        if passed:
            person = current.person
            levels = current_profile(person, completed_on)
            source = f"{batch.programme.code} angkatan {batch.number}"
            raised = {}
            for pc in batch.programme.competencies.select_related("competency"):
                if pc.resulting_level > levels.get(pc.competency.code, 0):
                    competency_actions.record_training_result(
                        actor=actor, channel=channel, person=person, competency=pc.competency,
                        level=pc.resulting_level, on=completed_on, source=source)
                    raised[pc.competency.code] = [levels.get(pc.competency.code),
                                                  pc.resulting_level]
            audit.record(actor=actor, channel=channel, action="training.complete", obj=person,
                         changes={"training": [None, {"programme": batch.programme.code,
                                                      "batch": batch.pk,
                                                      "completed_on": completed_on.isoformat()}],
                                  **({"competency": [None, raised]} if raised else {})},
                         region_code=person.region_id)
    return current


def do_submit_feedback(*, actor: Any, channel: str, nomination: Nomination, rating: int,
                       trainer_rating: int | None = None, comments: str = "") -> Feedback:
    """The participant's own feedback (their account), or entered by the organiser."""
    with transaction.atomic():
        current: Nomination = Nomination.objects.select_for_update(of=SELF).select_related(
            "batch__organisation", "person").get(pk=nomination.pk)
        own = current.person.user_id is not None and current.person.user_id == getattr(
            actor, "pk", None)
        if not own and not can_manage(actor, current.batch.organisation):
            raise err("not_participant")
        if current.status not in (NS.ENROLLED, NS.COMPLETED, NS.NOT_COMPLETED):
            raise err("not_participant")
        if Feedback.objects.filter(nomination=current).exists():
            raise err("feedback_exists")
        for name, value in (("rating", rating), ("trainer_rating", trainer_rating)):
            if value is not None and not 1 <= int(value) <= 5:
                raise ValidationFailed([err("rating_range", field=name)])
        feedback = Feedback.objects.create(nomination=current, rating=rating,
                                           trainer_rating=trainer_rating, comments=comments)
        audit.record(actor=actor, channel=channel, action="nomination.feedback", obj=current,
                     changes={"rating": [None, rating], "trainer_rating": [None, trainer_rating]},
                     region_code=current.person.region_id or "")
    return feedback


# --- scholarships and field practice --------------------------------------------------------

SCHEME_FIELDS = ["name", "degree", "institution", "study_programme", "sponsor", "funding_source",
                 "intake_year", "quota", "organisation"]
SCHOLAR_FIELDS = ["status", "start_date", "end_date", "note"]
PLACEMENT_FIELDS = ["student_name", "student_number", "institution", "host", "supervisor",
                    "start_date", "end_date", "status"]


def do_save_scheme(*, actor: Any, channel: str, data: dict[str, Any],
                   scheme: ScholarshipScheme | None = None) -> ScholarshipScheme:
    with transaction.atomic():
        obj = _locked(ScholarshipScheme, scheme) if scheme else ScholarshipScheme()
        creating = obj.pk is None
        if not creating:
            _require_manager(actor, obj.organisation)
        before = _apply(obj, SCHEME_FIELDS, data)
        _require_manager(actor, obj.organisation if obj.organisation_id else None)
        errors = [DomainError("required", field=f) for f in
                  ("name", "degree", "study_programme", "sponsor", "intake_year", "quota")
                  if not getattr(obj, f)]
        if not obj.institution_id:
            errors.append(DomainError("required", field="institution"))
        if errors:
            raise ValidationFailed(errors)
        obj.save()
        _audit_save(actor, channel, obj, SCHEME_FIELDS, before, creating)
    return obj


def do_add_scholar(*, actor: Any, channel: str, scheme: ScholarshipScheme, person: Person,
                   note: str = "") -> Scholar:
    """An office proposes one of its people for a scholarship intake (change on the person)."""
    with transaction.atomic():
        current_scheme = _locked(ScholarshipScheme, scheme)
        current = Person.objects.restrict(actor, CHANGE).filter(pk=person.pk).first()
        if current is None:
            raise DomainError("out_of_scope", field="person")
        if Scholar.objects.filter(scheme=current_scheme, person=current).exists():
            raise err("already_nominated", field="person", person=current.name)
        scholar = Scholar.objects.create(scheme=current_scheme, person=current, note=note[:255])
        audit.record(actor=actor, channel=channel, action="scholar.create", obj=current,
                     changes={"scholarship": [None, {"scheme": current_scheme.pk,
                                                     "status": scholar.status}]},
                     region_code=current.region_id)
    return scholar


def do_set_scholar_status(*, actor: Any, channel: str, scholar: Scholar, status: str,
                          start_date: dt.date | None = None, end_date: dt.date | None = None,
                          note: str = "") -> Scholar:
    """The scheme's manager records selection and study progress; accepting counts against the
    quota."""
    if status not in ScholarStatus.values:
        raise ValidationFailed([DomainError("invalid_value", field="status",
                                            message=f"Status tidak dikenal: {status}.")])
    with transaction.atomic():
        current: Scholar = Scholar.objects.select_for_update(of=SELF).select_related(
            "scheme", "person").get(pk=scholar.pk)
        scheme = _locked(ScholarshipScheme, current.scheme)
        _require_manager(actor, scheme.organisation)
        taking = (ScholarStatus.SELECTED, ScholarStatus.STUDYING, ScholarStatus.GRADUATED)
        if status in taking and current.status not in taking:
            used = scheme.scholars.filter(status__in=taking).count()
            if used >= scheme.quota:
                raise err("quota_full", scheme=scheme.name, quota=scheme.quota)
        before = audit.snapshot(current, SCHOLAR_FIELDS)
        current.status = status
        if start_date is not None:
            current.start_date = start_date
        if end_date is not None:
            current.end_date = end_date
        if note:
            current.note = note[:255]
        current.save()
        audit.record(actor=actor, channel=channel, action="scholar.status", obj=current.person,
                     changes={"scholarship": [before, audit.snapshot(current, SCHOLAR_FIELDS)]},
                     region_code=current.person.region_id)
    return current


def do_save_placement(*, actor: Any, channel: str, data: dict[str, Any],
                      placement: FieldPlacement | None = None) -> FieldPlacement:
    """A field practice placement. The host office's region scopes it; the actor must manage the
    host office or the sending institution."""
    with transaction.atomic():
        obj = (FieldPlacement.objects.select_for_update(of=SELF).get(pk=placement.pk) if placement
               else FieldPlacement(created_by=actor if getattr(actor, "pk", None) else None))
        creating = obj.pk is None
        if not creating and not (can_manage(actor, obj.host) or can_manage(actor,
                                                                           obj.institution)):
            raise DomainError("out_of_scope")
        unknown = set(data) - set(PLACEMENT_FIELDS)
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        before = {} if creating else audit.snapshot(obj, PLACEMENT_FIELDS)
        for key, value in data.items():
            setattr(obj, key, value)
        errors = [DomainError("required", field=f) for f in
                  ("student_name", "start_date", "end_date") if not getattr(obj, f)]
        for f in ("institution", "host"):
            if not getattr(obj, f + "_id"):
                errors.append(DomainError("required", field=f))
        if errors:
            raise ValidationFailed(errors)
        if obj.end_date < obj.start_date:
            raise ValidationFailed([DomainError("end_before_start", field="end_date")])
        if not (can_manage(actor, obj.host) or can_manage(actor, obj.institution)):
            raise err("not_manager", field="host", organisation=obj.host.name)
        code = obj.host.managing_region_code or obj.host.region_id
        from sdmkesos.core.models import region_parts

        obj.region_id = code
        obj.region_prov, obj.region_kab = region_parts(code)
        obj.save()
        _audit_save(actor, channel, obj, PLACEMENT_FIELDS, before, creating)
    return obj


# --- training plans -------------------------------------------------------------------------


def do_create_plan(*, actor: Any, channel: str, name: str, organisation: Organisation,
                   region: Any, parameters: dict[str, Any],
                   result: dict[str, Any] | None = None, enqueue: bool = True) -> Any:
    """Record a training-plan request (target region within the actor's scope, organiser the
    actor manages) and queue the optimiser (``training.tasks.run_training_plan``). With
    ``result`` (a plan JSON made elsewhere, e.g. by the CLI) the plan is stored as a draft."""
    from sdmkesos.core.scoping import scope_for

    from .models import PlanStatus, TrainingPlan
    from .tasks import run_training_plan

    _require_manager(actor, organisation)
    scope = scope_for(actor)
    if region is None and not scope.unrestricted:
        raise ValidationFailed([err("plan_region_required", field="region")])
    if region is not None and not scope.unrestricted and not scope.covers_region(region.code):
        raise DomainError("out_of_scope", field="region")
    name = (name or "").strip()[:200]
    if not name:
        raise ValidationFailed([DomainError("required", field="name")])
    with transaction.atomic():
        plan = TrainingPlan(name=name, organisation=organisation, parameters=parameters,
                            created_by=actor if getattr(actor, "pk", None) else None)
        plan.set_region(region)
        if result is not None:
            plan.result = result
            plan.status = PlanStatus.DRAFT
        plan.save()
        audit.record(actor=actor, channel=channel, action="plan.create", obj=plan,
                     changes={"name": [None, name], "organisation": [None, organisation.code],
                              "parameters": [None, parameters]},
                     region_code=plan.region_id or "")
        if result is None and enqueue:
            plan_id = plan.pk
            transaction.on_commit(lambda: run_training_plan.enqueue(plan_id))
    return plan


def mark_plan_running(plan: Any) -> bool:
    """The task takes a queued plan (no audit: a status the task owns). False when it is no
    longer queued."""
    from .models import PlanStatus, TrainingPlan

    return bool(TrainingPlan.objects.filter(pk=plan.pk, status=PlanStatus.QUEUED).update(
        status=PlanStatus.RUNNING))


def do_finish_plan(*, plan: Any, result: dict[str, Any] | None, summary: dict[str, Any],
                   failure: str = "") -> Any:
    """The task stores the optimiser's plan (status draft) or the failure (status failed)."""
    from django.utils import timezone

    from .models import PlanStatus, TrainingPlan

    with transaction.atomic():
        current = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
        current.result = result
        current.summary = summary
        current.failure = failure
        current.status = PlanStatus.FAILED if failure else PlanStatus.DRAFT
        current.finished_at = timezone.now()
        current.save()
        changes: dict[str, Any] = {"status": [PlanStatus.RUNNING, current.status]}
        if result:
            changes["result"] = [None, {k: result.get(k) for k in
                                        ("objective", "bound", "gap", "trained")}]
        audit.record(actor=None, channel="system", action="plan.solve", obj=current,
                     changes=changes, region_code=current.region_id or "")
    return current


def do_accept_plan(*, actor: Any, channel: str, plan: Any) -> list[Batch]:
    """Create the plan's batches (status *rencana*, organiser = the plan's), assign their
    trainers and nominate their participants through ``do_save_batch``, ``do_assign_trainer``
    and ``do_nominate`` — the same checks apply. All or nothing: every conflict found (a trainer
    or participant busy since solving, a person out of the actor's scope or no longer eligible,
    a venue too small) is listed and nothing is saved."""
    from django.utils import timezone

    from .models import PlanStatus, TrainingPlan

    with transaction.atomic():
        current: TrainingPlan = TrainingPlan.objects.select_for_update(of=SELF).select_related(
            "organisation").get(pk=plan.pk)
        if not TrainingPlan.objects.restrict(actor, "view").filter(pk=current.pk).exists():
            raise DomainError("out_of_scope")
        _require_manager(actor, current.organisation)
        if current.status != PlanStatus.DRAFT:
            raise err("plan_not_draft", status=current.get_status_display())
        data = current.result or {}
        entries = data.get("batches") or []
        if not entries:
            raise err("plan_empty")
        problems: list[DomainError] = []
        created: list[Batch] = []
        programmes = {p.code: p for p in Programme.objects.filter(
            code__in={str(b.get("programme")) for b in entries})}
        venue_ids = {int(b["venue"]) for b in entries if str(b.get("venue", "")).isdigit()}
        venues = {str(v.pk): v for v in Venue.objects.filter(pk__in=venue_ids)}
        trainer_ids = {int(t) for b in entries for t in b.get("trainers", [])
                       if str(t).isdigit()}
        trainers = {str(t.pk): t for t in Trainer.objects.filter(pk__in=trainer_ids)}
        person_ids = {int(p) for b in entries for p in b.get("participants", [])
                      if str(p).isdigit()}
        persons = {str(p.pk): p for p in Person.objects.filter(pk__in=person_ids)}

        def problem(entry: dict[str, Any], reason: str) -> None:
            problems.append(err("plan_batch_problem", field=str(entry.get("id", "")),
                                batch=entry.get("id", "?"), programme=entry.get("programme"),
                                start=entry.get("start"), end=entry.get("end"),
                                reason=reason))

        for entry in entries:
            programme = programmes.get(str(entry.get("programme")))
            venue = venues.get(str(entry.get("venue")))
            if programme is None:
                problem(entry, err("plan_unknown", what=_t("Program"),
                                   value=entry.get("programme")).message)
                continue
            if venue is None:
                problem(entry, err("plan_unknown", what=_t("Tempat"),
                                   value=entry.get("venue")).message)
                continue
            seats = len(entry.get("participants", []))
            try:
                new = do_save_batch(actor=actor, channel=channel, data={
                    "programme": programme, "venue": venue,
                    "venue_region": venue.venue_region,
                    "start_date": dt.date.fromisoformat(entry["start"]),
                    "end_date": dt.date.fromisoformat(entry["end"]),
                    "capacity": seats or 1,
                    "status": BatchStatus.PLANNED, "organisation": current.organisation,
                    "name": f"{programme.name} — {current.name}"[:200]})
            except DomainError as error:
                problem(entry, error.message)
                continue
            except ValidationFailed as error:
                problem(entry, "; ".join(e.message for e in error.errors))
                continue
            created.append(new)
            for tid in entry.get("trainers", []):
                trainer = trainers.get(str(tid))
                if trainer is None:
                    problem(entry, err("plan_unknown", what=_t("Pengajar"), value=tid).message)
                    continue
                try:
                    do_assign_trainer(actor=actor, channel=channel, batch=new, trainer=trainer)
                except DomainError as error:
                    problem(entry, error.message)
            for pid in entry.get("participants", []):
                person = persons.get(str(pid))
                if person is None:
                    problem(entry, err("plan_unknown", what=_t("Orang"), value=pid).message)
                    continue
                try:
                    do_nominate(actor=actor, channel=channel, batch=new, person=person,
                                note=f"rencana #{current.pk}")
                except DomainError as error:
                    problem(entry, f"{person.name}: {error.message}"
                            if error.code == "out_of_scope" else error.message)
        if problems:
            raise ValidationFailed([err("plan_conflicts", count=len(problems)), *problems])
        current.status = PlanStatus.ACCEPTED
        current.accepted_by = actor if getattr(actor, "pk", None) else None
        current.accepted_at = timezone.now()
        current.save()
        current.batches.set(created)
        audit.record(actor=actor, channel=channel, action="plan.accept", obj=current,
                     changes={"status": [PlanStatus.DRAFT, PlanStatus.ACCEPTED],
                              "batches": [None, [b.pk for b in created]],
                              "nominations": [None, sum(len(e.get("participants", []))
                                                        for e in entries)]},
                     region_code=current.region_id or "")
    return created


def _t(text: str) -> str:
    from django.utils.translation import gettext

    return gettext(text)
