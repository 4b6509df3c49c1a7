"""Web pages of the dedup app, mounted under /duplikat/."""

from django.urls import path  # noqa: F401

app_name = "dedup"

urlpatterns: list = []
