import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import AuditEvent
from sdmkesos.partnerships import actions
from sdmkesos.partnerships.models import Agreement, Notification

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.SDMKESOS_PRIVATE_ROOT = str(tmp_path / "private")
    from sdmkesos.partnerships.models import private_storage

    private_storage._wrapped = type(private_storage._wrapped)  # reset the lazy storage
    from django.utils.functional import empty

    private_storage._wrapped = empty


def test_create_is_draft_audited_and_scoped(users, make_agreement):
    a = make_agreement("65", number="MOU-KALTARA")
    assert a.status == "draft" and a.state == "draft"
    assert a.region_codes == ["65"]
    assert AuditEvent.objects.filter(object_type="partnerships.agreement",
                                     object_id=str(a.pk), action="create").exists()
    assert Agreement.objects.restrict(users["nasional"]).filter(pk=a.pk).exists()
    assert not Agreement.objects.restrict(users["jatim"]).filter(pk=a.pk).exists()
    # Kemensos is a national body: its party does not put the agreement in DKI's scope.
    assert a.parties.get(organisation__code="KEMENSOS").region_id is None


def test_province_operator_cannot_create_outside_scope(users, make_agreement):
    with pytest.raises(DomainError) as exc:
        make_agreement("32", actor=users["jatim"])
    assert exc.value.code == "move_out_of_scope"
    assert not Agreement.objects.filter(number__startswith="NK-32").exists()
    a = make_agreement("35", actor=users["jatim"])
    assert Agreement.objects.restrict(users["kabmalang"]).filter(pk=a.pk).count() == 0
    assert Agreement.objects.restrict(users["viewer"]).filter(pk=a.pk).count() == 1


def test_read_only_roles_cannot_create(users, make_agreement):
    for role in ("viewer", "bbppks", "pekerja"):
        with pytest.raises(DomainError) as exc:
            make_agreement("35", actor=users[role])
        assert exc.value.code == "forbidden"


def test_validation_names_fields(users, make_agreement):
    mou = make_agreement("35", number="A-1")
    with pytest.raises(ValidationFailed) as exc:
        actions.do_create_agreement(
            actor=users["nasional"], channel="web",
            data={"kind": "mou", "number": "A-1", "title": "", "parent": mou,
                  "scopes": ["nope"], "start_date": D(2025, 1, 1), "end_date": D(2024, 1, 1)},
            parties=[])
    fields = {e.field for e in exc.value.errors}
    assert {"number", "title", "parent", "scopes", "end_date", "parties"} <= fields
    pks = make_agreement("35", kind="pks", parent=mou)
    assert pks.parent == mou


def test_sign_extend_terminate_and_status(users, make_agreement):
    admin = users["nasional"]
    a = make_agreement("65")
    today = dt.date.today()
    actions.do_sign_agreement(actor=admin, channel="web", agreement=a,
                              signing_date=today - dt.timedelta(days=10),
                              end_date=today + dt.timedelta(days=400))
    a.refresh_from_db()
    assert (a.state, a.status) == ("signed", "active")
    with pytest.raises(DomainError) as exc:
        actions.do_extend_agreement(actor=admin, channel="web", agreement=a,
                                    new_end_date=today)
    assert exc.value.code == "extension_not_later"
    actions.do_extend_agreement(actor=admin, channel="web", agreement=a,
                                new_end_date=today + dt.timedelta(days=800))
    a.refresh_from_db()
    assert a.status == "extended" and a.extended
    with pytest.raises(ValidationFailed):
        actions.do_terminate_agreement(actor=admin, channel="web", agreement=a, reason=" ")
    actions.do_terminate_agreement(actor=admin, channel="web", agreement=a, reason="Sepakat")
    a.refresh_from_db()
    assert a.status == "terminated"
    with pytest.raises(DomainError) as exc:
        actions.do_sign_agreement(actor=admin, channel="web", agreement=a, signing_date=today,
                                  end_date=today + dt.timedelta(days=5))
    assert exc.value.code == "invalid_transition"
    kinds = list(AuditEvent.objects.filter(object_id=str(a.pk),
                                           object_type="partnerships.agreement")
                 .values_list("action", flat=True))
    assert {"agreement.signed", "agreement.extend", "agreement.terminated"} <= set(kinds)


def test_out_of_scope_user_cannot_change(users, make_agreement):
    a = make_agreement("35")
    with pytest.raises(DomainError) as exc:
        actions.do_update_agreement(actor=users["jabar"], channel="web", agreement=a,
                                    data={"title": "x"})
    assert exc.value.code == "out_of_scope"
    changes = actions.do_update_agreement(actor=users["jatim"], channel="web", agreement=a,
                                          data={"title": "Kerja sama baru"})
    assert changes["title"][1] == "Kerja sama baru"


