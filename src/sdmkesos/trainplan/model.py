"""The training-plan instance: people with competency gaps, programmes, venues, trainers, periods,
budget and travel cost; JSON load/save with validation.

Pure Python (no Django imports). Dates are ISO strings in JSON and :class:`datetime.date` here;
money is rupiah (floats allowed in JSON). Every validation problem is collected into one
:class:`InstanceError` naming the field path (``people[12].gaps.T01.required``), a stable code and
a message in Indonesian (default) or English.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

__all__ = [
    "FORMAT_VERSION",
    "Gap",
    "Instance",
    "InstanceError",
    "InstanceIssue",
    "Period",
    "Person",
    "Programme",
    "Rule",
    "Trainer",
    "Travel",
    "Venue",
    "dump_instance",
    "load_instance",
    "parse_instance",
]

FORMAT_VERSION: Final = 1

# code -> (Indonesian, English); formatted with the issue's params and "field".
_TEMPLATES: Final[Mapping[str, tuple[str, str]]] = {
    "required": ("{field} wajib diisi.", "{field} is required."),
    "type": ("{field} harus berupa {expected_id}.", "{field} must be {expected_en}."),
    "negative": ("{field} tidak boleh negatif (nilai: {value}).",
                 "{field} must not be negative (value: {value})."),
    "not_positive": ("{field} harus lebih besar dari 0 (nilai: {value}).",
                     "{field} must be greater than 0 (value: {value})."),
    "duplicate": ("{field}: id {value} sudah dipakai.", "{field}: id {value} is used twice."),
    "unknown_ref": ("{field}: {kind} {value} tidak ada dalam instance.",
                    "{field}: {kind} {value} is not in the instance."),
    "bad_date": ("{field} bukan tanggal ISO (YYYY-MM-DD): {value}.",
                 "{field} is not an ISO date (YYYY-MM-DD): {value}."),
    "date_order": ("{field}: tanggal selesai sebelum tanggal mulai.",
                   "{field}: the end date is before the start date."),
    "period_order": ("{field}: periode harus berurutan dan tidak tumpang tindih.",
                     "{field}: periods must be in order and must not overlap."),
    "batch_bounds": ("{field}: min_batch ({min}) lebih besar dari max_batch ({max}).",
                     "{field}: min_batch ({min}) is greater than max_batch ({max})."),
    "bad_rule": ("{field}: aturan kelayakan tidak dikenal ({value}); gunakan field+in/not_in "
                 "atau competency+min_level/max_level.",
                 "{field}: unknown eligibility rule ({value}); use field+in/not_in or "
                 "competency+min_level/max_level."),
    "no_competency": ("{field}: program harus menangani setidaknya satu kompetensi.",
                      "{field}: a programme must address at least one competency."),
    "invalid_json": ("Masukan bukan JSON yang valid: {value}.",
                     "The input is not valid JSON: {value}."),
    "unreadable": ("Berkas {value} tidak dapat dibaca.", "Cannot read the file {value}."),
    "version": ("{field}: versi format {value} tidak didukung (didukung: 1).",
                "{field}: format version {value} is not supported (supported: 1)."),
}
_EXPECTED: Final[Mapping[str, tuple[str, str]]] = {
    "object": ("objek JSON", "a JSON object"),
    "list": ("daftar (array JSON)", "a list (JSON array)"),
    "string": ("teks", "a string"),
    "number": ("angka", "a number"),
    "integer": ("bilangan bulat", "an integer"),
}


@dataclass(frozen=True)
class InstanceIssue:
    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        english = lang.lower().startswith("en")
        context = {"field": self.field, **self.params}
        if "expected" in self.params:
            id_, en = _EXPECTED[self.params["expected"]]
            context["expected_id"], context["expected_en"] = id_, en
        return _TEMPLATES[self.code][1 if english else 0].format(**context)

    def to_json(self, lang: str = "id") -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message(lang)}


class InstanceError(ValueError):
    """The instance is invalid; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[InstanceIssue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(issue.message("en") for issue in self.issues[:5]))

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        return {"errors": [issue.to_json(lang) for issue in self.issues]}


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    current: int
    required: int

    @property
    def size(self) -> int:
        return max(0, self.required - self.current)


