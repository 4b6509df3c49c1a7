"""API endpoints of the dedup app, mounted under /api/v1/dedup/."""

from ninja import Router

router = Router(tags=["dedup"])
