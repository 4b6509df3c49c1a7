"""The linkage model itself (no database): quality on synthetic data, incremental linking."""

from __future__ import annotations

import datetime as dt

import pytest

from sdmkesos.dedup import linkage, synthetic
from sdmkesos.dedup.normalise import LinkRecord


@pytest.fixture(scope="module")
def linked():
    data = synthetic.generate(4000, duplicate_share=0.1, seed=7)
    return data, linkage.link_records(data.records, threshold=linkage.DEFAULT_THRESHOLD)


def test_finds_noisy_duplicates_with_high_precision_and_recall(linked):
    data, result = linked
    figures = synthetic.score({(p.id_left, p.id_right) for p in result.pairs}, data.true_pairs)
    assert result.trained
    assert figures["precision"] >= 0.95
    assert figures["recall"] >= 0.9


def test_pairs_are_ordered_once_each_and_above_threshold(linked):
    _data, result = linked
    keys = [(p.id_left, p.id_right) for p in result.pairs]
    assert len(keys) == len(set(keys))
    assert all(int(a) < int(b) for a, b in keys)
    assert all(p.probability >= linkage.DEFAULT_THRESHOLD for p in result.pairs)
    assert result.model["comparisons"]  # a saved Splink model, reusable


def test_trained_parameters_come_from_the_data(linked):
    _data, result = linked
    levels = [lvl for comp in result.model["comparisons"] for lvl in comp["comparison_levels"]
              if not lvl.get("is_null_level")]
    starting = {(c["output_column_name"], lvl["label_for_charts"]): lvl["m_probability"]
                for c in linkage.comparisons() for lvl in c["comparison_levels"]
                if "m_probability" in lvl}
    assert all("u_probability" in lvl for lvl in levels)
    trained = {(c["output_column_name"], lvl["label_for_charts"]): lvl.get("m_probability")
               for c in result.model["comparisons"] for lvl in c["comparison_levels"]}
    assert sum(1 for k, m in starting.items() if trained.get(k) != m) >= len(starting) // 2


def test_new_records_against_existing_ones(linked):
    data, result = linked
    existing = data.records[:3000]
    person = existing[0]
    copy = LinkRecord("new-1", f"Drs. {person.name}, S.Sos", person.birth_date,
                      f"Kab. {person.birth_place}", person.sex, None, person.region)
    stranger = LinkRecord("new-2", "Zzyzx Qwerty", dt.date(1901, 1, 1), "Nowhere", "L", None,
                          "99.99")
    pairs = linkage.link_new_records([copy, stranger], existing, model=result.model)
    assert ("new-1", person.record_id) in {(p.id_left, p.id_right) for p in pairs}
    assert all(p.id_left != "new-2" and p.id_right != "new-2" for p in pairs)


def test_tiny_input_uses_starting_values():
    records = [
        LinkRecord("1", "Drs. H. Moch. Ali Santoso, S.Sos", dt.date(1980, 5, 17), "Malang", "L",
                   "3507011705800001", "35.07"),
        LinkRecord("2", "Muhammad Ali Santoso", dt.date(1980, 5, 17), "Kab. Malang", "L", None,
                   "35.07"),
        LinkRecord("3", "Dewi Lestari", dt.date(1988, 8, 8), "Blitar", "P", "3505014808880004",
                   "35.05"),
    ]
    result = linkage.link_records(records)
    assert not result.trained
    assert [(p.id_left, p.id_right) for p in result.pairs] == [("1", "2")]
    assert linkage.link_records(records[:1]).pairs == []