@dataclass(frozen=True)
class Person:
    id: str
    region: str  # Kemendagri code of the home region (kab/kota or below)
    category: str
    gaps: Mapping[str, Gap]  # competency code -> current and required level
    weight: float | None = None  # priority weight; None: the instance's weight for the category
    # e.g. education, employment status
    attributes: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """One eligibility condition; a person is eligible when every rule of the programme holds.

    ``field`` (``category``, ``region`` or ``attributes.<name>``) with ``in`` and/or ``not_in``
    (regions match by dotted prefix: ``35`` covers ``35.07``), or ``competency`` with
    ``min_level``/``max_level`` on the person's current level (0 when absent)."""

    field: str | None = None
    in_: tuple[str, ...] | None = None
    not_in: tuple[str, ...] | None = None
    competency: str | None = None
    min_level: int | None = None
    max_level: int | None = None

    def holds(self, person: Person) -> bool:
        if self.competency is not None:
            gap = person.gaps.get(self.competency)
            level = gap.current if gap else 0
            if self.min_level is not None and level < self.min_level:
                return False
            return not (self.max_level is not None and level > self.max_level)
        assert self.field is not None
        if self.field == "category":
            value: str | None = person.category
        elif self.field == "region":
            value = person.region
        else:
            value = person.attributes.get(self.field.removeprefix("attributes."))
        match = _region_match if self.field == "region" else _equal
        if self.in_ is not None and (value is None or not any(match(value, v) for v in self.in_)):
            return False
        return not (self.not_in is not None and value is not None
                    and any(match(value, v) for v in self.not_in))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.competency is not None:
            data["competency"] = self.competency
            if self.min_level is not None:
                data["min_level"] = self.min_level
            if self.max_level is not None:
                data["max_level"] = self.max_level
            return data
        data["field"] = self.field
        if self.in_ is not None:
            data["in"] = list(self.in_)
        if self.not_in is not None:
            data["not_in"] = list(self.not_in)
        return data


def _equal(value: str, pattern: str) -> bool:
    return value == pattern


def _region_match(value: str, pattern: str) -> bool:
    return value == pattern or value.startswith(pattern + ".")


@dataclass(frozen=True)
class Programme:
    id: str
    name: str
    competencies: Mapping[str, int]  # competency -> level a completed participant reaches
    duration_days: int
    cost_per_participant: float
    min_batch: int
    max_batch: int
    fixed_cost_per_batch: float = 0.0
    trainers_per_batch: int = 1
    eligibility: tuple[Rule, ...] = ()

    def eligible(self, person: Person) -> bool:
        return all(rule.holds(person) for rule in self.eligibility)

    def closes(self, person: Person) -> int:
        """Gap levels this programme closes for ``person`` (summed over its competencies)."""
        total = 0
        for comp, level in self.competencies.items():
            gap = person.gaps.get(comp)
            if gap is not None:
                total += max(0, min(gap.required, level) - gap.current)
        return total


@dataclass(frozen=True)
class Venue:
    id: str
    name: str
    region: str
    capacity: int  # seats per batch (room size)
    rooms: int = 1  # batches at the same time
    available: tuple[str, ...] | None = None  # period ids; None: all
    programmes: tuple[str, ...] | None = None  # programmes it can host; None: all


@dataclass(frozen=True)
class Trainer:
    id: str
    name: str
    programmes: tuple[str, ...]
    available: tuple[str, ...] | None = None  # period ids; None: all
    max_batches: int | None = None
    max_days: int | None = None
    fee_per_day: float = 0.0
    region: str | None = None


