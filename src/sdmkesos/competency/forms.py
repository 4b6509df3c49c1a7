"""Forms of the competency pages. They validate input and hand plain data to the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.models import Region, WorkforceCategory

from .models import AssessmentMethod, Competency, CompetencyGroup
from .queries import GROUPINGS
from .webutil import DateInput, DomainForm

LEVEL_CHOICES = [(i, str(i)) for i in range(1, 6)]


class CompetencyForm(DomainForm):
    code = forms.CharField(label=_("Kode"), max_length=40)
    name = forms.CharField(label=_("Nama"), max_length=200)
    name_en = forms.CharField(label=_("Nama (Inggris)"), max_length=200, required=False)
    group = forms.ModelChoiceField(label=_("Kelompok"), queryset=CompetencyGroup.objects.all())
    definition = forms.CharField(label=_("Definisi"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False)
    validity_months = forms.IntegerField(
        label=_("Masa berlaku penilaian (bulan)"), min_value=1, max_value=600, required=False,
        help_text=_("Kosongkan bila penilaian tidak kedaluwarsa."))
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)


class LevelForm(DomainForm):
    description = forms.CharField(label=_("Deskripsi level"),
                                  widget=forms.Textarea(attrs={"rows": 2}), required=False)
    indicators = forms.CharField(label=_("Indikator perilaku (satu per baris)"),
                                 widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def indicator_list(self) -> list[str]:
        return [line for line in self.cleaned_data["indicators"].splitlines() if line.strip()]


class StandardForm(DomainForm):
    code = forms.CharField(label=_("Kode"), max_length=60)
    name = forms.CharField(label=_("Nama"), max_length=200)
    category = forms.ModelChoiceField(label=_("Kategori SDM"), required=False,
                                      queryset=WorkforceCategory.objects.filter(is_active=True))
    position = forms.CharField(label=_("Jabatan"), max_length=150, required=False,
                               help_text=_("Bila diisi, standar ini berlaku untuk jabatan ini "
                                           "(lebih spesifik dari kategori)."))
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args: Any, required: dict[str, int] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        required = required or {}
        self.competency_fields: list[tuple[Competency, str]] = []
        for comp in Competency.objects.filter(is_active=True).select_related("group"):
            name = f"req_{comp.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=f"{comp.code} {comp.name}", coerce=int, required=False,
                choices=[(0, "—"), *LEVEL_CHOICES], initial=required.get(comp.code, 0),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
            self.competency_fields.append((comp, name))

    def items(self) -> dict[Competency, int]:
        return {comp: self.cleaned_data[name] for comp, name in self.competency_fields
                if self.cleaned_data.get(name)}

    def rows(self) -> list[tuple[Competency, Any]]:
        return [(comp, self[name]) for comp, name in self.competency_fields]


class AssessmentForm(DomainForm):
    competency = forms.ModelChoiceField(label=_("Kompetensi"),
                                        queryset=Competency.objects.filter(is_active=True))
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVEL_CHOICES, coerce=int)
    method = forms.ChoiceField(label=_("Metode"), choices=[
        c for c in AssessmentMethod.choices if c[0] != AssessmentMethod.TRAINING])
    assessed_on = forms.DateField(label=_("Tanggal penilaian"), widget=DateInput(),
                                  initial=dt.date.today)
    valid_until = forms.DateField(label=_("Berlaku sampai"), widget=DateInput(), required=False,
                                  help_text=_("Kosong: menurut masa berlaku kompetensi."))
    assessor_name = forms.CharField(label=_("Penilai"), max_length=150, required=False)
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)

    def __init__(self, *args: Any, self_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self_only:
            method: Any = self.fields["method"]
            method.choices = [(AssessmentMethod.SELF, AssessmentMethod.SELF.label)]


class GapFilterForm(DomainForm):
    region = forms.ChoiceField(label=_("Wilayah"), required=False)
    category = forms.ChoiceField(label=_("Kategori SDM"), required=False)
    competency = forms.ChoiceField(label=_("Kompetensi"), required=False)
    by = forms.ChoiceField(label=_("Kelompokkan per"), required=False, choices=[
        ("region", _("Kab/kota")), ("province", _("Provinsi")),
        ("organisation", _("Unit kerja")), ("category", _("Kategori SDM")),
        ("competency", _("Kompetensi"))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", str(_("Semua")))]
        fields: Any = self.fields
        fields["region"].choices = everyone + [
            (r.code, f"{r.code} {r.name}") for r in Region.objects.filter(level__lte=2)]
        fields["category"].choices = everyone + [
            (c.code, c.name) for c in WorkforceCategory.objects.filter(is_active=True)]
        fields["competency"].choices = everyone + [
            (c.code, f"{c.code} {c.name}") for c in Competency.objects.filter(is_active=True)]

    def params(self) -> dict[str, str]:
        if not self.is_valid():
            return {"by": "region"}
        data = {k: v for k, v in self.cleaned_data.items() if v}
        if data.get("by") not in GROUPINGS:
            data["by"] = "region"
        return data
