"""Every change to the registry goes through these functions: atomic, scope-checked, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.utils.translation import get_language

from sdmkesos.core import audit
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.identifiers import IdentifierIssue, validate_nik, validate_nip
from sdmkesos.core.models import AuditEvent, Organisation
from sdmkesos.core.scoping import ADD, CHANGE, DELETE, VIEW, can, scope_for
from sdmkesos.imports.spec import WriteOutcome

from .models import EducationRecord, EmploymentRecord, Person

PERSON_FIELDS = [
    "nik", "nip", "name", "sex", "birth_place", "birth_date", "phone", "email", "address",
    "domicile_region", "region", "organisation", "position", "category", "employment_status",
    "education_level", "field_of_study", "kesos_background", "user",
]
EDITABLE_FIELDS = {
    "nik", "nip", "name", "sex", "birth_place", "birth_date", "phone", "email", "address",
    "domicile_region", "region", "organisation", "position", "category", "employment_status",
}
EDUCATION_FIELDS = ["level", "field", "field_text", "institution", "graduation_year"]
EMPLOYMENT_FIELDS = ["organisation", "position", "category", "employment_status",
                     "start_date", "end_date"]
PERSON_TYPE = "people.person"


def issue_error(issue: IdentifierIssue, field: str) -> DomainError:
    lang = (get_language() or "id")[:2]
    message = issue.message_en if lang == "en" else issue.message_id
    return DomainError(issue.code, field=field, message=message, **issue.params)


def identifier_problems(person: Person) -> tuple[list[DomainError], list[DomainError]]:
    """(errors, warnings) of the person's NIK and NIP."""
    errors: list[DomainError] = []
    warnings: list[DomainError] = []
    nik = validate_nik(person.nik, sex=person.sex, birth_date=person.birth_date)
    for issue in nik.issues:
        (errors if issue.severity == "error" else warnings).append(issue_error(issue, "nik"))
    if person.nik != nik.nik and nik.valid:
        person.nik = nik.nik
    if person.nip:
        nip = validate_nip(person.nip, sex=person.sex, birth_date=person.birth_date)
        for issue in nip.issues:
            (errors if issue.severity == "error" else warnings).append(issue_error(issue, "nip"))
        if nip.valid:
            person.nip = nip.nip
    return errors, warnings


def _taken(code: str, field: str, value: str, holder: Any, actor: Any) -> DomainError:
    """NIK/NIP already held: the holder is named only to a user who may see them."""
    if actor is None or Person.objects.restrict(actor, VIEW).filter(pk=holder.pk).exists():
        return DomainError(code, field=field, **{field: value}, holder=holder.name,
                           holder_id=holder.pk)
    return DomainError(f"{code}_elsewhere", field=field, **{field: value})


def _check_unique(person: Person, actor: Any = None) -> list[DomainError]:
    errors = []
    holder = Person.objects.filter(nik=person.nik).exclude(pk=person.pk).first()
    if holder is not None:
        errors.append(_taken("nik_taken", "nik", person.nik, holder, actor))
    if person.nip:
        holder = Person.objects.filter(nip=person.nip).exclude(pk=person.pk).first()
        if holder is not None:
            errors.append(_taken("nip_taken", "nip", person.nip, holder, actor))
    return errors


def _derive(person: Person) -> None:
    """Managing region from the office; its province/regency prefixes for scoping."""
    if person.organisation_id is not None:
        org = person.organisation
        assert org is not None
        person.set_region(org.managing_region_code)
    else:
        person.set_region(person.region_id)


def _ensure_in_scope(actor: Any, person: Person, action: str) -> None:
    """Raise unless ``person`` as saved is inside the actor's scope for ``action``."""
    if not Person.objects.restrict(actor, action).filter(pk=person.pk).exists():
        raise DomainError("move_out_of_scope", field="region",
                          region=person.region_id or "nasional")