@dataclass(frozen=True)
class Period:
    id: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Travel:
    """Travel cost per participant = 0 in the home kab/kota, else ``fixed`` + ``cost_per_km`` x
    2 (return) x road km; road km = great-circle km between centroids x ``road_factor``.
    Nobody is sent to a venue more than ``max_km`` road km away (None: no limit)."""

    cost_per_km: float = 0.0
    fixed: float = 0.0
    road_factor: float = 1.3
    max_km: float | None = None
    coordinates: Mapping[str, tuple[float, float]] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Instance:
    name: str
    people: tuple[Person, ...]
    programmes: tuple[Programme, ...]
    venues: tuple[Venue, ...]
    trainers: tuple[Trainer, ...]
    periods: tuple[Period, ...]
    budget: float | None = None  # rupiah; None: unlimited
    travel: Travel = dataclasses.field(default_factory=Travel)
    category_weights: Mapping[str, float] = dataclasses.field(default_factory=dict)

    def weight(self, person: Person) -> float:
        if person.weight is not None:
            return person.weight
        return self.category_weights.get(person.category, 1.0)

    def with_budget(self, budget: float | None) -> Instance:
        from dataclasses import replace

        return replace(self, budget=budget)


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------


class _Reader:
    """Collects issues while reading a decoded JSON document."""

    def __init__(self) -> None:
        self.issues: list[InstanceIssue] = []

    def issue(self, path: str, code: str, **params: Any) -> None:
        self.issues.append(InstanceIssue(path, code, params))

    def obj(self, data: Any, path: str) -> Mapping[str, Any] | None:
        if not isinstance(data, Mapping):
            self.issue(path, "type", expected="object")
            return None
        return data

    def items(self, data: Mapping[str, Any], key: str, path: str,
              required: bool = True) -> list[tuple[str, Mapping[str, Any]]]:
        value = data.get(key)
        if value is None:
            if required:
                self.issue(f"{path}{key}", "required")
            return []
        if not isinstance(value, list):
            self.issue(f"{path}{key}", "type", expected="list")
            return []
        out = []
        for i, item in enumerate(value):
            obj = self.obj(item, f"{path}{key}[{i}]")
            if obj is not None:
                out.append((f"{path}{key}[{i}]", obj))
        return out

    def string(self, data: Mapping[str, Any], key: str, path: str,
               default: str | None = None, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required and default is None:
                self.issue(f"{path}.{key}", "required")
            return default or ""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str) or not value.strip():
            self.issue(f"{path}.{key}", "type", expected="string")
            return default or ""
        return value.strip()

    def number(self, data: Mapping[str, Any], key: str, path: str, default: float | None = None,
               positive: bool = False) -> float | None:
        value = data.get(key)
        if value is None:
            if default is None:
                self.issue(f"{path}.{key}", "required")
            return default
        if (not isinstance(value, int | float) or isinstance(value, bool)
                or not math.isfinite(value)):
            self.issue(f"{path}.{key}", "type", expected="number")
            return default
        if value < 0:
            self.issue(f"{path}.{key}", "negative", value=value)
        elif positive and value == 0:
            self.issue(f"{path}.{key}", "not_positive", value=value)
        return float(value)

    def integer(self, data: Mapping[str, Any], key: str, path: str, default: int | None = None,
                positive: bool = False) -> int | None:
        value = data.get(key)
        if value is None:
            if default is None:
                self.issue(f"{path}.{key}", "required")
            return default
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.issue(f"{path}.{key}", "type", expected="integer")
            return default
        if value < 0:
            self.issue(f"{path}.{key}", "negative", value=value)
        elif positive and value == 0:
            self.issue(f"{path}.{key}", "not_positive", value=value)
        return value

    def strings(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...] | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.issue(f"{path}.{key}", "type", expected="list")
            return None
        return tuple(str(v) for v in value)

    def date(self, data: Mapping[str, Any], key: str, path: str) -> dt.date:
        text = self.string(data, key, path)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            if text:
                self.issue(f"{path}.{key}", "bad_date", value=text)
            return dt.date(1970, 1, 1)


