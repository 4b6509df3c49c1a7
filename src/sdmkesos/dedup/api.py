"""API endpoints of the dedup app, mounted under /api/v1/dedup/.

- ``GET  /pairs?status=proposed`` — candidate pairs whose two people are in the caller's scope
- ``GET  /pairs/{id}`` — one pair with both people
- ``POST /pairs/{id}/confirm`` ``{"keep": "left"|"right", "note": ""}`` — merge the two people
- ``POST /pairs/{id}/reject`` ``{"note": ""}`` — not the same person; never proposed again
- ``POST /runs`` ``{"threshold": 0.9}`` — start a linkage run in the background
- ``GET  /runs/{id}`` — its status and progress

Only roles that may change people (operators, national administrators) use these; others get
403. A pair outside the caller's scope is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from sdmkesos.core.api import ERRORS, PageQuery, api_user, page
from sdmkesos.core.choices import Channel
from sdmkesos.core.errors import DomainError
from sdmkesos.core.scoping import CHANGE, can, display_nik
from sdmkesos.people.models import Person

from . import actions, linkage
from .models import CandidatePair, LinkageRun, PairStatus

router = Router(tags=["dedup"])


class PersonSide(Schema):
    id: int
    name: str
    nik: str
    sex: str
    birth_place: str
    birth_date: dt.date
    region: str | None


class PairOut(Schema):
    id: int
    left_id: int
    right_id: int
    probability: float
    status: str
    left: PersonSide | None
    right: PersonSide | None
    reviewer: str | None
    reviewed_at: dt.datetime | None
    note: str


class PairPage(Schema):
    count: int
    items: list[PairOut]


class PairQuery(PageQuery):
    status: str = Field(PairStatus.PROPOSED, description="proposed, confirmed or rejected")


class ConfirmIn(Schema):
    keep: str = Field("left", description="the record that stays: left or right")
    note: str = ""


class RejectIn(Schema):
    note: str = ""


class MergeOut(Schema):
    pair: PairOut
    kept_id: int
    removed_id: int
    removed_nik_alias: str
    moved: dict[str, int]


class RunIn(Schema):
    threshold: float = linkage.DEFAULT_THRESHOLD


class RunOut(Schema):
    id: int
    status: str
    stage: str
    progress: float
    threshold: float
    records: int
    pairs_found: int
    pairs_new: int
    seconds: float | None
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


def _reviewer(request: HttpRequest) -> Any:
    user = api_user(request)
    if not can(user, CHANGE):
        raise DomainError("forbidden")
    return user


def _side(user: Any, person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.pk, "name": person.name, "nik": display_nik(user, person.nik),
            "sex": person.sex, "birth_place": person.birth_place,
            "birth_date": person.birth_date, "region": person.region_id}


def pair_out(user: Any, pair: CandidatePair) -> dict[str, Any]:
    return {"id": pair.pk, "left_id": pair.left_pid, "right_id": pair.right_pid,
            "probability": pair.probability, "status": pair.status,
            "left": _side(user, pair.left), "right": _side(user, pair.right),
            "reviewer": pair.reviewer.get_username() if pair.reviewer else None,
            "reviewed_at": pair.reviewed_at, "note": pair.note}


def _pairs(user: Any) -> Any:
    return CandidatePair.objects.restrict(user, CHANGE).select_related("left", "right",
                                                                       "reviewer")


def _find(user: Any, pk: int) -> CandidatePair:
    pair = _pairs(user).filter(pk=pk).first()
    if pair is None:
        raise DomainError("not_found")
    return pair


def run_out(run: LinkageRun) -> dict[str, Any]:
    return {k: getattr(run, k) for k in (
        "id", "status", "stage", "progress", "threshold", "records", "pairs_found", "pairs_new",
        "seconds", "error", "created_at", "finished_at")}


@router.get("/pairs", response={200: PairPage, **ERRORS})
def list_pairs(request: HttpRequest, filters: Query[PairQuery]) -> Any:
    user = _reviewer(request)
    if filters.status not in PairStatus.values:
        raise DomainError("invalid_value", field="status",
                          message=f"status: {', '.join(PairStatus.values)}")
    qs = _pairs(user).filter(status=filters.status).order_by("-probability", "id")
    items, count = page(qs, filters.limit, filters.offset)
    return {"count": count, "items": [pair_out(user, p) for p in items]}


@router.get("/pairs/{pair_id}", response={200: PairOut, **ERRORS})
def get_pair(request: HttpRequest, pair_id: int) -> Any:
    user = _reviewer(request)
    return pair_out(user, _find(user, pair_id))


@router.post("/pairs/{pair_id}/confirm", response={200: MergeOut, **ERRORS})
def confirm_pair(request: HttpRequest, pair_id: int, payload: ConfirmIn) -> Any:
    user = _reviewer(request)
    pair = _find(user, pair_id)
    merge = actions.do_confirm_pair(actor=user, channel=Channel.API, pair=pair,
                                    keep=payload.keep, note=payload.note)
    pair = CandidatePair.objects.select_related("left", "right", "reviewer").get(pk=pair.pk)
    return {"pair": pair_out(user, pair), "kept_id": merge.kept_pid,
            "removed_id": merge.removed_pid, "removed_nik_alias": merge.removed_nik,
            "moved": merge.moved}


@router.post("/pairs/{pair_id}/reject", response={200: PairOut, **ERRORS})
def reject_pair(request: HttpRequest, pair_id: int, payload: RejectIn) -> Any:
    user = _reviewer(request)
    pair = _find(user, pair_id)
    actions.do_reject_pair(actor=user, channel=Channel.API, pair=pair, note=payload.note)
    pair = CandidatePair.objects.select_related("left", "right", "reviewer").get(pk=pair.pk)
    return pair_out(user, pair)


@router.post("/runs", response={202: RunOut, **ERRORS})
def start_run(request: HttpRequest, payload: RunIn) -> Any:
    user = _reviewer(request)
    run = actions.do_start_run(actor=user, channel=Channel.API, threshold=payload.threshold)
    return Status(202, run_out(run))


@router.get("/runs/{run_id}", response={200: RunOut, **ERRORS})
def get_run(request: HttpRequest, run_id: int) -> Any:
    user = _reviewer(request)
    run = LinkageRun.objects.restrict(user).filter(pk=run_id).first()
    if run is None:
        raise DomainError("not_found")
    return run_out(run)
