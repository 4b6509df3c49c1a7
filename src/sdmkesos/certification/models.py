"""Certification: schemes, assessors, applications, assessment events, results, decisions,
certificates with their verifiable credential, status lists, issuer keys (public halves only)
and STR/SIPPS registrations.

Scoped rows carry the managing region of the person concerned (``region``, ``region_prov``,
``region_kab``) and the organisation, as ``people.Person`` does.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.models import Organisation, Region
from sdmkesos.core.scoping import RestrictedQuerySet, ScopeSpec

from .choices import (
    ApplicationStatus,
    CertificateStatus,
    EvidenceKind,
    Funding,
    Method,
    RegistrationKind,
    Route,
    Verdict,
)

PERSON_SCOPE = ScopeSpec(region="region", region_prov="region_prov", region_kab="region_kab",
                         organisation="organisation", self_user="person__user")


class PrivateStorage(FileSystemStorage):
    """Evidence files under MEDIA_ROOT/private/ (read at each use), never served by URL."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return os.path.join(settings.MEDIA_ROOT, "private")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("evidence files are not served by URL")


private_storage = PrivateStorage()


def _private_storage() -> Any:
    return private_storage


class ScopedRow(models.Model):
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", db_column="region_code",
                               verbose_name=_("wilayah"))
    region_prov = models.CharField(max_length=2, blank=True, default="", editable=False)
    region_kab = models.CharField(max_length=5, blank=True, default="", editable=False)
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("unit kerja"))

    class Meta:
        abstract = True

    def set_region(self, code: str | None) -> None:
        self.region_id = code or None
        parts = (code or "").split(".")
        self.region_prov = parts[0] if code else ""
        self.region_kab = ".".join(parts[:2]) if len(parts) >= 2 else ""


class Scheme(models.Model):
    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama skema"), max_length=150)
    category_code = models.CharField(
        _("kategori SDM (kode)"), max_length=40, blank=True,
        help_text=_("Kode kategori SDM yang terkait (mis. pekerja_sosial)."))
    validity_years = models.PositiveSmallIntegerField(_("masa berlaku (tahun)"))
    eligibility = models.JSONField(_("persyaratan"), default=dict, blank=True)
    needs_confirmation = models.BooleanField(_("nilai perlu dikonfirmasi"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)

    scope = ScopeSpec(region=None, region_prov=None, region_kab=None, organisation=None,
                      public_view=True)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("skema sertifikasi")
        verbose_name_plural = _("skema sertifikasi")

    def __str__(self) -> str:
        return self.name


class CompetencyUnit(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("kode unit"), max_length=30)
    title = models.CharField(_("judul unit"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"],
                                               name="unit_scheme_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Assessor(ScopedRow):
    person = models.OneToOneField("people.Person", on_delete=models.PROTECT,
                                  related_name="assessor", verbose_name=_("pekerja"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="assessor")
    registration_number = models.CharField(_("nomor registrasi asesor (MET)"), max_length=50,
                                           unique=True)
    qualifications = models.TextField(_("kualifikasi"), blank=True)
    schemes = models.ManyToManyField(Scheme, related_name="assessors",
                                     verbose_name=_("skema yang boleh diuji"))
    active_from = models.DateField(_("aktif sejak"))
    active_until = models.DateField(_("aktif sampai"))

    scope = PERSON_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["person__name"]
        verbose_name = _("asesor")
        verbose_name_plural = _("asesor")

    def __str__(self) -> str:
        return f"{self.person.name} ({self.registration_number})"

    def active_on(self, day: dt.date) -> bool:
        return self.active_from <= day <= self.active_until


class AssessmentEvent(ScopedRow):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("nama kegiatan"), max_length=200)
    date = models.DateField(_("tanggal uji"))
    place = models.CharField(_("tempat uji kompetensi (TUK)"), max_length=200)
    assessors: models.ManyToManyField[Assessor, AssessorAssignment] = models.ManyToManyField(
        Assessor, through="AssessorAssignment", related_name="events")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = ScopeSpec(region="region", region_prov="region_prov", region_kab="region_kab",
                      organisation="organisation")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("kegiatan uji kompetensi")
        verbose_name_plural = _("kegiatan uji kompetensi")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d-%m-%Y})"


class AssessorAssignment(models.Model):
    event = models.ForeignKey(AssessmentEvent, on_delete=models.CASCADE,
                              related_name="assignments")
    assessor = models.ForeignKey(Assessor, on_delete=models.PROTECT, related_name="assignments")
    is_lead = models.BooleanField(_("ketua tim"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "assessor"],
                                               name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.assessor_id}"


class Application(ScopedRow):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="certification_applications")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="applications")
    route = models.CharField(_("jalur"), max_length=12, choices=Route.choices,
                             default=Route.SELF)
    nominated_by = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("diusulkan oleh"))
    supervisor = models.ForeignKey("people.Person", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("atasan langsung"))
    practice_hours = models.PositiveIntegerField(_("jam praktik"), default=0)
    trainings = models.JSONField(_("pelatihan yang diikuti"), default=list, blank=True)
    is_member = models.BooleanField(_("anggota organisasi profesi"), default=False)
    funding = models.CharField(_("sumber biaya"), max_length=10, choices=Funding.choices,
                               default=Funding.APBN)
    fee = models.DecimalField(_("biaya (Rp)"), max_digits=12, decimal_places=0, default=0)
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    eligibility_result = models.JSONField(default=list, blank=True)
    event = models.ForeignKey(AssessmentEvent, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="applications")
    recommendation = models.CharField(_("rekomendasi asesor"), max_length=2, blank=True,
                                      choices=Verdict.choices)
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(_("keputusan"), max_length=2, blank=True,
                                choices=Verdict.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="reassessments",
                                 verbose_name=_("asesmen sebelumnya"))
    created_at = models.DateTimeField(auto_now_add=True)

    scope = PERSON_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("permohonan sertifikasi")
        verbose_name_plural = _("permohonan sertifikasi")
        indexes = [models.Index(fields=["region_prov", "status"], name="cert_app_prov")]

    def __str__(self) -> str:
        return f"{self.person.name} - {self.scheme.code}"


