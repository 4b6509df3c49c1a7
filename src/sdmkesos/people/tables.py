"""Display helpers of the registry pages: list rows, masked identity numbers, the readable
change history (audit events with field labels and names instead of ids)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdmkesos.core import audit
from sdmkesos.core.choices import Channel, Sex
from sdmkesos.core.models import (
    AuditEvent,
    EducationLevel,
    EmploymentStatus,
    FieldOfStudy,
    Organisation,
    Region,
    WorkforceCategory,
)
from sdmkesos.core.scoping import display_nik, mask_nik, sees_full_nik

from .actions import PERSON_FIELDS, PERSON_TYPE
from .forms import code_label
from .models import EducationRecord, EmploymentRecord, Person

EMPTY = "\u2013"  # an en dash: "no value"


def nik_for(user: Any, nik: str | None) -> str:
    return display_nik(user, nik or "")


# --- list rows ---------------------------------------------------------------------------------


@dataclass
class PersonRow:
    person: Person
    nik: str
    category: str
    education: str
    status: str


def person_rows(user: Any, people: Iterable[Person]) -> list[PersonRow]:
    """Rows of the registry table. The page query joins only the office, the region and the
    category; the smaller code lists come from one query each (on PostgreSQL, planning a
    seven-table join costs about 20 ms, more than running it)."""
    people = list(people)
    full = sees_full_nik(user)

    def by_id(model: type[models.Model], ids: set[Any]) -> dict[Any, Any]:
        ids.discard(None)
        return {obj.pk: obj for obj in model._default_manager.filter(pk__in=ids)} if ids else {}

    statuses = by_id(EmploymentStatus, {p.employment_status_id for p in people})
    levels = by_id(EducationLevel, {p.education_level_id for p in people})
    fields = by_id(FieldOfStudy, {p.field_of_study_id for p in people})
    rows = []
    for p in people:
        education = " · ".join(
            x
            for x in (
                code_label(levels.get(p.education_level_id)),
                code_label(fields.get(p.field_of_study_id)),
            )
            if x
        )
        rows.append(
            PersonRow(
                person=p,
                nik=p.nik if full else mask_nik(p.nik),
                category=code_label(p.category),
                education=education,
                status=code_label(statuses.get(p.employment_status_id)),
            )
        )
    return rows


# --- change history ----------------------------------------------------------------------------

ACTION_LABELS: dict[str, Any] = {
    "create": gettext_lazy("Data dibuat"),
    "update": gettext_lazy("Data diubah"),
    "delete": gettext_lazy("Data dihapus"),
    "education.add": gettext_lazy("Riwayat pendidikan ditambahkan"),
    "education.delete": gettext_lazy("Riwayat pendidikan dihapus"),
    "employment.add": gettext_lazy("Riwayat pekerjaan ditambahkan"),
    "employment.end": gettext_lazy("Riwayat pekerjaan diakhiri"),
}
EXTRA_LABELS: dict[str, Any] = {
    "education": gettext_lazy("riwayat pendidikan"),
    "employment": gettext_lazy("riwayat pekerjaan"),
    "closed_employment": gettext_lazy("riwayat pekerjaan yang ditutup"),
}
# Which model an id in a change refers to, by field name (in a person or a nested record).
FK_MODELS: dict[str, type[models.Model]] = {
    "region": Region,
    "domicile_region": Region,
    "organisation": Organisation,
    "category": WorkforceCategory,
    "employment_status": EmploymentStatus,
    "education_level": EducationLevel,
    "field_of_study": FieldOfStudy,
    "level": EducationLevel,
    "field": FieldOfStudy,
}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    event: AuditEvent
    action: str
    channel: str
    actor: str
    changes: list[Change] = field(default_factory=list)


class _Names:
    """Names for the ids found in a batch of changes, fetched with one query per model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = {}
        self.names: dict[tuple[type[models.Model], str], str] = {}

    def want(self, name: str, value: Any) -> None:
        model = FK_MODELS.get(name)
        if name == "user":
            model = get_user_model()
        if model is not None and value not in (None, ""):
            self.wanted.setdefault(model, set()).add(value)

    def fetch(self) -> None:
        for model, ids in self.wanted.items():
            for obj in model._default_manager.filter(pk__in=list(ids)):
                self.names[(model, str(obj.pk))] = self._name(obj)

    @staticmethod
    def _name(obj: Any) -> str:
        if isinstance(obj, Region):
            return f"{obj.code} {obj.name}"
        if hasattr(obj, "name_en"):
            return code_label(obj)
        if hasattr(obj, "get_username"):
            return str(obj.get_username())
        return str(obj)

    def get(self, name: str, value: Any) -> str | None:
        model = get_user_model() if name == "user" else FK_MODELS.get(name)
        if model is None:
            return None
        return self.names.get((model, str(value)), f"#{value}")


