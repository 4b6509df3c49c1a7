"""Background import: the web UI queues a job; a worker (`sdmkesos db_worker`, started by
`sdmkesos serve`) runs it. Progress goes to the cache (shared by the web and worker processes on
one machine; configure a shared cache for several machines), because the import's own transaction
hides its database writes until it commits."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation
from django_tasks import task

PROGRESS_KEY = "import-progress:{}"
SUMMARY_ERRORS = 500  # errors kept on the job page; all of them are in the report


def progress_of(job_id: Any) -> tuple[int, int | None] | None:
    value = cache.get(PROGRESS_KEY.format(job_id))
    return (int(value[0]), value[1]) if value else None


@task()
def run_import_job(job_id: str) -> dict[str, Any]:
    from .engine import run_import
    from .models import ImportJob
    from .report import write_report

    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        return {"skipped": job.status}
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING,
                                               started_at=timezone.now())
    key = PROGRESS_KEY.format(job.pk)

    def progress(done: int, total: int | None) -> None:
        cache.set(key, (done, total), 24 * 3600)

    try:
        with translation.override(job.language or "id"):
            result = run_import(
                job.kind, job.file, actor=job.created_by, channel="import",
                dry_run=job.mode == ImportJob.Mode.DRY_RUN,
                keep_valid=job.mode == ImportJob.Mode.KEEP_VALID, overrides=job.overrides,
                note=f"file {job.original_name} (job {job.pk})", progress=progress)
            report = ""
            if result.errors or result.statuses:
                report_path = Path(job.file).with_name("laporan-impor.xlsx")
                write_report(result, report_path)
                report = str(report_path)
        summary = result.summary()
        summary["errors"] = summary["errors"][:SUMMARY_ERRORS]
        summary["committed"] = result.committed
        summary["dry_run"] = result.dry_run
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE, finished_at=timezone.now(), summary=summary,
            report=report, rows_done=result.rows, rows_total=result.rows,
            mapping=[list(pair) for pair in result.mapping.describe()] if result.mapping else [])
        return {k: v for k, v in summary.items() if k != "errors"}
    except Exception as err:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(),
            failure=f"{err}\n{traceback.format_exc(limit=5)}")
        raise
    finally:
        cache.delete(key)


@task()
def validate_foreign_keys_task(constraints: list[list[str]]) -> list[list[str]]:
    """After a bulk load has committed: validate the foreign keys it restored ``NOT VALID``
    (``bulk.validate_foreign_keys``)."""
    from .bulk import validate_foreign_keys

    return [list(pair) for pair in validate_foreign_keys(constraints)]
