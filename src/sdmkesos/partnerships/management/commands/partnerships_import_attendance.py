"""`sdmkesos partnerships_import_attendance MEETING_ID FILE --user USERNAME [--dry-run]`

Import an attendance sheet (.xlsx/.xls/.ods/.csv) into a coordination meeting as the given
user (their scope applies). All or nothing; prints one JSON line with rows, created, people,
rejected and the row errors; exit status 1 when rows were rejected.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Import an attendance sheet into a coordination meeting."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="act as this account (its scope)")
        parser.add_argument("--dry-run", action="store_true", help="check only")

    def handle(self, *args: Any, **options: Any) -> None:
        from sdmkesos.core.errors import DomainError
        from sdmkesos.core.models import User
        from sdmkesos.partnerships.attendance import import_attendance
        from sdmkesos.partnerships.models import Meeting

        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"unknown user {options['user']}")
        meeting = Meeting.objects.restrict(user, "change").filter(
            pk=options["meeting_id"]).first()
        if meeting is None:
            raise CommandError(f"meeting {options['meeting_id']} not found in the scope of "
                               f"{user.username}")
        try:
            result = import_attendance(options["file"], actor=user, meeting=meeting,
                                       channel="cli", dry_run=options["dry_run"])
        except DomainError as err:
            raise CommandError(err.message) from err
        self.stdout.write(json.dumps(result.summary(), ensure_ascii=False))
        if result.errors:
            raise SystemExit(1)
