"""The training plan on registry data: building the optimiser instance, the web page (a background
task, here run immediately), accepting a plan (batches and nominations through the actions, all or
nothing), the CLI, and who may see or do what."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from sdmkesos.core.audit import AuditEvent
from sdmkesos.core.models import Organisation, Region
from sdmkesos.training import actions
from sdmkesos.training.models import Batch, Nomination, PlanStatus, TrainingPlan
from sdmkesos.training.planner import Parameters, build_instance

from . import factories as f

D = dt.date
YEAR = 2027


@pytest.fixture
def world(users, make_person):
    admin = users["nasional"]
    prog = f.programme(admin)  # PDPS: PS.01→3, RS.03→3; psm, tksk, pekerja_sosial
    place = f.venue(admin, capacity=30)
    teacher = f.trainer(admin)  # no competencies listed: teaches the UPT's programmes
    people = [make_person("35.07", category="psm", name=f"Relawan {i}") for i in range(4)]
    outsider = make_person("32.04", category="psm", name="Relawan Bandung")
    return {"programme": prog, "venue": place, "trainer": teacher, "people": people,
            "outsider": outsider}


def params(**kw):
    base = {"start": D(YEAR, 1, 1), "end": D(YEAR, 3, 31), "region": "35", "category": "psm",
            "min_batch": 2, "max_batch": 30, "time_limit": 10}
    return Parameters(**{**base, **kw})


def form_data(world, **kw):
    data = {"name": "Relawan Jatim", "organisation": Organisation.objects.get(
        code="UPT-PTKS-MALANG").pk, "region": "35", "category": "psm", "start": f"{YEAR}-01-01",
        "end": f"{YEAR}-03-31", "time_limit": 10, "min_batch": 2, "max_batch": 30,
        "asn_weight": 2, "max_km": 250, "budget": ""}
    data.update(kw)
    return data


def test_build_instance_from_registry(users, world):
    instance, summary = build_instance(users["jatim"], params())
    ids = {p.id for p in instance.people}
    assert {str(p.pk) for p in world["people"]} <= ids
    assert str(world["outsider"].pk) not in ids  # another province
    person = next(p for p in instance.people if p.id == str(world["people"][0].pk))
    assert person.attributes == {"programme:PDPS": "1"} and person.region == "35.07"
    assert person.gaps["RS.03"].required == 2 and person.gaps["RS.03"].current == 0
    assert [p.id for p in instance.programmes] == ["PDPS"]
    assert instance.programmes[0].eligible(person) and instance.programmes[0].min_batch == 2
    assert [v.id for v in instance.venues] == [str(world["venue"].pk)]
    assert instance.trainers[0].programmes == ("PDPS",)
    assert len(instance.periods) == 12 and summary["people"] == len(ids)
    # Out of scope: Jawa Barat's operator sees nobody of East Java.
    other, _ = build_instance(users["jabar"], params(region=""))
    assert not {str(p.pk) for p in world["people"]} & {p.id for p in other.people}


def test_build_instance_honours_existing_bookings_and_without(users, world):
    admin = users["nasional"]
    busy = f.batch(admin, world["programme"], start=D(YEAR, 1, 4), end=D(YEAR, 1, 8),
                   place=world["venue"], capacity=5)
    actions.do_assign_trainer(actor=admin, channel="cli", batch=busy, trainer=world["trainer"])
    actions.do_nominate(actor=admin, channel="cli", batch=busy, person=world["people"][0])
    instance, summary = build_instance(users["jatim"], params())
    assert f"{YEAR}-W01" not in instance.venues[0].available
    assert f"{YEAR}-W01" not in instance.trainers[0].available
    first = next(p for p in instance.people if p.id == str(world["people"][0].pk))
    assert "RS.03" not in first.gaps and "programme:PDPS" not in first.attributes  # in training
    assert "RS.01" in first.gaps  # a gap no programme closes stays (reported as uncovered)
    assert summary["gaps_in_training"] == 1
    without, summary = build_instance(users["jatim"], params(without_programme="PDPS"))
    assert str(world["people"][0].pk) not in {p.id for p in without.people}


def test_web_plan_solve_download_accept(client, users, world, run):
    client.force_login(users["jatim"])
    assert client.get(reverse("training:plan_create")).status_code == 200
    with run():
        r = client.post(reverse("training:plan_create"), form_data(world))
    assert r.status_code == 302, r.content.decode()[:3000]
    plan = TrainingPlan.objects.get()
    assert r.url == reverse("training:plan", args=[plan.pk])
    assert plan.status == PlanStatus.DRAFT and plan.region_id == "35"
    assert plan.created_by == users["jatim"] and plan.parameters["category"] == "psm"
    data = plan.result
    assert data["trained"] >= 4 and data["batches"] and data["objective"] > 0
    assert data["bound"] is not None
    html = client.get(reverse("training:plan", args=[plan.pk])).content.decode()
    assert 'data-k="objective"' in html and "Terima rencana" in html
    assert "UPT" in html or world["venue"].name in html
    assert reverse("training:plans") and plan.name in client.get(
        reverse("training:plans")).content.decode()
    download = client.get(reverse("training:plan_json", args=[plan.pk]))
    assert download.status_code == 200 and json.loads(download.content)["batches"] == (
        data["batches"])

    r = client.post(reverse("training:plan_accept", args=[plan.pk]))
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACCEPTED and plan.accepted_by == users["jatim"]
    created = list(plan.batches.all())
    assert len(created) == len(data["batches"])
    entry = data["batches"][0]
    batch = next(b for b in created if b.start_date.isoformat() == entry["start"])
    assert batch.status == "rencana" and batch.organisation.code == "UPT-PTKS-MALANG"
    assert batch.venue_id == int(entry["venue"]) and batch.venue_region_id == "35.73"
    assert [str(t) for t in batch.trainers.values_list("pk", flat=True)] == entry["trainers"]
    assert sorted(str(p) for p in batch.nominations.values_list("person_id", flat=True)) == (
        sorted(entry["participants"]))
    assert AuditEvent.objects.filter(action="plan.accept").count() == 1
    assert AuditEvent.objects.filter(action="nomination.create").count() == data["trained"]
    # Accepting twice is refused.
    client.post(reverse("training:plan_accept", args=[plan.pk]))
    assert Batch.objects.count() == len(created)


@pytest.fixture
def run(immediate_tasks, django_capture_on_commit_callbacks):
    """Queued tasks run (immediately) as the test's transaction 'commits'."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _solved_plan(users, world, run):
    """A plan asked by the East Java operator (the task runs immediately)."""
    with run():
        plan = actions.do_create_plan(
            actor=users["jatim"], channel="web", name="Uji",
            organisation=Organisation.objects.get(code="UPT-PTKS-MALANG"),
            region=Region.objects.get(code="35"),
            parameters={**params().to_json(), "language": "id"})
    plan.refresh_from_db()
    return plan