def parse_instance(data: Any) -> Instance:
    """The :class:`Instance` of a decoded JSON document; :class:`InstanceError` if invalid."""
    r = _Reader()
    root = r.obj(data, "$")
    if root is None:
        raise InstanceError(r.issues)
    version = root.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        r.issue("format_version", "version", value=version)

    weights: dict[str, float] = {}
    raw_weights = root.get("category_weights") or {}
    if not isinstance(raw_weights, Mapping):
        r.issue("category_weights", "type", expected="object")
    else:
        for cat in raw_weights:
            value = r.number(raw_weights, cat, "category_weights")
            weights[str(cat)] = value if value is not None else 1.0

    periods: list[Period] = []
    for path, obj in r.items(root, "periods", ""):
        period = Period(r.string(obj, "id", path), r.date(obj, "start", path),
                        r.date(obj, "end", path))
        if period.end < period.start:
            r.issue(path, "date_order")
        if periods and period.start <= periods[-1].end:
            r.issue(path, "period_order")
        periods.append(period)
    period_ids = {p.id for p in periods}
    _unique(r, "periods", [p.id for p in periods])

    programmes = []
    for path, obj in r.items(root, "programmes", ""):
        comps: dict[str, int] = {}
        raw = obj.get("competencies")
        if not isinstance(raw, Mapping) or not raw:
            r.issue(f"{path}.competencies", "no_competency")
        else:
            for comp in raw:
                comps[str(comp)] = r.integer(raw, comp, f"{path}.competencies", 0) or 0
        rules = []
        raw_rules = obj.get("eligibility") or []
        if not isinstance(raw_rules, list):
            r.issue(f"{path}.eligibility", "type", expected="list")
            raw_rules = []
        for i, rule in enumerate(raw_rules):
            parsed = _parse_rule(r, rule, f"{path}.eligibility[{i}]")
            if parsed is not None:
                rules.append(parsed)
        min_batch = r.integer(obj, "min_batch", path, 1) or 0
        max_batch = r.integer(obj, "max_batch", path, positive=True) or 0
        if max_batch and min_batch > max_batch:
            r.issue(path, "batch_bounds", min=min_batch, max=max_batch)
        programmes.append(Programme(
            id=r.string(obj, "id", path), name=r.string(obj, "name", path, default=""),
            competencies=comps,
            duration_days=r.integer(obj, "duration_days", path, positive=True) or 1,
            cost_per_participant=r.number(obj, "cost_per_participant", path, 0.0) or 0.0,
            fixed_cost_per_batch=r.number(obj, "fixed_cost_per_batch", path, 0.0) or 0.0,
            min_batch=min_batch, max_batch=max_batch,
            trainers_per_batch=r.integer(obj, "trainers_per_batch", path, 1) or 0,
            eligibility=tuple(rules)))
    programme_ids = {p.id for p in programmes}
    _unique(r, "programmes", [p.id for p in programmes])

    venues = []
    for path, obj in r.items(root, "venues", ""):
        venue = Venue(
            id=r.string(obj, "id", path), name=r.string(obj, "name", path, default=""),
            region=r.string(obj, "region", path),
            capacity=r.integer(obj, "capacity", path, positive=True) or 0,
            rooms=r.integer(obj, "rooms", path, 1) or 0,
            available=r.strings(obj, "available", path),
            programmes=r.strings(obj, "programmes", path))
        _refs(r, f"{path}.available", venue.available, period_ids, "periode")
        _refs(r, f"{path}.programmes", venue.programmes, programme_ids, "program")
        venues.append(venue)
    _unique(r, "venues", [v.id for v in venues])

    trainers = []
    for path, obj in r.items(root, "trainers", ""):
        trainer = Trainer(
            id=r.string(obj, "id", path), name=r.string(obj, "name", path, default=""),
            programmes=r.strings(obj, "programmes", path) or (),
            available=r.strings(obj, "available", path),
            max_batches=r.integer(obj, "max_batches", path, -1),
            max_days=r.integer(obj, "max_days", path, -1),
            fee_per_day=r.number(obj, "fee_per_day", path, 0.0) or 0.0,
            region=r.string(obj, "region", path, required=False) or None)
        trainer = _none_if_negative(trainer)
        _refs(r, f"{path}.programmes", trainer.programmes, programme_ids, "program")
        _refs(r, f"{path}.available", trainer.available, period_ids, "periode")
        trainers.append(trainer)
    _unique(r, "trainers", [t.id for t in trainers])

    people = []
    for path, obj in r.items(root, "people", ""):
        gaps: dict[str, Gap] = {}
        raw_gaps = obj.get("gaps") or {}
        if not isinstance(raw_gaps, Mapping):
            r.issue(f"{path}.gaps", "type", expected="object")
        else:
            for comp, g in raw_gaps.items():
                gobj = r.obj(g, f"{path}.gaps.{comp}")
                if gobj is not None:
                    gaps[str(comp)] = Gap(r.integer(gobj, "current", f"{path}.gaps.{comp}", 0) or 0,
                                          r.integer(gobj, "required", f"{path}.gaps.{comp}") or 0)
        attrs = obj.get("attributes") or {}
        if not isinstance(attrs, Mapping):
            r.issue(f"{path}.attributes", "type", expected="object")
            attrs = {}
        weight = r.number(obj, "weight", path, -1.0)
        people.append(Person(
            id=r.string(obj, "id", path), region=r.string(obj, "region", path),
            category=r.string(obj, "category", path), gaps=gaps,
            weight=None if weight is None or weight < 0 else weight,
            attributes={str(k): str(v) for k, v in attrs.items()}))
    _unique(r, "people", [p.id for p in people])

    travel = Travel()
    raw_travel = root.get("travel")
    if raw_travel is not None:
        tobj = r.obj(raw_travel, "travel")
        if tobj is not None:
            coords: dict[str, tuple[float, float]] = {}
            raw_coords = tobj.get("coordinates") or {}
            if isinstance(raw_coords, Mapping):
                for code, pair in raw_coords.items():
                    if (isinstance(pair, list) and len(pair) == 2
                            and all(isinstance(x, int | float) for x in pair)):
                        coords[str(code)] = (float(pair[0]), float(pair[1]))
                    else:
                        r.issue(f"travel.coordinates.{code}", "type", expected="list")
            max_km = r.number(tobj, "max_km", "travel", -1.0)
            travel = Travel(
                cost_per_km=r.number(tobj, "cost_per_km", "travel", 0.0) or 0.0,
                fixed=r.number(tobj, "fixed", "travel", 0.0) or 0.0,
                road_factor=r.number(tobj, "road_factor", "travel", 1.3) or 1.3,
                max_km=None if max_km is None or max_km < 0 else max_km,
                coordinates=coords)

    budget = r.number(root, "budget", "$", -1.0)
    name = r.string(root, "name", "$", default="instance")
    if r.issues:
        raise InstanceError(r.issues)
    return Instance(name=name, people=tuple(people), programmes=tuple(programmes),
                    venues=tuple(venues), trainers=tuple(trainers), periods=tuple(periods),
                    budget=None if budget is None or budget < 0 else budget, travel=travel,
                    category_weights=weights)


