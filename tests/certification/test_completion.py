"""Training completion credentials (Open Badges 3.0 OpenBadgeCredential, eddsa-jcs-2022):
issued by the managers of a batch for its completed participants, on the shared status lists,
verifiable at /verify/<id>, by the API and by `sdmkesos credentials verify`, with a PDF; and
who may issue and see them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from sdmkesos.certification import actions, issuing
from sdmkesos.certification.models import CompletionCredential, IssuerKey, StatusListCredential
from sdmkesos.core.errors import DomainError
from sdmkesos.credentials import statuslist
from sdmkesos.training import actions as training
from sdmkesos.training.models import Batch
from tests.api_helpers import as_user
from tests.training import factories as f

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def batch(users: dict[str, Any], make_person: Any, signing: Path,
          competency_dictionary: None) -> Batch:
    """A Jawa Timur batch (managed by the 'jatim' operator) with two participants who passed
    and one who did not."""
    jatim = users["jatim"]
    prog = f.programme(jatim)
    b = f.batch(jatim, prog, capacity=3, place=f.venue(jatim))
    for name, passed in (("Ani Lulus", True), ("Budi Lulus", True), ("Citra Gagal", False)):
        person = make_person("35.07", name=name, category="psm")
        n = training.do_nominate(actor=jatim, channel="web", batch=b, person=person)
        training.do_decide_nomination(actor=jatim, channel="web", nomination=n, approve=True)
        n = training.do_enrol(actor=jatim, channel="web", nomination=n)
        training.do_complete(actor=jatim, channel="web", nomination=n, passed=passed,
                             completed_on=D(2026, 7, 10))
    return b


def issue_all(users: dict[str, Any], batch: Batch) -> list[CompletionCredential]:
    return actions.do_issue_completion_credentials(actor=users["jatim"], channel="web",
                                                   batch=batch)


def state(client: Client, public_id: str) -> str:
    body = client.get(f"/verify/{public_id}").content.decode()
    return body.split('data-state="', 1)[1].split('"', 1)[0]


def test_issued_for_completed_participants_only_once(users: dict[str, Any],
                                                     batch: Batch) -> None:
    issued = issue_all(users, batch)
    assert sorted(c.person.name for c in issued) == ["Ani Lulus", "Budi Lulus"]
    assert issue_all(users, batch) == []  # nobody left without one
    failed = batch.nominations.get(person__name="Citra Gagal")
    with pytest.raises(DomainError) as exc:
        actions.do_issue_completion_credential(actor=users["jatim"], channel="web",
                                               nomination=failed)
    assert exc.value.code == "not_completed"
    with pytest.raises(DomainError) as exc:
        actions.do_issue_completion_credential(actor=users["jatim"], channel="web",
                                               nomination=issued[0].nomination)
    assert exc.value.code == "already_issued"
    from sdmkesos.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="completion.issue").count() == 2


def test_open_badges_shape_with_minimum_personal_data(users: dict[str, Any],
                                                      batch: Batch) -> None:
    cred = issue_all(users, batch)[0]
    vc = cred.credential
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["@context"] == ["https://www.w3.org/ns/credentials/v2", issuing.OB3_CONTEXT]
    assert vc["issuer"]["type"] == ["Profile"] and vc["issuer"]["id"].startswith("did:web:")
    subject = vc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["achievement"]["name"] == batch.programme.name
    assert subject["achievement"]["criteria"]["narrative"]
    assert subject["identifier"][0]["identityHash"] == cred.person.name
    assert cred.person.nik not in json.dumps(vc)
    assert vc["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert [e["statusPurpose"] for e in vc["credentialStatus"]] == ["revocation", "suspension"]
    assert "validUntil" not in vc


def test_verifiable_on_page_api_and_cli(users: dict[str, Any], batch: Batch, client: Client,
                                        tmp_path: Path, capsys: Any) -> None:
    cred = issue_all(users, batch)[0]
    page = client.get(f"/verify/{cred.public_id}").content.decode()
    assert 'data-state="valid"' in page and batch.programme.name in page
    assert cred.person.name in page and cred.person.nik not in page
    assert client.get(f"/verify/{cred.public_id}.json").json()["verified"] is True
    data = client.get(f"/api/v1/certification/verify/{cred.public_id}").json()
    assert data["verified"] is True and data["certificate"]["achievement"]
    pasted = client.post("/verify/", {"credential": json.dumps(cred.credential)})
    assert 'data-state="valid"' in pasted.content.decode()
    altered = json.loads(json.dumps(cred.credential))
    altered["credentialSubject"]["achievement"]["name"] = "Pelatihan Lain"
    forged = client.post("/verify/", {"credential": json.dumps(altered)}).content.decode()
    assert 'data-state="not_authentic"' in forged
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(cred.credential))
    try:
        call_command("credentials", "verify", str(path), "--require-status")
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["verified"] is True and out["state"] == "valid"


def test_status_changes_use_the_shared_status_lists(users: dict[str, Any], batch: Batch,
                                                    client: Client, certify: Any) -> None:
    cert = certify()
    cred = issue_all(users, batch)[0]
    assert cred.status_list == cert.status_list
    assert cred.status_index != cert.status_index
    actions.do_suspend_completion(actor=users["jatim"], channel="web", credential=cred,
                                  reason="pemeriksaan")
    assert state(client, cred.public_id) == "suspended"
    actions.do_reinstate_completion(actor=users["jatim"], channel="web", credential=cred,
                                    reason="selesai")
    assert state(client, cred.public_id) == "valid"
    actions.do_revoke_completion(actor=users["jatim"], channel="web", credential=cred,
                                 reason="data palsu")
    assert state(client, cred.public_id) == "revoked"
    assert state(client, cert.public_id) == "valid"  # the certificate's bit is untouched
    row = StatusListCredential.objects.get(list_number=cred.status_list, purpose="revocation")
    bits = statuslist.Bitstring.decode(row.credential["credentialSubject"]["encodedList"])
    assert bits.get(cred.status_index) and not bits.get(cert.status_index)
    # a re-issue of all lists keeps the credential's bit
    issuing.rebuild_status_lists(cred.status_list)
    assert state(client, cred.public_id) == "revoked"


def test_key_rotation_keeps_and_withdrawal_resigns(users: dict[str, Any], batch: Batch,
                                                    client: Client) -> None:
    cred = issue_all(users, batch)[0]
    old = cred.key
    actions.do_rotate_key(actor=None, channel="cli")
    old.refresh_from_db()
    assert old.retired_at is not None and old.keep_until is None  # published while needed
    assert state(client, cred.public_id) == "valid"
    before = cred.credential["proof"]["proofValue"]
    actions.do_withdraw_key(actor=None, channel="cli", kid=old.kid, reason="bocor")
    cred.refresh_from_db()
    assert cred.credential["proof"]["proofValue"] != before
    assert cred.key != old and IssuerKey.objects.get(pk=old.pk).withdrawn_at
    assert state(client, cred.public_id) == "valid"


def test_pdf(users: dict[str, Any], batch: Batch) -> None:
    from sdmkesos.certification import pdf

    cred = issue_all(users, batch)[0]
    data = pdf.render_completion(cred)
    assert data.startswith(b"%PDF") and len(data) > 5000


# -- permissions --------------------------------------------------------------------------

def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_batch_button_and_web_issue_permissions(users: dict[str, Any], batch: Batch) -> None:
    url = f"/sertifikasi/pelatihan/angkatan/{batch.pk}/terbitkan"
    page = web(users["jatim"]).get(f"/pelatihan/angkatan/{batch.pk}/").content.decode()
    assert url in page
    outsider = web(users["jabar"])
    assert url not in outsider.get(f"/pelatihan/angkatan/{batch.pk}/").content.decode()
    assert outsider.post(url).status_code == 403
    assert web(users["viewer"]).post(url).status_code == 403
    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and "/masuk/" in anonymous["Location"]
    assert not CompletionCredential.objects.exists()
    response = web(users["jatim"]).post(url)
    assert response.status_code == 302
    assert CompletionCredential.objects.count() == 2
    page = web(users["jatim"]).get(f"/pelatihan/angkatan/{batch.pk}/").content.decode()
    first = CompletionCredential.objects.first()
    assert first is not None and f"/sertifikasi/pelatihan/{first.pk}/pdf" in page


def test_pdf_and_json_views_permissions(users: dict[str, Any], batch: Batch) -> None:
    cred = issue_all(users, batch)[0]
    for path in (f"/sertifikasi/pelatihan/{cred.pk}/pdf", f"/sertifikasi/pelatihan/{cred.pk}/json"):
        assert web(users["jatim"]).get(path).status_code == 200
        assert web(users["kabmalang"]).get(path).status_code == 200  # the person's district
        assert web(users["jabar"]).get(path).status_code == 404
        assert web(users["kabbandung"]).get(path).status_code == 404
        assert Client().get(path).status_code == 302
    response = web(users["jatim"]).get(f"/sertifikasi/pelatihan/{cred.pk}/pdf")
    assert response["Content-Type"] == "application/pdf"


def test_api_permissions(users: dict[str, Any], batch: Batch) -> None:
    path = f"/certification/training-batches/{batch.pk}/completion-credentials"
    assert as_user(users["jabar"]).post(path).status_code == 403
    assert as_user(users["viewer"]).post(path).status_code == 403
    assert as_user(None).post(path).status_code == 401
    response = as_user(users["jatim"]).post(path)
    assert response.status_code == 201 and response.json()["issued"] == 2
    cred = CompletionCredential.objects.first()
    assert cred is not None
    mine = as_user(users["jatim"]).get("/certification/completion-credentials",
                                        {"batch_id": batch.pk}).json()
    assert mine["count"] == 2
    assert as_user(users["kabmalang"]).get("/certification/completion-credentials").json()[
        "count"] == 2
    assert as_user(users["jabar"]).get("/certification/completion-credentials",
                                       {"batch_id": batch.pk}).json()["count"] == 0
    detail = f"/certification/completion-credentials/{cred.pk}"
    assert as_user(users["jatim"]).get(detail).json()["credential"]["type"][1] == (
        "OpenBadgeCredential")
    assert as_user(users["jabar"]).get(detail).status_code == 404
    revoke = f"{detail}/revoke"
    assert as_user(users["jabar"]).post(revoke, {"reason": "x"}).status_code == 404
    assert as_user(users["viewer"]).post(revoke, {"reason": "x"}).status_code == 403
    ok = as_user(users["jatim"]).post(revoke, {"reason": "data palsu"})
    assert ok.status_code == 200 and ok.json()["status"] == "revoked"
    one = batch.nominations.get(person__name="Citra Gagal")
    refused = as_user(users["jatim"]).post("/certification/completion-credentials",
                                           {"nomination_id": one.pk})
    assert refused.status_code == 400 and refused.json()["code"] == "not_completed"
    assert as_user(users["jabar"]).post("/certification/completion-credentials",
                                        {"nomination_id": one.pk}).status_code == 403
