"""Every change to the competency dictionary, the job standards and assessments: atomic,
permission/scope-checked, audited.

The dictionary and standards are national reference data: only administrators (national
administrator role or superuser) change them. Assessments need ``change`` on the person (the
worker may record a self-assessment of their own record).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sdmkesos.core import audit
from sdmkesos.core.choices import Role
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.scoping import CHANGE
from sdmkesos.people.models import Person

from .gaps import valid_until as compute_valid_until
from .models import (
    Assessment,
    AssessmentMethod,
    Competency,
    CompetencyGroup,
    CompetencyLevel,
    CompetencyType,
    JobStandard,
    StandardItem,
)

# Lock only the row itself (PostgreSQL refuses FOR UPDATE on the nullable side of a join).
SELF = ("self",)
MESSAGES: dict[str, Any] = {
    "admin_only": _("Hanya administrator nasional yang dapat mengubah kamus dan standar "
                    "kompetensi."),
    "level_range": _("Level harus 1 sampai 5 (diisi {value})."),
    "code_taken": _("Kode {value} sudah dipakai."),
    "future_date": _("Tanggal penilaian {value} belum terjadi."),
    "valid_before_assessed": _("Tanggal berlaku sampai sebelum tanggal penilaian."),
    "unknown_method": _("Metode penilaian {value} tidak dikenal."),
    "group_cycle": _("Kelompok tidak boleh menjadi induk dirinya sendiri."),
    "already_voided": _("Penilaian ini sudah dibatalkan."),
    "self_only_self": _("Pekerja hanya dapat mencatat penilaian diri (metode: penilaian diri)."),
}
COMPETENCY_FIELDS = ["code", "name", "name_en", "type", "group", "definition", "validity_months",
                     "sort_order", "is_active"]
GROUP_FIELDS = ["code", "name", "name_en", "type", "parent", "sort_order"]
STANDARD_FIELDS = ["code", "name", "category", "position", "is_active"]
ASSESSMENT_FIELDS = ["competency", "level", "method", "assessed_on", "valid_until",
                     "assessor_name", "source", "note", "voided"]


def err(code: str, field: str | None = None, **params: Any) -> DomainError:
    template = MESSAGES.get(code)
    message = str(template).format(**params) if template is not None else None
    return DomainError(code, field=field, message=message, **params)


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and (
        user.is_superuser or user.role == Role.NATIONAL_ADMIN))


def _require_admin(actor: Any) -> None:
    if not is_admin(actor):
        raise err("admin_only")


def _check_level(value: Any, field: str = "level") -> list[DomainError]:
    if not isinstance(value, int) or not 1 <= value <= 5:
        return [err("level_range", field=field, value=value)]
    return []


def _save_reference(actor: Any, channel: str, obj: Any, fields: list[str],
                    data: dict[str, Any], unique_code: bool = True) -> dict[str, list[Any]]:
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    creating = obj.pk is None
    before = {} if creating else audit.snapshot(obj, fields)
    for key, value in data.items():
        setattr(obj, key, value)
    errors = [DomainError("required", field=name) for name in ("code", "name")
              if name in fields and not getattr(obj, name)]
    if unique_code and obj.code and type(obj).objects.filter(code=obj.code).exclude(
            pk=obj.pk).exists():
        errors.append(err("code_taken", field="code", value=obj.code))
    return {"_errors": errors, "_before": before}  # type: ignore[dict-item]


def _finish(actor: Any, channel: str, obj: Any, fields: list[str], state: dict[str, Any],
            extra_errors: list[DomainError] | None = None) -> dict[str, list[Any]]:
    errors = state["_errors"] + (extra_errors or [])
    if errors:
        raise ValidationFailed(errors)
    creating = obj.pk is None
    obj.save()
    after = audit.snapshot(obj, fields)
    changes = ({k: [None, v] for k, v in after.items() if v not in (None, "")} if creating
               else audit.diff(state["_before"], after))
    if changes:
        audit.record(actor=actor, channel=channel, action="create" if creating else "update",
                     obj=obj, changes=changes)
    return changes


def do_save_group(*, actor: Any, channel: str, data: dict[str, Any],
                  group: CompetencyGroup | None = None) -> CompetencyGroup:
    _require_admin(actor)
    with transaction.atomic():
        obj = (CompetencyGroup.objects.select_for_update(of=SELF).get(pk=group.pk) if group
               else CompetencyGroup())
        state = _save_reference(actor, channel, obj, GROUP_FIELDS, data)
        extra: list[DomainError] = []
        parent = obj.parent
        while parent is not None:
            if obj.pk is not None and parent.pk == obj.pk:
                extra.append(err("group_cycle", field="parent"))
                break
            parent = parent.parent
        if obj.type not in CompetencyType.values:
            extra.append(DomainError("required", field="type"))
        _finish(actor, channel, obj, GROUP_FIELDS, state, extra)
    return obj


def do_save_competency(*, actor: Any, channel: str, data: dict[str, Any],
                       competency: Competency | None = None) -> Competency:
    """Create or change a competency. Its type follows its group's."""
    _require_admin(actor)
    with transaction.atomic():
        obj = (Competency.objects.select_for_update(of=SELF).get(pk=competency.pk) if competency
               else Competency())
        state = _save_reference(actor, channel, obj, COMPETENCY_FIELDS, data)
        extra: list[DomainError] = []
        if obj.group_id is None:
            extra.append(DomainError("required", field="group"))
        else:
            obj.type = obj.group.type
        _finish(actor, channel, obj, COMPETENCY_FIELDS, state, extra)
    return obj


