"""Registry pages. Reads go through ``Person.objects.restrict``; writes through people.actions with
channel "web". Views never save models themselves."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sdmkesos.core import audit
from sdmkesos.core.choices import Channel, Role
from sdmkesos.core.errors import DomainError
from sdmkesos.core.scoping import ADD, CHANGE, DELETE, VIEW, can

from . import actions
from .filters import PersonFilter
from .forms import (
    EducationForm,
    EmploymentForm,
    EndEmploymentForm,
    PersonFilterForm,
    PersonForm,
    code_label,
    region_label,
)
from .models import EducationRecord, EmploymentRecord, Person
from .tables import EMPTY, history_rows, nik_for, person_rows

REGION_FILTER = re.compile(r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?")  # any level
COUNT_CAP = 10_000  # the pager counts at most this many rows (+1 to know it is capped)
HISTORY_LIMIT = 200
FILTER_PARAMS = (
    "q",
    "region",
    "category",
    "organisation",
    "education_level",
    "field_of_study",
    "kesos",
    "employment_status",
)
# What the registry table shows from other tables; the small code lists (status, education) are
# looked up separately by people.tables.person_rows.
LIST_RELATED = ("organisation", "region", "category")
# Few joins: PostgreSQL's planning time grows fast with each one; the rest are pk look-ups.
DETAIL_RELATED = LIST_RELATED


def _page_size() -> int:
    return int(getattr(settings, "SDMKESOS_PAGE_SIZE", 50))


def _is_partial(request: HttpRequest, target: str) -> bool:
    """An htmx request that swaps only ``target`` (a history restore wants the whole page)."""
    htmx: Any = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and htmx.target == target


def _hx_redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _require(user: Any, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


def _changeable(user: Any, pk: int) -> Person:
    """The person ``pk`` if ``user`` may change it: 403 for read-only roles, 404 out of scope."""
    _require(user, CHANGE)
    return get_object_or_404(Person.objects.restrict(user, CHANGE), pk=pk)


# --- list ----------------------------------------------------------------------------------


def _filter_params(request: HttpRequest) -> dict[str, str]:
    out = {}
    for name in FILTER_PARAMS:
        value = request.GET.get(name, "").strip()
        if value and len(value) <= 100:
            if name == "organisation" and value.isdigit() and len(value) > 18:
                continue
            if name == "region" and not REGION_FILTER.fullmatch(value):
                # The select offers provinces and kab/kota; deeper codes are not filterable yet.
                continue
            out[name] = value
    return out


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    try:
        return max(1, min(int(raw), 1_000_000))
    except ValueError:
        return 1


def _query(params: dict[str, str], page: int | None = None) -> str:
    from urllib.parse import urlencode

    data = dict(params)
    if page and page > 1:
        data["page"] = str(page)
    return "?" + urlencode(data) if data else "?"


def _page_links(page: int, last: int | None, has_next: bool) -> list[int | None]:
    """Page numbers around the current one (None for a gap)."""
    top = last if last is not None else page + (1 if has_next else 0)
    wanted = {1, page - 2, page - 1, page, page + 1, page + 2}
    if last is not None:
        wanted.add(last)
    numbers = sorted(n for n in wanted if 1 <= n <= top)
    out: list[int | None] = []
    previous = 0
    for n in numbers:
        if previous and n - previous > 1:
            out.append(None)
        out.append(n)
        previous = n
    return out


def registry_queryset(user: Any, params: dict[str, str]) -> QuerySet[Person]:
    flt = PersonFilter.from_mapping(params)
    qs = flt.apply(Person.objects.restrict(user, VIEW))
    return qs.select_related(*LIST_RELATED).order_by("name", "id")


def is_name_search(params: dict[str, str]) -> bool:
    flt = PersonFilter.from_mapping(params)
    return bool(flt.name or (flt.q and not flt.q.replace(" ", "").isdigit()))


def capped_count(qs: QuerySet[Person]) -> int:
    """Never an exact COUNT over the whole registry: count at most COUNT_CAP + 1 rows, in any
    order (so the database may stop at the first COUNT_CAP + 1 matches, without sorting)."""
    return qs.order_by()[: COUNT_CAP + 1].count()


def page_rows(qs: QuerySet[Person], offset: int, limit: int, count: int,
              name_search: bool) -> list[Person]:
    """One page of ``qs``. On PostgreSQL, a selective name search (at most COUNT_CAP matches)
    first collects the matching ids through the trigram index and sorts just those: walking the
    name index in order and filtering would read most of the table when the matches cluster
    (Siti, Dewi, ...)."""
    trigram = connections[qs.db].vendor == "postgresql"  # SQLite has no search index to use
    if not (name_search and trigram) or count > COUNT_CAP:
        return list(qs[offset : offset + limit])
    ids = list(qs.order_by(Concat("name", Value("")), "id")
               .values_list("id", flat=True)[offset : offset + limit])
    return list(qs.filter(pk__in=ids).order_by("name", "id"))


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role == Role.WORKER and not user.is_superuser:
        return redirect("people:me")
    params = _filter_params(request)
    qs = registry_queryset(user, params)
    size = _page_size()
    page = _page_number(request)
    count = capped_count(qs)
    capped = count > COUNT_CAP
    offset = (page - 1) * size
    people = page_rows(qs, offset, size + 1, count, is_name_search(params))
    has_next = len(people) > size
    people = people[:size]
    last = None if capped else max(1, -(-count // size))
    pages = [
        (n, _query(params, n)) if n is not None else (None, "")
        for n in _page_links(page, last, has_next)
    ]
    filter_form = PersonFilterForm(params or None, user=user)
    context = {
        "filter_form": filter_form,
        "rows": person_rows(user, people),
        "count": min(count, COUNT_CAP),
        "capped": capped,
        "page": page,
        "first_index": offset + 1 if people else 0,
        "last_index": offset + len(people),
        "has_next": has_next,
        "has_previous": page > 1,
        "next_query": _query(params, page + 1),
        "previous_query": _query(params, page - 1),
        "pages": pages,
        "params": params,
        "filtered": bool(params),
        "can_add": can(user, ADD),
    }
    context["partial"] = _is_partial(request, "results")
    if context["partial"]:
        response = render(request, "people/_results.html", context)
    else:
        response = render(request, "people/list.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


# --- detail --------------------------------------------------------------------------------


def detail_context(
    request: HttpRequest, person: Person, *, read_only: bool = False
) -> dict[str, Any]:
    user: Any = request.user
    can_change = (
        not read_only
        and can(user, CHANGE)
        and Person.objects.restrict(user, CHANGE).filter(pk=person.pk).exists()
    )
    can_delete = (
        not read_only
        and can(user, DELETE)
        and Person.objects.restrict(user, DELETE).filter(pk=person.pk).exists()
    )
    education = list(
        EducationRecord.objects.filter(person=person)
        .select_related("level", "field")
        .order_by("-level__rank", "-graduation_year", "-id")
    )
    employment = list(
        EmploymentRecord.objects.filter(person=person)
        .select_related("organisation", "category", "employment_status")
        .order_by("-start_date", "-id")
    )
    events = audit.history(person)[:HISTORY_LIMIT]
    return {
        "person": person,
        "nik": nik_for(user, person.nik),
        "labels": {
            "category": code_label(person.category),
            "employment_status": code_label(person.employment_status),
            "education_level": code_label(person.education_level),
            "field_of_study": code_label(person.field_of_study),
            "region": region_label(person.region),
            "domicile_region": region_label(person.domicile_region),
        },
        "education": [
            {
                "record": r,
                "level": code_label(r.level),
                "field": code_label(r.field) or r.field_text,
                "is_kesos": bool(r.field and r.field.is_kesos),
            }
            for r in education
        ],
        "employment": [
            {
                "record": r,
                "category": code_label(r.category),
                "status": code_label(r.employment_status),
            }
            for r in employment
        ],
        "history": history_rows(user, events),
        "can_change": can_change,
        "can_delete": can_delete,
        "read_only": read_only,
    }


def _detail_person(user: Any, **lookup: Any) -> Person:
    return get_object_or_404(
        Person.objects.restrict(user, VIEW).select_related(*DETAIL_RELATED), **lookup
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _detail_person(request.user, pk=pk)
    return render(request, "people/detail.html", detail_context(request, person))


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """A worker's own record, read-only."""
    user: Any = request.user
    person = (
        Person.objects.restrict(user, VIEW)
        .select_related(*DETAIL_RELATED)
        .filter(user=user)
        .first()
    )
    if person is None:
        return render(request, "people/me_missing.html", status=404)
    context = detail_context(request, person, read_only=True)
    context["is_me"] = True
    return render(request, "people/detail.html", context)


