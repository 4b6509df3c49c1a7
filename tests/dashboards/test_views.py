"""The dashboard page: numbers match the data, drill-down nation → province → kab/kota,
breadcrumbs, scope, English."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from sdmkesos.core.models import EducationLevel, FieldOfStudy
from sdmkesos.people.actions import refresh_current
from sdmkesos.people.models import EducationRecord, Person

URL = reverse("dashboards:overview")


@pytest.fixture(autouse=True)
def _restore_language():
    """The test client leaves the last request's language active in this thread; a test that
    switches to English must not leak it into later tests."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _kesos(person: Person) -> Person:
    EducationRecord.objects.create(
        person=person,
        level=EducationLevel.objects.get(code="d4"),
        field=FieldOfStudy.objects.get(code="pekerjaan_sosial"),
    )
    refresh_current(person)
    return person


@pytest.fixture
def data(users, make_person):
    """Besides the worker's own record (35.07, pekerja_sosial, no kesos education)."""
    _kesos(make_person("35.07", category="tksk"))
    make_person("35.07", category="tksk")
    _kesos(make_person("35.78", category="psm"))
    make_person("32.04", category="tksk")
    make_person("32.73", category="tagana")
    make_person(organisation="KEMENSOS", category="asn_kemensos")  # national, no region
    return users


def _bars(response, name):
    return {bar.key: (bar.total, bar.kesos) for bar in response.context[name]}


def test_national_numbers_match_the_data(client, data):
    client.force_login(data["nasional"])
    response = client.get(URL)
    summary = response.context["summary"]
    assert summary.total == Person.objects.count() == 7
    assert summary.kesos == Person.objects.filter(kesos_background=True).count() == 2
    assert response.context["share_percent"] == round(100 * 2 / 7, 1)
    assert _bars(response, "by_category") == {
        "tksk": (3, 1),
        "psm": (1, 1),
        "tagana": (1, 0),
        "asn_kemensos": (1, 0),
        "pekerja_sosial": (1, 0),
    }
    assert _bars(response, "by_region") == {"35": (4, 2), "32": (2, 0), "": (1, 0)}
    html = response.content.decode()
    assert '<div class="display-6 fw-semibold" id="stat-total">7</div>' in html
    assert "28,6%" in html  # Indonesian decimal comma
    assert "Pusat (nasional)" in html
    assert f'href="{URL}?region=35"' in html  # drill into the province
    assert 'aria-current="page">Nasional<' in html


def test_drill_down_province_then_kabkota(client, data):
    client.force_login(data["nasional"])
    response = client.get(URL, {"region": "35"})
    assert response.context["summary"].total == 4
    assert _bars(response, "by_region") == {"35.07": (3, 1), "35.78": (1, 1)}
    html = response.content.decode()
    assert f'href="{URL}?region=35.07"' in html
    assert f'href="{URL}"' in html  # breadcrumb back to the nation
    assert "Jawa Timur" in html

    response = client.get(URL, {"region": "35.07"})
    summary = response.context["summary"]
    assert (summary.total, summary.kesos) == (3, 1)
    assert [r.code for r in summary.breadcrumbs] == ["35", "35.07"]
    html = response.content.decode()
    assert f'href="?region={quote("35")}"' in html  # breadcrumb to the province
    assert 'aria-current="page">Kabupaten Malang<' in html
    assert "?region=35.07" not in [b.drill_url for b in response.context["by_region"]]
    assert all(not b.drill_url for b in response.context["by_region"])  # lowest level
    # Each row links to the filtered list.
    assert reverse("people:list") + "?category=tksk&amp;region=35.07" in html


def test_scoped_user_sees_only_the_scope(client, data):
    client.force_login(data["kabmalang"])
    response = client.get(URL)
    assert response.context["summary"].total == 3
    assert _bars(response, "by_region") == {"35": (3, 1)}
    assert client.get(URL, {"region": "35"}).status_code == 200  # above the scope: narrowed
    assert client.get(URL, {"region": "35.07"}).context["summary"].total == 3
    assert client.get(URL, {"region": "35.78"}).status_code == 404
    assert client.get(URL, {"region": "32"}).status_code == 404

    client.force_login(data["jabar"])
    response = client.get(URL)
    assert response.context["summary"].total == 2
    assert _bars(response, "by_category") == {"tksk": (1, 0), "tagana": (1, 0)}


def test_unknown_region_and_worker(client, data):
    client.force_login(data["nasional"])
    assert client.get(URL, {"region": "99"}).status_code == 404
    assert client.get(URL, {"region": "x" * 50}).status_code == 404
    assert client.get(URL, {"region": "35.07.01"}).status_code == 404  # below kab/kota
    client.force_login(data["pekerja"])
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_dashboard_in_english(client, data):
    client.force_login(data["nasional"])
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    html = client.get(URL, {"region": "35"}).content.decode()
    assert "SDM Kesos Dashboard" in html and "Workers by category" in html
    assert "Workers by Regency/City" in html and "National" in html
    assert "District social welfare worker" in html  # category names in English