def _validate(person: Person, actor: Any = None) -> list[DomainError]:
    errors: list[DomainError] = []
    for name in ("nik", "name", "sex", "birth_date"):
        if not getattr(person, name):
            errors.append(DomainError("required", field=name))
    if person.sex and person.sex not in ("L", "P"):
        errors.append(DomainError("invalid_sex", field="sex"))
    if errors:
        return errors
    id_errors, _warnings = identifier_problems(person)
    return id_errors + _check_unique(person, actor)


def do_create_person(*, actor: Any, channel: str, data: dict[str, Any], note: str = "") -> Person:
    if not can(actor, ADD):
        raise DomainError("forbidden")
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        person = Person(**data)
        _derive(person)
        errors = _validate(person, actor)
        if errors:
            raise ValidationFailed(errors)
        person.save()
        _ensure_in_scope(actor, person, ADD)
        audit.record(actor=actor, channel=channel, action="create", obj=person,
                     changes={k: [None, v] for k, v in audit.snapshot(person, PERSON_FIELDS).items()
                              if v not in (None, "", False)},
                     note=note, region_code=person.region_id)
    return person


def do_update_person(*, actor: Any, channel: str, person: Person, data: dict[str, Any],
                     note: str = "") -> dict[str, list[Any]]:
    """Apply ``data`` to ``person``; returns the changes (field → [before, after])."""
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        current = Person.objects.restrict(actor, CHANGE).select_for_update().filter(
            pk=person.pk).first()
        if current is None:
            raise DomainError("out_of_scope")
        before = audit.snapshot(current, PERSON_FIELDS)
        for key, value in data.items():
            setattr(current, key, value)
        _derive(current)
        errors = _validate(current, actor)
        if errors:
            raise ValidationFailed(errors)
        changes = audit.diff(before, audit.snapshot(current, PERSON_FIELDS))
        if not changes:
            return {}
        current.save()
        _ensure_in_scope(actor, current, CHANGE)
        audit.record(actor=actor, channel=channel, action="update", obj=current, changes=changes,
                     note=note, region_code=current.region_id)
    person.refresh_from_db()
    return changes


def do_delete_person(*, actor: Any, channel: str, person: Person, note: str = "") -> None:
    with transaction.atomic():
        current = Person.objects.restrict(actor, DELETE).filter(pk=person.pk).first()
        if current is None:
            raise DomainError("out_of_scope")
        before = audit.snapshot(current, PERSON_FIELDS)
        region = current.region_id
        audit.record(actor=actor, channel=channel, action="delete", obj=current,
                     changes={k: [v, None] for k, v in before.items() if v not in (None, "")},
                     note=note, region_code=region)
        current.delete()


def _locked_person(actor: Any, person: Person) -> Person:
    current = Person.objects.restrict(actor, CHANGE).select_for_update().filter(
        pk=person.pk).first()
    if current is None:
        raise DomainError("out_of_scope")
    return current


def refresh_current(person: Person) -> dict[str, list[Any]]:
    """Copy the current assignment and the highest education onto the person."""
    before = audit.snapshot(person, PERSON_FIELDS)
    job = (person.employment.filter(end_date__isnull=True)
           .order_by("-start_date", "-id").select_related("organisation").first())
    if job is not None:
        person.organisation = job.organisation
        person.position = job.position
        person.category_id = job.category_id or person.category_id
        person.employment_status_id = job.employment_status_id or person.employment_status_id
    edu = person.education.select_related("level", "field").order_by(
        "-level__rank", "-graduation_year", "-id").first()
    person.education_level = edu.level if edu else None
    person.field_of_study = edu.field if edu else None
    person.kesos_background = person.education.filter(field__is_kesos=True).exists()
    _derive(person)
    changes = audit.diff(before, audit.snapshot(person, PERSON_FIELDS))
    if changes:
        person.save()
    return changes


def do_add_education(*, actor: Any, channel: str, person: Person, data: dict[str, Any],
                     note: str = "") -> EducationRecord:
    with transaction.atomic():
        current = _locked_person(actor, person)
        if not data.get("level"):
            raise ValidationFailed([DomainError("required", field="level")])
        record = EducationRecord.objects.create(person=current, **data)
        derived = refresh_current(current)
        audit.record(actor=actor, channel=channel, action="education.add", obj=current,
                     changes={"education": [None, audit.snapshot(record, EDUCATION_FIELDS)],
                              **derived},
                     note=note, region_code=current.region_id)
    return record


