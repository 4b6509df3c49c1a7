"""API endpoints of the partnerships app, mounted under /api/v1/partnerships/."""

from ninja import Router

router = Router(tags=["partnerships"])
