"""Functional careers (JF), credit points, retirement and performance (SKP).

Reference tables (``JfRank``, ``JfLevel``, ``JfPosition``, ``RatingLevel``) hold the numbers of
``data/jf_rules.json`` so an administrator can correct them; ``careers.reference`` seeds them and
builds :class:`sdmkesos.careers.rules.CareerRules` from them. Person records are scoped through the
person (``person__region`` ...), like the registry's education and employment records.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.scoping import RestrictedQuerySet, ScopeSpec
from sdmkesos.people.models import Person

PUBLIC = ScopeSpec(region=None, region_prov=None, region_kab=None, organisation=None,
                   public_view=True)
THROUGH_PERSON = ScopeSpec(region="person__region", region_prov="person__region_prov",
                           region_kab="person__region_kab", organisation="person__organisation",
                           self_user="person__user")


class Track(models.TextChoices):
    SKILL = "keterampilan", _("Keterampilan")
    EXPERT = "keahlian", _("Keahlian")


class PositionKind(models.TextChoices):
    FUNCTIONAL = "functional", _("Jabatan fungsional")
    ADMINISTRATIVE = "administrative", _("Jabatan administrasi")
    JPT = "jpt", _("Jabatan pimpinan tinggi")


class Expectation(models.TextChoices):
    BELOW = "below", _("Di bawah ekspektasi")
    MEETING = "meeting", _("Sesuai ekspektasi")
    ABOVE = "above", _("Di atas ekspektasi")


class BerAkhlak(models.TextChoices):
    SERVICE = "berorientasi_pelayanan", _("Berorientasi Pelayanan")
    ACCOUNTABLE = "akuntabel", _("Akuntabel")
    COMPETENT = "kompeten", _("Kompeten")
    HARMONIOUS = "harmonis", _("Harmonis")
    LOYAL = "loyal", _("Loyal")
    ADAPTIVE = "adaptif", _("Adaptif")
    COLLABORATIVE = "kolaboratif", _("Kolaboratif")


class SkpStatus(models.TextChoices):
    DRAFT = "draft", _("Rencana")
    EVALUATED = "evaluated", _("Dinilai atasan")
    ACKNOWLEDGED = "acknowledged", _("Diterima pegawai")


# --- reference data (administrators correct these) ---------------------------------------------


class JfRank(models.Model):
    """Pangkat/golongan ruang, ascending by ``order``."""

    code = models.CharField(_("golongan"), max_length=8, unique=True)
    name = models.CharField(_("pangkat"), max_length=60)
    order = models.PositiveSmallIntegerField(_("urutan"))

    scope = PUBLIC
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = _("golongan ruang")
        verbose_name_plural = _("golongan ruang")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class JfLevel(models.Model):
    """A JF level (jenjang) with its rank range, annual coefficient and AK thresholds."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    label_id = models.CharField(_("nama"), max_length=60)
    label_en = models.CharField(_("nama (Inggris)"), max_length=60, blank=True)
    track = models.CharField(_("kategori"), max_length=20, choices=Track.choices)
    rank_low = models.ForeignKey(JfRank, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("golongan terendah"))
    rank_high = models.ForeignKey(JfRank, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("golongan tertinggi"))
    coefficient = models.DecimalField(_("koefisien tahunan"), max_digits=8, decimal_places=3)
    ak_next_rank = models.DecimalField(_("AK kenaikan pangkat"), max_digits=8, decimal_places=3)
    ak_next_level = models.DecimalField(_("AK kenaikan jenjang"), max_digits=8, decimal_places=3,
                                        null=True, blank=True)
    next_level = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("jenjang berikutnya"))
    retirement_age = models.PositiveSmallIntegerField(_("batas usia pensiun"))
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    scope = PUBLIC
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("jenjang jabatan fungsional")
        verbose_name_plural = _("jenjang jabatan fungsional")

    def __str__(self) -> str:
        return self.label_id


