"""Every change to partnership records goes through these functions: one transaction, a scope
check before (the object is looked up through ``restrict(actor, "change")``) and after (the saved
object must still be inside the actor's scope), and one audit event. Changes to an agreement's
parties, funding, documents, plans, deliveries and research are recorded against the agreement;
changes to sessions, participants, resolutions and action items against the meeting or the item.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdmkesos.core import audit
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import Organisation, Region
from sdmkesos.core.scoping import ADD, CHANGE, can, scope_for

from . import lifecycle
from .choices import ActionStatus, AgreementKind, DeliveryKind, FundingSource, Scope
from .models import (
    ActionItem,
    ActionOwner,
    Agreement,
    AgreementDocument,
    AgreementParty,
    Appointment,
    Delivery,
    DeliveryLink,
    DeliveryPlan,
    FollowUp,
    Funding,
    Letter,
    LetterRecipient,
    LetterSequence,
    LetterTemplate,
    Meeting,
    MeetingRegion,
    MeetingSession,
    PactSignature,
    PactText,
    Participant,
    ResearchActivity,
    Resolution,
    org_region,
    text_digest,
)

AGREEMENT_FIELDS = ["kind", "number", "title", "parent", "summary", "scopes", "signing_date",
                    "start_date", "end_date", "state", "extended", "status",
                    "termination_reason"]
AGREEMENT_EDITABLE = {"kind", "number", "title", "parent", "summary", "scopes", "signing_date",
                      "start_date", "end_date"}
PARTY_FIELDS = ["organisation", "name", "region", "signatory_name", "signatory_position",
                "obligations", "order"]
MEETING_FIELDS = ["kind", "title", "organiser", "start_date", "end_date", "venue",
                  "venue_region", "previous", "summary"]
ACTION_FIELDS = ["title", "description", "responsible", "responsible_user", "due_date",
                 "status", "evidence", "evidence_url", "completed_on"]
APPOINTMENT_FIELDS = ["person", "official_name", "user", "position", "organisation",
                      "decree_number", "decree_date", "appointed_on", "oath_taken",
                      "oath_text", "event"]

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# extension → (content type, accepted leading bytes)
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def _err(code: str, field: str | None, message: str, **params: Any) -> DomainError:
    return DomainError(code, field=field, message=message, **params)


def _require(actor: Any, action: str) -> None:
    if not can(actor, action):
        raise DomainError("forbidden")


def _locked(model: type[models.Model], actor: Any, obj: models.Model | int,
            action: str = CHANGE) -> Any:
    pk = obj if isinstance(obj, int) else obj.pk
    current = model.objects.restrict(actor, action).select_for_update().filter(  # type: ignore[attr-defined]
        pk=pk).first()
    if current is None:
        raise DomainError("out_of_scope")
    return current


def _ensure_in_scope(model: type[models.Model], actor: Any, obj: models.Model,
                     action: str = CHANGE, field: str = "organisation") -> None:
    if not model.objects.restrict(actor, action).filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise DomainError("move_out_of_scope", field=field, region=_("di luar lingkup"))


def _org_in_scope(actor: Any, org: Organisation | None) -> bool:
    scope = scope_for(actor)
    if scope.unrestricted:
        return True
    if org is None:
        return False
    region = org.managing_region_code
    return (region is not None and scope.covers_region(region)) or scope.covers_org_path(
        org.path)


def _check_url(value: str | None, field: str) -> list[DomainError]:
    """Links shown on pages must be http(s) URLs (no ``javascript:`` and the like)."""
    if not value:
        return []
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(value)
    except DjangoValidationError:
        return [_err("invalid_url", field, _("Tautan harus alamat http(s) yang valid."))]
    return []


def _check_dates(start: dt.date | None, end: dt.date | None, field: str = "end_date",
                 ) -> list[DomainError]:
    if start and end and end < start:
        return [DomainError("end_before_start", field=field)]
    return []


# --------------------------------------------------------------------------------------------
# Agreements
# --------------------------------------------------------------------------------------------


def _validate_agreement(a: Agreement) -> list[DomainError]:
    errors: list[DomainError] = []
    for name in ("number", "title", "kind"):
        if not getattr(a, name):
            errors.append(DomainError("required", field=name))
    if a.kind and a.kind not in AgreementKind.values:
        errors.append(_err("invalid_value", "kind", _("Jenis perjanjian tidak dikenal.")))
    bad = [s for s in (a.scopes or []) if s not in Scope.values]
    if bad:
        errors.append(_err("invalid_value", "scopes", _("Ruang lingkup tidak dikenal: %(v)s.")
                           % {"v": ", ".join(map(str, bad))}))
    if a.parent_id is not None:
        parent = a.parent
        if a.kind != AgreementKind.PKS:
            errors.append(_err("parent_not_allowed", "parent",
                               _("Hanya PKS yang dapat berada di bawah MoU.")))
        elif parent is not None and parent.kind != AgreementKind.MOU:
            errors.append(_err("parent_not_mou", "parent", _("Induk sebuah PKS harus MoU.")))
        if a.pk is not None and a.parent_id == a.pk:
            errors.append(_err("parent_self", "parent", _("Perjanjian tidak dapat menjadi "
                                                          "induknya sendiri.")))
    errors += _check_dates(a.start_date, a.end_date)
    if a.number and Agreement.objects.filter(kind=a.kind, number=a.number).exclude(
            pk=a.pk).exists():
        errors.append(_err("number_taken", "number",
                           _("Nomor %(number)s sudah dipakai perjanjian lain.")
                           % {"number": a.number}))
    return errors


def _party_from(agreement: Agreement, data: dict[str, Any], order: int) -> AgreementParty:
    org: Organisation | None = data.get("organisation")
    party = AgreementParty(agreement=agreement, order=data.get("order") or order,
                           organisation=org,
                           name=(data.get("name") or (org.name if org else "")).strip(),
                           signatory_name=data.get("signatory_name", ""),
                           signatory_position=data.get("signatory_position", ""),
                           obligations=data.get("obligations", ""))
    region = data.get("region")
    code = region.code if isinstance(region, Region) else (region or org_region(org))
    party.set_region(code)
    if not party.name:
        raise ValidationFailed([DomainError("required", field="parties.name")])
    return party


def _status_now(a: Agreement, today: dt.date | None = None) -> None:
    a.status = a.compute_status(today)
    a.status_checked_on = today or dt.date.today()


def do_create_agreement(*, actor: Any, channel: str, data: dict[str, Any],
                        parties: Iterable[dict[str, Any]] = (), note: str = "") -> Agreement:
    """Create an agreement (as a draft) with its parties. At least one party must lie in the
    actor's scope, so that the actor can see what they created."""
    _require(actor, ADD)
    unknown = set(data) - AGREEMENT_EDITABLE - {"responsible_users"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    responsible = data.pop("responsible_users", None)
    parties = list(parties)
    with transaction.atomic():
        agreement = Agreement(**data)
        errors = _validate_agreement(agreement)
        if not parties:
            errors.append(_err("parties_required", "parties",
                               _("Sebutkan sedikitnya satu pihak.")))
        if errors:
            raise ValidationFailed(errors)
        _status_now(agreement)
        agreement.save()
        rows = [_party_from(agreement, p, i + 1) for i, p in enumerate(parties)]
        AgreementParty.objects.bulk_create(rows)
        if responsible:
            agreement.responsible_users.set(responsible)
        elif getattr(actor, "pk", None):
            agreement.responsible_users.add(actor)
        _ensure_in_scope(Agreement, actor, agreement, ADD, field="parties")
        after = audit.snapshot(agreement, AGREEMENT_FIELDS)
        audit.record(actor=actor, channel=channel, action="create", obj=agreement,
                     changes={**{k: [None, v] for k, v in after.items()
                                 if v not in (None, "", [], False)},
                              "parties": [None, [p.name for p in rows]]},
                     note=note, region_code=_first_region(agreement))
    return agreement


def _first_region(agreement: Agreement) -> str:
    codes = agreement.region_codes
    return codes[0] if codes else ""


def do_update_agreement(*, actor: Any, channel: str, agreement: Agreement,
                        data: dict[str, Any]) -> dict[str, list[Any]]:
    unknown = set(data) - AGREEMENT_EDITABLE - {"responsible_users"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    responsible = data.pop("responsible_users", None)
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, agreement)
        before = audit.snapshot(current, AGREEMENT_FIELDS)
        for key, value in data.items():
            setattr(current, key, value)
        errors = _validate_agreement(current)
        if errors:
            raise ValidationFailed(errors)
        _status_now(current)
        changes = audit.diff(before, audit.snapshot(current, AGREEMENT_FIELDS))
        if responsible is not None:
            old = sorted(current.responsible_users.values_list("pk", flat=True))
            new = sorted(u.pk for u in responsible)
            if old != new:
                current.responsible_users.set(responsible)
                changes["responsible_users"] = [old, new]
        if not changes:
            return {}
        current.save()
        audit.record(actor=actor, channel=channel, action="update", obj=current,
                     changes=changes, region_code=_first_region(current))
    agreement.refresh_from_db()
    return changes


def _transition(actor: Any, channel: str, agreement: Agreement, target: str,
                **fields: Any) -> Agreement:
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, agreement)
        if not lifecycle.allowed_transition(current.state, target):
            raise _err("invalid_transition", "state",
                       _("Perubahan status dari %(a)s ke %(b)s tidak diizinkan.")
                       % {"a": current.get_state_display(), "b": target})
        before = audit.snapshot(current, AGREEMENT_FIELDS)
        current.state = target
        for key, value in fields.items():
            setattr(current, key, value)
        errors = _check_dates(current.start_date, current.end_date)
        if errors:
            raise ValidationFailed(errors)
        _status_now(current)
        current.save()
        audit.record(actor=actor, channel=channel, action=f"agreement.{target}", obj=current,
                     changes=audit.diff(before, audit.snapshot(current, AGREEMENT_FIELDS)),
                     region_code=_first_region(current))
    agreement.refresh_from_db()
    return current


