"""Agreements (MoU, PKS), their delivery and research; coordination meetings with agreements
(kesepakatan) and action items; official letters; appointments and integrity pacts;
in-app notifications.

Records that involve several organisations keep their scope on child rows (parties, covered
regions, owners): see ``partnerships.scoping``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.models import Organisation, Region, region_parts
from sdmkesos.core.scoping import ScopeSpec

from . import lifecycle
from .choices import (
    ActionStatus,
    AgreementKind,
    AgreementState,
    AgreementStatus,
    DeliveryKind,
    DocumentType,
    FundingSource,
    MeetingKind,
    ResearchStatus,
    SessionKind,
)
from .scoping import MultiScopeQuerySet


class PrivateStorage(LazyObject):
    """Uploaded agreement documents: outside MEDIA_ROOT and without a URL, so only the scoped
    download view serves them."""

    def _setup(self) -> None:
        root = getattr(settings, "SDMKESOS_PRIVATE_ROOT", None) or (
            Path(settings.MEDIA_ROOT).parent / "private")
        self._wrapped = FileSystemStorage(location=str(root), base_url=None)


private_storage = PrivateStorage()


def _private_storage() -> Any:
    return private_storage


class RegionScoped(models.Model):
    """Region columns for one-predicate scoping, set from ``region`` by ``set_region``."""

    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("wilayah"))
    region_prov = models.CharField(max_length=2, blank=True, db_index=True, editable=False)
    region_kab = models.CharField(max_length=5, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True

    def set_region(self, code: str | None) -> None:
        self.region_id = code or None
        self.region_prov, self.region_kab = region_parts(code)


def org_region(org: Organisation | None) -> str | None:
    """The region a party or owner stands for: the organisation's managing region (None for
    national bodies, which only national users and their own organisation scope reach)."""
    return org.managing_region_code if org is not None else None


# --------------------------------------------------------------------------------------------
# Notifications
# --------------------------------------------------------------------------------------------


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="partnership_notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(_("jenis"), max_length=40)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=120, help_text="dedupe key: one notice per user and key")
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="partnership_notification_once")]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------------------------
# Agreements
# --------------------------------------------------------------------------------------------

PARTY_SCOPE = ScopeSpec(region="parties__region", region_prov="parties__region_prov",
                        region_kab="parties__region_kab", organisation="parties__organisation")


class Agreement(models.Model):
    kind = models.CharField(_("jenis"), max_length=3, choices=AgreementKind.choices)
    number = models.CharField(_("nomor"), max_length=120)
    title = models.CharField(_("judul"), max_length=300)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("MoU induk"))
    summary = models.TextField(_("ringkasan"), blank=True)
    scopes = models.JSONField(_("ruang lingkup"), default=list, blank=True)
    signing_date = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    start_date = models.DateField(_("mulai berlaku"), null=True, blank=True)
    end_date = models.DateField(_("berakhir"), null=True, blank=True)
    state = models.CharField(_("keadaan"), max_length=12, choices=AgreementState.choices,
                             default=AgreementState.DRAFT)
    extended = models.BooleanField(_("pernah diperpanjang"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT, db_index=True, editable=False)
    status_checked_on = models.DateField(null=True, blank=True, editable=False)
    termination_reason = models.TextField(_("alasan pengakhiran"), blank=True)
    responsible_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="responsible_agreements",
        verbose_name=_("penanggung jawab"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = PARTY_SCOPE
    objects = MultiScopeQuerySet.as_manager()

    class Meta:
        ordering = ["-signing_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"],
                                               name="partnership_agreement_number")]
        verbose_name = _("perjanjian kerja sama")
        verbose_name_plural = _("perjanjian kerja sama")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def compute_status(self, today: dt.date | None = None) -> str:
        return lifecycle.effective_status(self.state, self.start_date, self.end_date,
                                          today or dt.date.today(), self.extended)

    @property
    def scope_labels(self) -> list[str]:
        from .choices import Scope

        labels = dict(Scope.choices)
        return [str(labels.get(code, code)) for code in self.scopes or []]

    @property
    def region_codes(self) -> list[str]:
        return sorted({p.region_id for p in self.parties.all() if p.region_id})


class AgreementParty(RegionScoped):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisasi"))
    name = models.CharField(_("nama pihak"), max_length=200)
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=150, blank=True)
    signatory_position = models.CharField(_("jabatan penanda tangan"), max_length=200,
                                          blank=True)
    obligations = models.TextField(_("kewajiban"), blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("pihak")
        verbose_name_plural = _("pihak")

    def __str__(self) -> str:
        return self.name


class Funding(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="funding")
    party = models.ForeignKey(AgreementParty, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="funding", verbose_name=_("pihak"))
    source = models.CharField(_("sumber dana"), max_length=20, choices=FundingSource.choices)
    year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    amount = models.DecimalField(_("jumlah (Rp)"), max_digits=16, decimal_places=2,
                                 default=Decimal(0))
    note = models.CharField(_("keterangan"), max_length=255, blank=True)

    class Meta:
        ordering = ["year", "id"]
        verbose_name = _("pendanaan")
        verbose_name_plural = _("pendanaan")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.year}: {self.amount}"


class AgreementDocument(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("jenis dokumen"), max_length=12, choices=DocumentType.choices,
                                default=DocumentType.TEXT)
    file = models.FileField(storage=_private_storage, upload_to="agreements/%Y/")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")

    def __str__(self) -> str:
        return self.original_name


class DeliveryPlan(models.Model):
    """What the agreement promises: people and budget per kind of delivery."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(_("jenis"), max_length=20, choices=DeliveryKind.choices)
    description = models.CharField(_("uraian"), max_length=255, blank=True)
    people = models.PositiveIntegerField(_("target orang"), default=0)
    budget = models.DecimalField(_("anggaran rencana (Rp)"), max_digits=16, decimal_places=2,
                                 default=Decimal(0))

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("rencana capaian")
        verbose_name_plural = _("rencana capaian")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.people}"


