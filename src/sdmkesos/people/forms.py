"""Web forms of the registry. They validate input and hand plain data to ``people.actions``; they
never save models. Domain refusals (``DomainError``/``ValidationFailed``) are mapped back onto the
form field they name, so the user sees the reason next to the input at fault."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Q, QuerySet
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sdmkesos.core.choices import Sex
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.identifiers import normalize_nik, normalize_nip
from sdmkesos.core.models import (
    EducationLevel,
    EmploymentStatus,
    FieldOfStudy,
    Organisation,
    Region,
    WorkforceCategory,
)
from sdmkesos.core.scoping import scope_for

from .models import EducationRecord, EmploymentRecord, Person

# The order in which the person form shows people.actions.EDITABLE_FIELDS.
PERSON_FORM_FIELDS = [
    "nik",
    "nip",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "phone",
    "email",
    "address",
    "domicile_region",
    "organisation",
    "region",
    "position",
    "category",
    "employment_status",
]
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


def code_label(obj: Any) -> str:
    """A code list entry's name in the active language (English name when there is one)."""
    if obj is None:
        return ""
    english: str = getattr(obj, "name_en", "") or ""
    if english and (get_language() or "id").startswith("en"):
        return english
    return str(obj.name)


def region_label(region: Region | None) -> str:
    return f"{region.code} {region.name}" if region is not None else ""


def _label(model: type[Any], name: str) -> Any:
    field: Any = model._meta.get_field(name)
    return capfirst(field.verbose_name)


class FastSelect(forms.Select):
    """A select rendered in Python: Django renders each option through a template, which costs
    tens of milliseconds for the 500+ regions or organisations of a national administrator."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        parts: list[str] = [format_html("<select{}>", flatatt(final_attrs))]
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # an option group
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(self._option(v, lbl, selected) for v, lbl in label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))  # every part was escaped by format_html

    @staticmethod
    def _option(value: Any, label: Any, selected: set[str]) -> str:
        text = "" if value is None else str(value)
        return format_html(
            '<option value="{}"{}>{}</option>',
            text,
            mark_safe(" selected") if text in selected else "",
            label,
        )


class FastChoiceField(forms.ChoiceField):
    widget = FastSelect


class OrganisationChoiceField(forms.ModelChoiceField):
    widget = FastSelect


class CodeListChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj: Any) -> str:
        return code_label(obj)


class RegionCodeField(FastChoiceField):
    """A province or kab/kota, chosen by its code; cleans to the ``Region`` (or None)."""

    def to_python(self, value: Any) -> Any:
        code = super().to_python(value)
        return code or None

    def validate(self, value: Any) -> None:
        super().validate(value or "")

    def clean(self, value: Any) -> Region | None:
        code = super().clean(value)
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": code}
            )
        return region


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# --- what a user may pick --------------------------------------------------------------------


def _below(field: str, code: str) -> Q:
    """Region codes under ``code`` ("35.07" → "35.07.…"), as a range the primary key index can
    serve (a LIKE prefix cannot use it on SQLite); "/" is the character after "."."""
    return Q(**{f"{field}__gte": code + ".", f"{field}__lt": code + "/"})


def scoped_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations a user may assign people to: those whose managing region lies inside the
    user's scope (or inside the user's organisation subtree); every organisation, national ones
    included, for national administrators."""
    qs = Organisation.objects.all().order_by("name")
    scope = scope_for(user)
    if scope.unrestricted:
        return qs
    q = Q(pk__in=[])
    for code in scope.region_codes:
        q |= Q(is_national=False) & (Q(region_id=code) | _below("region", code))
    for path in scope.org_paths:
        q |= Q(path__startswith=path)
    return qs.filter(q)


# Provinces and kab/kota (552 rows) change only with a new Kepmendagri list: cached for a while
# rather than read on every form (a scan of the 90,000-row region table on SQLite).
_REGION_CACHE_SECONDS = 600
_region_cache: tuple[float, list[tuple[str, str, str]]] | None = None


