"""Career rules for functional positions (jabatan fungsional, JF) and retirement.

Pure Python (no Django imports). Every number lives in ``data/jf_rules.json`` so an administrator
can correct it without a release; :func:`default_rules` reads that file once, and every function
takes an optional ``rules`` argument (a :class:`CareerRules`, e.g. from :func:`load_rules` or
:func:`rules_from_dict`) to use corrected rules instead. See docs/careers.md.

1. SKP final rating (predikat kinerja, PermenPANRB 6/2022): :func:`skp_rating` looks up the
   results x behaviour matrix.
2. Credit points (angka kredit, PermenPANRB 1/2023): :func:`credit_points` computes
   ``AK = rating % / 100 x annual coefficient x months / 12`` exactly (Decimal);
   :func:`accumulate_credit_points` keeps a running total over several periods;
   :func:`promotion_eligibility` decides on the next rank (kenaikan pangkat) and the next level
   (kenaikan jenjang) and says, with codes and Indonesian/English messages, what is missing.
3. JF definitions: Pekerja Sosial and Penyuluh Sosial, skill and expert tracks, the pangkat/golongan
   range of each level (:meth:`CareerRules.ranks_of`, :meth:`CareerRules.levels_of`).
4. Retirement (batas usia pensiun, PP 11/2017 art. 239): :func:`retirement_age`,
   :func:`retirement_date` (TMT pensiun: the first day of the month after the month the age is
   reached) and :func:`retiring_within`.

Invalid input raises :class:`CareerRuleError` (a ``ValueError``) carrying a stable code and
messages in Indonesian and English.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

__all__ = [
    "CareerRuleError",
    "CareerRules",
    "CreditPeriod",
    "CreditTotal",
    "Decision",
    "Eligibility",
    "Expectation",
    "FunctionalPosition",
    "Level",
    "PeriodCredit",
    "PositionKind",
    "Rank",
    "Rating",
    "Reason",
    "Track",
    "accumulate_credit_points",
    "credit_points",
    "default_rules",
    "load_rules",
    "promotion_eligibility",
    "retirement_age",
    "retirement_date",
    "retiring_within",
    "rules_from_dict",
    "skp_rating",
]

NumberLike: TypeAlias = Decimal | int | float | str
DecisionKind: TypeAlias = Literal["next_rank", "next_level"]

DEFAULT_RULES_FILE: Final = "jf_rules.json"
#: Plausible bounds for an age in years (retirement ages and the ``age`` arguments).
MIN_AGE: Final = 1
MAX_AGE: Final = 120
ZERO: Final = Decimal(0)


# --------------------------------------------------------------------------------------------
# Errors and reasons
# --------------------------------------------------------------------------------------------


class CareerRuleError(ValueError):
    """Invalid input to a career rule, or an invalid rules file.

    ``code`` is stable (for programs and tests); ``message_id`` and ``message_en`` are for people.
    ``str(error)`` gives the English message followed by the Indonesian one.
    """

    def __init__(self, code: str, message_id: str, message_en: str) -> None:
        super().__init__(f"{message_en} [{message_id}]")
        self.code = code
        self.message_id = message_id
        self.message_en = message_en


@dataclass(frozen=True)
class Reason:
    """Why a promotion is not (yet) possible: a stable code and messages in both languages."""

    code: str
    message_id: str
    message_en: str


def _known(values: Iterable[str]) -> str:
    return ", ".join(values)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------------------------
# Rule objects
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    """One rating of SKP results or behaviour: below / meeting / above expectation."""

    code: str
    label_id: str
    label_en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rating:
    """A final performance rating (predikat kinerja) and its credit-point percentage.

    ``order`` is 0 for the best rating; a lower order is a better rating.
    """

    code: str
    label_id: str
    label_en: str
    percent: Decimal
    order: int
    aliases: tuple[str, ...] = ()

    def at_least(self, other: Rating) -> bool:
        """True when this rating is as good as ``other`` or better."""
        return self.order <= other.order


@dataclass(frozen=True)
class Rank:
    """A pangkat/golongan ruang, e.g. ``III/a`` Penata Muda; ``order`` ascends with seniority."""

    code: str
    name: str
    order: int


@dataclass(frozen=True)
class Track:
    """A JF category: ``keterampilan`` (skill) or ``keahlian`` (expert)."""

    code: str
    label_id: str
    label_en: str


@dataclass(frozen=True)
class Level:
    """A JF level (jenjang) with its rank range and credit-point numbers.

    ``ak_next_rank`` is the AK needed for the next rank, counted since the last rank promotion;
    ``ak_next_level`` the AK needed for the next level, counted in this level (None at the top of
    a track, where ``next_level`` is None too).
    """

    code: str
    label_id: str
    label_en: str
    track: str
    rank_range: tuple[str, str]
    coefficient: Decimal
    ak_next_rank: Decimal
    ak_next_level: Decimal | None
    next_level: str | None
    retirement_age: int


@dataclass(frozen=True)
class FunctionalPosition:
    """A JF such as Pekerja Sosial, with the tracks open to it."""

    code: str
    label_id: str
    label_en: str
    tracks: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class PositionKind:
    """A kind of ASN position for the retirement age; ``age`` None means "by JF level"."""

    code: str
    label_id: str
    label_en: str
    age: int | None
    aliases: tuple[str, ...] = ()


def _norm(text: str) -> str:
    """Lower case, ``_``/``-``/runs of spaces as one space, no spaces around ``/``."""
    text = re.sub(r"[\s_\-]+", " ", text.strip().lower())
    return re.sub(r"\s*/\s*", "/", text)


def _index(entries: Iterable[tuple[Any, Iterable[str]]]) -> dict[str, Any]:
    index: dict[str, Any] = {}
    for obj, names in entries:
        for name in names:
            index.setdefault(_norm(name), obj)
    return index


@dataclass(frozen=True)
class CareerRules:
    """All the career rules, as read from a rules file (see :func:`rules_from_dict`)."""

    version: str
    expectations: tuple[Expectation, ...]
    #: (results code, behaviour code) -> rating code
    matrix: Mapping[tuple[str, str], str]
    ratings: tuple[Rating, ...]
    minimum_for_promotion: str
    months_per_year: int
    decimal_places: int
    ranks: tuple[Rank, ...]
    tracks: tuple[Track, ...]
    levels: tuple[Level, ...]
    positions: tuple[FunctionalPosition, ...]
    position_kinds: tuple[PositionKind, ...]
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    _lookup: Mapping[str, Mapping[str, Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        lookup: dict[str, Mapping[str, Any]] = {
            "expectation": _index(
                (e, (e.code, e.label_id, e.label_en, *e.aliases)) for e in self.expectations
            ),
            "rating": _index(
                (r, (r.code, r.label_id, r.label_en, *r.aliases)) for r in self.ratings
            ),
            "rank": _index((r, (r.code,)) for r in self.ranks),
            "track": _index((t, (t.code, t.label_id, t.label_en)) for t in self.tracks),
            "level": _index((v, (v.code, v.label_id, v.label_en)) for v in self.levels),
            "position": _index((p, (p.code, p.label_id, p.label_en)) for p in self.positions),
            "position_kind": _index(
                (k, (k.code, k.label_id, k.label_en, *k.aliases)) for k in self.position_kinds
            ),
        }
        object.__setattr__(self, "_lookup", lookup)

    # -- lookups (accept codes, labels in either language and aliases; case-insensitive) --

    def _find(
        self, kind: str, value: object, what_id: str, what_en: str, known: Iterable[str]
    ) -> Any:
        if isinstance(value, str):
            found = self._lookup[kind].get(_norm(value))
            if found is not None:
                return found
        raise CareerRuleError(
            f"unknown_{kind}",
            f"{what_id} tidak dikenal: {_describe(value)}. Pilihan: {_known(known)}.",
            f"Unknown {what_en}: {_describe(value)}. Expected one of: {_known(known)}.",
        )

    def expectation(self, value: str | Expectation) -> Expectation:
        if isinstance(value, Expectation):
            return value
        found: Expectation = self._find(
            "expectation",
            value,
            "Tingkat ekspektasi",
            "expectation level",
            [f"{e.code} / {e.label_id}" for e in self.expectations],
        )
        return found

    def rating(self, value: str | Rating) -> Rating:
        if isinstance(value, Rating):
            return value
        found: Rating = self._find(
            "rating",
            value,
            "Predikat kinerja",
            "performance rating",
            [f"{r.code} ({r.label_id})" for r in self.ratings],
        )
        return found

    def rank(self, value: str | Rank) -> Rank:
        if isinstance(value, Rank):
            return value
        found: Rank = self._find(
            "rank", value, "Golongan ruang", "rank (golongan)", [r.code for r in self.ranks]
        )
        return found

    def track(self, value: str | Track) -> Track:
        if isinstance(value, Track):
            return value
        found: Track = self._find(
            "track", value, "Kategori jabatan fungsional", "JF track", [t.code for t in self.tracks]
        )
        return found

    def level(self, value: str | Level) -> Level:
        if isinstance(value, Level):
            return value
        found: Level = self._find(
            "level", value, "Jenjang jabatan fungsional", "JF level", [v.code for v in self.levels]
        )
        return found

    def position(self, value: str | FunctionalPosition) -> FunctionalPosition:
        if isinstance(value, FunctionalPosition):
            return value
        found: FunctionalPosition = self._find(
            "position",
            value,
            "Jabatan fungsional",
            "functional position",
            [p.code for p in self.positions],
        )
        return found

    def position_kind(self, value: str | PositionKind) -> PositionKind:
        if isinstance(value, PositionKind):
            return value
        found: PositionKind = self._find(
            "position_kind",
            value,
            "Jenis jabatan",
            "position kind",
            [k.code for k in self.position_kinds],
        )
        return found

    # -- derived tables --

    def ranks_of(self, level: str | Level) -> tuple[Rank, ...]:
        """The ranks (pangkat/golongan) a level spans, lowest first."""
        lv = self.level(level)
        low, high = (self.rank(code).order for code in lv.rank_range)
        return tuple(r for r in self.ranks if low <= r.order <= high)

    def levels_of(
        self, position: str | FunctionalPosition, track: str | Track | None = None
    ) -> tuple[Level, ...]:
        """The levels open to a JF (optionally only one track), in the order of the rules file."""
        pos = self.position(position)
        tracks = pos.tracks if track is None else (self.track(track).code,)
        if track is not None and tracks[0] not in pos.tracks:
            raise CareerRuleError(
                "track_not_open",
                f"Kategori {tracks[0]} tidak tersedia untuk {pos.label_id}.",
                f"Track {tracks[0]} is not open to {pos.label_en} ({pos.label_id}).",
            )
        return tuple(v for v in self.levels if v.track in tracks)


# --------------------------------------------------------------------------------------------
# Loading and validating a rules file
# --------------------------------------------------------------------------------------------


def _rules_error(path: str, problem_id: str, problem_en: str) -> CareerRuleError:
    return CareerRuleError(
        "invalid_rules",
        f"Berkas aturan karier tidak valid di {path}: {problem_id}.",
        f"Invalid career rules at {path}: {problem_en}.",
    )


class _Reader:
    """Typed access to the raw JSON with the field path in every error."""

    def obj(self, data: object, path: str) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            raise _rules_error(path, "harus berupa objek", "must be an object")
        return data

    def get(self, data: Mapping[str, Any], key: str, path: str) -> Any:
        if key not in data:
            raise _rules_error(f"{path}.{key}", "wajib diisi", "is required")
        return data[key]

    def seq(self, data: Mapping[str, Any], key: str, path: str) -> Sequence[Any]:
        value = self.get(data, key, path)
        if not isinstance(value, list) or not value:
            raise _rules_error(
                f"{path}.{key}", "harus berupa daftar yang tidak kosong", "must be a non-empty list"
            )
        return value

    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        default: str | None = None,
    ) -> str:
        if default is not None and key not in data:
            return default
        value = self.get(data, key, path)
        if not isinstance(value, str) or not value.strip():
            raise _rules_error(
                f"{path}.{key}", "harus berupa teks yang tidak kosong", "must be a non-empty string"
            )
        return value.strip()

    def opt_text(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        if data.get(key) is None:
            return None
        return self.text(data, key, path)

    def texts(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise _rules_error(
                f"{path}.{key}", "harus berupa daftar teks", "must be a list of strings"
            )
        return tuple(v.strip() for v in value)

    def integer(self, data: Mapping[str, Any], key: str, path: str, low: int, high: int) -> int:
        value = self.get(data, key, path)
        if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
            raise _rules_error(
                f"{path}.{key}", "harus berupa bilangan bulat", "must be a whole number"
            )
        if isinstance(value, Decimal | float) and value != int(value):
            raise _rules_error(
                f"{path}.{key}", "harus berupa bilangan bulat", "must be a whole number"
            )
        number = int(value)
        if not low <= number <= high:
            raise _rules_error(
                f"{path}.{key}",
                f"harus antara {low} dan {high}",
                f"must be between {low} and {high}",
            )
        return number

    def number(self, data: Mapping[str, Any], key: str, path: str, *, positive: bool) -> Decimal:
        value = self.get(data, key, path)
        try:
            number = _to_decimal(value)
        except CareerRuleError:
            raise _rules_error(f"{path}.{key}", "harus berupa angka", "must be a number") from None
        if number < 0 or (positive and number == 0):
            word_id, word_en = (
                ("lebih dari 0", "greater than 0")
                if positive
                else ("tidak negatif", "not negative")
            )
            raise _rules_error(f"{path}.{key}", f"harus {word_id}", f"must be {word_en}")
        return number


def _items(
    r: _Reader,
    section: Mapping[str, Any],
    key: str,
    where: str,
) -> list[tuple[str, Mapping[str, Any]]]:
    """(field path, object) for each entry of the list ``section[key]``."""
    return [
        (f"{where}.{key}[{i}]", r.obj(x, f"{where}.{key}[{i}]"))
        for i, x in enumerate(r.seq(section, key, where))
    ]


def _unique(codes: Sequence[str], path: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise _rules_error(path, f"kode ganda {code!r}", f"duplicate code {code!r}")
        seen.add(code)


def rules_from_dict(data: Mapping[str, Any]) -> CareerRules:
    """Build and check :class:`CareerRules` from the parsed rules document.

    Numbers may be ``int``, ``Decimal``, ``float`` (taken by their shortest repr, so 12.5 is exact)
    or numeric strings. Raises :class:`CareerRuleError` (code ``invalid_rules``) naming the field.
    """
    r = _Reader()
    root = r.obj(data, "$")
    sources: dict[str, str] = {}

    def table(key: str) -> Mapping[str, Any]:
        section = r.obj(r.get(root, key, "$"), key)
        sources[key] = r.text(section, "source", key)
        return section

    # SKP matrix
    skp = table("skp")
    expectations = tuple(
        Expectation(
            code=r.text(item, "code", path),
            label_id=r.text(item, "label_id", path),
            label_en=r.text(item, "label_en", path),
            aliases=r.texts(item, "aliases", path),
        )
        for path, item in _items(r, skp, "expectations", "skp")
    )
    _unique([e.code for e in expectations], "skp.expectations")

    ratings_section = table("ratings")
    ratings: list[Rating] = []
    for i, raw in enumerate(r.seq(ratings_section, "items", "ratings")):
        path = f"ratings.items[{i}]"
        item = r.obj(raw, path)
        ratings.append(
            Rating(
                code=r.text(item, "code", path),
                label_id=r.text(item, "label_id", path),
                label_en=r.text(item, "label_en", path),
                percent=r.number(item, "percent", path, positive=False),
                order=i,
                aliases=r.texts(item, "aliases", path),
            )
        )
    _unique([x.code for x in ratings], "ratings.items")
    for better, worse in itertools.pairwise(ratings):
        if better.percent <= worse.percent:
            raise _rules_error(
                "ratings.items",
                "predikat harus urut dari yang terbaik dengan persentase yang menurun",
                "ratings must be listed best first with decreasing percentages",
            )
    rating_codes = {x.code for x in ratings}
    minimum = r.text(ratings_section, "minimum_for_promotion", "ratings")
    if minimum not in rating_codes:
        raise _rules_error(
            "ratings.minimum_for_promotion",
            f"predikat {minimum!r} tidak ada",
            f"rating {minimum!r} is not defined",
        )

    matrix: dict[tuple[str, str], str] = {}
    raw_matrix = r.obj(r.get(skp, "matrix", "skp"), "skp.matrix")
    for results in expectations:
        row = r.obj(r.get(raw_matrix, results.code, "skp.matrix"), f"skp.matrix.{results.code}")
        for behaviour in expectations:
            path = f"skp.matrix.{results.code}.{behaviour.code}"
            cell = r.get(row, behaviour.code, f"skp.matrix.{results.code}")
            if cell not in rating_codes:
                raise _rules_error(
                    path, f"predikat {cell!r} tidak ada", f"rating {cell!r} is not defined"
                )
            matrix[(results.code, behaviour.code)] = cell

    credit = table("credit_points")
    months_per_year = r.integer(credit, "months_per_year", "credit_points", 1, 12)
    decimal_places = r.integer(credit, "decimal_places", "credit_points", 0, 12)

    ranks_section = table("ranks")
    ranks = tuple(
        Rank(code=r.text(item, "code", path), name=r.text(item, "name", path), order=i)
        for i, (path, item) in enumerate(_items(r, ranks_section, "items", "ranks"))
    )
    _unique([_norm(x.code) for x in ranks], "ranks.items")
    rank_order = {_norm(x.code): x for x in ranks}

    tracks_section = table("tracks")
    tracks = tuple(
        Track(
            code=r.text(item, "code", path),
            label_id=r.text(item, "label_id", path),
            label_en=r.text(item, "label_en", path),
        )
        for path, item in _items(r, tracks_section, "items", "tracks")
    )
    _unique([x.code for x in tracks], "tracks.items")
    track_codes = {x.code for x in tracks}

    retirement = table("retirement")
    ages_raw = r.obj(
        r.get(retirement, "functional_age_by_level", "retirement"),
        "retirement.functional_age_by_level",
    )

    levels_section = table("levels")
    raw_levels = [
        r.obj(x, f"levels.items[{i}]")
        for i, x in enumerate(r.seq(levels_section, "items", "levels"))
    ]
    level_codes = [r.text(item, "code", f"levels.items[{i}]") for i, item in enumerate(raw_levels)]
    _unique(level_codes, "levels.items")
    levels: list[Level] = []
    for i, item in enumerate(raw_levels):
        path = f"levels.items[{i}]"
        track = r.text(item, "track", path)
        if track not in track_codes:
            raise _rules_error(
                f"{path}.track", f"kategori {track!r} tidak ada", f"track {track!r} is not defined"
            )
        span = r.get(item, "rank_range", path)
        if (
            not isinstance(span, list)
            or len(span) != 2
            or not all(isinstance(s, str) and _norm(s) in rank_order for s in span)
        ):
            raise _rules_error(
                f"{path}.rank_range",
                "harus berupa dua golongan yang ada, terendah dulu",
                "must be two defined ranks, lowest first",
            )
        low, high = rank_order[_norm(span[0])], rank_order[_norm(span[1])]
        if low.order > high.order:
            raise _rules_error(
                f"{path}.rank_range",
                "golongan terendah harus disebut dulu",
                "the lowest rank must come first",
            )
        next_level = r.opt_text(item, "next_level", path)
        if next_level is not None and next_level not in level_codes:
            raise _rules_error(
                f"{path}.next_level",
                f"jenjang {next_level!r} tidak ada",
                f"level {next_level!r} is not defined",
            )
        ak_next_level = (
            None
            if item.get("ak_next_level") is None
            else r.number(item, "ak_next_level", path, positive=True)
        )
        if (ak_next_level is None) != (next_level is None):
            raise _rules_error(
                f"{path}.ak_next_level",
                "harus diisi tepat ketika next_level diisi",
                "must be given exactly when next_level is given",
            )
        code = level_codes[i]
        if code not in ages_raw:
            raise _rules_error(
                "retirement.functional_age_by_level",
                f"usia pensiun jenjang {code!r} belum diisi",
                f"no retirement age for level {code!r}",
            )
        age = r.integer(ages_raw, code, "retirement.functional_age_by_level", MIN_AGE, MAX_AGE)
        levels.append(
            Level(
                code=code,
                label_id=r.text(item, "label_id", path),
                label_en=r.text(item, "label_en", path),
                track=track,
                rank_range=(low.code, high.code),
                coefficient=r.number(item, "coefficient", path, positive=True),
                ak_next_rank=r.number(item, "ak_next_rank", path, positive=True),
                ak_next_level=ak_next_level,
                next_level=next_level,
                retirement_age=age,
            )
        )
    for extra in set(ages_raw) - set(level_codes):
        raise _rules_error(
            f"retirement.functional_age_by_level.{extra}",
            "jenjang tidak ada",
            "level is not defined",
        )

    positions_section = table("functional_positions")
    positions: list[FunctionalPosition] = []
    for i, raw in enumerate(r.seq(positions_section, "items", "functional_positions")):
        path = f"functional_positions.items[{i}]"
        item = r.obj(raw, path)
        pos_tracks = r.texts(item, "tracks", path)
        if not pos_tracks or any(t not in track_codes for t in pos_tracks):
            raise _rules_error(
                f"{path}.tracks", "harus berisi kategori yang ada", "must list defined tracks"
            )
        positions.append(
            FunctionalPosition(
                code=r.text(item, "code", path),
                label_id=r.text(item, "label_id", path),
                label_en=r.text(item, "label_en", path),
                tracks=pos_tracks,
                source=r.text(item, "source", path, default=sources["functional_positions"]),
            )
        )
    _unique([p.code for p in positions], "functional_positions.items")

    kinds: list[PositionKind] = []
    for i, raw in enumerate(r.seq(retirement, "position_kinds", "retirement")):
        path = f"retirement.position_kinds[{i}]"
        item = r.obj(raw, path)
        kinds.append(
            PositionKind(
                code=r.text(item, "code", path),
                label_id=r.text(item, "label_id", path),
                label_en=r.text(item, "label_en", path),
                age=None
                if item.get("age") is None
                else r.integer(item, "age", path, MIN_AGE, MAX_AGE),
                aliases=r.texts(item, "aliases", path),
            )
        )
    _unique([k.code for k in kinds], "retirement.position_kinds")

    version = root.get("version", "")
    return CareerRules(
        version=str(version),
        expectations=expectations,
        matrix=matrix,
        ratings=tuple(ratings),
        minimum_for_promotion=minimum,
        months_per_year=months_per_year,
        decimal_places=decimal_places,
        ranks=ranks,
        tracks=tracks,
        levels=tuple(levels),
        positions=tuple(positions),
        position_kinds=tuple(kinds),
        sources=sources,
    )


def load_rules(path: str | Path | None = None) -> CareerRules:
    """Read a rules file (default: the packaged ``data/jf_rules.json``) exactly (Decimal)."""
    if path is None:
        text = (resources.files("sdmkesos.careers") / "data" / DEFAULT_RULES_FILE).read_text(
            encoding="utf-8"
        )
        where = DEFAULT_RULES_FILE
    else:
        text = Path(path).read_text(encoding="utf-8")
        where = str(path)
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CareerRuleError(
            "invalid_rules",
            f"Berkas aturan karier {where} bukan JSON yang valid: {exc}.",
            f"Career rules file {where} is not valid JSON: {exc}.",
        ) from exc
    return rules_from_dict(data)


@cache
def default_rules() -> CareerRules:
    """The packaged rules, read once."""
    return load_rules()


def _rules(rules: CareerRules | None) -> CareerRules:
    return default_rules() if rules is None else rules


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------


def _to_decimal(value: object, what_id: str = "Nilai", what_en: str = "value") -> Decimal:
    """An exact Decimal from int, Decimal, numeric str, or float (by its shortest repr)."""
    number: Decimal | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite():
        raise CareerRuleError(
            "not_a_number",
            f"{what_id} harus berupa angka, bukan {_describe(value)}.",
            f"{_cap(what_en)} must be a number, not {_describe(value)}.",
        )
    return number


def _non_negative(value: object, what_id: str, what_en: str) -> Decimal:
    number = _to_decimal(value, what_id, what_en)
    if number < 0:
        raise CareerRuleError(
            "negative",
            f"{what_id} tidak boleh negatif (nilai: {number}).",
            f"{_cap(what_en)} must not be negative (value: {number}).",
        )
    return number


def _fraction_to_decimal(value: Fraction, places: int) -> Decimal:
    """``value`` exactly if it has at most ``places`` decimals, else rounded half up."""
    for digits in range(places + 1):
        scaled = value * 10**digits
        if scaled.denominator == 1:
            return Decimal(scaled.numerator).scaleb(-digits)
    scaled = value * 10**places
    sign = -1 if scaled < 0 else 1
    rounded = sign * int(abs(scaled) + Fraction(1, 2))
    return Decimal(rounded).scaleb(-places)


def _whole(value: object, what_id: str, what_en: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CareerRuleError(
            "not_a_whole_number",
            f"{what_id} harus berupa bilangan bulat, bukan {_describe(value)}.",
            f"{_cap(what_en)} must be a whole number, not {_describe(value)}.",
        )
    if not low <= value <= high:
        raise CareerRuleError(
            "out_of_range",
            f"{what_id} harus antara {low} dan {high} (nilai: {value}).",
            f"{_cap(what_en)} must be between {low} and {high} (value: {value}).",
        )
    return value


# --------------------------------------------------------------------------------------------
# 1. SKP final rating
# --------------------------------------------------------------------------------------------


def skp_rating(
    results: str | Expectation, behaviour: str | Expectation, *, rules: CareerRules | None = None
) -> Rating:
    """The final rating (predikat kinerja) from the rating of work results and of behaviour.

    Each is ``below``/``meeting``/``above`` or the Indonesian ``di bawah ekspektasi``/``sesuai
    ekspektasi``/``di atas ekspektasi`` (case-insensitive; other aliases in the rules file).
    """
    rs = _rules(rules)
    key = (rs.expectation(results).code, rs.expectation(behaviour).code)
    return rs.rating(rs.matrix[key])


# --------------------------------------------------------------------------------------------
# 2. Credit points
# --------------------------------------------------------------------------------------------


def credit_points(
    level: str | Level, rating: str | Rating, months: int = 12, *, rules: CareerRules | None = None
) -> Decimal:
    """AK earned in one period: ``rating % / 100 x coefficient(level) x months / 12``.

    ``months`` is a whole number from 1 to 12 (a partial year: first appointment, a change of
    level, retirement). The result is exact when it has at most the rules' ``decimal_places``
    decimals (always, for a full year with the packaged rules), otherwise rounded half up.
    """
    rs = _rules(rules)
    lv = rs.level(level)
    rt = rs.rating(rating)
    per_year = rs.months_per_year
    n = _whole(months, "Jumlah bulan", "months", 1, per_year)
    exact = Fraction(rt.percent) / 100 * Fraction(lv.coefficient) * Fraction(n, per_year)
    return _fraction_to_decimal(exact, rs.decimal_places)


@dataclass(frozen=True)
class CreditPeriod:
    """One assessment period: the level held, the rating received, the months it covers."""

    level: str | Level
    rating: str | Rating
    months: int = 12
    label: str = ""


@dataclass(frozen=True)
class PeriodCredit:
    """A period's AK and the running total after it."""

    label: str
    level: str
    rating: str
    months: int
    credit_points: Decimal
    cumulative: Decimal


