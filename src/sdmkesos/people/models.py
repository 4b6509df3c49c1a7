"""The registry: people, their education and their employment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.choices import Sex
from sdmkesos.core.fields import CodeField
from sdmkesos.core.models import (
    EducationLevel,
    EmploymentStatus,
    FieldOfStudy,
    Organisation,
    Region,
    WorkforceCategory,
    region_parts,
)
from sdmkesos.core.scoping import RestrictedQuerySet, ScopeSpec


class Person(models.Model):
    """A worker. Unique by NIK. ``region`` is the region of the office that manages the person;
    ``region_prov``/``region_kab`` are its province and regency prefixes, kept for scoping."""

    nik = CodeField(_("NIK"), max_length=16, unique=True)
    nip = CodeField(_("NIP"), max_length=18, null=True, blank=True)
    name = models.CharField(_("nama"), max_length=150)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    domicile_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("wilayah domisili"), db_index=False,  # shown, never searched by
    )

    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_column="region_code", verbose_name=_("wilayah pengelola"),
        db_index=False,  # person_region_prefix (Meta) serves it, equality included
    )
    region_prov = CodeField(max_length=2, blank=True, default="", editable=False)
    region_kab = CodeField(max_length=5, blank=True, default="", editable=False)

    # The current assignment and highest education, kept in step by actions. Foreign keys to
    # reference codes with a handful of values (status, level, field of study) have no index
    # of their own: one value selects too many rows for an index to help, and it would only
    # serve the rare deletion of a code (PROTECT), while every import pays to maintain it.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="people",
        verbose_name=_("unit kerja"), db_index=False,  # person_org_name serves it
    )
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    category = models.ForeignKey(
        WorkforceCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("kategori SDM"), db_index=False,  # person_cat_prov serves it
    )
    employment_status = models.ForeignKey(
        EmploymentStatus, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("status kepegawaian"), db_index=False,  # a handful of values: see below
    )
    education_level = models.ForeignKey(
        EducationLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("pendidikan terakhir"), db_index=False,
    )
    field_of_study = models.ForeignKey(
        FieldOfStudy, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("jurusan"), db_index=False,
    )
    kesos_background = models.BooleanField(_("latar peksos/kesos"), default=False)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="person", verbose_name=_("akun"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = ScopeSpec(self_user="user")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("pekerja")
        verbose_name_plural = _("pekerja")
        constraints = [
            models.UniqueConstraint(fields=["nip"], condition=Q(nip__isnull=False),
                                    name="person_nip_unique"),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="person_name"),
            models.Index(fields=["region_prov", "name", "id"], name="person_prov_name"),
            models.Index(fields=["region_kab", "name", "id"], name="person_kab_name"),
            # Scopes and filters below district level (region_q: ``region_code = '32.77.01'
            # OR region_code LIKE '32.77.01.%'``; small sets, sorted by name after the scan).
            # Province and district lists use region_prov/region_kab above.
            models.Index(fields=["region"], opclasses=["varchar_pattern_ops"],
                         name="person_region_prefix"),
            models.Index(fields=["category", "region_prov"], name="person_cat_prov"),
            models.Index(fields=["organisation", "name"], name="person_org_name"),
            models.Index(fields=["region_prov", "region_kab", "category", "kesos_background"],
                         name="person_dashboard"),
        ]

    def __str__(self) -> str:
        return self.name

    def set_region(self, region_code: str | None) -> None:
        self.region_id = region_code or None
        self.region_prov, self.region_kab = region_parts(region_code)


class EducationRecord(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="education")
    level = models.ForeignKey(EducationLevel, on_delete=models.PROTECT, verbose_name=_("jenjang"),
                              db_index=False)  # reference codes: see Person.employment_status
    field = models.ForeignKey(FieldOfStudy, null=True, blank=True, on_delete=models.PROTECT,
                              verbose_name=_("bidang studi"), db_index=False)
    field_text = models.CharField(_("jurusan (teks)"), max_length=150, blank=True)
    institution = models.CharField(_("institusi"), max_length=200, blank=True)
    graduation_year = models.PositiveSmallIntegerField(_("tahun lulus"), null=True, blank=True)

    scope = ScopeSpec(region="person__region", region_prov="person__region_prov",
                      region_kab="person__region_kab", organisation="person__organisation",
                      self_user="person__user")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-level__rank", "-graduation_year"]
        verbose_name = _("riwayat pendidikan")
        verbose_name_plural = _("riwayat pendidikan")

    def __str__(self) -> str:
        return f"{self.level} {self.field or self.field_text}"


class EmploymentRecord(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employment")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     verbose_name=_("unit kerja"))
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    category = models.ForeignKey(WorkforceCategory, null=True, blank=True,
                                 on_delete=models.PROTECT, verbose_name=_("kategori SDM"),
                                 db_index=False)  # reference codes: see Person
    employment_status = models.ForeignKey(EmploymentStatus, null=True, blank=True,
                                          on_delete=models.PROTECT,
                                          verbose_name=_("status kepegawaian"), db_index=False)
    start_date = models.DateField(_("mulai"), null=True, blank=True)
    end_date = models.DateField(_("selesai"), null=True, blank=True)

    scope = ScopeSpec(region="person__region", region_prov="person__region_prov",
                      region_kab="person__region_kab", organisation="person__organisation",
                      self_user="person__user")
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("riwayat pekerjaan")
        verbose_name_plural = _("riwayat pekerjaan")

    def __str__(self) -> str:
        return f"{self.position} {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


def _registry_changed(**kwargs: object) -> None:
    from sdmkesos.core.versioning import bump

    bump("registry")


for _model in (Person, EducationRecord, EmploymentRecord):
    models.signals.post_save.connect(_registry_changed, sender=_model,
                                     dispatch_uid=f"registry-{_model.__name__}-save")
    models.signals.post_delete.connect(_registry_changed, sender=_model,
                                       dispatch_uid=f"registry-{_model.__name__}-delete")
