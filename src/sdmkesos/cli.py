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
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