def _label(name: str, model: type[models.Model] = Person) -> str:
    if name in EXTRA_LABELS:
        return capfirst(str(EXTRA_LABELS[name]))
    try:
        model_field: Any = model._meta.get_field(name)
        return capfirst(str(model_field.verbose_name))
    except Exception:  # a field of another app's change (merge, import): show its key
        return name


def _date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.date):
        return str(formats.date_format(value, "j M Y"))
    return str(value)


class HistoryFormatter:
    def __init__(self, user: Any) -> None:
        self.full_nik = sees_full_nik(user)
        self.names = _Names()

    def collect(self, key: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                self.names.want(k, v)
        else:
            self.names.want(key, value)

    def value(self, key: str, value: Any, model: type[models.Model] = Person) -> str:
        if value is None or value == "":
            return EMPTY
        if key == "nik":
            return str(value) if self.full_nik else mask_nik(str(value))
        if key == "sex":
            return str(dict(Sex.choices).get(value, value))
        if isinstance(value, bool):
            return _("Ya") if value else _("Tidak")
        if key in ("education", "employment") and isinstance(value, dict):
            record_model: type[models.Model] = (
                EducationRecord if key == "education" else EmploymentRecord
            )
            parts = []
            for k, v in value.items():
                if v in (None, ""):
                    continue
                parts.append(f"{_label(k, record_model)}: {self.value(k, v, record_model)}")
            return "; ".join(parts) or EMPTY
        if key == "closed_employment" and isinstance(value, list):
            return ", ".join(f"#{v}" for v in value)
        name = self.names.get(key, value)
        if name is not None:
            return name
        if key.endswith("_date") or key in ("start_date", "end_date"):
            return _date(value)
        if isinstance(value, list | dict):
            return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        return str(value)


def with_created_values(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """``events`` with the values of each person creation event that stored none (a bulk
    import's: it records the file and sheet row) filled in, in memory, as
    :func:`sdmkesos.core.audit.created_values` reconstructs them; such an event then reads like
    any other creation event ("field": [null, value])."""
    events = list(events)
    for event in events:
        if event.action != "create" or event.object_type != PERSON_TYPE or event.changes:
            continue
        newest_first = list(AuditEvent.objects.filter(
            object_type=PERSON_TYPE, object_id=event.object_id).order_by("-at", "-id"))
        later = newest_first[:[e.pk for e in newest_first].index(event.pk)]
        person = Person.objects.filter(pk=event.object_id).first()
        current = audit.snapshot(person, PERSON_FIELDS) if person is not None else None
        event.changes = {key: [None, value] for key, value in
                         audit.created_values(later, current, PERSON_FIELDS).items()}
    return events


def history_rows(user: Any, events: Iterable[AuditEvent]) -> list[HistoryRow]:
    """Audit events of a person, readable: labels, names and dates instead of ids."""
    events = with_created_values(events)
    fmt = HistoryFormatter(user)
    for event in events:
        for key, pair in (event.changes or {}).items():
            if isinstance(pair, list | tuple) and len(pair) == 2:
                fmt.collect(key, pair[0])
                fmt.collect(key, pair[1])
    fmt.names.fetch()
    channels = dict(Channel.choices)
    rows = []
    for event in events:
        row = HistoryRow(
            event=event,
            action=str(ACTION_LABELS.get(event.action, event.action)),
            channel=str(channels.get(event.channel, event.channel)),
            actor=event.actor_label or EMPTY,
        )
        for key, pair in (event.changes or {}).items():
            if isinstance(pair, list | tuple) and len(pair) == 2:
                before, after = pair
            else:
                before, after = None, pair
            row.changes.append(
                Change(
                    label=_label(key), before=fmt.value(key, before), after=fmt.value(key, after)
                )
            )
        rows.append(row)
    return rows
