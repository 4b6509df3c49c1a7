"""API endpoints of the competency app, mounted under /api/v1/competency/."""

from ninja import Router

router = Router(tags=["competency"])