def test_accept_refuses_conflicts_all_or_nothing(client, users, world, run):
    plan = _solved_plan(users, world, run)
    assert plan.status == PlanStatus.DRAFT
    entry = plan.result["batches"][0]
    # Since solving, the trainer took another batch on the same dates and one participant
    # joined an overlapping course.
    admin = users["nasional"]
    start, end = D.fromisoformat(entry["start"]), D.fromisoformat(entry["end"])
    other_prog = f.programme(admin, code="LAIN")
    clash = f.batch(admin, other_prog, start=start, end=end, capacity=5)
    actions.do_assign_trainer(actor=admin, channel="cli", batch=clash, trainer=world["trainer"])
    from sdmkesos.people.models import Person

    busy = Person.objects.get(pk=int(entry["participants"][0]))
    actions.do_nominate(actor=admin, channel="cli", batch=clash, person=busy)
    before = (Batch.objects.count(), Nomination.objects.count())
    client.force_login(users["jatim"])
    r = client.post(reverse("training:plan_accept", args=[plan.pk]), follow=True)
    text = r.content.decode()
    assert "Rencana tidak diterima" in text
    assert world["trainer"].name in text and busy.name in text
    assert (Batch.objects.count(), Nomination.objects.count()) == before
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


@pytest.mark.parametrize("role", ["nasional", "jatim", "kabmalang", "bbppks", "viewer",
                                  "pekerja", "jabar", "kabbandung"])
