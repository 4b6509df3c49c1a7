"""API endpoints of the certification app, mounted under /api/v1/certification/."""

from ninja import Router

router = Router(tags=["certification"])
