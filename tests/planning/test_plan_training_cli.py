"""`sdmkesos plan-training` (and `plan_training`): output shape, errors, example generator."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from sdmkesos.trainplan import example_instance, instance_to_json


def test_generate_then_plan(tmp_path: Path) -> None:
    instance_file = tmp_path / "instance.json"
    out = StringIO()
    call_command("plan-training", generate_example=str(instance_file), people=120, stdout=out)
    assert "120 orang" in out.getvalue()
    plan_file = tmp_path / "plan.json"
    out = StringIO()
    call_command("plan-training", instance=str(instance_file), json=str(plan_file),
                 time_limit=10, stdout=out)
    assert "angkatan" in out.getvalue() and "belum terlayani" in out.getvalue()
    plan = json.loads(plan_file.read_text())
    for key in ("objective", "bound", "gap", "uncovered", "batches", "cost", "status"):
        assert key in plan
    assert plan["batches"]
    people = {p["id"] for p in json.loads(instance_file.read_text())["people"]}
    seen: set[str] = set()
    for batch in plan["batches"]:
        assert set(batch) >= {"programme", "venue_region", "start", "end", "trainers",
                              "participants"}
        assert batch["start"] <= batch["end"]
        assert batch["trainers"]
        assert set(batch["participants"]) <= people
        assert not seen & set(batch["participants"])
        seen |= set(batch["participants"])
    assert plan["trained"] == len(seen)
    assert set(plan["uncovered"]) >= {"persons", "gap_levels", "by_reason", "people"}


def test_underscore_name_greedy_and_budget_override(tmp_path: Path) -> None:
    instance_file = tmp_path / "i.json"
    instance_file.write_text(json.dumps(instance_to_json(example_instance(80, seed=5))))
    out = StringIO()
    call_command("plan_training", instance=str(instance_file), json="-", greedy=True,
                 budget=0, stdout=out)
    plan = json.loads(out.getvalue())
    assert plan["method"] == "greedy"
    assert plan["batches"] == [] and plan["cost"]["budget"] == 0
    assert plan["uncovered"]["by_reason"].get("budget", 0) > 0


def test_invalid_instance_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"periods": [], "programmes": [{"id": "X"}]}')
    out = StringIO()
    with pytest.raises(SystemExit) as info:
        call_command("plan-training", instance=str(bad), stdout=out)
    assert info.value.code == 2
    errors = json.loads(out.getvalue())["errors"]
    assert {"field": "programmes[0].max_batch", "code": "required",
            "message": "programmes[0].max_batch wajib diisi."} in errors