def do_sign_agreement(*, actor: Any, channel: str, agreement: Agreement,
                      signing_date: dt.date, start_date: dt.date | None = None,
                      end_date: dt.date | None = None) -> Agreement:
    start = start_date or agreement.start_date or signing_date
    end = end_date or agreement.end_date
    if end is None:
        raise ValidationFailed([DomainError("required", field="end_date")])
    if not agreement.parties.exists():
        raise _err("parties_required", "parties", _("Sebutkan sedikitnya satu pihak."))
    return _transition(actor, channel, agreement, "signed", signing_date=signing_date,
                       start_date=start, end_date=end)


def do_terminate_agreement(*, actor: Any, channel: str, agreement: Agreement,
                           reason: str) -> Agreement:
    if not reason.strip():
        raise ValidationFailed([DomainError("required", field="reason")])
    return _transition(actor, channel, agreement, "terminated", termination_reason=reason)


def do_extend_agreement(*, actor: Any, channel: str, agreement: Agreement,
                        new_end_date: dt.date) -> Agreement:
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, agreement)
        if current.state != "signed":
            raise _err("invalid_transition", "state",
                       _("Hanya perjanjian yang sudah ditandatangani dapat diperpanjang."))
        if current.end_date and new_end_date <= current.end_date:
            raise _err("extension_not_later", "new_end_date",
                       _("Tanggal berakhir baru harus sesudah %(d)s.")
                       % {"d": current.end_date.isoformat()})
        before = audit.snapshot(current, AGREEMENT_FIELDS)
        current.end_date = new_end_date
        current.extended = True
        _status_now(current)
        current.save()
        audit.record(actor=actor, channel=channel, action="agreement.extend", obj=current,
                     changes=audit.diff(before, audit.snapshot(current, AGREEMENT_FIELDS)),
                     region_code=_first_region(current))
    agreement.refresh_from_db()
    return current


