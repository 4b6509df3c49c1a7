"""Web forms of careers and SKP. They validate input and hand plain data to ``careers.actions``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.models import Organisation
from sdmkesos.people.forms import (
    DateInput,
    DomainErrorsMixin,
    FastChoiceField,
    OrganisationChoiceField,
    region_filter_choices,
    scoped_organisations,
)

from .models import BerAkhlak, Expectation, JfLevel, JfPosition, JfRank, PositionKind


def bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")


class LevelForm(DomainErrorsMixin, forms.Form):
    coefficient = forms.DecimalField(label=_("Koefisien tahunan"), min_value=0,
                                     decimal_places=3, max_digits=8)
    ak_next_rank = forms.DecimalField(label=_("AK kenaikan pangkat"), min_value=0,
                                      decimal_places=3, max_digits=8)
    ak_next_level = forms.DecimalField(label=_("AK kenaikan jenjang"), min_value=0,
                                       decimal_places=3, max_digits=8, required=False)
    retirement_age = forms.IntegerField(label=_("Batas usia pensiun"), min_value=1,
                                        max_value=120)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PositionForm(DomainErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Jenis jabatan"), choices=PositionKind.choices)
    jf = forms.ModelChoiceField(label=_("Jabatan fungsional"), queryset=JfPosition.objects.all(),
                                required=False)
    level = forms.ModelChoiceField(label=_("Jenjang"), queryset=JfLevel.objects.all(),
                                   required=False)
    rank = forms.ModelChoiceField(label=_("Golongan"), queryset=JfRank.objects.all(),
                                  required=False)
    tmt = forms.DateField(label=_("TMT"), widget=DateInput())
    opening_ak = forms.DecimalField(label=_("AK awal (PAK terakhir)"), min_value=0,
                                    decimal_places=3, max_digits=8, required=False, initial=0)
    competency_test_passed = forms.BooleanField(label=_("Lulus uji kompetensi"),
                                                required=False)
    competency_test_date = forms.DateField(label=_("Tanggal uji kompetensi"), required=False,
                                           widget=DateInput())
    vacancy_available = forms.BooleanField(label=_("Formasi jenjang berikutnya tersedia"),
                                           required=False)
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def to_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["opening_ak"] = data.get("opening_ak") or 0
        return data


class PositionFlagsForm(DomainErrorsMixin, forms.Form):
    competency_test_passed = forms.BooleanField(label=_("Lulus uji kompetensi"),
                                                required=False)
    competency_test_date = forms.DateField(label=_("Tanggal uji kompetensi"), required=False,
                                           widget=DateInput())
    vacancy_available = forms.BooleanField(label=_("Formasi jenjang berikutnya tersedia"),
                                           required=False)
    end_date = forms.DateField(label=_("Selesai"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


def _rating_choices() -> list[tuple[str, str]]:
    from .models import RatingLevel

    return [(r.code, r.label_id) for r in RatingLevel.objects.all()]


class CreditForm(DomainErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=1900, max_value=2200,
                              initial=lambda: dt.date.today().year - 1)
    rating = forms.ChoiceField(label=_("Predikat kinerja"), choices=_rating_choices)
    months = forms.IntegerField(label=_("Bulan"), min_value=1, max_value=12, initial=12)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class SkpCreateForm(DomainErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=1900, max_value=2200,
                              initial=lambda: dt.date.today().year)
    supervisor = forms.TypedChoiceField(label=_("Pejabat penilai (atasan)"), required=False,
                                        coerce=int, empty_value=None)
    supervisor_id = forms.IntegerField(label=_("atau ID pegawai atasan"), required=False,
                                       help_text=_("Bila atasan bekerja di unit lain."))
    second_supervisor = forms.TypedChoiceField(label=_("Atasan pejabat penilai"),
                                               required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, colleagues: list[tuple[int, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "---------"), *(colleagues or [])]
        self.fields["supervisor"].choices = choices  # type: ignore[attr-defined]
        self.fields["second_supervisor"].choices = choices  # type: ignore[attr-defined]
        bootstrap(self)


class ResultForm(DomainErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Rencana hasil kerja"), max_length=500)
    indicators = forms.CharField(
        label=_("Indikator | target (satu per baris)"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Contoh: Jumlah asesmen PPKS | 120 kasus"))
    parent = forms.TypedChoiceField(label=_("Hasil kerja atasan yang diintervensi"),
                                    required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, parents: list[tuple[int, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "---------"), *(parents or [])]  # type: ignore
        bootstrap(self)

    def indicator_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.cleaned_data["indicators"].splitlines():
            if not line.strip():
                continue
            text, _sep, target = line.partition("|")
            pairs.append((text.strip(), target.strip()))
        return pairs


class RealisationForm(DomainErrorsMixin, forms.Form):
    indicator = forms.TypedChoiceField(label=_("Indikator"), coerce=int)
    period = forms.TypedChoiceField(label=_("Triwulan"), coerce=int,
                                    choices=[(i, f"T{i}") for i in range(1, 5)])
    realisation = forms.CharField(label=_("Realisasi"), max_length=500)
    evidence = forms.CharField(label=_("Bukti dukung (tautan/nomor dokumen)"), max_length=500,
                               required=False)
    evidence_file = forms.FileField(
        label=_("Berkas bukti dukung"), required=False,
        help_text=_("PDF, DOCX, DOC, ODT, XLSX, JPG atau PNG; paling besar 10 MB."))

    def __init__(self, *args: Any, indicators: list[tuple[int, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicators or []  # type: ignore[attr-defined]
        bootstrap(self)

    def clean_evidence_file(self) -> Any:
        from sdmkesos.partnerships.actions import MAX_DOCUMENT_BYTES, too_large

        upload = self.cleaned_data.get("evidence_file")
        if upload is not None and upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(too_large(upload.size).message)
        return upload

    def file_args(self) -> dict[str, Any]:
        """``file_name`` and ``file_content`` for ``do_add_realisation`` (empty: no file)."""
        upload = self.cleaned_data.get("evidence_file")
        if upload is None:
            return {}
        return {"file_name": upload.name, "file_content": upload.read()}


class EvaluationForm(DomainErrorsMixin, forms.Form):
    results_rating = forms.ChoiceField(label=_("Hasil kerja"), choices=Expectation.choices)
    behaviour_rating = forms.ChoiceField(label=_("Perilaku kerja"), choices=Expectation.choices)
    note = forms.CharField(label=_("Catatan penilaian"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in BerAkhlak.choices:
            self.fields[f"b_{value}"] = forms.ChoiceField(
                label=label, choices=[("", "---------"), *Expectation.choices], required=False)
        bootstrap(self)

    def behaviours(self) -> dict[str, tuple[str, str]]:
        return {value: (self.cleaned_data[f"b_{value}"], "")
                for value in BerAkhlak.values if self.cleaned_data.get(f"b_{value}")}


class RetirementFilterForm(forms.Form):
    years = forms.TypedChoiceField(label=_("Dalam"), coerce=int, initial=1,
                                   choices=[(i, _("%(n)d tahun") % {"n": i}) for i in range(1, 6)])
    region = FastChoiceField(label=_("Wilayah"), required=False)
    organisation = OrganisationChoiceField(label=_("Unit kerja"), required=False,
                                           queryset=Organisation.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        selected = str(self.data.get("region", "")) if self.is_bound else ""
        self.fields["region"].choices = region_filter_choices(  # type: ignore[attr-defined]
            user, selected)
        self.fields["organisation"].queryset = scoped_organisations(user)  # type: ignore
        bootstrap(self)