def do_delete_education(*, actor: Any, channel: str, record: EducationRecord) -> None:
    with transaction.atomic():
        current = _locked_person(actor, record.person)
        before = audit.snapshot(record, EDUCATION_FIELDS)
        record.delete()
        derived = refresh_current(current)
        audit.record(actor=actor, channel=channel, action="education.delete", obj=current,
                     changes={"education": [before, None], **derived},
                     region_code=current.region_id)


def _validate_employment(data: dict[str, Any]) -> None:
    errors = []
    if not data.get("organisation"):
        errors.append(DomainError("required", field="organisation"))
    start, end = data.get("start_date"), data.get("end_date")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        errors.append(DomainError("end_before_start", field="end_date"))
    if errors:
        raise ValidationFailed(errors)


def do_add_employment(*, actor: Any, channel: str, person: Person, data: dict[str, Any],
                      close_current: bool = True, note: str = "") -> EmploymentRecord:
    """Record an assignment. A new current one closes the previous current one the day before."""
    _validate_employment(data)
    org: Organisation = data["organisation"]
    scope = scope_for(actor)
    if org.managing_region_code is not None and not scope.covers_region(
            org.managing_region_code) and not scope.covers_org_path(org.path):
        raise DomainError("move_out_of_scope", field="organisation",
                          region=org.managing_region_code)
    with transaction.atomic():
        current = _locked_person(actor, person)
        closed = []
        if close_current and data.get("end_date") is None:
            start = data.get("start_date") or dt.date.today()
            for job in current.employment.filter(end_date__isnull=True):
                job.end_date = max(start - dt.timedelta(days=1), job.start_date or dt.date.min)
                job.save(update_fields=["end_date"])
                closed.append(job.pk)
        record = EmploymentRecord.objects.create(person=current, **data)
        derived = refresh_current(current)
        _ensure_in_scope(actor, current, CHANGE)
        audit.record(actor=actor, channel=channel, action="employment.add", obj=current,
                     changes={"employment": [None, audit.snapshot(record, EMPLOYMENT_FIELDS)],
                              **({"closed_employment": [None, closed]} if closed else {}),
                              **derived},
                     note=note, region_code=current.region_id)
    return record


def do_end_employment(*, actor: Any, channel: str, record: EmploymentRecord,
                      end_date: dt.date) -> None:
    with transaction.atomic():
        current = _locked_person(actor, record.person)
        if record.start_date and end_date < record.start_date:
            raise ValidationFailed([DomainError("end_before_start", field="end_date")])
        before = audit.snapshot(record, EMPLOYMENT_FIELDS)
        record.end_date = end_date
        record.save(update_fields=["end_date"])
        derived = refresh_current(current)
        audit.record(actor=actor, channel=channel, action="employment.end", obj=current,
                     changes={"employment": [before, audit.snapshot(record, EMPLOYMENT_FIELDS)],
                              **derived},
                     region_code=current.region_id)


# --------------------------------------------------------------------------------------------
# Bulk import (sheets). One transaction for the whole file: the caller wraps it.
# --------------------------------------------------------------------------------------------

IMPORT_PERSON_KEYS = ["nik", "nip", "name", "sex", "birth_place", "birth_date", "phone",
                      "email", "address"]
IMPORT_JOB_KEYS = ["organisation", "position", "category", "employment_status"]
CHUNK = 900


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    if connection.vendor == "postgresql":
        size = max(size, PG_CHUNK)  # one array parameter per query: see _matching
    for i in range(0, len(items), size):
        yield items[i : i + size]


PG_CHUNK = 100_000


