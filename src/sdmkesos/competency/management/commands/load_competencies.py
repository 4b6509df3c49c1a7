"""`sdmkesos load_competencies`: load the shipped competency dictionary (idempotent)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from sdmkesos.competency.reference import load_competency_dictionary


class Command(BaseCommand):
    help = "Load the competency dictionary and example job standards (creates only what is " \
           "missing; never overwrites edits)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(load_competency_dictionary()))