class JfPosition(models.Model):
    """A functional position: Pekerja Sosial, Penyuluh Sosial."""

    code = models.CharField(_("kode"), max_length=40, unique=True)
    label_id = models.CharField(_("nama"), max_length=100)
    label_en = models.CharField(_("nama (Inggris)"), max_length=100, blank=True)
    tracks = models.JSONField(_("kategori"), default=list)
    source = models.CharField(_("dasar hukum"), max_length=200, blank=True)

    scope = PUBLIC
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("jabatan fungsional")
        verbose_name_plural = _("jabatan fungsional")

    def __str__(self) -> str:
        return self.label_id


class RatingLevel(models.Model):
    """A performance rating (predikat kinerja) and its credit-point percentage; best first."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    label_id = models.CharField(_("nama"), max_length=60)
    label_en = models.CharField(_("nama (Inggris)"), max_length=60, blank=True)
    percent = models.DecimalField(_("persentase"), max_digits=6, decimal_places=2)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    scope = PUBLIC
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("predikat kinerja")
        verbose_name_plural = _("predikat kinerja")

    def __str__(self) -> str:
        return self.label_id


# --- a person's career ---------------------------------------------------------------------------


class CareerPosition(models.Model):
    """One spell in a position: a JF at a level and rank from ``tmt`` (terhitung mulai tanggal),
    or an administrative / senior leadership position (for the retirement age)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="career_positions")
    kind = models.CharField(_("jenis jabatan"), max_length=20, choices=PositionKind.choices,
                            default=PositionKind.FUNCTIONAL)
    jf = models.ForeignKey(JfPosition, null=True, blank=True, on_delete=models.PROTECT,
                           verbose_name=_("jabatan fungsional"))
    level = models.ForeignKey(JfLevel, null=True, blank=True, on_delete=models.PROTECT,
                              verbose_name=_("jenjang"))
    rank = models.ForeignKey(JfRank, null=True, blank=True, on_delete=models.PROTECT,
                             verbose_name=_("golongan"))
    tmt = models.DateField(_("TMT"))
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    opening_ak = models.DecimalField(_("AK awal"), max_digits=8, decimal_places=3, default=0,
                                     help_text=_("Angka kredit yang dibawa (PAK terakhir)."))
    competency_test_passed = models.BooleanField(_("lulus uji kompetensi"), default=False)
    competency_test_date = models.DateField(_("tanggal uji kompetensi"), null=True, blank=True)
    vacancy_available = models.BooleanField(_("formasi jenjang berikutnya tersedia"),
                                            default=False)
    note = models.CharField(_("catatan"), max_length=255, blank=True)

    scope = THROUGH_PERSON
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-tmt", "-id"]
        indexes = [models.Index(fields=["person", "tmt"])]
        verbose_name = _("riwayat jabatan")
        verbose_name_plural = _("riwayat jabatan")

    def __str__(self) -> str:
        if self.kind == PositionKind.FUNCTIONAL and self.level_id:
            return f"{self.jf} {self.level} {self.rank.code if self.rank else ''}".strip()
        return str(self.get_kind_display())

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class CreditEntry(models.Model):
    """Credit points (angka kredit) of one period, converted from the period's rating."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credit_entries")
    position = models.ForeignKey(CareerPosition, on_delete=models.CASCADE,
                                 related_name="credits", verbose_name=_("jabatan"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    months = models.PositiveSmallIntegerField(_("bulan"), default=12)
    rating = models.CharField(_("predikat"), max_length=30)
    credit_points = models.DecimalField(_("angka kredit"), max_digits=8, decimal_places=3)
    skp = models.ForeignKey("Skp", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="credit_entries")
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = THROUGH_PERSON
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["year", "id"]
        constraints = [models.UniqueConstraint(fields=["position", "year"],
                                               name="credit_entry_position_year")]
        verbose_name = _("angka kredit")
        verbose_name_plural = _("angka kredit")

    def __str__(self) -> str:
        return f"{self.year}: {self.credit_points}"


# --- performance (SKP) ---------------------------------------------------------------------------


class Skp(models.Model):
    """An annual SKP (sasaran kinerja pegawai) of a civil servant."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skps")
    year = models.PositiveSmallIntegerField(_("tahun"))
    supervisor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="skps_supervised",
                                   verbose_name=_("pejabat penilai (atasan)"))
    second_supervisor = models.ForeignKey(Person, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+",
                                          verbose_name=_("atasan pejabat penilai"))
    status = models.CharField(_("status"), max_length=20, choices=SkpStatus.choices,
                              default=SkpStatus.DRAFT)
    results_rating = models.CharField(_("penilaian hasil kerja"), max_length=10,
                                      choices=Expectation.choices, blank=True)
    behaviour_rating = models.CharField(_("penilaian perilaku kerja"), max_length=10,
                                        choices=Expectation.choices, blank=True)
    final_rating = models.CharField(_("predikat kinerja"), max_length=30, blank=True)
    evaluation_note = models.TextField(_("catatan penilaian"), blank=True)
    evaluated_at = models.DateTimeField(_("dinilai pada"), null=True, blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(_("diterima pada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = THROUGH_PERSON
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "year"],
                                               name="skp_person_year")]
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")

    def __str__(self) -> str:
        return f"SKP {self.year} {self.person}"