def _matching(queryset: Any, field: str, values: list[Any]) -> Any:
    """The rows of ``queryset`` whose ``field`` is one of ``values``. PostgreSQL takes the
    values as one array parameter (``= ANY``): building and sending thousands of ``IN``
    placeholders costs more than the query itself. Unordered: the callers index the rows."""
    queryset = queryset.order_by()
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{field}__in": values})
    meta = queryset.model._meta
    column = meta.get_field(field).column
    return queryset.extra(where=[f'"{meta.db_table}"."{column}" = ANY(%s)'],
                          params=[list(values)])


def do_import_persons(*, actor: Any, channel: str, rows: list[tuple[int, dict[str, Any]]],
                      note: str = "") -> WriteOutcome:
    """Upsert people by NIK from validated sheet rows (``imports.persons.validate_rows``).

    Blank cells never erase data. A new assignment (organisation/position/category/status that
    differs from the current one) closes the current employment record; a new education level or
    field adds an education record. Rows whose NIK or NIP belongs to someone outside the actor's
    scope are rejected, and so are new rows whose managing office lies outside it.

    Fast path: existing people are compared as plain tuples (an unchanged row costs no query of
    its own); new people, their first employment and education records and their audit events
    are written in bulk (COPY on PostgreSQL) with ids allocated up front. Must run inside the
    caller's transaction (all-or-nothing)."""
    from sdmkesos.imports.bulk import allocate_ids, insert_rows

    if not can(actor, ADD):
        raise DomainError("forbidden")
    outcome = WriteOutcome()
    scope = scope_for(actor)
    niks = [d["nik"] for _, d in rows]
    existing: dict[str, tuple[Any, ...]] = {}
    in_scope: set[int] = set()
    for chunk in _chunks(niks):
        for values in _matching(Person.objects.all(), "nik", chunk).values_list(*_COMPARE):
            existing[values[1]] = values
        if not scope.unrestricted:
            in_scope.update(_matching(Person.objects.restrict(actor, CHANGE), "nik", chunk)
                            .values_list("id", flat=True))
    schooling: set[tuple[int, int, int | None]] = set()
    for chunk in _chunks([v[0] for v in existing.values()]):
        schooling.update(_matching(EducationRecord.objects.all(), "person", chunk).values_list(
            "person_id", "level_id", "field_id"))
    nips = [d["nip"] for _, d in rows if d.get("nip")]
    nip_holders: dict[str, tuple[str, str, int]] = {}
    for chunk in _chunks(nips):
        for nip, nik, name, pk in _matching(Person.objects.all(), "nip", chunk).values_list(
                "nip", "nik", "name", "id"):
            nip_holders[str(nip)] = (nik, name, pk)

    new_rows: list[tuple[int, dict[str, Any], str | None]] = []
    events: list[AuditEvent] = []
    request_id = audit.current_request_id.get() or ""
    label = actor.get_username() if getattr(actor, "pk", None) else "system"
    actor_id = actor.pk if label != "system" else None
    for row_no, data in rows:
        holder = nip_holders.get(str(data.get("nip") or ""))
        if holder and holder[0] != data["nik"]:
            visible = scope.unrestricted or Person.objects.restrict(actor, VIEW).filter(
                pk=holder[2]).exists()
            taken = (DomainError("nip_taken", nip=data["nip"], holder=holder[1],
                                 holder_id=holder[2]) if visible else
                     DomainError("nip_taken_elsewhere", nip=data["nip"]))
            outcome.rejected.append((row_no, "NIP", data["nip"], "nip_taken", taken.message))
            continue
        current = existing.get(data["nik"])
        if current is None:
            org = data.get("organisation")
            region = org.managing_region_code if org is not None else None
            if not scope.unrestricted and (region is None or not scope.covers_region(region)):
                outcome.rejected.append((row_no, "Unit Kerja", org.name if org else "",
                                         "out_of_scope", DomainError(
                                             "move_out_of_scope", field="organisation",
                                             region=region or "nasional").message))
                continue
            new_rows.append((row_no, data, region))
            continue
        if not scope.unrestricted and current[0] not in in_scope:
            taken = DomainError("nik_taken_elsewhere", nik=data["nik"])
            outcome.rejected.append((row_no, "NIK", data["nik"], "nik_taken_out_of_scope",
                                     taken.message))
            continue
        if not _import_differs(current, data, schooling):
            outcome.unchanged += 1
            outcome.statuses[row_no] = "unchanged"
            continue
        person = Person.objects.select_related("organisation").get(pk=current[0])
        changes = _import_update(person, data)
        if changes:
            outcome.updated += 1
            outcome.statuses[row_no] = "updated"
            events.append(AuditEvent(actor_id=actor_id, actor_label=label, channel=channel,
                                     action="update", object_type=PERSON_TYPE,
                                     object_id=str(person.pk), object_repr=person.name[:200],
                                     changes=changes, note=note[:255],
                                     region_code=person.region_id or "",
                                     request_id=request_id))
        else:
            outcome.unchanged += 1
            outcome.statuses[row_no] = "unchanged"
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    if new_rows:
        _insert_new_people(new_rows, outcome, actor_id=actor_id, label=label, channel=channel,
                           note=note[:255], request_id=request_id,
                           allocate_ids=allocate_ids, insert_rows=insert_rows)
    return outcome


