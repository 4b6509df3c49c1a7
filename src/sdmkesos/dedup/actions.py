"""Every write of the dedup app: atomic, scope-checked, audited.

- :func:`do_start_run` / :func:`do_execute_run` — a linkage run over the registry in the actor's
  scope; its pairs become proposals (:func:`do_record_pairs`).
- :func:`do_confirm_pair` — the two people are one: merge them (histories kept, both audited,
  the merge recorded with the removed person's NIK as an alias).
- :func:`do_reject_pair` — not the same person; the pair is never proposed again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sdmkesos.core import audit
from sdmkesos.core.errors import DomainError as _CoreError
from sdmkesos.core.scoping import CHANGE, VIEW, can, scope_for
from sdmkesos.people.actions import PERSON_FIELDS, refresh_current
from sdmkesos.people.models import EducationRecord, EmploymentRecord, Person

from . import linkage
from .models import CandidatePair, LinkageRun, MergeRecord, PairStatus, RunStatus
from .normalise import LinkRecord

MESSAGES = {
    "invalid_threshold": _("Ambang probabilitas harus di antara 0 dan 1 (nilai: {value})."),
    "pair_already_reviewed": _("Pasangan ini sudah ditinjau ({status})."),
    "pair_person_gone": _("Salah satu data pasangan ini sudah tidak ada (sudah digabung atau "
                          "dihapus)."),
    "invalid_keep": _("Pilih data yang dipertahankan: 'left' atau 'right' (nilai: {value})."),
    "merge_conflict": _("Penggabungan bentrok dengan data lain di {table}; selesaikan dulu "
                        "secara manual."),
}


def DomainError(code: str, field: str | None = None, **params: Any) -> _CoreError:
    """A domain error with this app's Indonesian message for its own codes."""
    template = MESSAGES.get(code)
    message = str(template).format(**params) if template is not None else None
    return _CoreError(code, field=field, message=message, **params)


PAIR_TYPE = "dedup.candidatepair"
RUN_TYPE = "dedup.linkagerun"
# Fields of the removed person copied onto the kept one when the kept one has them blank.
FILL_FIELDS = {"nip": "nip", "birth_place": "birth_place", "phone": "phone", "email": "email",
               "address": "address", "domicile_region": "domicile_region_id"}  # name: attname
RECORD_COLUMNS = ("id", "name", "birth_date", "birth_place", "sex", "nik", "region_id")


def _is_system(actor: Any) -> bool:
    return actor is None


def _require_reviewer(actor: Any) -> None:
    if not _is_system(actor) and not can(actor, CHANGE):
        raise DomainError("forbidden")


def registry_records(actor: Any, *, chunk: int = 20_000) -> Iterator[LinkRecord]:
    """The registry people the actor may change (all of them for the system), as linkage
    records. Streams in chunks so a million people do not sit in memory as model objects."""
    qs = Person.objects.all() if _is_system(actor) else Person.objects.restrict(actor, CHANGE)
    for pk, name, birth, place, sex, nik, region in qs.order_by().values_list(
            *RECORD_COLUMNS).iterator(chunk_size=chunk):
        yield LinkRecord(str(pk), name, birth, place, sex, nik, region)


def to_link_record(key: str, data: dict[str, Any]) -> LinkRecord:
    """A linkage record from a dict with the registry's keys (``region`` a code, or an
    ``organisation`` whose managing region is used)."""
    region = data.get("region")
    if region is not None and not isinstance(region, str):
        region = getattr(region, "pk", None)
    org = data.get("organisation")
    if not region and org is not None and not isinstance(org, str):
        region = getattr(org, "managing_region_code", None)
    return LinkRecord(key, str(data.get("name") or ""), data.get("birth_date"),
                      data.get("birth_place"), data.get("sex"), data.get("nik"), region)


# --------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------