def test_plan_permissions(role, client, users, world, run):
    plan = _solved_plan(users, world, run)
    user = users[role]
    client.force_login(user)
    sees = role in {"nasional", "jatim", "viewer"}  # province 35 in their scope (not 35.07)
    manages = role in {"nasional", "jatim"}  # the organiser UPT PTKS Malang
    planners = {"nasional", "jatim", "kabmalang", "bbppks", "jabar", "kabbandung"}
    assert client.get(reverse("training:plans")).status_code == (
        200 if role in planners else 403)
    assert client.get(reverse("training:plan_create")).status_code == (
        200 if role in planners else 403)
    for name in ("training:plan", "training:plan_json", "training:plan_progress"):
        status = client.get(reverse(name, args=[plan.pk])).status_code
        assert status == (200 if sees else 404), name
    listing = client.get(reverse("training:plans"))
    if listing.status_code == 200:
        assert (plan.name in listing.content.decode()) is sees
    r = client.post(reverse("training:plan_accept", args=[plan.pk]))
    assert r.status_code == (302 if manages else 403 if sees else 404)
    plan.refresh_from_db()
    assert (plan.status == PlanStatus.ACCEPTED) is manages


def test_plan_form_refuses_out_of_scope_region_and_organiser(client, users, world,
                                                             run):
    client.force_login(users["kabmalang"])
    r = client.post(reverse("training:plan_create"), form_data(world))  # region 35, UPT
    assert r.status_code == 400 and not TrainingPlan.objects.exists()
    ok = form_data(world, region="35.07",
                   organisation=Organisation.objects.get(code="DINSOS-35.07").pk)
    with run():
        r = client.post(reverse("training:plan_create"), ok)
    assert r.status_code == 302
    plan = TrainingPlan.objects.get()
    assert plan.region_id == "35.07" and plan.status == PlanStatus.DRAFT
    client.force_login(users["jabar"])
    bad = form_data(world, region="35", organisation=Organisation.objects.get(
        code="DINSOS-32").pk)
    assert client.post(reverse("training:plan_create"), bad).status_code == 400
    with pytest.raises(Exception):  # noqa: B017 - the action refuses as well
        actions.do_create_plan(actor=users["jabar"], channel="cli", name="x",
                               organisation=Organisation.objects.get(code="DINSOS-32"),
                               region=plan.region, parameters={})


def test_cli_from_registry_and_accept(tmp_path, capsys, users, world):
    out = tmp_path / "plan.json"
    call_command("plan_training", "--from-registry", "--user", "jatim", "--region", "35",
                 "--category", "psm", "--start", f"{YEAR}-01-01", "--end", f"{YEAR}-03-31",
                 "--min-batch", "2", "--time-limit", "10", "--json", str(out))
    data = json.loads(out.read_text())
    assert data["trained"] >= 4
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:  # Jawa Barat's operator may not accept it
        call_command("plan_training", "--accept", str(out), "--user", "jabar",
                     "--organisation", "UPT-PTKS-MALANG")
    assert stop.value.code == 2
    assert "not_manager" in capsys.readouterr().out
    assert not Batch.objects.exists() and not TrainingPlan.objects.exists()
    call_command("plan_training", "--accept", str(out), "--user", "jatim", "--organisation",
                 "UPT-PTKS-MALANG", "--region", "35")
    result = json.loads(capsys.readouterr().out)
    assert len(result["batches"]) == len(data["batches"])
    assert result["nominations"] == data["trained"]
    assert TrainingPlan.objects.get().status == PlanStatus.ACCEPTED


def test_queued_plan_page_polls_progress(client, users, world):
    client.force_login(users["jatim"])
    r = client.post(reverse("training:plan_create"), form_data(world))  # not run: queued
    plan = TrainingPlan.objects.get()
    assert r.status_code == 302 and plan.status == PlanStatus.QUEUED
    html = client.get(reverse("training:plan", args=[plan.pk])).content.decode()
    assert reverse("training:plan_progress", args=[plan.pk]) in html and "hx-get" in html
    assert "Terima rencana" not in html
    assert client.get(reverse("training:plan_json", args=[plan.pk])).status_code == 404
    assert client.get(reverse("training:plan_progress", args=[plan.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="plan.create").count() == 1
