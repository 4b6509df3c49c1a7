"""The JF rules as data: seeding the reference tables from ``data/jf_rules.json`` and building
:class:`~sdmkesos.careers.rules.CareerRules` from what administrators have corrected.

``load_jf_reference()`` is idempotent: it adds what is missing and never overwrites a row (an
administrator's correction survives a repeated ``sdmkesos setup``). ``current_rules()`` builds the
rules from the tables, with the packaged file supplying what is not in the tables (the SKP matrix,
position kinds); it falls back to the packaged rules when the tables are empty.
"""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from typing import Any

from django.db import transaction

from sdmkesos.core import audit
from sdmkesos.core.choices import Channel

from .models import JfLevel, JfPosition, JfRank, RatingLevel
from .rules import CareerRules, default_rules, rules_from_dict


def packaged_document() -> dict[str, Any]:
    text = (resources.files("sdmkesos.careers") / "data" / "jf_rules.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return data


def load_jf_reference() -> dict[str, int]:
    """Add the ranks, levels, JF and ratings of the packaged file that are missing. Returns the
    number of rows created per table (all zero on a repeated run)."""
    doc = packaged_document()
    created = {"ranks": 0, "levels": 0, "positions": 0, "ratings": 0}
    with transaction.atomic():
        for i, item in enumerate(doc["ranks"]["items"]):
            _obj, new = JfRank.objects.get_or_create(
                code=item["code"], defaults={"name": item["name"], "order": i})
            created["ranks"] += new
        ranks = {r.code: r for r in JfRank.objects.all()}
        ages = doc["retirement"]["functional_age_by_level"]
        items = doc["levels"]["items"]
        for i, item in enumerate(items):
            _lv, new = JfLevel.objects.get_or_create(code=item["code"], defaults={
                "label_id": item["label_id"], "label_en": item.get("label_en", ""),
                "track": item["track"], "rank_low": ranks[item["rank_range"][0]],
                "rank_high": ranks[item["rank_range"][1]],
                "coefficient": Decimal(str(item["coefficient"])),
                "ak_next_rank": Decimal(str(item["ak_next_rank"])),
                "ak_next_level": (None if item.get("ak_next_level") is None
                                  else Decimal(str(item["ak_next_level"]))),
                "retirement_age": int(ages[item["code"]]), "sort_order": i})
            created["levels"] += new
        levels = {lv.code: lv for lv in JfLevel.objects.all()}
        for item in items:
            level = levels[item["code"]]
            if item.get("next_level") and level.next_level_id is None \
                    and level.ak_next_level is not None:
                level.next_level = levels.get(item["next_level"])
                level.save(update_fields=["next_level"])
        for item in doc["functional_positions"]["items"]:
            _jf, new = JfPosition.objects.get_or_create(code=item["code"], defaults={
                "label_id": item["label_id"], "label_en": item.get("label_en", ""),
                "tracks": list(item["tracks"]), "source": item.get("source", "")})
            created["positions"] += new
        for i, item in enumerate(doc["ratings"]["items"]):
            _rt, new = RatingLevel.objects.get_or_create(code=item["code"], defaults={
                "label_id": item["label_id"], "label_en": item.get("label_en", ""),
                "percent": Decimal(str(item["percent"])), "sort_order": i})
            created["ratings"] += new
        if any(created.values()):
            audit.record(actor=None, channel=Channel.SYSTEM, action="reference.load",
                         object_type="careers.reference", object_id="jf_rules",
                         changes={k: [0, v] for k, v in created.items() if v})
    return created


def document_from_db(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The rules document with the tables' values in place of the packaged ones.

    ``overrides`` maps a level code to changed fields (used to validate a correction before it
    is saved)."""
    doc = packaged_document()
    ranks = list(JfRank.objects.order_by("order"))
    if ranks:
        doc["ranks"]["items"] = [{"code": r.code, "name": r.name} for r in ranks]
    levels = list(JfLevel.objects.select_related("rank_low", "rank_high", "next_level"))
    if levels:
        ages: dict[str, Any] = {}
        items = []
        for lv in levels:
            item: dict[str, Any] = {
                "code": lv.code, "label_id": lv.label_id, "label_en": lv.label_en or lv.label_id,
                "track": lv.track, "rank_range": [lv.rank_low.code, lv.rank_high.code],
                "coefficient": lv.coefficient, "ak_next_rank": lv.ak_next_rank,
                "ak_next_level": lv.ak_next_level,
                "next_level": lv.next_level.code if lv.next_level else None,
            }
            age: Any = lv.retirement_age
            for key, value in ((overrides or {}).get(lv.code) or {}).items():
                if key == "retirement_age":
                    age = value
                else:
                    item[key] = value
            ages[lv.code] = age
            items.append(item)
        doc["levels"]["items"] = items
        doc["retirement"]["functional_age_by_level"] = ages
    positions = list(JfPosition.objects.all())
    if positions:
        doc["functional_positions"]["items"] = [
            {"code": p.code, "label_id": p.label_id, "label_en": p.label_en or p.label_id,
             "tracks": list(p.tracks), "source": p.source or "-"} for p in positions]
    ratings = list(RatingLevel.objects.order_by("sort_order"))
    if ratings:
        rating_overrides = (overrides or {}).get("__ratings__") or {}
        doc["ratings"]["items"] = [
            {"code": r.code, "label_id": r.label_id, "label_en": r.label_en or r.label_id,
             "percent": rating_overrides.get(r.code, r.percent)} for r in ratings]
    return doc


def current_rules() -> CareerRules:
    """The rules as corrected in the database (the packaged rules when the tables are empty)."""
    if not JfLevel.objects.exists():
        return default_rules()
    return rules_from_dict(document_from_db())
