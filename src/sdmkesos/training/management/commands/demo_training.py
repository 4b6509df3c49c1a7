"""`sdmkesos demo_training`: demo programmes, batches, assessments and nominations."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sdmkesos.core.models import User
from sdmkesos.training.demo import seed_training_demo


class Command(BaseCommand):
    help = "Seed demo training data (after `sdmkesos demo`): programmes, venues, trainers, " \
           "batches, sample assessments and nominations. Skipped when PDPS exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", default="nasional", help="acting account (national admin)")
        parser.add_argument("--assessments", type=int, default=400,
                            help="East Java workers to give sample assessments")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['user']} tidak ada")
        self.stdout.write(json.dumps(seed_training_demo(user,
                                                        assessments=options["assessments"])))