def do_save_level(*, actor: Any, channel: str, competency: Competency, level: int,
                  description: str, indicators: list[str]) -> CompetencyLevel:
    """Set the description and behaviour indicators of one level (1-5) of a competency."""
    _require_admin(actor)
    errors = _check_level(level)
    if errors:
        raise ValidationFailed(errors)
    indicators = [line.strip() for line in indicators if line and line.strip()]
    with transaction.atomic():
        obj, created = CompetencyLevel.objects.select_for_update(of=SELF).get_or_create(
            competency=competency, level=level,
            defaults={"description": description, "indicators": indicators})
        before = {} if created else {"description": obj.description,
                                     "indicators": obj.indicators}
        obj.description, obj.indicators = description, indicators
        obj.save()
        changes = audit.diff(before, {"description": description, "indicators": indicators})
        if changes:
            audit.record(actor=actor, channel=channel, action="level.save", obj=competency,
                         changes={f"level{level}.{k}": v for k, v in changes.items()})
    return obj


def do_save_standard(*, actor: Any, channel: str, data: dict[str, Any],
                     items: dict[Competency, int] | None = None,
                     standard: JobStandard | None = None) -> JobStandard:
    """Create or change a job standard; ``items`` (competency → required level) replaces the
    standard's items when given."""
    _require_admin(actor)
    with transaction.atomic():
        obj = (JobStandard.objects.select_for_update(of=SELF).get(pk=standard.pk) if standard
               else JobStandard())
        state = _save_reference(actor, channel, obj, STANDARD_FIELDS, data)
        extra: list[DomainError] = []
        for comp, level in (items or {}).items():
            extra += _check_level(level, field=f"items.{comp.code}")
        if not obj.category_id and not obj.position:
            extra.append(DomainError("required", field="category", message=str(_(
                "Isi kategori SDM atau nama jabatan yang memakai standar ini."))))
        changes = _finish(actor, channel, obj, STANDARD_FIELDS, state, extra)
        if items is not None:
            before = {i.competency.code: i.required_level
                      for i in obj.items.select_related("competency")}
            after = {c.code: level for c, level in items.items()}
            if before != after:
                obj.items.all().delete()
                StandardItem.objects.bulk_create(
                    StandardItem(standard=obj, competency=c, required_level=level)
                    for c, level in items.items())
                diff = audit.diff(before, after)
                diff.update({k: [v, None] for k, v in before.items() if k not in after})
                audit.record(actor=actor, channel=channel, action="standard.items", obj=obj,
                             changes=diff)
                changes.update(diff)
    return obj


