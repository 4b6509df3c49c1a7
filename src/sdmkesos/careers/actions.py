"""Every change to careers data goes through these functions: atomic, scope-checked, audited.

Changes to a person's positions are recorded against the person (object type
``people.person``), so the person's page shows them. Credit points, SKP and follow-ups carry
ratings, which only the person, the supervisors and HR may see, so their events are recorded
against their own objects (``careers.creditentry``, ``careers.skp``, ``careers.followup``), never
in the person's history that every viewing role reads. Corrections of the JF rules are recorded
against the rule row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdmkesos.core import audit
from sdmkesos.core.choices import Role
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.scoping import CHANGE, VIEW, can, scope_for
from sdmkesos.people.models import Person

from . import rules as R
from .models import (
    BerAkhlak,
    CareerPosition,
    CreditEntry,
    Expectation,
    FollowUp,
    JfLevel,
    PositionKind,
    RatingLevel,
    Skp,
    SkpBehaviour,
    SkpIndicator,
    SkpRealisation,
    SkpResult,
    SkpStatus,
)
from .reference import current_rules, document_from_db

PERSON_TYPE = "people.person"
HR_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.PROVINCE_OPERATOR, Role.DISTRICT_OPERATOR})
POSITION_FIELDS = ["kind", "jf", "level", "rank", "tmt", "end_date", "opening_ak",
                   "competency_test_passed", "competency_test_date", "vacancy_available", "note"]
LEVEL_FIELDS = ["coefficient", "ak_next_rank", "ak_next_level", "retirement_age"]


# --- who may do what -----------------------------------------------------------------------------


def is_hr(user: Any) -> bool:
    """HR roles: administrators and operators (they manage people in their scope)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and (user.is_superuser or user.role in HR_ROLES))


def is_rules_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and (user.is_superuser or user.role == Role.NATIONAL_ADMIN))


def _rule_error(err: R.CareerRuleError, field: str | None = None) -> DomainError:
    return DomainError(err.code, field=field, message=err.message_id)


def _person_for_change(actor: Any, person: Person) -> Person:
    if not can(actor, CHANGE):
        raise DomainError("forbidden")
    current = Person.objects.restrict(actor, CHANGE).select_for_update().filter(
        pk=person.pk).first()
    if current is None:
        raise DomainError("out_of_scope")
    return current


def _decimal(value: Any, field: str, *, allow_none: bool = False) -> Decimal | None:
    if value in (None, ""):
        if allow_none:
            return None
        raise DomainError("required", field=field)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise DomainError("not_a_number", field=field,
                          message=_("Harus berupa angka: {value}.").format(value=value)) from None
    if not number.is_finite() or number < 0:
        raise DomainError("negative", field=field,
                          message=_("Tidak boleh negatif: {value}.").format(value=value))
    return number


# --- JF rules (national administrators correct them) ---------------------------------------------


