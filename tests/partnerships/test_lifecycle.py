import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdmkesos.partnerships import lifecycle as lc

D = dt.date


def test_statuses_along_the_calendar():
    start, end = D(2024, 1, 1), D(2026, 12, 31)
    assert lc.effective_status("draft", start, end, D(2025, 1, 1)) == "draft"
    assert lc.effective_status("terminated", start, end, D(2025, 1, 1)) == "terminated"
    assert lc.effective_status("signed", start, end, D(2023, 12, 31)) == "signed"
    assert lc.effective_status("signed", start, end, D(2025, 1, 1)) == "active"
    assert lc.effective_status("signed", start, end, D(2025, 1, 1), extended=True) == "extended"
    assert lc.effective_status("signed", start, end, end - dt.timedelta(days=91)) == "active"
    assert lc.effective_status("signed", start, end, end - dt.timedelta(days=90)) == "expiring"
    assert lc.effective_status("signed", start, end, end) == "expiring"
    assert lc.effective_status("signed", start, end, end + dt.timedelta(days=1)) == "expired"


def test_reminders_at_90_and_30_days():
    end = D(2026, 6, 30)
    assert lc.reminder_due("signed", end, end - dt.timedelta(days=91)) is None
    assert lc.reminder_due("signed", end, end - dt.timedelta(days=90)) == 90
    assert lc.reminder_due("signed", end, end - dt.timedelta(days=31)) == 90
    assert lc.reminder_due("signed", end, end - dt.timedelta(days=30)) == 30
    assert lc.reminder_due("signed", end, end) == 30
    assert lc.reminder_due("signed", end, end + dt.timedelta(days=1)) is None
    assert lc.reminder_due("draft", end, end) is None


@given(st.sampled_from(lc.STATES), st.dates(), st.integers(0, 4000), st.dates(), st.booleans())
def test_status_is_always_known_and_consistent(state, start, length, today, extended):
    end = start + dt.timedelta(days=length) if start.year < 9000 else start
    status = lc.effective_status(state, start, end, today, extended)
    assert status in lc.STATUSES
    if state == "signed" and start <= today <= end:
        assert status in {"active", "expiring", "extended"}
        assert (status == "expiring") == ((end - today).days <= lc.EXPIRING_DAYS)
    due = lc.reminder_due(state, end, today)
    assert due is None or (state == "signed" and 0 <= (end - today).days <= due)


def test_transitions():
    assert lc.allowed_transition("draft", "signed")
    assert lc.allowed_transition("signed", "terminated")
    assert not lc.allowed_transition("terminated", "signed")
    assert not lc.allowed_transition("signed", "draft")


def test_overdue_and_ratio():
    assert lc.is_overdue("open", D(2020, 1, 1), D(2020, 1, 2))
    assert not lc.is_overdue("done", D(2020, 1, 1), D(2020, 1, 2))
    assert not lc.is_overdue("open", None, D(2020, 1, 2))
    assert lc.delivery_ratio(0, 5) is None
    assert lc.delivery_ratio(10, 5) == 0.5


@pytest.mark.parametrize(("month", "roman"), [(1, "I"), (4, "IV"), (9, "IX"), (12, "XII")])
def test_roman_month(month, roman):
    assert lc.roman_month(month) == roman


def test_letter_number_pattern():
    assert lc.format_number("{seq:03d}/{kode}/{bulan}/{tahun}", seq=7, code="POLTEKESOS",
                            date=D(2018, 4, 12)) == "007/POLTEKESOS/IV/2018"