def _child_added(actor: Any, channel: str, agreement: Agreement, what: str,
                 obj: models.Model, fields: list[str]) -> None:
    audit.record(actor=actor, channel=channel, action=f"{what}.add", obj=agreement,
                 changes={what: [None, audit.snapshot(obj, fields)]},
                 region_code=_first_region(agreement))


def do_add_party(*, actor: Any, channel: str, agreement: Agreement,
                 data: dict[str, Any]) -> AgreementParty:
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, agreement)
        party = _party_from(current, data, current.parties.count() + 1)
        party.save()
        _child_added(actor, channel, current, "party", party, PARTY_FIELDS)
    return party


def do_remove_party(*, actor: Any, channel: str, party: AgreementParty) -> None:
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, party.agreement_id)
        before = audit.snapshot(party, PARTY_FIELDS)
        party.delete()
        if not current.parties.exists():
            raise _err("parties_required", "parties", _("Sebutkan sedikitnya satu pihak."))
        _ensure_in_scope(Agreement, actor, current, field="parties")
        audit.record(actor=actor, channel=channel, action="party.delete", obj=current,
                     changes={"party": [before, None]}, region_code=_first_region(current))


def do_add_funding(*, actor: Any, channel: str, agreement: Agreement,
                   data: dict[str, Any]) -> Funding:
    errors = []
    if data.get("source") not in FundingSource.values:
        errors.append(DomainError("required", field="source"))
    year = data.get("year") or 0
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.append(_err("invalid_year", "year", _("Tahun anggaran tidak valid.")))
    amount = Decimal(str(data.get("amount") or 0))
    if amount < 0:
        errors.append(_err("negative_amount", "amount", _("Jumlah tidak boleh negatif.")))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, agreement)
        party = data.get("party")
        if party is not None and party.agreement_id != current.pk:
            raise _err("invalid_value", "party", _("Pihak bukan bagian perjanjian ini."))
        row = Funding.objects.create(agreement=current, party=party, source=data["source"],
                                     year=year, amount=amount, note=data.get("note", ""))
        _child_added(actor, channel, current, "funding", row,
                     ["party", "source", "year", "amount", "note"])
    return row


def do_add_plan(*, actor: Any, channel: str, agreement: Agreement,
                data: dict[str, Any]) -> DeliveryPlan:
    if data.get("kind") not in DeliveryKind.values:
        raise ValidationFailed([DomainError("required", field="kind")])
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, agreement)
        row = DeliveryPlan.objects.create(agreement=current, **data)
        _child_added(actor, channel, current, "plan", row,
                     ["kind", "description", "people", "budget"])
    return row


def do_add_delivery(*, actor: Any, channel: str, agreement: Agreement,
                    data: dict[str, Any]) -> Delivery:
    errors = []
    if data.get("kind") not in DeliveryKind.values:
        errors.append(DomainError("required", field="kind"))
    if not data.get("title"):
        errors.append(DomainError("required", field="title"))
    errors += _check_url(data.get("reference_url"), "reference_url")
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, agreement)
        party = data.get("party")
        if party is not None and party.agreement_id != current.pk:
            raise _err("invalid_value", "party", _("Pihak bukan bagian perjanjian ini."))
        row = Delivery.objects.create(agreement=current, **data)
        _child_added(actor, channel, current, "delivery", row,
                     ["kind", "title", "date", "people", "budget", "reference_id",
                      "reference_url", "party"])
    return row


LINK_FIELDS = ["kind", "batch", "scheme", "placement", "event", "party", "budget", "note"]


def link_target_model(target: str) -> Any:
    """The model a link target name (``batch``, ``scheme``, ``placement``, ``event``) points at."""
    if target not in DeliveryLink.TARGETS:
        raise ValidationFailed([_err("invalid_value", "target",
                                     _("Jenis kegiatan tidak dikenal."))])
    return DeliveryLink._meta.get_field(target).related_model


def do_link_delivery(*, actor: Any, channel: str, agreement: Agreement, target: str,
                     record: Any, party: AgreementParty | None = None,
                     budget: Decimal | None = None, note: str = "") -> DeliveryLink:
    """Link a training batch, scholarship intake, field placement or assessment event to the
    agreement it implements. The actor must be able to change the agreement and to see the
    record (``restrict(actor, "view")`` of the record's own app); a record implements at most
    one agreement."""
    model = link_target_model(target)
    errors = []
    if budget is not None and budget < 0:
        errors.append(_err("negative_amount", "budget", _("Jumlah tidak boleh negatif.")))
    if record is None or not model.objects.restrict(actor, "view").filter(pk=record.pk).exists():
        errors.append(DomainError("not_found", field=target))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, agreement)
        if party is not None and party.agreement_id != current.pk:
            raise ValidationFailed([_err("invalid_value", "party",
                                         _("Pihak bukan bagian perjanjian ini."))])
        existing = DeliveryLink.objects.filter(**{target: record}).select_related(
            "agreement").first()
        if existing is not None:
            raise ValidationFailed([_err(
                "already_linked", target,
                _("Kegiatan ini sudah tertaut ke %(agreement)s.") % {
                    "agreement": existing.agreement}, agreement=existing.agreement_id)])
        row = DeliveryLink.objects.create(
            agreement=current, kind=DeliveryLink.TARGETS[target], party=party, budget=budget,
            note=note, created_by=actor if getattr(actor, "pk", None) else None,
            **{target: record})
        _child_added(actor, channel, current, "link", row, LINK_FIELDS)
    return row


