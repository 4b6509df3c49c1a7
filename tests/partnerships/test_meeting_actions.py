import datetime as dt

import pytest

from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import AuditEvent
from sdmkesos.partnerships import actions, queries
from sdmkesos.partnerships.models import ActionItem, Meeting, Notification

from .conftest import org

pytestmark = pytest.mark.django_db
D = dt.date


def test_meeting_scope_coverage_and_organiser(users, make_meeting):
    meeting, _res, item = make_meeting("13.71", organiser="BBPPKS-1")
    # BBPPKS Regional I sees its meeting through its organisation scope (a read-only role).
    assert Meeting.objects.restrict(users["bbppks"]).filter(pk=meeting.pk).exists()
    assert not Meeting.objects.restrict(users["bbppks"], "change").exists()
    # The owner's province sees the meeting (coverage) and the item; Jatim does not.
    assert ActionItem.objects.restrict(users["bbppks"]).filter(pk=item.pk).exists()
    assert not Meeting.objects.restrict(users["jatim"]).filter(pk=meeting.pk).exists()
    assert not ActionItem.objects.restrict(users["jatim"]).filter(pk=item.pk).exists()


def test_owner_can_update_action_non_owner_cannot(users, make_meeting):
    _m, _r, item = make_meeting("35.07")
    assert ActionItem.objects.restrict(users["kabmalang"], "change").filter(pk=item.pk).exists()
    with pytest.raises(DomainError) as exc:
        actions.do_update_action(actor=users["kabbandung"], channel="web", item=item,
                                 data={"status": "in_progress"})
    assert exc.value.code == "out_of_scope"
    with pytest.raises(ValidationFailed) as exc2:
        actions.do_update_action(actor=users["kabmalang"], channel="web", item=item,
                                 data={"status": "done"})
    assert exc2.value.errors[0].field == "evidence"
    changes = actions.do_update_action(actor=users["kabmalang"], channel="web", item=item,
                                       data={"status": "done", "evidence": "SK Bupati"},
                                       note="3 pegawai diusulkan")
    assert changes["status"] == ["open", "done"]
    item.refresh_from_db()
    assert item.completed_on is not None
    f = item.followups.get()
    assert (f.status_from, f.status_to, f.text) == ("open", "done", "3 pegawai diusulkan")
    assert AuditEvent.objects.filter(object_type="partnerships.actionitem",
                                     object_id=str(item.pk), action="update").exists()


def test_overdue_flag_and_reminder(users, make_meeting):
    _m, _r, item = make_meeting("35.07", due=D(2019, 1, 31))
    assert item.is_overdue(D(2019, 2, 1)) and not item.is_overdue(D(2019, 1, 31))
    assert ActionItem.objects.filter(queries.overdue_q(D(2019, 2, 1))).count() == 1
    item.responsible_user = users["kabmalang"]
    item.save()
    assert actions.send_reminders(D(2019, 2, 1)) == 1
    assert actions.send_reminders(D(2019, 2, 2)) == 0  # once
    assert Notification.objects.get().user == users["kabmalang"]


def test_next_meeting_links_previous_and_shows_its_actions(users, make_meeting):
    first, _r, item = make_meeting("35.07", start=D(2018, 4, 10))
    second, _r2, _i2 = make_meeting("35.07", start=D(2019, 4, 10))
    assert second.previous == first
    prev = list(queries.previous_actions(second, users["kabmalang"]))
    assert prev == [item]
    assert list(queries.previous_actions(second, users["kabbandung"])) == []


def test_participants_counted_and_cover_regions(users, make_meeting):
    meeting, _r, _i = make_meeting("35.07")
    actions.do_add_participants(actor=users["nasional"], channel="web", meeting=meeting, rows=[
        {"organisation": org("DINSOS-32.04"), "count": 3},
        {"name": "Budi", "organisation_name": "Dinsos X", "count": 1}])
    assert sum(p.count for p in meeting.participants.all()) == 4
    assert Meeting.objects.restrict(users["kabbandung"]).filter(pk=meeting.pk).exists()
    with pytest.raises(ValidationFailed):
        actions.do_add_participants(actor=users["nasional"], channel="web", meeting=meeting,
                                    rows=[{"count": 2}])


