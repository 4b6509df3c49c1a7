"""dedup pages and API for every role, with a pair inside and one outside the role's scope:
reviewers (roles that may change people) see and decide only in-scope pairs (outside: 404);
read-only roles get 403 everywhere and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sdmkesos.core.models import AuditEvent
from sdmkesos.dedup.models import CandidatePair, PairStatus
from sdmkesos.people.models import Person
from tests.api_helpers import ApiClient

# role → (region of an in-scope pair, region of an out-of-scope pair); None: none exists.
CASES = {
    "nasional": ("35.07", None),
    "jatim": ("35.78", "32.04"),
    "kabmalang": ("35.07", "35.78"),
    "jabar": ("32.04", "35.07"),
    "kabbandung": ("32.04", "32.73"),
    "bbppks": ("13.71", "35.07"),
    "viewer": ("35.07", "32.04"),
    "pekerja": ("35.07", "32.04"),
}
REVIEWERS = {"nasional", "jatim", "kabmalang", "jabar", "kabbandung"}


def _pairs(make_pair, role):
    inside_region, outside_region = CASES[role]
    inside = make_pair(inside_region, name="Dalam Lingkup")
    outside = make_pair(outside_region, name="Luar Lingkup") if outside_region else None
    return inside, outside


@pytest.mark.parametrize("role", sorted(CASES))
def test_pages(client, users, make_pair, role):
    user = users[role]
    inside, outside = _pairs(make_pair, role)
    client.force_login(user)
    reviewer = role in REVIEWERS
    response = client.get(reverse("dedup:queue"))
    if not reviewer:
        assert response.status_code == 403
        assert client.get(reverse("dedup:pair", args=[inside.pk])).status_code == 403
        before = AuditEvent.objects.count()
        assert client.post(reverse("dedup:reject", args=[inside.pk])).status_code == 403
        assert client.post(reverse("dedup:confirm", args=[inside.pk])).status_code == 403
        assert client.post(reverse("dedup:run_start")).status_code == 403
        assert AuditEvent.objects.count() == before
        inside.refresh_from_db()
        assert inside.status == PairStatus.PROPOSED
        return
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dalam Lingkup" in html and "Luar Lingkup" not in html
    assert client.get(reverse("dedup:pair", args=[inside.pk])).status_code == 200
    if outside is not None:
        assert client.get(reverse("dedup:pair", args=[outside.pk])).status_code == 404
        assert client.post(reverse("dedup:reject", args=[outside.pk])).status_code == 404
        assert client.post(reverse("dedup:confirm", args=[outside.pk])).status_code == 404
        outside.refresh_from_db()
        assert outside.status == PairStatus.PROPOSED
    response = client.post(reverse("dedup:confirm", args=[inside.pk]), {"keep": "right"})
    assert response.status_code == 302
    inside.refresh_from_db()
    assert inside.status == PairStatus.CONFIRMED
    assert not Person.objects.filter(pk=inside.left_pid).exists()


@pytest.mark.parametrize("role", sorted(CASES))
def test_api(users, make_pair, role):
    api = ApiClient(users[role])
    inside, outside = _pairs(make_pair, role)
    reviewer = role in REVIEWERS
    response = api.get("/dedup/pairs")
    if not reviewer:
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        assert api.post(f"/dedup/pairs/{inside.pk}/reject").status_code == 403
        assert api.post(f"/dedup/pairs/{inside.pk}/confirm").status_code == 403
        assert api.post("/dedup/runs", {}).status_code == 403
        inside.refresh_from_db()
        assert inside.status == PairStatus.PROPOSED
        return
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert inside.pk in ids
    if outside is not None:
        assert outside.pk not in ids
        assert api.get(f"/dedup/pairs/{outside.pk}").status_code == 404
        assert api.post(f"/dedup/pairs/{outside.pk}/reject").status_code == 404
        assert api.post(f"/dedup/pairs/{outside.pk}/confirm").status_code == 404
        outside.refresh_from_db()
        assert outside.status == PairStatus.PROPOSED
    response = api.post(f"/dedup/pairs/{inside.pk}/reject", {"note": "beda"})
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert CandidatePair.objects.get(pk=inside.pk).status == PairStatus.REJECTED


@pytest.mark.parametrize("role", sorted(CASES))
def test_merge_history(client, users, make_pair, role):
    from sdmkesos.dedup.actions import do_confirm_pair

    inside_region, outside_region = CASES[role]
    inside = make_pair(inside_region, name="Dalam Lingkup")
    do_confirm_pair(actor=None, channel="system", pair=inside)
    if outside_region:
        do_confirm_pair(actor=None, channel="system",
                        pair=make_pair(outside_region, name="Luar Lingkup"))
    client.force_login(users[role])
    response = client.get(reverse("dedup:merges"))
    if role not in REVIEWERS:
        assert response.status_code == 403
        return
    html = response.content.decode()
    assert "Hj. Dalam Lingkup" in html and "Luar Lingkup" not in html
    removed = Person.objects.filter(pk__in=[inside.left_pid, inside.right_pid]).exists()
    assert removed  # the kept one is still there


def test_unauthenticated_is_401_on_every_dedup_endpoint(make_pair):
    from sdmkesos.api import api as root

    pair = make_pair("35.07")
    anonymous = ApiClient()
    schema = root.get_openapi_schema(path_prefix="")
    endpoints = [(method, path) for path, ops in schema["paths"].items() if
                 path.startswith("/dedup/") for method in ops]
    assert len(endpoints) == 6
    for method, path in endpoints:
        url = path.replace("{pair_id}", str(pair.pk)).replace("{run_id}", "1")
        response = anonymous.request(method, url, {})
        assert response.status_code == 401, (method, path)
    pair.refresh_from_db()
    assert pair.status == PairStatus.PROPOSED
