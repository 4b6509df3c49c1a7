"""dedup actions: proposing pairs, rejecting (never again), confirming (merge), scope."""

from __future__ import annotations

import datetime as dt

import pytest

from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import AuditEvent, EducationLevel, Organisation
from sdmkesos.dedup import actions
from sdmkesos.dedup.linkage import Pair
from sdmkesos.dedup.models import CandidatePair, MergeRecord, PairStatus
from sdmkesos.people.models import EducationRecord, EmploymentRecord, Person


def test_record_pairs_orders_ids_and_updates_pending(users, make_person):
    a, b = make_person("35.07"), make_person("35.07")
    new = actions.do_record_pairs(actor=users["kabmalang"], channel="web",
                                  pairs=[Pair(str(b.pk), str(a.pk), 0.8)])
    assert new == 1
    pair = CandidatePair.objects.get()
    assert (pair.left_pid, pair.right_pid) == (min(a.pk, b.pk), max(a.pk, b.pk))
    assert pair.status == PairStatus.PROPOSED
    assert actions.do_record_pairs(actor=users["kabmalang"], channel="web",
                                   pairs=[Pair(str(a.pk), str(b.pk), 0.95)]) == 0
    pair.refresh_from_db()
    assert pair.probability == 0.95
    assert AuditEvent.objects.filter(action="dedup.pairs.propose").count() == 2


def test_record_pairs_skips_people_outside_the_actor_scope(users, make_person):
    a, b = make_person("35.07"), make_person("35.78")
    assert actions.do_record_pairs(actor=users["kabmalang"], channel="web",
                                   pairs=[Pair(str(a.pk), str(b.pk), 0.9)]) == 0
    assert not CandidatePair.objects.exists()


def test_read_only_roles_cannot_propose_or_review(users, make_pair):
    pair = make_pair("35.07")
    for role in ("viewer", "bbppks", "pekerja"):
        with pytest.raises(DomainError) as err:
            actions.do_reject_pair(actor=users[role], channel="web", pair=pair)
        assert err.value.code == "forbidden"


def test_rejected_pair_is_never_proposed_again(users, make_pair):
    pair = make_pair("35.07")
    actions.do_reject_pair(actor=users["kabmalang"], channel="web", pair=pair, note="beda ayah")
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED and pair.reviewer == users["kabmalang"]
    assert actions.do_record_pairs(actor=None, channel="system", pairs=[
        Pair(str(pair.left_pid), str(pair.right_pid), 0.999)]) == 0
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED and pair.probability == 0.97
    events = AuditEvent.objects.filter(action="dedup.reject")
    assert {e.object_id for e in events} == {str(pair.left_pid), str(pair.right_pid)}
    with pytest.raises(DomainError) as err:
        actions.do_reject_pair(actor=users["kabmalang"], channel="web", pair=pair)
    assert err.value.code == "pair_already_reviewed"
    assert "sudah ditinjau" in err.value.message


def test_confirm_merges_histories_fills_blanks_and_keeps_the_nik_alias(users, make_pair):
    pair = make_pair("35.07")
    left, right = Person.objects.get(pk=pair.left_pid), Person.objects.get(pk=pair.right_pid)
    right.phone = "08123456789"
    right.save()
    EducationRecord.objects.create(person=right, level=EducationLevel.objects.get(code="s1"),
                                   institution="Poltekesos")
    jobs_before = EmploymentRecord.objects.filter(person__in=[left, right]).count()
    merge = actions.do_confirm_pair(actor=users["kabmalang"], channel="web", pair=pair,
                                    keep="left", note="sama")
    assert not Person.objects.filter(pk=right.pk).exists()
    kept = Person.objects.get(pk=left.pk)
    assert kept.phone == "08123456789"
    assert EmploymentRecord.objects.filter(person=kept).count() == jobs_before
    assert EducationRecord.objects.filter(person=kept, institution="Poltekesos").exists()
    assert kept.education_level.code == "s1"  # derived fields refreshed
    assert merge.removed_nik == right.nik and merge.kept_pid == left.pk
    assert merge.moved["education"] == 1
    assert actions.aliases(kept) == [right.nik]
    assert actions.person_by_alias(users["kabmalang"], right.nik) == kept
    pair.refresh_from_db()
    assert pair.status == PairStatus.CONFIRMED and pair.right_id is None
    assert pair.right_pid == right.pk  # the ids stay, so the pair stays recorded
    kept_event = AuditEvent.objects.get(action="merge.keep", object_id=str(kept.pk))
    assert kept_event.changes["merged_from"][1]["nik"] == right.nik
    assert kept_event.changes["phone"] == ["", "08123456789"]
    removed_event = AuditEvent.objects.get(action="merge.remove", object_id=str(right.pk))
    assert removed_event.changes["nik"] == [right.nik, None]


