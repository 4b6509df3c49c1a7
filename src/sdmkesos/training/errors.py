"""Refusals of the training app: stable codes, Indonesian messages naming the reason."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sdmkesos.core.errors import DomainError

MESSAGES: dict[str, Any] = {
    "not_manager": _("Anda tidak mengelola penyelenggara {organisation}."),
    "trainer_double_booked": _(
        "Pengajar {trainer} sudah mengajar di {other} ({start} s.d. {end}) pada tanggal yang "
        "bertumpuk."),
    "trainer_unavailable": _("Pengajar {trainer} tidak tersedia pada {start} s.d. {end}."),
    "trainer_overloaded": _(
        "Beban pengajar {trainer} menjadi {days} hari pada tahun {year}, melebihi batas "
        "{limit} hari."),
    "participant_overlap": _(
        "{person} sudah terdaftar/diusulkan di {other} ({start} s.d. {end}) yang waktunya "
        "bertumpuk."),
    "batch_full": _("Angkatan {batch} sudah penuh ({capacity} peserta) dan tidak memakai "
                    "daftar tunggu."),
    "over_venue_capacity": _("Kapasitas {capacity} melebihi daya tampung tempat {venue} "
                             "({venue_capacity} orang)."),
    "capacity_below_enrolled": _("Kapasitas {capacity} lebih kecil dari jumlah peserta "
                                 "terdaftar ({enrolled})."),
    "ineligible_nominee": _("{person} tidak memenuhi syarat program {programme}: {reasons}."),
    "ineligible_category": _("kategori SDM {category} tidak termasuk {allowed}"),
    "ineligible_education": _("pendidikan minimal {level}"),
    "ineligible_asn": _("khusus ASN (PNS/PPPK)"),
    "ineligible_prerequisite": _("belum lulus prasyarat {programmes}"),
    "already_nominated": _("{person} sudah diusulkan untuk angkatan ini."),
    "batch_closed": _("Angkatan {batch} berstatus {status}: tidak menerima perubahan ini."),
    "wrong_status": _("Status saat ini {status}; tindakan ini memerlukan status {expected}."),
    "session_outside_batch": _("Tanggal sesi {date} di luar jadwal angkatan ({start} s.d. "
                               "{end})."),
    "number_taken": _("Angkatan ke-{number} program ini sudah ada."),
    "score_range": _("Nilai harus 0 sampai 100."),
    "quota_full": _("Kuota beasiswa {scheme} ({quota}) sudah terpenuhi."),
    "feedback_exists": _("Umpan balik untuk peserta ini sudah diisi."),
    "not_participant": _("Hanya peserta angkatan ini yang dapat mengisi umpan balik."),
    "rating_range": _("Penilaian harus 1 sampai 5."),
    "code_taken": _("Kode {value} sudah dipakai."),
    "level_range": _("Level harus 1 sampai 5 (diisi {value})."),
    "attendance_below_minimum": _(
        "{person} hadir {present} dari {sessions} sesi ({percent}%), di bawah kehadiran minimal "
        "program {minimum}%: tidak dapat dinyatakan lulus."),
    "attendance_percent_range": _("Kehadiran minimal harus 0 sampai 100 (diisi {value})."),
    "plan_region_required": _("Pilih wilayah sasaran di dalam lingkup Anda."),
    "plan_not_draft": _("Rencana ini berstatus {status}; hanya rencana draf yang dapat "
                        "diterima."),
    "plan_empty": _("Rencana ini tidak berisi angkatan."),
    "plan_unknown": _("{what} {value} dalam rencana tidak ada (lagi) di data."),
    "plan_conflicts": _("Rencana tidak diterima; tidak ada yang disimpan. Bentrok: {count}."),
    "plan_batch_problem": _("Angkatan {batch} ({programme}, {start} s.d. {end}): {reason}"),
}
# Refusals that are conflicts with existing data (HTTP 409 in the API).
CONFLICTS = frozenset({"trainer_double_booked", "trainer_unavailable", "trainer_overloaded",
                       "participant_overlap", "batch_full", "over_venue_capacity",
                       "capacity_below_enrolled", "already_nominated", "number_taken",
                       "quota_full", "feedback_exists", "code_taken", "plan_not_draft",
                       "plan_conflicts", "attendance_below_minimum"})


def err(code: str, field: str | None = None, **params: Any) -> DomainError:
    template = MESSAGES.get(code)
    message = str(template).format(**params) if template is not None else None
    return DomainError(code, field=field, message=message, **params)


def reason_text(code: str, params: dict[str, str]) -> str:
    return str(MESSAGES[code]).format(**params)
