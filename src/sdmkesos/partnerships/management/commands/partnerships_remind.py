"""`sdmkesos partnerships_remind [--date YYYY-MM-DD] [--base-url URL]`: the daily run.

Stores each agreement's calendar status (active → expiring → expired), notifies the responsible
users 90 and 30 days before an agreement ends and the responsible users of overdue action items
(in the app; by e-mail too when e-mail is configured). Safe to repeat: each notice goes out once.
Prints one JSON line: {"date", "status_changes", "notifications"}.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Refresh agreement statuses and send expiry and overdue reminders (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="run as if today were this date (YYYY-MM-DD)")
        parser.add_argument("--base-url", default="",
                            help="prefix for links in e-mails, e.g. https://sdmkesos.example")

    def handle(self, *args: Any, **options: Any) -> None:
        from sdmkesos.partnerships.actions import refresh_statuses, send_reminders

        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as err:
            raise CommandError(f"--date: {err}") from err
        today = today or dt.date.today()
        changed = refresh_statuses(today)
        sent = send_reminders(today, base_url=options["base_url"].rstrip("/"))
        self.stdout.write(json.dumps({"date": today.isoformat(), "status_changes": changed,
                                      "notifications": sent}))
