from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _dictionary(request: Any) -> None:
    """Database tests here see the shipped competency dictionary (loaded once per test DB)."""
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("competency_dictionary")