def do_delete_standard_item(*, actor: Any, channel: str, item: StandardItem) -> None:
    _require_admin(actor)
    with transaction.atomic():
        standard = item.standard
        audit.record(actor=actor, channel=channel, action="standard.items", obj=standard,
                     changes={item.competency.code: [item.required_level, None]})
        item.delete()


# --- assessments ----------------------------------------------------------------------------


def _assessable_person(actor: Any, person: Person, method: str) -> Person:
    current = Person.objects.restrict(actor, CHANGE).select_for_update(of=SELF).filter(
        pk=person.pk).first()
    if current is not None:
        return current
    own = getattr(person, "user_id", None) is not None and person.user_id == getattr(
        actor, "pk", None)
    if own:
        if method != AssessmentMethod.SELF:
            raise err("self_only_self", field="method")
        return Person.objects.select_for_update(of=SELF).get(pk=person.pk)
    raise DomainError("out_of_scope")


def do_record_assessment(*, actor: Any, channel: str, person: Person, competency: Competency,
                         level: int, method: str, assessed_on: dt.date,
                         valid_until: dt.date | None = None, assessor_name: str = "",
                         source: str = "", note: str = "",
                         today: dt.date | None = None) -> Assessment:
    """Record an assessed level. ``valid_until`` defaults to the competency's validity period
    from ``assessed_on`` (none: no expiry)."""
    today = today or dt.date.today()
    errors = _check_level(level)
    if method not in AssessmentMethod.values:
        errors.append(err("unknown_method", field="method", value=method))
    if assessed_on > today:
        errors.append(err("future_date", field="assessed_on", value=assessed_on.isoformat()))
    if valid_until is None:
        valid_until = compute_valid_until(assessed_on, competency.validity_months)
    elif valid_until < assessed_on:
        errors.append(err("valid_before_assessed", field="valid_until"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        current = _assessable_person(actor, person, method)
        return _create_assessment(actor, channel, current, competency, level, method,
                                  assessed_on, valid_until, assessor_name, source, note)


def _create_assessment(actor: Any, channel: str, person: Person, competency: Competency,
                       level: int, method: str, assessed_on: dt.date,
                       valid_until: dt.date | None, assessor_name: str, source: str,
                       note: str) -> Assessment:
    record = Assessment.objects.create(
        person=person, competency=competency, level=level, method=method,
        assessed_on=assessed_on, valid_until=valid_until, assessor_name=assessor_name[:150],
        source=source[:120], note=note[:255],
        recorded_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor=actor, channel=channel, action="competency.assess", obj=person,
                 changes={"assessment": [None, {"id": record.pk, **audit.snapshot(
                     record, ASSESSMENT_FIELDS)}]}, region_code=person.region_id)
    return record


def record_training_result(*, actor: Any, channel: str, person: Person, competency: Competency,
                           level: int, on: dt.date, source: str) -> Assessment:
    """An assessment from a completed training (method ``training``). Called by
    ``training.actions`` inside its own transaction, after its own scope checks."""
    return _create_assessment(actor, channel, person, competency, level,
                              AssessmentMethod.TRAINING, on,
                              compute_valid_until(on, competency.validity_months), "", source,
                              "")


def do_void_assessment(*, actor: Any, channel: str, assessment: Assessment,
                       reason: str = "") -> None:
    """Void an assessment recorded in error (it stays visible, no longer counts)."""
    with transaction.atomic():
        current = Assessment.objects.restrict(actor, CHANGE).select_for_update(of=SELF).filter(
            pk=assessment.pk).first()
        if current is None:
            raise DomainError("out_of_scope")
        if current.voided:
            raise err("already_voided")
        current.voided = True
        current.note = (reason or current.note)[:255]
        current.save(update_fields=["voided", "note"])
        audit.record(actor=actor, channel=channel, action="competency.void",
                     obj=current.person, changes={"assessment": [current.pk, None]},
                     note=reason, region_code=current.person.region_id)


def record_export(*, actor: Any, channel: str, what: str, note: str = "") -> None:
    """Exports of personal data are audited (who took which rows out)."""
    audit.record(actor=actor, channel=channel, action="export", object_type=what,
                 object_id="-", note=note)
