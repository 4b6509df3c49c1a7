"""Training (diklat): programmes, venues, trainers, batches (angkatan) with sessions, nominations
through enrolment to completion, attendance, feedback; scholarships and field practice.

Managed rows (programmes, venues, trainers, batches, scholarship schemes) carry the managing
region of their organisation (``region``/``region_prov``/``region_kab``; empty for national
bodies such as Poltekesos and the BBPPKS) and the organisation itself, so ``restrict`` scopes them
like people. Programmes, venues, trainers and batches are a catalogue every signed-in user may
read; participants (nominations) are scoped through the person and the batch's organiser.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.models import (
    EducationLevel,
    Organisation,
    Region,
    WorkforceCategory,
    region_parts,
)
from sdmkesos.core.scoping import RestrictedQuerySet, ScopeSpec

CATALOGUE_SCOPE = ScopeSpec(public_view=True)


class ProgrammeType(models.TextChoices):
    TECHNICAL = "teknis", _("Teknis")
    FUNCTIONAL = "fungsional", _("Fungsional")
    LEADERSHIP = "kepemimpinan", _("Kepemimpinan")
    LATSAR = "latsar", _("Latsar CPNS")


class Mode(models.TextChoices):
    CLASSROOM = "klasikal", _("Klasikal")
    ELEARNING = "elearning", _("E-learning")
    BLENDED = "blended", _("Blended")


class FundingSource(models.TextChoices):
    APBN = "apbn", _("APBN")
    APBD = "apbd", _("APBD")
    PARTNER = "mitra", _("Mitra")
    OTHER = "lainnya", _("Lainnya")


class BatchStatus(models.TextChoices):
    PLANNED = "rencana", _("Rencana")
    OPEN = "dibuka", _("Dibuka (pendaftaran)")
    RUNNING = "berjalan", _("Berjalan")
    FINISHED = "selesai", _("Selesai")
    CANCELLED = "batal", _("Dibatalkan")


class NominationStatus(models.TextChoices):
    NOMINATED = "diusulkan", _("Diusulkan")
    APPROVED = "disetujui", _("Disetujui")
    REJECTED = "ditolak", _("Ditolak")
    WAITLISTED = "daftar_tunggu", _("Daftar tunggu")
    ENROLLED = "terdaftar", _("Terdaftar (peserta)")
    WITHDRAWN = "mundur", _("Mengundurkan diri")
    COMPLETED = "lulus", _("Lulus")
    NOT_COMPLETED = "tidak_lulus", _("Tidak lulus")


# A person holds a seat (and can clash with another batch) in these states.
SEAT_STATUSES = (NominationStatus.ENROLLED, NominationStatus.COMPLETED,
                 NominationStatus.NOT_COMPLETED)
ACTIVE_STATUSES = (NominationStatus.NOMINATED, NominationStatus.APPROVED,
                   NominationStatus.WAITLISTED, NominationStatus.ENROLLED)


class Managed(models.Model):
    """An organisation's row, scoped by that organisation's managing region."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("penyelenggara"))
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("wilayah pengelola"))
    region_prov = models.CharField(max_length=2, blank=True, default="", editable=False)
    region_kab = models.CharField(max_length=5, blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def set_managing(self, organisation: Organisation) -> None:
        self.organisation = organisation
        code = organisation.managing_region_code
        self.region_id = code
        self.region_prov, self.region_kab = region_parts(code)


class Programme(Managed):
    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    type = models.CharField(_("jenis"), max_length=20, choices=ProgrammeType.choices)
    mode = models.CharField(_("moda"), max_length=20, choices=Mode.choices,
                            default=Mode.CLASSROOM)
    jp = models.PositiveIntegerField(_("durasi (JP)"), help_text=_("Jam pelajaran"))
    days = models.PositiveSmallIntegerField(_("lama (hari)"), default=1)
    description = models.TextField(_("uraian"), blank=True)
    cost_per_participant = models.DecimalField(_("biaya per peserta (Rp)"), max_digits=14,
                                               decimal_places=2, default=0)
    # Eligibility: empty means "anyone".
    eligible_categories = models.ManyToManyField(WorkforceCategory, blank=True, related_name="+",
                                                 verbose_name=_("kategori SDM yang boleh ikut"))
    min_education = models.ForeignKey(EducationLevel, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("pendidikan minimal"))
    asn_only = models.BooleanField(_("khusus ASN"), default=False)
    min_attendance = models.PositiveSmallIntegerField(
        _("kehadiran minimal (%)"), default=0, validators=[MaxValueValidator(100)],
        help_text=_("Peserta di bawah persentase kehadiran ini tidak dapat dinyatakan lulus "
                    "(0: tanpa syarat)."))
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True,
                                           related_name="+",
                                           verbose_name=_("prasyarat (sudah lulus)"))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = CATALOGUE_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("program pelatihan")
        verbose_name_plural = _("program pelatihan")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProgrammeCompetency(models.Model):
    """A competency the programme develops and the level a graduate reaches."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE,
                                  related_name="competencies")
    competency = models.ForeignKey("competency.Competency", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("kompetensi"))
    resulting_level = models.PositiveSmallIntegerField(
        _("level yang dicapai"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["competency__code"]
        constraints = [models.UniqueConstraint(fields=["programme", "competency"],
                                               name="programme_competency_unique")]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.competency.code} → {self.resulting_level}"


class Venue(Managed):
    name = models.CharField(_("nama"), max_length=200)
    venue_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("lokasi (kab/kota)"))
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("kapasitas (orang)"))
    daily_cost = models.DecimalField(_("biaya per hari (Rp)"), max_digits=14, decimal_places=2,
                                     default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    scope = CATALOGUE_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tempat pelatihan")
        verbose_name_plural = _("tempat pelatihan")

    def __str__(self) -> str:
        return self.name


class TrainerKind(models.TextChoices):
    WIDYAISWARA = "widyaiswara", _("Widyaiswara")
    LECTURER = "dosen", _("Dosen")
    FACILITATOR = "fasilitator", _("Fasilitator")
    PRACTITIONER = "praktisi", _("Praktisi")


class Trainer(Managed):
    name = models.CharField(_("nama"), max_length=150)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("data pekerja"))
    kind = models.CharField(_("jenis"), max_length=20, choices=TrainerKind.choices)
    home_region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("domisili"))
    max_days_per_year = models.PositiveSmallIntegerField(
        _("beban maksimal (hari/tahun)"), default=120)
    competencies = models.ManyToManyField("competency.Competency", blank=True, related_name="+",
                                          verbose_name=_("kompetensi yang diajarkan"))
    is_active = models.BooleanField(_("aktif"), default=True)

    scope = CATALOGUE_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("pengajar")
        verbose_name_plural = _("pengajar")

    def __str__(self) -> str:
        return self.name


class TrainerAvailability(models.Model):
    """A window the trainer is available (``available``) or not. With at least one available
    window, batches must fall inside one; an unavailable window overlapping a batch refuses it."""

    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="availability")
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    available = models.BooleanField(_("tersedia"), default=True)
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]

    def __str__(self) -> str:
        return f"{self.trainer_id} {self.start_date}..{self.end_date}"


class Batch(Managed):
    """An angkatan of a programme. ``start_date``/``end_date`` follow its sessions."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="batches",
                                  verbose_name=_("program"))
    number = models.PositiveSmallIntegerField(_("angkatan ke-"))
    name = models.CharField(_("nama"), max_length=200, blank=True)
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="batches", verbose_name=_("tempat"))
    venue_region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("wilayah pelaksanaan"))
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    capacity = models.PositiveIntegerField(_("kapasitas"))
    allow_waitlist = models.BooleanField(_("daftar tunggu"), default=True)
    funding_source = models.CharField(_("sumber dana"), max_length=20,
                                      choices=FundingSource.choices, default=FundingSource.APBN)
    status = models.CharField(_("status"), max_length=20, choices=BatchStatus.choices,
                              default=BatchStatus.PLANNED)
    trainers: models.ManyToManyField[Trainer, BatchTrainer] = models.ManyToManyField(
        Trainer, through="BatchTrainer", blank=True, related_name="batches")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = CATALOGUE_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "programme__code", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"],
                                               name="batch_number_unique")]
        indexes = [models.Index(fields=["start_date", "end_date"], name="batch_dates")]
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")

    def __str__(self) -> str:
        return self.name or f"{self.programme.name} angkatan {self.number}"

    @property
    def code(self) -> str:
        """``<programme code>-<number>`` (``PDPS-3``): how sheets name the batch."""
        return f"{self.programme.code}-{self.number}"


