from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sdmkesos.core.actions import do_create_user
from sdmkesos.core.choices import Channel, Role
from sdmkesos.core.errors import DomainError


class Command(BaseCommand):
    help = ("Create an account with a role and scope, e.g. `sdmkesos adduser budi --role "
            "district_operator --region 35.07 --organisation DINSOS-35.07`. The password is "
            "asked for, or taken from SDMKESOS_PASSWORD.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--region", action="append", default=[],
                            help="region code of the scope (repeatable)")
        parser.add_argument("--organisation", help="organisation code where the user works")
        parser.add_argument("--scope-organisation",
                            help="organisation code whose subtree is in scope")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("SDMKESOS_PASSWORD") or getpass.getpass("Kata sandi: ")
        try:
            user = do_create_user(
                actor=None, channel=Channel.CLI, username=options["username"],
                password=password, role=options["role"], regions=options["region"],
                organisation=options["organisation"],
                scope_organisation=options["scope_organisation"], email=options["email"])
        except DomainError as err:
            raise CommandError(err.message) from err
        self.stdout.write(self.style.SUCCESS(f"Pengguna {user.username} dibuat ({user.role})."))