def do_start_run(*, actor: Any, channel: str,
                 threshold: float = linkage.DEFAULT_THRESHOLD) -> LinkageRun:
    """Queue a linkage run over the actor's scope and enqueue its background task. While one
    of the actor's runs is queued or running, that run is returned instead of a new one."""
    _require_reviewer(actor)
    if not 0.0 < threshold <= 1.0:
        raise DomainError("invalid_threshold", field="threshold", value=threshold)
    from .tasks import run_linkage

    pending = LinkageRun.objects.filter(
        started_by=actor, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()
    if pending is not None:
        return pending  # one run at a time per reviewer: show the one under way
    with transaction.atomic():
        run = LinkageRun.objects.create(started_by=actor, channel=channel, threshold=threshold)
        audit.record(actor=actor, channel=channel, action="dedup.run.start", obj=run,
                     changes={"threshold": [None, threshold]})
    result = run_linkage.enqueue(run.pk)
    LinkageRun.objects.filter(pk=run.pk, task_id="").update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


def _progress(run: LinkageRun) -> linkage.Progress:
    def report(stage: str, fraction: float) -> None:
        LinkageRun.objects.filter(pk=run.pk).update(stage=stage, progress=fraction)

    return report


def do_execute_run(*, run: LinkageRun) -> LinkageRun:
    """Run the linkage of ``run`` (called by the task) and store its pairs as proposals."""
    actor = run.started_by  # None: the system (CLI without --user), national scope
    LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, stage="load",
                                                progress=0.02)
    started = time.perf_counter()
    try:
        records = list(registry_records(actor))
        result = linkage.link_records(records, threshold=run.threshold, progress=_progress(run))
        LinkageRun.objects.filter(pk=run.pk).update(stage="save", progress=0.9)
        new = do_record_pairs(actor=actor, channel=run.channel, pairs=result.pairs, run=run)
    except Exception as err:
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=f"{type(err).__name__}: {err}"[:2000],
            finished_at=timezone.now())
        run.refresh_from_db()
        return run
    LinkageRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, stage="done", progress=1.0, records=result.records,
        pairs_found=len(result.pairs), pairs_new=new, model=result.model,
        seconds=round(time.perf_counter() - started, 2), finished_at=timezone.now())
    run.refresh_from_db()
    return run


def do_store_result(*, actor: Any, channel: str, result: linkage.LinkageResult,
                    threshold: float) -> LinkageRun:
    """Record a linkage computed outside a task (the CLI's ``--propose``) as a finished run
    and propose its pairs."""
    _require_reviewer(actor)
    with transaction.atomic():
        run = LinkageRun.objects.create(
            started_by=actor, channel=channel, threshold=threshold, status=RunStatus.DONE,
            stage="done", progress=1.0, records=result.records, pairs_found=len(result.pairs),
            model=result.model, seconds=round(result.seconds, 2), finished_at=timezone.now())
        run.pairs_new = do_record_pairs(actor=actor, channel=channel, pairs=result.pairs,
                                        run=run)
        run.save(update_fields=["pairs_new"])
    return run


def do_record_pairs(*, actor: Any, channel: str, pairs: Iterable[linkage.Pair],
                    run: LinkageRun | None = None) -> int:
    """Store linkage pairs (registry person ids) as proposals. A pair already confirmed or
    rejected is left alone; a pending one gets the new probability. Pairs with a person the
    actor may not change are skipped. Returns the number of new proposals."""
    _require_reviewer(actor)
    wanted: dict[tuple[int, int], float] = {}
    for pair in pairs:
        a, b = sorted((int(pair.id_left), int(pair.id_right)))
        if a != b:
            wanted[(a, b)] = max(wanted.get((a, b), 0.0), pair.probability)
    if not wanted:
        return 0
    ids = {i for key in wanted for i in key}
    with transaction.atomic():
        base = Person.objects.all() if _is_system(actor) else Person.objects.restrict(actor,
                                                                                      CHANGE)
        allowed: set[int] = set()
        id_list = sorted(ids)
        for i in range(0, len(id_list), 900):
            allowed.update(base.filter(pk__in=id_list[i:i + 900]).values_list("id", flat=True))
        existing: dict[tuple[int, int], CandidatePair] = {}
        lefts = sorted({a for a, _ in wanted})
        for i in range(0, len(lefts), 900):
            for row in CandidatePair.objects.filter(left_pid__in=lefts[i:i + 900]):
                existing[(row.left_pid, row.right_pid)] = row
        new, updated = [], []
        for (a, b), probability in wanted.items():
            if a not in allowed or b not in allowed:
                continue
            found = existing.get((a, b))
            if found is None:
                new.append(CandidatePair(left_id=a, right_id=b, left_pid=a, right_pid=b,
                                         probability=probability, run=run))
            elif found.status == PairStatus.PROPOSED and (
                    abs(found.probability - probability) > 1e-9 or found.run_id != (
                        run.pk if run else None)):
                found.probability = probability
                found.run = run
                updated.append(found)
        # A concurrent run may have proposed the same pair a moment ago: keep that one.
        CandidatePair.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        CandidatePair.objects.bulk_update(updated, ["probability", "run"], batch_size=1000)
        audit.record(actor=actor, channel=channel, action="dedup.pairs.propose",
                     object_type=RUN_TYPE, object_id=run.pk if run else "",
                     changes={"new": [None, len(new)], "updated": [None, len(updated)]})
    return len(new)