class Evidence(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="evidence")
    kind = models.CharField(_("jenis bukti"), max_length=12, choices=EvidenceKind.choices)
    file = models.FileField(storage=_private_storage, upload_to="certification/evidence/%Y/%m")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class UnitResult(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="unit_results")
    unit = models.ForeignKey(CompetencyUnit, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("metode"), max_length=12, choices=Method.choices)
    verdict = models.CharField(_("hasil"), max_length=2, choices=Verdict.choices)
    assessor = models.ForeignKey(Assessor, on_delete=models.PROTECT, related_name="results")
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "unit", "method"],
                                               name="unit_result_once")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.verdict}"


class IssuerKey(models.Model):
    """The public half of a signing key. The secret lives in a file in the key directory
    (SDMKESOS_SIGNING_KEY_DIR), never in the database."""

    kid = models.CharField(max_length=60, unique=True)
    public_key_multibase = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    keep_until = models.DateField(null=True, blank=True,
                                  help_text="retired key stays published until this date")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.kid

    @property
    def state(self) -> str:
        if self.withdrawn_at:
            return "withdrawn"
        return "retired" if self.retired_at else "active"


class Certificate(ScopedRow):
    public_id = models.CharField(max_length=16, unique=True)
    number = models.CharField(_("nomor sertifikat"), max_length=60, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="certificates")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="certificates")
    application = models.ForeignKey(Application, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="certificates")
    renewed_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="renewals")
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"))
    status = models.CharField(_("status"), max_length=10, choices=CertificateStatus.choices,
                              default=CertificateStatus.ACTIVE)
    status_reason = models.CharField(_("alasan"), max_length=255, blank=True)
    status_list = models.PositiveIntegerField(default=1)
    status_index = models.PositiveIntegerField()
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="certificates")
    credential = models.JSONField()
    issued_at = models.DateTimeField(auto_now_add=True)

    scope = PERSON_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("sertifikat kompetensi")
        verbose_name_plural = _("sertifikat kompetensi")
        constraints = [models.UniqueConstraint(fields=["status_list", "status_index"],
                                               name="certificate_status_slot")]
        indexes = [models.Index(fields=["status", "valid_until"], name="cert_expiry"),
                   models.Index(fields=["region_prov", "status"], name="cert_prov")]

    def __str__(self) -> str:
        return self.number

    def state_on(self, day: dt.date) -> str:
        if self.status != CertificateStatus.ACTIVE:
            return str(self.status)
        if day > self.valid_until:
            return "expired"
        return "active"


class StatusListCredential(models.Model):
    """The latest signed Bitstring Status List credential of one list and purpose (derived
    from the certificates' statuses; rebuilt by the actions that change them)."""

    list_number = models.PositiveIntegerField()
    purpose = models.CharField(max_length=12)
    credential = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["list_number", "purpose"],
                                               name="status_list_once")]

    def __str__(self) -> str:
        return f"{self.list_number}/{self.purpose}"


class ProfessionalRegistration(ScopedRow):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="registrations")
    kind = models.CharField(_("jenis"), max_length=6, choices=RegistrationKind.choices)
    number = models.CharField(_("nomor"), max_length=60)
    issued_by = models.CharField(_("diterbitkan oleh"), max_length=150)
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"))
    certificate = models.ForeignKey(Certificate, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="registrations")

    scope = PERSON_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["person", "kind", "-valid_until"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"],
                                               name="registration_number_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


class CompletionCredential(ScopedRow):
    """A training completion credential (Open Badges 3.0 ``OpenBadgeCredential``) for one
    completed participant of a training batch: signed with the issuer's keys and carried on
    the same status lists as the competency certificates."""

    public_id = models.CharField(max_length=16, unique=True)
    number = models.CharField(_("nomor"), max_length=60, unique=True)
    nomination = models.OneToOneField("training.Nomination", on_delete=models.PROTECT,
                                      related_name="completion_credential")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="completion_credentials")
    status = models.CharField(_("status"), max_length=10, choices=CertificateStatus.choices,
                              default=CertificateStatus.ACTIVE)
    status_reason = models.CharField(_("alasan"), max_length=255, blank=True)
    status_list = models.PositiveIntegerField(default=1)
    status_index = models.PositiveIntegerField()
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT,
                            related_name="completion_credentials")
    credential = models.JSONField()
    issued_at = models.DateTimeField(auto_now_add=True)

    scope = PERSON_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("sertifikat pelatihan")
        verbose_name_plural = _("sertifikat pelatihan")
        constraints = [models.UniqueConstraint(fields=["status_list", "status_index"],
                                               name="completion_status_slot")]

    def __str__(self) -> str:
        return self.number
