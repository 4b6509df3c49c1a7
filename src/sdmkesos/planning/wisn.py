"""WISN: Workload Indicators of Staffing Need (WHO, 2010, *Workload indicators of staffing need:
user's manual*), applied to a social welfare unit (a Dinas Sosial, UPT, balai or panti).

Pure Python (no Django imports): the CLI (``sdmkesos wisn FILE.json``), the API and the tests all
use it. One calculation covers one staff category in one unit (e.g. the pekerja sosial of a
kabupaten's Dinas Sosial). See docs/wisn.md for the formulas, the input/output format and a worked
example.

1. Available working time (AWT, hours/year) =
   (working_days - (public_holidays + annual_leave + sick_leave + other_leave)) x hours_per_day.
2. Service activities (the main workload): standard workload SW = AWT x 60 / minutes_per_unit
   (units one person can do in a year); required staff = annual_volume / SW.
3. Support activities (category allowance standards, CAS, done by every staff member): each is
   converted to a percentage of working time; CAF = 1 / (1 - total CAS % / 100).
4. Additional activities (individual allowance standards, IAS, done by some staff members):
   IAF = sum(hours_per_year x staff) / AWT, in staff units.
5. Required staff = sum(service required) x CAF + IAF; WISN difference = current - required;
   WISN ratio = current / required.

All numbers are computed unrounded; :meth:`WisnResult.to_json` rounds what it reports.

Bad input raises :class:`WisnInputError`, which carries every :class:`WisnIssue` found (field path
such as ``service_activities[2].minutes_per_unit``, a stable code, messages in Indonesian and
English), not just the first.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias, TypeGuard

__all__ = [
    "DEFAULT_DAYS_PER_WEEK",
    "ISSUE_CODES",
    "ROOT",
    "AdditionalActivity",
    "AdditionalResult",
    "ServiceActivity",
    "ServiceResult",
    "Status",
    "SupportActivity",
    "SupportBasis",
    "SupportResult",
    "WisnInput",
    "WisnInputError",
    "WisnIssue",
    "WisnResult",
    "calculate",
    "parse_input",
    "validate",
]

SupportBasis: TypeAlias = Literal["percent", "hours_per_week", "minutes_per_day"]
Status: TypeAlias = Literal["shortage", "balanced", "surplus"]
ParamValue: TypeAlias = str | float | int

DEFAULT_DAYS_PER_WEEK: Final = 5.0
#: The WISN ratio counts as balanced within 1 +/- this tolerance.
DEFAULT_BALANCE_TOLERANCE: Final = 0.05
SUPPORT_BASES: Final[tuple[SupportBasis, ...]] = ("percent", "hours_per_week", "minutes_per_day")
ROOT: Final = "$"
"""Field path of problems with the document as a whole (not valid JSON, not an object)."""

# Decimal places in the JSON output (values are computed unrounded).
_DP_HOURS: Final = 2
_DP_WORKLOAD: Final = 2
_DP_STAFF: Final = 4
_DP_PERCENT: Final = 2
_DP_FACTOR: Final = 4
_DP_TOTAL: Final = 2

# --------------------------------------------------------------------------------------------
# Issues
# --------------------------------------------------------------------------------------------

# code -> (Indonesian template, English template); str.format()ted with the issue's params and
# "field" (the field path).
_TEMPLATES: Final[Mapping[str, tuple[str, str]]] = {
    "required": ("{field} wajib diisi.", "{field} is required."),
    "not_a_number": (
        "{field} harus berupa angka, bukan {got_id}.",
        "{field} must be a number, not {got_en}.",
    ),
    "not_a_string": (
        "{field} harus berupa teks, bukan {got_id}.",
        "{field} must be a string, not {got_en}.",
    ),
    "not_a_list": (
        "{field} harus berupa daftar (array JSON), bukan {got_id}.",
        "{field} must be a list (JSON array), not {got_en}.",
    ),
    "not_an_object": (
        "{field} harus berupa objek JSON, bukan {got_id}.",
        "{field} must be a JSON object, not {got_en}.",
    ),
    "empty": ("{field} tidak boleh kosong.", "{field} must not be empty."),
    "unknown_field": (
        "{field} tidak dikenal; periksa ejaan nama kolom.",
        "{field} is not a known field; check its spelling.",
    ),
    "negative": (
        "{field} tidak boleh negatif (nilai: {value_id}).",
        "{field} must not be negative (value: {value_en}).",
    ),
    "not_positive": (
        "{field} harus lebih besar dari 0 (nilai: {value_id}).",
        "{field} must be greater than 0 (value: {value_en}).",
    ),
    "zero_unit_time": (
        "{field} harus lebih besar dari 0 (nilai: {value_id}): waktu per unit kegiatan nol "
        "membuat beban kerja standar tak terhingga.",
        "{field} must be greater than 0 (value: {value_en}): a unit time of zero makes the "
        "standard workload infinite.",
    ),
    "too_large": (
        "{field} tidak boleh lebih dari {limit_id} (nilai: {value_id}).",
        "{field} must not exceed {limit_en} (value: {value_en}).",
    ),
    "support_basis": (
        "{field} harus memuat tepat satu dari percent, hours_per_week atau minutes_per_day "
        "(ditemukan: {found}).",
        "{field} must have exactly one of percent, hours_per_week or minutes_per_day "
        "(found: {found}).",
    ),
    "awt_not_positive": (
        "Waktu kerja tersedia ({field}) = ({working_days_id} - {absent_days_id}) hari x "
        "{hours_per_day_id} jam = {value_id} jam; harus lebih besar dari 0. Periksa "
        "working_days, public_holidays, annual_leave, sick_leave, other_leave dan hours_per_day.",
        "Available working time ({field}) = ({working_days_en} - {absent_days_en}) days x "
        "{hours_per_day_en} hours = {value_en} hours; it must be greater than 0. Check "
        "working_days, public_holidays, annual_leave, sick_leave, other_leave and hours_per_day.",
    ),
    "cas_too_high": (
        "Total kegiatan penunjang ({field}) adalah {value_id}% dari waktu kerja tersedia; harus "
        "kurang dari 100% agar faktor kelonggaran kategori (CAF) dapat dihitung.",
        "The support activities ({field}) add up to {value_en}% of the available working time; "
        "the total must be below 100% for the category allowance factor (CAF) to exist.",
    ),
    "invalid_json": (
        "Masukan bukan JSON yang valid: {detail} (baris {line}, kolom {column}).",
        "The input is not valid JSON: {detail} (line {line}, column {column}).",
    ),
    "unreadable": (
        "Berkas {path} tidak dapat dibaca: {detail}.",
        "Cannot read the file {path}: {detail}.",
    ),
}
ISSUE_CODES: Final = frozenset(_TEMPLATES)

_TYPE_NAMES: Final[Mapping[str, tuple[str, str]]] = {
    "str": ("teks", "a string"),
    "bool": ("nilai true/false", "a boolean"),
    "NoneType": ("null", "null"),
    "list": ("daftar", "a list"),
    "dict": ("objek", "an object"),
    "int": ("angka", "a number"),
    "float": ("angka", "a number"),
    "nonfinite": ("NaN/Infinity", "NaN/Infinity"),
}


def _fmt(value: float, lang: str) -> str:
    """A number for a message: up to 4 decimals, no trailing zeros; decimal comma in Indonesian."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", ",") if lang == "id" else text


