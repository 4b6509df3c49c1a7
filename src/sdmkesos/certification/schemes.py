"""Loading the shipped schemes (data/schemes.json); never overwrites an edited scheme."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "schemes.json"


def load_schemes(scheme_model: Any = None, unit_model: Any = None) -> int:
    """Create the schemes that do not exist yet; returns how many were created. Models can be
    passed in (historical models in a migration)."""
    if scheme_model is None:
        from .models import CompetencyUnit, Scheme
        scheme_model, unit_model = Scheme, CompetencyUnit
    created = 0
    for item in json.loads(DATA.read_text(encoding="utf-8"))["schemes"]:
        if scheme_model.objects.filter(code=item["code"]).exists():
            continue
        scheme = scheme_model.objects.create(
            code=item["code"], name=item["name"], category_code=item.get("category") or "",
            validity_years=item["validity_years"], eligibility=item["eligibility"],
            needs_confirmation=item.get("confirm", False))
        for order, (code, title) in enumerate(item["units"]):
            unit_model.objects.create(scheme=scheme, code=code, title=title, sort_order=order)
        created += 1
    return created