def do_update_level(*, actor: Any, channel: str, level: JfLevel, data: dict[str, Any]
                    ) -> dict[str, list[Any]]:
    """Correct a level's numbers (coefficient, AK thresholds, retirement age). The corrected rules
    are validated as a whole before anything is saved."""
    if not is_rules_admin(actor):
        raise DomainError("forbidden")
    unknown = set(data) - set(LEVEL_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    clean: dict[str, Any] = {}
    for key, value in data.items():
        if key == "retirement_age":
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 120:
                raise DomainError("out_of_range", field=key, message=_(
                    "Batas usia pensiun harus bilangan bulat 1 s.d. 120."))
            clean[key] = value
        else:
            clean[key] = _decimal(value, key, allow_none=(key == "ak_next_level"))
    with transaction.atomic():
        current = JfLevel.objects.select_for_update().get(pk=level.pk)
        try:
            R.rules_from_dict(document_from_db({current.code: clean}))
        except R.CareerRuleError as err:
            raise _rule_error(err, next(iter(clean), None)) from err
        before = audit.snapshot(current, LEVEL_FIELDS)
        for key, value in clean.items():
            setattr(current, key, value)
        current.save()
        changes = audit.diff(before, audit.snapshot(current, LEVEL_FIELDS))
        if changes:
            audit.record(actor=actor, channel=channel, action="careers.level.update",
                         obj=current, changes=changes)
    level.refresh_from_db()
    return changes


def do_update_rating_percent(*, actor: Any, channel: str, rating: RatingLevel, percent: Any
                             ) -> dict[str, list[Any]]:
    if not is_rules_admin(actor):
        raise DomainError("forbidden")
    value = _decimal(percent, "percent")
    with transaction.atomic():
        current = RatingLevel.objects.select_for_update().get(pk=rating.pk)
        try:
            R.rules_from_dict(document_from_db({"__ratings__": {current.code: value}}))
        except R.CareerRuleError as err:
            raise _rule_error(err, "percent") from err
        before = audit.snapshot(current, ["percent"])
        current.percent = value  # type: ignore[assignment]
        current.save()
        changes = audit.diff(before, audit.snapshot(current, ["percent"]))
        if changes:
            audit.record(actor=actor, channel=channel, action="careers.rating.update",
                         obj=current, changes=changes)
    rating.refresh_from_db()
    return changes


# --- positions -----------------------------------------------------------------------------------


def _validate_position(pos: CareerPosition, rules: R.CareerRules) -> list[DomainError]:
    errors: list[DomainError] = []
    if not pos.tmt:
        errors.append(DomainError("required", field="tmt"))
    if pos.end_date and pos.tmt and pos.end_date < pos.tmt:
        errors.append(DomainError("end_before_start", field="end_date"))
    if pos.competency_test_passed and not pos.competency_test_date:
        errors.append(DomainError("required", field="competency_test_date"))
    if pos.kind == PositionKind.FUNCTIONAL:
        for name in ("jf", "level", "rank"):
            if getattr(pos, f"{name}_id") is None:
                errors.append(DomainError("required", field=name))
        if errors:
            return errors
        assert pos.jf is not None and pos.level is not None and pos.rank is not None
        if pos.level.track not in pos.jf.tracks:
            errors.append(DomainError("track_not_open", field="level", message=_(
                "Jenjang {level} tidak tersedia untuk {jf}.").format(
                    level=pos.level.label_id, jf=pos.jf.label_id)))
        try:
            spans = rules.ranks_of(pos.level.code)
        except R.CareerRuleError as err:
            errors.append(_rule_error(err, "level"))
        else:
            if pos.rank.code not in {r.code for r in spans}:
                errors.append(DomainError("rank_outside_level", field="rank", message=_(
                    "Golongan {rank} di luar rentang jenjang {level} ({low} s.d. {high})."
                ).format(rank=pos.rank.code, level=pos.level.label_id, low=spans[0].code,
                         high=spans[-1].code)))
    else:
        for name in ("jf", "level"):
            if getattr(pos, f"{name}_id") is not None:
                errors.append(DomainError("jf_level_not_applicable", field=name, message=_(
                    "Jabatan fungsional dan jenjang hanya untuk jenis jabatan fungsional.")))
    return errors


def do_add_position(*, actor: Any, channel: str, person: Person, data: dict[str, Any],
                    close_current: bool = True) -> CareerPosition:
    """Record a position spell. A new current spell ends the previous current one the day
    before its TMT (unless ``close_current`` is false)."""
    unknown = set(data) - set(POSITION_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        current_person = _person_for_change(actor, person)
        pos = CareerPosition(person=current_person, **data)
        pos.opening_ak = _decimal(pos.opening_ak if pos.opening_ak is not None else 0,
                                  "opening_ak")  # type: ignore[assignment]
        errors = _validate_position(pos, current_rules())
        if errors:
            raise ValidationFailed(errors)
        closed = []
        if close_current and pos.end_date is None:
            for old in CareerPosition.objects.filter(person=current_person,
                                                     end_date__isnull=True,
                                                     tmt__lt=pos.tmt):
                old.end_date = pos.tmt - dt.timedelta(days=1)
                old.save(update_fields=["end_date"])
                closed.append(old.pk)
        pos.save()
        after = audit.snapshot(pos, POSITION_FIELDS)
        audit.record(actor=actor, channel=channel, action="career.position.add",
                     obj=current_person,
                     changes={k: [None, v] for k, v in after.items() if v not in (None, "")},
                     note=f"position {pos.pk}" + (f"; closed {closed}" if closed else ""),
                     region_code=current_person.region_id)
    return pos


UPDATABLE_POSITION_FIELDS = {"end_date", "opening_ak", "competency_test_passed",
                             "competency_test_date", "vacancy_available", "note"}


def do_update_position(*, actor: Any, channel: str, position: CareerPosition,
                       data: dict[str, Any]) -> dict[str, list[Any]]:
    """Change the flags of a spell: competency test passed (and its date), vacancy, end date,
    opening AK, note."""
    unknown = set(data) - UPDATABLE_POSITION_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        person = _person_for_change(actor, position.person)
        current = CareerPosition.objects.select_for_update().get(pk=position.pk, person=person)
        before = audit.snapshot(current, POSITION_FIELDS)
        for key, value in data.items():
            setattr(current, key, value)
        if "opening_ak" in data:
            current.opening_ak = _decimal(current.opening_ak, "opening_ak")  # type: ignore
        errors = _validate_position(current, current_rules())
        if errors:
            raise ValidationFailed(errors)
        changes = audit.diff(before, audit.snapshot(current, POSITION_FIELDS))
        if changes:
            current.save()
            audit.record(actor=actor, channel=channel, action="career.position.update",
                         obj=person, changes=changes, note=f"position {current.pk}",
                         region_code=person.region_id)
    position.refresh_from_db()
    return changes


# --- credit points -------------------------------------------------------------------------------


def _credit(position: CareerPosition, rating: str, months: int, rules: R.CareerRules
            ) -> Decimal:
    if position.kind != PositionKind.FUNCTIONAL or position.level is None:
        raise DomainError("not_functional", field="position", message=_(
            "Angka kredit hanya untuk jabatan fungsional."))
    try:
        return R.credit_points(position.level.code, rating, months, rules=rules)
    except R.CareerRuleError as err:
        field = {"unknown_rating": "rating", "not_a_whole_number": "months",
                 "out_of_range": "months"}.get(err.code)
        raise _rule_error(err, field) from err


def do_add_credit(*, actor: Any, channel: str, position: CareerPosition, year: int,
                  rating: str, months: int = 12, skp: Skp | None = None, note: str = "",
                  check_scope: bool = True) -> CreditEntry:
    """Convert a period's rating into credit points (AK = % x coefficient x months/12)."""
    with transaction.atomic():
        person = _person_for_change(actor, position.person) if check_scope else position.person
        if not 1900 <= int(year) <= 2200:
            raise DomainError("out_of_range", field="year", message=_("Tahun tidak valid."))
        rules = current_rules()
        try:
            rating_code = rules.rating(rating).code
        except R.CareerRuleError as err:
            raise _rule_error(err, "rating") from err
        ak = _credit(position, rating_code, months, rules)
        if CreditEntry.objects.filter(position=position, year=year).exists():
            raise DomainError("credit_exists", field="year", message=_(
                "Angka kredit tahun {year} untuk jabatan ini sudah dicatat.").format(year=year))
        entry = CreditEntry.objects.create(person=person, position=position, year=year,
                                           months=months, rating=rating_code,
                                           credit_points=ak, skp=skp, note=note)
        audit.record(actor=actor, channel=channel, action="career.credit.add", obj=entry,
                     changes={"credit_points": [None, str(ak)], "year": [None, year],
                              "rating": [None, rating_code], "months": [None, months]},
                     note=f"position {position.pk}", region_code=person.region_id)
    return entry


def do_delete_credit(*, actor: Any, channel: str, entry: CreditEntry) -> None:
    with transaction.atomic():
        person = _person_for_change(actor, entry.person)
        audit.record(actor=actor, channel=channel, action="career.credit.delete", obj=entry,
                     changes={"credit_points": [str(entry.credit_points), None],
                              "year": [entry.year, None]}, region_code=person.region_id)
        entry.delete()


# --- SKP -----------------------------------------------------------------------------------------


def skp_visible_q(user: Any) -> Any:
    """Who sees an SKP (and its rating): the person, the supervisors named on it, HR roles in
    scope. Viewers and BBPPKS accounts see none."""
    from django.db.models import Q

    from sdmkesos.core.scoping import scope_q

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    own = (Q(person__user=user) | Q(supervisor__user=user)
           | Q(second_supervisor__user=user))
    if user.is_superuser or user.role == Role.NATIONAL_ADMIN:
        return Q()
    if user.role in HR_ROLES:
        return own | scope_q(Skp.scope, scope_for(user))
    return own


def visible_skps(user: Any) -> Any:
    return Skp.objects.filter(skp_visible_q(user))


def _role_on(user: Any, skp: Skp) -> set[str]:
    roles = set()
    if skp.person.user_id is not None and skp.person.user_id == user.pk:
        roles.add("self")
    if skp.supervisor is not None and skp.supervisor.user_id == user.pk:
        roles.add("supervisor")
    if skp.second_supervisor is not None and skp.second_supervisor.user_id == user.pk:
        roles.add("supervisor")
    if is_hr(user) and Person.objects.restrict(user, CHANGE).filter(pk=skp.person_id).exists():
        roles.add("hr")
    return roles


def _locked_skp(actor: Any, skp: Skp) -> tuple[Skp, set[str]]:
    current = (visible_skps(actor).select_for_update(of=("self",))
               .select_related("person", "supervisor", "second_supervisor")
               .filter(pk=skp.pk).first())
    if current is None:
        raise DomainError("not_found")
    return current, _role_on(actor, current)


def do_create_skp(*, actor: Any, channel: str, person: Person, year: int,
                  supervisor: Person | None = None,
                  second_supervisor: Person | None = None) -> Skp:
    """Open a person's annual SKP: by HR in scope or by the person themself."""
    with transaction.atomic():
        is_self = person.user_id is not None and person.user_id == getattr(actor, "pk", None)
        if not is_self:
            person = _person_for_change(actor, person)
        if not (1900 <= int(year) <= 2200):
            raise DomainError("out_of_range", field="year", message=_("Tahun tidak valid."))
        if supervisor is not None and supervisor.pk == person.pk:
            raise DomainError("self_supervisor", field="supervisor", message=_(
                "Atasan tidak boleh pegawai itu sendiri."))
        if Skp.objects.filter(person=person, year=year).exists():
            raise DomainError("skp_exists", field="year", message=_(
                "SKP tahun {year} untuk pegawai ini sudah ada.").format(year=year))
        skp = Skp.objects.create(person=person, year=year, supervisor=supervisor,
                                 second_supervisor=second_supervisor)
        audit.record(actor=actor, channel=channel, action="skp.create", obj=skp,
                     changes={"year": [None, year],
                              "supervisor": [None, supervisor.pk if supervisor else None]},
                     note=f"skp {skp.pk}", region_code=person.region_id)
    return skp


def do_add_result(*, actor: Any, channel: str, skp: Skp, text: str,
                  indicators: list[tuple[str, str]], parent: SkpResult | None = None
                  ) -> SkpResult:
    """Add a work result with its indicators and targets; ``parent`` is the supervisor's result
    it contributes to (it must belong to the supervisor's SKP of the same year)."""
    with transaction.atomic():
        current, roles = _locked_skp(actor, skp)
        if not roles & {"self", "supervisor", "hr"}:
            raise DomainError("forbidden")
        if current.status != SkpStatus.DRAFT:
            raise DomainError("skp_closed", message=_("SKP sudah dinilai; rencana tidak dapat "
                                                      "diubah."))
        errors = []
        if not text.strip():
            errors.append(DomainError("required", field="text"))
        if not indicators or any(not i.strip() or not t.strip() for i, t in indicators):
            errors.append(DomainError("required", field="indicators", message=_(
                "Setiap hasil kerja memerlukan indikator dan target.")))
        if parent is not None and (current.supervisor_id is None
                                   or parent.skp.person_id != current.supervisor_id
                                   or parent.skp.year != current.year):
            errors.append(DomainError("parent_not_supervisor", field="parent", message=_(
                "Hasil kerja atasan harus berasal dari SKP atasan pada tahun yang sama.")))
        if errors:
            raise ValidationFailed(errors)
        result = SkpResult.objects.create(skp=current, text=text.strip(), parent=parent)
        for ind, target in indicators:
            SkpIndicator.objects.create(result=result, text=ind.strip(), target=target.strip())
        audit.record(actor=actor, channel=channel, action="skp.result.add", obj=current,
                     changes={"result": [None, result.text],
                              "indicators": [None, [f"{i}: {t}" for i, t in indicators]]},
                     note=f"skp {current.pk}", region_code=current.person.region_id)
    return result


def _check_evidence(name: str, content: bytes) -> str:
    """The content type of an acceptable evidence file (PDF, DOCX, DOC, ODT, XLSX, JPG, PNG,
    checked by content; at most 10 MB), or a DomainError naming the reason. The same checks
    as the agreement documents of the partnerships app."""
    from sdmkesos.partnerships.actions import check_document

    return check_document(name, content)


def _store_evidence(row: SkpRealisation, name: str, content: bytes, content_type: str
                    ) -> dict[str, Any]:
    safe = Path(name.replace("\\", "/")).name
    ext = safe.rsplit(".", 1)[-1].lower() if "." in safe else "bin"
    row.evidence_name = safe[-255:]
    row.evidence_type = content_type
    row.evidence_size = len(content)
    row.evidence_sha256 = hashlib.sha256(content).hexdigest()
    row.evidence_file.save(f"{row.indicator_id}-{row.evidence_sha256[:16]}.{ext}",
                           ContentFile(content), save=False)
    return {"name": row.evidence_name, "size": row.evidence_size,
            "sha256": row.evidence_sha256}


def do_add_realisation(*, actor: Any, channel: str, indicator: SkpIndicator, period: int,
                       realisation: str, evidence: str = "", file_name: str = "",
                       file_content: bytes | None = None) -> SkpRealisation:
    """Record a quarter's realisation of an indicator while the SKP is a draft, with evidence
    as a link/document number (``evidence``) and/or an uploaded file (``file_name`` +
    ``file_content``, checked by ``_check_evidence`` and kept in the private storage)."""
    content_type = (_check_evidence(file_name, file_content)
                    if file_content is not None else "")
    with transaction.atomic():
        current, roles = _locked_skp(actor, indicator.result.skp)
        if not roles & {"self", "supervisor", "hr"}:
            raise DomainError("forbidden")
        if current.status != SkpStatus.DRAFT:
            raise DomainError("skp_closed", message=_("SKP sudah dinilai."))
        errors = []
        if period not in (1, 2, 3, 4):
            errors.append(DomainError("out_of_range", field="period", message=_(
                "Triwulan harus 1 s.d. 4.")))
        if not realisation.strip():
            errors.append(DomainError("required", field="realisation"))
        if errors:
            raise ValidationFailed(errors)
        row = SkpRealisation(indicator=indicator, period=period,
                             realisation=realisation.strip(), evidence=evidence.strip(),
                             recorded_by=actor if getattr(actor, "pk", None) else None)
        stored = (_store_evidence(row, file_name, file_content, content_type)
                  if file_content is not None else None)
        row.save()
        audit.record(actor=actor, channel=channel, action="skp.realisation.add",
                     obj=current,
                     changes={"realisation": [None, row.realisation],
                              "evidence": [None, row.evidence], "period": [None, period],
                              **({"evidence_file": [None, stored]} if stored else {})},
                     note=f"skp {current.pk}", region_code=current.person.region_id)
    return row


def do_attach_evidence(*, actor: Any, channel: str, realisation: SkpRealisation, name: str,
                       content: bytes) -> SkpRealisation:
    """Upload (or replace) the evidence file of a realisation while the SKP is a draft: the
    person, a supervisor or HR in scope."""
    content_type = _check_evidence(name, content)
    with transaction.atomic():
        row = SkpRealisation.objects.select_for_update().select_related(
            "indicator__result__skp").get(pk=realisation.pk)
        current, roles = _locked_skp(actor, row.indicator.result.skp)
        if not roles & {"self", "supervisor", "hr"}:
            raise DomainError("forbidden")
        if current.status != SkpStatus.DRAFT:
            raise DomainError("skp_closed", message=_("SKP sudah dinilai."))
        before = ({"name": row.evidence_name, "size": row.evidence_size,
                   "sha256": row.evidence_sha256} if row.evidence_file else None)
        old_file = row.evidence_file.name if row.evidence_file else ""
        stored = _store_evidence(row, name, content, content_type)
        row.save()
        if old_file and old_file != row.evidence_file.name:
            storage = row.evidence_file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
        audit.record(actor=actor, channel=channel, action="skp.realisation.evidence",
                     obj=current, changes={"evidence_file": [before, stored]},
                     note=f"skp {current.pk}", region_code=current.person.region_id)
    return row


FOLLOW_UP_TRAINING = {
    "butuh_perbaikan": "Pelatihan teknis sesuai hasil kerja yang belum tercapai",
    "kurang": "Pembinaan oleh atasan dan pelatihan teknis",
    "sangat_kurang": "Pembinaan intensif oleh atasan dan pelatihan teknis",
}


def do_evaluate(*, actor: Any, channel: str, skp: Skp, results_rating: str,
                behaviour_rating: str, behaviours: dict[str, tuple[str, str]] | None = None,
                note: str = "") -> Skp:
    """The supervisor (pejabat penilai) rates results and behaviour; the final rating follows
    from the matrix. A rating below Baik proposes a development follow-up. A JF holder gets the
    year's credit points from the rating."""
    with transaction.atomic():
        current, roles = _locked_skp(actor, skp)
        if not ({"supervisor"} & roles or (getattr(actor, "is_superuser", False))):
            raise DomainError("forbidden", message=_("Hanya atasan (pejabat penilai) yang "
                                                     "dapat menilai SKP ini."))
        if current.status != SkpStatus.DRAFT:
            raise DomainError("skp_closed", message=_("SKP sudah dinilai."))
        errors = []
        valid = set(Expectation.values)
        if results_rating not in valid:
            errors.append(DomainError("unknown_expectation", field="results_rating", message=_(
                "Pilih di bawah / sesuai / di atas ekspektasi.")))
        if behaviour_rating not in valid:
            errors.append(DomainError("unknown_expectation", field="behaviour_rating",
                                      message=_("Pilih di bawah / sesuai / di atas ekspektasi.")))
        for value, (rating, _n) in (behaviours or {}).items():
            if value not in BerAkhlak.values or rating not in valid:
                errors.append(DomainError("unknown_expectation", field=f"behaviour.{value}",
                                          message=_("Nilai perilaku tidak dikenal.")))
        if not current.results.exists():
            errors.append(DomainError("no_results", field="results", message=_(
                "SKP belum memuat rencana hasil kerja.")))
        if errors:
            raise ValidationFailed(errors)
        rules = current_rules()
        final = R.skp_rating(results_rating, behaviour_rating, rules=rules)
        for value, (rating, bnote) in (behaviours or {}).items():
            SkpBehaviour.objects.update_or_create(skp=current, value=value,
                                                  defaults={"rating": rating, "note": bnote})
        current.results_rating = results_rating
        current.behaviour_rating = behaviour_rating
        current.final_rating = final.code
        current.evaluation_note = note
        current.status = SkpStatus.EVALUATED
        current.evaluated_at = timezone.now()
        current.evaluated_by = actor
        current.save()
        person = current.person
        audit.record(actor=actor, channel=channel, action="skp.evaluate", obj=current,
                     changes={"results_rating": [None, results_rating],
                              "behaviour_rating": [None, behaviour_rating],
                              "final_rating": [None, final.code]},
                     note=f"skp {current.pk}", region_code=person.region_id)
        minimum = rules.rating(rules.minimum_for_promotion)
        if not final.at_least(minimum):
            gaps, suggestions = development_proposal(person)
            proposal = _("Predikat kinerja {rating} di bawah {minimum}: susun rencana "
                         "pengembangan kompetensi bersama atasan.").format(
                             rating=final.label_id, minimum=minimum.label_id)
            if gaps:
                proposal += " " + gap_text(gaps)
            follow = FollowUp.objects.create(
                skp=current, person=person, reason=f"rating_{final.code}", proposal=proposal,
                training=(training_text(suggestions) if suggestions
                          else FOLLOW_UP_TRAINING.get(final.code, "")),
                programmes=[s.as_dict() for s in suggestions])
            audit.record(actor=actor, channel=channel, action="skp.follow_up.propose",
                         obj=follow, changes={"reason": [None, follow.reason],
                                              "programmes": [None, [s.code for s in
                                                                    suggestions]]},
                         note=f"skp {current.pk}", region_code=person.region_id)
        _credit_from_skp(actor, channel, current, final.code)
    skp.refresh_from_db()
    return skp


def _months_in_year(pos: CareerPosition, year: int) -> int:
    start = max(pos.tmt, dt.date(year, 1, 1))
    end = min(pos.end_date or dt.date(year, 12, 31), dt.date(year, 12, 31))
    if end < start:
        return 0
    return max(1, min(12, (end.year - start.year) * 12 + end.month - start.month + 1))


def _credit_from_skp(actor: Any, channel: str, skp: Skp, rating: str) -> None:
    """The year's AK for each JF spell held that year (months pro rata), when not yet recorded."""
    spells = CareerPosition.objects.filter(
        person=skp.person, kind=PositionKind.FUNCTIONAL, level__isnull=False,
        tmt__lte=dt.date(skp.year, 12, 31)).select_related("level", "person")
    for pos in spells:
        if pos.end_date is not None and pos.end_date < dt.date(skp.year, 1, 1):
            continue
        months = _months_in_year(pos, skp.year)
        if months and not CreditEntry.objects.filter(position=pos, year=skp.year).exists():
            do_add_credit(actor=actor, channel=channel, position=pos, year=skp.year,
                          rating=rating, months=months, skp=skp, note="SKP",
                          check_scope=False)


def do_acknowledge(*, actor: Any, channel: str, skp: Skp) -> Skp:
    """The employee acknowledges the evaluated SKP."""
    with transaction.atomic():
        current, roles = _locked_skp(actor, skp)
        if "self" not in roles:
            raise DomainError("forbidden", message=_("Hanya pegawai yang bersangkutan yang "
                                                     "dapat menerima SKP ini."))
        if current.status != SkpStatus.EVALUATED:
            raise DomainError("skp_not_evaluated", message=_("SKP belum dinilai atasan."))
        current.status = SkpStatus.ACKNOWLEDGED
        current.acknowledged_at = timezone.now()
        current.save(update_fields=["status", "acknowledged_at"])
        audit.record(actor=actor, channel=channel, action="skp.acknowledge", obj=current,
                     changes={"status": [SkpStatus.EVALUATED, SkpStatus.ACKNOWLEDGED]},
                     note=f"skp {current.pk}", region_code=current.person.region_id)
    skp.refresh_from_db()
    return skp


def can_view_person_careers(user: Any, person: Person) -> bool:
    return Person.objects.restrict(user, VIEW).filter(pk=person.pk).exists()


def development_proposal(person: Person, today: dt.date | None = None
                         ) -> tuple[list[Any], list[Any]]:
    """(the person's competency gaps below the job standard, the catalogue programmes to
    propose): gaps from ``competency.queries``, programmes from
    ``training.queries.catalogue()`` chosen by ``careers.development.suggest``."""
    from sdmkesos.competency.queries import person_gap_view
    from sdmkesos.training.completions import completed_programmes
    from sdmkesos.training.queries import catalogue
    from sdmkesos.training.rules import PersonFacts

    from .development import GapFact, suggest

    _standard, gaps, _current = person_gap_view(person, today)
    below = [GapFact(g.competency, g.required, g.current) for g in gaps if g.below]
    fresh = Person.objects.select_related("category", "education_level",
                                          "employment_status").get(pk=person.pk)
    facts = PersonFacts(
        category=fresh.category.code if fresh.category else None,
        education_rank=fresh.education_level.rank if fresh.education_level else None,
        is_asn=bool(fresh.employment_status and fresh.employment_status.is_asn),
        completed_programmes=completed_programmes(person.pk))
    programmes = catalogue((today or dt.date.today()).year)["programmes"]
    return below, suggest(programmes, below, facts)


def gap_text(gaps: list[Any]) -> str:
    return _("Kesenjangan kompetensi: {gaps}.").format(gaps="; ".join(
        _("{code} level {current} dari {required}").format(
            code=g.competency, current=g.current, required=g.required) for g in gaps))


def training_text(suggestions: list[Any]) -> str:
    return ", ".join(f"{s.code} {s.name}" for s in suggestions)[:200]


def do_propose_gap_follow_up(*, actor: Any, channel: str, person: Person,
                             today: dt.date | None = None) -> FollowUp:
    """Propose development for the person's competency gaps (latest valid assessments against
    the job standard), with the catalogue programmes that close them. Refused
    (``no_competency_gap``) when the person has no gap."""
    if not can(actor, CHANGE):
        raise DomainError("forbidden")
    if not Person.objects.restrict(actor, CHANGE).filter(pk=person.pk).exists():
        raise DomainError("out_of_scope")
    gaps, suggestions = development_proposal(person, today)
    if not gaps:
        raise DomainError("no_competency_gap", message=_(
            "Tidak ada kesenjangan kompetensi terhadap standar kompetensi jabatan."))
    proposal = gap_text(gaps)
    if not suggestions:
        proposal += " " + _("Belum ada program di katalog pelatihan yang menutupnya.")
    return do_propose_follow_up(actor=actor, channel=channel, person=person,
                                reason="competency_gap", proposal=proposal,
                                training=training_text(suggestions),
                                programmes=[s.as_dict() for s in suggestions])


def do_propose_follow_up(*, actor: Any, channel: str, person: Person, reason: str,
                         proposal: str, training: str = "", skp: Skp | None = None,
                         programmes: list[dict[str, Any]] | None = None) -> FollowUp:
    """Propose a development follow-up, e.g. for a competency gap found by the competency app
    (``reason="competency_gap"``) or by HR; ``training`` names the proposed programme."""
    with transaction.atomic():
        current = _person_for_change(actor, person)
        errors = []
        if not reason.strip():
            errors.append(DomainError("required", field="reason"))
        if not proposal.strip():
            errors.append(DomainError("required", field="proposal"))
        if errors:
            raise ValidationFailed(errors)
        follow = FollowUp.objects.create(person=current, skp=skp, reason=reason.strip()[:60],
                                         proposal=proposal.strip(), training=training.strip(),
                                         programmes=list(programmes or []))
        audit.record(actor=actor, channel=channel, action="skp.follow_up.propose", obj=follow,
                     changes={"reason": [None, follow.reason],
                              "training": [None, follow.training],
                              "programmes": [None, [p.get("code") for p in
                                                    follow.programmes]]},
                     region_code=current.region_id)
    return follow
