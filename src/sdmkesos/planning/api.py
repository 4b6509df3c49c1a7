"""API endpoints of the planning app, mounted under /api/v1/planning/."""

from ninja import Router

router = Router(tags=["planning"])
