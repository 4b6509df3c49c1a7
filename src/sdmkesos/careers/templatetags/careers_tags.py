"""Small template helpers of the careers and planning pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ labels|get_item:code }}``: a dict lookup (the key itself when missing)."""
    if isinstance(mapping, dict):
        return mapping.get(key, key)
    return key
