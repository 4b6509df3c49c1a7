"""Property: whatever order of enrolments and withdrawals, a batch never seats more people than
its capacity, and a freed seat goes to the first on the waiting list."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdmkesos.core.errors import DomainError
from sdmkesos.training import actions
from sdmkesos.training.models import Nomination

from . import factories as f

SEATED = ("terdaftar", "lulus", "tidak_lulus")


@pytest.fixture
def crowd(users, make_person):
    actor = users["jatim"]
    prog = f.programme(actor, categories=())
    people = [make_person("35.07") for _ in range(6)]
    return actor, prog, people


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(capacity=st.integers(1, 4),
       steps=st.lists(st.tuples(st.sampled_from(["enrol", "withdraw"]), st.integers(0, 5)),
                      max_size=14))
def test_never_over_capacity(crowd, capacity, steps):
    actor, prog, people = crowd
    with transaction.atomic():
        batch = f.batch(actor, prog, capacity=capacity)
        noms = []
        for person in people:
            n = actions.do_nominate(actor=actor, channel="cli", batch=batch, person=person)
            noms.append(actions.do_decide_nomination(actor=actor, channel="cli", nomination=n,
                                                     approve=True))
        for op, i in steps:
            n = Nomination.objects.get(pk=noms[i].pk)
            waiting_before = list(batch.nominations.filter(status="daftar_tunggu")
                                  .order_by("waitlist_position").values_list("id", flat=True))
            was_seated = n.status == "terdaftar"
            try:
                if op == "enrol":
                    actions.do_enrol(actor=actor, channel="cli", nomination=n)
                else:
                    actions.do_withdraw(actor=actor, channel="cli", nomination=n)
            except DomainError:
                pass
            seated = batch.nominations.filter(status__in=SEATED).count()
            assert seated <= capacity
            if op == "withdraw" and was_seated and waiting_before:
                promoted = Nomination.objects.get(pk=waiting_before[0])
                assert promoted.status == "terdaftar"
        transaction.set_rollback(True)