@dataclass(frozen=True)
class CreditTotal:
    opening: Decimal
    periods: tuple[PeriodCredit, ...]
    total: Decimal


def accumulate_credit_points(
    periods: Iterable[CreditPeriod | tuple[str, str] | tuple[str, str, int]],
    *,
    opening: NumberLike = 0,
    rules: CareerRules | None = None,
) -> CreditTotal:
    """Running total of AK over several periods, starting from ``opening`` (e.g. the AK of the
    last credit-point decision, PAK). Each period's AK is computed by :func:`credit_points` and the
    per-period values are added. A period may be a :class:`CreditPeriod` or a tuple
    ``(level, rating)`` / ``(level, rating, months)``.
    """
    rs = _rules(rules)
    total = _non_negative(opening, "AK awal", "opening AK")
    start = total
    rows: list[PeriodCredit] = []
    for i, raw in enumerate(periods):
        if isinstance(raw, CreditPeriod):
            period = raw
        elif isinstance(raw, tuple) and len(raw) in (2, 3):
            period = CreditPeriod(*raw)
        else:
            raise CareerRuleError(
                "invalid_period",
                f"Periode ke-{i + 1} harus berupa CreditPeriod atau (jenjang, predikat[, bulan]), "
                f"bukan {_describe(raw)}.",
                f"Period {i + 1} must be a CreditPeriod or (level, rating[, months]), "
                f"not {_describe(raw)}.",
            )
        ak = credit_points(period.level, period.rating, period.months, rules=rs)
        total += ak
        rows.append(
            PeriodCredit(
                label=period.label or str(i + 1),
                level=rs.level(period.level).code,
                rating=rs.rating(period.rating).code,
                months=period.months,
                credit_points=ak,
                cumulative=total,
            )
        )
    return CreditTotal(opening=start, periods=tuple(rows), total=total)


