"""Loading the shipped schemes (data/schemes.json); never overwrites an edited scheme."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "schemes.json"


def load_schemes(scheme_model: Any = None, unit_model: Any = None) -> int:
    """Create the schemes that do not exist yet; returns how many were created. Models can be
    passed in (historical models in a migration)."""
    if scheme_model is None:
        from .models import CompetencyUnit, Scheme
        scheme_model, unit_model = Scheme, CompetencyUnit
    created = 0
    for item in json.loads(DATA.read_text(encoding="utf-8"))["schemes"]:
        if scheme_model.objects.filter(code=item["code"]).exists():
            continue
        scheme = scheme_model.objects.create(
            code=item["code"], name=item["name"], category_code=item.get("category") or "",
            validity_years=item["validity_years"], eligibility=item["eligibility"],
            needs_confirmation=item.get("confirm", False))
        for order, (code, title) in enumerate(item["units"]):
            unit_model.objects.create(scheme=scheme, code=code, title=title, sort_order=order)
        created += 1
    return created


UNIT_CODE_MAX = 30
UNIT_TITLE_MAX = 200


class UnitLineError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"Baris {line}: {message}")
        self.line = line


def format_units(units: list[tuple[str, str]]) -> str:
    """The units as the edit form shows them: ``CODE | Title`` per line."""
    return "\n".join(f"{code} | {title}" for code, title in units)


def parse_units(text: str) -> list[tuple[str, str]]:
    """``CODE | Title`` lines (blank lines ignored) into (code, title) pairs in order. Codes
    are unique, without spaces or ``|``, at most 30 characters; titles at most 200."""
    units: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        code, sep, title = line.partition("|")
        code, title = code.strip(), " ".join(title.split())
        if not sep or not code or not title:
            raise UnitLineError(number, "tulis sebagai KODE | Judul unit.")
        if any(c.isspace() for c in code) or len(code) > UNIT_CODE_MAX:
            raise UnitLineError(number, "kode unit tanpa spasi, paling banyak 30 karakter.")
        if len(title) > UNIT_TITLE_MAX or "|" in title:
            raise UnitLineError(number, "judul unit paling banyak 200 karakter, tanpa '|'.")
        if code.casefold() in seen:
            raise UnitLineError(number, f"kode {code} sudah dipakai.")
        seen.add(code.casefold())
        units.append((code, title))
    return units
