from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sdmkesos.careers.models import CareerPosition, JfLevel, JfPosition, JfRank, PositionKind
from sdmkesos.careers.reference import load_jf_reference


@pytest.fixture
def jf(db: Any) -> None:
    load_jf_reference()


@pytest.fixture
def jf_position(jf: None) -> Any:
    """Create a functional position spell directly (fixtures are not the subject)."""

    def make(person: Any, level: str = "ahli_pertama", rank: str = "III/a", *,
             tmt: dt.date = dt.date(2020, 1, 1), jf_code: str = "pekerja_sosial",
             **fields: Any) -> CareerPosition:
        return CareerPosition.objects.create(
            person=person, kind=PositionKind.FUNCTIONAL,
            jf=JfPosition.objects.get(code=jf_code), level=JfLevel.objects.get(code=level),
            rank=JfRank.objects.get(code=rank), tmt=tmt, **fields)

    return make
