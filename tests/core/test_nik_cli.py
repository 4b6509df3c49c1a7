import json
import subprocess
import sys
from pathlib import Path

import pytest

from sdmkesos.core.identifiers import encode_nik

BIN = Path(sys.executable).parent / "sdmkesos"


def run(*niks: str) -> tuple[int, list[dict]]:
    proc = subprocess.run([str(BIN), "nik", *niks], capture_output=True, text=True, timeout=60)
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines() if line]


@pytest.mark.skipif(not BIN.exists(), reason="console script not installed")
def test_nik_cli_valid_and_invalid():
    import datetime as dt

    good = encode_nik("35", "07", "01", dt.date(1990, 5, 17), "P", 12)
    code, rows = run(good)
    assert code == 0
    assert rows == [{"nik": good, "valid": True, "errors": [], "province_code": "35",
                     "province": "Jawa Timur", "birth_date": "1990-05-17", "sex": "P"}]
    code, rows = run(good, "9907011705900012", "12345")
    assert code == 1
    assert [r["valid"] for r in rows] == [True, False, False]
    assert rows[1]["errors"][0]["code"] == "nik_unknown_province"
    assert all(set(e) >= {"code", "message"} for r in rows for e in r["errors"])
