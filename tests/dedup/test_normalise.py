"""Normalisation of Indonesian names, places, dates and NIKs (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdmkesos.dedup.normalise import (
    LinkRecord,
    date_key,
    distinctive_tokens,
    name_key,
    name_tokens,
    nik_key,
    place_key,
    prepare,
    sex_key,
    swapped_date_key,
)


@pytest.mark.parametrize("variant", [
    "Muhammad Rizki", "Muhamad Rizki", "Mochammad Rizki", "Moch. Rizki", "Moh. Rizki",
    "M. Rizki", "MUHAMMAD RIZKY", "Mohammad Rizqi", "Muh. Rizki",
])
def test_muhammad_variants_share_one_key(variant):
    assert name_key(variant) == "muhammad riski"


@pytest.mark.parametrize(("a", "b"), [
    ("Siti Aminah", "Sitti Aminah"),
    ("Nur Hidayah", "Nurul Hidayah"),
    ("Soekarno", "Sukarno"),
    ("Djoko Susanto", "Joko Soesanto"),
    ("Tjahjo Kumolo", "Cahjo Kumolo"),
    ("Achmad Yani", "Ahmad Yani"),
    ("Abd. Rahman", "Abdul Rachman"),
    ("Fatimah", "Fatima"),
])
def test_spelling_variants(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("written", "key"), [
    ("Drs. H. Moch. Ali Santoso, S.Sos, M.Si", "muhammad ali santoso"),
    ("Hj. Siti Aminah, S.Pd", name_key("Siti Aminah")),
    ("Ir. Budi Hartono", "budi hartono"),
    ("Dr. Dewi Lestari, M.Kes.", "dewi lestari"),
    ("BUDI SANTOSO S.KOM", "budi santoso"),
    ("Budi Santoso SE", "budi santoso"),
    ("H. Ahmad", "ahmad"),
])
def test_titles_and_degrees_removed(written, key):
    assert name_key(written) == key


def test_a_lone_title_word_is_kept_as_a_name():
    assert name_key("Haji") == "haji"


def test_swapped_and_dropped_parts_keep_their_tokens():
    assert sorted(name_tokens("Bagus Setiawan")) == sorted(name_tokens("Setiawan Bagus"))
    assert distinctive_tokens(name_tokens("Siti Nur Aminah")) == name_tokens("Aminah")


def test_place_variants():
    assert place_key("Kab. Malang") == place_key("KOTA MALANG") == place_key("malang")
    assert place_key(None) == ""


def test_dates_and_swaps():
    assert date_key(dt.date(1980, 5, 7)) == "1980-05-07"
    assert date_key("1980-05-07T00:00") == "1980-05-07"
    assert date_key("not a date") == ""
    assert swapped_date_key("1980-05-07") == "1980-07-05"
    assert swapped_date_key("1980-05-17") == ""  # day 17 cannot be a month
    assert swapped_date_key("1980-05-05") == ""


def test_nik_and_sex_keys():
    assert nik_key("3507 0117 0580 0001") == "3507011705800001"
    assert nik_key("350701170580") == ""
    assert nik_key("0" * 16) == ""
    assert sex_key("perempuan") == "P" and sex_key("L") == "L" and sex_key("x") == ""


def test_prepare_columns():
    row = prepare(LinkRecord("7", "Drs. Ali, S.Sos", dt.date(1980, 5, 7), "Kab. Malang", "L",
                             "3507011705800001", "35.07.01"))
    assert row["unique_id"] == "7"
    assert row["name_key"] == "ali"
    assert row["dob_swap"] == "1980-07-05"
    assert row["region_prov"] == "35" and row["region_kab"] == "35.07"
    assert row["nik_head"] == "350701170580"
    assert prepare(LinkRecord("8", ""))["name_key"] is None


NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,'-", max_size=40)


@given(NAME)
def test_name_key_is_stable(name):
    key = name_key(name)
    assert key == key.strip()
    assert "  " not in key
    assert name_key(name.upper()) == key
    # Normalising again changes nothing but the removal of leading title-like parts.
    assert set(name_key(key).split()) <= set(key.split())


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_swapped_date_is_a_date_and_swaps_back(day):
    iso = date_key(day)
    swapped = swapped_date_key(iso)
    if swapped:
        assert dt.date.fromisoformat(swapped)
        assert swapped_date_key(swapped) == iso
