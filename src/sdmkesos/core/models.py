"""Regions, organisations, code lists, users and their scope, audit events, API tokens."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Channel, OrganisationType, RegionLevel, Role
from .fields import CodeField
from .scoping import RestrictedQuerySet, ScopeSpec


def region_level(code: str) -> int:
    """`35` → 1, `35.07` → 2, `35.07.01` → 3, `35.07.01.2001` → 4."""
    return code.count(".") + 1


def region_parts(code: str | None) -> tuple[str, str]:
    """The province and regency prefixes of a code ("" where the code is above that level)."""
    if not code:
        return "", ""
    return code[:2], (code[:5] if len(code) >= 5 else "")


class Region(models.Model):
    """An administrative region (Kepmendagri 300.2.2-2138/2025). The dotted code is the key."""

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    scope = ScopeSpec(region=None, region_prov=None, region_kab=None, organisation=None,
                      public_view=True)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "name"])]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def province_code(self) -> str:
        return self.code[:2]

    def ancestors_codes(self) -> list[str]:
        parts = self.code.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts) - 1)]


class CodeList(models.Model):
    """A code list an administrator can extend without a release."""

    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    scope = ScopeSpec(region=None, region_prov=None, region_kab=None, organisation=None,
                      public_view=True)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class WorkforceCategory(CodeList):
    """Jenis SDM Kesos: ASN staff, Pekerja Sosial, TKSK, PSM, Tagana, Pendamping PKH, ..."""

    group = models.CharField(
        _("kelompok"),
        max_length=40,
        blank=True,
        help_text=_("Tenaga Kesejahteraan Sosial, Pekerja Sosial, Relawan Sosial, Penyuluh Sosial"),
    )

    class Meta(CodeList.Meta):
        verbose_name = _("kategori SDM")
        verbose_name_plural = _("kategori SDM")


class EmploymentStatus(CodeList):
    is_asn = models.BooleanField(_("ASN"), default=False)

    class Meta(CodeList.Meta):
        verbose_name = _("status kepegawaian")
        verbose_name_plural = _("status kepegawaian")


class EducationLevel(CodeList):
    rank = models.PositiveSmallIntegerField(_("peringkat"), default=0)

    class Meta(CodeList.Meta):
        ordering = ["rank"]
        verbose_name = _("jenjang pendidikan")
        verbose_name_plural = _("jenjang pendidikan")


class FieldOfStudy(CodeList):
    is_kesos = models.BooleanField(
        _("latar peksos/kesos"),
        default=False,
        help_text=_("Pekerjaan sosial / kesejahteraan sosial"),
    )

    class Meta(CodeList.Meta):
        verbose_name = _("bidang studi")
        verbose_name_plural = _("bidang studi")


class Organisation(models.Model):
    """An office or institution, in one tree. `path` is the materialised path of ids."""

    code = models.CharField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    type = models.CharField(_("jenis"), max_length=30, choices=OrganisationType.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations",
        verbose_name=_("wilayah"),
    )
    is_national = models.BooleanField(
        _("lembaga pusat"),
        default=False,
        help_text=_("Dikelola pusat: tidak masuk lingkup operator daerah tempatnya berada."),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("induk"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    service_regions = models.ManyToManyField(
        Region, blank=True, related_name="served_by",
        verbose_name=_("wilayah layanan"),
        help_text=_("Untuk BBPPKS: provinsi wilayah kerjanya."),
    )

    scope = ScopeSpec(region="region", region_prov=None, region_kab=None, organisation=None,
                      public_view=True)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasi")
        verbose_name_plural = _("organisasi")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent_id and self.parent else "/") + f"{self.pk}/"
        if path != self.path:
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)

    @property
    def managing_region_code(self) -> str | None:
        """The region whose operators manage this organisation's people (None: national)."""
        if self.is_national or self.region_id is None:
            return None
        return str(self.region_id)


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices, default=Role.VIEWER)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users",
        verbose_name=_("organisasi"),
    )
    scope_regions = models.ManyToManyField(
        Region, blank=True, related_name="scoped_users", verbose_name=_("lingkup wilayah"),
        help_text=_("Setiap kode mencakup seluruh wilayah di bawahnya."),
    )
    scope_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT,
        related_name="scoped_users", verbose_name=_("lingkup organisasi"),
        help_text=_("Organisasi ini dan seluruh unit di bawahnya."),
    )


    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")


class AuditEvent(models.Model):
    """Append-only record of every change. Written only by actions."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("pelaku"), max_length=150, blank=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    action = models.CharField(_("aksi"), max_length=60)
    object_type = CodeField(_("jenis objek"), max_length=60)
    object_id = CodeField(_("id objek"), max_length=40)
    object_repr = models.CharField(_("objek"), max_length=200, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    request_id = models.CharField(_("id permintaan"), max_length=64, blank=True)
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    # The object's managing region when written, kept for a regional audit view; no index
    # until a query filters by it (every write would pay for one).
    region_code = models.CharField(max_length=13, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # An object's history. The id leads: it is nearly unique, while the type repeats
        # ("people.person" a million times after a bulk load), so the index sorts and builds
        # faster; both are equality conditions, so the order serves the look-up the same.
        indexes = [models.Index(fields=["object_id", "object_type", "at"],
                                name="audit_object_history")]
        verbose_name = _("riwayat perubahan")
        verbose_name_plural = _("riwayat perubahan")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only")
        super().save(*args, **kwargs)


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.pk} of {self.user_id}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


__all__ = [
    "ApiToken",
    "AuditEvent",
    "CodeList",
    "EducationLevel",
    "EmploymentStatus",
    "FieldOfStudy",
    "Organisation",
    "Region",
    "RestrictedQuerySet",
    "User",
    "WorkforceCategory",
    "region_level",
    "region_parts",
]
