"""Competency dictionary (PermenPANRB 38/2017), job competency standards and assessments.

The dictionary and the standards are reference data: every signed-in user may read them, only
administrators change them (``competency.actions``). Assessments belong to a person and are
scoped through the person's managing region and organisation.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.models import WorkforceCategory
from sdmkesos.core.scoping import RestrictedQuerySet, ScopeSpec

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
REFERENCE_SCOPE = ScopeSpec(region=None, region_prov=None, region_kab=None, organisation=None,
                            public_view=True)


class CompetencyType(models.TextChoices):
    MANAGERIAL = "manajerial", _("Manajerial")
    SOCIOCULTURAL = "sosial_kultural", _("Sosial kultural")
    TECHNICAL = "teknis", _("Teknis")


class AssessmentMethod(models.TextChoices):
    SELF = "self", _("Penilaian diri")
    SUPERVISOR = "supervisor", _("Atasan")
    ASSESSOR = "assessor", _("Asesor")
    TEST = "test", _("Uji/tes")
    TRAINING = "training", _("Hasil pelatihan")


class CompetencyGroup(models.Model):
    """A node of the dictionary tree: type → category → sub-category → competency."""

    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    type = models.CharField(_("jenis"), max_length=20, choices=CompetencyType.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("induk"))
    sort_order = models.PositiveIntegerField(_("urutan"), default=0)

    scope = REFERENCE_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("kelompok kompetensi")
        verbose_name_plural = _("kelompok kompetensi")

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    type = models.CharField(_("jenis"), max_length=20, choices=CompetencyType.choices)
    group = models.ForeignKey(CompetencyGroup, on_delete=models.PROTECT,
                              related_name="competencies", verbose_name=_("kelompok"))
    definition = models.TextField(_("definisi"), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("masa berlaku (bulan)"), null=True, blank=True,
        help_text=_("Kosong: penilaian tidak kedaluwarsa."))
    sort_order = models.PositiveIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    scope = REFERENCE_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kompetensi")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CompetencyLevel(models.Model):
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    description = models.TextField(_("deskripsi"), blank=True)
    indicators = models.JSONField(_("indikator perilaku"), default=list, blank=True)

    scope = REFERENCE_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["competency", "level"]
        constraints = [models.UniqueConstraint(fields=["competency", "level"],
                                               name="competency_level_unique")]
        verbose_name = _("level kompetensi")
        verbose_name_plural = _("level kompetensi")

    def __str__(self) -> str:
        return f"{self.competency.code} L{self.level}"


class JobStandard(models.Model):
    """Standar kompetensi jabatan: the level required per competency for a position (matched on
    the person's position title) or for a workforce category."""

    code = models.CharField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    category = models.ForeignKey(WorkforceCategory, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("kategori SDM"))
    position = models.CharField(
        _("jabatan"), max_length=150, blank=True,
        help_text=_("Nama jabatan (tanpa beda huruf besar/kecil). Lebih spesifik dari kategori."))
    is_active = models.BooleanField(_("aktif"), default=True)

    scope = REFERENCE_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("standar kompetensi jabatan")
        verbose_name_plural = _("standar kompetensi jabatan")

    def __str__(self) -> str:
        return self.name


class StandardItem(models.Model):
    standard = models.ForeignKey(JobStandard, on_delete=models.CASCADE, related_name="items")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    required_level = models.PositiveSmallIntegerField(_("level dipersyaratkan"),
                                                      validators=LEVEL_VALIDATORS)

    scope = REFERENCE_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["standard", "competency__sort_order", "competency__code"]
        constraints = [models.UniqueConstraint(fields=["standard", "competency"],
                                               name="standard_item_unique")]

    def __str__(self) -> str:
        return f"{self.standard.code}: {self.competency.code} ≥ {self.required_level}"


PERSON_SCOPE = ScopeSpec(region="person__region", region_prov="person__region_prov",
                         region_kab="person__region_kab", organisation="person__organisation",
                         self_user="person__user")


class Assessment(models.Model):
    """One assessed level of one competency of one person. The latest valid one counts (not
    voided, not expired: ``valid_until`` empty or on/after the day asked)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="competency_assessments")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("kompetensi"))
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    method = models.CharField(_("metode"), max_length=20, choices=AssessmentMethod.choices)
    assessed_on = models.DateField(_("tanggal penilaian"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    assessor_name = models.CharField(_("penilai"), max_length=150, blank=True)
    source = models.CharField(_("sumber"), max_length=120, blank=True,
                              help_text=_("Mis. angkatan pelatihan yang menghasilkan penilaian."))
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    voided = models.BooleanField(_("dibatalkan"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = PERSON_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["person", "competency", "assessed_on"],
                                name="assessment_latest")]
        verbose_name = _("penilaian kompetensi")
        verbose_name_plural = _("penilaian kompetensi")

    def __str__(self) -> str:
        return f"{self.competency.code} L{self.level} ({self.assessed_on})"

    def is_valid_on(self, day: dt.date) -> bool:
        return not self.voided and (self.valid_until is None or self.valid_until >= day)
