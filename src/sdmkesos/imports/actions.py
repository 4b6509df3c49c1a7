"""Writes of the imports app: upload a sheet (a job awaiting mapping confirmation), confirm its
mapping and queue it, save a mapping for reuse. Atomic and audited; the rows themselves are
written by the background task through each record type's own actions."""

from __future__ import annotations

import itertools
import re
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language

from sdmkesos.core import audit
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.scoping import ADD, can

from .kinds import KINDS
from .models import ImportJob, SavedMapping
from .readers import EXCEL_SUFFIXES, UnreadableFile, read_rows
from .spec import HEADER_SCAN_ROWS, detect_mapping

ALLOWED_SUFFIXES = {*EXCEL_SUFFIXES, ".csv"}


def may_import(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and can(actor, ADD))


def _require(actor: Any) -> None:
    if not may_import(actor):
        raise DomainError("forbidden")


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _safe_name(name: str) -> str:
    base = Path(name).name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:120] or "berkas"


def head_rows(path: str | Path) -> list[list[Any]]:
    return [list(r) for r in itertools.islice(read_rows(path), HEADER_SCAN_ROWS)]


def do_upload_import(*, actor: Any, channel: str, kind: str, uploaded: Any,
                     mode: str = ImportJob.Mode.ALL_OR_NOTHING,
                     overrides: dict[str, str] | None = None) -> ImportJob:
    """Store an uploaded sheet (outside the public static/media paths) and create its job with
    the detected header mapping. Nothing is imported until :func:`do_confirm_import`."""
    _require(actor)
    errors = []
    if kind not in KINDS:
        errors.append(DomainError("invalid_choice", field="kind", value=kind))
    name = getattr(uploaded, "name", "") or ""
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        errors.append(DomainError("file_type", field="file",
                                  message=f"Format {suffix or '-'} tidak didukung; gunakan "
                                  ".xlsx, .xls, .ods atau .csv"))
    limit = settings.SDMKESOS_IMPORT_MAX_MB * 1024 * 1024
    if getattr(uploaded, "size", 0) > limit:
        errors.append(DomainError("file_too_large", field="file",
                                  message=f"Berkas lebih dari {settings.SDMKESOS_IMPORT_MAX_MB}"
                                  " MB"))
    if mode not in ImportJob.Mode.values:
        errors.append(DomainError("invalid_choice", field="mode", value=mode))
    if errors:
        raise ValidationFailed(errors)
    job_id = uuid.uuid4()
    folder = upload_dir() / str(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _safe_name(name)
    with path.open("wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    try:
        head = head_rows(path)
    except UnreadableFile as err:
        path.unlink(missing_ok=True)
        raise ValidationFailed([DomainError("file_unreadable", field="file",
                                            message=err.message)]) from err
    mapping = detect_mapping(head, KINDS[kind].columns, overrides)
    with transaction.atomic():
        job = ImportJob.objects.create(
            id=job_id, kind=kind, file=str(path), original_name=Path(name).name[:255],
            created_by=actor, mode=mode, overrides=overrides or {},
            mapping=[list(p) for p in mapping.describe()] if mapping else [],
            language=(get_language() or "id")[:8])
        audit.record(actor=actor, channel=channel, action="import.upload", obj=job,
                     changes={"kind": [None, kind], "file": [None, job.original_name],
                              "mode": [None, mode]})
    return job


def do_confirm_import(*, actor: Any, channel: str, job: ImportJob,
                      overrides: dict[str, str], mode: str | None = None,
                      save_as: str = "") -> ImportJob:
    """Fix the mapping (header text -> column key, "" to ignore), optionally save it under a
    name for reuse, and queue the job for the background worker."""
    from .tasks import run_import_job

    _require(actor)
    if job.created_by_id != actor.pk:
        raise DomainError("forbidden")
    if job.status != ImportJob.Status.MAPPING:
        raise DomainError("conflict", message="Impor ini sudah dijalankan")
    columns = {c.key for c in KINDS[job.kind].columns}
    bad = [key for key in overrides.values() if key and key not in columns]
    if bad:
        raise ValidationFailed([DomainError("invalid_choice", field="mapping", value=bad[0])])
    if mode is not None and mode not in ImportJob.Mode.values:
        raise ValidationFailed([DomainError("invalid_choice", field="mode", value=mode)])
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        job.overrides = overrides
        if mode:
            job.mode = mode
        job.status = ImportJob.Status.QUEUED
        job.save(update_fields=["overrides", "mode", "status"])
        if save_as:
            do_save_mapping(actor=actor, channel=channel, kind=job.kind, name=save_as,
                            mapping=overrides)
        audit.record(actor=actor, channel=channel, action="import.queue", obj=job,
                     changes={"mode": [None, job.mode], "mapping": [None, overrides]})
        job_id = str(job.pk)
        transaction.on_commit(lambda: run_import_job.enqueue(job_id))
    return job


def do_save_mapping(*, actor: Any, channel: str, kind: str, name: str,
                    mapping: dict[str, str]) -> SavedMapping:
    _require(actor)
    name = name.strip()[:100]
    if not name:
        raise ValidationFailed([DomainError("required", field="name")])
    with transaction.atomic():
        saved, created = SavedMapping.objects.update_or_create(
            kind=kind, name=name, defaults={"mapping": mapping, "created_by": actor})
        audit.record(actor=actor, channel=channel,
                     action="mapping.create" if created else "mapping.update", obj=saved,
                     changes={"mapping": [None, mapping]})
    return saved