def do_unlink_delivery(*, actor: Any, channel: str, link: DeliveryLink) -> None:
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, link.agreement_id)
        before = audit.snapshot(link, LINK_FIELDS)
        DeliveryLink.objects.filter(pk=link.pk, agreement=current).delete()
        audit.record(actor=actor, channel=channel, action="link.delete", obj=current,
                     changes={"link": [before, None]}, region_code=_first_region(current))


RESEARCH_FIELDS = ["title", "researchers", "start_date", "end_date", "status", "findings",
                   "recommendations", "recommendations_sent_on"]


def do_save_research(*, actor: Any, channel: str, agreement: Agreement,
                     data: dict[str, Any], research: ResearchActivity | None = None,
                     ) -> ResearchActivity:
    errors = [] if data.get("title", research.title if research else "") else [
        DomainError("required", field="title")]
    errors += _check_dates(data.get("start_date"), data.get("end_date"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, agreement)
        if research is None:
            row = ResearchActivity.objects.create(agreement=current, **data)
            _child_added(actor, channel, current, "research", row, RESEARCH_FIELDS)
            return row
        row = ResearchActivity.objects.select_for_update().get(pk=research.pk,
                                                                agreement=current)
        before = audit.snapshot(row, RESEARCH_FIELDS)
        for key, value in data.items():
            setattr(row, key, value)
        row.save()
        changes = audit.diff(before, audit.snapshot(row, RESEARCH_FIELDS))
        if changes:
            audit.record(actor=actor, channel=channel, action="research.update", obj=current,
                         changes={"research": [row.pk, changes]},
                         region_code=_first_region(current))
    return row


def check_document(name: str, content: bytes) -> str:
    """The content type of an acceptable upload, or a DomainError naming the reason."""
    import os

    ext = os.path.splitext(name)[1].lower()
    if ext not in DOCUMENT_TYPES:
        raise _err("file_type", "file", _("Jenis berkas %(ext)s tidak diterima; gunakan "
                                          "PDF, DOCX, DOC, ODT, XLSX, JPG atau PNG.")
                   % {"ext": ext or "(tanpa ekstensi)"})
    if not content:
        raise _err("file_empty", "file", _("Berkas kosong."))
    if len(content) > MAX_DOCUMENT_BYTES:
        raise too_large(len(content))
    content_type, magics = DOCUMENT_TYPES[ext]
    if not content.startswith(magics):
        raise _err("file_mismatch", "file", _("Isi berkas tidak sesuai dengan ekstensinya "
                                              "(%(ext)s).") % {"ext": ext})
    return content_type


def do_upload_document(*, actor: Any, channel: str, agreement: Agreement, name: str,
                       content: bytes, doc_type: str = "naskah") -> AgreementDocument:
    content_type = check_document(name, content)
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, agreement)
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[-120:]
        doc = AgreementDocument(agreement=current, doc_type=doc_type, original_name=name[:255],
                                content_type=content_type, size=len(content),
                                sha256=hashlib.sha256(content).hexdigest(),
                                uploaded_by=actor if getattr(actor, "pk", None) else None)
        doc.file.save(safe, ContentFile(content), save=False)
        doc.save()
        audit.record(actor=actor, channel=channel, action="document.add", obj=current,
                     changes={"document": [None, {"name": doc.original_name, "size": doc.size,
                                                  "sha256": doc.sha256}]},
                     region_code=_first_region(current))
    return doc


def do_delete_document(*, actor: Any, channel: str, document: AgreementDocument) -> None:
    with transaction.atomic():
        current: Agreement = _locked(Agreement, actor, document.agreement_id)
        info = {"name": document.original_name, "sha256": document.sha256}
        storage, path = document.file.storage, document.file.name
        document.delete()
        audit.record(actor=actor, channel=channel, action="document.delete", obj=current,
                     changes={"document": [info, None]}, region_code=_first_region(current))
        transaction.on_commit(lambda: storage.delete(path))


# --------------------------------------------------------------------------------------------
# Status refresh and reminders (the daily command)
# --------------------------------------------------------------------------------------------


def refresh_statuses(today: dt.date | None = None) -> int:
    """Store each agreement's calendar status; audit each change (channel system)."""
    today = today or dt.date.today()
    changed = 0
    for agreement in Agreement.objects.exclude(state__in=["draft", "terminated"]).iterator():
        status = agreement.compute_status(today)
        if status != agreement.status:
            with transaction.atomic():
                old = agreement.status
                Agreement.objects.filter(pk=agreement.pk).update(status=status,
                                                                 status_checked_on=today)
                audit.record(actor=None, channel="system", action="agreement.status",
                             obj=agreement, changes={"status": [old, status]})
            changed += 1
    return changed


def notify(users: Iterable[Any], *, kind: str, key: str, title: str, body: str = "",
           url: str = "") -> int:
    """Create one notification per user and key (repeats are ignored); e-mail it when e-mail
    is configured (``EMAIL_HOST`` or a non-SMTP ``EMAIL_BACKEND``) and the user has an address."""
    from django.conf import settings
    from django.core.mail import send_mail

    from .models import Notification

    created = 0
    email_on = bool(getattr(settings, "EMAIL_HOST", "") not in ("", "localhost")
                    or "smtp" not in getattr(settings, "EMAIL_BACKEND", "smtp"))
    for user in users:
        try:
            with transaction.atomic():
                note = Notification.objects.create(user=user, kind=kind, key=key[:120],
                                                   title=title[:200], body=body, url=url)
        except IntegrityError:
            continue
        created += 1
        if email_on and user.email:
            try:
                send_mail(title, f"{body}\n\n{url}".strip(), None, [user.email])
            except OSError:
                continue
            Notification.objects.filter(pk=note.pk).update(emailed=True)
    return created