@dataclass(frozen=True)
class Decision:
    """Whether one promotion is possible now, and if not, every reason why."""

    kind: DecisionKind
    eligible: bool
    #: the next rank's code (``III/b``) or the next level's code (``ahli_muda``), when known
    target: str | None
    threshold: Decimal | None
    credit_points: Decimal
    shortfall: Decimal
    reasons: tuple[Reason, ...]

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


@dataclass(frozen=True)
class Eligibility:
    next_rank: Decision
    next_level: Decision


def _rating_reasons(rs: CareerRules, latest: Rating | None) -> list[Reason]:
    minimum = rs.rating(rs.minimum_for_promotion)
    if latest is None:
        return [
            Reason(
                "no_rating",
                f"Belum ada predikat kinerja; minimal {minimum.label_id} diperlukan.",
                f"No performance rating yet; at least {minimum.label_en} ({minimum.label_id}) "
                "is required.",
            )
        ]
    if not latest.at_least(minimum):
        return [
            Reason(
                "rating_too_low",
                f"Predikat kinerja terakhir {latest.label_id}; minimal {minimum.label_id}.",
                f"The latest rating is {latest.label_en} ({latest.label_id}); at least "
                f"{minimum.label_en} ({minimum.label_id}) is required.",
            )
        ]
    return []


