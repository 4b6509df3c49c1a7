"""Probabilistic record linkage of people with Splink 5 on DuckDB. No Django imports.

The model is Fellegi-Sunter: each comparison (name, birth date, birth place, sex, NIK, region)
has levels from "exactly equal" to "different"; each level's weight comes from m (how often true
duplicates fall in the level) and u (how often unrelated people do). u is estimated by random
sampling of record pairs, m by expectation maximisation on blocked pairs, both from the data
being linked (the m values below are only EM's starting points). Candidate pairs come from
blocking rules (equi-joins DuckDB runs as hash joins), so a million records stay fast.

Entry points: :func:`link_records` (all pairs within one set), :func:`link_new_records` (new
rows against an existing set, e.g. an import against the registry). Records are
:class:`~sdmkesos.dedup.normalise.LinkRecord`.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .normalise import LinkRecord, prepare

# Pairs at or above this match probability are reported: "more likely the same person than
# not". Chosen on bench/dedup.py (docs/dedup.md): F1 is highest around 0.5 at 100,000 and at
# 1,000,000 records (precision 0.997, recall 0.967 at 1M); higher thresholds trade recall for
# a little precision, and every proposal is reviewed by a person anyway.
DEFAULT_THRESHOLD = 0.5

Progress = Callable[[str, float], None]  # (stage label, fraction done 0..1)

COLUMNS = [
    "unique_id", "name_key", "name_sorted", "name_tokens", "name_first", "name_last", "dob",
    "dob_swap", "dob_year", "birth_place", "sex", "nik", "nik_head", "nik_tail",
    "nik_region_seq", "region_prov", "region_kab",
]


def _null(col: str) -> dict[str, Any]:
    return {"sql_condition": f"{col}_l IS NULL OR {col}_r IS NULL", "label_for_charts": "null",
            "is_null_level": True}


def _level(sql: str, label: str, m: float) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m}


def _else(m: float) -> dict[str, Any]:
    return {"sql_condition": "ELSE", "label_for_charts": "else", "m_probability": m}


def comparisons() -> list[dict[str, Any]]:
    """The comparison levels, most specific first."""
    jw_name = "jaro_winkler_similarity(name_key_l, name_key_r)"
    return [
        {
            "output_column_name": "name",
            "comparison_description": "nama (dinormalkan)",
            "comparison_levels": [
                _null("name_key"),
                _level("name_key_l = name_key_r", "exact", 0.55),
                _level("name_sorted_l = name_sorted_r", "same parts, other order", 0.05),
                _level(f"{jw_name} >= 0.94", "jaro-winkler >= 0.94", 0.15),
                _level("list_has_all(name_tokens_l, name_tokens_r) OR "
                       "list_has_all(name_tokens_r, name_tokens_l)", "part dropped", 0.1),
                _level(f"{jw_name} >= 0.85", "jaro-winkler >= 0.85", 0.05),
                _level("len(list_intersect(name_tokens_l, name_tokens_r)) >= 1",
                       "shares a part", 0.05),
                _else(0.05),
            ],
        },
        {
            "output_column_name": "dob",
            "comparison_description": "tanggal lahir",
            "comparison_levels": [
                _null("dob"),
                _level("dob_l = dob_r", "exact", 0.8),
                _level("dob_l = dob_swap_r", "day and month swapped", 0.04),
                _level("damerau_levenshtein(dob_l, dob_r) <= 1", "one typo", 0.1),
                _level("abs(date_diff('day', CAST(dob_l AS DATE), CAST(dob_r AS DATE))) <= 366",
                       "within a year", 0.03),
                _level("levenshtein(dob_l, dob_r) <= 2", "two typos", 0.02),
                _else(0.01),
            ],
        },
        {
            "output_column_name": "birth_place",
            "comparison_description": "tempat lahir",
            "comparison_levels": [
                _null("birth_place"),
                _level("birth_place_l = birth_place_r", "exact", 0.85),
                _level("jaro_winkler_similarity(birth_place_l, birth_place_r) >= 0.88",
                       "similar", 0.1),
                _else(0.05),
            ],
        },
        {
            "output_column_name": "sex",
            "comparison_description": "jenis kelamin",
            "comparison_levels": [
                _null("sex"),
                _level("sex_l = sex_r", "exact", 0.97),
                _else(0.03),
            ],
        },
        {
            "output_column_name": "nik",
            "comparison_description": "NIK",
            "comparison_levels": [
                _null("nik"),
                _level("nik_l = nik_r", "exact", 0.6),
                _level("damerau_levenshtein(nik_l, nik_r) <= 1", "one typo", 0.25),
                _level("nik_head_l = nik_head_r", "same region and birth date part", 0.05),
                _else(0.1),
            ],
        },
        {
            "output_column_name": "region",
            "comparison_description": "wilayah",
            "comparison_levels": [
                _null("region_kab"),
                _level("region_kab_l = region_kab_r", "same kabupaten/kota", 0.7),
                _level("region_prov_l = region_prov_r", "same province", 0.15),
                _else(0.15),
            ],
        },
    ]


# Candidate pairs: a true duplicate is found when ANY rule holds. Each rule is an equi-join on
# selective keys; the comments name the noise each one survives.
BLOCKING_RULES = [
    "l.nik = r.nik",  # everything but a NIK typo/missing NIK
    "l.nik_head = r.nik_head",  # NIK typo in the sequence digits
    "l.nik_tail = r.nik_tail",  # NIK typo in the region digits
    "l.nik_region_seq = r.nik_region_seq",  # NIK typo in the birth date digits
    "l.dob = r.dob AND l.name_first = r.name_first",  # NIK missing, region moved
    "l.dob = r.dob AND l.name_last = r.name_last",  # first part changed or dropped
    "l.dob = r.dob AND l.birth_place = r.birth_place",  # name rewritten
    "l.dob = r.dob AND l.region_prov = r.region_prov AND l.sex = r.sex",  # place missing too
    "l.name_key = r.name_key AND l.region_kab = r.region_kab",  # typo in the year, no NIK
    "l.name_sorted = r.name_sorted AND l.dob_year = r.dob_year",  # day/month typo, swapped parts
    "l.name_sorted = r.name_sorted AND l.birth_place = r.birth_place",  # date typo in year
    "l.dob_swap = r.dob AND l.name_last = r.name_last",  # day/month swapped
    "l.dob_swap = r.dob AND l.name_first = r.name_first",
    "l.name_first = r.name_first AND l.name_last = r.name_last AND l.birth_place = r.birth_place"
    " AND l.region_prov = r.region_prov",
    "l.name_first = r.name_first AND l.birth_place = r.birth_place AND l.region_kab = r.region_kab",
    "l.name_last = r.name_last AND l.birth_place = r.birth_place AND l.region_kab = r.region_kab",
]

# EM sessions: each fixes the comparisons in its blocking rule and estimates the others' m.
TRAINING_RULES = [
    "l.dob = r.dob AND l.birth_place = r.birth_place",  # trains name, sex, NIK, region
    "l.name_key = r.name_key AND l.nik_head = r.nik_head",  # trains dob*, place, sex, region
]


@dataclass
class Pair:
    id_left: str
    id_right: str
    probability: float


@dataclass
class LinkageResult:
    pairs: list[Pair]
    records: int
    seconds: float
    trained: bool
    model: dict[str, Any] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)


def settings(link_type: str = "dedupe_only") -> dict[str, Any]:
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons(),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in BLOCKING_RULES],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "probability_two_random_records_match": 0.0001,
        "em_convergence": 0.001,
        "max_iterations": 20,
    }


def _table(records: Iterable[LinkRecord]) -> Any:
    """The prepared records as an Arrow table."""
    import pyarrow as pa

    enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the cyclic collector would rescan them all
    try:
        rows = [prepare(r) for r in records]
        columns = {c: [row[c] for row in rows] for c in COLUMNS}
        del rows
    finally:
        if enabled:
            gc.enable()
    schema = pa.schema([
        (c, pa.list_(pa.string()) if c == "name_tokens" else pa.string()) for c in COLUMNS])
    return pa.Table.from_pydict(columns, schema=schema)


def _connect(threads: int | None) -> Any:
    import duckdb

    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    return con


def _quiet() -> None:
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _train(linker: Any, n: int, seed: int, progress: Progress | None) -> bool:
    """Estimate λ, u and m from the data. False when the data is too small to train on (the
    starting values are used then)."""
    if n < 50:
        return False
    deterministic = ["l.nik = r.nik", "l.name_key = r.name_key AND l.dob = r.dob"]
    # No deterministic matches at all (tiny data): keep the prior.
    with contextlib.suppress(Exception):
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.8)
    if progress:
        progress("u", 0.15)
    max_pairs = min(2e6, max(1e4, n * (n - 1) / 2))
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    if progress:
        progress("m", 0.35)
    trained = False
    for rule in TRAINING_RULES:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=2e6)
            trained = True
        except Exception:
            continue
    return trained


def _linker(tables: list[Any], link_type: str, threads: int | None,
            model: dict[str, Any] | None) -> tuple[Any, Any, list[Any]]:
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(_connect(threads))
    registered = [db_api.register(t) for t in tables]
    base = dict(model) if model else settings(link_type)
    base["link_type"] = link_type
    base["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": rule} for rule in BLOCKING_RULES]
    linker = Linker(registered if len(registered) > 1 else registered[0], base, log_level=None)
    return linker, db_api, registered


def _pairs(predictions: Any, threshold: float) -> list[Pair]:
    rel = predictions.as_duckdbpyrelation() if hasattr(predictions, "as_duckdbpyrelation") \
        else None
    if rel is not None:
        rows = rel.filter(f"match_probability >= {float(threshold)}").project(
            "unique_id_l, unique_id_r, match_probability").fetchall()
    else:
        rows = [(r["unique_id_l"], r["unique_id_r"], r["match_probability"])
                for r in predictions.as_record_dict()]
        rows = [r for r in rows if r[2] >= threshold]
    out = []
    for left, right, prob in rows:
        a, b = (left, right) if _order(left) <= _order(right) else (right, left)
        out.append(Pair(str(a), str(b), round(float(prob), 6)))
    out.sort(key=lambda p: (_order(p.id_left), _order(p.id_right)))
    return out


def _order(value: Any) -> tuple[int, Any]:
    text = str(value)
    return (0, int(text)) if text.isdigit() else (1, text)


def link_records(records: Iterable[LinkRecord], *, threshold: float = DEFAULT_THRESHOLD,
                 model: dict[str, Any] | None = None, seed: int = 42,
                 threads: int | None = None, progress: Progress | None = None) -> LinkageResult:
    """All likely duplicate pairs within ``records`` (ids ordered, each pair once).

    Trains the model on the records unless ``model`` (a saved Splink model, see
    ``LinkageResult.model``) is given."""
    _quiet()
    started = time.perf_counter()
    stages: dict[str, float] = {}
    if progress:
        progress("prepare", 0.0)
    table = _table(records)
    n = table.num_rows
    stages["prepare"] = time.perf_counter() - started
    if n < 2:
        return LinkageResult([], n, time.perf_counter() - started, False, model or {}, stages)
    linker, _db, _ = _linker([table], "dedupe_only", threads, model)
    mark = time.perf_counter()
    trained = bool(model)
    if not model:
        trained = _train(linker, n, seed, progress)
    stages["train"] = time.perf_counter() - mark
    if progress:
        progress("predict", 0.6)
    mark = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold,
                                           warning_mode="never")
    pairs = _pairs(predictions, threshold)
    stages["predict"] = time.perf_counter() - mark
    saved = linker.misc.save_model_to_json()
    if progress:
        progress("done", 1.0)
    return LinkageResult(pairs, n, time.perf_counter() - started, trained, saved, stages)


def train_model(records: Iterable[LinkRecord], *, seed: int = 42,
                threads: int | None = None) -> dict[str, Any]:
    """A model (Splink settings with trained m/u and λ) estimated from ``records``."""
    _quiet()
    table = _table(records)
    linker, _db, _ = _linker([table], "dedupe_only", threads, None)
    _train(linker, table.num_rows, seed, None)
    model: dict[str, Any] = linker.misc.save_model_to_json()
    return model


def link_new_records(new: Iterable[LinkRecord], existing: Iterable[LinkRecord], *,
                     threshold: float = DEFAULT_THRESHOLD, model: dict[str, Any] | None = None,
                     seed: int = 42, threads: int | None = None) -> list[Pair]:
    """Likely duplicates between ``new`` and ``existing`` records and among ``new`` ones.

    Pairs name the new record on the left when one side is new. Ids must be distinct across
    both sets (prefix them). Trains on both sets together unless ``model`` is given."""
    _quiet()
    new_list, old_list = list(new), list(existing)
    if not new_list:
        return []
    if not model:
        model = train_model(new_list + old_list, seed=seed, threads=threads)
    new_table = _table(new_list)
    old_table = _table(old_list)
    import pyarrow as pa

    linker, db_api, _ = _linker([pa.concat_tables([new_table, old_table])], "dedupe_only",
                                threads, model)
    new_ids = set(new_table.column("unique_id").to_pylist())
    left = db_api.register(new_table)
    frames = [linker.inference.predict_within(
        left, threshold_match_probability=threshold, warning_mode="never")]
    if old_table.num_rows:
        right = db_api.register(old_table)
        frames.append(linker.inference.predict_between(
            left, right, threshold_match_probability=threshold, warning_mode="never"))
    found: dict[tuple[str, str], float] = {}
    for frame in frames:
        for pair in _pairs(frame, threshold):
            a, b = pair.id_left, pair.id_right
            if b in new_ids and a not in new_ids:
                a, b = b, a
            found[(a, b)] = max(found.get((a, b), 0.0), pair.probability)
    return [Pair(a, b, p) for (a, b), p in sorted(found.items(), key=lambda kv: -kv[1])]


def model_json(result: LinkageResult) -> str:
    return json.dumps(result.model)