def _none_if_negative(trainer: Trainer) -> Trainer:
    from dataclasses import replace

    return replace(
        trainer,
        max_batches=None if trainer.max_batches is None or trainer.max_batches < 0
        else trainer.max_batches,
        max_days=None if trainer.max_days is None or trainer.max_days < 0 else trainer.max_days)


def _parse_rule(r: _Reader, data: Any, path: str) -> Rule | None:
    obj = r.obj(data, path)
    if obj is None:
        return None
    if "competency" in obj:
        if "min_level" not in obj and "max_level" not in obj:
            r.issue(path, "bad_rule", value=json.dumps(obj, ensure_ascii=False)[:80])
            return None
        return Rule(competency=r.string(obj, "competency", path),
                    min_level=r.integer(obj, "min_level", path, -1) if "min_level" in obj else None,
                    max_level=r.integer(obj, "max_level", path, -1) if "max_level" in obj else None)
    fld = obj.get("field")
    ok_field = isinstance(fld, str) and (fld in ("category", "region")
                                         or fld.startswith("attributes."))
    if not ok_field or ("in" not in obj and "not_in" not in obj):
        r.issue(path, "bad_rule", value=json.dumps(obj, ensure_ascii=False)[:80])
        return None
    return Rule(field=str(fld), in_=r.strings(obj, "in", path),
                not_in=r.strings(obj, "not_in", path))