class Delivery(models.Model):
    """Delivery entered by hand (or posted through the API) for what no app records: e.g.
    volunteers trained by lecturers outside the registry, a research output. Records of the
    training and certification apps are linked instead (``DeliveryLink``)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE,
                                  related_name="deliveries")
    kind = models.CharField(_("jenis"), max_length=20, choices=DeliveryKind.choices)
    title = models.CharField(_("kegiatan"), max_length=255)
    date = models.DateField(_("tanggal"), null=True, blank=True)
    people = models.PositiveIntegerField(_("jumlah orang"), default=0)
    budget = models.DecimalField(_("anggaran terealisasi (Rp)"), max_digits=16,
                                 decimal_places=2, default=Decimal(0))
    reference_id = models.CharField(_("id rujukan"), max_length=60, blank=True)
    reference_url = models.URLField(_("tautan rujukan"), blank=True)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    party = models.ForeignKey(AgreementParty, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="deliveries", verbose_name=_("pihak penyandang dana"))

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")

    def __str__(self) -> str:
        return self.title


class DeliveryLink(models.Model):
    """A record in the training or certification app that implements the agreement: a training
    batch, a scholarship intake, a field practice placement or an assessment event. Exactly one
    target is set; each record implements at most one agreement (one-to-one), so nothing is
    counted twice. People and budget are computed from the linked record (``queries``);
    ``budget`` overrides the computed amount (or gives it, where the record carries no cost).
    ``party`` names the party whose funding paid for it (what a province's APBD bought)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("jenis"), max_length=20, choices=DeliveryKind.choices,
                            editable=False)
    batch = models.OneToOneField("training.Batch", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="agreement_link",
                                 verbose_name=_("angkatan pelatihan"))
    scheme = models.OneToOneField("training.ScholarshipScheme", null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="agreement_link",
                                  verbose_name=_("skema beasiswa"))
    placement = models.OneToOneField("training.FieldPlacement", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="agreement_link",
                                     verbose_name=_("praktik lapangan"))
    event = models.OneToOneField("certification.AssessmentEvent", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="agreement_link",
                                 verbose_name=_("kegiatan uji kompetensi"))
    party = models.ForeignKey(AgreementParty, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="links", verbose_name=_("pihak penyandang dana"))
    budget = models.DecimalField(_("anggaran terealisasi (Rp)"), max_digits=16,
                                 decimal_places=2, null=True, blank=True)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    TARGETS = {"batch": DeliveryKind.TRAINING_BATCH, "scheme": DeliveryKind.SCHOLARSHIP,
               "placement": DeliveryKind.FIELD_PRACTICE, "event": DeliveryKind.CERTIFICATION}

    class Meta:
        ordering = ["kind", "id"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(batch__isnull=False, scheme__isnull=True,
                                placement__isnull=True, event__isnull=True)
                       | models.Q(batch__isnull=True, scheme__isnull=False,
                                  placement__isnull=True, event__isnull=True)
                       | models.Q(batch__isnull=True, scheme__isnull=True,
                                  placement__isnull=False, event__isnull=True)
                       | models.Q(batch__isnull=True, scheme__isnull=True,
                                  placement__isnull=True, event__isnull=False)),
            name="partnership_link_one_target")]
        verbose_name = _("kegiatan tertaut")
        verbose_name_plural = _("kegiatan tertaut")

    def __str__(self) -> str:
        return str(self.target)

    @property
    def target(self) -> Any:
        return self.batch or self.scheme or self.placement or self.event


