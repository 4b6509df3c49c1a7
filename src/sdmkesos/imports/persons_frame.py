"""The person import's vectorised checks (see frames.py): which rows of a frame are plain and
valid, and their registry data as columns. Mirrors ``persons.validate_rows`` rule by rule for
those rows; any row it is not sure about is left to ``validate_rows``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from sdmkesos.core.identifiers import (
    _WOMAN_DAY_OFFSET,
    NIP_MIN_AGE_AT_TMT,
    NIP_MIN_BIRTH_YEAR,
    NIP_MIN_TMT_YEAR,
    load_provinces,
)

from .engine import TOTAL_WORDS
from .frames import is_filled, is_plain, plain_text, resolve_distinct
from .parsing import normalise_label, parse_date, parse_sex
from .persons import ValidationState
from .spec import Mapping

# The columns of the frame handed to the writer, besides "_row" (the sheet row number).
TEXT_KEYS = ("birth_place", "phone", "email", "address", "position", "institution")


def _digits(value: pl.Expr, start: int, length: int) -> pl.Expr:
    return value.str.slice(start, length).cast(pl.Int32, strict=False)


def _date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """A date from parts, null when no such date exists."""
    return pl.format("{}-{}-{}", year.cast(pl.String).str.zfill(4),
                     month.cast(pl.String).str.zfill(2), day.cast(pl.String).str.zfill(2)
                     ).str.to_date("%Y-%m-%d", strict=False)


def _nik_checks(nik: pl.Expr, today: dt.date) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(valid, decoded birth date, decoded sex) as ``identifiers.validate_nik`` decides for a
    16-digit NIK (its warnings do not make a row invalid)."""
    provinces = list(load_provinces())
    day_field, month, yy = _digits(nik, 6, 2), _digits(nik, 8, 2), _digits(nik, 10, 2)
    woman = (day_field >= _WOMAN_DAY_OFFSET + 1) & (day_field <= _WOMAN_DAY_OFFSET + 31)
    man = (day_field >= 1) & (day_field <= 31)
    sex = pl.when(man).then(pl.lit("L")).when(woman).then(pl.lit("P"))
    day = pl.when(woman).then(day_field - _WOMAN_DAY_OFFSET).otherwise(day_field)
    base = today.year - today.year % 100
    today_key = today.year * 10000 + today.month * 100 + today.day
    year = pl.when((base + yy) * 10000 + month * 100 + day > today_key).then(
        base + yy - 100).otherwise(base + yy)
    birth = _date(year, month, day)
    valid = (nik.str.slice(0, 2).is_in(provinces) & (man | woman) & month.is_between(1, 12)
             & birth.is_not_null() & (nik.str.slice(12, 4) != "0000"))
    return valid, birth, sex


def _nip_valid(nip: pl.Expr, birth_date: pl.Expr, today: dt.date) -> pl.Expr:
    """``identifiers.validate_nip`` without errors, for an 18-digit NIP and the row's birth
    date."""
    year, month, day = _digits(nip, 0, 4), _digits(nip, 4, 2), _digits(nip, 6, 2)
    birth = _date(year, month, day)
    tmt_year, tmt_month = _digits(nip, 8, 4), _digits(nip, 12, 2)
    return (month.is_between(1, 12) & (year >= NIP_MIN_BIRTH_YEAR) & birth.is_not_null()
            & (birth <= pl.lit(today)) & tmt_month.is_between(1, 12)
            & tmt_year.is_between(NIP_MIN_TMT_YEAR, today.year + 1)
            & (tmt_year >= year + NIP_MIN_AGE_AT_TMT)
            & nip.str.slice(14, 1).is_in(["1", "2"]) & (nip.str.slice(15, 3) != "000")
            & (birth == birth_date))