def _ak_reason(have: Decimal, needed: Decimal, for_id: str, for_en: str) -> list[Reason]:
    if have >= needed:
        return []
    short = needed - have
    return [
        Reason(
            "insufficient_credit_points",
            f"Angka kredit kumulatif {have} belum mencapai {needed} untuk {for_id} "
            f"(kurang {short}).",
            f"Cumulative credit points {have} are below the {needed} needed for {for_en} "
            f"({short} short).",
        )
    ]


def promotion_eligibility(
    level: str | Level,
    cumulative_ak: NumberLike,
    latest_rating: str | Rating | None,
    *,
    competency_test_passed: bool = False,
    vacancy: bool = False,
    current_rank: str | Rank | None = None,
    level_ak: NumberLike | None = None,
    rules: CareerRules | None = None,
) -> Eligibility:
    """Can this JF holder move to the next rank (pangkat) or the next level (jenjang)?

    - ``next_rank``: ``cumulative_ak`` (AK counted since the last rank promotion, or since
      appointment) >= the level's ``ak_next_rank``, the latest rating at least the minimum
      (Baik), and, when ``current_rank`` is given, a higher rank left within the level's range.
    - ``next_level``: ``level_ak`` (AK counted in the current level; defaults to
      ``cumulative_ak``) >= the level's ``ak_next_level``, the latest rating at least Baik, a
      passed competency test (uji kompetensi) and a vacancy; impossible at the top of a track.

    Every unmet condition is reported as a :class:`Reason`, not just the first.
    """
    rs = _rules(rules)
    lv = rs.level(level)
    rank_ak = _non_negative(cumulative_ak, "Angka kredit kumulatif", "cumulative AK")
    in_level = (
        rank_ak
        if level_ak is None
        else _non_negative(level_ak, "Angka kredit pada jenjang", "AK in the level")
    )
    latest = None if latest_rating is None else rs.rating(latest_rating)
    for flag, name in ((competency_test_passed, "competency_test_passed"), (vacancy, "vacancy")):
        if not isinstance(flag, bool):
            raise CareerRuleError(
                "not_a_flag",
                f"{name} harus bernilai True atau False, bukan {_describe(flag)}.",
                f"{name} must be True or False, not {_describe(flag)}.",
            )
    rating_reasons = _rating_reasons(rs, latest)

    # next rank
    rank_target: str | None = None
    rank_reasons: list[Reason] = []
    if current_rank is not None:
        rank = rs.rank(current_rank)
        span = rs.ranks_of(lv)
        if rank not in span:
            raise CareerRuleError(
                "rank_outside_level",
                f"Golongan {rank.code} di luar rentang jenjang {lv.label_id} "
                f"({span[0].code} s.d. {span[-1].code}).",
                f"Rank {rank.code} is outside the range of level {lv.label_en} "
                f"({lv.label_id}, {span[0].code} to {span[-1].code}).",
            )
        if rank == span[-1]:
            rank_reasons.append(
                Reason(
                    "rank_ceiling",
                    f"Golongan {rank.code} adalah golongan tertinggi jenjang {lv.label_id}; "
                    "kenaikan pangkat berikutnya memerlukan kenaikan jenjang.",
                    f"Rank {rank.code} is the highest rank of level {lv.label_en} "
                    f"({lv.label_id}); the next rank needs a move to the next level.",
                )
            )
        else:
            rank_target = rs.ranks[rank.order + 1].code
    rank_reasons += _ak_reason(rank_ak, lv.ak_next_rank, "kenaikan pangkat", "the next rank")
    rank_reasons += rating_reasons
    next_rank = Decision(
        kind="next_rank",
        eligible=not rank_reasons,
        target=rank_target,
        threshold=lv.ak_next_rank,
        credit_points=rank_ak,
        shortfall=max(ZERO, lv.ak_next_rank - rank_ak),
        reasons=tuple(rank_reasons),
    )

    # next level
    level_reasons: list[Reason] = []
    if lv.next_level is None or lv.ak_next_level is None:
        level_reasons.append(
            Reason(
                "no_next_level",
                f"{lv.label_id} adalah jenjang tertinggi kategori ini.",
                f"{lv.label_en} ({lv.label_id}) is the highest level of its track.",
            )
        )
        threshold, shortfall = None, ZERO
    else:
        threshold = lv.ak_next_level
        shortfall = max(ZERO, threshold - in_level)
        level_reasons += _ak_reason(in_level, threshold, "kenaikan jenjang", "the next level")
        level_reasons += rating_reasons
        if not competency_test_passed:
            level_reasons.append(
                Reason(
                    "competency_test_not_passed",
                    "Belum lulus uji kompetensi kenaikan jenjang.",
                    "The competency test (uji kompetensi) for the next level has not been passed.",
                )
            )
        if not vacancy:
            level_reasons.append(
                Reason(
                    "no_vacancy",
                    "Belum tersedia formasi (lowongan kebutuhan) pada jenjang berikutnya.",
                    "There is no vacancy (formasi) at the next level.",
                )
            )
    next_level = Decision(
        kind="next_level",
        eligible=not level_reasons,
        target=lv.next_level,
        threshold=threshold,
        credit_points=in_level,
        shortfall=shortfall,
        reasons=tuple(level_reasons),
    )
    return Eligibility(next_rank=next_rank, next_level=next_level)


