"""Web forms of certification: they validate input and hand plain values to ``actions``;
domain refusals are put back on the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.errors import DomainError, ValidationFailed

from .choices import EvidenceKind, Funding, Method, RegistrationKind, Route, Verdict
from .models import Scheme


class BootstrapForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else (
                "form-select" if isinstance(widget, forms.Select) else "form-control")
            widget.attrs.setdefault("class", css)

    def add_domain_error(self, exc: DomainError) -> None:
        errors = exc.errors if isinstance(exc, ValidationFailed) else [exc]
        for err in errors:
            self.add_error(err.field if err.field in self.fields else None, err.message)


class ApplicationForm(BootstrapForm):
    scheme = forms.ModelChoiceField(Scheme.objects.filter(is_active=True), label=_("Skema"),
                                    to_field_name="code")
    route = forms.ChoiceField(choices=Route.choices, label=_("Jalur"),
                              initial=Route.NOMINATED)
    practice_hours = forms.IntegerField(min_value=0, initial=0, label=_("Jam praktik"))
    trainings = forms.CharField(required=False, label=_("Pelatihan yang diikuti"),
                                help_text=_("Pisahkan dengan koma."))
    is_member = forms.BooleanField(required=False, label=_("Anggota organisasi profesi (IPSPI)"))
    supervisor_nik = forms.CharField(required=False, max_length=16,
                                     label=_("NIK atasan langsung"),
                                     help_text=_("Untuk mencegah konflik kepentingan asesor."))
    funding = forms.ChoiceField(choices=Funding.choices, label=_("Sumber biaya"))
    fee = forms.DecimalField(min_value=0, decimal_places=0, initial=0, label=_("Biaya (Rp)"))


class EvidenceForm(BootstrapForm):
    kind = forms.ChoiceField(choices=EvidenceKind.choices, label=_("Jenis bukti"))
    file = forms.FileField(label=_("Berkas (PDF/JPG/PNG, maks. 10 MB)"))


class VerdictForm(BootstrapForm):
    verdict = forms.ChoiceField(choices=Verdict.choices, label=_("Hasil"))
    note = forms.CharField(required=False, max_length=255, label=_("Catatan"))


class EventForm(BootstrapForm):
    scheme = forms.ModelChoiceField(Scheme.objects.filter(is_active=True), label=_("Skema"),
                                    to_field_name="code")
    title = forms.CharField(max_length=200, label=_("Nama kegiatan"))
    date = forms.DateField(label=_("Tanggal uji"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(max_length=200, label=_("Tempat uji (TUK)"))
    organisation = forms.CharField(max_length=60, label=_("Kode organisasi penyelenggara"),
                                   help_text=_("Mis. DINSOS-35.07"))


class AssignForm(BootstrapForm):
    assessor = forms.IntegerField(label=_("Asesor"), widget=forms.Select())
    is_lead = forms.BooleanField(required=False, label=_("Ketua tim"))


class CandidateForm(BootstrapForm):
    application = forms.IntegerField(label=_("Permohonan"), widget=forms.Select())


class ResultForm(BootstrapForm):
    application = forms.IntegerField(widget=forms.HiddenInput())
    unit = forms.CharField(label=_("Unit"), widget=forms.Select())
    method = forms.ChoiceField(choices=Method.choices, label=_("Metode"))
    verdict = forms.ChoiceField(choices=Verdict.choices, label=_("Hasil"))
    assessor = forms.IntegerField(label=_("Asesor"), widget=forms.Select())


class AssessorForm(BootstrapForm):
    nik = forms.CharField(max_length=16, label=_("NIK asesor"))
    registration_number = forms.CharField(max_length=50, label=_("Nomor registrasi (MET)"))
    schemes = forms.ModelMultipleChoiceField(Scheme.objects.filter(is_active=True),
                                             to_field_name="code", label=_("Skema"),
                                             widget=forms.SelectMultiple())
    active_from = forms.DateField(label=_("Aktif sejak"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    active_until = forms.DateField(label=_("Aktif sampai"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    qualifications = forms.CharField(required=False, label=_("Kualifikasi"),
                                     widget=forms.Textarea(attrs={"rows": 2}))
    username = forms.CharField(required=False, max_length=150, label=_("Akun pengguna asesor"),
                               help_text=_("Untuk pemisahan pembuat/pemeriksa keputusan."))


class RegistrationForm(BootstrapForm):
    nik = forms.CharField(max_length=16, label=_("NIK"))
    kind = forms.ChoiceField(choices=RegistrationKind.choices, label=_("Jenis"))
    number = forms.CharField(max_length=60, label=_("Nomor"))
    issued_by = forms.CharField(max_length=150, label=_("Diterbitkan oleh"))
    valid_from = forms.DateField(label=_("Berlaku sejak"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Berlaku sampai"),
                                  widget=forms.DateInput(attrs={"type": "date"}))


def _split(text: str) -> list[str]:
    return [" ".join(part.split()) for part in text.replace("\n", ",").split(",")
            if part.strip()]


class SchemeForm(BootstrapForm):
    """A scheme's editable data (administrators)."""

    name = forms.CharField(max_length=150, label=_("Nama skema"))
    category_code = forms.CharField(max_length=40, required=False,
                                    label=_("Kategori SDM (kode)"))
    validity_years = forms.IntegerField(min_value=1, max_value=10,
                                        label=_("Masa berlaku (tahun)"))
    min_education = forms.ChoiceField(required=False, label=_("Pendidikan minimal"))
    fields_of_study = forms.CharField(
        required=False, label=_("Bidang studi yang diterima"),
        help_text=_("Kode bidang studi, pisahkan dengan koma; kosong: semua bidang."))
    min_practice_hours = forms.IntegerField(min_value=0, max_value=100_000, initial=0,
                                            label=_("Jam praktik minimal"))
    required_training = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Pelatihan wajib"), help_text=_("Satu per baris atau pisahkan dengan koma."))
    membership_required = forms.BooleanField(required=False,
                                             label=_("Wajib anggota organisasi profesi"))
    units = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}),
                            label=_("Unit kompetensi"),
                            help_text=_("Satu unit per baris: KODE | Judul unit."))
    needs_confirmation = forms.BooleanField(required=False,
                                            label=_("Nilai masih perlu dikonfirmasi"))
    is_active = forms.BooleanField(required=False, label=_("Aktif"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sdmkesos.core.models import EducationLevel

        field = self.fields["min_education"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "-"), *((e.code, e.name) for e in EducationLevel.objects.all())]

    @classmethod
    def initial_for(cls, scheme: Scheme) -> dict[str, Any]:
        from .schemes import format_units

        rules = scheme.eligibility or {}
        return {"name": scheme.name, "category_code": scheme.category_code,
                "validity_years": scheme.validity_years,
                "min_education": rules.get("min_education") or "",
                "fields_of_study": ", ".join(rules.get("fields") or []),
                "min_practice_hours": int(rules.get("min_practice_hours") or 0),
                "required_training": "\n".join(rules.get("required_training") or []),
                "membership_required": bool(rules.get("membership_required")),
                "units": format_units([(u.code, u.title) for u in scheme.units.all()]),
                "needs_confirmation": scheme.needs_confirmation,
                "is_active": scheme.is_active}

    def clean_fields_of_study(self) -> list[str]:
        from sdmkesos.core.models import FieldOfStudy

        codes = _split(self.cleaned_data.get("fields_of_study") or "")
        known = set(FieldOfStudy.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(_("Kode bidang studi tidak dikenal: %(c)s")
                                        % {"c": ", ".join(unknown)})
        return codes

    def clean_required_training(self) -> list[str]:
        return _split(self.cleaned_data.get("required_training") or "")

    def clean_units(self) -> list[tuple[str, str]]:
        from .schemes import UnitLineError, parse_units

        try:
            units = parse_units(self.cleaned_data.get("units") or "")
        except UnitLineError as exc:
            raise forms.ValidationError(str(exc)) from None
        if not units:
            raise forms.ValidationError(_("Paling sedikit satu unit."))
        return units

    def for_action(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"name": d["name"], "category_code": d["category_code"],
                "validity_years": d["validity_years"],
                "eligibility": {"min_education": d["min_education"] or None,
                                "fields": d["fields_of_study"],
                                "min_practice_hours": d["min_practice_hours"],
                                "required_training": d["required_training"],
                                "membership_required": d["membership_required"]},
                "units": d["units"], "needs_confirmation": d["needs_confirmation"],
                "is_active": d["is_active"]}
