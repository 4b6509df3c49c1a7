"""WISN calculation (sdmkesos.planning.wisn): a worked example, properties, validation."""

from __future__ import annotations

import copy
import json
import math
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sdmkesos.planning.wisn import (
    AdditionalActivity,
    ServiceActivity,
    SupportActivity,
    WisnInput,
    WisnInputError,
    calculate,
    parse_input,
    validate,
)

# A kabupaten Dinas Sosial's pekerja sosial (social workers).
EXAMPLE: dict[str, Any] = {
    "working_days": 260,
    "public_holidays": 16,
    "annual_leave": 12,
    "sick_leave": 6,
    "other_leave": 6,
    "hours_per_day": 7.5,
    "current_staff": 3,
    "service_activities": [
        {"name": "Asesmen kasus PPKS", "annual_volume": 1320, "minutes_per_unit": 90},
        {"name": "Kunjungan rumah dan pendampingan", "annual_volume": 2475,
         "minutes_per_unit": 60},
        {"name": "Rujukan dan reunifikasi", "annual_volume": 330, "minutes_per_unit": 180},
    ],
    "support_activities": [
        {"name": "Rapat koordinasi", "percent": 5},
        {"name": "Penyusunan laporan", "hours_per_week": 3},
        {"name": "Pencatatan harian SIKS-NG", "minutes_per_day": 22.5},
    ],
    "additional_activities": [
        {"name": "Supervisi pekerja sosial muda", "hours_per_year": 165, "staff": 1},
        {"name": "Narasumber pelatihan BBPPKS", "hours_per_year": 33, "staff": 5},
    ],
}


