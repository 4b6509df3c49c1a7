"""Helpers for API tests: a Django test client signed in with a bearer token.

The Django test client (not ninja's TestClient) is used on purpose: requests go through the whole
middleware stack (sessions, CSRF, django-axes, request ids) as in production.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from sdmkesos.core.auth import create_token
from sdmkesos.core.models import User

BASE = "/api/v1"


class ApiClient:
    def __init__(self, user: User | None = None, *, token: str | None = None) -> None:
        self.client = Client()
        if token is None and user is not None:
            token, _row = create_token(user)
        self.token = token
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _url(self, path: str) -> str:
        return path if path.startswith(BASE) else BASE + path

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(self._url(path), params or {}, headers=self.headers)

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(self._url(path), json.dumps(data or {}),
                                content_type="application/json", headers=self.headers)

    def patch(self, path: str, data: Any = None) -> Any:
        return self.client.patch(self._url(path), json.dumps(data or {}),
                                 content_type="application/json", headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(self._url(path), headers=self.headers)

    def request(self, method: str, path: str, data: Any = None) -> Any:
        if method == "get":
            return self.get(path, data)
        return getattr(self, method)(path, data) if method != "delete" else self.delete(path)


def as_user(user: User | None) -> ApiClient:
    return ApiClient(user)