def _is_english(lang: str) -> bool:
    return lang.lower().startswith("en")


@dataclass(frozen=True)
class WisnIssue:
    """One problem with the input: ``field`` is the path of the offending value (e.g.
    ``service_activities[2].minutes_per_unit``; ``$`` for the whole document), ``code`` is stable
    (see :data:`ISSUE_CODES`), ``params`` are the values the messages mention."""

    field: str
    code: str
    params: Mapping[str, ParamValue] = dataclasses.field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        """The message in ``lang``: "id" (the default) or "en"."""
        english = _is_english(lang)
        template = _TEMPLATES[self.code][1 if english else 0]
        context: dict[str, Any] = {"field": self.field}
        for key, value in self.params.items():
            context[key] = value
            if isinstance(value, int | float) and not isinstance(value, bool):
                context[f"{key}_id"] = _fmt(value, "id")
                context[f"{key}_en"] = _fmt(value, "en")
            elif key == "got":
                got_id, got_en = _TYPE_NAMES.get(str(value), (str(value), str(value)))
                context["got_id"], context["got_en"] = got_id, got_en
        return template.format(**context)

    def to_json(self, lang: str = "id") -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message(lang)}


class WisnInputError(ValueError):
    """The input cannot be calculated; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[WisnIssue]) -> None:
        self.issues: tuple[WisnIssue, ...] = tuple(issues)
        super().__init__("; ".join(issue.message("en") for issue in self.issues))

    def to_json(self, lang: str = "id") -> dict[str, list[dict[str, str]]]:
        return {"errors": [issue.to_json(lang) for issue in self.issues]}


# --------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceActivity:
    """A main (service) activity: ``annual_volume`` units a year, ``minutes_per_unit`` each
    (the activity standard)."""

    name: str
    annual_volume: float
    minutes_per_unit: float


@dataclass(frozen=True)
class SupportActivity:
    """A support activity done by every staff member of the category (a CAS), as a percentage
    of working time, hours per week or minutes per day (``basis``)."""

    name: str
    basis: SupportBasis
    value: float


@dataclass(frozen=True)
class AdditionalActivity:
    """An additional activity done by only some staff members (an IAS): ``hours_per_year`` per
    person, done by ``staff`` people."""

    name: str
    hours_per_year: float
    staff: float


@dataclass(frozen=True)
class WisnInput:
    working_days: float
    public_holidays: float
    annual_leave: float
    sick_leave: float
    other_leave: float
    hours_per_day: float
    current_staff: float
    service_activities: tuple[ServiceActivity, ...]
    support_activities: tuple[SupportActivity, ...] = ()
    additional_activities: tuple[AdditionalActivity, ...] = ()
    days_per_week: float = DEFAULT_DAYS_PER_WEEK

    @property
    def absent_days(self) -> float:
        return self.public_holidays + self.annual_leave + self.sick_leave + self.other_leave

    @property
    def available_working_days(self) -> float:
        return self.working_days - self.absent_days

    @property
    def available_working_time(self) -> float:
        """AWT in hours per year."""
        return self.available_working_days * self.hours_per_day


@dataclass(frozen=True)
class _Rule:
    """Bounds of a number: >= 0 (or > 0 when ``positive``) and <= ``maximum`` when given."""

    positive: bool = False
    maximum: float | None = None
    zero_code: str = "not_positive"


_NON_NEGATIVE: Final = _Rule()
_TOP_RULES: Final[Mapping[str, _Rule]] = {
    "working_days": _Rule(maximum=366),
    "public_holidays": _Rule(maximum=366),
    "annual_leave": _Rule(maximum=366),
    "sick_leave": _Rule(maximum=366),
    "other_leave": _Rule(maximum=366),
    "hours_per_day": _Rule(maximum=24),
    "current_staff": _NON_NEGATIVE,
}
_DAYS_PER_WEEK_RULE: Final = _Rule(positive=True, maximum=7)
_SERVICE_RULES: Final[Mapping[str, _Rule]] = {
    "annual_volume": _NON_NEGATIVE,
    "minutes_per_unit": _Rule(positive=True, zero_code="zero_unit_time"),
}
_ADDITIONAL_RULES: Final[Mapping[str, _Rule]] = {
    "hours_per_year": _NON_NEGATIVE,
    "staff": _NON_NEGATIVE,
}
_LISTS: Final = ("service_activities", "support_activities", "additional_activities")
_TOP_KEYS: Final = frozenset({*_TOP_RULES, "days_per_week", *_LISTS})


def _type_name(value: object) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return type(value).__name__ if _is_finite_number(value) else "nonfinite"
    return type(value).__name__


def _is_finite_number(value: object) -> TypeGuard[int | float]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _range_issue(path: str, value: float, rule: _Rule) -> WisnIssue | None:
    if not _is_finite_number(value):  # only from inputs built in Python: JSON is checked first
        return WisnIssue(path, "not_a_number", {"got": _type_name(value)})
    if rule.positive and value <= 0:
        return WisnIssue(path, "negative" if value < 0 else rule.zero_code, {"value": value})
    if value < 0:
        return WisnIssue(path, "negative", {"value": value})
    if rule.maximum is not None and value > rule.maximum:
        return WisnIssue(path, "too_large", {"value": value, "limit": rule.maximum})
    return None


def _field_issues(inp: WisnInput) -> list[WisnIssue]:
    """Range problems of each number of an already typed input."""
    checks: list[tuple[str, float, _Rule]] = [
        (name, float(getattr(inp, name)), rule) for name, rule in _TOP_RULES.items()
    ]
    checks.append(("days_per_week", inp.days_per_week, _DAYS_PER_WEEK_RULE))
    for i, service in enumerate(inp.service_activities):
        checks += [(f"service_activities[{i}].{name}", getattr(service, name), rule)
                   for name, rule in _SERVICE_RULES.items()]
    for i, support in enumerate(inp.support_activities):
        checks.append((f"support_activities[{i}].{support.basis}", support.value, _NON_NEGATIVE))
    for i, additional in enumerate(inp.additional_activities):
        checks += [(f"additional_activities[{i}].{name}", getattr(additional, name), rule)
                   for name, rule in _ADDITIONAL_RULES.items()]
    issues = [issue for path, value, rule in checks
              if (issue := _range_issue(path, value, rule)) is not None]
    if not inp.service_activities:
        issues.append(WisnIssue("service_activities", "empty"))
    return issues


def _derived_issues(inp: WisnInput) -> list[WisnIssue]:
    """Problems of values computed from several fields (checked once each field is valid)."""
    awt = inp.available_working_time
    if awt <= 0:
        return [WisnIssue("available_working_time", "awt_not_positive", {
            "value": awt, "working_days": inp.working_days, "absent_days": inp.absent_days,
            "hours_per_day": inp.hours_per_day})]
    total = sum(_support_hours(inp, support) for support in inp.support_activities) / awt * 100
    if total >= 100:
        return [WisnIssue("support_activities", "cas_too_high", {"value": total})]
    return []


def validate(inp: WisnInput) -> list[WisnIssue]:
    """Every problem of an input built in Python (``parse_input`` does this for JSON)."""
    return _field_issues(inp) or _derived_issues(inp)


class _Parser:
    def __init__(self) -> None:
        self.issues: list[WisnIssue] = []

    def issue(self, path: str, code: str, **params: ParamValue) -> None:
        self.issues.append(WisnIssue(path, code, params))

    def obj(self, value: object, path: str) -> Mapping[str, object] | None:
        if isinstance(value, dict):
            return value
        self.issue(path, "not_an_object", got=_type_name(value))
        return None

    def unknown(self, obj: Mapping[str, object], known: frozenset[str] | set[str],
                prefix: str) -> None:
        for key in obj:
            if key not in known:
                self.issue(f"{prefix}{key}", "unknown_field")

    def number(self, obj: Mapping[str, object], key: str, path: str, rule: _Rule,
               default: float | None = None) -> float | None:
        if key not in obj or (obj[key] is None and default is not None):
            if default is None:
                self.issue(path, "required")
            return default
        value = obj[key]
        if not _is_finite_number(value):
            self.issue(path, "not_a_number", got=_type_name(value))
            return None
        number = value  # kept as given (an int stays an int in the output)
        if (problem := _range_issue(path, number, rule)) is not None:
            self.issues.append(problem)
            return None
        return number

    def name(self, obj: Mapping[str, object], path: str) -> str | None:
        if "name" not in obj:
            self.issue(path, "required")
            return None
        value = obj["name"]
        if not isinstance(value, str):
            self.issue(path, "not_a_string", got=_type_name(value))
            return None
        if not value.strip():
            self.issue(path, "empty")
            return None
        return value.strip()

    def items(self, data: Mapping[str, object], key: str,
              required: bool) -> list[tuple[str, object]]:
        if key not in data or (data[key] is None and not required):
            if required:
                self.issue(key, "required")
            return []
        value = data[key]
        if not isinstance(value, list):
            self.issue(key, "not_a_list", got=_type_name(value))
            return []
        if required and not value:
            self.issue(key, "empty")
        return [(f"{key}[{i}]", item) for i, item in enumerate(value)]

    def service(self, path: str, item: object) -> ServiceActivity | None:
        if (obj := self.obj(item, path)) is None:
            return None
        self.unknown(obj, {"name", *_SERVICE_RULES}, f"{path}.")
        name = self.name(obj, f"{path}.name")
        volume, minutes = (self.number(obj, key, f"{path}.{key}", rule)
                           for key, rule in _SERVICE_RULES.items())
        if name is None or volume is None or minutes is None:
            return None
        return ServiceActivity(name, volume, minutes)

    def support(self, path: str, item: object) -> SupportActivity | None:
        if (obj := self.obj(item, path)) is None:
            return None
        self.unknown(obj, {"name", *SUPPORT_BASES}, f"{path}.")
        name = self.name(obj, f"{path}.name")
        bases = [basis for basis in SUPPORT_BASES if basis in obj]
        if len(bases) != 1:
            self.issue(path, "support_basis", found=", ".join(bases) or "-")
            return None
        basis = bases[0]
        value = self.number(obj, basis, f"{path}.{basis}", _NON_NEGATIVE)
        if name is None or value is None:
            return None
        return SupportActivity(name, basis, value)

    def additional(self, path: str, item: object) -> AdditionalActivity | None:
        if (obj := self.obj(item, path)) is None:
            return None
        self.unknown(obj, {"name", *_ADDITIONAL_RULES}, f"{path}.")
        name = self.name(obj, f"{path}.name")
        hours, staff = (self.number(obj, key, f"{path}.{key}", rule)
                        for key, rule in _ADDITIONAL_RULES.items())
        if name is None or hours is None or staff is None:
            return None
        return AdditionalActivity(name, hours, staff)


def _parsed(value: float | None) -> float:
    """A value the parser accepted (it returns None only after recording an issue)."""
    assert value is not None
    return value


def parse_input(data: object) -> WisnInput:
    """The input from decoded JSON (see docs/wisn.md for the keys).

    ``days_per_week`` (default 5), ``support_activities`` and ``additional_activities`` (default
    empty) are optional. Raises :class:`WisnInputError` with every problem found.
    """
    parser = _Parser()
    obj = parser.obj(data, ROOT)
    if obj is None:
        raise WisnInputError(parser.issues)
    parser.unknown(obj, _TOP_KEYS, "")
    top = {key: parser.number(obj, key, key, rule) for key, rule in _TOP_RULES.items()}
    days_per_week = parser.number(obj, "days_per_week", "days_per_week", _DAYS_PER_WEEK_RULE,
                                  default=DEFAULT_DAYS_PER_WEEK)
    services = [parser.service(path, item) for path, item in parser.items(obj, _LISTS[0], True)]
    supports = [parser.support(path, item) for path, item in parser.items(obj, _LISTS[1], False)]
    additionals = [parser.additional(path, item)
                   for path, item in parser.items(obj, _LISTS[2], False)]
    if parser.issues:
        raise WisnInputError(parser.issues)
    inp = WisnInput(
        working_days=_parsed(top["working_days"]),
        public_holidays=_parsed(top["public_holidays"]),
        annual_leave=_parsed(top["annual_leave"]),
        sick_leave=_parsed(top["sick_leave"]),
        other_leave=_parsed(top["other_leave"]),
        hours_per_day=_parsed(top["hours_per_day"]),
        current_staff=_parsed(top["current_staff"]),
        days_per_week=_parsed(days_per_week),
        service_activities=tuple(s for s in services if s is not None),
        support_activities=tuple(s for s in supports if s is not None),
        additional_activities=tuple(a for a in additionals if a is not None),
    )
    if issues := _derived_issues(inp):
        raise WisnInputError(issues)
    return inp


# --------------------------------------------------------------------------------------------
# Calculation
# --------------------------------------------------------------------------------------------


def _support_hours(inp: WisnInput, support: SupportActivity) -> float:
    """Hours per year one staff member spends on a support activity."""
    days = inp.available_working_days
    if support.basis == "percent":
        return support.value / 100 * inp.available_working_time
    if support.basis == "hours_per_week":
        return support.value * days / inp.days_per_week  # weeks of work = days / days per week
    return support.value / 60 * days  # minutes_per_day


@dataclass(frozen=True)
class ServiceResult:
    activity: ServiceActivity
    standard_workload: float
    """Units one staff member can do in a year: AWT x 60 / minutes_per_unit."""
    required: float
    """annual_volume / standard_workload."""


@dataclass(frozen=True)
class SupportResult:
    activity: SupportActivity
    hours_per_year: float
    percent: float
    """Share of the available working time, in %."""


@dataclass(frozen=True)
class AdditionalResult:
    activity: AdditionalActivity

    @property
    def total_hours(self) -> float:
        return self.activity.hours_per_year * self.activity.staff


def _r(value: float, places: int) -> float:
    rounded = round(value, places)
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


@dataclass(frozen=True)
class WisnResult:
    input: WisnInput
    service_activities: tuple[ServiceResult, ...]
    support_activities: tuple[SupportResult, ...]
    additional_activities: tuple[AdditionalResult, ...]
    balance_tolerance: float = DEFAULT_BALANCE_TOLERANCE

    @property
    def available_working_time(self) -> float:
        return self.input.available_working_time

    @property
    def service_required(self) -> float:
        """Staff required for the service activities alone (before allowances)."""
        return math.fsum(s.required for s in self.service_activities)

    @property
    def total_support_percent(self) -> float:
        return math.fsum(s.percent for s in self.support_activities)

    @property
    def category_allowance_factor(self) -> float:
        return 1 / (1 - self.total_support_percent / 100)

    @property
    def total_additional_hours(self) -> float:
        return math.fsum(a.total_hours for a in self.additional_activities)

    @property
    def individual_allowance_factor(self) -> float:
        return self.total_additional_hours / self.available_working_time

    @property
    def required_staff(self) -> float:
        return (self.service_required * self.category_allowance_factor
                + self.individual_allowance_factor)

    @property
    def current_staff(self) -> float:
        return self.input.current_staff

    @property
    def wisn_difference(self) -> float:
        """Current minus required staff: negative is a shortage."""
        return self.current_staff - self.required_staff

    @property
    def wisn_ratio(self) -> float | None:
        """Current / required staff; None when nothing is required."""
        required = self.required_staff
        return self.current_staff / required if required > 0 else None

    @property
    def status(self) -> Status:
        ratio = self.wisn_ratio
        if ratio is None:
            return "surplus" if self.current_staff > 0 else "balanced"
        if ratio < 1 - self.balance_tolerance:
            return "shortage"
        if ratio > 1 + self.balance_tolerance:
            return "surplus"
        return "balanced"

    def interpretation(self, lang: str = "id") -> str:
        english = _is_english(lang)
        code = "en" if english else "id"
        ratio = self.wisn_ratio
        values = {
            "required": _fmt(round(self.required_staff, 2), code),
            "current": _fmt(self.current_staff, code),
            "difference": _fmt(round(self.wisn_difference, 2), code),
            "ratio": (_fmt(round(ratio, 2), code) if ratio is not None
                      else ("undefined" if english else "tidak terdefinisi")),
        }
        return _INTERPRETATIONS[self.status][1 if english else 0].format(**values)

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        """The result as JSON-ready data, numbers rounded for reporting."""
        ratio = self.wisn_ratio
        return {
            "available_working_days": _r(self.input.available_working_days, _DP_HOURS),
            "available_working_time": _r(self.available_working_time, _DP_HOURS),
            "service_activities": [
                {
                    "name": s.activity.name,
                    "annual_volume": s.activity.annual_volume,
                    "minutes_per_unit": s.activity.minutes_per_unit,
                    "standard_workload": _r(s.standard_workload, _DP_WORKLOAD),
                    "required": _r(s.required, _DP_STAFF),
                }
                for s in self.service_activities
            ],
            "service_required": _r(self.service_required, _DP_STAFF),
            "support_activities": [
                _support_json(s) for s in self.support_activities
            ],
            "total_support_percent": _r(self.total_support_percent, _DP_PERCENT),
            "category_allowance_factor": _r(self.category_allowance_factor, _DP_FACTOR),
            "additional_activities": [
                {
                    "name": a.activity.name,
                    "hours_per_year": a.activity.hours_per_year,
                    "staff": a.activity.staff,
                    "total_hours": _r(a.total_hours, _DP_HOURS),
                }
                for a in self.additional_activities
            ],
            "total_additional_hours": _r(self.total_additional_hours, _DP_HOURS),
            "individual_allowance_factor": _r(self.individual_allowance_factor, _DP_FACTOR),
            "required_staff": _r(self.required_staff, _DP_TOTAL),
            "current_staff": self.current_staff,
            "wisn_difference": _r(self.wisn_difference, _DP_TOTAL),
            "wisn_ratio": None if ratio is None else _r(ratio, _DP_TOTAL),
            "interpretation": {"status": self.status, "message": self.interpretation(lang)},
        }


def _support_json(support: SupportResult) -> dict[str, Any]:
    """name, the value as given (under its key, unless that is "percent"), hours a year and %."""
    data: dict[str, Any] = {"name": support.activity.name}
    if support.activity.basis != "percent":
        data[support.activity.basis] = support.activity.value
    data["hours_per_year"] = _r(support.hours_per_year, _DP_HOURS)
    data["percent"] = _r(support.percent, _DP_PERCENT)
    return data


_INTERPRETATIONS: Final[Mapping[Status, tuple[str, str]]] = {
    "shortage": (
        "Kekurangan tenaga: dibutuhkan {required} orang, tersedia {current} orang (selisih "
        "{difference}, rasio WISN {ratio}). Beban kerja melebihi kapasitas staf yang ada.",
        "Staff shortage: {required} staff required, {current} available (difference "
        "{difference}, WISN ratio {ratio}). The workload exceeds what the current staff can carry.",
    ),
    "balanced": (
        "Seimbang: dibutuhkan {required} orang, tersedia {current} orang (selisih {difference}, "
        "rasio WISN {ratio}). Jumlah staf sesuai dengan beban kerja.",
        "Balanced: {required} staff required, {current} available (difference {difference}, "
        "WISN ratio {ratio}). Staffing matches the workload.",
    ),
    "surplus": (
        "Kelebihan tenaga: dibutuhkan {required} orang, tersedia {current} orang (selisih "
        "{difference}, rasio WISN {ratio}). Staf melebihi kebutuhan beban kerja; pertimbangkan "
        "penambahan layanan atau redistribusi staf.",
        "Staff surplus: {required} staff required, {current} available (difference "
        "{difference}, WISN ratio {ratio}). Staffing exceeds what the workload requires; "
        "consider more services or redeploying staff.",
    ),
}


def calculate(inp: WisnInput, *,
              balance_tolerance: float = DEFAULT_BALANCE_TOLERANCE) -> WisnResult:
    """The WISN calculation. Raises :class:`WisnInputError` when ``inp`` is invalid.

    ``balance_tolerance``: the staffing counts as balanced while the WISN ratio is within
    1 +/- this (default 0.05); below is a shortage, above a surplus.
    """
    if issues := validate(inp):
        raise WisnInputError(issues)
    awt = inp.available_working_time
    services = []
    for activity in inp.service_activities:
        standard_workload = awt * 60 / activity.minutes_per_unit
        services.append(ServiceResult(activity, standard_workload,
                                      activity.annual_volume / standard_workload))
    supports = []
    for support in inp.support_activities:
        hours = _support_hours(inp, support)
        supports.append(SupportResult(support, hours, hours / awt * 100))
    return WisnResult(
        input=inp,
        service_activities=tuple(services),
        support_activities=tuple(supports),
        additional_activities=tuple(AdditionalResult(a) for a in inp.additional_activities),
        balance_tolerance=balance_tolerance,
    )
