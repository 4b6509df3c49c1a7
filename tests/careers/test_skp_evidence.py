"""SKP realisation evidence as an uploaded file: type and size checked by content, kept in the
private storage (no URL serves it), downloadable only by the person, the supervisors named on
the SKP and HR roles in scope — on the web and through the API."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.functional import empty

from sdmkesos.careers import actions
from sdmkesos.careers.models import SkpRealisation
from sdmkesos.core.choices import Role
from sdmkesos.core.errors import DomainError
from sdmkesos.core.models import AuditEvent
from sdmkesos.partnerships.models import private_storage
from tests.api_helpers import as_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.SDMKESOS_PRIVATE_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.fixture
def team(users, make_person, make_user, jf):
    boss = make_person("35.07", name="Budi Atasan", civil_servant=True)
    boss.user = make_user("atasan", Role.WORKER)
    boss.save()
    staff = make_person("35.07", name="Siti Staf", civil_servant=True)
    staff.user = make_user("staf", Role.WORKER)
    staff.save()
    skp = actions.do_create_skp(actor=users["kabmalang"], channel="web", person=staff,
                                year=2026, supervisor=boss)
    actions.do_add_result(actor=staff.user, channel="web", skp=skp, text="Asesmen PPKS",
                          indicators=[("Jumlah asesmen", "120 kasus")])
    return {"boss": boss, "staff": staff, "skp": skp,
            "indicator": skp.results.get().indicators.get(), **users}


def _with_file(team, content=PDF, name="laporan T1.pdf"):
    return actions.do_add_realisation(actor=team["staff"].user, channel="web",
                                      indicator=team["indicator"], period=1,
                                      realisation="35 kasus", file_name=name,
                                      file_content=content)


def test_upload_is_stored_privately_and_audited(client, team, tmp_path):
    row = _with_file(team)
    assert row.evidence_name == "laporan T1.pdf" and row.evidence_type == "application/pdf"
    assert row.evidence_size == len(PDF)
    assert row.evidence_sha256 == hashlib.sha256(PDF).hexdigest()
    stored = Path(row.evidence_file.path)
    assert stored.read_bytes() == PDF
    assert tmp_path / "private" in stored.parents  # SDMKESOS_PRIVATE_ROOT, not MEDIA_ROOT
    assert not (tmp_path / "media").exists()
    # nothing serves the storage's nominal URL, even to a signed-in supervisor
    client.force_login(team["boss"].user)
    assert client.get(row.evidence_file.url).status_code == 404
    event = AuditEvent.objects.filter(action="skp.realisation.add").latest("id")
    assert event.changes["evidence_file"][1]["sha256"] == row.evidence_sha256


@pytest.mark.parametrize(("name", "content", "code"), [
    ("laporan.exe", b"MZ\x90\x00", "file_type"),
    ("laporan", PDF, "file_type"),
    ("laporan.pdf", b"", "file_empty"),
    ("laporan.pdf", PNG, "file_mismatch"),  # a PNG renamed .pdf
    ("foto.png", PDF, "file_mismatch"),
    ("laporan.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "file_too_large"),
])
def test_type_and_size_are_checked_by_content(team, name, content, code):
    with pytest.raises(DomainError) as err:
        _with_file(team, content, name)
    assert err.value.code == code and err.value.field == "file"
    assert not SkpRealisation.objects.exists()


def test_a_path_in_the_name_is_dropped(team):
    row = _with_file(team, PNG, "../../etc/foto.png")
    assert row.evidence_name == "foto.png" and "etc" not in row.evidence_file.name


def test_attach_replaces_and_is_refused_to_others_and_after_evaluation(team):
    row = actions.do_add_realisation(actor=team["staff"].user, channel="web",
                                     indicator=team["indicator"], period=2,
                                     realisation="40 kasus")
    assert not row.evidence_file
    row = actions.do_attach_evidence(actor=team["boss"].user, channel="web", realisation=row,
                                     name="foto.png", content=PNG)
    first = Path(row.evidence_file.path)
    row = actions.do_attach_evidence(actor=team["kabmalang"], channel="web", realisation=row,
                                     name="laporan.pdf", content=PDF)
    assert row.evidence_type == "application/pdf" and Path(row.evidence_file.path).exists()
    for outsider in ("viewer", "bbppks", "kabbandung", "pekerja"):
        with pytest.raises(DomainError):
            actions.do_attach_evidence(actor=team[outsider], channel="web", realisation=row,
                                       name="x.pdf", content=PDF)
    actions.do_evaluate(actor=team["boss"].user, channel="web", skp=team["skp"],
                        results_rating="meeting", behaviour_rating="meeting")
    with pytest.raises(DomainError) as err:
        actions.do_attach_evidence(actor=team["staff"].user, channel="web", realisation=row,
                                   name="x.pdf", content=PDF)
    assert err.value.code == "skp_closed"
    assert first != Path(row.evidence_file.path)


ALLOWED = {"staff": True, "boss": True, "kabmalang": True, "jatim": True, "nasional": True,
           "viewer": False, "bbppks": False, "jabar": False, "kabbandung": False,
           "pekerja": False}


def _user(team, who):
    return team[who].user if who in ("staff", "boss") else team[who]


@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_web_download_only_for_the_person_supervisors_and_hr(client, team, who):
    row = _with_file(team)
    client.force_login(_user(team, who))
    response = client.get(reverse("careers:skp_evidence", args=[row.pk]))
    if ALLOWED[who]:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    else:
        assert response.status_code == 404


def test_web_download_needs_sign_in_and_a_file(client, team):
    row = _with_file(team)
    response = client.get(reverse("careers:skp_evidence", args=[row.pk]))
    assert response.status_code == 302  # to the sign-in page
    bare = actions.do_add_realisation(actor=team["staff"].user, channel="web",
                                      indicator=team["indicator"], period=3, realisation="x")
    client.force_login(team["staff"].user)
    assert client.get(reverse("careers:skp_evidence", args=[bare.pk])).status_code == 404


def test_web_form_uploads_the_file(client, team):
    client.force_login(team["staff"].user)
    url = reverse("careers:skp_action", args=[team["skp"].pk, "realisation"])
    response = client.post(url, {"indicator": team["indicator"].pk, "period": 1,
                                 "realisation": "35 kasus",
                                 "evidence_file": SimpleUploadedFile("t1.pdf", PDF)})
    assert response.status_code == 302
    row = SkpRealisation.objects.get()
    assert row.evidence_name == "t1.pdf"
    page = client.get(reverse("careers:skp", args=[team["skp"].pk])).content.decode()
    assert reverse("careers:skp_evidence", args=[row.pk]) in page
    bad = client.post(url, {"indicator": team["indicator"].pk, "period": 2,
                            "realisation": "x",
                            "evidence_file": SimpleUploadedFile("t2.pdf", PNG)})
    assert bad.status_code == 400 and SkpRealisation.objects.count() == 1


@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_api_download_and_upload_per_user(team, who):
    row = _with_file(team)
    api = as_user(_user(team, who))
    response = api.get(f"/careers/skp/realisations/{row.pk}/evidence")
    assert response.status_code == (200 if ALLOWED[who] else 404)
    if ALLOWED[who]:
        assert b"".join(response.streaming_content) == PDF
    upload = api.client.post(f"/api/v1/careers/skp/realisations/{row.pk}/evidence",
                             {"file": SimpleUploadedFile("foto.png", PNG)},
                             headers=api.headers)
    assert upload.status_code == (201 if ALLOWED[who] else 404)
    if ALLOWED[who]:
        assert upload.json()["content_type"] == "image/png"


def test_api_refuses_a_wrong_type(team):
    row = _with_file(team)
    api = as_user(team["staff"].user)
    bad = api.client.post(f"/api/v1/careers/skp/realisations/{row.pk}/evidence",
                          {"file": SimpleUploadedFile("x.pdf", b"not a pdf")},
                          headers=api.headers)
    assert bad.status_code == 400 and bad.json()["code"] == "file_mismatch"
    skp = api.get(f"/careers/skp/{team['skp'].pk}").json()
    listed = skp["results"][0]["indicators"][0]["realisations"][0]["evidence_file"]
    assert listed["name"] == "laporan T1.pdf" and listed["download"].endswith(
        f"/realisations/{row.pk}/evidence")
