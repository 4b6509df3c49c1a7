"""Import jobs started from the web UI (run in the background) and saved header mappings."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class Status(models.TextChoices):
        MAPPING = "mapping", _("Menunggu konfirmasi pemetaan")
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("Semua atau tidak sama sekali")
        KEEP_VALID = "keep_valid", _("Impor baris yang valid, laporkan sisanya")
        DRY_RUN = "dry_run", _("Periksa saja (tanpa menyimpan)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("jenis data"), max_length=30)
    file = models.CharField(_("berkas tersimpan"), max_length=500)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="import_jobs")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices,
                            default=Mode.ALL_OR_NOTHING)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.MAPPING)
    overrides = models.JSONField(default=dict, blank=True)  # header text -> column key or ""
    mapping = models.JSONField(default=list, blank=True)  # [[header, key], ...] as detected
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    report = models.CharField(max_length=500, blank=True)
    failure = models.TextField(blank=True)
    language = models.CharField(max_length=8, default="id")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor")
        verbose_name_plural = _("impor")

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class SavedMapping(models.Model):
    """A header mapping an office reuses for its sheets (header text -> column key)."""

    kind = models.CharField(_("jenis data"), max_length=30)
    name = models.CharField(_("nama"), max_length=100)
    mapping = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"],
                                               name="savedmapping_kind_name")]
        verbose_name = _("pemetaan kolom")
        verbose_name_plural = _("pemetaan kolom")

    def __str__(self) -> str:
        return self.name
