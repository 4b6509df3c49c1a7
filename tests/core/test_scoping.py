from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdmkesos.core.scoping import Scope, ScopeSpec, region_q
from sdmkesos.people.models import Person


def test_regency_scope_does_not_match_longer_code_with_same_prefix(users, make_person):
    """A scope of 35.07 must not reach a region code that merely starts with the characters
    "35.07" (e.g. a district 35.07x if such codes existed), only 35.07 and 35.07.*."""
    inside = make_person("35.07")
    assert Person.objects.restrict(users["kabmalang"]).filter(pk=inside.pk).exists()
    # Forge a row whose region code shares the string prefix but not the region.
    Person.objects.filter(pk=inside.pk).update(region_kab="35.71", region_prov="35")
    assert not Person.objects.restrict(users["kabmalang"]).filter(pk=inside.pk).exists()


def test_district_level_scope_uses_dotted_boundary(db):
    q = str(region_q(ScopeSpec(), ("35.07.01",)))
    assert "35.07.01." in q  # startswith with the trailing dot, never a bare prefix


codes = st.from_regex(r"\A[1-9][0-9](\.[0-9]{2}(\.[0-9]{2})?)?\Z")


@given(scope=codes, code=codes)
def test_covers_region_is_dotted_prefix(scope: str, code: str) -> None:
    covered = Scope(region_codes=(scope,)).covers_region(code)
    assert covered == (code == scope or code.startswith(scope + "."))
    assert Scope(unrestricted=True).covers_region(code)


@pytest.mark.parametrize("role", ["viewer", "bbppks", "pekerja"])
def test_read_only_roles_have_no_write_rows(users, make_person, role):
    make_person("35.07")
    make_person("13.71")
    assert not Person.objects.restrict(users[role], "change").exists()
    assert not Person.objects.restrict(users[role], "delete").exists()


def test_anonymous_sees_nothing(db, make_person):
    from django.contrib.auth.models import AnonymousUser

    make_person("35.07")
    assert not Person.objects.restrict(AnonymousUser()).exists()
    assert not Person.objects.restrict(None).exists()


def test_bbppks_sees_its_provinces_and_its_own_staff(users, make_person):
    padang = make_person("13.71")
    own_staff = make_person("35.07", organisation="BBPPKS-1")  # a national body's staff
    other = make_person("35.07")
    visible = set(Person.objects.restrict(users["bbppks"]).values_list("pk", flat=True))
    assert padang.pk in visible and own_staff.pk in visible and other.pk not in visible
    assert own_staff.region_id is None
