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


def _num(value: Any) -> str:
    from decimal import Decimal

    from django.utils.formats import number_format

    number = Decimal(value).normalize()
    places = max(0, -number.as_tuple().exponent)  # type: ignore[operator]
    return number_format(number, decimal_pos=places)


@register.filter
def reason_text(decision: Any, reason: Any) -> str:
    """A reason's message with numbers in the active locale (the rules module writes them
    with a decimal point, which reads as a thousands separator in Indonesian)."""
    from django.utils.translation import gettext as _

    if reason.code == "insufficient_credit_points":
        return _("Angka kredit %(have)s belum mencapai %(need)s (kurang %(short)s).") % {
            "have": _num(decision.credit_points), "need": _num(decision.threshold),
            "short": _num(decision.shortfall)}
    return str(reason.message_id)