# --------------------------------------------------------------------------------------------
# 4. Retirement
# --------------------------------------------------------------------------------------------


def retirement_age(
    position_kind: str | PositionKind,
    jf_level: str | Level | None = None,
    *,
    rules: CareerRules | None = None,
) -> int:
    """Retirement age (batas usia pensiun, PP 11/2017 art. 239) in years.

    ``position_kind``: ``administrative`` (jabatan administrasi), ``jpt`` (jabatan pimpinan
    tinggi) or ``functional`` (jabatan fungsional, which needs ``jf_level``).
    """
    rs = _rules(rules)
    kind = rs.position_kind(position_kind)
    if kind.age is None:
        if jf_level is None:
            raise CareerRuleError(
                "jf_level_required",
                f"Usia pensiun {kind.label_id} bergantung pada jenjang; jenjang wajib diisi.",
                f"The retirement age of a {kind.label_en.lower()} depends on the JF level; "
                "jf_level is required.",
            )
        return rs.level(jf_level).retirement_age
    if jf_level is not None:
        raise CareerRuleError(
            "jf_level_not_applicable",
            f"Jenjang jabatan fungsional tidak berlaku untuk {kind.label_id}.",
            f"A JF level does not apply to a {kind.label_en.lower()} ({kind.label_id}).",
        )
    return kind.age


