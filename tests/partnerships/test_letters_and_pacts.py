import datetime as dt

import pytest

from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.partnerships import actions, queries
from sdmkesos.partnerships.models import Appointment, LetterTemplate, PactSignature, PactText
from sdmkesos.partnerships.pdf import latin1, letter_pdf

from .conftest import org

pytestmark = pytest.mark.django_db


@pytest.fixture
def template():
    return LetterTemplate.objects.create(
        code="DUKANG", name="Permohonan dukungan anggaran",
        subject="Permohonan dukungan anggaran pendidikan SDM kesos",
        body="Menindaklanjuti kesepakatan {rapat}: \u201c{kesepakatan}\u201d, kami mohon "
             "{penerima} memberi dukungan anggaran.")


def test_letter_numbering_to_many_recipients_logged_on_action(users, make_meeting, template):
    _m, _r, item = make_meeting("35.07")
    admin = users["nasional"]
    recipients = [org("DINSOS-35"), org("DINSOS-32"), "Pemerintah Provinsi Kalimantan Utara"]
    letter = actions.do_create_letter(
        actor=admin, channel="web", template=template, sender=org("POLTEKESOS"),
        recipients=recipients, signatory_name="Direktur", signatory_position="Direktur",
        date=dt.date(2018, 5, 2), action=item)
    assert letter.number == "001/POLTEKESOS/V/2018"
    assert letter.recipients.count() == 3 and letter.action == item
    assert "Rakor 2018" in letter.body and "{penerima}" in letter.body
    second = actions.do_create_letter(
        actor=admin, channel="web", template=template, sender=org("POLTEKESOS"),
        recipients=recipients[:1], signatory_name="D", signatory_position="D",
        date=dt.date(2018, 6, 1))
    assert second.number.startswith("002/")
    pdf = letter_pdf(letter)
    assert pdf.startswith(b"%PDF-") and b"/Count 3" in pdf  # one page per recipient
    from sdmkesos.core.models import AuditEvent

    assert AuditEvent.objects.filter(object_type="partnerships.actionitem",
                                     object_id=str(item.pk), action="letter.sent").exists()


def test_letter_refused_out_of_scope_or_without_recipients(users, template):
    with pytest.raises(ValidationFailed) as exc:
        actions.do_create_letter(actor=users["jatim"], channel="web", template=template,
                                 sender=org("DINSOS-32"), recipients=[],
                                 signatory_name="", signatory_position="")
    assert {e.field for e in exc.value.errors} == {"recipients", "signatory_name", "sender"}
    with pytest.raises(DomainError):
        actions.do_create_letter(actor=users["viewer"], channel="web", template=template,
                                 sender=org("DINSOS-35"), recipients=["x"],
                                 signatory_name="a", signatory_position="b")


def test_latin1_keeps_indonesian_text():
    assert latin1("\u201cPakta\u201d \u2013 Kesejahteraan") == '"Pakta" - Kesejahteraan'


@pytest.fixture
def appointment(users, make_person):
    person = make_person("35.07", name="Dra. Sri Pejabat")
    person.user = users["kabmalang"]
    person.save()
    return actions.do_create_appointment(actor=users["nasional"], channel="web", data={
        "person": person, "position": "Kepala Bidang Rehabilitasi Sosial",
        "organisation": org("DINSOS-35.07"), "decree_number": "SK-1/2020",
        "decree_date": dt.date(2020, 1, 10), "appointed_on": dt.date(2020, 1, 21)})


