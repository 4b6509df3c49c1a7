"""Small web helpers shared by the competency and training pages: forms that show domain
refusals on the field they name, Bootstrap widget classes, table exports (CSV/XLSX) with
formula injection neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sdmkesos.core.errors import DomainError, ValidationFailed

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FastSelect(forms.Select):
    """A select rendered in Python (Django renders each option through a template: tens of
    milliseconds for the 550 provinces and kab/kota or the organisations of a national user)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        parts: list[str] = [format_html("<select{}>", flatatt(final))]
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            parts.append(format_html('<option value="{}"{}>{}</option>', text,
                                     mark_safe(" selected") if text in selected else "", label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # every part was escaped by format_html


class DomainForm(forms.Form):
    """A form that carries Bootstrap classes and maps DomainErrors onto its fields."""

    field_aliases: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
            if type(widget) is forms.Select:
                fast = FastSelect(attrs=widget.attrs)
                fast.choices = widget.choices
                field.widget = fast

    def apply_domain_error(self, error: DomainError) -> None:
        errors = error.errors if isinstance(error, ValidationFailed) else [error]
        for err in errors:
            name = self.field_aliases.get(err.field or "", err.field or "")
            self.add_error(name if name in self.fields else None, err.message)

    def error_summary(self) -> list[tuple[str, str, str]]:
        out: list[tuple[str, str, str]] = [("", "", str(m)) for m in self.non_field_errors()]
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                out.append((name, str(field.label or name), str(message)))
        return out


def forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


def hx_redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def table_bytes(name: str, fmt: str, headers: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    """CSV (UTF-8 with BOM, for Excel) or XLSX content and the row count; cells neutralised."""
    count = 0
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(name[:31])
        ws.append(list(headers))
        for row in rows:
            ws.append([neutralise(v) for v in row])
            count += 1
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue(), count
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
        count += 1
    return ("\ufeff" + text.getvalue()).encode("utf-8"), count


def table_response(name: str, fmt: str, headers: Sequence[str],
                   rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV or XLSX download of ``rows``."""
    content, _count = table_bytes(name, fmt, headers, rows)
    response = HttpResponse(content, content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
        else "text/csv; charset=utf-8"))
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
