"""API reference data: regions, organisations and code lists, readable by every role."""

from __future__ import annotations

import pytest

from sdmkesos.core.models import Organisation, Region, WorkforceCategory
from tests.api_helpers import as_user


@pytest.fixture
def client(users):
    return as_user(users["pekerja"])  # the most restricted role still reads reference data


def test_regions_children_of_a_province(client):
    response = client.get("/regions", {"parent": "35", "limit": 500})
    assert response.status_code == 200
    body = response.json()
    expected = Region.objects.filter(parent_id="35").count()
    assert body["count"] == expected == len(body["items"])
    codes = [r["code"] for r in body["items"]]
    assert "35.07" in codes and codes == sorted(codes)
    assert all(r["level"] == 2 and r["parent_code"] == "35" for r in body["items"])


def test_regions_level_name_and_paging(client):
    body = client.get("/regions", {"level": 1}).json()
    assert body["count"] == 38 and len(body["items"]) == 38
    malang = client.get("/regions", {"q": "malang", "level": 2}).json()
    assert {r["code"] for r in malang["items"]} >= {"35.07", "35.73"}
    first = client.get("/regions", {"level": 1, "limit": 5}).json()
    second = client.get("/regions", {"level": 1, "limit": 5, "offset": 5}).json()
    assert len(first["items"]) == 5 and first["count"] == 38
    assert first["items"][-1]["code"] < second["items"][0]["code"]


def test_region_limit_is_capped_and_validated(client):
    body = client.get("/regions", {"level": 3, "limit": 10_000}).json()
    assert len(body["items"]) == 500 and body["count"] > 500
    response = client.get("/regions", {"limit": 0})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "limit"


def test_region_detail_with_ancestors(client):
    district = Region.objects.filter(parent_id="35.07").order_by("code").first()
    assert district is not None
    body = client.get(f"/regions/{district.code}").json()
    assert body["code"] == district.code and body["level"] == 3
    assert [a["code"] for a in body["ancestors"]] == ["35", "35.07"]
    missing = client.get("/regions/99.99")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_organisations_filters(client):
    body = client.get("/organisations", {"region": "35", "type": "dinsos_kabkota",
                                         "limit": 500}).json()
    expected = Organisation.objects.filter(type="dinsos_kabkota", region__code__startswith="35.")
    assert body["count"] == expected.count() > 30
    assert all(o["region_code"].startswith("35.") for o in body["items"])
    by_name = client.get("/organisations", {"q": "BBPPKS"}).json()
    assert any(o["code"] == "BBPPKS-1" for o in by_name["items"])
    children = client.get("/organisations", {"parent": "DINSOS-35", "limit": 500}).json()
    dinsos35 = Organisation.objects.get(code="DINSOS-35")
    assert children["count"] == Organisation.objects.filter(parent=dinsos35).count() > 0
    assert client.get("/organisations", {"parent": "NOPE"}).json()["count"] == 0


def test_organisation_detail_by_id_or_code(client):
    org = Organisation.objects.get(code="DINSOS-35.07")
    by_id = client.get(f"/organisations/{org.pk}").json()
    by_code = client.get("/organisations/DINSOS-35.07").json()
    assert by_id == by_code
    assert by_id["region_code"] == "35.07" and by_id["is_national"] is False
    assert client.get("/organisations/999999").status_code == 404


@pytest.mark.parametrize("name,extra", [("categories", "group"),
                                        ("employment-statuses", "is_asn"),
                                        ("education-levels", "rank"),
                                        ("fields-of-study", "is_kesos")])
def test_code_lists(client, name, extra):
    response = client.get(f"/codelists/{name}")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"]) > 0
    assert all(item[extra] is not None for item in body["items"])


def test_code_list_includes_new_codes_and_rejects_unknown_lists(client):
    WorkforceCategory.objects.create(code="uji_baru", name="Kategori Uji", is_active=False)
    items = client.get("/codelists/categories").json()["items"]
    new = next(i for i in items if i["code"] == "uji_baru")
    assert new["is_active"] is False
    assert any(i["code"] == "pekerja_sosial" and i["is_active"] for i in items)
    response = client.get("/codelists/unknown")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