def test_pact_signing_hash_verify_and_resign(users, appointment):
    admin, official = users["nasional"], users["kabmalang"]
    assert appointment.user == official and appointment.official_name == "Dra. Sri Pejabat"
    with pytest.raises(DomainError) as exc:
        actions.do_publish_pact_text(actor=users["jatim"], channel="web", body="x")
    assert exc.value.code == "forbidden"
    v1 = actions.do_publish_pact_text(actor=admin, channel="web", body="Saya menyatakan ...")
    assert queries.pending_signatures(admin).filter(pk=appointment.pk).exists()
    with pytest.raises(DomainError) as exc:
        actions.do_sign_pact(actor=admin, channel="web", appointment=appointment,
                             shown_sha256=v1.sha256)
    assert exc.value.code == "not_the_official"
    with pytest.raises(DomainError) as exc:
        actions.do_sign_pact(actor=official, channel="web", appointment=appointment,
                             shown_sha256="0" * 64)
    assert exc.value.code == "text_changed"
    sig = actions.do_sign_pact(actor=official, channel="web", appointment=appointment,
                               shown_sha256=v1.sha256)
    assert sig.text_sha256 == v1.sha256 and actions.verify_signature(sig)
    assert not queries.pending_signatures(admin).filter(pk=appointment.pk).exists()
    with pytest.raises(DomainError) as exc:
        actions.do_sign_pact(actor=official, channel="web", appointment=appointment,
                             shown_sha256=v1.sha256)
    assert exc.value.code == "already_signed"
    # Tampering with the stored text is detected.
    PactText.objects.filter(pk=v1.pk).update(body="Teks lain")
    sig.refresh_from_db()
    assert not actions.verify_signature(PactSignature.objects.get(pk=sig.pk))
    PactText.objects.filter(pk=v1.pk).update(body="Saya menyatakan ...")
    # A new version: must sign again.
    v2 = actions.do_publish_pact_text(actor=admin, channel="web", body="Saya menyatakan v2")
    assert queries.pending_signatures(admin).filter(pk=appointment.pk).exists()
    with pytest.raises(DomainError) as exc:
        actions.do_publish_pact_text(actor=admin, channel="web", body="Saya menyatakan v2")
    assert exc.value.code == "unchanged"
    actions.do_sign_pact(actor=official, channel="web", appointment=appointment,
                         shown_sha256=v2.sha256)
    assert appointment.signatures.count() == 2


def test_appointment_scope(users, appointment):
    assert Appointment.objects.restrict(users["jatim"]).filter(pk=appointment.pk).exists()
    assert not Appointment.objects.restrict(users["jabar"]).filter(pk=appointment.pk).exists()
    with pytest.raises(DomainError):
        actions.do_create_appointment(actor=users["jabar"], channel="web", data={
            "official_name": "X", "position": "Kabid", "organisation": org("DINSOS-35"),
            "decree_number": "1", "decree_date": dt.date(2020, 1, 1),
            "appointed_on": dt.date(2020, 1, 2)})


def test_letter_templates_national_only(client, users):
    from django.urls import reverse

    url = reverse("partnerships:template_create")
    client.force_login(users["jatim"])
    assert client.get(url).status_code == 403
    client.force_login(users["nasional"])
    r = client.post(url, {"code": "UNDANGAN", "name": "Undangan rakor", "subject": "Undangan",
                          "number_pattern": "{seq}/{nope}", "body": "Yth. {penerima}"})
    assert r.status_code == 200 and "Pola nomor" in r.content.decode()
    r = client.post(url, {"code": "UNDANGAN", "name": "Undangan rakor", "subject": "Undangan",
                          "number_pattern": "{seq:03d}/UND/{tahun}", "body": "Yth. {penerima}"})
    assert r.status_code == 302
    t = LetterTemplate.objects.get(code="UNDANGAN")
    html = client.get(reverse("partnerships:letter_list")).content.decode()
    assert "Undangan rakor" in html and "DUKUNGAN-ANGGARAN" in html  # default from migration
    r = client.post(reverse("partnerships:template_edit", args=[t.pk]), {
        "code": "DUKUNGAN-ANGGARAN", "name": "x", "subject": "x",
        "number_pattern": "{seq}", "body": "x"})
    assert "sudah dipakai" in r.content.decode()
