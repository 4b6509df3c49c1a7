"""The registry's web pages: list, search, filters, pagination, detail with history, edit, create,
education/employment, delete, the worker's own page, the English switch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sdmkesos.core.identifiers import encode_nik
from sdmkesos.core.models import (
    AuditEvent,
    EducationLevel,
    EmploymentStatus,
    FieldOfStudy,
    Organisation,
)
from sdmkesos.core.scoping import mask_nik
from sdmkesos.people import views as people_views
from sdmkesos.people.actions import refresh_current
from sdmkesos.people.forms import person_initial
from sdmkesos.people.models import EducationRecord, Person

LIST = reverse("people:list")


@pytest.fixture(autouse=True)
def _restore_language():
    """The test client leaves the last request's language active in this thread; a test that
    switches to English must not leak it into later tests."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _html(response) -> str:
    return response.content.decode()


def _edit_data(person: Person, **changes) -> dict[str, str]:
    """The edit form as a browser would post it: current values plus ``changes``."""
    data = {}
    for key, value in person_initial(person).items():
        if value is None:
            value = ""
        elif isinstance(value, dt.date):
            value = value.isoformat()
        data[key] = str(value)
    data.update({k: str(v) for k, v in changes.items()})
    return data


def _educate(person: Person, level: str, field: str) -> Person:
    EducationRecord.objects.create(
        person=person,
        level=EducationLevel.objects.get(code=level),
        field=FieldOfStudy.objects.get(code=field),
        institution="Poltekesos Bandung",
        graduation_year=2010,
    )
    refresh_current(person)
    return person


# --- list ----------------------------------------------------------------------------------


def test_list_shows_only_the_users_scope(client, users, make_person):
    make_person("35.07", name="Ani Malang")
    make_person("35.78", name="Bambang Surabaya")
    make_person("32.04", name="Cecep Bandung")
    client.force_login(users["kabmalang"])
    html = _html(client.get(LIST))
    assert "Registri Pekerja" in html
    assert "Ani Malang" in html and "Siti Pekerja" in html
    assert "Bambang Surabaya" not in html and "Cecep Bandung" not in html

    client.force_login(users["jatim"])
    html = _html(client.get(LIST))
    assert "Ani Malang" in html and "Bambang Surabaya" in html
    assert "Cecep Bandung" not in html


def test_search_by_name_nik_and_nip(client, users, make_person):
    ani = make_person("35.07", name="Ani Rahmawati", civil_servant=True)
    make_person("35.07", name="Budi Hartono", sex="L", birth_date=dt.date(1970, 1, 2))
    client.force_login(users["jatim"])
    for q in ("rahma", ani.nik, ani.nik[:8], ani.nip):
        html = _html(client.get(LIST, {"q": q}))
        assert "Ani Rahmawati" in html, q
        assert "Budi Hartono" not in html, q


def test_filters_narrow_the_list(client, users, make_person):
    ani = _educate(
        make_person("35.07", name="Ani Kesos", category="tksk"), "s1", "pekerjaan_sosial"
    )
    budi = _educate(make_person("35.78", name="Budi Hukum", category="psm"), "sma", "hukum")
    budi.employment_status = EmploymentStatus.objects.get(code="relawan")
    budi.save()
    client.force_login(users["jatim"])

    def names(**params):
        html = _html(client.get(LIST, params))
        return {n for n in ("Ani Kesos", "Budi Hukum") if n in html}

    assert names() == {"Ani Kesos", "Budi Hukum"}
    assert names(region="35.07") == {"Ani Kesos"}
    assert names(region="35.78") == {"Budi Hukum"}
    assert names(category="tksk") == {"Ani Kesos"}
    assert names(organisation=str(Organisation.objects.get(code="DINSOS-35.78").pk)) == {
        "Budi Hukum"
    }
    assert names(education_level="s1") == {"Ani Kesos"}
    assert names(field_of_study="hukum") == {"Budi Hukum"}
    assert names(kesos="1") == {"Ani Kesos"}
    assert names(kesos="0") == {"Budi Hukum"}
    assert names(employment_status="relawan") == {"Budi Hukum"}
    assert names(q="Ani", kesos="0") == set()
    assert names(region="35.07.01") == set()  # nobody is managed at kecamatan level here
    assert ani.kesos_background and not budi.kesos_background


