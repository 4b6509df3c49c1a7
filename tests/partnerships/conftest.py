"""Fixtures for the partnership tests: an agreement between Kemensos and a province, a meeting
with a resolution and an action item owned by a district's Dinas Sosial."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sdmkesos.core.models import Organisation, User
from sdmkesos.partnerships import actions


@pytest.fixture
def admin(users: dict[str, User]) -> User:
    return users["nasional"]


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


@pytest.fixture
def make_agreement(users: dict[str, User]) -> Any:
    def make(region: str = "35", *, kind: str = "mou", number: str | None = None,
             actor: User | None = None, **data: Any) -> Any:
        actor = actor or users["nasional"]
        number = number or f"NK-{region}-{kind}-{make.n}"
        make.n += 1
        return actions.do_create_agreement(
            actor=actor, channel="web",
            data={"kind": kind, "number": number, "title": f"Kerja sama {region}",
                  "scopes": ["education"], **data},
            parties=[{"organisation": org("KEMENSOS"), "signatory_name": "Menteri Sosial",
                      "signatory_position": "Menteri Sosial"},
                     {"organisation": org(f"DINSOS-{region}"),
                      "signatory_name": "Gubernur", "signatory_position": "Gubernur"}])

    make.n = 1  # type: ignore[attr-defined]
    return make


@pytest.fixture
def make_meeting(users: dict[str, User]) -> Any:
    def make(owner_region: str = "35.07", *, organiser: str = "BBPPKS-1",
             start: dt.date = dt.date(2018, 4, 10), due: dt.date | None = dt.date(2018, 12, 31),
             ) -> Any:
        admin = users["nasional"]
        meeting = actions.do_create_meeting(
            actor=admin, channel="web",
            data={"title": f"Rakor {start.year}", "organiser": org(organiser),
                  "start_date": start, "end_date": start + dt.timedelta(days=3),
                  "kind": "rakorbang"})
        res = actions.do_add_resolution(actor=admin, channel="web", meeting=meeting,
                                        text="Dinas sosial memberi kesempatan studi lanjut.")
        item = actions.do_create_action(
            actor=admin, channel="web", resolution=res,
            data={"title": "Usulkan pegawai untuk studi lanjut", "due_date": due},
            owners=[org(f"DINSOS-{owner_region}")])
        return meeting, res, item

    return make