class SkpResult(models.Model):
    """A work result (rencana hasil kerja), optionally cascaded from the supervisor's."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="results")
    text = models.CharField(_("rencana hasil kerja"), max_length=500)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="children",
                               verbose_name=_("hasil kerja atasan yang diintervensi"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class SkpIndicator(models.Model):
    result = models.ForeignKey(SkpResult, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(_("indikator"), max_length=500)
    target = models.CharField(_("target"), max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.text}: {self.target}"


def _evidence_storage() -> Any:
    """The private storage of uploaded documents (``SDMKESOS_PRIVATE_ROOT``, outside
    MEDIA_ROOT), shared with the partnerships app's agreement documents."""
    from sdmkesos.partnerships.models import private_storage

    return private_storage


class SkpRealisation(models.Model):
    """Periodic realisation of an indicator, with evidence (bukti dukung)."""

    indicator = models.ForeignKey(SkpIndicator, on_delete=models.CASCADE,
                                  related_name="realisations")
    period = models.PositiveSmallIntegerField(_("triwulan"))
    realisation = models.CharField(_("realisasi"), max_length=500)
    evidence = models.CharField(_("bukti dukung"), max_length=500, blank=True)
    # An uploaded evidence file: in the private storage (no URL serves it), downloaded only
    # through the SKP's visibility (person, supervisors, HR roles in scope).
    evidence_file = models.FileField(_("berkas bukti dukung"), storage=_evidence_storage,
                                     upload_to="careers/skp/%Y/", blank=True)
    evidence_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "id"]

    def __str__(self) -> str:
        return f"T{self.period}: {self.realisation}"


class SkpBehaviour(models.Model):
    """Work behaviour against one BerAKHLAK value: the supervisor's observation."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="behaviours")
    value = models.CharField(_("nilai BerAKHLAK"), max_length=30, choices=BerAkhlak.choices)
    rating = models.CharField(_("penilaian"), max_length=10, choices=Expectation.choices)
    note = models.CharField(_("catatan"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["skp", "value"],
                                               name="skp_behaviour_value")]

    def __str__(self) -> str:
        return f"{self.value}: {self.rating}"


class FollowUp(models.Model):
    """A development follow-up proposed when a rating is below Baik (or for a competency gap)."""

    skp = models.ForeignKey(Skp, null=True, blank=True, on_delete=models.CASCADE,
                            related_name="follow_ups")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="follow_ups")
    reason = models.CharField(_("alasan"), max_length=60)
    proposal = models.TextField(_("usulan pengembangan"))
    training = models.CharField(_("pelatihan yang diusulkan"), max_length=200, blank=True)
    # Programmes proposed from the training catalogue: [{"code", "name", "closes": [...]}]
    programmes = models.JSONField(_("program dari katalog pelatihan"), default=list,
                                  blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = THROUGH_PERSON
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.proposal[:60]