def test_region_filter_choices_follow_the_scope(client, users):
    client.force_login(users["jatim"])
    response = client.get(LIST)
    values = {v for v, _label in response.context["filter_form"].fields["region"].choices}
    assert {"35", "35.07", "35.78"} <= values
    assert not any(v.startswith("32") for v in values)

    client.force_login(users["nasional"])
    response = client.get(LIST)
    values = [v for v, _label in response.context["filter_form"].fields["region"].choices]
    assert "35" in values and "32" in values and "35.07" not in values
    response = client.get(LIST, {"region": "35"})  # a chosen province opens its kab/kota
    values = [v for v, _label in response.context["filter_form"].fields["region"].choices]
    assert "35.07" in values and "32.04" not in values

    client.force_login(users["kabmalang"])
    response = client.get(LIST)
    values = {v for v, _label in response.context["filter_form"].fields["region"].choices}
    assert values == {"", "35.07"}
    orgs = {label for _v, label in response.context["filter_form"].fields["organisation"].choices}
    assert "Dinas Sosial Kabupaten Malang" in orgs
    assert "Dinas Sosial Kota Surabaya" not in orgs

    # Choosing a region narrows the offices to those in it.
    client.force_login(users["jatim"])
    form = client.get(LIST, {"region": "35.78"}).context["filter_form"]
    orgs = {label for _v, label in form.fields["organisation"].choices}
    assert "Dinas Sosial Kota Surabaya" in orgs and "Dinas Sosial Kabupaten Malang" not in orgs


