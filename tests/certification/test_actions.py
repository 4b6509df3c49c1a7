"""The certification workflow: eligibility, evidence, conflicts of interest, maker-checker,
certificates and their status, STR/SIPPS, keys."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sdmkesos.certification import actions, issuing, keyring
from sdmkesos.certification.models import (
    Application,
    Certificate,
    IssuerKey,
    Scheme,
    StatusListCredential,
)
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import AuditEvent, Organisation
from sdmkesos.credentials.statuslist import MIN_SIZE, Bitstring

from .conftest import DID, qualify

pytestmark = pytest.mark.django_db


def test_schemes_are_seeded_with_units() -> None:
    codes = set(Scheme.objects.values_list("code", flat=True))
    assert {"APS", "PSG", "PSS", "PYS", "RLS"} <= codes
    assert Scheme.objects.get(code="RLS").validity_years == 5
    assert Scheme.objects.get(code="PSG").units.count() == 5


def test_eligibility_is_checked_on_submission(make_person: Callable[..., Any], admin: Any,
                                              psg: Scheme) -> None:
    person = qualify(make_person(), level="sma", field="umum")
    app = actions.do_submit_application(actor=admin, channel="web", person=person, scheme=psg,
                                        practice_hours=10)
    assert app.status == "ineligible"
    codes = {u["code"] for u in app.eligibility_result}
    assert codes == {"education_too_low", "field_not_accepted", "practice_hours_short",
                     "membership_required"}
    ok = actions.do_submit_application(actor=admin, channel="web",
                                       person=qualify(make_person()), scheme=psg,
                                       practice_hours=1000, is_member=True)
    assert ok.status == "eligible" and ok.eligibility_result == []
    with pytest.raises(DomainError) as err:
        actions.do_submit_application(actor=admin, channel="web", person=ok.person, scheme=psg,
                                      practice_hours=1000, is_member=True)
    assert err.value.code == "application_open"


def test_worker_applies_for_themself_only(users: dict[str, Any], make_person: Any,
                                          psg: Scheme) -> None:
    own = users["pekerja"].person
    app = actions.do_submit_application(actor=users["pekerja"], channel="web", person=own,
                                        scheme=psg)
    assert app.route == "self"
    with pytest.raises(DomainError):
        actions.do_submit_application(actor=users["pekerja"], channel="web",
                                      person=make_person(), scheme=psg)


def test_out_of_scope_operator_is_refused(users: dict[str, Any], make_person: Any,
                                          psg: Scheme) -> None:
    with pytest.raises(DomainError) as err:
        actions.do_submit_application(actor=users["jabar"], channel="web",
                                      person=make_person("35.07"), scheme=psg)
    assert err.value.code == "out_of_scope"


def test_evidence_type_and_size(make_person: Any, admin: Any, psg: Scheme,
                                signing: Path, settings: Any) -> None:
    app = actions.do_submit_application(actor=admin, channel="web",
                                        person=qualify(make_person()), scheme=psg)
    item = actions.do_add_evidence(actor=admin, channel="web", application=app,
                                   kind="diploma", name="../../ijazah.pdf",
                                   content=b"%PDF-1.4 ijazah")
    stored = Path(item.file.path)
    assert stored.is_file() and str(stored).startswith(str(settings.MEDIA_ROOT / "private"))
    assert item.original_name == "ijazah.pdf" and item.content_type == "application/pdf"
    for name, content, code in [("a.exe", b"MZ", "evidence_type"),
                                ("a.pdf", b"<html>", "evidence_content"),
                                ("a.png", b"", "evidence_empty"),
                                ("a.jpg", b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024),
                                 "evidence_too_large")]:
        with pytest.raises(DomainError) as err:
            actions.do_add_evidence(actor=admin, channel="web", application=app,
                                    kind="other", name=name, content=content)
        assert err.value.code == code


def test_conflict_of_interest_is_refused(make_person: Any, make_assessor: Any, admin: Any,
                                         psg: Scheme, signing: Path) -> None:
    candidate = qualify(make_person("35.07"))
    colleague = make_assessor("35.07", organisation="DINSOS-35.07")
    supervisor_assessor = make_assessor("35.07", organisation="DINSOS-35.73")
    app = actions.do_submit_application(actor=admin, channel="web", person=candidate,
                                        scheme=psg, practice_hours=1200, is_member=True,
                                        supervisor=supervisor_assessor.person)
    event = actions.do_create_event(actor=admin, channel="web", scheme=psg, title="Uji",
                                    date=dt.date(2026, 2, 1), place="TUK",
                                    organisation=Organisation.objects.get(code="DINSOS-35"))
    actions.do_add_candidate(actor=admin, channel="web", event=event, application=app)
    for assessor, reason in [(colleague, "same_organisation"),
                             (supervisor_assessor, "supervisor")]:
        with pytest.raises(DomainError) as err:
            actions.do_assign_assessor(actor=admin, channel="web", event=event,
                                       assessor=assessor)
        assert err.value.code == "conflict_of_interest"
        assert reason in err.value.params["reasons"]
    # and the other way round: a conflicted assessor already on the team blocks the candidate
    other = qualify(make_person("35.73", organisation="DINSOS-35.73"))
    app2 = actions.do_submit_application(actor=admin, channel="web", person=other, scheme=psg,
                                         practice_hours=1200, is_member=True)
    neutral = make_assessor("35.07", organisation="DINSOS-35.07.01" if Organisation.objects
                            .filter(code="DINSOS-35.07.01").exists() else "BBPPKS-1")
    event2 = actions.do_create_event(actor=admin, channel="web", scheme=psg, title="Uji 2",
                                     date=dt.date(2026, 2, 1), place="TUK",
                                     organisation=Organisation.objects.get(code="DINSOS-35"))
    actions.do_assign_assessor(actor=admin, channel="web", event=event2, assessor=neutral)
    actions.do_assign_assessor(actor=admin, channel="web", event=event2,
                               assessor=supervisor_assessor)
    with pytest.raises(DomainError) as err:
        actions.do_add_candidate(actor=admin, channel="web", event=event2, application=app2)
    assert err.value.code == "conflict_of_interest"


def test_assessor_must_hold_the_scheme_and_be_active(make_assessor: Any, admin: Any,
                                                     psg: Scheme) -> None:
    pys = Scheme.objects.get(code="PYS")
    assessor = make_assessor(schemes=[pys])
    event = actions.do_create_event(actor=admin, channel="web", scheme=psg, title="Uji",
                                    date=dt.date(2026, 2, 1), place="TUK",
                                    organisation=Organisation.objects.get(code="DINSOS-35"))
    with pytest.raises(DomainError) as err:
        actions.do_assign_assessor(actor=admin, channel="web", event=event, assessor=assessor)
    assert err.value.code == "assessor_not_qualified"


def test_full_flow_issues_a_verifiable_certificate(certify: Callable[..., Certificate]) -> None:
    cert = certify()
    assert cert.status == "active" and cert.number.startswith("LSP-KS/PSG/")
    assert cert.valid_until == cert.valid_from.replace(year=cert.valid_from.year + 3) - (
        dt.timedelta(days=1))
    assert 0 <= cert.status_index < MIN_SIZE
    cred = cert.credential
    assert cred["issuer"]["id"] == DID
    assert cred["proof"]["verificationMethod"] == f"{DID}#{cert.key.kid}"
    assert "nik" not in json.dumps(cred).lower()
    result = issuing.verify(cred)
    assert result.verified and result.state == "valid", result.as_dict()
    assert AuditEvent.objects.filter(action="certificate.issue",
                                     object_id=str(cert.pk)).exists()


def test_maker_checker(make_person: Any, make_assessor: Any, make_user: Any, admin: Any,
                       psg: Scheme, signing: Path) -> None:
    assessor_user = make_user("asesor-x", "province_operator", regions=["35"])
    assessor = make_assessor(user=assessor_user)
    app = actions.do_submit_application(actor=admin, channel="web",
                                        person=qualify(make_person()), scheme=psg,
                                        practice_hours=1200, is_member=True)
    event = actions.do_create_event(actor=admin, channel="web", scheme=psg, title="Uji",
                                    date=dt.date(2026, 2, 1), place="TUK",
                                    organisation=Organisation.objects.get(code="DINSOS-35"))
    actions.do_assign_assessor(actor=admin, channel="web", event=event, assessor=assessor)
    actions.do_add_candidate(actor=admin, channel="web", event=event, application=app)
    units = list(psg.units.all())
    with pytest.raises(DomainError) as err:
        actions.do_recommend(actor=assessor_user, channel="web", application=app, verdict="K")
    assert err.value.code == "results_missing"
    for unit in units:
        actions.do_record_result(actor=assessor_user, channel="web", application=app,
                                 unit=unit, method="written",
                                 verdict="BK" if unit == units[0] else "K", assessor=assessor)
    with pytest.raises(DomainError) as err:
        actions.do_recommend(actor=assessor_user, channel="web", application=app, verdict="K")
    assert err.value.code == "inconsistent_verdict"
    actions.do_recommend(actor=assessor_user, channel="web", application=app, verdict="BK")
    with pytest.raises(DomainError) as err:
        actions.do_decide(actor=assessor_user, channel="web", application=app, verdict="BK")
    assert err.value.code == "maker_checker"
    with pytest.raises(DomainError):
        actions.do_decide(actor=admin, channel="web", application=app, verdict="K")
    app, cert = actions.do_decide(actor=admin, channel="web", application=app, verdict="BK")
    assert cert is None and app.decision == "BK"
    again = actions.do_reassess(actor=admin, channel="web", application=app)
    assert again.previous_id == app.pk and again.status == "eligible"


def _bit(cert: Certificate, purpose: str) -> bool:
    row = StatusListCredential.objects.get(list_number=cert.status_list, purpose=purpose)
    return Bitstring.decode(row.credential["credentialSubject"]["encodedList"]).get(
        cert.status_index)


def test_suspend_reinstate_revoke(certify: Callable[..., Certificate], admin: Any) -> None:
    cert = certify()
    with pytest.raises(DomainError):
        actions.do_suspend(actor=admin, channel="web", certificate=cert, reason="  ")
    actions.do_suspend(actor=admin, channel="web", certificate=cert, reason="pemeriksaan etik")
    assert _bit(cert, "suspension") and not _bit(cert, "revocation")
    assert issuing.verify(cert.credential).state == "suspended"
    actions.do_reinstate(actor=admin, channel="web", certificate=cert, reason="selesai")
    assert issuing.verify(cert.credential).state == "valid"
    actions.do_revoke(actor=admin, channel="web", certificate=cert, reason="pelanggaran etik")
    assert _bit(cert, "revocation")
    assert issuing.verify(cert.credential).state == "revoked"
    with pytest.raises(DomainError) as err:
        actions.do_reinstate(actor=admin, channel="web", certificate=cert, reason="x")
    assert err.value.code == "invalid_transition"
    actions_logged = set(AuditEvent.objects.filter(object_id=str(cert.pk),
                                                   object_type="certification.certificate")
                         .values_list("action", flat=True))
    assert {"certificate.suspend", "certificate.reinstate", "certificate.revoke"} <= (
        actions_logged)


def test_renewal_window(certify: Callable[..., Certificate], admin: Any) -> None:
    cert = certify()
    with pytest.raises(DomainError) as err:
        actions.do_renew_certificate(actor=admin, channel="web", certificate=cert)
    assert err.value.code == "renewal_too_early"
    Certificate.objects.filter(pk=cert.pk).update(valid_until=dt.date.today()
                                                  + dt.timedelta(days=30))
    cert.refresh_from_db()
    new = actions.do_renew_certificate(actor=admin, channel="web", certificate=cert)
    assert new.renewed_from_id == cert.pk and new.valid_from == cert.valid_until + (
        dt.timedelta(days=1))
    assert issuing.verify(new.credential, now=dt.datetime.combine(
        new.valid_from, dt.time(12), dt.UTC)).verified


def test_str_needs_certificate_and_sipps_needs_str(certify: Callable[..., Certificate],
                                                   make_person: Any, admin: Any) -> None:
    nobody = make_person()
    with pytest.raises(DomainError) as err:
        actions.do_record_registration(actor=admin, channel="web", person=nobody, kind="str",
                                       number="STR-1", issued_by="IPSPI",
                                       valid_from=dt.date(2026, 1, 1),
                                       valid_until=dt.date(2031, 1, 1))
    assert err.value.code == "certificate_required"
    cert = certify()
    with pytest.raises(DomainError) as err:
        actions.do_record_registration(actor=admin, channel="web", person=cert.person,
                                       kind="sipps", number="SIPPS-1", issued_by="Pemkab",
                                       valid_from=dt.date(2026, 1, 1),
                                       valid_until=dt.date(2031, 1, 1))
    assert err.value.code == "str_required"
    reg = actions.do_record_registration(actor=admin, channel="web", person=cert.person,
                                         kind="str", number="STR-1", issued_by="IPSPI",
                                         valid_from=dt.date(2026, 1, 1),
                                         valid_until=dt.date(2031, 1, 1))
    assert reg.certificate_id == cert.pk
    actions.do_record_registration(actor=admin, channel="web", person=cert.person,
                                   kind="sipps", number="SIPPS-1", issued_by="Pemkab Malang",
                                   valid_from=dt.date(2026, 1, 1),
                                   valid_until=dt.date(2031, 1, 1))
    with pytest.raises(ValidationFailed):
        actions.do_record_registration(actor=admin, channel="web", person=cert.person,
                                       kind="str", number="STR-1", issued_by="IPSPI",
                                       valid_from=dt.date(2026, 1, 1),
                                       valid_until=dt.date(2031, 1, 1))


def test_key_file_only_public_half_in_db(signing: Path) -> None:
    key = keyring.active_key()
    assert key is not None
    path = signing / f"{key.kid}.json"
    assert path.stat().st_mode & 0o777 == 0o600
    data = json.loads(path.read_text())
    assert data["publicKeyMultibase"] == key.public_key_multibase
    assert not any(data["secretKeyMultibase"] in str(v) for v in
                   IssuerKey.objects.values_list(flat=True))
    again, created = actions.do_init_key(actor=None, channel="cli")
    assert again == key and not created


def test_rotation_keeps_old_certificates_valid(certify: Callable[..., Certificate],
                                               signing: Path) -> None:
    old_cert = certify()
    old_key = old_cert.key
    new_key = actions.do_rotate_key(actor=None, channel="cli")
    old_key.refresh_from_db()
    assert old_key.state == "retired" and old_key.keep_until == old_cert.valid_until
    vms = {vm["id"] for vm in keyring.did_document()["verificationMethod"]}
    assert {f"{DID}#{old_key.kid}", f"{DID}#{new_key.kid}"} == vms
    assert issuing.verify(old_cert.credential).verified
    new_cert = certify("35.07")
    assert new_cert.key == new_key and issuing.verify(new_cert.credential).verified


def test_withdrawn_key_stops_verifying_and_certificates_are_resigned(
        certify: Callable[..., Certificate], signing: Path) -> None:
    cert = certify()
    stolen = dict(cert.credential)
    kid = cert.key.kid
    out = actions.do_withdraw_key(actor=None, channel="cli", kid=kid, reason="kunci bocor")
    assert out["resigned"] == 1
    assert not issuing.verify(stolen).verified
    assert (signing / f"{kid}.withdrawn").exists() and not (signing / f"{kid}.json").exists()
    cert.refresh_from_db()
    assert cert.key.kid != kid and issuing.verify(cert.credential).verified
    assert Application.objects.count() == 1


def test_demo_seed_and_reset(make_person: Any, signing: Path) -> None:
    from sdmkesos.certification import demo
    from sdmkesos.people.models import Person

    people = [make_person("35.07") for _ in range(6)]
    qs = Person.objects.filter(pk__in=[p.pk for p in people])
    assert demo.seed_certificates(qs, count=4) == 4
    for cert in Certificate.objects.all():
        assert issuing.verify(cert.credential).state in ("valid", "revoked", "suspended",
                                                          "expired")
    assert demo.delete_for_people(qs)["certificates"] == 4
    qs.delete()
