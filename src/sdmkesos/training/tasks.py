"""Background work of the training app: the training-plan optimiser on registry data (the pattern
of ``imports.tasks``: the page queues the task, a worker runs it, progress goes to the cache and
the page polls it with htmx)."""

from __future__ import annotations

import time
import traceback
from typing import Any

from django.core.cache import cache
from django.utils import translation
from django_tasks import task

PROGRESS_KEY = "training-plan-progress:{}"


def progress_of(plan_id: Any) -> dict[str, Any] | None:
    value = cache.get(PROGRESS_KEY.format(plan_id))
    return dict(value) if value else None


def _progress(plan_id: Any, phase: str, **extra: Any) -> None:
    cache.set(PROGRESS_KEY.format(plan_id), {"phase": phase, "at": time.time(), **extra},
              24 * 3600)


@task()
def run_training_plan(plan_id: int) -> dict[str, Any]:
    from sdmkesos.trainplan import plan_to_json, prepare, solve

    from . import actions
    from .models import TrainingPlan
    from .planner import Parameters, build_instance

    plan = TrainingPlan.objects.select_related("created_by").get(pk=plan_id)
    if not actions.mark_plan_running(plan):
        return {"skipped": plan.status}
    params = Parameters.from_json(plan.parameters)
    summary: dict[str, Any] = {}
    started = time.time()
    language = str(plan.parameters.get("language") or "id")
    try:
        translation.activate(language)
        _progress(plan.pk, "build", started=started)
        instance, summary = build_instance(plan.created_by, params, name=plan.name)
        if not instance.people or not instance.programmes:
            result = _empty_result(instance.name)
        else:
            _progress(plan.pk, "solve", started=started, time_limit=params.time_limit,
                      people=len(instance.people))
            prepared = prepare(instance)
            solved = solve(instance, time_limit=params.time_limit, workers=2,
                           prepared=prepared, lang="en" if language.startswith("en") else "id")
            result = plan_to_json(prepared, solved)
        actions.do_finish_plan(plan=plan, result=result, summary=summary)
        return {k: result.get(k) for k in ("objective", "bound", "gap", "trained")}
    except Exception as error:
        actions.do_finish_plan(plan=plan, result=None, summary=summary,
                               failure=f"{error}\n{traceback.format_exc(limit=5)}")
        raise
    finally:
        translation.deactivate()
        cache.delete(PROGRESS_KEY.format(plan.pk))


def _empty_result(name: str) -> dict[str, Any]:
    return {"instance": name, "method": "-", "status": "EMPTY", "objective": 0, "bound": 0,
            "gap": 0, "seconds": 0, "trained": 0, "cost": {"total": 0}, "stats": {},
            "batches": [], "uncovered": {"persons": 0, "gap_levels": 0, "weighted_gap": 0,
                                         "by_reason": {}, "reasons": {},
                                         "residual": {"persons": 0, "gap_levels": 0},
                                         "people": []}}