# --- create, edit, delete ------------------------------------------------------------------


def _changed_labels(form: PersonForm, changes: dict[str, Any]) -> str:
    labels = []
    for name in changes:
        field = form.fields.get(name)
        labels.append(str(field.label) if field is not None else name)
    return ", ".join(labels)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require(user, ADD)
    if request.method == "POST":
        form = PersonForm(request.POST, user=user)
        if form.is_valid():
            try:
                person = actions.do_create_person(
                    actor=user, channel=Channel.WEB, data=form.to_data()
                )
            except DomainError as err:
                form.apply_domain_error(err)
            else:
                messages.success(
                    request, _("Pekerja %(name)s ditambahkan.") % {"name": person.name}
                )
                return redirect("people:detail", pk=person.pk)
    else:
        form = PersonForm(user=user)
    return render(request, "people/form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    person = _changeable(user, pk)
    if request.method == "POST":
        form = PersonForm(request.POST, user=user, person=person)
        if form.is_valid():
            try:
                changes = actions.do_update_person(
                    actor=user, channel=Channel.WEB, person=person, data=form.to_data()
                )
            except DomainError as err:
                form.apply_domain_error(err)
            else:
                if changes:
                    messages.success(
                        request,
                        _("Perubahan disimpan: %(fields)s.")
                        % {"fields": _changed_labels(form, changes)},
                    )
                else:
                    messages.info(request, _("Tidak ada perubahan."))
                return redirect("people:detail", pk=person.pk)
    else:
        form = PersonForm(user=user, person=person)
    return render(request, "people/form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _require(user, DELETE)
    person = get_object_or_404(Person.objects.restrict(user, DELETE), pk=pk)
    if request.method == "POST":
        try:
            actions.do_delete_person(actor=user, channel=Channel.WEB, person=person)
        except DomainError as err:
            raise Http404(err.message) from err
        messages.success(request, _("Data pekerja %(name)s dihapus.") % {"name": person.name})
        return redirect("people:list")
    return render(
        request, "people/confirm_delete.html", {"person": person, "nik": nik_for(user, person.nik)}
    )


# --- education and employment --------------------------------------------------------------


def _sub_form(
    request: HttpRequest, person: Person, form: Any, *, template: str, title: str, action_url: str
) -> HttpResponse:
    context = {
        "person": person,
        "form": form,
        "title": title,
        "action_url": action_url,
        "partial": _is_partial(request, "sub-form"),
    }
    name = template if context["partial"] else "people/sub_form_page.html"
    context["partial_template"] = template
    return render(request, name, context)


def _add_record(request: HttpRequest, pk: int, form: Any, action: Any, done: str, title: str,
                url_name: str) -> HttpResponse:
    """The shared add-a-history-record flow: validate, call the action, show errors inline."""
    user: Any = request.user
    person = _changeable(user, pk)
    if request.method == "POST" and form.is_valid():
        try:
            action(actor=user, channel=Channel.WEB, person=person, data=form.to_data())
        except DomainError as err:
            form.apply_domain_error(err)
        else:
            messages.success(request, done)
            return _hx_redirect(request, reverse("people:detail", args=[person.pk]))
    return _sub_form(request, person, form, template="people/_sub_form.html", title=title,
                     action_url=reverse(url_name, args=[person.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def education_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = EducationForm(request.POST if request.method == "POST" else None)
    return _add_record(request, pk, form, actions.do_add_education,
                       _("Riwayat pendidikan ditambahkan."), _("Tambah riwayat pendidikan"),
                       "people:education_add")


@login_required
@require_POST
def education_delete(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    user: Any = request.user
    person = _changeable(user, pk)
    record = get_object_or_404(EducationRecord.objects.filter(person=person), pk=record_pk)
    try:
        actions.do_delete_education(actor=user, channel=Channel.WEB, record=record)
    except DomainError as err:
        raise Http404(err.message) from err
    messages.success(request, _("Riwayat pendidikan dihapus."))
    return _hx_redirect(request, reverse("people:detail", args=[person.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def employment_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = EmploymentForm(request.POST if request.method == "POST" else None, user=request.user)
    return _add_record(request, pk, form, actions.do_add_employment,
                       _("Riwayat pekerjaan ditambahkan."), _("Tambah riwayat pekerjaan"),
                       "people:employment_add")


@login_required
@require_http_methods(["GET", "POST"])
def employment_end(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    user: Any = request.user
    person = _changeable(user, pk)
    record = get_object_or_404(
        EmploymentRecord.objects.filter(person=person).select_related("organisation"), pk=record_pk
    )
    form = EndEmploymentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_end_employment(
                actor=user,
                channel=Channel.WEB,
                record=record,
                end_date=form.cleaned_data["end_date"],
            )
        except DomainError as err:
            form.apply_domain_error(err)
        else:
            messages.success(request, _("Riwayat pekerjaan diakhiri."))
            return _hx_redirect(request, reverse("people:detail", args=[person.pk]))
    return _sub_form(
        request,
        person,
        form,
        template="people/_sub_form.html",
        title=_("Akhiri pekerjaan: %(position)s, %(organisation)s")
        % {"position": record.position or EMPTY, "organisation": record.organisation},
        action_url=reverse("people:employment_end", args=[person.pk, record.pk]),
    )
