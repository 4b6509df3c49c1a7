"""Dashboard pages, built only on ``dashboards.queries`` (which reads through ``restrict``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sdmkesos.core.choices import Role
from sdmkesos.core.models import Region, WorkforceCategory
from sdmkesos.core.scoping import Scope, scope_for

from .queries import Row, workforce_summary

REGION_CODE = re.compile(r"[0-9]{2}(\.[0-9]{2})?")


@dataclass
class Bar:
    key: str
    name: str
    total: int
    kesos: int
    width: float  # percent of the largest bar
    share: float  # kesos share, percent
    drill_url: str = ""
    list_url: str = ""


def _relevant(scope: Scope, code: str) -> bool:
    """A region the user may open: inside the scope, or above a region of the scope."""
    if scope.unrestricted or scope.covers_region(code):
        return True
    return any(c.startswith(code + ".") for c in scope.region_codes)


def _list_url(**params: str) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("people:list") + ("?" + query if query else "")


def _bars(
    rows: list[Row],
    *,
    names: dict[str, str] | None = None,
    drill: bool = False,
    list_param: str = "",
    region_code: str = "",
) -> list[Bar]:
    top = max((r.total for r in rows), default=0)
    bars = []
    for r in rows:
        name = (names or {}).get(r.key) or r.name
        if not r.key and list_param == "region":
            name = _("Pusat (nasional)")
        bar = Bar(
            key=r.key,
            name=name,
            total=r.total,
            kesos=r.kesos,
            width=round(100 * r.total / top, 1) if top else 0.0,
            share=round(100 * r.kesos_share, 1),
        )
        if drill and r.key and r.key != region_code:
            bar.drill_url = reverse("dashboards:overview") + "?" + urlencode({"region": r.key})
        if list_param == "region" and r.key:
            bar.list_url = _list_url(region=r.key)
        elif list_param == "category" and r.key:
            bar.list_url = _list_url(category=r.key, region=region_code)
        bars.append(bar)
    return bars


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role == Role.WORKER and not user.is_superuser:
        raise PermissionDenied(_("Dasbor tidak tersedia untuk akun pekerja."))
    code = request.GET.get("region", "").strip()
    if code:
        # Nation → province → kab/kota: deeper codes are not offered.
        if not REGION_CODE.fullmatch(code) or not Region.objects.filter(code=code).exists():
            raise Http404(_("Wilayah tidak dikenal."))
        if not _relevant(scope_for(user), code):
            raise Http404(_("Di luar lingkup wilayah/organisasi Anda."))
    summary = workforce_summary(user, code)
    region = summary.region
    category_names: dict[str, str] = {}
    if (get_language() or "id").startswith("en"):
        category_names = {c.code: c.name_en for c in WorkforceCategory.objects.all() if c.name_en}
    # Drill down from the nation to a province, from a province to its kab/kota.
    drill = region is None or region.level == 1
    if region is None:
        sub_level = _("Provinsi")
    elif region.level == 1:
        sub_level = _("Kabupaten/Kota")
    else:
        sub_level = _("Wilayah pengelola")
    context = {
        "summary": summary,
        "region": region,
        "share_percent": round(100 * summary.kesos_share, 1),
        "non_kesos": summary.total - summary.kesos,
        "by_category": _bars(
            summary.by_category, names=category_names, list_param="category", region_code=code
        ),
        "by_region": _bars(summary.by_region, drill=drill, list_param="region", region_code=code),
        "sub_level": sub_level,
        "breadcrumbs": [(r.code, r.name) for r in summary.breadcrumbs],
        "list_url": _list_url(region=code),
    }
    return render(request, "dashboards/overview.html", context)
