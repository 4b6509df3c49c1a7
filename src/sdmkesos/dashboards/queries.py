"""Indicators for the dashboards, always over ``Person.objects.restrict(user)``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from sdmkesos.core.models import Region, WorkforceCategory
from sdmkesos.core.scoping import region_q
from sdmkesos.people.models import Person


@dataclass
class Row:
    key: str
    name: str
    total: int = 0
    kesos: int = 0

    @property
    def kesos_share(self) -> float:
        return self.kesos / self.total if self.total else 0.0


@dataclass
class Summary:
    region: Region | None
    total: int = 0
    kesos: int = 0
    by_category: list[Row] = field(default_factory=list)
    by_region: list[Row] = field(default_factory=list)
    breadcrumbs: list[Region] = field(default_factory=list)

    @property
    def kesos_share(self) -> float:
        return self.kesos / self.total if self.total else 0.0


def workforce_summary(user: Any, region_code: str = "") -> Summary:
    """Workers by category and by sub-region, with the peksos/kesos share, for the user's scope
    narrowed to ``region_code`` (nation → province → regency)."""
    qs = Person.objects.restrict(user)
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region is not None:
        qs = qs.filter(region_q(Person.scope, (region.code,)))
    kesos = Count("id", filter=Q(kesos_background=True))
    totals = qs.aggregate(total=Count("id"), kesos=kesos)
    summary = Summary(region=region, total=totals["total"], kesos=totals["kesos"])
    if region is not None:
        ancestors = region.ancestors_codes()
        summary.breadcrumbs = [*Region.objects.filter(code__in=ancestors).order_by("code"),
                               region]
    names = {c.pk: c for c in WorkforceCategory.objects.all()}
    for r in qs.values("category_id").annotate(total=Count("id"), kesos=kesos).order_by():
        cat = names.get(r["category_id"])
        summary.by_category.append(Row(cat.code if cat else "", cat.name if cat else "-",
                                       r["total"], r["kesos"]))
    summary.by_category.sort(key=lambda row: -row.total)
    level_field = "region_prov" if region is None else "region_kab" if region.level == 1 else (
        "region")
    if region is None or region.level <= 2:
        rows = qs.values(level_field).annotate(total=Count("id"), kesos=kesos).order_by()
        codes = [r[level_field] for r in rows if r[level_field]]
        region_names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        for r in rows:
            code = r[level_field] or ""
            name = region_names.get(code, code or "Pusat (nasional)")
            summary.by_region.append(Row(code, name, r["total"], r["kesos"]))
        summary.by_region.sort(key=lambda row: row.key or "~")
    return summary