def upper_regions() -> list[tuple[str, str, str]]:
    """(code, name, parent code) of every province and kab/kota, ordered by code."""
    global _region_cache
    now = time.monotonic()
    if _region_cache is None or now - _region_cache[0] > _REGION_CACHE_SECONDS:
        rows = (
            Region.objects.filter(level__lte=2)
            .order_by("level", "code")
            .values_list("code", "name", "parent_id")
        )
        _region_cache = (now, sorted((c, n, p or "") for c, n, p in rows))
    return _region_cache[1]


def scoped_region_choices(
    user: Any, *, extra: str | None = None, everything: bool = False
) -> list[tuple[str, str]]:
    """Provinces and kab/kota inside the user's scope (all of them for national roles, or with
    ``everything``), as (code, "code name"); ``extra`` is kept selectable (a current value)."""
    scope = scope_for(user)
    choices = [("", "---------")]
    for code, name, _parent in upper_regions():
        if everything or scope.covers_region(code) or code == extra:
            choices.append((code, f"{code} {name}"))
    if extra and not any(code == extra for code, _label in choices):
        region = Region.objects.filter(code=extra).first()
        if region is not None:
            choices.append((region.code, region_label(region)))
    return choices


def region_filter_choices(user: Any, selected: str = "") -> list[tuple[str, str]]:
    """Choices of the registry's region filter: provinces for national roles (with the kab/kota
    of the selected province), the kab/kota of each province in a regional scope."""
    scope = scope_for(user)
    choices: list[tuple[str, str]] = [("", str(_("Semua wilayah")))]
    indent = "\u2003"
    rows = upper_regions()
    if scope.unrestricted:
        open_province = selected[:2] if selected else ""
        for code, name, parent in rows:
            if not parent:
                choices.append((code, f"{code} {name}"))
            elif parent == open_province:
                choices.append((code, f"{indent}{code} {name}"))
        return choices
    codes = set(scope.region_codes)
    for code, name, parent in rows:
        if code in codes:
            choices.append((code, f"{code} {name}"))
        elif parent in codes:
            choices.append((code, f"{indent}{code} {name}"))
    return choices


def _code_choices(model: type[Any]) -> list[tuple[str, str]]:
    return [("", str(_("Semua")))] + [
        (obj.code, code_label(obj)) for obj in model.objects.filter(is_active=True)
    ]


# --- error mapping -----------------------------------------------------------------------------


class BootstrapBoundField(BoundField):
    """Marks a field with errors ``is-invalid`` and points it at its error text."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            widget = widget or self.field.widget
            base = attrs.get("class") or widget.attrs.get("class", "")
            attrs["class"] = f"{base} is-invalid".strip()
            described = [f"{self.auto_id}_error"]
            if self.help_text:
                described.append(f"{self.auto_id}_helptext")
            attrs["aria-describedby"] = " ".join(described)
        return attrs


class DomainErrorsMixin:
    """``apply_domain_error`` puts each error of a refusal on the field it names."""

    bound_field_class: type[BoundField] | None = BootstrapBoundField
    field_aliases: dict[str, str] = {}

    def apply_domain_error(self, error: DomainError) -> None:
        form: Any = self
        errors = error.errors if isinstance(error, ValidationFailed) else [error]
        for err in errors:
            field = self.field_aliases.get(err.field or "", err.field)
            if (
                field == "region"
                and "organisation" in form.fields
                and (form.cleaned_data.get("organisation") is not None)
            ):
                # The managing region follows the office: blame the office that was chosen.
                field = "organisation"
            form.add_error(field if field in form.fields else None, err.message)

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field name, label, message) of every error, non-field errors first."""
        form: Any = self
        out: list[tuple[str, str, str]] = []
        for message in form.non_field_errors():
            out.append(("", "", str(message)))
        for name, field in form.fields.items():
            for message in form.errors.get(name, []):
                out.append((name, str(field.label or name), str(message)))
        return out


# --- registry search ---------------------------------------------------------------------------


