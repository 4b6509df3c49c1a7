"""Agreement status and reminder rules. Pure Python (no Django): fast to test, reusable.

An agreement's *stored* state is what people decide (draft, signed, terminated; an extension moves
the end date and marks it extended). Its *status* follows from that state and the calendar:

* ``draft`` and ``terminated`` stay as they are;
* a signed agreement is ``signed`` before its start date, ``expired`` after its end date,
  ``expiring`` within ``EXPIRING_DAYS`` days of its end, otherwise ``active`` (``extended`` when
  its end date was moved by an extension).

Reminders go out when the days left reach a threshold (90, then 30): a reminder is due for the
smallest threshold the agreement has crossed, once per threshold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DRAFT = "draft"
SIGNED = "signed"
ACTIVE = "active"
EXPIRING = "expiring"
EXPIRED = "expired"
TERMINATED = "terminated"
EXTENDED = "extended"

STATES = (DRAFT, SIGNED, TERMINATED)
STATUSES = (DRAFT, SIGNED, ACTIVE, EXPIRING, EXPIRED, TERMINATED, EXTENDED)
EXPIRING_DAYS = 90
REMINDER_DAYS = (90, 30)
# Action items
OPEN = "open"
IN_PROGRESS = "in_progress"
DONE = "done"
CANCELLED = "cancelled"
CLOSED_ACTION_STATUSES = frozenset({DONE, CANCELLED})


@dataclass(frozen=True)
class Dates:
    start: dt.date | None
    end: dt.date | None


def effective_status(state: str, start: dt.date | None, end: dt.date | None, today: dt.date,
                     extended: bool = False) -> str:
    """The status shown and filtered on, from the stored state and the calendar."""
    if state in (DRAFT, TERMINATED):
        return state
    if start is not None and today < start:
        return SIGNED
    if end is None:
        return EXTENDED if extended else ACTIVE
    if today > end:
        return EXPIRED
    if (end - today).days <= EXPIRING_DAYS:
        return EXPIRING
    return EXTENDED if extended else ACTIVE


def days_left(end: dt.date | None, today: dt.date) -> int | None:
    return None if end is None else (end - today).days


def reminder_due(state: str, end: dt.date | None, today: dt.date,
                 thresholds: tuple[int, ...] = REMINDER_DAYS) -> int | None:
    """The reminder threshold (90 or 30) whose notice is due today, or None. A notice is for the
    smallest threshold not smaller than the days left, so a run that missed the 90-day day still
    sends the 90-day notice later (deduplicated by the caller) and 30 takes over at 30 days."""
    if state != SIGNED or end is None:
        return None
    left = (end - today).days
    if left < 0:
        return None
    crossed = [t for t in thresholds if left <= t]
    return min(crossed) if crossed else None


def allowed_transition(state: str, target: str) -> bool:
    """Which decided changes are allowed: draft → signed; signed → terminated; signed → signed
    (an extension keeps it signed). Terminated and the calendar statuses are final for users."""
    return (state, target) in {(DRAFT, SIGNED), (SIGNED, TERMINATED), (DRAFT, TERMINATED)}


def is_overdue(status: str, due: dt.date | None, today: dt.date) -> bool:
    return status not in CLOSED_ACTION_STATUSES and due is not None and due < today


def delivery_ratio(planned: float, delivered: float) -> float | None:
    """Delivered over planned (1.0 = as planned); None when nothing was planned."""
    if planned <= 0:
        return None
    return delivered / planned


ROMAN = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman_month(month: int) -> str:
    if not 1 <= month <= 12:
        raise ValueError(month)
    out = ""
    for value, numeral in ROMAN:
        while month >= value:
            out += numeral
            month -= value
    return out


def format_number(pattern: str, *, seq: int, code: str, date: dt.date) -> str:
    """A letter number from a pattern: ``{seq}``, ``{seq:03d}``, ``{kode}``, ``{bulan}`` (Roman
    month, as Indonesian letters write it), ``{bulan_angka}``, ``{tahun}``."""
    return pattern.format(seq=seq, kode=code, bulan=roman_month(date.month),
                          bulan_angka=f"{date.month:02d}", tahun=date.year)
