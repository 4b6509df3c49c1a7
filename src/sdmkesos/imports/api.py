"""API endpoints of the imports app, mounted under /api/v1/imports/."""

from ninja import Router

router = Router(tags=["imports"])