def test_reminder_command_sends_once_at_90_and_30(users, make_agreement, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin = users["nasional"]
    admin.email = "admin@kemensos.example"
    admin.save()
    a = make_agreement("65")
    end = D(2026, 6, 30)
    actions.do_sign_agreement(actor=admin, channel="web", agreement=a,
                              signing_date=D(2024, 1, 1), end_date=end)
    call_command("partnerships_remind", "--date", str(end - dt.timedelta(days=120)))
    assert Notification.objects.count() == 0
    call_command("partnerships_remind", "--date", str(end - dt.timedelta(days=90)))
    call_command("partnerships_remind", "--date", str(end - dt.timedelta(days=89)))
    assert Notification.objects.filter(user=admin, kind="agreement.expiring").count() == 1
    a.refresh_from_db()
    assert a.status == "expiring"
    call_command("partnerships_remind", "--date", str(end - dt.timedelta(days=30)))
    assert Notification.objects.filter(user=admin).count() == 2
    assert len(mail.outbox) == 2 and "berakhir" in mail.outbox[0].subject
    call_command("partnerships_remind", "--date", str(end + dt.timedelta(days=1)))
    a.refresh_from_db()
    assert a.status == "expired"
    assert AuditEvent.objects.filter(action="agreement.status", channel="system").exists()


def test_reminder_command_rejects_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("partnerships_remind", "--date", "31-12-2025")


def test_funding_plans_deliveries_research(users, make_agreement):
    admin = users["nasional"]
    a = make_agreement("65")
    party = a.parties.get(organisation__code="DINSOS-65")
    actions.do_add_funding(actor=admin, channel="web", agreement=a,
                           data={"party": party, "source": "apbd", "year": 2020,
                                 "amount": Decimal("1500000000")})
    with pytest.raises(ValidationFailed) as exc:
        actions.do_add_funding(actor=admin, channel="web", agreement=a,
                               data={"source": "x", "year": 1900, "amount": -1})
    assert {e.field for e in exc.value.errors} == {"source", "year", "amount"}
    actions.do_add_plan(actor=admin, channel="web", agreement=a,
                        data={"kind": "scholarship", "people": 20, "budget": Decimal(10)})
    actions.do_add_delivery(actor=admin, channel="web", agreement=a,
                            data={"kind": "scholarship", "title": "Beasiswa D4 angkatan 1",
                                  "people": 12, "budget": Decimal(6), "reference_id": "T-1"})
    r = actions.do_save_research(actor=admin, channel="web", agreement=a,
                                 data={"title": "Kajian SDM kesos Kaltara"})
    actions.do_save_research(actor=admin, channel="web", agreement=a, research=r,
                             data={"findings": "Kurang pekerja sosial",
                                   "recommendations": "Buka kelas D4"})
    r.refresh_from_db()
    assert r.recommendations == "Buka kelas D4"
    from sdmkesos.partnerships.queries import delivery_summary

    rows = {row["kind"]: row for row in delivery_summary(a)}
    assert rows["scholarship"]["planned_people"] == 20
    assert rows["scholarship"]["delivered_people"] == 12
    assert rows["scholarship"]["ratio"] == pytest.approx(0.6)


PDF = b"%PDF-1.4\n%test\n"


def test_documents_checked_and_private(users, make_agreement):
    admin = users["nasional"]
    a = make_agreement("35")
    doc = actions.do_upload_document(actor=admin, channel="web", agreement=a,
                                     name="naskah mou.pdf", content=PDF)
    assert doc.content_type == "application/pdf" and doc.size == len(PDF)
    assert doc.file.read() == PDF
    with pytest.raises(DomainError) as exc:
        actions.do_upload_document(actor=admin, channel="web", agreement=a,
                                   name="virus.exe", content=b"MZ")
    assert exc.value.code == "file_type"
    with pytest.raises(DomainError) as exc:
        actions.do_upload_document(actor=admin, channel="web", agreement=a, name="x.pdf",
                                   content=b"<html>")
    assert exc.value.code == "file_mismatch"
    with pytest.raises(DomainError) as exc:
        actions.check_document("big.pdf", PDF + b"0" * actions.MAX_DOCUMENT_BYTES)
    assert exc.value.code == "file_too_large"
    with pytest.raises(DomainError):
        actions.do_upload_document(actor=users["jabar"], channel="web", agreement=a,
                                   name="x.pdf", content=PDF)
    actions.do_delete_document(actor=admin, channel="web", document=doc)
    assert not a.documents.exists()


def test_remove_last_party_refused(users, make_agreement):
    a = make_agreement("35")
    parties = list(a.parties.all())
    actions.do_remove_party(actor=users["nasional"], channel="web", party=parties[0])
    with pytest.raises(DomainError) as exc:
        actions.do_remove_party(actor=users["nasional"], channel="web", party=parties[1])
    assert exc.value.code == "parties_required"
    assert a.parties.count() == 1


def test_province_cannot_remove_its_own_party(users, make_agreement):
    """Removing the party that puts the agreement in one's scope would lose it: refused."""
    a = make_agreement("35", actor=users["jatim"])
    party = a.parties.get(organisation__code="DINSOS-35")
    pk = party.pk
    with pytest.raises(DomainError) as exc:
        actions.do_remove_party(actor=users["jatim"], channel="web", party=party)
    assert exc.value.code == "move_out_of_scope"
    assert a.parties.filter(pk=pk).exists()
