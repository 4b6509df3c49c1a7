"""Workforce planning: saved WISN inputs, staffing norms, supply projection scenarios and the
recorded heads of organisations. Rows carry the managing region (``region`` + province/regency
prefixes) for one-predicate scoping, like ``people.Person``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.models import Organisation, Region, WorkforceCategory, region_parts
from sdmkesos.core.scoping import RestrictedQuerySet, ScopeSpec
from sdmkesos.people.models import Person

REGION_SCOPE = ScopeSpec(region="region", region_prov="region_prov", region_kab="region_kab",
                         organisation="organisation")
REGION_ONLY = ScopeSpec(region="region", region_prov="region_prov", region_kab="region_kab",
                        organisation=None)


class Regional(models.Model):
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("wilayah"))
    region_prov = models.CharField(max_length=2, blank=True, default="", editable=False)
    region_kab = models.CharField(max_length=5, blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def set_region(self, code: str | None) -> None:
        self.region_id = code or None
        self.region_prov, self.region_kab = region_parts(code)


class NormBasis(models.TextChoices):
    POPULATION = "population", _("Per jumlah penduduk")
    SERVICE_UNIT = "service_unit", _("Per unit layanan")


class WisnInputSet(Regional):
    """The WISN input of one staff category at one organisation for one year: the same JSON
    document as ``sdmkesos wisn FILE.json`` (see docs/wisn.md)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("unit kerja"))
    category = models.ForeignKey(WorkforceCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("kategori SDM"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    data = models.JSONField(_("masukan WISN"))
    staff_from_registry = models.BooleanField(
        _("jumlah staf dari registri"), default=False,
        help_text=_("Staf saat ini dihitung dari registri, bukan diisi."))
    updated_at = models.DateTimeField(auto_now=True)

    scope = REGION_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "category", "year"],
                                               name="wisn_org_category_year")]
        indexes = [models.Index(fields=["region_prov", "region_kab", "category"])]
        verbose_name = _("masukan WISN")
        verbose_name_plural = _("masukan WISN")

    def __str__(self) -> str:
        return f"WISN {self.year} {self.organisation} {self.category}"


class StaffingNorm(Regional):
    """A norm-based need for offices without workload data: ``staff`` per ``per`` people
    (population) or per ``per`` service units; need = units / per x staff."""

    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("unit kerja"))
    category = models.ForeignKey(WorkforceCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("kategori SDM"))
    basis = models.CharField(_("dasar"), max_length=20, choices=NormBasis.choices)
    unit_label = models.CharField(_("satuan"), max_length=60, blank=True,
                                  help_text=_("Mis. penduduk, kecamatan, panti, desa"))
    units = models.DecimalField(_("jumlah penduduk/unit"), max_digits=14, decimal_places=2)
    staff = models.DecimalField(_("staf"), max_digits=8, decimal_places=2, default=1)
    per = models.DecimalField(_("per"), max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("tahun"))
    source = models.CharField(_("dasar norma"), max_length=200, blank=True)

    scope = REGION_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region_id"]
        verbose_name = _("norma kebutuhan")
        verbose_name_plural = _("norma kebutuhan")

    def __str__(self) -> str:
        return f"{self.category}: {self.staff}/{self.per} {self.unit_label}"


class Scenario(Regional):
    """Assumptions of a supply projection for one region and category."""

    name = models.CharField(_("nama skenario"), max_length=150)
    category = models.ForeignKey(WorkforceCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("kategori SDM"))
    start_year = models.PositiveSmallIntegerField(_("tahun awal"))
    years = models.PositiveSmallIntegerField(_("lama proyeksi (tahun)"), default=5)
    attrition_rate = models.DecimalField(_("tingkat keluar (%/tahun)"), max_digits=5,
                                         decimal_places=2, default=0)
    entrants_per_year = models.DecimalField(_("masuk per tahun"), max_digits=10,
                                            decimal_places=1, default=0,
                                            help_text=_("Tambahan skenario (diisi): lulusan, "
                                                        "peserta pelatihan, rekrutmen"))
    entrants_from_records = models.BooleanField(
        _("masuk dari data pelatihan dan beasiswa"), default=True,
        help_text=_("Lulusan beasiswa dan peserta pelatihan yang memenuhi syarat kategori ini "
                    "masuk pada tahun mereka selesai (lihat sumber masuk)."))
    need_override = models.DecimalField(_("kebutuhan (isi manual)"), max_digits=10,
                                        decimal_places=2, null=True, blank=True,
                                        help_text=_("Kosongkan: dari WISN dan norma wilayah."))
    need_growth_rate = models.DecimalField(_("pertumbuhan kebutuhan (%/tahun)"), max_digits=5,
                                           decimal_places=2, default=0)
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = REGION_ONLY
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["region_id", "category_id", "name"]
        verbose_name = _("skenario proyeksi")
        verbose_name_plural = _("skenario proyeksi")

    def __str__(self) -> str:
        return self.name


class UnitHead(Regional):
    """Who heads an organisation (kepala dinas/UPT/panti), for the peksos/kesos flag."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE,
                                        related_name="+", verbose_name=_("unit kerja"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("kepala"))
    since = models.DateField(_("sejak"), null=True, blank=True)

    scope = REGION_SCOPE
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kepala unit")
        verbose_name_plural = _("kepala unit")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.person}"


class EntrantSource(models.Model):
    """Which scholarship scheme or training programme qualifies its graduates for a staff
    category: people finishing it enter that category's supply projection in the year they
    finish (reference data kept by the national administrator)."""

    category = models.ForeignKey(WorkforceCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("kategori SDM"))
    scheme = models.ForeignKey("training.ScholarshipScheme", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("skema beasiswa"))
    programme = models.ForeignKey("training.Programme", null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("program pelatihan"))
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(scheme__isnull=False, programme__isnull=True)
                           | models.Q(scheme__isnull=True, programme__isnull=False)),
                name="entrant_source_one_kind"),
            models.UniqueConstraint(fields=["category", "scheme"],
                                    name="entrant_source_scheme_once"),
            models.UniqueConstraint(fields=["category", "programme"],
                                    name="entrant_source_programme_once"),
        ]
        verbose_name = _("sumber tenaga masuk")
        verbose_name_plural = _("sumber tenaga masuk")

    def __str__(self) -> str:
        return f"{self.kind}:{self.scheme_id or self.programme_id} -> {self.category_id}"

    @property
    def kind(self) -> str:
        return "scholarship" if self.scheme_id else "training"