def _check_date(value: object, what_id: str, what_en: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise CareerRuleError(
            "not_a_date",
            f"{what_id} harus berupa tanggal tanpa jam (date), bukan datetime {value}.",
            f"{_cap(what_en)} must be a date without a time, not the datetime {value}.",
        )
    if not isinstance(value, dt.date):
        raise CareerRuleError(
            "not_a_date",
            f"{what_id} harus berupa tanggal (date), bukan {_describe(value)}.",
            f"{_cap(what_en)} must be a date, not {_describe(value)}.",
        )
    return value


def retirement_date(birth_date: dt.date, age: int) -> dt.date:
    """Pension start (TMT pensiun) for someone born on ``birth_date`` retiring at ``age``.

    BKN practice: the PNS is discharged at the end of the month in which the age is reached, and
    the pension starts on the first day of the following month. So 1968-05-10 at 58 gives
    2026-06-01, and so does 1968-05-01 (the birthday on the 1st still counts for May). Only the
    year and month of birth matter, so 29 February needs no special case.
    """
    born = _check_date(birth_date, "Tanggal lahir", "birth date")
    years = _whole(age, "Usia pensiun", "retirement age", MIN_AGE, MAX_AGE)
    year, month = born.year + years, born.month + 1
    if month == 13:
        year, month = year + 1, 1
    if year > dt.MAXYEAR:
        raise CareerRuleError(
            "out_of_range",
            f"Tanggal pensiun untuk tanggal lahir {born} di luar rentang tanggal.",
            f"The retirement date for birth date {born} is out of the date range.",
        )
    return dt.date(year, month, 1)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def retiring_within(birth_date: dt.date, age: int, today: dt.date, years: int) -> bool:
    """True when the pension starts after ``today`` and at most ``years`` years from it.

    Someone whose pension started on or before ``today`` is already retired (False). ``years`` is
    a whole number >= 0; ``today`` plus ``years`` years keeps the day of the month (29 February
    becomes 28 February in a common year).
    """
    start = retirement_date(birth_date, age)
    now = _check_date(today, "Tanggal hari ini", "today")
    span = _whole(years, "Jumlah tahun", "years", 0, MAX_AGE)
    if now.year + span > dt.MAXYEAR:
        return start > now
    return now < start <= _add_years(now, span)
