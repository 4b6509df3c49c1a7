"""Forms of the training pages; they hand plain data to ``training.actions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sdmkesos.competency.models import Competency
from sdmkesos.competency.webutil import DateInput, DomainForm
from sdmkesos.core.models import EducationLevel, Organisation, Region, WorkforceCategory
from sdmkesos.core.scoping import CHANGE
from sdmkesos.people.models import Person

from .models import (
    AttendanceStatus,
    BatchStatus,
    DegreeLevel,
    FundingSource,
    Mode,
    PlacementStatus,
    Programme,
    ProgrammeType,
    ScholarStatus,
    Trainer,
    TrainerKind,
    Venue,
)
from .permissions import manageable_organisations

UNIS = ["poltekesos", "universitas"]
LEVELS = [(0, "—")] + [(i, str(i)) for i in range(1, 6)]


def _regions() -> Any:
    return Region.objects.filter(level__lte=2)


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class ProgrammeForm(DomainForm):
    code = forms.CharField(label=_("Kode"), max_length=40)
    name = forms.CharField(label=_("Nama"), max_length=200)
    type = forms.ChoiceField(label=_("Jenis"), choices=ProgrammeType.choices)
    mode = forms.ChoiceField(label=_("Moda"), choices=Mode.choices)
    jp = forms.IntegerField(label=_("Durasi (JP)"), min_value=1)
    days = forms.IntegerField(label=_("Lama (hari)"), min_value=1, initial=1)
    organisation = forms.ModelChoiceField(label=_("Penyelenggara"),
                                          queryset=Organisation.objects.none())
    cost_per_participant = forms.DecimalField(label=_("Biaya per peserta (Rp)"), min_value=0,
                                              initial=0, decimal_places=2)
    description = forms.CharField(label=_("Uraian"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    eligible_categories = forms.ModelMultipleChoiceField(
        label=_("Kategori SDM yang boleh ikut (kosong: semua)"), required=False,
        queryset=WorkforceCategory.objects.filter(is_active=True),
        widget=forms.SelectMultiple(attrs={"size": 6}))
    min_education = forms.ModelChoiceField(label=_("Pendidikan minimal"), required=False,
                                           queryset=EducationLevel.objects.all())
    asn_only = forms.BooleanField(label=_("Khusus ASN"), required=False)
    min_attendance = forms.IntegerField(label=_("Kehadiran minimal untuk lulus (%)"),
                                        min_value=0, max_value=100, initial=0,
                                        required=False, help_text=_("0: tanpa syarat"))
    prerequisites = forms.ModelMultipleChoiceField(
        label=_("Prasyarat (sudah lulus)"), required=False, queryset=Programme.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 4}))
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any = None, levels: dict[str, int] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = manageable_organisations(user)  # type: ignore[attr-defined]
        levels = levels or {}
        self.level_fields: list[tuple[Competency, str]] = []
        for comp in Competency.objects.filter(is_active=True):
            name = f"lvl_{comp.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=f"{comp.code} {comp.name}", coerce=int, required=False, choices=LEVELS,
                initial=levels.get(comp.code, 0),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
            self.level_fields.append((comp, name))

    def competencies(self) -> dict[Competency, int]:
        return {c: self.cleaned_data[n] for c, n in self.level_fields if self.cleaned_data.get(n)}

    def level_rows(self) -> list[tuple[Competency, Any]]:
        return [(c, self[n]) for c, n in self.level_fields]

    def main_fields(self) -> list[Any]:
        return [self[n] for n in self.fields if not n.startswith("lvl_")]

    def data_for_action(self) -> dict[str, Any]:
        keys = ("code", "name", "type", "mode", "jp", "days", "organisation",
                "cost_per_participant", "description", "min_education", "asn_only",
                "min_attendance", "is_active")
        data = {k: self.cleaned_data[k] for k in keys}
        data["min_attendance"] = data["min_attendance"] or 0
        return data


class VenueForm(DomainForm):
    name = forms.CharField(label=_("Nama"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Pengelola"),
                                          queryset=Organisation.objects.none())
    venue_region = RegionField(label=_("Lokasi (kab/kota)"), queryset=Region.objects.none())
    address = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    capacity = forms.IntegerField(label=_("Kapasitas (orang)"), min_value=1)
    daily_cost = forms.DecimalField(label=_("Biaya per hari (Rp)"), min_value=0, initial=0)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = manageable_organisations(user)  # type: ignore[attr-defined]
        self.fields["venue_region"].queryset = _regions()  # type: ignore[attr-defined]


class TrainerForm(DomainForm):
    name = forms.CharField(label=_("Nama"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis"), choices=TrainerKind.choices)
    organisation = forms.ModelChoiceField(label=_("Instansi"), queryset=Organisation.objects.none())
    home_region = RegionField(label=_("Domisili"), queryset=Region.objects.none(), required=False)
    max_days_per_year = forms.IntegerField(label=_("Beban maksimal (hari/tahun)"), min_value=1,
                                           max_value=366, initial=120)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = manageable_organisations(user)  # type: ignore[attr-defined]
        self.fields["home_region"].queryset = _regions()  # type: ignore[attr-defined]


class AvailabilityForm(DomainForm):
    start_date = forms.DateField(label=_("Mulai"), widget=DateInput())
    end_date = forms.DateField(label=_("Selesai"), widget=DateInput())
    available = forms.TypedChoiceField(label=_("Status"), coerce=lambda v: v == "1",
                                       choices=[("1", _("Tersedia")), ("0", _("Tidak tersedia"))])
    note = forms.CharField(label=_("Catatan"), max_length=200, required=False)


class BatchForm(DomainForm):
    programme = forms.ModelChoiceField(label=_("Program"),
                                       queryset=Programme.objects.filter(is_active=True))
    number = forms.IntegerField(label=_("Angkatan ke-"), min_value=1, required=False,
                                help_text=_("Kosong: nomor berikutnya."))
    name = forms.CharField(label=_("Nama (opsional)"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(label=_("Penyelenggara"), required=False,
                                          queryset=Organisation.objects.none(),
                                          help_text=_("Kosong: penyelenggara program."))
    venue = forms.ModelChoiceField(label=_("Tempat"), required=False,
                                   queryset=Venue.objects.filter(is_active=True))
    start_date = forms.DateField(label=_("Mulai"), widget=DateInput())
    end_date = forms.DateField(label=_("Selesai"), widget=DateInput())
    capacity = forms.IntegerField(label=_("Kapasitas"), min_value=1)
    allow_waitlist = forms.BooleanField(label=_("Pakai daftar tunggu"), required=False,
                                        initial=True)
    funding_source = forms.ChoiceField(label=_("Sumber dana"), choices=FundingSource.choices)
    status = forms.ChoiceField(label=_("Status"), choices=BatchStatus.choices)

    def __init__(self, *args: Any, user: Any = None, editing: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = manageable_organisations(user)  # type: ignore[attr-defined]
        if editing:
            for name in ("programme", "organisation", "number"):
                del self.fields[name]

    def data_for_action(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not data.get("organisation"):
            data.pop("organisation", None)
        if "number" in data and not data["number"]:
            data["number"] = None
        return data


class SessionForm(DomainForm):
    date = forms.DateField(label=_("Tanggal"), widget=DateInput())
    topic = forms.CharField(label=_("Materi"), max_length=200, required=False)
    jp = forms.IntegerField(label=_("JP"), min_value=0, initial=0)


class AssignTrainerForm(DomainForm):
    trainer = forms.ModelChoiceField(label=_("Pengajar"),
                                     queryset=Trainer.objects.filter(is_active=True))
    role = forms.CharField(label=_("Peran"), max_length=60, required=False)


class PersonLookupForm(DomainForm):
    """A person the user may change, by NIK or registry id."""

    person = forms.CharField(label=_("NIK atau ID pekerja"), max_length=20)
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self) -> Person:
        key = self.cleaned_data["person"].strip()
        qs = Person.objects.restrict(self.user, CHANGE)
        found = qs.filter(Q(nik=key) | Q(pk=int(key)) if key.isdigit() and len(key) < 16
                          else Q(nik=key)).first()
        if found is None:
            raise forms.ValidationError(_("Tidak ada pekerja dengan NIK/ID {key} dalam lingkup "
                                          "Anda.").format(key=key))
        return found


class ScoresForm(DomainForm):
    pre_test = forms.DecimalField(label=_("Pre-test"), min_value=0, max_value=100,
                                  required=False)
    post_test = forms.DecimalField(label=_("Post-test"), min_value=0, max_value=100,
                                   required=False)


class CompleteForm(DomainForm):
    passed = forms.TypedChoiceField(label=_("Hasil"), coerce=lambda v: v == "1",
                                    choices=[("1", _("Lulus")), ("0", _("Tidak lulus"))])
    completed_on = forms.DateField(label=_("Tanggal"), widget=DateInput(), required=False)
    certificate_number = forms.CharField(label=_("Nomor sertifikat"), max_length=80,
                                         required=False)


class FeedbackForm(DomainForm):
    rating = forms.TypedChoiceField(label=_("Penilaian umum"), coerce=int,
                                    choices=[(i, str(i)) for i in range(5, 0, -1)])
    trainer_rating = forms.TypedChoiceField(label=_("Penilaian pengajar"), coerce=int,
                                            empty_value=None, required=False,
                                            choices=[("", "—")] + [(i, str(i))
                                                                   for i in range(5, 0, -1)])
    comments = forms.CharField(label=_("Saran dan komentar"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))


ATTENDANCE_CHOICES = AttendanceStatus.choices


class SchemeForm(DomainForm):
    name = forms.CharField(label=_("Nama"), max_length=200)
    degree = forms.ChoiceField(label=_("Jenjang"), choices=DegreeLevel.choices)
    institution = forms.ModelChoiceField(label=_("Perguruan tinggi"),
                                         queryset=Organisation.objects.filter(type__in=UNIS))
    study_programme = forms.CharField(label=_("Program studi"), max_length=200)
    sponsor = forms.CharField(label=_("Sponsor"), max_length=200)
    funding_source = forms.ChoiceField(label=_("Sumber dana"), choices=FundingSource.choices)
    intake_year = forms.IntegerField(label=_("Tahun masuk"), min_value=2000, max_value=2100)
    quota = forms.IntegerField(label=_("Kuota"), min_value=1)
    organisation = forms.ModelChoiceField(label=_("Pengelola"),
                                          queryset=Organisation.objects.none())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = manageable_organisations(user)  # type: ignore[attr-defined]


class ScholarStatusForm(DomainForm):
    status = forms.ChoiceField(label=_("Status"), choices=ScholarStatus.choices)
    start_date = forms.DateField(label=_("Mulai studi"), widget=DateInput(), required=False)
    end_date = forms.DateField(label=_("Selesai studi"), widget=DateInput(), required=False)


class PlacementForm(DomainForm):
    student_name = forms.CharField(label=_("Nama mahasiswa"), max_length=150)
    student_number = forms.CharField(label=_("NIM"), max_length=40, required=False)
    institution = forms.ModelChoiceField(label=_("Perguruan tinggi"),
                                         queryset=Organisation.objects.filter(type__in=UNIS))
    host = forms.ModelChoiceField(label=_("Instansi tempat praktik"),
                                  queryset=Organisation.objects.none())
    start_date = forms.DateField(label=_("Mulai"), widget=DateInput())
    end_date = forms.DateField(label=_("Selesai"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=PlacementStatus.choices)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = manageable_organisations(user)  # type: ignore[attr-defined]


class PlanForm(DomainForm):
    """A training-plan request: the target group (region within the user's scope, category,
    optionally a competency and "without programme X"), candidate programmes, horizon, budget
    and the solver's time limit."""

    name = forms.CharField(label=_("Nama rencana"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Penyelenggara angkatan"),
                                          queryset=Organisation.objects.none())
    region = RegionField(label=_("Wilayah sasaran"), queryset=Region.objects.none(),
                         required=False)
    category = forms.ModelChoiceField(label=_("Kategori SDM"), required=False,
                                      queryset=WorkforceCategory.objects.all(),
                                      to_field_name="code")
    competency = forms.ModelChoiceField(label=_("Hanya kesenjangan kompetensi"), required=False,
                                        queryset=Competency.objects.all(),
                                        to_field_name="code")
    without_programme = forms.ModelChoiceField(
        label=_("Hanya yang belum mengikuti program"), required=False,
        queryset=Programme.objects.filter(is_active=True), to_field_name="code")
    programmes = forms.ModelMultipleChoiceField(
        label=_("Program kandidat (kosong: semua yang aktif)"), required=False,
        queryset=Programme.objects.filter(is_active=True), to_field_name="code",
        widget=forms.CheckboxSelectMultiple)
    start = forms.DateField(label=_("Horizon mulai"), widget=DateInput)
    end = forms.DateField(label=_("Horizon selesai"), widget=DateInput)
    budget = forms.DecimalField(label=_("Anggaran (Rp, kosong: tanpa batas)"), required=False,
                                min_value=0, decimal_places=0, max_digits=16)
    time_limit = forms.IntegerField(label=_("Batas waktu hitung (detik)"), min_value=5,
                                    max_value=600, initial=60)
    min_batch = forms.IntegerField(label=_("Peserta minimal per angkatan"), min_value=1,
                                   max_value=200, initial=10)
    max_batch = forms.IntegerField(label=_("Peserta maksimal per angkatan"), min_value=1,
                                   max_value=500, initial=30)
    asn_weight = forms.DecimalField(label=_("Bobot prioritas ASN (non-ASN = 1)"), min_value=0,
                                    max_value=100, initial=2, decimal_places=2)
    max_km = forms.IntegerField(label=_("Jarak maksimal ke tempat (km, kosong: tanpa batas)"),
                                min_value=1, required=False, initial=250)

    field_aliases = {"region": "region", "organisation": "organisation"}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sdmkesos.core.scoping import scope_for

        self.fields["organisation"].queryset = manageable_organisations(user)  # type: ignore[attr-defined]
        scope = scope_for(user)
        regions = _regions()
        if not scope.unrestricted:
            q = Q(pk__in=[])
            for code in scope.region_codes:
                q |= Q(code=code) | Q(code__startswith=code + ".")
            regions = regions.filter(q)
            self.fields["region"].required = True
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Tanggal selesai sebelum tanggal mulai."))
        if data.get("min_batch") and data.get("max_batch") and (
                data["max_batch"] < data["min_batch"]):
            self.add_error("max_batch", _("Lebih kecil dari peserta minimal."))
        return data

    def parameters(self, language: str = "id") -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "region": d["region"].code if d.get("region") else "",
            "category": d["category"].code if d.get("category") else "",
            "competency": d["competency"].code if d.get("competency") else "",
            "programmes": sorted(p.code for p in d.get("programmes") or []),
            "without_programme": (d["without_programme"].code if d.get("without_programme")
                                  else ""),
            "start": d["start"].isoformat(), "end": d["end"].isoformat(),
            "budget": None if d.get("budget") is None else float(d["budget"]),
            "time_limit": d["time_limit"], "min_batch": d["min_batch"],
            "max_batch": d["max_batch"], "asn_weight": float(d["asn_weight"]),
            "max_km": d.get("max_km"), "language": language,
        }