class ResearchActivity(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="research")
    title = models.CharField(_("judul penelitian"), max_length=300)
    researchers = models.CharField(_("peneliti"), max_length=300, blank=True)
    start_date = models.DateField(_("mulai"), null=True, blank=True)
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ResearchStatus.choices,
                              default=ResearchStatus.PLANNED)
    findings = models.TextField(_("temuan"), blank=True)
    recommendations = models.TextField(_("rekomendasi"), blank=True)
    recommendations_sent_on = models.DateField(_("rekomendasi disampaikan"), null=True,
                                               blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("penelitian")
        verbose_name_plural = _("penelitian")

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------------------------
# Coordination meetings
# --------------------------------------------------------------------------------------------

COVERAGE_SCOPE = ScopeSpec(region="coverage__region", region_prov="coverage__region_prov",
                           region_kab="coverage__region_kab", organisation="organiser")


MEETING_ORGANISER_SCOPE = ScopeSpec(region="region", region_prov="region_prov",
                                    region_kab="region_kab", organisation="organiser")


class Meeting(RegionScoped):
    """``region`` is the organiser's managing region (None for national bodies)."""

    kind = models.CharField(_("jenis"), max_length=10, choices=MeetingKind.choices,
                            default=MeetingKind.RAKOR)
    title = models.CharField(_("nama kegiatan"), max_length=300)
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("penyelenggara"))
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    venue_region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("wilayah tempat"))
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="next_meetings",
                                 verbose_name=_("rapat sebelumnya"))
    summary = models.TextField(_("ringkasan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = MEETING_ORGANISER_SCOPE
    scope_specs = (COVERAGE_SCOPE, MEETING_ORGANISER_SCOPE)
    scopes_by_action = {"change": (MEETING_ORGANISER_SCOPE,),
                        "delete": (MEETING_ORGANISER_SCOPE,)}
    objects = MultiScopeQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("rapat koordinasi")
        verbose_name_plural = _("rapat koordinasi")

    def __str__(self) -> str:
        return self.title


class MeetingRegion(RegionScoped):
    """A region the meeting covers (its participants' and owners' regions, the organiser's)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="coverage")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "region"],
                                               name="partnership_meeting_region_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.region_id}"


class MeetingSession(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("jenis sesi"), max_length=6, choices=SessionKind.choices)
    title = models.CharField(_("judul sesi"), max_length=300)
    date = models.DateField(_("tanggal"), null=True, blank=True)
    facilitator = models.CharField(_("narasumber/fasilitator"), max_length=200, blank=True)
    findings = models.TextField(_("temuan"), blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A person, or a number of people from one organisation/region (``count``)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("nama"), max_length=200, blank=True)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisasi"))
    organisation_name = models.CharField(_("instansi (teks)"), max_length=200, blank=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("wilayah"))
    count = models.PositiveIntegerField(_("jumlah orang"), default=1)
    person = models.ForeignKey("people.Person", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=10, default="manual")

    class Meta:
        ordering = ["region_id", "id"]
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")

    def __str__(self) -> str:
        return self.name or self.organisation_name or str(self.count)


class Resolution(models.Model):
    """A kesepakatan (agreement reached at the meeting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField(_("nomor"))
    text = models.TextField(_("isi kesepakatan"))
    session = models.ForeignKey(MeetingSession, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("sesi"))

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("kesepakatan")
        verbose_name_plural = _("kesepakatan")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


OWNER_SCOPE = ScopeSpec(region="owners__region", region_prov="owners__region_prov",
                        region_kab="owners__region_kab", organisation="owners__organisation")
ORGANISER_SCOPE = ScopeSpec(region="resolution__meeting__region",
                            region_prov="resolution__meeting__region_prov",
                            region_kab="resolution__meeting__region_kab",
                            organisation="resolution__meeting__organiser")


class ActionItem(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("rencana aksi"), max_length=300)
    description = models.TextField(_("uraian"), blank=True)
    responsible = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    responsible_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+",
                                         verbose_name=_("akun penanggung jawab"))
    due_date = models.DateField(_("tenggat"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN, db_index=True)
    evidence = models.TextField(_("bukti penyelesaian"), blank=True)
    evidence_url = models.URLField(_("tautan bukti"), blank=True)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = OWNER_SCOPE
    # Viewing: the owners, and everyone who sees the meeting; changing: owners and organiser.
    scope_specs = (OWNER_SCOPE, ScopeSpec(region="resolution__meeting__coverage__region",
                                     region_prov="resolution__meeting__coverage__region_prov",
                                     region_kab="resolution__meeting__coverage__region_kab",
                                     organisation="resolution__meeting__organiser"))
    scopes_by_action = {"change": (OWNER_SCOPE, ORGANISER_SCOPE),
                        "delete": (OWNER_SCOPE, ORGANISER_SCOPE)}
    objects = MultiScopeQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return lifecycle.is_overdue(self.status, self.due_date, today or dt.date.today())


class ActionOwner(RegionScoped):
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="owners")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisasi pemilik"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "organisation"],
                                               name="partnership_action_owner_once")]

    def __str__(self) -> str:
        return f"{self.action_id}:{self.organisation_id}"


