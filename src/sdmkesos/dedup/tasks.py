"""Background work of the dedup app (django-tasks): the linkage run started from the UI."""

from __future__ import annotations

from django_tasks import task


@task()
def run_linkage(run_id: int) -> dict[str, int | str]:
    """Run linkage run ``run_id``; progress is written to the run row the page polls."""
    from .actions import do_execute_run
    from .models import LinkageRun

    run = LinkageRun.objects.get(pk=run_id)
    run = do_execute_run(run=run)
    return {"run": run.pk, "status": run.status, "pairs_new": run.pairs_new}
