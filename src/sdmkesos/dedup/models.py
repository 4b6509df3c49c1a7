"""De-duplication: linkage runs, candidate pairs for review, and merges."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.scoping import (
    RestrictedQuerySet,
    ScopeSpec,
    allowed_actions,
    scope_for,
    scope_q,
)
from sdmkesos.people.models import Person


def _side(prefix: str) -> ScopeSpec:
    return ScopeSpec(region=f"{prefix}__region", region_prov=f"{prefix}__region_prov",
                     region_kab=f"{prefix}__region_kab", organisation=f"{prefix}__organisation",
                     self_user=None)


class PairQuerySet(RestrictedQuerySet["CandidatePair"]):
    def restrict(self, user: Any, action: str = "view") -> PairQuerySet:
        """Pairs whose two people are both within the user's scope for ``action``. After a
        merge (or deletion) one side is gone: the remaining one decides."""
        if action not in allowed_actions(user):
            return self.none()
        scope = scope_for(user)
        if scope.unrestricted:
            return self
        left = models.Q(left__isnull=True) | scope_q(_side("left"), scope)
        right = models.Q(right__isnull=True) | scope_q(_side("right"), scope)
        return self.filter(left & right).exclude(left__isnull=True, right__isnull=True)


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan")
    CONFIRMED = "confirmed", _("Dikonfirmasi (digabung)")
    REJECTED = "rejected", _("Ditolak (bukan orang yang sama)")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class RunQuerySet(models.QuerySet["LinkageRun"]):
    def restrict(self, user: Any, action: str = "view") -> RunQuerySet:
        """National roles see every run, others the runs they started."""
        if action not in allowed_actions(user):
            return self.none()
        if scope_for(user).unrestricted:
            return self
        return self.filter(started_by=user)


class LinkageRun(models.Model):
    """One linkage over the registry (or the part in the starter's scope)."""

    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("dijalankan oleh"))
    channel = models.CharField(_("kanal"), max_length=10, default="web")
    threshold = models.FloatField(_("ambang probabilitas"))
    stage = models.CharField(_("tahap"), max_length=40, blank=True)
    progress = models.FloatField(_("kemajuan"), default=0.0)
    records = models.PositiveIntegerField(_("jumlah data"), default=0)
    pairs_found = models.PositiveIntegerField(_("pasangan ditemukan"), default=0)
    pairs_new = models.PositiveIntegerField(_("pasangan baru"), default=0)
    seconds = models.FloatField(_("durasi (detik)"), null=True, blank=True)
    error = models.TextField(_("galat"), blank=True)
    model = models.JSONField(_("model Splink terlatih"), default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proses deduplikasi")
        verbose_name_plural = _("proses deduplikasi")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class CandidatePair(models.Model):
    """Two registry people that may be the same person. ``left_pid < right_pid`` are the
    people's ids when proposed and stay after a merge (the foreign keys become null when a
    person is removed), so a rejected pair is never proposed again."""

    left = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("data kiri"))
    right = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("data kanan"))
    left_pid = models.PositiveBigIntegerField()
    right_pid = models.PositiveBigIntegerField()
    probability = models.FloatField(_("probabilitas sama"))
    status = models.CharField(_("status"), max_length=10, choices=PairStatus.choices,
                              default=PairStatus.PROPOSED, db_index=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("peninjau"))
    reviewed_at = models.DateTimeField(_("ditinjau"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    run = models.ForeignKey(LinkageRun, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="pairs")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PairQuerySet.as_manager()

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("pasangan calon duplikat")
        verbose_name_plural = _("pasangan calon duplikat")
        constraints = [
            models.UniqueConstraint(fields=["left_pid", "right_pid"], name="dedup_pair_unique"),
            models.CheckConstraint(condition=models.Q(left_pid__lt=models.F("right_pid")),
                                   name="dedup_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "-probability"], name="dedup_pair_queue")]

    def __str__(self) -> str:
        return f"{self.left_pid} ~ {self.right_pid} ({self.probability:.3f})"


class MergeQuerySet(models.QuerySet["MergeRecord"]):
    def restrict(self, user: Any, action: str = "view") -> MergeQuerySet:
        """Merges whose kept person is within the user's scope."""
        if action not in allowed_actions(user):
            return self.none()
        scope = scope_for(user)
        if scope.unrestricted:
            return self
        return self.filter(scope_q(_side("kept"), scope))


class MergeRecord(models.Model):
    """A confirmed merge: ``removed_*`` keep who was folded into ``kept``; ``removed_nik`` is
    the alias under which the kept person may still be searched."""

    kept = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="merges", verbose_name=_("data yang dipertahankan"))
    kept_pid = models.PositiveBigIntegerField()
    removed_pid = models.PositiveBigIntegerField(db_index=True)
    removed_nik = models.CharField(_("NIK alias"), max_length=16, db_index=True)
    removed_nip = models.CharField(_("NIP alias"), max_length=18, blank=True)
    removed_name = models.CharField(_("nama data yang dihapus"), max_length=150)
    removed_data = models.JSONField(_("data yang dihapus"), default=dict)
    moved = models.JSONField(_("riwayat yang dipindahkan"), default=dict)
    pair = models.ForeignKey(CandidatePair, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="merges")
    probability = models.FloatField(null=True, blank=True)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)

    objects = MergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("penggabungan data")
        verbose_name_plural = _("penggabungan data")

    def __str__(self) -> str:
        return f"{self.removed_name} ({self.removed_pid}) → {self.kept_pid}"
