"""Career rules (sdmkesos.careers.rules): SKP rating, credit points, promotion, JF, retirement."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import subprocess
import sys
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdmkesos.careers.rules import (
    CareerRuleError,
    CareerRules,
    CreditPeriod,
    accumulate_credit_points,
    credit_points,
    default_rules,
    load_rules,
    promotion_eligibility,
    retirement_age,
    retirement_date,
    retiring_within,
    rules_from_dict,
    skp_rating,
)

RULES = default_rules()
LEVELS = [lv.code for lv in RULES.levels]
RATINGS = [r.code for r in RULES.ratings]  # best first
PERCENT = {
    "sangat_baik": 150,
    "baik": 100,
    "butuh_perbaikan": 75,
    "kurang": 50,
    "sangat_kurang": 25,
}
COEFFICIENT = {
    "terampil": "5",
    "mahir": "12.5",
    "penyelia": "25",
    "ahli_pertama": "12.5",
    "ahli_muda": "25",
    "ahli_madya": "37.5",
    "ahli_utama": "50",
}
# level: (AK for next rank, AK for next level or None)
THRESHOLDS: dict[str, tuple[int, int | None]] = {
    "terampil": (20, 60),
    "mahir": (50, 100),
    "penyelia": (100, None),
    "ahli_pertama": (50, 100),
    "ahli_muda": (100, 200),
    "ahli_madya": (150, 450),
    "ahli_utama": (200, None),
}


def raw_rules() -> dict[str, Any]:
    text = (resources.files("sdmkesos.careers") / "data" / "jf_rules.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return data


levels = st.sampled_from(LEVELS)
ratings = st.sampled_from(RATINGS)
months = st.integers(min_value=1, max_value=12)


# --------------------------------------------------------------------------------------------
# 1. SKP final rating
# --------------------------------------------------------------------------------------------

MATRIX = [
    # results, behaviour, rating code, Indonesian label
    ("above", "below", "kurang", "Kurang/Misconduct"),
    ("above", "meeting", "baik", "Baik"),
    ("above", "above", "sangat_baik", "Sangat Baik"),
    ("meeting", "below", "kurang", "Kurang/Misconduct"),
    ("meeting", "meeting", "baik", "Baik"),
    ("meeting", "above", "baik", "Baik"),
    ("below", "below", "sangat_kurang", "Sangat Kurang"),
    ("below", "meeting", "butuh_perbaikan", "Butuh Perbaikan"),
    ("below", "above", "butuh_perbaikan", "Butuh Perbaikan"),
]
INDONESIAN = {
    "below": "di bawah ekspektasi",
    "meeting": "sesuai ekspektasi",
    "above": "di atas ekspektasi",
}


@pytest.mark.parametrize(("results", "behaviour", "code", "label"), MATRIX)
def test_matrix_cell(results: str, behaviour: str, code: str, label: str) -> None:
    rating = skp_rating(results, behaviour)
    assert (rating.code, rating.label_id) == (code, label)
    # Indonesian inputs, mixed case and stray spaces give the same cell.
    assert skp_rating(INDONESIAN[results], INDONESIAN[behaviour]).code == code
    assert skp_rating(f"  {INDONESIAN[results].upper()} ", behaviour.title()).code == code


def test_matrix_is_complete() -> None:
    assert len(RULES.matrix) == 9
    assert {code for _, _, code, _ in MATRIX} == set(RATINGS)


@pytest.mark.parametrize("bad", ["excellent", "", "di tengah ekspektasi", None, 3])
def test_unknown_expectation(bad: Any) -> None:
    with pytest.raises(ValueError, match="Unknown expectation level") as info:
        skp_rating(bad, "meeting")
    assert isinstance(info.value, CareerRuleError)
    assert info.value.code == "unknown_expectation"
    assert "below" in info.value.message_en and "Di Bawah Ekspektasi" in info.value.message_id


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Sangat Baik", "sangat_baik"),
        ("sangat_baik", "sangat_baik"),
        ("BAIK", "baik"),
        ("Butuh Perbaikan", "butuh_perbaikan"),
        ("Kurang/Misconduct", "kurang"),
        ("Kurang / Misconduct", "kurang"),
        ("misconduct", "kurang"),
        ("Sangat Kurang", "sangat_kurang"),
    ],
)
def test_rating_names(text: str, code: str) -> None:
    assert RULES.rating(text).code == code


# --------------------------------------------------------------------------------------------
# 2. Credit points
# --------------------------------------------------------------------------------------------


def test_domain_example() -> None:
    """Ahli Pertama rated Sangat Baik for a full year: 150% x 12.5 = 18.75 AK."""
    ak = credit_points("Ahli Pertama", "Sangat Baik", 12)
    assert ak == Decimal("18.75")
    assert str(ak) == "18.75"
    assert credit_points("ahli_pertama", "sangat_baik") == ak  # 12 months by default


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("rating", RATINGS)
def test_full_year_is_percent_times_coefficient(level: str, rating: str) -> None:
    expected = Decimal(PERCENT[rating]) / 100 * Decimal(COEFFICIENT[level])
    assert credit_points(level, rating, 12) == expected


def test_rule_table_matches_domain() -> None:
    for lv in RULES.levels:
        assert lv.coefficient == Decimal(COEFFICIENT[lv.code])
        rank, level = THRESHOLDS[lv.code]
        assert lv.ak_next_rank == rank
        assert lv.ak_next_level == (None if level is None else Decimal(level))
    assert {r.code: r.percent for r in RULES.ratings} == {k: Decimal(v) for k, v in PERCENT.items()}


@pytest.mark.parametrize(
    ("level", "rating", "n", "expected"),
    [
        ("ahli_pertama", "baik", 6, "6.25"),
        ("ahli_pertama", "baik", 1, "1.042"),  # 1.041666... rounded half up
        ("terampil", "sangat_kurang", 12, "1.25"),
        ("ahli_utama", "butuh_perbaikan", 7, "21.875"),
    ],
)
def test_partial_years(level: str, rating: str, n: int, expected: str) -> None:
    assert credit_points(level, rating, n) == Decimal(expected)


def test_half_up_rounding() -> None:
    # 37.5 x 1.5 x 3 / 12 = 14.0625 -> 14.063 (half up, not banker's 14.062)
    assert credit_points("ahli_madya", "sangat_baik", 3) == Decimal("14.063")


@given(levels, months, st.integers(min_value=0, max_value=len(RATINGS) - 2))
def test_higher_rating_gives_more_ak(level: str, n: int, worse_index: int) -> None:
    better, worse = RATINGS[worse_index], RATINGS[worse_index + 1]
    assert credit_points(level, better, n) > credit_points(level, worse, n)


@given(levels, ratings, st.integers(min_value=1, max_value=11))
def test_more_months_give_more_ak(level: str, rating: str, n: int) -> None:
    assert credit_points(level, rating, n + 1) > credit_points(level, rating, n)


@given(levels, ratings)
def test_full_year_exact(level: str, rating: str) -> None:
    lv, rt = RULES.level(level), RULES.rating(rating)
    assert credit_points(level, rating, 12) == rt.percent * lv.coefficient / 100


@given(levels, ratings, months)
def test_partial_year_close_to_exact(level: str, rating: str, n: int) -> None:
    lv, rt = RULES.level(level), RULES.rating(rating)
    exact = rt.percent * lv.coefficient * n / 1200
    ak = credit_points(level, rating, n)
    assert abs(ak - exact) <= Decimal("0.0005")
    assert ak.as_tuple().exponent >= -3  # type: ignore[operator]


@given(levels, ratings, st.integers(min_value=1, max_value=11))
def test_split_year_adds_up(level: str, rating: str, first: int) -> None:
    whole = credit_points(level, rating, 12)
    split = credit_points(level, rating, first) + credit_points(level, rating, 12 - first)
    assert abs(split - whole) <= Decimal("0.001")


@pytest.mark.parametrize("bad", [0, 13, -1, True, 6.0, "6", None])
def test_invalid_months(bad: Any) -> None:
    with pytest.raises(ValueError, match=r"[Mm]onths must be"):
        credit_points("ahli_muda", "baik", bad)


def test_unknown_level_and_rating() -> None:
    with pytest.raises(ValueError, match="Unknown JF level: 'ahli_super'") as info:
        credit_points("ahli_super", "baik")
    assert "ahli_pertama" in str(info.value)
    with pytest.raises(ValueError, match="Unknown performance rating: 'Istimewa'"):
        credit_points("ahli_muda", "Istimewa")


# Running totals


def test_running_total() -> None:
    result = accumulate_credit_points(
        [
            CreditPeriod("ahli_pertama", "baik", 6, label="2023 (TMT 1 Juli)"),
            ("ahli_pertama", "sangat_baik"),
            ("Ahli Pertama", "Butuh Perbaikan", 12),
        ],
        opening="10",
    )
    assert [p.credit_points for p in result.periods] == [
        Decimal("6.25"),
        Decimal("18.75"),
        Decimal("9.375"),
    ]
    assert [p.cumulative for p in result.periods] == [
        Decimal("16.25"),
        Decimal("35"),
        Decimal("44.375"),
    ]
    assert result.total == Decimal("44.375")
    assert result.opening == 10
    assert [p.label for p in result.periods] == ["2023 (TMT 1 Juli)", "2", "3"]
    assert result.periods[2].level == "ahli_pertama"
    assert result.periods[2].rating == "butuh_perbaikan"


def test_running_total_across_levels() -> None:
    # Promoted mid-year: 5 months as Ahli Pertama, 7 as Ahli Muda.
    result = accumulate_credit_points([("ahli_pertama", "baik", 5), ("ahli_muda", "baik", 7)])
    assert result.total == Decimal("5.208") + Decimal("14.583")


def test_empty_running_total() -> None:
    result = accumulate_credit_points([], opening=Decimal("12.5"))
    assert result.periods == () and result.total == Decimal("12.5")


period = st.tuples(levels, ratings, months)


@given(st.lists(period, max_size=8), st.decimals(min_value=0, max_value=1000, places=3))
def test_running_total_properties(periods: list[tuple[str, str, int]], opening: Decimal) -> None:
    result = accumulate_credit_points(periods, opening=opening)
    assert result.total == opening + sum((credit_points(*p) for p in periods), start=Decimal(0))
    running = [opening, *(p.cumulative for p in result.periods)]
    assert all(a < b for a, b in itertools.pairwise(running))
    assert running[-1] == result.total


@pytest.mark.parametrize(
    ("opening", "message"),
    [
        (-1, "Opening AK must not be negative"),
        ("abc", "Opening AK must be a number"),
        (float("nan"), "Opening AK must be a number"),
        (True, "Opening AK must be a number"),
    ],
)
def test_invalid_opening(opening: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        accumulate_credit_points([], opening=opening)


def test_invalid_period() -> None:
    with pytest.raises(ValueError, match="Period 2 must be a CreditPeriod"):
        accumulate_credit_points([("ahli_muda", "baik"), ("ahli_muda",)])  # type: ignore[list-item]


# Promotion eligibility


def test_eligible_for_next_rank_only() -> None:
    result = promotion_eligibility("ahli_muda", 120, "baik", current_rank="III/c")
    rank, level = result.next_rank, result.next_level
    assert rank.eligible and rank.target == "III/d" and rank.reasons == ()
    assert rank.threshold == 100 and rank.shortfall == 0
    assert not level.eligible and level.target == "ahli_madya"
    assert level.reason_codes == (
        "insufficient_credit_points",
        "competency_test_not_passed",
        "no_vacancy",
    )
    assert level.shortfall == 80
    assert "kurang 80" in level.reasons[0].message_id
    assert "80 short" in level.reasons[0].message_en


def test_eligible_for_next_level() -> None:
    result = promotion_eligibility(
        "Ahli Pertama", Decimal("100.5"), "Sangat Baik", competency_test_passed=True, vacancy=True
    )
    assert result.next_rank.eligible and result.next_rank.target is None  # rank not given
    assert result.next_level.eligible and result.next_level.target == "ahli_muda"
    assert result.next_level.reasons == ()


def test_rating_below_baik_blocks_both() -> None:
    result = promotion_eligibility(
        "ahli_pertama", 150, "butuh_perbaikan", competency_test_passed=True, vacancy=True
    )
    assert result.next_rank.reason_codes == ("rating_too_low",)
    assert result.next_level.reason_codes == ("rating_too_low",)
    reason = result.next_rank.reasons[0]
    assert "Butuh Perbaikan" in reason.message_id and "minimal Baik" in reason.message_id
    assert "at least Good (Baik)" in reason.message_en


def test_no_rating_yet() -> None:
    result = promotion_eligibility("terampil", 25, None)
    assert result.next_rank.reason_codes == ("no_rating",)


def test_every_missing_condition_is_reported() -> None:
    result = promotion_eligibility("terampil", 5, "kurang", current_rank="II/d")
    assert result.next_rank.reason_codes == (
        "rank_ceiling",
        "insufficient_credit_points",
        "rating_too_low",
    )
    assert result.next_rank.target is None
    assert result.next_level.reason_codes == (
        "insufficient_credit_points",
        "rating_too_low",
        "competency_test_not_passed",
        "no_vacancy",
    )
    assert result.next_level.shortfall == 55


@pytest.mark.parametrize("level", ["penyelia", "ahli_utama"])
def test_top_of_track(level: str) -> None:
    result = promotion_eligibility(
        level, 10_000, "sangat_baik", competency_test_passed=True, vacancy=True
    )
    assert result.next_level.reason_codes == ("no_next_level",)
    assert result.next_level.target is None and result.next_level.threshold is None
    assert result.next_rank.eligible


def test_ahli_madya_rank_steps_and_level_ak() -> None:
    # At IV/b with 160 AK since the last rank promotion and 310 in the level.
    result = promotion_eligibility(
        "ahli_madya",
        160,
        "baik",
        current_rank="IV/b",
        level_ak=310,
        competency_test_passed=True,
        vacancy=True,
    )
    assert result.next_rank.eligible and result.next_rank.target == "IV/c"
    assert result.next_level.reason_codes == ("insufficient_credit_points",)
    assert result.next_level.credit_points == 310 and result.next_level.shortfall == 140


def test_rank_outside_level() -> None:
    with pytest.raises(ValueError, match=r"Rank IV/a is outside .* III/a to III/b"):
        promotion_eligibility("ahli_pertama", 10, "baik", current_rank="IV/a")
    with pytest.raises(ValueError, match="Unknown rank"):
        promotion_eligibility("ahli_pertama", 10, "baik", current_rank="III/z")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cumulative_ak": -0.5}, "Cumulative AK must not be negative"),
        ({"cumulative_ak": "lots"}, "Cumulative AK must be a number"),
        ({"level_ak": -1}, "AK in the level must not be negative"),
        ({"vacancy": "yes"}, "vacancy must be True or False"),
        ({"competency_test_passed": 1}, "competency_test_passed must be True or False"),
        ({"latest_rating": "istimewa"}, "Unknown performance rating"),
    ],
)
def test_invalid_eligibility_input(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"level": "ahli_muda", "cumulative_ak": 10, "latest_rating": "baik"}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        promotion_eligibility(**args)


@given(
    levels,
    st.decimals(min_value=0, max_value=600, places=3),
    st.sampled_from([*RATINGS, None]),
    st.booleans(),
    st.booleans(),
)
def test_eligibility_matches_the_rules(
    level: str, ak: Decimal, rating: str | None, tested: bool, vacancy: bool
) -> None:
    result = promotion_eligibility(
        level, ak, rating, competency_test_passed=tested, vacancy=vacancy
    )
    rank_needed, level_needed = THRESHOLDS[level]
    good = rating in ("sangat_baik", "baik")
    assert result.next_rank.eligible == (ak >= rank_needed and good)
    assert result.next_rank.shortfall == max(Decimal(0), rank_needed - ak)
    assert result.next_level.eligible == (
        level_needed is not None and ak >= level_needed and good and tested and vacancy
    )
    assert result.next_rank.eligible == (result.next_rank.reasons == ())
    assert result.next_level.eligible == (result.next_level.reasons == ())


# --------------------------------------------------------------------------------------------
# 3. JF definitions
# --------------------------------------------------------------------------------------------

RANK_RANGES = {
    "terampil": ("II/c", "II/d"),
    "mahir": ("III/a", "III/b"),
    "penyelia": ("III/c", "III/d"),
    "ahli_pertama": ("III/a", "III/b"),
    "ahli_muda": ("III/c", "III/d"),
    "ahli_madya": ("IV/a", "IV/c"),
    "ahli_utama": ("IV/d", "IV/e"),
}


@pytest.mark.parametrize("level", LEVELS)
def test_rank_ranges(level: str) -> None:
    assert RULES.level(level).rank_range == RANK_RANGES[level]
    ranks = RULES.ranks_of(level)
    assert (ranks[0].code, ranks[-1].code) == RANK_RANGES[level]


def test_ahli_madya_spans_three_ranks() -> None:
    assert [(r.code, r.name) for r in RULES.ranks_of("Ahli Madya")] == [
        ("IV/a", "Pembina"),
        ("IV/b", "Pembina Tingkat I"),
        ("IV/c", "Pembina Utama Muda"),
    ]


@pytest.mark.parametrize("position", ["pekerja_sosial", "Penyuluh Sosial"])
def test_positions_and_tracks(position: str) -> None:
    assert [v.code for v in RULES.levels_of(position, "keterampilan")] == [
        "terampil",
        "mahir",
        "penyelia",
    ]
    assert [v.code for v in RULES.levels_of(position, "keahlian")] == [
        "ahli_pertama",
        "ahli_muda",
        "ahli_madya",
        "ahli_utama",
    ]
    assert len(RULES.levels_of(position)) == 7


def test_levels_chain_within_track() -> None:
    for lv in RULES.levels:
        if lv.next_level is not None:
            nxt = RULES.level(lv.next_level)
            assert nxt.track == lv.track
            assert RULES.rank(nxt.rank_range[0]).order > RULES.rank(lv.rank_range[0]).order


def test_every_table_names_its_source() -> None:
    data = raw_rules()
    tables = [k for k, v in data.items() if isinstance(v, dict)]
    assert set(tables) == {
        "skp",
        "ratings",
        "credit_points",
        "ranks",
        "tracks",
        "levels",
        "functional_positions",
        "retirement",
    }
    for key in tables:
        assert data[key]["source"].strip(), key
        assert isinstance(data[key]["confirm"], list), key
    assert "PermenPANRB 1/2023" in data["levels"]["source"]
    assert "PermenPANRB 1/2024" in data["functional_positions"]["source"]
    assert "terampil.coefficient" in data["levels"]["confirm"]
    assert RULES.sources["retirement"].startswith("Batas usia pensiun (BUP): PP 11/2017 art. 239")


# --------------------------------------------------------------------------------------------
# 4. Retirement
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "age"),
    [
        ("terampil", 58),
        ("mahir", 58),
        ("penyelia", 58),
        ("ahli_pertama", 58),
        ("ahli_muda", 58),
        ("ahli_madya", 60),
        ("ahli_utama", 65),
    ],
)
def test_retirement_age_functional(level: str, age: int) -> None:
    assert retirement_age("functional", level) == age
    assert retirement_age("Jabatan Fungsional", RULES.level(level).label_id) == age


@pytest.mark.parametrize(
    ("kind", "age"),
    [
        ("administrative", 58),
        ("administrasi", 58),
        ("pelaksana", 58),
        ("jpt", 60),
        ("Jabatan Pimpinan Tinggi", 60),
    ],
)
def test_retirement_age_other_positions(kind: str, age: int) -> None:
    assert retirement_age(kind) == age


def test_retirement_age_errors() -> None:
    with pytest.raises(ValueError, match="depends on the JF level; jf_level is required"):
        retirement_age("functional")
    with pytest.raises(ValueError, match="A JF level does not apply"):
        retirement_age("jpt", "ahli_madya")
    with pytest.raises(ValueError, match="Unknown position kind: 'menteri'"):
        retirement_age("menteri")


@pytest.mark.parametrize(
    ("born", "age", "start"),
    [
        (dt.date(1968, 5, 10), 58, dt.date(2026, 6, 1)),
        (dt.date(1968, 5, 1), 58, dt.date(2026, 6, 1)),  # born on the 1st: still the next month
        (dt.date(1968, 5, 31), 58, dt.date(2026, 6, 1)),
        (dt.date(1966, 12, 15), 60, dt.date(2027, 1, 1)),  # December: January of the next year
        (dt.date(1964, 2, 29), 65, dt.date(2029, 3, 1)),  # leap day, common year
        (dt.date(1968, 2, 29), 58, dt.date(2026, 3, 1)),
    ],
)
def test_retirement_date(born: dt.date, age: int, start: dt.date) -> None:
    assert retirement_date(born, age) == start


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.integers(min_value=50, max_value=70),
)
def test_retirement_date_properties(born: dt.date, age: int) -> None:
    start = retirement_date(born, age)
    assert start.day == 1
    reached = (born.year + age, born.month)
    assert (start.year, start.month) > reached  # strictly after the month the age is reached
    months_between = (start.year - reached[0]) * 12 + start.month - reached[1]
    assert months_between == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("1968-05-10", 58), "Birth date must be a date"),
        ((dt.datetime(1968, 5, 10, 8, 0), 58), "Birth date must be a date without a time"),
        ((dt.date(1968, 5, 10), 0), "Retirement age must be between 1 and 120"),
        ((dt.date(1968, 5, 10), 58.0), "Retirement age must be a whole number"),
        ((dt.date(9990, 5, 10), 58), "out of the date range"),
    ],
)
def test_retirement_date_errors(args: tuple[Any, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        retirement_date(*args)


def test_retiring_within() -> None:
    born = dt.date(1968, 5, 10)  # pension from 2026-06-01
    assert retiring_within(born, 58, dt.date(2025, 6, 1), 1)  # exactly one year ahead
    assert not retiring_within(born, 58, dt.date(2025, 5, 31), 1)
    assert retiring_within(born, 58, dt.date(2026, 5, 31), 0) is False
    assert retiring_within(born, 58, dt.date(2022, 1, 1), 5)
    assert not retiring_within(born, 58, dt.date(2026, 6, 1), 5)  # already retired
    assert not retiring_within(born, 60, dt.date(2025, 1, 1), 2)  # 60: from 2028-06-01
    # Born on a leap day, 65: pension from 2025-03-01; 2024-02-29 plus a year is 2025-02-28.
    assert not retiring_within(dt.date(1960, 2, 29), 65, dt.date(2024, 2, 29), 1)
    assert retiring_within(dt.date(1960, 2, 29), 65, dt.date(2024, 3, 1), 1)
    with pytest.raises(ValueError, match="Years must be between 0 and 120"):
        retiring_within(born, 58, dt.date(2025, 1, 1), -1)
    with pytest.raises(ValueError, match="Today must be a date"):
        retiring_within(born, 58, "2025-01-01", 1)  # type: ignore[arg-type]


@given(
    st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2000, 12, 31)),
    st.sampled_from([58, 60, 65]),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31)),
    st.integers(min_value=0, max_value=10),
)
def test_retiring_within_is_monotonic(born: dt.date, age: int, today: dt.date, years: int) -> None:
    if retiring_within(born, age, today, years):
        assert retiring_within(born, age, today, years + 1)
        assert retirement_date(born, age) > today


# --------------------------------------------------------------------------------------------
# Rules as data
# --------------------------------------------------------------------------------------------


def test_administrator_correction(tmp_path: Path) -> None:
    data = raw_rules()
    terampil = next(x for x in data["levels"]["items"] if x["code"] == "terampil")
    terampil["coefficient"] = Decimal("3.75")
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    corrected = load_rules(path)
    assert credit_points("terampil", "baik", rules=corrected) == Decimal("3.75")
    assert credit_points("terampil", "baik") == 5  # packaged rules unchanged
    result = accumulate_credit_points([("terampil", "sangat_baik")], rules=corrected)
    assert result.total == Decimal("5.625")


def test_rules_from_dict_with_floats() -> None:
    data = json.loads(json.dumps(raw_rules(), default=float))  # plain floats
    rules = rules_from_dict(data)
    assert isinstance(rules, CareerRules)
    assert credit_points("ahli_pertama", "sangat_baik", rules=rules) == Decimal("18.75")


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw_rules())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["skp"]["matrix"]["above"].pop("below"), r"skp\.matrix\.above\.below"),
        (lambda d: d["skp"]["matrix"]["below"].update(below="buruk"), r"skp\.matrix\.below\.below"),
        (lambda d: d["ratings"]["items"][1].update(percent=200), r"ratings\.items"),
        (
            lambda d: d["levels"]["items"][0].update(next_level="mahir_plus"),
            r"levels\.items\[0\]\.next_level",
        ),
        (
            lambda d: d["levels"]["items"][2].update(next_level="ahli_pertama"),
            r"levels\.items\[2\]\.ak_next_level",
        ),
        (
            lambda d: d["levels"]["items"][1].update(coefficient=0),
            r"levels\.items\[1\]\.coefficient",
        ),
        (
            lambda d: d["levels"]["items"][1].update(coefficient="12,5"),
            r"levels\.items\[1\]\.coefficient: must be a number",
        ),
        (
            lambda d: d["levels"]["items"][5].update(rank_range=["IV/c", "IV/a"]),
            r"levels\.items\[5\]\.rank_range",
        ),
        (
            lambda d: d["retirement"]["functional_age_by_level"].pop("ahli_utama"),
            r"retirement\.functional_age_by_level",
        ),
        (lambda d: d["levels"].pop("source"), r"levels\.source: is required"),
        (
            lambda d: d["functional_positions"]["items"][0].update(tracks=["ahli"]),
            r"functional_positions\.items\[0\]\.tracks",
        ),
        (
            lambda d: d["ratings"].update(minimum_for_promotion="cukup"),
            r"ratings\.minimum_for_promotion",
        ),
    ],
)
def test_invalid_rules(change: Any, where: str) -> None:
    with pytest.raises(CareerRuleError, match=f"Invalid career rules at {where}") as info:
        rules_from_dict(_broken(change))
    assert info.value.code == "invalid_rules"


def test_invalid_rules_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ValueError, match="is not valid JSON"):
        load_rules(path)


def test_no_django_import() -> None:
    code = (
        "import sys, sdmkesos.careers.rules as r; r.default_rules(); "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