def example(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return data


def test_worked_example_by_hand() -> None:
    result = calculate(parse_input(EXAMPLE))
    # AWT = (260 - (16 + 12 + 6 + 6)) days x 7.5 h = 220 x 7.5 = 1650 h (= 99,000 min)
    assert result.available_working_time == pytest.approx(1650)
    # SW = 99,000 / minutes per unit; required = volume / SW
    #   asesmen   99,000 / 90  = 1100 cases;   1320 / 1100 = 1.2
    #   kunjungan 99,000 / 60  = 1650 visits;  2475 / 1650 = 1.5
    #   rujukan   99,000 / 180 =  550;          330 /  550 = 0.6      total 3.3
    services = result.service_activities
    assert [s.standard_workload for s in services] == pytest.approx([1100, 1650, 550])
    assert [s.required for s in services] == pytest.approx([1.2, 1.5, 0.6])
    assert result.service_required == pytest.approx(3.3)
    # CAS: rapat 5 %;
    #   laporan 3 h/week x (220 days / 5 days a week = 44 weeks) = 132 h; 132 / 1650 = 8 %
    #   SIKS-NG 22.5 min/day / 60 x 220 days = 82.5 h;           82.5 / 1650 = 5 %
    # total 18 %, CAF = 1 / (1 - 0.18) = 1 / 0.82 = 1.219512...
    assert [s.hours_per_year for s in result.support_activities] == pytest.approx([82.5, 132, 82.5])
    assert [s.percent for s in result.support_activities] == pytest.approx([5, 8, 5])
    assert result.category_allowance_factor == pytest.approx(1 / 0.82)
    # IAS: 165 h x 1 + 33 h x 5 = 330 h; IAF = 330 / 1650 = 0.2
    assert result.total_additional_hours == pytest.approx(330)
    assert result.individual_allowance_factor == pytest.approx(0.2)
    # required = 3.3 / 0.82 + 0.2 = 165/41 + 1/5 = 866/205 = 4.2243902...
    # difference = 3 - 866/205 = -251/205 = -1.2243902...; ratio = 3 x 205 / 866 = 0.7101616...
    assert result.required_staff == pytest.approx(866 / 205)
    assert result.wisn_difference == pytest.approx(-251 / 205)
    assert result.wisn_ratio == pytest.approx(615 / 866)
    assert result.status == "shortage"

    out = result.to_json("id")
    json.dumps(out)  # serialisable
    assert out["available_working_time"] == 1650
    assert out["service_activities"][0] == {
        "name": "Asesmen kasus PPKS", "annual_volume": 1320, "minutes_per_unit": 90,
        "standard_workload": 1100, "required": 1.2}
    assert out["support_activities"][1] == {
        "name": "Penyusunan laporan", "hours_per_week": 3, "hours_per_year": 132, "percent": 8}
    assert out["support_activities"][0] == {
        "name": "Rapat koordinasi", "hours_per_year": 82.5, "percent": 5}
    assert out["additional_activities"][1] == {
        "name": "Narasumber pelatihan BBPPKS", "hours_per_year": 33, "staff": 5,
        "total_hours": 165}
    assert out["total_support_percent"] == 18
    assert out["category_allowance_factor"] == 1.2195
    assert out["individual_allowance_factor"] == 0.2
    assert out["required_staff"] == 4.22
    assert out["wisn_difference"] == -1.22
    assert out["wisn_ratio"] == 0.71
    assert out["interpretation"]["status"] == "shortage"
    assert out["interpretation"]["message"].startswith("Kekurangan tenaga: dibutuhkan 4,22 orang")
    english = result.to_json("en")["interpretation"]["message"]
    assert english.startswith("Staff shortage: 4.22 staff required, 3 available")


def test_days_per_week_changes_hours_per_week_only() -> None:
    # 6-day week: 3 h/week x 220/6 weeks = 110 h = 6.67 % of 1650 h
    result = calculate(parse_input(example(days_per_week=6)))
    assert result.support_activities[1].hours_per_year == pytest.approx(110)
    assert result.support_activities[1].percent == pytest.approx(110 / 1650 * 100)
    assert result.support_activities[2].percent == pytest.approx(5)


def test_optional_lists_and_interpretations() -> None:
    base = example(support_activities=None, current_staff=3.3)  # null: none
    del base["additional_activities"]  # omitted: none
    result = calculate(parse_input(base))
    assert result.category_allowance_factor == 1
    assert result.individual_allowance_factor == 0
    assert result.required_staff == pytest.approx(3.3)
    assert result.status == "balanced"
    # 4.1 / 4.2244 = 0.97: balanced within the default 1 +/- 0.05, a shortage without tolerance
    inp = parse_input(example(current_staff=4.1))
    assert calculate(inp).status == "balanced"
    assert calculate(inp, balance_tolerance=0).status == "shortage"
    assert calculate(parse_input(example(current_staff=10))).status == "surplus"
    nothing = calculate(parse_input(example(
        service_activities=[{"name": "x", "annual_volume": 0, "minutes_per_unit": 10}],
        additional_activities=[])))
    assert nothing.required_staff == 0 and nothing.wisn_ratio is None
    assert nothing.status == "surplus"
    assert nothing.to_json("en")["wisn_ratio"] is None
    assert "undefined" in nothing.interpretation("en")


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

names = st.text(min_size=1, max_size=8).filter(str.strip)
services = st.builds(ServiceActivity, names, st.floats(0, 1e5), st.floats(0.5, 600))
supports = st.one_of(
    # hours_per_day >= 4 and days_per_week >= 4: each is at most 25 %
    st.builds(SupportActivity, names, st.just("percent"), st.floats(0, 25)),
    st.builds(SupportActivity, names, st.just("hours_per_week"), st.floats(0, 4)),
    st.builds(SupportActivity, names, st.just("minutes_per_day"), st.floats(0, 60)),
)
additionals = st.builds(AdditionalActivity, names, st.floats(0, 500), st.integers(0, 10))


@st.composite
def inputs(draw: st.DrawFn, allowances: bool = True) -> WisnInput:
    return WisnInput(
        working_days=draw(st.integers(200, 366)),
        public_holidays=draw(st.integers(0, 30)),
        annual_leave=draw(st.integers(0, 30)),
        sick_leave=draw(st.floats(0, 30)),
        other_leave=draw(st.floats(0, 30)),
        hours_per_day=draw(st.floats(4, 12)),
        current_staff=draw(st.floats(0, 50)),
        days_per_week=draw(st.sampled_from([4, 5, 5.5, 6, 7])),
        service_activities=tuple(draw(st.lists(services, min_size=1, max_size=5))),
        support_activities=tuple(draw(st.lists(supports, max_size=3))) if allowances else (),
        additional_activities=tuple(draw(st.lists(additionals, max_size=3))) if allowances
        else (),
    )


@given(inputs(allowances=False), st.floats(0, 100))
def test_required_staff_is_linear_in_volume_without_allowances(inp: WisnInput, k: float) -> None:
    scaled = replace(inp, service_activities=tuple(
        replace(s, annual_volume=s.annual_volume * k) for s in inp.service_activities))
    expected = k * calculate(inp).required_staff
    assert calculate(scaled).required_staff == pytest.approx(expected, rel=1e-9, abs=1e-9)


@given(inputs())
def test_category_allowance_factor_at_least_one(inp: WisnInput) -> None:
    assert validate(inp) == []
    assert calculate(inp).category_allowance_factor >= 1


@given(inputs())
def test_ratio_times_required_is_current(inp: WisnInput) -> None:
    result = calculate(inp)
    assume(result.required_staff > 1e-9)
    assert result.wisn_ratio is not None
    assert result.wisn_ratio * result.required_staff == pytest.approx(inp.current_staff)
    assert result.wisn_difference == pytest.approx(inp.current_staff - result.required_staff)


@given(inputs(), st.one_of(services, supports, additionals))
def test_adding_an_activity_never_lowers_required_staff(
        inp: WisnInput, activity: ServiceActivity | SupportActivity | AdditionalActivity) -> None:
    if isinstance(activity, ServiceActivity):
        more = replace(inp, service_activities=(*inp.service_activities, activity))
    elif isinstance(activity, SupportActivity):
        more = replace(inp, support_activities=(*inp.support_activities, activity))
    else:
        more = replace(inp, additional_activities=(*inp.additional_activities, activity))
    assume(not validate(more))  # a fourth support activity may take the CAS to 100 %
    before = calculate(inp).required_staff
    assert calculate(more).required_staff >= before * (1 - 1e-12)


@given(inputs())
def test_reported_numbers_are_the_rounded_computation(inp: WisnInput) -> None:
    result = calculate(inp)
    out = result.to_json("en")
    assert out["required_staff"] == pytest.approx(result.required_staff, abs=0.005)
    assert out["category_allowance_factor"] == pytest.approx(
        result.category_allowance_factor, abs=0.00005)
    assert out["interpretation"]["status"] in {"shortage", "balanced", "surplus"}


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def errors_of(data: object) -> list[dict[str, str]]:
    with pytest.raises(WisnInputError) as info:
        calculate(parse_input(data))
    english = info.value.to_json("en")["errors"]
    indonesian = info.value.to_json("id")["errors"]
    assert [e["field"] for e in english] == [e["field"] for e in indonesian]
    for en, id_ in zip(english, indonesian, strict=True):
        assert set(en) == {"field", "code", "message"}
        assert en["message"] != id_["message"]
        assert en["field"] in en["message"] and id_["field"] in id_["message"]
    return english


def only_error(data: object) -> tuple[str, str]:
    errors = errors_of(data)
    assert len(errors) == 1, errors
    return errors[0]["field"], errors[0]["code"]


def without(key: str) -> dict[str, Any]:
    data = example()
    del data[key]
    return data


def with_item(key: str, index: int, **changes: Any) -> dict[str, Any]:
    data = example()
    data[key][index].update(changes)
    return data


@pytest.mark.parametrize(("data", "field", "code"), [
    (without("sick_leave"), "sick_leave", "required"),
    (without("service_activities"), "service_activities", "required"),
    (example(annual_leave=-1), "annual_leave", "negative"),
    (example(current_staff="4"), "current_staff", "not_a_number"),
    (example(hours_per_day=True), "hours_per_day", "not_a_number"),
    (example(working_days=None), "working_days", "not_a_number"),
    (example(working_days=float("nan")), "working_days", "not_a_number"),
    (example(hours_per_day=25), "hours_per_day", "too_large"),
    (example(days_per_week=0), "days_per_week", "not_positive"),
    (example(service_activities=[]), "service_activities", "empty"),
    (example(service_activities={}), "service_activities", "not_a_list"),
    (example(extra_leave=3), "extra_leave", "unknown_field"),
    (with_item("service_activities", 2, minutes_per_unit=0),
     "service_activities[2].minutes_per_unit", "zero_unit_time"),
    (with_item("service_activities", 1, annual_volume=-5),
     "service_activities[1].annual_volume", "negative"),
    (with_item("service_activities", 0, name=" "), "service_activities[0].name", "empty"),
    (with_item("support_activities", 1, percent=2), "support_activities[1]", "support_basis"),
    (with_item("support_activities", 2, minutes_per_day="x"),
     "support_activities[2].minutes_per_day", "not_a_number"),
    (with_item("additional_activities", 1, staff=-1), "additional_activities[1].staff",
     "negative"),
    (with_item("additional_activities", 0, hour_per_year=2),
     "additional_activities[0].hour_per_year", "unknown_field"),
    (example(additional_activities=[3]), "additional_activities[0]", "not_an_object"),
    # derived values
    (example(working_days=40), "available_working_time", "awt_not_positive"),
    (example(hours_per_day=0), "available_working_time", "awt_not_positive"),
    (example(support_activities=[{"name": "a", "percent": 60},
                                 {"name": "b", "minutes_per_day": 180}]),  # 60 % + 40 %
     "support_activities", "cas_too_high"),
    ([EXAMPLE], "$", "not_an_object"),
])
def test_invalid_input(data: object, field: str, code: str) -> None:
    assert only_error(data) == (field, code)


def test_all_problems_are_reported_at_once() -> None:
    data = example(working_days="260", annual_leave=-2)
    del data["sick_leave"]
    data["service_activities"][2]["minutes_per_unit"] = 0
    data["support_activities"][0] = {"name": "rapat"}
    assert [(e["field"], e["code"]) for e in errors_of(data)] == [
        ("working_days", "not_a_number"),
        ("annual_leave", "negative"),
        ("sick_leave", "required"),
        ("service_activities[2].minutes_per_unit", "zero_unit_time"),
        ("support_activities[0]", "support_basis"),
    ]


def test_messages_in_both_languages() -> None:
    with pytest.raises(WisnInputError) as info:
        parse_input(with_item("service_activities", 2, minutes_per_unit=0))
    assert info.value.to_json("id")["errors"][0]["message"] == (
        "service_activities[2].minutes_per_unit harus lebih besar dari 0 (nilai: 0): waktu per "
        "unit kegiatan nol membuat beban kerja standar tak terhingga.")
    assert info.value.to_json("en")["errors"][0]["message"].startswith(
        "service_activities[2].minutes_per_unit must be greater than 0 (value: 0)")
    with pytest.raises(WisnInputError) as info:
        parse_input(example(working_days=40, hours_per_day=7.5))
    assert info.value.issues[0].message("id") == (
        "Waktu kerja tersedia (available_working_time) = (40 - 40) hari x 7,5 jam = 0 jam; harus "
        "lebih besar dari 0. Periksa working_days, public_holidays, annual_leave, sick_leave, "
        "other_leave dan hours_per_day.")


def test_calculate_checks_inputs_built_in_python() -> None:
    inp = parse_input(EXAMPLE)
    bad = replace(inp, service_activities=(ServiceActivity("x", 10, 0),))
    with pytest.raises(WisnInputError) as info:
        calculate(bad)
    assert [(i.field, i.code) for i in info.value.issues] == [
        ("service_activities[0].minutes_per_unit", "zero_unit_time")]
    too_much = replace(inp, support_activities=(SupportActivity("x", "percent", 100),))
    assert [i.code for i in validate(too_much)] == ["cas_too_high"]
    assert [(i.field, i.code) for i in validate(replace(inp, current_staff=math.inf))] == [
        ("current_staff", "not_a_number")]
    assert math.isfinite(calculate(replace(inp, support_activities=(
        SupportActivity("x", "percent", 99.9),))).category_allowance_factor)
