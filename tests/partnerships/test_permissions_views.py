"""Every partnership page for every role, with records inside and outside the role's scope:
lists show only in-scope rows, details are 200 inside and 404 outside, writes by read-only roles
are 403 and change nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from sdmkesos.core.models import AuditEvent
from sdmkesos.partnerships import actions
from sdmkesos.partnerships.models import Agreement

from .conftest import org

pytestmark = pytest.mark.django_db

# role → (region inside, region outside); None: nothing inside (worker) / nothing outside.
CASES = {
    "nasional": ("35.07", None),
    "jatim": ("35", "32"),
    "kabmalang": ("35.07", "35"),
    "bbppks": ("13", "35"),
    "viewer": ("35.07", "32"),
    "pekerja": (None, "35.07"),
    "jabar": ("32.04", "35"),
    "kabbandung": ("32.04", "32.73"),
}
WRITERS = {"nasional", "jatim", "kabmalang", "jabar", "kabbandung"}


def _records(users, make_agreement, make_meeting, region, label):
    agreement = make_agreement(region, title=f"Perjanjian {label}", number=f"N-{label}")
    _m, res, item = make_meeting(region, organiser="KEMENSOS")
    item.title = f"Aksi {label}"
    item.save()
    appointment = actions.do_create_appointment(
        actor=users["nasional"], channel="web",
        data={"official_name": f"Pejabat {label}", "position": "Kabid",
              "organisation": org(f"DINSOS-{region}"), "decree_number": f"SK-{label}",
              "decree_date": dt.date(2020, 1, 1), "appointed_on": dt.date(2020, 1, 2)})
    return {"agreement": agreement, "meeting": _m, "resolution": res, "action": item,
            "appointment": appointment}


@pytest.mark.parametrize("role", sorted(CASES))
def test_views_matrix(client, users, make_agreement, make_meeting, role):
    user = users[role]
    inside_region, outside_region = CASES[role]
    inside = (_records(users, make_agreement, make_meeting, inside_region, "Dalam")
              if inside_region else None)
    outside = (_records(users, make_agreement, make_meeting, outside_region, "Luar")
               if outside_region else None)
    client.force_login(user)
    lists = {"partnerships:agreement_list": "Perjanjian", "partnerships:action_list": "Aksi",
             "partnerships:appointment_list": "Pejabat"}
    for name, word in lists.items():
        html = client.get(reverse(name)).content.decode()
        assert (f"{word} Dalam" in html) is (inside is not None), (name, role)
        assert f"{word} Luar" not in html, (name, role)
    for name in ("partnerships:dashboard", "partnerships:meeting_list",
                 "partnerships:letter_list", "partnerships:notifications",
                 "partnerships:pact_texts"):
        assert client.get(reverse(name)).status_code == 200, name
    details = {"agreement": "partnerships:agreement_detail",
               "meeting": "partnerships:meeting_detail",
               "action": "partnerships:action_detail",
               "appointment": "partnerships:appointment_detail"}
    for key, name in details.items():
        if inside is not None:
            assert client.get(reverse(name, args=[inside[key].pk])).status_code == 200, name
        if outside is not None:
            assert client.get(reverse(name, args=[outside[key].pk])).status_code == 404, name
    # Exports follow the same scope.
    csv = client.get(reverse("partnerships:agreement_list") + "?format=csv").content.decode()
    assert "Perjanjian Luar" not in csv

    writer = role in WRITERS
    before = AuditEvent.objects.count()
    if inside is not None:
        a = inside["agreement"]
        r = client.post(reverse("partnerships:agreement_edit", args=[a.pk]), {
            "kind": "mou", "number": a.number, "title": "Judul baru"})
        assert r.status_code == (302 if writer else 403), role
        a.refresh_from_db()
        assert (a.title == "Judul baru") is writer
        r = client.post(reverse("partnerships:action_detail", args=[inside["action"].pk]),
                        {"status": "in_progress", "note": "mulai"})
        assert r.status_code == (302 if writer else 403), role
    for name in ("partnerships:agreement_create", "partnerships:meeting_create",
                 "partnerships:appointment_create", "partnerships:letter_create"):
        assert client.get(reverse(name)).status_code == (200 if writer else 403), name
    child_pages = [("partnerships:party_add", "agreement"),
                   ("partnerships:funding_add", "agreement"),
                   ("partnerships:plan_add", "agreement"),
                   ("partnerships:delivery_add", "agreement"),
                   ("partnerships:research_add", "agreement"),
                   ("partnerships:document_upload", "agreement"),
                   ("partnerships:meeting_edit", "meeting"),
                   ("partnerships:session_add", "meeting"),
                   ("partnerships:participant_add", "meeting"),
                   ("partnerships:participant_import", "meeting"),
                   ("partnerships:resolution_add", "meeting"),
                   ("partnerships:action_add", "resolution"),
                   ("partnerships:letter_create_for_action", "action")]
    for name, key in child_pages:
        if inside is not None:
            status = client.get(reverse(name, args=[inside[key].pk])).status_code
            if key in ("meeting", "resolution"):
                # Meetings are changed by their organiser (Kemensos here): national only.
                assert status == (200 if role == "nasional" else 403 if not writer else 404), (
                    name, role, status)
            else:
                assert status == (200 if writer else 403), (name, role, status)
        if outside is not None:
            status = client.get(reverse(name, args=[outside[key].pk])).status_code
            assert status == (404 if writer else 403), (name, role, status)
    if inside is not None:
        r = client.post(reverse("partnerships:agreement_transition",
                                args=[inside["agreement"].pk]),
                        {"action": "terminate", "reason": "uji"})
        assert r.status_code == (302 if writer else 403)
    if not writer:
        assert AuditEvent.objects.count() == before
    if outside is not None and writer:
        a = outside["agreement"]
        r = client.post(reverse("partnerships:agreement_edit", args=[a.pk]),
                        {"kind": "mou", "number": a.number, "title": "Bobol"})
        assert r.status_code == 404
        assert client.post(reverse("partnerships:action_detail",
                                   args=[outside["action"].pk]),
                           {"status": "done", "evidence": "x"}).status_code == 404
        assert Agreement.objects.get(pk=a.pk).title != "Bobol"


def test_anonymous_redirected_to_login(client):
    r = client.get(reverse("partnerships:agreement_list"))
    assert r.status_code == 302
    assert "login" in r["Location"] or "masuk" in r["Location"]
