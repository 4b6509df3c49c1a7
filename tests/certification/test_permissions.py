"""Every certification page and API endpoint, for every role, with a certificate inside and one
outside the role's scope: visible inside, 404 outside; status changes only for writers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sdmkesos.certification.models import Certificate
from sdmkesos.core.scoping import CHANGE, can
from sdmkesos.people.models import Person
from tests.api_helpers import as_user

from .conftest import qualify

pytestmark = pytest.mark.django_db

CASES = {
    "nasional": ("35.07", None),
    "jatim": ("35.78", "32.04"),
    "kabmalang": ("35.07", "35.78"),
    "bbppks": ("13.71", "35.07"),
    "viewer": ("35.07", "32.04"),
    "pekerja": (None, "35.07"),
    "jabar": ("32.04", "35.07"),
    "kabbandung": ("32.04", "32.71"),
}


@pytest.mark.parametrize("role", sorted(CASES))
def test_role_matrix(client: Client, users: dict[str, Any],
                     certify: Callable[..., Certificate], role: str) -> None:
    user = users[role]
    inside_region, outside_region = CASES[role]
    if inside_region is None:
        inside = certify("35.07", person=qualify(Person.objects.get(user=user)))
    else:
        inside = certify(inside_region)
    outside = certify(outside_region) if outside_region else None
    client.force_login(user)

    assert client.get("/sertifikasi/").status_code == 200
    listing = client.get("/sertifikasi/").content.decode()
    assert inside.number in listing
    assert client.get(f"/sertifikasi/sertifikat/{inside.pk}/").status_code == 200
    assert client.get(f"/sertifikasi/sertifikat/{inside.pk}/pdf").status_code == 200
    assert client.get("/sertifikasi/laporan/").status_code == 200
    api = as_user(user)
    assert api.get(f"/certification/certificates/{inside.pk}").status_code == 200
    ids = {c["id"] for c in api.get("/certification/certificates").json()["items"]}
    assert inside.pk in ids
    if outside is not None:
        assert outside.number not in listing
        assert client.get(f"/sertifikasi/sertifikat/{outside.pk}/").status_code == 404
        assert client.get(f"/sertifikasi/sertifikat/{outside.pk}/pdf").status_code == 404
        assert api.get(f"/certification/certificates/{outside.pk}").status_code == 404
        assert outside.pk not in ids
        response = api.post(f"/certification/certificates/{outside.pk}/suspend",
                            {"reason": "uji"})
        assert response.status_code in (403, 404)
        outside.refresh_from_db()
        assert outside.status == "active"

    response = api.post(f"/certification/certificates/{inside.pk}/suspend", {"reason": "uji"})
    inside.refresh_from_db()
    if can(user, CHANGE):
        assert response.status_code == 200 and inside.status == "suspended"
    else:
        assert response.status_code in (403, 404) and inside.status == "active"


def test_anonymous_is_sent_to_login(client: Client, certify: Callable[..., Certificate]) -> None:
    cert = certify()
    assert client.get("/sertifikasi/").status_code == 302
    assert client.get(f"/sertifikasi/sertifikat/{cert.pk}/pdf").status_code == 302
    assert as_user(None).get("/certification/certificates").status_code == 401


PUBLIC = {("GET", "/certification/verify/{public_id}"), ("POST", "/certification/verify")}


def _cert_endpoints() -> list[tuple[str, str]]:
    from sdmkesos.api import api

    schema = api.get_openapi_schema(path_prefix="")
    return sorted((m.upper(), p) for p, ops in schema["paths"].items() for m in ops
                  if p.startswith("/certification/"))


def test_unauthenticated_is_401_except_public_verification() -> None:
    anonymous = as_user(None)
    endpoints = _cert_endpoints()
    assert set(endpoints) >= PUBLIC
    for method, path in endpoints:
        if (method, path) in PUBLIC:
            continue
        url = path.replace("{app_id}", "1").replace("{event_id}", "1").replace(
            "{cert_id}", "1").replace("{cred_id}", "1").replace("{batch_id}", "1")
        response = anonymous.request(method.lower(), url, {})
        assert response.status_code == 401, (method, path)


def test_out_of_scope_objects_are_404(users: dict[str, Any], make_person: Any,
                                      make_assessor: Any, admin: Any, psg: Any,
                                      signing: Any) -> None:
    import datetime as dt

    from sdmkesos.certification import actions
    from sdmkesos.core.models import Organisation

    app = actions.do_submit_application(actor=admin, channel="web",
                                        person=qualify(make_person("35.07")), scheme=psg,
                                        practice_hours=1200, is_member=True)
    event = actions.do_create_event(actor=admin, channel="web", scheme=psg, title="Uji",
                                    date=dt.date(2026, 2, 1), place="TUK",
                                    organisation=Organisation.objects.get(code="DINSOS-35"))
    assessor = make_assessor("32.04", organisation="DINSOS-32.04")
    jabar = as_user(users["jabar"])
    assert jabar.get(f"/certification/applications/{app.pk}").status_code == 404
    assert app.pk not in {a["id"] for a in jabar.get("/certification/applications")
                          .json()["items"]}
    for path, body in [
            (f"/certification/applications/{app.pk}/decision", {"verdict": "K"}),
            (f"/certification/applications/{app.pk}/recommendation", {"verdict": "K"}),
            (f"/certification/applications/{app.pk}/results",
             {"unit": "PSG.01", "method": "written", "verdict": "K",
              "assessor_id": assessor.pk}),
            (f"/certification/events/{event.pk}/assessors", {"assessor_id": assessor.pk}),
            (f"/certification/events/{event.pk}/candidates", {"application_id": app.pk})]:
        assert jabar.post(path, body).status_code == 404, path
    assert event.pk not in {e["id"] for e in jabar.get("/certification/events").json()}
    assert jabar.get("/certification/assessors").status_code == 200
    viewer = as_user(users["viewer"])
    response = viewer.post(f"/certification/events/{event.pk}/candidates",
                           {"application_id": app.pk})
    assert response.status_code in (403, 404)
    app.refresh_from_db()
    assert app.status == "eligible"
