"""API authentication: tokens (digest only, expiry, last use), lockout, sessions and CSRF."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from sdmkesos.core import auth
from sdmkesos.core.models import ApiToken, AuditEvent
from tests.api_helpers import ApiClient, as_user
from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token"


def _login(client: Client, username: str, password: str):
    return client.post(TOKEN_URL, json.dumps({"username": username, "password": password}),
                       content_type="application/json")


def test_token_flow_stores_only_the_digest(users):
    response = _login(Client(), "kabmalang", PASSWORD)
    assert response.status_code == 200, response.content
    body = response.json()
    raw = body["token"]
    assert len(raw) >= 40 and body["token_type"] == "Bearer"
    row = ApiToken.objects.get(user=users["kabmalang"])
    assert row.digest == ApiToken.hash(raw) and raw not in row.digest
    assert not ApiToken.objects.filter(digest=raw).exists()
    # The token is a sign-in: audited, and last_login is set.
    assert AuditEvent.objects.filter(action="token.create", actor=users["kabmalang"],
                                     channel="api").exists()
    users["kabmalang"].refresh_from_db()
    assert users["kabmalang"].last_login is not None

    me = ApiClient(token=raw).get("/auth/me")
    assert me.status_code == 200
    assert me.json()["username"] == "kabmalang"
    assert me.json()["scope_regions"] == ["35.07"]
    assert me.json()["role"] == "district_operator"


def test_token_expiry_follows_settings(users, settings):
    settings.SDMKESOS_TOKEN_DAYS = 7
    before = timezone.now()
    _raw, row = auth.create_token(users["jatim"])
    assert row.expires_at is not None
    assert dt.timedelta(days=7) - dt.timedelta(seconds=5) < row.expires_at - before
    assert row.expires_at - before <= dt.timedelta(days=7, seconds=5)
    settings.SDMKESOS_TOKEN_DAYS = 0
    _raw, forever = auth.create_token(users["jatim"])
    assert forever.expires_at is None


def test_expired_token_is_refused(users):
    raw, row = auth.create_token(users["jatim"])
    client = ApiClient(token=raw)
    assert client.get("/auth/me").status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/auth/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_inactive_user_token_is_refused(users):
    client = as_user(users["jatim"])
    users["jatim"].is_active = False
    users["jatim"].save()
    assert client.get("/auth/me").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(users):
    raw, row = auth.create_token(users["viewer"])
    client = ApiClient(token=raw)
    assert client.get("/auth/me").status_code == 200
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None
    assert client.get("/auth/me").status_code == 200
    row.refresh_from_db()
    assert row.last_used_at == first  # within the minute: no write
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    assert client.get("/auth/me").status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None and row.last_used_at > first - dt.timedelta(minutes=1)


def test_bad_credentials_are_401(users):
    response = _login(Client(), "kabmalang", "salah")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    response = _login(Client(), "tidak-ada", "salah")
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_missing_fields_are_400_naming_the_field(users):
    response = Client().post(TOKEN_URL, json.dumps({"username": "kabmalang"}),
                             content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "password"
    assert body["errors"][0]["code"] == "required"


def test_lockout_after_five_failures_refuses_the_right_password(users):
    client = Client()
    statuses = [_login(client, "kabmalang", "salah").status_code for _ in range(5)]
    # The fifth failure reaches AXES_FAILURE_LIMIT and is already answered with the lockout.
    assert statuses == [401, 401, 401, 401, 429]
    response = _login(client, "kabmalang", PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"
    assert "token" not in response.json()
    assert not ApiToken.objects.filter(user=users["kabmalang"]).exists()
    # Another account from the same address is not locked.
    assert _login(client, "jatim", PASSWORD).status_code == 200


def test_success_resets_the_failure_count(users):
    client = Client()
    for _ in range(4):
        assert _login(client, "kabmalang", "salah").status_code == 401
    assert _login(client, "kabmalang", PASSWORD).status_code == 200
    for _ in range(4):
        assert _login(client, "kabmalang", "salah").status_code == 401
    assert _login(client, "kabmalang", PASSWORD).status_code == 200


def test_revoke_token(users):
    client = as_user(users["jabar"])
    assert client.get("/auth/me").status_code == 200
    assert client.delete("/auth/token").status_code == 204
    assert client.get("/auth/me").status_code == 401
    assert AuditEvent.objects.filter(action="token.revoke", actor=users["jabar"]).exists()


@pytest.mark.parametrize("path", ["/auth/me", "/persons", "/regions", "/organisations",
                                  "/codelists/categories"])
def test_unauthenticated_is_401(db, path):
    response = Client().get("/api/v1" + path)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    garbage = ApiClient(token="not-a-token").get(path)
    assert garbage.status_code == 401


def test_unauthenticated_write_is_401_not_csrf(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/persons", "{}", content_type="application/json")
    assert response.status_code == 401


def test_session_auth_reads_and_enforces_csrf_on_writes(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["kabmalang"])
    assert client.get("/api/v1/auth/me").json()["username"] == "kabmalang"
    response = client.post("/api/v1/persons", json.dumps({"name": "x"}),
                           content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    # With the CSRF cookie and header the write reaches validation (400, not 403).
    secret = "Ab3" * 10 + "Cd"  # a 32-character CSRF secret, sent as cookie and header
    client.cookies["csrftoken"] = secret
    response = client.post("/api/v1/persons", json.dumps({"name": "x"}),
                           content_type="application/json", headers={"X-CSRFToken": secret})
    assert response.status_code == 400, response.content


def test_bearer_token_needs_no_csrf(users):
    client = ApiClient(users["kabmalang"])
    client.client = Client(enforce_csrf_checks=True)
    response = client.post("/persons", {"name": "x"})
    assert response.status_code == 400  # validation, not CSRF


def test_openapi_is_served(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/persons" in paths and "/api/v1/auth/token" in paths
