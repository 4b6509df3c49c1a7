"""The API root: Django Ninja under /api/v1/. Routers live in each app's api.py."""

from ninja import NinjaAPI

api = NinjaAPI(title="SDM Kesos API", version="1", urls_namespace="api")