class BatchSession(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("tanggal"))
    topic = models.CharField(_("materi"), max_length=200, blank=True)
    jp = models.PositiveSmallIntegerField(_("JP"), default=0)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"


class BatchTrainer(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="trainer_links")
    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="batch_links")
    role = models.CharField(_("peran"), max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "trainer"],
                                               name="batch_trainer_unique")]

    def __str__(self) -> str:
        return f"{self.trainer_id}@{self.batch_id}"


NOMINATION_SCOPE = ScopeSpec(region="person__region", region_prov="person__region_prov",
                             region_kab="person__region_kab", organisation="batch__organisation",
                             self_user="person__user")

class Nomination(models.Model):
    """A person put forward for a batch by an office, and their way to completion."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="nominations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="training_nominations")
    nominated_by = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("diusulkan oleh"))
    status = models.CharField(_("status"), max_length=20, choices=NominationStatus.choices,
                              default=NominationStatus.NOMINATED)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    pre_test = models.DecimalField(_("pre-test"), max_digits=5, decimal_places=2, null=True,
                                   blank=True)
    post_test = models.DecimalField(_("post-test"), max_digits=5, decimal_places=2, null=True,
                                    blank=True)
    completed_on = models.DateField(_("tanggal lulus"), null=True, blank=True)
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=80, blank=True)
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = NOMINATION_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "person__name"]
        constraints = [models.UniqueConstraint(fields=["batch", "person"],
                                               name="nomination_unique")]
        indexes = [models.Index(fields=["person", "status"], name="nomination_person")]
        verbose_name = _("peserta/usulan")
        verbose_name_plural = _("peserta/usulan")

    def __str__(self) -> str:
        return f"{self.person} @ {self.batch}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "hadir", _("Hadir")
    EXCUSED = "izin", _("Izin")
    SICK = "sakit", _("Sakit")
    ABSENT = "alpa", _("Tanpa keterangan")


class Attendance(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE,
                                   related_name="attendance")
    session = models.ForeignKey(BatchSession, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("kehadiran"), max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "session"],
                                               name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.nomination_id}/{self.session_id}: {self.status}"


class Feedback(models.Model):
    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE,
                                      related_name="feedback")
    rating = models.PositiveSmallIntegerField(
        _("penilaian umum (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    trainer_rating = models.PositiveSmallIntegerField(
        _("penilaian pengajar (1-5)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    comments = models.TextField(_("saran dan komentar"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feedback {self.nomination_id}: {self.rating}"


# --- degree programmes, scholarships, field practice -----------------------------------------


class DegreeLevel(models.TextChoices):
    D4 = "d4", _("D4 / Sarjana Terapan")
    S2 = "s2", _("S2 / Magister Terapan")
    PROFESSION = "profesi", _("Pendidikan Profesi")


class ScholarshipScheme(Managed):
    """A scholarship intake (beasiswa) for a degree programme. ``organisation`` manages it."""

    name = models.CharField(_("nama"), max_length=200)
    degree = models.CharField(_("jenjang"), max_length=20, choices=DegreeLevel.choices)
    institution = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("perguruan tinggi"))
    study_programme = models.CharField(_("program studi"), max_length=200)
    sponsor = models.CharField(_("sponsor"), max_length=200)
    funding_source = models.CharField(_("sumber dana"), max_length=20,
                                      choices=FundingSource.choices, default=FundingSource.APBN)
    intake_year = models.PositiveSmallIntegerField(_("tahun masuk"))
    quota = models.PositiveIntegerField(_("kuota"))

    scope = CATALOGUE_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-intake_year", "name"]
        verbose_name = _("skema beasiswa")
        verbose_name_plural = _("skema beasiswa")

    def __str__(self) -> str:
        return f"{self.name} {self.intake_year}"


class ScholarStatus(models.TextChoices):
    APPLICANT = "pendaftar", _("Pendaftar")
    SELECTED = "diterima", _("Diterima")
    STUDYING = "studi", _("Sedang studi")
    GRADUATED = "lulus", _("Lulus")
    DROPPED = "berhenti", _("Berhenti")
    REJECTED = "ditolak", _("Tidak diterima")


class Scholar(models.Model):
    scheme = models.ForeignKey(ScholarshipScheme, on_delete=models.PROTECT,
                               related_name="scholars")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="scholarships")
    status = models.CharField(_("status"), max_length=20, choices=ScholarStatus.choices,
                              default=ScholarStatus.APPLICANT)
    start_date = models.DateField(_("mulai studi"), null=True, blank=True)
    end_date = models.DateField(_("selesai studi"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    scope = ScopeSpec(region="person__region", region_prov="person__region_prov",
                      region_kab="person__region_kab", organisation="scheme__organisation",
                      self_user="person__user")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "person__name"]
        constraints = [models.UniqueConstraint(fields=["scheme", "person"],
                                               name="scholar_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.scheme_id}"


class PlacementStatus(models.TextChoices):
    PLANNED = "rencana", _("Rencana")
    ONGOING = "berjalan", _("Berjalan")
    DONE = "selesai", _("Selesai")
    CANCELLED = "batal", _("Batal")


class FieldPlacement(models.Model):
    """A student's field practice (praktik lapangan) at a host office in a region. Students are
    not registry workers, so they are named here; the host office scopes the row."""

    student_name = models.CharField(_("nama mahasiswa"), max_length=150)
    student_number = models.CharField(_("NIM"), max_length=40, blank=True)
    institution = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("perguruan tinggi"))
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("instansi tempat praktik"))
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("wilayah"))
    region_prov = models.CharField(max_length=2, blank=True, default="", editable=False)
    region_kab = models.CharField(max_length=5, blank=True, default="", editable=False)
    supervisor = models.ForeignKey("people.Person", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("pembimbing lapangan"))
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    status = models.CharField(_("status"), max_length=20, choices=PlacementStatus.choices,
                              default=PlacementStatus.PLANNED)
    scholar = models.ForeignKey(Scholar, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="placements")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope = ScopeSpec(region="region", organisation="institution")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "student_name"]
        verbose_name = _("praktik lapangan")
        verbose_name_plural = _("praktik lapangan")

    def __str__(self) -> str:
        return self.student_name



# --- training plans (the optimiser's results, kept so users can come back) -------------------


class PlanStatus(models.TextChoices):
    QUEUED = "antre", _("Dalam antrean")
    RUNNING = "berjalan", _("Sedang dihitung")
    DRAFT = "draf", _("Draf (siap ditinjau)")
    FAILED = "gagal", _("Gagal")
    ACCEPTED = "diterima", _("Diterima (angkatan dibuat)")


class TrainingPlan(models.Model):
    """One run of the training-plan optimiser on registry data: the target group and limits it
    was asked for (``parameters``), the instance's size (``summary``) and the plan JSON
    (``result``). Scoped by the target region (empty: national) and the organiser; accepting
    creates the batches and nominations through the training actions."""

    name = models.CharField(_("nama"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices,
                              default=PlanStatus.QUEUED)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("wilayah sasaran"))
    region_prov = models.CharField(max_length=2, blank=True, default="", editable=False)
    region_kab = models.CharField(max_length=5, blank=True, default="", editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("penyelenggara angkatan"))
    parameters = models.JSONField(_("parameter"), default=dict)
    summary = models.JSONField(_("ringkasan instance"), default=dict, blank=True)
    result = models.JSONField(_("rencana (JSON)"), null=True, blank=True)
    failure = models.TextField(_("kegagalan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    batches = models.ManyToManyField(Batch, blank=True, related_name="plans",
                                     verbose_name=_("angkatan yang dibuat"))

    scope = ScopeSpec(region="region", region_prov="region_prov", region_kab="region_kab",
                      organisation="organisation")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rencana pelatihan")
        verbose_name_plural = _("rencana pelatihan")

    def __str__(self) -> str:
        return self.name

    def set_region(self, region: Region | None) -> None:
        self.region = region
        self.region_prov, self.region_kab = region_parts(region.code if region else None)

    @property
    def finished(self) -> bool:
        return self.status not in (PlanStatus.QUEUED, PlanStatus.RUNNING)
