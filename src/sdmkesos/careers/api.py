"""API endpoints of the careers app, mounted under /api/v1/careers/."""

from ninja import Router

router = Router(tags=["careers"])
