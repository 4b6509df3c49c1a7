"""The `sdmkesos` console script: Django's management commands under one name.

`sdmkesos setup`, `sdmkesos demo`, `sdmkesos nik 3507...`, `sdmkesos runserver`, ...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sdmkesos.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["sdmkesos", *argv])
    args[0] = "sdmkesos"
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        # `sdmkesos plan-training` runs the `plan_training` command (module names can't hold "-").
        from django import setup
        from django.core.management import get_commands

        setup()
        if args[1] not in get_commands():
            args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