WRITER_ROLES = ("national_admin", "province_operator", "district_operator")


def _org_users(org_ids: Iterable[int]) -> list[Any]:
    from sdmkesos.core.models import User

    return list(User.objects.filter(organisation_id__in=list(org_ids), is_active=True,
                                    role__in=WRITER_ROLES))


def agreement_recipients(agreement: Agreement) -> list[Any]:
    """The agreement's responsible users; without any, the operators of its parties'
    organisations."""
    users = list(agreement.responsible_users.filter(is_active=True))
    return users or _org_users(agreement.parties.exclude(organisation=None)
                               .values_list("organisation_id", flat=True))


def action_recipients(item: ActionItem) -> list[Any]:
    """The action item's responsible account; without one, the owners' operators."""
    if item.responsible_user is not None and item.responsible_user.is_active:
        return [item.responsible_user]
    return _org_users(item.owners.values_list("organisation_id", flat=True))


def too_large(size: int) -> DomainError:
    return _err("file_too_large", "file", _("Berkas terlalu besar (%(mb).1f MB; paling besar "
                                            "10 MB).") % {"mb": size / 1024 / 1024})


def send_reminders(today: dt.date | None = None, base_url: str = "") -> int:
    """Reminders for agreements reaching 90 and 30 days before their end, and for action items
    past their due date. Each (user, agreement, threshold) gets one notification."""
    from django.urls import reverse

    today = today or dt.date.today()
    sent = 0
    for agreement in Agreement.objects.filter(state="signed", end_date__gte=today,
                                              end_date__lte=today + dt.timedelta(days=90)):
        threshold = lifecycle.reminder_due(agreement.state, agreement.end_date, today)
        if threshold is None:
            continue
        left = lifecycle.days_left(agreement.end_date, today)
        url = base_url + reverse("partnerships:agreement_detail", args=[agreement.pk])
        sent += notify(
            agreement_recipients(agreement), kind="agreement.expiring",
            key=f"agreement:{agreement.pk}:{agreement.end_date}:{threshold}",
            title=_("%(ag)s berakhir dalam %(n)s hari") % {"ag": agreement, "n": left},
            body=_("%(title)s berakhir pada %(end)s. Perpanjang atau siapkan penutupannya.")
            % {"title": agreement.title, "end": agreement.end_date}, url=url)
    overdue = ActionItem.objects.filter(due_date__lt=today).exclude(
        status__in=lifecycle.CLOSED_ACTION_STATUSES).select_related("responsible_user")
    for item in overdue:
        url = base_url + reverse("partnerships:action_detail", args=[item.pk])
        sent += notify(action_recipients(item), kind="action.overdue",
                       key=f"action:{item.pk}:{item.due_date}:overdue",
                       title=_("Rencana aksi lewat tenggat: %(t)s") % {"t": item.title[:120]},
                       body=_("Tenggat %(d)s terlewati.") % {"d": item.due_date}, url=url)
    return sent


# --------------------------------------------------------------------------------------------
# Coordination meetings
# --------------------------------------------------------------------------------------------


def _cover(meeting: Meeting, codes: Iterable[str | None]) -> None:
    have = set(meeting.coverage.values_list("region_id", flat=True))
    for code in {c for c in codes if c} - have:
        row = MeetingRegion(meeting=meeting)
        row.set_region(code)
        row.save()


