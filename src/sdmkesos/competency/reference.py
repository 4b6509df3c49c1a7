"""The competency dictionary shipped with the package (``data/dictionary.json``).

``load_competency_dictionary()`` is idempotent: it creates what is missing and never overwrites
an administrator's edits nor deletes anything (``sdmkesos setup`` calls it).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from django.db import transaction

from sdmkesos.core import audit
from sdmkesos.core.choices import Channel
from sdmkesos.core.models import WorkforceCategory

from .models import Competency, CompetencyGroup, CompetencyLevel, JobStandard, StandardItem

DATA = resources.files("sdmkesos.competency") / "data" / "dictionary.json"


def dictionary_data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def load_competency_dictionary() -> dict[str, int]:
    """Create the missing groups, competencies, levels and example standards. Returns how many
    rows of each kind were created."""
    data = dictionary_data()
    created = {"groups": 0, "competencies": 0, "levels": 0, "standards": 0, "items": 0}
    with transaction.atomic():
        groups: dict[str, CompetencyGroup] = {g.code: g for g in CompetencyGroup.objects.all()}
        for order, spec in enumerate(data["groups"]):
            if spec["code"] in groups:
                continue
            groups[spec["code"]] = CompetencyGroup.objects.create(
                code=spec["code"], name=spec["name"], name_en=spec.get("name_en", ""),
                type=spec["type"], parent=groups.get(spec.get("parent", "")),
                sort_order=order * 10)
            created["groups"] += 1
        existing = {c.code: c for c in Competency.objects.all()}
        have_levels = set(CompetencyLevel.objects.values_list("competency__code", "level"))
        generic = data["technical_levels"]
        new_levels = []
        for order, spec in enumerate(data["competencies"]):
            comp = existing.get(spec["code"])
            if comp is None:
                group = groups[spec["group"]]
                comp = Competency.objects.create(
                    code=spec["code"], name=spec["name"], name_en=spec.get("name_en", ""),
                    type=group.type, group=group, definition=spec.get("definition", ""),
                    validity_months=spec.get("validity_months"), sort_order=order * 10)
                existing[comp.code] = comp
                created["competencies"] += 1
            for number, (description, indicators) in enumerate(
                    spec.get("levels") or generic, start=1):
                if (comp.code, number) not in have_levels:
                    new_levels.append(CompetencyLevel(competency=comp, level=number,
                                                      description=description,
                                                      indicators=list(indicators)))
        CompetencyLevel.objects.bulk_create(new_levels)
        created["levels"] = len(new_levels)
        categories = {c.code: c for c in WorkforceCategory.objects.all()}
        for spec in data["standards"]:
            standard, made = JobStandard.objects.get_or_create(
                code=spec["code"], defaults={"name": spec["name"],
                                             "category": categories.get(spec.get("category", ""))})
            if not made:
                continue
            created["standards"] += 1
            StandardItem.objects.bulk_create(
                StandardItem(standard=standard, competency=existing[code], required_level=level)
                for code, level in spec["items"].items())
            created["items"] += len(spec["items"])
        if any(created.values()):
            audit.record(actor=None, channel=Channel.SYSTEM, action="reference.load",
                         object_type="competency.dictionary", object_id="dictionary",
                         changes={k: [None, v] for k, v in created.items() if v})
    return created