def test_htmx_request_gets_only_the_results(client, users, make_person):
    make_person("35.07", name="Ani Malang")
    client.force_login(users["kabmalang"])
    response = client.get(
        LIST, {"q": "Ani"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    html = _html(response)
    assert response.status_code == 200
    assert "<html" not in html and "Ani Malang" in html
    assert 'id="f-region-wrap" hx-swap-oob="true"' in html  # the choices follow the selection
    assert 'id="f-organisation-wrap" hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]
    # A history restore asks for the whole page.
    response = client.get(
        LIST,
        headers={
            "HX-Request": "true",
            "HX-Target": "results",
            "HX-History-Restore-Request": "true",
        },
    )
    assert "<html" in _html(response)
    # Without JavaScript the same filters work on the full page.
    response = client.get(LIST, {"q": "Ani"})
    assert "<html" in _html(response) and "Ani Malang" in _html(response)


def test_pagination_50_per_page_in_name_order(client, users, make_person):
    for i in range(55):
        make_person("35.78", name=f"Pekerja Surabaya {i:03d}")
    client.force_login(users["jatim"])
    response = client.get(LIST, {"region": "35.78"})
    rows = response.context["rows"]
    assert len(rows) == 50 and response.context["count"] == 55
    assert [r.person.name for r in rows][:2] == ["Pekerja Surabaya 000", "Pekerja Surabaya 001"]
    assert response.context["has_next"] and not response.context["capped"]
    html = _html(response)
    assert "dari 55 pekerja" in html
    assert "?region=35.78&amp;page=2" in html
    response = client.get(LIST, {"region": "35.78", "page": "2"})
    assert [r.person.name for r in response.context["rows"]] == [
        f"Pekerja Surabaya {i:03d}" for i in range(50, 55)
    ]
    assert not response.context["has_next"]
    response = client.get(LIST, {"region": "35.78", "page": "abc"})
    assert response.status_code == 200 and response.context["page"] == 1


def test_count_is_capped_not_exact(client, users, make_person, monkeypatch):
    for i in range(5):
        make_person("35.78", name=f"Pekerja Kapas {i}")
    monkeypatch.setattr(people_views, "COUNT_CAP", 3)
    client.force_login(users["jatim"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"q": "Kapas"})
    assert response.context["capped"] and response.context["count"] == 3
    assert "lebih dari 3" in _html(response)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 4" in sql for sql in counts), counts


def test_nik_is_masked_for_roles_without_full_nik(client, users, make_person):
    person = make_person("35.07", name="Ani Malang")
    client.force_login(users["viewer"])
    for url in (LIST, reverse("people:detail", args=[person.pk])):
        html = _html(client.get(url))
        assert mask_nik(person.nik) in html and person.nik not in html
    client.force_login(users["kabmalang"])
    assert person.nik in _html(client.get(reverse("people:detail", args=[person.pk])))


def test_worker_list_goes_to_own_page(client, users):
    client.force_login(users["pekerja"])
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"] == reverse("people:me")
    response = client.get(reverse("people:me"))
    html = _html(response)
    assert response.status_code == 200 and "Siti Pekerja" in html
    assert reverse("people:edit", args=[response.context["person"].pk]) not in html
    assert 'href="/pekerja/"' not in html  # no registry link in the worker's menu
    assert client.get(reverse("home"))["Location"] == reverse("people:me")


def test_me_without_linked_record(client, users):
    client.force_login(users["jatim"])
    response = client.get(reverse("people:me"))
    assert response.status_code == 404
    assert "belum terhubung" in _html(response)


def test_login_page_and_redirect(client, users):
    response = client.get(reverse("login"))
    assert response.status_code == 200 and 'name="password"' in _html(response)
    response = client.post(
        reverse("login"), {"username": "kabmalang", "password": "rahasia-uji-123"}
    )
    assert response.status_code == 302 and response["Location"] == LIST
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("logout")).status_code == 405  # logout only by POST
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(LIST).status_code == 302


# --- detail --------------------------------------------------------------------------------


def test_detail_shows_identity_history_education_and_employment(client, users, make_person):
    person = _educate(
        make_person("35.07", name="Ani Malang", phone="0811", email="ani@example.org"),
        "d4",
        "pekerjaan_sosial",
    )
    client.force_login(users["kabmalang"])
    client.post(reverse("people:edit", args=[person.pk]), _edit_data(person, phone="0812-9"))
    response = client.get(reverse("people:detail", args=[person.pk]))
    html = _html(response)
    for text in (
        "Ani Malang",
        "ani@example.org",
        "Dinas Sosial Kabupaten Malang",
        "35.07 Kabupaten Malang",
        "Pekerja Sosial (JF)",
        "D4",
        "Pekerjaan Sosial",
        "Poltekesos Bandung",
        "Staf",
        "Riwayat perubahan",
    ):
        assert text in html, text
    history = response.context["history"]
    update = history[0]
    assert update.channel == "Web" and update.actor == "kabmalang"
    assert update.action == "Data diubah"
    assert [(c.label, c.before, c.after) for c in update.changes] == [("Telepon", "0811", "0812-9")]
    assert "0811</span> → <span>0812-9" in html


def test_history_names_instead_of_ids(client, users, make_person):
    person = make_person("35.07", name="Ani Malang")
    client.force_login(users["kabmalang"])
    org = Organisation.objects.get(code="PANTI-ASUHAN-MALANG")
    client.post(reverse("people:edit", args=[person.pk]), _edit_data(person, organisation=org.pk))
    client.post(
        reverse("people:education_add", args=[person.pk]),
        {
            "level": EducationLevel.objects.get(code="s1").pk,
            "field": FieldOfStudy.objects.get(code="kesejahteraan_sosial").pk,
            "institution": "Universitas Brawijaya",
            "graduation_year": "2008",
        },
    )
    history = client.get(reverse("people:detail", args=[person.pk])).context["history"]
    education = history[0]
    assert education.action == "Riwayat pendidikan ditambahkan"
    texts = {c.label: (c.before, c.after) for c in education.changes}
    assert "Jenjang: S1" in texts["Riwayat pendidikan"][1]
    assert "Universitas Brawijaya" in texts["Riwayat pendidikan"][1]
    assert texts["Latar peksos/kesos"] == ("Tidak", "Ya")
    update = {c.label: (c.before, c.after) for c in history[1].changes}
    assert update["Unit kerja"] == ("Dinas Sosial Kabupaten Malang", org.name)


def test_detail_out_of_scope_is_404(client, users, make_person):
    person = make_person("35.78")
    client.force_login(users["kabmalang"])
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404
    assert client.get(reverse("people:detail", args=[999999])).status_code == 404


def test_write_buttons_hidden_for_read_only_roles(client, users, make_person):
    person = make_person("35.07")
    edit = reverse("people:edit", args=[person.pk])
    client.force_login(users["viewer"])
    html = _html(client.get(reverse("people:detail", args=[person.pk])))
    assert edit not in html and "Tambah pendidikan" not in html
    assert reverse("people:create") not in _html(client.get(LIST))
    client.force_login(users["kabmalang"])
    html = _html(client.get(reverse("people:detail", args=[person.pk])))
    assert edit in html
    assert "Tambah pendidikan" in html
    assert reverse("people:create") in _html(client.get(LIST))


# --- edit ----------------------------------------------------------------------------------


def test_edit_success_is_audited_with_channel_web(client, users, make_person):
    person = make_person("35.07", name="Ani Malang", phone="0811")
    client.force_login(users["kabmalang"])
    url = reverse("people:edit", args=[person.pk])
    form = client.get(url).context["form"]
    assert form["phone"].value() == "0811"
    response = client.post(url, _edit_data(person, phone="0812-3456"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:detail", args=[person.pk])
    assert "Perubahan disimpan: Telepon." in _html(response)
    person.refresh_from_db()
    assert person.phone == "0812-3456"
    event = AuditEvent.objects.get(object_id=str(person.pk), action="update")
    assert event.channel == "web" and event.actor == users["kabmalang"]
    assert event.changes == {"phone": ["0811", "0812-3456"]}
    assert event.request_id  # the request's id, from the middleware


def test_edit_without_changes_writes_nothing(client, users, make_person):
    person = make_person("35.07")
    client.force_login(users["kabmalang"])
    response = client.post(
        reverse("people:edit", args=[person.pk]), _edit_data(person), follow=True
    )
    assert "Tidak ada perubahan." in _html(response)
    assert not AuditEvent.objects.filter(object_id=str(person.pk), action="update").exists()


def test_edit_invalid_nik_shows_inline_error(client, users, make_person):
    person = make_person("35.07", name="Ani Malang")
    client.force_login(users["kabmalang"])
    bad = person.nik[:6] + "7717" + person.nik[10:]  # day 77 (women: 41-71): no such date
    response = client.post(reverse("people:edit", args=[person.pk]), _edit_data(person, nik=bad))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["nik"]
    html = _html(response)
    assert 'aria-invalid="true"' in html and "is-invalid" in html
    assert "<strong>NIK:</strong>" in html  # the error names the field...
    assert str(form.errors["nik"][0]) in html  # ...and the reason
    person.refresh_from_db()
    assert person.nik != bad
    assert not AuditEvent.objects.filter(object_id=str(person.pk), action="update").exists()


def test_edit_required_fields_inline(client, users, make_person):
    person = make_person("35.07")
    client.force_login(users["kabmalang"])
    response = client.post(
        reverse("people:edit", args=[person.pk]),
        _edit_data(person, name="", birth_date="31-02-1990"),
    )
    assert set(response.context["form"].errors) == {"name", "birth_date"}


def test_edit_refuses_an_organisation_outside_the_scope(client, users, make_person):
    person = make_person("35.07", name="Ani Malang")
    client.force_login(users["kabmalang"])
    surabaya = Organisation.objects.get(code="DINSOS-35.78")
    response = client.post(
        reverse("people:edit", args=[person.pk]), _edit_data(person, organisation=surabaya.pk)
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    person.refresh_from_db()
    assert person.organisation.code == "DINSOS-35.07" and person.region_id == "35.07"
    assert not AuditEvent.objects.filter(object_id=str(person.pk), action="update").exists()


def test_edit_refusal_from_the_action_lands_on_the_field(client, users, make_person):
    """A national organisation is in a province operator's list only if the person is there
    already; the action's after-check refuses moving a person out of the scope."""
    person = make_person("35.07")
    client.force_login(users["jatim"])
    response = client.post(
        reverse("people:edit", args=[person.pk]),
        _edit_data(person, organisation="", region="32.04"),
    )
    assert "region" in response.context["form"].errors  # not among the choices
    form = response.context["form"]
    from sdmkesos.core.errors import DomainError

    form.apply_domain_error(DomainError("move_out_of_scope", field="region", region="32.04"))
    assert "32.04" in str(form.errors["region"])


# --- create --------------------------------------------------------------------------------


def _create_data(**extra):
    org = Organisation.objects.get(code="DINSOS-35.07")
    data = {
        "nik": encode_nik("35", "07", "01", dt.date(1990, 5, 17), "P", 77),
        "name": "Siti Aminah",
        "sex": "P",
        "birth_date": "1990-05-17",
        "birth_place": "Malang",
        "organisation": org.pk,
        "phone": "0813",
    }
    data.update(extra)
    return data


def test_create_person(client, users):
    client.force_login(users["kabmalang"])
    assert client.get(reverse("people:create")).status_code == 200
    response = client.post(reverse("people:create"), _create_data())
    person = Person.objects.get(name="Siti Aminah")
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.region_id == "35.07"
    event = AuditEvent.objects.get(object_id=str(person.pk), action="create")
    assert event.channel == "web"


def test_create_duplicate_nik_names_the_holder(client, users, make_person):
    holder = make_person("35.07", name="Pemilik Asli")
    client.force_login(users["kabmalang"])
    response = client.post(reverse("people:create"), _create_data(nik=holder.nik))
    assert response.status_code == 200
    errors = response.context["form"].errors["nik"]
    assert "Pemilik Asli" in errors[0] and str(holder.pk) in errors[0]
    assert "Pemilik Asli" in _html(response)
    assert not Person.objects.filter(name="Siti Aminah").exists()


def test_create_nik_with_spaces_is_normalised(client, users):
    client.force_login(users["kabmalang"])
    nik = encode_nik("35", "07", "01", dt.date(1990, 5, 17), "P", 78)
    spaced = " ".join(nik[i : i + 4] for i in range(0, 16, 4))
    client.post(reverse("people:create"), _create_data(nik=spaced))
    assert Person.objects.get(name="Siti Aminah").nik == nik


# --- education, employment, delete ---------------------------------------------------------


def test_add_education_through_htmx(client, users, make_person):
    person = make_person("35.07")
    url = reverse("people:education_add", args=[person.pk])
    client.force_login(users["kabmalang"])
    hx = {"HX-Request": "true", "HX-Target": "sub-form"}
    response = client.get(url, headers=hx)
    assert "<html" not in _html(response) and 'hx-post="' in _html(response)
    response = client.post(url, {"institution": "X"}, headers=hx)  # level missing
    assert "level" in response.context["form"].errors and "<html" not in _html(response)
    response = client.post(
        url,
        {
            "level": EducationLevel.objects.get(code="s1").pk,
            "field": FieldOfStudy.objects.get(code="pekerjaan_sosial").pk,
            "institution": "STKS Bandung",
            "graduation_year": "2012",
        },
        headers=hx,
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("people:detail", args=[person.pk])
    person.refresh_from_db()
    assert person.kesos_background and person.education_level.code == "s1"
    assert AuditEvent.objects.get(object_id=str(person.pk), action="education.add").channel == (
        "web"
    )
    # Without JavaScript: a full page, then a redirect.
    assert "<html" in _html(client.get(url))
    record = person.education.get()
    response = client.post(reverse("people:education_delete", args=[person.pk, record.pk]))
    assert response.status_code == 302 and not person.education.exists()


def test_add_employment_in_and_out_of_scope(client, users, make_person):
    person = make_person("35.07")
    url = reverse("people:employment_add", args=[person.pk])
    client.force_login(users["kabmalang"])
    panti = Organisation.objects.get(code="PANTI-ASUHAN-MALANG")
    response = client.post(
        url, {"organisation": panti.pk, "position": "Pengasuh", "start_date": "2024-01-01"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.organisation == panti and person.position == "Pengasuh"
    assert person.employment.filter(end_date__isnull=True).count() == 1
    surabaya = Organisation.objects.get(code="DINSOS-35.78")
    response = client.post(url, {"organisation": surabaya.pk, "start_date": "2025-01-01"})
    assert "organisation" in response.context["form"].errors
    response = client.post(
        url, {"organisation": panti.pk, "start_date": "2025-01-01", "end_date": "2024-01-01"}
    )
    assert "end_date" in response.context["form"].errors
    job = person.employment.get(end_date__isnull=True)
    response = client.post(
        reverse("people:employment_end", args=[person.pk, job.pk]), {"end_date": "2025-06-30"}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.end_date == dt.date(2025, 6, 30)


def test_delete_with_confirmation(client, users, make_person):
    person = make_person("35.07", name="Akan Dihapus")
    url = reverse("people:delete", args=[person.pk])
    client.force_login(users["kabmalang"])
    response = client.get(url)
    assert "Akan Dihapus" in _html(response) and Person.objects.filter(pk=person.pk).exists()
    response = client.post(url)
    assert response["Location"] == LIST
    assert not Person.objects.filter(pk=person.pk).exists()
    assert AuditEvent.objects.get(object_id=str(person.pk), action="delete").channel == "web"


# --- language ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["people:list", "people:create"])
def test_english_switch(client, users, make_person, path):
    person = make_person("35.07", name="Ani Malang")
    client.force_login(users["kabmalang"])
    url = reverse(path)
    assert "Registri Pekerja" in _html(client.get(url))
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    html = _html(client.get(url))
    assert "Worker Registry" in html and "Registri Pekerja" not in html
    assert 'lang="en"' in html
    detail = _html(client.get(reverse("people:detail", args=[person.pk])))
    assert "Employment history" in detail and "Social worker (functional position)" in detail
    client.post("/i18n/setlang/", {"language": "id", "next": url})
    assert "Registri Pekerja" in _html(client.get(url))
