"""`sdmkesos wisn FILE.json` as a user runs it (a subprocess of the console script)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.planning.test_wisn import EXAMPLE, example

BIN = Path(sys.executable).parent / "sdmkesos"

pytestmark = pytest.mark.skipif(not BIN.exists(), reason="console script not installed")


def run(*args: str, stdin: str | None = None) -> tuple[int, Any]:
    proc = subprocess.run([str(BIN), "wisn", *args], input=stdin, capture_output=True,
                          text=True, timeout=60)
    return proc.returncode, json.loads(proc.stdout)


def test_file_success(tmp_path: Path) -> None:
    path = tmp_path / "dinsos-peksos.json"
    path.write_text(json.dumps(EXAMPLE, ensure_ascii=False), encoding="utf-8-sig")  # with a BOM
    code, out = run(str(path))
    assert code == 0
    assert list(out) == [
        "available_working_days", "available_working_time", "service_activities",
        "service_required", "support_activities", "total_support_percent",
        "category_allowance_factor", "additional_activities", "total_additional_hours",
        "individual_allowance_factor", "required_staff", "current_staff", "wisn_difference",
        "wisn_ratio", "interpretation"]
    assert out["available_working_time"] == 1650
    assert [s["required"] for s in out["service_activities"]] == [1.2, 1.5, 0.6]
    assert set(out["service_activities"][0]) == {
        "name", "annual_volume", "minutes_per_unit", "standard_workload", "required"}
    assert {"name", "percent"} <= set(out["support_activities"][2])
    assert set(out["additional_activities"][0]) == {"name", "hours_per_year", "staff",
                                                    "total_hours"}
    assert (out["required_staff"], out["wisn_difference"], out["wisn_ratio"]) == (4.22, -1.22,
                                                                                 0.71)
    assert out["interpretation"]["status"] == "shortage"
    assert out["interpretation"]["message"].startswith("Kekurangan tenaga")


def test_stdin_success_in_english() -> None:
    code, out = run("-", "--lang", "en", stdin=json.dumps(example(current_staff=10)))
    assert code == 0
    assert out["interpretation"]["status"] == "surplus"
    assert out["interpretation"]["message"].startswith("Staff surplus")


def test_invalid_input_exit_2_with_errors() -> None:
    bad = example(working_days=40)
    bad["service_activities"][2]["minutes_per_unit"] = 0
    code, out = run("-", "--lang", "en", stdin=json.dumps(bad))
    assert code == 2
    assert out == {"errors": [{
        "field": "service_activities[2].minutes_per_unit", "code": "zero_unit_time",
        "message": "service_activities[2].minutes_per_unit must be greater than 0 (value: 0): "
                   "a unit time of zero makes the standard workload infinite."}]}


def test_not_json_or_missing_file_exit_2(tmp_path: Path) -> None:
    code, out = run("-", stdin='{"working_days": 260,')
    assert code == 2
    assert [(e["field"], e["code"]) for e in out["errors"]] == [("$", "invalid_json")]
    assert out["errors"][0]["message"].startswith("Masukan bukan JSON yang valid")
    code, out = run(str(tmp_path / "tidak-ada.json"))
    assert code == 2
    assert [(e["field"], e["code"]) for e in out["errors"]] == [("$", "unreadable")]