# id, nik, name, then the values an import can change, in _IMPORT_CMP order.
_IMPORT_CMP = [*IMPORT_PERSON_KEYS, "organisation_id", "position", "category_id",
               "employment_status_id"]
_COMPARE = ["id", "nik", "name", *_IMPORT_CMP]
_NEW_PERSON_FIELDS = [
    "id", "nik", "nip", "name", "sex", "birth_place", "birth_date", "phone", "email", "address",
    "region", "region_prov", "region_kab", "organisation", "position", "category",
    "employment_status", "education_level", "field_of_study", "kesos_background", "created_at",
    "updated_at"]
_AUDIT_FIELDS = ["at", "actor", "actor_label", "channel", "action", "object_type", "object_id",
                 "object_repr", "changes", "request_id", "note", "region_code"]


def _pk(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _import_differs(current: tuple[Any, ...], data: dict[str, Any],
                    schooling: set[tuple[int, int, int | None]]) -> bool:
    """Would this row change the person (``current`` as in _COMPARE)? Blank cells never do."""
    for offset, key in enumerate(_IMPORT_CMP, start=3):
        name = key.removesuffix("_id")
        value = data.get(name)
        if value in (None, ""):
            continue
        if _pk(value) != current[offset]:
            return True
    level = data.get("education_level")
    if level is not None:
        field_entry = data.get("field_of_study")
        return (current[0], level.pk, field_entry.pk if field_entry is not None else None) \
            not in schooling
    return False


def import_creation_note(note: str, row: Any) -> str:
    """The note of a person's creation event written by an import: the import's note (the
    file) and the sheet row. Such an event stores no values (a million of them would double the
    import's writes); the history view and API reconstruct them
    (``tables.with_created_values``)."""
    return f"{note}, baris {row}"


def _insert_new_people(new_rows: list[tuple[int, dict[str, Any], str | None]],
                       outcome: WriteOutcome, *, actor_id: Any, label: str, channel: str,
                       note: str, request_id: str, allocate_ids: Any, insert_rows: Any) -> None:
    from django.utils import timezone

    from sdmkesos.core.models import region_parts
    from sdmkesos.core.versioning import bump

    now = timezone.now()
    ids = allocate_ids(Person, len(new_rows))
    people: list[tuple[Any, ...]] = []
    jobs: list[tuple[Any, ...]] = []
    schooling: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for pk, (row_no, data, region) in zip(ids, new_rows, strict=True):
        org = data.get("organisation")
        category = data.get("category")
        status = data.get("employment_status")
        level = data.get("education_level")
        field_entry = data.get("field_of_study") if level is not None else None
        prov, kab = region_parts(region)
        kesos = bool(field_entry is not None and field_entry.is_kesos)
        person = (pk, data["nik"], data.get("nip") or None, data["name"], data.get("sex", ""),
                  data.get("birth_place", ""), data["birth_date"], data.get("phone", ""),
                  data.get("email", ""), data.get("address", ""), region, prov, kab,
                  _pk(org), data.get("position", ""), _pk(category), _pk(status), _pk(level),
                  _pk(field_entry), kesos, now, now)
        people.append(person)
        if org is not None:
            jobs.append((pk, org.pk, data.get("position", ""), _pk(category), _pk(status)))
        if level is not None:
            schooling.append((pk, level.pk, _pk(data.get("field_of_study")),
                              data.get("field_text", ""), data.get("institution", "")))
        events.append((now, actor_id, label, channel, "create", PERSON_TYPE, str(pk),
                       data["name"][:200], "{}", request_id,
                       import_creation_note(note, row_no)[:255], region or ""))
        outcome.created += 1
        outcome.statuses[row_no] = "created"
    insert_rows(Person, _NEW_PERSON_FIELDS, people)
    insert_rows(EmploymentRecord, ["person", "organisation", "position", "category",
                                   "employment_status"], jobs)
    insert_rows(EducationRecord, ["person", "level", "field", "field_text", "institution"],
                schooling)
    insert_rows(AuditEvent, _AUDIT_FIELDS, events)
    bump("registry")  # bulk inserts send no signals


def _import_update(person: Person, data: dict[str, Any]) -> dict[str, list[Any]]:
    before = audit.snapshot(person, PERSON_FIELDS)
    for key in IMPORT_PERSON_KEYS:
        if key in data and data[key] not in (None, ""):
            setattr(person, key, data[key])
    job_change = any(
        data.get(k) not in (None, "") and getattr(person, k) != data[k] for k in IMPORT_JOB_KEYS)
    extra: dict[str, list[Any]] = {}
    if job_change:
        current = {k: getattr(person, k) for k in IMPORT_JOB_KEYS}
        current.update({k: data[k] for k in IMPORT_JOB_KEYS if data.get(k) not in (None, "")})
        today = dt.date.today()
        person.employment.filter(end_date__isnull=True).update(end_date=today)
        record = EmploymentRecord.objects.create(person=person, start_date=today, **current)
        extra["employment"] = [None, audit.snapshot(record, EMPLOYMENT_FIELDS)]
    level = data.get("education_level")
    if level is not None and not person.education.filter(
            level=level, field=data.get("field_of_study")).exists():
        record_edu = EducationRecord.objects.create(
            person=person, level=level, field=data.get("field_of_study"),
            field_text=data.get("field_text", ""), institution=data.get("institution", ""))
        extra["education"] = [None, audit.snapshot(record_edu, EDUCATION_FIELDS)]
    if job_change or extra:
        refresh_current(person)
    changes = audit.diff(before, audit.snapshot(person, PERSON_FIELDS))
    if changes:
        person.save()
    return {**changes, **extra}


def do_import_person_frame(*, actor: Any, channel: str, frame: Any, note: str = "",
                           ) -> tuple[WriteOutcome, list[int]]:
    """The bulk counterpart of :func:`do_import_persons` for rows the vectorised import checks
    passed (``imports.persons_frame.classify``: a polars frame, foreign keys as ids). Creates
    the people whose NIK and NIP are new and whose unit lies in the actor's scope, with their
    first employment and education records and one audit event each, in bulk; returns the
    outcome and the sheet rows of the others (existing people, a NIP already held, a unit out
    of scope), which the caller passes through :func:`do_import_persons`. Must run inside the
    caller's transaction."""
    import polars as pl
    from django.db import connection
    from django.utils import timezone

    from sdmkesos.core.models import FieldOfStudy, region_parts
    from sdmkesos.core.versioning import bump
    from sdmkesos.imports.bulk import allocate_ids, insert_frame, loading_into_empty

    if not can(actor, ADD):
        raise DomainError("forbidden")
    outcome = WriteOutcome()
    if frame.height == 0:
        return outcome, []
    scope = scope_for(actor)
    niks = frame.get_column("nik").to_list()
    nips = frame.get_column("nip").drop_nulls().to_list()
    known: set[str] = set()
    held: set[str] = set()
    # Repeats within the file are found by the caller; in a table that was empty when the
    # import started, there is nothing else to find (and its NIK index waits for the end).
    lookups = [] if loading_into_empty(Person) else [("nik", niks, known), ("nip", nips, held)]
    with connection.cursor() as cursor:
        for column, values, into in lookups:
            for chunk in _chunks(values):
                if connection.vendor == "postgresql":
                    cursor.execute(f"SELECT {column} FROM people_person WHERE {column} = ANY(%s)",
                                   [chunk])
                else:
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(f"SELECT {column} FROM people_person WHERE {column} IN "
                                   f"({marks})", chunk)
                into.update(row[0] for row in cursor.fetchall())
    if known:
        frame, unchanged = _drop_unchanged(frame, known, actor, scope)
        outcome.unchanged = len(unchanged)
        outcome.statuses = dict.fromkeys(unchanged, "unchanged")
    org_ids = frame.get_column("organisation").drop_nulls().unique().to_list()
    regions = {o.pk: o.managing_region_code for o in Organisation.objects.filter(pk__in=org_ids)}
    outside = [pk for pk, code in regions.items()
               if not scope.unrestricted and (code is None or not scope.covers_region(code))]
    regions_table = pl.DataFrame(
        {"organisation": list(regions), "region": list(regions.values())},
        schema={"organisation": pl.Int64, "region": pl.String})
    field_ids = frame.get_column("field_of_study").drop_nulls().unique().to_list()
    kesos = [f.pk for f in FieldOfStudy.objects.filter(pk__in=field_ids, is_kesos=True)]
    leave = (pl.col("nik").is_in(list(known)) | pl.col("nip").is_in(list(held)).fill_null(False)
             | (pl.col("organisation").is_null() & pl.lit(not scope.unrestricted))
             | pl.col("organisation").is_in(outside).fill_null(False))
    frame = frame.with_columns(_leave=leave)
    others = frame.filter(pl.col("_leave")).get_column("_row").to_list()
    new = frame.filter(~pl.col("_leave")).drop("_leave")
    if frame.height == 0 or new.height == 0:
        return outcome, others

    now = timezone.now()
    stamp = now.isoformat()
    ids = allocate_ids(Person, new.height)
    label = actor.get_username() if getattr(actor, "pk", None) else "system"
    actor_id = actor.pk if label != "system" else None
    request_id = audit.current_request_id.get() or ""
    has_level = pl.col("education_level").is_not_null()
    field_entry = pl.when(has_level).then(pl.col("field_of_study"))
    people = new.join(regions_table, on="organisation", how="left", maintain_order="left"
                      ).with_columns(
        id=pl.Series(ids, dtype=pl.Int64),
        region_prov=pl.col("region").str.slice(0, 2).fill_null(""),
        region_kab=pl.when(pl.col("region").str.len_chars() >= 5)
        .then(pl.col("region").str.slice(0, 5)).otherwise(pl.lit("")),
        field_entry=field_entry,
        kesos_background=field_entry.is_in(kesos).fill_null(False),
        **{key: pl.col(key).fill_null("") for key in
           ("sex", "birth_place", "phone", "email", "address", "position", "field_text",
            "institution")})
    assert region_parts("35.07") == ("35", "35.07")  # the rule the two columns follow
    person_columns = {
        "id": "id", "nik": "nik", "nip": "nip", "name": "name", "sex": "sex",
        "birth_place": "birth_place", "birth_date": "birth_date", "phone": "phone",
        "email": "email", "address": "address", "region": "region",
        "region_prov": "region_prov", "region_kab": "region_kab",
        "organisation": "organisation", "position": "position", "category": "category",
        "employment_status": "employment_status", "education_level": "education_level",
        "field_of_study": "field_entry", "kesos_background": "kesos_background"}
    rows = people.select([pl.col(src).alias(dst) for dst, src in person_columns.items()]
                         ).with_columns(created_at=pl.lit(stamp), updated_at=pl.lit(stamp))
    insert_frame(Person, rows)
    insert_frame(EmploymentRecord, people.filter(pl.col("organisation").is_not_null()).select(
        person="id", organisation="organisation", position="position", category="category",
        employment_status="employment_status"))
    insert_frame(EducationRecord, people.filter(has_level).select(
        person="id", level="education_level", field="field_of_study", field_text="field_text",
        institution="institution"))

    # One audit event per person: the file and sheet row, not the values (see
    # import_creation_note).
    events = people.select(
        at=pl.lit(stamp), actor=pl.lit(actor_id, dtype=pl.Int64), actor_label=pl.lit(label),
        channel=pl.lit(channel), action=pl.lit("create"), object_type=pl.lit(PERSON_TYPE),
        object_id=pl.col("id").cast(pl.String), object_repr=pl.col("name").str.slice(0, 200),
        changes=pl.lit("{}"), request_id=pl.lit(request_id),
        note=pl.concat_str([pl.lit(import_creation_note(note, "")),
                            pl.col("_row").cast(pl.String)]).str.slice(0, 255),
        region_code=pl.col("region").fill_null(""))
    insert_frame(AuditEvent, events)
    bump("registry")  # bulk inserts send no signals
    outcome.created = new.height
    outcome.statuses.update(dict.fromkeys(new.get_column("_row").to_list(), "created"))
    return outcome, others


def _drop_unchanged(frame: Any, known: set[str], actor: Any, scope: Any) -> tuple[Any, list[int]]:
    """Split off the rows of people already registered (in the actor's scope) that the row
    path would find unchanged (``_import_differs``: a blank cell never changes anything; an
    education level counts when the person has no such record yet). Returns the rest of the
    frame and the sheet rows found unchanged."""
    import polars as pl

    existing = frame.filter(pl.col("nik").is_in(list(known)))
    niks = existing.get_column("nik").to_list()
    current_rows: list[tuple[Any, ...]] = []
    scoped: set[int] = set()
    for chunk in _chunks(niks, 20_000):
        current_rows += _matching(Person.objects.all(), "nik", chunk).values_list(*_COMPARE)
        if not scope.unrestricted:
            scoped.update(_matching(Person.objects.restrict(actor, CHANGE), "nik", chunk)
                          .values_list("id", flat=True))
    keys = [key.removesuffix("_id") for key in _IMPORT_CMP]
    current = pl.DataFrame(current_rows, schema=["_id", "_nik0", "_name0", *[
        f"_{k}" for k in keys]], orient="row", infer_schema_length=None)
    joined = existing.join(current.drop("_nik0", "_name0").rename({"_nik": "nik"}),
                           on="nik", how="inner")
    differs = []
    for key in keys[1:]:
        value = pl.col(key)
        filled = value.is_not_null()
        if joined.schema[key] == pl.String:
            filled = filled & (value != "")
        elif joined.schema[f"_{key}"] == pl.String:
            value = value.cast(pl.String)
        differs.append(filled & value.ne_missing(pl.col(f"_{key}")))
    person_ids = joined.get_column("_id").to_list()
    schooling_rows: list[tuple[Any, ...]] = []
    for chunk in _chunks(person_ids, 20_000):
        schooling_rows += _matching(EducationRecord.objects.all(), "person", chunk).values_list(
            "person_id", "level_id", "field_id")
    schooling = pl.DataFrame(schooling_rows, schema={"_id": pl.Int64, "education_level": pl.Int64,
                                                     "field_of_study": pl.Int64},
                             orient="row").unique().with_columns(_schooled=pl.lit(True))
    joined = joined.join(schooling, on=["_id", "education_level", "field_of_study"],
                         how="left", nulls_equal=True, maintain_order="left")
    differs.append(pl.col("education_level").is_not_null() & pl.col("_schooled").is_null())
    same = ~pl.any_horizontal(differs)
    if not scope.unrestricted:
        same = same & pl.col("_id").is_in(list(scoped))
    unchanged = joined.filter(same).get_column("_row").to_list()
    return frame.filter(~pl.col("_row").is_in(unchanged)), unchanged
