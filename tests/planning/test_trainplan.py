"""The training plan optimiser (pure package sdmkesos.trainplan): hand-checkable optima,
greedy vs optimiser, JSON round trip, validation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdmkesos.trainplan import (
    Gap,
    Instance,
    InstanceError,
    Period,
    Person,
    Programme,
    Rule,
    Trainer,
    Travel,
    Venue,
    check,
    example_instance,
    greedy,
    instance_to_json,
    parse_instance,
    plan_to_json,
    prepare,
    solve,
)
from sdmkesos.trainplan.geo import JATIM_SEATS, road_km

MONDAY = dt.date(2027, 1, 4)


def periods(n: int) -> tuple[Period, ...]:
    return tuple(Period(f"W{i + 1}", MONDAY + dt.timedelta(weeks=i),
                        MONDAY + dt.timedelta(weeks=i, days=4)) for i in range(n))


def person(pid: str, *, region: str = "35.07", category: str = "psm", gap: int = 1,
           weight: float | None = None, **attrs: str) -> Person:
    return Person(pid, region, category, {"C1": Gap(0, gap)}, weight=weight, attributes=attrs)


def prog(pid: str = "P", *, min_batch: int = 1, max_batch: int = 10, cost: float = 0.0,
         rules: tuple[Rule, ...] = (), days: int = 5) -> Programme:
    return Programme(pid, pid, {"C1": 1}, days, cost_per_participant=cost, min_batch=min_batch,
                     max_batch=max_batch, eligibility=rules)


def make(people: list[Person], *, n_periods: int = 1, venues: tuple[Venue, ...] | None = None,
         trainers: int = 1, programme: Programme | None = None,
         budget: float | None = None) -> Instance:
    ps = periods(n_periods)
    return Instance(
        name="t", people=tuple(people), programmes=(programme or prog(),),
        venues=venues or (Venue("V1", "V1", "35.07", 10),),
        trainers=tuple(Trainer(f"T{j}", f"T{j}", ("P",)) for j in range(trainers)),
        periods=ps, budget=budget, travel=Travel())


def trained(instance: Instance, plan_batches: list) -> set[str]:  # type: ignore[type-arg]
    return {instance.people[i].id for b in plan_batches for i in b.participants}


def run(instance: Instance, **kw: object):  # type: ignore[no-untyped-def]
    plan = solve(instance, time_limit=20, **kw)  # type: ignore[arg-type]
    assert check(prepare(instance), plan.batches) == []
    return plan


@pytest.mark.parametrize("backend", ["scip", "cp-sat"])
def test_capacity_binds(backend: str) -> None:
    inst = make([person(f"p{i}") for i in range(15)])
    plan = run(inst, backend=backend)
    assert plan.objective == 10
    assert plan.status == "OPTIMAL" and plan.gap == 0
    assert plan.uncovered["persons"] == 5
    assert plan.uncovered["by_reason"] == {"capacity": 5}


def test_budget_binds() -> None:
    inst = make([person(f"p{i}") for i in range(20)], n_periods=2,
                programme=prog(cost=100), budget=1_550)
    plan = run(inst)
    assert plan.objective == 15
    assert plan.cost["total"] <= 1_550
    assert plan.uncovered["by_reason"] == {"budget": 5}


def test_trainer_not_double_booked() -> None:
    venues = (Venue("V1", "V1", "35.07", 10), Venue("V2", "V2", "35.07", 10))
    people = [person(f"p{i}") for i in range(20)]
    one = run(make(people, venues=venues, trainers=1))
    assert one.objective == 10 and len(one.batches) == 1
    assert one.uncovered["by_reason"] == {"trainers": 10}
    two = run(make(people, venues=venues, trainers=2))
    assert two.objective == 20
    assert sorted(len(b.trainers) for b in two.batches) == [1, 1]
    assert {b.trainers[0] for b in two.batches} == {0, 1}


def test_ineligible_never_assigned() -> None:
    rules = (Rule(field="category", in_=("tksk",)),)
    people = [person("ok1", category="tksk"), person("no", category="psm"),
              person("ok2", category="tksk")]
    inst = make(people, programme=prog(rules=rules))
    plan = run(inst)
    assert trained(inst, plan.batches) == {"ok1", "ok2"}
    assert plan.uncovered["people"] == [
        {"person": "no", "region": "35.07", "gap": 1, "reasons": ["eligibility"]}]
    assert "no" not in trained(inst, greedy(prepare(inst)).batches)


def test_competency_prerequisite_and_attribute_rules() -> None:
    rules = (Rule(competency="C0", min_level=1), Rule(field="attributes.education",
                                                       in_=("S1",)))
    base = person("x", education="S1")
    with_pre = Person("y", "35.07", "psm", {"C1": Gap(0, 1), "C0": Gap(1, 1)},
                      attributes={"education": "S1"})
    wrong_edu = Person("z", "35.07", "psm", {"C1": Gap(0, 1), "C0": Gap(2, 2)},
                       attributes={"education": "SMA"})
    inst = make([base, with_pre, wrong_edu], programme=prog(rules=rules))
    assert trained(inst, run(inst).batches) == {"y"}


def test_priority_weights_respected() -> None:
    people = [person("low", weight=1), person("high", weight=3), person("mid", weight=2)]
    inst = make(people, venues=(Venue("V1", "V1", "35.07", 2),))
    plan = run(inst)
    assert trained(inst, plan.batches) == {"high", "mid"}
    assert plan.objective == 5
    # first come, first served takes the first two
    baseline = greedy(prepare(inst))
    assert trained(inst, baseline.batches) == {"low", "high"}
    assert baseline.objective == 4


def test_min_batch_and_travel_limit() -> None:
    far = Venue("SBY", "Surabaya", "35.78", 10)
    people = [person(f"m{i}", region="35.73") for i in range(3)]
    people += [person("bwi", region="35.10")]  # Banyuwangi: ~300 km road from Surabaya
    inst = Instance("t", tuple(people), (prog(min_batch=3),), (far,),
                    (Trainer("T0", "T0", ("P",)),), periods(1),
                    travel=Travel(cost_per_km=1000, max_km=200))
    plan = run(inst)
    assert trained(inst, plan.batches) == {"m0", "m1", "m2"}
    reasons = {p["person"]: p["reasons"] for p in plan.uncovered["people"]}
    assert reasons == {"bwi": ["travel"]}
    # travel cost = 2 x road km x cost per km for each of the three from Kota Malang
    km = road_km("35.73", "35.78")
    assert plan.cost["travel"] == pytest.approx(3 * 2 * km * 1000, abs=3)


def test_multi_period_programme_and_dates() -> None:
    inst = make([person(f"p{i}") for i in range(4)], n_periods=3,
                programme=prog(days=7))
    prep = prepare(inst)
    assert [s.occupies for s in prep.starts[0]] == [(0, 1), (1, 2)]
    plan = run(inst)
    data = plan_to_json(prep, plan)
    batch = data["batches"][0]
    # 5 days in the first week, then Monday and Tuesday of the next: Mon 4 -> Tue 12
    assert (batch["start"], batch["end"]) in {("2027-01-04", "2027-01-12"),
                                              ("2027-01-11", "2027-01-19")}
    assert (batch["programme"], batch["venue_region"]) == ("P", "35.07")


def test_greedy_never_beats_optimiser_on_example() -> None:
    inst = example_instance(400, seed=7, budget=600_000_000)
    prep = prepare(inst)
    baseline = greedy(prep)
    plan = solve(inst, time_limit=20, prepared=prep)
    assert check(prep, baseline.batches) == []
    assert check(prep, plan.batches) == []
    assert plan.objective >= baseline.objective
    assert plan.bound is not None and plan.bound >= plan.objective
    assert plan.cost["total"] <= 600_000_000


def test_json_round_trip() -> None:
    inst = example_instance(60, seed=3)
    assert parse_instance(instance_to_json(inst)) == inst


def test_invalid_instance_names_fields() -> None:
    data = instance_to_json(make([person("a")]))
    data["trainers"][0]["programmes"] = ["NOPE"]
    data["programmes"][0]["min_batch"] = 50
    data["people"].append(dict(data["people"][0]))
    with pytest.raises(InstanceError) as info:
        parse_instance(data)
    found = {(i.field, i.code) for i in info.value.issues}
    assert ("trainers[0].programmes", "unknown_ref") in found
    assert ("programmes[0]", "batch_bounds") in found
    assert ("people[1].id", "duplicate") in found
    bounds = next(i for i in info.value.issues if i.code == "batch_bounds")
    assert bounds.message() == ("programmes[0]: min_batch (50) lebih besar dari "
                                "max_batch (10).")
    assert bounds.message("en") == ("programmes[0]: min_batch (50) is greater than "
                                    "max_batch (10).")


def test_seats_table_covers_east_java() -> None:
    assert len(JATIM_SEATS) == 38
    assert road_km("35.07.01", "35.07") == 0
    assert 90 < road_km("35.78", "35.73") < 130  # Surabaya - Malang, ~90 km by road
    assert road_km("35.01", "11.01") == 1000.0  # no coordinates: different province


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_people=st.integers(1, 40), cap=st.integers(2, 12), trainers=st.integers(0, 2),
       n_periods=st.integers(1, 3), budget=st.one_of(st.none(), st.integers(0, 5000)),
       min_batch=st.integers(1, 4), seed=st.integers(0, 1000))
def test_random_instances_feasible_and_no_worse_than_greedy(
        n_people: int, cap: int, trainers: int, n_periods: int, budget: int | None,
        min_batch: int, seed: int) -> None:
    import random

    rng = random.Random(seed)
    regions = ["35.07", "35.73", "35.78"]
    people = [person(f"p{i}", region=rng.choice(regions), gap=rng.randint(0, 2),
                     weight=rng.choice((1.0, 1.5)), category=rng.choice(("a", "b")))
              for i in range(n_people)]
    venues = (Venue("V1", "V1", "35.73", cap), Venue("V2", "V2", "35.78", cap, rooms=2))
    programme = prog(min_batch=min(min_batch, cap), max_batch=cap, cost=100,
                     rules=(Rule(field="category", in_=("a",)),))
    inst = Instance("r", tuple(people), (programme,), venues,
                    tuple(Trainer(f"T{j}", f"T{j}", ("P",)) for j in range(trainers)),
                    periods(n_periods), budget=budget, travel=Travel(cost_per_km=1))
    prep = prepare(inst)
    baseline = greedy(prep)
    plan = solve(inst, time_limit=10, prepared=prep)
    assert check(prep, baseline.batches) == []
    assert check(prep, plan.batches) == []
    assert plan.objective >= baseline.objective - 1e-9


def test_too_few_for_a_batch_and_empty_instances() -> None:
    inst = make([person("a"), person("b")], programme=prog(min_batch=3))
    plan = run(inst)
    assert plan.batches == [] and plan.objective == 0
    assert plan.uncovered["by_reason"] == {"min_batch": 2}
    empty = make([])
    plan = run(empty)
    assert plan.batches == [] and plan.uncovered["persons"] == 0
    no_gap = make([person("x", gap=0)])
    assert run(no_gap).uncovered["persons"] == 0


def test_weekly_periods_skip_holidays() -> None:
    from sdmkesos.trainplan.generate import weekly_periods

    weeks = weekly_periods(dt.date(2027, 3, 1), dt.date(2027, 3, 31),
                           skip=((dt.date(2027, 3, 10), dt.date(2027, 3, 11)),))
    assert [(p.id, p.start.isoformat(), p.end.isoformat()) for p in weeks] == [
        ("2027-W09", "2027-03-01", "2027-03-05"),
        ("2027-W11", "2027-03-15", "2027-03-19"),
        ("2027-W12", "2027-03-22", "2027-03-26")]  # 29 Mar - 2 Apr ends after the 31st


def test_example_covers_east_java() -> None:
    inst = example_instance(2000, seed=11)
    assert {p.region for p in inst.people} == set(JATIM_SEATS)
    assert (len(inst.programmes), len(inst.venues), len(inst.trainers)) == (5, 12, 20)


def test_out_of_time_returns_the_start_plan() -> None:
    inst = example_instance(600, seed=4, budget=1_000_000_000)
    prep = prepare(inst)
    plan = solve(inst, time_limit=0.01, prepared=prep)
    assert plan.batches, "the feasible start plan is returned"
    assert check(prep, plan.batches) == []
    assert plan.objective >= greedy(prep).objective