# --------------------------------------------------------------------------------------------
# Review
# --------------------------------------------------------------------------------------------

def _locked_pair(actor: Any, pair: CandidatePair) -> CandidatePair:
    qs = CandidatePair.objects.all() if _is_system(actor) else CandidatePair.objects.restrict(
        actor, CHANGE)
    current = qs.select_for_update(of=("self",)).filter(pk=pair.pk).first()
    if current is None:
        raise DomainError("out_of_scope")
    if current.status != PairStatus.PROPOSED:
        raise DomainError("pair_already_reviewed", status=current.get_status_display())
    if current.left_id is None or current.right_id is None:
        raise DomainError("pair_person_gone")
    return current


def do_reject_pair(*, actor: Any, channel: str, pair: CandidatePair,
                   note: str = "") -> CandidatePair:
    """Not the same person: the pair is kept as rejected and never proposed again."""
    _require_reviewer(actor)
    with transaction.atomic():
        current = _locked_pair(actor, pair)
        current.status = PairStatus.REJECTED
        current.reviewer = actor
        current.reviewed_at = timezone.now()
        current.note = note[:255]
        current.save(update_fields=["status", "reviewer", "reviewed_at", "note", "updated_at"])
        for person_id in (current.left_id, current.right_id):
            audit.record(actor=actor, channel=channel, action="dedup.reject",
                         object_type="people.person", object_id=person_id,
                         changes={"pair": [None, current.pk],
                                  "other": [None, current.right_id if person_id ==
                                            current.left_id else current.left_id]},
                         note=note, region_code=_region_of(person_id))
        audit.record(actor=actor, channel=channel, action="reject", obj=current,
                     changes={"status": [PairStatus.PROPOSED, PairStatus.REJECTED]}, note=note)
    return current


def _region_of(person_id: int | None) -> str:
    if person_id is None:
        return ""
    return str(Person.objects.filter(pk=person_id).values_list("region_id", flat=True).first()
               or "")


def _move_relations(kept: Person, removed: Person) -> dict[str, int]:
    """Point every row that refers to ``removed`` at ``kept``: education, employment, and any
    other app's foreign key, one-to-one or many-to-many link to Person (so records added by
    later apps survive a merge). A link the kept person already has is not doubled; a one-to-one
    row both have, or a unique clash, aborts the merge (``merge_conflict``, naming the table).
    Returns counts by table."""
    moved: dict[str, int] = {}
    moved["education"] = EducationRecord.objects.filter(person=removed).update(person=kept)
    moved["employment"] = EmploymentRecord.objects.filter(person=removed).update(person=kept)
    skip = {EducationRecord, EmploymentRecord, CandidatePair, MergeRecord}
    for rel in Person._meta.related_objects:
        model = rel.related_model
        if isinstance(model, str) or model in skip:
            continue
        label = model._meta.label_lower
        if rel.many_to_many:
            count = _move_m2m(rel, kept, removed)
        elif isinstance(rel.field, models.ForeignKey):
            name = rel.field.name
            manager = model._default_manager
            if rel.one_to_one and manager.filter(**{name: kept}).exists() and manager.filter(
                    **{name: removed}).exists():
                raise DomainError("merge_conflict", table=label)
            try:
                with transaction.atomic():
                    count = manager.filter(**{name: removed}).update(**{name: kept})
            except IntegrityError as err:
                raise DomainError("merge_conflict", table=label) from err
        else:
            continue
        if count:
            moved[label] = count
    return moved


def _move_m2m(rel: Any, kept: Person, removed: Person) -> int:
    """Re-point the removed person's rows in a many-to-many table; drop the ones the kept
    person already has."""
    through = rel.through
    if through is None:
        return 0
    fk = next((f.name for f in through._meta.fields
               if isinstance(f, models.ForeignKey) and f.related_model is Person), None)
    if fk is None:
        return 0
    count = 0
    for row in list(through._default_manager.filter(**{fk: removed})):
        try:
            with transaction.atomic():
                through._default_manager.filter(pk=row.pk).update(**{fk: kept})
            count += 1
        except IntegrityError:
            through._default_manager.filter(pk=row.pk).delete()  # kept already has this link
    return count


