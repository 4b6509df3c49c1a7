"""Every careers and planning endpoint refuses anonymous requests (401), and each is covered by
this app's role tests (tests/careers/test_views_api.py, tests/planning/test_planning_app.py)."""

from __future__ import annotations

import re

import pytest

from sdmkesos.api import api
from tests.api_helpers import ApiClient

pytestmark = pytest.mark.django_db


def _endpoints() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="")
    return sorted((method.upper(), path) for path, ops in schema["paths"].items()
                  for method in ops if path.startswith(("/careers", "/planning")))


def test_anonymous_is_401_on_every_careers_and_planning_endpoint():
    endpoints = _endpoints()
    assert len(endpoints) == 33
    anonymous = ApiClient()
    for method, path in endpoints:
        url = re.sub(r"\{[a-z_]+\}", "1", path)
        response = anonymous.request(method.lower(), url, {})
        assert response.status_code == 401, (method, path, response.content)
