"""Every registry page and the dashboard, for every role, with an object inside and one outside
the role's scope: 200 inside, 404 outside; writes refused (403) for read-only roles and nothing
changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sdmkesos.core.models import AuditEvent, EducationLevel, Organisation
from sdmkesos.core.scoping import can
from sdmkesos.people.forms import person_initial
from sdmkesos.people.models import Person

# role → (region of an in-scope person, region of an out-of-scope person); None: the role's own
# record (worker) or no such object (national: nothing is outside its scope).
CASES = {
    "nasional": ("35.07", None),
    "jatim": ("35.78", "32.04"),
    "kabmalang": ("35.07", "35.78"),
    "bbppks": ("13.71", "35.07"),
    "viewer": ("35.07", "32.04"),
    "pekerja": (None, "35.07"),
    "jabar": ("32.04", "35.07"),
    "kabbandung": ("32.04", "32.73"),
}
# role → (dashboard region inside, dashboard region outside)
DASHBOARD = {
    "nasional": ("35.07", "99"),
    "jatim": ("35", "32"),
    "kabmalang": ("35.07", "35.78"),
    "bbppks": ("13", "35"),
    "viewer": ("35.78", "32"),
    "jabar": ("32.04", "35"),
    "kabbandung": ("32.04", "32.73"),
}
WRITERS = {"nasional", "jatim", "kabmalang", "jabar", "kabbandung"}


def _post_data(person: Person, **changes):
    data = {
        k: ("" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v))
        for k, v in person_initial(person).items()
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", sorted(CASES))
def test_role_matrix(client, users, make_person, role):
    user = users[role]
    inside_region, outside_region = CASES[role]
    inside = (
        Person.objects.get(user=user)
        if inside_region is None
        else make_person(inside_region, name="Dalam Lingkup")
    )
    outside_pk = make_person(outside_region, name="Luar Lingkup").pk if outside_region else 10**9
    writer = role in WRITERS
    assert can(user, "change") is writer
    client.force_login(user)

    def status(method, name, pk=None, data=None, *extra):
        url = reverse(name, args=[pk, *extra] if pk is not None else list(extra))
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        return response.status_code

    # List: in-scope rows only (the worker is sent to the own record).
    response = client.get(reverse("people:list"))
    if role == "pekerja":
        assert response.status_code == 302 and response["Location"] == reverse("people:me")
        assert client.get(reverse("people:me")).status_code == 200
    else:
        html = response.content.decode()
        assert response.status_code == 200
        assert "Dalam Lingkup" in html and "Luar Lingkup" not in html

    # Detail.
    assert status("get", "people:detail", inside.pk) == 200
    assert status("get", "people:detail", outside_pk) == 404

    # Edit, education, employment, delete forms.
    for name in ("people:edit", "people:education_add", "people:employment_add", "people:delete"):
        assert status("get", name, inside.pk) == (200 if writer else 403), name
        assert status("get", name, outside_pk) == (404 if writer else 403), name
    assert status("get", "people:create") == (200 if writer else 403)

    # Writes: refused for read-only roles and out of scope; nothing changes.
    before = AuditEvent.objects.count()
    edit = _post_data(inside, phone="0899-1")
    level = EducationLevel.objects.get(code="s1").pk
    if not writer:
        assert status("post", "people:edit", inside.pk, edit) == 403
        assert status("post", "people:education_add", inside.pk, {"level": level}) == 403
        assert status("post", "people:delete", inside.pk) == 403
        assert status("post", "people:create", None, {"name": "X"}) == 403
        assert AuditEvent.objects.count() == before
        inside.refresh_from_db()
        assert inside.phone != "0899-1"
    else:
        if outside_region:
            outside = Person.objects.get(pk=outside_pk)
            assert (
                status("post", "people:edit", outside_pk, _post_data(outside, phone="0899-2"))
                == 404
            )
            assert status("post", "people:education_add", outside_pk, {"level": level}) == 404
            assert status("post", "people:delete", outside_pk) == 404
            outside.refresh_from_db()
            assert outside.phone != "0899-2" and not outside.education.exists()
            assert AuditEvent.objects.count() == before
        assert status("post", "people:edit", inside.pk, edit) == 302
        inside.refresh_from_db()
        assert inside.phone == "0899-1"
        assert status("post", "people:delete", inside.pk) == 302
        assert not Person.objects.filter(pk=inside.pk).exists()

    # Dashboard.
    if role == "pekerja":
        assert client.get(reverse("dashboards:overview")).status_code == 403
    else:
        region_in, region_out = DASHBOARD[role]
        url = reverse("dashboards:overview")
        assert client.get(url).status_code == 200
        assert client.get(url, {"region": region_in}).status_code == 200
        assert client.get(url, {"region": region_out}).status_code == 404


def test_create_outside_scope_is_refused(client, users):
    """A district operator cannot create a person for another district's office."""
    client.force_login(users["kabmalang"])
    from sdmkesos.core.identifiers import encode_nik

    org = Organisation.objects.get(code="DINSOS-35.78")
    response = client.post(
        reverse("people:create"),
        {
            "nik": encode_nik("35", "78", "01", dt.date(1990, 1, 1), "L", 5),
            "name": "Orang Luar",
            "sex": "L",
            "birth_date": "1990-01-01",
            "organisation": org.pk,
        },
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    response = client.post(
        reverse("people:create"),
        {
            "nik": encode_nik("35", "78", "01", dt.date(1990, 1, 1), "L", 5),
            "name": "Orang Luar",
            "sex": "L",
            "birth_date": "1990-01-01",
            "region": "35.78",
        },
    )
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert not Person.objects.filter(name="Orang Luar").exists()


def test_anonymous_is_sent_to_login(client, make_person):
    person = make_person("35.07")
    for url in (
        reverse("people:list"),
        reverse("people:detail", args=[person.pk]),
        reverse("people:edit", args=[person.pk]),
        reverse("people:create"),
        reverse("people:me"),
        reverse("dashboards:overview"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (
            url
        )