class FollowUp(models.Model):
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="followups")
    at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    text = models.TextField(_("catatan tindak lanjut"))
    status_from = models.CharField(max_length=12, blank=True)
    status_to = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


# --------------------------------------------------------------------------------------------
# Official letters
# --------------------------------------------------------------------------------------------


class LetterTemplate(models.Model):
    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama templat"), max_length=200)
    subject = models.CharField(_("perihal"), max_length=300)
    body = models.TextField(_("isi"), help_text=_(
        "Penanda: {penerima}, {nomor}, {tanggal}, {perihal}, {rapat}, {kesepakatan}, "
        "{rencana_aksi}"))
    number_pattern = models.CharField(
        _("pola nomor"), max_length=120, default="{seq:03d}/{kode}/{bulan}/{tahun}",
        help_text=_("{seq}, {seq:03d}, {kode}, {bulan} (romawi), {bulan_angka}, {tahun}"))

    scope = ScopeSpec(region=None, region_prov=None, region_kab=None, organisation=None,
                      public_view=True)
    objects = MultiScopeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("templat surat")
        verbose_name_plural = _("templat surat")

    def __str__(self) -> str:
        return self.name


class LetterSequence(models.Model):
    """The last number given per (template code, sender, year); incremented under a row lock."""

    key = models.CharField(max_length=120, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.last}"


