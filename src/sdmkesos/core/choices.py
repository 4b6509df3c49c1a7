from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Desa/Kelurahan")


class OrganisationType(models.TextChoices):
    MINISTRY = "kementerian", _("Kementerian")
    MINISTRY_UNIT = "unit_kementerian", _("Unit Kementerian")
    POLYTECHNIC = "poltekesos", _("Politeknik Kesejahteraan Sosial")
    BBPPKS = "bbppks", _("BBPPKS (balai besar diklat)")
    DINSOS_PROVINCE = "dinsos_provinsi", _("Dinas Sosial Provinsi")
    DINSOS_REGENCY = "dinsos_kabkota", _("Dinas Sosial Kabupaten/Kota")
    UPT = "upt", _("UPT (unit pelaksana teknis)")
    BALAI = "balai", _("Balai")
    PANTI = "panti", _("Panti")
    UNIVERSITY = "universitas", _("Perguruan tinggi mitra")
    LOCAL_GOVERNMENT = "pemda", _("Pemerintah daerah")
    OTHER = "lainnya", _("Lainnya")


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Administrator nasional")
    BBPPKS = "bbppks", _("Balai diklat regional (BBPPKS)")
    PROVINCE_OPERATOR = "province_operator", _("Operator provinsi")
    DISTRICT_OPERATOR = "district_operator", _("Operator kabupaten/kota")
    VIEWER = "viewer", _("Pembaca (hanya lihat)")
    WORKER = "worker", _("Pekerja (layanan mandiri)")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    IMPORT = "import", _("Impor")
    CLI = "cli", _("Baris perintah")
    SYSTEM = "system", _("Sistem")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")
