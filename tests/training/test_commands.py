"""The CLI: loading the dictionary, the gap report, the training demo."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from sdmkesos.training.models import Batch, Nomination


def test_load_and_gaps_commands(users, make_person, tmp_path):
    out = io.StringIO()
    call_command("load_competencies", stdout=out)
    assert json.loads(out.getvalue())["competencies"] == 0  # already loaded
    make_person("35.07", category="psm", name="=1+1")
    out = io.StringIO()
    call_command("gaps", "--by", "category", "--region", "35", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[-1]["summary"]["people"] >= 1
    assert any(row["key"] == "psm" for row in lines[:-1])
    target = tmp_path / "gaps.csv"
    call_command("gaps", "-o", str(target), "--user", "jatim", stderr=io.StringIO())
    text = target.read_text(encoding="utf-8-sig")
    assert "'=1+1" in text and "Siti Pekerja" in text  # jatim's scope includes 35.07


def test_training_demo(users, make_person):
    for _ in range(3):
        make_person("35.07", category="psm")
    out = io.StringIO()
    call_command("demo_training", "--assessments", "10", stdout=out)
    counts = json.loads(out.getvalue())
    assert counts["batches"] == 5 and counts["nominations"] >= 3
    assert Batch.objects.count() == 5 and Nomination.objects.filter(status="terdaftar").exists()
    out = io.StringIO()
    call_command("demo_training", stdout=out)
    assert json.loads(out.getvalue()) == {"skipped": 1}
