"""Every change to planning data goes through these functions: atomic, scope-checked, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sdmkesos.core import audit
from sdmkesos.core.choices import Role
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import Organisation, Region, WorkforceCategory
from sdmkesos.core.scoping import ADD, CHANGE, DELETE, can
from sdmkesos.people.models import Person

from . import wisn
from .models import EntrantSource, Scenario, StaffingNorm, UnitHead, WisnInputSet

WISN_FIELDS = ["organisation", "category", "year", "data", "staff_from_registry"]
NORM_FIELDS = ["region", "organisation", "category", "basis", "unit_label", "units", "staff",
               "per", "year", "source"]
SCENARIO_FIELDS = ["name", "region", "category", "start_year", "years", "attrition_rate",
                   "entrants_per_year", "entrants_from_records", "need_override",
                   "need_growth_rate", "note"]


def _require(actor: Any, action: str) -> None:
    if not can(actor, action):
        raise DomainError("forbidden")


def _ensure_in_scope(actor: Any, obj: Model, action: str) -> None:
    model: Any = type(obj)
    if not model.objects.restrict(actor, action).filter(pk=obj.pk).exists():
        region = getattr(obj, "region_id", None)
        raise DomainError("move_out_of_scope", field="region", region=region or "nasional")


def wisn_errors(err: wisn.WisnInputError) -> ValidationFailed:
    lang = (get_language() or "id")[:2]
    return ValidationFailed([DomainError(f"wisn_{i.code}", field=i.field, message=i.message(lang))
                             for i in err.issues])


def registry_staff(organisation: Organisation, category: WorkforceCategory) -> int:
    """Staff of ``category`` whose current assignment is ``organisation`` (from the registry)."""
    return Person.objects.filter(organisation=organisation, category=category).count()


def do_save_wisn(*, actor: Any, channel: str, organisation: Organisation,
                 category: WorkforceCategory, year: int, data: dict[str, Any],
                 staff_from_registry: bool = False) -> WisnInputSet:
    """Create or replace the WISN input of (organisation, category, year). The document is
    checked by the same parser as ``sdmkesos wisn``; with ``staff_from_registry`` the current
    staff is counted from the registry."""
    _require(actor, ADD)
    document = dict(data)
    if staff_from_registry:
        document["current_staff"] = registry_staff(organisation, category)
    try:
        wisn.calculate(wisn.parse_input(document))
    except wisn.WisnInputError as err:
        raise wisn_errors(err) from err
    with transaction.atomic():
        row = (WisnInputSet.objects.select_for_update()
               .filter(organisation=organisation, category=category, year=year).first())
        if row is not None and not WisnInputSet.objects.restrict(actor, CHANGE).filter(
                pk=row.pk).exists():
            raise DomainError("out_of_scope")
        before = audit.snapshot(row, WISN_FIELDS) if row is not None else {}
        row = row or WisnInputSet(organisation=organisation, category=category, year=year)
        row.data = document
        row.staff_from_registry = staff_from_registry
        row.set_region(organisation.managing_region_code)
        row.save()
        _ensure_in_scope(actor, row, CHANGE if before else ADD)
        changes = audit.diff(before, audit.snapshot(row, WISN_FIELDS))
        audit.record(actor=actor, channel=channel,
                     action="planning.wisn.update" if before else "planning.wisn.create",
                     obj=row, changes=changes, region_code=row.region_id)
    return row


def do_delete(*, actor: Any, channel: str, obj: WisnInputSet | StaffingNorm | Scenario) -> None:
    _require(actor, DELETE)
    model: Any = type(obj)
    with transaction.atomic():
        current = model.objects.restrict(actor, DELETE).filter(pk=obj.pk).first()
        if current is None:
            raise DomainError("out_of_scope")
        audit.record(actor=actor, channel=channel,
                     action=f"planning.{model._meta.model_name}.delete", obj=current,
                     region_code=current.region_id)
        current.delete()


def _positive(data: dict[str, Any], name: str, *, zero: bool = True) -> list[DomainError]:
    value = data.get(name)
    if value is None:
        return [DomainError("required", field=name)]
    if Decimal(str(value)) < 0 or (not zero and Decimal(str(value)) == 0):
        return [DomainError("not_positive", field=name, message=_(
            "Harus lebih besar dari 0.") if not zero else _("Tidak boleh negatif."))]
    return []


def do_save_norm(*, actor: Any, channel: str, data: dict[str, Any],
                 norm: StaffingNorm | None = None) -> StaffingNorm:
    """Create or change a norm. Its region is the organisation's managing region when an
    organisation is given, else the region given."""
    _require(actor, CHANGE if norm else ADD)
    errors = (_positive(data, "units") + _positive(data, "staff", zero=False)
              + _positive(data, "per", zero=False))
    if data.get("organisation") is None and data.get("region") is None:
        errors.append(DomainError("required", field="region"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if norm is not None:
            row = StaffingNorm.objects.restrict(actor, CHANGE).select_for_update().filter(
                pk=norm.pk).first()
            if row is None:
                raise DomainError("out_of_scope")
        else:
            row = StaffingNorm()
        before = audit.snapshot(row, NORM_FIELDS) if norm else {}
        for key, value in data.items():
            if key not in NORM_FIELDS:
                raise ValueError(f"not editable: {key}")
            setattr(row, key, value)
        org: Organisation | None = data.get("organisation")
        region: Region | None = data.get("region")
        row.set_region(org.managing_region_code if org is not None
                       else (region.code if region else None))
        row.save()
        _ensure_in_scope(actor, row, CHANGE if norm else ADD)
        audit.record(actor=actor, channel=channel,
                     action="planning.norm.update" if norm else "planning.norm.create", obj=row,
                     changes=audit.diff(before, audit.snapshot(row, NORM_FIELDS)),
                     region_code=row.region_id)
    return row


def do_save_scenario(*, actor: Any, channel: str, data: dict[str, Any],
                     scenario: Scenario | None = None) -> Scenario:
    _require(actor, CHANGE if scenario else ADD)
    errors: list[DomainError] = []
    if not (data.get("name") or "").strip():
        errors.append(DomainError("required", field="name"))
    if data.get("region") is None:
        errors.append(DomainError("required", field="region"))
    years = data.get("years")
    if years is None or not 1 <= int(years) <= 5:
        errors.append(DomainError("out_of_range", field="years", message=_(
            "Lama proyeksi harus 1 sampai 5 tahun.")))
    rate = data.get("attrition_rate")
    if rate is None or not 0 <= Decimal(str(rate)) <= 100:
        errors.append(DomainError("out_of_range", field="attrition_rate", message=_(
            "Tingkat keluar harus 0 sampai 100 persen.")))
    errors += _positive(data, "entrants_per_year")
    if data.get("need_override") is not None:
        errors += _positive(data, "need_override")
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if scenario is not None:
            row = Scenario.objects.restrict(actor, CHANGE).select_for_update().filter(
                pk=scenario.pk).first()
            if row is None:
                raise DomainError("out_of_scope")
        else:
            row = Scenario()
        before = audit.snapshot(row, SCENARIO_FIELDS) if scenario else {}
        for key, value in data.items():
            if key not in SCENARIO_FIELDS:
                raise ValueError(f"not editable: {key}")
            setattr(row, key, value)
        row.set_region(data["region"].code)
        row.save()
        _ensure_in_scope(actor, row, CHANGE if scenario else ADD)
        audit.record(actor=actor, channel=channel,
                     action="planning.scenario.update" if scenario
                     else "planning.scenario.create", obj=row,
                     changes=audit.diff(before, audit.snapshot(row, SCENARIO_FIELDS)),
                     region_code=row.region_id)
    return row


def do_set_head(*, actor: Any, channel: str, organisation: Organisation, person: Person,
                since: dt.date | None = None) -> UnitHead:
    """Record who heads an organisation. The person must be visible to the actor."""
    _require(actor, CHANGE)
    if not Person.objects.restrict(actor, "view").filter(pk=person.pk).exists():
        raise DomainError("not_found", field="person")
    with transaction.atomic():
        row = UnitHead.objects.select_for_update().filter(organisation=organisation).first()
        if row is not None and not UnitHead.objects.restrict(actor, CHANGE).filter(
                pk=row.pk).exists():
            raise DomainError("out_of_scope")
        before = audit.snapshot(row, ["person", "since"]) if row else {}
        row = row or UnitHead(organisation=organisation)
        row.person = person
        row.since = since
        row.set_region(organisation.managing_region_code)
        row.save()
        _ensure_in_scope(actor, row, CHANGE)
        audit.record(actor=actor, channel=channel, action="planning.head.set", obj=row,
                     changes=audit.diff(before, audit.snapshot(row, ["person", "since"])),
                     region_code=row.region_id)
    return row


# --- sources of entrants (reference data) --------------------------------------------------------


def may_edit_entrant_sources(actor: Any) -> bool:
    """Which schemes and programmes qualify for a category is national reference data."""
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active and (
        actor.is_superuser or actor.role == Role.NATIONAL_ADMIN))


def do_add_entrant_source(*, actor: Any, channel: str, category: WorkforceCategory,
                          scheme: Any = None, programme: Any = None,
                          note: str = "") -> EntrantSource:
    """Record that finishing a scholarship ``scheme`` or a training ``programme`` (exactly one)
    qualifies someone for ``category``: they then enter its supply projection."""
    if not may_edit_entrant_sources(actor):
        raise DomainError("forbidden")
    if (scheme is None) == (programme is None):
        raise ValidationFailed([DomainError("required", field="scheme", message=_(
            "Pilih satu skema beasiswa atau satu program pelatihan."))])
    with transaction.atomic():
        if EntrantSource.objects.filter(category=category, scheme=scheme,
                                        programme=programme).exists():
            raise ValidationFailed([DomainError("duplicate", field="scheme" if scheme
                                                else "programme", message=_(
                "Sumber ini sudah tercatat untuk kategori tersebut."))])
        row = EntrantSource.objects.create(category=category, scheme=scheme,
                                           programme=programme, note=note.strip()[:200])
        audit.record(actor=actor, channel=channel, action="planning.entrant_source.create",
                     obj=row, changes={"category": [None, category.code],
                                       row.kind: [None, (scheme or programme).pk],
                                       "note": [None, row.note]})
    return row


def do_delete_entrant_source(*, actor: Any, channel: str, source: EntrantSource) -> None:
    if not may_edit_entrant_sources(actor):
        raise DomainError("forbidden")
    with transaction.atomic():
        row = EntrantSource.objects.select_for_update().filter(pk=source.pk).first()
        if row is None:
            raise DomainError("not_found")
        audit.record(actor=actor, channel=channel, action="planning.entrant_source.delete",
                     obj=row, changes={"category": [row.category_id, None],
                                       row.kind: [row.scheme_id or row.programme_id, None]})
        row.delete()
