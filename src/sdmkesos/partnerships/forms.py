"""Web forms: they validate input and hand plain data to ``partnerships.actions``; they never
save models. Domain refusals are put back on the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import Organisation, Region

from .choices import (
    ActionStatus,
    AgreementKind,
    AgreementStatus,
    DeliveryKind,
    DocumentType,
    FundingSource,
    MeetingKind,
    ResearchStatus,
    Scope,
    SessionKind,
)
from .models import Agreement, LetterTemplate

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


def date_field(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE,
                           input_formats=DATE_FORMATS)


def orgs() -> Any:
    return Organisation.objects.order_by("name")


def regions() -> Any:
    return Region.objects.filter(level__lte=2).order_by("code")


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)

    def apply_domain_error(self, err: DomainError) -> None:
        errors = err.errors if isinstance(err, ValidationFailed) else [err]
        for e in errors:
            field = (e.field or "").split(".")[0]
            self.add_error(field if field in self.fields else None, e.message)


class UsernamesField(forms.CharField):
    """Accounts by user name, separated by commas."""

    def clean(self, value: Any) -> Any:
        from sdmkesos.core.models import User

        value = super().clean(value)
        names = [n.strip() for n in (value or "").split(",") if n.strip()]
        if not names:
            return None
        users = list(User.objects.filter(username__in=names, is_active=True))
        missing = sorted(set(names) - {u.username for u in users})
        if missing:
            raise forms.ValidationError(_("Akun tidak dikenal: %(names)s") %
                                        {"names": ", ".join(missing)})
        return users


class AgreementForm(StyledForm):
    kind = forms.ChoiceField(label=_("Jenis"), choices=AgreementKind.choices)
    number = forms.CharField(label=_("Nomor"), max_length=120)
    title = forms.CharField(label=_("Judul"), max_length=300)
    parent = forms.ModelChoiceField(label=_("MoU induk (untuk PKS)"), required=False,
                                    queryset=Agreement.objects.none())
    summary = forms.CharField(label=_("Ringkasan"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    scopes = forms.MultipleChoiceField(label=_("Ruang lingkup"), choices=Scope.choices,
                                       required=False, widget=forms.CheckboxSelectMultiple)
    signing_date = date_field(_("Tanggal penandatanganan"))
    start_date = date_field(_("Mulai berlaku"))
    end_date = date_field(_("Berakhir"))
    responsible_users = UsernamesField(
        label=_("Penanggung jawab (nama pengguna)"), required=False, max_length=500,
        help_text=_("Dipisah koma; menerima pengingat 90 dan 30 hari sebelum berakhir. "
                    "Kosong: pembuat perjanjian."))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            parent = self.fields["parent"]
            assert isinstance(parent, forms.ModelChoiceField)
            parent.queryset = Agreement.objects.restrict(user).filter(kind="mou")


class PartyForm(StyledForm):
    organisation = forms.ModelChoiceField(label=_("Organisasi"), queryset=orgs(),
                                          required=False)
    name = forms.CharField(label=_("Nama pihak"), max_length=200, required=False,
                           help_text=_("Kosongkan untuk memakai nama organisasi; isi untuk "
                                       "pihak di luar daftar (mis. Pemerintah Provinsi)."))
    region = forms.ModelChoiceField(label=_("Wilayah pihak"), queryset=regions(),
                                    required=False,
                                    help_text=_("Untuk pemerintah daerah tanpa organisasi."))
    signatory_name = forms.CharField(label=_("Nama penanda tangan"), max_length=150,
                                     required=False)
    signatory_position = forms.CharField(label=_("Jabatan penanda tangan"), max_length=200,
                                         required=False)
    obligations = forms.CharField(label=_("Kewajiban"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organisation") and not data.get("name"):
            self.add_error("name", _("Pilih organisasi atau tulis nama pihak."))
        return data


class AgreementCreateForm(AgreementForm, PartyForm):
    """The agreement and its first party (more parties are added on its page)."""


class FundingForm(StyledForm):
    party = forms.ModelChoiceField(label=_("Pihak"), queryset=Agreement.objects.none(),
                                   required=False)
    source = forms.ChoiceField(label=_("Sumber dana"), choices=FundingSource.choices)
    year = forms.IntegerField(label=_("Tahun anggaran"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("Jumlah (Rp)"), min_value=0, max_digits=16,
                                decimal_places=2)
    note = forms.CharField(label=_("Keterangan"), max_length=255, required=False)

    def __init__(self, *args: Any, agreement: Agreement | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agreement is not None:
            party = self.fields["party"]
            assert isinstance(party, forms.ModelChoiceField)
            party.queryset = agreement.parties.all()


class PlanForm(StyledForm):
    kind = forms.ChoiceField(label=_("Jenis"), choices=DeliveryKind.choices)
    description = forms.CharField(label=_("Uraian"), max_length=255, required=False)
    people = forms.IntegerField(label=_("Target orang"), min_value=0, initial=0)
    budget = forms.DecimalField(label=_("Anggaran rencana (Rp)"), min_value=0, initial=0,
                                max_digits=16, decimal_places=2)


class DeliveryForm(StyledForm):
    kind = forms.ChoiceField(label=_("Jenis"), choices=DeliveryKind.choices)
    title = forms.CharField(label=_("Kegiatan"), max_length=255)
    date = date_field(_("Tanggal"))
    people = forms.IntegerField(label=_("Jumlah orang"), min_value=0, initial=0)
    budget = forms.DecimalField(label=_("Anggaran terealisasi (Rp)"), min_value=0, initial=0,
                                max_digits=16, decimal_places=2)
    reference_id = forms.CharField(label=_("Id rujukan"), max_length=60, required=False)
    reference_url = forms.URLField(label=_("Tautan rujukan"), required=False,
                                   assume_scheme="https")
    note = forms.CharField(label=_("Keterangan"), max_length=255, required=False)
    party = forms.ModelChoiceField(label=_("Pihak penyandang dana"), required=False,
                                   queryset=Agreement.objects.none())

    def __init__(self, *args: Any, agreement: Agreement | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agreement is not None:
            party = self.fields["party"]
            assert isinstance(party, forms.ModelChoiceField)
            party.queryset = agreement.parties.all()


LINK_TARGETS = [("batch", _("Angkatan pelatihan")), ("scheme", _("Skema beasiswa")),
                ("placement", _("Praktik lapangan")),
                ("event", _("Kegiatan uji kompetensi (sertifikasi)"))]


class LinkForm(StyledForm):
    """Link one record of the training/certification apps (those the user may see, not yet
    linked to an agreement) to the agreement it implements."""

    target = forms.ChoiceField(label=_("Jenis kegiatan"), choices=LINK_TARGETS)
    batch = forms.ModelChoiceField(label=_("Angkatan pelatihan"), required=False,
                                   queryset=Agreement.objects.none())
    scheme = forms.ModelChoiceField(label=_("Skema beasiswa"), required=False,
                                    queryset=Agreement.objects.none())
    placement = forms.ModelChoiceField(label=_("Praktik lapangan"), required=False,
                                       queryset=Agreement.objects.none())
    event = forms.ModelChoiceField(label=_("Kegiatan uji kompetensi"), required=False,
                                   queryset=Agreement.objects.none())
    party = forms.ModelChoiceField(label=_("Pihak penyandang dana"), required=False,
                                   queryset=Agreement.objects.none())
    budget = forms.DecimalField(
        label=_("Anggaran terealisasi (Rp)"), min_value=0, max_digits=16, decimal_places=2,
        required=False, help_text=_("Kosongkan untuk menghitung dari data kegiatan (biaya per "
                                    "peserta x lulusan; biaya uji kompetensi)."))
    note = forms.CharField(label=_("Keterangan"), max_length=255, required=False)

    def __init__(self, *args: Any, agreement: Agreement | None = None, user: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .actions import link_target_model

        for name, _label in LINK_TARGETS:
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            model = link_target_model(name)
            field.queryset = (model.objects.restrict(user, "view")
                              .filter(agreement_link__isnull=True))
        if agreement is not None:
            party = self.fields["party"]
            assert isinstance(party, forms.ModelChoiceField)
            party.queryset = agreement.parties.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = data.get("target")
        if target and not data.get(target):
            self.add_error(target, _("Pilih kegiatan yang ditautkan."))
        return data


class ResearchForm(StyledForm):
    title = forms.CharField(label=_("Judul penelitian"), max_length=300)
    researchers = forms.CharField(label=_("Peneliti"), max_length=300, required=False)
    start_date = date_field(_("Mulai"))
    end_date = date_field(_("Selesai"))
    status = forms.ChoiceField(label=_("Status"), choices=ResearchStatus.choices)
    findings = forms.CharField(label=_("Temuan"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    recommendations = forms.CharField(label=_("Rekomendasi"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    recommendations_sent_on = date_field(_("Rekomendasi disampaikan"))


class DocumentForm(StyledForm):
    doc_type = forms.ChoiceField(label=_("Jenis dokumen"), choices=DocumentType.choices)
    file = forms.FileField(label=_("Berkas"), help_text=_(
        "PDF, DOCX, DOC, ODT, XLSX, JPG atau PNG; paling besar 10 MB."))


class TransitionForm(StyledForm):
    action = forms.ChoiceField(choices=[("sign", "sign"), ("extend", "extend"),
                                        ("terminate", "terminate")], widget=forms.HiddenInput)
    signing_date = date_field(_("Tanggal penandatanganan"))
    start_date = date_field(_("Mulai berlaku"))
    end_date = date_field(_("Berakhir"))
    new_end_date = date_field(_("Tanggal berakhir baru"))
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=2000)


class AgreementFilterForm(StyledForm):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Jenis"), required=False,
                             choices=[("", _("Semua")), *AgreementKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua")), *AgreementStatus.choices])
    scope = forms.ChoiceField(label=_("Ruang lingkup"), required=False,
                              choices=[("", _("Semua")), *Scope.choices])
    region = forms.CharField(label=_("Kode wilayah"), required=False, max_length=13)


# --- meetings --------------------------------------------------------------------------------


class MeetingForm(StyledForm):
    kind = forms.ChoiceField(label=_("Jenis"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Nama kegiatan"), max_length=300)
    organiser = forms.ModelChoiceField(label=_("Penyelenggara"), queryset=orgs())
    start_date = date_field(_("Tanggal mulai"), required=True)
    end_date = date_field(_("Tanggal selesai"), required=True)
    venue = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    venue_region = forms.ModelChoiceField(label=_("Wilayah tempat"), queryset=regions(),
                                          required=False)
    summary = forms.CharField(label=_("Ringkasan"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    regions = forms.ModelMultipleChoiceField(
        label=_("Wilayah peserta"), queryset=Region.objects.filter(level=1).order_by("code"),
        required=False, widget=forms.SelectMultiple(attrs={"size": 6}))


class SessionForm(StyledForm):
    kind = forms.ChoiceField(label=_("Jenis sesi"), choices=SessionKind.choices)
    title = forms.CharField(label=_("Judul sesi"), max_length=300)
    date = date_field(_("Tanggal"))
    facilitator = forms.CharField(label=_("Narasumber/fasilitator"), max_length=200,
                                  required=False)
    findings = forms.CharField(label=_("Temuan"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))


class ParticipantForm(StyledForm):
    name = forms.CharField(label=_("Nama"), max_length=200, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisasi"), queryset=orgs(),
                                          required=False)
    organisation_name = forms.CharField(label=_("Instansi (bila tidak ada di daftar)"),
                                        max_length=200, required=False)
    region = forms.ModelChoiceField(label=_("Wilayah"), queryset=regions(), required=False)
    count = forms.IntegerField(label=_("Jumlah orang"), min_value=1, initial=1)


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Daftar hadir (.xlsx, .xls, .ods, .csv)"))
    dry_run = forms.BooleanField(label=_("Periksa saja (tidak disimpan)"), required=False)


class ResolutionForm(StyledForm):
    text = forms.CharField(label=_("Isi kesepakatan"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(StyledForm):
    title = forms.CharField(label=_("Rencana aksi"), max_length=300)
    description = forms.CharField(label=_("Uraian"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    owners = forms.ModelMultipleChoiceField(label=_("Organisasi pemilik"), queryset=orgs(),
                                            widget=forms.SelectMultiple(attrs={"size": 6}))
    responsible = forms.CharField(label=_("Penanggung jawab"), max_length=200, required=False)
    responsible_user = forms.CharField(label=_("Akun penanggung jawab (nama pengguna)"),
                                       max_length=150, required=False,
                                       help_text=_("Menerima pengingat bila lewat tenggat."))
    due_date = date_field(_("Tenggat"))

    def clean_responsible_user(self) -> Any:
        from sdmkesos.core.models import User

        name = (self.cleaned_data.get("responsible_user") or "").strip()
        if not name:
            return None
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Akun tidak dikenal: %(names)s") % {"names": name})
        return user


class ActionUpdateForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    evidence = forms.CharField(label=_("Bukti penyelesaian"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    evidence_url = forms.URLField(label=_("Tautan bukti"), required=False,
                                  assume_scheme="https")
    due_date = date_field(_("Tenggat"))
    note = forms.CharField(label=_("Catatan tindak lanjut"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ActionFilterForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua")), ("overdue", _("Lewat tenggat")),
                                        *ActionStatus.choices])
    region = forms.CharField(label=_("Kode wilayah pemilik"), required=False, max_length=13)
    owner = forms.CharField(label=_("Kode organisasi pemilik"), required=False, max_length=60)
    group = forms.ChoiceField(label=_("Kelompokkan"), required=False,
                              choices=[("owner", _("per pemilik")),
                                       ("region", _("per wilayah"))])


class LetterForm(StyledForm):
    template = forms.ModelChoiceField(label=_("Templat"), queryset=LetterTemplate.objects.all())
    sender = forms.ModelChoiceField(label=_("Pengirim"), queryset=orgs())
    recipients = forms.ModelMultipleChoiceField(
        label=_("Penerima"), queryset=orgs(), widget=forms.SelectMultiple(attrs={"size": 10}))
    date = date_field(_("Tanggal surat"))
    signatory_name = forms.CharField(label=_("Nama penanda tangan"), max_length=150)
    signatory_position = forms.CharField(label=_("Jabatan penanda tangan"), max_length=200)


# --- appointments and pacts ------------------------------------------------------------------


class AppointmentForm(StyledForm):
    official_name = forms.CharField(label=_("Nama pejabat"), max_length=200)
    person_id = forms.IntegerField(label=_("Id pegawai di registri (opsional)"),
                                   required=False)
    username = forms.CharField(label=_("Akun pejabat (nama pengguna)"), max_length=150,
                               required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Unit kerja"), queryset=orgs())
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=120)
    decree_date = date_field(_("Tanggal SK"), required=True)
    appointed_on = date_field(_("Tanggal pelantikan"), required=True)
    oath_taken = forms.BooleanField(label=_("Sumpah/janji jabatan diucapkan"), required=False,
                                    initial=True)
    oath_text = forms.CharField(label=_("Sumpah/janji"), max_length=200, required=False)
    event = forms.CharField(label=_("Acara pelantikan"), max_length=300, required=False)


class PactTextForm(StyledForm):
    title = forms.CharField(label=_("Judul"), max_length=200, initial="Pakta Integritas")
    body = forms.CharField(label=_("Isi pernyataan"), widget=forms.Textarea(attrs={"rows": 12}))


class LetterTemplateForm(StyledForm):
    code = forms.CharField(label=_("Kode"), max_length=40)
    name = forms.CharField(label=_("Nama templat"), max_length=200)
    subject = forms.CharField(label=_("Perihal"), max_length=300)
    number_pattern = forms.CharField(label=_("Pola nomor"), max_length=120,
                                     initial="{seq:03d}/{kode}/{bulan}/{tahun}")
    body = forms.CharField(label=_("Isi"), widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("Penanda: {penerima}, {nomor}, {tanggal}, {perihal}, "
                                       "{rapat}, {kesepakatan}, {rencana_aksi}, {pengirim}"))