def classify(frame: pl.DataFrame, mapping: Mapping, first_row: int, state: ValidationState,
             actor: Any) -> tuple[pl.DataFrame, list[int]]:
    """Split a chunk of raw rows (``frame`` columns c0.., sheet row ``first_row`` first) into
    the plain valid rows as registry data (columns: _row, nik, nip, name, sex, birth_date,
    TEXT_KEYS, organisation, category, employment_status, education_level, field_of_study,
    field_text; foreign keys as ids) and the positions of the other rows in ``frame``."""
    resolver, scope = state.resolver, state.scope
    keys = {key: f"c{index}" for index, key in mapping.columns.items()
            if f"c{index}" in frame.columns}
    raw = frame.with_row_index("_pos").with_columns(
        (pl.col("_pos") + first_row).cast(pl.Int64).alias("_row"))

    def cell(key: str) -> pl.Expr:
        return pl.col(keys[key]) if key in keys else pl.lit(None, dtype=pl.String)

    plain = pl.all_horizontal([is_plain(pl.col(c)) for c in frame.columns])
    first = pl.coalesce([pl.when(is_filled(pl.col(c))).then(pl.col(c)) for c in frame.columns])
    nik = plain_text(cell("nik"))
    work = raw.with_columns(
        _plain=plain, _first=first, nik=nik, _name=plain_text(cell("name")),
        _nip=plain_text(cell("nip")))

    # Each distinct value of the code-like columns resolved once by the row validator's rules.
    lookups: dict[str, Any] = {}
    for key, resolve, dtype in (
            ("sex", parse_sex, pl.String),
            ("birth_date", parse_date, pl.Date),
            ("region", lambda v: resolver.region(v).code, pl.String),
            ("organisation", lambda v: resolver.organisation(v).pk, pl.Int64),
            ("category", lambda v: resolver.code(resolver.categories, v, "category").pk,
             pl.Int64),
            ("employment_status",
             lambda v: resolver.code(resolver.statuses, v, "employment_status").pk, pl.Int64),
            ("education_level",
             lambda v: resolver.code(resolver.levels, v, "education_level").pk, pl.Int64)):
        if key in keys:
            lookups[key] = resolve_distinct(work, keys[key], resolve, dtype)
    columns: dict[str, Any] = {}
    ok = pl.Series("_ok", [True] * work.height, dtype=pl.Boolean)
    for key, (values, fine) in lookups.items():
        columns[f"_{key}"] = values
        ok = ok & fine
    work = work.with_columns(**columns, _lookups_ok=ok)
    if "field_of_study" in keys:
        def field_id(value: str) -> int | None:
            entry = resolver.fields.get(normalise_label(value))
            return entry.pk if entry is not None else None

        distinct = work.get_column(keys["field_of_study"]).drop_nulls().unique().to_list()
        table = pl.DataFrame({keys["field_of_study"]: pl.Series(distinct, dtype=pl.String),
                              "_field": pl.Series([field_id(v) for v in distinct],
                                                  dtype=pl.Int64)})
        work = work.join(table, on=keys["field_of_study"], how="left", maintain_order="left")
    else:
        work = work.with_columns(_field=pl.lit(None, dtype=pl.Int64))

    def lookup(key: str, dtype: Any) -> pl.Expr:
        return pl.col(f"_{key}") if key in lookups else pl.lit(None, dtype=dtype)

    # The unit: as written; else the Dinas Sosial of the region; else the operator's own unit
    # when the sheet has no region column.
    dinsos = pl.DataFrame({"_region": list(resolver.dinsos),
                           "_dinsos": [o.pk for o in resolver.dinsos.values()]},
                          schema={"_region": pl.String, "_dinsos": pl.Int64})
    if "region" in lookups:
        work = work.join(dinsos, on="_region", how="left", maintain_order="left")
        fallback = pl.col("_dinsos")
    else:
        own = getattr(actor, "organisation", None)
        fallback = pl.lit(own.pk if own is not None else None, dtype=pl.Int64)
    organisation = (pl.when(is_filled(cell("organisation"))).then(lookup("organisation",
                                                                         pl.Int64))
                    .otherwise(fallback))
    work = work.with_columns(organisation=organisation)

    # Units inside the importer's scope (validate_rows' out_of_scope rule).
    orgs = {o.pk: o for o in resolver.orgs.values()}
    inside = [pk for pk, o in orgs.items()
              if scope.covers_region(o.managing_region_code) or scope.covers_org_path(o.path)]

    nik_valid, nik_birth, nik_sex = _nik_checks(pl.col("nik"), state.today)
    given_birth = lookup("birth_date", pl.Date)
    given_sex = lookup("sex", pl.String)
    work = work.with_columns(
        _nik_ok=pl.col("nik").str.contains(r"^\d{16}$").fill_null(False),
    ).with_columns(
        birth_date=pl.coalesce([given_birth, pl.when(pl.col("_nik_ok")).then(nik_birth)]),
        sex=pl.coalesce([given_sex, pl.when(pl.col("_nik_ok")).then(nik_sex)]),
        _nik_valid=pl.col("_nik_ok") & nik_valid,
    )
    nip_filled = is_filled(pl.col("_nip"))
    nip_ok = (~nip_filled | (pl.col("_nip").str.contains(r"^\d{18}$").fill_null(False)
                             & _nip_valid(pl.col("_nip"), pl.col("birth_date"), state.today)))
    # A NIK or NIP met twice (however written: compared by its digits) is left to the row
    # validator, which reports the later row as a duplicate of the earlier one.
    nik_key = cell("nik").str.replace_all(r"\D", "")
    nip_key = pl.when(nip_filled).then(cell("nip").str.replace_all(r"\D", ""))
    dup_nik = ((nik_key.is_duplicated() & (nik_key != ""))
               | pl.col("nik").is_in(list(state.seen_nik)))
    dup_nip = (nip_key.is_duplicated() & nip_filled) | nip_key.is_in(list(state.seen_nip))
    fast = (pl.col("_plain") & pl.col("_nik_valid") & is_filled(pl.col("_name"))
            & ~is_filled(cell("place_date")) & pl.col("_lookups_ok")
            & nip_ok.fill_null(False) & ~dup_nik.fill_null(False) & ~dup_nip.fill_null(False)
            & (pl.col("organisation").is_null() | pl.col("organisation").is_in(inside)))
    work = work.with_columns(_fast=fast.fill_null(False))

    # A total row ("Jumlah", "Total", ...) is skipped by the row reader: leave it to that path.
    candidates = work.filter(pl.col("_fast") & pl.col("_first").str.strip_chars_start()
                             .str.slice(0, 1).str.to_lowercase().is_in(["j", "t", "s", "g"]))
    totals = [pos for pos, first in candidates.select("_pos", "_first").iter_rows()
              if normalise_label(first) in TOTAL_WORDS]
    if totals:
        work = work.with_columns(_fast=pl.col("_fast") & ~pl.col("_pos").is_in(totals))

    def text_or_null(key: str) -> pl.Expr:
        value = plain_text(cell(key))
        return pl.when(is_filled(value)).then(value).alias(key)

    level = lookup("education_level", pl.Int64)
    selected = work.filter(pl.col("_fast")).select(
        "_row", "nik",
        pl.when(nip_filled).then(pl.col("_nip")).alias("nip"),
        pl.col("_name").alias("name"), "sex", "birth_date",
        *[text_or_null(key) for key in TEXT_KEYS],
        "organisation",
        lookup("category", pl.Int64).alias("category"),
        lookup("employment_status", pl.Int64).alias("employment_status"),
        level.alias("education_level"),
        pl.col("_field").alias("field_of_study"),
        text_or_null("field_of_study").alias("field_text"),
    )
    slow = work.filter(~pl.col("_fast")).get_column("_pos").to_list()
    state.seen_nik.update(zip(selected.get_column("nik").to_list(),
                              selected.get_column("_row").to_list(), strict=True))
    with_nip = selected.filter(pl.col("nip").is_not_null())
    state.seen_nip.update(zip(with_nip.get_column("nip").to_list(),
                              with_nip.get_column("_row").to_list(), strict=True))
    return selected, slow


def forget(fast: pl.DataFrame, rows: list[int], state: ValidationState) -> None:
    """Before ``rows`` (sheet rows of ``fast``) go through the row validator after all: drop
    their identifiers from the file's seen sets, or they would count as duplicates of
    themselves."""
    for nik, nip in fast.filter(pl.col("_row").is_in(rows)).select("nik", "nip").iter_rows():
        state.seen_nik.pop(nik, None)
        if nip is not None:
            state.seen_nip.pop(nip, None)
