"""Training pages for every role: the catalogue for everyone, management pages only for the
organiser's managers (403 otherwise), participants only within the scope, conflicts shown as
messages naming the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sdmkesos.core.models import Organisation
from sdmkesos.training import actions
from sdmkesos.training.models import Batch, Feedback, Nomination, Programme

from . import factories as f

D = dt.date
ROLES = ["nasional", "jatim", "kabmalang", "bbppks", "viewer", "pekerja", "jabar", "kabbandung"]
INSIDE = {"nasional": "35.07", "jatim": "35.73", "kabmalang": "35.07", "bbppks": "13.71",
          "viewer": "35.07", "pekerja": None, "jabar": "32.04", "kabbandung": "32.04"}
OUTSIDE = {"nasional": None, "jatim": "32.04", "kabmalang": "35.73", "bbppks": "35.07",
           "viewer": "32.04", "pekerja": "35.07", "jabar": "35.07", "kabbandung": "32.73"}
MANAGERS = {"nasional", "jatim"}  # of the UPT PTKS Malang batch
WRITERS = {"nasional", "jatim", "kabmalang", "jabar", "kabbandung"}


@pytest.fixture
def world(users):
    admin = users["nasional"]
    prog = f.programme(admin, categories=())
    batch = f.batch(admin, prog, place=f.venue(admin), capacity=5)
    session = actions.do_add_session(actor=admin, channel="cli", batch=batch, date=D(2026, 7, 6))
    return {"programme": prog, "batch": batch, "session": session}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, client, users, make_person, world):
    user = users[role]
    client.force_login(user)
    batch = world["batch"]
    inside = user.person if INSIDE[role] is None else make_person(INSIDE[role],
                                                                  name="Dalam Lingkup")
    outside = make_person(OUTSIDE[role], name="Luar Lingkup") if OUTSIDE[role] else None
    admin = users["nasional"]
    actions.do_nominate(actor=admin, channel="cli", batch=batch, person=inside)
    if outside is not None:
        actions.do_nominate(actor=admin, channel="cli", batch=batch, person=outside)

    for name, args in (("training:batches", []), ("training:programmes", []),
                       ("training:programme", ["PDPS"]), ("training:trainers", []),
                       ("training:venues", []), ("training:schemes", []),
                       ("training:placements", []), ("training:batch", [batch.pk])):
        assert client.get(reverse(name, args=args)).status_code == 200, name

    html = client.get(reverse("training:batch", args=[batch.pk])).content.decode()
    manager = role in MANAGERS
    assert inside.name in html
    if outside is not None:
        assert ("Luar Lingkup" in html) is manager
    for name, args in (("training:batch_edit", [batch.pk]),
                       ("training:attendance", [world["session"].pk]),
                       ("training:programme_edit", ["PDPS"])):
        assert client.get(reverse(name, args=args)).status_code == (200 if manager else 403)

    nomination = Nomination.objects.get(batch=batch, person=inside)
    r = client.post(reverse("training:step", args=[nomination.pk, "setujui"]))
    assert r.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.status == "disetujui") is manager
    assert client.get(reverse("training:result", args=[nomination.pk])).status_code == (
        200 if manager else 403)

    # Nominating: people in the writer's scope, by NIK.
    other = f.batch(admin, world["programme"], start=D(2026, 9, 1), end=D(2026, 9, 2))
    person = inside if INSIDE[role] else make_person("35.07")
    r = client.post(reverse("training:nominate", args=[other.pk]), {"person": person.nik})
    exists = Nomination.objects.filter(batch=other, person=person).exists()
    assert exists is (role in WRITERS)
    if outside is not None:
        r = client.post(reverse("training:nominate", args=[other.pk]), {"person": outside.nik})
        if role in WRITERS:
            assert r.status_code == 400 and "Tidak ada pekerja" in r.content.decode()
        else:
            assert r.status_code == 403

    assert client.get(reverse("training:person", args=[inside.pk])).status_code == 200
    if outside is not None:
        assert client.get(reverse("training:person", args=[outside.pk])).status_code == 404
        hidden = Nomination.objects.get(batch=batch, person=outside)
        r = client.post(reverse("training:step", args=[hidden.pk, "setujui"]))
        assert r.status_code == (302 if manager else 404)


def test_full_web_flow_with_conflict_messages(client, users, make_person):
    client.force_login(users["jatim"])
    upt = Organisation.objects.get(code="UPT-PTKS-MALANG")
    r = client.post(reverse("training:venues"), {"name": "Aula UPT", "organisation": upt.pk,
                                                 "venue_region": "35.73", "capacity": 30,
                                                 "daily_cost": 0})
    assert r.status_code == 302
    from sdmkesos.competency.models import Competency

    comp = Competency.objects.get(code="RS.03")
    r = client.post(reverse("training:programme_create"), {
        "code": "PDPS", "name": "Pelatihan Dasar Pekerjaan Sosial", "type": "teknis",
        "mode": "klasikal", "jp": 40, "days": 5, "organisation": upt.pk,
        "cost_per_participant": "1500000", "is_active": "on", f"lvl_{comp.pk}": "3"})
    assert r.status_code == 302, r.content.decode()[:3000]
    prog = Programme.objects.get(code="PDPS")
    assert prog.competencies.get().resulting_level == 3
    r = client.post(reverse("training:batch_create"), {
        "programme": prog.pk, "start_date": "2026-07-06", "end_date": "2026-07-10",
        "capacity": 1, "funding_source": "apbd", "status": "dibuka", "allow_waitlist": "on"})
    assert r.status_code == 302
    batch = Batch.objects.get(programme=prog)
    assert batch.organisation == upt and batch.number == 1
    r = client.post(reverse("training:trainers"), {"name": "Bu Widya", "kind": "widyaiswara",
                                                   "organisation": upt.pk,
                                                   "max_days_per_year": 100})
    trainer_id = int(r["Location"].rstrip("/").rsplit("/", 1)[1])
    client.post(reverse("training:trainer_add", args=[batch.pk]), {"trainer": trainer_id})
    clash = f.batch(users["jatim"], prog, start=D(2026, 7, 8), end=D(2026, 7, 9))
    r = client.post(reverse("training:trainer_add", args=[clash.pk]), {"trainer": trainer_id})
    assert r.status_code == 400 and "bertumpuk" in r.content.decode()
    r = client.post(reverse("training:session_add", args=[batch.pk]),
                    {"date": "2026-07-06", "topic": "Pembukaan", "jp": 2})
    assert r.status_code == 302
    a, b = make_person("35.07", name="Peserta Satu"), make_person("35.07", name="Peserta Dua")
    for p in (a, b):
        assert client.post(reverse("training:nominate", args=[batch.pk]),
                           {"person": p.nik}).status_code == 302
        n = Nomination.objects.get(batch=batch, person=p)
        client.post(reverse("training:step", args=[n.pk, "setujui"]))
        client.post(reverse("training:step", args=[n.pk, "daftarkan"]), follow=True)
    na, nb = (Nomination.objects.get(batch=batch, person=p) for p in (a, b))
    assert (na.status, nb.status) == ("terdaftar", "daftar_tunggu")
    # The same person in an overlapping batch is refused with the reason shown.
    r = client.post(reverse("training:nominate", args=[clash.pk]), {"person": a.nik})
    assert r.status_code == 400 and "bertumpuk" in r.content.decode()
    session = batch.sessions.get()
    r = client.post(reverse("training:attendance", args=[session.pk]), {f"n{na.pk}": "hadir"})
    assert r.status_code == 302 and na.attendance.get().status == "hadir"
    r = client.post(reverse("training:result", args=[na.pk]),
                    {"s-pre_test": "50", "s-post_test": "90", "scores": "1"})
    assert r.status_code == 302
    r = client.post(reverse("training:result", args=[na.pk]),
                    {"c-passed": "1", "c-completed_on": "2026-07-10",
                     "c-certificate_number": "PDPS-1", "outcome": "1"})
    assert r.status_code == 302
    na.refresh_from_db()
    assert na.status == "lulus" and na.post_test == 90
    html = client.get(reverse("competency:person", args=[a.pk])).content.decode()
    assert "Hasil pelatihan" in html
    # The participant gives feedback through their own account.
    previous = users["pekerja"].person
    previous.user = None
    previous.save()
    a.user = users["pekerja"]
    a.save()
    client.force_login(users["pekerja"])
    assert "Beri umpan balik" in client.get(reverse("training:person", args=[a.pk])
                                            ).content.decode()
    r = client.post(reverse("training:feedback", args=[na.pk]), {"rating": "5",
                                                                 "comments": "Bagus"})
    assert r.status_code == 302 and Feedback.objects.get(nomination=na).rating == 5


def test_scholarship_and_placement_pages(client, users, make_person):
    client.force_login(users["nasional"])
    poltek = Organisation.objects.get(code="POLTEKESOS")
    r = client.post(reverse("training:schemes"), {
        "name": "Beasiswa S2", "degree": "s2", "institution": poltek.pk,
        "study_programme": "Pekerjaan Sosial", "sponsor": "Pemprov Jatim",
        "funding_source": "apbd", "intake_year": 2026, "quota": 2, "organisation": poltek.pk})
    assert r.status_code == 302
    scheme_url = r["Location"]
    person = make_person("35.07", name="Calon Penerima")
    client.force_login(users["kabmalang"])
    assert client.post(scheme_url, {"person": person.nik}).status_code == 302
    client.force_login(users["nasional"])
    from sdmkesos.training.models import Scholar

    scholar = Scholar.objects.get(person=person)
    client.post(reverse("training:scholar_status", args=[scholar.pk]), {"status": "diterima"})
    scholar.refresh_from_db()
    assert scholar.status == "diterima"
    client.force_login(users["kabmalang"])
    assert client.post(reverse("training:scholar_status", args=[scholar.pk]),
                       {"status": "berhenti"}).status_code == 403
    r = client.post(reverse("training:placements"), {
        "student_name": "Mahasiswa Praktik", "institution": poltek.pk,
        "host": Organisation.objects.get(code="DINSOS-35.07").pk, "start_date": "2026-08-01",
        "end_date": "2026-09-30", "status": "rencana"})
    assert r.status_code == 302
    assert "Mahasiswa Praktik" in client.get(reverse("training:placements")).content.decode()
    client.force_login(users["kabbandung"])
    assert "Mahasiswa Praktik" not in client.get(reverse("training:placements")
                                                 ).content.decode()


def test_worker_shortcuts(client, users):
    client.force_login(users["pekerja"])
    own = users["pekerja"].person
    r = client.get(reverse("competency:me"))
    assert r.status_code == 302 and r["Location"] == reverse("competency:person", args=[own.pk])
    r = client.get(reverse("training:me"))
    assert r.status_code == 302 and r["Location"] == reverse("training:person", args=[own.pk])
    page = client.get(reverse("training:person", args=[own.pk])).content.decode()
    assert "Kompetensi saya" in page
    client.force_login(users["jatim"])
    assert client.get(reverse("training:me")).status_code == 404
