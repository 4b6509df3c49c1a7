from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sdmkesos.planning.wisn import ROOT, WisnInputError, WisnIssue, calculate, parse_input

EXIT_INVALID = 2


class Command(BaseCommand):
    help = ("WISN (WHO Workload Indicators of Staffing Need) for one staff category of one unit: "
            "reads the input JSON from FILE ('-' for standard input; format in docs/wisn.md) and "
            "prints the result as JSON. Exit status 0 on success; 2 on invalid input, with "
            '{"errors": [{"field", "code", "message"}]} on standard output.')
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="input JSON file, or - for stdin")
        parser.add_argument("--lang", choices=["id", "en"], default="id",
                            help="language of the messages (default: id)")

    def handle(self, *args: Any, **options: Any) -> None:
        lang: str = options["lang"]
        try:
            result = calculate(parse_input(_load(options["file"])))
        except WisnInputError as error:
            self._write(error.to_json(lang))
            sys.exit(EXIT_INVALID)
        self._write(result.to_json(lang))

    def _write(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        self.stdout.flush()


def _load(name: str) -> object:
    """The decoded JSON of the file ``name`` ("-": standard input); WisnInputError if it cannot
    be read or is not JSON."""
    try:
        raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        text = raw.decode("utf-8-sig")  # tolerate the BOM that Windows editors add
    except (OSError, UnicodeDecodeError) as error:
        detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise WisnInputError([WisnIssue(ROOT, "unreadable", {
            "path": "stdin" if name == "-" else name, "detail": detail})]) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise WisnInputError([WisnIssue(ROOT, "invalid_json", {
            "detail": error.msg, "line": error.lineno, "column": error.colno})]) from error
