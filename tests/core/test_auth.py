from django.conf import settings
from django.contrib.auth.hashers import get_hashers

from sdmkesos.core.management.commands import nik as nik_command  # noqa: F401


def test_argon2_is_the_production_hasher():
    # tests/conftest.py swaps in MD5 for speed; the shipped settings module must lead with Argon2.
    import importlib

    import sdmkesos.settings as shipped

    importlib.reload(shipped)
    assert shipped.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert any(h.algorithm == "argon2" for h in get_hashers())
    assert settings.AXES_FAILURE_LIMIT == 5


def test_login_locks_after_repeated_failures(client, users):
    for _ in range(4):
        response = client.post("/masuk/", {"username": "kabmalang", "password": "salah"})
        assert response.status_code == 200
    # The 5th failure reaches the limit and is answered with the lock page.
    assert client.post("/masuk/", {"username": "kabmalang",
                                   "password": "salah"}).status_code == 429
    response = client.post("/masuk/", {"username": "kabmalang",
                                       "password": "rahasia-uji-123"})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
