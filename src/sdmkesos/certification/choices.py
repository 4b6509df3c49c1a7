from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    INELIGIBLE = "ineligible", _("Tidak memenuhi syarat")
    ELIGIBLE = "eligible", _("Memenuhi syarat")
    SCHEDULED = "scheduled", _("Terjadwal uji")
    RECOMMENDED = "recommended", _("Direkomendasikan asesor")
    DECIDED = "decided", _("Diputuskan")
    WITHDRAWN = "withdrawn", _("Dibatalkan")


class Route(models.TextChoices):
    SELF = "self", _("Mandiri")
    NOMINATED = "nominated", _("Diusulkan instansi")


class Funding(models.TextChoices):
    APBN = "apbn", _("APBN")
    APBD = "apbd", _("APBD")
    SELF = "self", _("Biaya sendiri")
    OTHER = "other", _("Lainnya")


class Verdict(models.TextChoices):
    COMPETENT = "K", _("Kompeten")
    NOT_YET = "BK", _("Belum Kompeten")


class Method(models.TextChoices):
    WRITTEN = "written", _("Tes tertulis")
    PORTFOLIO = "portfolio", _("Portofolio")
    INTERVIEW = "interview", _("Wawancara")
    OBSERVATION = "observation", _("Observasi")


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    SUSPENDED = "suspended", _("Dibekukan")
    REVOKED = "revoked", _("Dicabut")


class RegistrationKind(models.TextChoices):
    STR = "str", _("STR (Surat Tanda Registrasi)")
    SIPPS = "sipps", _("SIPPS (Surat Izin Praktik Pekerja Sosial)")


class EvidenceKind(models.TextChoices):
    DIPLOMA = "diploma", _("Ijazah")
    PRACTICE = "practice", _("Bukti jam praktik")
    TRAINING = "training", _("Sertifikat pelatihan")
    MEMBERSHIP = "membership", _("Kartu anggota organisasi profesi")
    PORTFOLIO = "portfolio", _("Portofolio praktik")
    OTHER = "other", _("Lainnya")
