"""Indicators for the dashboards, always over ``Person.objects.restrict(user)``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count

from sdmkesos.core import versioning
from sdmkesos.core.models import Region, WorkforceCategory
from sdmkesos.core.scoping import region_q, scope_for
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


CACHE_SECONDS = 3600


def _grouped(qs: Any, level_field: str, user: Any, region_code: str,
             use_cache: bool) -> list[dict[str, Any]]:
    """The grouped counts, cached per (registry version, user's scope, region): any write to
    the registry moves the version on (core.versioning), so a cached result is never stale."""
    def compute() -> list[dict[str, Any]]:
        return list(qs.values(level_field, "category_id", "kesos_background")
                    .annotate(n=Count("*")).order_by())

    if not use_cache:
        return compute()
    scope = hashlib.sha256(repr(scope_for(user)).encode()).hexdigest()[:24]
    key = f"dash:{versioning.current('registry')}:{scope}:{region_code}"
    rows = cache.get(key)
    if rows is None:
        rows = compute()
        cache.set(key, rows, CACHE_SECONDS)
    return list(rows)


def workforce_summary(user: Any, region_code: str = "", *, use_cache: bool = True) -> Summary:
    """Workers by category and by sub-region, with the peksos/kesos share, for the user's scope
    narrowed to ``region_code`` (nation → province → regency).

    One grouped query over (sub-region, category, kesos) served by the ``person_dashboard``
    index (cached until the registry changes); totals and both breakdowns are summed from its
    few hundred rows."""
    qs = Person.objects.restrict(user)
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region is not None:
        qs = qs.filter(region_q(Person.scope, (region.code,)))
    summary = Summary(region=region)
    if region is not None:
        ancestors = region.ancestors_codes()
        summary.breadcrumbs = [*Region.objects.filter(code__in=ancestors).order_by("code"),
                               region]
    level_field = ("region_prov" if region is None else
                   "region_kab" if region.level == 1 else "region_id")
    groups = _grouped(qs, level_field, user, region_code, use_cache)
    by_category: dict[Any, Row] = {}
    by_region: dict[str, Row] = {}
    names = {c.pk: c for c in WorkforceCategory.objects.all()}
    for g in groups:
        n, kesos = g["n"], g["n"] if g["kesos_background"] else 0
        summary.total += n
        summary.kesos += kesos
        cat = names.get(g["category_id"])
        row = by_category.setdefault(g["category_id"], Row(cat.code if cat else "",
                                                           cat.name if cat else "-"))
        row.total += n
        row.kesos += kesos
        code = g[level_field] or ""
        reg = by_region.setdefault(code, Row(code, code))
        reg.total += n
        reg.kesos += kesos
    summary.by_category = sorted(by_category.values(), key=lambda row: -row.total)
    if region is None or region.level <= 2:
        region_names = dict(Region.objects.filter(code__in=[c for c in by_region if c])
                            .values_list("code", "name"))
        for code, row in by_region.items():
            row.name = region_names.get(code, code or "Pusat (nasional)")
        summary.by_region = sorted(by_region.values(), key=lambda row: row.key or "~")
    return summary