class PersonFilterForm(forms.Form):
    """The registry's search box and filters. Only renders the controls; the filtering itself is
    ``people.filters.PersonFilter`` over the restricted queryset."""

    q = forms.CharField(
        label=_("Cari"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Nama, NIK atau NIP"),
                "autocomplete": "off",
            }
        ),
    )
    region = FastChoiceField(label=_("Wilayah"), required=False)
    category = FastChoiceField(label=_("Kategori"), required=False)
    organisation = FastChoiceField(label=_("Unit kerja"), required=False)
    education_level = FastChoiceField(label=_("Pendidikan"), required=False)
    field_of_study = FastChoiceField(label=_("Bidang studi"), required=False)
    kesos = FastChoiceField(
        label=_("Latar peksos/kesos"),
        required=False,
        choices=[("", _("Semua")), ("1", _("Ya")), ("0", _("Tidak"))],
    )
    employment_status = FastChoiceField(label=_("Status kepegawaian"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        selected = str(self.data.get("region", "")) if self.is_bound else ""
        fields: Any = self.fields
        fields["region"].choices = region_filter_choices(user, selected)
        fields["category"].choices = _code_choices(WorkforceCategory)
        fields["education_level"].choices = _code_choices(EducationLevel)
        fields["field_of_study"].choices = _code_choices(FieldOfStudy)
        fields["employment_status"].choices = _code_choices(EmploymentStatus)
        # Offices of the scope; once a region is chosen, only the offices in it.
        orgs = scoped_organisations(user)
        chosen_org = str(self.data.get("organisation", "")) if self.is_bound else ""
        if selected:
            within = Q(region_id=selected) | _below("region", selected)
            if chosen_org.isdigit() and len(chosen_org) < 19:
                within |= Q(pk=int(chosen_org))
            orgs = orgs.filter(within)
        fields["organisation"].choices = [("", str(_("Semua")))] + [
            (str(pk), name) for pk, name in orgs.values_list("pk", "name")
        ]
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else ("form-control")
            )
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("id", f"f-{name}")


# --- person ------------------------------------------------------------------------------------


class PersonForm(DomainErrorsMixin, forms.Form):
    """Identity, contacts and current assignment of a person (people.actions.EDITABLE_FIELDS)."""

    nik = forms.CharField(
        label=_label(Person, "nik"), max_length=40, help_text=_("16 digit, sesuai KTP.")
    )
    nip = forms.CharField(
        label=_label(Person, "nip"),
        max_length=40,
        required=False,
        help_text=_("18 digit, untuk ASN."),
    )
    name = forms.CharField(label=_label(Person, "name"), max_length=150)
    sex = FastChoiceField(label=_label(Person, "sex"), choices=[("", "---------"), *Sex.choices])
    birth_place = forms.CharField(
        label=_label(Person, "birth_place"), max_length=100, required=False
    )
    birth_date = forms.DateField(
        label=_label(Person, "birth_date"), widget=DateInput(), input_formats=DATE_INPUT_FORMATS
    )
    phone = forms.CharField(label=_label(Person, "phone"), max_length=30, required=False)
    email = forms.EmailField(label=_label(Person, "email"), required=False)
    address = forms.CharField(label=_label(Person, "address"), max_length=255, required=False)
    domicile_region = RegionCodeField(label=_label(Person, "domicile_region"), required=False)
    organisation = OrganisationChoiceField(
        label=_label(Person, "organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Wilayah pengelola mengikuti unit kerja."),
    )
    region = RegionCodeField(
        label=_label(Person, "region"),
        required=False,
        help_text=_("Hanya dipakai bila unit kerja kosong."),
    )
    position = forms.CharField(label=_label(Person, "position"), max_length=150, required=False)
    category = CodeListChoiceField(
        label=_label(Person, "category"), queryset=WorkforceCategory.objects.none(), required=False
    )
    employment_status = CodeListChoiceField(
        label=_label(Person, "employment_status"),
        queryset=EmploymentStatus.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, user: Any, person: Person | None = None, **kwargs: Any) -> None:
        if person is not None and "initial" not in kwargs:
            kwargs["initial"] = person_initial(person)
        super().__init__(*args, **kwargs)
        self.person = person
        current_region = person.region_id if person else None
        current_domicile = person.domicile_region_id if person else None
        current_org = person.organisation_id if person else None
        fields: Any = self.fields
        # The current values stay selectable, so that saving other fields never drops them.
        org_qs = scoped_organisations(user)
        if current_org is not None:
            org_qs = (org_qs | Organisation.objects.filter(pk=current_org)).order_by("name")
        fields["organisation"].queryset = org_qs
        fields["region"].choices = scoped_region_choices(user, extra=current_region)
        fields["domicile_region"].choices = scoped_region_choices(
            user, extra=current_domicile, everything=True
        )
        fields["category"].queryset = WorkforceCategory.objects.filter(
            Q(is_active=True) | Q(pk=person.category_id if person else None)
        )
        fields["employment_status"].queryset = EmploymentStatus.objects.filter(
            Q(is_active=True) | Q(pk=person.employment_status_id if person else None)
        )
        add_bootstrap_classes(self)

    def clean_nik(self) -> str:
        return normalize_nik(self.cleaned_data["nik"])

    def clean_nip(self) -> str | None:
        return normalize_nip(self.cleaned_data.get("nip")) or None

    def to_data(self) -> dict[str, Any]:
        """The cleaned values as the action expects them (field name → value)."""
        return {name: self.cleaned_data.get(name) for name in PERSON_FORM_FIELDS}


def person_initial(person: Person) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in PERSON_FORM_FIELDS:
        field: Any = Person._meta.get_field(name)
        out[name] = getattr(person, field.attname)
    return out


def add_bootstrap_classes(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


# --- education and employment ------------------------------------------------------------------


class EducationForm(DomainErrorsMixin, forms.Form):
    level = CodeListChoiceField(
        label=_label(EducationRecord, "level"),
        queryset=EducationLevel.objects.filter(is_active=True),
    )
    field = CodeListChoiceField(
        label=_label(EducationRecord, "field"),
        queryset=FieldOfStudy.objects.filter(is_active=True),
        required=False,
    )
    field_text = forms.CharField(
        label=_label(EducationRecord, "field_text"),
        max_length=150,
        required=False,
        help_text=_("Nama jurusan bila tidak ada di daftar."),
    )
    institution = forms.CharField(
        label=_label(EducationRecord, "institution"), max_length=200, required=False
    )
    graduation_year = forms.IntegerField(
        label=_label(EducationRecord, "graduation_year"), required=False, min_value=1940
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        next_year = dt.date.today().year + 1
        fields["graduation_year"].validators.append(MaxValueValidator(next_year))
        fields["graduation_year"].widget.attrs["max"] = next_year
        add_bootstrap_classes(self)

    def to_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class EmploymentForm(DomainErrorsMixin, forms.Form):
    organisation = OrganisationChoiceField(
        label=_label(EmploymentRecord, "organisation"), queryset=Organisation.objects.none()
    )
    position = forms.CharField(
        label=_label(EmploymentRecord, "position"), max_length=150, required=False
    )
    category = CodeListChoiceField(
        label=_label(EmploymentRecord, "category"),
        queryset=WorkforceCategory.objects.filter(is_active=True),
        required=False,
    )
    employment_status = CodeListChoiceField(
        label=_label(EmploymentRecord, "employment_status"),
        queryset=EmploymentStatus.objects.filter(is_active=True),
        required=False,
    )
    start_date = forms.DateField(
        label=_label(EmploymentRecord, "start_date"),
        required=False,
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
    )
    end_date = forms.DateField(
        label=_label(EmploymentRecord, "end_date"),
        required=False,
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Kosongkan bila masih menjabat."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = scoped_organisations(user)
        add_bootstrap_classes(self)

    def to_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class EndEmploymentForm(DomainErrorsMixin, forms.Form):
    end_date = forms.DateField(
        label=_label(EmploymentRecord, "end_date"),
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_bootstrap_classes(self)
