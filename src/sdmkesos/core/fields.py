"""Model fields shared by the apps."""

from __future__ import annotations

from typing import Any

from django.db import models


class CodeField(models.CharField):
    """A code of digits and punctuation (NIK, NIP, region-code prefixes), compared byte by byte:
    the "C" collation on PostgreSQL, whatever the database's default. Sorting and indexing such a
    column then skip the locale's rules (an index on a million NIKs builds in half the time),
    the order of codes is their natural one, and a plain btree index serves prefix searches
    (``LIKE '3507%'``), so it needs no ``varchar_pattern_ops`` twin. SQLite compares bytes
    already."""

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