def do_create_meeting(*, actor: Any, channel: str, data: dict[str, Any],
                      regions: Iterable[str] = ()) -> Meeting:
    _require(actor, ADD)
    errors = [DomainError("required", field=f) for f in ("title", "organiser", "start_date",
                                                         "end_date") if not data.get(f)]
    errors += _check_dates(data.get("start_date"), data.get("end_date"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        meeting = Meeting(**data)
        meeting.set_region(org_region(meeting.organiser))
        if meeting.previous_id is None:
            meeting.previous = (Meeting.objects.filter(organiser=meeting.organiser,
                                                       start_date__lt=meeting.start_date)
                                .order_by("-start_date").first())
        meeting.save()
        _cover(meeting, [meeting.region_id, *regions])
        _ensure_in_scope(Meeting, actor, meeting, CHANGE, field="organiser")
        audit.record(actor=actor, channel=channel, action="create", obj=meeting,
                     changes={k: [None, v] for k, v in
                              audit.snapshot(meeting, MEETING_FIELDS).items() if v},
                     region_code=meeting.region_id)
    return meeting


def do_update_meeting(*, actor: Any, channel: str, meeting: Meeting, data: dict[str, Any],
                      regions: Iterable[str] | None = None) -> dict[str, list[Any]]:
    with transaction.atomic():
        current: Meeting = _locked(Meeting, actor, meeting)
        before = audit.snapshot(current, MEETING_FIELDS)
        for key, value in data.items():
            setattr(current, key, value)
        errors = _check_dates(current.start_date, current.end_date)
        if errors:
            raise ValidationFailed(errors)
        current.set_region(org_region(current.organiser))
        current.save()
        if regions is not None:
            _cover(current, regions)
        _ensure_in_scope(Meeting, actor, current, CHANGE, field="organiser")
        changes = audit.diff(before, audit.snapshot(current, MEETING_FIELDS))
        if changes:
            audit.record(actor=actor, channel=channel, action="update", obj=current,
                         changes=changes, region_code=current.region_id)
    return changes


def do_add_session(*, actor: Any, channel: str, meeting: Meeting,
                   data: dict[str, Any]) -> MeetingSession:
    if not data.get("title"):
        raise ValidationFailed([DomainError("required", field="title")])
    with transaction.atomic():
        current: Meeting = _locked(Meeting, actor, meeting)
        row = MeetingSession.objects.create(meeting=current, **data)
        audit.record(actor=actor, channel=channel, action="session.add", obj=current,
                     changes={"session": [None, audit.snapshot(
                         row, ["kind", "title", "date", "facilitator", "findings"])]},
                     region_code=current.region_id)
    return row


def do_update_session_findings(*, actor: Any, channel: str, session: MeetingSession,
                               findings: str) -> None:
    with transaction.atomic():
        current: Meeting = _locked(Meeting, actor, session.meeting_id)
        before = session.findings
        MeetingSession.objects.filter(pk=session.pk).update(findings=findings)
        audit.record(actor=actor, channel=channel, action="session.findings", obj=current,
                     changes={f"session.{session.pk}.findings": [before, findings]},
                     region_code=current.region_id)


def _participant(meeting: Meeting, data: dict[str, Any]) -> Participant:
    org: Organisation | None = data.get("organisation")
    region = data.get("region")
    row = Participant(meeting=meeting, name=data.get("name", ""),
                      position=data.get("position", ""), organisation=org,
                      organisation_name=data.get("organisation_name", "") or (
                          org.name if org else ""),
                      region=region if isinstance(region, Region) else None,
                      count=int(data.get("count") or 1), person=data.get("person"),
                      source=data.get("source", "manual"))
    if row.region is None and org is not None and org.region_id:
        row.region_id = org.region_id
    if not (row.name or row.organisation_name):
        raise ValidationFailed([DomainError("required", field="name")])
    if row.count < 1:
        raise ValidationFailed([_err("invalid_count", "count",
                                     _("Jumlah orang sedikitnya 1."))])
    return row


def do_add_participants(*, actor: Any, channel: str, meeting: Meeting,
                        rows: list[dict[str, Any]], note: str = "") -> list[Participant]:
    with transaction.atomic():
        current: Meeting = _locked(Meeting, actor, meeting)
        built = [_participant(current, r) for r in rows]
        Participant.objects.bulk_create(built)
        _cover(current, [p.region_id[:5] if p.region_id else None for p in built])
        audit.record(actor=actor, channel=channel, action="participants.add", obj=current,
                     changes={"participants": [None, {"rows": len(built),
                                                      "people": sum(p.count for p in built)}]},
                     note=note, region_code=current.region_id)
    return built


def do_add_resolution(*, actor: Any, channel: str, meeting: Meeting, text: str,
                      session: MeetingSession | None = None) -> Resolution:
    if not text.strip():
        raise ValidationFailed([DomainError("required", field="text")])
    with transaction.atomic():
        current: Meeting = _locked(Meeting, actor, meeting)
        number = (current.resolutions.aggregate(m=models.Max("number"))["m"] or 0) + 1
        row = Resolution.objects.create(meeting=current, number=number, text=text.strip(),
                                        session=session)
        audit.record(actor=actor, channel=channel, action="resolution.add", obj=current,
                     changes={"resolution": [None, {"number": number, "text": row.text}]},
                     region_code=current.region_id)
    return row


def _set_owners(item: ActionItem, owners: Iterable[Organisation]) -> list[str]:
    ActionOwner.objects.filter(action=item).delete()
    codes = []
    for org in owners:
        owner = ActionOwner(action=item, organisation=org)
        owner.set_region(org_region(org))
        owner.save()
        codes.append(org.code)
    return codes


def _validate_action(data: dict[str, Any], owners: list[Organisation]) -> None:
    errors = []
    if "title" in data and not data["title"]:
        errors.append(DomainError("required", field="title"))
    if data.get("status") and data["status"] not in ActionStatus.values:
        errors.append(_err("invalid_value", "status", _("Status tidak dikenal.")))
    errors += _check_url(data.get("evidence_url"), "evidence_url")
    if data.get("status") == ActionStatus.DONE and not (data.get("evidence")
                                                        or data.get("evidence_url")):
        errors.append(_err("evidence_required", "evidence",
                           _("Sertakan bukti penyelesaian (uraian atau tautan).")))
    if errors:
        raise ValidationFailed(errors)


def do_create_action(*, actor: Any, channel: str, resolution: Resolution,
                     data: dict[str, Any], owners: list[Organisation]) -> ActionItem:
    _validate_action({"title": data.get("title", ""), **data}, owners)
    if not owners:
        raise ValidationFailed([_err("owners_required", "owners",
                                     _("Sebutkan sedikitnya satu organisasi pemilik."))])
    with transaction.atomic():
        meeting: Meeting = _locked(Meeting, actor, resolution.meeting_id)
        item = ActionItem.objects.create(resolution=resolution, **data)
        codes = _set_owners(item, owners)
        _cover(meeting, [org_region(o) for o in owners])
        audit.record(actor=actor, channel=channel, action="create", obj=item,
                     changes={**{k: [None, v] for k, v in
                                 audit.snapshot(item, ACTION_FIELDS).items() if v},
                              "owners": [None, codes]},
                     region_code=meeting.region_id)
    return item


def do_update_action(*, actor: Any, channel: str, item: ActionItem, data: dict[str, Any],
                     owners: list[Organisation] | None = None, note: str = "",
                     ) -> dict[str, list[Any]]:
    """Change an action item (owners or the organiser); a status change or a note adds a
    follow-up entry. Done needs evidence; its completion date defaults to today."""
    with transaction.atomic():
        current: ActionItem = _locked(ActionItem, actor, item)
        before = audit.snapshot(current, ACTION_FIELDS)
        for key, value in data.items():
            setattr(current, key, value)
        if current.status == ActionStatus.DONE and current.completed_on is None:
            current.completed_on = timezone.localdate()
        if current.status != ActionStatus.DONE:
            current.completed_on = None
        _validate_action(audit.snapshot(current, ACTION_FIELDS), owners or [])
        current.save()
        changes = audit.diff(before, audit.snapshot(current, ACTION_FIELDS))
        if owners is not None:
            if not owners:
                raise ValidationFailed([_err("owners_required", "owners", _(
                    "Sebutkan sedikitnya satu organisasi pemilik."))])
            old = sorted(current.owners.values_list("organisation__code", flat=True))
            new = sorted(_set_owners(current, owners))
            if old != new:
                changes["owners"] = [old, new]
                _cover(current.resolution.meeting, [org_region(o) for o in owners])
        if "status" in changes or note.strip():
            FollowUp.objects.create(action=current, author=actor if getattr(
                actor, "pk", None) else None, text=note.strip() or "-",
                status_from=before["status"] if "status" in changes else "",
                status_to=current.status if "status" in changes else "")
        _ensure_in_scope(ActionItem, actor, current, CHANGE, field="owners")
        if changes or note.strip():
            audit.record(actor=actor, channel=channel, action="update", obj=current,
                         changes=changes, note=note[:255],
                         region_code=(current.owners.values_list("region_id", flat=True)
                                      .first() or ""))
    item.refresh_from_db()
    return changes


# --------------------------------------------------------------------------------------------
# Letters
# --------------------------------------------------------------------------------------------


def next_letter_number(template: LetterTemplate, sender: Organisation, date: dt.date) -> str:
    """The next number for ``template`` from ``sender`` in ``date``'s year (call inside a
    transaction: the sequence row is locked until commit)."""
    key = f"{template.code}:{sender.code}:{date.year}"[:120]
    LetterSequence.objects.get_or_create(key=key)
    seq = LetterSequence.objects.select_for_update().get(key=key)
    while True:
        seq.last += 1
        number = lifecycle.format_number(template.number_pattern, seq=seq.last,
                                         code=sender.code, date=date)
        if not Letter.objects.filter(number=number).exists():
            break
    seq.save(update_fields=["last"])
    return number


def render_body(template_text: str, values: dict[str, str]) -> str:
    class Missing(dict[str, str]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template_text.format_map(Missing(values))


def do_create_letter(*, actor: Any, channel: str, template: LetterTemplate,
                     sender: Organisation, recipients: list[Organisation | str],
                     signatory_name: str, signatory_position: str,
                     date: dt.date | None = None, action: ActionItem | None = None,
                     extra: dict[str, str] | None = None) -> Letter:
    """One letter (one number) addressed to many organisations; logged against the action
    item when given. The PDF has one page per recipient."""
    _require(actor, ADD)
    errors = []
    if not recipients:
        errors.append(_err("recipients_required", "recipients",
                           _("Pilih sedikitnya satu penerima.")))
    if not signatory_name:
        errors.append(DomainError("required", field="signatory_name"))
    if not _org_in_scope(actor, sender):
        errors.append(DomainError("out_of_scope", field="sender"))
    if errors:
        raise ValidationFailed(errors)
    date = date or timezone.localdate()
    with transaction.atomic():
        if action is not None:
            action = _locked(ActionItem, actor, action)
        number = next_letter_number(template, sender, date)
        values = {"nomor": number, "tanggal": date.isoformat(), "perihal": template.subject,
                  "penerima": "{penerima}", "pengirim": sender.name, **(extra or {})}
        if action is not None:
            values.update({"rencana_aksi": action.title,
                           "kesepakatan": action.resolution.text,
                           "rapat": action.resolution.meeting.title})
        letter = Letter.objects.create(
            template=template, action=action, number=number, date=date,
            subject=render_body(template.subject, values), body=render_body(template.body,
                                                                            values),
            sender=sender, sender_region_id=org_region(sender),
            signatory_name=signatory_name, signatory_position=signatory_position,
            created_by=actor if getattr(actor, "pk", None) else None)
        LetterRecipient.objects.bulk_create([
            LetterRecipient(letter=letter, organisation=r if isinstance(r, Organisation)
                            else None, name=r.name if isinstance(r, Organisation) else str(r))
            for r in recipients])
        audit.record(actor=actor, channel=channel, action="letter.create", obj=letter,
                     changes={"number": [None, number],
                              "recipients": [None, [str(r) for r in recipients]]},
                     region_code=letter.sender_region_id or "")
        if action is not None:
            audit.record(actor=actor, channel=channel, action="letter.sent", obj=action,
                         changes={"letter": [None, number]},
                         note=_("%(n)s penerima") % {"n": len(recipients)})
    return letter


# --------------------------------------------------------------------------------------------
# Appointments and integrity pacts
# --------------------------------------------------------------------------------------------


def do_create_appointment(*, actor: Any, channel: str, data: dict[str, Any]) -> Appointment:
    _require(actor, ADD)
    errors = [DomainError("required", field=f) for f in (
        "position", "organisation", "decree_number", "decree_date", "appointed_on")
        if not data.get(f)]
    person = data.get("person")
    if not data.get("official_name") and person is None:
        errors.append(DomainError("required", field="official_name"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        row = Appointment(**data)
        if person is not None:
            row.official_name = row.official_name or person.name
            if row.user_id is None and person.user_id:
                row.user_id = person.user_id
        row.set_region(org_region(row.organisation))
        row.save()
        _ensure_in_scope(Appointment, actor, row, ADD)
        audit.record(actor=actor, channel=channel, action="create", obj=row,
                     changes={k: [None, v] for k, v in
                              audit.snapshot(row, APPOINTMENT_FIELDS).items() if v},
                     region_code=row.region_id)
    return row


def do_publish_pact_text(*, actor: Any, channel: str, body: str,
                         title: str = "Pakta Integritas") -> PactText:
    """A new statement version (national administrators only). Everyone must sign it anew."""
    if not scope_for(actor).unrestricted:
        raise DomainError("forbidden")
    if not body.strip():
        raise ValidationFailed([DomainError("required", field="body")])
    with transaction.atomic():
        last = PactText.objects.select_for_update().order_by("-version").first()
        digest = text_digest(body)
        if last is not None and last.sha256 == digest and last.title == title:
            raise _err("unchanged", "body", _("Naskah sama dengan versi %(v)s.")
                       % {"v": last.version})
        row = PactText.objects.create(version=(last.version + 1) if last else 1, title=title,
                                      body=body.strip(), sha256=digest, created_by=actor)
        audit.record(actor=actor, channel=channel, action="pact.publish", obj=row,
                     changes={"version": [last.version if last else None, row.version],
                              "sha256": [last.sha256 if last else None, digest]})
    return row


def signature_digest(text_sha256: str, appointment_id: int, user_id: int,
                     signed_at: dt.datetime) -> str:
    payload = f"{text_sha256}|{appointment_id}|{user_id}|{signed_at.isoformat()}"
    return hashlib.sha256(payload.encode()).hexdigest()


def do_sign_pact(*, actor: Any, channel: str, appointment: Appointment,
                 shown_sha256: str) -> PactSignature:
    """The official signs the current statement text. ``shown_sha256`` is the hash of the text
    the official saw: if the text changed in between, signing is refused."""
    text = PactText.current()
    if text is None:
        raise _err("no_pact_text", None, _("Belum ada naskah pakta integritas."))
    if appointment.user_id is None or appointment.user_id != getattr(actor, "pk", None):
        raise _err("not_the_official", None,
                   _("Hanya pejabat yang dilantik yang dapat menandatangani pakta ini."))
    if shown_sha256 != text.sha256 or text_digest(text.body) != text.sha256:
        raise _err("text_changed", None,
                   _("Naskah telah berubah sejak ditampilkan; baca dan tandatangani ulang."))
    with transaction.atomic():
        Appointment.objects.select_for_update().get(pk=appointment.pk)
        if PactSignature.objects.filter(appointment=appointment, text=text).exists():
            raise _err("already_signed", None, _("Pakta versi ini sudah ditandatangani."))
        now = timezone.now().replace(microsecond=0)
        sig = PactSignature.objects.create(
            appointment=appointment, text=text, user=actor, signed_at=now,
            text_sha256=text.sha256,
            signature_sha256=signature_digest(text.sha256, appointment.pk, actor.pk, now))
        audit.record(actor=actor, channel=channel, action="pact.sign", obj=appointment,
                     changes={"pact": [None, {"version": text.version,
                                              "sha256": text.sha256}]},
                     region_code=appointment.region_id or "")
    return sig


def verify_signature(sig: PactSignature) -> bool:
    """The stored text still hashes to what was signed, and the signature record is intact."""
    return (text_digest(sig.text.body) == sig.text_sha256 == sig.text.sha256
            and signature_digest(sig.text_sha256, sig.appointment_id, sig.user_id,
                                 sig.signed_at) == sig.signature_sha256)


TEMPLATE_FIELDS = ["code", "name", "subject", "body", "number_pattern"]


def do_save_letter_template(*, actor: Any, channel: str, data: dict[str, Any],
                            template: LetterTemplate | None = None) -> LetterTemplate:
    """Create or change a letter template (national administrators: templates are shared)."""
    if not scope_for(actor).unrestricted or not can(actor, CHANGE):
        raise DomainError("forbidden")
    errors = [DomainError("required", field=f) for f in TEMPLATE_FIELDS
              if f in data and not str(data[f]).strip()]
    pattern = data.get("number_pattern") or (template.number_pattern if template else "")
    try:
        lifecycle.format_number(pattern, seq=1, code="X", date=dt.date(2000, 1, 1))
    except (KeyError, ValueError, IndexError):
        errors.append(_err("invalid_pattern", "number_pattern", _(
            "Pola nomor hanya boleh memakai {seq}, {seq:03d}, {kode}, {bulan}, {bulan_angka}, "
            "{tahun}.")))
    code = data.get("code")
    clash = LetterTemplate.objects.filter(code=code)
    if template is not None:
        clash = clash.exclude(pk=template.pk)
    if code and clash.exists():
        errors.append(_err("code_taken", "code", _("Kode %(c)s sudah dipakai.") % {"c": code}))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        row = template or LetterTemplate()
        before = audit.snapshot(row, TEMPLATE_FIELDS) if template else {}
        for key, value in data.items():
            setattr(row, key, value)
        row.save()
        after = audit.snapshot(row, TEMPLATE_FIELDS)
        audit.record(actor=actor, channel=channel,
                     action="update" if template else "create", obj=row,
                     changes=audit.diff(before, after) if template else
                     {k: [None, v] for k, v in after.items()})
    return row


def do_mark_notifications_read(*, actor: Any, channel: str) -> int:
    """Mark the actor's own unread notifications as read; returns how many."""
    from .models import Notification

    with transaction.atomic():
        count = Notification.objects.filter(user=actor, read_at__isnull=True).update(
            read_at=timezone.now())
        if count:
            audit.record(actor=actor, channel=channel, action="notifications.read",
                         object_type="partnerships.notification", object_id=actor.pk,
                         changes={"read": [None, count]})
    return count
