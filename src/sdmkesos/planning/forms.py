"""Web forms of planning. The WISN form writes the same JSON document as ``sdmkesos wisn``:
activities are typed one per line, ``name | number | number``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdmkesos.careers.forms import bootstrap
from sdmkesos.certification.models import Scheme
from sdmkesos.competency.models import JobStandard
from sdmkesos.core.models import EducationLevel, FieldOfStudy, Organisation, WorkforceCategory
from sdmkesos.people.forms import DateInput, DomainErrorsMixin, scoped_organisations
from sdmkesos.training.models import Programme, ScholarshipScheme

from .models import NormBasis

SUPPORT_UNITS = {
    "%": "percent", "persen": "percent", "percent": "percent",
    "jam/minggu": "hours_per_week", "hours_per_week": "hours_per_week",
    "menit/hari": "minutes_per_day", "minutes_per_day": "minutes_per_day",
}


def _number(text: str) -> float:
    return float(text.strip().replace(" ", "").replace(",", "."))


def _category_field(required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("Kategori SDM"), required=required,
                                  queryset=WorkforceCategory.objects.filter(is_active=True))


def _lines(text: str) -> list[list[str]]:
    return [[part.strip() for part in line.split("|")] for line in text.splitlines()
            if line.strip()]


class WisnForm(DomainErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Unit kerja"),
                                          queryset=Organisation.objects.none())
    category = _category_field()
    year = forms.IntegerField(label=_("Tahun"), min_value=1900, max_value=2200,
                              initial=lambda: dt.date.today().year)
    working_days = forms.FloatField(label=_("Hari kerja setahun"), initial=260)
    public_holidays = forms.FloatField(label=_("Libur nasional dan cuti bersama"), initial=16)
    annual_leave = forms.FloatField(label=_("Cuti tahunan (hari)"), initial=12)
    sick_leave = forms.FloatField(label=_("Sakit (hari)"), initial=5)
    other_leave = forms.FloatField(label=_("Ketidakhadiran lain (hari)"), initial=5)
    hours_per_day = forms.FloatField(label=_("Jam kerja per hari"), initial=7.5)
    days_per_week = forms.FloatField(label=_("Hari kerja per minggu"), initial=5,
                                     required=False, help_text=_("Kosong: 5."))
    current_staff = forms.FloatField(
        label=_("Staf saat ini"), required=False,
        help_text=_("Kosongkan untuk menghitung dari registri (kategori di unit ini)."))
    service_activities = forms.CharField(
        label=_("Kegiatan pelayanan: nama | volume setahun | menit per unit"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Contoh: Asesmen PPKS | 1200 | 90"))
    support_activities = forms.CharField(
        label=_("Kegiatan penunjang: nama | nilai | % atau jam/minggu atau menit/hari"),
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Contoh: Rapat staf | 2 | jam/minggu"))
    additional_activities = forms.CharField(
        label=_("Kegiatan tambahan: nama | jam setahun | jumlah staf"),
        widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=_("Contoh: Supervisi | 200 | 1"))

    field_aliases = {"$": "service_activities"}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = scoped_organisations(user)  # type: ignore
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        document: dict[str, Any] = {k: data.get(k) for k in (
            "working_days", "public_holidays", "annual_leave", "sick_leave", "other_leave",
            "hours_per_day", "days_per_week")}
        if document["days_per_week"] is None:
            document["days_per_week"] = 5
        document["current_staff"] = data.get("current_staff") or 0
        try:
            document["service_activities"] = [
                {"name": p[0], "annual_volume": _number(p[1]), "minutes_per_unit": _number(p[2])}
                for p in _lines(data.get("service_activities", ""))]
        except (IndexError, ValueError):
            self.add_error("service_activities", _("Tiap baris: nama | volume | menit."))
        supports = []
        for p in _lines(data.get("support_activities", "")):
            unit = SUPPORT_UNITS.get(re.sub(r"\s+", "", p[2].lower()) if len(p) > 2 else "%")
            try:
                if unit is None:
                    raise ValueError
                supports.append({"name": p[0], unit: _number(p[1])})
            except (IndexError, ValueError):
                self.add_error("support_activities", _(
                    "Tiap baris: nama | nilai | % atau jam/minggu atau menit/hari."))
                break
        document["support_activities"] = supports
        try:
            document["additional_activities"] = [
                {"name": p[0], "hours_per_year": _number(p[1]), "staff": _number(p[2])}
                for p in _lines(data.get("additional_activities", ""))]
        except (IndexError, ValueError):
            self.add_error("additional_activities", _("Tiap baris: nama | jam | staf."))
        self.document = document
        return data

    def apply_domain_error(self, error: Any) -> None:
        errors = getattr(error, "errors", [error])
        for err in errors:
            field = (err.field or "").split("[")[0].split(".")[0]
            self.add_error(field if field in self.fields else None, err.message)


def wisn_initial(data: dict[str, Any]) -> dict[str, Any]:
    """Form values from a saved document."""
    initial = {k: data.get(k) for k in ("working_days", "public_holidays", "annual_leave",
                                        "sick_leave", "other_leave", "hours_per_day",
                                        "days_per_week", "current_staff")}
    initial["days_per_week"] = data.get("days_per_week", 5)
    initial["service_activities"] = "\n".join(
        f"{a['name']} | {a['annual_volume']} | {a['minutes_per_unit']}"
        for a in data.get("service_activities") or [])
    lines = []
    for a in data.get("support_activities") or []:
        for key, unit in (("percent", "%"), ("hours_per_week", "jam/minggu"),
                          ("minutes_per_day", "menit/hari")):
            if key in a:
                lines.append(f"{a['name']} | {a[key]} | {unit}")
    initial["support_activities"] = "\n".join(lines)
    initial["additional_activities"] = "\n".join(
        f"{a['name']} | {a['hours_per_year']} | {a['staff']}"
        for a in data.get("additional_activities") or [])
    return initial


class NormForm(DomainErrorsMixin, forms.Form):
    region = forms.CharField(label=_("Wilayah (kode)"), required=False, max_length=13)
    organisation = forms.ModelChoiceField(label=_("Unit kerja"), required=False,
                                          queryset=Organisation.objects.none())
    category = _category_field()
    basis = forms.ChoiceField(label=_("Dasar"), choices=NormBasis.choices)
    unit_label = forms.CharField(label=_("Satuan"), required=False, max_length=60)
    units = forms.DecimalField(label=_("Jumlah penduduk/unit"), min_value=0)
    staff = forms.DecimalField(label=_("Staf"), min_value=0, initial=1)
    per = forms.DecimalField(label=_("Per"), min_value=0)
    year = forms.IntegerField(label=_("Tahun"), initial=lambda: dt.date.today().year)
    source = forms.CharField(label=_("Dasar norma"), required=False, max_length=200)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = scoped_organisations(user)  # type: ignore
        bootstrap(self)


class ScenarioForm(DomainErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Nama skenario"), max_length=150)
    region = forms.CharField(label=_("Wilayah (kode)"), max_length=13)
    category = _category_field()
    start_year = forms.IntegerField(label=_("Tahun awal"), min_value=1900, max_value=2200,
                                    initial=lambda: dt.date.today().year + 1)
    years = forms.IntegerField(label=_("Lama (tahun)"), min_value=1, max_value=5, initial=5)
    attrition_rate = forms.DecimalField(label=_("Tingkat keluar (%/tahun)"), initial=0,
                                        min_value=0, max_value=100)
    entrants_per_year = forms.DecimalField(
        label=_("Tambahan masuk per tahun (skenario)"), initial=0, min_value=0,
        help_text=_("Mis. +50 lulusan Poltekesos per tahun; ditambahkan di atas data."))
    entrants_from_records = forms.BooleanField(
        label=_("Hitung masuk dari data pelatihan dan beasiswa"), required=False, initial=True)
    need_override = forms.DecimalField(label=_("Kebutuhan (manual)"), required=False,
                                       min_value=0)
    need_growth_rate = forms.DecimalField(label=_("Pertumbuhan kebutuhan (%/tahun)"),
                                          initial=0)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PlacementForm(forms.Form):
    fields_of_study = forms.MultipleChoiceField(label=_("Bidang studi yang dicari"),
                                                required=False)
    min_level = forms.ChoiceField(label=_("Pendidikan minimal"), required=False)
    category = forms.ChoiceField(label=_("Kategori SDM"), required=False)
    region = forms.CharField(label=_("Wilayah (kode)"), required=False, max_length=13)
    standard = forms.ChoiceField(
        label=_("Standar kompetensi jabatan"), required=False,
        help_text=_("Kosong: standar kategori SDM yang dipilih."))
    schemes = forms.MultipleChoiceField(
        label=_("Skema sertifikasi yang relevan"), required=False,
        help_text=_("Kosong: skema kategori SDM yang dipilih."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [("", "---------")] + [  # type: ignore
            (s.code, f"{s.code} {s.name}") for s in JobStandard.objects.filter(is_active=True)]
        self.fields["schemes"].choices = [  # type: ignore[attr-defined]
            (s.code, s.name) for s in Scheme.objects.filter(is_active=True)]
        self.fields["fields_of_study"].choices = [  # type: ignore[attr-defined]
            (f.code, f.name) for f in FieldOfStudy.objects.filter(is_active=True)]
        self.fields["min_level"].choices = [("", "---------")] + [  # type: ignore
            (e.code, e.name) for e in EducationLevel.objects.filter(is_active=True)]
        self.fields["category"].choices = [("", "---------")] + [  # type: ignore
            (c.code, c.name) for c in WorkforceCategory.objects.filter(is_active=True)]
        bootstrap(self)
        self.fields["fields_of_study"].widget.attrs["size"] = 6
        self.fields["schemes"].widget.attrs["size"] = 4


class HeadForm(DomainErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Unit kerja"),
                                          queryset=Organisation.objects.none())
    person = forms.IntegerField(label=_("ID pekerja (kepala)"))
    since = forms.DateField(label=_("Sejak"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = scoped_organisations(user)  # type: ignore
        bootstrap(self)


class EntrantSourceForm(DomainErrorsMixin, forms.Form):
    category = _category_field()
    scheme = forms.ModelChoiceField(label=_("Skema beasiswa"), required=False,
                                    queryset=ScholarshipScheme.objects.select_related(
                                        "institution"))
    programme = forms.ModelChoiceField(label=_("Program pelatihan"), required=False,
                                       queryset=Programme.objects.filter(is_active=True))
    note = forms.CharField(label=_("Catatan"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("scheme") is None) == (data.get("programme") is None):
            raise forms.ValidationError(
                _("Pilih satu skema beasiswa atau satu program pelatihan."))
        return data