def do_confirm_pair(*, actor: Any, channel: str, pair: CandidatePair, keep: str = "left",
                    note: str = "") -> MergeRecord:
    """The two people are one: fold one into the other (``keep``: "left" or "right", the
    record that stays). Histories of both are kept, blank fields of the kept record are filled
    from the removed one, both records get an audit event, and a MergeRecord keeps the removed
    person's data with its NIK as an alias. Both people must be in the actor's scope."""
    _require_reviewer(actor)
    if keep not in ("left", "right"):
        raise DomainError("invalid_keep", field="keep", value=keep)
    with transaction.atomic():
        current = _locked_pair(actor, pair)
        people = Person.objects.all() if _is_system(actor) else Person.objects.restrict(
            actor, CHANGE)
        locked = {p.pk: p for p in people.select_for_update().filter(
            pk__in=[current.left_id, current.right_id])}
        if len(locked) != 2:
            raise DomainError("out_of_scope")
        kept_id, removed_id = ((current.left_pid, current.right_pid) if keep == "left"
                               else (current.right_pid, current.left_pid))
        kept, removed = locked[kept_id], locked[removed_id]
        before = audit.snapshot(kept, PERSON_FIELDS)
        removed_data = audit.snapshot(removed, PERSON_FIELDS)
        fills = {attname: getattr(removed, attname) for attname in FILL_FIELDS.values()
                 if getattr(kept, attname) in (None, "")
                 and getattr(removed, attname) not in (None, "")}
        account = removed.user_id if kept.user_id is None else None
        moved = _move_relations(kept, removed)
        removed_name, removed_nik, removed_nip = removed.name, removed.nik, removed.nip or ""
        removed_region = removed.region_id
        # Remove first: its NIP and account are unique and may move to the kept record.
        audit.record(actor=actor, channel=channel, action="merge.remove", obj=removed,
                     changes={k: [v, None] for k, v in removed_data.items()
                              if v not in (None, "", False)},
                     note=f"digabung ke #{kept.pk} {kept.name}"[:255],
                     region_code=removed_region)
        CandidatePair.objects.filter(status=PairStatus.PROPOSED).filter(
            models.Q(left_id=removed.pk) | models.Q(right_id=removed.pk)).exclude(
            pk=current.pk).delete()
        removed.delete()
        for attname, value in fills.items():
            setattr(kept, attname, value)
        if account is not None:
            kept.user_id = account
        kept.save()
        refresh_current(kept)
        kept.refresh_from_db()
        if not _is_system(actor) and not Person.objects.restrict(actor, CHANGE).filter(
                pk=kept.pk).exists():
            raise DomainError("move_out_of_scope", field="region",
                              region=kept.region_id or "nasional")
        changes = audit.diff(before, audit.snapshot(kept, PERSON_FIELDS))
        changes["merged_from"] = [None, {"id": removed_id, "nik": removed_nik,
                                         "name": removed_name}]
        changes["moved"] = [None, moved]
        audit.record(actor=actor, channel=channel, action="merge.keep", obj=kept,
                     changes=changes, note=note, region_code=kept.region_id)
        current.status = PairStatus.CONFIRMED
        current.reviewer = actor
        current.reviewed_at = timezone.now()
        current.note = note[:255]
        current.save(update_fields=["status", "reviewer", "reviewed_at", "note", "updated_at"])
        audit.record(actor=actor, channel=channel, action="confirm", obj=current,
                     changes={"status": [PairStatus.PROPOSED, PairStatus.CONFIRMED],
                              "kept": [None, kept.pk], "removed": [None, removed_id]},
                     note=note)
        merge = MergeRecord.objects.create(
            kept=kept, kept_pid=kept.pk, removed_pid=removed_id, removed_nik=removed_nik,
            removed_nip=removed_nip, removed_name=removed_name, removed_data=removed_data,
            moved=moved, pair=current, probability=current.probability,
            merged_by=actor if not _is_system(actor) else None)
    return merge


def aliases(person: Person) -> list[str]:
    """NIKs of people merged into ``person`` (most recent first)."""
    return list(MergeRecord.objects.filter(kept_pid=person.pk).values_list("removed_nik",
                                                                            flat=True))


def person_by_alias(actor: Any, nik: str) -> Person | None:
    """The person (within the actor's view scope) that a merged-away NIK now belongs to."""
    kept = MergeRecord.objects.filter(removed_nik=nik).values_list("kept_pid", flat=True).first()
    if kept is None:
        return None
    return Person.objects.restrict(actor, VIEW).filter(pk=kept).first()


def scope_label(actor: Any) -> str:
    if _is_system(actor):
        return "nasional"
    scope = scope_for(actor)
    return "nasional" if scope.unrestricted else ", ".join(scope.region_codes) or "-"


__all__ = [
    "aliases",
    "do_confirm_pair",
    "do_execute_run",
    "do_record_pairs",
    "do_reject_pair",
    "do_start_run",
    "person_by_alias",
    "registry_records",
    "to_link_record",
]