def test_action_needs_owner_and_resolution_numbering(users, make_meeting):
    meeting, res, _i = make_meeting("35.07")
    res2 = actions.do_add_resolution(actor=users["nasional"], channel="web", meeting=meeting,
                                     text="Bentuk tim asesor")
    assert res2.number == res.number + 1
    with pytest.raises(ValidationFailed) as exc:
        actions.do_create_action(actor=users["nasional"], channel="web", resolution=res2,
                                 data={"title": "x"}, owners=[])
    assert exc.value.errors[0].field == "owners"


def test_meeting_dates_validated(users):
    with pytest.raises(ValidationFailed) as exc:
        actions.do_create_meeting(actor=users["nasional"], channel="web", data={
            "title": "Rakor", "organiser": org("BBPPKS-1"), "start_date": D(2018, 4, 12),
            "end_date": D(2018, 4, 10)})
    assert exc.value.errors[0].field == "end_date"
    with pytest.raises(DomainError):
        actions.do_create_meeting(actor=users["jatim"], channel="web", data={
            "title": "Rakor", "organiser": org("DINSOS-32"), "start_date": D(2018, 4, 10),
            "end_date": D(2018, 4, 12)})
    m = actions.do_create_meeting(actor=users["jatim"], channel="web", data={
        "title": "Rakor Jatim", "organiser": org("DINSOS-35"), "start_date": D(2018, 4, 10),
        "end_date": D(2018, 4, 12)}, regions=["35.07"])
    assert Meeting.objects.restrict(users["kabmalang"]).filter(pk=m.pk).exists()
    assert not Meeting.objects.restrict(users["kabmalang"], "change").filter(pk=m.pk).exists()


def test_dashboard_counts_by_region(users, make_meeting, make_agreement):
    make_meeting("35.07", due=D(2000, 1, 1))
    make_agreement("35")
    data = queries.dashboard(users["jatim"])
    assert data["agreements"]["total"] == 1
    assert data["actions"]["overdue"] == 1
    row = next(r for r in data["regions"] if r["region"] == "35")
    assert row["agreements"] == 1 and row["overdue"] == 1
    assert queries.dashboard(users["jabar"])["agreements"]["total"] == 0


def test_reminders_fall_back_to_owner_and_party_operators(users, make_meeting, make_agreement):
    make_meeting("35.07", due=D(2019, 1, 31))
    actions.send_reminders(D(2019, 2, 1))
    assert Notification.objects.filter(user=users["kabmalang"], kind="action.overdue").exists()
    a = make_agreement("32")
    a.responsible_users.clear()
    actions.do_sign_agreement(actor=users["nasional"], channel="web", agreement=a,
                              signing_date=D(2020, 1, 1), end_date=D(2025, 1, 1))
    actions.send_reminders(D(2024, 12, 1))
    assert Notification.objects.filter(user=users["jabar"], kind="agreement.expiring").exists()
    assert Notification.objects.filter(user=users["nasional"],
                                       kind="agreement.expiring").exists()


def test_dashboard_drills_down_to_kabkota(users, make_meeting, make_agreement, client):
    make_meeting("35.07", due=D(2000, 1, 1))
    make_agreement("35.07")
    data = queries.dashboard(users["jatim"], province="35")
    row = next(r for r in data["regions"] if r["region"] == "35.07")
    assert row["agreements"] == 1 and row["overdue"] == 1 and row["name"] == "Kabupaten Malang"
    from django.urls import reverse

    client.force_login(users["jatim"])
    html = client.get(reverse("partnerships:dashboard") + "?provinsi=35").content.decode()
    assert "Kabupaten Malang" in html
