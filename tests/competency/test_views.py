"""Competency pages: dictionary, standards, a person's profile, the gap report and exports, for
roles inside and outside the scope."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from sdmkesos.competency import actions
from sdmkesos.competency.models import Assessment, Competency, JobStandard

ROLES = ["nasional", "jatim", "kabmalang", "bbppks", "viewer", "pekerja", "jabar", "kabbandung"]
INSIDE = {"nasional": "35.07", "jatim": "35.73", "kabmalang": "35.07", "bbppks": "13.71",
          "viewer": "35.07", "pekerja": None, "jabar": "32.04", "kabbandung": "32.04"}
OUTSIDE = {"nasional": None, "jatim": "32.04", "kabmalang": "35.73", "bbppks": "35.07",
           "viewer": "32.04", "pekerja": "35.07", "jabar": "35.07", "kabbandung": "32.73"}
WRITERS = {"nasional", "jatim", "kabmalang", "jabar", "kabbandung"}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, client, users, make_person):
    user = users[role]
    client.force_login(user)
    inside = user.person if INSIDE[role] is None else make_person(INSIDE[role], category="psm",
                                                                  name="Dalam Lingkup")
    outside = (make_person(OUTSIDE[role], category="psm", name="Luar Lingkup")
               if OUTSIDE[role] else None)
    for name, args in (("competency:dictionary", []), ("competency:detail", ["M.01"]),
                       ("competency:standards", []), ("competency:standard", ["STD-PSM"]),
                       ("competency:gaps", [])):
        assert client.get(reverse(name, args=args)).status_code == 200, name
    admin = role == "nasional"
    for name, args in (("competency:create", []), ("competency:edit", ["M.01"]),
                       ("competency:level", ["M.01", 2]), ("competency:standard_create", []),
                       ("competency:standard_edit", ["STD-PSM"])):
        assert client.get(reverse(name, args=args)).status_code == (200 if admin else 403)

    response = client.get(reverse("competency:person", args=[inside.pk]))
    assert response.status_code == 200
    data = {"competency": Competency.objects.get(code="RS.01").pk, "level": 2,
            "method": "self" if role == "pekerja" else "supervisor",
            "assessed_on": "2026-01-05"}
    response = client.post(reverse("competency:assessment_add", args=[inside.pk]), data)
    can_write = role in WRITERS or role == "pekerja"
    assert response.status_code == (302 if can_write else 403)
    assert Assessment.objects.filter(person=inside).exists() is can_write

    report = client.get(reverse("competency:gaps") + "?competency=RS.02&by=category")
    html = report.content.decode()
    if role != "pekerja":
        assert "Dalam Lingkup" in html
    if outside is not None:
        assert "Luar Lingkup" not in html
        assert client.get(reverse("competency:person", args=[outside.pk])).status_code == 404
        response = client.post(reverse("competency:assessment_add", args=[outside.pk]), data)
        assert response.status_code == 404
        assert not Assessment.objects.filter(person=outside).exists()
        export = client.get(reverse("competency:gaps_export", args=["csv"]))
        assert "Luar Lingkup" not in export.content.decode("utf-8-sig")


def test_admin_edits_dictionary_and_standard(client, users):
    client.force_login(users["nasional"])
    r = client.post(reverse("competency:level", args=["M.04", 3]),
                    {"description": "Target menantang", "indicators": "satu\n\ndua\n"})
    assert r.status_code == 302
    level = Competency.objects.get(code="M.04").levels.get(level=3)
    assert level.indicators == ["satu", "dua"]
    form = {"code": "STD-KADIS", "name": "Kepala Dinas Sosial", "position": "Kepala Dinas",
            "is_active": "on"}
    comp = Competency.objects.get(code="M.08")
    form[f"req_{comp.pk}"] = "4"
    r = client.post(reverse("competency:standard_create"), form)
    assert r.status_code == 302
    std = JobStandard.objects.get(code="STD-KADIS")
    assert list(std.items.values_list("competency__code", "required_level")) == [("M.08", 4)]
    r = client.post(reverse("competency:standard_create"), {**form, "code": "STD-KADIS"})
    assert r.status_code == 200 and "sudah dipakai" in r.content.decode()


def test_assessment_errors_inline_and_htmx(client, users, make_person):
    client.force_login(users["kabmalang"])
    person = make_person("35.07", category="psm")
    url = reverse("competency:assessment_add", args=[person.pk])
    r = client.post(url, {"competency": Competency.objects.get(code="RS.01").pk, "level": 2,
                          "method": "assessor", "assessed_on": "2099-01-01"})
    assert r.status_code == 400 and "belum terjadi" in r.content.decode()
    r = client.post(url, {"competency": Competency.objects.get(code="RS.01").pk, "level": 2,
                          "method": "assessor", "assessed_on": "2026-01-01"},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "gap-table" in r.content.decode()
    a = Assessment.objects.get(person=person)
    r = client.post(reverse("competency:assessment_void", args=[person.pk, a.pk]))
    assert r.status_code == 302 and Assessment.objects.get(pk=a.pk).voided


def test_exports_neutralise_formulas(client, users, make_person):
    client.force_login(users["jatim"])
    make_person("35.07", category="psm", name="=HYPERLINK(\"http://x\")")
    r = client.get(reverse("competency:gaps_export", args=["csv"]) + "?competency=RS.01")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "ID Pekerja"
    names = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://x\")" in names
    r = client.get(reverse("competency:gaps_export", args=["xlsx"]) + "?competency=RS.01")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    values = [c.value for c in sheet["B"]]
    assert "'=HYPERLINK(\"http://x\")" in values
    assert client.get(reverse("competency:gaps_export", args=["pdf"])).status_code == 404


def test_gap_report_groups_and_kesos_share(client, users, make_person):
    client.force_login(users["nasional"])
    person = make_person("35.07", category="psm", name="Ani Relawan")
    actions.do_record_assessment(actor=users["nasional"], channel="web", person=person,
                                 competency=Competency.objects.get(code="RS.01"), level=1,
                                 method="test", assessed_on=dt.date(2026, 1, 1))
    for by in ("region", "province", "organisation", "category", "competency"):
        r = client.get(reverse("competency:gaps") + f"?by={by}&region=35")
        assert r.status_code == 200, by
        assert "kesos-share" in r.content.decode()
    r = client.get(reverse("competency:gaps") + "?competency=RS.01&region=35.07")
    assert "Ani Relawan" in r.content.decode()


def test_report_asks_for_a_region_above_the_limit(client, users, make_person, monkeypatch):
    from sdmkesos.competency import views

    monkeypatch.setattr(views, "PEOPLE_LIMIT", 1)
    make_person("35.07", category="psm")
    make_person("35.73", category="psm")
    client.force_login(users["nasional"])
    r = client.get(reverse("competency:gaps"))
    assert r.status_code == 200 and "pilih provinsi" in r.content.decode()
    r = client.get(reverse("competency:gaps_export", args=["csv"]))
    assert r.status_code == 302
