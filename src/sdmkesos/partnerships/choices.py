from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Nota Kesepahaman (MoU)")
    PKS = "pks", _("Perjanjian Kerja Sama (PKS)")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SIGNED = "signed", _("Ditandatangani")
    ACTIVE = "active", _("Berlaku")
    EXPIRING = "expiring", _("Segera berakhir")
    EXPIRED = "expired", _("Berakhir")
    TERMINATED = "terminated", _("Diakhiri")
    EXTENDED = "extended", _("Diperpanjang")


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SIGNED = "signed", _("Ditandatangani")
    TERMINATED = "terminated", _("Diakhiri")


class Scope(models.TextChoices):
    EDUCATION = "education", _("Pendidikan")
    RESEARCH = "research", _("Penelitian")
    COMMUNITY_SERVICE = "community_service", _("Pengabdian kepada masyarakat")
    WORKFORCE = "workforce", _("Pengembangan SDM")
    SCHOLARSHIP = "scholarship", _("Beasiswa")
    TRAINING = "training", _("Pelatihan")
    CERTIFICATION = "certification", _("Sertifikasi")


class FundingSource(models.TextChoices):
    APBN = "apbn", _("APBN")
    APBD = "apbd", _("APBD")
    PARTNER = "partner", _("Dana mitra")
    COST_SHARING = "cost_sharing", _("Pembiayaan bersama (masing-masing)")


class DocumentType(models.TextChoices):
    TEXT = "naskah", _("Naskah perjanjian")
    ANNEX = "lampiran", _("Lampiran")
    ADDENDUM = "adendum", _("Adendum")
    REPORT = "laporan", _("Laporan")
    OTHER = "lainnya", _("Lainnya")


class DeliveryKind(models.TextChoices):
    TRAINING_BATCH = "training_batch", _("Angkatan pelatihan")
    SCHOLARSHIP = "scholarship", _("Beasiswa")
    RESEARCH = "research", _("Penelitian")
    CERTIFICATION = "certification", _("Sertifikasi")
    FIELD_PRACTICE = "field_practice", _("Praktik lapangan")


class ResearchStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    ONGOING = "ongoing", _("Berjalan")
    DONE = "done", _("Selesai")


class MeetingKind(models.TextChoices):
    RAKOR = "rakor", _("Rapat Koordinasi (Rakor)")
    RAKORBANG = "rakorbang", _("Rapat Koordinasi Pengembangan (Rakorbang)")
    OTHER = "lainnya", _("Lainnya")


class SessionKind(models.TextChoices):
    PLENARY = "pleno", _("Pleno")
    PANEL = "panel", _("Panel")
    FGD = "fgd", _("Diskusi kelompok terarah (FGD)")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    IN_PROGRESS = "in_progress", _("Berjalan")
    DONE = "done", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")