def test_confirm_keeping_the_right_record(users, make_pair):
    pair = make_pair("35.07")
    merge = actions.do_confirm_pair(actor=users["kabmalang"], channel="api", pair=pair,
                                    keep="right")
    assert merge.kept_pid == pair.right_pid
    assert Person.objects.filter(pk=pair.right_pid).exists()
    assert not Person.objects.filter(pk=pair.left_pid).exists()


def test_confirm_moves_the_nip_and_account_when_the_kept_record_has_none(users, make_person):
    left = make_person("35.07", name="Budi")
    right = make_person("35.07", name="Budi, S.Sos", civil_servant=True)
    actions.do_record_pairs(actor=None, channel="system",
                            pairs=[Pair(str(left.pk), str(right.pk), 0.9)])
    pair = CandidatePair.objects.get()
    nip = right.nip
    actions.do_confirm_pair(actor=users["kabmalang"], channel="web", pair=pair, keep="left")
    assert Person.objects.get(pk=left.pk).nip == nip


def test_confirm_drops_other_pending_pairs_of_the_removed_person(users, make_person):
    a, b, c = (make_person("35.07") for _ in range(3))
    actions.do_record_pairs(actor=None, channel="system", pairs=[
        Pair(str(a.pk), str(b.pk), 0.9), Pair(str(b.pk), str(c.pk), 0.8)])
    first = CandidatePair.objects.get(left_pid=a.pk)
    actions.do_confirm_pair(actor=users["kabmalang"], channel="web", pair=first, keep="left")
    assert not CandidatePair.objects.filter(left_pid=b.pk, status=PairStatus.PROPOSED).exists()


def test_confirm_needs_both_people_in_scope(users, make_pair):
    pair = make_pair("35.07", "35.78")
    with pytest.raises(DomainError) as err:
        actions.do_confirm_pair(actor=users["kabmalang"], channel="web", pair=pair)
    assert err.value.code == "out_of_scope"
    assert Person.objects.filter(pk__in=[pair.left_pid, pair.right_pid]).count() == 2
    merge = actions.do_confirm_pair(actor=users["jatim"], channel="web", pair=pair)
    assert MergeRecord.objects.get() == merge


def test_invalid_keep_is_refused_naming_the_field(users, make_pair):
    pair = make_pair("35.07")
    with pytest.raises(DomainError) as err:
        actions.do_confirm_pair(actor=users["kabmalang"], channel="web", pair=pair, keep="both")
    assert err.value.code == "invalid_keep" and err.value.field == "keep"


def test_registry_records_follow_the_scope(users, make_person):
    inside, outside = make_person("35.07"), make_person("32.04")
    ids = {r.record_id for r in actions.registry_records(users["kabmalang"])}
    assert str(inside.pk) in ids and str(outside.pk) not in ids
    everyone = {r.record_id for r in actions.registry_records(None)}
    assert {str(inside.pk), str(outside.pk)} <= everyone


def test_to_link_record_uses_the_organisation_region():
    org = Organisation(code="X", name="X", region_id="35.07")
    record = actions.to_link_record("r1", {"name": "Ali", "organisation": org,
                                           "birth_date": dt.date(1980, 1, 1)})
    assert record.region == "35.07" and record.name == "Ali"


def test_a_second_run_while_one_is_under_way_returns_that_one(users):
    from sdmkesos.dedup.models import LinkageRun, RunStatus

    running = LinkageRun.objects.create(started_by=users["kabmalang"], threshold=0.5,
                                        status=RunStatus.RUNNING)
    assert actions.do_start_run(actor=users["kabmalang"], channel="web") == running
    assert LinkageRun.objects.count() == 1


def test_start_run_refuses_a_bad_threshold_and_read_only_roles(users):
    with pytest.raises(DomainError) as err:
        actions.do_start_run(actor=users["kabmalang"], channel="web", threshold=1.5)
    assert err.value.code == "invalid_threshold" and err.value.field == "threshold"
    with pytest.raises(DomainError) as err:
        actions.do_start_run(actor=users["viewer"], channel="web")
    assert err.value.code == "forbidden"


def test_a_failing_run_is_marked_failed_with_its_error(users, monkeypatch):
    from sdmkesos.dedup import linkage
    from sdmkesos.dedup.models import LinkageRun, RunStatus

    def broken(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(linkage, "link_records", broken)
    run = LinkageRun.objects.create(started_by=users["kabmalang"], threshold=0.5)
    run = actions.do_execute_run(run=run)
    assert run.status == RunStatus.FAILED and "out of memory" in run.error
    assert run.finished_at is not None