def _unique(r: _Reader, path: str, ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            r.issue(f"{path}[{i}].id", "duplicate", value=ident)
        seen.add(ident)


def _refs(r: _Reader, path: str, values: Sequence[str] | None, known: set[str], kind: str) -> None:
    for value in values or ():
        if value not in known:
            r.issue(path, "unknown_ref", kind=kind, value=value)


def instance_to_json(instance: Instance) -> dict[str, Any]:
    """The JSON document of ``instance`` (``parse_instance`` reads it back unchanged)."""

    def opt(data: dict[str, Any], key: str, value: Any) -> None:
        if value is not None:
            data[key] = list(value) if isinstance(value, tuple) else value

    programmes = []
    for p in instance.programmes:
        item: dict[str, Any] = {
            "id": p.id, "name": p.name, "competencies": dict(p.competencies),
            "duration_days": p.duration_days, "cost_per_participant": p.cost_per_participant,
            "fixed_cost_per_batch": p.fixed_cost_per_batch, "min_batch": p.min_batch,
            "max_batch": p.max_batch, "trainers_per_batch": p.trainers_per_batch,
            "eligibility": [rule.to_json() for rule in p.eligibility]}
        programmes.append(item)
    venues = []
    for v in instance.venues:
        vitem: dict[str, Any] = {"id": v.id, "name": v.name, "region": v.region,
                                 "capacity": v.capacity, "rooms": v.rooms}
        opt(vitem, "available", v.available)
        opt(vitem, "programmes", v.programmes)
        venues.append(vitem)
    trainers = []
    for t in instance.trainers:
        titem: dict[str, Any] = {"id": t.id, "name": t.name, "programmes": list(t.programmes),
                                 "fee_per_day": t.fee_per_day}
        opt(titem, "available", t.available)
        opt(titem, "max_batches", t.max_batches)
        opt(titem, "max_days", t.max_days)
        opt(titem, "region", t.region)
        trainers.append(titem)
    people = []
    for person in instance.people:
        pitem: dict[str, Any] = {
            "id": person.id, "region": person.region, "category": person.category,
            "gaps": {c: {"current": g.current, "required": g.required}
                     for c, g in person.gaps.items()}}
        opt(pitem, "weight", person.weight)
        if person.attributes:
            pitem["attributes"] = dict(person.attributes)
        people.append(pitem)
    travel: dict[str, Any] = {"cost_per_km": instance.travel.cost_per_km,
                              "fixed": instance.travel.fixed,
                              "road_factor": instance.travel.road_factor}
    opt(travel, "max_km", instance.travel.max_km)
    if instance.travel.coordinates:
        travel["coordinates"] = {k: list(v) for k, v in instance.travel.coordinates.items()}
    doc: dict[str, Any] = {
        "format_version": FORMAT_VERSION, "name": instance.name,
        "category_weights": dict(instance.category_weights), "travel": travel,
        "periods": [{"id": p.id, "start": p.start.isoformat(), "end": p.end.isoformat()}
                    for p in instance.periods],
        "programmes": programmes, "venues": venues, "trainers": trainers, "people": people}
    opt(doc, "budget", instance.budget)
    return doc


def load_instance(path: str | Path) -> Instance:
    """Read and validate an instance JSON file (``-``: standard input)."""
    import sys

    try:
        raw = sys.stdin.buffer.read() if str(path) == "-" else Path(path).read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InstanceError([InstanceIssue("$", "unreadable", {"value": str(path)})]) from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InstanceError([InstanceIssue("$", "invalid_json", {
            "value": f"{error.msg} (line {error.lineno}, column {error.colno})"})]) from error
    return parse_instance(data)


def dump_instance(instance: Instance, path: str | Path) -> None:
    Path(path).write_text(json.dumps(instance_to_json(instance), ensure_ascii=False, indent=1),
                          encoding="utf-8")