SENDER_SCOPE = ScopeSpec(region="sender_region", region_prov=None, region_kab=None,
                         organisation="sender")


class Letter(models.Model):
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(ActionItem, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="letters", verbose_name=_("rencana aksi"))
    number = models.CharField(_("nomor surat"), max_length=120, unique=True)
    date = models.DateField(_("tanggal surat"))
    subject = models.CharField(_("perihal"), max_length=300)
    body = models.TextField(_("isi"))
    sender = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("pengirim"))
    sender_region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=150)
    signatory_position = models.CharField(_("jabatan penanda tangan"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = SENDER_SCOPE
    scope_specs = (SENDER_SCOPE, ScopeSpec(region="action__owners__region",
                                      region_prov="action__owners__region_prov",
                                      region_kab="action__owners__region_kab",
                                      organisation="action__owners__organisation"))
    objects = MultiScopeQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("surat")
        verbose_name_plural = _("surat")

    def __str__(self) -> str:
        return self.number


class LetterRecipient(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("penerima"), max_length=250)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


# --------------------------------------------------------------------------------------------
# Appointments and integrity pacts
# --------------------------------------------------------------------------------------------


def text_digest(text: str) -> str:
    """SHA-256 of a statement text as signed (UTF-8, line endings normalised to \\n)."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


class PactText(models.Model):
    """One version of the integrity pact statement. The newest version is the one to sign."""

    version = models.PositiveIntegerField(_("versi"), unique=True)
    title = models.CharField(_("judul"), max_length=200, default="Pakta Integritas")
    body = models.TextField(_("isi pernyataan"))
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope = ScopeSpec(region=None, region_prov=None, region_kab=None, organisation=None,
                      public_view=True)
    objects = MultiScopeQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("naskah pakta integritas")
        verbose_name_plural = _("naskah pakta integritas")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @classmethod
    def current(cls) -> PactText | None:
        return cls.objects.order_by("-version").first()


APPOINTMENT_SCOPE = ScopeSpec(region="region", region_prov="region_prov",
                              region_kab="region_kab", organisation="organisation",
                              self_user="user")


class Appointment(RegionScoped):
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("pegawai"))
    official_name = models.CharField(_("nama pejabat"), max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="appointments",
                             verbose_name=_("akun pejabat"))
    position = models.CharField(_("jabatan"), max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("unit kerja"))
    decree_number = models.CharField(_("nomor SK"), max_length=120)
    decree_date = models.DateField(_("tanggal SK"))
    appointed_on = models.DateField(_("tanggal pelantikan"))
    oath_taken = models.BooleanField(_("sumpah/janji jabatan diucapkan"), default=True)
    oath_text = models.CharField(_("sumpah/janji"), max_length=200, blank=True)
    event = models.CharField(_("acara pelantikan"), max_length=300, blank=True)

    scope = APPOINTMENT_SCOPE
    objects = MultiScopeQuerySet.as_manager()

    class Meta:
        ordering = ["-appointed_on", "-id"]
        verbose_name = _("pelantikan")
        verbose_name_plural = _("pelantikan")

    def __str__(self) -> str:
        return f"{self.official_name} — {self.position}"


class PactSignature(models.Model):
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT,
                                    related_name="signatures")
    text = models.ForeignKey(PactText, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    signed_at = models.DateTimeField()
    text_sha256 = models.CharField(max_length=64)
    signature_sha256 = models.CharField(
        max_length=64, help_text="SHA-256 over text hash, appointment, account and time")

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["appointment", "text"],
                                               name="partnership_pact_sign_once")]

    def __str__(self) -> str:
        return f"{self.appointment_id} v{self.text_id}"
