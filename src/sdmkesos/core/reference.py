"""Loading the reference data shipped with the package. Idempotent: upserts, never deletes."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

from django.db import transaction

from . import audit
from .choices import Channel, OrganisationType
from .models import (
    EducationLevel,
    EmploymentStatus,
    FieldOfStudy,
    Organisation,
    Region,
    WorkforceCategory,
    region_level,
)

DATA = resources.files("sdmkesos.core") / "data"
REGION_FILES = [
    ("provinces.csv", None),
    ("regencies.csv", "province_code"),
    ("districts.csv", "regency_code"),
    ("villages.csv.gz", "district_code"),
]
BATCH = 5000
Progress = Callable[[str], None]


def _rows(name: str) -> Iterator[dict[str, str]]:
    raw = (DATA / "regions" / name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    yield from csv.DictReader(io.StringIO(raw.decode("utf-8")))


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    return {row["code"]: row["name"] for row in _rows("provinces.csv")}


def regency_rows() -> list[dict[str, str]]:
    return list(_rows("regencies.csv"))


def load_regions(progress: Progress | None = None, *, levels: int = 4) -> int:
    """Upsert all regions, level by level (parents first). Returns the number of rows."""
    total = 0
    for level, (name, parent_col) in enumerate(REGION_FILES[:levels], start=1):
        existing = dict(Region.objects.filter(level=level).values_list("code", "name"))
        batch: list[Region] = []
        for row in _rows(name):
            total += 1
            code = row["code"]
            if existing.get(code) == row["name"]:
                continue
            batch.append(Region(code=code, name=row["name"], level=level,
                                parent_id=row[parent_col] if parent_col else None))
        for i in range(0, len(batch), BATCH):
            Region.objects.bulk_create(
                batch[i : i + BATCH], update_conflicts=True, unique_fields=["code"],
                update_fields=["name", "level", "parent"],
            )
        if progress:
            progress(f"{name}: {len(batch)} baru/berubah")
    return total


def _codelists() -> dict[str, Any]:
    return json.loads((DATA / "codelists.json").read_text("utf-8"))


def load_code_lists() -> None:
    data = _codelists()
    for i, (code, name, name_en, group) in enumerate(data["workforce_categories"]):
        WorkforceCategory.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "group": group,
                                 "sort_order": i * 10})
    for i, (code, name, name_en, is_asn) in enumerate(data["employment_statuses"]):
        EmploymentStatus.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_asn": is_asn,
                                 "sort_order": i * 10})
    for code, name, name_en, rank in data["education_levels"]:
        EducationLevel.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "rank": rank,
                                 "sort_order": rank})
    for i, (code, name, name_en, is_kesos) in enumerate(data["fields_of_study"]):
        FieldOfStudy.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_kesos": is_kesos,
                                 "sort_order": i * 10})


def dinsos_code(region_code: str) -> str:
    return f"DINSOS-{region_code}"


def _upsert_org(spec: dict[str, Any], parent: Organisation | None) -> Organisation:
    org, _created = Organisation.objects.get_or_create(
        code=spec["code"],
        defaults={"name": spec["name"], "type": spec["type"], "region_id": spec.get("region"),
                  "is_national": spec.get("national", spec["type"] in NATIONAL_TYPES),
                  "parent": parent},
    )
    return org


NATIONAL_TYPES = {OrganisationType.MINISTRY, OrganisationType.MINISTRY_UNIT,
                  OrganisationType.POLYTECHNIC, OrganisationType.BBPPKS}


def load_organisations() -> None:
    data = json.loads((DATA / "organisations.json").read_text("utf-8"))
    by_code: dict[str, Organisation] = {}
    for spec in data["national"]:
        org = _upsert_org(spec, by_code.get(spec.get("parent", "")))
        by_code[spec["code"]] = org
        if spec.get("serves") and not org.service_regions.exists():
            org.service_regions.set(spec["serves"])
    # One Dinas Sosial per province and per kab/kota, generated from the regions.
    existing = set(Organisation.objects.filter(code__startswith="DINSOS-")
                   .values_list("code", flat=True))
    provinces = {r.code: r for r in Region.objects.filter(level=1)}
    for code, region in provinces.items():
        if dinsos_code(code) not in existing:
            Organisation.objects.create(
                code=dinsos_code(code), name=f"Dinas Sosial Provinsi {region.name}",
                type=OrganisationType.DINSOS_PROVINCE, region=region)
    prov_orgs = {o.region_id: o for o in Organisation.objects.filter(
        type=OrganisationType.DINSOS_PROVINCE)}
    for region in Region.objects.filter(level=2):
        if dinsos_code(region.code) not in existing:
            Organisation.objects.create(
                code=dinsos_code(region.code), name=f"Dinas Sosial {region.name}",
                type=OrganisationType.DINSOS_REGENCY, region=region,
                parent=prov_orgs.get(region.code[:2]))
    for spec in data["regional"]:
        parent = Organisation.objects.filter(code=spec.get("parent", "")).first()
        _upsert_org(spec, parent)


def setup_reference_data(progress: Progress | None = None) -> dict[str, int]:
    with transaction.atomic():
        regions = load_regions(progress)
        load_code_lists()
        load_organisations()
        counts = {"regions": regions, "organisations": Organisation.objects.count()}
        audit.record(actor=None, channel=Channel.SYSTEM, action="reference.load",
                     object_type="reference", object_id="setup", changes={"counts": [None, counts]},
                     note="idn-area-data 4.0.1, codelists.json, organisations.json")
    return counts


__all__ = ["load_regions", "province_names", "region_level", "setup_reference_data"]
