"""Optional hooks into the domain apps (reference data for `setup`, demo data for `demo`):
core and people name them as (module, function) so that they import no feature app."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any


def available(steps: Iterable[tuple[str, str, str]]) -> list[tuple[str, Any]]:
    """(label, function) for each (module, function, label) whose module and function exist."""
    found = []
    for module_name, function, label in steps:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                raise
            continue
        if hasattr(module, function):
            found.append((label, getattr(module, function)))
    return found
